/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-authorizer.h"

G_DEFINE_INTERFACE (McpAuthorizer, mcp_authorizer, G_TYPE_OBJECT)

static void
mcp_authorizer_default_init (McpAuthorizerInterface *iface)
{
}

char *
mcp_authorizer_prepare (McpAuthorizer  *self,
                        const char     *registered,
                        GError        **error)
{
  g_return_val_if_fail (MCP_IS_AUTHORIZER (self), NULL);

  return MCP_AUTHORIZER_GET_IFACE (self)->prepare (self, registered, error);
}

void
mcp_authorizer_authorize_async (McpAuthorizer       *self,
                                const char          *authorization_url,
                                const char          *redirect_uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (MCP_IS_AUTHORIZER (self));
  g_return_if_fail (authorization_url != NULL);
  g_return_if_fail (redirect_uri != NULL);

  MCP_AUTHORIZER_GET_IFACE (self)->authorize_async (self, authorization_url, redirect_uri,
                                                    cancellable, callback, user_data);
}

char *
mcp_authorizer_authorize_finish (McpAuthorizer  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (MCP_IS_AUTHORIZER (self), NULL);

  return MCP_AUTHORIZER_GET_IFACE (self)->authorize_finish (self, result, error);
}

static int
port_of (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
mcp_authorizer_uri_matches_redirect (const char *uri,
                                     const char *redirect_uri)
{
  g_autoptr(GUri) a = NULL;
  g_autoptr(GUri) b = NULL;
  const char *path_a, *path_b;

  if (uri == NULL || redirect_uri == NULL)
    return FALSE;
  a = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  b = g_uri_parse (redirect_uri, G_URI_FLAGS_ENCODED, NULL);
  if (a == NULL || b == NULL || g_uri_get_scheme (a) == NULL || g_uri_get_scheme (b) == NULL)
    return FALSE;
  path_a = *g_uri_get_path (a) != '\0' ? g_uri_get_path (a) : "/";
  path_b = *g_uri_get_path (b) != '\0' ? g_uri_get_path (b) : "/";
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                                g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0
         && port_of (a) == port_of (b)
         && g_str_equal (path_a, path_b);
}

char *
mcp_authorizer_dup_uri_without_query (const char *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return g_strndup (uri, strcspn (uri, "?#"));
}
