/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One event dispatched by McpSseParser. Boxed, immutable, reference counted. */
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

G_END_DECLS
