/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libsoup/soup.h>
#include <string.h>

#include "mcp-oauth.h"
#include "mcp-oauth-discovery.h"

static void
assert_strv (char       **got,
             const char  *first,
             ...)
{
  va_list args;
  const char *expected = first;
  guint i = 0;

  va_start (args, first);
  for (; expected != NULL; expected = va_arg (args, const char *), i++)
    {
      g_assert_nonnull (got[i]);
      g_assert_cmpstr (got[i], ==, expected);
    }
  va_end (args);
  g_assert_null (got[i]);
  g_strfreev (got);
}

static void
test_resource_metadata_urls (void)
{
  assert_strv (mcp_oauth_discovery_resource_metadata_urls ("https://example.com/public/mcp", NULL),
               "https://example.com/.well-known/oauth-protected-resource/public/mcp",
               "https://example.com/.well-known/oauth-protected-resource", NULL);
  /* A terminating slash goes; ports and the host as written stay. */
  assert_strv (mcp_oauth_discovery_resource_metadata_urls ("http://LocalHost:8000/mcp/", NULL),
               "http://LocalHost:8000/.well-known/oauth-protected-resource/mcp",
               "http://LocalHost:8000/.well-known/oauth-protected-resource", NULL);
  /* At the root only the root location exists. */
  assert_strv (mcp_oauth_discovery_resource_metadata_urls ("https://example.com", NULL),
               "https://example.com/.well-known/oauth-protected-resource", NULL);
  assert_strv (mcp_oauth_discovery_resource_metadata_urls ("https://example.com/", NULL),
               "https://example.com/.well-known/oauth-protected-resource", NULL);
  /* RFC 9728 §3.1: a query stays after the path; a fragment never goes out. */
  assert_strv (mcp_oauth_discovery_resource_metadata_urls ("https://a.example:8443/mcp?t=1#x",
                                                           NULL),
               "https://a.example:8443/.well-known/oauth-protected-resource/mcp?t=1",
               "https://a.example:8443/.well-known/oauth-protected-resource", NULL);
}

static void
test_resource_metadata_urls_reject_non_http (void)
{
  g_autoptr(GError) error = NULL;
  char **urls = mcp_oauth_discovery_resource_metadata_urls ("ftp://example.com/mcp", &error);

  g_assert_null (urls);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED);
  g_assert_nonnull (strstr (error->message, "ftp://example.com/mcp"));
  g_clear_error (&error);
  g_assert_null (mcp_oauth_discovery_resource_metadata_urls ("/relative", &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED);
}

static void
test_server_metadata_urls_with_path (void)
{
  assert_strv (mcp_oauth_discovery_server_metadata_urls ("https://auth.example.com/tenant1", NULL),
               "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
               "https://auth.example.com/.well-known/openid-configuration/tenant1",
               "https://auth.example.com/tenant1/.well-known/openid-configuration", NULL);
  assert_strv (mcp_oauth_discovery_server_metadata_urls ("http://127.0.0.1:9000/a/b/", NULL),
               "http://127.0.0.1:9000/.well-known/oauth-authorization-server/a/b",
               "http://127.0.0.1:9000/.well-known/openid-configuration/a/b",
               "http://127.0.0.1:9000/a/b/.well-known/openid-configuration", NULL);
}

static void
test_server_metadata_urls_without_path (void)
{
  assert_strv (mcp_oauth_discovery_server_metadata_urls ("https://auth.example.com", NULL),
               "https://auth.example.com/.well-known/oauth-authorization-server",
               "https://auth.example.com/.well-known/openid-configuration", NULL);
  /* The SDK writes its issuer with a terminating slash. */
  assert_strv (mcp_oauth_discovery_server_metadata_urls ("http://localhost:3001/", NULL),
               "http://localhost:3001/.well-known/oauth-authorization-server",
               "http://localhost:3001/.well-known/openid-configuration", NULL);
  assert_strv (mcp_oauth_discovery_server_metadata_urls ("https://[::1]:8443", NULL),
               "https://[::1]:8443/.well-known/oauth-authorization-server",
               "https://[::1]:8443/.well-known/openid-configuration", NULL);
}

static void
test_server_metadata_urls_reject_query (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (mcp_oauth_discovery_server_metadata_urls ("https://a.example/?x=1", &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED);
  g_assert_nonnull (strstr (error->message, "https://a.example/?x=1"));
}

static void
test_resource_covers (void)
{
  const char *server = "https://mcp.example.com/server/mcp";

  g_assert_true (mcp_oauth_discovery_resource_covers (server, server));
  g_assert_true (mcp_oauth_discovery_resource_covers ("https://mcp.example.com", server));
  g_assert_true (mcp_oauth_discovery_resource_covers ("https://mcp.example.com/", server));
  g_assert_true (mcp_oauth_discovery_resource_covers ("https://mcp.example.com/server", server));
  g_assert_true (mcp_oauth_discovery_resource_covers ("HTTPS://MCP.Example.com:443/server/mcp/",
                                                      server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("https://mcp.example.com/serv", server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("https://mcp.example.com/server/mcp/x",
                                                       server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("https://evil.example.com/server/mcp",
                                                       server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("http://mcp.example.com/server/mcp",
                                                       server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("https://mcp.example.com:8443/server/mcp",
                                                       server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("https://mcp.example.com/server/mcp#f",
                                                       server));
  g_assert_false (mcp_oauth_discovery_resource_covers ("mcp.example.com", server));
  g_assert_false (mcp_oauth_discovery_resource_covers (NULL, server));
}

static void
test_url_is_secure (void)
{
  g_assert_true (mcp_oauth_discovery_url_is_secure ("https://auth.example.com/token"));
  g_assert_true (mcp_oauth_discovery_url_is_secure ("http://localhost:3001/token"));
  g_assert_true (mcp_oauth_discovery_url_is_secure ("http://127.0.0.1/token"));
  g_assert_true (mcp_oauth_discovery_url_is_secure ("http://127.1.2.3:80/token"));
  g_assert_true (mcp_oauth_discovery_url_is_secure ("http://[::1]:80/token"));
  g_assert_false (mcp_oauth_discovery_url_is_secure ("http://auth.example.com/token"));
  g_assert_false (mcp_oauth_discovery_url_is_secure ("http://127.example.com/token"));
  g_assert_false (mcp_oauth_discovery_url_is_secure ("http://192.168.1.1/token"));
  g_assert_false (mcp_oauth_discovery_url_is_secure ("javascript:alert(1)"));
}

/* A server that answers fixed documents at fixed paths, and records what was asked. */
typedef struct
{
  SoupServer *server;
  char       *base;
  GHashTable *documents;  /* path -> JSON text */
  GPtrArray  *requests;   /* paths in order */
} Peer;

static void
peer_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Peer *peer = user_data;
  const char *body = g_hash_table_lookup (peer->documents, path);

  g_ptr_array_add (peer->requests, g_strdup (path));
  if (body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static Peer *
peer_new (void)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  peer->server = soup_server_new (NULL, NULL);
  peer->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  peer->requests = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (peer->server, NULL, peer_handler, peer, NULL);
  soup_server_listen_local (peer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (peer->server);
  peer->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return peer;
}

static void
peer_free (Peer *peer)
{
  soup_server_disconnect (peer->server);
  g_object_unref (peer->server);
  g_hash_table_unref (peer->documents);
  g_ptr_array_unref (peer->requests);
  g_free (peer->base);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* Serves @format (printf, every %1$s is the peer's base URL) at @path. */
static void
peer_serve (Peer       *peer,
            const char *path,
            const char *format)
{
  g_autoptr(GString) text = g_string_new (format);

  g_string_replace (text, "BASE", peer->base, 0);
  g_hash_table_replace (peer->documents, g_strdup (path), g_string_free (g_steal_pointer (&text),
                                                                         FALSE));
}

static gboolean
peer_requested (Peer       *peer,
                const char *path)
{
  for (guint i = 0; i < peer->requests->len; i++)
    if (g_str_equal (g_ptr_array_index (peer->requests, i), path))
      return TRUE;
  return FALSE;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
run_discovery (McpOAuthDiscovery  *discovery,
               const char         *header_url,
               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_oauth_discovery_run_async (discovery, header_url, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return mcp_oauth_discovery_run_finish (discovery, result, error);
}

static const char as_metadata[] =
  "{\"issuer\":\"BASE\",\"authorization_endpoint\":\"BASE/authorize\","
  "\"token_endpoint\":\"BASE/token\",\"registration_endpoint\":\"BASE/register\","
  "\"code_challenge_methods_supported\":[\"S256\"]}";

static void
test_discovery_path_based_then_oauth_metadata (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token_endpoint = g_strconcat (peer->base, "/token", NULL);

  peer_serve (peer, "/.well-known/oauth-protected-resource/mcp",
              "{\"resource\":\"BASE/mcp\",\"authorization_servers\":[\"BASE\"],"
              "\"scopes_supported\":[\"a\",\"b\"]}");
  peer_serve (peer, "/.well-known/oauth-authorization-server", as_metadata);

  g_assert_true (run_discovery (discovery, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_oauth_discovery_get_resource (discovery), ==, server_url);
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (discovery), ==, peer->base);
  g_assert_cmpstr (mcp_oauth_discovery_get_token_endpoint (discovery), ==, token_endpoint);
  g_assert_cmpuint (g_strv_length ((char **) mcp_oauth_discovery_get_resource_scopes (discovery)),
                    ==, 2);
  g_assert_false (mcp_oauth_discovery_get_legacy (discovery));
  g_assert_true (mcp_oauth_discovery_server_lists (discovery, "code_challenge_methods_supported",
                                                   "S256"));
  /* The root location was never needed. */
  g_assert_false (peer_requested (peer, "/.well-known/oauth-protected-resource"));
}

static void
test_discovery_header_url_first (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autofree char *header_url = g_strconcat (peer->base, "/custom/prm.json", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = g_strconcat (peer->base, "/tenant1", NULL);

  peer_serve (peer, "/custom/prm.json",
              "{\"resource\":\"BASE/mcp\",\"authorization_servers\":[\"BASE/tenant1\"]}");
  /* Only the OpenID path-appending location has the metadata (third in order). */
  peer_serve (peer, "/tenant1/.well-known/openid-configuration",
              "{\"issuer\":\"BASE/tenant1\",\"authorization_endpoint\":\"BASE/a\","
              "\"token_endpoint\":\"BASE/t\",\"code_challenge_methods_supported\":[\"S256\"]}");

  g_assert_true (run_discovery (discovery, header_url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_oauth_discovery_get_resource_metadata_url (discovery), ==, header_url);
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (discovery), ==, issuer);
  g_assert_null (mcp_oauth_discovery_get_resource_scopes (discovery));
  g_assert_null (mcp_oauth_discovery_get_registration_endpoint (discovery));
  g_assert_false (peer_requested (peer, "/.well-known/oauth-protected-resource/mcp"));
  /* The spec's order: RFC 8414 insertion, OpenID insertion, OpenID appending. */
  g_assert_cmpuint (peer->requests->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (peer->requests, 1), ==,
                   "/.well-known/oauth-authorization-server/tenant1");
  g_assert_cmpstr (g_ptr_array_index (peer->requests, 2), ==,
                   "/.well-known/openid-configuration/tenant1");
  g_assert_cmpstr (g_ptr_array_index (peer->requests, 3), ==,
                   "/tenant1/.well-known/openid-configuration");
}

static void
test_discovery_root_fallback (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;

  /* Root metadata for the whole origin: its resource is the origin, sent back exactly. */
  peer_serve (peer, "/.well-known/oauth-protected-resource",
              "{\"resource\":\"BASE\",\"authorization_servers\":[\"BASE\"]}");
  peer_serve (peer, "/.well-known/openid-configuration", as_metadata);

  g_assert_true (run_discovery (discovery, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_oauth_discovery_get_resource (discovery), ==, peer->base);
  g_assert_true (peer_requested (peer, "/.well-known/oauth-protected-resource/mcp"));
  g_assert_true (g_str_has_suffix (mcp_oauth_discovery_get_server_metadata_url (discovery),
                                   "/.well-known/openid-configuration"));
}

static void
test_discovery_resource_mismatch (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;

  peer_serve (peer, "/.well-known/oauth-protected-resource/mcp",
              "{\"resource\":\"https://evil.example.com/mcp\","
              "\"authorization_servers\":[\"BASE\"]}");
  peer_serve (peer, "/.well-known/oauth-authorization-server", as_metadata);

  g_assert_false (run_discovery (discovery, NULL, &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_RESOURCE_MISMATCH);
  g_assert_nonnull (strstr (error->message, "https://evil.example.com/mcp"));
  g_assert_nonnull (strstr (error->message, server_url));
  g_assert_false (peer_requested (peer, "/.well-known/oauth-authorization-server"));
}

static void
test_discovery_issuer_mismatch (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;

  peer_serve (peer, "/.well-known/oauth-protected-resource/mcp",
              "{\"resource\":\"BASE/mcp\",\"authorization_servers\":[\"BASE\"]}");
  peer_serve (peer, "/.well-known/oauth-authorization-server",
              "{\"issuer\":\"https://attacker.example.com\",\"authorization_endpoint\":\"BASE/a\","
              "\"token_endpoint\":\"BASE/t\"}");

  g_assert_false (run_discovery (discovery, NULL, &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH);
  g_assert_nonnull (strstr (error->message, "https://attacker.example.com"));
  g_assert_nonnull (strstr (error->message, peer->base));
  g_assert_null (mcp_oauth_discovery_get_token_endpoint (discovery));
}

static void
test_discovery_legacy_metadata_at_origin (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *authorize = g_strconcat (peer->base, "/oauth/authorize", NULL);

  peer_serve (peer, "/.well-known/oauth-authorization-server",
              "{\"issuer\":\"BASE\",\"authorization_endpoint\":\"BASE/oauth/authorize\","
              "\"token_endpoint\":\"BASE/oauth/token\"}");

  g_assert_true (run_discovery (discovery, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mcp_oauth_discovery_get_legacy (discovery));
  g_assert_cmpstr (mcp_oauth_discovery_get_resource (discovery), ==, server_url);
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (discovery), ==, peer->base);
  g_assert_cmpstr (mcp_oauth_discovery_get_authorization_endpoint (discovery), ==, authorize);
}

/* What conformance 0.1 serves for 2025-03-26: metadata at the origin naming "origin/oauth". */
static void
test_discovery_legacy_issuer_with_path_on_same_origin (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = g_strconcat (peer->base, "/oauth", NULL);

  peer_serve (peer, "/.well-known/oauth-authorization-server",
              "{\"issuer\":\"BASE/oauth\",\"authorization_endpoint\":\"BASE/oauth/authorize\","
              "\"token_endpoint\":\"BASE/oauth/token\"}");

  g_assert_true (run_discovery (discovery, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mcp_oauth_discovery_get_legacy (discovery));
  /* The document's issuer is the one the iss parameter and registrations are checked with. */
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (discovery), ==, issuer);
}

static void
test_discovery_legacy_issuer_on_other_origin_is_refused (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;

  peer_serve (peer, "/.well-known/oauth-authorization-server",
              "{\"issuer\":\"https://attacker.example.com/oauth\","
              "\"authorization_endpoint\":\"BASE/a\",\"token_endpoint\":\"BASE/t\"}");

  g_assert_false (run_discovery (discovery, NULL, &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH);
  g_assert_nonnull (strstr (error->message, "https://attacker.example.com/oauth"));
  g_assert_null (mcp_oauth_discovery_get_token_endpoint (discovery));
}

/* With protected resource metadata the issuer is named: a path the name lacks is a mismatch. */
static void
test_discovery_named_issuer_with_other_path_is_refused (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;

  peer_serve (peer, "/.well-known/oauth-protected-resource/mcp",
              "{\"resource\":\"BASE/mcp\",\"authorization_servers\":[\"BASE\"]}");
  peer_serve (peer, "/.well-known/oauth-authorization-server",
              "{\"issuer\":\"BASE/oauth\",\"authorization_endpoint\":\"BASE/oauth/authorize\","
              "\"token_endpoint\":\"BASE/oauth/token\"}");

  g_assert_false (run_discovery (discovery, NULL, &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH);
  g_assert_false (mcp_oauth_discovery_get_legacy (discovery));
  g_assert_null (mcp_oauth_discovery_get_token_endpoint (discovery));
}

static void
test_discovery_legacy_default_endpoints (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/deep/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *authorize = g_strconcat (peer->base, "/authorize", NULL);
  g_autofree char *token = g_strconcat (peer->base, "/token", NULL);
  g_autofree char *reg = g_strconcat (peer->base, "/register", NULL);

  g_assert_true (run_discovery (discovery, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mcp_oauth_discovery_get_legacy (discovery));
  g_assert_null (mcp_oauth_discovery_get_server_metadata (discovery));
  g_assert_cmpstr (mcp_oauth_discovery_get_authorization_endpoint (discovery), ==, authorize);
  g_assert_cmpstr (mcp_oauth_discovery_get_token_endpoint (discovery), ==, token);
  g_assert_cmpstr (mcp_oauth_discovery_get_registration_endpoint (discovery), ==, reg);
}

static void
test_discovery_unreachable_server (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autofree char *server_url = g_strconcat (peer->base, "/mcp", NULL);
  g_autoptr(McpOAuthDiscovery) discovery = NULL;
  g_autoptr(GError) error = NULL;

  /* Nobody listens there any more. */
  soup_server_disconnect (peer->server);
  discovery = mcp_oauth_discovery_new (NULL, server_url);
  g_assert_false (run_discovery (discovery, NULL, &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED);
  g_assert_nonnull (strstr (error->message, "/.well-known/oauth-protected-resource/mcp"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth-discovery/resource-metadata-urls-insert-the-path",
                   test_resource_metadata_urls);
  g_test_add_func ("/mcp/oauth-discovery/resource-metadata-urls-need-http",
                   test_resource_metadata_urls_reject_non_http);
  g_test_add_func ("/mcp/oauth-discovery/server-metadata-urls-with-path-follow-spec-order",
                   test_server_metadata_urls_with_path);
  g_test_add_func ("/mcp/oauth-discovery/server-metadata-urls-without-path",
                   test_server_metadata_urls_without_path);
  g_test_add_func ("/mcp/oauth-discovery/issuer-with-query-is-refused",
                   test_server_metadata_urls_reject_query);
  g_test_add_func ("/mcp/oauth-discovery/resource-covers-same-origin-parent-paths",
                   test_resource_covers);
  g_test_add_func ("/mcp/oauth-discovery/http-is-secure-only-on-loopback", test_url_is_secure);
  g_test_add_func ("/mcp/oauth-discovery/path-based-metadata-then-rfc8414",
                   test_discovery_path_based_then_oauth_metadata);
  g_test_add_func ("/mcp/oauth-discovery/header-url-first-and-openid-appending-last",
                   test_discovery_header_url_first);
  g_test_add_func ("/mcp/oauth-discovery/root-metadata-when-no-path-based",
                   test_discovery_root_fallback);
  g_test_add_func ("/mcp/oauth-discovery/resource-mismatch-is-refused",
                   test_discovery_resource_mismatch);
  g_test_add_func ("/mcp/oauth-discovery/issuer-mismatch-is-refused",
                   test_discovery_issuer_mismatch);
  g_test_add_func ("/mcp/oauth-discovery/legacy-server-metadata-at-origin",
                   test_discovery_legacy_metadata_at_origin);
  g_test_add_func ("/mcp/oauth-discovery/legacy-issuer-with-path-on-same-origin-is-taken",
                   test_discovery_legacy_issuer_with_path_on_same_origin);
  g_test_add_func ("/mcp/oauth-discovery/legacy-issuer-on-other-origin-is-refused",
                   test_discovery_legacy_issuer_on_other_origin_is_refused);
  g_test_add_func ("/mcp/oauth-discovery/named-issuer-with-other-path-is-refused",
                   test_discovery_named_issuer_with_other_path_is_refused);
  g_test_add_func ("/mcp/oauth-discovery/legacy-default-endpoints-without-metadata",
                   test_discovery_legacy_default_endpoints);
  g_test_add_func ("/mcp/oauth-discovery/unreachable-server-fails-with-url",
                   test_discovery_unreachable_server);

  return g_test_run ();
}
