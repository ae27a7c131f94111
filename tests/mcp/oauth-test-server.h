/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * TestAs: an MCP server (/mcp) that is its own OAuth authorization server, in this process,
 * on a port the kernel picks. Its behaviour is set per test (misbehaviours included) and it
 * records what the client sent. McpOAuth talks to it over real HTTP.
 */
typedef struct
{
  SoupServer *server;
  char       *base;

  /* behaviour */
  char       *prm_resource;           /* NULL: BASE/mcp */
  char       *metadata_issuer;        /* NULL: BASE */
  char       *pkce_methods;           /* JSON array text; NULL: omit the member */
  gboolean    iss_supported;
  gboolean    omit_iss;               /* advertise iss support, then leave it out */
  char       *iss_override;           /* sent as iss instead of the issuer */
  gboolean    tamper_state;
  gboolean    deny;
  gboolean    answer_with_page;       /* /authorize shows a login page */
  gboolean    legacy;                 /* no PRM, no metadata (2025-03-26 fallback) */
  char       *as_scopes;              /* JSON array text for AS scopes_supported; NULL: omit */
  char       *prm_scopes;             /* JSON array text for PRM scopes_supported; NULL: omit */
  char       *challenge_scope;        /* scope in the 401 challenge */
  char       *required_scope;         /* /mcp answers 403 insufficient_scope without it */
  gboolean    always_403;
  gint64      expires_in;
  gboolean    form_tokens;            /* token answers form-encoded */
  gboolean    refresh_fails;
  char       *auth_methods;           /* JSON array text; NULL: ["none"] */
  gboolean    dpop;                   /* DPoP-bound tokens, nonces required at AS and RS */

  /* observations */
  guint       registrations;
  guint       authorizations;
  guint       token_requests;
  guint       refreshes;
  guint       serial;
  char       *last_scope;
  gboolean    last_scope_present;
  char       *last_authz_resource;
  char       *last_token_resource;
  char       *last_client_id;
  char       *last_authorization_header;
  char       *last_client_assertion;
  char       *last_token_auth_client_id;
  GHashTable *codes;                  /* code -> "challenge\nscope\nredirect" */
  GHashTable *access_tokens;          /* token -> scope ("" for none) */
  GHashTable *refresh_tokens;         /* token -> scope */
  GHashTable *dpop_bindings;          /* access token -> key thumbprint */
  guint       dpop_as_challenges;
  guint       dpop_rs_challenges;
  guint       dpop_good_requests;
  GPtrArray  *dpop_jtis;
} TestAs;

void
test_as_free (TestAs *as);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestAs, test_as_free)

TestAs *
test_as_new (void);

char *
test_as_mcp_url (TestAs *as);

G_END_DECLS
