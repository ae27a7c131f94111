/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-http-transport.h"

/*
 * McpHttpTransport against a SoupServer in the test process that misbehaves on purpose: it
 * cuts streams, answers with errors, never answers, or checks the headers it gets. Each test
 * sets Fixture.respond to its scenario; what the scenario leaves unanswered gets the default
 * (initialize opens session "sess-1", notifications get 202, DELETE gets 200), and anything
 * else 501.
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
/* What the server got                                                                        */

typedef struct {
  char               *method;
  char               *path;
  char               *query;
  SoupMessageHeaders *headers;
  char               *body;
  gint64              time;
  guint16             remote_port;   /* tells the client's connections apart */
} Request;

const char *
request_header (Request    *r,
                const char *name);

/* A connection taken away from the SoupServer, to write whatever HTTP we like on it. */
typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GCancellable *cancellable;
  gboolean      closed_by_client;
  gboolean      closed_by_us;
  gint64        closed_at;
} RawConn;

typedef struct _Fixture Fixture;
typedef void (*RespondFunc) (Fixture           *f,
                             SoupServerMessage *msg,
                             Request           *request,
                             McpMessage        *message);

struct _Fixture
{
  SoupServer       *server;
  char             *mcp_url;
  GPtrArray        *requests;      /* Request */
  GPtrArray        *raw_conns;     /* RawConn */
  RespondFunc       respond;
  int               step;
  gboolean          stolen;        /* the scenario took the connection of this request */

  McpHttpTransport *transport;
  GPtrArray        *messages;      /* McpMessage */
  guint             closed_count;
  GError           *closed_error;
};

RawConn *
raw_steal (Fixture           *f,
           SoupServerMessage *msg,
           const char        *head);

void
raw_write (RawConn    *c,
           const char *data);

void
raw_write_chunk (RawConn    *c,
                 const char *data);

void
raw_close (RawConn *c);

/* Breaks the connection the hard way (TCP RST), so the client's read fails. */
void
raw_reset (RawConn *c);

gboolean
raw_reset_later (gpointer user_data);

/* Notices when the client drops the connection. */
void
raw_watch_client (RawConn *c);

#define SSE_HEAD_CLOSE   "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" \
                         "Connection: close\r\n\r\n"
#define SSE_HEAD_CHUNKED "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" \
                         "Transfer-Encoding: chunked\r\n\r\n"

void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body);

/* Answers every request with an empty result. */
void
respond_echo_ok (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message);

void
on_message (McpTransport *transport,
            McpMessage   *message,
            Fixture      *f);

void
on_closed (McpTransport *transport,
           const GError *error,
           Fixture      *f);

void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Fixture      *f);

void
fixture_set_up (Fixture       *f,
                gconstpointer  data);

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data);

void
open_transport (Fixture *f);

gboolean
send_message (Fixture       *f,
              McpMessage    *message,
              GHashTable    *headers,
              GCancellable  *cancellable,
              GError       **error);

McpMessage *
new_request (gint64      id,
             const char *method,
             const char *params_json);

/* Opens the transport and initializes: session "sess-1", protocol 2025-11-25. */
void
initialize (Fixture *f);

guint
count_messages_with_id (Fixture    *f,
                        const char *key);

/* The @nth (from 0) request with @method the server got, or NULL. */
Request *
find_request (Fixture    *f,
              const char *method,
              guint       nth);

G_END_DECLS
