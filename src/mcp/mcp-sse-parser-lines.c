/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpSseParser: fields, dispatch, and lines that a chunk boundary cut. The byte loop in
 * mcp-sse-parser.c handles data lines itself; everything else comes here. */

#include "mcp-sse-parser-private.h"

/* Fields and dispatch */

gboolean
mcp_sse_parser_fail_too_large (McpSseParser  *self,
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
  mcp_sse_parser_emit_retry (self, ms);
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

void
mcp_sse_parser_dispatch (McpSseParser *self)
{
  g_autoptr(McpSseEvent) event = NULL;
  const char *type = "message";
  gsize type_len = strlen ("message");
  gsize len;
  gsize handed_cap = self->data_cap;
  gboolean taken;
  char *reclaimed;

  /* The spec commits the id first, even when nothing is dispatched. */
  if (self->id_buffer_dirty)
    commit_last_event_id (self);

  if (self->data_len == 0)
    {
      g_string_truncate (self->event_type, 0);
      return;
    }

  /* Every data line appended a '\n'; the last one goes. */
  len = self->data_len - 1;
  self->data[len] = '\0';
  if (self->event_type->len > 0)
    {
      type = self->event_type->str;
      type_len = self->event_type->len;
    }

  /* A large buffer is handed over, not shrunk: it grew by doubling, so at most half of it
   * is spare, and shrinking a large block makes the allocator give its pages back to the
   * kernel only to fault them in again for the next event. */
  event = mcp_sse_event_new (type, type_len,
                             self->last_event_id_set ? self->last_event_id->str : NULL,
                             self->last_event_id->len, self->data, len,
                             EVENT_INLINE_DATA_MAX, &taken);
  if (taken)
    {
      self->data = NULL;
      self->data_cap = 0;
    }

  self->data_len = 0;
  g_string_truncate (self->event_type, 0);

  /* Last: a handler may reset the parser. */
  mcp_sse_parser_emit_event (self, event);

  /* Nobody kept the event: its buffer becomes the work buffer again. */
  if (taken && self->data == NULL && handed_cap <= WORK_BUFFER_KEEP_MAX
      && (reclaimed = mcp_sse_event_reclaim (event)) != NULL)
    {
      self->data = reclaimed;
      self->data_cap = handed_cap;
    }
}

/* Lines */

/* A complete line lying in the caller's chunk, terminator excluded. */
gboolean
mcp_sse_parser_process_line (McpSseParser  *self,
                             const char    *line,
                             gsize          len,
                             GError       **error)
{
  const char *colon;
  const char *value;
  gsize value_len;

  if (len == 0)
    {
      mcp_sse_parser_dispatch (self);
      return TRUE;
    }

  if (self->max_event_size != 0 && (guint64) self->data_len + len > self->max_event_size)
    return mcp_sse_parser_fail_too_large (self, (guint64) self->data_len + len, error);

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
gboolean
mcp_sse_parser_continue_partial (McpSseParser  *self,
                                 const char    *bytes,
                                 gsize          len,
                                 GError       **error)
{
  if (len == 0)
    return TRUE;

  self->line_len += len;
  if (self->max_event_size != 0
      && (guint64) self->line_data_base + self->line_len > self->max_event_size)
    return mcp_sse_parser_fail_too_large (self, (guint64) self->line_data_base + self->line_len, error);

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

gboolean
mcp_sse_parser_begin_partial (McpSseParser  *self,
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

  return mcp_sse_parser_continue_partial (self, bytes, len, error);
}

void
mcp_sse_parser_end_partial (McpSseParser *self)
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

