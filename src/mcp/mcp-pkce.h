/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Randomness for authorization (PKCE verifiers, state, nonces) comes from GnuTLS's CSPRNG,
 * never from g_random_*. Returned strings are base64url without padding. */

/* @n_bytes random bytes from the CSPRNG, base64url-encoded without padding. */
char *mcp_pkce_random_string        (gsize       n_bytes);
/* A code_verifier (RFC 7636 §4.1): 32 random bytes -> 43 characters. */
char *mcp_pkce_generate_verifier    (void);
/* The S256 code_challenge for @verifier: BASE64URL(SHA256(ASCII(verifier))). */
char *mcp_pkce_challenge_s256       (const char *verifier);
/* Base64url without padding (RFC 4648 §5). */
char *mcp_pkce_base64url_encode     (const guint8 *data,
                                     gsize         len);
/* Is @verifier a valid code_verifier: 43-128 characters of [A-Za-z0-9-._~]? */
gboolean mcp_pkce_verifier_is_valid (const char *verifier);

G_END_DECLS
