/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-message-parse.c: McpMessage from JSON text or a json-glib tree.
 *
 * The text goes through the strict scanner (mcp-json-scanner.c); the tree is then checked
 * against JSON-RPC 2.0 as MCP uses it, with errors that say what was expected and what came.
 */

#include "config.h"

#include <string.h>

#include "mcp-json-private.h"
#include "mcp-message-private.h"

/* What @node is, for an error message: "an array", "the string “abc”", "the integer 7". */
static char *
describe_node (JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = mcp_json_excerpt (json_node_get_string (node), -1);

      return g_strdup_printf ("the string “%s”", text);
    }
  else if (type == G_TYPE_INT64)
    {
      return g_strdup_printf ("the integer %" G_GINT64_FORMAT, json_node_get_int (node));
    }
  else if (type == G_TYPE_DOUBLE)
    {
      GString *out = g_string_new ("the number ");

      mcp_json_write_double (out, json_node_get_double (node));
      return g_string_free (out, FALSE);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      return g_strdup_printf ("the boolean %s", json_node_get_boolean (node) ? "true" : "false");
    }

  return g_strdup_printf ("a value of type %s", g_type_name (type));
}

/* ---------------------------------------------------------------------------------------- */
/* JSON-RPC 2.0 validation                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* @owner is "request" or "result": the kinds whose id may not be null. */
static gboolean
check_id (JsonNode    *id,
          const char  *owner,
          GError     **error)
{
  g_autofree char *got = NULL;

  if (mcp_message_node_is_id (id))
    return TRUE;

  got = describe_node (id);
  if (JSON_NODE_HOLDS_NULL (id))
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” of a %s must be a string or an integer, got null", owner);
  else if (mcp_message_node_holds_type (id, G_TYPE_DOUBLE))
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” must be a string or an integer, got %s (ids with a "
                 "fraction or an exponent, or beyond 64 bits, are not accepted)", got);
  else
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” must be a string or an integer, got %s", got);
  return FALSE;
}

static McpMessage *
parse_call (JsonObject  *object,
            JsonNode    *id,
            JsonNode    *method,
            GError     **error)
{
  JsonNode *params = json_object_get_member (object, "params");
  McpMessage *self;

  if (json_object_has_member (object, "result") || json_object_has_member (object, "error"))
    {
      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC message has “method” and also “%s”: expected a request or "
                   "notification (with “method”) or a response (with “result” or “error”), "
                   "not both",
                   json_object_has_member (object, "result") ? "result" : "error");
      return NULL;
    }

  if (!mcp_message_node_holds_type (method, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (method);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “method” must be a string, got %s", got);
      return NULL;
    }

  if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
    {
      g_autofree char *got = describe_node (params);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “params” must be an object (MCP passes parameters by "
                   "name, never by position), got %s", got);
      return NULL;
    }

  if (id != NULL && !check_id (id, "request", error))
    return NULL;

  self = mcp_message_new_kind (id != NULL ? MCP_MESSAGE_KIND_REQUEST
                                          : MCP_MESSAGE_KIND_NOTIFICATION);
  if (id != NULL)
    mcp_message_take_id (self, json_node_copy (id));
  self->method = g_strdup (json_node_get_string (method));
  if (params != NULL)
    self->params = json_object_ref (json_node_get_object (params));

  return self;
}

static McpMessage *
parse_result (JsonNode    *id,
              JsonNode    *result,
              GError     **error)
{
  McpMessage *self;

  if (id == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC result has no member “id”: expected the id of the request "
                           "it answers");
      return NULL;
    }
  if (!check_id (id, "result", error))
    return NULL;

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_RESULT);
  mcp_message_take_id (self, json_node_copy (id));
  self->result = json_node_copy (result);

  return self;
}

/* @id may be missing or null: the peer could not tell which request failed. (JSON-RPC wants
 * the member present; the MCP schema lets it be left out, so both are accepted.) */
static McpMessage *
parse_error (JsonNode    *id,
             JsonNode    *error_node,
             GError     **error)
{
  JsonObject *error_object;
  JsonNode *code;
  JsonNode *message;
  JsonNode *data;
  McpMessage *self;

  if (id != NULL && !JSON_NODE_HOLDS_NULL (id) && !check_id (id, "response", error))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (error_node))
    {
      g_autofree char *got = describe_node (error_node);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “error” must be an object with “code” and “message”, "
                   "got %s", got);
      return NULL;
    }

  error_object = json_node_get_object (error_node);
  code = json_object_get_member (error_object, "code");
  message = json_object_get_member (error_object, "message");
  data = json_object_get_member (error_object, "data");

  if (code == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC error object has no member “code”: expected an integer");
      return NULL;
    }
  if (!mcp_message_node_holds_type (code, G_TYPE_INT64)
      || json_node_get_int (code) < G_MININT || json_node_get_int (code) > G_MAXINT)
    {
      g_autofree char *got = describe_node (code);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC error member “code” must be a 32-bit integer, got %s", got);
      return NULL;
    }

  if (message == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC error object has no member “message”: expected a string");
      return NULL;
    }
  if (!mcp_message_node_holds_type (message, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (message);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC error member “message” must be a string, got %s", got);
      return NULL;
    }

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_ERROR);
  mcp_message_take_id (self, id != NULL ? json_node_copy (id) : NULL);
  self->error_code = (int) json_node_get_int (code);
  self->error_message = g_strdup (json_node_get_string (message));
  if (data != NULL)
    self->error_data = json_node_copy (data);

  return self;
}

/* One message from a node that is not an array. */
static McpMessage *
message_from_single_node (JsonNode  *node,
                          GError   **error)
{
  JsonObject *object;
  JsonNode *version;
  JsonNode *id;
  JsonNode *method;
  JsonNode *result;
  JsonNode *error_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = describe_node (node);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC message must be an object, got %s", got);
      return NULL;
    }

  object = json_node_get_object (node);

  version = json_object_get_member (object, "jsonrpc");
  if (version == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC member “jsonrpc” is missing: expected “2.0”");
      return NULL;
    }
  if (!mcp_message_node_holds_type (version, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (version);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “jsonrpc” must be the string “2.0”, got %s", got);
      return NULL;
    }
  if (strcmp (json_node_get_string (version), "2.0") != 0)
    {
      g_autofree char *got = mcp_json_excerpt (json_node_get_string (version), -1);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “jsonrpc” must be “2.0”, got “%s”", got);
      return NULL;
    }

  id = json_object_get_member (object, "id");
  method = json_object_get_member (object, "method");
  result = json_object_get_member (object, "result");
  error_node = json_object_get_member (object, "error");

  if (method != NULL)
    return parse_call (object, id, method, error);

  if (result != NULL && error_node != NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC response has both “result” and “error”: expected exactly "
                           "one of them");
      return NULL;
    }

  if (result != NULL)
    return parse_result (id, result, error);

  if (error_node != NULL)
    return parse_error (id, error_node, error);

  g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                       "JSON-RPC message has none of “method”, “result” and “error”: expected "
                       "a request, a notification or a response");
  return NULL;
}

static void
set_batch_error (GError  **error,
                 JsonNode *node)
{
  g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_BATCH,
               "Expected a single JSON-RPC message, got a batch (an array of %u elements)",
               json_array_get_length (json_node_get_array (node)));
}

/* ---------------------------------------------------------------------------------------- */
/* Public API                                                                                */
/* ---------------------------------------------------------------------------------------- */

McpMessage *
mcp_message_parse (const char  *data,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = mcp_json_parse_strict (data != NULL ? data : "", length, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      set_batch_error (error, root);
      return NULL;
    }

  return message_from_single_node (root, error);
}

GPtrArray *
mcp_message_parse_batch (const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = mcp_json_parse_strict (data != NULL ? data : "", length, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      McpMessage *message = message_from_single_node (root, error);

      if (message == NULL)
        return NULL;
      messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (messages, message);
      return g_steal_pointer (&messages);
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  if (n == 0)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC batch is empty: expected at least one message");
      return NULL;
    }

  messages = g_ptr_array_new_full (n, g_object_unref);
  for (guint k = 0; k < n; k++)
    {
      McpMessage *message = message_from_single_node (json_array_get_element (array, k), error);

      if (message == NULL)
        {
          g_prefix_error (error, "JSON-RPC batch element %u of %u: ", k, n);
          return NULL;
        }
      g_ptr_array_add (messages, message);
    }

  return g_steal_pointer (&messages);
}

McpMessage *
mcp_message_new_from_node (JsonNode  *node,
                           GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      set_batch_error (error, node);
      return NULL;
    }

  return message_from_single_node (node, error);
}
