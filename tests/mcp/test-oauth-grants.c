/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libsoup/soup.h>
#include <string.h>

#include "mcp-oauth.h"
#include "mcp-token-exchange.h"

#define JWT_BEARER   "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define ASSERTION    "eyJhbGciOiJFUzI1NiJ9.workload-assertion.signature"
#define ID_TOKEN     "eyJhbGciOiJFUzI1NiJ9.person-id-token.signature"
#define ID_JAG       "eyJ0eXAiOiJvYXV0aC1pZC1qYWcrand0In0.id-jag.signature"
#define CLIENT_SECRET "mcp-s3cret"

/* A protected resource, its authorization server and an enterprise IdP on one loopback
 * server; the token endpoints record what they were sent. */
typedef struct
{
  SoupServer *server;
  char       *base;
  char       *mcp_url;
  char       *prm_scopes;       /* JSON array or NULL */
  char       *auth_methods;     /* JSON array */
  guint       token_status;
  char       *token_answer;
  guint       idp_status;
  char       *idp_answer;
  guint       token_requests;
  guint       idp_requests;
  guint       order;            /* requests so far, to tell which came first */
  guint       idp_order;
  guint       token_order;
  GHashTable *token_form;
  char       *token_authorization;
  GHashTable *idp_form;
} Peer;

static void
serve_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static void
peer_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Peer *peer = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *text = g_strndup (body->data, body->length);

  if (g_str_equal (path, "/.well-known/oauth-protected-resource/mcp"))
    {
      g_autofree char *json = g_strdup_printf ("{\"resource\":\"%s\",\"authorization_servers\":"
                                               "[\"%s\"]%s%s}", peer->mcp_url, peer->base,
                                               peer->prm_scopes ? ",\"scopes_supported\":" : "",
                                               peer->prm_scopes ? peer->prm_scopes : "");
      serve_json (msg, SOUP_STATUS_OK, json);
    }
  else if (g_str_equal (path, "/.well-known/oauth-authorization-server"))
    {
      g_autofree char *json = g_strdup_printf ("{\"issuer\":\"%s\",\"token_endpoint\":\"%s/token\","
                                               "\"grant_types_supported\":[\"" JWT_BEARER "\"],"
                                               "\"token_endpoint_auth_methods_supported\":%s}",
                                               peer->base, peer->base, peer->auth_methods);
      serve_json (msg, SOUP_STATUS_OK, json);
    }
  else if (g_str_equal (path, "/token"))
    {
      peer->token_requests++;
      peer->token_order = ++peer->order;
      g_clear_pointer (&peer->token_form, g_hash_table_unref);
      peer->token_form = soup_form_decode (text);
      g_free (peer->token_authorization);
      peer->token_authorization = g_strdup (soup_message_headers_get_one (headers,
                                                                          "Authorization"));
      serve_json (msg, peer->token_status, peer->token_answer);
    }
  else if (g_str_equal (path, "/idp/token"))
    {
      peer->idp_requests++;
      peer->idp_order = ++peer->order;
      g_clear_pointer (&peer->idp_form, g_hash_table_unref);
      peer->idp_form = soup_form_decode (text);
      serve_json (msg, peer->idp_status, peer->idp_answer);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static Peer *
peer_new (void)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  peer->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (peer->server, NULL, peer_handler, peer, NULL);
  soup_server_listen_local (peer->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (peer->server);
  peer->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  peer->mcp_url = g_strconcat (peer->base, "/mcp", NULL);
  peer->auth_methods = g_strdup ("[\"none\"]");
  peer->token_status = SOUP_STATUS_OK;
  peer->token_answer = g_strdup ("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\","
                                 "\"expires_in\":3600}");
  peer->idp_status = SOUP_STATUS_OK;
  peer->idp_answer = g_strdup ("{\"access_token\":\"" ID_JAG "\",\"issued_token_type\":"
                               "\"urn:ietf:params:oauth:token-type:id-jag\","
                               "\"token_type\":\"N_A\"}");
  return peer;
}

static void
peer_free (Peer *peer)
{
  soup_server_disconnect (peer->server);
  g_object_unref (peer->server);
  g_free (peer->base);
  g_free (peer->mcp_url);
  g_free (peer->prm_scopes);
  g_free (peer->auth_methods);
  g_free (peer->token_answer);
  g_free (peer->idp_answer);
  g_clear_pointer (&peer->token_form, g_hash_table_unref);
  g_free (peer->token_authorization);
  g_clear_pointer (&peer->idp_form, g_hash_table_unref);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

static void
collect_log (McpOAuth    *oauth,
             McpLogLevel  level,
             const char  *text,
             GString     *log)
{
  g_string_append (log, text);
  g_string_append_c (log, '\n');
}

static McpOAuth *
new_oauth (Peer    *peer,
           GString *log)
{
  McpOAuth *oauth = mcp_oauth_new (peer->mcp_url, NULL);

  mcp_oauth_set_grant (oauth, MCP_OAUTH_GRANT_JWT_BEARER);
  g_signal_connect (oauth, "log", G_CALLBACK (collect_log), log);
  return oauth;
}

static McpTokenExchange *
new_exchange (Peer *peer)
{
  g_autofree char *endpoint = g_strconcat (peer->base, "/idp/token", NULL);
  McpTokenExchange *exchange = mcp_token_exchange_new (endpoint, NULL);

  mcp_token_exchange_set_client_credentials (exchange, "idp-client", NULL);
  mcp_token_exchange_set_subject_token (exchange, ID_TOKEN, NULL);
  return exchange;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
authorize (McpOAuth  *oauth,
           GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_oauth_authorize_async (oauth, NULL, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return mcp_oauth_authorize_finish (oauth, result, error);
}

static void
assert_field (GHashTable *form,
              const char *name,
              const char *expected)
{
  g_assert_nonnull (form);
  g_assert_cmpstr (g_hash_table_lookup (form, name), ==, expected);
}

static void
assert_no_secrets (const char *text)
{
  g_assert_null (strstr (text, ASSERTION));
  g_assert_null (strstr (text, "workload-assertion"));
  g_assert_null (strstr (text, "person-id-token"));
  g_assert_null (strstr (text, "id-jag.signature"));
  g_assert_null (strstr (text, CLIENT_SECRET));
}

static void
test_presents_the_assertion (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  mcp_oauth_set_client_credentials (oauth, "workload", NULL, NULL);
  mcp_oauth_set_assertion (oauth, ASSERTION);
  token = authorize (oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "at-1");
  g_assert_true (mcp_oauth_get_authorized (oauth));
  g_assert_cmpuint (peer->token_requests, ==, 1);
  g_assert_cmpuint (peer->idp_requests, ==, 0);
  assert_field (peer->token_form, "grant_type", JWT_BEARER);
  assert_field (peer->token_form, "assertion", ASSERTION);
  assert_field (peer->token_form, "resource", peer->mcp_url);
  assert_field (peer->token_form, "client_id", "workload");
  g_assert_false (g_hash_table_contains (peer->token_form, "scope"));
  g_assert_false (g_hash_table_contains (peer->token_form, "client_secret"));
  g_assert_null (peer->token_authorization);
  g_assert_nonnull (strstr (log->str, "JWT bearer grant"));
  assert_no_secrets (log->str);
}

static void
test_without_a_client (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  peer->prm_scopes = g_strdup ("[\"wif.read\"]");
  mcp_oauth_set_assertion (oauth, ASSERTION);
  token = authorize (oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "at-1");
  assert_field (peer->token_form, "assertion", ASSERTION);
  assert_field (peer->token_form, "scope", "wif.read");
  g_assert_false (g_hash_table_contains (peer->token_form, "client_id"));
}

static void
test_enterprise_exchange_then_grant (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(McpTokenExchange) exchange = new_exchange (peer);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  peer->prm_scopes = g_strdup ("[\"mcp:read\"]");
  g_free (peer->auth_methods);
  peer->auth_methods = g_strdup ("[\"client_secret_basic\"]");
  mcp_oauth_set_client_credentials (oauth, "mcp-client", CLIENT_SECRET, NULL);
  mcp_oauth_set_token_exchange (oauth, exchange);
  g_assert_true (mcp_oauth_get_token_exchange (oauth) == exchange);
  token = authorize (oauth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "at-1");

  /* First the IdP, for this authorization server and this resource... */
  g_assert_cmpuint (peer->idp_requests, ==, 1);
  g_assert_cmpuint (peer->idp_order, <, peer->token_order);
  assert_field (peer->idp_form, "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
  assert_field (peer->idp_form, "subject_token", ID_TOKEN);
  assert_field (peer->idp_form, "subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
  assert_field (peer->idp_form, "requested_token_type",
                "urn:ietf:params:oauth:token-type:id-jag");
  assert_field (peer->idp_form, "audience", peer->base);
  assert_field (peer->idp_form, "resource", peer->mcp_url);
  assert_field (peer->idp_form, "scope", "mcp:read");
  assert_field (peer->idp_form, "client_id", "idp-client");
  /* ...then the ID-JAG at the authorization server, as the client registered there. */
  g_assert_cmpuint (peer->token_requests, ==, 1);
  assert_field (peer->token_form, "grant_type", JWT_BEARER);
  assert_field (peer->token_form, "assertion", ID_JAG);
  assert_field (peer->token_form, "scope", "mcp:read");
  g_assert_false (g_hash_table_contains (peer->token_form, "client_secret"));
  g_assert_true (g_str_has_prefix (peer->token_authorization, "Basic "));
  assert_no_secrets (log->str);
}

static void
test_refused_grant_is_reported_once (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  peer->token_status = SOUP_STATUS_BAD_REQUEST;
  g_free (peer->token_answer);
  peer->token_answer = g_strdup ("{\"error\":\"invalid_grant\",\"error_description\":"
                                 "\"JWT assertion audience is invalid\"}");
  mcp_oauth_set_client_credentials (oauth, "workload", NULL, NULL);
  mcp_oauth_set_assertion (oauth, ASSERTION);
  token = authorize (oauth, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_nonnull (strstr (error->message, "JWT assertion audience is invalid"));
  assert_no_secrets (error->message);
  assert_no_secrets (log->str);
  /* Not retried, and no other grant tried (SEP-1933). */
  g_assert_cmpuint (peer->token_requests, ==, 1);
  g_assert_false (mcp_oauth_get_authorized (oauth));
}

static void
test_failed_exchange_stops_before_the_grant (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(McpTokenExchange) exchange = new_exchange (peer);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  peer->idp_status = SOUP_STATUS_BAD_REQUEST;
  g_free (peer->idp_answer);
  peer->idp_answer = g_strdup ("{\"error\":\"invalid_grant\",\"error_description\":"
                               "\"Invalid ID token\"}");
  mcp_oauth_set_client_credentials (oauth, "mcp-client", CLIENT_SECRET, NULL);
  mcp_oauth_set_token_exchange (oauth, exchange);
  token = authorize (oauth, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "identity assertion grant"));
  g_assert_nonnull (strstr (error->message, "Invalid ID token"));
  assert_no_secrets (error->message);
  g_assert_cmpuint (peer->idp_requests, ==, 1);
  g_assert_cmpuint (peer->token_requests, ==, 0);
}

static void
test_needs_an_assertion (void)
{
  g_autoptr(Peer) peer = peer_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (peer, log);
  g_autoptr(McpTokenExchange) exchange = mcp_token_exchange_new ("https://idp.example.com/t",
                                                                  NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  mcp_oauth_set_client_credentials (oauth, "workload", NULL, NULL);
  token = authorize (oauth, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY);
  g_clear_error (&error);

  /* An exchange without an ID token is no source of assertions either. */
  mcp_oauth_set_token_exchange (oauth, exchange);
  token = authorize (oauth, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY);
  g_assert_cmpuint (peer->token_requests, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth-grants/jwt-bearer-presents-the-assertion",
                   test_presents_the_assertion);
  g_test_add_func ("/mcp/oauth-grants/jwt-bearer-goes-without-a-client",
                   test_without_a_client);
  g_test_add_func ("/mcp/oauth-grants/enterprise-exchanges-the-id-token-then-presents-the-id-jag",
                   test_enterprise_exchange_then_grant);
  g_test_add_func ("/mcp/oauth-grants/refused-grant-is-reported-once-without-secrets",
                   test_refused_grant_is_reported_once);
  g_test_add_func ("/mcp/oauth-grants/failed-exchange-stops-before-the-grant",
                   test_failed_exchange_stops_before_the_grant);
  g_test_add_func ("/mcp/oauth-grants/jwt-bearer-needs-an-assertion-or-an-id-token",
                   test_needs_an_assertion);

  return g_test_run ();
}
