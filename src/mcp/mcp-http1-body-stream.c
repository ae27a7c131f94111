/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http1-body-stream.c: the body of an HTTP/1.1 response, as a pollable GInputStream.
 *
 * Bytes come from the connection into one buffer; reads hand out what the framing lets
 * through: up to Content-Length, the data of each chunk (sizes, extensions, the CRLF after
 * each chunk and the trailer section are consumed here), or everything until the server
 * closes. Once the body has ended the connection goes back to whoever made the stream, or is
 * closed when it cannot serve another request. */

#include "config.h"

#include "mcp-http1-body-stream.h"

#include <string.h>

#define READ_SIZE        (16 * 1024)
#define MAX_LINE         (8 * 1024)    /* a chunk-size line or a trailer line */
#define MAX_TRAILERS     100

typedef enum {
  STATE_LENGTH,
  STATE_CHUNK_SIZE,
  STATE_CHUNK_DATA,
  STATE_CHUNK_END,      /* the CRLF after a chunk's data */
  STATE_TRAILERS,
  STATE_UNTIL_CLOSE,
  STATE_DONE,
} State;

struct _McpHttp1BodyStream
{
  GInputStream          parent_instance;

  GIOStream            *io;          /* NULL once handed back or closed */
  GInputStream         *raw;
  GByteArray           *buffer;      /* NULL once given back */
  gsize                 pos;         /* first unread byte of buffer */
  State                 state;
  guint64               remaining;   /* of the body (LENGTH) or of the chunk (CHUNK_DATA) */
  guint                 n_trailers;
  gboolean              keep_alive;
  gboolean              can_poll;    /* raw's, asked once: readers ask before every read */

  McpHttp1BodyDoneFunc  done;
  gpointer              user_data;
  GDestroyNotify        destroy;
};

static void mcp_http1_body_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpHttp1BodyStream, mcp_http1_body_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      mcp_http1_body_stream_pollable_init))

/* Gives the connection back (@reusable) or closes it; only the first call does anything. */
static void
finish (McpHttp1BodyStream *self,
        gboolean            reusable)
{
  g_autoptr(GIOStream) io = g_steal_pointer (&self->io);
  McpHttp1BodyDoneFunc done = self->done;
  gpointer user_data = self->user_data;
  GDestroyNotify destroy = self->destroy;
  GByteArray *buffer = NULL;

  if (io == NULL)
    return;

  self->done = NULL;
  self->destroy = NULL;
  self->user_data = NULL;
  reusable = reusable && self->keep_alive && self->pos == self->buffer->len;
  if (!reusable)
    g_io_stream_close (io, NULL, NULL);
  else
    {
      /* nothing is left to read: the next response may as well use the buffer */
      buffer = g_steal_pointer (&self->buffer);
      g_byte_array_set_size (buffer, 0);
      self->pos = 0;
    }
  if (done != NULL)
    done (io, buffer, reusable, user_data);
  else if (buffer != NULL)
    g_byte_array_unref (buffer);
  if (destroy != NULL)
    destroy (user_data);
}

static gsize
available (McpHttp1BodyStream *self)
{
  return self->buffer != NULL ? self->buffer->len - self->pos : 0;
}

static void
consume (McpHttp1BodyStream *self,
         gsize               n)
{
  self->pos += n;
  if (self->pos == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->pos = 0;
    }
}

/* Reads more from the connection into the buffer: the count, 0 at its end, -1 on error
 * (G_IO_ERROR_WOULD_BLOCK when @blocking is FALSE and nothing is there). */
static gssize
fill (McpHttp1BodyStream  *self,
      gboolean             blocking,
      GCancellable        *cancellable,
      GError             **error)
{
  gsize before;
  gssize n;

  if (self->pos > 0)
    {
      g_byte_array_remove_range (self->buffer, 0, (guint) self->pos);
      self->pos = 0;
    }
  before = self->buffer->len;
  g_byte_array_set_size (self->buffer, (guint) (before + READ_SIZE));
  if (blocking)
    n = g_input_stream_read (self->raw, self->buffer->data + before, READ_SIZE, cancellable,
                             error);
  else
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->raw),
                                                  self->buffer->data + before, READ_SIZE,
                                                  cancellable, error);
  g_byte_array_set_size (self->buffer, (guint) (before + MAX (n, 0)));
  return n;
}

/* A complete line at the read position: its length without the line end in @len, the
 * length with it in @full; FALSE when the buffer holds no line end yet. */
static gboolean
find_line (McpHttp1BodyStream *self,
           gsize              *len,
           gsize              *full)
{
  const guint8 *start = self->buffer->data + self->pos;
  const guint8 *nl = memchr (start, '\n', available (self));

  if (nl == NULL)
    return FALSE;
  *full = (gsize) (nl - start) + 1;
  *len = *full - 1;
  if (*len > 0 && start[*len - 1] == '\r')
    (*len)--;
  return TRUE;
}

static gboolean
parse_chunk_size (const char  *line,
                  gsize        len,
                  guint64     *size,
                  GError     **error)
{
  guint64 value = 0;
  gsize i = 0;

  for (; i < len && g_ascii_isxdigit (line[i]); i++)
    {
      if (value > (G_MAXUINT64 >> 4))
        break;
      value = (value << 4) | (guint64) g_ascii_xdigit_value (line[i]);
    }
  /* then optional whitespace and extensions (";name=value"), which mean nothing to us */
  if (i == 0 || i > 16 || (i < len && line[i] != ';' && line[i] != ' ' && line[i] != '\t'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Expected a chunk size in hexadecimal digits, got “%.*s”",
                   (int) MIN (len, 40), line);
      return FALSE;
    }
  *size = value;
  return TRUE;
}

/* Decodes what the buffer holds into @out, reading from the connection when it needs more,
 * unless @buffered_only. An error leaves the state as it was, so that it comes again. */
static gssize
body_read (McpHttp1BodyStream  *self,
           void                *out,
           gsize                count,
           gboolean             blocking,
           gboolean             buffered_only,
           GCancellable        *cancellable,
           GError             **error)
{
  for (;;)
    {
      gsize len, full, n;
      gssize got;

      switch (self->state)
        {
        case STATE_DONE:
          return 0;

        case STATE_LENGTH:
        case STATE_CHUNK_DATA:
          if (self->remaining == 0)
            {
              if (self->state == STATE_LENGTH)
                {
                  self->state = STATE_DONE;
                  finish (self, TRUE);
                  return 0;
                }
              self->state = STATE_CHUNK_END;
              continue;
            }
          if (available (self) > 0 && count > 0)
            {
              n = (gsize) MIN ((guint64) MIN (available (self), count), self->remaining);
              memcpy (out, self->buffer->data + self->pos, n);
              consume (self, n);
              self->remaining -= n;
              if (self->state == STATE_LENGTH && self->remaining == 0)
                {
                  self->state = STATE_DONE;
                  finish (self, TRUE);
                }
              return (gssize) n;
            }
          if (count == 0)
            return 0;
          break;

        case STATE_UNTIL_CLOSE:
          if (available (self) > 0 && count > 0)
            {
              n = MIN (available (self), count);
              memcpy (out, self->buffer->data + self->pos, n);
              consume (self, n);
              return (gssize) n;
            }
          if (count == 0)
            return 0;
          break;

        case STATE_CHUNK_END:
          if (find_line (self, &len, &full))
            {
              if (len != 0)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Expected the end of a chunk, got more data than its size");
                  return -1;
                }
              consume (self, full);
              self->state = STATE_CHUNK_SIZE;
              continue;
            }
          if (available (self) > 2)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Expected the end of a chunk, got more data than its size");
              return -1;
            }
          break;

        case STATE_CHUNK_SIZE:
        case STATE_TRAILERS:
          if (find_line (self, &len, &full))
            {
              const char *line = (const char *) self->buffer->data + self->pos;

              if (len > MAX_LINE)
                break; /* reported below */
              if (self->state == STATE_CHUNK_SIZE)
                {
                  if (!parse_chunk_size (line, len, &self->remaining, error))
                    return -1;
                  self->state = self->remaining == 0 ? STATE_TRAILERS : STATE_CHUNK_DATA;
                }
              else if (len == 0)
                {
                  consume (self, full);
                  self->state = STATE_DONE;
                  finish (self, TRUE);
                  return 0;
                }
              else if (++self->n_trailers > MAX_TRAILERS)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Expected at most %d trailer fields, got more",
                               MAX_TRAILERS);
                  return -1;
                }
              consume (self, full);
              continue;
            }
          break;
        }

      /* Need more from the connection. */
      if (buffered_only)
        return 0;
      if ((self->state == STATE_CHUNK_SIZE || self->state == STATE_TRAILERS) &&
          available (self) > MAX_LINE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Expected a chunk line of at most %d bytes, got a longer one", MAX_LINE);
          return -1;
        }
      if (self->io == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The body stream was closed");
          return -1;
        }
      got = fill (self, blocking, cancellable, error);
      if (got < 0)
        return -1;
      if (got == 0)
        {
          if (self->state == STATE_UNTIL_CLOSE)
            {
              self->state = STATE_DONE;
              finish (self, FALSE);
              return 0;
            }
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "The server closed the connection before the end of the body");
          return -1;
        }
    }
}

/* Whether body_read() can make progress without reading from the connection. */
static gboolean
buffered_progress (McpHttp1BodyStream *self)
{
  switch (self->state)
    {
    case STATE_DONE:
      return TRUE;
    case STATE_LENGTH:
    case STATE_CHUNK_DATA:
      return self->remaining == 0 || available (self) > 0;
    case STATE_UNTIL_CLOSE:
      return available (self) > 0;
    case STATE_CHUNK_END:
    case STATE_CHUNK_SIZE:
    case STATE_TRAILERS:
    default:
      return available (self) > MAX_LINE ||
             memchr (self->buffer->data + self->pos, '\n', available (self)) != NULL;
    }
}

/* A read that fails leaves the connection unusable. */
static gssize
body_read_checked (McpHttp1BodyStream  *self,
                   void                *out,
                   gsize                count,
                   gboolean             blocking,
                   GCancellable        *cancellable,
                   GError             **error)
{
  GError *local = NULL;
  gssize n = body_read (self, out, count, blocking, FALSE, cancellable, &local);

  if (n < 0 && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      self->state = STATE_DONE;
      finish (self, FALSE);
    }
  if (local != NULL)
    g_propagate_error (error, local);

  /* The last data of a chunk went out: when what follows it in the buffer ends the body
   * (the last chunk, the trailers), the connection is free now rather than on the next read,
   * so that a request made before that read can have it. Anything wrong there is reported by
   * that read, as before: a failed body_read() consumes nothing. */
  if (n > 0 && self->state == STATE_CHUNK_DATA && self->remaining == 0)
    {
      g_autoptr(GError) ignored = NULL;

      body_read (self, NULL, 0, FALSE, TRUE, NULL, &ignored);
    }
  return n;
}

static gssize
mcp_http1_body_stream_read (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return body_read_checked (MCP_HTTP1_BODY_STREAM (stream), buffer, count, TRUE, cancellable,
                            error);
}

static gboolean
mcp_http1_body_stream_close (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  McpHttp1BodyStream *self = MCP_HTTP1_BODY_STREAM (stream);

  /* a body left unread leaves the connection in the middle of a response */
  if (self->state != STATE_DONE)
    self->state = STATE_DONE;
  finish (self, FALSE);
  return TRUE;
}

static gboolean
mcp_http1_body_stream_can_poll (GPollableInputStream *stream)
{
  return MCP_HTTP1_BODY_STREAM (stream)->can_poll;
}

static gboolean
mcp_http1_body_stream_is_readable (GPollableInputStream *stream)
{
  McpHttp1BodyStream *self = MCP_HTTP1_BODY_STREAM (stream);

  return buffered_progress (self) || self->io == NULL ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->raw));
}

static GSource *
mcp_http1_body_stream_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  McpHttp1BodyStream *self = MCP_HTTP1_BODY_STREAM (stream);
  g_autoptr(GSource) child = NULL;

  if (buffered_progress (self) || self->io == NULL)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->raw), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
mcp_http1_body_stream_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  return body_read_checked (MCP_HTTP1_BODY_STREAM (stream), buffer, count, FALSE, NULL,
                            error);
}

static void
mcp_http1_body_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = mcp_http1_body_stream_can_poll;
  iface->is_readable = mcp_http1_body_stream_is_readable;
  iface->create_source = mcp_http1_body_stream_create_source;
  iface->read_nonblocking = mcp_http1_body_stream_read_nonblocking;
}

static void
mcp_http1_body_stream_finalize (GObject *object)
{
  McpHttp1BodyStream *self = MCP_HTTP1_BODY_STREAM (object);

  finish (self, FALSE);
  g_clear_object (&self->raw);
  g_clear_pointer (&self->buffer, g_byte_array_unref);

  G_OBJECT_CLASS (mcp_http1_body_stream_parent_class)->finalize (object);
}

static void
mcp_http1_body_stream_class_init (McpHttp1BodyStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = mcp_http1_body_stream_finalize;
  stream_class->read_fn = mcp_http1_body_stream_read;
  stream_class->close_fn = mcp_http1_body_stream_close;
}

static void
mcp_http1_body_stream_init (McpHttp1BodyStream *self)
{
}

McpHttp1BodyStream *
mcp_http1_body_stream_new (GIOStream            *io,
                           GByteArray           *leftover,
                           McpHttp1Framing       framing,
                           guint64               length,
                           gboolean              keep_alive,
                           McpHttp1BodyDoneFunc  done,
                           gpointer              user_data,
                           GDestroyNotify        destroy)
{
  McpHttp1BodyStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (io), NULL);

  self = g_object_new (MCP_TYPE_HTTP1_BODY_STREAM, NULL);
  self->io = g_object_ref (io);
  self->raw = g_object_ref (g_io_stream_get_input_stream (io));
  self->can_poll = G_IS_POLLABLE_INPUT_STREAM (self->raw) &&
                   g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->raw));
  self->buffer = leftover != NULL ? leftover : g_byte_array_new ();
  self->keep_alive = keep_alive;
  self->done = done;
  self->user_data = user_data;
  self->destroy = destroy;

  switch (framing)
    {
    case MCP_HTTP1_FRAMING_NONE:
      self->state = STATE_LENGTH;
      self->remaining = 0;
      break;
    case MCP_HTTP1_FRAMING_LENGTH:
      self->state = STATE_LENGTH;
      self->remaining = length;
      break;
    case MCP_HTTP1_FRAMING_CHUNKED:
      self->state = STATE_CHUNK_SIZE;
      break;
    case MCP_HTTP1_FRAMING_UNTIL_CLOSE:
    default:
      self->state = STATE_UNTIL_CLOSE;
      break;
    }

  /* an empty body is over before the first read: the connection is free at once */
  if (self->state == STATE_LENGTH && self->remaining == 0)
    {
      self->state = STATE_DONE;
      finish (self, TRUE);
    }
  return self;
}
