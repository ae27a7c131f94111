/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "mcp-client.h"
#include "mcp-dpop.h"
#include "mcp-http-transport.h"
#include "mcp-jwt.h"
#include "mcp-oauth.h"
#include "mcp-token-store.h"

/* RFC 9449 §7.1, Figure 12/13: an access token and the ath of proofs that present it. */
#define RFC_TOKEN "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
#define RFC_ATH   "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"

/* A proof taken apart, as a server checking it would (RFC 9449 §4.3). */
typedef struct
{
  JsonObject *header;
  JsonObject *claims;
  char       *signing_input;
  GBytes     *signature;
} Proof;

static void
proof_free (Proof *proof)
{
  g_clear_pointer (&proof->header, json_object_unref);
  g_clear_pointer (&proof->claims, json_object_unref);
  g_free (proof->signing_input);
  g_clear_pointer (&proof->signature, g_bytes_unref);
  g_free (proof);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proof, proof_free)

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

static Proof *
proof_parse (const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  Proof *proof = g_new0 (Proof, 1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  proof->header = decode_part (parts[0]);
  proof->claims = decode_part (parts[1]);
  proof->signing_input = g_strconcat (parts[0], ".", parts[1], NULL);
  proof->signature = mcp_jwt_base64url_decode (parts[2]);
  g_assert_nonnull (proof->signature);
  return proof;
}

static gnutls_datum_t
datum_of (GBytes *bytes)
{
  gsize size = 0;
  gnutls_datum_t datum;

  datum.data = (unsigned char *) g_bytes_get_data (bytes, &size);
  datum.size = size;
  return datum;
}

/* Does the proof's signature verify with the public key in its own jwk header (and only that:
 * the key is built from x and y as a server would)? */
static gboolean
proof_verifies (Proof *proof)
{
  JsonObject *jwk = json_object_get_object_member (proof->header, "jwk");
  g_autoptr(GBytes) x = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "x"));
  g_autoptr(GBytes) y = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "y"));
  gnutls_pubkey_t pubkey;
  gnutls_datum_t xd = datum_of (x), yd = datum_of (y), r, s, data, der = { NULL, 0 };
  gsize size = 0;
  const guint8 *raw = g_bytes_get_data (proof->signature, &size);
  int ret;

  /* JWS ES256 (RFC 7518 §3.4): the raw r||s, 32 bytes each, not DER. */
  g_assert_cmpuint (size, ==, 64);
  g_assert_cmpuint (xd.size, ==, 32);
  g_assert_cmpuint (yd.size, ==, 32);
  r.data = (unsigned char *) raw;
  r.size = 32;
  s.data = (unsigned char *) raw + 32;
  s.size = 32;
  g_assert_cmpint (gnutls_encode_rs_value (&der, &r, &s), ==, 0);

  g_assert_cmpint (gnutls_pubkey_init (&pubkey), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_ecc_raw (pubkey, GNUTLS_ECC_CURVE_SECP256R1, &xd, &yd),
                   ==, 0);
  data.data = (unsigned char *) proof->signing_input;
  data.size = strlen (proof->signing_input);
  ret = gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der);
  gnutls_pubkey_deinit (pubkey);
  gnutls_free (der.data);
  return ret >= 0;
}

/* SHA-256, base64url without padding, computed here with GLib (not the code under test). */
static char *
sha256_base64url (const char *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  g_checksum_get_digest (checksum, digest, &len);
  b64 = g_base64_encode (digest, len);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  return g_strndup (b64, strcspn (b64, "="));
}

/* RFC 7638 §3.2 over the proof's jwk. */
static char *
jwk_thumbprint (JsonObject *jwk)
{
  g_autofree char *canonical =
    g_strdup_printf ("{\"crv\":\"%s\",\"kty\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}",
                     json_object_get_string_member (jwk, "crv"),
                     json_object_get_string_member (jwk, "kty"),
                     json_object_get_string_member (jwk, "x"),
                     json_object_get_string_member (jwk, "y"));

  return sha256_base64url (canonical);
}

static McpDpop *
new_dpop (void)
{
  g_autoptr(GError) error = NULL;
  McpDpop *dpop = mcp_dpop_new (&error);

  g_assert_no_error (error);
  g_assert_nonnull (dpop);
  return dpop;
}

static char *
make_proof (McpDpop    *dpop,
            const char *method,
            const char *url,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  char *jwt = mcp_dpop_create_proof (dpop, method, url, token, &error);

  g_assert_no_error (error);
  g_assert_nonnull (jwt);
  return jwt;
}

/* Proofs */

static void
test_proof_shape (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autofree char *jwt = make_proof (dpop, "POST", "https://RS.example:443/mcp?session=1#frag",
                                     "token-1");
  g_autoptr(Proof) proof = proof_parse (jwt);
  g_autofree char *ath = sha256_base64url ("token-1");
  JsonObject *jwk;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Header: RFC 9449 §4.2. */
  g_assert_cmpstr (json_object_get_string_member (proof->header, "typ"), ==, "dpop+jwt");
  g_assert_cmpstr (json_object_get_string_member (proof->header, "alg"), ==, "ES256");
  g_assert_true (json_object_has_member (proof->header, "jwk"));
  jwk = json_object_get_object_member (proof->header, "jwk");
  g_assert_cmpstr (json_object_get_string_member (jwk, "kty"), ==, "EC");
  g_assert_cmpstr (json_object_get_string_member (jwk, "crv"), ==, "P-256");
  g_assert_true (json_object_has_member (jwk, "x"));
  g_assert_true (json_object_has_member (jwk, "y"));
  /* The public key only. */
  g_assert_false (json_object_has_member (jwk, "d"));

  /* Claims. */
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htm"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htu"), ==,
                   "https://RS.example:443/mcp");
  g_assert_cmpint (ABS (json_object_get_int_member (proof->claims, "iat") - now), <=, 5);
  g_assert_cmpuint (strlen (json_object_get_string_member (proof->claims, "jti")), >=, 16);
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "ath"), ==, ath);
  g_assert_false (json_object_has_member (proof->claims, "nonce"));

  g_assert_true (proof_verifies (proof));
}

static void
test_ath_of_known_token (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autofree char *jwt = make_proof (dpop, "GET", "https://resource.example.org/protectedresource",
                                     RFC_TOKEN);
  g_autoptr(Proof) proof = proof_parse (jwt);

  g_assert_cmpstr (json_object_get_string_member (proof->claims, "ath"), ==, RFC_ATH);
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htm"), ==, "GET");
}

static void
test_token_request_proof_has_no_ath (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autofree char *jwt = make_proof (dpop, "POST", "https://as.example/token", NULL);
  g_autoptr(Proof) proof = proof_parse (jwt);

  g_assert_false (json_object_has_member (proof->claims, "ath"));
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htu"), ==,
                   "https://as.example/token");
  g_assert_true (proof_verifies (proof));
}

static void
test_signature_binds_the_claims (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autoptr(McpDpop) other = new_dpop ();
  g_autofree char *jwt = make_proof (dpop, "POST", "https://rs.example/mcp", "token-1");
  g_autofree char *other_jwt = make_proof (other, "POST", "https://rs.example/mcp", "token-1");
  g_autoptr(Proof) proof = proof_parse (jwt);
  g_autoptr(Proof) foreign = proof_parse (other_jwt);
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);

  g_assert_true (proof_verifies (proof));
  g_assert_true (proof_verifies (foreign));

  /* The same signature over other claims does not verify. */
  g_free (proof->signing_input);
  proof->signing_input = g_strconcat (parts[0], ".", "eyJodG0iOiJHRVQifQ", NULL);
  g_assert_false (proof_verifies (proof));

  /* Nor does another key's proof under this key's jwk. */
  json_object_set_object_member (foreign->header, "jwk", json_object_ref (
    json_object_get_object_member (proof->header, "jwk")));
  g_assert_false (proof_verifies (foreign));
}

static void
test_fresh_jti (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *jwt = make_proof (dpop, "POST", "https://rs.example/mcp", "token-1");
      g_autoptr(Proof) proof = proof_parse (jwt);
      const char *jti = json_object_get_string_member (proof->claims, "jti");

      g_assert_false (g_hash_table_contains (seen, jti));
      g_hash_table_add (seen, g_strdup (jti));
    }
}

static void
test_pem_round_trip (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autoptr(McpDpop) again = NULL;
  g_autoptr(McpDpop) fresh = new_dpop ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;
  g_autofree char *thumbprint = mcp_dpop_get_thumbprint (dpop);
  g_autofree char *again_thumbprint = NULL;
  g_autofree char *fresh_thumbprint = mcp_dpop_get_thumbprint (fresh);
  g_autofree char *jwk_jkt = NULL;
  g_autoptr(Proof) proof = NULL;

  g_assert_true (g_str_has_prefix (mcp_dpop_get_key_pem (dpop), "-----BEGIN PRIVATE KEY-----"));
  again = mcp_dpop_new_from_pem (mcp_dpop_get_key_pem (dpop), &error);
  g_assert_no_error (error);
  again_thumbprint = mcp_dpop_get_thumbprint (again);
  g_assert_cmpstr (again_thumbprint, ==, thumbprint);
  /* A new key per authorization: not the same one again. */
  g_assert_cmpstr (fresh_thumbprint, !=, thumbprint);

  /* The restored key signs proofs whose jwk has the thumbprint tokens are bound to. */
  jwt = make_proof (again, "POST", "https://rs.example/mcp", "token-1");
  proof = proof_parse (jwt);
  g_assert_true (proof_verifies (proof));
  jwk_jkt = jwk_thumbprint (json_object_get_object_member (proof->header, "jwk"));
  g_assert_cmpstr (jwk_jkt, ==, thumbprint);

  g_assert_null (mcp_dpop_new_from_pem ("-----BEGIN PRIVATE KEY-----\nnope\n"
                                        "-----END PRIVATE KEY-----\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* Nonces */

/* A claim of @jwt (a string), NULL when it has none. */
static char *
proof_claim (const char *jwt,
             const char *name)
{
  g_autoptr(Proof) proof = proof_parse (jwt);

  if (!json_object_has_member (proof->claims, name))
    return NULL;
  return g_strdup (json_object_get_string_member (proof->claims, name));
}

/* The nonce of a new proof for @url. */
static char *
proof_nonce (McpDpop    *dpop,
             const char *url,
             const char *token)
{
  g_autofree char *jwt = make_proof (dpop, "POST", url, token);

  return proof_claim (jwt, "nonce");
}

static void
test_nonces_per_server (void)
{
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autoptr(McpDpop) next = new_dpop ();
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  a = proof_nonce (dpop, "https://example.com/token", NULL);
  g_assert_null (a);

  /* The authorization server and the resource server on one origin keep their own. */
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_AUTHORIZATION, "https://example.com/token", "as-1");
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "rs-1");
  g_assert_cmpstr (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_AUTHORIZATION,
                                       "https://EXAMPLE.com:443/other"), ==, "as-1");
  g_assert_cmpstr (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_RESOURCE,
                                       "https://example.com/mcp?x=1"), ==, "rs-1");
  g_assert_null (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "http://example.com/mcp"));
  g_assert_null (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_RESOURCE,
                                     "https://example.com:8443/mcp"));

  /* The latest one wins; what a nonce cannot be is ignored (RFC 9449 §8.1: NQCHAR). */
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "rs-2");
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "bad nonce");
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "bad\"");
  mcp_dpop_set_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "");
  g_assert_cmpstr (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_RESOURCE,
                                       "https://example.com/mcp"), ==, "rs-2");

  /* Proofs carry the nonce of the server they go to. */
  g_clear_pointer (&a, g_free);
  a = proof_nonce (dpop, "https://example.com/token", NULL);
  b = proof_nonce (dpop, "https://example.com/mcp", "t");
  c = proof_nonce (dpop, "https://elsewhere.example/mcp", "t");
  g_assert_cmpstr (a, ==, "as-1");
  g_assert_cmpstr (b, ==, "rs-2");
  g_assert_null (c);

  /* A new key for the same servers starts with their nonces. */
  mcp_dpop_set_nonce (next, MCP_DPOP_SERVER_RESOURCE, "https://example.com/mcp", "rs-3");
  mcp_dpop_copy_nonces (next, dpop);
  g_assert_cmpstr (mcp_dpop_get_nonce (next, MCP_DPOP_SERVER_AUTHORIZATION,
                                       "https://example.com/token"), ==, "as-1");
  g_assert_cmpstr (mcp_dpop_get_nonce (next, MCP_DPOP_SERVER_RESOURCE,
                                       "https://example.com/mcp"), ==, "rs-3");
  d = proof_nonce (next, "https://example.com/token", NULL);
  g_assert_cmpstr (d, ==, "as-1");
}

static void
test_nonce_challenge (void)
{
  const char *dpop_nonce[] = { "DPoP error=\"use_dpop_nonce\", error_description=\"x\"", NULL };
  const char *lower[] = { "dpop algs=\"ES256\", error=use_dpop_nonce", NULL };
  const char *second_line[] = { "Bearer realm=\"mcp\"", "DPoP error=\"use_dpop_nonce\"", NULL };
  const char *both[] = { "Bearer error=\"invalid_token\", DPoP error=\"use_dpop_nonce\"", NULL };
  const char *bearer[] = { "Bearer error=\"use_dpop_nonce\"", NULL };
  const char *other[] = { "DPoP error=\"invalid_token\"", NULL };
  const char *bare[] = { "DPoP resource_metadata=\"https://rs.example/prm\"", NULL };
  const char *broken[] = { "DPoP error=\"use_dpop_nonce", NULL };
  const char *empty[] = { NULL };

  g_assert_true (mcp_dpop_is_nonce_challenge (dpop_nonce));
  g_assert_true (mcp_dpop_is_nonce_challenge (lower));
  g_assert_true (mcp_dpop_is_nonce_challenge (second_line));
  g_assert_true (mcp_dpop_is_nonce_challenge (both));
  g_assert_false (mcp_dpop_is_nonce_challenge (bearer));
  g_assert_false (mcp_dpop_is_nonce_challenge (other));
  g_assert_false (mcp_dpop_is_nonce_challenge (bare));
  g_assert_false (mcp_dpop_is_nonce_challenge (broken));
  g_assert_false (mcp_dpop_is_nonce_challenge (empty));
  g_assert_false (mcp_dpop_is_nonce_challenge (NULL));
}

/* A resource server on loopback that checks proofs as RFC 9449 §4.3 and §7 say. */

typedef struct
{
  SoupServer *server;
  char       *url;            /* http://127.0.0.1:port/mcp */
  char       *token;          /* the access token it accepts */
  char       *jkt;            /* the key the token is bound to */
  gboolean    stubborn;       /* a new nonce for every request: never satisfied */
  guint       nonces_issued;
  char       *nonce;          /* the nonce it wants now */
  guint       posts;
  guint       challenges;     /* use_dpop_nonce answers */
  guint       good;           /* requests with a valid proof and the nonce */
  guint       unauthenticated;
  guint       bearer;         /* requests that presented a token as Bearer */
  GHashTable *jtis;
} TestRs;

static void
test_rs_free (TestRs *rs)
{
  soup_server_disconnect (rs->server);
  g_object_unref (rs->server);
  g_free (rs->url);
  g_free (rs->token);
  g_free (rs->jkt);
  g_free (rs->nonce);
  g_hash_table_unref (rs->jtis);
  g_free (rs);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestRs, test_rs_free)

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                      strlen (json));
}

static void
check_proof (TestRs     *rs,
             const char *jwt,
             const char *token)
{
  g_autoptr(Proof) proof = proof_parse (jwt);
  g_autofree char *ath = sha256_base64url (token);
  g_autofree char *jkt = NULL;
  const char *jti;

  g_assert_cmpstr (json_object_get_string_member (proof->header, "typ"), ==, "dpop+jwt");
  g_assert_true (proof_verifies (proof));
  jkt = jwk_thumbprint (json_object_get_object_member (proof->header, "jwk"));
  g_assert_cmpstr (jkt, ==, rs->jkt);
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htm"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "htu"), ==, rs->url);
  g_assert_cmpstr (json_object_get_string_member (proof->claims, "ath"), ==, ath);
  jti = json_object_get_string_member (proof->claims, "jti");
  g_assert_false (g_hash_table_contains (rs->jtis, jti));
  g_hash_table_add (rs->jtis, g_strdup (jti));
}

static void
answer_jsonrpc (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *answer = NULL;
  JsonObject *request;

  g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
  request = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (request, "id"))
    {
      respond (msg, SOUP_STATUS_ACCEPTED, NULL);
      return;
    }
  if (g_strcmp0 (json_object_get_string_member (request, "method"), "initialize") == 0)
    answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT ",\"result\":{"
                              "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                              "\"serverInfo\":{\"name\":\"test-rs\",\"version\":\"1\"}}}",
                              json_object_get_int_member (request, "id"));
  else
    answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%" G_GINT64_FORMAT ",\"result\":{}}",
                              json_object_get_int_member (request, "id"));
  respond (msg, SOUP_STATUS_OK, answer);
}

static void
serve_mcp (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TestRs *rs = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  const char *jwt = soup_message_headers_get_one (request_headers, "DPoP");
  g_autofree char *nonce = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  rs->posts++;
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    rs->bearer++;
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "DPoP ", 5) != 0)
    {
      if (authorization == NULL)
        rs->unauthenticated++;
      soup_message_headers_append (headers, "WWW-Authenticate", "DPoP algs=\"ES256\"");
      respond (msg, SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"invalid_token\"}");
      return;
    }

  g_assert_cmpstr (authorization + 5, ==, rs->token);
  g_assert_nonnull (jwt);
  check_proof (rs, jwt, rs->token);
  nonce = proof_claim (jwt, "nonce");
  if (rs->stubborn || rs->nonce == NULL || g_strcmp0 (nonce, rs->nonce) != 0)
    {
      rs->challenges++;
      if (rs->stubborn || rs->nonce == NULL)
        {
          g_free (rs->nonce);
          rs->nonce = g_strdup_printf ("nonce-%u", ++rs->nonces_issued);
        }
      soup_message_headers_replace (headers, "DPoP-Nonce", rs->nonce);
      soup_message_headers_append (headers, "WWW-Authenticate",
                                   "DPoP error=\"use_dpop_nonce\", algs=\"ES256\"");
      respond (msg, SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"use_dpop_nonce\"}");
      return;
    }
  rs->good++;
  answer_jsonrpc (msg);
}

static TestRs *
test_rs_new (void)
{
  TestRs *rs = g_new0 (TestRs, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  rs->server = soup_server_new (NULL, NULL);
  rs->jtis = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soup_server_add_handler (rs->server, "/mcp", serve_mcp, rs, NULL);
  g_assert_true (soup_server_listen_local (rs->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (rs->server);
  rs->url = g_strdup_printf ("http://127.0.0.1:%d/mcp", g_uri_get_port (uris->data));
  return rs;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* mcp_dpop_apply() on a real request: the headers, and the nonce taken from the answer. */
static void
test_apply_takes_answer_nonce (void)
{
  g_autoptr(TestRs) rs = test_rs_new ();
  g_autoptr(McpDpop) dpop = new_dpop ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;

  rs->token = g_strdup ("token-1");
  rs->jkt = mcp_dpop_get_thumbprint (dpop);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *url = g_strconcat (rs->url, "?ignored=1", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) body = NULL;
      static const char request[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

      soup_message_set_request_body_from_bytes (msg, "application/json",
                                                g_bytes_new_static (request, strlen (request)));
      g_assert_true (mcp_dpop_apply (dpop, msg, "token-1", &error));
      g_assert_no_error (error);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (msg),
                                                     "Authorization"), ==, "DPoP token-1");
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, done_cb,
                                        &result);
      body = soup_session_send_and_read_finish (session, wait_for (&result), &error);
      g_assert_no_error (error);
      /* First without a nonce: the server gives one; then with it. */
      g_assert_cmpuint (soup_message_get_status (msg), ==, (i == 0 ? 401 : 200));
      g_assert_cmpstr (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_RESOURCE, rs->url), ==,
                       "nonce-1");
    }
  g_assert_cmpuint (rs->challenges, ==, 1);
  g_assert_cmpuint (rs->good, ==, 1);
  /* The resource server's nonce is not the authorization server's. */
  g_assert_null (mcp_dpop_get_nonce (dpop, MCP_DPOP_SERVER_AUTHORIZATION, rs->url));
}

/* McpClient with a DPoP-bound token from the token store (as a later run finds it). */

static void
store_token (McpTokenStore *store,
             const char    *server_url,
             const char    *token,
             McpDpop       *dpop)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "DPoP");
  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, "https://as.example");
  if (dpop != NULL)
    {
      json_builder_set_member_name (builder, "dpop_key");
      json_builder_add_string_value (builder, mcp_dpop_get_key_pem (dpop));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  mcp_token_store_save_async (store, MCP_TOKEN_KIND_TOKEN, server_url, "https://as.example",
                              json, NULL, done_cb, &result);
  g_assert_true (mcp_token_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static gboolean
connect_client (TestRs   *rs,
                McpDpop  *stored_key,
                GError  **error)
{
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(McpOAuth) oauth = mcp_oauth_new (rs->url, NULL);
  g_autoptr(McpHttpTransport) transport = mcp_http_transport_new (rs->url);
  g_autoptr(McpClient) client = mcp_client_new (MCP_TRANSPORT (transport));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  gboolean ok;

  store_token (store, rs->url, rs->token, stored_key);
  mcp_oauth_set_token_store (oauth, store);
  mcp_client_set_era (client, MCP_ERA_LEGACY);
  mcp_client_set_oauth (client, oauth);
  mcp_client_connect_async (client, NULL, done_cb, &result);
  ok = mcp_client_connect_finish (client, wait_for (&result), error);
  mcp_client_close_async (client, NULL, done_cb, &closed);
  mcp_client_close_finish (client, wait_for (&closed), NULL);
  return ok;
}

static void
test_client_retries_once_with_nonce (void)
{
  g_autoptr(TestRs) rs = test_rs_new ();
  g_autoptr(McpDpop) key = new_dpop ();
  g_autoptr(GError) error = NULL;

  rs->token = g_strdup ("stored-dpop-token");
  rs->jkt = mcp_dpop_get_thumbprint (key);
  g_assert_true (connect_client (rs, key, &error));
  g_assert_no_error (error);
  /* initialize: once without the nonce (challenged), once with it; then the notification
   * carries the known nonce at once. Every proof was fresh (check_proof). */
  g_assert_cmpuint (rs->challenges, ==, 1);
  g_assert_cmpuint (rs->good, ==, 2);
  g_assert_cmpuint (rs->posts, ==, 3);
  g_assert_cmpuint (rs->bearer, ==, 0);
}

static void
test_client_gives_up_on_stubborn_nonce (void)
{
  g_autoptr(TestRs) rs = test_rs_new ();
  g_autoptr(McpDpop) key = new_dpop ();
  g_autoptr(GError) error = NULL;

  rs->token = g_strdup ("stored-dpop-token");
  rs->jkt = mcp_dpop_get_thumbprint (key);
  rs->stubborn = TRUE;
  g_assert_false (connect_client (rs, key, &error));
  g_assert_nonnull (error);
  /* One retry with the new nonce, then the server's answer is the error. */
  g_assert_cmpuint (rs->posts, ==, 2);
  g_assert_cmpuint (rs->challenges, ==, 2);
  g_assert_cmpuint (rs->good, ==, 0);
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "use_dpop_nonce"));
}

static void
test_client_never_sends_bound_token_as_bearer (void)
{
  g_autoptr(TestRs) rs = test_rs_new ();
  g_autoptr(GError) error = NULL;

  /* A stored DPoP token whose key was not kept cannot be used: the client signs in again
   * (which fails here: no authorization server) instead of presenting it as Bearer. */
  rs->token = g_strdup ("keyless-dpop-token");
  rs->jkt = g_strdup ("unused");
  g_assert_false (connect_client (rs, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (rs->bearer, ==, 0);
  g_assert_cmpuint (rs->good, ==, 0);
  g_assert_cmpuint (rs->unauthenticated, >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/dpop/proof-has-rfc9449-shape", test_proof_shape);
  g_test_add_func ("/mcp/dpop/ath-is-the-sha256-of-a-known-token", test_ath_of_known_token);
  g_test_add_func ("/mcp/dpop/token-request-proof-has-no-ath", test_token_request_proof_has_no_ath);
  g_test_add_func ("/mcp/dpop/signature-verifies-only-over-its-claims-and-key",
                   test_signature_binds_the_claims);
  g_test_add_func ("/mcp/dpop/every-proof-has-a-fresh-jti", test_fresh_jti);
  g_test_add_func ("/mcp/dpop/key-survives-its-pem", test_pem_round_trip);
  g_test_add_func ("/mcp/dpop/nonces-are-kept-per-server", test_nonces_per_server);
  g_test_add_func ("/mcp/dpop/use-dpop-nonce-challenge-is-recognised", test_nonce_challenge);
  g_test_add_func ("/mcp/dpop/apply-sets-headers-and-takes-the-answer-nonce",
                   test_apply_takes_answer_nonce);
  g_test_add_func ("/mcp/dpop/client-retries-once-with-the-server-nonce",
                   test_client_retries_once_with_nonce);
  g_test_add_func ("/mcp/dpop/client-gives-up-when-the-nonce-never-satisfies",
                   test_client_gives_up_on_stubborn_nonce);
  g_test_add_func ("/mcp/dpop/client-never-sends-a-bound-token-as-bearer",
                   test_client_never_sends_bound_token_as_bearer);

  return g_test_run ();
}
