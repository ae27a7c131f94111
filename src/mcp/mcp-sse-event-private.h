/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpSseEvent's layout, for McpSseParser, which builds events in place. */
#pragma once

#include "mcp-sse-event.h"

G_BEGIN_DECLS

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

/* A new event (one reference) of type @type, last event ID @id (NULL for none) and data
 * @data of @data_length bytes. Short data is copied into the event's own allocation; with
 * @take_data and data of at least @take_min bytes, the event takes @data itself (which must
 * be a g_malloc()ed block with a NUL at @data_length). Returns whether @data was taken in
 * @taken. */
McpSseEvent *mcp_sse_event_new      (const char *type,
                                     gsize       type_len,
                                     const char *id,
                                     gsize       id_len,
                                     char       *data,
                                     gsize       data_length,
                                     gsize       take_min,
                                     gboolean   *taken);

/* When @event holds its own data block and nobody else holds @event, gives the block back
 * (the event keeps no data) and returns it; else NULL. */
char        *mcp_sse_event_reclaim  (McpSseEvent *event);

G_END_DECLS
