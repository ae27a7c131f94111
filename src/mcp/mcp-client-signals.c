/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"

/*
 * The signals of McpClient: their definition, their emission for the other files of the
 * class, and the transport signals the client turns into its own.
 */

enum {
  NOTIFICATION,
  PROGRESS,
  LOG_MESSAGE,
  TOOLS_CHANGED,
  RESOURCES_CHANGED,
  PROMPTS_CHANGED,
  RESOURCE_UPDATED,
  SERVER_REQUEST,
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  LOG,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
mcp_client_install_signals (GObjectClass *object_class)
{
  GType type = G_TYPE_FROM_CLASS (object_class);

  signals[NOTIFICATION] =
    g_signal_new ("notification", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[PROGRESS] =
    g_signal_new ("progress", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[LOG_MESSAGE] =
    g_signal_new ("log-message", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[TOOLS_CHANGED] =
    g_signal_new ("tools-changed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RESOURCES_CHANGED] =
    g_signal_new ("resources-changed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROMPTS_CHANGED] =
    g_signal_new ("prompts-changed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RESOURCE_UPDATED] =
    g_signal_new ("resource-updated", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SERVER_REQUEST] =
    g_signal_new ("server-request", type, G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, MCP_TYPE_SERVER_REQUEST);
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MCP_TYPE_MESSAGE);
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MCP_TYPE_MESSAGE);
  signals[LOG] =
    g_signal_new ("log", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CLOSED] =
    g_signal_new ("closed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

/* Signal emission for the other files of the class. */

void
mcp_client_emit_log (McpClient   *self,
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
  g_signal_emit (self, signals[LOG], 0, level, text);
}

void
mcp_client_emit_message_sent (McpClient  *self,
                              McpMessage *message)
{
  g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
}

void
mcp_client_emit_message_received (McpClient  *self,
                                  McpMessage *message)
{
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
}

void
mcp_client_emit_progress (McpClient  *self,
                          const char *token,
                          double      progress,
                          double      total,
                          const char *message)
{
  g_signal_emit (self, signals[PROGRESS], 0, token, progress, total, message);
}

gboolean
mcp_client_emit_server_request (McpClient        *self,
                                McpServerRequest *request)
{
  gboolean claimed = FALSE;

  g_signal_emit (self, signals[SERVER_REQUEST], 0, request, &claimed);
  return claimed;
}

void
mcp_client_emit_closed (McpClient    *self,
                        const GError *error)
{
  g_signal_emit (self, signals[CLOSED], 0, error);
}

/* Every notification goes out through ::notification, then the well-known ones through
 * their own signals. Progress is handled by mcp-client-request.c before this. */
void
mcp_client_emit_notification (McpClient  *self,
                              McpMessage *message)
{
  const char *method = mcp_message_get_method (message);
  JsonObject *params = mcp_message_get_params (message);

  g_signal_emit (self, signals[NOTIFICATION], 0, method, params);

  if (g_str_equal (method, "notifications/message"))
    {
      const char *level = NULL;
      const char *logger = NULL;
      JsonNode *data = NULL;

      if (params != NULL)
        {
          level = json_object_get_string_member_with_default (params, "level", NULL);
          logger = json_object_get_string_member_with_default (params, "logger", NULL);
          data = json_object_get_member (params, "data");
        }
      g_signal_emit (self, signals[LOG_MESSAGE], 0, level != NULL ? level : "info", logger,
                     data);
    }
  else if (g_str_equal (method, "notifications/tools/list_changed"))
    {
      g_hash_table_remove_all (self->tools);
      g_signal_emit (self, signals[TOOLS_CHANGED], 0);
    }
  else if (g_str_equal (method, "notifications/resources/list_changed"))
    g_signal_emit (self, signals[RESOURCES_CHANGED], 0);
  else if (g_str_equal (method, "notifications/prompts/list_changed"))
    g_signal_emit (self, signals[PROMPTS_CHANGED], 0);
  else if (g_str_equal (method, "notifications/resources/updated"))
    {
      const char *uri = NULL;

      if (params != NULL)
        uri = json_object_get_string_member_with_default (params, "uri", NULL);
      if (uri != NULL)
        g_signal_emit (self, signals[RESOURCE_UPDATED], 0, uri);
      else
        mcp_client_emit_log (self, MCP_LOG_WARNING,
                             "notifications/resources/updated without a “uri” string");
    }
}

/* Transport signals */

void
mcp_client_on_transport_log (McpTransport *transport,
                  McpLogLevel   level,
                  const char   *text,
                  McpClient    *self)
{
  g_signal_emit (self, signals[LOG], 0, level, text);
}

void
mcp_client_on_transport_closed (McpTransport *transport,
                     const GError *error,
                     McpClient    *self)
{
  G_GNUC_UNUSED g_autoptr(McpClient) hold = g_object_ref (self);
  g_autoptr(GError) failure = NULL;
  gboolean was_closed = self->state == MCP_CLIENT_STATE_CLOSED;

  self->transport_open = FALSE;

  if (error != NULL)
    failure = g_error_copy (error);
  else
    failure = g_error_new_literal (MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_CLOSED,
                                   "The connection to the server was closed");

  mcp_client_set_state (self, MCP_CLIENT_STATE_CLOSED);
  mcp_client_fail_all (self, failure);

  if (error != NULL)
    mcp_client_emit_log (self, MCP_LOG_WARNING, "The connection ended: %s", error->message);

  /* After mcp_client_close_async() ::closed was emitted already. */
  if (!was_closed)
    mcp_client_emit_closed (self, error);
}
