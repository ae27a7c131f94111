/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuthDiscovery: the object and what a run found. */
#include "config.h"

#include "mcp-oauth-discovery-private.h"

G_DEFINE_FINAL_TYPE (McpOAuthDiscovery, mcp_oauth_discovery, G_TYPE_OBJECT)

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
mcp_oauth_discovery_log (McpOAuthDiscovery *self,
                         McpLogLevel        level,
                         const char        *format,
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
mcp_oauth_discovery_clear_results (McpOAuthDiscovery *self)
{
  g_clear_pointer (&self->resource_metadata_url, g_free);
  g_clear_pointer (&self->resource, g_free);
  g_clear_pointer (&self->resource_scopes, g_strfreev);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->server_metadata_url, g_free);
  g_clear_pointer (&self->server_metadata, json_object_unref);
  g_clear_pointer (&self->authorization_endpoint, g_free);
  g_clear_pointer (&self->token_endpoint, g_free);
  g_clear_pointer (&self->registration_endpoint, g_free);
  self->legacy = FALSE;
}

static void
mcp_oauth_discovery_finalize (GObject *object)
{
  McpOAuthDiscovery *self = MCP_OAUTH_DISCOVERY (object);

  mcp_oauth_discovery_clear_results (self);
  g_clear_object (&self->session);
  g_free (self->server_url);
  G_OBJECT_CLASS (mcp_oauth_discovery_parent_class)->finalize (object);
}

static void
mcp_oauth_discovery_class_init (McpOAuthDiscoveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_oauth_discovery_finalize;

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

static void
mcp_oauth_discovery_init (McpOAuthDiscovery *self)
{
}

McpOAuthDiscovery *
mcp_oauth_discovery_new (SoupSession *session,
                         const char  *server_url)
{
  McpOAuthDiscovery *self;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (MCP_TYPE_OAUTH_DISCOVERY, NULL);
  self->session = session != NULL ? g_object_ref (session) : soup_session_new ();
  self->server_url = g_strdup (server_url);
  return self;
}

/* JSON helpers */

const char *
mcp_oauth_discovery_object_get_string (JsonObject *object,
                                       const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The strings of array @member (NULL when the member is absent or not an array). */
char **
mcp_oauth_discovery_object_dup_strv (JsonObject *object,
                                     const char *member)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

const char *
mcp_oauth_discovery_get_server_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_url;
}

const char *
mcp_oauth_discovery_get_resource_metadata_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->resource_metadata_url;
}

const char *
mcp_oauth_discovery_get_resource (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->resource;
}

const char * const *
mcp_oauth_discovery_get_resource_scopes (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return (const char * const *) self->resource_scopes;
}

const char *
mcp_oauth_discovery_get_issuer (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->issuer;
}

const char *
mcp_oauth_discovery_get_server_metadata_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_metadata_url;
}

JsonObject *
mcp_oauth_discovery_get_server_metadata (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_metadata;
}

const char *
mcp_oauth_discovery_get_authorization_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->authorization_endpoint;
}

const char *
mcp_oauth_discovery_get_token_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->token_endpoint;
}

const char *
mcp_oauth_discovery_get_registration_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->registration_endpoint;
}

gboolean
mcp_oauth_discovery_get_legacy (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), FALSE);
  return self->legacy;
}

const char *
mcp_oauth_discovery_get_server_string (McpOAuthDiscovery *self,
                                       const char        *member)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return mcp_oauth_discovery_object_get_string (self->server_metadata, member);
}

gboolean
mcp_oauth_discovery_get_server_boolean (McpOAuthDiscovery *self,
                                        const char        *member)
{
  JsonNode *node;

  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), FALSE);
  if (self->server_metadata == NULL)
    return FALSE;
  node = json_object_get_member (self->server_metadata, member);
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

char **
mcp_oauth_discovery_dup_server_strv (McpOAuthDiscovery *self,
                                     const char        *member)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return mcp_oauth_discovery_object_dup_strv (self->server_metadata, member);
}

gboolean
mcp_oauth_discovery_server_lists (McpOAuthDiscovery *self,
                                  const char        *member,
                                  const char        *value)
{
  g_auto(GStrv) values = mcp_oauth_discovery_dup_server_strv (self, member);

  return values != NULL && g_strv_contains ((const char * const *) values, value);
}
