/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpStdioTransport carrying messages: both ways and in order, large ones, malformed and
 * over-limit lines, against tests/helpers/mcp-test-peer and, when installed, server-everything
 * from tests/peers. The child process's life (exit, signals, closing, environment) is in
 * test-stdio-transport-process.c.
 */
#include <string.h>

#include "stdio-transport-test-util.h"

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
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/stdio-transport/round-trip", test_round_trip);
  g_test_add_func ("/mcp/stdio-transport/send-before-open-fails", test_send_before_open);
  g_test_add_func ("/mcp/stdio-transport/many-sends-keep-order", test_many_sends_keep_order);
  g_test_add_func ("/mcp/stdio-transport/large-message-keeps-order",
                   test_large_message_keeps_order);
  g_test_add_func ("/mcp/stdio-transport/malformed-line-logged-and-skipped",
                   test_malformed_line_skipped);
  g_test_add_func ("/mcp/stdio-transport/over-limit-line-closes", test_over_limit_closes);
  g_test_add_func ("/mcp/stdio-transport/default-max-message-size",
                   test_default_max_message_size);
  g_test_add_func ("/mcp/stdio-transport/server-everything", test_server_everything);

  return g_test_run ();
}
