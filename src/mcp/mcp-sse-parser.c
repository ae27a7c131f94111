/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An incremental text/event-stream parser following the WHATWG HTML
 * "Server-sent events" parsing rules ("Interpreting an event stream").
 *
 * Speed: every byte is looked at once. Line ends are found 64 bytes at a
 * time over the new bytes only; complete lines are handled where they lie
 * in the caller's chunk. The value of a data line is copied into the data
 * buffer in the same pass that finds its end, also when the line continues
 * over many chunks; comments and unknown fields are dropped as they come,
 * and only a field name cut before its colon or an event/id/retry value is
 * ever buffered. The data buffer lives as long as the stream: small events
 * get a copy next to their type and id in one allocation, large ones take
 * the buffer itself (and give it back if nobody kept them). */

#include "mcp-sse-parser-private.h"

G_DEFINE_QUARK (mcp-sse-parser-error-quark, mcp_sse_parser_error)

/* The three bytes of U+FEFF in UTF-8. */
static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

G_DEFINE_FINAL_TYPE (McpSseParser, mcp_sse_parser, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LAST_EVENT_ID,
  PROP_RETRY,
  PROP_MAX_EVENT_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_EVENT,
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Signals */

void
mcp_sse_parser_emit_event (McpSseParser *self,
                           McpSseEvent  *event)
{
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

void
mcp_sse_parser_emit_retry (McpSseParser *self,
                           gint64        milliseconds)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0, milliseconds);
}

/* Copies the value of a data line from @value on straight into the data
 * buffer, up to its line end or @stop, and returns where it stopped. */
static const char *
copy_data_value (McpSseParser *self,
                 const char   *value,
                 const char   *stop)
{
  for (;;)
    {
      /* Grow as far as the value has proved long, not as far as the chunk
       * could hold: a caller may feed a whole file at once. */
      gsize room = self->data_cap > self->data_len + 1 ? self->data_cap - self->data_len - 1 : 0;
      gsize step = MIN ((gsize) (stop - value), MAX (room, DATA_COPY_STEP));
      const char *eol;

      data_reserve (self, step);
      eol = copy_until_line_end (value, value + step, self->data + self->data_len);
      self->data_len += (gsize) (eol - value);

      if (eol < value + step || value + step == stop)
        return eol;
      value += step;
    }
}

/* How far a data value may be read when @used bytes of the event and its
 * current line are taken: one byte past the limit proves it broken. */
static inline const char *
data_value_stop (McpSseParser *self,
                 guint64       used,
                 const char   *value,
                 const char   *end)
{
  if (self->max_event_size == 0 || (guint64) (end - value) + used <= self->max_event_size)
    return end;
  if (used > self->max_event_size)
    return value;
  return value + (self->max_event_size - used) + 1;
}

static gboolean
process_bytes (McpSseParser  *self,
               const char    *buf,
               gsize          len,
               GError       **error)
{
  const char *p = buf;
  const char *end = buf + len;
  guint generation = self->generation;

  if (self->pending_cr)
    {
      self->pending_cr = FALSE;
      if (*p == '\n')
        p++;
    }

  while (p < end)
    {
      const char *eol;

      if (self->line_state == LINE_NONE && end - p > 5 && memcmp (p, "data:", 5) == 0)
        {
          /* The line MCP streams are made of. */
          gsize base = self->data_len;
          const char *value = p[5] == ' ' ? p + 6 : p + 5;

          eol = copy_data_value (self, value,
                                 data_value_stop (self, base + (gsize) (value - p), value, end));
          if (self->max_event_size != 0 && (guint64) base + (eol - p) > self->max_event_size)
            return mcp_sse_parser_fail_too_large (self, (guint64) base + (eol - p), error);

          if (eol == end)
            {
              self->line_state = LINE_VALUE;
              self->line_field = FIELD_DATA;
              self->line_len = (guint64) (eol - p);
              self->line_data_base = base;
              return TRUE;
            }
          self->data[self->data_len++] = '\n';
        }
      else if (self->line_state == LINE_VALUE && self->line_field == FIELD_DATA)
        {
          /* A long data value arriving chunk by chunk. */
          eol = copy_data_value (self, p,
                                 data_value_stop (self, self->line_data_base + self->line_len,
                                                  p, end));
          self->line_len += (guint64) (eol - p);
          if (self->max_event_size != 0
              && (guint64) self->line_data_base + self->line_len > self->max_event_size)
            return mcp_sse_parser_fail_too_large (self,
                                         (guint64) self->line_data_base + self->line_len, error);

          if (eol == end)
            return TRUE;
          self->line_state = LINE_NONE;
          self->data[self->data_len++] = '\n';
        }
      else if (self->line_state == LINE_NONE)
        {
          eol = find_line_end (p, end);
          if (eol == end)
            return mcp_sse_parser_begin_partial (self, p, (gsize) (end - p), error);
          if (!mcp_sse_parser_process_line (self, p, (gsize) (eol - p), error))
            return FALSE;
        }
      else
        {
          eol = find_line_end (p, end);
          if (!mcp_sse_parser_continue_partial (self, p, (gsize) (eol - p), error))
            return FALSE;
          if (eol == end)
            return TRUE;
          mcp_sse_parser_end_partial (self);
        }

      /* A signal handler reset the parser: the rest belongs to the old stream. */
      if G_UNLIKELY (generation != self->generation)
        return TRUE;

      p = eol + 1;
      if (*eol == '\r')
        {
          if (p == end)
            self->pending_cr = TRUE;
          else if (*p == '\n')
            p++;
        }
    }

  return TRUE;
}

/* Forgets the event being built and the current line. */
static void
discard_pending (McpSseParser *self)
{
  data_clear (self);
  g_string_truncate (self->event_type, 0);
  g_string_truncate (self->line, 0);
  self->line_state = LINE_NONE;
  self->line_len = 0;
  self->pending_cr = FALSE;
  self->bom_matched = 0;
  self->bom_done = FALSE;

  /* An id that no blank line committed is forgotten with its event. */
  g_string_truncate (self->id_buffer, 0);
  g_string_append_len (self->id_buffer, self->last_event_id->str,
                       (gssize) self->last_event_id->len);
  self->id_buffer_dirty = FALSE;

  self->generation++;
}

/* Public API */

/**
 * mcp_sse_parser_new:
 * @max_event_size: the most bytes an event's data plus its current line may
 *   take, 0 for no limit
 *
 * Returns: (transfer full): a parser waiting for the start of a stream
 */
McpSseParser *
mcp_sse_parser_new (gsize max_event_size)
{
  return g_object_new (MCP_TYPE_SSE_PARSER,
                       "max-event-size", (guint64) max_event_size,
                       NULL);
}

/**
 * mcp_sse_parser_feed:
 * @self: a #McpSseParser
 * @data: (array length=len): the next bytes of the stream
 * @len: how many
 * @error: return location for a #GError
 *
 * Parses @data, which may start or end anywhere (inside a line, a CRLF pair or
 * the byte order mark), emitting #McpSseParser::event and
 * #McpSseParser::retry as the stream says.
 *
 * Returns: %FALSE when the stream broke the size limit now or before
 */
gboolean
mcp_sse_parser_feed (McpSseParser  *self,
                     const char    *data,
                     gsize          len,
                     GError       **error)
{
  gboolean ok = TRUE;
  guint generation;

  g_return_val_if_fail (MCP_IS_SSE_PARSER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (!self->in_feed, FALSE);

  if (self->failed)
    {
      g_set_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_FAILED,
                   "The event stream already failed; expected a reset before more input");
      return FALSE;
    }

  if (len == 0)
    return TRUE;

  g_object_ref (self);
  self->in_feed = TRUE;
  generation = self->generation;

  if (!self->bom_done)
    {
      while (len > 0 && self->bom_matched < 3 && *data == utf8_bom[self->bom_matched])
        {
          self->bom_matched++;
          data++;
          len--;
        }

      if (self->bom_matched == 3)
        {
          self->bom_done = TRUE;
        }
      else if (len > 0)
        {
          /* Not a byte order mark after all: what looked like one is text. */
          self->bom_done = TRUE;
          if (self->bom_matched > 0)
            ok = process_bytes (self, utf8_bom, self->bom_matched, error);
        }
    }

  if (ok && len > 0 && generation == self->generation)
    ok = process_bytes (self, data, len, error);

  self->in_feed = FALSE;

  if (self->notify_last_event_id)
    {
      self->notify_last_event_id = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVENT_ID]);
    }
  if (self->notify_retry)
    {
      self->notify_retry = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY]);
    }

  g_object_unref (self);

  return ok;
}

/**
 * mcp_sse_parser_finish:
 * @self: a #McpSseParser
 *
 * Ends the stream. An event without its closing blank line, a last line
 * without its line end and an id that no blank line committed are dropped,
 * as the spec says. Input fed afterwards starts a new stream (a byte order
 * mark is stripped again). A failed parser stays failed.
 */
void
mcp_sse_parser_finish (McpSseParser *self)
{
  g_return_if_fail (MCP_IS_SSE_PARSER (self));

  discard_pending (self);
}

/**
 * mcp_sse_parser_reset:
 * @self: a #McpSseParser
 *
 * Like mcp_sse_parser_finish(), and also clears a failure. The last event
 * ID and the retry time are kept for the next connection.
 */
void
mcp_sse_parser_reset (McpSseParser *self)
{
  g_return_if_fail (MCP_IS_SSE_PARSER (self));

  discard_pending (self);
  self->failed = FALSE;
}

const char *
mcp_sse_parser_get_last_event_id (McpSseParser *self)
{
  g_return_val_if_fail (MCP_IS_SSE_PARSER (self), NULL);

  return self->last_event_id_set ? self->last_event_id->str : NULL;
}

gint64
mcp_sse_parser_get_retry (McpSseParser *self)
{
  g_return_val_if_fail (MCP_IS_SSE_PARSER (self), -1);

  return self->retry;
}

/* GObject */

static void
mcp_sse_parser_finalize (GObject *object)
{
  McpSseParser *self = MCP_SSE_PARSER (object);

  g_free (self->data);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->id_buffer, TRUE);
  g_string_free (self->line, TRUE);
  g_string_free (self->last_event_id, TRUE);

  G_OBJECT_CLASS (mcp_sse_parser_parent_class)->finalize (object);
}

static void
mcp_sse_parser_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  McpSseParser *self = MCP_SSE_PARSER (object);

  switch (prop_id)
    {
    case PROP_LAST_EVENT_ID:
      g_value_set_string (value, mcp_sse_parser_get_last_event_id (self));
      break;

    case PROP_RETRY:
      g_value_set_int64 (value, self->retry);
      break;

    case PROP_MAX_EVENT_SIZE:
      g_value_set_uint64 (value, self->max_event_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_sse_parser_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  McpSseParser *self = MCP_SSE_PARSER (object);

  switch (prop_id)
    {
    case PROP_MAX_EVENT_SIZE:
      self->max_event_size = g_value_get_uint64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_sse_parser_class_init (McpSseParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mcp_sse_parser_finalize;
  object_class->get_property = mcp_sse_parser_get_property;
  object_class->set_property = mcp_sse_parser_set_property;

  /**
   * McpSseParser:last-event-id:
   *
   * The last event ID the stream committed (an id field followed by a blank
   * line), to send as Last-Event-ID when reconnecting. %NULL until the
   * stream sets one; the empty string when the stream cleared it.
   */
  properties[PROP_LAST_EVENT_ID] =
    g_param_spec_string ("last-event-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * McpSseParser:retry:
   *
   * The reconnection time in milliseconds from the last valid retry field,
   * or -1 when the stream never sent one.
   */
  properties[PROP_RETRY] =
    g_param_spec_int64 ("retry", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * McpSseParser:max-event-size:
   *
   * The most bytes the data of one event plus the line being read may take
   * (each data line counts with its '\n'); 0 for no limit.
   */
  properties[PROP_MAX_EVENT_SIZE] =
    g_param_spec_uint64 ("max-event-size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * McpSseParser::event:
   * @self: the parser
   * @event: the dispatched event; take a reference to keep it
   *
   * Emitted for every event the stream dispatches, including events whose
   * data is empty.
   */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, MCP_TYPE_SSE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[SIGNAL_EVENT],
                              G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__BOXEDv);

  /**
   * McpSseParser::retry:
   * @self: the parser
   * @milliseconds: the reconnection time the stream asked for
   *
   * Emitted for every valid retry field, even when the time did not change.
   */
  signals[SIGNAL_RETRY] =
    g_signal_new ("retry",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
mcp_sse_parser_init (McpSseParser *self)
{
  self->event_type = g_string_new (NULL);
  self->id_buffer = g_string_new (NULL);
  self->line = g_string_new (NULL);
  self->last_event_id = g_string_new (NULL);
  self->retry = -1;
}
