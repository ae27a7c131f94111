/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpHttp1Connection (src/mcp/mcp-http1-connection.c and mcp-http1-body-stream.c)
 * against real servers in the same process: a raw socket server in a thread, which writes
 * exactly the bytes a test asks for (split reads, odd framings, closes at awkward moments),
 * and a SoupServer. */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "mcp-http-common-private.h"
#include "mcp-http-transport.h"
#include "mcp-http1-connection.h"

/* ------------------------------------------------------------------------------------------ */
/* A raw HTTP server in a thread                                                              */

typedef struct _RawServer RawServer;

/* Answers request number @n (0-based, over all connections) on @conn; returns whether to
 * keep the connection for another request. */
typedef gboolean (*RawHandler) (RawServer         *server,
                                GSocketConnection *conn,
                                const char        *request,
                                guint              n);

struct _RawServer
{
  GSocketListener *listener;
  guint16          port;
  GThread         *thread;
  GCancellable    *stop;
  RawHandler       handler;
  GMutex           lock;
  GPtrArray       *requests;      /* every request's text, in order */
  guint            n_connections;
  GCancellable    *release;       /* handlers that hold a response wait for this */
};

/* Reads one request (head and Content-Length body); NULL when the client closed first. */
static char *
raw_read_request (GSocketConnection *conn,
                  GCancellable      *cancellable)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  GString *text = g_string_new (NULL);
  gsize want = 0;

  for (;;)
    {
      char c;
      gssize n;
      const char *end = strstr (text->str, "\r\n\r\n");

      if (end != NULL && want == 0)
        {
          const char *cl = strstr (text->str, "Content-Length: ");

          want = (gsize) (end - text->str) + 4 + (cl ? (gsize) g_ascii_strtoull (cl + 16, NULL, 10)
                                                     : 0);
        }
      if (want > 0 && text->len >= want)
        return g_string_free (text, FALSE);

      n = g_input_stream_read (in, &c, 1, cancellable, NULL);
      if (n <= 0)
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      g_string_append_c (text, c);
    }
}

static void
raw_write (GSocketConnection *conn,
           const char        *text)
{
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), text,
                             strlen (text), NULL, NULL, NULL);
}

/* One byte at a time, each its own TCP segment as far as the client can tell. */
static void
raw_write_bytewise (GSocketConnection *conn,
                    const char        *text)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
  for (const char *p = text; *p; p++)
    {
      g_output_stream_write_all (out, p, 1, NULL, NULL, NULL);
      g_usleep (200);
    }
}

static gpointer
raw_server_thread (gpointer data)
{
  RawServer *server = data;
  guint n_request = 0;

  for (;;)
    {
      g_autoptr(GSocketConnection) conn = NULL;
      gboolean keep = TRUE;

      conn = g_socket_listener_accept (server->listener, NULL, server->stop, NULL);
      if (conn == NULL)
        break;
      g_mutex_lock (&server->lock);
      server->n_connections++;
      g_mutex_unlock (&server->lock);

      while (keep)
        {
          g_autofree char *request = raw_read_request (conn, server->stop);

          if (request == NULL)
            break;
          g_mutex_lock (&server->lock);
          g_ptr_array_add (server->requests, g_strdup (request));
          g_mutex_unlock (&server->lock);
          keep = server->handler (server, conn, request, n_request++);
        }
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  return NULL;
}

static RawServer *
raw_server_new (RawHandler handler)
{
  RawServer *server = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_listener_new ();
  server->port = g_socket_listener_add_any_inet_port (server->listener, NULL, &error);
  g_assert_no_error (error);
  server->handler = handler;
  server->stop = g_cancellable_new ();
  server->release = g_cancellable_new ();
  server->requests = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&server->lock);
  server->thread = g_thread_new ("raw-server", raw_server_thread, server);
  return server;
}

static guint
raw_server_n_requests (RawServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

static char *
raw_server_request (RawServer *server,
                    guint      i)
{
  char *text;

  g_mutex_lock (&server->lock);
  text = g_strdup (i < server->requests->len ? g_ptr_array_index (server->requests, i) : NULL);
  g_mutex_unlock (&server->lock);
  return text;
}

static guint
raw_server_n_connections (RawServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->n_connections;
  g_mutex_unlock (&server->lock);
  return n;
}

static void
raw_server_free (RawServer *server)
{
  g_cancellable_cancel (server->release);
  g_cancellable_cancel (server->stop);
  g_socket_listener_close (server->listener);
  g_thread_join (server->thread);
  g_object_unref (server->listener);
  g_object_unref (server->stop);
  g_object_unref (server->release);
  g_ptr_array_unref (server->requests);
  g_mutex_clear (&server->lock);
  g_free (server);
}

static GUri *
raw_server_uri (RawServer  *server,
                const char *path)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);

  return g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* The client side: one request, its body read through mcp_http_read_body_async()           */

typedef struct {
  gboolean      done;
  GInputStream *stream;
  guint         status;
  char         *reason;
  GBytes       *body;
  GError       *error;          /* of the send, or of the body */
  GCancellable *cancel_in_body; /* cancelled once the head is in, when set */
} Result;

static void
result_clear (Result *r)
{
  g_clear_object (&r->stream);
  g_clear_pointer (&r->reason, g_free);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_error (&r->error);
  g_clear_object (&r->cancel_in_body);
}

static void
on_body (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->body = mcp_http_read_body_finish (result, &r->error);
  r->done = TRUE;
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->stream = mcp_http1_connection_send_finish (MCP_HTTP1_CONNECTION (source), result,
                                                &r->status, &r->reason, &r->error);
  if (r->stream == NULL)
    {
      r->done = TRUE;
      return;
    }
  if (r->cancel_in_body != NULL)
    g_timeout_add (50, cancel_later, r->cancel_in_body);
  mcp_http_read_body_async (r->stream, 1024 * 1024, TRUE, r->cancel_in_body, on_body, r);
}

/* Sends @method to @uri with @body (NULL for none) and reads the whole answer into @r. */
static SoupMessage *
request (McpHttp1Connection *conn,
         const char         *method,
         GUri               *uri,
         const char         *body,
         Result             *r)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);
  g_autoptr(GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Test", "yes");
  r->done = FALSE;
  mcp_http1_connection_send_async (conn, msg, bytes, body ? "application/json" : NULL, NULL,
                                   on_sent, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  return msg;
}

static void
assert_body (Result     *r,
             const char *expected)
{
  g_assert_no_error (r->error);
  g_assert_nonnull (r->body);
  g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                   expected, strlen (expected));
}

/* Lets the client notice what the server did (a close) before the next request. */
static void
settle (void)
{
  g_usleep (50 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------------------------ */
/* Framing and keep-alive                                                                     */

static gboolean
answer_length (RawServer         *server,
               GSocketConnection *conn,
               const char        *request_text,
               guint              n)
{
  g_autofree char *body = g_strdup_printf ("{\"n\":%u}", n);
  g_autofree char *response = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                               "Content-Type: application/json\r\n"
                                               "MCP-Session-Id: s-%u\r\n"
                                               "Content-Length: %zu\r\n\r\n%s",
                                               n, strlen (body), body);
  raw_write (conn, response);
  return TRUE;
}

static void
test_content_length_keep_alive (void)
{
  RawServer *server = raw_server_new (answer_length);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp?x=1");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  g_autofree char *first = NULL;
  g_autofree char *expected_host = NULL;
  Result r = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = request (conn, "POST", uri, "{\"a\":1}", &r);
      g_autofree char *expected = g_strdup_printf ("{\"n\":%u}", i);
      g_autofree char *sid = g_strdup_printf ("s-%u", i);

      assert_body (&r, expected);
      g_assert_cmpuint (r.status, ==, 200);
      g_assert_cmpstr (r.reason, ==, "OK");
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "MCP-Session-Id"), ==, sid);
      result_clear (&r);
    }

  /* one connection served all three */
  g_assert_cmpuint (raw_server_n_connections (server), ==, 1);
  g_assert_cmpuint (raw_server_n_requests (server), ==, 3);

  first = raw_server_request (server, 0);
  expected_host = g_strdup_printf ("\r\nHost: 127.0.0.1:%u\r\n", server->port);
  g_assert_true (g_str_has_prefix (first, "POST /mcp?x=1 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (first, expected_host));
  g_assert_nonnull (strstr (first, "\r\nX-Test: yes\r\n"));
  g_assert_nonnull (strstr (first, "\r\nContent-Type: application/json\r\n"));
  g_assert_nonnull (strstr (first, "\r\nContent-Length: 7\r\n"));
  g_assert_true (g_str_has_suffix (first, "\r\n\r\n{\"a\":1}"));

  raw_server_free (server);
}

static gboolean
answer_chunked_bytewise (RawServer         *server,
                         GSocketConnection *conn,
                         const char        *request_text,
                         guint              n)
{
  raw_write_bytewise (conn, "HTTP/1.1 200 OK\r\n"
                            "Content-Type: application/json\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"
                            "4;name=value;other=\"quoted\"\r\n{\"a\"\r\n"
                            "B \r\n:[1,2,3,4]}\r\n"
                            "0\r\n"
                            "X-Trailer: one\r\n"
                            "X-Other: two\r\n"
                            "\r\n");
  return TRUE;
}

static void
test_chunked_split (void)
{
  RawServer *server = raw_server_new (answer_chunked_bytewise);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);

      assert_body (&r, "{\"a\":[1,2,3,4]}");
      result_clear (&r);
    }
  /* the trailers were read through: the connection was clean for the second request */
  g_assert_cmpuint (raw_server_n_connections (server), ==, 1);
  raw_server_free (server);
}

static gboolean
answer_bad_chunk (RawServer         *server,
                  GSocketConnection *conn,
                  const char        *request_text,
                  guint              n)
{
  raw_write (conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "zz\r\nabc\r\n0\r\n\r\n");
  return TRUE;
}

static void
test_chunked_bad_size (void)
{
  RawServer *server = raw_server_new (answer_bad_chunk);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  g_autoptr(SoupMessage) msg = NULL;
  Result r = { 0 };

  msg = request (conn, "POST", uri, "{}", &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  result_clear (&r);
  raw_server_free (server);
}

static gboolean
answer_connection_close (RawServer         *server,
                         GSocketConnection *conn,
                         const char        *request_text,
                         guint              n)
{
  raw_write (conn, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
  /* keeps the connection open on our side: the client must not use it again anyway */
  return TRUE;
}

static void
test_connection_close (void)
{
  RawServer *server = raw_server_new (answer_connection_close);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);

      assert_body (&r, "ok");
      result_clear (&r);
    }
  g_assert_cmpuint (raw_server_n_connections (server), ==, 2);
  raw_server_free (server);
}

static gboolean
answer_then_close (RawServer         *server,
                   GSocketConnection *conn,
                   const char        *request_text,
                   guint              n)
{
  /* says keep-alive, then closes the idle connection */
  raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  return FALSE;
}

static void
test_idle_closed_by_server (void)
{
  RawServer *server = raw_server_new (answer_then_close);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);

      assert_body (&r, "ok");
      result_clear (&r);
      settle ();
    }
  /* every request went once, each on a new connection */
  g_assert_cmpuint (raw_server_n_requests (server), ==, 3);
  g_assert_cmpuint (raw_server_n_connections (server), ==, 3);
  raw_server_free (server);
}

static gboolean
answer_partly_then_close (RawServer         *server,
                          GSocketConnection *conn,
                          const char        *request_text,
                          guint              n)
{
  raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":");
  return FALSE;
}

static void
test_close_mid_body (void)
{
  RawServer *server = raw_server_new (answer_partly_then_close);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  g_autoptr(SoupMessage) msg = NULL;
  Result r = { 0 };

  msg = request (conn, "POST", uri, "{}", &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  result_clear (&r);
  settle ();
  /* never sent again */
  g_assert_cmpuint (raw_server_n_requests (server), ==, 1);
  raw_server_free (server);
}

static gboolean
close_without_answer (RawServer         *server,
                      GSocketConnection *conn,
                      const char        *request_text,
                      guint              n)
{
  if (n == 0)
    raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  return n == 0;
}

static void
test_close_before_answer (void)
{
  RawServer *server = raw_server_new (close_without_answer);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  {
    g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);
    assert_body (&r, "ok");
    result_clear (&r);
  }
  {
    /* the kept-alive connection takes the request; the server reads it and closes */
    g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{\"second\":1}", &r);
    g_assert_error (r.error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BROKEN);
    result_clear (&r);
  }
  settle ();
  g_assert_cmpuint (raw_server_n_requests (server), ==, 2);
  g_assert_cmpuint (raw_server_n_connections (server), ==, 1);
  raw_server_free (server);
}

/* ------------------------------------------------------------------------------------------ */
/* Response heads                                                                             */

static const char *bad_head;

static gboolean
answer_bad_head (RawServer         *server,
                 GSocketConnection *conn,
                 const char        *request_text,
                 guint              n)
{
  raw_write (conn, bad_head);
  return TRUE;
}

static void
check_bad_head (const char *head)
{
  RawServer *server;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(McpHttp1Connection) conn = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Result r = { 0 };

  bad_head = head;
  server = raw_server_new (answer_bad_head);
  uri = raw_server_uri (server, "/mcp");
  conn = mcp_http1_connection_new (uri);
  msg = request (conn, "POST", uri, "{}", &r);
  g_assert_error (r.error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE);
  g_assert_null (r.stream);
  result_clear (&r);
  raw_server_free (server);
}

static void
test_bad_heads (void)
{
  g_autofree char *long_line = NULL;
  GString *many = g_string_new ("HTTP/1.1 200 OK\r\n");
  g_autofree char *many_text = NULL;

  long_line = g_strdup_printf ("HTTP/1.1 200 OK\r\nX-Long: %0*d\r\nContent-Length: 0\r\n\r\n",
                               9000, 0);
  check_bad_head (long_line);

  for (guint i = 0; i < 120; i++)
    g_string_append_printf (many, "X-H%u: v\r\n", i);
  g_string_append (many, "Content-Length: 0\r\n\r\n");
  many_text = g_string_free (many, FALSE);
  check_bad_head (many_text);

  /* obs-fold */
  check_bad_head ("HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\nContent-Length: 0\r\n\r\n");
  check_bad_head ("SPDY/3 200 OK\r\nContent-Length: 0\r\n\r\n");
  check_bad_head ("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok");
  check_bad_head ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
  check_bad_head ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
  check_bad_head ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");
  check_bad_head ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nok");
}

static gboolean
answer_no_body (RawServer         *server,
                GSocketConnection *conn,
                const char        *request_text,
                guint              n)
{
  if (g_str_has_prefix (request_text, "HEAD "))
    /* a HEAD answer names the length of the body it does not carry */
    raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
  else if (n == 1)
    raw_write (conn, "HTTP/1.1 204 No Content\r\n\r\n");
  else
    raw_write (conn, "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n");
  return TRUE;
}

static void
test_no_body (void)
{
  RawServer *server = raw_server_new (answer_no_body);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  const char *methods[] = { "HEAD", "POST", "GET", "HEAD" };
  const guint statuses[] = { 200, 204, 304, 200 };
  Result r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, methods[i], uri,
                                            i == 1 ? "{}" : NULL, &r);

      assert_body (&r, "");
      g_assert_cmpuint (r.status, ==, statuses[i]);
      result_clear (&r);
    }
  g_assert_cmpuint (raw_server_n_connections (server), ==, 1);
  raw_server_free (server);
}

static gboolean
answer_interim_then_until_close (RawServer         *server,
                                 GSocketConnection *conn,
                                 const char        *request_text,
                                 guint              n)
{
  raw_write (conn, "HTTP/1.1 100 Continue\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
  return FALSE;
}

static void
test_interim_and_until_close (void)
{
  RawServer *server = raw_server_new (answer_interim_then_until_close);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);

      assert_body (&r, "until the end");
      g_assert_cmpuint (r.status, ==, 200);
      result_clear (&r);
    }
  g_assert_cmpuint (raw_server_n_connections (server), ==, 2);
  raw_server_free (server);
}

/* ------------------------------------------------------------------------------------------ */
/* Cancellation                                                                               */

static gboolean
answer_and_stall (RawServer         *server,
                  GSocketConnection *conn,
                  const char        *request_text,
                  guint              n)
{
  if (n > 0)
    {
      raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      return TRUE;
    }
  raw_write (conn, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345");
  /* the rest never comes */
  while (!g_cancellable_is_cancelled (server->release))
    {
      char c;

      if (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), &c, 1,
                               server->release, NULL) <= 0)
        break;
    }
  return FALSE;
}

static void
test_cancel_mid_body (void)
{
  RawServer *server = raw_server_new (answer_and_stall);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Result r = { 0 };

  {
    g_autoptr(SoupMessage) msg = NULL;

    r.cancel_in_body = g_cancellable_new ();
    msg = request (conn, "POST", uri, "{}", &r);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    /* closing the body mid-way closes the connection: the server's read ends */
    g_input_stream_close (r.stream, NULL, NULL);
    result_clear (&r);
  }
  {
    g_autoptr(SoupMessage) msg G_GNUC_UNUSED = request (conn, "POST", uri, "{}", &r);

    assert_body (&r, "ok");
    result_clear (&r);
  }
  g_assert_cmpuint (raw_server_n_connections (server), ==, 2);
  raw_server_free (server);
}

static void
test_cancel_before (void)
{
  RawServer *server = raw_server_new (answer_length);
  g_autoptr(GUri) uri = raw_server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", uri);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  g_cancellable_cancel (cancellable);
  mcp_http1_connection_send_async (conn, msg, NULL, NULL, cancellable, on_sent, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&r);
  raw_server_free (server);
}

/* ------------------------------------------------------------------------------------------ */
/* Against SoupServer                                                                         */

static void
soup_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);

  soup_message_headers_replace (response_headers, "DPoP-Nonce", "nonce-1");
  if (g_strcmp0 (path, "/chunked") == 0)
    {
      SoupMessageBody *response_body = soup_server_message_get_response_body (msg);

      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response_headers, "application/json", NULL);
      soup_message_body_append (response_body, SOUP_MEMORY_COPY, "[", 1);
      soup_message_body_append_bytes (response_body, body);
      soup_message_body_append (response_body, SOUP_MEMORY_COPY, "]", 1);
      soup_message_body_complete (response_body);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  if (g_strcmp0 (path, "/denied") == 0)
    {
      soup_message_headers_append (response_headers, "WWW-Authenticate", "Bearer error=\"x\"");
      soup_message_headers_append (response_headers, "WWW-Authenticate", "DPoP algs=\"ES256\"");
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, "Who Are You");
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
count_got_headers (SoupMessage *msg,
                   gpointer     user_data)
{
  (*(guint *) user_data)++;
}

static void
test_soup_server (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(McpHttp1Connection) conn = NULL;
  g_autoslist(GUri) uris = NULL;
  Result r = { 0 };

  soup_server_add_handler (server, NULL, soup_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_ref (uris->data);
  uri = g_uri_parse_relative (base, "/plain", SOUP_HTTP_URI_FLAGS, NULL);
  conn = mcp_http1_connection_new (uri);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", uri);
      g_autoptr(GBytes) body = g_bytes_new_static ("{\"echo\":true}", 13);
      guint got_headers = 0;

      g_signal_connect (msg, "got-headers", G_CALLBACK (count_got_headers), &got_headers);
      r.done = FALSE;
      mcp_http1_connection_send_async (conn, msg, body, "application/json", NULL, on_sent, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      assert_body (&r, "{\"echo\":true}");
      g_assert_cmpuint (got_headers, ==, 1);
      g_assert_true (mcp_http_has_content_type (msg, "application/json"));
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "DPoP-Nonce"), ==, "nonce-1");
      result_clear (&r);
    }

  {
    g_autoptr(GUri) chunked = g_uri_parse_relative (base, "/chunked", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(SoupMessage) msg = request (conn, "POST", chunked, "{\"x\":2}", &r);

    assert_body (&r, "[{\"x\":2}]");
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (msg)),
                     ==, SOUP_ENCODING_CHUNKED);
    result_clear (&r);
  }
  {
    g_autoptr(GUri) denied = g_uri_parse_relative (base, "/denied", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(SoupMessage) msg = request (conn, "POST", denied, "{}", &r);
    g_auto(GStrv) challenges = mcp_http_collect_www_authenticate (msg);
    g_autoptr(GError) status_error = NULL;

    g_assert_no_error (r.error);
    g_assert_cmpuint (r.status, ==, 401);
    g_assert_cmpstr (r.reason, ==, "Who Are You");
    g_assert_cmpuint (g_strv_length (challenges), ==, 2);
    g_assert_cmpstr (challenges[0], ==, "Bearer error=\"x\"");
    g_assert_cmpstr (challenges[1], ==, "DPoP algs=\"ES256\"");
    status_error = mcp_http_status_error_for (r.status, r.reason, "POST", "u", NULL);
    g_assert_error (status_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
    result_clear (&r);
  }

  soup_server_disconnect (server);
}

/* ------------------------------------------------------------------------------------------ */
/* https                                                                                      */

/* A self-signed certificate for 127.0.0.1 (valid for a hundred years), made for this test. */
static const char test_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkDCCATagAwIBAgIUW6Glcory0G7FbF4Ler/x4jMkY54wCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjA4MjEyMVoYDzIxMjYxMTAy\n"
  "MDgyMTIxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQzihqIsuL+lAHau7vGNK49n/iUhT65EHwsPRmPleIUM8ptgNNQD9nQ\n"
  "jXS5a7wWJUP1OtTJoFbcXgqzUtV5xe5yo2QwYjAdBgNVHQ4EFgQUzu7YCzt3s7gW\n"
  "2Qg5ahAiM//VWkswHwYDVR0jBBgwFoAUzu7YCzt3s7gW2Qg5ahAiM//VWkswDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
  "IQCyhPvsdt2e8dhj9FW1OTJ21ombTHUQA9yD7yY3EGhfagIgNk3gcTZS7I7+kxrV\n"
  "MqNDWAV7yGDxuD+jHa68nsAi144=\n"
  "-----END CERTIFICATE-----\n";
static const char test_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgErKAeBbGjyLTnycI\n"
  "hbT+v3Lgaze6zHUnIwD/4Jq/akehRANCAAQzihqIsuL+lAHau7vGNK49n/iUhT65\n"
  "EHwsPRmPleIUM8ptgNNQD9nQjXS5a7wWJUP1OtTJoFbcXgqzUtV5xe5y\n"
  "-----END PRIVATE KEY-----\n";

static void
count_requests (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  (*(guint *) user_data)++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static void
test_https_untrusted (void)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(McpHttp1Connection) conn = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *pem = g_strconcat (test_cert_pem, test_key_pem, NULL);
  guint n_requests = 0;
  Result r = { 0 };

  cert = g_tls_certificate_new_from_pem (pem, -1, &error);
  if (cert == NULL)
    {
      g_test_skip ("No TLS backend");
      return;
    }
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, count_requests, &n_requests, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = g_uri_ref (uris->data);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  conn = mcp_http1_connection_new (uri);

  /* the certificate is nobody's: the default database must refuse it, and nothing is sent */
  msg = request (conn, "POST", uri, "{}", &r);
  g_assert_error (r.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (n_requests, ==, 0);
  result_clear (&r);
  soup_server_disconnect (server);
}

/* ------------------------------------------------------------------------------------------ */
/* In McpHttpTransport                                                                        */

typedef struct {
  guint n_mcp;      /* POSTs to /mcp */
  guint n_real;     /* POSTs to /real */
} RedirectCounts;

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RedirectCounts *counts = user_data;
  const char *answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";

  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (g_strcmp0 (path, "/mcp") == 0)
    {
      counts->n_mcp++;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", "/real");
      soup_server_message_set_status (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL);
      return;
    }
  counts->n_real++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                    strlen (answer));
}

typedef struct {
  gboolean  done;
  GError   *error;
  guint     n_messages;
} SendResult;

static void
on_transport_message (McpTransport *transport,
                      McpMessage   *message,
                      gpointer      user_data)
{
  ((SendResult *) user_data)->n_messages++;
}

static void
on_transport_opened (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendResult *sr = user_data;

  mcp_transport_open_finish (MCP_TRANSPORT (source), result, &sr->error);
  sr->done = TRUE;
}

static void
on_transport_sent (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SendResult *sr = user_data;

  mcp_transport_send_finish (MCP_TRANSPORT (source), result, &sr->error);
  sr->done = TRUE;
}

/* Sends one request through @transport; returns the error. */
static GError *
transport_round_trip (McpHttpTransport *transport)
{
  g_autoptr(McpMessage) message = mcp_message_new_request_int (1, "ping", NULL);
  SendResult sr = { 0 };

  mcp_transport_open_async (MCP_TRANSPORT (transport), NULL, on_transport_opened, &sr);
  while (!sr.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sr.error);

  sr.done = FALSE;
  mcp_transport_send_async (MCP_TRANSPORT (transport), message, NULL, on_transport_sent, &sr);
  while (!sr.done)
    g_main_context_iteration (NULL, TRUE);
  return sr.error;
}

static void
test_transport_redirect (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *real_url = NULL;
  RedirectCounts counts = { 0 };
  McpHttpTransport *transports[3];

  soup_server_add_handler (server, NULL, redirect_handler, &counts, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/mcp", g_uri_get_port (uris->data));
  real_url = g_strdup_printf ("http://127.0.0.1:%d/real", g_uri_get_port (uris->data));

  /* The fast path and libsoup (a session of the caller's) answer a 307 to a POST alike: an
   * error, the POST not sent again. */
  transports[0] = mcp_http_transport_new (url);
  transports[1] = mcp_http_transport_new_with_session (url, session);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) send_error = NULL;

      counts.n_mcp = counts.n_real = 0;
      send_error = transport_round_trip (transports[i]);
      g_assert_error (send_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
      g_assert_nonnull (strstr (send_error->message, "HTTP 307 Temporary Redirect from POST"));
      g_assert_cmpuint (counts.n_mcp, ==, 1);
      g_assert_cmpuint (counts.n_real, ==, 0);
      g_object_unref (transports[i]);
    }

  /* and the answer of a plain POST arrives as a message */
  transports[2] = mcp_http_transport_new (real_url);
  {
    SendResult sr = { 0 };
    g_autoptr(GError) send_error = NULL;

    g_signal_connect (transports[2], "message", G_CALLBACK (on_transport_message), &sr);
    send_error = transport_round_trip (transports[2]);
    g_assert_no_error (send_error);
    g_assert_cmpuint (sr.n_messages, ==, 1);
    g_assert_cmpuint (counts.n_real, ==, 1);
    g_signal_handlers_disconnect_by_data (transports[2], &sr);
  }
  g_object_unref (transports[2]);
  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http1-connection/content-length-keep-alive", test_content_length_keep_alive);
  g_test_add_func ("/http1-connection/chunked-split", test_chunked_split);
  g_test_add_func ("/http1-connection/chunked-bad-size", test_chunked_bad_size);
  g_test_add_func ("/http1-connection/connection-close", test_connection_close);
  g_test_add_func ("/http1-connection/idle-closed-by-server", test_idle_closed_by_server);
  g_test_add_func ("/http1-connection/close-mid-body", test_close_mid_body);
  g_test_add_func ("/http1-connection/close-before-answer", test_close_before_answer);
  g_test_add_func ("/http1-connection/bad-heads", test_bad_heads);
  g_test_add_func ("/http1-connection/no-body", test_no_body);
  g_test_add_func ("/http1-connection/interim-and-until-close", test_interim_and_until_close);
  g_test_add_func ("/http1-connection/cancel-mid-body", test_cancel_mid_body);
  g_test_add_func ("/http1-connection/cancel-before", test_cancel_before);
  g_test_add_func ("/http1-connection/soup-server", test_soup_server);
  g_test_add_func ("/http1-connection/https-untrusted", test_https_untrusted);
  g_test_add_func ("/http1-connection/transport-redirect", test_transport_redirect);

  return g_test_run ();
}
