/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MCP_SSE_PARSER_ERROR (mcp_sse_parser_error_quark ())

typedef enum {
  MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE,
  MCP_SSE_PARSER_ERROR_FAILED, /* fed again after an error */
} McpSseParserError;

GQuark mcp_sse_parser_error_quark (void);

/* One dispatched event. Boxed, immutable, reference counted. */
typedef struct _McpSseEvent McpSseEvent;

#define MCP_TYPE_SSE_EVENT (mcp_sse_event_get_type ())
GType        mcp_sse_event_get_type       (void) G_GNUC_CONST;
McpSseEvent *mcp_sse_event_ref            (McpSseEvent *event);
void         mcp_sse_event_unref          (McpSseEvent *event);
/* The event type: "message" when the stream gave none. */
const char  *mcp_sse_event_get_event_type (const McpSseEvent *event);
/* Data lines joined with "\n" (may be empty, never NULL). */
const char  *mcp_sse_event_get_data       (const McpSseEvent *event);
gsize        mcp_sse_event_get_data_length (const McpSseEvent *event);
/* The last event ID as of this event (NULL when none was ever set). */
const char  *mcp_sse_event_get_id         (const McpSseEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (McpSseEvent, mcp_sse_event_unref)

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
