/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-oauth.h"
#include "mcp-oauth-private.h"

#include "oauth-test-util.h"

/* McpOAuth signing in against TestAs (oauth-test-server.h): discovery, registration, PKCE
 * and the token request, scope choice, the 2025-03-26 fallback; and its pure functions. */

/* Secrets never reach the log. */
static void
collect_log (McpOAuth    *oauth,
             McpLogLevel  level,
             const char  *text,
             GString     *log)
{
  g_string_append (log, text);
  g_string_append_c (log, '\n');
}

static void
test_full_flow (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(McpOAuth) oauth = new_oauth (as, store);
  g_autoptr(McpOAuth) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *stored = NULL;

  g_signal_connect (oauth, "log", G_CALLBACK (collect_log), log);
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_true (mcp_oauth_get_authorized (oauth));
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpuint (as->authorizations, ==, 1);
  g_assert_cmpuint (as->token_requests, ==, 1);
  /* RFC 8707 resource on both requests, exactly as the metadata published it. */
  g_assert_cmpstr (as->last_authz_resource, ==, url);
  g_assert_cmpstr (as->last_token_resource, ==, url);
  /* No challenge scope: all of the resource's scopes_supported; no offline_access unasked. */
  g_assert_cmpstr (as->last_scope, ==, "mcp:read mcp:write");
  g_assert_cmpstr (mcp_oauth_get_granted_scope (oauth), ==, "mcp:read mcp:write");
  /* A public client: client_id in the body, no Authorization header. */
  g_assert_cmpstr (as->last_token_auth_client_id, ==, "client-1");
  g_assert_null (as->last_authorization_header);

  /* The token works for the next request without anything new. */
  second = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, token);
  g_assert_cmpuint (as->authorizations, ==, 1);

  /* Another client object with the same store: the stored tokens, no interaction. */
  again = new_oauth (as, store);
  stored = get_access_token (again);
  g_assert_cmpstr (stored, ==, token);
  g_assert_cmpuint (as->authorizations, ==, 1);

  g_assert_null (strstr (log->str, token));
  g_assert_nonnull (strstr (log->str, "client-1"));
}

static void
test_registration_reused_for_same_issuer (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(McpOAuth) first = new_oauth (as, store);
  g_autoptr(McpOAuth) second = new_oauth (as, store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = call_with_oauth (first, url, &error);
  g_autofree char *fresh = NULL;

  g_assert_no_error (error);
  /* A new sign-in (say after signing out) registers no new client. */
  mcp_oauth_sign_out_async (second, NULL, done_cb, &result);
  g_assert_true (mcp_oauth_sign_out_finish (second, wait_for (&result), &error));
  g_assert_no_error (error);
  fresh = call_with_oauth (second, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fresh, !=, token);
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpuint (as->authorizations, ==, 2);
  g_assert_cmpstr (as->last_client_id, ==, "client-1");
}

static void
test_registration_never_crosses_issuers (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(McpOAuth) oauth = new_oauth (as, store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;
  static const char other[] =
    "{\"client_id\":\"other-issuers-client\",\"issuer\":\"https://old-as.example\","
    "\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"token_endpoint_auth_method\":\"none\"}";

  /* A registration made with the server's previous authorization server. */
  mcp_token_store_save_async (store, MCP_TOKEN_KIND_CLIENT, url, "https://old-as.example", other,
                              NULL, done_cb, &result);
  g_assert_true (mcp_token_store_save_finish (store, wait_for (&result), &error));

  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpstr (as->last_client_id, ==, "client-1");
}

static void
test_challenge_scope_and_offline_access (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->challenge_scope = g_strdup ("mcp:basic");
  as->as_scopes = g_strdup ("[\"mcp:basic\",\"offline_access\"]");
  as->form_tokens = TRUE;
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  /* The challenge is authoritative; offline_access because the AS offers it. */
  g_assert_cmpstr (as->last_scope, ==, "mcp:basic offline_access");
  g_assert_cmpstr (token, ==, "at-2");
}

static void
test_scope_omitted_when_undefined (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  g_clear_pointer (&as->prm_scopes, g_free);
  as->as_scopes = g_strdup ("[\"mcp:basic\"]");
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_false (as->last_scope_present);
}

static void
test_legacy_default_endpoints (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->legacy = TRUE;
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpstr (as->last_authz_resource, ==, url);
  g_assert_true (mcp_oauth_discovery_get_legacy (mcp_oauth_get_discovery (oauth)));
}

/* Pure functions */

static void
test_choose_scope (void)
{
  const char *prm[] = { "files:read", "files:write", NULL };
  const char *as_with_offline[] = { "files:read", "offline_access", NULL };
  const char *as_without[] = { "files:read", NULL };
  g_autofree char *a = mcp_oauth_choose_scope ("files:read", prm, NULL);
  g_autofree char *b = mcp_oauth_choose_scope (NULL, prm, as_without);
  g_autofree char *c = mcp_oauth_choose_scope (NULL, NULL, NULL);
  g_autofree char *d = mcp_oauth_choose_scope ("", prm, as_with_offline);
  g_autofree char *e = mcp_oauth_choose_scope (NULL, NULL, as_with_offline);
  g_autofree char *u = mcp_oauth_scope_union ("a b", "b  c a d");
  g_autofree char *empty = mcp_oauth_scope_union (NULL, " ");

  g_assert_cmpstr (a, ==, "files:read");
  g_assert_cmpstr (b, ==, "files:read files:write");
  g_assert_null (c);
  g_assert_cmpstr (d, ==, "files:read files:write offline_access");
  g_assert_cmpstr (e, ==, "offline_access");
  g_assert_cmpstr (u, ==, "a b c d");
  g_assert_null (empty);
}

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_token_response_parsing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = bytes ("{\"access_token\":\"A\",\"token_type\":\"bearer\","
                                  "\"expires_in\":\"60\",\"refresh_token\":\"R\","
                                  "\"scope\":\"x y\"}");
  g_autoptr(GBytes) form = bytes ("access_token=A%2BB&token_type=bearer&scope=x+y&"
                                  "expires_in=30");
  g_autoptr(GBytes) refused = bytes ("{\"error\":\"invalid_grant\",\"error_description\":"
                                     "\"Code expired\"}");
  g_autoptr(GBytes) mac = bytes ("{\"access_token\":\"A\",\"token_type\":\"mac\"}");
  g_autoptr(GBytes) empty = bytes ("{\"token_type\":\"Bearer\"}");
  g_autoptr(GBytes) garbage = bytes ("<html>");
  McpOAuthTokens *tokens;

  tokens = mcp_oauth_tokens_parse_response (200, "application/json", json, 1000, "T", "g",
                                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "A");
  g_assert_cmpstr (tokens->refresh_token, ==, "R");
  g_assert_cmpint (tokens->expires_at, ==, 1060);
  g_assert_cmpstr (tokens->scope, ==, "x y");
  g_assert_true (mcp_oauth_tokens_expired (tokens, 1031, 30));
  g_assert_false (mcp_oauth_tokens_expired (tokens, 1029, 30));
  mcp_oauth_tokens_free (tokens);

  tokens = mcp_oauth_tokens_parse_response (200, "application/x-www-form-urlencoded", form,
                                            1000, "T", "g", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "A+B");
  g_assert_cmpstr (tokens->scope, ==, "x y");
  g_assert_cmpint (tokens->expires_at, ==, 1030);
  g_assert_null (tokens->refresh_token);
  mcp_oauth_tokens_free (tokens);

  g_assert_null (mcp_oauth_tokens_parse_response (400, "application/json", refused, 0,
                                                  "https://as/token", "authorization_code",
                                                  &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_nonnull (strstr (error->message, "Code expired"));
  g_assert_nonnull (strstr (error->message, "HTTP 400"));
  g_clear_error (&error);

  g_assert_null (mcp_oauth_tokens_parse_response (200, "application/json", mac, 0, "T", "g",
                                                  &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "mac"));
  g_clear_error (&error);
  g_assert_null (mcp_oauth_tokens_parse_response (200, "application/json", empty, 0, "T", "g",
                                                  &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_clear_error (&error);
  g_assert_null (mcp_oauth_tokens_parse_response (502, "text/html", garbage, 0, "T", "g",
                                                  &error));
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 502"));
}

static void
test_records_round_trip (void)
{
  McpOAuthTokens tokens = { (char *) "A", (char *) "Bearer", (char *) "R", 42, (char *) "s",
                            (char *) "https://as", (char *) "cid", (char *) "s t" };
  const char *uris[] = { "http://127.0.0.1:5/callback", NULL };
  McpOAuthClient client = { (char *) "cid", (char *) "sec", (char *) "client_secret_post",
                            (char *) "https://as", (char **) uris, 7, TRUE };
  g_autofree char *tokens_json = mcp_oauth_tokens_to_json (&tokens);
  g_autofree char *client_json = mcp_oauth_client_to_json (&client);
  g_autoptr(McpOAuthTokens) t = mcp_oauth_tokens_from_json (tokens_json);
  g_autoptr(McpOAuthClient) c = mcp_oauth_client_from_json (client_json);

  g_assert_cmpstr (t->access_token, ==, "A");
  g_assert_cmpstr (t->refresh_token, ==, "R");
  g_assert_cmpint (t->expires_at, ==, 42);
  g_assert_cmpstr (t->issuer, ==, "https://as");
  g_assert_cmpstr (t->requested_scope, ==, "s t");
  g_assert_cmpstr (c->client_secret, ==, "sec");
  g_assert_cmpstr (c->auth_method, ==, "client_secret_post");
  g_assert_cmpint (c->secret_expires_at, ==, 7);
  g_assert_true (mcp_oauth_client_has_redirect_uri (c, "http://127.0.0.1:5/callback"));
  g_assert_false (mcp_oauth_client_has_redirect_uri (c, "http://127.0.0.1:6/callback"));
  g_assert_null (mcp_oauth_tokens_from_json ("{\"no\":1}"));
  g_assert_null (mcp_oauth_client_from_json ("[]"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/choose-scope-challenge-then-scopes-supported", test_choose_scope);
  g_test_add_func ("/mcp/oauth/token-responses-json-form-and-errors",
                   test_token_response_parsing);
  g_test_add_func ("/mcp/oauth/records-survive-the-store-format", test_records_round_trip);
  g_test_add_func ("/mcp/oauth/discovery-registration-pkce-and-token",
                   test_full_flow);
  g_test_add_func ("/mcp/oauth/registration-reused-for-same-issuer",
                   test_registration_reused_for_same_issuer);
  g_test_add_func ("/mcp/oauth/registration-never-crosses-issuers",
                   test_registration_never_crosses_issuers);
  g_test_add_func ("/mcp/oauth/challenge-scope-and-offline-access",
                   test_challenge_scope_and_offline_access);
  g_test_add_func ("/mcp/oauth/scope-omitted-when-undefined", test_scope_omitted_when_undefined);
  g_test_add_func ("/mcp/oauth/legacy-default-endpoints", test_legacy_default_endpoints);

  return g_test_run ();
}
