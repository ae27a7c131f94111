/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-authorizer.h"

G_BEGIN_DECLS

/* The redirect URI used when none was registered before (nothing listens there). */
#define MCP_HEADLESS_AUTHORIZER_DEFAULT_REDIRECT_URI "http://127.0.0.1/callback"
#define MCP_HEADLESS_AUTHORIZER_DEFAULT_MAX_REDIRECTS 10

#define MCP_TYPE_HEADLESS_AUTHORIZER (mcp_headless_authorizer_get_type ())
G_DECLARE_FINAL_TYPE (McpHeadlessAuthorizer, mcp_headless_authorizer, MCP, HEADLESS_AUTHORIZER,
                      GObject)

/*
 * An McpAuthorizer without a browser, for authorization servers that approve without a person
 * (CI, the conformance suite, the SDK example server): it GETs the authorization URL itself
 * without following redirects, follows redirects that stay on the authorization URL's origin
 * (with cookies) up to "max-redirects", and completes with the first Location that leads to the
 * redirect URI. A page instead of a redirect means a person is needed: that is an error.
 *
 * Properties:
 *   "session"       (SoupSession, construct-only) NULL: one of its own with a cookie jar;
 *   "redirect-uri"  (string) used when no redirect URI was registered before;
 *   "max-redirects" (guint) same-origin redirects followed before giving up.
 */

McpHeadlessAuthorizer *mcp_headless_authorizer_new               (SoupSession           *session);
void                   mcp_headless_authorizer_set_redirect_uri  (McpHeadlessAuthorizer *self,
                                                                  const char            *uri);
const char            *mcp_headless_authorizer_get_redirect_uri  (McpHeadlessAuthorizer *self);
void                   mcp_headless_authorizer_set_max_redirects (McpHeadlessAuthorizer *self,
                                                                  guint                  max);

G_END_DECLS
