/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "mcp-client.h"
#include "mcp-http-transport.h"

#include "client-test-util.h"

/* McpClient against real peers: connecting in each era, request timeouts, progress and
 * cancellation, ping, close, and a Streamable HTTP session the server forgot. */

static void
test_connect_falls_back_to_initialize (Fixture       *f,
                                       gconstpointer  data)
{
  JsonObject *info;
  McpMessage *first;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  /* The era probe went first; the 2025 server refused it and got initialize. */
  first = g_ptr_array_index (f->sent, 0);
  g_assert_cmpstr (mcp_message_get_method (first), ==, "server/discover");
  g_assert_nonnull (find_sent (f, "initialize"));
  g_assert_nonnull (find_sent (f, "notifications/initialized"));

  g_assert_cmpint (mcp_client_get_active_era (f->client), ==, MCP_ERA_LEGACY);
  g_assert_cmpstr (mcp_client_get_protocol_version (f->client), ==, "2025-11-25");
  info = mcp_client_get_server_info (f->client);
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "mcp-servers/everything");
  g_assert_true (mcp_client_server_has_capability (f->client, "tools"));
  g_assert_true (mcp_client_server_has_capability (f->client, "resources"));
  g_assert_nonnull (mcp_client_get_instructions (f->client));
}

static void
test_legacy_era_sends_initialize_first (Fixture       *f,
                                        gconstpointer  data)
{
  McpMessage *first;
  JsonObject *params;

  if (!fixture_connect (f, MCP_ERA_LEGACY, FALSE, FALSE, TRUE))
    return;

  first = g_ptr_array_index (f->sent, 0);
  g_assert_cmpstr (mcp_message_get_method (first), ==, "initialize");
  params = mcp_message_get_params (first);
  g_assert_cmpstr (json_object_get_string_member (params, "protocolVersion"), ==, "2025-11-25");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (params, "clientInfo"), "name"),
                   ==, "tether-test");
  /* Only the capability a handler was promised for. */
  g_assert_true (json_object_has_member (json_object_get_object_member (params, "capabilities"),
                                         "roots"));
  g_assert_false (json_object_has_member (json_object_get_object_member (params,
                                                                         "capabilities"),
                                          "sampling"));
}

static void
test_modern_era_fails_against_2025_server (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_MODERN, FALSE, FALSE, FALSE))
    return;

  /* server-everything answers server/discover with -32601: no modern server, no fallback. */
  g_assert_error (f->connect_error, MCP_CLIENT_ERROR, MCP_JSONRPC_METHOD_NOT_FOUND);
  g_assert_true (mcp_client_error_is_remote (f->connect_error));
  g_assert_cmpint (mcp_client_get_state (f->client), ==, MCP_CLIENT_STATE_CLOSED);
  g_assert_null (find_sent (f, "initialize"));

  /* Requests after a failed connect fail at once. */
  mcp_client_ping_async (f->client, NULL, store_result, &result);
  wait_for (&result, 5);
  g_assert_false (mcp_client_ping_finish (f->client, result, &error));
  g_assert_error (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_NOT_CONNECTED);
  f->closed = TRUE;
}

static void
on_progress_func (double      progress,
                  double      total,
                  const char *message,
                  gpointer    user_data)
{
  guint *count = user_data;

  g_assert_cmpfloat (total, ==, 3);
  (*count)++;
  g_assert_cmpfloat (progress, ==, *count);
}

static void
test_progress_from_long_running_tool (Fixture       *f,
                                      gconstpointer  data)
{
  McpRequestOptions options = { 0, };
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  McpMessage *call;
  guint count = 0;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  /* Each step takes 0.4 s; a 1 s timeout would expire without progress restarting it. */
  options.timeout_ms = 1000;
  options.progress = TRUE;
  options.progress_func = on_progress_func;
  options.progress_data = &count;
  reply = call_tool (f, "trigger-long-running-operation", "{\"duration\": 1.2, \"steps\": 3}",
                     &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "Long running operation completed"));
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (f->progress->len, ==, 3);

  call = find_sent (f, "tools/call");
  g_assert_true (json_object_has_member (
                   json_object_get_object_member (mcp_message_get_params (call), "_meta"),
                   "progressToken"));
}

static void
test_timeout_sends_cancelled (Fixture       *f,
                              gconstpointer  data)
{
  McpRequestOptions options = { 0, };
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) echo = NULL;
  g_autoptr(GError) error = NULL;
  McpMessage *call, *cancelled;
  JsonObject *params;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  options.timeout_ms = 300;
  reply = call_tool (f, "trigger-long-running-operation", "{\"duration\": 3, \"steps\": 3}",
                     &options, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_TIMEOUT);

  call = find_sent (f, "tools/call");
  cancelled = find_sent (f, "notifications/cancelled");
  g_assert_nonnull (cancelled);
  params = mcp_message_get_params (cancelled);
  g_assert_cmpint (json_object_get_int_member (params, "requestId"), ==,
                   json_node_get_int (mcp_message_get_id (call)));
  g_assert_nonnull (json_object_get_string_member (params, "reason"));

  /* The connection carries on. */
  g_clear_error (&error);
  echo = call_tool (f, "echo", "{\"message\": \"still here\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_text (echo), ==, "Echo: still here");
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancellation (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  start = g_get_monotonic_time ();
  g_timeout_add (200, cancel_later, cancellable);
  reply = call_tool (f, "trigger-long-running-operation", "{\"duration\": 5, \"steps\": 5}",
                     NULL, cancellable, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_nonnull (find_sent (f, "notifications/cancelled"));

  g_clear_error (&error);
  g_clear_pointer (&reply, json_object_unref);
  reply = call_tool (f, "echo", "{\"message\": \"after\"}", NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_ping (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_ping_async (f->client, NULL, store_result, &result);
  wait_for (&result, 10);
  g_assert_true (mcp_client_ping_finish (f->client, result, &error));
  g_assert_no_error (error);
}

static void
test_close_fails_pending_requests (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) call = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) arguments = json_object_new ();

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  json_object_set_int_member (arguments, "duration", 5);
  mcp_client_call_tool_async (f->client, "trigger-long-running-operation", arguments, NULL,
                              NULL, store_result, &call);
  mcp_client_close_async (f->client, NULL, store_result, &closed);
  wait_for (&call, 10);
  reply = mcp_client_call_tool_finish (f->client, call, &error);
  g_assert_null (reply);
  g_assert_error (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_CLOSED);
  g_assert_true (f->closed);
  wait_for (&closed, 10);
  g_assert_true (mcp_client_close_finish (f->client, closed, NULL));
  g_assert_cmpint (mcp_client_get_state (f->client), ==, MCP_CLIENT_STATE_CLOSED);
}

static gboolean
has_log_containing (Fixture    *f,
                    const char *text)
{
  for (guint i = 0; i < f->logs->len; i++)
    if (strstr (g_ptr_array_index (f->logs, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_expired_session_is_recreated (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(SoupMessage) delete = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_session = NULL;
  McpHttpTransport *transport;

  if (!fixture_connect_http (f))
    return;
  transport = MCP_HTTP_TRANSPORT (mcp_client_get_transport (f->client));
  g_assert_cmpstr (mcp_http_transport_get_protocol_version (transport), ==, "2025-11-25");

  before = call_tool (f, "echo", "{\"message\": \"one\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  old_session = g_strdup (mcp_http_transport_get_session_id (transport));
  g_assert_nonnull (old_session);

  /* Someone else ends the session: the server forgets it. */
  delete = soup_message_new ("DELETE", f->http_url);
  soup_message_headers_append (soup_message_get_request_headers (delete), "Mcp-Session-Id",
                               old_session);
  body = soup_session_send_and_read (http, delete, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (delete), ==, 200);

  /* The next call meets a 404, initializes a new session and goes through. */
  after = call_tool (f, "echo", "{\"message\": \"two\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_text (after), ==, "Echo: two");
  g_assert_cmpuint (count_sent (f, "initialize"), ==, 2);
  g_assert_true (has_log_containing (f, "forgot the session"));
  g_assert_cmpstr (mcp_http_transport_get_session_id (transport), !=, old_session);
}

static void
test_modern_discover_and_metadata (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  McpMessage *call;
  JsonObject *meta;

  if (!fixture_connect_modern (f, MCP_ERA_AUTO, FALSE))
    return;

  g_assert_cmpint (mcp_client_get_active_era (f->client), ==, MCP_ERA_MODERN);
  g_assert_cmpstr (mcp_client_get_protocol_version (f->client), ==, "2026-07-28");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->sent, 0)), ==,
                   "server/discover");
  g_assert_null (find_sent (f, "initialize"));
  g_assert_cmpstr (json_object_get_string_member (mcp_client_get_server_info (f->client),
                                                  "name"), ==, "tether-modern-peer");
  g_assert_cmpstr (mcp_client_get_instructions (f->client), ==, "A test peer.");

  reply = call_tool (f, "echo", "{\"message\": \"now\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_text (reply), ==, "Echo: now");

  /* Every request carries the version, the capabilities and who the client is. */
  call = find_sent (f, "tools/call");
  meta = json_object_get_object_member (mcp_message_get_params (call), "_meta");
  g_assert_cmpstr (json_object_get_string_member (meta,
                                                  "io.modelcontextprotocol/protocolVersion"),
                   ==, "2026-07-28");
  g_assert_true (json_object_has_member (meta, "io.modelcontextprotocol/clientCapabilities"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (meta, "io.modelcontextprotocol/clientInfo"),
                     "name"), ==, "tether-test");
}

static void
test_modern_cancellation_over_stdio (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect_modern (f, MCP_ERA_MODERN, FALSE))
    return;

  g_timeout_add (200, cancel_later, cancellable);
  reply = call_tool (f, "count", "{\"n\": 200}", NULL, cancellable, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* stdio has no stream to close: the 2026-07-28 era cancels with the notification too. */
  g_assert_nonnull (find_sent (f, "notifications/cancelled"));
}

static void
test_supported_versions (void)
{
  const char * const *versions = mcp_client_get_supported_versions ();

  g_assert_cmpstr (versions[0], ==, "2026-07-28");
  g_assert_true (g_strv_contains (versions, "2024-11-05"));
  g_assert_false (mcp_client_error_is_remote (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/client/supported-versions", test_supported_versions);

#define ADD(path, func) \
  g_test_add ("/mcp/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("connect/auto-falls-back-to-initialize", test_connect_falls_back_to_initialize);
  ADD ("connect/legacy-sends-initialize-first", test_legacy_era_sends_initialize_first);
  ADD ("connect/modern-fails-against-2025-server", test_modern_era_fails_against_2025_server);
  ADD ("request/progress-restarts-timeout", test_progress_from_long_running_tool);
  ADD ("request/timeout-sends-cancelled", test_timeout_sends_cancelled);
  ADD ("request/cancellable-cancels", test_cancellation);
  ADD ("ping", test_ping);
  ADD ("close/fails-pending-requests", test_close_fails_pending_requests);
  ADD ("session/expired-session-is-recreated", test_expired_session_is_recreated);
  ADD ("modern/discover-and-request-metadata", test_modern_discover_and_metadata);
  ADD ("modern/cancellation-over-stdio", test_modern_cancellation_over_stdio);

#undef ADD

  return g_test_run ();
}
