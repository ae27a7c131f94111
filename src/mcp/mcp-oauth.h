/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-authorizer.h"
#include "mcp-dpop.h"
#include "mcp-oauth-discovery.h"
#include "mcp-token-exchange.h"
#include "mcp-token-store.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

#define MCP_OAUTH_ERROR (mcp_oauth_error_quark ())

/* Every message names what was expected and what came; none contains a token, secret, code or
 * verifier. */
typedef enum {
  MCP_OAUTH_ERROR_FAILED,                /* anything else, the message says what */
  MCP_OAUTH_ERROR_DISCOVERY_FAILED,      /* no usable resource or authorization server metadata */
  MCP_OAUTH_ERROR_RESOURCE_MISMATCH,     /* protected resource metadata is for another resource */
  MCP_OAUTH_ERROR_ISSUER_MISMATCH,       /* metadata issuer, "iss" or credentials for another AS */
  MCP_OAUTH_ERROR_INSECURE_URL,          /* an endpoint over plain http, off loopback */
  MCP_OAUTH_ERROR_PKCE_UNSUPPORTED,      /* the AS does not advertise S256 */
  MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY,    /* no client id given, no CIMD, no registration endpoint */
  MCP_OAUTH_ERROR_REGISTRATION_FAILED,   /* dynamic client registration refused or malformed */
  MCP_OAUTH_ERROR_STATE_MISMATCH,        /* the redirect's state is not the one sent */
  MCP_OAUTH_ERROR_ACCESS_DENIED,         /* the person or the AS said no (error=access_denied) */
  MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,  /* any other error in the authorization response */
  MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,  /* the token endpoint refused or answered nonsense */
  MCP_OAUTH_ERROR_FORBIDDEN,             /* a 403 that re-authorizing cannot fix */
  MCP_OAUTH_ERROR_STEP_UP_LIMIT,         /* the server kept asking after the allowed attempts */
  MCP_OAUTH_ERROR_NO_AUTHORIZER,         /* an interactive step is needed but none is set */
} McpOAuthError;

GQuark mcp_oauth_error_quark (void);

/* How the client obtains tokens. */
typedef enum {
  MCP_OAUTH_GRANT_AUTHORIZATION_CODE,  /* a person signs in (PKCE, refresh tokens) */
  MCP_OAUTH_GRANT_CLIENT_CREDENTIALS,  /* machine to machine: client secret or private_key_jwt */
  MCP_OAUTH_GRANT_JWT_BEARER,          /* RFC 7523: a JWT assertion (workload identity), or an
                                        * ID-JAG from a token exchange (enterprise-managed) */
} McpOAuthGrant;

#define MCP_TYPE_OAUTH_GRANT (mcp_oauth_grant_get_type ())
GType mcp_oauth_grant_get_type (void) G_GNUC_CONST;

/* How many authorizations one request may trigger before it fails with STEP_UP_LIMIT. */
#define MCP_OAUTH_MAX_ATTEMPTS 3

#define MCP_TYPE_OAUTH (mcp_oauth_get_type ())
G_DECLARE_FINAL_TYPE (McpOAuth, mcp_oauth, MCP, OAUTH, GObject)

/*
 * The OAuth client of one MCP server (MCP authorization, 2025-11-25 and 2026-07-28):
 * discovery (RFC 9728, RFC 8414 / OpenID), client identity (given, Client ID Metadata
 * Document, RFC 7591 registration stored per issuer), authorization code + PKCE S256 with
 * state, resource (RFC 8707) and iss (RFC 9207) checks, refresh, step-up on insufficient_scope,
 * the client credentials grant (secret or private_key_jwt) and the JWT bearer grant (RFC 7523,
 * with a given assertion or an ID-JAG from an RFC 8693 token exchange).
 *
 * Properties:
 *   "server-url"          (string, construct-only) the MCP endpoint;
 *   "session"             (SoupSession, construct-only) NULL: one of its own;
 *   "authorizer"          (McpAuthorizer) drives the person's user agent;
 *   "token-store"         (McpTokenStore) where tokens and registrations persist; NULL: memory;
 *   "grant"               (McpOAuthGrant) default AUTHORIZATION_CODE;
 *   "client-id"           (string) a client id the person entered (pre-registration);
 *   "client-secret"       (string, write-only) its secret, if any; never logged;
 *   "client-issuer"       (string) the issuer those credentials belong to; NULL: any;
 *   "client-metadata-url" (string) a Client ID Metadata Document URL, used when the AS
 *                         advertises client_id_metadata_document_supported;
 *   "private-key"         (string, write-only) PEM EC P-256 key for private_key_jwt;
 *   "scope"               (string) scopes to ask for when no challenge names any; NULL: the
 *                         protected resource's scopes_supported;
 *   "allow-insecure-http" (boolean) accept http:// authorization endpoints off loopback;
 *   "dpop"                (boolean) ask for DPoP-bound tokens (RFC 9449) wherever the AS
 *                         takes ES256 proofs. Off (the default), they are asked for where the
 *                         AS takes them and the MCP server's challenge names the DPoP scheme
 *                         (it accepts "Authorization: DPoP"). A new key for each sign-in; it
 *                         is stored with the tokens (a refresh keeps it). The transport sends
 *                         a DPoP token with a fresh proof per request: mcp_oauth_get_dpop();
 *   "assertion"           (string, write-only) the JWT the JWT bearer grant presents; never
 *                         logged;
 *   "token-exchange"      (McpTokenExchange) for the JWT bearer grant without "assertion":
 *                         exchanges an ID token for an ID-JAG for the authorization server
 *                         (audience its issuer, resource the MCP server) before each grant;
 *   "authorized"          (boolean, read-only) an access token is at hand.
 *
 * Signals:
 *   ::log (McpLogLevel level, const char *text)  each discovery and flow step; never secrets.
 *
 * Use with a transport (the whole integration):
 *   1. Before the first request: mcp_oauth_get_access_token_async(); when it gives a token, set
 *      it as the transport's bearer token (it may come from the keyring and be refreshed).
 *   2. When a request fails with MCP_TRANSPORT_ERROR_UNAUTHORIZED (401) or _FORBIDDEN (403):
 *      call mcp_oauth_handle_challenge_async() with the status, the transport's
 *      mcp_http_transport_get_last_www_authenticate(), the token that request carried and how
 *      many times this request was already retried (0 the first time). On success set the
 *      returned token as the bearer token and send the request again; on error give up and
 *      report the error (it says what went wrong).
 */

McpOAuth      *mcp_oauth_new                      (const char           *server_url,
                                                   SoupSession          *session);

const char    *mcp_oauth_get_server_url           (McpOAuth             *self);
void           mcp_oauth_set_authorizer           (McpOAuth             *self,
                                                   McpAuthorizer        *authorizer);
McpAuthorizer *mcp_oauth_get_authorizer           (McpOAuth             *self);
void           mcp_oauth_set_token_store          (McpOAuth             *self,
                                                   McpTokenStore        *store);
void           mcp_oauth_set_grant                (McpOAuth             *self,
                                                   McpOAuthGrant         grant);
void           mcp_oauth_set_client_credentials   (McpOAuth             *self,
                                                   const char           *client_id,
                                                   const char           *client_secret,
                                                   const char           *issuer);
void           mcp_oauth_set_client_metadata_url  (McpOAuth             *self,
                                                   const char           *url);
void           mcp_oauth_set_private_key          (McpOAuth             *self,
                                                   const char           *pem);
void           mcp_oauth_set_scope                (McpOAuth             *self,
                                                   const char           *scope);
void           mcp_oauth_set_allow_insecure_http  (McpOAuth             *self,
                                                   gboolean              allow);
void           mcp_oauth_set_dpop                 (McpOAuth             *self,
                                                   gboolean              dpop);
void           mcp_oauth_set_assertion            (McpOAuth             *self,
                                                   const char           *assertion);
void           mcp_oauth_set_token_exchange       (McpOAuth             *self,
                                                   McpTokenExchange     *exchange);
McpTokenExchange *mcp_oauth_get_token_exchange    (McpOAuth             *self);
gboolean       mcp_oauth_get_authorized           (McpOAuth             *self);

/* The Authorization scheme for the current token: "Bearer" or "DPoP" (NULL without one). */
const char    *mcp_oauth_get_token_type           (McpOAuth             *self);
/* A DPoP proof (RFC 9449 §7) for one request to the MCP server, bound to the current access
 * token and carrying the server's latest nonce; an error when the token is not DPoP-bound. */
char          *mcp_oauth_create_dpop_proof        (McpOAuth             *self,
                                                   const char           *method,
                                                   const char           *url,
                                                   GError              **error);
/* The DPoP key @access_token is bound to, when it is the current token and DPoP-bound; NULL
 * for a bearer token. Give it to the transport with the token (mcp_http_transport_set_dpop()):
 * it makes the proofs and keeps the MCP server's nonces. */
McpDpop       *mcp_oauth_get_dpop                 (McpOAuth             *self,
                                                   const char           *access_token);
/* The MCP server's DPoP-Nonce answer header (RFC 9449 §9), for the next proofs. */
void           mcp_oauth_set_dpop_nonce           (McpOAuth             *self,
                                                   const char           *nonce);

/* The discovery of the last authorization (NULL before any). */
McpOAuthDiscovery *mcp_oauth_get_discovery        (McpOAuth             *self);
/* The scopes asked for in the last authorization, space-separated (NULL before any). */
const char    *mcp_oauth_get_requested_scope      (McpOAuth             *self);
/* The scopes of the current token as granted (the request's when the AS did not say). */
const char    *mcp_oauth_get_granted_scope        (McpOAuth             *self);

/* A usable access token without any interaction: the one at hand, else the stored one;
 * refreshed when it has expired. NULL without an error when there is none. */
void           mcp_oauth_get_access_token_async   (McpOAuth             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char          *mcp_oauth_get_access_token_finish  (McpOAuth             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A request failed with @status 401 or 403 and these WWW-Authenticate values (may be NULL).
 * 401: a token other than @rejected_token at hand is returned as is; else refresh (on the first
 * attempt only), else a full authorization; a DPoP use_dpop_nonce challenge returns the same
 * token (the key took the answer's DPoP-Nonce when the request went out with
 * mcp_dpop_apply(); else pass it to mcp_oauth_set_dpop_nonce() first). A challenge naming the
 * DPoP scheme makes later sign-ins ask for DPoP-bound tokens. 403 with
 * error="insufficient_scope": authorize again with the union of the
 * scopes asked for so far and the challenged ones. Fails with STEP_UP_LIMIT when @attempt (the
 * retries of this request so far) reached MCP_OAUTH_MAX_ATTEMPTS, with FORBIDDEN for any other
 * 403. Concurrent calls share one authorization. Returns the access token to send. */
void           mcp_oauth_handle_challenge_async   (McpOAuth             *self,
                                                   guint                 status,
                                                   const char * const   *www_authenticate,
                                                   const char           *rejected_token,
                                                   guint                 attempt,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char          *mcp_oauth_handle_challenge_finish  (McpOAuth             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A full authorization now (a "Sign in" button): discovery, client identity, the grant.
 * @scope NULL: the "scope" property, else the resource's scopes_supported. */
void           mcp_oauth_authorize_async          (McpOAuth             *self,
                                                   const char           *scope,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char          *mcp_oauth_authorize_finish         (McpOAuth             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Forgets the tokens, in memory and in the store (registrations stay). */
void           mcp_oauth_sign_out_async           (McpOAuth             *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean       mcp_oauth_sign_out_finish          (McpOAuth             *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* The scope to ask for first (MCP "Scope Selection Strategy"): the challenge's, else
 * @scopes_supported (of the protected resource) joined, else NULL (omit the parameter).
 * offline_access is added when @as_scopes_supported (of the AS) lists it. */
char          *mcp_oauth_choose_scope             (const char           *challenge_scope,
                                                   const char * const   *scopes_supported,
                                                   const char * const   *as_scopes_supported);
/* The union of two space-separated scope lists, in first-seen order (NULL when empty). */
char          *mcp_oauth_scope_union              (const char           *a,
                                                   const char           *b);

G_END_DECLS
