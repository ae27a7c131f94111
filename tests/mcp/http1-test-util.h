/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-http-common-private.h"
#include "mcp-http-transport.h"
#include "mcp-http1-connection.h"

/*
 * McpHttp1Connection (src/mcp/mcp-http1-connection.c and mcp-http1-body-stream.c) against real
 * servers in the same process. RawServer is a raw socket server in a thread, which writes
 * exactly the bytes a test's handler asks for (split reads, odd framings, closes at awkward
 * moments); request() sends one request on a connection and reads its whole answer.
 */

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------------ */
/* A raw HTTP server in a thread                                                              */

typedef struct _RawServer RawServer;

/* Answers request number @n (0-based, over all connections) on @conn; returns whether to
 * keep the connection for another request. */
typedef gboolean (*RawHandler) (RawServer         *server,
                                GSocketConnection *conn,
                                const char        *request,
                                guint              n);

struct _RawServer
{
  GSocketListener *listener;
  guint16          port;
  GThread         *thread;
  GCancellable    *stop;
  RawHandler       handler;
  GMutex           lock;
  GPtrArray       *requests;      /* every request's text, in order */
  guint            n_connections;
  GCancellable    *release;       /* handlers that hold a response wait for this */
};

void
raw_write (GSocketConnection *conn,
           const char        *text);

/* One byte at a time, each its own TCP segment as far as the client can tell. */
void
raw_write_bytewise (GSocketConnection *conn,
                    const char        *text);

RawServer *
raw_server_new (RawHandler handler);

guint
raw_server_n_requests (RawServer *server);

/* A copy of request @i's text, or NULL. */
char *
raw_server_request (RawServer *server,
                    guint      i);

guint
raw_server_n_connections (RawServer *server);

void
raw_server_free (RawServer *server);

GUri *
raw_server_uri (RawServer  *server,
                const char *path);

/* A RawHandler: answers request @n with {"n":@n} (Content-Length, MCP-Session-Id s-@n) and
 * keeps the connection. */
gboolean
answer_length (RawServer         *server,
               GSocketConnection *conn,
               const char        *request_text,
               guint              n);

/* ------------------------------------------------------------------------------------------ */
/* The client side: one request, its body read through mcp_http_read_body_async()           */

typedef struct {
  gboolean      done;
  GInputStream *stream;
  guint         status;
  char         *reason;
  GBytes       *body;
  GError       *error;          /* of the send, or of the body */
  GCancellable *cancel_in_body; /* cancelled once the head is in, when set */
} Result;

void
result_clear (Result *r);

/* The callback of mcp_http1_connection_send_async() with a Result as user data: stores the
 * head, then reads the body into it and sets done. */
void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data);

/* Sends @method to @uri with @body (NULL for none) and reads the whole answer into @r. */
SoupMessage *
request (McpHttp1Connection *conn,
         const char         *method,
         GUri               *uri,
         const char         *body,
         Result             *r);

void
assert_body (Result     *r,
             const char *expected);

/* Lets the client notice what the server did (a close) before the next request. */
void
settle (void);

G_END_DECLS
