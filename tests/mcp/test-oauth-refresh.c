/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* When a token stops working: refresh on expiry and on 401, step-up on 403
 * insufficient_scope (and its limit), other 403s, concurrent challenges. */

static void
test_refresh_on_expiry (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *first = NULL;
  g_autofree char *refreshed = NULL;

  /* Expires within the safety margin: already stale when it arrives. */
  as->expires_in = 5;
  first = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_false (mcp_oauth_get_authorized (oauth));

  as->expires_in = 3600;
  refreshed = get_access_token (oauth);
  g_assert_nonnull (refreshed);
  g_assert_cmpstr (refreshed, !=, first);
  g_assert_cmpuint (as->refreshes, ==, 1);
  g_assert_cmpuint (as->authorizations, ==, 1);
  g_assert_cmpstr (as->last_token_resource, ==, url);
  g_assert_true (mcp_oauth_get_authorized (oauth));
}

static void
test_refresh_when_rejected (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *first = call_with_oauth (oauth, url, &error);
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  g_assert_no_error (error);
  /* The server forgets its access tokens: a 401 with a token in hand means refresh. */
  g_hash_table_remove_all (as->access_tokens);
  second = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpuint (as->refreshes, ==, 1);
  g_assert_cmpuint (as->authorizations, ==, 1);

  /* When the refresh is refused too, authorize again. */
  g_hash_table_remove_all (as->access_tokens);
  as->refresh_fails = TRUE;
  third = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->refreshes, ==, 2);
  g_assert_cmpuint (as->authorizations, ==, 2);
}

static void
test_step_up_union (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->challenge_scope = g_strdup ("mcp:basic");
  as->required_scope = g_strdup ("mcp:write");
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->authorizations, ==, 2);
  /* Step-up keeps what was asked before and adds the challenged scope. */
  g_assert_cmpstr (as->last_scope, ==, "mcp:basic mcp:write");
  g_assert_cmpstr (mcp_oauth_get_requested_scope (oauth), ==, "mcp:basic mcp:write");
}

static void
test_step_up_limit (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->always_403 = TRUE;
  token = call_with_oauth (oauth, url, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_STEP_UP_LIMIT);
  g_assert_nonnull (strstr (error->message, "mcp:admin"));
  g_assert_cmpuint (as->authorizations, ==, MCP_OAUTH_MAX_ATTEMPTS);
}

static void
test_forbidden_without_insufficient_scope (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *challenge[] = { "Bearer error=\"invalid_request\"", NULL };
  g_autofree char *token = NULL;

  mcp_oauth_handle_challenge_async (oauth, 403, challenge, NULL, 0, NULL, done_cb, &result);
  token = mcp_oauth_handle_challenge_finish (oauth, wait_for (&result), &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FORBIDDEN);
  g_assert_cmpuint (as->authorizations, ==, 0);
}

static void
test_concurrent_challenges_share_one_authorization (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GAsyncResult) one = NULL;
  g_autoptr(GAsyncResult) two = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  mcp_oauth_handle_challenge_async (oauth, 401, NULL, NULL, 0, NULL, done_cb, &one);
  mcp_oauth_handle_challenge_async (oauth, 401, NULL, NULL, 0, NULL, done_cb, &two);
  a = mcp_oauth_handle_challenge_finish (oauth, wait_for (&one), &error);
  g_assert_no_error (error);
  b = mcp_oauth_handle_challenge_finish (oauth, wait_for (&two), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (as->authorizations, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/refresh-on-expiry", test_refresh_on_expiry);
  g_test_add_func ("/mcp/oauth/refresh-when-rejected-then-reauthorize",
                   test_refresh_when_rejected);
  g_test_add_func ("/mcp/oauth/step-up-asks-for-the-union", test_step_up_union);
  g_test_add_func ("/mcp/oauth/step-up-stops-after-the-limit", test_step_up_limit);
  g_test_add_func ("/mcp/oauth/other-403-is-not-retried",
                   test_forbidden_without_insufficient_scope);
  g_test_add_func ("/mcp/oauth/concurrent-challenges-share-one-authorization",
                   test_concurrent_challenges_share_one_authorization);

  return g_test_run ();
}
