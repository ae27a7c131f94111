/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("URL | -- COMMAND [ARGS…]");
  g_option_context_set_summary (context, "Talk to an MCP server from the command line.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tether-cli: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("tether-cli %s\n", VERSION);
      return 0;
    }

  g_printerr ("tether-cli: nothing to do; see tether-cli --help\n");
  return 2;
}
