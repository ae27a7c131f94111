/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The bytes of HTTP/1.1 for McpHttp1Connection (mcp-http1-wire.c): the request it writes and
 * the response head it reads. Errors are MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE. */

#include "mcp-http1-body-stream.h"
#include "mcp-http1-connection.h"

G_BEGIN_DECLS

/* Limits on a response head. */
#define MCP_HTTP1_MAX_HEAD_LINE  (8 * 1024)
#define MCP_HTTP1_MAX_HEADERS    100

/* The request of @msg (method, path and query of its URI, its request headers but those
 * that frame the message) for @host_header, with @body (may be NULL) as @content_type. */
G_GNUC_INTERNAL
GBytes   *mcp_http1_wire_build_request  (SoupMessage         *msg,
                                         const char          *host_header,
                                         GBytes              *body,
                                         const char          *content_type);

/* Where the head in @data ends (just after its blank line), or 0 when it has not yet.
 * @searched remembers how far earlier calls looked (start it at 0). */
G_GNUC_INTERNAL
gsize     mcp_http1_wire_find_head_end  (const guint8        *data,
                                         gsize                len,
                                         gsize               *searched);

/* Parses the head of @end bytes (just past its empty line) into @headers, @version,
 * @status and @reason_phrase (UTF-8; freed with g_free), strictly: see the limits above;
 * obs-fold, a bare CR, a NUL or a field name that is no token is refused. LF alone ends a
 * line too (RFC 9112 §2.2). The bytes of @data are overwritten. */
G_GNUC_INTERNAL
gboolean  mcp_http1_wire_parse_head     (char                *data,
                                         gsize                end,
                                         SoupMessageHeaders  *headers,
                                         SoupHTTPVersion     *version,
                                         guint               *status,
                                         char               **reason_phrase,
                                         GError             **error);

/* How the body after a final head is delimited (RFC 9112 §6.3): none for HEAD (@is_head),
 * 204 and 304, chunked, Content-Length, or until the server closes. A transfer coding but
 * chunked, a content coding (we ask for none), or a bad Content-Length fail. */
G_GNUC_INTERNAL
gboolean  mcp_http1_wire_body_framing   (SoupMessageHeaders  *headers,
                                         guint                status,
                                         gboolean             is_head,
                                         McpHttp1Framing     *framing,
                                         guint64             *length,
                                         GError             **error);

G_END_DECLS
