/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/socket.h>

#include "http-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                    */

gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* ------------------------------------------------------------------------------------------ */
/* What the server got                                                                        */

static void
request_free (gpointer data)
{
  Request *r = data;

  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  soup_message_headers_unref (r->headers);
  g_free (r->body);
  g_free (r);
}

const char *
request_header (Request    *r,
                const char *name)
{
  return soup_message_headers_get_one (r->headers, name);
}

static void
raw_conn_free (gpointer data)
{
  RawConn *c = data;

  g_cancellable_cancel (c->cancellable);
  if (!c->closed_by_us)
    g_socket_close (c->socket, NULL);
  g_clear_object (&c->cancellable);
  g_clear_object (&c->socket);
  g_clear_object (&c->stream);
  g_free (c);
}

RawConn *
raw_steal (Fixture           *f,
           SoupServerMessage *msg,
           const char        *head)
{
  RawConn *c = g_new0 (RawConn, 1);
  g_autoptr(GError) error = NULL;

  c->stream = soup_server_message_steal_connection (msg);
  g_assert_nonnull (c->stream);
  if (G_IS_SOCKET_CONNECTION (c->stream))
    c->socket = g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (c->stream)));
  else
    c->socket = g_object_ref (g_object_get_data (G_OBJECT (c->stream), "GSocket"));
  g_assert_nonnull (c->socket);
  c->cancellable = g_cancellable_new ();
  g_ptr_array_add (f->raw_conns, c);
  f->stolen = TRUE;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), head, strlen (head),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  return c;
}

void
raw_write (RawConn    *c,
           const char *data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), data, strlen (data),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

void
raw_write_chunk (RawConn    *c,
                 const char *data)
{
  g_autofree char *chunk = g_strdup_printf ("%zx\r\n%s\r\n", strlen (data), data);

  raw_write (c, chunk);
}

void
raw_close (RawConn *c)
{
  c->closed_by_us = TRUE;
  c->closed_at = g_get_monotonic_time ();
  g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
  g_socket_close (c->socket, NULL);
}

/* Breaks the connection the hard way (TCP RST), so the client's read fails. */
void
raw_reset (RawConn *c)
{
  struct linger hard = { .l_onoff = 1, .l_linger = 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (c->socket), SOL_SOCKET, SO_LINGER,
                               &hard, sizeof hard), ==, 0);
  c->closed_by_us = TRUE;
  c->closed_at = g_get_monotonic_time ();
  g_socket_close (c->socket, NULL);
}

gboolean
raw_reset_later (gpointer user_data)
{
  raw_reset (user_data);
  return G_SOURCE_REMOVE;
}

static void
raw_on_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  RawConn *c;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  c = user_data;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    c->closed_by_client = !c->closed_by_us;
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 1024, G_PRIORITY_DEFAULT,
                                     c->cancellable, raw_on_read, c);
}

/* Notices when the client drops the connection. */
void
raw_watch_client (RawConn *c)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (c->stream), 1024,
                                   G_PRIORITY_DEFAULT, c->cancellable, raw_on_read, c);
}

void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* What every scenario does unless it says otherwise: initialize opens session "sess-1",
 * notifications get 202, DELETE gets 200. */
static gboolean
respond_default (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message)
{
  if (g_str_equal (request->method, "DELETE"))
    {
      respond (msg, SOUP_STATUS_OK, NULL, NULL);
      return TRUE;
    }
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "initialize") == 0)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-11-25\","
        "\"capabilities\":{},\"serverInfo\":{\"name\":\"fake\",\"version\":\"1\"}}}",
        mcp_message_get_id_key (message) + 2);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "MCP-Session-Id", "sess-1");
      respond (msg, SOUP_STATUS_OK, "application/json", body);
      return TRUE;
    }
  if (message != NULL && mcp_message_get_kind (message) == MCP_MESSAGE_KIND_NOTIFICATION)
    {
      respond (msg, SOUP_STATUS_ACCEPTED, NULL, NULL);
      return TRUE;
    }
  return FALSE;
}

void
respond_echo_ok (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message)
{
  if (message != NULL && mcp_message_get_kind (message) == MCP_MESSAGE_KIND_REQUEST)
    {
      g_autofree char *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{}}",
                                               mcp_message_get_id_key (message) + 2);
      respond (msg, SOUP_STATUS_OK, "application/json", body);
    }
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  Request *r = g_new0 (Request, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(McpMessage) message = NULL;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  r->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->time = g_get_monotonic_time ();
  r->remote_port = g_inet_socket_address_get_port (
    G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)));
  g_ptr_array_add (f->requests, r);

  if (g_str_equal (r->method, "POST"))
    message = mcp_message_parse (r->body, -1, NULL);

  f->stolen = FALSE;
  if (f->respond != NULL)
    f->respond (f, msg, r, message);
  if (f->stolen)
    return;
  if (soup_server_message_get_status (msg) == 0 && !respond_default (f, msg, r, message))
    respond (msg, SOUP_STATUS_NOT_IMPLEMENTED, "text/plain", "scenario has no answer");
}

void
on_message (McpTransport *transport,
            McpMessage   *message,
            Fixture      *f)
{
  g_ptr_array_add (f->messages, g_object_ref (message));
}

void
on_closed (McpTransport *transport,
           const GError *error,
           Fixture      *f)
{
  f->closed_count++;
  g_clear_error (&f->closed_error);
  if (error != NULL)
    f->closed_error = g_error_copy (error);
}

void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Fixture      *f)
{
  g_test_message ("transport log (%d): %s", level, text);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *base = NULL;

  f->requests = g_ptr_array_new_with_free_func (request_free);
  f->raw_conns = g_ptr_array_new_with_free_func (raw_conn_free);
  f->messages = g_ptr_array_new_with_free_func (g_object_unref);

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_callback, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  base = g_uri_to_string (uris->data);
  f->mcp_url = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", "mcp", NULL);

  f->transport = mcp_http_transport_new (f->mcp_url);
  g_signal_connect (f->transport, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->transport, "closed", G_CALLBACK (on_closed), f);
  g_signal_connect (f->transport, "log", G_CALLBACK (on_log), f);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->transport != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
      WAIT_UNTIL (result != NULL, 10);
      g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, NULL));
      g_signal_handlers_disconnect_by_data (f->transport, f);
      g_clear_object (&f->transport);
    }
  g_ptr_array_unref (f->raw_conns);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  /* let cancelled operations finish and release what they hold */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_ptr_array_unref (f->messages);
  g_ptr_array_unref (f->requests);
  g_free (f->mcp_url);
  g_clear_error (&f->closed_error);
}

void
open_transport (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mcp_transport_open_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  mcp_transport_open_finish (MCP_TRANSPORT (f->transport), result, &error);
  g_assert_no_error (error);
}

gboolean
send_message (Fixture       *f,
              McpMessage    *message,
              GHashTable    *headers,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_http_transport_send_with_headers_async (f->transport, message, headers, cancellable,
                                              store_result, &result);
  WAIT_UNTIL (result != NULL, 20);
  return mcp_http_transport_send_with_headers_finish (f->transport, result, error);
}

McpMessage *
new_request (gint64      id,
             const char *method,
             const char *params_json)
{
  g_autoptr(JsonObject) params = NULL;

  if (params_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (params_json, NULL);
      g_assert_nonnull (node);
      params = json_object_ref (json_node_get_object (node));
    }
  return mcp_message_new_request_int (id, method, params);
}

void
initialize (Fixture *f)
{
  g_autoptr(McpMessage) request = new_request (1, "initialize", "{}");
  g_autoptr(GError) error = NULL;

  open_transport (f);
  send_message (f, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_http_transport_get_session_id (f->transport), ==, "sess-1");
  mcp_http_transport_set_protocol_version (f->transport, "2025-11-25");
  g_ptr_array_set_size (f->messages, 0);
}

guint
count_messages_with_id (Fixture    *f,
                        const char *key)
{
  guint n = 0;

  for (guint i = 0; i < f->messages->len; i++)
    if (g_strcmp0 (mcp_message_get_id_key (g_ptr_array_index (f->messages, i)), key) == 0)
      n++;
  return n;
}

Request *
find_request (Fixture    *f,
              const char *method,
              guint       nth)
{
  for (guint i = 0; i < f->requests->len; i++)
    {
      Request *r = g_ptr_array_index (f->requests, i);

      if (g_str_equal (r->method, method) && nth-- == 0)
        return r;
    }
  return NULL;
}
