/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-message.h"

#include "demo-mcp-server-private.h"
#include "demo-mcp-session.h"
#include "demo-util.h"

/* Streamable HTTP at /mcp: POST (JSON or SSE answers), GET (the standalone stream, resumable
 * with Last-Event-ID) and DELETE, with sessions named by Mcp-Session-Id. */

static gboolean
check_protocol_header (SoupServerMessage *msg)
{
  const char *version = soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "MCP-Protocol-Version");
  g_autofree char *text = NULL;

  /* Absent means 2025-03-26 (the header came with 2025-06-18). */
  if (version == NULL || demo_mcp_protocol_version_is_supported (version))
    return TRUE;
  text = g_strdup_printf ("Unsupported MCP-Protocol-Version “%s”; this server speaks "
                          "2025-11-25, 2025-06-18, 2025-03-26 and 2024-11-05", version);
  demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, MCP_JSONRPC_INVALID_REQUEST, text);
  return FALSE;
}

static void
mcp_post (DemoMcpServer     *self,
          SoupServerMessage *msg,
          DemoGrant         *grant)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_one (headers, "Accept");
  const char *session_id = soup_message_headers_get_one (headers, "Mcp-Session-Id");
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(DemoMcpSession) session = NULL;
  g_autoptr(DemoMcpStream) stream = NULL;
  gboolean is_batch, has_initialize, sse;
  guint n_requests;

  if (!demo_util_media_type_is (soup_message_headers_get_one (headers, "Content-Type"),
                                "application/json"))
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, MCP_JSONRPC_INVALID_REQUEST,
                              "Expected Content-Type: application/json");
      return;
    }
  sse = demo_util_accept_names (accept, "text/event-stream");
  if (!sse && !demo_util_accept_allows (accept, "application/json"))
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_NOT_ACCEPTABLE, MCP_JSONRPC_INVALID_REQUEST,
                              "Expected Accept to allow application/json and text/event-stream");
      return;
    }

  messages = demo_mcp_server_parse_messages (msg, &is_batch);
  if (messages == NULL)
    return;
  demo_mcp_server_note_methods (msg, messages);
  n_requests = demo_mcp_server_count_requests (messages, &has_initialize);
  self->n_requests += n_requests;

  if (has_initialize)
    {
      if (messages->len > 1)
        {
          demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, MCP_JSONRPC_INVALID_REQUEST,
                                  "initialize must be sent on its own, not in a batch");
          return;
        }
      if (session_id != NULL)
        {
          demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, MCP_JSONRPC_INVALID_REQUEST,
                                  "initialize starts a new session and must not carry "
                                  "Mcp-Session-Id");
          return;
        }
      if (g_hash_table_size (self->sessions) >= DEMO_MCP_MAX_SESSIONS)
        {
          demo_mcp_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, MCP_JSONRPC_INTERNAL_ERROR,
                                  "Too many sessions; delete some or restart the demo server");
          return;
        }
      session = demo_mcp_session_new (self, DEMO_MCP_TRANSPORT_STREAMABLE_HTTP, grant);
    }
  else
    {
      DemoMcpSession *found =
        demo_mcp_server_lookup_session (self, msg, DEMO_MCP_TRANSPORT_STREAMABLE_HTTP, grant);
      const char *version;

      if (found == NULL || !check_protocol_header (msg))
        return;
      session = g_object_ref (found);
      version = demo_mcp_session_get_protocol_version (session);
      if (is_batch && version != NULL && strcmp (version, "2025-06-18") >= 0)
        {
          g_autofree char *text =
            g_strdup_printf ("JSON-RPC batches are not part of protocol version %s", version);

          demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, MCP_JSONRPC_INVALID_REQUEST, text);
          return;
        }
    }

  if (!demo_mcp_server_check_tool_scopes (self, msg, messages, grant, "/mcp"))
    return;

  if (n_requests == 0)
    {
      for (guint i = 0; i < messages->len; i++)
        demo_mcp_session_handle_message (session, messages->pdata[i], grant, NULL);
      demo_mcp_server_respond_accepted (msg);
      return;
    }

  stream = demo_mcp_session_open_request_stream (session,
                                                 sse ? DEMO_MCP_STREAM_SSE : DEMO_MCP_STREAM_JSON,
                                                 n_requests, is_batch);
  for (guint i = 0; i < messages->len; i++)
    demo_mcp_session_handle_message (session, messages->pdata[i], grant, stream);

  if (has_initialize && demo_mcp_session_get_protocol_version (session) != NULL)
    {
      demo_mcp_server_add_session (self, session);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Mcp-Session-Id", demo_mcp_session_get_id (session));
    }
  demo_mcp_session_attach_request_stream (session, stream, msg);
  if (has_initialize && demo_mcp_session_get_protocol_version (session) == NULL)
    demo_mcp_session_close (session);  /* initialize failed: nothing to keep */
}

static void
mcp_get (DemoMcpServer     *self,
         SoupServerMessage *msg,
         DemoGrant         *grant)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  DemoMcpSession *session;

  demo_util_note_detail (msg, "GET stream");
  if (!demo_util_accept_names (soup_message_headers_get_one (headers, "Accept"),
                               "text/event-stream"))
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_NOT_ACCEPTABLE, MCP_JSONRPC_INVALID_REQUEST,
                              "Expected Accept: text/event-stream");
      return;
    }
  session = demo_mcp_server_lookup_session (self, msg, DEMO_MCP_TRANSPORT_STREAMABLE_HTTP, grant);
  if (session == NULL || !check_protocol_header (msg))
    return;
  demo_mcp_session_attach_get (session, msg,
                               soup_message_headers_get_one (headers, "Last-Event-ID"));
}

static void
mcp_delete (DemoMcpServer     *self,
            SoupServerMessage *msg,
            DemoGrant         *grant)
{
  g_autoptr(DemoMcpSession) session = NULL;
  DemoMcpSession *found;

  demo_util_note_detail (msg, "DELETE session");
  found = demo_mcp_server_lookup_session (self, msg, DEMO_MCP_TRANSPORT_STREAMABLE_HTTP, grant);
  if (found == NULL)
    return;
  session = g_object_ref (found);
  demo_mcp_session_close (session);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

void
demo_mcp_server_handle_streamable (DemoMcpServer     *self,
                                   SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(DemoGrant) grant = NULL;

  grant = demo_auth_server_authenticate (self->auth, msg, "/mcp");
  if (grant == NULL)
    return;

  if (g_str_equal (method, "POST"))
    mcp_post (self, msg, grant);
  else if (g_str_equal (method, "GET"))
    mcp_get (self, msg, grant);
  else if (g_str_equal (method, "DELETE"))
    mcp_delete (self, msg, grant);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST, DELETE");
      demo_mcp_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, MCP_JSONRPC_INVALID_REQUEST,
                              "Method not allowed");
    }
}

