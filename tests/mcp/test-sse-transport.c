/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpSseTransport (HTTP+SSE, 2024-11-05) against the real server-everything in its `sse` mode
 * (skipped when tests/peers is not installed) and against a SoupServer in this process that
 * names odd endpoints, refuses, cuts the stream or sends oversized events.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "mcp-sse-transport.h"

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
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef struct {
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  char               *body;
} Request;

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

/* The SSE stream: a connection taken from the SoupServer, written to by hand. */
typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GCancellable *cancellable;
  gboolean      closed_by_client;
  gboolean      closed_by_us;
} RawConn;

static void
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

static void
raw_write_chunk (RawConn    *c,
                 const char *data)
{
  g_autofree char *chunk = g_strdup_printf ("%zx\r\n%s\r\n", strlen (data), data);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), chunk, strlen (chunk),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
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

typedef struct {
  SoupServer      *server;
  char            *base_url;    /* http://127.0.0.1:PORT */
  char            *sse_url;     /* …/base/sse */
  int              port;
  GPtrArray       *requests;
  RawConn         *sse;
  const char      *endpoint_data;   /* what the endpoint event says; NULL: send none */
  gboolean         refuse_401;
  gboolean         wrong_type;
  guint            post_status;

  McpSseTransport *transport;
  GPtrArray       *messages;
  guint            closed_count;
  GError          *closed_error;
} Fixture;

static const char *
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

static void
connect_transport (Fixture *f)
{
  g_signal_connect (f->transport, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->transport, "closed", G_CALLBACK (on_closed), f);
  g_signal_connect (f->transport, "log", G_CALLBACK (on_log), f);
}

static void
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

static void
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

static gboolean
open_transport (Fixture  *f,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_open_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  return mcp_transport_open_finish (MCP_TRANSPORT (f->transport), result, error);
}

static gboolean
send_message (Fixture     *f,
              McpMessage  *message,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_send_async (MCP_TRANSPORT (f->transport), message, NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  return mcp_transport_send_finish (MCP_TRANSPORT (f->transport), result, error);
}

static McpMessage *
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

static McpMessage *
find_message (Fixture    *f,
              const char *key)
{
  for (guint i = 0; i < f->messages->len; i++)
    if (g_strcmp0 (mcp_message_get_id_key (g_ptr_array_index (f->messages, i)), key) == 0)
      return g_ptr_array_index (f->messages, i);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_relative_endpoint (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(McpMessage) note = mcp_message_new_notification ("notifications/initialized", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *endpoint = NULL;
  Request *get, *post;
  McpMessage *answer;

  mcp_sse_transport_set_bearer_token (f->transport, "tok");
  mcp_sse_transport_set_header (f->transport, "X-Team", "blue");
  g_assert_true (open_transport (f, &error));
  g_assert_no_error (error);

  expected = g_strconcat (f->base_url, "/base/messages?session=abc", NULL);
  g_assert_cmpstr (mcp_sse_transport_get_endpoint (f->transport), ==, expected);
  g_object_get (f->transport, "endpoint", &endpoint, NULL);
  g_assert_cmpstr (endpoint, ==, expected);

  get = g_ptr_array_index (f->requests, 0);
  g_assert_cmpstr (get->method, ==, "GET");
  g_assert_cmpstr (request_header (get, "Accept"), ==, "text/event-stream");
  g_assert_cmpstr (request_header (get, "Authorization"), ==, "Bearer tok");
  g_assert_cmpstr (request_header (get, "X-Team"), ==, "blue");

  g_assert_true (send_message (f, request, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (f, "i:1") != NULL, 5);
  answer = find_message (f, "i:1");
  g_assert_cmpstr (json_object_get_string_member (mcp_message_get_result (answer), "echo"), ==,
                   "tools/list");

  g_assert_true (send_message (f, note, &error));
  g_assert_no_error (error);

  post = g_ptr_array_index (f->requests, 1);
  g_assert_cmpstr (post->method, ==, "POST");
  g_assert_cmpstr (post->path, ==, "/base/messages");
  g_assert_cmpstr (post->query, ==, "session=abc");
  g_assert_cmpstr (request_header (post, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (request_header (post, "Authorization"), ==, "Bearer tok");
  g_assert_cmpstr (request_header (post, "X-Team"), ==, "blue");
  g_assert_true (g_str_has_prefix (request_header (post, "User-Agent"), "Tether/"));
  g_assert_cmpuint (f->requests->len, ==, 3);
  g_assert_cmpuint (f->messages->len, ==, 1);
}

static void
test_absolute_same_origin_endpoint (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *expected = NULL;

  endpoint = g_strconcat (f->base_url, "/base/messages?session=xyz", NULL);
  f->endpoint_data = endpoint;
  g_assert_true (open_transport (f, &error));
  g_assert_no_error (error);
  expected = g_strconcat (f->base_url, "/base/messages?session=xyz", NULL);
  g_assert_cmpstr (mcp_sse_transport_get_endpoint (f->transport), ==, expected);
}

static void
test_cross_origin_endpoint_refused (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_port = NULL;
  const char *endpoints[3];

  other_port = g_strdup_printf ("http://127.0.0.1:%d/base/messages", f->port + 1);
  endpoints[0] = "http://evil.example/messages?session=abc";
  endpoints[1] = "//evil.example:8080/messages";
  endpoints[2] = other_port;

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_test_message ("endpoint %s", endpoints[i]);
      if (f->transport == NULL)
        {
          f->transport = mcp_sse_transport_new (f->sse_url);
          connect_transport (f);
        }
      g_clear_pointer (&f->sse, raw_conn_free);
      f->endpoint_data = endpoints[i];
      g_assert_false (open_transport (f, &error));
      g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "another origin"));
      g_clear_error (&error);
      g_assert_null (mcp_sse_transport_get_endpoint (f->transport));
      /* the refused stream is dropped */
      WAIT_UNTIL (f->sse->closed_by_client, 5);
      g_signal_handlers_disconnect_by_data (f->transport, f);
      g_clear_object (&f->transport);
    }
  g_assert_cmpuint (f->closed_count, ==, 0);
  for (guint i = 0; i < f->requests->len; i++)
    g_assert_cmpstr (((Request *) g_ptr_array_index (f->requests, i))->method, ==, "GET");
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const *challenges;

  f->refuse_401 = TRUE;
  g_assert_false (open_transport (f, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "HTTP 401"));
  challenges = mcp_sse_transport_get_last_www_authenticate (f->transport);
  g_assert_nonnull (challenges);
  g_assert_cmpstr (challenges[0], ==, "Bearer scope=\"mcp\"");
  g_assert_null (challenges[1]);
  g_assert_cmpuint (f->closed_count, ==, 0);
}

static void
test_wrong_content_type (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->wrong_type = TRUE;
  g_assert_false (open_transport (f, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "text/html"));
}

static gboolean
close_stream_later (gpointer user_data)
{
  raw_close (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_stream_end_before_endpoint (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->endpoint_data = NULL;
  mcp_transport_open_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (f->sse != NULL, 5);
  g_timeout_add (50, close_stream_later, f->sse);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_false (mcp_transport_open_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "endpoint"));
}

static void
test_stream_end_closes (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (open_transport (f, &error));
  raw_close (f->sse);
  WAIT_UNTIL (f->closed_count == 1, 5);
  g_assert_error (f->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);

  g_assert_false (send_message (f, request, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);

  /* closing what the server closed says nothing more */
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, NULL));
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_nonnull (f->closed_error);
}

static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (open_transport (f, &error));
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_null (f->closed_error);
  WAIT_UNTIL (f->sse->closed_by_client, 5);

  g_clear_object (&result);
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, NULL));
  g_assert_cmpuint (f->closed_count, ==, 1);
}

static void
test_post_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (open_transport (f, &error));
  f->post_status = SOUP_STATUS_BAD_REQUEST;
  g_assert_false (send_message (f, request, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "HTTP 400 Bad Request from POST"));
  g_assert_true (g_str_has_suffix (error->message, ": Unknown session"));
  g_assert_cmpuint (f->closed_count, ==, 0);
}

static void
test_oversized_event (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) event = g_string_new ("event: message\ndata: {\"jsonrpc\":\"2.0\","
                                           "\"method\":\"x\",\"params\":{\"a\":\"");

  mcp_sse_transport_set_max_message_size (f->transport, 512);
  g_assert_true (open_transport (f, &error));
  for (int i = 0; i < 1000; i++)
    g_string_append_c (event, 'z');
  g_string_append (event, "\"}}\n\n");
  raw_write_chunk (f->sse, event->str);
  WAIT_UNTIL (f->closed_count == 1, 5);
  g_assert_error (f->closed_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE);
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static void
test_messages_in_order (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) huge = g_string_new ("event: message\ndata: {\"jsonrpc\":\"2.0\","
                                          "\"method\":\"n/huge\",\"params\":{\"a\":\"");

  g_assert_true (open_transport (f, &error));
  for (int i = 0; i < 2 * 1024 * 1024 / 32; i++)
    g_string_append (huge, "0123456789abcdef0123456789abcdef");
  g_string_append (huge, "\"}}\n\n");

  raw_write_chunk (f->sse, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/a\"}\n\n");
  raw_write_chunk (f->sse, "event: ping\ndata: ignored\n\n");
  raw_write_chunk (f->sse, "data: {not json}\n\n");
  raw_write_chunk (f->sse, huge->str);
  raw_write_chunk (f->sse, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/c\"}\n\n");
  WAIT_UNTIL (f->messages->len == 3, 10);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==, "n/a");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 1)), ==, "n/huge");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 2)), ==, "n/c");
  g_assert_cmpuint (f->closed_count, ==, 0);
}

static void
test_send_before_open (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (send_message (f, request, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);
  g_assert_cmpuint (f->requests->len, ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The real server-everything                                                                 */

typedef struct {
  GSubprocess *process;
  char        *base_url;
} Peer;

static void
peer_child_setup (gpointer user_data)
{
  /* Own process group, so teardown can stop it whole; and die with this test process if an
   * assertion aborts it before teardown runs. */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
peer_start (Peer       *peer,
            const char *mode)
{
  g_autofree char *program = NULL;
  g_autofree char *node = NULL;
  g_autofree char *port_text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint16 port;

  program = g_test_build_filename (G_TEST_DIST, "peers", "node_modules", ".bin",
                                   "mcp-server-everything", NULL);
  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("server-everything is not installed in tests/peers (npm ci there)");
      return FALSE;
    }
  node = g_find_program_in_path ("node");
  if (node == NULL)
    {
      g_test_skip ("node is not installed");
      return FALSE;
    }

  port = pick_free_port ();
  port_text = g_strdup_printf ("%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "PORT", port_text, TRUE);
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  g_subprocess_launcher_set_child_setup (launcher, peer_child_setup, NULL, NULL);
  peer->process = g_subprocess_launcher_spawn (launcher, &error, program, mode, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;

      g_assert_nonnull (g_subprocess_get_identifier (peer->process));
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }

  peer->base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return TRUE;
}

static void
peer_stop (Peer *peer)
{
  const char *id;

  if (peer->process == NULL)
    return;

  id = g_subprocess_get_identifier (peer->process);
  if (id != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      kill (-pid, SIGTERM);
      while (g_subprocess_get_identifier (peer->process) != NULL &&
             g_get_monotonic_time () < deadline)
        g_usleep (20 * 1000);
      if (g_subprocess_get_identifier (peer->process) != NULL)
        kill (-pid, SIGKILL);
    }
  g_subprocess_wait (peer->process, NULL, NULL);
  g_clear_object (&peer->process);
  g_clear_pointer (&peer->base_url, g_free);
}

typedef struct {
  Peer    peer;
  Fixture f;
} PeerFixture;

static void
peer_fixture_set_up (PeerFixture   *pf,
                     gconstpointer  data)
{
  pf->f.messages = g_ptr_array_new_with_free_func (g_object_unref);
  if (!peer_start (&pf->peer, "sse"))
    return;
  pf->f.sse_url = g_strconcat (pf->peer.base_url, "/sse", NULL);
  pf->f.transport = mcp_sse_transport_new (pf->f.sse_url);
  connect_transport (&pf->f);
}

static void
peer_fixture_tear_down (PeerFixture   *pf,
                        gconstpointer  data)
{
  if (pf->f.transport != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      mcp_transport_close_async (MCP_TRANSPORT (pf->f.transport), NULL, store_result, &result);
      WAIT_UNTIL (result != NULL, 10);
      g_signal_handlers_disconnect_by_data (pf->f.transport, &pf->f);
      g_clear_object (&pf->f.transport);
    }
  peer_stop (&pf->peer);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_ptr_array_unref (pf->f.messages);
  g_free (pf->f.sse_url);
  g_clear_error (&pf->f.closed_error);
}

static void
test_server_everything (PeerFixture   *pf,
                        gconstpointer  data)
{
  Fixture *f = &pf->f;
  g_autoptr(McpMessage) init = NULL;
  g_autoptr(McpMessage) initialized = NULL;
  g_autoptr(McpMessage) list = NULL;
  g_autoptr(McpMessage) call = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  McpMessage *answer;
  JsonArray *tools, *content;
  gboolean has_echo = FALSE;

  if (f->transport == NULL)
    return;

  g_assert_true (open_transport (f, &error));
  g_assert_no_error (error);
  prefix = g_strconcat (pf->peer.base_url, "/message?sessionId=", NULL);
  g_assert_true (g_str_has_prefix (mcp_sse_transport_get_endpoint (f->transport), prefix));

  init = new_request (1, "initialize",
                      "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
                      "\"clientInfo\":{\"name\":\"tether-test\",\"version\":\"0\"}}");
  g_assert_true (send_message (f, init, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (f, "i:1") != NULL, 10);
  answer = find_message (f, "i:1");
  g_assert_cmpstr (json_object_get_string_member (mcp_message_get_result (answer),
                                                  "protocolVersion"), ==, "2024-11-05");

  initialized = mcp_message_new_notification ("notifications/initialized", NULL);
  g_assert_true (send_message (f, initialized, &error));
  g_assert_no_error (error);

  list = new_request (2, "tools/list", NULL);
  g_assert_true (send_message (f, list, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (f, "i:2") != NULL, 10);
  tools = json_object_get_array_member (mcp_message_get_result (find_message (f, "i:2")),
                                        "tools");
  for (guint i = 0; i < json_array_get_length (tools); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                  "name"), "echo") == 0)
      has_echo = TRUE;
  g_assert_true (has_echo);

  call = new_request (3, "tools/call",
                      "{\"name\":\"echo\",\"arguments\":{\"message\":\"hello tether\"}}");
  g_assert_true (send_message (f, call, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (f, "i:3") != NULL, 10);
  content = json_object_get_array_member (mcp_message_get_result (find_message (f, "i:3")),
                                          "content");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_array_get_object_element (content, 0), "text"),
                            "hello tether"));

  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_null (f->closed_error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/sse-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("relative-endpoint-resolved-and-messages-flow", test_relative_endpoint);
  ADD ("absolute-same-origin-endpoint-accepted", test_absolute_same_origin_endpoint);
  ADD ("cross-origin-endpoint-refused", test_cross_origin_endpoint_refused);
  ADD ("401-keeps-www-authenticate", test_unauthorized);
  ADD ("wrong-content-type-fails-open", test_wrong_content_type);
  ADD ("stream-end-before-endpoint-fails-open", test_stream_end_before_endpoint);
  ADD ("stream-end-closes-transport", test_stream_end_closes);
  ADD ("close-emits-closed-once", test_close);
  ADD ("refused-post-is-an-error", test_post_refused);
  ADD ("oversized-event-closes-with-too-large", test_oversized_event);
  ADD ("messages-keep-their-order", test_messages_in_order);
  ADD ("send-before-open-fails", test_send_before_open);
#undef ADD

  g_test_add ("/mcp/sse-transport/server-everything", PeerFixture, NULL,
              peer_fixture_set_up, test_server_everything, peer_fixture_tear_down);

  return g_test_run ();
}
