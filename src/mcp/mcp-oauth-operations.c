/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: its operations — getting a token, authorizing, signing out — queued one at a time,
 * run by mode, and completed together with those that waited. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"

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

  mcp_oauth_set_tokens (self, tokens);
  mcp_oauth_log (self, MCP_LOG_INFO, "Obtained a %s access token for %s%s%s%s",
                 tokens->token_type, self->server_url,
                 tokens->scope != NULL ? " with scope “" : "",
                 tokens->scope != NULL ? tokens->scope : "",
                 tokens->scope != NULL ? "”" : "");
  /* A DPoP-bound token is stored with its key (mcp_oauth_tokens_to_json()). */
  if (self->store == NULL || tokens->issuer == NULL)
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
  mcp_oauth_set_tokens (self, NULL);
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
      if (mcp_oauth_has_usable_tokens (self))
        mcp_oauth_op_succeed (task);
      else if (self->tokens != NULL && self->tokens->refresh_token != NULL)
        mcp_oauth_run_refresh (task);
      else
        mcp_oauth_op_return (task, NULL, NULL);
      break;

    case MODE_CHALLENGE:
      if (op->status == SOUP_STATUS_UNAUTHORIZED && mcp_oauth_has_usable_tokens (self)
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

      /* A DPoP-bound token whose key was not kept (or not read) is no use: sign in again. */
      if (tokens != NULL && tokens->token_type != NULL
          && g_ascii_strcasecmp (tokens->token_type, "DPoP") == 0 && tokens->dpop == NULL)
        g_clear_pointer (&tokens, mcp_oauth_tokens_free);
      if (tokens != NULL)
        {
          mcp_oauth_log (self, MCP_LOG_DEBUG, "Using the stored sign-in for %s (issuer %s)",
                         self->server_url, tokens->issuer);
          g_free (self->requested_scope);
          self->requested_scope = g_strdup (tokens->requested_scope);
          mcp_oauth_set_tokens (self, tokens);
        }
    }
  if (json != NULL)
    explicit_bzero (json, strlen (json));
  dispatch (task);
}

void
mcp_oauth_op_start (McpOAuth *self,
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

GTask *
mcp_oauth_op_new (McpOAuth            *self,
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

  mcp_oauth_op_start (self, mcp_oauth_op_new (self, MODE_GET_TOKEN, cancellable, callback,
                                               user_data, mcp_oauth_get_access_token_async));
}

char *
mcp_oauth_get_access_token_finish (McpOAuth      *self,
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

  task = mcp_oauth_op_new (self, MODE_AUTHORIZE, cancellable, callback, user_data,
                           mcp_oauth_authorize_async);
  op = g_task_get_task_data (task);
  op->explicit_scope = g_strdup (scope);
  mcp_oauth_op_start (self, task);
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
  mcp_oauth_set_tokens (self, NULL);
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
