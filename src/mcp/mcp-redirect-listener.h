/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MCP_REDIRECT_LISTENER_PATH "/callback"

#define MCP_TYPE_REDIRECT_LISTENER (mcp_redirect_listener_get_type ())
G_DECLARE_FINAL_TYPE (McpRedirectListener, mcp_redirect_listener, MCP, REDIRECT_LISTENER, GObject)

/*
 * The loopback end of a native app's sign-in (RFC 8252 §7.3): a small HTTP server on
 * 127.0.0.1 that waits for the browser to arrive at http://127.0.0.1:PORT/callback.
 * Shared by McpLoopbackAuthorizer (tether-cli) and the app's web authorizer ("Open in
 * Browser Instead").
 *
 * Every request counts in "requests"; one for another path is answered 404, one for the
 * callback path is handed to ::arrived, whose handler must answer it (see
 * mcp_redirect_listener_answer()).
 *
 * Properties:
 *   "port"     (guint, read-only) the port listened on, 0 when not listening;
 *   "requests" (guint, read-only) requests received since the object was made.
 * Signals:
 *   ::arrived (SoupServerMessage *msg, GHashTable *query) — query may be NULL.
 */

McpRedirectListener *mcp_redirect_listener_new              (void);

/* Listens unless already listening on a port that fits @registered (a redirect URI registered
 * before, or NULL): its port when it is one of ours and can be had again, else an ephemeral
 * one. Returns the redirect URI to use (owned by @self). When the registered port could not
 * be had again, @note (if not NULL) receives a sentence saying so. */
const char          *mcp_redirect_listener_listen           (McpRedirectListener  *self,
                                                             const char           *registered,
                                                             char                **note,
                                                             GError              **error);
void                 mcp_redirect_listener_stop             (McpRedirectListener  *self);
gboolean             mcp_redirect_listener_is_listening     (McpRedirectListener  *self);
guint                mcp_redirect_listener_get_port         (McpRedirectListener  *self);
guint                mcp_redirect_listener_get_requests     (McpRedirectListener  *self);
/* The redirect URI listened for, NULL when not listening. */
const char          *mcp_redirect_listener_get_redirect_uri (McpRedirectListener  *self);

/* Answers @msg with a small HTML page (@title as heading, @text below it), not cached. */
void                 mcp_redirect_listener_answer           (SoupServerMessage    *msg,
                                                             guint                 status,
                                                             const char           *title,
                                                             const char           *text);

G_END_DECLS
