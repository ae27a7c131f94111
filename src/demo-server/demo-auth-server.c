/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-pkce.h"

#include "demo-auth-server-private.h"
#include "demo-util.h"

G_DEFINE_FINAL_TYPE (DemoAuthServer, demo_auth_server, G_TYPE_OBJECT)

static const char * const supported_scopes[] = { DEMO_SCOPE_USER, DEMO_SCOPE_ADMIN, NULL };
static const char * const required_scopes[] = { DEMO_SCOPE_USER, NULL };

const char * const *
demo_auth_server_supported_scopes (void)
{
  return supported_scopes;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
demo_auth_client_free (DemoAuthClient *client)
{
  g_free (client->client_id);
  free_secret (client->client_secret);
  g_free (client->auth_method);
  g_free (client->client_name);
  g_strfreev (client->redirect_uris);
  g_strfreev (client->scopes);
  g_strfreev (client->grant_types);
  g_free (client);
}

DemoAuthRequest *
demo_auth_request_copy (const DemoAuthRequest *request)
{
  DemoAuthRequest *copy = g_new0 (DemoAuthRequest, 1);

  copy->client_id = g_strdup (request->client_id);
  copy->redirect_uri = g_strdup (request->redirect_uri);
  copy->redirect_uri_explicit = request->redirect_uri_explicit;
  copy->code_challenge = g_strdup (request->code_challenge);
  copy->scopes = g_strdupv (request->scopes);
  copy->state = g_strdup (request->state);
  copy->resource = g_strdup (request->resource);
  return copy;
}

void
demo_auth_request_free (DemoAuthRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->client_id);
  g_free (request->redirect_uri);
  g_free (request->code_challenge);
  g_strfreev (request->scopes);
  g_free (request->state);
  g_free (request->resource);
  g_free (request);
}

void
demo_auth_transaction_free (DemoAuthTransaction *transaction)
{
  demo_auth_request_free (transaction->request);
  free_secret (transaction->cookie);
  g_free (transaction);
}

static void
demo_auth_code_free (DemoAuthCode *code)
{
  demo_auth_request_free (code->request);
  g_free (code->user);
  free_secret (code->github_token);
  g_free (code);
}

static void
demo_auth_refresh_free (DemoAuthRefresh *refresh)
{
  g_free (refresh->client_id);
  g_free (refresh->user);
  g_strfreev (refresh->scopes);
  g_free (refresh->resource);
  free_secret (refresh->github_token);
  g_free (refresh);
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
transaction_expired (gpointer key, gpointer value, gpointer user_data)
{
  return ((DemoAuthTransaction *) value)->expires_at <= *(gint64 *) user_data;
}

static gboolean
code_expired (gpointer key, gpointer value, gpointer user_data)
{
  return ((DemoAuthCode *) value)->expires_at <= *(gint64 *) user_data;
}

static gboolean
grant_expired (gpointer key, gpointer value, gpointer user_data)
{
  return demo_grant_is_expired (value, *(gint64 *) user_data);
}

static gboolean
refresh_expired (gpointer key, gpointer value, gpointer user_data)
{
  return ((DemoAuthRefresh *) value)->expires_at <= *(gint64 *) user_data;
}

/* Drops what has expired, so a long-running server does not grow. */
static gboolean
sweep_cb (gpointer user_data)
{
  DemoAuthServer *self = user_data;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_foreach_remove (self->transactions, transaction_expired, &now);
  g_hash_table_foreach_remove (self->codes, code_expired, &now);
  g_hash_table_foreach_remove (self->access_tokens, grant_expired, &now);
  g_hash_table_foreach_remove (self->refresh_tokens, refresh_expired, &now);
  return G_SOURCE_CONTINUE;
}

static void
demo_auth_server_dispose (GObject *object)
{
  DemoAuthServer *self = DEMO_AUTH_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sweep_source, g_source_remove);

  G_OBJECT_CLASS (demo_auth_server_parent_class)->dispose (object);
}

static void
demo_auth_server_finalize (GObject *object)
{
  DemoAuthServer *self = DEMO_AUTH_SERVER (object);

  g_free (self->issuer);
  g_clear_object (&self->github);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->transactions);
  g_hash_table_unref (self->codes);
  g_hash_table_unref (self->access_tokens);
  g_hash_table_unref (self->refresh_tokens);

  G_OBJECT_CLASS (demo_auth_server_parent_class)->finalize (object);
}

static void
demo_auth_server_class_init (DemoAuthServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_auth_server_dispose;
  object_class->finalize = demo_auth_server_finalize;
}

static void
demo_auth_server_init (DemoAuthServer *self)
{
  self->cancellable = g_cancellable_new ();
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) demo_auth_client_free);
  self->transactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) demo_auth_transaction_free);
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) demo_auth_code_free);
  self->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) demo_grant_unref);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) demo_auth_refresh_free);
  self->next_family = 1;
  self->sweep_source = g_timeout_add_seconds (30, sweep_cb, self);
}

DemoAuthServer *
demo_auth_server_new (const char *issuer,
                      guint       token_ttl_seconds,
                      gboolean    auto_approve,
                      DemoGithub *github)
{
  DemoAuthServer *self;

  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (github == NULL || DEMO_IS_GITHUB (github), NULL);

  self = g_object_new (DEMO_TYPE_AUTH_SERVER, NULL);
  self->issuer = g_strdup (issuer);
  self->token_ttl = MAX (token_ttl_seconds, 1);
  self->auto_approve = auto_approve;
  self->github = github != NULL ? g_object_ref (github) : NULL;
  return self;
}

const char *
demo_auth_server_get_issuer (DemoAuthServer *self)
{
  g_return_val_if_fail (DEMO_IS_AUTH_SERVER (self), NULL);

  return self->issuer;
}

DemoAuthClient *
demo_auth_server_lookup_client (DemoAuthServer *self,
                                const char     *client_id)
{
  if (client_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->clients, client_id);
}

gboolean
demo_auth_server_resource_is_valid (DemoAuthServer *self,
                                    const char     *resource)
{
  static const char * const suffixes[] = { "", "/", "/mcp", "/mcp/", "/sse", "/sse/", NULL };
  gsize len = strlen (self->issuer);

  if (resource == NULL || strncmp (resource, self->issuer, len) != 0)
    return FALSE;
  return g_strv_contains (suffixes, resource + len);
}

/* ---------------------------------------------------------------------------------------- */
/* Metadata documents                                                                        */

void
demo_auth_server_set_strv_member (JsonObject         *object,
                                  const char         *name,
                                  const char * const *values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_object_set_array_member (object, name, array);
}

static char *
endpoint_url (DemoAuthServer *self,
              const char     *path)
{
  return g_strconcat (self->issuer, path, NULL);
}

static void
set_url_member (JsonObject     *object,
                const char     *name,
                DemoAuthServer *self,
                const char     *path)
{
  g_autofree char *url = endpoint_url (self, path);

  json_object_set_string_member (object, name, url);
}

gboolean
demo_auth_server_require_method (SoupServerMessage  *msg,
                                 const char * const *methods)
{
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *allow = NULL;

  if (g_strv_contains (methods, method))
    return TRUE;
  allow = g_strjoinv (", ", (char **) methods);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  demo_util_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
  return FALSE;
}

const char * const demo_auth_get_methods[] = { "GET", "HEAD", NULL };
const char * const demo_auth_post_methods[] = { "POST", NULL };

static void
handle_server_metadata (DemoAuthServer    *self,
                        SoupServerMessage *msg)
{
  static const char * const response_types[] = { "code", NULL };
  static const char * const response_modes[] = { "query", NULL };
  static const char * const grant_types[] = { "authorization_code", "refresh_token", NULL };
  static const char * const auth_methods[] = { "client_secret_post", "none", NULL };
  static const char * const challenge_methods[] = { "S256", NULL };
  g_autoptr(JsonObject) object = json_object_new ();

  if (!demo_auth_server_require_method (msg, demo_auth_get_methods))
    return;

  json_object_set_string_member (object, "issuer", self->issuer);
  set_url_member (object, "authorization_endpoint", self, "/authorize");
  set_url_member (object, "token_endpoint", self, "/token");
  set_url_member (object, "registration_endpoint", self, "/register");
  set_url_member (object, "revocation_endpoint", self, "/revoke");
  demo_auth_server_set_strv_member (object, "scopes_supported", supported_scopes);
  demo_auth_server_set_strv_member (object, "response_types_supported", response_types);
  demo_auth_server_set_strv_member (object, "response_modes_supported", response_modes);
  demo_auth_server_set_strv_member (object, "grant_types_supported", grant_types);
  demo_auth_server_set_strv_member (object, "token_endpoint_auth_methods_supported", auth_methods);
  demo_auth_server_set_strv_member (object, "revocation_endpoint_auth_methods_supported",
                                    auth_methods);
  demo_auth_server_set_strv_member (object, "code_challenge_methods_supported", challenge_methods);
  json_object_set_boolean_member (object, "authorization_response_iss_parameter_supported", TRUE);
  json_object_set_boolean_member (object, "client_id_metadata_document_supported", FALSE);
  demo_util_note_detail (msg, "as-metadata");
  demo_util_respond_json_object (msg, SOUP_STATUS_OK, object);
}

static void
handle_resource_metadata (DemoAuthServer    *self,
                          SoupServerMessage *msg,
                          const char        *endpoint_path)
{
  static const char * const bearer_methods[] = { "header", NULL };
  g_autoptr(JsonObject) object = json_object_new ();
  const char * const servers[] = { self->issuer, NULL };

  if (!demo_auth_server_require_method (msg, demo_auth_get_methods))
    return;

  set_url_member (object, "resource", self, endpoint_path);
  demo_auth_server_set_strv_member (object, "authorization_servers", servers);
  demo_auth_server_set_strv_member (object, "scopes_supported", supported_scopes);
  demo_auth_server_set_strv_member (object, "bearer_methods_supported", bearer_methods);
  json_object_set_string_member (object, "resource_name", "Tether demo server");
  demo_util_note_detail (msg, "resource-metadata");
  demo_util_respond_json_object (msg, SOUP_STATUS_OK, object);
}

/* ---------------------------------------------------------------------------------------- */
/* Bearer check for the MCP endpoints (RFC 6750, RFC 9728 §5.1)                               */

static void
append_param (GString    *out,
              const char *name,
              const char *value)
{
  if (out->len > strlen ("Bearer "))
    g_string_append (out, ", ");
  g_string_append_printf (out, "%s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
respond_challenge (DemoAuthServer    *self,
                   SoupServerMessage *msg,
                   guint              status,
                   const char        *endpoint_path,
                   const char        *scope,
                   const char        *error_code,
                   const char        *description)
{
  g_autofree char *metadata_url =
    g_strconcat (self->issuer, "/.well-known/oauth-protected-resource", endpoint_path, NULL);
  GString *challenge = g_string_new ("Bearer ");

  append_param (challenge, "resource_metadata", metadata_url);
  append_param (challenge, "scope", scope);
  if (error_code != NULL)
    {
      append_param (challenge, "error", error_code);
      append_param (challenge, "error_description", description);
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", challenge->str);
  g_string_free (challenge, TRUE);

  demo_util_respond_oauth_error (msg, status, error_code != NULL ? error_code : "unauthorized",
                                 description);
}

DemoGrant *
demo_auth_server_authenticate (DemoAuthServer    *self,
                               SoupServerMessage *msg,
                               const char        *endpoint_path)
{
  g_autofree char *digest = NULL;
  g_autofree char *audience = NULL;
  const char *authorization, *token;
  DemoGrant *grant;

  g_return_val_if_fail (DEMO_IS_AUTH_SERVER (self), NULL);

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      respond_challenge (self, msg, SOUP_STATUS_UNAUTHORIZED, endpoint_path, DEMO_SCOPE_USER,
                         NULL, "This endpoint needs an OAuth access token (Authorization: "
                               "Bearer …)");
      return NULL;
    }

  token = authorization + 7;
  while (*token == ' ')
    token++;
  digest = demo_util_secret_digest (token);
  grant = g_hash_table_lookup (self->access_tokens, digest);
  if (grant == NULL)
    {
      respond_challenge (self, msg, SOUP_STATUS_UNAUTHORIZED, endpoint_path, DEMO_SCOPE_USER,
                         "invalid_token", "The access token is unknown or was revoked");
      return NULL;
    }
  if (demo_grant_is_expired (grant, g_get_monotonic_time ()))
    {
      g_hash_table_remove (self->access_tokens, digest);
      respond_challenge (self, msg, SOUP_STATUS_UNAUTHORIZED, endpoint_path, DEMO_SCOPE_USER,
                         "invalid_token", "The access token expired");
      return NULL;
    }

  /* A token bound to a resource (RFC 8707) is good for that resource only; the origin names
   * both endpoints. */
  audience = g_strconcat (self->issuer, endpoint_path, NULL);
  if (grant->resource != NULL
      && !g_str_equal (grant->resource, self->issuer)
      && !g_str_equal (grant->resource, audience)
      && !(g_str_has_prefix (grant->resource, audience)
           && g_str_equal (grant->resource + strlen (audience), "/"))
      && !(g_str_has_prefix (grant->resource, self->issuer)
           && g_str_equal (grant->resource + strlen (self->issuer), "/")))
    {
      respond_challenge (self, msg, SOUP_STATUS_UNAUTHORIZED, endpoint_path, DEMO_SCOPE_USER,
                         "invalid_token", "The access token was issued for another resource");
      return NULL;
    }

  demo_util_note_client (msg, grant->client_id);
  if (!demo_util_strv_is_subset (required_scopes, (const char * const *) grant->scopes))
    {
      respond_challenge (self, msg, SOUP_STATUS_FORBIDDEN, endpoint_path, DEMO_SCOPE_USER,
                         "insufficient_scope", "The access token lacks the “user” scope");
      return NULL;
    }
  return demo_grant_ref (grant);
}

void
demo_auth_server_respond_insufficient_scope (DemoAuthServer    *self,
                                             SoupServerMessage *msg,
                                             const char        *endpoint_path,
                                             const char        *scope)
{
  g_autofree char *description = NULL;

  g_return_if_fail (DEMO_IS_AUTH_SERVER (self));

  description = g_strdup_printf ("This request needs the scopes “%s”", scope);
  respond_challenge (self, msg, SOUP_STATUS_FORBIDDEN, endpoint_path, scope,
                     "insufficient_scope", description);
}

JsonObject *
demo_auth_server_dup_stats (DemoAuthServer *self)
{
  JsonObject *stats = json_object_new ();

  g_return_val_if_fail (DEMO_IS_AUTH_SERVER (self), NULL);

  json_object_set_int_member (stats, "registered_clients", g_hash_table_size (self->clients));
  json_object_set_int_member (stats, "live_access_tokens",
                              g_hash_table_size (self->access_tokens));
  json_object_set_int_member (stats, "live_refresh_tokens",
                              g_hash_table_size (self->refresh_tokens));
  json_object_set_int_member (stats, "pending_sign_ins", g_hash_table_size (self->transactions));
  json_object_set_int_member (stats, "tokens_issued", self->n_tokens_issued);
  json_object_set_int_member (stats, "refreshes", self->n_refreshes);
  json_object_set_int_member (stats, "revocations", self->n_revocations);
  json_object_set_int_member (stats, "replays_detected", self->n_replays_detected);
  json_object_set_string_member (stats, "identity_provider",
                                 self->github != NULL ? "github" : "offline");
  return stats;
}

gboolean
demo_auth_server_handle_request (DemoAuthServer    *self,
                                 SoupServerMessage *msg,
                                 const char        *path)
{
  static const char prm_prefix[] = "/.well-known/oauth-protected-resource";

  g_return_val_if_fail (DEMO_IS_AUTH_SERVER (self), FALSE);

  if (g_str_equal (path, "/.well-known/oauth-authorization-server"))
    handle_server_metadata (self, msg);
  else if (g_str_equal (path, prm_prefix))
    handle_resource_metadata (self, msg, "");
  else if (g_str_has_prefix (path, prm_prefix)
           && (g_str_equal (path + strlen (prm_prefix), "/mcp")
               || g_str_equal (path + strlen (prm_prefix), "/sse")))
    handle_resource_metadata (self, msg, path + strlen (prm_prefix));
  else if (g_str_equal (path, "/register"))
    demo_auth_server_handle_register (self, msg);
  else if (g_str_equal (path, "/authorize"))
    demo_auth_server_handle_authorize (self, msg);
  else if (g_str_equal (path, "/authorize/decision"))
    demo_auth_server_handle_decision (self, msg);
  else if (g_str_equal (path, "/token"))
    demo_auth_server_handle_token (self, msg);
  else if (g_str_equal (path, "/revoke"))
    demo_auth_server_handle_revoke (self, msg);
  else if (g_str_equal (path, "/github/callback"))
    demo_auth_server_handle_github_callback (self, msg);
  else
    return FALSE;
  return TRUE;
}

