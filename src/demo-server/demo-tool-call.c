/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "demo-tool-call.h"

typedef enum {
  STATE_RUNNING,
  STATE_RESULT,
  STATE_PROTOCOL_ERROR,
  STATE_CANCELLED,
} CallState;

struct _DemoToolCall
{
  GObject        parent_instance;

  DemoMcpServer *server;
  char          *name;
  JsonObject    *arguments;
  DemoGrant     *grant;
  JsonNode      *progress_token;
  GCancellable  *cancellable;

  CallState      state;
  JsonObject    *result;
  int            error_code;
  char          *error_message;
};

G_DEFINE_FINAL_TYPE (DemoToolCall, demo_tool_call, G_TYPE_OBJECT)

enum {
  NOTIFICATION,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
demo_tool_call_finalize (GObject *object)
{
  DemoToolCall *self = DEMO_TOOL_CALL (object);

  g_clear_object (&self->server);
  g_free (self->name);
  g_clear_pointer (&self->arguments, json_object_unref);
  g_clear_pointer (&self->grant, demo_grant_unref);
  g_clear_pointer (&self->progress_token, json_node_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, json_object_unref);
  g_free (self->error_message);

  G_OBJECT_CLASS (demo_tool_call_parent_class)->finalize (object);
}

static void
demo_tool_call_class_init (DemoToolCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = demo_tool_call_finalize;

  /* A notification for the client (McpMessage). */
  signals[NOTIFICATION] = g_signal_new ("notification",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, MCP_TYPE_MESSAGE);
  /* The call has its outcome (or was cancelled); emitted once. */
  signals[FINISHED] = g_signal_new ("finished",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
demo_tool_call_init (DemoToolCall *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = STATE_RUNNING;
}

DemoToolCall *
demo_tool_call_new (DemoMcpServer *server,
                    const char    *name,
                    JsonObject    *arguments,
                    DemoGrant     *grant,
                    JsonNode      *progress_token)
{
  DemoToolCall *self;

  g_return_val_if_fail (DEMO_IS_MCP_SERVER (server), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (grant != NULL, NULL);

  self = g_object_new (DEMO_TYPE_TOOL_CALL, NULL);
  self->server = g_object_ref (server);
  self->name = g_strdup (name);
  self->arguments = arguments != NULL ? json_object_ref (arguments) : json_object_new ();
  self->grant = demo_grant_ref (grant);
  self->progress_token = progress_token != NULL ? json_node_copy (progress_token) : NULL;
  return self;
}

const char *
demo_tool_call_get_name (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);
  return self->name;
}

JsonObject *
demo_tool_call_get_arguments (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);
  return self->arguments;
}

DemoGrant *
demo_tool_call_get_grant (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);
  return self->grant;
}

DemoMcpServer *
demo_tool_call_get_server (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);
  return self->server;
}

GCancellable *
demo_tool_call_get_cancellable (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);
  return self->cancellable;
}

gboolean
demo_tool_call_is_finished (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), TRUE);
  return self->state != STATE_RUNNING;
}

gboolean
demo_tool_call_has_progress_token (DemoToolCall *self)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), FALSE);
  return self->progress_token != NULL;
}

static void
emit_notification (DemoToolCall *self,
                   const char   *method,
                   JsonObject   *params)
{
  g_autoptr(McpMessage) message = mcp_message_new_notification (method, params);

  g_signal_emit (self, signals[NOTIFICATION], 0, message);
}

void
demo_tool_call_send_progress (DemoToolCall *self,
                              double        progress,
                              double        total,
                              const char   *message)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  if (self->state != STATE_RUNNING || self->progress_token == NULL)
    return;

  params = json_object_new ();
  json_object_set_member (params, "progressToken", json_node_copy (self->progress_token));
  json_object_set_double_member (params, "progress", progress);
  if (total > 0)
    json_object_set_double_member (params, "total", total);
  if (message != NULL)
    json_object_set_string_member (params, "message", message);
  emit_notification (self, "notifications/progress", params);
}

void
demo_tool_call_send_log (DemoToolCall *self,
                         const char   *level,
                         const char   *text)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  if (self->state != STATE_RUNNING)
    return;

  params = json_object_new ();
  json_object_set_string_member (params, "level", level);
  json_object_set_string_member (params, "logger", self->name);
  json_object_set_string_member (params, "data", text);
  emit_notification (self, "notifications/message", params);
}

static gboolean
finish (DemoToolCall *self,
        CallState     state)
{
  if (self->state != STATE_RUNNING)
    return FALSE;
  self->state = state;
  return TRUE;
}

void
demo_tool_call_return_result (DemoToolCall *self,
                              JsonObject   *result)
{
  g_autoptr(DemoToolCall) hold = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));
  g_return_if_fail (result != NULL);

  if (!finish (self, STATE_RESULT))
    return;
  hold = g_object_ref (self);
  self->result = json_object_ref (result);
  g_signal_emit (self, signals[FINISHED], 0);
}

static JsonObject *
text_result (const char *text,
             gboolean    is_error)
{
  JsonObject *result = json_object_new ();
  JsonArray *content = json_array_new ();
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "type", "text");
  json_object_set_string_member (item, "text", text);
  json_array_add_object_element (content, item);
  json_object_set_array_member (result, "content", content);
  if (is_error)
    json_object_set_boolean_member (result, "isError", TRUE);
  return result;
}

void
demo_tool_call_return_text (DemoToolCall *self,
                            const char   *text)
{
  g_autoptr(JsonObject) result = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  result = text_result (text, FALSE);
  demo_tool_call_return_result (self, result);
}

void
demo_tool_call_return_tool_error (DemoToolCall *self,
                                  const char   *format,
                                  ...)
{
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  result = text_result (text, TRUE);
  demo_tool_call_return_result (self, result);
}

void
demo_tool_call_return_protocol_error (DemoToolCall *self,
                                      int           code,
                                      const char   *message)
{
  g_autoptr(DemoToolCall) hold = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  if (!finish (self, STATE_PROTOCOL_ERROR))
    return;
  hold = g_object_ref (self);
  self->error_code = code;
  self->error_message = g_strdup (message);
  g_signal_emit (self, signals[FINISHED], 0);
}

void
demo_tool_call_cancel (DemoToolCall *self)
{
  g_autoptr(DemoToolCall) hold = NULL;

  g_return_if_fail (DEMO_IS_TOOL_CALL (self));

  if (!finish (self, STATE_CANCELLED))
    return;
  hold = g_object_ref (self);
  g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[FINISHED], 0);
}

McpMessage *
demo_tool_call_build_response (DemoToolCall *self,
                               JsonNode     *id)
{
  g_return_val_if_fail (DEMO_IS_TOOL_CALL (self), NULL);

  switch (self->state)
    {
    case STATE_RESULT:
      return mcp_message_new_result (id, self->result);
    case STATE_PROTOCOL_ERROR:
      return mcp_message_new_error (id, self->error_code, self->error_message, NULL);
    case STATE_RUNNING:
    case STATE_CANCELLED:
    default:
      return NULL;
    }
}
