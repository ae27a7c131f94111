/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "http1-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* A raw HTTP server in a thread                                                              */

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

void
raw_write (GSocketConnection *conn,
           const char        *text)
{
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), text,
                             strlen (text), NULL, NULL, NULL);
}

/* One byte at a time, each its own TCP segment as far as the client can tell. */
void
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

RawServer *
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

guint
raw_server_n_requests (RawServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

char *
raw_server_request (RawServer *server,
                    guint      i)
{
  char *text;

  g_mutex_lock (&server->lock);
  text = g_strdup (i < server->requests->len ? g_ptr_array_index (server->requests, i) : NULL);
  g_mutex_unlock (&server->lock);
  return text;
}

guint
raw_server_n_connections (RawServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->n_connections;
  g_mutex_unlock (&server->lock);
  return n;
}

void
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

GUri *
raw_server_uri (RawServer  *server,
                const char *path)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);

  return g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
}

/* A RawHandler: answers request @n with {"n":@n} and keeps the connection. */
gboolean
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

/* ------------------------------------------------------------------------------------------ */
/* The client side: one request, its body read through mcp_http_read_body_async()           */

void
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

void
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
SoupMessage *
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

void
assert_body (Result     *r,
             const char *expected)
{
  g_assert_no_error (r->error);
  g_assert_nonnull (r->body);
  g_assert_cmpmem (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body),
                   expected, strlen (expected));
}

/* Lets the client notice what the server did (a close) before the next request. */
void
settle (void)
{
  g_usleep (50 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
