/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: a full authorization — discovery, client identity, the authorization code grant
 * with PKCE, or the client credentials grant. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"
#include "mcp-pkce.h"

/* Client identity */

McpOAuthClient *
mcp_oauth_client_from_properties (McpOAuth          *self,
                                  McpOAuthDiscovery *discovery)
{
  McpOAuthClient *client = g_new0 (McpOAuthClient, 1);

  client->client_id = g_strdup (self->client_id);
  client->client_secret = g_strdup (self->client_secret);
  client->issuer = g_strdup (mcp_oauth_discovery_get_issuer (discovery));
  if (self->private_key_pem != NULL)
    client->auth_method = g_strdup ("private_key_jwt");
  else if (self->client_secret != NULL)
    client->auth_method = g_strdup (mcp_oauth_choose_secret_auth_method (discovery));
  else
    client->auth_method = g_strdup ("none");
  return client;
}

gboolean
mcp_oauth_ensure_private_key (McpOAuth  *self,
                              GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->private_key != NULL || self->private_key_pem == NULL)
    return TRUE;
  self->private_key = mcp_jwt_new_from_pem (self->private_key_pem, &local_error);
  if (self->private_key == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                   "Expected a usable private key for private_key_jwt: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Token requests */

static void
tokens_received_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  McpOAuthTokens *tokens = mcp_oauth_token_request_finish (result, NULL, &error);

  if (tokens == NULL)
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  tokens->issuer = g_strdup (mcp_oauth_discovery_get_issuer (op->discovery));
  tokens->client_id = g_strdup (op->client->client_id);
  tokens->requested_scope = g_strdup (op->scope);

  g_set_object (&self->discovery, op->discovery);
  mcp_oauth_client_free (self->client);
  self->client = g_steal_pointer (&op->client);
  g_free (self->requested_scope);
  self->requested_scope = g_strdup (op->scope);
  mcp_oauth_accept_tokens (task, tokens);
}

static void
request_tokens (GTask      *task,
                const char *grant,
                GString    *form)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (op->client->auth_method, "private_key_jwt") == 0
      && !mcp_oauth_ensure_private_key (self, &error))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  mcp_oauth_form_append (form, "resource", mcp_oauth_discovery_get_resource (op->discovery));
  mcp_oauth_token_request_async (self->session,
                                 mcp_oauth_discovery_get_token_endpoint (op->discovery),
                                 mcp_oauth_discovery_get_issuer (op->discovery),
                                 op->client, self->private_key,
                                 mcp_oauth_dpop_key_for (self, op->discovery), grant, form->str,
                                 g_task_get_cancellable (task), tokens_received_cb, task);
  explicit_bzero (form->str, form->len);
}

void
mcp_oauth_request_tokens (GTask      *task,
                          const char *grant,
                          GString    *form)
{
  request_tokens (task, grant, form);
}

/* The authorization code grant */

static gboolean
check_iss (McpOAuth    *self,
           Op          *op,
           GHashTable  *params,
           GError     **error)
{
  const char *expected = mcp_oauth_discovery_get_issuer (op->discovery);
  const char *iss = params != NULL ? g_hash_table_lookup (params, "iss") : NULL;

  /* RFC 9207 §2.4 as the MCP specification applies it: compare a present iss always, with
   * simple string comparison; require it when the server advertises it. */
  if (iss != NULL && g_strcmp0 (iss, expected) != 0)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                   "The authorization response names issuer “%s”, expected “%s”: it did not "
                   "come from the authorization server the request went to", iss, expected);
      return FALSE;
    }
  if (iss == NULL && mcp_oauth_discovery_get_server_boolean (
        op->discovery, "authorization_response_iss_parameter_supported"))
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                   "Expected the authorization response to name issuer “%s” (the server "
                   "advertises authorization_response_iss_parameter_supported), got no iss",
                   expected);
      return FALSE;
    }
  return TRUE;
}

static char *
validate_authorization_response (McpOAuth    *self,
                                 Op          *op,
                                 const char  *uri,
                                 GError     **error)
{
  g_autoptr(GHashTable) params = NULL;
  const char *state, *error_code, *description, *code;

  if (!mcp_authorizer_uri_matches_redirect (uri, op->redirect_uri))
    {
      g_autofree char *shown = mcp_authorizer_dup_uri_without_query (uri);

      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                   "Expected the authorization to end at %s, it ended at %s",
                   op->redirect_uri, shown);
      return NULL;
    }
  params = mcp_oauth_parse_redirect_query (uri);
  if (!check_iss (self, op, params, error))
    return NULL;

  state = params != NULL ? g_hash_table_lookup (params, "state") : NULL;
  if (g_strcmp0 (state, op->state) != 0)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_STATE_MISMATCH,
                   "Expected the authorization response to carry the state that was sent, got "
                   "%s: it may not answer this request", state != NULL ? "another one" : "none");
      return NULL;
    }

  error_code = g_hash_table_lookup (params, "error");
  description = g_hash_table_lookup (params, "error_description");
  if (error_code != NULL)
    {
      if (g_str_equal (error_code, "access_denied"))
        g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ACCESS_DENIED,
                     "The authorization server denied access%s%s", description ? ": " : "",
                     description ? description : "");
      else
        g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                     "Expected an authorization code, the authorization server answered error "
                     "“%s”%s%s", error_code, description ? ": " : "",
                     description ? description : "");
      return NULL;
    }

  code = g_hash_table_lookup (params, "code");
  if (code == NULL || *code == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                   "Expected an authorization code in the redirect to %s, got none",
                   op->redirect_uri);
      return NULL;
    }
  return g_strdup (code);
}

static void
authorization_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = mcp_authorizer_authorize_finish (MCP_AUTHORIZER (source), result,
                                                          &error);
  g_autoptr(GString) form = NULL;
  char *code;

  if (uri == NULL)
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  code = validate_authorization_response (self, op, uri, &error);
  explicit_bzero (uri, strlen (uri));
  if (code == NULL)
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }

  mcp_oauth_log (self, MCP_LOG_INFO, "Authorized at %s; exchanging the code at %s",
                 mcp_oauth_discovery_get_issuer (op->discovery),
                 mcp_oauth_discovery_get_token_endpoint (op->discovery));
  form = g_string_new (NULL);
  mcp_oauth_form_append (form, "grant_type", "authorization_code");
  mcp_oauth_form_append (form, "code", code);
  mcp_oauth_form_append (form, "redirect_uri", op->redirect_uri);
  mcp_oauth_form_append (form, "code_verifier", op->verifier);
  mcp_oauth_free_secret (code);
  request_tokens (task, "authorization_code", form);
}

static void
send_to_authorizer (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *endpoint = mcp_oauth_discovery_get_authorization_endpoint (op->discovery);
  g_autofree char *challenge = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GString) url = g_string_new (endpoint);

  op->state = mcp_pkce_random_string (16);
  op->verifier = mcp_pkce_generate_verifier ();
  challenge = mcp_pkce_challenge_s256 (op->verifier);

  mcp_oauth_form_append (query, "response_type", "code");
  mcp_oauth_form_append (query, "client_id", op->client->client_id);
  mcp_oauth_form_append (query, "redirect_uri", op->redirect_uri);
  mcp_oauth_form_append (query, "code_challenge", challenge);
  mcp_oauth_form_append (query, "code_challenge_method", "S256");
  mcp_oauth_form_append (query, "state", op->state);
  mcp_oauth_form_append (query, "resource", mcp_oauth_discovery_get_resource (op->discovery));
  if (op->scope != NULL)
    mcp_oauth_form_append (query, "scope", op->scope);
  g_string_append_c (url, strchr (endpoint, '?') != NULL ? '&' : '?');
  g_string_append (url, query->str);

  mcp_oauth_log (self, MCP_LOG_INFO, "Authorizing at %s as client %s%s%s%s", endpoint,
                 op->client->client_id, op->scope != NULL ? " for scope “" : "",
                 op->scope != NULL ? op->scope : "", op->scope != NULL ? "”" : "");
  mcp_authorizer_authorize_async (self->authorizer, url->str, op->redirect_uri,
                                  g_task_get_cancellable (task), authorization_cb, task);
}

static void
registered_save_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(McpOAuth) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_token_store_save_finish (MCP_TOKEN_STORE (source), result, &error))
    mcp_oauth_log (self, MCP_LOG_WARNING, "Could not keep the client registration: %s",
                   error->message);
}

static void
registered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  McpOAuthClient *client = mcp_oauth_register_finish (result, &error);

  if (client == NULL)
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  if (client->auth_method == NULL)
    client->auth_method = g_strdup (client->client_secret != NULL
                                    ? mcp_oauth_choose_secret_auth_method (op->discovery)
                                    : "none");
  if (client->redirect_uris == NULL)
    {
      client->redirect_uris = g_new0 (char *, 2);
      client->redirect_uris[0] = g_strdup (op->redirect_uri);
    }
  mcp_oauth_log (self, MCP_LOG_INFO, "Registered as client %s at %s (token endpoint authentication "
                 "%s)", client->client_id, client->issuer, client->auth_method);

  if (self->store != NULL)
    {
      g_autofree char *json = mcp_oauth_client_to_json (client);

      mcp_token_store_save_async (self->store, MCP_TOKEN_KIND_CLIENT, self->server_url,
                                  client->issuer, json, NULL, registered_save_cb,
                                  g_object_ref (self));
      explicit_bzero (json, strlen (json));
    }
  mcp_oauth_client_free (op->client);
  op->client = client;
  send_to_authorizer (task);
}

static gboolean
prepare_redirect (GTask      *task,
                  const char *registered)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_free (op->redirect_uri);
  op->redirect_uri = mcp_authorizer_prepare (self->authorizer, registered, &error);
  if (op->redirect_uri == NULL)
    {
      g_prefix_error (&error, "Could not prepare the redirect for signing in: ");
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return FALSE;
    }
  return TRUE;
}

/* Uses @stored (a registration from earlier, may be NULL) when it fits, else registers. */
static void
use_registration (GTask          *task,
                  McpOAuthClient *stored)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *endpoint = mcp_oauth_discovery_get_registration_endpoint (op->discovery);
  const char *registered = NULL;

  if (stored != NULL && stored->secret_expires_at > 0
      && stored->secret_expires_at <= mcp_oauth_now () + MCP_OAUTH_EXPIRY_MARGIN_SECONDS)
    {
      mcp_oauth_log (self, MCP_LOG_INFO, "The registration as client %s has expired",
                     stored->client_id);
      g_clear_pointer (&stored, mcp_oauth_client_free);
    }
  if (stored != NULL && stored->redirect_uris != NULL)
    registered = stored->redirect_uris[0];
  if (!prepare_redirect (task, registered))
    {
      mcp_oauth_client_free (stored);
      return;
    }

  if (stored != NULL && mcp_oauth_client_has_redirect_uri (stored, op->redirect_uri))
    {
      mcp_oauth_log (self, MCP_LOG_DEBUG, "Using the registration as client %s at %s",
                     stored->client_id, stored->issuer);
      mcp_oauth_client_free (op->client);
      op->client = stored;
      send_to_authorizer (task);
      return;
    }
  mcp_oauth_client_free (stored);

  if (endpoint == NULL)
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY,
                         "The authorization server %s supports neither Client ID "
                         "Metadata Documents nor Dynamic Client Registration: enter "
                         "a client ID registered with it",
                         mcp_oauth_discovery_get_issuer (op->discovery)));
      return;
    }
  if (!self->allow_insecure_http && !mcp_oauth_discovery_url_is_secure (endpoint))
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_INSECURE_URL,
                         "Expected an https registration endpoint (or http on "
                         "loopback), got %s", endpoint));
      return;
    }
  mcp_oauth_log (self, MCP_LOG_INFO, "Registering at %s with redirect URI %s", endpoint,
                 op->redirect_uri);
  mcp_oauth_register_async (self->session, endpoint,
                            mcp_oauth_discovery_get_issuer (op->discovery), op->redirect_uri,
                            NULL, g_task_get_cancellable (task), registered_cb, task);
}

static void
stored_registration_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *json = mcp_token_store_lookup_finish (MCP_TOKEN_STORE (source), result,
                                                         &issuer, &error);
  McpOAuthClient *stored = NULL;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          mcp_oauth_op_fail (task, g_steal_pointer (&error));
          return;
        }
      mcp_oauth_log (self, MCP_LOG_WARNING, "Could not read stored registrations: %s",
                     error->message);
    }
  if (json != NULL)
    {
      stored = mcp_oauth_client_from_json (json);
      explicit_bzero (json, strlen (json));
      /* Never reuse a registration with another issuer. */
      if (stored != NULL
          && g_strcmp0 (stored->issuer, mcp_oauth_discovery_get_issuer (op->discovery)) != 0)
        g_clear_pointer (&stored, mcp_oauth_client_free);
    }
  use_registration (task, stored);
}

static void
resolve_client (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *issuer = mcp_oauth_discovery_get_issuer (op->discovery);

  /* 1. Credentials the person entered (pre-registration). */
  if (self->client_id != NULL)
    {
      if (self->client_issuer != NULL && g_strcmp0 (self->client_issuer, issuer) != 0)
        {
          mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                             "The client ID entered is for authorization server “%s”, "
                             "but %s now uses “%s”: enter credentials for it",
                             self->client_issuer, self->server_url, issuer));
          return;
        }
      op->client = mcp_oauth_client_from_properties (self, op->discovery);
      if (prepare_redirect (task, NULL))
        send_to_authorizer (task);
      return;
    }

  /* 2. A Client ID Metadata Document, when the server takes one. */
  if (self->client_metadata_url != NULL
      && mcp_oauth_discovery_get_server_boolean (op->discovery,
                                                 "client_id_metadata_document_supported"))
    {
      op->client = g_new0 (McpOAuthClient, 1);
      op->client->client_id = g_strdup (self->client_metadata_url);
      op->client->auth_method = g_strdup ("none");
      op->client->issuer = g_strdup (issuer);
      if (prepare_redirect (task, NULL))
        send_to_authorizer (task);
      return;
    }

  /* 3. A registration made earlier with this issuer, else a new one. */
  if (self->client != NULL && self->client->registered
      && g_strcmp0 (self->client->issuer, issuer) == 0)
    {
      use_registration (task, mcp_oauth_client_copy (self->client));
      return;
    }
  if (self->store != NULL)
    {
      mcp_token_store_lookup_async (self->store, MCP_TOKEN_KIND_CLIENT, self->server_url, issuer,
                                    g_task_get_cancellable (task), stored_registration_cb, task);
      return;
    }
  use_registration (task, NULL);
}

/* The client credentials grant */

static void
client_credentials (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GString) form = g_string_new (NULL);

  if (self->client_id == NULL || (self->client_secret == NULL && self->private_key_pem == NULL))
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY,
                         "The client credentials grant needs a client ID with a secret "
                         "or a private key, got %s",
                         self->client_id == NULL ? "no client ID" : "neither"));
      return;
    }
  if (self->client_issuer != NULL
      && g_strcmp0 (self->client_issuer, mcp_oauth_discovery_get_issuer (op->discovery)) != 0)
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                         "The client ID entered is for authorization server “%s”, "
                         "but %s uses “%s”", self->client_issuer, self->server_url,
                         mcp_oauth_discovery_get_issuer (op->discovery)));
      return;
    }
  op->client = mcp_oauth_client_from_properties (self, op->discovery);
  mcp_oauth_form_append (form, "grant_type", "client_credentials");
  if (op->scope != NULL)
    mcp_oauth_form_append (form, "scope", op->scope);
  mcp_oauth_log (self, MCP_LOG_INFO, "Requesting a token for client %s at %s (%s)",
                 op->client->client_id, mcp_oauth_discovery_get_token_endpoint (op->discovery),
                 op->client->auth_method);
  request_tokens (task, "client_credentials", form);
}

/* Full authorization */

static gboolean
check_endpoint (McpOAuth    *self,
                const char  *what,
                const char  *url,
                GError     **error)
{
  if (url == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected the authorization server metadata to name a %s, got none", what);
      return FALSE;
    }
  if (!self->allow_insecure_http && !mcp_oauth_discovery_url_is_secure (url))
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_INSECURE_URL,
                   "Expected an https %s (or http on loopback), got %s", what, url);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_pkce (Op      *op,
            GError **error)
{
  g_auto(GStrv) methods = NULL;
  g_autofree char *listed = NULL;

  /* Without any metadata (the 2025-03-26 fallback) PKCE support cannot be verified; that
   * revision requires PKCE of every server, so S256 goes ahead. */
  if (mcp_oauth_discovery_get_server_metadata (op->discovery) == NULL)
    return TRUE;
  methods = mcp_oauth_discovery_dup_server_strv (op->discovery,
                                                 "code_challenge_methods_supported");
  if (methods != NULL && g_strv_contains ((const char * const *) methods, "S256"))
    return TRUE;
  listed = methods != NULL ? g_strjoinv (", ", methods) : NULL;
  g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_PKCE_UNSUPPORTED,
               "Expected the authorization server %s to support PKCE with S256, its metadata "
               "%s%s%s: refusing to authorize without it",
               mcp_oauth_discovery_get_issuer (op->discovery),
               methods == NULL ? "has no code_challenge_methods_supported" :
               "lists code_challenge_methods_supported ",
               listed != NULL ? listed : "", methods != NULL && methods[0] == NULL ? "(none)" : "");
  return FALSE;
}

static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) as_scopes = NULL;
  g_autofree char *base = NULL;

  if (!mcp_oauth_discovery_run_finish (MCP_OAUTH_DISCOVERY (source), result, &error))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  if (self->grant == MCP_OAUTH_GRANT_AUTHORIZATION_CODE
      && !check_endpoint (self, "authorization endpoint",
                          mcp_oauth_discovery_get_authorization_endpoint (op->discovery), &error))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  if (!check_endpoint (self, "token endpoint",
                       mcp_oauth_discovery_get_token_endpoint (op->discovery), &error))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }

  /* Scope selection: the challenge's, else the resource's scopes_supported; then the union
   * with what was asked before, so a step-up keeps what was granted. */
  if (op->explicit_scope != NULL)
    base = g_strdup (op->explicit_scope);
  else if (op->challenge_scope == NULL && self->scope != NULL)
    base = g_strdup (self->scope);
  else
    {
      if (self->grant == MCP_OAUTH_GRANT_AUTHORIZATION_CODE)
        as_scopes = mcp_oauth_discovery_dup_server_strv (op->discovery, "scopes_supported");
      base = mcp_oauth_choose_scope (op->challenge_scope,
                                     mcp_oauth_discovery_get_resource_scopes (op->discovery),
                                     (const char * const *) as_scopes);
    }
  op->scope = mcp_oauth_scope_union (self->requested_scope, base);

  if (self->grant == MCP_OAUTH_GRANT_CLIENT_CREDENTIALS)
    {
      client_credentials (task);
      return;
    }
  if (self->grant == MCP_OAUTH_GRANT_JWT_BEARER)
    {
      mcp_oauth_run_jwt_bearer (task);
      return;
    }
  if (self->authorizer == NULL)
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_AUTHORIZER,
                         "Signing in to %s needs a person and a browser, but none is "
                         "available here", self->server_url));
      return;
    }
  if (!check_pkce (op, &error))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  resolve_client (task);
}

void
mcp_oauth_run_authorization (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_clear_object (&op->discovery);
  op->discovery = mcp_oauth_discovery_new (self->session, self->server_url);
  g_signal_connect_object (op->discovery, "log", G_CALLBACK (mcp_oauth_forward_log), self, 0);
  mcp_oauth_discovery_run_async (op->discovery, op->resource_metadata_url,
                                 g_task_get_cancellable (task), discovered_cb, task);
}
