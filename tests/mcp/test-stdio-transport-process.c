/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpStdioTransport and its child process, tests/helpers/mcp-test-peer: stderr logged, exit
 * status and signals reported, closing escalating from stdin EOF to SIGTERM to SIGKILL, a
 * process that cannot start, and the environment and working directory it is given.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "stdio-transport-test-util.h"

static gint64
hello_pid (Peer *peer)
{
  McpMessage *hello;

  WAIT_UNTIL (peer->messages->len >= 1, 10);
  hello = peer_message (peer, 0);
  g_assert_cmpstr (mcp_message_get_method (hello), ==, "hello");
  return json_object_get_int_member (mcp_message_get_params (hello), "pid");
}

static gboolean
process_is_gone (gint64 pid)
{
  return kill ((pid_t) pid, 0) == -1 && errno == ESRCH;
}

static void
test_stderr_logged (void)
{
  Peer *peer = peer_new ("--stderr-lines=3", "--exit-now=0", NULL);
  int first, second, third;

  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);

  first = peer_find_log (peer, MCP_LOG_INFO, "stderr: diagnostic line 1");
  second = peer_find_log (peer, MCP_LOG_INFO, "stderr: diagnostic line 2");
  third = peer_find_log (peer, MCP_LOG_INFO, "stderr: diagnostic line 3");
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (second, >, first);
  g_assert_cmpint (third, >, second);
  g_assert_cmpstr (((LogLine *) g_ptr_array_index (peer->logs, first))->text, ==,
                   "stderr: diagnostic line 1");

  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process exited with status 0");

  peer_free (peer);
}

static void
test_exit_status_reported (void)
{
  Peer *peer = peer_new ("--exit-now=3", NULL);
  g_autoptr(McpMessage) notification = mcp_message_new_notification ("late", NULL);
  g_autoptr(GError) error = NULL;

  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);

  g_assert_cmpuint (peer->closed_count, ==, 1);
  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process exited with status 3");

  g_assert_false (peer_send (peer, notification, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);

  /* Closing a transport whose peer is gone completes and emits nothing more. */
  peer_close (peer);
  g_assert_cmpuint (peer->closed_count, ==, 1);

  peer_free (peer);
}

static void
test_killed_by_signal_reported (void)
{
  Peer *peer = peer_new ("--raise=9", NULL);

  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);

  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process was killed by signal 9");

  peer_free (peer);
}

static void
test_pending_send_fails_when_process_exits (void)
{
  Peer *peer = peer_new ("--no-read", "--delay=300", "--exit-status=4", NULL);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autofree char *big = g_strnfill (4 * 1024 * 1024, 'p');
  g_autoptr(McpMessage) request = NULL;
  g_autoptr(GError) error = NULL;

  peer_open_ok (peer);

  /* Far more than a pipe holds, to a peer that never reads: the write is still pending when
   * the peer exits. */
  json_object_set_string_member (params, "big", big);
  request = mcp_message_new_request_int (7, "stuck", params);
  g_assert_false (peer_send (peer, request, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);

  WAIT_UNTIL (peer->closed_count > 0, 10);
  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process exited with status 4");

  peer_free (peer);
}

static void
test_close_kills_stubborn_child (void)
{
  Peer *peer = peer_new ("--hello", "--ignore-term", "--ignore-eof", NULL);
  gint64 pid;
  double seconds;

  peer_open_ok (peer);
  pid = hello_pid (peer);
  g_assert_cmpint (pid, >, 0);
  g_assert_false (process_is_gone (pid));

  /* stdin EOF (ignored), 2 s, SIGTERM (ignored), 2 s, SIGKILL. */
  seconds = peer_close (peer);
  g_assert_cmpfloat (seconds, >=, 3.5);
  g_assert_cmpfloat (seconds, <, 7.0);
  g_assert_cmpuint (peer->closed_count, ==, 1);
  g_assert_null (peer->closed_error);
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_INFO, "SIGTERM"), >=, 0);
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_WARNING, "killing it"), >=, 0);
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_INFO, "killed by signal 9"), >=, 0);
  g_assert_true (process_is_gone (pid));

  peer_free (peer);
}

static void
test_close_terminates_child_ignoring_eof (void)
{
  Peer *peer = peer_new ("--hello", "--ignore-eof", NULL);
  gint64 pid;
  double seconds;

  peer_open_ok (peer);
  pid = hello_pid (peer);

  /* stdin EOF (ignored), 2 s, SIGTERM: done. */
  seconds = peer_close (peer);
  g_assert_cmpfloat (seconds, >=, 1.5);
  g_assert_cmpfloat (seconds, <, 4.5);
  g_assert_null (peer->closed_error);
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_INFO, "killed by signal 15"), >=, 0);
  g_assert_true (process_is_gone (pid));

  peer_free (peer);
}

static void
test_dropped_transport_stops_child (void)
{
  Peer *peer = peer_new ("--hello", "--ignore-eof", NULL);
  gint64 pid;

  peer_open_ok (peer);
  pid = hello_pid (peer);

  /* No close(): dropping the last reference must not leave the child running. */
  g_assert_cmpuint (peer->closed_count, ==, 0);
  peer_free (peer);

  WAIT_UNTIL (process_is_gone (pid), 6);
}

static void
test_stdout_closed_stops_child (void)
{
  Peer *peer = peer_new ("--close-stdout", "--exit-status=7", NULL);

  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);

  g_assert_cmpint (peer_find_log (peer, MCP_LOG_INFO, "closed its standard output"), >=, 0);
  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process exited with status 7");

  peer_free (peer);
}

static void
test_cannot_start (void)
{
  const char *argv[] = { "/nonexistent/tether-no-such-server", "--flag", NULL };
  Peer *peer = peer_new_for_transport (mcp_stdio_transport_new (argv));
  g_autoptr(GError) error = NULL;

  g_assert_false (peer_open (peer, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/tether-no-such-server"));
  g_assert_cmpuint (peer->closed_count, ==, 0);

  peer_free (peer);
}

static void
test_cannot_start_in_missing_directory (void)
{
  Peer *peer = peer_new (NULL);
  g_autoptr(GError) error = NULL;

  mcp_stdio_transport_set_working_directory (MCP_STDIO_TRANSPORT (peer->transport),
                                             "/nonexistent/tether-no-such-directory");
  g_assert_false (peer_open (peer, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "mcp-test-peer"));

  peer_free (peer);
}

static void
test_environment_and_working_directory (void)
{
  static const char value[] = "a value with spaces, \"quotes\" and = signs";
  g_autofree char *entry = g_strconcat ("TETHER_TEST_VALUE=", value, NULL);
  const char *environment[] = { entry, "TETHER_TEST_INHERITED", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("tether-stdio-XXXXXX", &error);
  g_autofree char *real_directory = NULL;
  Peer *peer;
  JsonObject *params;
  g_auto(GStrv) got_environment = NULL;
  g_autofree char *got_directory = NULL;

  g_assert_no_error (error);
  real_directory = realpath (directory, NULL);
  g_assert_nonnull (real_directory);

  /* main() set both variables in this process: one is overridden, the other removed. */
  g_assert_cmpstr (g_getenv ("TETHER_TEST_VALUE"), ==, "inherited");
  g_assert_cmpstr (g_getenv ("TETHER_TEST_INHERITED"), ==, "inherited");

  for (guint run = 0; run < 2; run++)
    {
      const char *name = run == 0 ? "TETHER_TEST_VALUE" : "TETHER_TEST_INHERITED";
      g_autofree char *option = g_strconcat ("--report-env=", name, NULL);
      g_autofree char *got_real = NULL;

      peer = peer_new (option, NULL);
      g_object_set (peer->transport,
                    "environment", environment,
                    "working-directory", directory,
                    NULL);
      g_object_get (peer->transport,
                    "environment", &got_environment,
                    "working-directory", &got_directory,
                    NULL);
      g_assert_cmpstrv (got_environment, environment);
      g_assert_cmpstr (got_directory, ==, directory);
      g_clear_pointer (&got_environment, g_strfreev);
      g_clear_pointer (&got_directory, g_free);

      peer_open_ok (peer);
      WAIT_UNTIL (peer->messages->len == 1, 10);
      params = mcp_message_get_params (peer_message (peer, 0));
      if (run == 0)
        g_assert_cmpstr (json_object_get_string_member (params, "value"), ==, value);
      else
        g_assert_true (json_object_get_null_member (params, "value"));
      got_real = realpath (json_object_get_string_member (params, "cwd"), NULL);
      g_assert_cmpstr (got_real, ==, real_directory);

      peer_close (peer);
      peer_free (peer);
    }

  g_assert_cmpint (g_rmdir (directory), ==, 0);
}

static void
test_path_from_environment (void)
{
  /* argv[0] without a slash is looked up in the PATH given to the child. */
  const char *argv[] = { "mcp-test-peer", "--exit-now=5", NULL };
  g_autofree char *peer_path = test_peer_path ();
  g_autofree char *helpers = g_path_get_dirname (peer_path);
  g_autofree char *path = g_strconcat ("PATH=", helpers, ":/usr/bin:/bin", NULL);
  const char *environment[] = { path, NULL };
  McpStdioTransport *transport = mcp_stdio_transport_new (argv);
  Peer *peer = peer_new_for_transport (transport);

  mcp_stdio_transport_set_environment (transport, environment);
  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);
  g_assert_cmpstr (peer->closed_error->message, ==, "The server process exited with status 5");

  peer_free (peer);
}

int
main (int   argc,
      char *argv[])
{
  /* Set before any thread exists, for environment-and-working-directory. */
  g_setenv ("TETHER_TEST_VALUE", "inherited", TRUE);
  g_setenv ("TETHER_TEST_INHERITED", "inherited", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/stdio-transport/stderr-lines-logged", test_stderr_logged);
  g_test_add_func ("/mcp/stdio-transport/exit-status-reported", test_exit_status_reported);
  g_test_add_func ("/mcp/stdio-transport/killed-by-signal-reported",
                   test_killed_by_signal_reported);
  g_test_add_func ("/mcp/stdio-transport/pending-send-fails-when-process-exits",
                   test_pending_send_fails_when_process_exits);
  g_test_add_func ("/mcp/stdio-transport/close-kills-child-ignoring-sigterm",
                   test_close_kills_stubborn_child);
  g_test_add_func ("/mcp/stdio-transport/close-terminates-child-ignoring-eof",
                   test_close_terminates_child_ignoring_eof);
  g_test_add_func ("/mcp/stdio-transport/dropped-transport-stops-child",
                   test_dropped_transport_stops_child);
  g_test_add_func ("/mcp/stdio-transport/stdout-closed-stops-child",
                   test_stdout_closed_stops_child);
  g_test_add_func ("/mcp/stdio-transport/cannot-start", test_cannot_start);
  g_test_add_func ("/mcp/stdio-transport/cannot-start-in-missing-directory",
                   test_cannot_start_in_missing_directory);
  g_test_add_func ("/mcp/stdio-transport/environment-and-working-directory",
                   test_environment_and_working_directory);
  g_test_add_func ("/mcp/stdio-transport/path-from-environment", test_path_from_environment);

  return g_test_run ();
}
