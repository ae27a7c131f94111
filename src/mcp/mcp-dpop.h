/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Which kind of server a nonce belongs to (RFC 9449 §8 and §9 keep them apart). */
typedef enum {
  MCP_DPOP_SERVER_AUTHORIZATION,  /* its token endpoint: proofs without ath */
  MCP_DPOP_SERVER_RESOURCE,       /* the MCP server: proofs with ath, "Authorization: DPoP" */
} McpDpopServer;

#define MCP_TYPE_DPOP (mcp_dpop_get_type ())
G_DECLARE_FINAL_TYPE (McpDpop, mcp_dpop, MCP, DPOP, GObject)

/*
 * One DPoP key (RFC 9449, Demonstrating Proof of Possession) and what goes with it.
 *
 * The key is ES256 (EC P-256) from GnuTLS's CSPRNG, made for one authorization; the tokens
 * issued to it travel with it (McpOAuth keeps its PEM in the token record, in the keyring, so
 * a stored or refreshed token keeps working in a later run). Every HTTP request gets a fresh
 * proof: a dpop+jwt with the public JWK in its header and jti, htm, htu (without query and
 * fragment), iat, ath (with an access token) and nonce (once the server gave one) as claims.
 *
 * Nonces (DPoP-Nonce) are remembered per server origin, for authorization servers and
 * resource servers apart: mcp_dpop_apply() watches each answer for a new one, so the latest
 * nonce is at hand before anyone looks at a use_dpop_nonce error.
 *
 * Errors are in G_IO_ERROR (from GnuTLS) with messages that say what failed.
 */

/* A fresh key. */
McpDpop    *mcp_dpop_new                  (GError             **error);
/* The key of mcp_dpop_get_key_pem(), from a stored token record. */
McpDpop    *mcp_dpop_new_from_pem         (const char          *pem,
                                           GError             **error);

/* The private key in PKCS#8 PEM: a secret, stored only where the tokens are. */
const char *mcp_dpop_get_key_pem          (McpDpop             *self);
/* The RFC 7638 SHA-256 thumbprint of the public key (the jkt a token is bound to). */
char       *mcp_dpop_get_thumbprint       (McpDpop             *self);

/* The latest DPoP-Nonce of the @kind server at the origin of @url; NULL before any. */
const char *mcp_dpop_get_nonce            (McpDpop             *self,
                                           McpDpopServer        kind,
                                           const char          *url);
/* Remembers @nonce (NULL or "": nothing to remember) for the @kind server at @url's origin. */
void        mcp_dpop_set_nonce            (McpDpop             *self,
                                           McpDpopServer        kind,
                                           const char          *url,
                                           const char          *nonce);
/* Takes the nonces @from knows that @self does not (a new key for the same servers). */
void        mcp_dpop_copy_nonces          (McpDpop             *self,
                                           McpDpop             *from);

/* A proof for one @method request to @url. With @access_token it is for a resource server
 * (ath, the resource server's nonce), without for a token endpoint (its nonce). */
char       *mcp_dpop_create_proof         (McpDpop             *self,
                                           const char          *method,
                                           const char          *url,
                                           const char          *access_token,
                                           GError             **error);
/* Puts a proof for @msg (its method and URI) in its DPoP header and, with @access_token,
 * "Authorization: DPoP @access_token"; the answer's DPoP-Nonce, if any, is remembered. Call
 * it once per message sent: a resent request needs a new message and a new proof. */
gboolean    mcp_dpop_apply                (McpDpop             *self,
                                           SoupMessage         *msg,
                                           const char          *access_token,
                                           GError             **error);

/* Do these WWW-Authenticate values (one per header line) say error="use_dpop_nonce" in a
 * DPoP challenge (RFC 9449 §9)? Unparseable values: no. */
gboolean    mcp_dpop_is_nonce_challenge   (const char * const  *www_authenticate);

G_END_DECLS
