/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-transport.h"

/*
 * The interface itself holds no state: it declares the three signals every transport emits and
 * the "max-message-size" property every transport has, and forwards the wrappers to the vfuncs.
 * Implementations emit through mcp_transport_emit_*() so that signal ids stay private here.
 */

G_DEFINE_QUARK (mcp-transport-error-quark, mcp_transport_error)

G_DEFINE_ENUM_TYPE (McpLogLevel, mcp_log_level,
                    G_DEFINE_ENUM_VALUE (MCP_LOG_DEBUG, "debug"),
                    G_DEFINE_ENUM_VALUE (MCP_LOG_INFO, "info"),
                    G_DEFINE_ENUM_VALUE (MCP_LOG_WARNING, "warning"),
                    G_DEFINE_ENUM_VALUE (MCP_LOG_ERROR, "error"))

G_DEFINE_INTERFACE (McpTransport, mcp_transport, G_TYPE_OBJECT)

enum {
  MESSAGE,
  CLOSED,
  LOG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mcp_transport_default_init (McpTransportInterface *iface)
{
  /**
   * McpTransport:max-message-size:
   *
   * The largest message, in bytes of its JSON text, the transport accepts from the server.
   * A larger one closes the transport with %MCP_TRANSPORT_ERROR_TOO_LARGE.
   */
  g_object_interface_install_property (iface,
    g_param_spec_uint64 ("max-message-size", NULL, NULL,
                         1, G_MAXUINT64, MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * McpTransport::message:
   * @message: the #McpMessage that arrived
   *
   * Emitted for every message from the server, in the order they arrived.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, MCP_TYPE_MESSAGE);

  /**
   * McpTransport::closed:
   * @error: (nullable): why the transport stopped, or %NULL after a requested close
   *
   * Emitted once, when the transport stops for good.
   */
  signals[CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * McpTransport::log:
   * @level: an #McpLogLevel
   * @text: what happened, for a person debugging the server
   *
   * Emitted for stderr lines of a stdio server, skipped malformed messages, reconnects and the
   * like. Never carries secrets.
   */
  signals[LOG] =
    g_signal_new ("log",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

void
mcp_transport_open_async (McpTransport        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TRANSPORT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  MCP_TRANSPORT_GET_IFACE (self)->open_async (self, cancellable, callback, user_data);
}

gboolean
mcp_transport_open_finish (McpTransport  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MCP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return MCP_TRANSPORT_GET_IFACE (self)->open_finish (self, result, error);
}

void
mcp_transport_send_async (McpTransport        *self,
                          McpMessage          *message,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TRANSPORT (self));
  g_return_if_fail (MCP_IS_MESSAGE (message));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  MCP_TRANSPORT_GET_IFACE (self)->send_async (self, message, cancellable, callback, user_data);
}

gboolean
mcp_transport_send_finish (McpTransport  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MCP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return MCP_TRANSPORT_GET_IFACE (self)->send_finish (self, result, error);
}

void
mcp_transport_close_async (McpTransport        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TRANSPORT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  MCP_TRANSPORT_GET_IFACE (self)->close_async (self, cancellable, callback, user_data);
}

gboolean
mcp_transport_close_finish (McpTransport  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (MCP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return MCP_TRANSPORT_GET_IFACE (self)->close_finish (self, result, error);
}

void
mcp_transport_emit_message (McpTransport *self,
                            McpMessage   *message)
{
  g_return_if_fail (MCP_IS_TRANSPORT (self));
  g_return_if_fail (MCP_IS_MESSAGE (message));

  g_signal_emit (self, signals[MESSAGE], 0, message);
}

void
mcp_transport_emit_closed (McpTransport *self,
                           const GError *error)
{
  g_return_if_fail (MCP_IS_TRANSPORT (self));

  g_signal_emit (self, signals[CLOSED], 0, error);
}

void
mcp_transport_emit_log (McpTransport *self,
                        McpLogLevel   level,
                        const char   *format,
                        ...)
{
  g_autofree char *text = NULL;
  va_list args;

  g_return_if_fail (MCP_IS_TRANSPORT (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_signal_emit (self, signals[LOG], 0, level, text);
}
