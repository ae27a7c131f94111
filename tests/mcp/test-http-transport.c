/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpHttpTransport sessions and lifetime against the misbehaving SoupServer of
 * http-transport-test-util.c: the session id, its expiry, DELETE on close, cancelled and
 * closed sends, and a transport used before it is open.
 */
#include <string.h>

#include "http-transport-test-util.h"

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
/* Misuse                                                                                     */

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/http-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("echoes-the-session-id", test_session_id_echoed);
  ADD ("404-with-session-means-session-expired", test_session_expired);
  ADD ("close-sends-delete-with-session", test_delete_on_close);
  ADD ("close-ignores-405-on-delete", test_delete_405_ignored);
  ADD ("cancelling-a-send-closes-its-stream", test_cancel_closes_stream);
  ADD ("close-ends-pending-sends", test_close_ends_sends);
#undef ADD

  g_test_add_func ("/mcp/http-transport/not-open-and-bad-url", test_not_open_and_bad_url);

  return g_test_run ();
}
