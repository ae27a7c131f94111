/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "mcp-http-transport.h"
#include "mcp-stdio-transport.h"

#include "client-test-util.h"

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

void
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

void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Iterates the main context until *slot is set; fails the test after @seconds. */
GAsyncResult *
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

gboolean
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
gboolean
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
gboolean
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
gboolean
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

void
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

JsonObject *
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

const char *
first_text (JsonObject *result)
{
  JsonArray *content = json_object_get_array_member (result, "content");
  JsonObject *item;

  g_assert_nonnull (content);
  g_assert_cmpuint (json_array_get_length (content), >, 0);
  item = json_array_get_object_element (content, 0);
  return json_object_get_string_member (item, "text");
}

McpMessage *
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

guint
count_sent (Fixture    *f,
            const char *method)
{
  guint count = 0;

  for (guint i = 0; i < f->sent->len; i++)
    if (g_strcmp0 (mcp_message_get_method (g_ptr_array_index (f->sent, i)), method) == 0)
      count++;
  return count;
}
