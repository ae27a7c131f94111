/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the bytes McpHttp1Connection reads and writes (src/mcp/mcp-http1-wire.c): the
 * response head parser on its own, and through a connection to a SoupServer in the same
 * main context (and a raw server in a thread) the parts of mcp-http1-connection.c and
 * mcp-http1-body-stream.c that keep one call cheap: the socket's watch, a request larger than
 * the socket takes at once, a body that frees its connection with its last byte. */

#include "config.h"

#include <string.h>

#include "mcp-http-common-private.h"
#include "mcp-http1-wire-private.h"

/* ------------------------------------------------------------------------------------------ */
/* The response head                                                                          */

typedef struct {
  SoupMessageHeaders *headers;
  SoupHTTPVersion     version;
  guint               status;
  char               *reason;
  GError             *error;
} Head;

static gboolean
parse (const char *text,
       Head       *head)
{
  g_autofree char *copy = g_strdup (text);
  gsize searched = 0;
  gsize end = mcp_http1_wire_find_head_end ((const guint8 *) copy, strlen (copy), &searched);

  g_assert_cmpuint (end, >, 0);
  head->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return mcp_http1_wire_parse_head (copy, end, head->headers, &head->version, &head->status,
                                    &head->reason, &head->error);
}

static void
head_clear (Head *head)
{
  g_clear_pointer (&head->headers, soup_message_headers_unref);
  g_clear_pointer (&head->reason, g_free);
  g_clear_error (&head->error);
}

static void
assert_bad (const char *text)
{
  Head head = { 0 };

  g_test_message ("head: %s", text);
  g_assert_false (parse (text, &head));
  g_assert_error (head.error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE);
  g_assert_null (head.reason);
  head_clear (&head);
}

static void
test_head_fields (void)
{
  Head head = { 0 };

  g_assert_true (parse ("HTTP/1.1 201 Created Here\r\n"
                        "Content-Type:application/json \r\n"
                        "X-Empty:\r\n"
                        "X-Spaced: \t a  b \t\r\n"
                        "Vary: a\r\n"
                        "vary: b\r\n"
                        "MCP-Session-Id: s-1\r\n"
                        "\r\n"
                        "body", &head));
  g_assert_no_error (head.error);
  g_assert_cmpint (head.version, ==, SOUP_HTTP_1_1);
  g_assert_cmpuint (head.status, ==, 201);
  g_assert_cmpstr (head.reason, ==, "Created Here");
  g_assert_cmpstr (soup_message_headers_get_content_type (head.headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-Empty"), ==, "");
  /* leading and trailing whitespace go, inner whitespace stays */
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "x-spaced"), ==, "a  b");
  g_assert_cmpstr (soup_message_headers_get_list (head.headers, "Vary"), ==, "a, b");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "Mcp-Session-Id"), ==, "s-1");
  head_clear (&head);
}

static void
test_head_status_lines (void)
{
  Head head = { 0 };

  /* no reason phrase, with or without the space before it */
  g_assert_true (parse ("HTTP/1.1 204\r\n\r\n", &head));
  g_assert_cmpuint (head.status, ==, 204);
  g_assert_cmpstr (head.reason, ==, "");
  head_clear (&head);
  g_assert_true (parse ("HTTP/1.1 404 \r\n\r\n", &head));
  g_assert_cmpuint (head.status, ==, 404);
  g_assert_cmpstr (head.reason, ==, "");
  head_clear (&head);

  /* 1.0 is told apart: it is not kept alive */
  g_assert_true (parse ("HTTP/1.0 200 OK\r\n\r\n", &head));
  g_assert_cmpint (head.version, ==, SOUP_HTTP_1_0);
  head_clear (&head);

  assert_bad ("HTTP/2 200 OK\r\n\r\n");
  assert_bad ("HTTP/2.0 200 OK\r\n\r\n");
  assert_bad ("HTTP/1.1 20 OK\r\n\r\n");
  assert_bad ("HTTP/1.1 2000 OK\r\n\r\n");
  assert_bad ("HTTP/1.1  200 OK\r\n\r\n");
  assert_bad ("http/1.1 200 OK\r\n\r\n");
  assert_bad ("ICY 200 OK\r\n\r\n");
  assert_bad ("\r\nHTTP/1.1 200 OK\r\n\r\n");
}

static void
test_head_strict (void)
{
  /* obs-fold */
  assert_bad ("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n");
  assert_bad ("HTTP/1.1 200 OK\r\nX-A: one\r\n\ttwo\r\n\r\n");
  /* a bare CR, in a value or in the status line */
  assert_bad ("HTTP/1.1 200 OK\r\nX-A: one\rX-B: two\r\n\r\n");
  assert_bad ("HTTP/1.1 200 O\rK\r\n\r\n");
  /* names: whitespace before the colon, no colon, an empty name, a non-token byte */
  assert_bad ("HTTP/1.1 200 OK\r\nX-A : one\r\n\r\n");
  assert_bad ("HTTP/1.1 200 OK\r\nX-A one\r\n\r\n");
  assert_bad ("HTTP/1.1 200 OK\r\n: one\r\n\r\n");
  assert_bad ("HTTP/1.1 200 OK\r\nX(A): one\r\n\r\n");
  assert_bad ("HTTP/1.1 200 OK\r\nX\xc3\xa9: one\r\n\r\n");
}

static void
test_head_nul (void)
{
  const char text[] = "HTTP/1.1 200 OK\r\nX-A: o\0ne\r\n\r\n";
  const char in_name[] = "HTTP/1.1 200 OK\r\nX-\0A: one\r\n\r\n";
  const char *heads[] = { text, in_name };
  const gsize sizes[] = { sizeof text - 1, sizeof in_name - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autofree char *copy = g_memdup2 (heads[i], sizes[i]);
      g_autoptr(SoupMessageHeaders) headers =
        soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;
      SoupHTTPVersion version;
      guint status;
      gsize searched = 0;
      gsize end = mcp_http1_wire_find_head_end ((const guint8 *) copy, sizes[i], &searched);

      g_assert_cmpuint (end, ==, sizes[i]);
      g_assert_false (mcp_http1_wire_parse_head (copy, end, headers, &version, &status, &reason,
                                                 &error));
      g_assert_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE);
      g_assert_null (reason);
    }
}

static void
test_head_not_utf8 (void)
{
  Head head = { 0 };

  /* Latin-1 bytes (obs-text) are accepted and, as libsoup does, made valid UTF-8 */
  g_assert_true (parse ("HTTP/1.1 200 Ol\xe9\r\n"
                        "X-Name: caf\xe9 au lait\r\n"
                        "X-Fine: caf\xc3\xa9\r\n"
                        "\r\n", &head));
  g_assert_no_error (head.error);
  g_assert_cmpstr (head.reason, ==, "Ol\xef\xbf\xbd");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-Name"), ==,
                   "caf\xef\xbf\xbd au lait");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-Fine"), ==, "caf\xc3\xa9");
  head_clear (&head);
}

static void
test_head_lf_only_lines (void)
{
  Head head = { 0 };

  /* a bare LF ends a line too (RFC 9112 §2.2); the head still ends at CRLF CRLF */
  g_assert_true (parse ("HTTP/1.1 200 OK\nX-A: one\nX-B: two\r\n\r\n", &head));
  g_assert_cmpstr (head.reason, ==, "OK");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-A"), ==, "one");
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-B"), ==, "two");
  head_clear (&head);
}

static void
test_head_limits (void)
{
  GString *text = g_string_new ("HTTP/1.1 200 OK\r\n");
  g_autofree char *long_line = NULL;
  g_autofree char *longest = NULL;
  Head head = { 0 };

  for (guint i = 0; i < MCP_HTTP1_MAX_HEADERS; i++)
    g_string_append_printf (text, "X-H%u: v\r\n", i);
  g_string_append (text, "\r\n");
  g_assert_true (parse (text->str, &head));
  g_assert_cmpstr (soup_message_headers_get_one (head.headers, "X-H99"), ==, "v");
  head_clear (&head);

  /* one more is too many */
  g_string_truncate (text, text->len - 2);
  g_string_append (text, "X-Last: v\r\n\r\n");
  assert_bad (text->str);
  g_string_free (text, TRUE);

  longest = g_strdup_printf ("HTTP/1.1 200 OK\r\nX-L: %0*d\r\n\r\n",
                             MCP_HTTP1_MAX_HEAD_LINE - 5, 0);
  g_assert_true (parse (longest, &head));
  head_clear (&head);
  long_line = g_strdup_printf ("HTTP/1.1 200 OK\r\nX-L: %0*d\r\n\r\n",
                               MCP_HTTP1_MAX_HEAD_LINE - 4, 0);
  assert_bad (long_line);
}

static void
test_head_end (void)
{
  const char *text = "HTTP/1.1 200 OK\r\nA: b\r\n\r\nrest";
  gsize searched = 0;

  /* fed a byte at a time, the end is found where it is, and only then */
  for (gsize len = 0; len <= strlen (text); len++)
    {
      gsize end = mcp_http1_wire_find_head_end ((const guint8 *) text, len, &searched);

      if (len < 25)
        {
          g_assert_cmpuint (end, ==, 0);
          g_assert_cmpuint (searched, ==, len);
        }
      else
        g_assert_cmpuint (end, ==, 25);
    }

  searched = 0;
  g_assert_cmpuint (mcp_http1_wire_find_head_end ((const guint8 *) "\r\n\r\n", 4, &searched),
                    ==, 4);
  searched = 0;
  g_assert_cmpuint (mcp_http1_wire_find_head_end ((const guint8 *) "A\n\r\n\n\r\r\n", 8,
                                                  &searched), ==, 0);
}

static void
test_request_bytes (void)
{
  g_autoptr(GUri) uri = g_uri_parse ("http://example.test:8080/mcp?a=1", G_URI_FLAGS_NONE, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autofree char *text = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Test", "yes");
  /* the framing is ours, whatever the message says */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Length", "3");
  request = mcp_http1_wire_build_request (msg, "example.test:8080", body, "application/json");
  text = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));
  g_assert_true (g_str_has_prefix (text, "POST /mcp?a=1 HTTP/1.1\r\nHost: example.test:8080\r\n"));
  g_assert_nonnull (strstr (text, "\r\nX-Test: yes\r\n"));
  g_assert_nonnull (strstr (text, "\r\nContent-Type: application/json\r\n"));
  g_assert_nonnull (strstr (text, "\r\nContent-Length: 10\r\n\r\n0123456789"));
  g_assert_null (strstr (text, "Content-Length: 3"));
  g_assert_true (g_str_has_suffix (text, "\r\n\r\n0123456789"));

  /* a POST without a body says so */
  empty = mcp_http1_wire_build_request (msg, "example.test:8080", NULL, NULL);
  g_clear_pointer (&text, g_free);
  text = g_strndup (g_bytes_get_data (empty, NULL), g_bytes_get_size (empty));
  g_assert_true (g_str_has_suffix (text, "\r\nContent-Length: 0\r\n\r\n"));
}

/* ------------------------------------------------------------------------------------------ */
/* Through a connection, against a SoupServer                                                 */

typedef struct {
  SoupServer *server;
  GUri       *uri;
  GPtrArray  *peers;        /* the client port of every request */
  gsize       last_size;    /* of the last request body */
  GPtrArray  *paused;       /* messages left unanswered */
} Server;

static void
server_handler (SoupServer        *soup_server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  GInetSocketAddress *peer = G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg));

  g_ptr_array_add (server->peers, g_strdup_printf ("%u", g_inet_socket_address_get_port (peer)));
  server->last_size = (gsize) request->length;

  if (g_str_equal (path, "/stall"))
    {
      g_ptr_array_add (server->paused, g_object_ref (msg));
      soup_server_message_pause (msg);
      return;
    }
  {
    g_autofree char *answer = g_strdup_printf ("{\"size\":%" G_GSIZE_FORMAT "}",
                                               server->last_size);

    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                      strlen (answer));
    soup_server_message_set_status (msg, 200, NULL);
  }
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new (NULL, NULL);
  server->peers = g_ptr_array_new_with_free_func (g_free);
  server->paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (server->server, NULL, server_handler, server, NULL);
  g_assert_true (soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);
  server->uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
server_free (Server *server)
{
  for (guint i = 0; i < server->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (server->paused, i));
  g_ptr_array_unref (server->paused);
  soup_server_disconnect (server->server);
  g_object_unref (server->server);
  g_uri_unref (server->uri);
  g_ptr_array_unref (server->peers);
  g_free (server);
}

static GUri *
server_uri (Server     *server,
            const char *path)
{
  return g_uri_build (G_URI_FLAGS_NONE, "http", NULL, g_uri_get_host (server->uri),
                      g_uri_get_port (server->uri), path, NULL, NULL);
}

typedef struct {
  gboolean      done;
  GInputStream *stream;
  guint         status;
  GError       *error;
} Sent;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->stream = mcp_http1_connection_send_finish (MCP_HTTP1_CONNECTION (source), result,
                                                   &sent->status, NULL, &sent->error);
  sent->done = TRUE;
}

static gboolean
on_too_long (gpointer user_data)
{
  g_error ("No answer after 10 s: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
send_and_wait (McpHttp1Connection *conn,
               GUri               *uri,
               GBytes             *body,
               GCancellable       *cancellable,
               Sent               *sent)
{
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", uri);
  guint guard = g_timeout_add_seconds (10, on_too_long, (gpointer) g_uri_get_path (uri));

  memset (sent, 0, sizeof *sent);
  mcp_http1_connection_send_async (conn, msg, body, "application/json", cancellable, on_sent,
                                   sent);
  while (!sent->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

typedef struct {
  gboolean  done;
  gsize     got;
  GError   *error;
} ReadAll;

static void
on_read_all (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ReadAll *state = user_data;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &state->got, &state->error);
  state->done = TRUE;
}

/* Reads exactly @len bytes of @stream (not its end), letting the main loop run: the
 * SoupServer answers from it. */
static char *
read_exactly (GInputStream *stream,
              gsize         len)
{
  char *data = g_malloc0 (len + 1);
  ReadAll state = { 0 };

  g_input_stream_read_all_async (stream, data, len, G_PRIORITY_DEFAULT, NULL, on_read_all,
                                 &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.got, ==, len);
  return data;
}

/* A server in a thread that answers every request on a connection with @response, written
 * at once, and counts the connections. */
typedef struct {
  GSocketListener *listener;
  guint16          port;
  GThread         *thread;
  GCancellable    *stop;
  const char      *response;
  guint            n_connections;   /* atomic */
} RawServer;

static gpointer
raw_server_thread (gpointer data)
{
  RawServer *server = data;

  for (;;)
    {
      g_autoptr(GSocketConnection) conn = NULL;
      GInputStream *in;
      GOutputStream *out;
      GString *request = g_string_new (NULL);

      conn = g_socket_listener_accept (server->listener, NULL, server->stop, NULL);
      if (conn == NULL)
        {
          g_string_free (request, TRUE);
          return NULL;
        }
      g_atomic_int_inc (&server->n_connections);
      /* one connection at a time: one left open by the client is given up on after a while */
      g_socket_set_timeout (g_socket_connection_get_socket (conn), 2);
      in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
      out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
      for (;;)
        {
          char c;

          /* requests without a body, up to their blank line */
          if (g_input_stream_read (in, &c, 1, server->stop, NULL) != 1)
            break;
          g_string_append_c (request, c);
          if (g_str_has_suffix (request->str, "\r\n\r\n"))
            {
              g_string_truncate (request, 0);
              if (!g_output_stream_write_all (out, server->response, strlen (server->response),
                                              NULL, server->stop, NULL))
                break;
            }
        }
      g_string_free (request, TRUE);
    }
}

static RawServer *
raw_server_new (const char *response)
{
  RawServer *server = g_new0 (RawServer, 1);
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_listener_new ();
  server->port = g_socket_listener_add_any_inet_port (server->listener, NULL, &error);
  g_assert_no_error (error);
  server->stop = g_cancellable_new ();
  server->response = response;
  server->thread = g_thread_new ("raw-server", raw_server_thread, server);
  return server;
}

static void
raw_server_free (RawServer *server)
{
  g_cancellable_cancel (server->stop);
  g_thread_join (server->thread);
  g_socket_listener_close (server->listener);
  g_object_unref (server->listener);
  g_object_unref (server->stop);
  g_free (server);
}

static void
test_large_request (void)
{
  Server *server = server_new ();
  g_autoptr(GUri) uri = server_uri (server, "/mcp");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  gsize size = 8 * 1024 * 1024;
  g_autofree char *data = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *expected = g_strdup_printf ("{\"size\":%" G_GSIZE_FORMAT "}", size);
  g_autofree char *answer = NULL;
  Sent sent;

  /* more than the socket takes at once: the rest goes out as the server reads */
  memset (data, 'x', size);
  body = g_bytes_new_take (g_steal_pointer (&data), size);
  send_and_wait (conn, uri, body, NULL, &sent);
  g_assert_no_error (sent.error);
  g_assert_cmpuint (sent.status, ==, 200);
  g_assert_cmpuint (server->last_size, ==, size);
  answer = read_exactly (sent.stream, strlen (expected));
  g_assert_cmpstr (answer, ==, expected);
  g_clear_object (&sent.stream);
  server_free (server);
}

static void
test_last_byte_frees_connection (void)
{
  RawServer *server = raw_server_new ("HTTP/1.1 200 OK\r\n"
                                      "Content-Type: text/event-stream\r\n"
                                      "Transfer-Encoding: chunked\r\n"
                                      "\r\n"
                                      "d\r\ndata: first\n\n\r\n"
                                      "c;ext=1\r\ndata: last\n\n\r\n"
                                      "0\r\nX-Trailer: t\r\n\r\n");
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/mcp", server->port);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  g_autoptr(GInputStream) first = NULL;
  Sent sent;

  send_and_wait (conn, uri, NULL, NULL, &sent);
  g_assert_no_error (sent.error);
  first = g_steal_pointer (&sent.stream);
  {
    g_autofree char *text = read_exactly (first, 25);

    g_assert_cmpstr (text, ==, "data: first\n\ndata: last\n\n");
  }

  /* the last data went out and the end of the body (the last chunk, a trailer) was in the
   * buffer with it: before anyone read that end, the connection is free for the next request */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = NULL;

      send_and_wait (conn, uri, NULL, NULL, &sent);
      g_assert_no_error (sent.error);
      text = read_exactly (sent.stream, 25);
      g_assert_cmpstr (text, ==, "data: first\n\ndata: last\n\n");
      g_clear_object (&sent.stream);
    }
  g_assert_cmpuint (g_atomic_int_get (&server->n_connections), ==, 1);

  /* and the first body still ends cleanly */
  {
    char byte;
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_input_stream_read (first, &byte, 1, NULL, &error), ==, 0);
    g_assert_no_error (error);
  }
  raw_server_free (server);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_from_thread (gpointer user_data)
{
  g_usleep (50 * 1000);
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_cancel_waiting_for_head (void)
{
  Server *server = server_new ();
  g_autoptr(GUri) uri = server_uri (server, "/mcp");
  g_autoptr(GUri) stall = server_uri (server, "/stall");
  g_autoptr(McpHttp1Connection) conn = mcp_http1_connection_new (uri);
  Sent sent;

  /* a first request leaves a kept-alive connection, with its watch */
  send_and_wait (conn, uri, NULL, NULL, &sent);
  g_assert_no_error (sent.error);
  g_free (read_exactly (sent.stream, strlen ("{\"size\":0}")));
  g_clear_object (&sent.stream);

  /* cancelled from the main loop, and from another thread, while waiting for the head */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      GThread *thread = NULL;

      if (i == 0)
        g_timeout_add (50, cancel_soon, cancellable);
      else
        thread = g_thread_new ("cancel", cancel_from_thread, cancellable);
      send_and_wait (conn, stall, NULL, cancellable, &sent);
      g_assert_error (sent.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (sent.stream);
      g_clear_error (&sent.error);
      if (thread != NULL)
        g_thread_join (thread);
    }

  /* the connection cut short is not used again: a new request goes on a new one and works */
  send_and_wait (conn, uri, NULL, NULL, &sent);
  g_assert_no_error (sent.error);
  g_free (read_exactly (sent.stream, strlen ("{\"size\":0}")));
  g_clear_object (&sent.stream);
  g_assert_cmpuint (server->peers->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (server->peers, 1), ==,
                   g_ptr_array_index (server->peers, 0));
  g_assert_cmpstr (g_ptr_array_index (server->peers, 3), !=,
                   g_ptr_array_index (server->peers, 2));
  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http1-wire/head/fields", test_head_fields);
  g_test_add_func ("/http1-wire/head/status-lines", test_head_status_lines);
  g_test_add_func ("/http1-wire/head/strict", test_head_strict);
  g_test_add_func ("/http1-wire/head/nul-refused", test_head_nul);
  g_test_add_func ("/http1-wire/head/not-utf8-made-valid", test_head_not_utf8);
  g_test_add_func ("/http1-wire/head/lf-only-lines", test_head_lf_only_lines);
  g_test_add_func ("/http1-wire/head/limits", test_head_limits);
  g_test_add_func ("/http1-wire/head/end-found-once-complete", test_head_end);
  g_test_add_func ("/http1-wire/request/bytes", test_request_bytes);
  g_test_add_func ("/http1-wire/connection/large-request", test_large_request);
  g_test_add_func ("/http1-wire/connection/last-byte-frees-connection",
                   test_last_byte_frees_connection);
  g_test_add_func ("/http1-wire/connection/cancel-waiting-for-head",
                   test_cancel_waiting_for_head);
  return g_test_run ();
}
