/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-event-stream.c: JSON-RPC messages from a text/event-stream body.
 *
 * Reading and handing on are decoupled by a queue: every chunk read is fed to the parser,
 * which queues the events it completes; the queue is then emptied in order, and only when it
 * is empty is the next chunk read. A large event is parsed in a worker thread while the
 * queue waits, so messages keep their order and the main loop keeps running. Every pending
 * read or parse holds a reference on the stream.
 *
 * Reads go into one buffer of the stream's own, 1 KiB until a read fills it, then 64 KiB: a
 * small first buffer comes from malloc's per-thread cache, where a larger one would have malloc
 * consolidate its free lists on every answer.
 * When the body is pollable, what has already arrived is read at once without a trip
 * through the main loop (at most MAX_READS_AT_ONCE times in a row); only when nothing is
 * there yet does an asynchronous read wait for it. A small answer (a priming event, the
 * response, the end of the body) then costs one wait instead of three. */

#include "config.h"

#include "mcp-event-stream.h"

#include "mcp-http-common-private.h"

#define FIRST_READ_SIZE   1024
#define MAX_READS_AT_ONCE 8

struct _McpEventStream
{
  GObject       parent_instance;

  GWeakRef      transport;      /* for ::log */
  char         *description;
  guint64       max_event_size;
  GCancellable *cancellable;

  McpSseParser *parser;
  GInputStream *body;           /* NULL while idle */
  guint8       *buffer;         /* what reads fill */
  gsize         buffer_size;
  guint         reads_at_once;  /* reads done without the main loop since the last wait */
  GQueue        events;         /* McpSseEvent *, waiting to be handled */
  guint         n_events;       /* every event seen, priming ones included */
  gboolean      eof;
  GError       *error;          /* reported once the queue is empty */
};

G_DEFINE_FINAL_TYPE (McpEventStream, mcp_event_stream, G_TYPE_OBJECT)

enum {
  SIGNAL_EVENT,
  SIGNAL_MESSAGE,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void drain (McpEventStream *self);

static void log_to_transport (McpEventStream *self,
                              McpLogLevel     level,
                              const char     *format,
                              ...) G_GNUC_PRINTF (3, 4);

static void
log_to_transport (McpEventStream *self,
                  McpLogLevel     level,
                  const char     *format,
                  ...)
{
  g_autoptr(McpTransport) transport = g_weak_ref_get (&self->transport);
  g_autofree char *text = NULL;
  va_list args;

  if (transport == NULL)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  mcp_transport_emit_log (transport, level, "%s", text);
}

static void
on_parser_event (McpSseParser *parser,
                 McpSseEvent  *event,
                 gpointer      user_data)
{
  McpEventStream *self = user_data;

  self->n_events++;
  g_queue_push_tail (&self->events, mcp_sse_event_ref (event));
}

static void
close_body (McpEventStream *self)
{
  if (self->body != NULL)
    {
      /* Before the end of the body, this drops the connection instead of reading on. */
      g_input_stream_close (self->body, NULL, NULL);
      g_clear_object (&self->body);
    }
}

/* The end of one start(): takes @error. */
static void
finish (McpEventStream *self,
        GError         *error)
{
  g_queue_clear_full (&self->events, (GDestroyNotify) mcp_sse_event_unref);
  close_body (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, error);
  g_clear_error (&error);
}

/* One read's outcome: @size bytes in the buffer (0 at the end of the body), or @error. */
static void
handle_read (McpEventStream *self,
             gssize          size,
             GError         *error)
{
  GError *parse_error = NULL;

  if (size < 0)
    {
      finish (self, error);
      return;
    }

  if (size == 0)
    {
      mcp_sse_parser_finish (self->parser);
      self->eof = TRUE;
    }
  else
    {
      if (!mcp_sse_parser_feed (self->parser, (const char *) self->buffer, (gsize) size,
                                &parse_error))
        {
          self->error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                     "An event on %s is larger than the limit of %"
                                     G_GUINT64_FORMAT " bytes (%s)",
                                     self->description, self->max_event_size,
                                     parse_error->message);
          g_clear_error (&parse_error);
        }
      /* A full buffer: more is coming, so read more at a time from now on. */
      if ((gsize) size == self->buffer_size && self->buffer_size < MCP_HTTP_READ_CHUNK_SIZE)
        {
          self->buffer_size = MCP_HTTP_READ_CHUNK_SIZE;
          self->buffer = g_realloc (self->buffer, self->buffer_size);
        }
    }

  drain (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(McpEventStream) self = user_data;
  GError *error = NULL;
  gssize size;

  self->reads_at_once = 0;
  size = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  handle_read (self, size, error);
}

static void
read_next (McpEventStream *self)
{
  if (self->buffer == NULL)
    {
      self->buffer_size = FIRST_READ_SIZE;
      self->buffer = g_malloc (self->buffer_size);
    }

  /* What is there already, read now; the recursion through drain() is bounded by
   * MAX_READS_AT_ONCE. */
  if (self->reads_at_once < MAX_READS_AT_ONCE &&
      G_IS_POLLABLE_INPUT_STREAM (self->body) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->body)))
    {
      G_GNUC_UNUSED g_autoptr(McpEventStream) hold = g_object_ref (self);
      GError *error = NULL;
      gssize size;

      size = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->body),
                                                       self->buffer, self->buffer_size,
                                                       self->cancellable, &error);
      if (size >= 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          self->reads_at_once++;
          handle_read (self, size, error);
          return;
        }
      g_clear_error (&error);
    }

  g_input_stream_read_async (self->body, self->buffer, self->buffer_size, G_PRIORITY_DEFAULT,
                             self->cancellable, on_read, g_object_ref (self));
}

static void
deliver (McpEventStream *self,
         GPtrArray      *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, g_ptr_array_index (messages, i));
    }
}

static void
log_malformed (McpEventStream *self,
               const GError   *error)
{
  log_to_transport (self, MCP_LOG_WARNING, "Skipping a malformed message on %s: %s",
                    self->description, error->message);
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(McpEventStream) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;

  messages = mcp_http_parse_messages_finish (result, &error);
  if (messages == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          finish (self, error);
          return;
        }
      log_malformed (self, error);
      g_clear_error (&error);
    }
  else
    deliver (self, messages);

  drain (self);
}

/* Hands the queued events on, one at a time; a large one is parsed in a thread and the
 * queue waits for it. Then reads on, or reports the end. */
static void
drain (McpEventStream *self)
{
  McpSseEvent *event;

  while ((event = g_queue_pop_head (&self->events)) != NULL)
    {
      G_GNUC_UNUSED g_autoptr(McpSseEvent) owned = event;
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      const char *type = mcp_sse_event_get_event_type (event);
      gsize length = mcp_sse_event_get_data_length (event);
      gboolean is_message = g_str_equal (type, "message");

      if (g_cancellable_is_cancelled (self->cancellable))
        break;

      if (!is_message)
        {
          gboolean handled = FALSE;

          g_signal_emit (self, signals[SIGNAL_EVENT], 0, event, &handled);
          if (handled)
            continue;
        }

      /* A priming event (empty data) only moves the last event id, which the parser keeps. */
      if (length == 0)
        continue;

      if (!is_message)
        {
          log_to_transport (self, MCP_LOG_DEBUG, "Ignoring an event of type “%s” on %s",
                            type, self->description);
          continue;
        }

      if (length > MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE)
        {
          g_autoptr(GBytes) bytes = NULL;

          bytes = g_bytes_new_with_free_func (mcp_sse_event_get_data (event), length,
                                              (GDestroyNotify) mcp_sse_event_unref,
                                              mcp_sse_event_ref (event));
          mcp_http_parse_messages_async (bytes, self->cancellable, on_parsed,
                                         g_object_ref (self));
          return;
        }

      messages = mcp_message_parse_batch (mcp_sse_event_get_data (event), length, &error);
      if (messages == NULL)
        log_malformed (self, error);
      else
        deliver (self, messages);
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "Operation was cancelled"));
  else if (self->error != NULL)
    finish (self, g_steal_pointer (&self->error));
  else if (self->eof)
    finish (self, NULL);
  else
    read_next (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

McpEventStream *
mcp_event_stream_new (McpTransport *transport,
                      const char   *description,
                      guint64       max_event_size,
                      GCancellable *cancellable)
{
  McpEventStream *self;

  g_return_val_if_fail (transport == NULL || MCP_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (description != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (MCP_TYPE_EVENT_STREAM, NULL);
  g_weak_ref_set (&self->transport, transport);
  self->description = g_strdup (description);
  self->max_event_size = max_event_size;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->parser = mcp_sse_parser_new (max_event_size);
  g_signal_connect (self->parser, "event", G_CALLBACK (on_parser_event), self);

  return self;
}

void
mcp_event_stream_start (McpEventStream *self,
                        GInputStream   *body)
{
  g_return_if_fail (MCP_IS_EVENT_STREAM (self));
  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (self->body == NULL);

  self->body = g_object_ref (body);
  self->eof = FALSE;
  self->reads_at_once = 0;
  g_clear_error (&self->error);
  mcp_sse_parser_reset (self->parser);
  read_next (self);
}

const char *
mcp_event_stream_get_last_event_id (McpEventStream *self)
{
  g_return_val_if_fail (MCP_IS_EVENT_STREAM (self), NULL);

  return mcp_sse_parser_get_last_event_id (self->parser);
}

gint64
mcp_event_stream_get_retry (McpEventStream *self)
{
  g_return_val_if_fail (MCP_IS_EVENT_STREAM (self), -1);

  return mcp_sse_parser_get_retry (self->parser);
}

guint
mcp_event_stream_get_n_events (McpEventStream *self)
{
  g_return_val_if_fail (MCP_IS_EVENT_STREAM (self), 0);

  return self->n_events;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
mcp_event_stream_dispose (GObject *object)
{
  McpEventStream *self = MCP_EVENT_STREAM (object);

  g_queue_clear_full (&self->events, (GDestroyNotify) mcp_sse_event_unref);
  close_body (self);
  if (self->parser != NULL)
    g_signal_handlers_disconnect_by_data (self->parser, self);
  g_clear_object (&self->parser);

  G_OBJECT_CLASS (mcp_event_stream_parent_class)->dispose (object);
}

static void
mcp_event_stream_finalize (GObject *object)
{
  McpEventStream *self = MCP_EVENT_STREAM (object);

  g_weak_ref_clear (&self->transport);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->description);
  /* a pending read holds a reference: none is left */
  g_free (self->buffer);

  G_OBJECT_CLASS (mcp_event_stream_parent_class)->finalize (object);
}

static void
mcp_event_stream_class_init (McpEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mcp_event_stream_dispose;
  object_class->finalize = mcp_event_stream_finalize;

  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  g_signal_accumulator_true_handled, NULL,
                  NULL,
                  G_TYPE_BOOLEAN, 1, MCP_TYPE_SSE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, MCP_TYPE_MESSAGE);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mcp_event_stream_init (McpEventStream *self)
{
  g_weak_ref_init (&self->transport, NULL);
  g_queue_init (&self->events);
}
