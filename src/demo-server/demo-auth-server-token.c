/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-pkce.h"

#include "demo-auth-server-private.h"
#include "demo-util.h"

/* The token endpoint (authorization_code with PKCE, refresh_token with rotation), RFC 7009
 * revocation, and the codes and redirects the authorization endpoint hands out. */

static GHashTable *
read_form_body (SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  GHashTable *form;
  const char *content_type, *body;
  gsize length;

  content_type = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               "Content-Type");
  if (!demo_util_media_type_is (content_type, "application/x-www-form-urlencoded"))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                     "Expected an application/x-www-form-urlencoded body");
      return NULL;
    }
  body = demo_util_request_body (msg, &length);
  form = demo_util_parse_form (body, length, &error);
  if (form == NULL)
    demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                   error->message);
  return form;
}

/* Client authentication at /token and /revoke: client_secret_post or none (public clients).
 * HTTP Basic is refused as the reference server refuses it. */
static DemoAuthClient *
authenticate_client (DemoAuthServer    *self,
                     SoupServerMessage *msg,
                     GHashTable        *form)
{
  const char *authorization, *client_id, *secret;
  DemoAuthClient *client;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"tether-demo-server\"");
      demo_util_respond_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                                     "client_secret_basic is not supported; send client_id "
                                     "and client_secret in the form (client_secret_post)");
      return NULL;
    }

  client_id = g_hash_table_lookup (form, "client_id");
  if (client_id == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                                     "Expected client_id in the form");
      return NULL;
    }
  client = demo_auth_server_lookup_client (self, client_id);
  if (client == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                                     "Unknown client_id; register first at /register");
      return NULL;
    }
  demo_util_note_client (msg, client->client_id);

  secret = g_hash_table_lookup (form, "client_secret");
  if (client->client_secret != NULL && !demo_util_secure_equal (secret, client->client_secret))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                                     secret == NULL
                                     ? "This client is confidential; expected client_secret"
                                     : "client_secret does not match the registration");
      return NULL;
    }
  return client;
}

static char *
store_secret_entry (GHashTable *table,
                    gpointer    value)
{
  char *secret = mcp_pkce_random_string (32);

  g_hash_table_insert (table, demo_util_secret_digest (secret), value);
  return secret;
}

/* Issues an access token and a refresh token and answers with them (RFC 6749 §5.1). */
static void
respond_with_new_tokens (DemoAuthServer     *self,
                         SoupServerMessage  *msg,
                         const char         *client_id,
                         const char         *user,
                         const char * const *scopes,
                         const char         *resource,
                         const char         *github_token,
                         guint64             family)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *access_token = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *scope = g_strjoinv (" ", (char **) scopes);
  gint64 now = g_get_monotonic_time ();
  DemoAuthRefresh *refresh;
  DemoGrant *grant;

  grant = demo_grant_new (client_id, user, scopes, resource, github_token,
                          now + (gint64) self->token_ttl * G_USEC_PER_SEC, family);
  access_token = store_secret_entry (self->access_tokens, grant);

  refresh = g_new0 (DemoAuthRefresh, 1);
  refresh->client_id = g_strdup (client_id);
  refresh->user = g_strdup (user);
  refresh->scopes = g_strdupv ((char **) scopes);
  refresh->resource = g_strdup (resource);
  refresh->github_token = g_strdup (github_token);
  refresh->expires_at = now + (gint64) DEMO_AUTH_REFRESH_LIFETIME_S * G_USEC_PER_SEC;
  refresh->family = family;
  refresh_token = store_secret_entry (self->refresh_tokens, refresh);

  self->n_tokens_issued++;

  json_object_set_string_member (response, "access_token", access_token);
  json_object_set_string_member (response, "token_type", "Bearer");
  json_object_set_int_member (response, "expires_in", self->token_ttl);
  json_object_set_string_member (response, "refresh_token", refresh_token);
  json_object_set_string_member (response, "scope", scope);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Pragma", "no-cache");
  demo_util_respond_json_object (msg, SOUP_STATUS_OK, response);

  explicit_bzero (access_token, strlen (access_token));
  explicit_bzero (refresh_token, strlen (refresh_token));
}

static gboolean
same_family (gpointer key, gpointer value, gpointer user_data)
{
  return ((DemoGrant *) value)->family == *(guint64 *) user_data;
}

static gboolean
same_refresh_family (gpointer key, gpointer value, gpointer user_data)
{
  return ((DemoAuthRefresh *) value)->family == *(guint64 *) user_data;
}

/* Everything issued from one authorization goes: after a replayed code or refresh token we
 * cannot tell the client from whoever copied it. */
static void
revoke_family (DemoAuthServer *self,
               guint64         family)
{
  g_hash_table_foreach_remove (self->access_tokens, same_family, &family);
  g_hash_table_foreach_remove (self->refresh_tokens, same_refresh_family, &family);
}

/* RFC 8707 at the token endpoint: a resource, when given, must be ours and may not widen what
 * the authorization was for. */
static gboolean
check_token_resource (DemoAuthServer    *self,
                      SoupServerMessage *msg,
                      const char        *requested,
                      const char        *granted)
{
  if (requested == NULL)
    return TRUE;
  if (!demo_auth_server_resource_is_valid (self, requested))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_target",
                                     "resource does not name this server (expected its origin, "
                                     "/mcp or /sse)");
      return FALSE;
    }
  if (granted != NULL && !g_str_equal (requested, granted))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_target",
                                     "resource differs from the one that was authorized");
      return FALSE;
    }
  return TRUE;
}

static void
grant_authorization_code (DemoAuthServer    *self,
                          SoupServerMessage *msg,
                          DemoAuthClient    *client,
                          GHashTable        *form)
{
  const char *code_value = g_hash_table_lookup (form, "code");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *resource = g_hash_table_lookup (form, "resource");
  g_autofree char *digest = NULL;
  g_autofree char *challenge = NULL;
  DemoAuthCode *code;

  if (code_value == NULL || verifier == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                     "Expected code and code_verifier (PKCE is required)");
      return;
    }

  digest = demo_util_secret_digest (code_value);
  code = g_hash_table_lookup (self->codes, digest);
  if (code == NULL || code->expires_at <= g_get_monotonic_time ())
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "Unknown or expired authorization code");
      return;
    }
  if (!g_str_equal (code->request->client_id, client->client_id))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "The authorization code was issued to another client");
      return;
    }
  if (code->used)
    {
      self->n_replays_detected++;
      revoke_family (self, code->family);
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "The authorization code was already used; the tokens "
                                     "issued for it are revoked");
      return;
    }
  if ((code->request->redirect_uri_explicit || redirect_uri != NULL)
      && g_strcmp0 (redirect_uri, code->request->redirect_uri) != 0)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "redirect_uri differs from the authorization request's");
      return;
    }
  if (!mcp_pkce_verifier_is_valid (verifier))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "code_verifier must be 43-128 characters of "
                                     "[A-Za-z0-9-._~] (RFC 7636 §4.1)");
      return;
    }
  challenge = mcp_pkce_challenge_s256 (verifier);
  if (!demo_util_secure_equal (challenge, code->request->code_challenge))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "code_verifier does not match the code_challenge");
      return;
    }
  if (!check_token_resource (self, msg, resource, code->request->resource))
    return;

  code->used = TRUE;
  respond_with_new_tokens (self, msg, client->client_id, code->user,
                           (const char * const *) code->request->scopes,
                           resource != NULL ? resource : code->request->resource,
                           code->github_token, code->family);
}

static void
grant_refresh_token (DemoAuthServer    *self,
                     SoupServerMessage *msg,
                     DemoAuthClient    *client,
                     GHashTable        *form)
{
  const char *token = g_hash_table_lookup (form, "refresh_token");
  const char *scope = g_hash_table_lookup (form, "scope");
  const char *resource = g_hash_table_lookup (form, "resource");
  g_autofree char *digest = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *user = NULL;
  g_autofree char *granted_resource = NULL;
  g_autofree char *github_token = NULL;
  DemoAuthRefresh *refresh;
  guint64 family;

  if (token == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                     "Expected refresh_token");
      return;
    }
  if (!g_strv_contains ((const char * const *) client->grant_types, "refresh_token"))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client",
                                     "This client did not register the refresh_token grant");
      return;
    }

  digest = demo_util_secret_digest (token);
  refresh = g_hash_table_lookup (self->refresh_tokens, digest);
  if (refresh == NULL || refresh->expires_at <= g_get_monotonic_time ())
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "Unknown, expired or revoked refresh token");
      return;
    }
  if (!g_str_equal (refresh->client_id, client->client_id))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "The refresh token was issued to another client");
      return;
    }
  if (refresh->used)
    {
      self->n_replays_detected++;
      revoke_family (self, refresh->family);
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                     "The refresh token was already used (rotation); every "
                                     "token of this authorization is now revoked");
      return;
    }

  if (scope != NULL)
    {
      scopes = demo_util_split_scopes (scope);
      if (scopes == NULL || scopes[0] == NULL
          || !demo_util_strv_is_subset ((const char * const *) scopes,
                                        (const char * const *) refresh->scopes))
        {
          demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope",
                                         "A refresh may only narrow the scopes granted");
          return;
        }
    }
  else
    scopes = g_strdupv (refresh->scopes);

  if (!check_token_resource (self, msg, resource, refresh->resource))
    return;

  refresh->used = TRUE;
  self->n_refreshes++;
  user = g_strdup (refresh->user);
  granted_resource = g_strdup (resource != NULL ? resource : refresh->resource);
  github_token = g_strdup (refresh->github_token);
  family = refresh->family;
  respond_with_new_tokens (self, msg, client->client_id, user, (const char * const *) scopes,
                           granted_resource, github_token, family);
}

void
demo_auth_server_handle_token (DemoAuthServer    *self,
                               SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *detail = NULL;
  DemoAuthClient *client;
  const char *grant_type;

  if (!demo_auth_server_require_method (msg, demo_auth_post_methods))
    return;
  demo_util_note_detail (msg, "token");
  form = read_form_body (msg);
  if (form == NULL)
    return;

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type != NULL && (g_str_equal (grant_type, "authorization_code")
                             || g_str_equal (grant_type, "refresh_token")))
    {
      detail = g_strdup_printf ("token grant=%s", grant_type);
      demo_util_note_detail (msg, detail);
    }

  client = authenticate_client (self, msg, form);
  if (client == NULL)
    return;

  if (grant_type == NULL)
    demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                   "Expected grant_type");
  else if (g_str_equal (grant_type, "authorization_code"))
    grant_authorization_code (self, msg, client, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    grant_refresh_token (self, msg, client, form);
  else
    demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                                   "grant_type must be “authorization_code” or "
                                   "“refresh_token”");
}

void
demo_auth_server_handle_revoke (DemoAuthServer    *self,
                                SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *digest = NULL;
  DemoAuthClient *client;
  DemoAuthRefresh *refresh;
  DemoGrant *grant;
  const char *token;

  if (!demo_auth_server_require_method (msg, demo_auth_post_methods))
    return;
  demo_util_note_detail (msg, "revoke");
  form = read_form_body (msg);
  if (form == NULL)
    return;
  client = authenticate_client (self, msg, form);
  if (client == NULL)
    return;

  token = g_hash_table_lookup (form, "token");
  if (token == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                     "Expected token");
      return;
    }

  /* token_type_hint only orders the search (RFC 7009 §2.1); both tables are searched. */
  digest = demo_util_secret_digest (token);
  grant = g_hash_table_lookup (self->access_tokens, digest);
  refresh = g_hash_table_lookup (self->refresh_tokens, digest);
  if ((grant != NULL && !g_str_equal (grant->client_id, client->client_id))
      || (refresh != NULL && !g_str_equal (refresh->client_id, client->client_id)))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client",
                                     "The token was issued to another client");
      return;
    }
  if (grant != NULL)
    {
      g_hash_table_remove (self->access_tokens, digest);
      self->n_revocations++;
    }
  else if (refresh != NULL)
    {
      /* Revoking a refresh token ends the whole authorization (RFC 7009 §2.1). */
      revoke_family (self, refresh->family);
      self->n_revocations++;
    }

  /* Unknown tokens get 200 too: the client's goal, a dead token, is reached. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Codes and redirects (shared with the authorize half)                                      */

char *
demo_auth_server_issue_code (DemoAuthServer        *self,
                             const DemoAuthRequest *request,
                             const char            *user,
                             const char            *github_token)
{
  DemoAuthCode *code = g_new0 (DemoAuthCode, 1);

  code->request = demo_auth_request_copy (request);
  code->user = g_strdup (user);
  code->github_token = g_strdup (github_token);
  code->expires_at = g_get_monotonic_time () + (gint64) DEMO_AUTH_CODE_LIFETIME_S * G_USEC_PER_SEC;
  code->family = self->next_family++;
  return store_secret_entry (self->codes, code);
}

char *
demo_auth_server_build_success_redirect (DemoAuthServer        *self,
                                         const DemoAuthRequest *request,
                                         const char            *code)
{
  return demo_util_append_query (request->redirect_uri,
                                 "code", code,
                                 "state", request->state,
                                 "iss", self->issuer,
                                 NULL);
}

char *
demo_auth_server_build_error_redirect (DemoAuthServer        *self,
                                       const DemoAuthRequest *request,
                                       const char            *error_code,
                                       const char            *description)
{
  return demo_util_append_query (request->redirect_uri,
                                 "error", error_code,
                                 "error_description", description,
                                 "state", request->state,
                                 "iss", self->issuer,
                                 NULL);
}

