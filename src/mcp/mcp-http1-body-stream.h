/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MCP_TYPE_HTTP1_BODY_STREAM (mcp_http1_body_stream_get_type ())
G_DECLARE_FINAL_TYPE (McpHttp1BodyStream, mcp_http1_body_stream, MCP, HTTP1_BODY_STREAM,
                      GInputStream)

/* How the body of an HTTP/1.1 response is delimited (RFC 9112 §6.3). */
typedef enum {
  MCP_HTTP1_FRAMING_NONE,            /* HEAD, 1xx, 204, 304: no body */
  MCP_HTTP1_FRAMING_LENGTH,          /* Content-Length */
  MCP_HTTP1_FRAMING_CHUNKED,         /* Transfer-Encoding: chunked, trailers skipped */
  MCP_HTTP1_FRAMING_UNTIL_CLOSE,     /* the body ends when the server closes */
} McpHttp1Framing;

/* Called once when the body has ended or can no longer end well: @reusable is TRUE when the
 * whole body was read, the response allowed keep-alive and nothing came after the body; the
 * callee then owns @io for the next request, else @io was closed. @buffer (taken; empty) is
 * the stream's read buffer, given back for the next response when @reusable, else NULL. */
typedef void (*McpHttp1BodyDoneFunc) (GIOStream  *io,
                                      GByteArray *buffer,
                                      gboolean    reusable,
                                      gpointer    user_data);

/*
 * The body of one HTTP/1.1 response, read from the connection @io, decoded from @framing
 * (chunk sizes, extensions and trailers are consumed here). @leftover (may be NULL; taken)
 * is what was read past the header block. @length is the Content-Length for
 * MCP_HTTP1_FRAMING_LENGTH. @keep_alive says whether the response lets the connection serve
 * another request. The stream is pollable when @io's input stream is.
 *
 * Closing or dropping the stream before its end closes @io.
 */
McpHttp1BodyStream *mcp_http1_body_stream_new (GIOStream            *io,
                                               GByteArray           *leftover,
                                               McpHttp1Framing       framing,
                                               guint64               length,
                                               gboolean              keep_alive,
                                               McpHttp1BodyDoneFunc  done,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy);

G_END_DECLS
