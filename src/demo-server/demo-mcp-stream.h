/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-message.h"

G_BEGIN_DECLS

/* Where a session's outgoing messages go: one logical stream that is written to an HTTP
 * response while one is attached.
 *
 * - SSE (Streamable HTTP): every event gets an id "NUMBER-SEQ" and is kept until the stream
 *   was delivered in full, so a GET with Last-Event-ID can replay what a dropped connection
 *   missed and take the stream over.
 * - JSON (Streamable HTTP, client does not accept SSE): the response(s) as one body.
 * - LEGACY_SSE (HTTP+SSE transport): "event: message" without ids; nothing is kept.
 *
 * A request stream owes a number of responses and completes when all are sent; a persistent
 * stream (the GET stream, the legacy stream) never completes by itself. */

typedef enum {
  DEMO_MCP_STREAM_SSE,
  DEMO_MCP_STREAM_JSON,
  DEMO_MCP_STREAM_LEGACY_SSE,
} DemoMcpStreamKind;

/* Events a persistent SSE stream keeps for replay. */
#define DEMO_MCP_STREAM_PERSISTENT_HISTORY 256
/* Seconds between keep-alive comments on an idle attached SSE stream. */
#define DEMO_MCP_STREAM_KEEPALIVE_S 15

#define DEMO_TYPE_MCP_STREAM (demo_mcp_stream_get_type ())
G_DECLARE_FINAL_TYPE (DemoMcpStream, demo_mcp_stream, DEMO, MCP_STREAM, GObject)

/* @n_responses: responses owed, 0 for a persistent stream. @batch: JSON kind only, answer with
 * an array. */
DemoMcpStream *demo_mcp_stream_new               (DemoMcpStreamKind  kind,
                                                  guint              number,
                                                  guint              n_responses,
                                                  gboolean           batch);
DemoMcpStreamKind demo_mcp_stream_get_kind       (DemoMcpStream     *self);
guint          demo_mcp_stream_get_number        (DemoMcpStream     *self);
gboolean       demo_mcp_stream_is_complete       (DemoMcpStream     *self);
gboolean       demo_mcp_stream_is_attached       (DemoMcpStream     *self);

/* Sends a message; a result or error counts against the responses owed. */
void           demo_mcp_stream_send              (DemoMcpStream     *self,
                                                  McpMessage        *message);
/* A response that will never come (cancelled request): counts as sent. */
void           demo_mcp_stream_skip_response     (DemoMcpStream     *self);
/* A raw SSE event (the legacy "endpoint" event). */
void           demo_mcp_stream_send_event        (DemoMcpStream     *self,
                                                  const char        *event,
                                                  const char        *data);
/* An event with an id and empty data, so the client can resume even before any message
 * (2025-11-25). SSE kind only. */
void           demo_mcp_stream_send_priming      (DemoMcpStream     *self);

/* Makes @msg this stream's HTTP response: sets status and headers, writes the events after
 * @after_seq (0: all) and keeps writing. A connection already attached is ended first. */
void           demo_mcp_stream_attach            (DemoMcpStream     *self,
                                                  SoupServerMessage *msg,
                                                  guint64            after_seq);
/* Ends the stream for good: no more events; an attached response is finished. */
void           demo_mcp_stream_close             (DemoMcpStream     *self);

/* Parses "NUMBER-SEQ". */
gboolean       demo_mcp_stream_parse_event_id    (const char        *event_id,
                                                  guint             *number,
                                                  guint64           *seq);

G_END_DECLS
