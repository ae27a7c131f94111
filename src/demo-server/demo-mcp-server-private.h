/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-message.h"

#include "demo-mcp-server.h"
#include "demo-mcp-session.h"

G_BEGIN_DECLS

/* Shared by the files of DemoMcpServer: demo-mcp-server.c (sessions, routing, avatars),
 * -streamable.c (/mcp) and -sse.c (/sse and /messages). */

#define DEMO_MCP_MAX_SESSIONS 1000
/* The JSON-RPC error code the TypeScript SDK uses for an unknown session. */
#define DEMO_MCP_SESSION_NOT_FOUND (-32001)

struct _DemoMcpServer
{
  GObject         parent_instance;

  DemoAuthServer *auth;
  DemoGithub     *github;
  char           *base_url;
  GHashTable     *sessions;       /* id -> DemoMcpSession */
  guint           expiry_source;
  gint64          started_at;     /* monotonic */

  guint64         n_sessions_created;
  guint64         n_requests;
  guint64         n_tool_calls;
  guint64         n_cancellations;
};

void            demo_mcp_server_add_session        (DemoMcpServer     *self,
                                                    DemoMcpSession    *session);
/* The session a request names (Mcp-Session-Id, or ?session_id= for HTTP+SSE), or NULL
 * after answering 400/404. */
DemoMcpSession *demo_mcp_server_lookup_session     (DemoMcpServer     *self,
                                                    SoupServerMessage *msg,
                                                    DemoMcpTransport   transport,
                                                    DemoGrant         *grant);
/* The request body's messages, or NULL after answering 400 (-32700 or -32600). */
GPtrArray      *demo_mcp_server_parse_messages     (SoupServerMessage *msg,
                                                    gboolean          *is_batch);
/* FALSE after answering 403 when a tools/call needs a scope the grant lacks. */
gboolean        demo_mcp_server_check_tool_scopes  (DemoMcpServer     *self,
                                                    SoupServerMessage *msg,
                                                    GPtrArray         *messages,
                                                    DemoGrant         *grant,
                                                    const char        *endpoint_path);
void            demo_mcp_server_note_methods       (SoupServerMessage *msg,
                                                    GPtrArray         *messages);
guint           demo_mcp_server_count_requests     (GPtrArray         *messages,
                                                    gboolean          *has_initialize);
void            demo_mcp_respond_error             (SoupServerMessage *msg,
                                                    guint              status,
                                                    int                code,
                                                    const char        *text);
void            demo_mcp_server_respond_accepted   (SoupServerMessage *msg);

void            demo_mcp_server_handle_streamable  (DemoMcpServer     *self,
                                                    SoupServerMessage *msg);
void            demo_mcp_server_handle_sse         (DemoMcpServer     *self,
                                                    SoupServerMessage *msg);
void            demo_mcp_server_handle_messages    (DemoMcpServer     *self,
                                                    SoupServerMessage *msg);

G_END_DECLS
