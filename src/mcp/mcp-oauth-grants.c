/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: the JWT bearer grant (RFC 7523 §2.1), with an assertion given (workload identity
 * federation, SEP-1933) or with an ID-JAG that a token exchange (RFC 8693) at the enterprise
 * identity provider issues for this authorization server (Enterprise-Managed Authorization,
 * SEP-990). Neither the assertion nor the ID token ever reaches the log or an error. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"

#define JWT_BEARER_GRANT_TYPE "urn:ietf:params:oauth:grant-type:jwt-bearer"

static void
present_assertion (GTask      *task,
                   const char *assertion,
                   const char *what)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GString) form = g_string_new (NULL);

  mcp_oauth_form_append (form, "grant_type", JWT_BEARER_GRANT_TYPE);
  mcp_oauth_form_append (form, "assertion", assertion);
  if (op->scope != NULL)
    mcp_oauth_form_append (form, "scope", op->scope);
  mcp_oauth_log (self, MCP_LOG_INFO, "Requesting a token with the JWT bearer grant (%s) at %s "
                 "as %s%s (%s)", what, mcp_oauth_discovery_get_token_endpoint (op->discovery),
                 op->client->client_id != NULL ? "client " : "no client",
                 op->client->client_id != NULL ? op->client->client_id : "",
                 op->client->auth_method);
  /* A refused grant is reported as it is, never retried with another grant (SEP-1933). */
  mcp_oauth_request_tokens (task, "jwt-bearer", form);
}

static void
exchanged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *id_jag = mcp_token_exchange_request_finish (MCP_TOKEN_EXCHANGE (source), result, &error);

  if (id_jag == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "Could not obtain an identity assertion grant: ");
      mcp_oauth_op_fail (task, g_steal_pointer (&error));
      return;
    }
  present_assertion (task, id_jag, "an ID-JAG from the token exchange");
  mcp_oauth_free_secret (id_jag);
}

void
mcp_oauth_run_jwt_bearer (GTask *task)
{
  McpOAuth *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *issuer = mcp_oauth_discovery_get_issuer (op->discovery);

  if (self->client_issuer != NULL && g_strcmp0 (self->client_issuer, issuer) != 0)
    {
      mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                         "The client ID entered is for authorization server “%s”, "
                         "but %s uses “%s”", self->client_issuer, self->server_url, issuer));
      return;
    }
  if (self->client_id != NULL)
    op->client = mcp_oauth_client_from_properties (self, op->discovery);
  else
    {
      op->client = g_new0 (McpOAuthClient, 1);
      op->client->auth_method = g_strdup ("none");
      op->client->issuer = g_strdup (issuer);
    }

  if (self->assertion != NULL && *self->assertion != '\0')
    {
      present_assertion (task, self->assertion, "the assertion given");
      return;
    }
  if (self->token_exchange != NULL && mcp_token_exchange_has_subject_token (self->token_exchange))
    {
      /* The ID-JAG is for this authorization server (audience: its issuer) and this MCP
       * server (resource); the IdP signs it for the client that presents it. */
      mcp_oauth_log (self, MCP_LOG_INFO, "Exchanging the ID token at %s for an identity "
                     "assertion grant (ID-JAG) for %s",
                     mcp_token_exchange_get_token_endpoint (self->token_exchange), issuer);
      mcp_token_exchange_request_async (self->token_exchange, issuer,
                                        mcp_oauth_discovery_get_resource (op->discovery),
                                        op->scope, g_task_get_cancellable (task), exchanged_cb,
                                        task);
      return;
    }
  mcp_oauth_op_fail (task, g_error_new (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY,
                     "The JWT bearer grant needs an assertion, or an ID token and the "
                     "identity provider to exchange it at, got neither"));
}

/* Properties */

void
mcp_oauth_set_assertion (McpOAuth   *self,
                         const char *assertion)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  mcp_oauth_free_secret (self->assertion);
  self->assertion = g_strdup (assertion);
}

void
mcp_oauth_set_token_exchange (McpOAuth         *self,
                              McpTokenExchange *exchange)
{
  g_return_if_fail (MCP_IS_OAUTH (self));
  g_return_if_fail (exchange == NULL || MCP_IS_TOKEN_EXCHANGE (exchange));

  if (g_set_object (&self->token_exchange, exchange))
    g_object_notify (G_OBJECT (self), "token-exchange");
}

McpTokenExchange *
mcp_oauth_get_token_exchange (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->token_exchange;
}
