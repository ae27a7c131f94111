/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-message.h"

#include "demo-mcp-server-private.h"
#include "demo-mcp-session.h"
#include "demo-util.h"

/* The 2024-11-05 HTTP+SSE transport: GET /sse opens the stream and names the message endpoint
 * in an "endpoint" event; POSTs to /messages?session_id=… are answered on that stream. */

void
demo_mcp_server_handle_sse (DemoMcpServer     *self,
                            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(DemoGrant) grant = NULL;
  g_autoptr(DemoMcpSession) session = NULL;
  g_autofree char *endpoint = NULL;

  grant = demo_auth_server_authenticate (self->auth, msg, "/sse");
  if (grant == NULL)
    return;
  demo_util_note_detail (msg, "SSE stream");

  if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET");
      demo_util_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "GET /sse opens the stream; POST to the endpoint it names\n");
      return;
    }
  if (!demo_util_accept_allows (soup_message_headers_get_one (headers, "Accept"),
                                "text/event-stream"))
    {
      demo_util_respond_text (msg, SOUP_STATUS_NOT_ACCEPTABLE,
                              "Expected Accept: text/event-stream\n");
      return;
    }
  if (g_hash_table_size (self->sessions) >= DEMO_MCP_MAX_SESSIONS)
    {
      demo_util_respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Too many sessions\n");
      return;
    }

  session = demo_mcp_session_new (self, DEMO_MCP_TRANSPORT_SSE, grant);
  demo_mcp_server_add_session (self, session);
  demo_mcp_stream_attach (demo_mcp_session_get_standalone_stream (session), msg, 0);
  /* A relative URI, resolved against the /sse URL by the client. */
  endpoint = g_strdup_printf ("/messages?session_id=%s", demo_mcp_session_get_id (session));
  demo_mcp_stream_send_event (demo_mcp_session_get_standalone_stream (session),
                              "endpoint", endpoint);
}

void
demo_mcp_server_handle_messages (DemoMcpServer     *self,
                                 SoupServerMessage *msg)
{
  g_autoptr(DemoGrant) grant = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(DemoMcpSession) session = NULL;
  DemoMcpSession *found;
  gboolean is_batch, has_initialize;

  grant = demo_auth_server_authenticate (self->auth, msg, "/sse");
  if (grant == NULL)
    return;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "POST");
      demo_util_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
      return;
    }

  found = demo_mcp_server_lookup_session (self, msg, DEMO_MCP_TRANSPORT_SSE, grant);
  if (found == NULL)
    return;
  session = g_object_ref (found);

  if (!demo_util_media_type_is (soup_message_headers_get_one (
                                  soup_server_message_get_request_headers (msg), "Content-Type"),
                                "application/json"))
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, MCP_JSONRPC_INVALID_REQUEST,
                              "Expected Content-Type: application/json");
      return;
    }
  messages = demo_mcp_server_parse_messages (msg, &is_batch);
  if (messages == NULL)
    return;
  demo_mcp_server_note_methods (msg, messages);
  self->n_requests += demo_mcp_server_count_requests (messages, &has_initialize);
  if (!demo_mcp_server_check_tool_scopes (self, msg, messages, grant, "/sse"))
    return;

  /* Everything answers on the session's SSE stream; the POST only says it was taken. */
  for (guint i = 0; i < messages->len; i++)
    demo_mcp_session_handle_message (session, messages->pdata[i], grant,
                                     demo_mcp_session_get_standalone_stream (session));
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "Accepted", 8);
}

