/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-message.h"

#include "demo-grant.h"
#include "demo-mcp-server.h"
#include "demo-mcp-stream.h"

G_BEGIN_DECLS

/* One MCP session: the initialize handshake and negotiated version, the JSON-RPC methods
 * (ping, tools/list, tools/call, logging/setLevel), the tool calls in flight (cancellable with
 * notifications/cancelled) and the session's streams. Transport-neutral: DemoMcpServer turns
 * HTTP requests into demo_mcp_session_handle_message() calls and attaches responses. */

typedef enum {
  DEMO_MCP_TRANSPORT_STREAMABLE_HTTP,
  DEMO_MCP_TRANSPORT_SSE,               /* 2024-11-05 HTTP+SSE */
} DemoMcpTransport;

#define DEMO_TYPE_MCP_SESSION (demo_mcp_session_get_type ())
G_DECLARE_FINAL_TYPE (DemoMcpSession, demo_mcp_session, DEMO, MCP_SESSION, GObject)

DemoMcpSession   *demo_mcp_session_new                   (DemoMcpServer     *server,
                                                          DemoMcpTransport   transport,
                                                          DemoGrant         *owner);
const char       *demo_mcp_session_get_id                (DemoMcpSession    *self);
DemoMcpTransport  demo_mcp_session_get_transport         (DemoMcpSession    *self);
/* NULL until initialize succeeded. */
const char       *demo_mcp_session_get_protocol_version  (DemoMcpSession    *self);
/* Sessions belong to the client and person that opened them. */
gboolean          demo_mcp_session_is_owned_by           (DemoMcpSession    *self,
                                                          DemoGrant         *grant);
/* Monotonic time of the last message or attached response. */
gint64            demo_mcp_session_get_last_active       (DemoMcpSession    *self);
/* Tool calls still running (not finished, not cancelled). */
guint             demo_mcp_session_get_n_running         (DemoMcpSession    *self);
/* Does anything still run or listen (tool calls, attached streams)? */
gboolean          demo_mcp_session_is_busy               (DemoMcpSession    *self);

/* A stream for the responses to one POST (registered for Last-Event-ID when SSE). */
DemoMcpStream    *demo_mcp_session_open_request_stream   (DemoMcpSession    *self,
                                                          DemoMcpStreamKind  kind,
                                                          guint              n_responses,
                                                          gboolean           batch);
/* The GET stream (Streamable HTTP) or the one SSE stream (HTTP+SSE). */
DemoMcpStream    *demo_mcp_session_get_standalone_stream (DemoMcpSession    *self);

/* Handles one incoming message; responses and related notifications go to @stream (NULL
 * when the POST carried no requests). */
void              demo_mcp_session_handle_message        (DemoMcpSession    *self,
                                                          McpMessage        *message,
                                                          DemoGrant         *grant,
                                                          DemoMcpStream     *stream);

/* Makes @msg the response of a POST's @stream (priming it when it stays open). */
void              demo_mcp_session_attach_request_stream (DemoMcpSession    *self,
                                                          DemoMcpStream     *stream,
                                                          SoupServerMessage *msg);
/* GET /mcp: resumes the stream @last_event_id belongs to, replaying what followed it, or
 * (no or unknown id) attaches the standalone stream. */
void              demo_mcp_session_attach_get            (DemoMcpSession    *self,
                                                          SoupServerMessage *msg,
                                                          const char        *last_event_id);

/* Cancels the tool calls and ends every stream; emits ::closed once. */
void              demo_mcp_session_close                 (DemoMcpSession    *self);

G_END_DECLS
