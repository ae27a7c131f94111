/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpHttpTransport SSE streams against the misbehaving SoupServer of
 * http-transport-test-util.c: a POST stream cut short and resumed with Last-Event-ID (or
 * not, without event ids), and the GET stream: reconnecting, closing, refused.
 */

#include "http-transport-test-util.h"

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
  ADD ("get-stream-reconnects-with-last-event-id", test_listen_reconnects_then_stops);
  ADD ("close-stops-the-get-stream", test_close_stops_listening);
  ADD ("get-stream-refused-is-not-fatal", test_listen_404_not_fatal);
#undef ADD

  return g_test_run ();
}
