/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GitHub mode cannot reach GitHub from the test machine: these tests pin down what the
 * server would send there (authorization URL, token exchange, user request). */
#include "config.h"

#include <string.h>

#include "demo-github.h"
#include "demo-util.h"

#define CALLBACK_URL "http://localhost:8000/github/callback"

static void
test_authorize_url_escapes_every_parameter (void)
{
  g_autoptr(DemoGithub) github = demo_github_new ("Iv1.a&b", "secret", CALLBACK_URL);
  g_autofree char *url = demo_github_build_authorize_url (github, "st ate/+");

  g_assert_cmpstr (url, ==,
                   "https://github.com/login/oauth/authorize"
                   "?client_id=Iv1.a%26b"
                   "&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fgithub%2Fcallback"
                   "&scope=read%3Auser"
                   "&state=st%20ate%2F%2B");
}

static void
test_authorize_url_round_trips_through_a_uri_parser (void)
{
  g_autoptr(DemoGithub) github = demo_github_new ("client-1", "secret", CALLBACK_URL);
  g_autofree char *url = demo_github_build_authorize_url (github, "abc");
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) query = NULL;
  const char *raw;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "github.com");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/login/oauth/authorize");
  raw = g_uri_get_query (uri);
  query = demo_util_parse_form (raw, strlen (raw), NULL);
  g_assert_nonnull (query);
  g_assert_cmpuint (g_hash_table_size (query), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (query, "redirect_uri"), ==, CALLBACK_URL);
  g_assert_cmpstr (g_hash_table_lookup (query, "scope"), ==, "read:user");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "abc");
}

static void
test_token_form_carries_code_secret_and_callback (void)
{
  g_autoptr(DemoGithub) github = demo_github_new ("client-1", "s3cr=t&", CALLBACK_URL);
  g_autoptr(GBytes) form = demo_github_build_token_form (github, "code/1");
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (form, &size);

  fields = demo_util_parse_form (data, size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (fields, "client_id"), ==, "client-1");
  g_assert_cmpstr (g_hash_table_lookup (fields, "client_secret"), ==, "s3cr=t&");
  g_assert_cmpstr (g_hash_table_lookup (fields, "code"), ==, "code/1");
  g_assert_cmpstr (g_hash_table_lookup (fields, "redirect_uri"), ==, CALLBACK_URL);
}

static void
test_token_request_posts_and_asks_for_json (void)
{
  g_autoptr(DemoGithub) github = demo_github_new ("client-1", "secret", CALLBACK_URL);
  g_autoptr(SoupMessage) message = demo_github_new_token_request (github, "the-code");
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (message));
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  g_assert_cmpstr (soup_message_get_method (message), ==, "POST");
  g_assert_cmpstr (uri, ==, "https://github.com/login/oauth/access_token");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept"), ==, "application/json");
  g_assert_true (demo_util_media_type_is (soup_message_headers_get_content_type (headers, NULL),
                                          "application/x-www-form-urlencoded"));
}

static void
test_user_request_sends_the_person_token (void)
{
  g_autoptr(SoupMessage) message = demo_github_new_user_request ("gho_abc");
  g_autofree char *uri = g_uri_to_string (soup_message_get_uri (message));
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  g_assert_cmpstr (soup_message_get_method (message), ==, "GET");
  g_assert_cmpstr (uri, ==, "https://api.github.com/user");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, "Bearer gho_abc");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept"), ==,
                   "application/vnd.github+json");
}

static void
test_environment_needs_both_variables (void)
{
  g_autoptr(DemoGithub) none = NULL;
  g_autoptr(DemoGithub) half = NULL;
  g_autoptr(DemoGithub) both = NULL;
  g_autofree char *url = NULL;

  g_unsetenv (DEMO_GITHUB_ENV_CLIENT_ID);
  g_unsetenv (DEMO_GITHUB_ENV_CLIENT_SECRET);
  none = demo_github_new_from_environment (CALLBACK_URL);
  g_assert_null (none);

  g_setenv (DEMO_GITHUB_ENV_CLIENT_ID, "from-env", TRUE);
  half = demo_github_new_from_environment (CALLBACK_URL);
  g_assert_null (half);

  g_setenv (DEMO_GITHUB_ENV_CLIENT_SECRET, "env-secret", TRUE);
  both = demo_github_new_from_environment (CALLBACK_URL);
  g_assert_nonnull (both);
  g_assert_cmpstr (demo_github_get_callback_url (both), ==, CALLBACK_URL);
  url = demo_github_build_authorize_url (both, "s");
  g_assert_true (g_str_has_prefix (url, DEMO_GITHUB_AUTHORIZE_URL "?client_id=from-env&"));

  g_unsetenv (DEMO_GITHUB_ENV_CLIENT_ID);
  g_unsetenv (DEMO_GITHUB_ENV_CLIENT_SECRET);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-server/github/authorize-url-escapes-every-parameter",
                   test_authorize_url_escapes_every_parameter);
  g_test_add_func ("/demo-server/github/authorize-url-round-trips-through-a-uri-parser",
                   test_authorize_url_round_trips_through_a_uri_parser);
  g_test_add_func ("/demo-server/github/token-form-carries-code-secret-and-callback",
                   test_token_form_carries_code_secret_and_callback);
  g_test_add_func ("/demo-server/github/token-request-posts-and-asks-for-json",
                   test_token_request_posts_and_asks_for_json);
  g_test_add_func ("/demo-server/github/user-request-sends-the-person-token",
                   test_user_request_sends_the_person_token);
  g_test_add_func ("/demo-server/github/environment-needs-both-variables",
                   test_environment_needs_both_variables);

  return g_test_run ();
}
