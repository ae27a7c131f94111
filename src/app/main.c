/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tether-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TetherApplication) app = NULL;
  const char *localedir;

  /* TETHER_LOCALEDIR lets the tests run translated from the build directory. */
  localedir = g_getenv ("TETHER_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tether_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
