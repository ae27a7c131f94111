/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "demo-mcp-stream.h"
#include "demo-util.h"

typedef struct
{
  guint64  seq;
  GBytes  *bytes;
  gboolean priming;
} StoredEvent;

struct _DemoMcpStream
{
  GObject            parent_instance;

  DemoMcpStreamKind  kind;
  guint              number;
  guint              pending;      /* responses still owed */
  gboolean           persistent;
  gboolean           batch;
  gboolean           complete;     /* no more events will come */
  guint64            next_seq;
  GQueue             events;       /* StoredEvent, SSE kind only */

  GString           *json;         /* JSON kind: the responses so far, comma-separated */
  guint              n_json;
  char              *error_code;   /* request streams: the first JSON-RPC error, for the log */

  SoupServerMessage *msg;          /* the attached response, if any */
  gboolean           body_done;    /* its body was completed */
  gboolean           wrote_body;   /* ...and written out in full */
  guint              keepalive_source;
  GSource           *peer_watch;
};

G_DEFINE_FINAL_TYPE (DemoMcpStream, demo_mcp_stream, G_TYPE_OBJECT)

enum {
  DETACHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
stored_event_free (gpointer data)
{
  StoredEvent *event = data;

  g_bytes_unref (event->bytes);
  g_free (event);
}

static void detach (DemoMcpStream *self,
                    gboolean       delivered);

static void
demo_mcp_stream_dispose (GObject *object)
{
  DemoMcpStream *self = DEMO_MCP_STREAM (object);

  if (self->msg != NULL)
    {
      /* Ends the HTTP response cleanly if the process is going away with it open. */
      if (!self->body_done && self->kind != DEMO_MCP_STREAM_JSON)
        {
          soup_message_body_complete (soup_server_message_get_response_body (self->msg));
          soup_server_message_unpause (self->msg);
        }
      detach (self, FALSE);
    }

  G_OBJECT_CLASS (demo_mcp_stream_parent_class)->dispose (object);
}

static void
demo_mcp_stream_finalize (GObject *object)
{
  DemoMcpStream *self = DEMO_MCP_STREAM (object);

  g_queue_clear_full (&self->events, stored_event_free);
  if (self->json != NULL)
    g_string_free (self->json, TRUE);
  g_free (self->error_code);

  G_OBJECT_CLASS (demo_mcp_stream_parent_class)->finalize (object);
}

static void
demo_mcp_stream_class_init (DemoMcpStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_mcp_stream_dispose;
  object_class->finalize = demo_mcp_stream_finalize;

  /* The attached response went away. @delivered: the whole stream was written. */
  signals[DETACHED] = g_signal_new ("detached",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
demo_mcp_stream_init (DemoMcpStream *self)
{
  g_queue_init (&self->events);
  self->next_seq = 1;
}

DemoMcpStream *
demo_mcp_stream_new (DemoMcpStreamKind kind,
                     guint             number,
                     guint             n_responses,
                     gboolean          batch)
{
  DemoMcpStream *self = g_object_new (DEMO_TYPE_MCP_STREAM, NULL);

  self->kind = kind;
  self->number = number;
  self->pending = n_responses;
  self->persistent = n_responses == 0;
  self->batch = batch;
  if (kind == DEMO_MCP_STREAM_JSON)
    self->json = g_string_new (NULL);
  return self;
}

DemoMcpStreamKind
demo_mcp_stream_get_kind (DemoMcpStream *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_STREAM (self), DEMO_MCP_STREAM_SSE);
  return self->kind;
}

guint
demo_mcp_stream_get_number (DemoMcpStream *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_STREAM (self), 0);
  return self->number;
}

gboolean
demo_mcp_stream_is_complete (DemoMcpStream *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_STREAM (self), TRUE);
  return self->complete;
}

gboolean
demo_mcp_stream_is_attached (DemoMcpStream *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_STREAM (self), FALSE);
  return self->msg != NULL;
}

/* ---------------------------------------------------------------------------------------- */

static void
write_bytes (DemoMcpStream *self,
             GBytes        *bytes)
{
  if (self->msg == NULL || self->body_done)
    return;
  soup_message_body_append_bytes (soup_server_message_get_response_body (self->msg), bytes);
  soup_server_message_unpause (self->msg);
}

static void
write_json_response (DemoMcpStream *self)
{
  GString *body;

  if (self->msg == NULL || self->body_done)
    return;
  self->body_done = TRUE;

  if (self->n_json == 0)
    {
      /* Only when the session ended before any response. */
      soup_server_message_set_status (self->msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (self->msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Session closed\n", strlen ("Session closed\n"));
    }
  else
    {
      body = g_string_sized_new (self->json->len + 2);
      if (self->batch)
        g_string_append_c (body, '[');
      g_string_append_len (body, self->json->str, self->json->len);
      if (self->batch)
        g_string_append_c (body, ']');
      soup_server_message_set_status (self->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (self->msg, "application/json", SOUP_MEMORY_TAKE,
                                        body->str, body->len);
      g_string_free (body, FALSE);
    }
  soup_server_message_unpause (self->msg);
}

/* Completes the attached response's body (the stream ended, or it moves elsewhere). */
static void
end_body (DemoMcpStream *self)
{
  if (self->msg == NULL || self->body_done)
    return;
  if (self->kind == DEMO_MCP_STREAM_JSON)
    {
      write_json_response (self);
      return;
    }
  self->body_done = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (self->msg));
  soup_server_message_unpause (self->msg);
}

/* SSE framing (WHATWG HTML §9.2): each line of @data on its own "data:" line. */
static GBytes *
format_event (const char *id,
              const char *event,
              const char *data,
              gsize       length)
{
  GString *out = g_string_sized_new (length + 64);
  const char *p = data;
  const char *end = data + length;

  if (id != NULL)
    g_string_append_printf (out, "id: %s\n", id);
  if (event != NULL)
    g_string_append_printf (out, "event: %s\n", event);
  do
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;

      g_string_append_len (out, "data: ", 6);
      g_string_append_len (out, p, line_end - p);
      g_string_append_c (out, '\n');
      p = newline != NULL ? newline + 1 : end;
    }
  while (p < end);
  g_string_append_c (out, '\n');
  return g_string_free_to_bytes (out);
}

static void
emit_event (DemoMcpStream *self,
            const char    *event,
            const char    *data,
            gsize          length,
            gboolean       priming)
{
  g_autoptr(GBytes) bytes = NULL;

  if (self->complete)
    return;

  if (self->kind == DEMO_MCP_STREAM_SSE)
    {
      g_autofree char *id = g_strdup_printf ("%u-%" G_GUINT64_FORMAT, self->number,
                                             self->next_seq);
      StoredEvent *stored = g_new0 (StoredEvent, 1);

      bytes = format_event (id, event, data, length);
      stored->seq = self->next_seq++;
      stored->bytes = g_bytes_ref (bytes);
      stored->priming = priming;
      g_queue_push_tail (&self->events, stored);
      if (self->persistent && self->events.length > DEMO_MCP_STREAM_PERSISTENT_HISTORY)
        stored_event_free (g_queue_pop_head (&self->events));
    }
  else
    bytes = format_event (NULL, event, data, length);

  write_bytes (self, bytes);
}

static void
response_sent (DemoMcpStream *self)
{
  if (self->persistent || self->pending == 0)
    return;
  if (--self->pending == 0)
    {
      end_body (self);
      self->complete = TRUE;
    }
}

void
demo_mcp_stream_send (DemoMcpStream *self,
                      McpMessage    *message)
{
  McpMessageKind kind;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_if_fail (DEMO_IS_MCP_STREAM (self));
  g_return_if_fail (MCP_IS_MESSAGE (message));

  if (self->complete)
    return;

  kind = mcp_message_get_kind (message);
  text = mcp_message_to_string (message, &length);

  if (self->kind == DEMO_MCP_STREAM_JSON)
    {
      /* A JSON body has no room for notifications; only the responses go out. */
      if (kind == MCP_MESSAGE_KIND_RESULT || kind == MCP_MESSAGE_KIND_ERROR)
        {
          if (self->n_json++ > 0)
            g_string_append_c (self->json, ',');
          g_string_append_len (self->json, text, length);
        }
    }
  else
    emit_event (self, self->kind == DEMO_MCP_STREAM_LEGACY_SSE ? "message" : NULL,
                text, length, FALSE);

  if (kind == MCP_MESSAGE_KIND_ERROR && !self->persistent && self->error_code == NULL)
    {
      self->error_code = g_strdup_printf ("%d", mcp_message_get_error_code (message));
      if (self->msg != NULL)
        demo_util_note_error (self->msg, self->error_code);
    }
  if (kind == MCP_MESSAGE_KIND_RESULT || kind == MCP_MESSAGE_KIND_ERROR)
    response_sent (self);
}

void
demo_mcp_stream_skip_response (DemoMcpStream *self)
{
  g_return_if_fail (DEMO_IS_MCP_STREAM (self));

  response_sent (self);
}

void
demo_mcp_stream_send_event (DemoMcpStream *self,
                            const char    *event,
                            const char    *data)
{
  g_return_if_fail (DEMO_IS_MCP_STREAM (self));
  g_return_if_fail (self->kind != DEMO_MCP_STREAM_JSON);

  emit_event (self, event, data, strlen (data), FALSE);
}

void
demo_mcp_stream_send_priming (DemoMcpStream *self)
{
  g_return_if_fail (DEMO_IS_MCP_STREAM (self));

  if (self->kind == DEMO_MCP_STREAM_SSE)
    emit_event (self, NULL, "", 0, TRUE);
}

/* ---------------------------------------------------------------------------------------- */
/* The attached connection                                                                    */

static void
detach (DemoMcpStream *self,
        gboolean       delivered)
{
  g_autoptr(SoupServerMessage) msg = g_steal_pointer (&self->msg);

  if (msg == NULL)
    return;

  g_signal_handlers_disconnect_by_data (msg, self);
  g_clear_handle_id (&self->keepalive_source, g_source_remove);
  if (self->peer_watch != NULL)
    {
      g_source_destroy (self->peer_watch);
      g_clear_pointer (&self->peer_watch, g_source_unref);
    }
  self->body_done = FALSE;
  self->wrote_body = FALSE;

  if (delivered)
    {
      /* Nothing left to replay. */
      g_queue_clear_full (&self->events, stored_event_free);
    }
}

static void
emit_detached (DemoMcpStream *self,
               gboolean       delivered)
{
  G_GNUC_UNUSED g_autoptr(DemoMcpStream) hold = g_object_ref (self);

  g_signal_emit (self, signals[DETACHED], 0, delivered);
}

static void
on_wrote_body (SoupServerMessage *msg,
               DemoMcpStream     *self)
{
  self->wrote_body = TRUE;
}

static void
on_finished (SoupServerMessage *msg,
             DemoMcpStream     *self)
{
  gboolean delivered = self->body_done && self->wrote_body && self->complete;

  detach (self, delivered);
  emit_detached (self, delivered);
}

static gboolean
keepalive_cb (gpointer data)
{
  DemoMcpStream *self = data;
  g_autoptr(GBytes) comment = g_bytes_new_static (": keepalive\n\n", 13);

  write_bytes (self, comment);
  return G_SOURCE_CONTINUE;
}

/* Notices a client that hung up while the response is idle, which libsoup only learns on the
 * next write. Data from the client (a pipelined request) stops the watch. */
static gboolean
peer_watch_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      data)
{
  DemoMcpStream *self = data;
  char byte;
  gssize n;

  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      g_clear_pointer (&self->peer_watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  /* The client is gone: end the response and let the stream wait for a resumption. */
  g_clear_pointer (&self->peer_watch, g_source_unref);
  end_body (self);
  detach (self, FALSE);
  emit_detached (self, FALSE);
  return G_SOURCE_REMOVE;
}

void
demo_mcp_stream_attach (DemoMcpStream     *self,
                        SoupServerMessage *msg,
                        guint64            after_seq)
{
  SoupMessageHeaders *headers;
  GSocket *socket;

  g_return_if_fail (DEMO_IS_MCP_STREAM (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  if (self->msg != NULL)
    {
      /* A new connection takes the stream over (a reconnect after a silent drop). */
      end_body (self);
      detach (self, FALSE);
      emit_detached (self, FALSE);
    }

  self->msg = g_object_ref (msg);
  if (self->error_code != NULL)
    demo_util_note_error (msg, self->error_code);
  self->body_done = FALSE;
  self->wrote_body = FALSE;
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), self);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), self);

  if (self->kind == DEMO_MCP_STREAM_JSON)
    {
      if (self->complete || self->pending == 0)
        write_json_response (self);
      else
        soup_server_message_pause (msg);
      return;
    }

  headers = soup_server_message_get_response_headers (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache, no-transform");
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  /* Written chunks are dropped by libsoup; the stream keeps its own copies for replay. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  for (GList *l = self->events.head; l != NULL; l = l->next)
    {
      StoredEvent *event = l->data;

      if (event->seq > after_seq && !(event->priming && after_seq > 0))
        soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                        event->bytes);
    }

  if (self->complete)
    {
      self->body_done = TRUE;
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      return;
    }

  self->keepalive_source = g_timeout_add_seconds (DEMO_MCP_STREAM_KEEPALIVE_S, keepalive_cb,
                                                  self);
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    {
      self->peer_watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (self->peer_watch, G_SOURCE_FUNC (peer_watch_cb), self, NULL);
      g_source_attach (self->peer_watch, NULL);
    }
}

void
demo_mcp_stream_close (DemoMcpStream *self)
{
  g_return_if_fail (DEMO_IS_MCP_STREAM (self));

  end_body (self);
  self->complete = TRUE;
  self->pending = 0;
}

gboolean
demo_mcp_stream_parse_event_id (const char *event_id,
                                guint      *number,
                                guint64    *seq)
{
  const char *dash;
  char *end = NULL;
  guint64 value;

  if (event_id == NULL || !g_ascii_isdigit (event_id[0]))
    return FALSE;
  dash = strchr (event_id, '-');
  if (dash == NULL || !g_ascii_isdigit (dash[1]))
    return FALSE;

  errno = 0;
  value = g_ascii_strtoull (event_id, &end, 10);
  if (errno != 0 || end != dash || value > G_MAXUINT)
    return FALSE;
  *number = (guint) value;

  value = g_ascii_strtoull (dash + 1, &end, 10);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *seq = value;
  return TRUE;
}
