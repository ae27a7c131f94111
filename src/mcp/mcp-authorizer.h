/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MCP_TYPE_AUTHORIZER (mcp_authorizer_get_type ())
G_DECLARE_INTERFACE (McpAuthorizer, mcp_authorizer, MCP, AUTHORIZER, GObject)

/*
 * How the person's user agent is driven through an OAuth authorization request: the system
 * browser with a loopback listener (McpLoopbackAuthorizer, RFC 8252), no browser at all
 * (McpHeadlessAuthorizer, for servers that approve without a person), or the application's
 * embedded web view.
 *
 * The flow first asks for the redirect URI (it goes into the client registration), then hands
 * over the authorization URL and waits for the redirect the agent ends at.
 */
struct _McpAuthorizerInterface
{
  GTypeInterface parent_iface;

  /* The redirect URI to register and send. @registered: one registered earlier with this
   * authorization server (may be NULL); an authorizer keeps it when it can (same loopback port),
   * since some servers accept only the exact URI they registered. May start listening. */
  char    *(*prepare)          (McpAuthorizer        *self,
                                const char           *registered,
                                GError              **error);

  /* Sends the agent to @authorization_url and completes with the full URI (query included)
   * the agent was redirected to once it reached @redirect_uri. */
  void     (*authorize_async)  (McpAuthorizer        *self,
                                const char           *authorization_url,
                                const char           *redirect_uri,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
  char    *(*authorize_finish) (McpAuthorizer        *self,
                                GAsyncResult         *result,
                                GError              **error);
};

char *mcp_authorizer_prepare          (McpAuthorizer        *self,
                                       const char           *registered,
                                       GError              **error);
void  mcp_authorizer_authorize_async  (McpAuthorizer        *self,
                                       const char           *authorization_url,
                                       const char           *redirect_uri,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char *mcp_authorizer_authorize_finish (McpAuthorizer        *self,
                                       GAsyncResult         *result,
                                       GError              **error);

/* Does @uri (a redirect the agent reached) lead to @redirect_uri: same scheme, host, port and
 * path? The query is where the answer is and is not compared. */
gboolean mcp_authorizer_uri_matches_redirect (const char *uri,
                                              const char *redirect_uri);

/* @uri without its query and fragment, for messages (the query carries state and codes). */
char    *mcp_authorizer_dup_uri_without_query (const char *uri);

G_END_DECLS
