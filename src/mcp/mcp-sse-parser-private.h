/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpSseParser's state and the pieces shared by mcp-sse-parser.c (the byte loop and the
 * object) and mcp-sse-parser-lines.c (fields, dispatch and lines cut by a chunk boundary).
 * The scanning and buffer helpers are inline here: they run for every byte. */
#pragma once

#include <string.h>

#if defined(__SSE2__)
# include <emmintrin.h>
#endif

#include "mcp-sse-event-private.h"
#include "mcp-sse-parser.h"

G_BEGIN_DECLS

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

static inline const char *
find_line_end (const char *p,
               const char *end)
{
  return scan_line (p, end, NULL);
}

static inline const char *
copy_until_line_end (const char *p,
                     const char *end,
                     char       *dst)
{
  return scan_line (p, end, dst);
}

static inline Field
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

static inline void
data_clear (McpSseParser *self)
{
  g_clear_pointer (&self->data, g_free);
  self->data_len = 0;
  self->data_cap = 0;
}

/* mcp-sse-parser-lines.c */
gboolean mcp_sse_parser_fail_too_large    (McpSseParser  *self,
                                           guint64        size,
                                           GError       **error);
void     mcp_sse_parser_dispatch          (McpSseParser  *self);
gboolean mcp_sse_parser_process_line      (McpSseParser  *self,
                                           const char    *line,
                                           gsize          len,
                                           GError       **error);
gboolean mcp_sse_parser_continue_partial  (McpSseParser  *self,
                                           const char    *bytes,
                                           gsize          len,
                                           GError       **error);
gboolean mcp_sse_parser_begin_partial     (McpSseParser  *self,
                                           const char    *bytes,
                                           gsize          len,
                                           GError       **error);
void     mcp_sse_parser_end_partial       (McpSseParser  *self);

/* mcp-sse-parser.c: the object's signals */
void     mcp_sse_parser_emit_event        (McpSseParser  *self,
                                           McpSseEvent   *event);
void     mcp_sse_parser_emit_retry        (McpSseParser  *self,
                                           gint64         milliseconds);

G_END_DECLS
