/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "mcp-jwt.h"
#include "mcp-pkce.h"

#define COORDINATE_SIZE 32
/* Lifetime of a client assertion (RFC 7523 §3: short-lived). */
#define ASSERTION_LIFETIME_SECONDS 300

struct _McpJwt
{
  GObject          parent_instance;

  gnutls_privkey_t key;
  guint8           x[COORDINATE_SIZE];
  guint8           y[COORDINATE_SIZE];
};

G_DEFINE_FINAL_TYPE (McpJwt, mcp_jwt, G_TYPE_OBJECT)

static void
mcp_jwt_finalize (GObject *object)
{
  McpJwt *self = MCP_JWT (object);

  if (self->key != NULL)
    gnutls_privkey_deinit (self->key);
  G_OBJECT_CLASS (mcp_jwt_parent_class)->finalize (object);
}

static void
mcp_jwt_class_init (McpJwtClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_jwt_finalize;
}

static void
mcp_jwt_init (McpJwt *self)
{
}

/* Copies the big-endian integer @datum into @out, left-padded to @size bytes. */
static gboolean
copy_padded (const gnutls_datum_t *datum,
             guint8               *out,
             gsize                 size)
{
  const guint8 *data = datum->data;
  gsize len = datum->size;

  while (len > 0 && data[0] == 0)
    {
      data++;
      len--;
    }
  if (len > size)
    return FALSE;
  memset (out, 0, size - len);
  memcpy (out + size - len, data, len);
  return TRUE;
}

static gboolean
gnutls_failed (GError     **error,
               const char  *what,
               int          ret)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
load_public_point (McpJwt  *self,
                   GError **error)
{
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, k = { NULL, 0 };
  gboolean ok;
  int ret;

  if (gnutls_privkey_get_pk_algorithm (self->key, NULL) != GNUTLS_PK_ECDSA)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Expected an EC P-256 private key, got a %s key",
                   gnutls_pk_get_name (gnutls_privkey_get_pk_algorithm (self->key, NULL)));
      return FALSE;
    }
  ret = gnutls_privkey_export_ecc_raw2 (self->key, &curve, &x, &y, &k, GNUTLS_EXPORT_FLAG_NO_LZ);
  if (ret < 0)
    return gnutls_failed (error, "Could not read the EC key", ret);
  if (k.data != NULL)
    gnutls_memset (k.data, 0, k.size);
  gnutls_free (k.data);

  ok = curve == GNUTLS_ECC_CURVE_SECP256R1
       && copy_padded (&x, self->x, COORDINATE_SIZE)
       && copy_padded (&y, self->y, COORDINATE_SIZE);
  gnutls_free (x.data);
  gnutls_free (y.data);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "Expected an EC key on curve P-256 (ES256), got curve %s",
                 gnutls_ecc_curve_get_name (curve) != NULL
                 ? gnutls_ecc_curve_get_name (curve) : "unknown");
  return ok;
}

McpJwt *
mcp_jwt_new_generate (GError **error)
{
  g_autoptr(McpJwt) self = g_object_new (MCP_TYPE_JWT, NULL);
  int ret;

  ret = gnutls_privkey_init (&self->key);
  if (ret < 0)
    {
      gnutls_failed (error, "Could not create a key", ret);
      return NULL;
    }
  ret = gnutls_privkey_generate2 (self->key, GNUTLS_PK_ECDSA,
                                  GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0, NULL, 0);
  if (ret < 0)
    {
      gnutls_failed (error, "Could not generate a P-256 key", ret);
      return NULL;
    }
  if (!load_public_point (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

McpJwt *
mcp_jwt_new_from_pem (const char  *pem,
                      GError     **error)
{
  g_autoptr(McpJwt) self = g_object_new (MCP_TYPE_JWT, NULL);
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (pem != NULL, NULL);

  ret = gnutls_privkey_init (&self->key);
  if (ret < 0)
    {
      gnutls_failed (error, "Could not create a key", ret);
      return NULL;
    }
  datum.data = (unsigned char *) pem;
  datum.size = strlen (pem);
  ret = gnutls_privkey_import_x509_raw (self->key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Expected an unencrypted EC private key in PEM (PKCS#8 or SEC 1), got "
                   "something GnuTLS cannot read: %s", gnutls_strerror (ret));
      return NULL;
    }
  if (!load_public_point (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

JsonObject *
mcp_jwt_dup_public_jwk (McpJwt *self)
{
  JsonObject *jwk;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  g_return_val_if_fail (MCP_IS_JWT (self), NULL);

  x = mcp_pkce_base64url_encode (self->x, COORDINATE_SIZE);
  y = mcp_pkce_base64url_encode (self->y, COORDINATE_SIZE);
  jwk = json_object_new ();
  json_object_set_string_member (jwk, "kty", "EC");
  json_object_set_string_member (jwk, "crv", "P-256");
  json_object_set_string_member (jwk, "x", x);
  json_object_set_string_member (jwk, "y", y);
  return jwk;
}

static char *
sha256_base64url (const char *text)
{
  guint8 digest[32];

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, text, strlen (text), digest) != 0)
    g_error ("GnuTLS could not compute a SHA-256 digest");
  return mcp_pkce_base64url_encode (digest, sizeof digest);
}

char *
mcp_jwt_get_thumbprint (McpJwt *self)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (MCP_IS_JWT (self), NULL);

  /* RFC 7638 §3.2: the required members in lexicographic order, no whitespace. */
  x = mcp_pkce_base64url_encode (self->x, COORDINATE_SIZE);
  y = mcp_pkce_base64url_encode (self->y, COORDINATE_SIZE);
  canonical = g_strdup_printf ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                               x, y);
  return sha256_base64url (canonical);
}

static char *
encode_object (JsonObject *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return mcp_pkce_base64url_encode ((const guint8 *) text, strlen (text));
}

char *
mcp_jwt_sign (McpJwt      *self,
              JsonObject  *header,
              JsonObject  *claims,
              GError     **error)
{
  g_autoptr(JsonObject) full_header = json_object_new ();
  g_autofree char *encoded_header = NULL;
  g_autofree char *encoded_claims = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *encoded_signature = NULL;
  gnutls_datum_t data, der = { NULL, 0 }, r = { NULL, 0 }, s = { NULL, 0 };
  guint8 signature[2 * COORDINATE_SIZE];
  gboolean ok;
  int ret;

  g_return_val_if_fail (MCP_IS_JWT (self), NULL);
  g_return_val_if_fail (claims != NULL, NULL);

  json_object_set_string_member (full_header, "alg", "ES256");
  if (header != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, header);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (full_header, name, json_node_copy (value));
    }

  encoded_header = encode_object (full_header);
  encoded_claims = encode_object (claims);
  signing_input = g_strconcat (encoded_header, ".", encoded_claims, NULL);

  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  ret = gnutls_privkey_sign_data2 (self->key, GNUTLS_SIGN_ECDSA_SHA256, 0, &data, &der);
  if (ret < 0)
    {
      gnutls_failed (error, "Could not sign the JWT", ret);
      return NULL;
    }
  /* JWS (RFC 7518 §3.4) wants R and S as two 32-byte big-endian integers, not DER. */
  ret = gnutls_decode_rs_value (&der, &r, &s);
  gnutls_free (der.data);
  if (ret < 0)
    {
      gnutls_failed (error, "Could not decode the ECDSA signature", ret);
      return NULL;
    }
  ok = copy_padded (&r, signature, COORDINATE_SIZE)
       && copy_padded (&s, signature + COORDINATE_SIZE, COORDINATE_SIZE);
  gnutls_free (r.data);
  gnutls_free (s.data);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Expected ECDSA signature values of at most %d bytes, got longer ones",
                   COORDINATE_SIZE);
      return NULL;
    }
  encoded_signature = mcp_pkce_base64url_encode (signature, sizeof signature);
  return g_strconcat (signing_input, ".", encoded_signature, NULL);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
mcp_jwt_create_client_assertion (McpJwt      *self,
                                 const char  *client_id,
                                 const char  *audience,
                                 GError     **error)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autofree char *jti = mcp_pkce_random_string (16);
  gint64 now = now_seconds ();

  g_return_val_if_fail (MCP_IS_JWT (self), NULL);
  g_return_val_if_fail (client_id != NULL && audience != NULL, NULL);

  json_object_set_string_member (header, "typ", "JWT");
  json_object_set_string_member (claims, "iss", client_id);
  json_object_set_string_member (claims, "sub", client_id);
  json_object_set_string_member (claims, "aud", audience);
  json_object_set_int_member (claims, "iat", now);
  json_object_set_int_member (claims, "exp", now + ASSERTION_LIFETIME_SECONDS);
  json_object_set_string_member (claims, "jti", jti);
  return mcp_jwt_sign (self, header, claims, error);
}

char *
mcp_jwt_create_dpop_proof (McpJwt      *self,
                           const char  *method,
                           const char  *url,
                           const char  *access_token,
                           const char  *nonce,
                           GError     **error)
{
  g_autoptr(JsonObject) header = json_object_new ();
  g_autoptr(JsonObject) claims = json_object_new ();
  g_autofree char *jti = mcp_pkce_random_string (16);
  g_autofree char *htu = NULL;

  g_return_val_if_fail (MCP_IS_JWT (self), NULL);
  g_return_val_if_fail (method != NULL && url != NULL, NULL);

  /* RFC 9449 §4.2: htu without query and fragment. */
  htu = g_strndup (url, strcspn (url, "?#"));
  json_object_set_string_member (header, "typ", "dpop+jwt");
  json_object_set_object_member (header, "jwk", mcp_jwt_dup_public_jwk (self));
  json_object_set_string_member (claims, "jti", jti);
  json_object_set_string_member (claims, "htm", method);
  json_object_set_string_member (claims, "htu", htu);
  json_object_set_int_member (claims, "iat", now_seconds ());
  if (access_token != NULL)
    {
      g_autofree char *ath = sha256_base64url (access_token);

      json_object_set_string_member (claims, "ath", ath);
    }
  if (nonce != NULL)
    json_object_set_string_member (claims, "nonce", nonce);
  return mcp_jwt_sign (self, header, claims, error);
}

GBytes *
mcp_jwt_base64url_decode (const char *text)
{
  g_autoptr(GString) b64 = NULL;
  guchar *data;
  gsize len = 0;

  g_return_val_if_fail (text != NULL, NULL);

  b64 = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (b64, *p);
      else if (*p == '-')
        g_string_append_c (b64, '+');
      else if (*p == '_')
        g_string_append_c (b64, '/');
      else
        return NULL;
    }
  if (b64->len % 4 == 1)
    return NULL;
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  data = g_base64_decode (b64->str, &len);
  return g_bytes_new_take (data, len);
}
