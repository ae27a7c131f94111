/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sse-transport-test-util.h"

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
/* The server                                                                                 */

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

void
raw_conn_free (RawConn *c)
{
  if (c == NULL)
    return;
  g_cancellable_cancel (c->cancellable);
  if (!c->closed_by_us)
    g_socket_close (c->socket, NULL);
  g_clear_object (&c->cancellable);
  g_clear_object (&c->socket);
  g_clear_object (&c->stream);
  g_free (c);
}

void
raw_write_chunk (RawConn    *c,
                 const char *data)
{
  g_autofree char *chunk = g_strdup_printf ("%zx\r\n%s\r\n", strlen (data), data);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), chunk, strlen (chunk),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

void
raw_close (RawConn *c)
{
  c->closed_by_us = TRUE;
  g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
  g_socket_close (c->socket, NULL);
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

const char *
request_header (Request    *r,
                const char *name)
{
  return soup_message_headers_get_one (r->headers, name);
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
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  r->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (f->requests, r);

  if (g_str_equal (r->method, "GET") && g_str_equal (path, "/base/sse"))
    {
      g_autoptr(GError) error = NULL;
      const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n";

      if (f->refuse_401)
        {
          soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                       "WWW-Authenticate", "Bearer scope=\"mcp\"");
          soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
          return;
        }
      if (f->wrong_type)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<p>", 3);
          return;
        }

      g_assert_null (f->sse);
      f->sse = g_new0 (RawConn, 1);
      f->sse->stream = soup_server_message_steal_connection (msg);
      if (G_IS_SOCKET_CONNECTION (f->sse->stream))
        f->sse->socket = g_object_ref (g_socket_connection_get_socket (
                                         G_SOCKET_CONNECTION (f->sse->stream)));
      else
        f->sse->socket = g_object_ref (g_object_get_data (G_OBJECT (f->sse->stream),
                                                          "GSocket"));
      f->sse->cancellable = g_cancellable_new ();
      g_output_stream_write_all (g_io_stream_get_output_stream (f->sse->stream), head,
                                 strlen (head), NULL, NULL, &error);
      g_assert_no_error (error);
      g_input_stream_read_bytes_async (g_io_stream_get_input_stream (f->sse->stream), 1024,
                                       G_PRIORITY_DEFAULT, f->sse->cancellable, raw_on_read,
                                       f->sse);
      raw_write_chunk (f->sse, ": welcome\n\n");
      if (f->endpoint_data != NULL)
        {
          g_autofree char *event = g_strdup_printf ("event: endpoint\ndata: %s\n\n",
                                                    f->endpoint_data);
          raw_write_chunk (f->sse, event);
        }
      return;
    }

  if (g_str_equal (r->method, "POST") && g_str_equal (path, "/base/messages"))
    {
      g_autoptr(McpMessage) message = mcp_message_parse (r->body, -1, NULL);

      if (f->post_status != 0)
        {
          soup_server_message_set_status (msg, f->post_status, NULL);
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                            "Unknown session\n", 16);
          return;
        }

      g_assert_nonnull (message);
      soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "Accepted", 8);
      if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_REQUEST)
        {
          g_autofree char *event = g_strdup_printf (
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":%s,"
            "\"result\":{\"echo\":\"%s\"}}\n\n",
            mcp_message_get_id_key (message) + 2, mcp_message_get_method (message));
          raw_write_chunk (f->sse, event);
        }
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* The transport                                                                              */

static void
on_message (McpTransport *transport,
            McpMessage   *message,
            Fixture      *f)
{
  g_ptr_array_add (f->messages, g_object_ref (message));
}

static void
on_closed (McpTransport *transport,
           const GError *error,
           Fixture      *f)
{
  f->closed_count++;
  g_clear_error (&f->closed_error);
  if (error != NULL)
    f->closed_error = g_error_copy (error);
}

static void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Fixture      *f)
{
  g_test_message ("transport log (%d): %s", level, text);
}

void
connect_transport (Fixture *f)
{
  g_signal_connect (f->transport, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->transport, "closed", G_CALLBACK (on_closed), f);
  g_signal_connect (f->transport, "log", G_CALLBACK (on_log), f);
}

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  f->requests = g_ptr_array_new_with_free_func (request_free);
  f->messages = g_ptr_array_new_with_free_func (g_object_unref);
  f->endpoint_data = "messages?session=abc";

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_callback, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->port = g_uri_get_port (uris->data);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%d", f->port);
  f->sse_url = g_strconcat (f->base_url, "/base/sse", NULL);

  f->transport = mcp_sse_transport_new (f->sse_url);
  connect_transport (f);
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
  g_clear_pointer (&f->sse, raw_conn_free);
  if (f->server != NULL)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_ptr_array_unref (f->messages);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_free (f->base_url);
  g_free (f->sse_url);
  g_clear_error (&f->closed_error);
}

gboolean
open_transport (Fixture  *f,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_open_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  return mcp_transport_open_finish (MCP_TRANSPORT (f->transport), result, error);
}

gboolean
send_message (Fixture     *f,
              McpMessage  *message,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_send_async (MCP_TRANSPORT (f->transport), message, NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  return mcp_transport_send_finish (MCP_TRANSPORT (f->transport), result, error);
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

McpMessage *
find_message (Fixture    *f,
              const char *key)
{
  for (guint i = 0; i < f->messages->len; i++)
    if (g_strcmp0 (mcp_message_get_id_key (g_ptr_array_index (f->messages, i)), key) == 0)
      return g_ptr_array_index (f->messages, i);
  return NULL;
}
