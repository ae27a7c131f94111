/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpSseTransport (HTTP+SSE, 2024-11-05): the endpoint event resolved or refused, messages both
 * ways, closing, against the SoupServer of sse-transport-test-util.c; and against the real
 * server-everything in its `sse` mode (skipped when tests/peers is not installed). Refusals,
 * cut streams and oversized events are in test-sse-transport-faults.c.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "everything-peer.h"
#include "sse-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Against the SoupServer                                                                     */

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
  ADD ("close-emits-closed-once", test_close);
  ADD ("messages-keep-their-order", test_messages_in_order);
  ADD ("send-before-open-fails", test_send_before_open);
#undef ADD

  g_test_add ("/mcp/sse-transport/server-everything", PeerFixture, NULL,
              peer_fixture_set_up, test_server_everything, peer_fixture_tear_down);

  return g_test_run ();
}
