/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpHttp1Connection (src/mcp/mcp-http1-connection.c and mcp-http1-body-stream.c)
 * against the raw server of http1-test-util.c: response framing (Content-Length, chunked
 * with extensions and trailers, bodiless answers, interim answers, until-close) and
 * keeping the connection alive or not. */

#include "config.h"

#include <string.h>

#include "http1-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Framing and keep-alive                                                                     */

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http1-connection/content-length-keep-alive", test_content_length_keep_alive);
  g_test_add_func ("/http1-connection/chunked-split", test_chunked_split);
  g_test_add_func ("/http1-connection/connection-close", test_connection_close);
  g_test_add_func ("/http1-connection/idle-closed-by-server", test_idle_closed_by_server);
  g_test_add_func ("/http1-connection/no-body", test_no_body);
  g_test_add_func ("/http1-connection/interim-and-until-close", test_interim_and_until_close);

  return g_test_run ();
}
