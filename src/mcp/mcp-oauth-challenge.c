/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: what to do about a 401 or 403 from the MCP server and its WWW-Authenticate
 * challenge — use the token at hand, refresh, authorize, step up, or give up. */
#include "config.h"

#include "mcp-oauth-private.h"
#include "mcp-www-authenticate.h"

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

  task = mcp_oauth_op_new (self, MODE_CHALLENGE, cancellable, callback, user_data,
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
      /* RFC 9449 §7.1: the server takes DPoP-bound tokens. */
      if (mcp_www_authenticate_find_scheme (challenge, "DPoP") >= 0)
        self->resource_offers_dpop = TRUE;
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
      && mcp_oauth_has_usable_tokens (self)
      && g_strcmp0 (mcp_oauth_get_token_type (self), "DPoP") == 0)
    {
      g_task_return_pointer (task, g_strdup (self->tokens->access_token), mcp_oauth_free_secret);
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_FORBIDDEN)
    mcp_oauth_log (self, MCP_LOG_INFO, "The server needs more scope (%s): authorizing again",
                   op->challenge_scope != NULL ? op->challenge_scope : "unnamed");
  mcp_oauth_op_start (self, task);
}

char *
mcp_oauth_handle_challenge_finish (McpOAuth      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
