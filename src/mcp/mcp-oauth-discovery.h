/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MCP_TYPE_OAUTH_DISCOVERY (mcp_oauth_discovery_get_type ())
G_DECLARE_FINAL_TYPE (McpOAuthDiscovery, mcp_oauth_discovery, MCP, OAUTH_DISCOVERY, GObject)

/*
 * Finds where and how to authorize for one MCP server:
 *   1. Protected Resource Metadata (RFC 9728): the URL from the WWW-Authenticate challenge,
 *      else /.well-known/oauth-protected-resource/<path>, else the same at the root. Its
 *      `resource` must name the server URL (same origin, a path that is the server's or a
 *      parent of it); otherwise discovery fails with RESOURCE_MISMATCH naming both.
 *   2. Authorization server metadata for the first of its authorization_servers: RFC 8414 and
 *      OpenID Connect Discovery in the MCP specification's order; a document whose `issuer`
 *      is not the issuer identifier fails with ISSUER_MISMATCH.
 *   3. No resource metadata at all (2025-03-26 servers): the server's origin is the
 *      authorization server; its metadata, else /authorize, /token and /register there.
 * Errors are in MCP_OAUTH_ERROR. The "log" signal (McpLogLevel, text) tells each step.
 */

McpOAuthDiscovery  *mcp_oauth_discovery_new            (SoupSession          *session,
                                                       const char           *server_url);

/* @resource_metadata_url: the challenge's resource_metadata, or NULL. */
void                mcp_oauth_discovery_run_async      (McpOAuthDiscovery    *self,
                                                       const char           *resource_metadata_url,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            mcp_oauth_discovery_run_finish     (McpOAuthDiscovery    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

const char         *mcp_oauth_discovery_get_server_url (McpOAuthDiscovery    *self);
/* Where the resource metadata came from; NULL in the 2025-03-26 fallback. */
const char         *mcp_oauth_discovery_get_resource_metadata_url  (McpOAuthDiscovery *self);
/* The resource identifier to send as `resource` (RFC 8707): the metadata's `resource` exactly
 * as published, or the server URL in the 2025-03-26 fallback. */
const char         *mcp_oauth_discovery_get_resource   (McpOAuthDiscovery    *self);
/* The resource's scopes_supported; NULL when the metadata does not define it. */
const char * const *mcp_oauth_discovery_get_resource_scopes (McpOAuthDiscovery *self);
const char         *mcp_oauth_discovery_get_issuer     (McpOAuthDiscovery    *self);
/* Where the authorization server metadata came from; NULL when none was found. */
const char         *mcp_oauth_discovery_get_server_metadata_url    (McpOAuthDiscovery *self);
/* The authorization server metadata document; NULL when none was found. */
JsonObject         *mcp_oauth_discovery_get_server_metadata        (McpOAuthDiscovery *self);
const char         *mcp_oauth_discovery_get_authorization_endpoint (McpOAuthDiscovery *self);
const char         *mcp_oauth_discovery_get_token_endpoint         (McpOAuthDiscovery *self);
const char         *mcp_oauth_discovery_get_registration_endpoint  (McpOAuthDiscovery *self);
/* TRUE when the server had no resource metadata (2025-03-26 behaviour). */
gboolean            mcp_oauth_discovery_get_legacy     (McpOAuthDiscovery    *self);
/* A string member of the authorization server metadata (NULL when absent or not a string). */
const char         *mcp_oauth_discovery_get_server_string  (McpOAuthDiscovery *self,
                                                           const char        *member);
/* A boolean member of the authorization server metadata (FALSE when absent). */
gboolean            mcp_oauth_discovery_get_server_boolean (McpOAuthDiscovery *self,
                                                           const char        *member);
/* Does an array member of the authorization server metadata list @value? */
gboolean            mcp_oauth_discovery_server_lists       (McpOAuthDiscovery *self,
                                                           const char        *member,
                                                           const char        *value);
/* An array member of the authorization server metadata as strings (NULL when absent). */
char              **mcp_oauth_discovery_dup_server_strv    (McpOAuthDiscovery *self,
                                                           const char        *member);

/* URL construction, in the order they are tried (NULL-terminated; NULL and @error when the
 * URL is not an absolute http(s) URL). Resource metadata: path-based, then root (one entry
 * when the server URL has no path). */
char              **mcp_oauth_discovery_resource_metadata_urls (const char   *server_url,
                                                               GError      **error);
/* Authorization server metadata for @issuer (MCP spec order; 3 entries with a path, else 2). */
char              **mcp_oauth_discovery_server_metadata_urls   (const char   *issuer,
                                                               GError      **error);
/* Does the resource identifier @resource name @server_url: same scheme, host and port
 * (compared case-insensitively, default ports elided) and a path equal to the server's or a
 * parent of it on a segment boundary? */
gboolean            mcp_oauth_discovery_resource_covers        (const char   *resource,
                                                               const char   *server_url);
/* "scheme://authority" of @url exactly as written, NULL when @url is not absolute. */
char               *mcp_oauth_discovery_dup_origin             (const char   *url);
/* Is @url https, or http to a loopback host (localhost, 127.0.0.0/8, ::1)? */
gboolean            mcp_oauth_discovery_url_is_secure          (const char   *url);

G_END_DECLS
