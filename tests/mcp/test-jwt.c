/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "mcp-jwt.h"
#include "mcp-pkce.h"

static JsonObject *
decode_part (const char *part)
{
  g_autoptr(GBytes) bytes = mcp_jwt_base64url_decode (part);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  g_assert_true (json_parser_load_from_data (parser, data, size, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gnutls_datum_t
datum_from_bytes (GBytes *bytes)
{
  gsize size = 0;
  gnutls_datum_t datum;

  datum.data = (unsigned char *) g_bytes_get_data (bytes, &size);
  datum.size = size;
  return datum;
}

/* Verifies @jwt with a public key built only from @jwk (as a relying party would). */
static gboolean
verify_with_jwk (const char *jwt,
                 JsonObject *jwk)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autoptr(GBytes) x = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "x"));
  g_autoptr(GBytes) y = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "y"));
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *signing_input = NULL;
  gnutls_pubkey_t pubkey;
  gnutls_datum_t xd, yd, data, r, s, der = { NULL, 0 };
  gsize size = 0;
  const guint8 *raw;
  int ret;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  signature = mcp_jwt_base64url_decode (parts[2]);
  g_assert_nonnull (signature);
  raw = g_bytes_get_data (signature, &size);
  /* JWS ES256: the raw r||s, 32 bytes each — not DER. */
  g_assert_cmpuint (size, ==, 64);

  r.data = (unsigned char *) raw;
  r.size = 32;
  s.data = (unsigned char *) raw + 32;
  s.size = 32;
  g_assert_cmpint (gnutls_encode_rs_value (&der, &r, &s), ==, 0);

  g_assert_cmpint (g_bytes_get_size (x), ==, 32);
  g_assert_cmpint (g_bytes_get_size (y), ==, 32);
  xd = datum_from_bytes (x);
  yd = datum_from_bytes (y);
  g_assert_cmpint (gnutls_pubkey_init (&pubkey), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_ecc_raw (pubkey, GNUTLS_ECC_CURVE_SECP256R1, &xd, &yd),
                   ==, 0);

  signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  ret = gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (pubkey);
  return ret >= 0;
}

static void
test_signature_verifies_and_is_raw (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McpJwt) key = mcp_jwt_new_generate (&error);
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autoptr(JsonObject) jwk = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *tampered = NULL;

  g_assert_no_error (error);
  jwk = mcp_jwt_dup_public_jwk (key);
  g_assert_cmpstr (json_object_get_string_member (jwk, "kty"), ==, "EC");
  g_assert_cmpstr (json_object_get_string_member (jwk, "crv"), ==, "P-256");
  g_assert_false (json_object_has_member (jwk, "d"));

  /* Many signatures, so short r or s values (leading zero bytes) get exercised too. */
  for (guint i = 0; i < 64; i++)
    {
      g_autofree char *jwt = NULL;

      json_object_set_int_member (claims, "n", i);
      jwt = mcp_jwt_sign (key, NULL, claims, &error);
      g_assert_no_error (error);
      g_assert_true (verify_with_jwk (jwt, jwk));
      if (i == 0)
        {
          parts = g_strsplit (jwt, ".", -1);
          tampered = g_strdup_printf ("%s.%s.%s", parts[0], "eyJuIjoxfQ", parts[2]);
        }
    }

  header = decode_part (parts[0]);
  payload = decode_part (parts[1]);
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "ES256");
  g_assert_cmpint (json_object_get_int_member (payload, "n"), ==, 0);
  /* A changed payload does not verify. */
  g_assert_false (verify_with_jwk (tampered, jwk));
}

static char *
export_pem (gnutls_pk_algorithm_t algorithm,
            guint                 bits,
            gboolean              pkcs8)
{
  gnutls_x509_privkey_t key;
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate2 (key, algorithm, bits, 0, NULL, 0), ==, 0);
  if (pkcs8)
    g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &out), ==, 0);
  else
    g_assert_cmpint (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &out), ==, 0);
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (key);
  return pem;
}

static void
test_pem_keys (void)
{
  g_autofree char *pkcs8 = export_pem (GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), TRUE);
  g_autofree char *sec1 = export_pem (GNUTLS_PK_ECDSA,
                                      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), FALSE);
  g_autofree char *p384 = export_pem (GNUTLS_PK_ECDSA,
                                      GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1), TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(McpJwt) from_pkcs8 = NULL;
  g_autoptr(McpJwt) from_sec1 = NULL;
  g_autoptr(McpJwt) wrong = NULL;

  g_assert_true (g_str_has_prefix (pkcs8, "-----BEGIN PRIVATE KEY-----"));
  g_assert_true (g_str_has_prefix (sec1, "-----BEGIN EC PRIVATE KEY-----"));

  from_pkcs8 = mcp_jwt_new_from_pem (pkcs8, &error);
  g_assert_no_error (error);
  from_sec1 = mcp_jwt_new_from_pem (sec1, &error);
  g_assert_no_error (error);

  wrong = mcp_jwt_new_from_pem (p384, &error);
  g_assert_null (wrong);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "P-256"));
  g_clear_error (&error);

  g_assert_null (mcp_jwt_new_from_pem ("-----BEGIN PRIVATE KEY-----\nnope\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_client_assertion_claims (void)
{
  g_autoptr(McpJwt) key = mcp_jwt_new_generate (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = mcp_jwt_create_client_assertion (key, "my-client",
                                                          "https://as.example", &error);
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonObject) jwk = mcp_jwt_dup_public_jwk (key);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_true (verify_with_jwk (jwt, jwk));
  parts = g_strsplit (jwt, ".", -1);
  claims = decode_part (parts[1]);
  g_assert_cmpstr (json_object_get_string_member (claims, "iss"), ==, "my-client");
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "my-client");
  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, "https://as.example");
  g_assert_cmpint (json_object_get_int_member (claims, "exp")
                   - json_object_get_int_member (claims, "iat"), ==, 300);
  g_assert_cmpint (ABS (json_object_get_int_member (claims, "iat") - now), <=, 5);
  g_assert_cmpuint (strlen (json_object_get_string_member (claims, "jti")), >=, 16);
}

static void
test_dpop_proof (void)
{
  g_autoptr(McpJwt) key = mcp_jwt_new_generate (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = mcp_jwt_create_dpop_proof (key, "POST",
                                                    "https://rs.example/mcp?x=1#frag",
                                                    "the-access-token", "server-nonce", &error);
  g_autofree char *second = mcp_jwt_create_dpop_proof (key, "GET", "https://rs.example/mcp",
                                                       NULL, NULL, NULL);
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) second_parts = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(JsonObject) claims2 = NULL;
  JsonObject *jwk;
  guint8 digest[32];
  g_autofree char *ath = NULL;

  g_assert_no_error (error);
  parts = g_strsplit (jwt, ".", -1);
  header = decode_part (parts[0]);
  claims = decode_part (parts[1]);
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "dpop+jwt");
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "ES256");
  jwk = json_object_get_object_member (header, "jwk");
  g_assert_nonnull (jwk);
  g_assert_false (json_object_has_member (jwk, "d"));
  g_assert_true (verify_with_jwk (jwt, jwk));

  g_assert_cmpstr (json_object_get_string_member (claims, "htm"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (claims, "htu"), ==, "https://rs.example/mcp");
  g_assert_cmpstr (json_object_get_string_member (claims, "nonce"), ==, "server-nonce");
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, "the-access-token", 16, digest), ==, 0);
  ath = mcp_pkce_base64url_encode (digest, sizeof digest);
  g_assert_cmpstr (json_object_get_string_member (claims, "ath"), ==, ath);

  second_parts = g_strsplit (second, ".", -1);
  claims2 = decode_part (second_parts[1]);
  g_assert_false (json_object_has_member (claims2, "ath"));
  g_assert_false (json_object_has_member (claims2, "nonce"));
  g_assert_cmpstr (json_object_get_string_member (claims2, "jti"), !=,
                   json_object_get_string_member (claims, "jti"));
}

static void
test_thumbprint (void)
{
  g_autoptr(McpJwt) key = mcp_jwt_new_generate (NULL);
  g_autoptr(JsonObject) jwk = mcp_jwt_dup_public_jwk (key);
  g_autofree char *thumbprint = mcp_jwt_get_thumbprint (key);
  g_autofree char *canonical = NULL;
  g_autofree char *expected = NULL;
  guint8 digest[32];

  /* RFC 7638 §3.2: required members only, lexicographic order, no whitespace. */
  canonical = g_strdup_printf ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                               json_object_get_string_member (jwk, "x"),
                               json_object_get_string_member (jwk, "y"));
  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, canonical, strlen (canonical), digest),
                   ==, 0);
  expected = mcp_pkce_base64url_encode (digest, sizeof digest);
  g_assert_cmpstr (thumbprint, ==, expected);
  g_assert_cmpuint (strlen (thumbprint), ==, 43);
}

static void
test_base64url_decode (void)
{
  g_autoptr(GBytes) decoded = mcp_jwt_base64url_decode ("-__-AA");
  const guint8 *data;
  gsize size = 0;

  g_assert_nonnull (decoded);
  data = g_bytes_get_data (decoded, &size);
  g_assert_cmpuint (size, ==, 4);
  g_assert_cmpuint (data[0], ==, 0xfb);
  g_assert_cmpuint (data[3], ==, 0x00);
  g_assert_null (mcp_jwt_base64url_decode ("a+b"));
  g_assert_null (mcp_jwt_base64url_decode ("abcde"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/jwt/es256-signature-is-raw-r-s-and-verifies",
                   test_signature_verifies_and_is_raw);
  g_test_add_func ("/mcp/jwt/pem-keys-pkcs8-and-sec1-only-p256", test_pem_keys);
  g_test_add_func ("/mcp/jwt/client-assertion-has-rfc7523-claims", test_client_assertion_claims);
  g_test_add_func ("/mcp/jwt/dpop-proof-has-rfc9449-shape", test_dpop_proof);
  g_test_add_func ("/mcp/jwt/thumbprint-is-rfc7638", test_thumbprint);
  g_test_add_func ("/mcp/jwt/base64url-decode-rejects-non-url-alphabet", test_base64url_decode);

  return g_test_run ();
}
