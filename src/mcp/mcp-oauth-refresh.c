/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: refreshing the access token (RFC 6749 §6) with the client it was issued to. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"

/* Refresh */

static void
refresh_failed (GTask  *task,
                GError *error)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mcp_oauth_op_fail (task, error);
      return;
    }
  mcp_oauth_log (self, MCP_LOG_INFO, "Could not refresh the access token: %s", error->message);
  g_error_free (error);
  op->refresh_tried = TRUE;
  mcp_oauth_forget_tokens (self);
  if (op->mode == MODE_GET_TOKEN)
    mcp_oauth_op_return (task, NULL, NULL);
  else
    mcp_oauth_run_authorization (task);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  McpOAuthTokens *tokens = mcp_oauth_token_request_finish (result, NULL, &error);

  if (tokens == NULL)
    {
      refresh_failed (task, error);
      return;
    }
  /* The server may keep the refresh token and the scope as they were (RFC 6749 §6). */
  if (tokens->refresh_token == NULL && self->tokens != NULL)
    tokens->refresh_token = g_strdup (self->tokens->refresh_token);
  if (tokens->scope == NULL && self->tokens != NULL)
    tokens->scope = g_strdup (self->tokens->scope);
  tokens->issuer = g_strdup (mcp_oauth_discovery_get_issuer (op->discovery));
  tokens->client_id = g_strdup (op->client->client_id);
  tokens->requested_scope = g_strdup (self->requested_scope);
  g_set_object (&self->discovery, op->discovery);
  if (self->client == NULL)
    self->client = g_steal_pointer (&op->client);
  mcp_oauth_accept_tokens (task, tokens);
}

static void
refresh_send (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GString) form = g_string_new (NULL);
  GError *error = NULL;

  if (g_strcmp0 (op->client->auth_method, "private_key_jwt") == 0
      && !mcp_oauth_ensure_private_key (self, &error))
    {
      refresh_failed (task, error);
      return;
    }
  mcp_oauth_log (self, MCP_LOG_INFO, "Refreshing the access token at %s",
                 mcp_oauth_discovery_get_token_endpoint (op->discovery));
  mcp_oauth_form_append (form, "grant_type", "refresh_token");
  mcp_oauth_form_append (form, "refresh_token", self->tokens->refresh_token);
  mcp_oauth_form_append (form, "resource", mcp_oauth_discovery_get_resource (op->discovery));
  mcp_oauth_token_request_async (self->session,
                                 mcp_oauth_discovery_get_token_endpoint (op->discovery),
                                 mcp_oauth_discovery_get_issuer (op->discovery), op->client,
                                 self->private_key, self->tokens->dpop, "refresh_token", form->str,
                                 g_task_get_cancellable (task), refreshed_cb, task);
  explicit_bzero (form->str, form->len);
}

static void
refresh_registration_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  McpOAuth *self = g_task_get_source_object (task);
  g_autofree char *json = mcp_token_store_lookup_finish (MCP_TOKEN_STORE (source), result, NULL,
                                                         NULL);
  McpOAuthClient *stored = json != NULL ? mcp_oauth_client_from_json (json) : NULL;

  if (json != NULL)
    explicit_bzero (json, strlen (json));
  if (stored != NULL && g_strcmp0 (stored->client_id, self->tokens->client_id) == 0)
    op->client = stored;
  else
    {
      mcp_oauth_client_free (stored);
      op->client = g_new0 (McpOAuthClient, 1);
      op->client->client_id = g_strdup (self->tokens->client_id);
      op->client->auth_method = g_strdup ("none");
      op->client->issuer = g_strdup (self->tokens->issuer);
    }
  refresh_send (task);
}

/* Finds the client the tokens were obtained with, then refreshes. */
static void
refresh_with_discovery (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *issuer = mcp_oauth_discovery_get_issuer (op->discovery);

  if (self->tokens->issuer != NULL && g_strcmp0 (self->tokens->issuer, issuer) != 0)
    {
      refresh_failed (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                                         "The tokens are from authorization server “%s”, but "
                                         "%s now uses “%s”", self->tokens->issuer,
                                         self->server_url, issuer));
      return;
    }
  if (self->client != NULL && g_strcmp0 (self->client->issuer, issuer) == 0)
    {
      op->client = mcp_oauth_client_copy (self->client);
      refresh_send (task);
    }
  else if (self->client_id != NULL && g_strcmp0 (self->client_id, self->tokens->client_id) == 0)
    {
      op->client = mcp_oauth_client_from_properties (self, op->discovery);
      refresh_send (task);
    }
  else if (self->store != NULL && self->tokens->client_id != NULL)
    mcp_token_store_lookup_async (self->store, MCP_TOKEN_KIND_CLIENT, self->server_url, issuer,
                                  g_task_get_cancellable (task), refresh_registration_cb, task);
  else if (self->tokens->client_id != NULL)
    {
      op->client = g_new0 (McpOAuthClient, 1);
      op->client->client_id = g_strdup (self->tokens->client_id);
      op->client->auth_method = g_strdup ("none");
      op->client->issuer = g_strdup (issuer);
      refresh_send (task);
    }
  else
    refresh_failed (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                                       "Expected to know the client the tokens were issued "
                                       "to, got no client ID"));
}

static void
refresh_discovered_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!mcp_oauth_discovery_run_finish (MCP_OAUTH_DISCOVERY (source), result, &error))
    {
      refresh_failed (task, error);
      return;
    }
  refresh_with_discovery (task);
}

void
mcp_oauth_run_refresh (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  op->refresh_tried = TRUE;
  /* After a rejection discover again: the server may have moved to another authorization
   * server, whose tokens these are not. */
  if (self->discovery != NULL && op->mode == MODE_GET_TOKEN)
    {
      g_set_object (&op->discovery, self->discovery);
      refresh_with_discovery (task);
      return;
    }
  op->discovery = mcp_oauth_discovery_new (self->session, self->server_url);
  g_signal_connect_object (op->discovery, "log", G_CALLBACK (mcp_oauth_forward_log), self, 0);
  mcp_oauth_discovery_run_async (op->discovery, op->resource_metadata_url,
                                 g_task_get_cancellable (task), refresh_discovered_cb, task);
}
