/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "mcp-sse-event.h"

G_BEGIN_DECLS

#define MCP_SSE_PARSER_ERROR (mcp_sse_parser_error_quark ())

typedef enum {
  MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE,
  MCP_SSE_PARSER_ERROR_FAILED, /* fed again after an error */
} McpSseParserError;

GQuark mcp_sse_parser_error_quark (void);

#define MCP_TYPE_SSE_PARSER (mcp_sse_parser_get_type ())
G_DECLARE_FINAL_TYPE (McpSseParser, mcp_sse_parser, MCP, SSE_PARSER, GObject)

/* Signals: "event" (McpSseEvent *event) for every dispatched event;
 * "retry" (gint64 milliseconds) for every valid retry field.
 * Properties: "last-event-id" (string), "retry" (gint64, -1 when unset),
 * "max-event-size" (guint64, construct-only). */
McpSseParser *mcp_sse_parser_new               (gsize          max_event_size);
/* Feed any chunk of the stream; events are emitted synchronously. Returns
 * FALSE with MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE once an event (data plus
 * the current line) exceeds max-event-size; the parser then stays failed. */
gboolean      mcp_sse_parser_feed              (McpSseParser  *self,
                                                const char    *data,
                                                gsize          len,
                                                GError       **error);
/* End of stream: an incomplete event is discarded, as the spec says. */
void          mcp_sse_parser_finish            (McpSseParser  *self);
/* Forget all state except last-event-id and retry (for a new connection). */
void          mcp_sse_parser_reset             (McpSseParser  *self);
const char   *mcp_sse_parser_get_last_event_id (McpSseParser  *self);
gint64        mcp_sse_parser_get_retry         (McpSseParser  *self);

G_END_DECLS
