/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of McpSseTransport: mcp-sse-transport.c (the object, its properties,
 * open, sending and close) and mcp-sse-transport-stream.c (the GET stream: its `endpoint`
 * event, the messages on it, its end). */

#include "mcp-event-stream.h"
#include "mcp-http-common-private.h"
#include "mcp-sse-transport.h"

G_BEGIN_DECLS

typedef enum {
  STATE_INITIAL,
  STATE_OPENING,
  STATE_OPEN,
  STATE_CLOSED,
} State;

struct _McpSseTransport
{
  GObject         parent_instance;

  char           *url;
  GUri           *uri;            /* NULL when url does not parse */
  char           *display_url;    /* without a password, for messages */
  SoupSession    *session;
  GPtrArray      *headers;        /* "Name: value" */
  char           *bearer_token;
  McpDpop        *dpop;           /* the key bearer_token is bound to, or NULL */
  guint64         max_message_size;
  char          **last_www_authenticate;

  State           state;
  GUri           *endpoint;
  char           *endpoint_url;

  GCancellable   *cancellable;    /* the stream and every POST; cancelled by close */
  GTask          *open_task;
  gulong          open_cancel_id;
  SoupMessage    *stream_msg;
  McpEventStream *events;         /* reads the stream; made by open */
};

/* mcp-sse-transport.c */

G_GNUC_INTERNAL
void mcp_sse_transport_remember_www_authenticate (McpSseTransport *self,
                                                  SoupMessage     *msg);
/* Takes @endpoint as the message endpoint and notifies "endpoint". */
G_GNUC_INTERNAL
void mcp_sse_transport_take_endpoint             (McpSseTransport *self,
                                                  GUri            *endpoint);

/* mcp-sse-transport-stream.c */

/* Sends the GET for the stream (state OPENING); open completes with the endpoint event. */
G_GNUC_INTERNAL
void mcp_sse_transport_open_stream               (McpSseTransport *self);
/* Cancels the stream and every POST; the stream finishes by itself. */
G_GNUC_INTERNAL
void mcp_sse_transport_stop_stream               (McpSseTransport *self);
/* Completes a pending open with @error (taken; NULL for success), if one is pending. */
G_GNUC_INTERNAL
void mcp_sse_transport_finish_open               (McpSseTransport *self,
                                                  GError          *error);

G_END_DECLS
