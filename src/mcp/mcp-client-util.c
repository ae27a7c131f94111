/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"

/*
 * Small things the McpClient files share: the error domain (with the data of a JSON-RPC
 * error kept in the GError), the protocol versions spoken, JSON helpers.
 */

typedef struct
{
  gboolean  remote;
  JsonNode *data;
} McpClientErrorPrivate;

static void
mcp_client_error_private_init (McpClientErrorPrivate *priv)
{
  priv->remote = FALSE;
  priv->data = NULL;
}

static void
mcp_client_error_private_copy (const McpClientErrorPrivate *src,
                               McpClientErrorPrivate       *dest)
{
  dest->remote = src->remote;
  dest->data = src->data != NULL ? json_node_copy (src->data) : NULL;
}

static void
mcp_client_error_private_clear (McpClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->data, json_node_unref);
}

G_DEFINE_EXTENDED_ERROR (McpClientError, mcp_client_error)

static const char * const supported_versions[] = {
  MCP_PROTOCOL_VERSION_2026_07_28,
  MCP_PROTOCOL_VERSION_2025_11_25,
  MCP_PROTOCOL_VERSION_2025_06_18,
  MCP_PROTOCOL_VERSION_2025_03_26,
  MCP_PROTOCOL_VERSION_2024_11_05,
  NULL
};

gboolean
mcp_client_error_is_remote (const GError *error)
{
  McpClientErrorPrivate *priv;

  if (error == NULL || error->domain != MCP_CLIENT_ERROR)
    return FALSE;
  priv = mcp_client_error_get_private (error);
  return priv != NULL && priv->remote;
}

JsonNode *
mcp_client_error_get_data (const GError *error)
{
  McpClientErrorPrivate *priv;

  if (error == NULL || error->domain != MCP_CLIENT_ERROR)
    return NULL;
  priv = mcp_client_error_get_private (error);
  return priv != NULL ? priv->data : NULL;
}

GError *
mcp_client_error_new_remote (McpMessage *error_message,
                             const char *method)
{
  GError *error;
  McpClientErrorPrivate *priv;
  JsonNode *data = mcp_message_get_error_data (error_message);
  const char *text = mcp_message_get_error_message (error_message);

  error = g_error_new_literal (MCP_CLIENT_ERROR, mcp_message_get_error_code (error_message),
                               text != NULL && *text != '\0' ? text : "(no message)");
  priv = mcp_client_error_get_private (error);
  priv->remote = TRUE;
  priv->data = data != NULL ? json_node_copy (data) : NULL;
  return error;
}

const char * const *
mcp_client_get_supported_versions (void)
{
  return supported_versions;
}

JsonObject *
mcp_json_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return copy;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

double
mcp_json_node_get_number (JsonNode *node,
                          double    fallback)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return fallback;
    }
}
