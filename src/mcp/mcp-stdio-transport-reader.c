/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-stdio-transport-private.h"

/*
 * Reading: both pipes are read in chunks with g_input_stream_read_bytes_async() and split at
 * '\n' here, so a line never grows past max-message-size in memory (GDataInputStream would
 * buffer a line of any length). Each stdout line becomes an InboundLine in a queue; lines are
 * parsed at once, or in a worker thread when they are large, and the queue is emptied from the
 * head only as far as parsing is done, which keeps ::message in arrival order. While a thread
 * parses, reading pauses, so at most one large line waits in memory.
 */

#define READ_CHUNK_SIZE  (64 * 1024)
#define STDERR_MAX_LINE  (8 * 1024)
#define EXCERPT_BYTES    80

static void stdout_read_next (McpStdioTransport *self);
static void stderr_read_next (McpStdioTransport *self);

static void
inbound_line_clear (InboundLine *entry)
{
  g_clear_pointer (&entry->line, g_bytes_unref);
  g_clear_object (&entry->message);
  g_clear_pointer (&entry->warning, g_free);
}

static void
inbound_line_unref (InboundLine *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) inbound_line_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InboundLine, inbound_line_unref)

static char *
describe_malformed_line (const char   *data,
                         gsize         len,
                         const GError *error)
{
  g_autofree char *excerpt = NULL;
  gsize cut = MIN (len, EXCERPT_BYTES);

  /* Cut at a character boundary so that the excerpt stays readable. */
  while (cut < len && cut > 0 && ((guchar) data[cut] & 0xC0) == 0x80)
    cut--;
  excerpt = g_utf8_make_valid (data, cut);

  return g_strdup_printf ("Skipped a malformed line from the server (%" G_GSIZE_FORMAT
                          " bytes, “%s%s”): %s",
                          len, excerpt, cut < len ? "…" : "", error->message);
}

static gboolean
is_blank (const char *data,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

/* Reading stdout */

static void
emit_inbound (McpStdioTransport *self,
              McpMessage        *message,
              const char        *warning)
{
  if (message != NULL)
    mcp_transport_emit_message (MCP_TRANSPORT (self), message);
  else
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING, "%s", warning);
}

static void
maybe_stdout_done (McpStdioTransport *self)
{
  if (self->out.eof && !self->stdout_done && g_queue_is_empty (&self->inbound))
    {
      self->stdout_done = TRUE;
      mcp_stdio_transport_check_peer_gone (self);
    }
}

static void
flush_inbound (McpStdioTransport *self)
{
  InboundLine *entry;

  while (self->state != STATE_CLOSED
         && (entry = g_queue_peek_head (&self->inbound)) != NULL
         && entry->done)
    {
      g_queue_pop_head (&self->inbound);
      emit_inbound (self, entry->message, entry->warning);
      inbound_line_unref (entry);
    }

  if (self->state == STATE_CLOSED)
    return;

  if (self->out.paused && self->parses_in_flight == 0 && !self->out.eof)
    {
      self->out.paused = FALSE;
      stdout_read_next (self);
    }

  maybe_stdout_done (self);
}

static void
parse_line_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  McpMessage *message;

  message = mcp_message_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (message != NULL)
    g_task_return_pointer (task, message, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_line_parsed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (source);
  g_autoptr(InboundLine) entry = user_data;
  g_autoptr(GError) error = NULL;
  McpMessage *message;

  message = g_task_propagate_pointer (G_TASK (result), &error);
  self->parses_in_flight--;

  if (self->state == STATE_CLOSED)
    {
      g_clear_object (&message);
      return;
    }

  if (message != NULL)
    entry->message = message;
  else
    {
      gsize len;
      const char *data = g_bytes_get_data (entry->line, &len);

      entry->warning = describe_malformed_line (data, len, error);
    }
  g_clear_pointer (&entry->line, g_bytes_unref);
  entry->done = TRUE;

  flush_inbound (self);
}

/* Takes one complete line. @owned is TRUE when @data is self->out.line's buffer, which may
 * then be handed to a worker thread without a copy. */
static void
handle_stdout_line (McpStdioTransport *self,
                    const char        *data,
                    gsize              len,
                    gboolean           owned)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *warning = NULL;
  InboundLine *entry;

  if (is_blank (data, len))
    return;

  if (len > MCP_STDIO_TRANSPORT_THREAD_PARSE_SIZE)
    {
      g_autoptr(GTask) task = NULL;
      GBytes *bytes;

      if (owned)
        {
          bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->out.line));
          self->out.line = g_byte_array_new ();
        }
      else
        bytes = g_bytes_new (data, len);

      entry = g_rc_box_new0 (InboundLine);
      entry->line = bytes;
      g_queue_push_tail (&self->inbound, entry);
      self->parses_in_flight++;

      task = g_task_new (self, self->cancellable, on_line_parsed, g_rc_box_acquire (entry));
      g_task_set_source_tag (task, handle_stdout_line);
      g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, parse_line_in_thread);
      return;
    }

  message = mcp_message_parse (data, len, &error);
  if (message == NULL)
    warning = describe_malformed_line (data, len, error);

  if (g_queue_is_empty (&self->inbound))
    {
      emit_inbound (self, message, warning);
      return;
    }

  /* A large line before this one is still being parsed: wait behind it. */
  entry = g_rc_box_new0 (InboundLine);
  entry->message = g_steal_pointer (&message);
  entry->warning = g_steal_pointer (&warning);
  entry->done = TRUE;
  g_queue_push_tail (&self->inbound, entry);
}

static void
stdout_too_large (McpStdioTransport *self)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                       "The server sent a message larger than the limit of %" G_GUINT64_FORMAT
                       " bytes", self->max_message_size);
  mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_ERROR, "%s; closing the connection",
                          error->message);
  mcp_stdio_transport_finish (self, error);
}

static void
stdout_take_chunk (McpStdioTransport *self,
                   const char        *data,
                   gsize              len)
{
  while (len > 0 && self->state != STATE_CLOSED)
    {
      const char *newline = memchr (data, '\n', len);
      gsize segment = newline ? (gsize) (newline - data) : len;

      /* Refuse as soon as the line is known to be too long, before buffering more of it. */
      if ((guint64) self->out.line->len + segment > self->max_message_size)
        {
          stdout_too_large (self);
          return;
        }

      if (newline == NULL)
        {
          g_byte_array_append (self->out.line, (const guint8 *) data, segment);
          return;
        }

      if (self->out.line->len == 0)
        handle_stdout_line (self, data, segment, FALSE);
      else
        {
          g_byte_array_append (self->out.line, (const guint8 *) data, segment);
          handle_stdout_line (self, (const char *) self->out.line->data, self->out.line->len, TRUE);
          g_byte_array_set_size (self->out.line, 0);
        }

      data += segment + 1;
      len -= segment + 1;
    }
}

static void
stdout_reached_end (McpStdioTransport *self)
{
  /* A last line without a newline still counts. */
  if (self->out.line->len > 0)
    {
      handle_stdout_line (self, (const char *) self->out.line->data, self->out.line->len, TRUE);
      g_byte_array_set_size (self->out.line, 0);
      if (self->state == STATE_CLOSED)
        return;
    }

  self->out.eof = TRUE;
  flush_inbound (self);
}

static void
on_stdout_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(McpStdioTransport) self = link_take (user_data);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self == NULL || self->state == STATE_CLOSED || self->out.eof)
    return;

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                              "Could not read the server's standard output: %s", error->message);
      stdout_reached_end (self);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      stdout_reached_end (self);
      return;
    }

  stdout_take_chunk (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (self->state == STATE_CLOSED)
    return;

  /* Emit what was parsed at once when nothing large is in the way. */
  flush_inbound (self);
  if (self->state == STATE_CLOSED)
    return;
  if (self->parses_in_flight > 0)
    self->out.paused = TRUE;
  else if (!self->out.paused)
    stdout_read_next (self);
}

static void
stdout_read_next (McpStdioTransport *self)
{
  g_input_stream_read_bytes_async (self->out.stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->read_cancellable, on_stdout_read,
                                   link_ref (self->link));
}

/* Reading stderr */

static void
emit_stderr_line (McpStdioTransport *self,
                  const char        *data,
                  gsize              len,
                  gboolean           truncated)
{
  g_autofree char *text = NULL;

  if (len > 0 && data[len - 1] == '\r')
    len--;
  text = g_utf8_make_valid (data, len);
  mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO, "stderr: %s%s",
                          text, truncated ? "…" : "");
}

static void
stderr_take_chunk (McpStdioTransport *self,
                   const char        *data,
                   gsize              len)
{
  LineReader *err = &self->err;

  while (len > 0 && self->state != STATE_CLOSED)
    {
      const char *newline = memchr (data, '\n', len);
      gsize segment = newline ? (gsize) (newline - data) : len;

      if (!err->discarding)
        {
          gsize room = STDERR_MAX_LINE - err->line->len;

          g_byte_array_append (err->line, (const guint8 *) data, MIN (segment, room));
          if (segment > room)
            {
              /* Show the start of an endless line and skip the rest of it. */
              emit_stderr_line (self, (const char *) err->line->data, err->line->len, TRUE);
              g_byte_array_set_size (err->line, 0);
              err->discarding = TRUE;
            }
          else if (newline != NULL)
            {
              emit_stderr_line (self, (const char *) err->line->data, err->line->len, FALSE);
              g_byte_array_set_size (err->line, 0);
            }
        }

      if (newline == NULL)
        return;

      err->discarding = FALSE;
      data += segment + 1;
      len -= segment + 1;
    }
}

static void
on_stderr_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(McpStdioTransport) self = link_take (user_data);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (self == NULL || self->state == STATE_CLOSED || self->err.eof)
    return;

  if (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (self->err.line->len > 0)
        emit_stderr_line (self, (const char *) self->err.line->data, self->err.line->len, FALSE);
      g_byte_array_set_size (self->err.line, 0);
      self->err.eof = TRUE;
      mcp_stdio_transport_check_peer_gone (self);
      return;
    }

  stderr_take_chunk (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (self->state != STATE_CLOSED)
    stderr_read_next (self);
}

static void
stderr_read_next (McpStdioTransport *self)
{
  g_input_stream_read_bytes_async (self->err.stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->read_cancellable, on_stderr_read,
                                   link_ref (self->link));
}


void
mcp_stdio_transport_start_reading (McpStdioTransport *self)
{
  stdout_read_next (self);
  stderr_read_next (self);
}

void
mcp_stdio_transport_clear_inbound (McpStdioTransport *self)
{
  g_queue_clear_full (&self->inbound, (GDestroyNotify) inbound_line_unref);
}
