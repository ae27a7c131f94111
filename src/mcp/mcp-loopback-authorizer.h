/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-authorizer.h"

G_BEGIN_DECLS

#include "mcp-redirect-listener.h"

#define MCP_LOOPBACK_AUTHORIZER_PATH MCP_REDIRECT_LISTENER_PATH

#define MCP_TYPE_LOOPBACK_AUTHORIZER (mcp_loopback_authorizer_get_type ())
G_DECLARE_FINAL_TYPE (McpLoopbackAuthorizer, mcp_loopback_authorizer, MCP, LOOPBACK_AUTHORIZER,
                      GObject)

/*
 * An McpAuthorizer for native apps (RFC 8252 §7.3): listens on 127.0.0.1 (an ephemeral port, or
 * the port of the redirect URI registered before when it is free), opens the system browser
 * ($BROWSER first — a colon-separated list of commands, "%s" standing for the URL — then the
 * desktop's default handler) and completes when the browser arrives at
 * http://127.0.0.1:PORT/callback, answering it with a short page. When no browser can be
 * opened, ::log says so with the address to open by hand, and the wait goes on (cancel it to
 * give up).
 *
 * Properties:
 *   "port"         (guint, read-only) the port listened on, 0 before prepare;
 *   "open-browser" (boolean) FALSE: only listen (someone else opens the URL).
 * Signals:
 *   ::log (McpLogLevel level, const char *text)
 */

McpLoopbackAuthorizer *mcp_loopback_authorizer_new              (void);
guint                  mcp_loopback_authorizer_get_port         (McpLoopbackAuthorizer *self);
void                   mcp_loopback_authorizer_set_open_browser (McpLoopbackAuthorizer *self,
                                                                 gboolean               open);
/* Stops listening (prepare listens again). */
void                   mcp_loopback_authorizer_stop             (McpLoopbackAuthorizer *self);

/* Runs the commands of @browser_env ($BROWSER syntax) for @uri until one starts. */
gboolean               mcp_loopback_authorizer_spawn_browser    (const char            *browser_env,
                                                                 const char            *uri,
                                                                 GError               **error);

G_END_DECLS
