/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-server-request.h"

struct _McpServerRequest
{
  GObject       parent_instance;

  char         *method;
  JsonObject   *params;
  JsonNode     *id;
  char         *input_key;
  GCancellable *cancellable;
  char         *cancel_reason;

  gboolean      responded;
  JsonObject   *result;
  gboolean      is_error;
  int           error_code;
  char         *error_message;
  JsonNode     *error_data;
};

G_DEFINE_FINAL_TYPE (McpServerRequest, mcp_server_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_PARAMS,
  PROP_INPUT_KEY,
  PROP_RESPONDED,
  N_PROPS
};

enum {
  RESPONDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
mcp_server_request_finalize (GObject *object)
{
  McpServerRequest *self = MCP_SERVER_REQUEST (object);

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->params, json_object_unref);
  g_clear_pointer (&self->id, json_node_unref);
  g_clear_pointer (&self->input_key, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cancel_reason, g_free);
  g_clear_pointer (&self->result, json_object_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_data, json_node_unref);

  G_OBJECT_CLASS (mcp_server_request_parent_class)->finalize (object);
}

static void
mcp_server_request_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  McpServerRequest *self = MCP_SERVER_REQUEST (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_PARAMS:
      g_value_set_boxed (value, self->params);
      break;
    case PROP_INPUT_KEY:
      g_value_set_string (value, self->input_key);
      break;
    case PROP_RESPONDED:
      g_value_set_boolean (value, self->responded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_server_request_class_init (McpServerRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mcp_server_request_finalize;
  object_class->get_property = mcp_server_request_get_property;

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARAMS] =
    g_param_spec_boxed ("params", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT_KEY] =
    g_param_spec_string ("input-key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESPONDED] =
    g_param_spec_boolean ("responded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * McpServerRequest::responded:
   *
   * Emitted once, when the answer has been given.
   */
  signals[RESPONDED] =
    g_signal_new ("responded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mcp_server_request_init (McpServerRequest *self)
{
  self->cancellable = g_cancellable_new ();
}

McpServerRequest *
mcp_server_request_new (const char *method,
                        JsonObject *params,
                        JsonNode   *id,
                        const char *input_key)
{
  McpServerRequest *self;

  g_return_val_if_fail (method != NULL, NULL);

  self = g_object_new (MCP_TYPE_SERVER_REQUEST, NULL);
  self->method = g_strdup (method);
  self->params = params != NULL ? json_object_ref (params) : json_object_new ();
  self->id = id != NULL ? json_node_copy (id) : NULL;
  self->input_key = g_strdup (input_key);

  return self;
}

const char *
mcp_server_request_get_method (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->method;
}

JsonObject *
mcp_server_request_get_params (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->params;
}

JsonNode *
mcp_server_request_get_id (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->id;
}

const char *
mcp_server_request_get_input_key (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->input_key;
}

GCancellable *
mcp_server_request_get_cancellable (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->cancellable;
}

static void
mark_responded (McpServerRequest *self)
{
  g_object_ref (self);
  self->responded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONDED]);
  g_signal_emit (self, signals[RESPONDED], 0);
  g_object_unref (self);
}

void
mcp_server_request_respond (McpServerRequest *self,
                            JsonObject       *result)
{
  g_return_if_fail (MCP_IS_SERVER_REQUEST (self));
  g_return_if_fail (!self->responded);

  self->result = result != NULL ? json_object_ref (result) : json_object_new ();
  mark_responded (self);
}

void
mcp_server_request_respond_error (McpServerRequest *self,
                                  int               code,
                                  const char       *message,
                                  JsonNode         *data)
{
  g_return_if_fail (MCP_IS_SERVER_REQUEST (self));
  g_return_if_fail (!self->responded);

  self->is_error = TRUE;
  self->error_code = code;
  self->error_message = g_strdup (message != NULL ? message : "");
  self->error_data = data != NULL ? json_node_copy (data) : NULL;
  mark_responded (self);
}

gboolean
mcp_server_request_get_responded (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), FALSE);

  return self->responded;
}

JsonObject *
mcp_server_request_get_result (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->result;
}

gboolean
mcp_server_request_get_error (McpServerRequest  *self,
                              int               *code,
                              const char       **message,
                              JsonNode         **data)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), FALSE);

  if (!self->is_error)
    return FALSE;
  if (code != NULL)
    *code = self->error_code;
  if (message != NULL)
    *message = self->error_message;
  if (data != NULL)
    *data = self->error_data;
  return TRUE;
}

void
mcp_server_request_cancel (McpServerRequest *self,
                           const char       *reason)
{
  g_return_if_fail (MCP_IS_SERVER_REQUEST (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  g_free (self->cancel_reason);
  self->cancel_reason = g_strdup (reason);
  g_cancellable_cancel (self->cancellable);
}

const char *
mcp_server_request_get_cancel_reason (McpServerRequest *self)
{
  g_return_val_if_fail (MCP_IS_SERVER_REQUEST (self), NULL);

  return self->cancel_reason;
}
