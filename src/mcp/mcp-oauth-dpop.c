/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: DPoP-bound tokens (RFC 9449). When to ask for them, and what goes with them.
 *
 * A sign-in asks for DPoP-bound tokens when the authorization server takes ES256 proofs
 * (dpop_signing_alg_values_supported) and either the "dpop" property is set or the MCP
 * server's challenge named the DPoP scheme, which says it accepts "Authorization: DPoP"
 * (§7.1). Each sign-in gets a new McpDpop key; the tokens issued with it hold it
 * (McpOAuthTokens.dpop) and are stored with it, so a refresh, or a later run that takes the
 * tokens from the keyring, proves possession with the same key. A stored DPoP token without
 * its key is dropped, which leads to a new sign-in. A bound token never goes out as Bearer. */
#include "config.h"

#include "mcp-oauth-private.h"

McpDpop *
mcp_oauth_dpop_key_for (McpOAuth          *self,
                        McpOAuthDiscovery *discovery)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McpDpop) dpop = NULL;

  if (discovery == NULL || (!self->dpop && !self->resource_offers_dpop)
      || !mcp_oauth_discovery_server_lists (discovery, "dpop_signing_alg_values_supported",
                                            "ES256"))
    return NULL;

  dpop = mcp_dpop_new (&error);
  if (dpop == NULL)
    {
      mcp_oauth_log (self, MCP_LOG_WARNING, "Could not make a DPoP key, asking for bearer "
                     "tokens: %s", error->message);
      return NULL;
    }
  /* The servers' nonces do not depend on the key: spare them a round trip. */
  if (self->tokens != NULL && self->tokens->dpop != NULL)
    mcp_dpop_copy_nonces (dpop, self->tokens->dpop);
  if (self->dpop_candidate != NULL)
    mcp_dpop_copy_nonces (dpop, self->dpop_candidate);
  mcp_oauth_log (self, MCP_LOG_DEBUG, "Asking %s for DPoP-bound tokens",
                 mcp_oauth_discovery_get_issuer (discovery));
  g_set_object (&self->dpop_candidate, dpop);
  return self->dpop_candidate;
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

McpDpop *
mcp_oauth_get_dpop (McpOAuth   *self,
                    const char *access_token)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);

  if (self->tokens == NULL || access_token == NULL
      || g_strcmp0 (self->tokens->access_token, access_token) != 0)
    return NULL;
  return self->tokens->dpop;
}

char *
mcp_oauth_create_dpop_proof (McpOAuth    *self,
                             const char  *method,
                             const char  *url,
                             GError     **error)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  if (self->tokens == NULL || self->tokens->dpop == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                   "Expected a DPoP-bound access token for a DPoP proof, got %s",
                   self->tokens != NULL ? "a bearer token" : "no token");
      return NULL;
    }
  return mcp_dpop_create_proof (self->tokens->dpop, method, url, self->tokens->access_token,
                                error);
}

void
mcp_oauth_set_dpop_nonce (McpOAuth   *self,
                          const char *nonce)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (self->tokens != NULL && self->tokens->dpop != NULL)
    mcp_dpop_set_nonce (self->tokens->dpop, MCP_DPOP_SERVER_RESOURCE, self->server_url, nonce);
}
