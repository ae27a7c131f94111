/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define MCP_HTTP1_CONNECTION_ERROR (mcp_http1_connection_error_quark ())

typedef enum {
  /* Nothing was sent: the request has to go another way (a proxy applies). */
  MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT,
  /* The connection failed or closed after the request (or part of it) was written. */
  MCP_HTTP1_CONNECTION_ERROR_BROKEN,
  /* The server's answer is no HTTP/1.x response head we accept. */
  MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
} McpHttp1ConnectionError;

GQuark mcp_http1_connection_error_quark (void);

#define MCP_TYPE_HTTP1_CONNECTION (mcp_http1_connection_get_type ())
G_DECLARE_FINAL_TYPE (McpHttp1Connection, mcp_http1_connection, MCP, HTTP1_CONNECTION, GObject)

/*
 * A lean HTTP/1.1 client for one origin (the scheme, host and port of @uri, http or https),
 * for the POSTs of the Streamable HTTP transport, where libsoup's per-message machinery costs
 * more than the rest of a call. It keeps one connection alive between requests and opens
 * more while one is busy. https goes through GSocketClient's TLS with the default database
 * and full certificate validation.
 *
 * A request is described by a SoupMessage (method, URI path and query, request headers) and
 * a body; the answer's headers go into the message's response headers and its ::got-headers
 * is emitted, as libsoup would, so that code reading a SoupMessage works unchanged.
 *
 * A request is never written twice: once any byte of it went out, a failure is an error
 * (MCP_HTTP1_CONNECTION_ERROR_BROKEN). Only a kept-alive connection found closed before
 * anything was written on it is replaced by a new one, once.
 *
 * The first request asks the default GProxyResolver about @uri; when it names anything but
 * "direct://", every request fails with MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT having sent
 * nothing, and the caller should use libsoup.
 */
McpHttp1Connection *mcp_http1_connection_new         (GUri                *uri);

/* Sends the request of @msg with @body (may be NULL; @content_type names it) and reads the
 * response head. The result is the body, to be read to its end (the connection is kept for
 * the next request only then) or closed. */
void                mcp_http1_connection_send_async  (McpHttp1Connection  *self,
                                                      SoupMessage         *msg,
                                                      GBytes              *body,
                                                      const char          *content_type,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* @status and @reason_phrase (may be NULL) get the status line. */
GInputStream       *mcp_http1_connection_send_finish (McpHttp1Connection  *self,
                                                      GAsyncResult        *result,
                                                      guint               *status,
                                                      char               **reason_phrase,
                                                      GError             **error);

/* Closes the idle connection, if any. */
void                mcp_http1_connection_close_idle  (McpHttp1Connection  *self);

G_END_DECLS
