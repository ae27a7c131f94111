/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpHttpTransport against two kinds of peer: the real server-everything from tests/peers
 * (skipped when not installed), and a SoupServer in this process that misbehaves on purpose:
 * it cuts streams, answers with errors, never answers, or checks the headers it gets.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mcp-http-transport.h"

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                    */

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

/* ------------------------------------------------------------------------------------------ */
/* What the server got                                                                        */

typedef struct {
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  char               *body;
  gint64              time;
  guint16             remote_port;   /* tells the client's connections apart */
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

static const char *
request_header (Request    *r,
                const char *name)
{
  return soup_message_headers_get_one (r->headers, name);
}

/* A connection taken away from the SoupServer, to write whatever HTTP we like on it. */
typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GCancellable *cancellable;
  gboolean      closed_by_client;
  gboolean      closed_by_us;
  gint64        closed_at;
} RawConn;

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

typedef struct _Fixture Fixture;
typedef void (*RespondFunc) (Fixture           *f,
                             SoupServerMessage *msg,
                             Request           *request,
                             McpMessage        *message);

struct _Fixture
{
  SoupServer       *server;
  char             *mcp_url;
  GPtrArray        *requests;      /* Request */
  GPtrArray        *raw_conns;     /* RawConn */
  RespondFunc       respond;
  int               step;
  gboolean          stolen;        /* the scenario took the connection of this request */

  McpHttpTransport *transport;
  GPtrArray        *messages;      /* McpMessage */
  guint             closed_count;
  GError           *closed_error;
};

static RawConn *
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

static void
raw_write (RawConn    *c,
           const char *data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (c->stream), data, strlen (data),
                             NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
raw_write_chunk (RawConn    *c,
                 const char *data)
{
  g_autofree char *chunk = g_strdup_printf ("%zx\r\n%s\r\n", strlen (data), data);

  raw_write (c, chunk);
}

static void
raw_close (RawConn *c)
{
  c->closed_by_us = TRUE;
  c->closed_at = g_get_monotonic_time ();
  g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
  g_socket_close (c->socket, NULL);
}

/* Breaks the connection the hard way (TCP RST), so the client's read fails. */
static void
raw_reset (RawConn *c)
{
  struct linger hard = { .l_onoff = 1, .l_linger = 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (c->socket), SOL_SOCKET, SO_LINGER,
                               &hard, sizeof hard), ==, 0);
  c->closed_by_us = TRUE;
  c->closed_at = g_get_monotonic_time ();
  g_socket_close (c->socket, NULL);
}

static gboolean
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
static void
raw_watch_client (RawConn *c)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (c->stream), 1024,
                                   G_PRIORITY_DEFAULT, c->cancellable, raw_on_read, c);
}

#define SSE_HEAD_CLOSE   "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" \
                         "Connection: close\r\n\r\n"
#define SSE_HEAD_CHUNKED "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" \
                         "Transfer-Encoding: chunked\r\n\r\n"

static void
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

static void
open_transport (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mcp_transport_open_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  mcp_transport_open_finish (MCP_TRANSPORT (f->transport), result, &error);
  g_assert_no_error (error);
}

static gboolean
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

static void
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

static guint
count_messages_with_id (Fixture    *f,
                        const char *key)
{
  guint n = 0;

  for (guint i = 0; i < f->messages->len; i++)
    if (g_strcmp0 (mcp_message_get_id_key (g_ptr_array_index (f->messages, i)), key) == 0)
      n++;
  return n;
}

static Request *
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

/* ------------------------------------------------------------------------------------------ */
/* Resumption                                                                                 */

#define RESUME_RETRY_MS 200

static const char *progress_event =
  "id: e2\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
  "\"params\":{\"progressToken\":1,\"progress\":1}}\n\n";
static const char *response_7 = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"ok\":true}}";

static void
respond_cut_stream (Fixture           *f,
                    SoupServerMessage *msg,
                    Request           *request,
                    McpMessage        *message,
                    gboolean           chunked)
{
  if (g_str_equal (request->method, "POST") && message != NULL &&
      g_strcmp0 (mcp_message_get_method (message), "tools/call") == 0)
    {
      g_autofree char *start = g_strdup_printf ("id: e1\nretry: %d\ndata:\n\n",
                                                RESUME_RETRY_MS);
      RawConn *c = raw_steal (f, msg, chunked ? SSE_HEAD_CHUNKED : SSE_HEAD_CLOSE);

      /* priming event, a notification, then the response cut in the middle: by a reset
       * once the client has read what came before, or by a plain end of the body */
      if (chunked)
        {
          raw_write_chunk (c, start);
          raw_write_chunk (c, progress_event);
          raw_write_chunk (c, "id: e3\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"res");
          g_timeout_add (100, raw_reset_later, c);
        }
      else
        {
          raw_write (c, start);
          raw_write (c, progress_event);
          raw_write (c, "id: e3\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"res");
          raw_close (c);
        }
    }
  else if (g_str_equal (request->method, "GET"))
    {
      g_autofree char *events = g_strdup_printf ("id: e3\ndata: %s\n\n", response_7);

      g_assert_cmpstr (request_header (request, "Last-Event-ID"), ==, "e2");
      respond (msg, SOUP_STATUS_OK, "text/event-stream", events);
    }
}

static void
respond_cut_chunked (Fixture *f, SoupServerMessage *msg, Request *r, McpMessage *m)
{
  respond_cut_stream (f, msg, r, m, TRUE);
}

static void
respond_cut_eof (Fixture *f, SoupServerMessage *msg, Request *r, McpMessage *m)
{
  respond_cut_stream (f, msg, r, m, FALSE);
}

static void
check_resumed (Fixture *f)
{
  g_autoptr(McpMessage) request = new_request (7, "tools/call", "{\"name\":\"slow\"}");
  g_autoptr(GError) error = NULL;
  Request *post, *get;
  RawConn *cut;
  gint64 waited_ms;

  initialize (f);
  send_message (f, request, NULL, NULL, &error);
  g_assert_no_error (error);

  /* the notification once, the response once, in that order */
  g_assert_cmpuint (f->messages->len, ==, 2);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==,
                   "notifications/progress");
  g_assert_cmpuint (count_messages_with_id (f, "i:7"), ==, 1);
  g_assert_true (mcp_message_get_result (g_ptr_array_index (f->messages, 1)) != NULL);

  post = find_request (f, "POST", 1);
  get = find_request (f, "GET", 0);
  g_assert_nonnull (post);
  g_assert_nonnull (get);
  g_assert_null (find_request (f, "GET", 1));
  g_assert_cmpstr (request_header (get, "Last-Event-ID"), ==, "e2");
  g_assert_cmpstr (request_header (get, "MCP-Session-Id"), ==, "sess-1");
  g_assert_cmpstr (request_header (get, "MCP-Protocol-Version"), ==, "2025-11-25");
  g_assert_true (soup_message_headers_header_contains (get->headers, "Accept",
                                                       "text/event-stream"));

  /* the server's retry (200 ms), not the default second */
  cut = g_ptr_array_index (f->raw_conns, 0);
  waited_ms = (get->time - cut->closed_at) / 1000;
  g_test_message ("resumed %" G_GINT64_FORMAT " ms after the cut", waited_ms);
  g_assert_cmpint (waited_ms, >=, RESUME_RETRY_MS - 10);
  g_assert_cmpint (waited_ms, <, 900);
}

static void
test_resume_after_break (Fixture       *f,
                         gconstpointer  data)
{
  f->respond = respond_cut_chunked;
  check_resumed (f);
}

static void
test_resume_after_end (Fixture       *f,
                       gconstpointer  data)
{
  f->respond = respond_cut_eof;
  check_resumed (f);
}

static void
respond_cut_without_id (Fixture           *f,
                        SoupServerMessage *msg,
                        Request           *request,
                        McpMessage        *message)
{
  if (g_str_equal (request->method, "POST") && message != NULL &&
      mcp_message_get_kind (message) == MCP_MESSAGE_KIND_REQUEST &&
      !g_str_equal (mcp_message_get_method (message), "initialize"))
    {
      RawConn *c = raw_steal (f, msg, SSE_HEAD_CLOSE);
      raw_write (c, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                    "\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n");
      raw_close (c);
    }
}

static void
test_no_event_id_no_response (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (3, "tools/list", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_cut_without_id;
  initialize (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE);
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_null (find_request (f, "GET", 0));
}

/* ------------------------------------------------------------------------------------------ */
/* Sessions                                                                                   */

static void
respond_record_session (Fixture           *f,
                        SoupServerMessage *msg,
                        Request           *request,
                        McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "tools/list") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json",
             "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}");
}

static void
on_notify_session_id (GObject    *object,
                      GParamSpec *pspec,
                      guint      *count)
{
  (*count)++;
}

static void
test_session_id_echoed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(McpMessage) note = mcp_message_new_notification ("notifications/initialized", NULL);
  g_autoptr(McpMessage) request = new_request (2, "tools/list", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *session_id = NULL;
  guint notified = 0;
  Request *first;

  f->respond = respond_record_session;
  g_signal_connect (f->transport, "notify::session-id", G_CALLBACK (on_notify_session_id),
                    &notified);
  initialize (f);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (f->transport, "session-id", &session_id, NULL);
  g_assert_cmpstr (session_id, ==, "sess-1");

  first = find_request (f, "POST", 0);
  g_assert_null (request_header (first, "MCP-Session-Id"));
  g_assert_null (request_header (first, "MCP-Protocol-Version"));
  g_assert_cmpstr (request_header (first, "Content-Type"), ==, "application/json");
  g_assert_true (soup_message_headers_header_contains (first->headers, "Accept",
                                                       "application/json"));
  g_assert_true (soup_message_headers_header_contains (first->headers, "Accept",
                                                       "text/event-stream"));
  g_assert_true (g_str_has_prefix (request_header (first, "User-Agent"), "Tether/"));

  send_message (f, note, NULL, NULL, &error);
  g_assert_no_error (error);
  send_message (f, request, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_messages_with_id (f, "i:2"), ==, 1);

  for (guint i = 1; i < 3; i++)
    {
      Request *r = find_request (f, "POST", i);
      g_assert_cmpstr (request_header (r, "MCP-Session-Id"), ==, "sess-1");
      g_assert_cmpstr (request_header (r, "MCP-Protocol-Version"), ==, "2025-11-25");
      g_assert_null (request_header (r, "Mcp-Method"));
    }
  g_signal_handlers_disconnect_by_func (f->transport, on_notify_session_id, &notified);
}

static void
respond_404 (Fixture           *f,
             SoupServerMessage *msg,
             Request           *request,
             McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "tools/list") == 0)
    respond (msg, SOUP_STATUS_NOT_FOUND, "application/json",
             "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"},"
             "\"id\":null}");
}

static void
test_session_expired (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (2, "tools/list", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_404;
  initialize (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_SESSION_EXPIRED);
  g_assert_null (mcp_http_transport_get_session_id (f->transport));
  g_assert_cmpuint (f->messages->len, ==, 0);
  g_clear_error (&error);

  /* Without a session a 404 is just a status. */
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "HTTP 404"));
  g_assert_nonnull (strstr (error->message, "Session not found"));
  g_assert_null (request_header (find_request (f, "POST", 2), "MCP-Session-Id"));
}

static void
test_delete_on_close (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) request = new_request (9, "tools/list", NULL);
  Request *del;

  initialize (f);
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_no_error (error);

  del = find_request (f, "DELETE", 0);
  g_assert_nonnull (del);
  g_assert_cmpstr (del->path, ==, "/mcp");
  g_assert_cmpstr (request_header (del, "MCP-Session-Id"), ==, "sess-1");
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_null (f->closed_error);

  /* closed for good: sends fail, a second close changes nothing */
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);
  g_clear_object (&result);
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, NULL));
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_null (find_request (f, "DELETE", 1));
}

static void
respond_delete_405 (Fixture           *f,
                    SoupServerMessage *msg,
                    Request           *request,
                    McpMessage        *message)
{
  if (g_str_equal (request->method, "DELETE"))
    respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL);
}

static void
test_delete_405_ignored (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->respond = respond_delete_405;
  initialize (f);
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (find_request (f, "DELETE", 0));
  g_assert_cmpuint (f->closed_count, ==, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP errors                                                                                */

static void
respond_401 (Fixture           *f,
             SoupServerMessage *msg,
             Request           *request,
             McpMessage        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "WWW-Authenticate",
                               "Bearer resource_metadata=\"http://127.0.0.1/.well-known/"
                               "oauth-protected-resource\", scope=\"read\"");
  soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"x\"");
  respond (msg, SOUP_STATUS_UNAUTHORIZED, "text/plain", "no");
}

static void
test_unauthorized_keeps_challenge (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "initialize", "{}");
  g_autoptr(GError) error = NULL;
  const char * const *challenges;

  f->respond = respond_401;
  mcp_http_transport_set_bearer_token (f->transport, "secret-token");
  open_transport (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "secret-token"));
  g_assert_cmpuint (mcp_http_transport_get_last_status (f->transport), ==, 401);

  challenges = mcp_http_transport_get_last_www_authenticate (f->transport);
  g_assert_nonnull (challenges);
  g_assert_cmpuint (g_strv_length ((char **) challenges), ==, 2);
  g_assert_true (g_str_has_prefix (challenges[0], "Bearer resource_metadata="));
  g_assert_cmpstr (challenges[1], ==, "Basic realm=\"x\"");
  g_assert_cmpstr (request_header (find_request (f, "POST", 0), "Authorization"), ==,
                   "Bearer secret-token");
}

static void
respond_403 (Fixture           *f,
             SoupServerMessage *msg,
             Request           *request,
             McpMessage        *message)
{
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "WWW-Authenticate",
                               "Bearer error=\"insufficient_scope\", scope=\"write\"");
  respond (msg, SOUP_STATUS_FORBIDDEN, NULL, NULL);
}

static void
test_forbidden_keeps_challenge (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "initialize", "{}");
  g_autoptr(GError) error = NULL;
  const char * const *challenges;

  f->respond = respond_403;
  open_transport (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN);
  challenges = mcp_http_transport_get_last_www_authenticate (f->transport);
  g_assert_nonnull (challenges);
  g_assert_cmpstr (challenges[0], ==, "Bearer error=\"insufficient_scope\", scope=\"write\"");
}

static void
respond_400_jsonrpc (Fixture           *f,
                     SoupServerMessage *msg,
                     Request           *request,
                     McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "server/discover") == 0)
    respond (msg, SOUP_STATUS_BAD_REQUEST, "application/json",
             "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32022,\"message\":"
             "\"Unsupported protocol version\",\"data\":{\"supported\":[\"2026-07-28\"]}}}");
  else if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "a/b") == 0)
    respond (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "Bad   Request:\n  no way");
  else if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "c/d") == 0)
    respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "boom");
}

static void
test_error_status_with_jsonrpc_body (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(McpMessage) discover = new_request (5, "server/discover", "{}");
  g_autoptr(McpMessage) bad = new_request (6, "a/b", NULL);
  g_autoptr(McpMessage) boom = new_request (8, "c/d", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  McpMessage *got;

  f->respond = respond_400_jsonrpc;
  open_transport (f);
  g_assert_true (send_message (f, discover, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 1);
  got = g_ptr_array_index (f->messages, 0);
  g_assert_cmpint (mcp_message_get_kind (got), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_cmpint (mcp_message_get_error_code (got), ==, -32022);
  g_assert_cmpstr (mcp_message_get_id_key (got), ==, "i:5");
  g_assert_cmpuint (mcp_http_transport_get_last_status (f->transport), ==, 400);

  /* A 400 without a JSON-RPC body is a status error with the body's gist. */
  g_assert_false (send_message (f, bad, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "HTTP 400 Bad Request from POST"));
  g_assert_true (g_str_has_suffix (error->message, ": Bad Request: no way"));
  g_clear_error (&error);

  g_assert_false (send_message (f, boom, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  expected = g_strdup_printf ("HTTP 500 Internal Server Error from POST %s: boom", f->mcp_url);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (f->messages->len, ==, 1);
}

static void
respond_bad_bodies (Fixture           *f,
                    SoupServerMessage *msg,
                    Request           *request,
                    McpMessage        *message)
{
  const char *method = message ? mcp_message_get_method (message) : NULL;

  if (g_strcmp0 (method, "malformed") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,");
  else if (g_strcmp0 (method, "html") == 0)
    respond (msg, SOUP_STATUS_OK, "text/html", "<html></html>");
  else if (g_strcmp0 (method, "batch") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json; charset=utf-8",
             "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}},"
             "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}]");
  else if (g_strcmp0 (method, "other") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json",
             "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}");
  else if (g_strcmp0 (method, "accepted") == 0)
    respond (msg, SOUP_STATUS_ACCEPTED, NULL, NULL);
  else if (g_strcmp0 (method, "notifications/odd") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", "{}");
}

static void
test_malformed_and_unexpected_bodies (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(McpMessage) malformed = new_request (1, "malformed", NULL);
  g_autoptr(McpMessage) html = new_request (2, "html", NULL);
  g_autoptr(McpMessage) batch = new_request (3, "batch", NULL);
  g_autoptr(McpMessage) other = new_request (4, "other", NULL);
  g_autoptr(McpMessage) accepted = new_request (5, "accepted", NULL);
  g_autoptr(McpMessage) odd = mcp_message_new_notification ("notifications/odd", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_bad_bodies;
  open_transport (f);

  g_assert_false (send_message (f, malformed, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_false (send_message (f, html, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "text/html"));
  g_clear_error (&error);
  g_assert_cmpuint (f->messages->len, ==, 0);

  /* a batch is emitted message by message, in order */
  g_assert_true (send_message (f, batch, NULL, NULL, &error));
  g_assert_cmpuint (f->messages->len, ==, 2);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==,
                   "notifications/message");
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (f->messages, 1)), ==, "i:3");

  /* a JSON answer without the response, and a 202 for a request */
  g_assert_false (send_message (f, other, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE);
  g_clear_error (&error);
  g_assert_false (send_message (f, accepted, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE);
  g_clear_error (&error);

  /* a notification waits for nothing: a stray body is ignored */
  g_assert_true (send_message (f, odd, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 3);  /* the batch, and the answer to id 99 */
}

static void
respond_large (Fixture           *f,
               SoupServerMessage *msg,
               Request           *request,
               McpMessage        *message)
{
  const char *method = message ? mcp_message_get_method (message) : NULL;
  g_autoptr(GString) body = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":\"");

  for (int i = 0; i < 5000; i++)
    g_string_append_c (body, 'a');
  g_string_append (body, "\"}}");

  if (g_strcmp0 (method, "json") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", body->str);
  else if (g_strcmp0 (method, "chunked") == 0)
    {
      RawConn *c = raw_steal (f, msg, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n");
      raw_write_chunk (c, body->str);
      raw_write (c, "0\r\n\r\n");
      raw_close (c);
    }
  else if (g_strcmp0 (method, "sse") == 0)
    {
      g_autofree char *events = g_strdup_printf ("data: %s\n\n", body->str);
      respond (msg, SOUP_STATUS_OK, "text/event-stream", events);
    }
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  const char *methods[] = { "json", "chunked", "sse" };
  g_autoptr(GError) error = NULL;

  f->respond = respond_large;
  g_object_set (f->transport, "max-message-size", (guint64) 1000, NULL);
  g_assert_cmpuint (mcp_http_transport_get_max_message_size (f->transport), ==, 1000);
  open_transport (f);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(McpMessage) request = new_request (1, methods[i], NULL);

      g_test_message ("answer as %s", methods[i]);
      g_assert_false (send_message (f, request, NULL, NULL, &error));
      g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (f->messages->len, ==, 0);
}

/* Events around a body big enough to be parsed in a thread keep their order. */
static void
respond_huge_in_order (Fixture           *f,
                       SoupServerMessage *msg,
                       Request           *request,
                       McpMessage        *message)
{
  g_autoptr(GString) events = g_string_new (NULL);

  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "huge/json") == 0)
    {
      g_string_append (events, "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"x\":\"");
      for (int i = 0; i < 2 * 1024 * 1024 / 64; i++)
        g_string_append (events,
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
      g_string_append (events, "\"}}");
      respond (msg, SOUP_STATUS_OK, "application/json", events->str);
      return;
    }
  if (message == NULL || g_strcmp0 (mcp_message_get_method (message), "tools/call") != 0)
    return;

  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/a\"}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/huge\",\"params\":{\"x\":\"");
  for (int i = 0; i < 3 * 1024 * 1024 / 64; i++)
    g_string_append (events, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (events, "\"}}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/c\"}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}\n\n");
  respond (msg, SOUP_STATUS_OK, "text/event-stream", events->str);
}

static void
test_large_event_keeps_order (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (4, "tools/call", "{\"name\":\"big\"}");
  g_autoptr(McpMessage) json = new_request (5, "huge/json", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_huge_in_order;
  open_transport (f);
  g_assert_true (send_message (f, request, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 4);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==, "n/a");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 1)), ==, "n/huge");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 2)), ==, "n/c");
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (f->messages, 3)), ==, "i:4");

  /* the same for a JSON body */
  g_assert_true (send_message (f, json, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 5);
  g_assert_cmpuint (strlen (json_object_get_string_member (
                      mcp_message_get_result (g_ptr_array_index (f->messages, 4)), "x")), ==,
                    2 * 1024 * 1024);
}

/* ------------------------------------------------------------------------------------------ */
/* Cancellation                                                                               */

static void
respond_never (Fixture           *f,
               SoupServerMessage *msg,
               Request           *request,
               McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "tools/call") == 0)
    {
      RawConn *c = raw_steal (f, msg, SSE_HEAD_CHUNKED);
      raw_write_chunk (c, "id: p1\ndata:\n\n");
      raw_watch_client (c);
    }
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_closes_stream (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (11, "tools/call", "{\"name\":\"hang\"}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RawConn *c;
  gint64 cancelled_at;

  f->respond = respond_never;
  initialize (f);
  mcp_http_transport_send_with_headers_async (f->transport, request, NULL, cancellable,
                                              store_result, &result);
  WAIT_UNTIL (f->raw_conns->len == 1, 5);
  c = g_ptr_array_index (f->raw_conns, 0);

  /* nothing more comes: the send waits */
  g_timeout_add (300, cancel_later, cancellable);
  WAIT_UNTIL (g_cancellable_is_cancelled (cancellable), 5);
  g_assert_null (result);
  cancelled_at = g_get_monotonic_time ();

  WAIT_UNTIL (result != NULL, 2);
  g_assert_false (mcp_http_transport_send_with_headers_finish (f->transport, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_USEC_PER_SEC);

  /* and the server sees its stream go away */
  WAIT_UNTIL (c->closed_by_client, 3);
}

static void
test_close_ends_sends (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (12, "tools/call", "{\"name\":\"hang\"}");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GError) error = NULL;

  f->respond = respond_never;
  initialize (f);
  mcp_http_transport_send_with_headers_async (f->transport, request, NULL, NULL,
                                              store_result, &result);
  WAIT_UNTIL (f->raw_conns->len == 1, 5);
  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &close_result);
  WAIT_UNTIL (result != NULL && close_result != NULL, 5);
  g_assert_false (mcp_http_transport_send_with_headers_finish (f->transport, result, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), close_result, NULL));
  WAIT_UNTIL (((RawConn *) g_ptr_array_index (f->raw_conns, 0))->closed_by_client, 3);
  g_assert_cmpuint (f->closed_count, ==, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* The 2026-07-28 headers                                                                     */

static void
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

/* Answers every tools/call with an empty result; initialize goes to respond_default(). */
static void
respond_call_ok (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "tools/call") == 0)
    respond_echo_ok (f, msg, request, message);
}

static void
test_posts_reuse_a_connection (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->respond = respond_call_ok;
  initialize (f);
  for (gint64 id = 2; id <= 4; id++)
    {
      g_autoptr(McpMessage) call = new_request (id, "tools/call", "{\"name\":\"echo\"}");

      g_assert_true (send_message (f, call, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* initialize and the three calls, each answered with a kept-alive JSON body, on one
   * connection: libsoup opens one per POST unless told the message may reuse one */
  g_assert_cmpuint (f->requests->len, ==, 4);
  for (guint i = 1; i < f->requests->len; i++)
    g_assert_cmpuint (((Request *) g_ptr_array_index (f->requests, i))->remote_port, ==,
                      ((Request *) g_ptr_array_index (f->requests, 0))->remote_port);
}

/* The server reads tools/call id 2, then drops the connection without a byte of answer. */
static void
respond_drop_call_2 (Fixture           *f,
                     SoupServerMessage *msg,
                     Request           *request,
                     McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_id_key (message), "i:2") == 0)
    {
      RawConn *c = raw_steal (f, msg, "");

      g_idle_add (raw_reset_later, c);
      return;
    }
  respond_call_ok (f, msg, request, message);
}

static guint
count_posts_with_id (Fixture    *f,
                     const char *key)
{
  guint n = 0;

  for (guint i = 0; i < f->requests->len; i++)
    {
      Request *r = g_ptr_array_index (f->requests, i);
      g_autoptr(McpMessage) m = NULL;

      if (!g_str_equal (r->method, "POST"))
        continue;
      m = mcp_message_parse (r->body, -1, NULL);
      if (m != NULL && g_strcmp0 (mcp_message_get_id_key (m), key) == 0)
        n++;
    }
  return n;
}

/* A kept-alive connection that breaks under a POST before any answer is exactly where
 * libsoup re-sends an idempotent request by itself. A tools/call must fail instead: the
 * server may have run it. */
static void
test_broken_post_is_not_sent_again (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(McpMessage) dropped = new_request (2, "tools/call", "{\"name\":\"echo\"}");
  g_autoptr(McpMessage) next = new_request (3, "tools/call", "{\"name\":\"echo\"}");
  g_autoptr(GError) error = NULL;

  f->respond = respond_drop_call_2;
  initialize (f);

  g_assert_false (send_message (f, dropped, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT);
  g_clear_error (&error);
  /* it went on the connection initialize had used, so libsoup saw a reused connection */
  g_assert_cmpuint (find_request (f, "POST", 1)->remote_port, ==,
                    find_request (f, "POST", 0)->remote_port);

  /* let anything libsoup might still send arrive */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_posts_with_id (f, "i:2"), ==, 1);

  /* the transport goes on, on a new connection */
  g_assert_true (send_message (f, next, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_posts_with_id (f, "i:3"), ==, 1);
}

static void
test_modern_headers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(McpMessage) call = new_request (1, "tools/call",
                                            "{\"name\":\"get_weather\",\"arguments\":{}}");
  g_autoptr(McpMessage) prompt = new_request (2, "prompts/get", "{\"name\":\"Hello, 世界\"}");
  g_autoptr(McpMessage) read = new_request (3, "resources/read",
                                            "{\"uri\":\"file:///projects/a.json\"}");
  g_autoptr(McpMessage) list = new_request (4, "tools/list", NULL);
  g_autoptr(McpMessage) note = mcp_message_new_notification ("notifications/x", NULL);
  g_autoptr(GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  Request *r;

  f->respond = respond_echo_ok;
  g_object_set (f->transport, "modern", TRUE, "protocol-version", "2026-07-28", NULL);
  open_transport (f);

  g_hash_table_insert (extra, (gpointer) "Mcp-Param-Region", (gpointer) "us-west1");
  g_hash_table_insert (extra, (gpointer) "Mcp-Param-Text", (gpointer) " padded ");
  g_assert_true (send_message (f, call, extra, NULL, &error));
  g_assert_true (send_message (f, prompt, NULL, NULL, &error));
  g_assert_true (send_message (f, read, NULL, NULL, &error));
  g_assert_true (send_message (f, list, NULL, NULL, &error));
  g_assert_true (send_message (f, note, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 4);

  r = find_request (f, "POST", 0);
  g_assert_cmpstr (request_header (r, "MCP-Protocol-Version"), ==, "2026-07-28");
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "tools/call");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "get_weather");
  g_assert_cmpstr (request_header (r, "Mcp-Param-Region"), ==, "us-west1");
  g_assert_cmpstr (request_header (r, "Mcp-Param-Text"), ==, "=?base64?IHBhZGRlZCA=?=");
  g_assert_null (request_header (r, "MCP-Session-Id"));

  r = find_request (f, "POST", 1);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "prompts/get");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "=?base64?SGVsbG8sIOS4lueVjA==?=");
  g_assert_null (request_header (r, "Mcp-Param-Region"));

  r = find_request (f, "POST", 2);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "resources/read");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "file:///projects/a.json");

  r = find_request (f, "POST", 3);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "tools/list");
  g_assert_null (request_header (r, "Mcp-Name"));

  r = find_request (f, "POST", 4);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "notifications/x");
  g_assert_cmpstr (request_header (r, "MCP-Protocol-Version"), ==, "2026-07-28");
}

static void
test_header_value_encoding (void)
{
  struct { const char *in, *out; } cases[] = {
    { "us-west1", "us-west1" },
    { "Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?=" },
    { " padded ", "=?base64?IHBhZGRlZCA=?=" },
    { "line1\nline2", "=?base64?bGluZTEKbGluZTI=?=" },
    { "=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = mcp_http_transport_encode_header_value (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_custom_headers (Fixture       *f,
                     gconstpointer  data)
{
  const char *headers[] = { "X-Team: blue", "X-Empty:", "no colon here", NULL };
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GHashTable) bad = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) got = NULL;
  g_autoptr(GError) error = NULL;
  Request *r;

  f->respond = respond_echo_ok;
  g_object_set (f->transport, "headers", headers, NULL);
  mcp_http_transport_set_header (f->transport, "X-Other", "1");
  mcp_http_transport_set_header (f->transport, "x-team", "red");
  mcp_http_transport_set_header (f->transport, "X-Evil", "a\r\nInjected: yes");
  g_object_get (f->transport, "headers", &got, NULL);
  g_assert_cmpuint (g_strv_length (got), ==, 3);
  open_transport (f);
  g_assert_true (send_message (f, request, NULL, NULL, &error));
  g_assert_no_error (error);

  r = find_request (f, "POST", 0);
  g_assert_cmpstr (request_header (r, "X-Team"), ==, "red");
  g_assert_cmpstr (request_header (r, "X-Other"), ==, "1");
  g_assert_cmpstr (request_header (r, "X-Empty"), ==, "");
  g_assert_null (request_header (r, "X-Evil"));
  g_assert_null (request_header (r, "Injected"));

  /* a per-message header that cannot be sent fails that send, before anything is sent */
  g_hash_table_insert (bad, (gpointer) "X-Bad", (gpointer) "a\nb");
  g_assert_false (send_message (f, request, bad, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* The GET stream                                                                             */

static void
respond_get_stream (Fixture           *f,
                    SoupServerMessage *msg,
                    Request           *request,
                    McpMessage        *message)
{
  if (!g_str_equal (request->method, "GET"))
    return;

  if (f->step++ == 0)
    {
      RawConn *c = raw_steal (f, msg, SSE_HEAD_CLOSE);
      raw_write (c, "retry: 100\nid: g1\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
                    "\"notifications/tools/list_changed\"}\n\n");
      raw_write (c, "id: g2\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"ping\"}\n\n");
      raw_close (c);
    }
  else
    respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL);
}

static void
test_listen_reconnects_then_stops (Fixture       *f,
                                   gconstpointer  data)
{
  Request *first, *second;

  f->respond = respond_get_stream;
  initialize (f);
  mcp_http_transport_start_listening (f->transport);
  g_assert_true (mcp_http_transport_get_listening (f->transport));

  WAIT_UNTIL (find_request (f, "GET", 1) != NULL, 5);
  WAIT_UNTIL (!mcp_http_transport_get_listening (f->transport), 5);

  g_assert_cmpuint (f->messages->len, ==, 2);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==,
                   "notifications/tools/list_changed");
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (f->messages, 1)), ==, "s:s1");

  first = find_request (f, "GET", 0);
  second = find_request (f, "GET", 1);
  g_assert_null (request_header (first, "Last-Event-ID"));
  g_assert_cmpstr (request_header (first, "MCP-Session-Id"), ==, "sess-1");
  g_assert_cmpstr (request_header (first, "Accept"), ==, "text/event-stream");
  g_assert_cmpstr (request_header (second, "Last-Event-ID"), ==, "g2");
  g_assert_null (find_request (f, "GET", 2));
}

static void
respond_get_hang (Fixture           *f,
                  SoupServerMessage *msg,
                  Request           *request,
                  McpMessage        *message)
{
  if (g_str_equal (request->method, "GET"))
    {
      RawConn *c = raw_steal (f, msg, SSE_HEAD_CHUNKED);
      raw_write_chunk (c, ": hello\n\n");
      raw_watch_client (c);
    }
}

static void
test_close_stops_listening (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;

  f->respond = respond_get_hang;
  initialize (f);
  mcp_http_transport_start_listening (f->transport);
  WAIT_UNTIL (f->raw_conns->len == 1, 5);

  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, NULL));
  g_assert_false (mcp_http_transport_get_listening (f->transport));
  WAIT_UNTIL (((RawConn *) g_ptr_array_index (f->raw_conns, 0))->closed_by_client, 3);
  g_assert_nonnull (find_request (f, "DELETE", 0));
}

static void
respond_get_404 (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message)
{
  if (g_str_equal (request->method, "GET"))
    respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found");
  else if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "initialize") != 0)
    respond_echo_ok (f, msg, request, message);
}

static void
test_listen_404_not_fatal (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (2, "tools/list", NULL);
  g_autoptr(GError) error = NULL;

  /* as conformance auth servers do: 404 for GET, though the session is fine */
  f->respond = respond_get_404;
  initialize (f);
  mcp_http_transport_start_listening (f->transport);
  WAIT_UNTIL (!mcp_http_transport_get_listening (f->transport), 5);
  g_assert_cmpuint (f->closed_count, ==, 0);
  g_assert_cmpstr (mcp_http_transport_get_session_id (f->transport), ==, "sess-1");
  g_assert_true (send_message (f, request, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_messages_with_id (f, "i:2"), ==, 1);
  g_assert_null (find_request (f, "GET", 1));
}

static void
test_not_open_and_bad_url (void)
{
  g_autoptr(McpHttpTransport) bad = mcp_http_transport_new ("ftp://example.com/x");
  g_autoptr(McpHttpTransport) fresh = mcp_http_transport_new ("http://127.0.0.1:9/mcp");
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mcp_transport_open_async (MCP_TRANSPORT (bad), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_false (mcp_transport_open_finish (MCP_TRANSPORT (bad), result, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&result);

  mcp_transport_send_async (MCP_TRANSPORT (fresh), request, NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 5);
  g_assert_false (mcp_transport_send_finish (MCP_TRANSPORT (fresh), result, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN);
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
  /* Own process group, so teardown can stop node and anything it started; and die with
   * this test process if an assertion aborts it before teardown runs. */
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
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *node = NULL;
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
  /* the server's chatter goes to stderr; stdout carries TAP */
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
  gint64 deadline;

  if (peer->process == NULL)
    return;

  id = g_subprocess_get_identifier (peer->process);
  if (id != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);

      kill (-pid, SIGTERM);
      deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
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
  Peer     peer;
  Fixture  f;
} PeerFixture;

static void
peer_fixture_set_up (PeerFixture   *pf,
                     gconstpointer  data)
{
  pf->f.messages = g_ptr_array_new_with_free_func (g_object_unref);
  if (!peer_start (&pf->peer, "streamableHttp"))
    return;
  pf->f.mcp_url = g_strconcat (pf->peer.base_url, "/mcp", NULL);
  pf->f.transport = mcp_http_transport_new (pf->f.mcp_url);
  g_signal_connect (pf->f.transport, "message", G_CALLBACK (on_message), &pf->f);
  g_signal_connect (pf->f.transport, "closed", G_CALLBACK (on_closed), &pf->f);
  g_signal_connect (pf->f.transport, "log", G_CALLBACK (on_log), &pf->f);
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
  g_free (pf->f.mcp_url);
  g_clear_error (&pf->f.closed_error);
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

static void
test_server_everything (PeerFixture   *pf,
                        gconstpointer  data)
{
  Fixture *f = &pf->f;
  g_autoptr(McpMessage) init = NULL;
  g_autoptr(McpMessage) initialized = NULL;
  g_autoptr(McpMessage) list = NULL;
  g_autoptr(McpMessage) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  McpMessage *answer;
  JsonArray *tools, *content;
  gboolean has_echo = FALSE;

  if (f->transport == NULL)
    return;

  init = new_request (1, "initialize",
                      "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                      "\"clientInfo\":{\"name\":\"tether-test\",\"version\":\"0\"}}");
  open_transport (f);
  g_assert_true (send_message (f, init, NULL, NULL, &error));
  g_assert_no_error (error);
  answer = find_message (f, "i:1");
  g_assert_nonnull (answer);
  g_assert_cmpstr (json_object_get_string_member (mcp_message_get_result (answer),
                                                  "protocolVersion"), ==, "2025-11-25");
  g_assert_nonnull (mcp_http_transport_get_session_id (f->transport));
  mcp_http_transport_set_protocol_version (f->transport, "2025-11-25");

  initialized = mcp_message_new_notification ("notifications/initialized", NULL);
  g_assert_true (send_message (f, initialized, NULL, NULL, &error));
  g_assert_no_error (error);
  mcp_http_transport_start_listening (f->transport);

  list = new_request (2, "tools/list", NULL);
  g_assert_true (send_message (f, list, NULL, NULL, &error));
  g_assert_no_error (error);
  answer = find_message (f, "i:2");
  g_assert_nonnull (answer);
  tools = json_object_get_array_member (mcp_message_get_result (answer), "tools");
  for (guint i = 0; i < json_array_get_length (tools); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                  "name"), "echo") == 0)
      has_echo = TRUE;
  g_assert_true (has_echo);

  call = new_request (3, "tools/call",
                      "{\"name\":\"echo\",\"arguments\":{\"message\":\"hello tether\"}}");
  g_assert_true (send_message (f, call, NULL, NULL, &error));
  g_assert_no_error (error);
  answer = find_message (f, "i:3");
  g_assert_nonnull (answer);
  content = json_object_get_array_member (mcp_message_get_result (answer), "content");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_array_get_object_element (content, 0), "text"),
                            "hello tether"));
  g_assert_cmpuint (count_messages_with_id (f, "i:3"), ==, 1);
  g_assert_true (mcp_http_transport_get_listening (f->transport));

  mcp_transport_close_async (MCP_TRANSPORT (f->transport), NULL, store_result, &result);
  WAIT_UNTIL (result != NULL, 10);
  g_assert_true (mcp_transport_close_finish (MCP_TRANSPORT (f->transport), result, &error));
  g_assert_cmpuint (f->closed_count, ==, 1);
  g_assert_null (mcp_http_transport_get_session_id (f->transport));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/http-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("resumes-a-broken-stream-with-last-event-id", test_resume_after_break);
  ADD ("resumes-an-ended-stream-with-last-event-id", test_resume_after_end);
  ADD ("stream-without-event-ids-fails-with-no-response", test_no_event_id_no_response);
  ADD ("echoes-the-session-id", test_session_id_echoed);
  ADD ("404-with-session-means-session-expired", test_session_expired);
  ADD ("close-sends-delete-with-session", test_delete_on_close);
  ADD ("close-ignores-405-on-delete", test_delete_405_ignored);
  ADD ("401-keeps-www-authenticate", test_unauthorized_keeps_challenge);
  ADD ("403-keeps-www-authenticate", test_forbidden_keeps_challenge);
  ADD ("4xx-with-jsonrpc-error-body-is-a-message", test_error_status_with_jsonrpc_body);
  ADD ("malformed-or-unexpected-bodies-fail", test_malformed_and_unexpected_bodies);
  ADD ("bodies-over-the-limit-are-too-large", test_too_large);
  ADD ("large-event-parsed-in-thread-keeps-order", test_large_event_keeps_order);
  ADD ("cancelling-a-send-closes-its-stream", test_cancel_closes_stream);
  ADD ("close-ends-pending-sends", test_close_ends_sends);
  ADD ("modern-era-headers", test_modern_headers);
  ADD ("posts-reuse-a-kept-alive-connection", test_posts_reuse_a_connection);
  ADD ("broken-post-is-not-sent-again", test_broken_post_is_not_sent_again);
  ADD ("custom-headers", test_custom_headers);
  ADD ("get-stream-reconnects-with-last-event-id", test_listen_reconnects_then_stops);
  ADD ("close-stops-the-get-stream", test_close_stops_listening);
  ADD ("get-stream-refused-is-not-fatal", test_listen_404_not_fatal);
#undef ADD

  g_test_add_func ("/mcp/http-transport/header-value-encoding", test_header_value_encoding);
  g_test_add_func ("/mcp/http-transport/not-open-and-bad-url", test_not_open_and_bad_url);
  g_test_add ("/mcp/http-transport/server-everything", PeerFixture, NULL,
              peer_fixture_set_up, test_server_everything, peer_fixture_tear_down);

  return g_test_run ();
}
