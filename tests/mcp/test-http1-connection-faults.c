/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpHttp1Connection (src/mcp/mcp-http1-connection.c and mcp-http1-body-stream.c)
 * against the raw server of http1-test-util.c when things go wrong: a bad chunk size, the
 * server closing mid-body or before answering, malformed or refused response heads, and
 * cancellation before sending and mid-body. */

#include "config.h"

#include <string.h>

#include "http1-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Broken framing and closes                                                                  */

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http1-connection/chunked-bad-size", test_chunked_bad_size);
  g_test_add_func ("/http1-connection/close-mid-body", test_close_mid_body);
  g_test_add_func ("/http1-connection/close-before-answer", test_close_before_answer);
  g_test_add_func ("/http1-connection/bad-heads", test_bad_heads);
  g_test_add_func ("/http1-connection/cancel-mid-body", test_cancel_mid_body);
  g_test_add_func ("/http1-connection/cancel-before", test_cancel_before);

  return g_test_run ();
}
