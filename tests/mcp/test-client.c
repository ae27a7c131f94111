/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <libsoup/soup.h>

#include "mcp-client.h"
#include "mcp-http-transport.h"
#include "mcp-stdio-transport.h"

/*
 * McpClient against real servers (tests/peers, installed with npm; the tests skip when they
 * are missing): the reference server @modelcontextprotocol/server-everything (2025 era) over
 * stdio and Streamable HTTP, and tests/integration/modern-server.mjs on the official SDK v2
 * (2026-07-28) over stdio.
 */

typedef struct
{
  McpClient  *client;
  GPtrArray  *sent;       /* McpMessage */
  GPtrArray  *received;   /* McpMessage */
  GPtrArray  *progress;   /* char *: "token progress/total" */
  GPtrArray  *log_levels; /* char * */
  GPtrArray  *updated;    /* char *: resource URIs */
  GPtrArray  *server_requests; /* char *: methods seen */
  gboolean    closed;
  char       *sampling_reply;
  JsonObject *elicitation_content;
  char       *root_uri;
  gboolean    claim_nothing;
  GError     *connect_error;
  GPtrArray  *logs;       /* char *: the client's ::log lines */
  GSubprocess *http_server;
  char       *http_url;
} Fixture;

static char *
peer_path (const char *first,
           ...)
{
  va_list args;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "peers");
  g_ptr_array_add (parts, (gpointer) "node_modules");
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  while ((part = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static void
on_sent (McpClient  *client,
         McpMessage *message,
         Fixture    *f)
{
  g_ptr_array_add (f->sent, g_object_ref (message));
}

static void
on_received (McpClient  *client,
             McpMessage *message,
             Fixture    *f)
{
  g_ptr_array_add (f->received, g_object_ref (message));
}

static void
on_progress (McpClient  *client,
             const char *token,
             double      progress,
             double      total,
             const char *message,
             Fixture    *f)
{
  g_ptr_array_add (f->progress, g_strdup_printf ("%s %g/%g", token, progress, total));
}

static void
on_log_message (McpClient  *client,
                const char *level,
                const char *logger,
                JsonNode   *data,
                Fixture    *f)
{
  g_ptr_array_add (f->log_levels, g_strdup (level));
}

static void
on_resource_updated (McpClient  *client,
                     const char *uri,
                     Fixture    *f)
{
  g_ptr_array_add (f->updated, g_strdup (uri));
}

static void
on_log (McpClient   *client,
        McpLogLevel  level,
        const char  *text,
        Fixture     *f)
{
  g_ptr_array_add (f->logs, g_strdup (text));
}

static void
on_closed (McpClient    *client,
           const GError *error,
           Fixture      *f)
{
  f->closed = TRUE;
}

static gboolean
on_server_request (McpClient        *client,
                   McpServerRequest *request,
                   Fixture          *f)
{
  const char *method = mcp_server_request_get_method (request);
  g_autoptr(JsonObject) result = json_object_new ();

  g_ptr_array_add (f->server_requests, g_strdup (method));
  if (f->claim_nothing)
    return FALSE;

  if (g_str_equal (method, "sampling/createMessage") && f->sampling_reply != NULL)
    {
      JsonObject *content = json_object_new ();

      json_object_set_string_member (content, "type", "text");
      json_object_set_string_member (content, "text", f->sampling_reply);
      json_object_set_string_member (result, "role", "assistant");
      json_object_set_object_member (result, "content", content);
      json_object_set_string_member (result, "model", "test-model");
      json_object_set_string_member (result, "stopReason", "endTurn");
      mcp_server_request_respond (request, result);
      return TRUE;
    }
  if (g_str_equal (method, "elicitation/create") && f->elicitation_content != NULL)
    {
      json_object_set_string_member (result, "action", "accept");
      json_object_set_object_member (result, "content",
                                     json_object_ref (f->elicitation_content));
      mcp_server_request_respond (request, result);
      return TRUE;
    }
  if (g_str_equal (method, "roots/list") && f->root_uri != NULL)
    {
      JsonArray *roots = json_array_new ();
      JsonObject *root = json_object_new ();

      json_object_set_string_member (root, "uri", f->root_uri);
      json_object_set_string_member (root, "name", "test-root");
      json_array_add_object_element (roots, root);
      json_object_set_array_member (result, "roots", roots);
      mcp_server_request_respond (request, result);
      return TRUE;
    }
  return FALSE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sent = g_ptr_array_new_with_free_func (g_object_unref);
  f->received = g_ptr_array_new_with_free_func (g_object_unref);
  f->progress = g_ptr_array_new_with_free_func (g_free);
  f->log_levels = g_ptr_array_new_with_free_func (g_free);
  f->updated = g_ptr_array_new_with_free_func (g_free);
  f->server_requests = g_ptr_array_new_with_free_func (g_free);
  f->logs = g_ptr_array_new_with_free_func (g_free);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Iterates the main context until *slot is set; fails the test after @seconds. */
static GAsyncResult *
wait_for (GAsyncResult **slot,
          guint          seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for an asynchronous result");
      g_main_context_iteration (NULL, FALSE);
      if (*slot == NULL)
        g_usleep (1000);
    }
  return *slot;
}

static gboolean
wait_until (gboolean (*predicate) (Fixture *f),
            Fixture  *f,
            guint     seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!predicate (f))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static void
connect_client (Fixture      *f,
                McpTransport *transport,
                McpEra        era,
                gboolean      sampling,
                gboolean      elicitation,
                gboolean      roots)
{
  g_autoptr(GAsyncResult) result = NULL;

  f->client = mcp_client_new (transport);
  mcp_client_set_era (f->client, era);
  mcp_client_set_client_info (f->client, "tether-test", "1.0");
  mcp_client_set_enable_sampling (f->client, sampling);
  mcp_client_set_enable_elicitation (f->client, elicitation);
  mcp_client_set_enable_roots (f->client, roots);

  g_signal_connect (f->client, "message-sent", G_CALLBACK (on_sent), f);
  g_signal_connect (f->client, "message-received", G_CALLBACK (on_received), f);
  g_signal_connect (f->client, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (f->client, "log-message", G_CALLBACK (on_log_message), f);
  g_signal_connect (f->client, "resource-updated", G_CALLBACK (on_resource_updated), f);
  g_signal_connect (f->client, "server-request", G_CALLBACK (on_server_request), f);
  g_signal_connect (f->client, "log", G_CALLBACK (on_log), f);
  g_signal_connect (f->client, "closed", G_CALLBACK (on_closed), f);

  mcp_client_connect_async (f->client, NULL, store_result, &result);
  wait_for (&result, 60);
  mcp_client_connect_finish (f->client, result, &f->connect_error);
}

/* Starts server-everything over stdio and connects; FALSE (and the test skipped) when the
 * peer is missing. */
static gboolean
fixture_connect (Fixture *f,
                 McpEra   era,
                 gboolean sampling,
                 gboolean elicitation,
                 gboolean roots)
{
  g_autofree char *node = peer_path ("node", "bin", "node", NULL);
  g_autofree char *server = peer_path ("@modelcontextprotocol", "server-everything", "dist",
                                       "index.js", NULL);
  const char *argv[] = { node, server, NULL };
  g_autoptr(McpStdioTransport) transport = NULL;

  if (!g_file_test (node, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (server, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("server-everything is not installed (npm ci in tests/peers)");
      return FALSE;
    }

  transport = mcp_stdio_transport_new (argv);
  connect_client (f, MCP_TRANSPORT (transport), era, sampling, elicitation, roots);
  if (era != MCP_ERA_MODERN)
    {
      g_assert_no_error (f->connect_error);
      g_assert_cmpint (mcp_client_get_state (f->client), ==, MCP_CLIENT_STATE_CONNECTED);
    }
  return TRUE;
}

/* The 2026-07-28 peer (official SDK v2) over stdio. */
static gboolean
fixture_connect_modern (Fixture *f,
                        McpEra   era,
                        gboolean elicitation)
{
  g_autofree char *node = peer_path ("node", "bin", "node", NULL);
  g_autofree char *sdk = peer_path ("@modelcontextprotocol", "server", "package.json", NULL);
  g_autofree char *server = g_build_filename (g_test_get_dir (G_TEST_DIST), "integration",
                                              "modern-server.mjs", NULL);
  const char *argv[] = { node, server, "stdio", NULL };
  g_autoptr(McpStdioTransport) transport = NULL;

  if (!g_file_test (node, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test (sdk, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("@modelcontextprotocol/server is not installed (npm ci in tests/peers)");
      return FALSE;
    }

  transport = mcp_stdio_transport_new (argv);
  connect_client (f, MCP_TRANSPORT (transport), era, FALSE, elicitation, FALSE);
  g_assert_no_error (f->connect_error);
  return TRUE;
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The peer ends with the test program, even when a failed assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* tests/integration/session-server.mjs (2025 era, sessions, 404 for a forgotten one) over
 * Streamable HTTP on a port of its own, then connects. */
static gboolean
fixture_connect_http (Fixture *f)
{
  g_autofree char *node = peer_path ("node", "bin", "node", NULL);
  g_autofree char *sdk = peer_path ("@modelcontextprotocol", "sdk", "package.json", NULL);
  g_autofree char *server = g_build_filename (g_test_get_dir (G_TEST_DIST), "integration",
                                              "session-server.mjs", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(McpHttpTransport) transport = NULL;
  g_autoptr(GSocketClient) probe = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  gint64 deadline;
  guint16 port;

  if (!g_file_test (node, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test (sdk, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("@modelcontextprotocol/sdk is not installed (npm ci in tests/peers)");
      return FALSE;
    }

  port = free_port ();
  port_text = g_strdup_printf ("%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "PORT", port_text, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->http_server = g_subprocess_launcher_spawn (launcher, &error, node, server, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (probe, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }

  f->http_url = g_strdup_printf ("http://127.0.0.1:%u/mcp", port);
  transport = mcp_http_transport_new (f->http_url);
  connect_client (f, MCP_TRANSPORT (transport), MCP_ERA_AUTO, FALSE, FALSE, FALSE);
  g_assert_no_error (f->connect_error);
  return TRUE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->client != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      mcp_client_close_async (f->client, NULL, store_result, &result);
      wait_for (&result, 10);
      mcp_client_close_finish (f->client, result, &error);
      g_assert_no_error (error);
      g_assert_true (f->closed);
      g_clear_object (&result);
      g_assert_finalize_object (f->client);
    }
  g_ptr_array_unref (f->sent);
  g_ptr_array_unref (f->received);
  g_ptr_array_unref (f->progress);
  g_ptr_array_unref (f->log_levels);
  g_ptr_array_unref (f->updated);
  g_ptr_array_unref (f->server_requests);
  g_free (f->sampling_reply);
  g_clear_pointer (&f->elicitation_content, json_object_unref);
  g_free (f->root_uri);
  g_clear_error (&f->connect_error);
  g_ptr_array_unref (f->logs);
  if (f->http_server != NULL)
    {
      g_subprocess_send_signal (f->http_server, SIGTERM);
      g_subprocess_wait (f->http_server, NULL, NULL);
      g_clear_object (&f->http_server);
    }
  g_free (f->http_url);
}

static JsonObject *
call_tool (Fixture                 *f,
           const char              *name,
           const char              *arguments_json,
           const McpRequestOptions *options,
           GCancellable            *cancellable,
           GError                 **error)
{
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (arguments_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (arguments_json, NULL);

      g_assert_nonnull (node);
      arguments = json_object_ref (json_node_get_object (node));
    }
  mcp_client_call_tool_async (f->client, name, arguments, options, cancellable, store_result,
                              &result);
  wait_for (&result, 30);
  return mcp_client_call_tool_finish (f->client, result, error);
}

static const char *
first_text (JsonObject *result)
{
  JsonArray *content = json_object_get_array_member (result, "content");
  JsonObject *item;

  g_assert_nonnull (content);
  g_assert_cmpuint (json_array_get_length (content), >, 0);
  item = json_array_get_object_element (content, 0);
  return json_object_get_string_member (item, "text");
}

static McpMessage *
find_sent (Fixture    *f,
           const char *method)
{
  for (guint i = 0; i < f->sent->len; i++)
    {
      McpMessage *message = g_ptr_array_index (f->sent, i);

      if (g_strcmp0 (mcp_message_get_method (message), method) == 0)
        return message;
    }
  return NULL;
}

/* Tests */

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
test_list_tools_and_call_echo (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_tools_async (f->client, NULL, store_result, &result);
  wait_for (&result, 10);
  tools = mcp_client_list_tools_finish (f->client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (tools); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                  "name"), "echo") == 0)
      found = TRUE;
  g_assert_true (found);
  g_assert_nonnull (mcp_client_lookup_tool (f->client, "echo"));
  /* Without the sampling capability the server does not offer its sampling tool. */
  g_assert_null (mcp_client_lookup_tool (f->client, "trigger-sampling-request"));

  reply = call_tool (f, "echo", "{\"message\": \"héllo\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_text (reply), ==, "Echo: héllo");
}

static void
test_unknown_tool_is_a_remote_error (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  /* The SDK answers an unknown tool either way; both must come back readable. */
  reply = call_tool (f, "no-such-tool", "{}", NULL, NULL, &error);
  if (reply != NULL)
    {
      g_assert_true (json_object_get_boolean_member (reply, "isError"));
      g_assert_nonnull (strstr (first_text (reply), "no-such-tool"));
    }
  else
    {
      g_assert_true (error->domain == MCP_CLIENT_ERROR);
      g_assert_true (mcp_client_error_is_remote (error));
      g_assert_cmpint (error->code, <, 0);
    }
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
test_sampling_answered_by_handler (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  f->sampling_reply = g_strdup ("Paris, said the handler");
  if (!fixture_connect (f, MCP_ERA_AUTO, TRUE, FALSE, FALSE))
    return;

  reply = call_tool (f, "trigger-sampling-request", "{\"prompt\": \"Capital of France?\"}",
                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "Paris, said the handler"));
  g_assert_cmpuint (f->server_requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->server_requests, 0), ==, "sampling/createMessage");
}

static void
test_unclaimed_request_gets_method_not_found (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean answered = FALSE;

  f->claim_nothing = TRUE;
  if (!fixture_connect (f, MCP_ERA_AUTO, TRUE, FALSE, FALSE))
    return;

  reply = call_tool (f, "trigger-sampling-request", "{\"prompt\": \"x\"}", NULL, NULL, &error);
  /* The server's tool fails because our answer was an error. */
  g_assert_true (reply == NULL ||
                 json_object_get_boolean_member_with_default (reply, "isError", FALSE));
  for (guint i = 0; i < f->sent->len; i++)
    {
      McpMessage *message = g_ptr_array_index (f->sent, i);

      if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_ERROR &&
          mcp_message_get_error_code (message) == -32601)
        answered = TRUE;
    }
  g_assert_true (answered);
}

static void
test_elicitation_answered_by_handler (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) all_text = g_string_new (NULL);
  JsonArray *content;

  f->elicitation_content = json_object_new ();
  json_object_set_string_member (f->elicitation_content, "name", "Ada Lovelace");
  json_object_set_boolean_member (f->elicitation_content, "check", TRUE);
  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, TRUE, FALSE))
    return;

  reply = call_tool (f, "trigger-elicitation-request", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  content = json_object_get_array_member (reply, "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *item = json_array_get_object_element (content, i);

      if (json_object_has_member (item, "text"))
        g_string_append (all_text, json_object_get_string_member (item, "text"));
    }
  g_assert_nonnull (strstr (all_text->str, "Ada Lovelace"));
}

static void
test_roots_listed_by_handler (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  f->root_uri = g_strdup ("file:///tmp/tether-test-root");
  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, TRUE))
    return;

  reply = call_tool (f, "get-roots-list", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "file:///tmp/tether-test-root"));
  g_assert_true (g_ptr_array_find_with_equal_func (f->server_requests, "roots/list",
                                                   g_str_equal, NULL));
}

static gboolean
has_log_message (Fixture *f)
{
  return f->log_levels->len > 0;
}

static void
test_logging_level_and_messages (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_set_logging_level_async (f->client, "debug", NULL, store_result, &result);
  wait_for (&result, 10);
  g_assert_true (mcp_client_set_logging_level_finish (f->client, result, &error));
  g_assert_no_error (error);

  reply = call_tool (f, "toggle-simulated-logging", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (has_log_message, f, 10));
  g_assert_nonnull (g_ptr_array_index (f->log_levels, 0));
}

static gboolean
has_update (Fixture *f)
{
  return f->updated->len > 0;
}

static void
test_resources_read_and_subscribe (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) templates_listed = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GAsyncResult) subscribed = NULL;
  g_autoptr(GAsyncResult) unsubscribed = NULL;
  g_autoptr(JsonArray) resources = NULL;
  g_autoptr(JsonArray) templates = NULL;
  g_autoptr(JsonObject) contents = NULL;
  g_autoptr(JsonObject) toggled = NULL;
  g_autoptr(GError) error = NULL;
  const char *uri;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_resources_async (f->client, NULL, store_result, &listed);
  wait_for (&listed, 10);
  resources = mcp_client_list_resources_finish (f->client, listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (resources), >, 0);
  uri = json_object_get_string_member (json_array_get_object_element (resources, 0), "uri");

  mcp_client_list_resource_templates_async (f->client, NULL, store_result, &templates_listed);
  wait_for (&templates_listed, 10);
  templates = mcp_client_list_resource_templates_finish (f->client, templates_listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (templates), >, 0);

  mcp_client_read_resource_async (f->client, uri, NULL, store_result, &read);
  wait_for (&read, 10);
  contents = mcp_client_read_resource_finish (f->client, read, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (contents, "contents"), 0), "uri"),
                   ==, uri);

  mcp_client_subscribe_resource_async (f->client, uri, NULL, store_result, &subscribed);
  wait_for (&subscribed, 10);
  g_assert_true (mcp_client_subscribe_resource_finish (f->client, subscribed, &error));
  g_assert_no_error (error);

  toggled = call_tool (f, "toggle-subscriber-updates", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (has_update, f, 10));
  g_assert_cmpstr (g_ptr_array_index (f->updated, 0), ==, uri);

  mcp_client_unsubscribe_resource_async (f->client, uri, NULL, store_result, &unsubscribed);
  wait_for (&unsubscribed, 10);
  g_assert_true (mcp_client_unsubscribe_resource_finish (f->client, unsubscribed, &error));
  g_assert_no_error (error);
}

static void
test_prompts_and_completion (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) completed = NULL;
  g_autoptr(JsonArray) prompts = NULL;
  g_autoptr(JsonObject) arguments = json_object_new ();
  g_autoptr(JsonObject) prompt = NULL;
  g_autoptr(JsonObject) ref = json_object_new ();
  g_autoptr(JsonObject) completion = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *message;
  JsonArray *values;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_prompts_async (f->client, NULL, store_result, &listed);
  wait_for (&listed, 10);
  prompts = mcp_client_list_prompts_finish (f->client, listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (prompts), >, 0);

  json_object_set_string_member (arguments, "city", "Lyon");
  mcp_client_get_prompt_async (f->client, "args-prompt", arguments, NULL, store_result, &got);
  wait_for (&got, 10);
  prompt = mcp_client_get_prompt_finish (f->client, got, &error);
  g_assert_no_error (error);
  message = json_array_get_object_element (json_object_get_array_member (prompt, "messages"),
                                           0);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (message, "content"), "text"),
                            "Lyon"));

  json_object_set_string_member (ref, "type", "ref/prompt");
  json_object_set_string_member (ref, "name", "completable-prompt");
  mcp_client_complete_async (f->client, ref, "department", "Eng", NULL, NULL, store_result,
                             &completed);
  wait_for (&completed, 10);
  completion = mcp_client_complete_finish (f->client, completed, &error);
  g_assert_no_error (error);
  values = json_object_get_array_member (completion, "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (values, 0), ==, "Engineering");
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

static guint
count_sent (Fixture    *f,
            const char *method)
{
  guint count = 0;

  for (guint i = 0; i < f->sent->len; i++)
    if (g_strcmp0 (mcp_message_get_method (g_ptr_array_index (f->sent, i)), method) == 0)
      count++;
  return count;
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
test_list_follows_pages (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "echo", "one", "two", "three", "four" };

  if (!fixture_connect_http (f))
    return;

  mcp_client_list_tools_async (f->client, NULL, store_result, &result);
  wait_for (&result, 10);
  tools = mcp_client_list_tools_finish (f->client, result, &error);
  g_assert_no_error (error);

  /* Three pages of two, two and one tools, in order. */
  g_assert_cmpuint (json_array_get_length (tools), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                    "name"), ==, expected[i]);
  g_assert_cmpuint (count_sent (f, "tools/list"), ==, 3);
  g_assert_nonnull (mcp_client_lookup_tool (f->client, "four"));
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
test_modern_input_required_answered_by_handler (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  McpMessage *first = NULL, *retry = NULL;
  JsonObject *params;

  f->elicitation_content = json_object_new ();
  json_object_set_boolean_member (f->elicitation_content, "ok", TRUE);
  if (!fixture_connect_modern (f, MCP_ERA_MODERN, TRUE))
    return;

  reply = call_tool (f, "confirm", "{\"action\": \"deploy\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "confirmed deploy: {\"ok\":true}"));
  g_assert_nonnull (strstr (first_text (reply), "state-for-deploy"));
  g_assert_cmpuint (f->server_requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->server_requests, 0), ==, "elicitation/create");

  /* The retry is a new request carrying the answers and the server's state verbatim. */
  for (guint i = 0; i < f->sent->len; i++)
    {
      McpMessage *message = g_ptr_array_index (f->sent, i);

      if (g_strcmp0 (mcp_message_get_method (message), "tools/call") != 0)
        continue;
      if (first == NULL)
        first = message;
      else
        retry = message;
    }
  g_assert_nonnull (retry);
  g_assert_cmpstr (mcp_message_get_id_key (first), !=, mcp_message_get_id_key (retry));
  params = mcp_message_get_params (retry);
  g_assert_cmpstr (json_object_get_string_member (params, "requestState"), ==,
                   "state-for-deploy");
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (
                     json_object_get_object_member (
                       json_object_get_object_member (params, "inputResponses"), "confirm"),
                     "content"), "ok"));
  g_assert_false (json_object_has_member (mcp_message_get_params (first), "requestState"));
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
test_server_request_object (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) id = json_node_new (JSON_NODE_VALUE);
  g_autoptr(McpServerRequest) request = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  int code = 0;
  const char *message = NULL;

  json_node_set_int (id, 7);
  request = mcp_server_request_new ("roots/list", params, id, NULL);
  g_assert_cmpstr (mcp_server_request_get_method (request), ==, "roots/list");
  g_assert_cmpint (json_node_get_int (mcp_server_request_get_id (request)), ==, 7);
  g_assert_false (mcp_server_request_get_responded (request));
  g_assert_false (mcp_server_request_get_error (request, &code, &message, NULL));

  mcp_server_request_respond (request, result);
  g_assert_true (mcp_server_request_get_responded (request));
  g_assert_true (mcp_server_request_get_result (request) == result);

  g_clear_object (&request);
  request = mcp_server_request_new ("sampling/createMessage", NULL, NULL, "k1");
  g_assert_cmpstr (mcp_server_request_get_input_key (request), ==, "k1");
  g_assert_cmpuint (json_object_get_size (mcp_server_request_get_params (request)), ==, 0);
  mcp_server_request_cancel (request, "gone");
  g_assert_true (g_cancellable_is_cancelled (mcp_server_request_get_cancellable (request)));
  g_assert_cmpstr (mcp_server_request_get_cancel_reason (request), ==, "gone");
  mcp_server_request_respond_error (request, -1, "declined", NULL);
  g_assert_true (mcp_server_request_get_error (request, &code, &message, NULL));
  g_assert_cmpint (code, ==, -1);
  g_assert_cmpstr (message, ==, "declined");
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

  g_test_add_func ("/mcp/client/server-request/answers-once", test_server_request_object);
  g_test_add_func ("/mcp/client/supported-versions", test_supported_versions);

#define ADD(path, func) \
  g_test_add ("/mcp/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("connect/auto-falls-back-to-initialize", test_connect_falls_back_to_initialize);
  ADD ("connect/legacy-sends-initialize-first", test_legacy_era_sends_initialize_first);
  ADD ("connect/modern-fails-against-2025-server", test_modern_era_fails_against_2025_server);
  ADD ("tools/list-and-call-echo", test_list_tools_and_call_echo);
  ADD ("tools/unknown-tool-is-reported", test_unknown_tool_is_a_remote_error);
  ADD ("request/progress-restarts-timeout", test_progress_from_long_running_tool);
  ADD ("request/timeout-sends-cancelled", test_timeout_sends_cancelled);
  ADD ("request/cancellable-cancels", test_cancellation);
  ADD ("server-request/sampling-answered-by-handler", test_sampling_answered_by_handler);
  ADD ("server-request/unclaimed-gets-method-not-found",
       test_unclaimed_request_gets_method_not_found);
  ADD ("server-request/elicitation-answered-by-handler", test_elicitation_answered_by_handler);
  ADD ("server-request/roots-listed-by-handler", test_roots_listed_by_handler);
  ADD ("logging/level-and-messages", test_logging_level_and_messages);
  ADD ("resources/read-and-subscribe", test_resources_read_and_subscribe);
  ADD ("prompts/get-and-complete", test_prompts_and_completion);
  ADD ("ping", test_ping);
  ADD ("close/fails-pending-requests", test_close_fails_pending_requests);
  ADD ("session/expired-session-is-recreated", test_expired_session_is_recreated);
  ADD ("tools/list-follows-pages", test_list_follows_pages);
  ADD ("modern/discover-and-request-metadata", test_modern_discover_and_metadata);
  ADD ("modern/input-required-answered-by-handler",
       test_modern_input_required_answered_by_handler);
  ADD ("modern/cancellation-over-stdio", test_modern_cancellation_over_stdio);

#undef ADD

  return g_test_run ();
}
