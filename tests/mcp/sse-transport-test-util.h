/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-sse-transport.h"

/*
 * McpSseTransport (HTTP+SSE, 2024-11-05) against a SoupServer in the test process. GET
 * /base/sse takes the connection from the server and writes the event stream by hand (a
 * comment, then the endpoint event unless Fixture.endpoint_data is NULL); POST /base/messages
 * answers 202 and echoes each request's method back as a result on that stream. Fixture fields
 * make it refuse (401), answer with the wrong content type or refuse POSTs.
 */

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                    */

gboolean
wake_up (gpointer user_data);

/* Runs the main loop until @cond holds; fails the test after @seconds. */
#define WAIT_UNTIL(cond, seconds)                                                     \
  G_STMT_START {                                                                      \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    guint wake_id_ = g_timeout_add (20, wake_up, NULL);                               \
    while (!(cond))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > deadline_)                                      \
          g_error ("Timed out after %d s waiting for %s", (int) (seconds), #cond);    \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
    g_source_remove (wake_id_);                                                       \
  } G_STMT_END

void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data);

/* ------------------------------------------------------------------------------------------ */
/* The server                                                                                 */

typedef struct {
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  char               *body;
} Request;

const char *
request_header (Request    *r,
                const char *name);

/* The SSE stream: a connection taken from the SoupServer, written to by hand. */
typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GCancellable *cancellable;
  gboolean      closed_by_client;
  gboolean      closed_by_us;
} RawConn;

void
raw_conn_free (RawConn *c);

void
raw_write_chunk (RawConn    *c,
                 const char *data);

void
raw_close (RawConn *c);

typedef struct {
  SoupServer      *server;
  char            *base_url;    /* http://127.0.0.1:PORT */
  char            *sse_url;     /* …/base/sse */
  int              port;
  GPtrArray       *requests;
  RawConn         *sse;
  const char      *endpoint_data;   /* what the endpoint event says; NULL: send none */
  gboolean         refuse_401;
  gboolean         wrong_type;
  guint            post_status;

  McpSseTransport *transport;
  GPtrArray       *messages;
  guint            closed_count;
  GError          *closed_error;
} Fixture;

/* ------------------------------------------------------------------------------------------ */
/* The transport                                                                              */

/* Records f->transport's messages and closing in @f, and logs its log lines. */
void
connect_transport (Fixture *f);

void
fixture_set_up (Fixture       *f,
                gconstpointer  data);

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data);

gboolean
open_transport (Fixture  *f,
                GError  **error);

gboolean
send_message (Fixture     *f,
              McpMessage  *message,
              GError     **error);

McpMessage *
new_request (gint64      id,
             const char *method,
             const char *params_json);

/* The message received with id key @key (e.g. "i:1"), or NULL. */
McpMessage *
find_message (Fixture    *f,
              const char *key);

G_END_DECLS
