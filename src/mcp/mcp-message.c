/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-message.c: one JSON-RPC 2.0 message as MCP uses it.
 *
 * This file holds the object, its constructors and accessors, and serialisation. Parsing and
 * validation are in mcp-message-parse.c; the strict JSON scanner and the compact JSON writer
 * they rest on are in mcp-json-scanner.c and mcp-json-writer.c.
 */

#include "config.h"

#include <string.h>

#include "mcp-json-private.h"
#include "mcp-message-private.h"

G_DEFINE_FINAL_TYPE (McpMessage, mcp_message, G_TYPE_OBJECT)

G_DEFINE_QUARK (mcp-message-error-quark, mcp_message_error)

G_DEFINE_ENUM_TYPE (McpMessageKind, mcp_message_kind,
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_REQUEST, "request"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_NOTIFICATION, "notification"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_RESULT, "result"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_ERROR, "error"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_ID_KEY,
  PROP_METHOD,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------- */
/* Shared with mcp-message-parse.c                                                           */
/* ---------------------------------------------------------------------------------------- */

McpMessage *
mcp_message_new_kind (McpMessageKind kind)
{
  McpMessage *self = g_object_new (MCP_TYPE_MESSAGE, NULL);

  self->kind = kind;
  return self;
}

/* Takes @id (may be NULL; a JSON null counts as no id). */
void
mcp_message_take_id (McpMessage *self,
                     JsonNode   *id)
{
  if (id != NULL && JSON_NODE_HOLDS_NULL (id))
    g_clear_pointer (&id, json_node_unref);

  self->id = id;
  self->id_key = id != NULL ? mcp_message_id_key_from_node (id) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* GObject                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void
mcp_message_finalize (GObject *object)
{
  McpMessage *self = (McpMessage *) object;

  g_clear_pointer (&self->id, json_node_unref);
  g_clear_pointer (&self->id_key, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->params, json_object_unref);
  g_clear_pointer (&self->result, json_node_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_data, json_node_unref);

  G_OBJECT_CLASS (mcp_message_parent_class)->finalize (object);
}

static void
mcp_message_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  McpMessage *self = MCP_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_ID_KEY:
      g_value_set_string (value, self->id_key);
      break;

    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_ERROR_CODE:
      g_value_set_int (value, self->error_code);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_message_class_init (McpMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mcp_message_finalize;
  object_class->get_property = mcp_message_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       MCP_TYPE_MESSAGE_KIND, MCP_MESSAGE_KIND_REQUEST,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ID_KEY] =
    g_param_spec_string ("id-key", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR_CODE] =
    g_param_spec_int ("error-code", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mcp_message_init (McpMessage *self)
{
}

/* ---------------------------------------------------------------------------------------- */
/* Public API                                                                                */
/* ---------------------------------------------------------------------------------------- */

McpMessage *
mcp_message_new_request (JsonNode   *id,
                         const char *method,
                         JsonObject *params)
{
  McpMessage *self;

  g_return_val_if_fail (mcp_message_node_is_id (id), NULL);
  g_return_val_if_fail (method != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_REQUEST);
  mcp_message_take_id (self, json_node_copy (id));
  self->method = g_strdup (method);
  self->params = params != NULL ? json_object_ref (params) : NULL;

  return self;
}

McpMessage *
mcp_message_new_request_int (gint64      id,
                             const char *method,
                             JsonObject *params)
{
  g_autoptr(JsonNode) id_node = json_node_init_int (json_node_alloc (), id);

  g_return_val_if_fail (method != NULL, NULL);

  return mcp_message_new_request (id_node, method, params);
}

McpMessage *
mcp_message_new_notification (const char *method,
                              JsonObject *params)
{
  McpMessage *self;

  g_return_val_if_fail (method != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_NOTIFICATION);
  self->method = g_strdup (method);
  self->params = params != NULL ? json_object_ref (params) : NULL;

  return self;
}

McpMessage *
mcp_message_new_result (JsonNode   *id,
                        JsonObject *result)
{
  McpMessage *self;

  g_return_val_if_fail (mcp_message_node_is_id (id), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_RESULT);
  mcp_message_take_id (self, json_node_copy (id));
  self->result = json_node_init_object (json_node_alloc (), result);

  return self;
}

McpMessage *
mcp_message_new_error (JsonNode   *id,
                       int         code,
                       const char *message,
                       JsonNode   *data)
{
  McpMessage *self;

  g_return_val_if_fail (id == NULL || JSON_NODE_HOLDS_NULL (id) || mcp_message_node_is_id (id),
                        NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_ERROR);
  mcp_message_take_id (self, id != NULL ? json_node_copy (id) : NULL);
  self->error_code = code;
  self->error_message = g_strdup (message);
  self->error_data = data != NULL ? json_node_copy (data) : NULL;

  return self;
}


McpMessageKind
mcp_message_get_kind (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), MCP_MESSAGE_KIND_REQUEST);

  return self->kind;
}

JsonNode *
mcp_message_get_id (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->id;
}

const char *
mcp_message_get_id_key (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->id_key;
}

const char *
mcp_message_get_method (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->method;
}

JsonObject *
mcp_message_get_params (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->params;
}

JsonNode *
mcp_message_get_result_node (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->result;
}

JsonObject *
mcp_message_get_result (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  if (self->result == NULL || !JSON_NODE_HOLDS_OBJECT (self->result))
    return NULL;

  return json_node_get_object (self->result);
}

int
mcp_message_get_error_code (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), 0);

  return self->error_code;
}

const char *
mcp_message_get_error_message (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->error_message;
}

JsonNode *
mcp_message_get_error_data (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->error_data;
}

/* Members in the order jsonrpc, id, method, params / result / error. The params, result
 * and data containers are shared with @self, not copied. */
JsonNode *
mcp_message_to_node (McpMessage *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "jsonrpc", "2.0");

  if (self->id != NULL)
    json_object_set_member (object, "id", json_node_copy (self->id));
  else if (self->kind == MCP_MESSAGE_KIND_ERROR)
    json_object_set_null_member (object, "id");

  switch (self->kind)
    {
    case MCP_MESSAGE_KIND_REQUEST:
    case MCP_MESSAGE_KIND_NOTIFICATION:
      json_object_set_string_member (object, "method", self->method);
      if (self->params != NULL)
        json_object_set_object_member (object, "params", json_object_ref (self->params));
      break;

    case MCP_MESSAGE_KIND_RESULT:
      json_object_set_member (object, "result", json_node_copy (self->result));
      break;

    case MCP_MESSAGE_KIND_ERROR:
    default:
      {
        JsonObject *error_object = json_object_new ();

        json_object_set_int_member (error_object, "code", self->error_code);
        json_object_set_string_member (error_object, "message", self->error_message);
        if (self->error_data != NULL)
          json_object_set_member (error_object, "data", json_node_copy (self->error_data));
        json_object_set_object_member (object, "error", error_object);
      }
      break;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

char *
mcp_message_to_string (McpMessage *self,
                       gsize      *length)
{
  GString *out;

  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  /* The text of mcp_message_to_node()'s tree, member for member, without building it: this
   * runs for every message sent. */
  out = g_string_sized_new (256);
  g_string_append (out, "{\"jsonrpc\":\"2.0\"");
  if (self->id != NULL)
    {
      g_string_append (out, ",\"id\":");
      mcp_json_write_node (out, self->id);
    }
  else if (self->kind == MCP_MESSAGE_KIND_ERROR)
    {
      g_string_append (out, ",\"id\":null");
    }

  switch (self->kind)
    {
    case MCP_MESSAGE_KIND_REQUEST:
    case MCP_MESSAGE_KIND_NOTIFICATION:
      g_string_append (out, ",\"method\":");
      mcp_json_write_string (out, self->method);
      if (self->params != NULL)
        {
          g_string_append (out, ",\"params\":");
          mcp_json_write_object (out, self->params);
        }
      break;

    case MCP_MESSAGE_KIND_RESULT:
      g_string_append (out, ",\"result\":");
      mcp_json_write_node (out, self->result);
      break;

    case MCP_MESSAGE_KIND_ERROR:
    default:
      g_string_append (out, ",\"error\":{\"code\":");
      mcp_json_write_int (out, self->error_code);
      g_string_append (out, ",\"message\":");
      mcp_json_write_string (out, self->error_message);
      if (self->error_data != NULL)
        {
          g_string_append (out, ",\"data\":");
          mcp_json_write_node (out, self->error_data);
        }
      g_string_append_c (out, '}');
      break;
    }
  g_string_append_c (out, '}');

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}

char *
mcp_message_id_key_from_node (JsonNode *id)
{
  if (mcp_message_node_holds_type (id, G_TYPE_STRING))
    return g_strconcat ("s:", json_node_get_string (id), NULL);

  if (mcp_message_node_holds_type (id, G_TYPE_INT64))
    {
      GString *key = g_string_sized_new (24);

      g_string_append (key, "i:");
      mcp_json_write_int (key, json_node_get_int (id));
      return g_string_free (key, FALSE);
    }

  return NULL;
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return json_node_equal (a, b);
}

gboolean
mcp_message_equal (McpMessage *a,
                   McpMessage *b)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (a), FALSE);
  g_return_val_if_fail (MCP_IS_MESSAGE (b), FALSE);

  if (a == b)
    return TRUE;

  if (a->params == NULL || b->params == NULL)
    {
      if (a->params != b->params)
        return FALSE;
    }
  else if (!json_object_equal (a->params, b->params))
    {
      return FALSE;
    }

  return a->kind == b->kind
         && g_strcmp0 (a->id_key, b->id_key) == 0
         && g_strcmp0 (a->method, b->method) == 0
         && nodes_equal (a->result, b->result)
         && a->error_code == b->error_code
         && g_strcmp0 (a->error_message, b->error_message) == 0
         && nodes_equal (a->error_data, b->error_data);
}
