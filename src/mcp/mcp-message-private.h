/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of McpMessage: mcp-message.c (the object, constructors, accessors,
 * serialisation) and mcp-message-parse.c (from JSON text or a tree, with validation). */

#include "mcp-message.h"

G_BEGIN_DECLS

struct _McpMessage
{
  GObject         parent_instance;

  McpMessageKind  kind;
  JsonNode       *id;       /* a string or integer node; NULL for notifications and null ids */
  char           *id_key;
  char           *method;
  JsonObject     *params;
  JsonNode       *result;
  int             error_code;
  char           *error_message;
  JsonNode       *error_data;
};

/* A message of @kind with nothing set yet. */
G_GNUC_INTERNAL
McpMessage *mcp_message_new_kind (McpMessageKind  kind);
/* Takes @id (may be NULL; a JSON null counts as no id) and sets the id key from it. */
G_GNUC_INTERNAL
void        mcp_message_take_id  (McpMessage     *self,
                                  JsonNode       *id);

static inline gboolean
mcp_message_node_holds_type (JsonNode *node,
                             GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string or integer node: what JSON-RPC ids may be (null aside). */
static inline gboolean
mcp_message_node_is_id (JsonNode *node)
{
  return mcp_message_node_holds_type (node, G_TYPE_STRING)
         || mcp_message_node_holds_type (node, G_TYPE_INT64);
}

G_END_DECLS
