/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-dpop.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

#define MCP_TYPE_SSE_TRANSPORT (mcp_sse_transport_get_type ())
G_DECLARE_FINAL_TYPE (McpSseTransport, mcp_sse_transport, MCP, SSE_TRANSPORT, GObject)

/*
 * The HTTP+SSE transport of protocol revision 2024-11-05: open GETs the SSE URL and waits
 * for the `endpoint` event, which names the URL (same origin only) that every message is
 * POSTed to; the server's messages all arrive as `message` events on the one stream. When
 * that stream ends, the transport is closed (::closed with MCP_TRANSPORT_ERROR_CLOSED).
 *
 * Properties:
 *   "url"              (string, construct-only) the SSE URL;
 *   "soup-session"     (SoupSession, construct-only) NULL: the transport makes its own;
 *   "headers"          (GStrv of "Name: value") extra headers sent on every request;
 *   "bearer-token"     (string, write-only) sent as "Authorization: Bearer" (as "DPoP" with
 *                      a proof after mcp_sse_transport_set_dpop()); never logged;
 *   "endpoint"         (string, read-only) the message endpoint, once known;
 *   "max-message-size" (guint64) a larger event closes the transport with TOO_LARGE.
 *
 * While open, the transport keeps itself alive; close it to let it go.
 */

McpSseTransport    *mcp_sse_transport_new                       (const char          *url);
McpSseTransport    *mcp_sse_transport_new_with_session          (const char          *url,
                                                                 SoupSession         *session);

const char         *mcp_sse_transport_get_url                   (McpSseTransport     *self);
const char         *mcp_sse_transport_get_endpoint              (McpSseTransport     *self);

/* Sets (or with a NULL @value removes) one extra header sent on every request. */
void                mcp_sse_transport_set_header                (McpSseTransport     *self,
                                                                 const char          *name,
                                                                 const char          *value);
void                mcp_sse_transport_set_headers               (McpSseTransport     *self,
                                                                 const char * const  *headers);
char              **mcp_sse_transport_dup_headers               (McpSseTransport     *self);

void                mcp_sse_transport_set_bearer_token          (McpSseTransport     *self,
                                                                 const char          *token);
/* The DPoP key (RFC 9449) the bearer token is bound to, or NULL: as
 * mcp_http_transport_set_dpop(). */
void                mcp_sse_transport_set_dpop                  (McpSseTransport     *self,
                                                                 McpDpop             *dpop);

void                mcp_sse_transport_set_max_message_size      (McpSseTransport     *self,
                                                                 guint64              size);
guint64             mcp_sse_transport_get_max_message_size      (McpSseTransport     *self);

/* The WWW-Authenticate header values (one per header line) of the last 401 or 403 answer,
 * NULL-terminated; NULL when none came. */
const char * const *mcp_sse_transport_get_last_www_authenticate (McpSseTransport     *self);

G_END_DECLS
