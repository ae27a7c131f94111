/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of McpHttpTransport:
 *   mcp-http-transport.c          the object, its properties, open and close (DELETE);
 *   mcp-http-transport-exchange.c one POSTed message and its answer (202, JSON or an event
 *                                 stream, resumed with Last-Event-ID when it breaks);
 *   mcp-http-transport-listen.c   the GET stream for server-initiated messages;
 *   mcp-http-transport-headers.c  the per-message headers of the 2026-07-28 era. */

#include "mcp-event-stream.h"
#include "mcp-http-common-private.h"
#include "mcp-http-transport.h"
#include "mcp-http1-connection.h"

G_BEGIN_DECLS

typedef struct _Exchange Exchange;
typedef struct _Listener Listener;

struct _McpHttpTransport
{
  GObject      parent_instance;

  char        *url;
  GUri        *uri;          /* NULL when url does not parse */
  char        *display_url;  /* url without a password, for messages */
  SoupSession *session;
  /* The POSTs' fast path, when the transport made its own session (else NULL); dropped for
   * libsoup when a proxy applies or the server redirects. */
  McpHttp1Connection *http1;

  GPtrArray   *headers;      /* "Name: value" strings */
  char        *bearer_token;
  McpDpop     *dpop;         /* the key bearer_token is bound to, or NULL */
  char        *protocol_version;
  char        *session_id;
  gboolean     modern;
  guint64      max_message_size;

  char       **last_www_authenticate;
  guint        last_status;

  gboolean     opened;
  gboolean     closed;

  GPtrArray   *exchanges;    /* Exchange *, not owned */
  Listener    *listener;
};

/* mcp-http-transport.c */

/* The custom headers, the bearer token, the session id and the protocol version. */
G_GNUC_INTERNAL
void     mcp_http_transport_add_common_headers        (McpHttpTransport *self,
                                                       SoupMessage      *msg);
G_GNUC_INTERNAL
void     mcp_http_transport_remember_www_authenticate (McpHttpTransport *self,
                                                       SoupMessage      *msg);
/* Takes the MCP-Session-Id of the answer, when it has a new one that is visible ASCII. */
G_GNUC_INTERNAL
void     mcp_http_transport_remember_session_id       (McpHttpTransport *self,
                                                       SoupMessage      *msg);
G_GNUC_INTERNAL
void     mcp_http_transport_forget_session_id         (McpHttpTransport *self);
/* How long to wait before resuming or reopening @events: what the server asked for, else a
 * second, never more than five minutes. */
G_GNUC_INTERNAL
guint    mcp_http_transport_retry_delay               (McpEventStream   *events);

/* mcp-http-transport-exchange.c */

/* Cancels every message still being sent or answered. */
G_GNUC_INTERNAL
void     mcp_http_transport_cancel_exchanges          (McpHttpTransport *self);

/* mcp-http-transport-listen.c */

/* Detaches the GET stream from the transport; it frees itself from its pending callback. */
G_GNUC_INTERNAL
void     mcp_http_transport_stop_listening            (McpHttpTransport *self);

/* mcp-http-transport-headers.c */

/* Mcp-Method and, for tools/call, prompts/get and resources/read, Mcp-Name. */
G_GNUC_INTERNAL
gboolean mcp_http_transport_add_modern_headers        (SoupMessage      *msg,
                                                       McpMessage       *message,
                                                       GError          **error);
/* The headers of mcp_http_transport_send_with_headers_async(). */
G_GNUC_INTERNAL
gboolean mcp_http_transport_add_extra_headers         (SoupMessage      *msg,
                                                       GHashTable       *extra,
                                                       GError          **error);

G_END_DECLS
