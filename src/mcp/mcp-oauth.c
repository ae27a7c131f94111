/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"
#include "mcp-pkce.h"
#include "mcp-transport.h"
#include "mcp-www-authenticate.h"

G_DEFINE_FINAL_TYPE (McpOAuth, mcp_oauth, G_TYPE_OBJECT)

G_DEFINE_QUARK (mcp-oauth-error-quark, mcp_oauth_error)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_SESSION,
  PROP_AUTHORIZER,
  PROP_TOKEN_STORE,
  PROP_GRANT,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_CLIENT_ISSUER,
  PROP_CLIENT_METADATA_URL,
  PROP_PRIVATE_KEY,
  PROP_SCOPE,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_DPOP,
  PROP_AUTHORIZED,
  N_PROPS
};

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
mcp_oauth_grant_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MCP_OAUTH_GRANT_AUTHORIZATION_CODE, "MCP_OAUTH_GRANT_AUTHORIZATION_CODE",
          "authorization-code" },
        { MCP_OAUTH_GRANT_CLIENT_CREDENTIALS, "MCP_OAUTH_GRANT_CLIENT_CREDENTIALS",
          "client-credentials" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type_id, g_enum_register_static ("McpOAuthGrant", values));
    }
  return type_id;
}

void
mcp_oauth_free_secret (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->resource_metadata_url);
  g_free (op->challenge_scope);
  g_free (op->explicit_scope);
  mcp_oauth_free_secret (op->rejected_token);
  g_clear_object (&op->discovery);
  mcp_oauth_client_free (op->client);
  g_free (op->scope);
  g_free (op->redirect_uri);
  mcp_oauth_free_secret (op->state);
  mcp_oauth_free_secret (op->verifier);
  g_free (op);
}

gint64
mcp_oauth_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
mcp_oauth_log (McpOAuth    *self,
               McpLogLevel  level,
               const char  *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s", text);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

void
mcp_oauth_forward_log (GObject     *source,
             McpLogLevel  level,
             const char  *text,
             McpOAuth    *self)
{
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

static gboolean
tokens_usable (McpOAuth *self)
{
  return self->tokens != NULL
         && !mcp_oauth_tokens_expired (self->tokens, mcp_oauth_now (),
                                       MCP_OAUTH_EXPIRY_MARGIN_SECONDS);
}

static void
set_tokens (McpOAuth       *self,
            McpOAuthTokens *tokens)
{
  gboolean was = mcp_oauth_get_authorized (self);

  g_clear_pointer (&self->tokens, mcp_oauth_tokens_free);
  self->tokens = tokens;
  if (was != mcp_oauth_get_authorized (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZED]);
}

/* Completing operations (and those that waited for them) */

void
mcp_oauth_op_return (GTask  *task,
                     char   *token,
                     GError *error)
{
  McpOAuth *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->busy = FALSE;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *other = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (other, g_error_copy (error));
      else
        g_task_return_pointer (other, g_strdup (token), mcp_oauth_free_secret);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, mcp_oauth_free_secret);
  g_object_unref (task);
}

void
mcp_oauth_op_fail (GTask  *task,
                   GError *error)
{
  mcp_oauth_op_return (task, NULL, error);
}

void
mcp_oauth_op_succeed (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);

  mcp_oauth_op_return (task,
                       self->tokens != NULL ? g_strdup (self->tokens->access_token) : NULL,
                       NULL);
}

/* Saving */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mcp_token_store_save_finish (MCP_TOKEN_STORE (source), result, &error))
    mcp_oauth_log (self, MCP_LOG_WARNING, "Could not keep the sign-in for %s: %s",
                   self->server_url, error->message);
  mcp_oauth_op_succeed (g_steal_pointer (&task));
}

/* Takes @tokens as the current ones, stores them, then completes @task with the access token. */
void
mcp_oauth_accept_tokens (GTask          *task,
                         McpOAuthTokens *tokens)
{
  McpOAuth *self = g_task_get_source_object (task);
  g_autofree char *json = NULL;

  set_tokens (self, tokens);
  mcp_oauth_log (self, MCP_LOG_INFO, "Obtained a %s access token for %s%s%s%s",
                 tokens->token_type, self->server_url,
                 tokens->scope != NULL ? " with scope “" : "",
                 tokens->scope != NULL ? tokens->scope : "",
                 tokens->scope != NULL ? "”" : "");
  /* DPoP-bound tokens are worth nothing without the key, which lives in memory only. */
  if (self->store == NULL || tokens->issuer == NULL
      || g_strcmp0 (mcp_oauth_get_token_type (self), "DPoP") == 0)
    {
      mcp_oauth_op_succeed (task);
      return;
    }
  json = mcp_oauth_tokens_to_json (tokens);
  mcp_token_store_save_async (self->store, MCP_TOKEN_KIND_TOKEN, self->server_url,
                              tokens->issuer, json, NULL, save_done_cb, task);
  explicit_bzero (json, strlen (json));
}

void
mcp_oauth_forget_tokens (McpOAuth *self)
{
  set_tokens (self, NULL);
  if (self->store != NULL)
    mcp_token_store_delete_async (self->store, MCP_TOKEN_KIND_TOKEN, self->server_url, NULL,
                                  NULL, NULL, NULL);
}

/* Dispatch */

static void
dispatch (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  switch (op->mode)
    {
    case MODE_GET_TOKEN:
      if (tokens_usable (self))
        mcp_oauth_op_succeed (task);
      else if (self->tokens != NULL && self->tokens->refresh_token != NULL)
        mcp_oauth_run_refresh (task);
      else
        mcp_oauth_op_return (task, NULL, NULL);
      break;

    case MODE_CHALLENGE:
      if (op->status == SOUP_STATUS_UNAUTHORIZED && tokens_usable (self)
          && g_strcmp0 (self->tokens->access_token, op->rejected_token) != 0)
        mcp_oauth_op_succeed (task);
      else if (op->status == SOUP_STATUS_UNAUTHORIZED && self->tokens != NULL
               && self->tokens->refresh_token != NULL && !op->refresh_tried)
        mcp_oauth_run_refresh (task);
      else
        mcp_oauth_run_authorization (task);
      break;

    case MODE_AUTHORIZE:
      mcp_oauth_run_authorization (task);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
stored_tokens_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = mcp_token_store_lookup_finish (MCP_TOKEN_STORE (source), result, NULL,
                                                         &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  self->store_loaded = TRUE;
  if (error != NULL)
    mcp_oauth_log (self, MCP_LOG_WARNING, "Could not read the stored sign-in for %s: %s",
                   self->server_url, error->message);
  if (json != NULL && self->tokens == NULL)
    {
      McpOAuthTokens *tokens = mcp_oauth_tokens_from_json (json);

      if (tokens != NULL && tokens->token_type != NULL
          && g_ascii_strcasecmp (tokens->token_type, "DPoP") == 0)
        g_clear_pointer (&tokens, mcp_oauth_tokens_free);
      if (tokens != NULL)
        {
          mcp_oauth_log (self, MCP_LOG_DEBUG, "Using the stored sign-in for %s (issuer %s)",
                         self->server_url, tokens->issuer);
          g_free (self->requested_scope);
          self->requested_scope = g_strdup (tokens->requested_scope);
          set_tokens (self, tokens);
        }
    }
  if (json != NULL)
    explicit_bzero (json, strlen (json));
  dispatch (task);
}

static void
start (McpOAuth *self,
       GTask    *task)
{
  if (self->busy)
    {
      g_ptr_array_add (self->waiting, task);
      return;
    }
  self->busy = TRUE;
  if (!self->store_loaded && self->store != NULL && self->tokens == NULL)
    {
      mcp_token_store_lookup_async (self->store, MCP_TOKEN_KIND_TOKEN, self->server_url, NULL,
                                    g_task_get_cancellable (task), stored_tokens_cb, task);
      return;
    }
  dispatch (task);
}

static GTask *
new_task (McpOAuth            *self,
          Mode                 mode,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->mode = mode;
  g_task_set_task_data (task, op, op_free);
  return task;
}

/* Public API */

void
mcp_oauth_get_access_token_async (McpOAuth            *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  start (self, new_task (self, MODE_GET_TOKEN, cancellable, callback, user_data,
                         mcp_oauth_get_access_token_async));
}

char *
mcp_oauth_get_access_token_finish (McpOAuth      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A parameter of the Bearer challenge, else of the DPoP one (RFC 9449 §7.1). */
static const char *
challenge_param (McpWwwAuthenticate *challenge,
                 const char         *name)
{
  const char *value = mcp_www_authenticate_get_bearer_param (challenge, name);
  int index;

  if (value != NULL)
    return value;
  index = mcp_www_authenticate_find_scheme (challenge, "DPoP");
  return index >= 0 ? mcp_www_authenticate_get_param (challenge, index, name) : NULL;
}

void
mcp_oauth_handle_challenge_async (McpOAuth            *self,
                                  guint                status,
                                  const char * const  *www_authenticate,
                                  const char          *rejected_token,
                                  guint                attempt,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(McpWwwAuthenticate) challenge = NULL;
  g_autoptr(GError) parse_error = NULL;
  GTask *task;
  Op *op;
  const char *error_code = NULL;

  g_return_if_fail (MCP_IS_OAUTH (self));

  task = new_task (self, MODE_CHALLENGE, cancellable, callback, user_data,
                   mcp_oauth_handle_challenge_async);
  op = g_task_get_task_data (task);
  op->status = status;
  op->rejected_token = g_strdup (rejected_token);
  /* A token refreshed for this very request and rejected again calls for a new sign-in. */
  op->refresh_tried = attempt > 0;

  if (www_authenticate != NULL && www_authenticate[0] != NULL)
    {
      challenge = mcp_www_authenticate_parse (www_authenticate, &parse_error);
      if (challenge == NULL)
        mcp_oauth_log (self, MCP_LOG_WARNING, "Ignoring the server's WWW-Authenticate: %s",
                       parse_error->message);
    }
  if (challenge != NULL)
    {
      op->resource_metadata_url = g_strdup (challenge_param (challenge, "resource_metadata"));
      op->challenge_scope = g_strdup (challenge_param (challenge, "scope"));
      error_code = challenge_param (challenge, "error");
    }

  if (status != SOUP_STATUS_UNAUTHORIZED && status != SOUP_STATUS_FORBIDDEN)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                               "Expected an HTTP 401 or 403 challenge, got HTTP %u", status);
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_FORBIDDEN && g_strcmp0 (error_code, "insufficient_scope") != 0)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FORBIDDEN,
                               "The server %s refused the request (HTTP 403%s%s): more "
                               "authorization would not help", self->server_url,
                               error_code != NULL ? ", error " : "",
                               error_code != NULL ? error_code : "");
      g_object_unref (task);
      return;
    }
  if (attempt >= MCP_OAUTH_MAX_ATTEMPTS)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_STEP_UP_LIMIT,
                               "The server %s still answers HTTP %u%s%s after %u "
                               "authorizations for this request: giving up",
                               self->server_url, status,
                               op->challenge_scope != NULL ? " asking for scope " : "",
                               op->challenge_scope != NULL ? op->challenge_scope : "",
                               attempt);
      g_object_unref (task);
      return;
    }
  /* RFC 9449 §9: the server wants its nonce in the proof; the token itself is fine. */
  if (status == SOUP_STATUS_UNAUTHORIZED && g_strcmp0 (error_code, "use_dpop_nonce") == 0
      && tokens_usable (self) && g_strcmp0 (mcp_oauth_get_token_type (self), "DPoP") == 0)
    {
      g_task_return_pointer (task, g_strdup (self->tokens->access_token), mcp_oauth_free_secret);
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_FORBIDDEN)
    mcp_oauth_log (self, MCP_LOG_INFO, "The server needs more scope (%s): authorizing again",
                   op->challenge_scope != NULL ? op->challenge_scope : "unnamed");
  start (self, task);
}

char *
mcp_oauth_handle_challenge_finish (McpOAuth      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mcp_oauth_authorize_async (McpOAuth            *self,
                           const char          *scope,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (MCP_IS_OAUTH (self));

  task = new_task (self, MODE_AUTHORIZE, cancellable, callback, user_data,
                   mcp_oauth_authorize_async);
  op = g_task_get_task_data (task);
  op->explicit_scope = g_strdup (scope);
  start (self, task);
}

char *
mcp_oauth_authorize_finish (McpOAuth      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sign_out_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  mcp_token_store_delete_finish (MCP_TOKEN_STORE (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mcp_oauth_sign_out_async (McpOAuth            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MCP_IS_OAUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_oauth_sign_out_async);
  set_tokens (self, NULL);
  g_clear_pointer (&self->requested_scope, g_free);
  self->store_loaded = TRUE;
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  mcp_token_store_delete_async (self->store, MCP_TOKEN_KIND_TOKEN, self->server_url, NULL,
                                cancellable, sign_out_cb, g_steal_pointer (&task));
}

gboolean
mcp_oauth_sign_out_finish (McpOAuth      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Scopes */

static char *
join_scopes (const char * const *scopes)
{
  if (scopes == NULL || scopes[0] == NULL)
    return NULL;
  return g_strjoinv (" ", (char **) scopes);
}


static void
add_scopes (GPtrArray  *scopes,
            const char *list)
{
  g_auto(GStrv) parts = NULL;

  if (list == NULL)
    return;
  parts = g_strsplit_set (list, " \t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      if (*parts[i] == '\0')
        continue;
      for (guint j = 0; j < scopes->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (scopes, j), parts[i]);
      if (!seen)
        g_ptr_array_add (scopes, g_strdup (parts[i]));
    }
}

char *
mcp_oauth_scope_union (const char *a,
                       const char *b)
{
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);

  add_scopes (scopes, a);
  add_scopes (scopes, b);
  if (scopes->len == 0)
    return NULL;
  g_ptr_array_add (scopes, NULL);
  return g_strjoinv (" ", (char **) scopes->pdata);
}

char *
mcp_oauth_choose_scope (const char         *challenge_scope,
                        const char * const *scopes_supported,
                        const char * const *as_scopes_supported)
{
  g_autofree char *base = NULL;

  if (challenge_scope != NULL && *challenge_scope != '\0')
    base = g_strdup (challenge_scope);
  else
    base = join_scopes (scopes_supported);
  /* Refresh tokens: ask for offline_access only where the authorization server offers it. */
  if (as_scopes_supported != NULL && g_strv_contains (as_scopes_supported, "offline_access"))
    return mcp_oauth_scope_union (base, "offline_access");
  return mcp_oauth_scope_union (base, NULL);
}

/* GObject */

static void
mcp_oauth_dispose (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  g_clear_object (&self->authorizer);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (mcp_oauth_parent_class)->dispose (object);
}

static void
mcp_oauth_finalize (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  g_clear_object (&self->session);
  g_free (self->server_url);
  g_free (self->client_id);
  mcp_oauth_free_secret (self->client_secret);
  g_free (self->client_issuer);
  g_free (self->client_metadata_url);
  mcp_oauth_free_secret (self->private_key_pem);
  g_clear_object (&self->private_key);
  g_free (self->scope);
  g_clear_object (&self->discovery);
  mcp_oauth_tokens_free (self->tokens);
  mcp_oauth_client_free (self->client);
  g_free (self->requested_scope);
  g_clear_object (&self->dpop_key);
  g_free (self->dpop_nonce);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (mcp_oauth_parent_class)->finalize (object);
}

static void
mcp_oauth_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  McpOAuth *self = MCP_OAUTH (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_AUTHORIZER:
      g_value_set_object (value, self->authorizer);
      break;
    case PROP_TOKEN_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GRANT:
      g_value_set_enum (value, self->grant);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CLIENT_ISSUER:
      g_value_set_string (value, self->client_issuer);
      break;
    case PROP_CLIENT_METADATA_URL:
      g_value_set_string (value, self->client_metadata_url);
      break;
    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;
    case PROP_DPOP:
      g_value_set_boolean (value, self->dpop);
      break;
    case PROP_AUTHORIZED:
      g_value_set_boolean (value, mcp_oauth_get_authorized (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
replace_string (char       **field,
                const char  *value,
                gboolean     secret)
{
  if (secret)
    mcp_oauth_free_secret (*field);
  else
    g_free (*field);
  *field = g_strdup (value);
}

static void
mcp_oauth_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  McpOAuth *self = MCP_OAUTH (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_AUTHORIZER:
      mcp_oauth_set_authorizer (self, g_value_get_object (value));
      break;
    case PROP_TOKEN_STORE:
      mcp_oauth_set_token_store (self, g_value_get_object (value));
      break;
    case PROP_GRANT:
      mcp_oauth_set_grant (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT_ID:
      replace_string (&self->client_id, g_value_get_string (value), FALSE);
      break;
    case PROP_CLIENT_SECRET:
      replace_string (&self->client_secret, g_value_get_string (value), TRUE);
      break;
    case PROP_CLIENT_ISSUER:
      replace_string (&self->client_issuer, g_value_get_string (value), FALSE);
      break;
    case PROP_CLIENT_METADATA_URL:
      mcp_oauth_set_client_metadata_url (self, g_value_get_string (value));
      break;
    case PROP_PRIVATE_KEY:
      mcp_oauth_set_private_key (self, g_value_get_string (value));
      break;
    case PROP_SCOPE:
      mcp_oauth_set_scope (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      mcp_oauth_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;
    case PROP_DPOP:
      mcp_oauth_set_dpop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_oauth_constructed (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  G_OBJECT_CLASS (mcp_oauth_parent_class)->constructed (object);
  if (self->session == NULL)
    self->session = soup_session_new ();
}

void
mcp_oauth_class_init (McpOAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mcp_oauth_constructed;
  object_class->dispose = mcp_oauth_dispose;
  object_class->finalize = mcp_oauth_finalize;
  object_class->get_property = mcp_oauth_get_property;
  object_class->set_property = mcp_oauth_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHORIZER] =
    g_param_spec_object ("authorizer", NULL, NULL, MCP_TYPE_AUTHORIZER, rw);
  properties[PROP_TOKEN_STORE] =
    g_param_spec_object ("token-store", NULL, NULL, MCP_TYPE_TOKEN_STORE, rw);
  properties[PROP_GRANT] =
    g_param_spec_enum ("grant", NULL, NULL, MCP_TYPE_OAUTH_GRANT,
                       MCP_OAUTH_GRANT_AUTHORIZATION_CODE, rw);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ISSUER] = g_param_spec_string ("client-issuer", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_METADATA_URL] =
    g_param_spec_string ("client-metadata-url", NULL, NULL, NULL, rw);
  properties[PROP_PRIVATE_KEY] =
    g_param_spec_string ("private-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCOPE] = g_param_spec_string ("scope", NULL, NULL, NULL, rw);
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL, FALSE, rw);
  properties[PROP_DPOP] = g_param_spec_boolean ("dpop", NULL, NULL, FALSE, rw);
  properties[PROP_AUTHORIZED] =
    g_param_spec_boolean ("authorized", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

void
mcp_oauth_init (McpOAuth *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

McpOAuth *
mcp_oauth_new (const char  *server_url,
               SoupSession *session)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_OAUTH, "server-url", server_url, "session", session, NULL);
}

const char *
mcp_oauth_get_server_url (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->server_url;
}

void
mcp_oauth_set_authorizer (McpOAuth      *self,
                          McpAuthorizer *authorizer)
{
  g_return_if_fail (MCP_IS_OAUTH (self));
  g_return_if_fail (authorizer == NULL || MCP_IS_AUTHORIZER (authorizer));

  if (g_set_object (&self->authorizer, authorizer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZER]);
}

McpAuthorizer *
mcp_oauth_get_authorizer (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->authorizer;
}

void
mcp_oauth_set_token_store (McpOAuth      *self,
                           McpTokenStore *store)
{
  g_return_if_fail (MCP_IS_OAUTH (self));
  g_return_if_fail (store == NULL || MCP_IS_TOKEN_STORE (store));

  if (g_set_object (&self->store, store))
    {
      self->store_loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_STORE]);
    }
}

void
mcp_oauth_set_grant (McpOAuth      *self,
                     McpOAuthGrant  grant)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (self->grant != grant)
    {
      self->grant = grant;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANT]);
    }
}

void
mcp_oauth_set_client_credentials (McpOAuth   *self,
                                  const char *client_id,
                                  const char *client_secret,
                                  const char *issuer)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "client-id", client_id, "client-secret", client_secret,
                "client-issuer", issuer, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mcp_oauth_set_client_metadata_url (McpOAuth   *self,
                                   const char *url)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (g_strcmp0 (self->client_metadata_url, url) != 0)
    {
      replace_string (&self->client_metadata_url, url, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_METADATA_URL]);
    }
}

void
mcp_oauth_set_private_key (McpOAuth   *self,
                           const char *pem)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  replace_string (&self->private_key_pem, pem, TRUE);
  g_clear_object (&self->private_key);
}

void
mcp_oauth_set_scope (McpOAuth   *self,
                     const char *scope)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (g_strcmp0 (self->scope, scope) != 0)
    {
      replace_string (&self->scope, scope, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
    }
}

void
mcp_oauth_set_allow_insecure_http (McpOAuth *self,
                                   gboolean  allow)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  allow = !!allow;
  if (self->allow_insecure_http != allow)
    {
      self->allow_insecure_http = allow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
    }
}

gboolean
mcp_oauth_get_authorized (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), FALSE);
  return tokens_usable (self);
}

McpOAuthDiscovery *
mcp_oauth_get_discovery (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->discovery;
}

const char *
mcp_oauth_get_requested_scope (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->requested_scope;
}

const char *
mcp_oauth_get_granted_scope (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  if (self->tokens == NULL)
    return NULL;
  return self->tokens->scope != NULL ? self->tokens->scope : self->tokens->requested_scope;
}

void
mcp_oauth_set_dpop (McpOAuth *self,
                    gboolean  dpop)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  dpop = !!dpop;
  if (self->dpop != dpop)
    {
      self->dpop = dpop;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DPOP]);
    }
}

McpJwt *
mcp_oauth_dpop_key_for (McpOAuth          *self,
                        McpOAuthDiscovery *discovery)
{
  g_autoptr(GError) error = NULL;

  if (!self->dpop || discovery == NULL
      || !mcp_oauth_discovery_server_lists (discovery, "dpop_signing_alg_values_supported",
                                            "ES256"))
    return NULL;
  if (self->dpop_key == NULL)
    {
      self->dpop_key = mcp_jwt_new_generate (&error);
      if (self->dpop_key == NULL)
        mcp_oauth_log (self, MCP_LOG_WARNING, "Could not make a DPoP key, asking for bearer "
                       "tokens: %s", error->message);
    }
  return self->dpop_key;
}

const char *
mcp_oauth_get_token_type (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);

  if (self->tokens == NULL)
    return NULL;
  if (self->tokens->token_type != NULL && g_ascii_strcasecmp (self->tokens->token_type,
                                                              "DPoP") == 0)
    return "DPoP";
  return "Bearer";
}

char *
mcp_oauth_create_dpop_proof (McpOAuth    *self,
                             const char  *method,
                             const char  *url,
                             GError     **error)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  if (g_strcmp0 (mcp_oauth_get_token_type (self), "DPoP") != 0 || self->dpop_key == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                   "Expected a DPoP-bound access token for a DPoP proof, got %s",
                   self->tokens != NULL ? "a bearer token" : "no token");
      return NULL;
    }
  return mcp_jwt_create_dpop_proof (self->dpop_key, method, url, self->tokens->access_token,
                                    self->dpop_nonce, error);
}

void
mcp_oauth_set_dpop_nonce (McpOAuth   *self,
                          const char *nonce)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (nonce != NULL && g_strcmp0 (self->dpop_nonce, nonce) != 0)
    {
      g_free (self->dpop_nonce);
      self->dpop_nonce = g_strdup (nonce);
    }
}
