/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpSseTransport (HTTP+SSE, 2024-11-05) against the SoupServer of sse-transport-test-util.c
 * when it refuses, answers with the wrong content type, cuts the stream or sends oversized
 * events.
 */
#include <string.h>

#include "sse-transport-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/sse-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("401-keeps-www-authenticate", test_unauthorized);
  ADD ("wrong-content-type-fails-open", test_wrong_content_type);
  ADD ("stream-end-before-endpoint-fails-open", test_stream_end_before_endpoint);
  ADD ("stream-end-closes-transport", test_stream_end_closes);
  ADD ("refused-post-is-an-error", test_post_refused);
  ADD ("oversized-event-closes-with-too-large", test_oversized_event);
#undef ADD

  return g_test_run ();
}
