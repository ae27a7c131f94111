/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-dpop.h"
#include "mcp-jwt.h"
#include "mcp-oauth.h"

G_BEGIN_DECLS

/* Shared by the files of McpOAuth: mcp-oauth.c (the object and its properties),
 * mcp-oauth-operations.c (its operations and their results), mcp-oauth-challenge.c (a 401 or
 * 403 from the MCP server), mcp-oauth-scopes.c, mcp-oauth-authorize.c (full authorization),
 * mcp-oauth-refresh.c, mcp-oauth-requests.c (talking to the authorization server) and
 * mcp-oauth-records.c (parsing and storing what it says). */

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
  McpDpop *dpop;            /* the key a DPoP token is bound to; stored with the tokens */
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
 * @issuer). With @dpop a DPoP proof goes along, retried once with the server's nonce when
 * it asks (use_dpop_nonce); DPoP tokens come back bound to @dpop (tokens->dpop), and one
 * without a proof sent is an error. Completes with McpOAuthTokens; @dpop_nonce gets the
 * authorization server's latest nonce. */
void            mcp_oauth_token_request_async    (SoupSession     *session,
                                                  const char      *endpoint,
                                                  const char      *issuer,
                                                  const McpOAuthClient *client,
                                                  McpJwt          *assertion_key,
                                                  McpDpop         *dpop,
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
  gboolean            resource_offers_dpop; /* a challenge of the MCP server named DPoP */
  McpDpop            *dpop_candidate;   /* the key of the last token request for new tokens */
  char               *assertion;        /* the JWT bearer grant's, when given */
  McpTokenExchange   *token_exchange;   /* else where its ID-JAG comes from */

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
/* Are there tokens that do not expire within MCP_OAUTH_EXPIRY_MARGIN_SECONDS? */
G_GNUC_INTERNAL
gboolean        mcp_oauth_has_usable_tokens      (McpOAuth        *self);
/* Makes @tokens (taken; NULL for none) the current ones and notifies "authorized". */
G_GNUC_INTERNAL
void            mcp_oauth_set_tokens             (McpOAuth        *self,
                                                  McpOAuthTokens  *tokens);

/* An operation's GTask, with a new Op of @mode as its task data (mcp-oauth-operations.c). */
G_GNUC_INTERNAL
GTask          *mcp_oauth_op_new                 (McpOAuth        *self,
                                                  Mode             mode,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data,
                                                  gpointer         source_tag);
/* Runs @task (taken), or queues it behind the operation that runs; the stored tokens are
 * read first when they have not been yet. */
G_GNUC_INTERNAL
void            mcp_oauth_op_start               (McpOAuth        *self,
                                                  GTask           *task);

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

/* mcp-oauth-dpop.c: a new DPoP key (owned by @self) for a token request that obtains new
 * tokens at @discovery's authorization server, or NULL to ask for bearer tokens: when the
 * server takes no ES256 proofs, or neither the "dpop" property nor a challenge of the MCP
 * server asks for DPoP. A refresh uses the key of the tokens it refreshes instead. */
McpDpop        *mcp_oauth_dpop_key_for           (McpOAuth        *self,
                                                  McpOAuthDiscovery *discovery);

void            mcp_oauth_run_authorization      (GTask           *task);
/* Adds resource to @form, sends it to the token endpoint as op->client and accepts the tokens
 * (mcp-oauth-authorize.c). */
void            mcp_oauth_request_tokens         (GTask           *task,
                                                  const char      *grant,
                                                  GString         *form);
/* The JWT bearer grant, once discovery is done and op->scope chosen (mcp-oauth-grants.c). */
void            mcp_oauth_run_jwt_bearer         (GTask           *task);
void            mcp_oauth_run_refresh            (GTask           *task);

G_END_DECLS
