/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MCP_TOKEN_EXCHANGE_GRANT_TYPE "urn:ietf:params:oauth:grant-type:token-exchange"
#define MCP_TOKEN_TYPE_ID_TOKEN       "urn:ietf:params:oauth:token-type:id_token"
#define MCP_TOKEN_TYPE_ID_JAG         "urn:ietf:params:oauth:token-type:id-jag"

#define MCP_TYPE_TOKEN_EXCHANGE (mcp_token_exchange_get_type ())
G_DECLARE_FINAL_TYPE (McpTokenExchange, mcp_token_exchange, MCP, TOKEN_EXCHANGE, GObject)

/*
 * OAuth 2.0 Token Exchange (RFC 8693) at an identity provider's token endpoint. Its use here is
 * Enterprise-Managed Authorization (SEP-990, the Identity Assertion JWT Authorization Grant):
 * the person's ID token from the enterprise IdP is exchanged for an ID-JAG addressed to one
 * MCP server's authorization server, which McpOAuth then presents there with the JWT bearer
 * grant (RFC 7523). Errors are MCP_OAUTH_ERROR; no message holds a token or secret.
 *
 * Properties:
 *   "token-endpoint"       (string, construct-only) the IdP's token endpoint: https, or http
 *                          on loopback only (an ID token goes there);
 *   "session"              (SoupSession, construct-only) NULL: one of its own;
 *   "client-id"            (string) the client at the IdP (sent as client_id);
 *   "client-secret"        (string, write-only) its secret, sent with HTTP Basic (RFC 6749
 *                          §2.3.1); NULL: a public client;
 *   "subject-token"        (string, write-only) the token to exchange (an ID token);
 *   "subject-token-type"   (string) default MCP_TOKEN_TYPE_ID_TOKEN;
 *   "requested-token-type" (string) default MCP_TOKEN_TYPE_ID_JAG; the answer's
 *                          issued_token_type must be this.
 */

McpTokenExchange *mcp_token_exchange_new                 (const char          *token_endpoint,
                                                          SoupSession         *session);

const char       *mcp_token_exchange_get_token_endpoint  (McpTokenExchange    *self);
void              mcp_token_exchange_set_client_credentials (McpTokenExchange *self,
                                                          const char          *client_id,
                                                          const char          *client_secret);
void              mcp_token_exchange_set_subject_token   (McpTokenExchange    *self,
                                                          const char          *token,
                                                          const char          *token_type);
void              mcp_token_exchange_set_requested_token_type (McpTokenExchange *self,
                                                          const char          *token_type);
gboolean          mcp_token_exchange_has_subject_token   (McpTokenExchange    *self);

/* Exchanges the subject token for one meant for @audience (an authorization server's issuer)
 * and @resource (RFC 8707; may be NULL), with @scope (may be NULL). Gives the issued token. */
void              mcp_token_exchange_request_async       (McpTokenExchange    *self,
                                                          const char          *audience,
                                                          const char          *resource,
                                                          const char          *scope,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
char             *mcp_token_exchange_request_finish      (McpTokenExchange    *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
