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

#include "mcp-sse-parser.h"

#include <string.h>

#if defined(__SSE2__)
# include <emmintrin.h>
#endif

/* One allocation holds the event, its type, its id and, unless the data is
 * large, its data, all NUL-terminated. Large data keeps the buffer it was
 * built in, so it is never copied. */
struct _McpSseEvent
{
  gatomicrefcount  ref_count;
  gboolean         data_owned; /* data is a block of its own */
  char            *data;       /* may contain NUL */
  gsize            data_length;
  const char      *id;
  char             event_type[];
};

G_DEFINE_BOXED_TYPE (McpSseEvent, mcp_sse_event, mcp_sse_event_ref, mcp_sse_event_unref)

G_DEFINE_QUARK (mcp-sse-parser-error-quark, mcp_sse_parser_error)

typedef enum {
  FIELD_IGNORED,
  FIELD_DATA,
  FIELD_EVENT,
  FIELD_ID,
  FIELD_RETRY,
} Field;

/* Where the parser stands inside a line that a chunk boundary cut. */
typedef enum {
  LINE_NONE,        /* between lines: the next byte starts a line */
  LINE_NAME,        /* inside the field name; the bytes so far are in ->line */
  LINE_VALUE_START, /* right after the colon: one space may follow */
  LINE_VALUE,       /* inside the value of ->line_field */
} LineState;

/* Data shorter than this is copied into the event's own allocation, so the
 * parser keeps one warm buffer; longer data hands that buffer over. */
#define EVENT_INLINE_DATA_MAX (64 * 1024)

/* A handed-over buffer the consumer dropped during emission is taken back
 * when no larger than this: a stream of large results then reuses one
 * buffer instead of faulting in fresh pages for each. */
#define WORK_BUFFER_KEEP_MAX (4 * 1024 * 1024)

/* How much the data buffer grows at a time beyond what it already holds
 * while a data value is copied in. */
#define DATA_COPY_STEP (64 * 1024)

/* The three bytes of U+FEFF in UTF-8. */
static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

struct _McpSseParser
{
  GObject    parent_instance;

  guint64    max_event_size; /* 0: unlimited */

  /* The event under construction: data lines each followed by '\n'. This
   * buffer lives as long as the stream and is reused from event to event. */
  char      *data;
  gsize      data_len;
  gsize      data_cap;
  GString   *event_type;

  /* The spec's "last event ID buffer" (set by id fields) and the committed
   * last event ID (copied from the buffer at each blank line). */
  GString   *id_buffer;
  gboolean   id_buffer_dirty;
  GString   *last_event_id;
  gboolean   last_event_id_set;
  gint64     retry;

  /* The current line, when a chunk ended inside it. */
  LineState  line_state;
  Field      line_field;
  GString   *line;          /* field name, or the value of event/id/retry */
  guint64    line_len;      /* bytes of the line so far, terminator excluded */
  gsize      line_data_base; /* data_len when the line began */

  guint      generation;    /* bumped by reset/finish, so feed notices */
  guint      bom_matched : 2;
  guint      bom_done : 1;
  guint      pending_cr : 1; /* the last chunk ended with CR: skip one LF */
  guint      failed : 1;
  guint      in_feed : 1;
  guint      notify_last_event_id : 1;
  guint      notify_retry : 1;
};

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

/* McpSseEvent */

McpSseEvent *
mcp_sse_event_ref (McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  g_atomic_ref_count_inc (&event->ref_count);
  return event;
}

void
mcp_sse_event_unref (McpSseEvent *event)
{
  g_return_if_fail (event != NULL);

  if (!g_atomic_ref_count_dec (&event->ref_count))
    return;

  if (event->data_owned)
    g_free (event->data);
  g_free (event);
}

const char *
mcp_sse_event_get_event_type (const McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return event->event_type;
}

const char *
mcp_sse_event_get_data (const McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return event->data;
}

gsize
mcp_sse_event_get_data_length (const McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, 0);

  return event->data_length;
}

const char *
mcp_sse_event_get_id (const McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  return event->id;
}

/* Line scanning */

/* Finds the first CR or LF in [p, end), or returns end; with @dst, also
 * copies the bytes before it there (@dst must have room for end - p bytes;
 * bytes after the line end may be written too). Every byte of the stream
 * passes through here once, 64 at a time where the CPU allows; data values
 * are copied in the same pass instead of being read again. */
G_ALWAYS_INLINE static inline const char *
scan_line (const char *p,
           const char *end,
           char       *dst)
{
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8 ('\r');
  const __m128i lf = _mm_set1_epi8 ('\n');

  while (end - p >= 64)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (const void *) p);
      __m128i b = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 16));
      __m128i c = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 32));
      __m128i d = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 48));
      __m128i ma = _mm_or_si128 (_mm_cmpeq_epi8 (a, cr), _mm_cmpeq_epi8 (a, lf));
      __m128i mb = _mm_or_si128 (_mm_cmpeq_epi8 (b, cr), _mm_cmpeq_epi8 (b, lf));
      __m128i mc = _mm_or_si128 (_mm_cmpeq_epi8 (c, cr), _mm_cmpeq_epi8 (c, lf));
      __m128i md = _mm_or_si128 (_mm_cmpeq_epi8 (d, cr), _mm_cmpeq_epi8 (d, lf));

      if (dst != NULL)
        {
          _mm_storeu_si128 ((__m128i *) (void *) dst, a);
          _mm_storeu_si128 ((__m128i *) (void *) (dst + 16), b);
          _mm_storeu_si128 ((__m128i *) (void *) (dst + 32), c);
          _mm_storeu_si128 ((__m128i *) (void *) (dst + 48), d);
          dst += 64;
        }

      if (_mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (ma, mb), _mm_or_si128 (mc, md))) != 0)
        {
          guint64 mask = (guint64) (guint) _mm_movemask_epi8 (ma)
                       | (guint64) (guint) _mm_movemask_epi8 (mb) << 16
                       | (guint64) (guint) _mm_movemask_epi8 (mc) << 32
                       | (guint64) (guint) _mm_movemask_epi8 (md) << 48;

          return p + __builtin_ctzll (mask);
        }
      p += 64;
    }

  while (end - p >= 16)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (const void *) p);
      int mask = _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (a, cr),
                                                  _mm_cmpeq_epi8 (a, lf)));

      if (dst != NULL)
        {
          _mm_storeu_si128 ((__m128i *) (void *) dst, a);
          dst += 16;
        }
      if (mask != 0)
        return p + __builtin_ctz ((guint) mask);
      p += 16;
    }
#endif

  for (; p < end; p++)
    {
      /* '\n' is 10 and '\r' 13: one compare rejects most bytes. */
      if G_UNLIKELY ((guchar) *p <= '\r' && (*p == '\n' || *p == '\r'))
        return p;
      if (dst != NULL)
        *dst++ = *p;
    }

  return end;
}

static const char *
find_line_end (const char *p,
               const char *end)
{
  return scan_line (p, end, NULL);
}

static const char *
copy_until_line_end (const char *p,
                     const char *end,
                     char       *dst)
{
  return scan_line (p, end, dst);
}

static Field
classify_field (const char *name,
                gsize       len)
{
  switch (len)
    {
    case 2:
      return memcmp (name, "id", 2) == 0 ? FIELD_ID : FIELD_IGNORED;
    case 4:
      return memcmp (name, "data", 4) == 0 ? FIELD_DATA : FIELD_IGNORED;
    case 5:
      if (memcmp (name, "event", 5) == 0)
        return FIELD_EVENT;
      return memcmp (name, "retry", 5) == 0 ? FIELD_RETRY : FIELD_IGNORED;
    default:
      return FIELD_IGNORED;
    }
}

/* The data buffer */

static inline void
data_reserve (McpSseParser *self,
              gsize         extra)
{
  gsize needed = self->data_len + extra + 1; /* room for the closing NUL */

  if G_LIKELY (needed <= self->data_cap)
    return;

  if (self->data_cap * 2 > needed)
    needed = self->data_cap * 2;
  needed = MAX (needed, 256);

  self->data = g_realloc (self->data, needed);
  self->data_cap = needed;
}

static inline void
data_append (McpSseParser *self,
             const char   *bytes,
             gsize         len)
{
  data_reserve (self, len);
  memcpy (self->data + self->data_len, bytes, len);
  self->data_len += len;
}

static inline void
data_append_line (McpSseParser *self,
                  const char   *bytes,
                  gsize         len)
{
  data_reserve (self, len + 1);
  memcpy (self->data + self->data_len, bytes, len);
  self->data_len += len;
  self->data[self->data_len++] = '\n';
}

static void
data_clear (McpSseParser *self)
{
  g_clear_pointer (&self->data, g_free);
  self->data_len = 0;
  self->data_cap = 0;
}

/* Fields and dispatch */

static gboolean
fail_event_too_large (McpSseParser  *self,
                      guint64        size,
                      GError       **error)
{
  self->failed = TRUE;
  data_clear (self);
  g_string_truncate (self->line, 0);
  self->line_state = LINE_NONE;

  g_set_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE,
               "Server-sent event of at least %" G_GUINT64_FORMAT " bytes (data plus the "
               "current line), expected at most %" G_GUINT64_FORMAT " bytes",
               size, self->max_event_size);
  return FALSE;
}

static void
apply_retry (McpSseParser *self,
             const char   *value,
             gsize         len)
{
  gint64 ms = 0;

  /* Only ASCII digits; anything else (sign, space, nothing) is ignored. */
  if (len == 0)
    return;

  for (gsize i = 0; i < len; i++)
    {
      int digit;

      if (value[i] < '0' || value[i] > '9')
        return;

      digit = value[i] - '0';
      /* A longer number than fits means "wait practically forever". */
      if (ms > (G_MAXINT64 - digit) / 10)
        ms = G_MAXINT64;
      else
        ms = ms * 10 + digit;
    }

  if (self->retry != ms)
    {
      self->retry = ms;
      self->notify_retry = TRUE;
    }

  /* Last: a handler may reset the parser. */
  g_signal_emit (self, signals[SIGNAL_RETRY], 0, ms);
}

static void
apply_field (McpSseParser *self,
             Field         field,
             const char   *value,
             gsize         len)
{
  switch (field)
    {
    case FIELD_DATA:
      data_append_line (self, value, len);
      break;

    case FIELD_EVENT:
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, value, len);
      break;

    case FIELD_ID:
      if (memchr (value, '\0', len) != NULL)
        break;
      g_string_truncate (self->id_buffer, 0);
      g_string_append_len (self->id_buffer, value, len);
      self->id_buffer_dirty = TRUE;
      break;

    case FIELD_RETRY:
      apply_retry (self, value, len);
      break;

    case FIELD_IGNORED:
    default:
      break;
    }
}

static void
commit_last_event_id (McpSseParser *self)
{
  self->id_buffer_dirty = FALSE;

  if (self->last_event_id_set
      && self->last_event_id->len == self->id_buffer->len
      && memcmp (self->last_event_id->str, self->id_buffer->str, self->id_buffer->len) == 0)
    return;

  g_string_truncate (self->last_event_id, 0);
  g_string_append_len (self->last_event_id, self->id_buffer->str,
                       (gssize) self->id_buffer->len);
  self->last_event_id_set = TRUE;
  self->notify_last_event_id = TRUE;
}

static void
dispatch_event (McpSseParser *self)
{
  McpSseEvent *event;
  const char *type = "message";
  gsize type_len = strlen ("message");
  gsize id_size = self->last_event_id_set ? self->last_event_id->len + 1 : 0;
  gsize len;
  gsize handed_cap = 0;
  gboolean inline_data;
  char *p;

  /* The spec commits the id first, even when nothing is dispatched. */
  if (self->id_buffer_dirty)
    {
      commit_last_event_id (self);
      id_size = self->last_event_id->len + 1;
    }

  if (self->data_len == 0)
    {
      g_string_truncate (self->event_type, 0);
      return;
    }

  /* Every data line appended a '\n'; the last one goes. */
  len = self->data_len - 1;
  inline_data = len < EVENT_INLINE_DATA_MAX;
  if (self->event_type->len > 0)
    {
      type = self->event_type->str;
      type_len = self->event_type->len;
    }

  event = g_malloc (sizeof (McpSseEvent) + type_len + 1 + id_size + (inline_data ? len + 1 : 0));
  g_atomic_ref_count_init (&event->ref_count);
  event->data_length = len;

  p = event->event_type;
  memcpy (p, type, type_len);
  p[type_len] = '\0';
  p += type_len + 1;

  event->id = NULL;
  if (id_size > 0)
    {
      memcpy (p, self->last_event_id->str, id_size);
      event->id = p;
      p += id_size;
    }

  if (inline_data)
    {
      memcpy (p, self->data, len);
      p[len] = '\0';
      event->data = p;
      event->data_owned = FALSE;
    }
  else
    {
      /* Not shrunk: the buffer grew by doubling, so at most half of it is
       * spare, and shrinking a large block makes the allocator give its pages
       * back to the kernel only to fault them in again for the next event. */
      self->data[len] = '\0';
      event->data = g_steal_pointer (&self->data);
      event->data_owned = TRUE;
      handed_cap = self->data_cap;
      self->data_cap = 0;
    }

  self->data_len = 0;
  g_string_truncate (self->event_type, 0);

  /* Last: a handler may reset the parser. */
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);

  /* Nobody kept the event: its buffer becomes the work buffer again. */
  if (event->data_owned
      && self->data == NULL
      && handed_cap <= WORK_BUFFER_KEEP_MAX
      && g_atomic_ref_count_compare (&event->ref_count, 1))
    {
      self->data = g_steal_pointer (&event->data);
      self->data_cap = handed_cap;
    }

  mcp_sse_event_unref (event);
}

/* Lines */

/* A complete line lying in the caller's chunk, terminator excluded. */
static gboolean
process_line (McpSseParser  *self,
              const char    *line,
              gsize          len,
              GError       **error)
{
  const char *colon;
  const char *value;
  gsize value_len;

  if (len == 0)
    {
      dispatch_event (self);
      return TRUE;
    }

  if (self->max_event_size != 0 && (guint64) self->data_len + len > self->max_event_size)
    return fail_event_too_large (self, (guint64) self->data_len + len, error);

  if (line[0] == ':')
    return TRUE;

  colon = memchr (line, ':', len);
  if (colon == NULL)
    {
      apply_field (self, classify_field (line, len), "", 0);
      return TRUE;
    }

  value = colon + 1;
  value_len = len - (gsize) (value - line);
  if (value_len > 0 && value[0] == ' ')
    {
      value++;
      value_len--;
    }
  apply_field (self, classify_field (line, (gsize) (colon - line)), value, value_len);

  return TRUE;
}

/* More bytes of a line that a chunk boundary cut; none is a line end. */
static gboolean
continue_partial_line (McpSseParser  *self,
                       const char    *bytes,
                       gsize          len,
                       GError       **error)
{
  if (len == 0)
    return TRUE;

  self->line_len += len;
  if (self->max_event_size != 0
      && (guint64) self->line_data_base + self->line_len > self->max_event_size)
    return fail_event_too_large (self, (guint64) self->line_data_base + self->line_len, error);

  if (self->line_state == LINE_NAME)
    {
      const char *colon = memchr (bytes, ':', len);

      if (colon == NULL)
        {
          g_string_append_len (self->line, bytes, (gssize) len);
          return TRUE;
        }

      g_string_append_len (self->line, bytes, colon - bytes);
      self->line_field = classify_field (self->line->str, self->line->len);
      g_string_truncate (self->line, 0);
      self->line_state = LINE_VALUE_START;
      len -= (gsize) (colon - bytes) + 1;
      bytes = colon + 1;
    }

  if (self->line_state == LINE_VALUE_START)
    {
      if (len == 0)
        return TRUE;
      if (bytes[0] == ' ')
        {
          bytes++;
          len--;
        }
      self->line_state = LINE_VALUE;
    }

  switch (self->line_field)
    {
    case FIELD_DATA:
      data_append (self, bytes, len);
      break;

    case FIELD_EVENT:
    case FIELD_ID:
    case FIELD_RETRY:
      g_string_append_len (self->line, bytes, (gssize) len);
      break;

    case FIELD_IGNORED:
    default:
      break;
    }

  return TRUE;
}

static gboolean
begin_partial_line (McpSseParser  *self,
                    const char    *bytes,
                    gsize          len,
                    GError       **error)
{
  g_assert (len > 0);

  self->line_len = 0;
  self->line_data_base = self->data_len;
  g_string_truncate (self->line, 0);

  if (bytes[0] == ':')
    {
      self->line_state = LINE_VALUE;
      self->line_field = FIELD_IGNORED;
    }
  else
    {
      self->line_state = LINE_NAME;
    }

  return continue_partial_line (self, bytes, len, error);
}

static void
end_partial_line (McpSseParser *self)
{
  LineState state = self->line_state;

  self->line_state = LINE_NONE;

  if (state == LINE_NAME)
    {
      apply_field (self, classify_field (self->line->str, self->line->len), "", 0);
    }
  else if (self->line_field == FIELD_DATA)
    {
      data_reserve (self, 1);
      self->data[self->data_len++] = '\n';
    }
  else
    {
      apply_field (self, self->line_field, self->line->str, self->line->len);
    }
  /* A retry handler may have reset the parser; truncating is still right. */
  g_string_truncate (self->line, 0);
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
            return fail_event_too_large (self, (guint64) base + (eol - p), error);

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
            return fail_event_too_large (self,
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
            return begin_partial_line (self, p, (gsize) (end - p), error);
          if (!process_line (self, p, (gsize) (eol - p), error))
            return FALSE;
        }
      else
        {
          eol = find_line_end (p, end);
          if (!continue_partial_line (self, p, (gsize) (eol - p), error))
            return FALSE;
          if (eol == end)
            return TRUE;
          end_partial_line (self);
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
