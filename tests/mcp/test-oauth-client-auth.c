/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mcp-jwt.h"
#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* Confidential clients at the token endpoint: a pre-registered client with
 * client_secret_basic, the client credentials grant with client_secret_post and with
 * private_key_jwt. */

static void
test_preregistered_client_secret_basic (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(McpOAuth) wrong_issuer = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) "pre-id:s%3Acret", 15);

  as->auth_methods = g_strdup ("[\"client_secret_basic\"]");
  mcp_oauth_set_client_credentials (oauth, "pre-id", "s:cret", as->base);
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->registrations, ==, 0);
  g_assert_cmpstr (as->last_client_id, ==, "pre-id");
  /* RFC 6749 §2.3.1: form-encoded, then Basic. */
  expected = g_strconcat ("Basic ", encoded, NULL);
  g_assert_cmpstr (as->last_authorization_header, ==, expected);
  g_assert_null (as->last_token_auth_client_id);

  mcp_oauth_set_client_credentials (wrong_issuer, "pre-id", "s:cret", "https://other.example");
  expect_failure (as, wrong_issuer, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                  "https://other.example");
}

static void
test_client_credentials_secret_post (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;

  as->auth_methods = g_strdup ("[\"client_secret_post\"]");
  mcp_oauth_set_grant (oauth, MCP_OAUTH_GRANT_CLIENT_CREDENTIALS);
  mcp_oauth_set_authorizer (oauth, NULL);
  mcp_oauth_set_client_credentials (oauth, "machine", "secret", NULL);
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (as->authorizations, ==, 0);
  g_assert_cmpuint (as->token_requests, ==, 1);
  g_assert_cmpstr (as->last_token_auth_client_id, ==, "machine");
  g_assert_null (as->last_authorization_header);
}

static void
test_client_credentials_private_key_jwt (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autoptr(McpOAuth) oauth = new_oauth (as, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = NULL;
  g_autofree char *pem = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *claims;
  gsize size = 0;
  const char *data;

  gnutls_x509_privkey_t key;
  gnutls_datum_t out = { NULL, 0 };

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                  0, NULL, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &out), ==, 0);
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (key);

  as->auth_methods = g_strdup ("[\"private_key_jwt\"]");
  mcp_oauth_set_grant (oauth, MCP_OAUTH_GRANT_CLIENT_CREDENTIALS);
  mcp_oauth_set_client_credentials (oauth, "machine", NULL, NULL);
  mcp_oauth_set_private_key (oauth, pem);
  token = call_with_oauth (oauth, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (as->last_client_assertion);
  parts = g_strsplit (as->last_client_assertion, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  payload = mcp_jwt_base64url_decode (parts[1]);
  data = g_bytes_get_data (payload, &size);
  g_assert_true (json_parser_load_from_data (parser, data, size, NULL));
  claims = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, "machine");
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "machine");
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, as->base);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/preregistered-client-secret-basic",
                   test_preregistered_client_secret_basic);
  g_test_add_func ("/mcp/oauth/client-credentials-secret-post",
                   test_client_credentials_secret_post);
  g_test_add_func ("/mcp/oauth/client-credentials-private-key-jwt",
                   test_client_credentials_private_key_jwt);

  return g_test_run ();
}
