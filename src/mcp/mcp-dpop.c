/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "mcp-dpop.h"
#include "mcp-jwt.h"
#include "mcp-www-authenticate.h"

struct _McpDpop
{
  GObject     parent_instance;

  McpJwt     *key;       /* signs the proofs */
  char       *key_pem;   /* the same key, PKCS#8 PEM, for the token record */
  GHashTable *nonces;    /* "a|r scheme://host:port" -> the latest DPoP-Nonce */
};

G_DEFINE_FINAL_TYPE (McpDpop, mcp_dpop, G_TYPE_OBJECT)

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      explicit_bzero (text, strlen (text));
      g_free (text);
    }
}

static void
mcp_dpop_finalize (GObject *object)
{
  McpDpop *self = MCP_DPOP (object);

  g_clear_object (&self->key);
  wipe_string (self->key_pem);
  g_hash_table_unref (self->nonces);
  G_OBJECT_CLASS (mcp_dpop_parent_class)->finalize (object);
}

static void
mcp_dpop_class_init (McpDpopClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_dpop_finalize;
}

static void
mcp_dpop_init (McpDpop *self)
{
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

McpDpop *
mcp_dpop_new_from_pem (const char  *pem,
                       GError     **error)
{
  g_autoptr(McpDpop) self = NULL;
  McpJwt *key;

  g_return_val_if_fail (pem != NULL, NULL);

  key = mcp_jwt_new_from_pem (pem, error);
  if (key == NULL)
    return NULL;
  self = g_object_new (MCP_TYPE_DPOP, NULL);
  self->key = key;
  self->key_pem = g_strdup (pem);
  return g_steal_pointer (&self);
}

McpDpop *
mcp_dpop_new (GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t pem = { NULL, 0 };
  g_autofree char *text = NULL;
  McpDpop *self;
  int ret;

  /* GnuTLS makes the key from its CSPRNG; McpJwt signs with it once it is read back, and the
   * PEM is what the token record keeps. */
  ret = gnutls_x509_privkey_init (&key);
  if (ret >= 0)
    ret = gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                         GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0,
                                         NULL, 0);
  if (ret >= 0)
    ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                             &pem);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not make a P-256 key for DPoP: %s", gnutls_strerror (ret));
      return NULL;
    }
  text = g_strndup ((const char *) pem.data, pem.size);
  gnutls_memset (pem.data, 0, pem.size);
  gnutls_free (pem.data);
  self = mcp_dpop_new_from_pem (text, error);
  explicit_bzero (text, strlen (text));
  return self;
}

const char *
mcp_dpop_get_key_pem (McpDpop *self)
{
  g_return_val_if_fail (MCP_IS_DPOP (self), NULL);
  return self->key_pem;
}

char *
mcp_dpop_get_thumbprint (McpDpop *self)
{
  g_return_val_if_fail (MCP_IS_DPOP (self), NULL);
  return mcp_jwt_get_thumbprint (self->key);
}

/* Nonces */

/* "a http://host:port" for the authorization server at @uri's origin, "r …" for a resource
 * server; NULL when @uri has no host. */
static char *
nonce_key_for_uri (McpDpopServer  kind,
                   GUri          *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);
  g_autofree char *lower_scheme = NULL;
  g_autofree char *lower_host = NULL;
  int port = g_uri_get_port (uri);

  if (scheme == NULL || host == NULL || *host == '\0')
    return NULL;
  lower_scheme = g_ascii_strdown (scheme, -1);
  lower_host = g_ascii_strdown (host, -1);
  if (port < 0)
    port = g_str_equal (lower_scheme, "https") ? 443 : 80;
  return g_strdup_printf ("%c %s://%s:%d", kind == MCP_DPOP_SERVER_RESOURCE ? 'r' : 'a',
                          lower_scheme, lower_host, port);
}

static char *
nonce_key (McpDpopServer  kind,
           const char    *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL ? nonce_key_for_uri (kind, uri) : NULL;
}

/* RFC 9449 §8.1: nonce = 1*NQCHAR, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
static gboolean
nonce_is_valid (const char *nonce)
{
  if (nonce == NULL || *nonce == '\0')
    return FALSE;
  for (const guchar *p = (const guchar *) nonce; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7E || *p == '"' || *p == '\\')
      return FALSE;
  return TRUE;
}

static void
remember_nonce (McpDpop    *self,
                char       *key,
                const char *nonce)
{
  if (key == NULL || !nonce_is_valid (nonce))
    {
      if (key != NULL && nonce != NULL)
        g_debug ("Ignoring a DPoP-Nonce with characters a nonce cannot have");
      g_free (key);
      return;
    }
  g_hash_table_replace (self->nonces, key, g_strdup (nonce));
}

const char *
mcp_dpop_get_nonce (McpDpop       *self,
                    McpDpopServer  kind,
                    const char    *url)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (MCP_IS_DPOP (self), NULL);

  key = nonce_key (kind, url);
  return key != NULL ? g_hash_table_lookup (self->nonces, key) : NULL;
}

void
mcp_dpop_set_nonce (McpDpop       *self,
                    McpDpopServer  kind,
                    const char    *url,
                    const char    *nonce)
{
  g_return_if_fail (MCP_IS_DPOP (self));

  remember_nonce (self, nonce_key (kind, url), nonce);
}

void
mcp_dpop_copy_nonces (McpDpop *self,
                      McpDpop *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (MCP_IS_DPOP (self));
  g_return_if_fail (from == NULL || MCP_IS_DPOP (from));

  if (from == NULL || from == self)
    return;
  g_hash_table_iter_init (&iter, from->nonces);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (self->nonces, key))
      g_hash_table_insert (self->nonces, g_strdup (key), g_strdup (value));
}

/* Proofs */

char *
mcp_dpop_create_proof (McpDpop     *self,
                       const char  *method,
                       const char  *url,
                       const char  *access_token,
                       GError     **error)
{
  McpDpopServer kind = access_token != NULL ? MCP_DPOP_SERVER_RESOURCE
                                            : MCP_DPOP_SERVER_AUTHORIZATION;

  g_return_val_if_fail (MCP_IS_DPOP (self), NULL);
  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  return mcp_jwt_create_dpop_proof (self->key, method, url, access_token,
                                    mcp_dpop_get_nonce (self, kind, url), error);
}

typedef struct
{
  McpDpop       *dpop;
  McpDpopServer  kind;
} Watch;

static void
watch_free (gpointer data,
            GClosure *closure)
{
  Watch *watch = data;

  g_object_unref (watch->dpop);
  g_free (watch);
}

/* RFC 9449 §8.2 and §9: a server may hand out a new nonce with any answer. */
static void
got_headers_cb (SoupMessage *msg,
                Watch       *watch)
{
  const char *nonce = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "DPoP-Nonce");

  if (nonce != NULL)
    remember_nonce (watch->dpop, nonce_key_for_uri (watch->kind, soup_message_get_uri (msg)),
                    nonce);
}

gboolean
mcp_dpop_apply (McpDpop      *self,
                SoupMessage  *msg,
                const char   *access_token,
                GError      **error)
{
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;
  g_autofree char *proof = NULL;
  Watch *watch;

  g_return_val_if_fail (MCP_IS_DPOP (self), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  url = g_uri_to_string_partial (soup_message_get_uri (msg), G_URI_HIDE_USERINFO
                                 | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  proof = mcp_dpop_create_proof (self, soup_message_get_method (msg), url, access_token, error);
  if (proof == NULL)
    return FALSE;

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "DPoP", proof);
  if (access_token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("DPoP ", access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));
    }

  watch = g_new0 (Watch, 1);
  watch->dpop = g_object_ref (self);
  watch->kind = access_token != NULL ? MCP_DPOP_SERVER_RESOURCE
                                     : MCP_DPOP_SERVER_AUTHORIZATION;
  g_signal_connect_data (msg, "got-headers", G_CALLBACK (got_headers_cb), watch, watch_free,
                         G_CONNECT_DEFAULT);
  return TRUE;
}

gboolean
mcp_dpop_is_nonce_challenge (const char * const *www_authenticate)
{
  g_autoptr(McpWwwAuthenticate) challenge = NULL;
  guint n;

  if (www_authenticate == NULL || www_authenticate[0] == NULL)
    return FALSE;
  challenge = mcp_www_authenticate_parse (www_authenticate, NULL);
  if (challenge == NULL)
    return FALSE;
  n = mcp_www_authenticate_get_n_challenges (challenge);
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (mcp_www_authenticate_get_scheme (challenge, i), "DPoP") == 0
        && g_strcmp0 (mcp_www_authenticate_get_param (challenge, i, "error"),
                      "use_dpop_nonce") == 0)
      return TRUE;
  return FALSE;
}
