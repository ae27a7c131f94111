/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "demo-github.h"
#include "demo-grant.h"

G_BEGIN_DECLS

/* The OAuth half of the demo server: an authorization server (RFC 8414 metadata, RFC 7591
 * registration, authorization code + PKCE S256, refresh token rotation, RFC 7009 revocation,
 * RFC 9207 iss, RFC 8707 resources) and the bearer check that guards the MCP endpoints, with
 * their RFC 9728 protected resource metadata. Everything lives in memory. */

/* The scope every MCP request needs, and the extra one of the administrator tool. */
#define DEMO_SCOPE_USER  "user"
#define DEMO_SCOPE_ADMIN "admin"

#define DEMO_TYPE_AUTH_SERVER (demo_auth_server_get_type ())
G_DECLARE_FINAL_TYPE (DemoAuthServer, demo_auth_server, DEMO, AUTH_SERVER, GObject)

/* @issuer: "http://localhost:PORT" (no trailing slash); the MCP endpoints live under it.
 * @github: GitHub mode when non-NULL, else the server's own sign-in page. */
DemoAuthServer *demo_auth_server_new                     (const char        *issuer,
                                                          guint              token_ttl_seconds,
                                                          gboolean           auto_approve,
                                                          DemoGithub        *github);
const char     *demo_auth_server_get_issuer              (DemoAuthServer    *self);

/* Answers the request when its path belongs to the authorization server (metadata,
 * /register, /authorize, /token, /revoke, /github/callback); FALSE otherwise. */
gboolean        demo_auth_server_handle_request          (DemoAuthServer    *self,
                                                          SoupServerMessage *msg,
                                                          const char        *path);

/* The bearer check for a protected endpoint (@endpoint_path: "/mcp" or "/sse"). Returns the
 * grant of a valid token, or NULL after answering 401 (no, unknown or expired token) or 403
 * (token without the "user" scope) with a WWW-Authenticate challenge. */
DemoGrant      *demo_auth_server_authenticate            (DemoAuthServer    *self,
                                                          SoupServerMessage *msg,
                                                          const char        *endpoint_path);
/* Answers 403 insufficient_scope naming @scope (space-separated, the full set needed). */
void            demo_auth_server_respond_insufficient_scope (DemoAuthServer *self,
                                                          SoupServerMessage *msg,
                                                          const char        *endpoint_path,
                                                          const char        *scope);

/* Counters for the admin tool: clients, live tokens, pending sign-ins. */
JsonObject     *demo_auth_server_dup_stats               (DemoAuthServer    *self);

G_END_DECLS
