/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mcp-headless-authorizer.h"
#include "mcp-jwt.h"
#include "mcp-loopback-authorizer.h"
#include "mcp-oauth.h"
#include "mcp-oauth-private.h"
#include "mcp-pkce.h"

/*
 * TestAs: an MCP server (/mcp) that is its own OAuth authorization server, in this process,
 * on a port the kernel picks. Its behaviour is set per test (misbehaviours included) and it
 * records what the client sent. McpOAuth talks to it over real HTTP.
 */
typedef struct
{
  SoupServer *server;
  char       *base;

  /* behaviour */
  char       *prm_resource;           /* NULL: BASE/mcp */
  char       *metadata_issuer;        /* NULL: BASE */
  char       *pkce_methods;           /* JSON array text; NULL: omit the member */
  gboolean    iss_supported;
  gboolean    omit_iss;               /* advertise iss support, then leave it out */
  char       *iss_override;           /* sent as iss instead of the issuer */
  gboolean    tamper_state;
  gboolean    deny;
  gboolean    answer_with_page;       /* /authorize shows a login page */
  gboolean    legacy;                 /* no PRM, no metadata (2025-03-26 fallback) */
  char       *as_scopes;              /* JSON array text for AS scopes_supported; NULL: omit */
  char       *prm_scopes;             /* JSON array text for PRM scopes_supported; NULL: omit */
  char       *challenge_scope;        /* scope in the 401 challenge */
  char       *required_scope;         /* /mcp answers 403 insufficient_scope without it */
  gboolean    always_403;
  gint64      expires_in;
  gboolean    form_tokens;            /* token answers form-encoded */
  gboolean    refresh_fails;
  char       *auth_methods;           /* JSON array text; NULL: ["none"] */
  gboolean    dpop;                   /* DPoP-bound tokens, nonces required at AS and RS */

  /* observations */
  guint       registrations;
  guint       authorizations;
  guint       token_requests;
  guint       refreshes;
  guint       serial;
  char       *last_scope;
  gboolean    last_scope_present;
  char       *last_authz_resource;
  char       *last_token_resource;
  char       *last_client_id;
  char       *last_authorization_header;
  char       *last_client_assertion;
  char       *last_token_auth_client_id;
  GHashTable *codes;                  /* code -> "challenge\nscope\nredirect" */
  GHashTable *access_tokens;          /* token -> scope ("" for none) */
  GHashTable *refresh_tokens;         /* token -> scope */
  GHashTable *dpop_bindings;          /* access token -> key thumbprint */
  guint       dpop_as_challenges;
  guint       dpop_rs_challenges;
  guint       dpop_good_requests;
  GPtrArray  *dpop_jtis;
} TestAs;

static void
test_as_free (TestAs *as)
{
  soup_server_disconnect (as->server);
  g_object_unref (as->server);
  g_free (as->base);
  g_free (as->prm_resource);
  g_free (as->metadata_issuer);
  g_free (as->pkce_methods);
  g_free (as->iss_override);
  g_free (as->as_scopes);
  g_free (as->prm_scopes);
  g_free (as->challenge_scope);
  g_free (as->required_scope);
  g_free (as->auth_methods);
  g_free (as->last_scope);
  g_free (as->last_authz_resource);
  g_free (as->last_token_resource);
  g_free (as->last_client_id);
  g_free (as->last_authorization_header);
  g_free (as->last_client_assertion);
  g_free (as->last_token_auth_client_id);
  g_hash_table_unref (as->codes);
  g_hash_table_unref (as->access_tokens);
  g_hash_table_unref (as->refresh_tokens);
  g_hash_table_unref (as->dpop_bindings);
  g_ptr_array_unref (as->dpop_jtis);
  g_free (as);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAs, test_as_free)

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static char *
issuer_of (TestAs *as)
{
  return g_strdup (as->metadata_issuer != NULL ? as->metadata_issuer : as->base);
}

static void
serve_prm (TestAs            *as,
           SoupServerMessage *msg)
{
  g_autofree char *json = NULL;
  g_autofree char *resource = as->prm_resource != NULL ? g_strdup (as->prm_resource)
                                                       : g_strconcat (as->base, "/mcp", NULL);

  json = g_strdup_printf ("{\"resource\":\"%s\",\"authorization_servers\":[\"%s\"]%s%s}",
                          resource, as->base,
                          as->prm_scopes != NULL ? ",\"scopes_supported\":" : "",
                          as->prm_scopes != NULL ? as->prm_scopes : "");
  respond_json (msg, SOUP_STATUS_OK, json);
}

static void
serve_metadata (TestAs            *as,
                SoupServerMessage *msg)
{
  g_autofree char *issuer = issuer_of (as);
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append_printf (json, "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/authorize\","
                          "\"token_endpoint\":\"%s/token\",\"registration_endpoint\":"
                          "\"%s/register\",\"response_types_supported\":[\"code\"],"
                          "\"token_endpoint_auth_methods_supported\":%s",
                          issuer, as->base, as->base, as->base,
                          as->auth_methods != NULL ? as->auth_methods : "[\"none\"]");
  if (as->pkce_methods != NULL)
    g_string_append_printf (json, ",\"code_challenge_methods_supported\":%s", as->pkce_methods);
  if (as->as_scopes != NULL)
    g_string_append_printf (json, ",\"scopes_supported\":%s", as->as_scopes);
  if (as->iss_supported)
    g_string_append (json, ",\"authorization_response_iss_parameter_supported\":true");
  if (as->dpop)
    g_string_append (json, ",\"dpop_signing_alg_values_supported\":[\"ES256\"]");
  g_string_append_c (json, '}');
  respond_json (msg, SOUP_STATUS_OK, json->str);
}

static void
serve_register (TestAs            *as,
                SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *text = NULL;
  JsonObject *request;

  g_assert_true (json_parser_load_from_data (parser, body->data, body->length, NULL));
  request = json_node_get_object (json_parser_get_root (parser));
  /* What a native public client registers with (RFC 7591, MCP). */
  g_assert_cmpstr (json_object_get_string_member (request, "application_type"), ==, "native");
  g_assert_cmpstr (json_object_get_string_member (request, "client_name"), ==, "Tether");
  g_assert_cmpstr (json_object_get_string_member (request, "token_endpoint_auth_method"), ==,
                   "none");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "grant_types")),
                    ==, 2);

  as->registrations++;
  client_id = g_strdup_printf ("client-%u", as->registrations);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client_id);
  json_builder_set_member_name (builder, "redirect_uris");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (request,
                                                                           "redirect_uris")));
  json_builder_set_member_name (builder, "token_endpoint_auth_method");
  json_builder_add_string_value (builder, "none");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  respond_json (msg, SOUP_STATUS_CREATED, text);
}

static void
serve_authorize (TestAs            *as,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *redirect = g_hash_table_lookup (query, "redirect_uri");
  const char *state = g_hash_table_lookup (query, "state");
  g_autoptr(GString) location = g_string_new (redirect);
  g_autoptr(GString) params = g_string_new (NULL);
  g_autofree char *code = NULL;
  g_autofree char *issuer = issuer_of (as);

  as->authorizations++;
  g_free (as->last_scope);
  as->last_scope = g_strdup (g_hash_table_lookup (query, "scope"));
  as->last_scope_present = g_hash_table_contains (query, "scope");
  g_free (as->last_authz_resource);
  as->last_authz_resource = g_strdup (g_hash_table_lookup (query, "resource"));
  g_free (as->last_client_id);
  as->last_client_id = g_strdup (g_hash_table_lookup (query, "client_id"));
  g_assert_cmpstr (g_hash_table_lookup (query, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  g_assert_nonnull (state);
  g_assert_cmpuint (strlen (state), >=, 16);

  if (as->answer_with_page)
    {
      static const char page[] = "<html><body><form>Password: <input></form></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page,
                                        strlen (page));
      return;
    }

  if (as->deny)
    {
      mcp_oauth_form_append (params, "error", "access_denied");
      mcp_oauth_form_append (params, "error_description", "The person said no");
    }
  else
    {
      code = g_strdup_printf ("code-%u", ++as->serial);
      g_hash_table_insert (as->codes, g_strdup (code),
                           g_strdup_printf ("%s\n%s\n%s",
                                            (char *) g_hash_table_lookup (query, "code_challenge"),
                                            as->last_scope != NULL ? as->last_scope : "",
                                            redirect));
      mcp_oauth_form_append (params, "code", code);
    }
  mcp_oauth_form_append (params, "state", as->tamper_state ? "someone-elses-state" : state);
  if (as->iss_override != NULL)
    mcp_oauth_form_append (params, "iss", as->iss_override);
  else if (as->iss_supported && !as->omit_iss)
    mcp_oauth_form_append (params, "iss", issuer);

  g_string_append_c (location, strchr (redirect, '?') != NULL ? '&' : '?');
  g_string_append (location, params->str);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location->str);
}

/* DPoP, checked as a resource or authorization server would (RFC 9449 §4.3). */

static JsonObject *
decode_jwt_part (const char *part)
{
  g_autoptr(GBytes) bytes = mcp_jwt_base64url_decode (part);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, size, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
sha256_b64url (const char *text)
{
  guint8 digest[32];

  g_assert_cmpint (gnutls_hash_fast (GNUTLS_DIG_SHA256, text, strlen (text), digest), ==, 0);
  return mcp_pkce_base64url_encode (digest, sizeof digest);
}

/* The thumbprint of the proof's key when @proof is a valid proof for @method @url (and
 * @access_token, and @nonce), else NULL. */
static char *
check_dpop_proof (TestAs     *as,
                  const char *proof,
                  const char *method,
                  const char *url,
                  const char *access_token,
                  const char *nonce,
                  gboolean   *nonce_ok)
{
  g_auto(GStrv) parts = proof != NULL ? g_strsplit (proof, ".", -1) : NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autoptr(GBytes) x = NULL, y = NULL, signature = NULL;
  g_autofree char *input = NULL;
  g_autofree char *canonical = NULL;
  JsonObject *jwk;
  gnutls_pubkey_t pubkey;
  gnutls_datum_t xd, yd, data, r, s, der = { NULL, 0 };
  const guint8 *raw;
  int ret;

  *nonce_ok = FALSE;
  if (parts == NULL || g_strv_length (parts) != 3)
    return NULL;
  header = decode_jwt_part (parts[0]);
  claims = decode_jwt_part (parts[1]);
  g_assert_nonnull (header);
  g_assert_nonnull (claims);
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "dpop+jwt");
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "ES256");
  jwk = json_object_get_object_member (header, "jwk");
  g_assert_false (json_object_has_member (jwk, "d"));
  g_assert_cmpstr (json_object_get_string_member (claims, "htm"), ==, method);
  g_assert_cmpstr (json_object_get_string_member (claims, "htu"), ==, url);
  g_assert_cmpint (ABS (json_object_get_int_member (claims, "iat")
                        - g_get_real_time () / G_USEC_PER_SEC), <=, 60);
  /* Fresh proofs: a jti is never seen twice. */
  for (guint i = 0; i < as->dpop_jtis->len; i++)
    g_assert_cmpstr (g_ptr_array_index (as->dpop_jtis, i), !=,
                     json_object_get_string_member (claims, "jti"));
  g_ptr_array_add (as->dpop_jtis, g_strdup (json_object_get_string_member (claims, "jti")));
  if (access_token != NULL)
    {
      g_autofree char *ath = sha256_b64url (access_token);

      g_assert_cmpstr (json_object_get_string_member (claims, "ath"), ==, ath);
    }
  *nonce_ok = json_object_has_member (claims, "nonce")
              && g_strcmp0 (json_object_get_string_member (claims, "nonce"), nonce) == 0;

  x = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "x"));
  y = mcp_jwt_base64url_decode (json_object_get_string_member (jwk, "y"));
  signature = mcp_jwt_base64url_decode (parts[2]);
  g_assert_cmpuint (g_bytes_get_size (signature), ==, 64);
  raw = g_bytes_get_data (signature, NULL);
  r.data = (unsigned char *) raw;
  r.size = 32;
  s.data = (unsigned char *) raw + 32;
  s.size = 32;
  g_assert_cmpint (gnutls_encode_rs_value (&der, &r, &s), ==, 0);
  xd.data = (unsigned char *) g_bytes_get_data (x, NULL);
  xd.size = g_bytes_get_size (x);
  yd.data = (unsigned char *) g_bytes_get_data (y, NULL);
  yd.size = g_bytes_get_size (y);
  g_assert_cmpint (gnutls_pubkey_init (&pubkey), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_ecc_raw (pubkey, GNUTLS_ECC_CURVE_SECP256R1, &xd, &yd),
                   ==, 0);
  input = g_strconcat (parts[0], ".", parts[1], NULL);
  data.data = (unsigned char *) input;
  data.size = strlen (input);
  ret = gnutls_pubkey_verify_data2 (pubkey, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der);
  gnutls_free (der.data);
  gnutls_pubkey_deinit (pubkey);
  g_assert_cmpint (ret, >=, 0);

  canonical = g_strdup_printf ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                               json_object_get_string_member (jwk, "x"),
                               json_object_get_string_member (jwk, "y"));
  return sha256_b64url (canonical);
}

static void
issue_tokens (TestAs            *as,
              SoupServerMessage *msg,
              const char        *scope,
              const char        *jkt)
{
  g_autofree char *access = g_strdup_printf ("at-%u", ++as->serial);
  g_autofree char *refresh = g_strdup_printf ("rt-%u", as->serial);
  g_autofree char *body = NULL;

  g_hash_table_insert (as->access_tokens, g_strdup (access), g_strdup (scope));
  if (jkt != NULL)
    g_hash_table_insert (as->dpop_bindings, g_strdup (access), g_strdup (jkt));
  g_hash_table_insert (as->refresh_tokens, g_strdup (refresh), g_strdup (scope));
  if (as->form_tokens)
    {
      body = g_strdup_printf ("access_token=%s&token_type=bearer&expires_in=%" G_GINT64_FORMAT
                              "&refresh_token=%s&scope=%s", access, as->expires_in, refresh,
                              scope);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/x-www-form-urlencoded",
                                        SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  body = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"%s\",\"expires_in\":%"
                          G_GINT64_FORMAT ",\"refresh_token\":\"%s\",\"scope\":\"%s\"}",
                          access, as->dpop ? "DPoP" : "Bearer", as->expires_in, refresh, scope);
  respond_json (msg, SOUP_STATUS_OK, body);
}

static void
serve_token (TestAs            *as,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *text = g_strndup (body->data, body->length);
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *grant = g_hash_table_lookup (form, "grant_type");
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *jkt = NULL;

  as->token_requests++;
  if (as->dpop)
    {
      g_autofree char *token_url = g_strconcat (as->base, "/token", NULL);
      const char *proof = soup_message_headers_get_one (
        soup_server_message_get_request_headers (msg), "DPoP");
      gboolean nonce_ok = FALSE;

      jkt = check_dpop_proof (as, proof, "POST", token_url, NULL, "as-nonce", &nonce_ok);
      g_assert_nonnull (jkt);
      if (!nonce_ok)
        {
          as->dpop_as_challenges++;
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "DPoP-Nonce", "as-nonce");
          respond_json (msg, SOUP_STATUS_BAD_REQUEST, "{\"error\":\"use_dpop_nonce\"}");
          return;
        }
    }
  g_free (as->last_token_resource);
  as->last_token_resource = g_strdup (g_hash_table_lookup (form, "resource"));
  g_free (as->last_authorization_header);
  as->last_authorization_header = g_strdup (authorization);
  g_free (as->last_client_assertion);
  as->last_client_assertion = g_strdup (g_hash_table_lookup (form, "client_assertion"));
  g_free (as->last_token_auth_client_id);
  as->last_token_auth_client_id = g_strdup (g_hash_table_lookup (form, "client_id"));

  if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *code = g_hash_table_lookup (form, "code");
      const char *stored = code != NULL ? g_hash_table_lookup (as->codes, code) : NULL;
      g_auto(GStrv) parts = stored != NULL ? g_strsplit (stored, "\n", 3) : NULL;
      g_autofree char *computed = NULL;

      if (parts == NULL)
        {
          respond_json (msg, SOUP_STATUS_BAD_REQUEST, "{\"error\":\"invalid_grant\"}");
          return;
        }
      /* PKCE: the verifier must hash to the challenge; the redirect must be the same. */
      computed = mcp_pkce_challenge_s256 (g_hash_table_lookup (form, "code_verifier"));
      if (g_strcmp0 (computed, parts[0]) != 0
          || g_strcmp0 (g_hash_table_lookup (form, "redirect_uri"), parts[2]) != 0)
        {
          respond_json (msg, SOUP_STATUS_BAD_REQUEST,
                        "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE failed\"}");
          return;
        }
      g_hash_table_remove (as->codes, code);
      issue_tokens (as, msg, parts[1], jkt);
      return;
    }
  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      const char *token = g_hash_table_lookup (form, "refresh_token");
      const char *scope = token != NULL ? g_hash_table_lookup (as->refresh_tokens, token) : NULL;
      g_autofree char *kept = g_strdup (scope);

      as->refreshes++;
      if (as->refresh_fails || scope == NULL)
        {
          respond_json (msg, SOUP_STATUS_BAD_REQUEST,
                        "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}");
          return;
        }
      g_hash_table_remove (as->refresh_tokens, token);
      issue_tokens (as, msg, kept, jkt);
      return;
    }
  if (g_strcmp0 (grant, "client_credentials") == 0)
    {
      const char *scope = g_hash_table_lookup (form, "scope");

      issue_tokens (as, msg, scope != NULL ? scope : "", jkt);
      return;
    }
  respond_json (msg, SOUP_STATUS_BAD_REQUEST, "{\"error\":\"unsupported_grant_type\"}");
}

static gboolean
scopes_include (const char *granted,
                const char *required)
{
  g_auto(GStrv) have = g_strsplit (granted, " ", -1);
  g_auto(GStrv) need = g_strsplit (required, " ", -1);

  for (guint i = 0; need[i] != NULL; i++)
    if (*need[i] != '\0' && !g_strv_contains ((const char * const *) have, need[i]))
      return FALSE;
  return TRUE;
}

static void
serve_mcp (TestAs            *as,
           SoupServerMessage *msg)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  const char *scope = NULL;
  g_autofree char *challenge = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (as->dpop && authorization != NULL && g_str_has_prefix (authorization, "DPoP "))
    {
      g_autofree char *mcp_url = g_strconcat (as->base, "/mcp", NULL);
      const char *proof = soup_message_headers_get_one (
        soup_server_message_get_request_headers (msg), "DPoP");
      const char *token = authorization + 5;
      gboolean nonce_ok = FALSE;
      g_autofree char *jkt = check_dpop_proof (as, proof, "POST", mcp_url, token, "rs-nonce",
                                               &nonce_ok);

      /* The proof's key must be the one the token is bound to. */
      g_assert_cmpstr (jkt, ==, g_hash_table_lookup (as->dpop_bindings, token));
      if (!nonce_ok)
        {
          as->dpop_rs_challenges++;
          soup_message_headers_replace (headers, "DPoP-Nonce", "rs-nonce");
          soup_message_headers_append (headers, "WWW-Authenticate",
                                       "DPoP error=\"use_dpop_nonce\", algs=\"ES256\"");
          respond_json (msg, SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"use_dpop_nonce\"}");
          return;
        }
      as->dpop_good_requests++;
      scope = g_hash_table_lookup (as->access_tokens, token);
    }
  else if (authorization != NULL && g_str_has_prefix (authorization, "Bearer "))
    {
      g_assert_false (as->dpop);
      scope = g_hash_table_lookup (as->access_tokens, authorization + 7);
    }
  if (scope == NULL)
    {
      challenge = g_strdup_printf ("Bearer resource_metadata=\"%s/.well-known/oauth-protected-"
                                   "resource/mcp\"%s%s%s", as->base,
                                   as->challenge_scope != NULL ? ", scope=\"" : "",
                                   as->challenge_scope != NULL ? as->challenge_scope : "",
                                   as->challenge_scope != NULL ? "\"" : "");
      soup_message_headers_append (headers, "WWW-Authenticate", challenge);
      respond_json (msg, SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"invalid_token\"}");
      return;
    }
  if (as->always_403 || (as->required_scope != NULL && !scopes_include (scope,
                                                                        as->required_scope)))
    {
      challenge = g_strdup_printf ("Bearer error=\"insufficient_scope\", scope=\"%s\", "
                                   "resource_metadata=\"%s/.well-known/oauth-protected-resource"
                                   "/mcp\"", as->required_scope != NULL ? as->required_scope
                                   : "mcp:admin", as->base);
      soup_message_headers_append (headers, "WWW-Authenticate", challenge);
      respond_json (msg, SOUP_STATUS_FORBIDDEN, "{\"error\":\"insufficient_scope\"}");
      return;
    }
  respond_json (msg, SOUP_STATUS_OK, "{\"ok\":true}");
}

static void
test_as_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TestAs *as = user_data;

  if (g_str_equal (path, "/.well-known/oauth-protected-resource/mcp") && !as->legacy)
    serve_prm (as, msg);
  else if (g_str_equal (path, "/.well-known/oauth-authorization-server") && !as->legacy)
    serve_metadata (as, msg);
  else if (g_str_equal (path, "/register"))
    serve_register (as, msg);
  else if (g_str_equal (path, "/authorize") && query != NULL)
    serve_authorize (as, msg, query);
  else if (g_str_equal (path, "/token"))
    serve_token (as, msg);
  else if (g_str_equal (path, "/mcp"))
    serve_mcp (as, msg);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static TestAs *
test_as_new (void)
{
  TestAs *as = g_new0 (TestAs, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  as->server = soup_server_new (NULL, NULL);
  as->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  as->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  as->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  as->dpop_bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  as->dpop_jtis = g_ptr_array_new_with_free_func (g_free);
  as->pkce_methods = g_strdup ("[\"S256\"]");
  as->prm_scopes = g_strdup ("[\"mcp:read\",\"mcp:write\"]");
  as->expires_in = 3600;
  soup_server_add_handler (as->server, NULL, test_as_handler, as, NULL);
  soup_server_listen_local (as->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (as->server);
  as->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return as;
}

static char *
test_as_mcp_url (TestAs *as)
{
  return g_strconcat (as->base, "/mcp", NULL);
}

/* Driving the client as McpClient will: send, and on 401/403 ask McpOAuth, then retry. */

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static guint
post_mcp (SoupSession  *session,
          McpOAuth     *oauth,
          const char   *url,
          const char   *token,
          char       ***www_authenticate)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;
  /* An initialize: the SDK example server answers it; the test server takes anything. */
  static const char request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_static (request, strlen (request)));
  if (token != NULL)
    {
      const char *scheme = oauth != NULL ? mcp_oauth_get_token_type (oauth) : "Bearer";
      g_autofree char *header = g_strconcat (scheme, " ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    header);
      if (g_strcmp0 (scheme, "DPoP") == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *proof = mcp_oauth_create_dpop_proof (oauth, SOUP_METHOD_POST, url,
                                                                &error);

          g_assert_no_error (error);
          soup_message_headers_replace (soup_message_get_request_headers (message), "DPoP",
                                        proof);
        }
    }
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, done_cb, &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), NULL);
  g_assert_nonnull (body);

  if (oauth != NULL)
    mcp_oauth_set_dpop_nonce (oauth, soup_message_headers_get_one (
      soup_message_get_response_headers (message), "DPoP-Nonce"));
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0)
      g_strv_builder_add (builder, value);
  if (www_authenticate != NULL)
    *www_authenticate = g_strv_builder_end (builder);
  return soup_message_get_status (message);
}

static char *
get_access_token (McpOAuth *oauth)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  mcp_oauth_get_access_token_async (oauth, NULL, done_cb, &result);
  token = mcp_oauth_get_access_token_finish (oauth, wait_for (&result), &error);
  g_assert_no_error (error);
  return token;
}

/* Calls /mcp until it answers 200; returns the token that worked. */
static char *
call_with_oauth (McpOAuth    *oauth,
                 const char  *url,
                 GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = get_access_token (oauth);

  for (guint attempt = 0;; attempt++)
    {
      g_auto(GStrv) challenge = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      guint status = post_mcp (session, oauth, url, token, &challenge);
      char *next;

      if (status == SOUP_STATUS_OK)
        return g_steal_pointer (&token);
      g_assert_true (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN);
      mcp_oauth_handle_challenge_async (oauth, status, (const char * const *) challenge, token,
                                        attempt, NULL, done_cb, &result);
      next = mcp_oauth_handle_challenge_finish (oauth, wait_for (&result), error);
      if (next == NULL)
        return NULL;
      g_free (token);
      token = next;
    }
}

static McpOAuth *
new_oauth (TestAs        *as,
           McpTokenStore *store)
{
  g_autofree char *url = test_as_mcp_url (as);
  McpOAuth *oauth = mcp_oauth_new (url, NULL);
  g_autoptr(McpHeadlessAuthorizer) authorizer = mcp_headless_authorizer_new (NULL);

  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));
  mcp_oauth_set_token_store (oauth, store);
  return oauth;
}

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
expect_failure (TestAs      *as,
                McpOAuth    *oauth,
                GQuark       domain,
                int          code,
                const char  *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = call_with_oauth (oauth, url, &error);

  g_assert_null (token);
  g_assert_error (error, domain, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("Expected “%s” in the message “%s”", in_message, error->message);
  g_assert_false (mcp_oauth_get_authorized (oauth));
}

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

/* The loopback authorizer with a "browser" that is a script: it hands the URL to the test,
 * which then plays the browser (follows every redirect). */

static char *
wait_for_file (const char *path)
{
  char *contents = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_file_get_contents (path, &contents, NULL, NULL) || *contents == '\0')
    {
      g_clear_pointer (&contents, g_free);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return contents;
}

static void
browser_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  gboolean *done = user_data;

  g_assert_nonnull (body);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "Signed in"));
  *done = TRUE;
}

static void
test_loopback_authorizer (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autofree char *url = test_as_mcp_url (as);
  g_autoptr(McpOAuth) oauth = mcp_oauth_new (url, NULL);
  g_autoptr(McpLoopbackAuthorizer) authorizer = mcp_loopback_authorizer_new ();
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(SoupMessage) visit = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tether-browser-XXXXXX", &error);
  g_autofree char *script = g_build_filename (dir, "browser", NULL);
  g_autofree char *out = g_build_filename (dir, "opened", NULL);
  g_autofree char *script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s'\n", out);
  g_autofree char *browser_env = g_strdup_printf ("/nonexistent/browser %%s:%s", script);
  g_autofree char *opened = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expected_redirect = NULL;
  gboolean visited = FALSE;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_setenv ("BROWSER", browser_env, TRUE);
  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));

  mcp_oauth_authorize_async (oauth, NULL, NULL, done_cb, &result);
  opened = wait_for_file (out);
  g_assert_true (g_str_has_prefix (opened, as->base));
  expected_redirect = g_strdup_printf ("http://127.0.0.1:%u/callback",
                                       mcp_loopback_authorizer_get_port (authorizer));
  g_assert_cmpuint (mcp_loopback_authorizer_get_port (authorizer), >, 0);

  visit = soup_message_new (SOUP_METHOD_GET, opened);
  soup_session_send_and_read_async (browser, visit, G_PRIORITY_DEFAULT, NULL, browser_done_cb,
                                    &visited);
  token = mcp_oauth_authorize_finish (oauth, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  while (!visited)
    g_main_context_iteration (NULL, TRUE);

  /* The registration carries the loopback redirect URI the browser came back to. */
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpuint (as->token_requests, ==, 1);
  g_assert_nonnull (strstr (opened, "redirect_uri="));
  {
    g_autofree char *escaped = g_uri_escape_string (expected_redirect, NULL, FALSE);

    g_assert_nonnull (strstr (opened, escaped));
  }

  g_unsetenv ("BROWSER");
  g_unlink (out);
  g_unlink (script);
  g_rmdir (dir);
}

static void
test_loopback_authorizer_cancel (void)
{
  g_autoptr(McpLoopbackAuthorizer) authorizer = mcp_loopback_authorizer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *again = NULL;
  g_autofree char *reached = NULL;
  guint port;

  mcp_loopback_authorizer_set_open_browser (authorizer, FALSE);
  redirect = mcp_authorizer_prepare (MCP_AUTHORIZER (authorizer), NULL, &error);
  g_assert_no_error (error);
  port = mcp_loopback_authorizer_get_port (authorizer);
  /* Asked for the same registered URI again, it keeps the port. */
  again = mcp_authorizer_prepare (MCP_AUTHORIZER (authorizer), redirect, &error);
  g_assert_cmpstr (again, ==, redirect);
  g_assert_cmpuint (mcp_loopback_authorizer_get_port (authorizer), ==, port);

  mcp_authorizer_authorize_async (MCP_AUTHORIZER (authorizer), "http://127.0.0.1:9/authorize",
                                  redirect, cancellable, done_cb, &result);
  g_cancellable_cancel (cancellable);
  reached = mcp_authorizer_authorize_finish (MCP_AUTHORIZER (authorizer), wait_for (&result),
                                             &error);
  g_assert_null (reached);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The TypeScript SDK's OAuth example server (a real, independent implementation). */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer user_data)
{
  /* The peer must not outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
test_sdk_example_server (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *peers = g_build_filename (srcdir != NULL ? srcdir : ".", "peers", NULL);
  g_autofree char *script = g_build_filename (peers, "node_modules", "@modelcontextprotocol",
                                              "sdk", "dist", "esm", "examples", "server",
                                              "simpleStreamableHttp.js", NULL);
  g_autofree char *bundled_node = g_build_filename (peers, "node_modules", ".bin", "node", NULL);
  g_autofree char *node = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(McpOAuth) oauth = NULL;
  g_autoptr(McpHeadlessAuthorizer) authorizer = mcp_headless_authorizer_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) initialize = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *mcp_port = NULL;
  g_autofree char *auth_port = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *issuer = NULL;
  gint64 deadline;
  guint port, as_port;
  static const char request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

  node = g_file_test (bundled_node, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (bundled_node)
                                                               : g_find_program_in_path ("node");
  if (node == NULL || !g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Node.js or the SDK example server (tests/peers) is not installed");
      return;
    }

  port = free_port ();
  do
    as_port = free_port ();
  while (as_port == port);
  mcp_port = g_strdup_printf ("%u", port);
  auth_port = g_strdup_printf ("%u", as_port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "MCP_PORT", mcp_port, TRUE);
  g_subprocess_launcher_setenv (launcher, "MCP_AUTH_PORT", auth_port, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  peer = g_subprocess_launcher_spawn (launcher, &error, node, script, "--oauth", NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!port_answers (port) || !port_answers (as_port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100000);
    }

  url = g_strdup_printf ("http://localhost:%u/mcp", port);
  oauth = mcp_oauth_new (url, NULL);
  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));
  /* Discovery (PRM + RFC 8414), registration, PKCE code flow, token exchange. */
  token = call_with_oauth (oauth, url, &error);
  if (error != NULL)
    g_subprocess_force_exit (peer);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  issuer = g_strdup_printf ("http://localhost:%u/", as_port);
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (mcp_oauth_get_discovery (oauth)), ==, issuer);

  /* A real MCP request with the token: initialize answers 200. */
  initialize = soup_message_new (SOUP_METHOD_POST, url);
  bearer = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (initialize), "Authorization",
                                bearer);
  soup_message_headers_replace (soup_message_get_request_headers (initialize), "Accept",
                                "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (initialize, "application/json",
                                            g_bytes_new_static (request, strlen (request)));
  soup_session_send_and_read_async (session, initialize, G_PRIORITY_DEFAULT, NULL, done_cb,
                                    &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (initialize), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "serverInfo"));

  g_subprocess_force_exit (peer);
  g_subprocess_wait (peer, NULL, NULL);
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
  g_test_add_func ("/mcp/oauth/iss-mismatch-is-refused", test_iss_mismatch);
  g_test_add_func ("/mcp/oauth/iss-required-when-advertised", test_iss_required_when_advertised);
  g_test_add_func ("/mcp/oauth/metadata-issuer-mismatch-is-refused",
                   test_metadata_issuer_mismatch);
  g_test_add_func ("/mcp/oauth/resource-mismatch-is-refused", test_resource_mismatch);
  g_test_add_func ("/mcp/oauth/missing-s256-is-refused", test_missing_s256);
  g_test_add_func ("/mcp/oauth/state-mismatch-is-refused", test_state_mismatch);
  g_test_add_func ("/mcp/oauth/access-denied-says-why", test_access_denied);
  g_test_add_func ("/mcp/oauth/headless-needs-a-redirect", test_headless_needs_redirect);
  g_test_add_func ("/mcp/oauth/refresh-on-expiry", test_refresh_on_expiry);
  g_test_add_func ("/mcp/oauth/refresh-when-rejected-then-reauthorize",
                   test_refresh_when_rejected);
  g_test_add_func ("/mcp/oauth/step-up-asks-for-the-union", test_step_up_union);
  g_test_add_func ("/mcp/oauth/step-up-stops-after-the-limit", test_step_up_limit);
  g_test_add_func ("/mcp/oauth/other-403-is-not-retried",
                   test_forbidden_without_insufficient_scope);
  g_test_add_func ("/mcp/oauth/concurrent-challenges-share-one-authorization",
                   test_concurrent_challenges_share_one_authorization);
  g_test_add_func ("/mcp/oauth/legacy-default-endpoints", test_legacy_default_endpoints);
  g_test_add_func ("/mcp/oauth/preregistered-client-secret-basic",
                   test_preregistered_client_secret_basic);
  g_test_add_func ("/mcp/oauth/client-credentials-secret-post",
                   test_client_credentials_secret_post);
  g_test_add_func ("/mcp/oauth/client-credentials-private-key-jwt",
                   test_client_credentials_private_key_jwt);
  g_test_add_func ("/mcp/oauth/dpop-bound-tokens-with-nonces", test_dpop);
  g_test_add_func ("/mcp/oauth/loopback-authorizer-opens-browser-and-catches-redirect",
                   test_loopback_authorizer);
  g_test_add_func ("/mcp/oauth/loopback-authorizer-cancel", test_loopback_authorizer_cancel);
  g_test_add_func ("/mcp/oauth/sdk-example-server", test_sdk_example_server);

  return g_test_run ();
}
