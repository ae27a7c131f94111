/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "demo-auth-server.h"

G_BEGIN_DECLS

/* Shared by the files of DemoAuthServer: demo-auth-server.c (state, metadata, bearer check),
 * -register.c (RFC 7591), -token.c (token endpoint, revocation, codes) and -authorize.c (the
 * authorization endpoint, consent and GitHub callback). */

#define DEMO_AUTH_CODE_LIFETIME_S        300
#define DEMO_AUTH_TRANSACTION_LIFETIME_S 600
#define DEMO_AUTH_REFRESH_LIFETIME_S     (30 * 24 * 3600)
#define DEMO_AUTH_MAX_CLIENTS            10000
#define DEMO_AUTH_MAX_TRANSACTIONS       10000
#define DEMO_AUTH_COOKIE_NAME            "tether_demo_txn"

typedef struct
{
  char  *client_id;
  char  *client_secret;        /* NULL for public clients (token_endpoint_auth_method none) */
  char  *auth_method;          /* "none" or "client_secret_post" */
  char  *client_name;
  char **redirect_uris;
  char **scopes;               /* registered scope (the default), or NULL: "user" */
  char **grant_types;
  gint64 issued_at;            /* seconds since the epoch */
} DemoAuthClient;

/* A validated authorization request, carried through consent or GitHub to the code. */
typedef struct
{
  char    *client_id;
  char    *redirect_uri;
  gboolean redirect_uri_explicit;  /* was redirect_uri in the request (RFC 6749 §4.1.3) */
  char    *code_challenge;         /* S256 only */
  char   **scopes;
  char    *state;                  /* NULL when the client sent none */
  char    *resource;               /* NULL when the client sent none */
} DemoAuthRequest;

typedef enum {
  DEMO_AUTH_TRANSACTION_CONSENT,   /* waiting for the person's answer on the consent page */
  DEMO_AUTH_TRANSACTION_GITHUB,    /* waiting for GitHub to redirect back */
} DemoAuthTransactionKind;

typedef struct
{
  DemoAuthTransactionKind  kind;
  DemoAuthRequest         *request;
  char                    *cookie;  /* consent: the browser must send this back with the form */
  gint64                   expires_at;
} DemoAuthTransaction;

typedef struct
{
  DemoAuthRequest *request;
  char            *user;
  char            *github_token;
  gint64           expires_at;
  gboolean         used;
  guint64          family;           /* tokens issued from it, revoked if it is replayed */
} DemoAuthCode;

typedef struct
{
  char    *client_id;
  char    *user;
  char   **scopes;
  char    *resource;
  char    *github_token;
  gint64   expires_at;
  gboolean used;                     /* rotated away: presenting it again is a replay */
  guint64  family;
} DemoAuthRefresh;

struct _DemoAuthServer
{
  GObject       parent_instance;

  char         *issuer;
  guint         token_ttl;
  gboolean      auto_approve;
  DemoGithub   *github;
  GCancellable *cancellable;

  GHashTable   *clients;          /* client_id -> DemoAuthClient */
  GHashTable   *transactions;     /* digest of the id (or GitHub state) -> DemoAuthTransaction */
  GHashTable   *codes;            /* digest -> DemoAuthCode */
  GHashTable   *access_tokens;    /* digest -> DemoGrant */
  GHashTable   *refresh_tokens;   /* digest -> DemoAuthRefresh */
  guint64       next_family;
  guint         sweep_source;

  guint64       n_tokens_issued;
  guint64       n_refreshes;
  guint64       n_revocations;
  guint64       n_replays_detected;
};

DemoAuthRequest *demo_auth_request_copy        (const DemoAuthRequest *request);
void             demo_auth_request_free        (DemoAuthRequest       *request);
void             demo_auth_transaction_free    (DemoAuthTransaction   *transaction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoAuthRequest, demo_auth_request_free)

DemoAuthClient  *demo_auth_server_lookup_client (DemoAuthServer       *self,
                                                 const char           *client_id);
/* Is @resource one this server serves (its origin, /mcp or /sse, trailing slash allowed)? */
gboolean         demo_auth_server_resource_is_valid (DemoAuthServer   *self,
                                                 const char           *resource);
const char * const *demo_auth_server_supported_scopes (void);

/* Stores a fresh authorization code for @request and returns it (the only copy). */
char            *demo_auth_server_issue_code    (DemoAuthServer       *self,
                                                 const DemoAuthRequest *request,
                                                 const char           *user,
                                                 const char           *github_token);
/* The client's redirect URI with code (or error), state and iss appended. */
char            *demo_auth_server_build_success_redirect (DemoAuthServer *self,
                                                 const DemoAuthRequest *request,
                                                 const char           *code);
char            *demo_auth_server_build_error_redirect (DemoAuthServer   *self,
                                                 const DemoAuthRequest *request,
                                                 const char           *error_code,
                                                 const char           *description);

/* HTTP helpers. require_method answers 405 (with Allow) unless the method is listed. */
extern const char * const demo_auth_get_methods[];
extern const char * const demo_auth_post_methods[];
gboolean         demo_auth_server_require_method (SoupServerMessage  *msg,
                                                 const char * const *methods);
void             demo_auth_server_set_strv_member (JsonObject        *object,
                                                 const char         *name,
                                                 const char * const *values);

/* Route handlers of the other files. */
void             demo_auth_server_handle_register (DemoAuthServer   *self,
                                                 SoupServerMessage    *msg);
void             demo_auth_server_handle_token  (DemoAuthServer       *self,
                                                 SoupServerMessage    *msg);
void             demo_auth_server_handle_revoke (DemoAuthServer       *self,
                                                 SoupServerMessage    *msg);
void             demo_auth_server_handle_authorize (DemoAuthServer    *self,
                                                 SoupServerMessage    *msg);
void             demo_auth_server_handle_decision  (DemoAuthServer    *self,
                                                 SoupServerMessage    *msg);
void             demo_auth_server_handle_github_callback (DemoAuthServer *self,
                                                 SoupServerMessage    *msg);

G_END_DECLS
