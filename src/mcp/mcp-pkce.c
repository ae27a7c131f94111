/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "mcp-pkce.h"

char *
mcp_pkce_base64url_encode (const guint8 *data,
                           gsize         len)
{
  g_autofree char *b64 = g_base64_encode (data, len);
  gsize out = 0;

  for (gsize i = 0; b64[i] != '\0'; i++)
    {
      char ch = b64[i];

      if (ch == '=')
        break;
      if (ch == '+')
        ch = '-';
      else if (ch == '/')
        ch = '_';
      b64[out++] = ch;
    }
  b64[out] = '\0';
  return g_steal_pointer (&b64);
}

char *
mcp_pkce_random_string (gsize n_bytes)
{
  g_autofree guint8 *bytes = NULL;
  char *result;

  g_return_val_if_fail (n_bytes > 0 && n_bytes <= 1024, NULL);

  bytes = g_malloc (n_bytes);
  /* GNUTLS_RND_KEY: the strongest level, meant for keys and secrets. */
  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, n_bytes) != 0)
    g_error ("The system's cryptographic random number generator failed");

  result = mcp_pkce_base64url_encode (bytes, n_bytes);
  explicit_bzero (bytes, n_bytes);
  return result;
}

char *
mcp_pkce_generate_verifier (void)
{
  return mcp_pkce_random_string (32);
}

char *
mcp_pkce_challenge_s256 (const char *verifier)
{
  guint8 digest[32];
  char *result;

  g_return_val_if_fail (verifier != NULL, NULL);

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, verifier, strlen (verifier), digest) != 0)
    g_error ("GnuTLS could not compute a SHA-256 digest");
  result = mcp_pkce_base64url_encode (digest, sizeof digest);
  explicit_bzero (digest, sizeof digest);
  return result;
}

gboolean
mcp_pkce_verifier_is_valid (const char *verifier)
{
  gsize len;

  if (verifier == NULL)
    return FALSE;
  len = strlen (verifier);
  if (len < 43 || len > 128)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char ch = verifier[i];

      if (!g_ascii_isalnum (ch) && ch != '-' && ch != '.' && ch != '_' && ch != '~')
        return FALSE;
    }
  return TRUE;
}
