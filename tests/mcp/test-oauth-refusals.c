/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* McpOAuth refuses what a misbehaving or hostile server sends: a wrong issuer or resource,
 * no S256, a tampered state; and says why a sign-in did not happen. */

static void
test_iss_mismatch (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  /* Not advertised, but present and wrong: rejected. */
  as->iss_override = g_strdup ("https://evil.example.com");
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                  "https://evil.example.com");
  g_assert_cmpuint (as->token_requests, ==, 0);

  /* A normalised variant (trailing slash) is not the issuer either. */
  g_free (as->iss_override);
  as->iss_override = g_strconcat (as->base, "/", NULL);
  as->iss_supported = TRUE;
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH, as->iss_override);
  g_assert_cmpuint (as->token_requests, ==, 0);
}

static void
test_iss_required_when_advertised (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(McpOAuth) good = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->iss_supported = TRUE;
  as->omit_iss = TRUE;
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                  "authorization_response_iss_parameter_supported");
  g_assert_cmpuint (as->token_requests, ==, 0);

  /* Advertised and correct: accepted. */
  as->omit_iss = FALSE;
  token = call_with_oauth (good, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->token_requests, ==, 1);
}

static void
test_metadata_issuer_mismatch (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  as->metadata_issuer = g_strdup ("https://attacker.example.com");
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                  "https://attacker.example.com");
  g_assert_cmpuint (as->registrations + as->authorizations + as->token_requests, ==, 0);
}

static void
test_resource_mismatch (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autofree char *url = test_as_mcp_url (as);

  as->prm_resource = g_strdup ("https://evil.example.com/mcp");
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_RESOURCE_MISMATCH,
                  "https://evil.example.com/mcp");
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_RESOURCE_MISMATCH, url);
  g_assert_cmpuint (as->authorizations, ==, 0);
}

static void
test_missing_s256 (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  g_free (as->pkce_methods);
  as->pkce_methods = g_strdup ("[\"plain\"]");
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_PKCE_UNSUPPORTED, "plain");
  g_clear_pointer (&as->pkce_methods, g_free);
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_PKCE_UNSUPPORTED,
                  "code_challenge_methods_supported");
  g_assert_cmpuint (as->authorizations, ==, 0);
}

static void
test_state_mismatch (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  as->tamper_state = TRUE;
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_STATE_MISMATCH, "state");
  g_assert_cmpuint (as->authorizations, ==, 1);
  g_assert_cmpuint (as->token_requests, ==, 0);
}

static void
test_access_denied (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  as->deny = TRUE;
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ACCESS_DENIED,
                  "The person said no");
  g_assert_cmpuint (as->token_requests, ==, 0);
}

static void
test_headless_needs_redirect (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);

  as->answer_with_page = TRUE;
  expect_failure (as, oauth, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                  "needs a person");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/iss-mismatch-is-refused", test_iss_mismatch);
  g_test_add_func ("/mcp/oauth/iss-required-when-advertised", test_iss_required_when_advertised);
  g_test_add_func ("/mcp/oauth/metadata-issuer-mismatch-is-refused",
                   test_metadata_issuer_mismatch);
  g_test_add_func ("/mcp/oauth/resource-mismatch-is-refused", test_resource_mismatch);
  g_test_add_func ("/mcp/oauth/missing-s256-is-refused", test_missing_s256);
  g_test_add_func ("/mcp/oauth/state-mismatch-is-refused", test_state_mismatch);
  g_test_add_func ("/mcp/oauth/access-denied-says-why", test_access_denied);
  g_test_add_func ("/mcp/oauth/headless-needs-a-redirect", test_headless_needs_redirect);

  return g_test_run ();
}
