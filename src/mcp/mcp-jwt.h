/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MCP_TYPE_JWT (mcp_jwt_get_type ())
G_DECLARE_FINAL_TYPE (McpJwt, mcp_jwt, MCP, JWT, GObject)

/*
 * An ES256 (ECDSA P-256, SHA-256) key that signs JSON Web Tokens (RFC 7515/7519) with GnuTLS:
 * client assertions for private_key_jwt (RFC 7523 §2.2) and DPoP proofs (RFC 9449 §4.2).
 * Signatures are the JWS form, the raw 64-byte r||s, not the DER GnuTLS produces.
 * Errors are in G_IO_ERROR with messages that name what was expected.
 */

/* A fresh key from the CSPRNG (DPoP keys live as long as their tokens). */
McpJwt     *mcp_jwt_new_generate          (GError      **error);
/* An EC P-256 private key in PEM: PKCS#8 "PRIVATE KEY" or SEC 1 "EC PRIVATE KEY". */
McpJwt     *mcp_jwt_new_from_pem          (const char   *pem,
                                           GError      **error);

/* The public key as a JWK: {"kty":"EC","crv":"P-256","x":…,"y":…} (new object). */
JsonObject *mcp_jwt_dup_public_jwk        (McpJwt       *self);
/* The RFC 7638 SHA-256 thumbprint of the public JWK, base64url. */
char       *mcp_jwt_get_thumbprint        (McpJwt       *self);

/* header.payload.signature with header {"alg":"ES256"} plus @header (may be NULL; its members
 * are added) and @claims as the payload. */
char       *mcp_jwt_sign                  (McpJwt       *self,
                                           JsonObject   *header,
                                           JsonObject   *claims,
                                           GError      **error);

/* RFC 7523 client assertion: iss = sub = @client_id, aud = @audience, iat, exp (+5 min), jti. */
char       *mcp_jwt_create_client_assertion (McpJwt     *self,
                                             const char *client_id,
                                             const char *audience,
                                             GError    **error);
/* RFC 9449 DPoP proof: typ dpop+jwt, the public JWK in the header; htm, htu (without query and
 * fragment), iat, jti; ath when @access_token is given; nonce when @nonce is given. */
char       *mcp_jwt_create_dpop_proof     (McpJwt       *self,
                                           const char   *method,
                                           const char   *url,
                                           const char   *access_token,
                                           const char   *nonce,
                                           GError      **error);

/* Decodes base64url without padding; NULL when @text is not base64url. */
GBytes     *mcp_jwt_base64url_decode      (const char   *text);

G_END_DECLS
