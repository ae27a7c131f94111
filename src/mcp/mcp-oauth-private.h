/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-jwt.h"
#include "mcp-oauth.h"

G_BEGIN_DECLS

/* Shared by the files of McpOAuth: mcp-oauth.c (the object, its operations and their
 * results), mcp-oauth-authorize.c (full authorization), mcp-oauth-refresh.c, mcp-oauth-requests.c
 * (talking to the authorization server) and mcp-oauth-records.c (parsing and storing what it
 * says). */

/* Refresh a little before the server's expiry, so a request does not race it. */
#define MCP_OAUTH_EXPIRY_MARGIN_SECONDS 30

/* Tokens as the token endpoint gave them, and what they were obtained with. */
typedef struct
{
  char   *access_token;
  char   *token_type;       /* "Bearer" or "DPoP" as sent */
  char   *refresh_token;
  gint64  expires_at;       /* Unix seconds; 0: the server did not say */
  char   *scope;            /* granted, when the server said */
  /* Context, stored with the tokens: */
  char   *issuer;
  char   *client_id;
  char   *requested_scope;
} McpOAuthTokens;

/* Who the client is at one authorization server. */
typedef struct
{
  char    *client_id;
  char    *client_secret;
  char    *auth_method;       /* none, client_secret_post, client_secret_basic, private_key_jwt */
  char    *issuer;
  char   **redirect_uris;
  gint64   secret_expires_at; /* 0: never */
  gboolean registered;        /* obtained by dynamic registration (and stored) */
} McpOAuthClient;

void            mcp_oauth_tokens_free            (McpOAuthTokens  *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McpOAuthTokens, mcp_oauth_tokens_free)
void            mcp_oauth_client_free            (McpOAuthClient  *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (McpOAuthClient, mcp_oauth_client_free)

/* Does the access token expire within @margin seconds of @now? Unknown expiry: no. */
gboolean        mcp_oauth_tokens_expired         (const McpOAuthTokens *tokens,
                                                  gint64           now,
                                                  gint64           margin);

/* A token endpoint answer (RFC 6749 §5.1/5.2): JSON, or form-encoded as some servers send it.
 * @grant names the grant for messages. Error answers become TOKEN_REQUEST_FAILED with the
 * server's error and error_description; a missing access_token or an unknown token_type too. */
McpOAuthTokens *mcp_oauth_tokens_parse_response  (guint            status,
                                                  const char      *content_type,
                                                  GBytes          *body,
                                                  gint64           now,
                                                  const char      *endpoint,
                                                  const char      *grant,
                                                  GError         **error);
/* The stored form (JSON) and back; NULL when @json is not a token record. */
char           *mcp_oauth_tokens_to_json         (const McpOAuthTokens *tokens);
McpOAuthTokens *mcp_oauth_tokens_from_json       (const char      *json);

/* A registration answer (RFC 7591 §3.2.1); REGISTRATION_FAILED otherwise. */
McpOAuthClient *mcp_oauth_client_parse_registration (guint         status,
                                                     GBytes       *body,
                                                     const char   *endpoint,
                                                     const char   *issuer,
                                                     GError      **error);
char           *mcp_oauth_client_to_json         (const McpOAuthClient *client);
McpOAuthClient *mcp_oauth_client_from_json       (const char      *json);
gboolean        mcp_oauth_client_has_redirect_uri (const McpOAuthClient *client,
                                                   const char      *redirect_uri);

/* The token endpoint authentication method to use with a secret, by the AS metadata
 * (token_endpoint_auth_methods_supported; RFC 8414 default client_secret_basic). */
const char     *mcp_oauth_choose_secret_auth_method (McpOAuthDiscovery *discovery);

/* Appends name=value to an application/x-www-form-urlencoded body. */
void            mcp_oauth_form_append            (GString         *form,
                                                  const char      *name,
                                                  const char      *value);
/* The parameters of a redirect URI's query (name -> value), NULL when it has none. */
GHashTable     *mcp_oauth_parse_redirect_query   (const char      *uri);

/* POSTs a token request to @endpoint: @form holds the grant's parameters; client
 * authentication is added for @client (private_key_jwt signs with @assertion_key, audience
 * @issuer). With @dpop_key a DPoP proof goes along, retried once with the server's nonce when
 * it asks (use_dpop_nonce). Completes with McpOAuthTokens. */
void            mcp_oauth_token_request_async    (SoupSession     *session,
                                                  const char      *endpoint,
                                                  const char      *issuer,
                                                  const McpOAuthClient *client,
                                                  McpJwt          *assertion_key,
                                                  McpJwt          *dpop_key,
                                                  const char      *grant,
                                                  const char      *form,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
McpOAuthTokens *mcp_oauth_token_request_finish   (GAsyncResult    *result,
                                                  char           **dpop_nonce,
                                                  GError         **error);

/* Dynamic Client Registration (RFC 7591) as a native public client with @redirect_uri. */
void            mcp_oauth_register_async         (SoupSession     *session,
                                                  const char      *endpoint,
                                                  const char      *issuer,
                                                  const char      *redirect_uri,
                                                  const char      *scope,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
McpOAuthClient *mcp_oauth_register_finish        (GAsyncResult    *result,
                                                  GError         **error);

/* McpOAuth itself */

struct _McpOAuth
{
  GObject             parent_instance;

  SoupSession        *session;
  char               *server_url;
  McpAuthorizer      *authorizer;
  McpTokenStore      *store;
  McpOAuthGrant       grant;
  char               *client_id;
  char               *client_secret;
  char               *client_issuer;
  char               *client_metadata_url;
  char               *private_key_pem;
  McpJwt             *private_key;
  char               *scope;
  gboolean            allow_insecure_http;
  gboolean            dpop;
  McpJwt             *dpop_key;         /* made on first use; tokens bound to it die with it */
  char               *dpop_nonce;       /* the resource server's latest DPoP-Nonce */

  McpOAuthDiscovery  *discovery;        /* of the last successful discovery */
  McpOAuthTokens     *tokens;
  McpOAuthClient     *client;           /* the identity the tokens were obtained with */
  char               *requested_scope;
  gboolean            store_loaded;
  gboolean            busy;             /* an operation runs; others wait for its result */
  GPtrArray          *waiting;          /* GTasks */
};


typedef enum {
  MODE_GET_TOKEN,   /* no interaction: the token at hand, stored or refreshed */
  MODE_CHALLENGE,   /* a 401 or 403 came: refresh, authorize or step up */
  MODE_AUTHORIZE,   /* a full authorization */
} Mode;

typedef struct
{
  Mode                mode;
  guint               status;
  char               *resource_metadata_url;
  char               *challenge_scope;
  char               *explicit_scope;
  char               *rejected_token;
  gboolean            refresh_tried;

  McpOAuthDiscovery  *discovery;
  McpOAuthClient     *client;
  char               *scope;
  char               *redirect_uri;
  char               *state;
  char               *verifier;
} Op;


McpOAuthClient *mcp_oauth_client_copy            (const McpOAuthClient *client);
McpOAuthClient *mcp_oauth_client_from_properties (McpOAuth        *self,
                                                  McpOAuthDiscovery *discovery);
gboolean        mcp_oauth_ensure_private_key     (McpOAuth        *self,
                                                  GError         **error);

void            mcp_oauth_free_secret            (gpointer         secret);
gint64          mcp_oauth_now                    (void);
void            mcp_oauth_log                    (McpOAuth        *self,
                                                  McpLogLevel      level,
                                                  const char      *format,
                                                  ...) G_GNUC_PRINTF (3, 4);
void            mcp_oauth_forward_log            (GObject         *source,
                                                  McpLogLevel      level,
                                                  const char      *text,
                                                  McpOAuth        *self);

/* Completing an operation's GTask (and those that waited for it); they take the task. */
void            mcp_oauth_op_return              (GTask           *task,
                                                  char            *token,
                                                  GError          *error);
void            mcp_oauth_op_fail                (GTask           *task,
                                                  GError          *error);
void            mcp_oauth_op_succeed             (GTask           *task);
/* Makes @tokens the current ones, stores them, then succeeds @task. */
void            mcp_oauth_accept_tokens          (GTask           *task,
                                                  McpOAuthTokens  *tokens);
void            mcp_oauth_forget_tokens          (McpOAuth        *self);

/* The DPoP key to prove possession with at @discovery's authorization server, or NULL when
 * DPoP is off or the server does not take ES256 proofs. */
McpJwt         *mcp_oauth_dpop_key_for           (McpOAuth        *self,
                                                  McpOAuthDiscovery *discovery);

void            mcp_oauth_run_authorization      (GTask           *task);
void            mcp_oauth_run_refresh            (GTask           *task);

G_END_DECLS
