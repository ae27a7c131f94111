/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-www-authenticate.h"

static McpWwwAuthenticate *
parse_ok (const char *header)
{
  g_autoptr(GError) error = NULL;
  McpWwwAuthenticate *auth = mcp_www_authenticate_parse_string (header, &error);

  g_assert_no_error (error);
  g_assert_nonnull (auth);
  return auth;
}

static void
test_bearer_with_resource_metadata (void)
{
  g_autoptr(McpWwwAuthenticate) auth =
    parse_ok ("Bearer resource_metadata=\"https://mcp.example.com/.well-known/"
              "oauth-protected-resource/mcp\", scope=\"files:read files:write\"");

  g_assert_cmpuint (mcp_www_authenticate_get_n_challenges (auth), ==, 1);
  g_assert_cmpstr (mcp_www_authenticate_get_scheme (auth, 0), ==, "Bearer");
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "resource_metadata"), ==,
                   "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "scope"), ==,
                   "files:read files:write");
  g_assert_null (mcp_www_authenticate_get_bearer_param (auth, "error"));
}

static void
test_param_names_case_insensitive (void)
{
  g_autoptr(McpWwwAuthenticate) auth = parse_ok ("bearer Error=invalid_token");

  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "error"), ==, "invalid_token");
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "ERROR"), ==, "invalid_token");
  g_assert_cmpint (mcp_www_authenticate_find_scheme (auth, "BEARER"), ==, 0);
}

static void
test_quoted_escapes (void)
{
  g_autoptr(McpWwwAuthenticate) auth =
    parse_ok ("Bearer error_description=\"say \\\"hi\\\", then \\\\ leave\", realm=\"a,b\"");

  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "error_description"), ==,
                   "say \"hi\", then \\ leave");
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "realm"), ==, "a,b");
}

static void
test_several_challenges (void)
{
  g_autoptr(McpWwwAuthenticate) auth =
    parse_ok ("Basic realm=\"simple\", Newauth, Bearer error=\"insufficient_scope\", "
              "scope=\"user admin\",DPoP algs=\"ES256\"");

  g_assert_cmpuint (mcp_www_authenticate_get_n_challenges (auth), ==, 4);
  g_assert_cmpstr (mcp_www_authenticate_get_scheme (auth, 0), ==, "Basic");
  g_assert_cmpstr (mcp_www_authenticate_get_param (auth, 0, "realm"), ==, "simple");
  g_assert_cmpstr (mcp_www_authenticate_get_scheme (auth, 1), ==, "Newauth");
  g_assert_null (mcp_www_authenticate_get_param (auth, 1, "realm"));
  g_assert_cmpstr (mcp_www_authenticate_get_scheme (auth, 2), ==, "Bearer");
  g_assert_cmpstr (mcp_www_authenticate_get_param (auth, 2, "scope"), ==, "user admin");
  g_assert_cmpstr (mcp_www_authenticate_get_param (auth, 2, "error"), ==, "insufficient_scope");
  g_assert_cmpint (mcp_www_authenticate_find_scheme (auth, "dpop"), ==, 3);
  g_assert_cmpstr (mcp_www_authenticate_get_param (auth, 3, "algs"), ==, "ES256");
}

static void
test_token68 (void)
{
  g_autoptr(McpWwwAuthenticate) auth = parse_ok ("Negotiate YWJjZA==, Bearer");

  g_assert_cmpuint (mcp_www_authenticate_get_n_challenges (auth), ==, 2);
  g_assert_cmpstr (mcp_www_authenticate_get_token68 (auth, 0), ==, "YWJjZA==");
  g_assert_cmpstr (mcp_www_authenticate_get_scheme (auth, 1), ==, "Bearer");
  g_assert_null (mcp_www_authenticate_get_token68 (auth, 1));
}

static void
test_bare_tokens_and_whitespace (void)
{
  g_autoptr(McpWwwAuthenticate) auth =
    parse_ok (" ,Bearer   realm = example ,  error=invalid_token , ");

  g_assert_cmpuint (mcp_www_authenticate_get_n_challenges (auth), ==, 1);
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "realm"), ==, "example");
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "error"), ==, "invalid_token");
}

static void
test_duplicate_param_keeps_first (void)
{
  g_autoptr(McpWwwAuthenticate) auth = parse_ok ("Bearer scope=a, scope=b");

  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "scope"), ==, "a");
}

static void
test_several_header_values (void)
{
  const char *values[] = { "Basic realm=x", "Bearer scope=\"user\"", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(McpWwwAuthenticate) auth = mcp_www_authenticate_parse (values, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mcp_www_authenticate_get_n_challenges (auth), ==, 2);
  g_assert_cmpstr (mcp_www_authenticate_get_bearer_param (auth, "scope"), ==, "user");
}

static void
test_malformed (void)
{
  static const struct {
    const char *header;
    const char *message_part;
  } cases[] = {
    { "", "at least one challenge" },
    { "Bearer realm=\"unterminated", "closing quote" },
    { "Bearer a=b, realm=", "parameter value" },
    { "Bearer realm=\"a\" junk", "“,” or the end" },
    { "=Bearer", "authentication scheme" },
    { "Bearer realm=\"a\\", "escaped character" },
    { "Bearer; realm=a", "space or “,” after the scheme" },
    { "Bearer realm=\"a\x01\"", "quoted-string character" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(McpWwwAuthenticate) auth =
        mcp_www_authenticate_parse_string (cases[i].header, &error);

      g_test_message ("header: %s", cases[i].header);
      g_assert_null (auth);
      g_assert_error (error, MCP_WWW_AUTHENTICATE_ERROR, MCP_WWW_AUTHENTICATE_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/www-authenticate/bearer-with-resource-metadata",
                   test_bearer_with_resource_metadata);
  g_test_add_func ("/mcp/www-authenticate/param-names-case-insensitive",
                   test_param_names_case_insensitive);
  g_test_add_func ("/mcp/www-authenticate/quoted-string-escapes", test_quoted_escapes);
  g_test_add_func ("/mcp/www-authenticate/several-challenges-in-one-value",
                   test_several_challenges);
  g_test_add_func ("/mcp/www-authenticate/token68", test_token68);
  g_test_add_func ("/mcp/www-authenticate/whitespace-and-empty-elements",
                   test_bare_tokens_and_whitespace);
  g_test_add_func ("/mcp/www-authenticate/duplicate-param-keeps-first",
                   test_duplicate_param_keeps_first);
  g_test_add_func ("/mcp/www-authenticate/several-header-values", test_several_header_values);
  g_test_add_func ("/mcp/www-authenticate/malformed-is-a-precise-error", test_malformed);

  return g_test_run ();
}
