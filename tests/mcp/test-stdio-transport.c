/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpStdioTransport against real child processes: tests/helpers/mcp-test-peer (modes chosen by
 * its options) and, when installed, server-everything from tests/peers.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "mcp-stdio-transport.h"

typedef struct {
  McpLogLevel  level;
  char        *text;
} LogLine;

typedef struct {
  McpTransport *transport;
  GPtrArray    *messages;  /* McpMessage */
  GPtrArray    *logs;      /* LogLine */
  GError       *closed_error;
  guint         closed_count;
} Peer;

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @cond holds; fails the test after @seconds. */
#define WAIT_UNTIL(cond, seconds)                                                     \
  G_STMT_START {                                                                      \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    guint wake_id_ = g_timeout_add (20, wake_up, NULL);                               \
    while (!(cond))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > deadline_)                                      \
          g_error ("Timed out after %d s waiting for %s", (int) (seconds), #cond);    \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
    g_source_remove (wake_id_);                                                       \
  } G_STMT_END

static void
log_line_free (gpointer data)
{
  LogLine *line = data;

  g_free (line->text);
  g_free (line);
}

static void
on_message (McpTransport *transport,
            McpMessage   *message,
            Peer         *peer)
{
  g_ptr_array_add (peer->messages, g_object_ref (message));
}

static void
on_closed (McpTransport *transport,
           const GError *error,
           Peer         *peer)
{
  peer->closed_count++;
  g_clear_error (&peer->closed_error);
  if (error != NULL)
    peer->closed_error = g_error_copy (error);
}

static void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Peer         *peer)
{
  LogLine *line = g_new0 (LogLine, 1);

  line->level = level;
  line->text = g_strdup (text);
  g_ptr_array_add (peer->logs, line);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
test_peer_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "helpers", "mcp-test-peer", NULL);
}

static Peer *
peer_new_for_transport (McpStdioTransport *transport)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->transport = MCP_TRANSPORT (transport);
  peer->messages = g_ptr_array_new_with_free_func (g_object_unref);
  peer->logs = g_ptr_array_new_with_free_func (log_line_free);
  g_signal_connect (transport, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (transport, "closed", G_CALLBACK (on_closed), peer);
  g_signal_connect (transport, "log", G_CALLBACK (on_log), peer);

  return peer;
}

/* A transport for mcp-test-peer with @args (NULL-terminated), not opened yet. */
static Peer *
peer_new (const char *first_arg,
          ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *path = test_peer_path ();
  va_list args;

  g_strv_builder_add (builder, path);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);

  return peer_new_for_transport (mcp_stdio_transport_new ((const char * const *) argv));
}

static void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->transport, peer);
  g_object_unref (peer->transport);
  g_ptr_array_unref (peer->messages);
  g_ptr_array_unref (peer->logs);
  g_clear_error (&peer->closed_error);
  g_free (peer);
}

static gboolean
peer_open (Peer    *peer,
           GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_open_async (peer->transport, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 10);

  return mcp_transport_open_finish (peer->transport, result, error);
}

static void
peer_open_ok (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (peer_open (peer, &error));
  g_assert_no_error (error);
}

/* Closes and returns how long it took, in seconds. */
static double
peer_close (Peer *peer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  mcp_transport_close_async (peer->transport, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 15);
  g_assert_true (mcp_transport_close_finish (peer->transport, result, &error));
  g_assert_no_error (error);

  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static gboolean
peer_send (Peer        *peer,
           McpMessage  *message,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_send_async (peer->transport, message, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 10);

  return mcp_transport_send_finish (peer->transport, result, error);
}

static McpMessage *
peer_message (Peer  *peer,
              guint  index)
{
  g_assert_cmpuint (index, <, peer->messages->len);
  return g_ptr_array_index (peer->messages, index);
}

/* Index of the first log line at @level containing @text, or -1. */
static int
peer_find_log (Peer        *peer,
               McpLogLevel  level,
               const char  *text)
{
  for (guint i = 0; i < peer->logs->len; i++)
    {
      LogLine *line = g_ptr_array_index (peer->logs, i);

      if (line->level == level && strstr (line->text, text) != NULL)
        return (int) i;
    }

  return -1;
}

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
test_round_trip (void)
{
  Peer *peer = peer_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) request = NULL;
  g_autoptr(McpMessage) notification = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  McpMessage *echoed;
  double seconds;

  peer_open_ok (peer);

  json_object_set_string_member (params, "text", "héllo\nwith a newline");
  request = mcp_message_new_request_int (1, "tools/call", params);
  notification = mcp_message_new_notification ("notifications/initialized", NULL);

  g_assert_true (peer_send (peer, request, &error));
  g_assert_no_error (error);
  g_assert_true (peer_send (peer, notification, &error));
  g_assert_no_error (error);

  WAIT_UNTIL (peer->messages->len == 2, 10);

  echoed = peer_message (peer, 0);
  g_assert_cmpint (mcp_message_get_kind (echoed), ==, MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpstr (mcp_message_get_method (echoed), ==, "tools/call");
  g_assert_cmpint (json_node_get_int (mcp_message_get_id (echoed)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (mcp_message_get_params (echoed), "text"), ==,
                   "héllo\nwith a newline");

  echoed = peer_message (peer, 1);
  g_assert_cmpint (mcp_message_get_kind (echoed), ==, MCP_MESSAGE_KIND_NOTIFICATION);
  g_assert_cmpstr (mcp_message_get_method (echoed), ==, "notifications/initialized");

  /* The echo peer exits at stdin EOF: closing needs no signal. */
  seconds = peer_close (peer);
  g_assert_cmpfloat (seconds, <, 1.9);
  g_assert_cmpuint (peer->closed_count, ==, 1);
  g_assert_null (peer->closed_error);
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_INFO, "exited with status 0"), >=, 0);

  /* Closed for good: sending fails, closing again is harmless and emits nothing. */
  g_assert_false (peer_send (peer, request, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);
  peer_close (peer);
  g_assert_cmpuint (peer->closed_count, ==, 1);

  peer_free (peer);
}

static void
test_send_before_open (void)
{
  Peer *peer = peer_new (NULL);
  g_autoptr(McpMessage) notification = mcp_message_new_notification ("x", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (peer_send (peer, notification, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);

  peer_free (peer);
}

static GArray *completed_sends;

static void
on_sent_in_order (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint index = GPOINTER_TO_UINT (user_data);

  g_assert_true (mcp_transport_send_finish (MCP_TRANSPORT (source), result, &error));
  g_assert_no_error (error);
  g_array_append_val (completed_sends, index);
}

static void
test_many_sends_keep_order (void)
{
  Peer *peer = peer_new (NULL);
  const guint count = 300;

  completed_sends = g_array_new (FALSE, FALSE, sizeof (guint));

  peer_open_ok (peer);

  /* All queued at once: lines must neither interleave nor change order. */
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(McpMessage) request = NULL;
      g_autofree char *padding = g_strnfill (1000 + i * 37, 'a' + (char) (i % 26));

      json_object_set_string_member (params, "padding", padding);
      request = mcp_message_new_request_int (i, "echo", params);
      mcp_transport_send_async (peer->transport, request, NULL, on_sent_in_order,
                                GUINT_TO_POINTER (i));
    }

  WAIT_UNTIL (peer->messages->len == count && completed_sends->len == count, 20);

  for (guint i = 0; i < count; i++)
    g_assert_cmpuint (g_array_index (completed_sends, guint, i), ==, i);

  for (guint i = 0; i < count; i++)
    {
      McpMessage *echoed = peer_message (peer, i);
      const char *padding = json_object_get_string_member (mcp_message_get_params (echoed),
                                                           "padding");

      g_assert_cmpint (json_node_get_int (mcp_message_get_id (echoed)), ==, i);
      g_assert_cmpuint (strlen (padding), ==, 1000 + i * 37);
      g_assert_cmpint (padding[0], ==, 'a' + (char) (i % 26));
    }

  g_clear_pointer (&completed_sends, g_array_unref);
  peer_close (peer);
  peer_free (peer);
}

static void
test_large_message_keeps_order (void)
{
  const gsize huge = 3 * 1024 * 1024;
  g_autofree char *huge_arg = g_strdup_printf ("--huge=%" G_GSIZE_FORMAT, huge);
  Peer *peer = peer_new (huge_arg, NULL);
  g_autofree char *big_text = g_strnfill (2 * 1024 * 1024 + 17, 'z');
  const char *data;

  peer_open_ok (peer);

  /* From the server: a small message, one of 3 MiB (parsed in a thread), a small one. */
  WAIT_UNTIL (peer->messages->len == 3, 20);
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 0)), ==, "small-1");
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 1)), ==, "huge");
  data = json_object_get_string_member (mcp_message_get_params (peer_message (peer, 1)), "data");
  g_assert_cmpuint (strlen (data), ==, huge);
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 2)), ==, "small-2");

  /* Echoed back: small, large, small, all sent without waiting. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) params = json_object_new ();
      g_autoptr(McpMessage) request = NULL;

      json_object_set_string_member (params, "text", i == 1 ? big_text : "small");
      request = mcp_message_new_request_int (100 + i, "echo", params);
      mcp_transport_send_async (peer->transport, request, NULL, NULL, NULL);
    }

  WAIT_UNTIL (peer->messages->len == 6, 20);
  for (guint i = 0; i < 3; i++)
    {
      McpMessage *echoed = peer_message (peer, 3 + i);

      g_assert_cmpint (json_node_get_int (mcp_message_get_id (echoed)), ==, 100 + i);
      g_assert_cmpstr (json_object_get_string_member (mcp_message_get_params (echoed), "text"),
                       ==, i == 1 ? big_text : "small");
    }

  peer_close (peer);
  g_assert_cmpuint (peer->closed_count, ==, 1);
  g_assert_null (peer->closed_error);
  peer_free (peer);
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
test_malformed_line_skipped (void)
{
  Peer *peer = peer_new ("--malformed", NULL);
  g_autoptr(McpMessage) request = mcp_message_new_request_int (5, "still-there", NULL);
  g_autoptr(GError) error = NULL;
  LogLine *warning;
  int index;

  peer_open_ok (peer);

  WAIT_UNTIL (peer->messages->len == 1, 10);
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 0)), ==, "after-malformed");

  index = peer_find_log (peer, MCP_LOG_WARNING, "malformed");
  g_assert_cmpint (index, >=, 0);
  warning = g_ptr_array_index (peer->logs, index);
  g_assert_nonnull (strstr (warning->text, "this is not JSON"));

  /* Not fatal: the connection goes on. */
  g_assert_cmpuint (peer->closed_count, ==, 0);
  g_assert_true (peer_send (peer, request, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (peer->messages->len == 2, 10);
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 1)), ==, "still-there");

  peer_close (peer);
  peer_free (peer);
}

static void
test_over_limit_closes (void)
{
  Peer *peer = peer_new ("--huge=100000", "--ignore-eof", NULL);
  guint64 limit = 0;

  g_object_set (peer->transport, "max-message-size", (guint64) 4096, NULL);
  g_object_get (peer->transport, "max-message-size", &limit, NULL);
  g_assert_cmpuint (limit, ==, 4096);

  peer_open_ok (peer);
  WAIT_UNTIL (peer->closed_count > 0, 10);

  g_assert_error (peer->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (peer->closed_error->message, "4096"));
  g_assert_cmpint (peer_find_log (peer, MCP_LOG_ERROR, "larger than the limit"), >=, 0);

  /* What came before the huge line was delivered; nothing after it. */
  g_assert_cmpuint (peer->messages->len, ==, 1);
  g_assert_cmpstr (mcp_message_get_method (peer_message (peer, 0)), ==, "small-1");

  peer_free (peer);
}

static void
test_default_max_message_size (void)
{
  Peer *peer = peer_new (NULL);
  guint64 limit = 0;

  g_object_get (peer->transport, "max-message-size", &limit, NULL);
  g_assert_cmpuint (limit, ==, MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE);

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

static void
test_server_everything (void)
{
  g_autofree char *bin_dir = g_test_build_filename (G_TEST_DIST, "peers", "node_modules", ".bin",
                                                     NULL);
  g_autofree char *server = g_build_filename (bin_dir, "mcp-server-everything", NULL);
  g_autofree char *path = NULL;
  const char *argv[] = { server, NULL };
  const char *environment[2] = { NULL, NULL };
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) client_info = json_object_new ();
  g_autoptr(McpMessage) request = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *result = NULL;
  JsonObject *server_info;
  Peer *peer;

  if (!g_file_test (server, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("server-everything is not installed in tests/peers (npm ci there)");
      return;
    }

  /* Its "#!/usr/bin/env node" finds the pinned node from tests/peers first, if there is one. */
  path = g_strconcat ("PATH=", bin_dir, ":", g_getenv ("PATH"), NULL);
  environment[0] = path;

  peer = peer_new_for_transport (mcp_stdio_transport_new (argv));
  mcp_stdio_transport_set_environment (MCP_STDIO_TRANSPORT (peer->transport), environment);
  peer_open_ok (peer);

  json_object_set_string_member (client_info, "name", "tether-test");
  json_object_set_string_member (client_info, "version", "0.1.0");
  json_object_set_string_member (params, "protocolVersion", "2025-11-25");
  json_object_set_object_member (params, "capabilities", json_object_new ());
  json_object_set_object_member (params, "clientInfo", json_object_ref (client_info));
  request = mcp_message_new_request_int (1, "initialize", params);

  g_assert_true (peer_send (peer, request, &error));
  g_assert_no_error (error);

  WAIT_UNTIL (peer->messages->len >= 1 || peer->closed_count > 0, 30);
  g_assert_cmpuint (peer->closed_count, ==, 0);
  for (guint i = 0; i < peer->messages->len && result == NULL; i++)
    {
      McpMessage *message = peer_message (peer, i);

      if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_RESULT)
        {
          g_assert_cmpint (json_node_get_int (mcp_message_get_id (message)), ==, 1);
          result = mcp_message_get_result (message);
        }
    }
  g_assert_nonnull (result);
  g_assert_true (json_object_has_member (result, "serverInfo"));
  server_info = json_object_get_object_member (result, "serverInfo");
  g_assert_nonnull (server_info);
  g_assert_nonnull (json_object_get_string_member (server_info, "name"));

  /* It announces itself on stderr. */
  WAIT_UNTIL (peer_find_log (peer, MCP_LOG_INFO, "stderr: ") >= 0, 10);

  peer_close (peer);
  g_assert_cmpuint (peer->closed_count, ==, 1);
  g_assert_null (peer->closed_error);
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

  g_test_add_func ("/mcp/stdio-transport/round-trip", test_round_trip);
  g_test_add_func ("/mcp/stdio-transport/send-before-open-fails", test_send_before_open);
  g_test_add_func ("/mcp/stdio-transport/many-sends-keep-order", test_many_sends_keep_order);
  g_test_add_func ("/mcp/stdio-transport/large-message-keeps-order",
                   test_large_message_keeps_order);
  g_test_add_func ("/mcp/stdio-transport/stderr-lines-logged", test_stderr_logged);
  g_test_add_func ("/mcp/stdio-transport/exit-status-reported", test_exit_status_reported);
  g_test_add_func ("/mcp/stdio-transport/killed-by-signal-reported",
                   test_killed_by_signal_reported);
  g_test_add_func ("/mcp/stdio-transport/pending-send-fails-when-process-exits",
                   test_pending_send_fails_when_process_exits);
  g_test_add_func ("/mcp/stdio-transport/malformed-line-logged-and-skipped",
                   test_malformed_line_skipped);
  g_test_add_func ("/mcp/stdio-transport/over-limit-line-closes", test_over_limit_closes);
  g_test_add_func ("/mcp/stdio-transport/default-max-message-size",
                   test_default_max_message_size);
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
  g_test_add_func ("/mcp/stdio-transport/server-everything", test_server_everything);

  return g_test_run ();
}
