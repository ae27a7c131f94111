/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuthDiscovery: URL construction and checks — where the metadata documents are, whether
 * a resource covers the server URL, whether a URL is secure enough. */
#include "config.h"

#include <string.h>

#include "mcp-http-common-private.h"
#include "mcp-oauth.h"
#include "mcp-oauth-discovery-private.h"

#define PRM_WELL_KNOWN "/.well-known/oauth-protected-resource"
#define OAUTH_WELL_KNOWN "/.well-known/oauth-authorization-server"
#define OIDC_WELL_KNOWN "/.well-known/openid-configuration"

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

static GUri *
parse_http_url (const char  *url,
                const char  *what,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got nothing", what);
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got “%s” (%s)",
                   what, url, local_error->message);
      return NULL;
    }
  if (!is_http_scheme (g_uri_get_scheme (uri)) || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got “%s”", what, url);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* Splits @url into its "scheme://authority" and the rest (path, query, fragment). */
char *
mcp_oauth_discovery_split_origin (const char  *url,
                                  const char **rest)
{
  const char *sep = strstr (url, "://");
  const char *end;

  if (sep == NULL)
    return NULL;
  end = sep + 3;
  end += strcspn (end, "/?#");
  if (rest != NULL)
    *rest = end;
  return g_strndup (url, end - url);
}

char *
mcp_oauth_discovery_dup_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = parse_http_url (url, "a URL", NULL);
  if (uri == NULL)
    return NULL;
  return mcp_oauth_discovery_split_origin (url, NULL);
}

/* The path of @rest (up to "?" or "#") without a terminating "/", and its query if any. */
static char *
dup_path_and_query (const char  *rest,
                    char       **query)
{
  gsize path_len = strcspn (rest, "?#");

  while (path_len > 0 && rest[path_len - 1] == '/')
    path_len--;
  if (query != NULL)
    {
      *query = NULL;
      if (rest[strcspn (rest, "?#")] == '?')
        {
          const char *q = rest + strcspn (rest, "?#") + 1;

          *query = g_strndup (q, strcspn (q, "#"));
        }
    }
  return g_strndup (rest, path_len);
}

/* g_strv_builder_take() is newer than GLib 2.74. */
static void
builder_take (GStrvBuilder *builder,
              char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

char **
mcp_oauth_discovery_resource_metadata_urls (const char  *server_url,
                                            GError     **error)
{
  g_autoptr(GUri) uri = parse_http_url (server_url, "the server URL", error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  const char *rest = NULL;

  if (uri == NULL)
    return NULL;

  origin = mcp_oauth_discovery_split_origin (server_url, &rest);
  path = dup_path_and_query (rest, &query);
  builder = g_strv_builder_new ();
  /* RFC 9728 §3.1: the well-known string goes between the host and the path (and query). */
  if (*path != '\0' || query != NULL)
    {
      g_autofree char *path_based = g_strconcat (origin, PRM_WELL_KNOWN, path,
                                                 query != NULL ? "?" : "", query, NULL);

      g_strv_builder_add (builder, path_based);
    }
  builder_take (builder, g_strconcat (origin, PRM_WELL_KNOWN, NULL));
  return g_strv_builder_end (builder);
}

char **
mcp_oauth_discovery_server_metadata_urls (const char  *issuer,
                                          GError     **error)
{
  g_autoptr(GUri) uri = parse_http_url (issuer, "the issuer identifier", error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  const char *rest = NULL;

  if (uri == NULL)
    return NULL;
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected an issuer identifier without query or fragment (RFC 8414 §2), "
                   "got “%s”", issuer);
      return NULL;
    }

  origin = mcp_oauth_discovery_split_origin (issuer, &rest);
  path = dup_path_and_query (rest, NULL);
  builder = g_strv_builder_new ();
  if (*path != '\0')
    {
      /* RFC 8414 §3.1 path insertion, OpenID path insertion, OpenID path appending. */
      builder_take (builder, g_strconcat (origin, OAUTH_WELL_KNOWN, path, NULL));
      builder_take (builder, g_strconcat (origin, OIDC_WELL_KNOWN, path, NULL));
      builder_take (builder, g_strconcat (origin, path, OIDC_WELL_KNOWN, NULL));
    }
  else
    {
      builder_take (builder, g_strconcat (origin, OAUTH_WELL_KNOWN, NULL));
      builder_take (builder, g_strconcat (origin, OIDC_WELL_KNOWN, NULL));
    }
  return g_strv_builder_end (builder);
}

gboolean
mcp_oauth_discovery_resource_covers (const char *resource,
                                     const char *server_url)
{
  g_autoptr(GUri) r = NULL;
  g_autoptr(GUri) s = NULL;
  g_autofree char *r_path = NULL;
  g_autofree char *s_path = NULL;
  gsize r_len;

  if (resource == NULL || server_url == NULL)
    return FALSE;
  r = parse_http_url (resource, "the resource", NULL);
  s = parse_http_url (server_url, "the server URL", NULL);
  if (r == NULL || s == NULL || g_uri_get_fragment (r) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (r), g_uri_get_scheme (s)) != 0
      || g_ascii_strcasecmp (g_uri_get_host (r), g_uri_get_host (s)) != 0
      || mcp_http_effective_port (r) != mcp_http_effective_port (s))
    return FALSE;
  if (g_uri_get_query (r) != NULL && g_strcmp0 (g_uri_get_query (r), g_uri_get_query (s)) != 0)
    return FALSE;

  r_path = dup_path_and_query (g_uri_get_path (r), NULL);
  s_path = dup_path_and_query (g_uri_get_path (s), NULL);
  r_len = strlen (r_path);
  if (r_len == 0)
    return TRUE;
  return strncmp (s_path, r_path, r_len) == 0 && (s_path[r_len] == '\0' || s_path[r_len] == '/');
}

static gboolean
host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  if (g_str_equal (host, "::1") || g_str_equal (host, "[::1]"))
    return TRUE;
  if (g_str_has_prefix (host, "127."))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      return address != NULL && g_inet_address_get_is_loopback (address);
    }
  return FALSE;
}

gboolean
mcp_oauth_discovery_url_is_secure (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
         && host_is_loopback (g_uri_get_host (uri));
}
