/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpHttpTransport against the real server-everything from tests/peers (skipped when not
 * installed): initialize, tools/list, tools/call, close.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "everything-peer.h"
#include "http-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* The real server-everything                                                                 */

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

  g_test_add ("/mcp/http-transport/server-everything", PeerFixture, NULL,
              peer_fixture_set_up, test_server_everything, peer_fixture_tear_down);

  return g_test_run ();
}
