/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "demo-auth-server.h"
#include "demo-github.h"

G_BEGIN_DECLS

/* The MCP half of the demo server: Streamable HTTP at /mcp (sessions, SSE or JSON responses,
 * a GET stream resumable with Last-Event-ID, DELETE) and the 2024-11-05 HTTP+SSE transport at
 * /sse with its message endpoint /messages?session_id=…, every request behind the bearer check
 * of the DemoAuthServer. Also serves the demo avatars at /avatars/LOGIN.png. */

/* Protocol versions spoken, newest first. */
#define DEMO_MCP_LATEST_PROTOCOL_VERSION "2025-11-25"

#define DEMO_TYPE_MCP_SERVER (demo_mcp_server_get_type ())
G_DECLARE_FINAL_TYPE (DemoMcpServer, demo_mcp_server, DEMO, MCP_SERVER, GObject)

DemoMcpServer  *demo_mcp_server_new              (DemoAuthServer    *auth,
                                                  DemoGithub        *github,
                                                  const char        *base_url);
/* Answers the request when its path is an MCP endpoint or an avatar; FALSE otherwise. */
gboolean        demo_mcp_server_handle_request   (DemoMcpServer     *self,
                                                  SoupServerMessage *msg,
                                                  const char        *path);
/* Ends every session and stream (before the process exits). */
void            demo_mcp_server_shutdown         (DemoMcpServer     *self);

const char     *demo_mcp_server_get_base_url     (DemoMcpServer     *self);
DemoAuthServer *demo_mcp_server_get_auth_server  (DemoMcpServer     *self);
/* NULL offline. */
DemoGithub     *demo_mcp_server_get_github       (DemoMcpServer     *self);
/* Counters for the admin tool. */
JsonObject     *demo_mcp_server_dup_stats        (DemoMcpServer     *self);
void            demo_mcp_server_count_tool_call  (DemoMcpServer     *self);
/* A tool call stopped by notifications/cancelled. */
void            demo_mcp_server_count_cancellation (DemoMcpServer     *self);

gboolean        demo_mcp_protocol_version_is_supported (const char  *version);

G_END_DECLS
