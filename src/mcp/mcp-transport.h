/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mcp-message.h"

G_BEGIN_DECLS

#define MCP_TRANSPORT_ERROR (mcp_transport_error_quark ())

typedef enum {
  MCP_TRANSPORT_ERROR_FAILED,           /* anything else, message says what */
  MCP_TRANSPORT_ERROR_NOT_OPEN,         /* send before open, or after close */
  MCP_TRANSPORT_ERROR_CONNECT,          /* could not reach the server / start the process */
  MCP_TRANSPORT_ERROR_CLOSED,           /* the peer went away (stream ended, process exited) */
  MCP_TRANSPORT_ERROR_HTTP_STATUS,      /* an HTTP status we cannot use */
  MCP_TRANSPORT_ERROR_UNAUTHORIZED,     /* HTTP 401: authorization needed */
  MCP_TRANSPORT_ERROR_FORBIDDEN,        /* HTTP 403 (e.g. insufficient_scope) */
  MCP_TRANSPORT_ERROR_SESSION_EXPIRED,  /* HTTP 404 on a request that carried a session id */
  MCP_TRANSPORT_ERROR_PROTOCOL,         /* malformed message, wrong content type, ... */
  MCP_TRANSPORT_ERROR_TOO_LARGE,        /* a message over max-message-size */
  MCP_TRANSPORT_ERROR_NO_RESPONSE,      /* a response stream ended without the answer */
} McpTransportError;

GQuark mcp_transport_error_quark (void);

/* Default for the "max-message-size" property of every transport. */
#define MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE (64 * 1024 * 1024)

typedef enum {
  MCP_LOG_DEBUG,
  MCP_LOG_INFO,
  MCP_LOG_WARNING,
  MCP_LOG_ERROR,
} McpLogLevel;

/* The GType of McpLogLevel (the ::log signal's first argument). */
#define MCP_TYPE_LOG_LEVEL (mcp_log_level_get_type ())
GType mcp_log_level_get_type (void) G_GNUC_CONST;

#define MCP_TYPE_TRANSPORT (mcp_transport_get_type ())
G_DECLARE_INTERFACE (McpTransport, mcp_transport, MCP, TRANSPORT, GObject)

/*
 * A transport moves McpMessages between the client and one server. It knows nothing of MCP
 * methods beyond what its wire format needs (HTTP headers, session ids).
 *
 * Signals (declared by the interface; emitted on the main context the transport was opened in):
 *   ::message   (McpMessage *message)   every message that arrives, in order of arrival;
 *   ::closed    (GError *error)         once, when the transport stops for good; error is NULL
 *                                       after a requested close;
 *   ::log       (McpLogLevel level, const char *text)
 *                                       things a person debugging a server wants to see: a
 *                                       stdio server's stderr lines, reconnects, a session
 *                                       re-created, a malformed message skipped. Never secrets.
 *
 * Properties every implementation has: "max-message-size" (guint64).
 */
struct _McpTransportInterface
{
  GTypeInterface parent_iface;

  void     (*open_async)   (McpTransport         *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*open_finish)  (McpTransport         *self,
                            GAsyncResult         *result,
                            GError              **error);

  /* Sends one message. Completes when the exchange for this message is over: stdio once the
   * line is written; HTTP once the response (JSON body, or the SSE stream of the POST) has
   * been read to the end and every message in it emitted through ::message, or the server
   * accepted a notification/response with 202. Errors that belong to this message (HTTP
   * status, a stream that ended without an answer to a request) are returned here. The
   * cancellable stays attached for the whole exchange: cancelling it closes the response
   * stream (the 2026-07-28 way to cancel a request). */
  void     (*send_async)   (McpTransport         *self,
                            McpMessage           *message,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*send_finish)  (McpTransport         *self,
                            GAsyncResult         *result,
                            GError              **error);

  /* Stops for good: HTTP sends DELETE for a session; stdio closes stdin, then terminates and
   * finally kills the child. Emits ::closed with a NULL error. */
  void     (*close_async)  (McpTransport         *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*close_finish) (McpTransport         *self,
                            GAsyncResult         *result,
                            GError              **error);
};

void     mcp_transport_open_async   (McpTransport         *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean mcp_transport_open_finish  (McpTransport         *self,
                                     GAsyncResult         *result,
                                     GError              **error);
void     mcp_transport_send_async   (McpTransport         *self,
                                     McpMessage           *message,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean mcp_transport_send_finish  (McpTransport         *self,
                                     GAsyncResult         *result,
                                     GError              **error);
void     mcp_transport_close_async  (McpTransport         *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean mcp_transport_close_finish (McpTransport         *self,
                                     GAsyncResult         *result,
                                     GError              **error);

/* For implementations: emit the interface's signals. */
void     mcp_transport_emit_message (McpTransport         *self,
                                     McpMessage           *message);
void     mcp_transport_emit_closed  (McpTransport         *self,
                                     const GError         *error);
void     mcp_transport_emit_log     (McpTransport         *self,
                                     McpLogLevel           level,
                                     const char           *format,
                                     ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
