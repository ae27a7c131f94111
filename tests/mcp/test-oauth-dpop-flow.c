/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* DPoP-bound tokens (RFC 9449) through a whole sign-in against TestAs, which checks every
 * proof and asks for nonces at both the authorization and the resource server. */

static void
test_dpop (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(McpOAuth) oauth = new_oauth (as, store);
  g_autoptr(McpOAuth) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *later_token = NULL;

  as->dpop = TRUE;
  mcp_oauth_set_dpop (oauth, TRUE);
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_oauth_get_token_type (oauth), ==, "DPoP");
  /* Each server asked once for its nonce, and the retries carried it. */
  g_assert_cmpuint (as->dpop_as_challenges, ==, 1);
  g_assert_cmpuint (as->dpop_rs_challenges, ==, 1);
  g_assert_cmpuint (as->dpop_good_requests, ==, 1);
  g_assert_cmpuint (as->authorizations, ==, 1);

  /* Later requests: fresh proofs with the known nonce, no new challenge. */
  again = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, token);
  g_assert_cmpuint (as->dpop_rs_challenges, ==, 1);
  g_assert_cmpuint (as->dpop_good_requests, ==, 2);

  /* A bound token is kept with its key: a later run proves possession with the same key
   * (the server checks the proof's key against the token's binding) without signing in. */
  later = new_oauth (as, store);
  stored = get_access_token (later);
  g_assert_cmpstr (stored, ==, token);
  g_assert_cmpstr (mcp_oauth_get_token_type (later), ==, "DPoP");
  later_token = call_with_oauth (later, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (later_token, ==, token);
  g_assert_cmpuint (as->authorizations, ==, 1);
  g_assert_cmpuint (as->dpop_good_requests, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/dpop-bound-tokens-with-nonces", test_dpop);

  return g_test_run ();
}
