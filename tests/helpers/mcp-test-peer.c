/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mcp-test-peer: a child process for the stdio transport tests. Depending on its options it
 * writes some lines first (its pid, its environment, stderr lines, a malformed line, a huge
 * line), then echoes every line it reads from stdin back on stdout, and finally exits with a
 * chosen status, raises a signal, or refuses to go away (ignoring stdin EOF and SIGTERM).
 * It uses GLib only and stdio with blocking reads: it is the peer, not the code under test.
 */
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static gboolean opt_hello;
static int opt_stderr_lines;
static char *opt_report_env;
static gboolean opt_malformed;
static gint64 opt_huge;
static int opt_exit_now = -1;
static int opt_raise;
static int opt_exit_status;
static gboolean opt_ignore_term;
static gboolean opt_ignore_eof;
static gboolean opt_close_stdout;
static int opt_delay_ms;
static gboolean opt_no_read;

static const GOptionEntry entries[] = {
  { "hello", 0, 0, G_OPTION_ARG_NONE, &opt_hello, "Start with a 'hello' notification with the pid", NULL },
  { "stderr-lines", 0, 0, G_OPTION_ARG_INT, &opt_stderr_lines, "Write N lines to stderr", "N" },
  { "report-env", 0, 0, G_OPTION_ARG_STRING, &opt_report_env, "Report variable NAME and the cwd", "NAME" },
  { "malformed", 0, 0, G_OPTION_ARG_NONE, &opt_malformed, "Write a malformed line, then 'after-malformed'", NULL },
  { "huge", 0, 0, G_OPTION_ARG_INT64, &opt_huge, "Write 'small-1', a message with N bytes of data, 'small-2'", "N" },
  { "exit-now", 0, 0, G_OPTION_ARG_INT, &opt_exit_now, "Exit with STATUS before reading stdin", "STATUS" },
  { "raise", 0, 0, G_OPTION_ARG_INT, &opt_raise, "Raise SIGNAL before reading stdin", "SIGNAL" },
  { "exit-status", 0, 0, G_OPTION_ARG_INT, &opt_exit_status, "Status to exit with at stdin EOF", "STATUS" },
  { "ignore-term", 0, 0, G_OPTION_ARG_NONE, &opt_ignore_term, "Ignore SIGTERM", NULL },
  { "ignore-eof", 0, 0, G_OPTION_ARG_NONE, &opt_ignore_eof, "Keep running after stdin EOF", NULL },
  { "close-stdout", 0, 0, G_OPTION_ARG_NONE, &opt_close_stdout, "Close stdout, keep reading stdin", NULL },
  { "delay", 0, 0, G_OPTION_ARG_INT, &opt_delay_ms, "Wait MS milliseconds before echoing each line", "MS" },
  { "no-read", 0, 0, G_OPTION_ARG_NONE, &opt_no_read, "Never read stdin: wait --delay MS (or forever), then exit", NULL },
  { NULL }
};

static void
write_line (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
write_notification (const char *method)
{
  g_autofree char *line = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"%s\"}", method);

  write_line (line);
}

static char *
json_string (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

static void
write_huge (gint64 size)
{
  static const char head[] = "{\"jsonrpc\":\"2.0\",\"method\":\"huge\",\"params\":{\"data\":\"";
  static const char tail[] = "\"}}\n";
  char block[4096];

  memset (block, 'x', sizeof block);
  fputs (head, stdout);
  for (gint64 left = size; left > 0; left -= (gint64) sizeof block)
    fwrite (block, 1, (size_t) MIN (left, (gint64) sizeof block), stdout);
  fputs (tail, stdout);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a child for the stdio transport tests");
  g_autoptr(GError) error = NULL;
  char *line = NULL;
  size_t size = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mcp-test-peer: %s\n", error->message);
      return 2;
    }

  if (opt_ignore_term)
    signal (SIGTERM, SIG_IGN);

  if (opt_hello)
    {
      g_autofree char *hello = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"hello\","
                                                "\"params\":{\"pid\":%d}}", (int) getpid ());
      write_line (hello);
    }

  for (int i = 1; i <= opt_stderr_lines; i++)
    {
      fprintf (stderr, "diagnostic line %d\n", i);
      fflush (stderr);
    }

  if (opt_report_env != NULL)
    {
      const char *value = g_getenv (opt_report_env);
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *value_json = value ? json_string (value) : g_strdup ("null");
      g_autofree char *cwd_json = json_string (cwd);
      g_autofree char *report = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"env\","
                                                 "\"params\":{\"value\":%s,\"cwd\":%s}}",
                                                 value_json, cwd_json);
      write_line (report);
    }

  if (opt_malformed)
    {
      write_line ("this is not JSON {\"jsonrpc\":");
      write_notification ("after-malformed");
    }

  if (opt_huge > 0)
    {
      write_notification ("small-1");
      write_huge (opt_huge);
      write_notification ("small-2");
    }

  if (opt_raise > 0)
    {
      signal (opt_raise, SIG_DFL);
      raise (opt_raise);
    }

  if (opt_exit_now >= 0)
    return opt_exit_now;

  if (opt_no_read)
    {
      if (opt_delay_ms <= 0)
        for (;;)
          pause ();
      g_usleep ((gulong) opt_delay_ms * 1000);
      return opt_exit_status;
    }

  if (opt_close_stdout)
    {
      fclose (stdout);
      while (getline (&line, &size, stdin) >= 0)
        ;
      free (line);
      return opt_exit_status;
    }

  while (getline (&line, &size, stdin) >= 0)
    {
      if (opt_delay_ms > 0)
        g_usleep ((gulong) opt_delay_ms * 1000);
      fputs (line, stdout);
      fflush (stdout);
    }
  free (line);

  if (opt_ignore_eof)
    for (;;)
      pause ();

  return opt_exit_status;
}
