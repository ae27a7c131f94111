/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: the object — its properties, the "log" signal and the tokens at hand. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"
#include "mcp-transport.h"

G_DEFINE_FINAL_TYPE (McpOAuth, mcp_oauth, G_TYPE_OBJECT)

G_DEFINE_QUARK (mcp-oauth-error-quark, mcp_oauth_error)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_SESSION,
  PROP_AUTHORIZER,
  PROP_TOKEN_STORE,
  PROP_GRANT,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_CLIENT_ISSUER,
  PROP_CLIENT_METADATA_URL,
  PROP_PRIVATE_KEY,
  PROP_SCOPE,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_DPOP,
  PROP_ASSERTION,
  PROP_TOKEN_EXCHANGE,
  PROP_AUTHORIZED,
  N_PROPS
};

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
mcp_oauth_grant_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MCP_OAUTH_GRANT_AUTHORIZATION_CODE, "MCP_OAUTH_GRANT_AUTHORIZATION_CODE",
          "authorization-code" },
        { MCP_OAUTH_GRANT_CLIENT_CREDENTIALS, "MCP_OAUTH_GRANT_CLIENT_CREDENTIALS",
          "client-credentials" },
        { MCP_OAUTH_GRANT_JWT_BEARER, "MCP_OAUTH_GRANT_JWT_BEARER", "jwt-bearer" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type_id, g_enum_register_static ("McpOAuthGrant", values));
    }
  return type_id;
}

void
mcp_oauth_free_secret (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

gint64
mcp_oauth_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
mcp_oauth_log (McpOAuth    *self,
               McpLogLevel  level,
               const char  *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s", text);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

void
mcp_oauth_forward_log (GObject     *source,
             McpLogLevel  level,
             const char  *text,
             McpOAuth    *self)
{
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

gboolean
mcp_oauth_has_usable_tokens (McpOAuth *self)
{
  return self->tokens != NULL
         && !mcp_oauth_tokens_expired (self->tokens, mcp_oauth_now (),
                                       MCP_OAUTH_EXPIRY_MARGIN_SECONDS);
}

void
mcp_oauth_set_tokens (McpOAuth       *self,
                      McpOAuthTokens *tokens)
{
  gboolean was = mcp_oauth_get_authorized (self);

  g_clear_pointer (&self->tokens, mcp_oauth_tokens_free);
  self->tokens = tokens;
  if (was != mcp_oauth_get_authorized (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZED]);
}

/* GObject */

static void
mcp_oauth_dispose (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  g_clear_object (&self->authorizer);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (mcp_oauth_parent_class)->dispose (object);
}

static void
mcp_oauth_finalize (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  g_clear_object (&self->session);
  g_free (self->server_url);
  g_free (self->client_id);
  mcp_oauth_free_secret (self->client_secret);
  g_free (self->client_issuer);
  g_free (self->client_metadata_url);
  mcp_oauth_free_secret (self->private_key_pem);
  g_clear_object (&self->private_key);
  mcp_oauth_free_secret (self->assertion);
  g_clear_object (&self->token_exchange);
  g_free (self->scope);
  g_clear_object (&self->discovery);
  mcp_oauth_tokens_free (self->tokens);
  mcp_oauth_client_free (self->client);
  g_free (self->requested_scope);
  g_clear_object (&self->dpop_candidate);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (mcp_oauth_parent_class)->finalize (object);
}

static void
mcp_oauth_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  McpOAuth *self = MCP_OAUTH (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_AUTHORIZER:
      g_value_set_object (value, self->authorizer);
      break;
    case PROP_TOKEN_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_GRANT:
      g_value_set_enum (value, self->grant);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CLIENT_ISSUER:
      g_value_set_string (value, self->client_issuer);
      break;
    case PROP_CLIENT_METADATA_URL:
      g_value_set_string (value, self->client_metadata_url);
      break;
    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;
    case PROP_DPOP:
      g_value_set_boolean (value, self->dpop);
      break;
    case PROP_TOKEN_EXCHANGE:
      g_value_set_object (value, self->token_exchange);
      break;
    case PROP_AUTHORIZED:
      g_value_set_boolean (value, mcp_oauth_get_authorized (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
replace_string (char       **field,
                const char  *value,
                gboolean     secret)
{
  if (secret)
    mcp_oauth_free_secret (*field);
  else
    g_free (*field);
  *field = g_strdup (value);
}

static void
mcp_oauth_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  McpOAuth *self = MCP_OAUTH (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_AUTHORIZER:
      mcp_oauth_set_authorizer (self, g_value_get_object (value));
      break;
    case PROP_TOKEN_STORE:
      mcp_oauth_set_token_store (self, g_value_get_object (value));
      break;
    case PROP_GRANT:
      mcp_oauth_set_grant (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT_ID:
      replace_string (&self->client_id, g_value_get_string (value), FALSE);
      break;
    case PROP_CLIENT_SECRET:
      replace_string (&self->client_secret, g_value_get_string (value), TRUE);
      break;
    case PROP_CLIENT_ISSUER:
      replace_string (&self->client_issuer, g_value_get_string (value), FALSE);
      break;
    case PROP_CLIENT_METADATA_URL:
      mcp_oauth_set_client_metadata_url (self, g_value_get_string (value));
      break;
    case PROP_PRIVATE_KEY:
      mcp_oauth_set_private_key (self, g_value_get_string (value));
      break;
    case PROP_SCOPE:
      mcp_oauth_set_scope (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE_HTTP:
      mcp_oauth_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;
    case PROP_DPOP:
      mcp_oauth_set_dpop (self, g_value_get_boolean (value));
      break;
    case PROP_ASSERTION:
      mcp_oauth_set_assertion (self, g_value_get_string (value));
      break;
    case PROP_TOKEN_EXCHANGE:
      mcp_oauth_set_token_exchange (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_oauth_constructed (GObject *object)
{
  McpOAuth *self = MCP_OAUTH (object);

  G_OBJECT_CLASS (mcp_oauth_parent_class)->constructed (object);
  if (self->session == NULL)
    self->session = soup_session_new ();
}

void
mcp_oauth_class_init (McpOAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mcp_oauth_constructed;
  object_class->dispose = mcp_oauth_dispose;
  object_class->finalize = mcp_oauth_finalize;
  object_class->get_property = mcp_oauth_get_property;
  object_class->set_property = mcp_oauth_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHORIZER] =
    g_param_spec_object ("authorizer", NULL, NULL, MCP_TYPE_AUTHORIZER, rw);
  properties[PROP_TOKEN_STORE] =
    g_param_spec_object ("token-store", NULL, NULL, MCP_TYPE_TOKEN_STORE, rw);
  properties[PROP_GRANT] =
    g_param_spec_enum ("grant", NULL, NULL, MCP_TYPE_OAUTH_GRANT,
                       MCP_OAUTH_GRANT_AUTHORIZATION_CODE, rw);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ISSUER] = g_param_spec_string ("client-issuer", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_METADATA_URL] =
    g_param_spec_string ("client-metadata-url", NULL, NULL, NULL, rw);
  properties[PROP_PRIVATE_KEY] =
    g_param_spec_string ("private-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCOPE] = g_param_spec_string ("scope", NULL, NULL, NULL, rw);
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL, FALSE, rw);
  properties[PROP_DPOP] = g_param_spec_boolean ("dpop", NULL, NULL, FALSE, rw);
  properties[PROP_ASSERTION] =
    g_param_spec_string ("assertion", NULL, NULL, NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_EXCHANGE] =
    g_param_spec_object ("token-exchange", NULL, NULL, MCP_TYPE_TOKEN_EXCHANGE, rw);
  properties[PROP_AUTHORIZED] =
    g_param_spec_boolean ("authorized", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

void
mcp_oauth_init (McpOAuth *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

McpOAuth *
mcp_oauth_new (const char  *server_url,
               SoupSession *session)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_OAUTH, "server-url", server_url, "session", session, NULL);
}

const char *
mcp_oauth_get_server_url (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->server_url;
}

void
mcp_oauth_set_authorizer (McpOAuth      *self,
                          McpAuthorizer *authorizer)
{
  g_return_if_fail (MCP_IS_OAUTH (self));
  g_return_if_fail (authorizer == NULL || MCP_IS_AUTHORIZER (authorizer));

  if (g_set_object (&self->authorizer, authorizer))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZER]);
}

McpAuthorizer *
mcp_oauth_get_authorizer (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->authorizer;
}

void
mcp_oauth_set_token_store (McpOAuth      *self,
                           McpTokenStore *store)
{
  g_return_if_fail (MCP_IS_OAUTH (self));
  g_return_if_fail (store == NULL || MCP_IS_TOKEN_STORE (store));

  if (g_set_object (&self->store, store))
    {
      self->store_loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_STORE]);
    }
}

void
mcp_oauth_set_grant (McpOAuth      *self,
                     McpOAuthGrant  grant)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (self->grant != grant)
    {
      self->grant = grant;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANT]);
    }
}

void
mcp_oauth_set_client_credentials (McpOAuth   *self,
                                  const char *client_id,
                                  const char *client_secret,
                                  const char *issuer)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "client-id", client_id, "client-secret", client_secret,
                "client-issuer", issuer, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
mcp_oauth_set_client_metadata_url (McpOAuth   *self,
                                   const char *url)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (g_strcmp0 (self->client_metadata_url, url) != 0)
    {
      replace_string (&self->client_metadata_url, url, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_METADATA_URL]);
    }
}

void
mcp_oauth_set_private_key (McpOAuth   *self,
                           const char *pem)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  replace_string (&self->private_key_pem, pem, TRUE);
  g_clear_object (&self->private_key);
}

void
mcp_oauth_set_scope (McpOAuth   *self,
                     const char *scope)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  if (g_strcmp0 (self->scope, scope) != 0)
    {
      replace_string (&self->scope, scope, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
    }
}

void
mcp_oauth_set_allow_insecure_http (McpOAuth *self,
                                   gboolean  allow)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  allow = !!allow;
  if (self->allow_insecure_http != allow)
    {
      self->allow_insecure_http = allow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
    }
}

gboolean
mcp_oauth_get_authorized (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), FALSE);
  return mcp_oauth_has_usable_tokens (self);
}

McpOAuthDiscovery *
mcp_oauth_get_discovery (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->discovery;
}

const char *
mcp_oauth_get_requested_scope (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  return self->requested_scope;
}

const char *
mcp_oauth_get_granted_scope (McpOAuth *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH (self), NULL);
  if (self->tokens == NULL)
    return NULL;
  return self->tokens->scope != NULL ? self->tokens->scope : self->tokens->requested_scope;
}

void
mcp_oauth_set_dpop (McpOAuth *self,
                    gboolean  dpop)
{
  g_return_if_fail (MCP_IS_OAUTH (self));

  dpop = !!dpop;
  if (self->dpop != dpop)
    {
      self->dpop = dpop;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DPOP]);
    }
}
