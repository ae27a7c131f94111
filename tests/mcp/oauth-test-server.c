/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "mcp-jwt.h"
#include "mcp-oauth-private.h"
#include "mcp-pkce.h"

#include "oauth-test-server.h"

void
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

TestAs *
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

char *
test_as_mcp_url (TestAs *as)
{
  return g_strconcat (as->base, "/mcp", NULL);
}
