/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mcp-sse-parser.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

#define MCP_TYPE_EVENT_STREAM (mcp_event_stream_get_type ())
G_DECLARE_FINAL_TYPE (McpEventStream, mcp_event_stream, MCP, EVENT_STREAM, GObject)

/*
 * The reading side of a text/event-stream response, shared by the HTTP transports. The body
 * is read in chunks through an McpSseParser, and the JSON-RPC messages of its `message`
 * events are handed on in order of arrival. An event larger than
 * MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE is parsed in a worker thread while reading waits.
 * Events without data (priming events) only move the last event id. A malformed message is
 * logged through the transport's ::log and skipped.
 *
 * Signals (emitted on the main context that started the stream):
 *   ::event    (McpSseEvent *event) -> gboolean
 *                                       an event of another type than `message`, before
 *                                       anything else is done with it; return TRUE when it
 *                                       was handled (the HTTP+SSE `endpoint` event). Events
 *                                       no handler takes are logged and skipped;
 *   ::message  (McpMessage *message)   every message, in order;
 *   ::finished (GError *error)         once for every mcp_event_stream_start(): the body
 *                                       ended (NULL), broke, was cancelled, or carried an
 *                                       event over max-event-size
 *                                       (MCP_TRANSPORT_ERROR_TOO_LARGE). The stream is idle
 *                                       then; start it again on the next body to resume.
 */

/* @transport (not referenced) gets the ::log lines; @description names the stream in them
 * ("the event stream"); @max_event_size bounds one event (0: unlimited); @cancellable
 * (may be NULL) stops reading for good. */
McpEventStream *mcp_event_stream_new                (McpTransport   *transport,
                                                     const char     *description,
                                                     guint64         max_event_size,
                                                     GCancellable   *cancellable);

/* Reads @body (a new connection: everything but the last event id and the retry time is
 * forgotten) until ::finished. The stream must be idle. */
void            mcp_event_stream_start              (McpEventStream *self,
                                                     GInputStream   *body);

/* The last event id the server committed, for Last-Event-ID (NULL when none). */
const char     *mcp_event_stream_get_last_event_id  (McpEventStream *self);
/* The reconnection time the server asked for, in milliseconds, or -1. */
gint64          mcp_event_stream_get_retry          (McpEventStream *self);
/* How many events arrived so far, over every start, priming events included. */
guint           mcp_event_stream_get_n_events       (McpEventStream *self);

G_END_DECLS
