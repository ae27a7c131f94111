/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mcp-sse-event-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (McpSseEvent, mcp_sse_event, mcp_sse_event_ref, mcp_sse_event_unref)

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

McpSseEvent *
mcp_sse_event_new (const char *type,
                   gsize       type_len,
                   const char *id,
                   gsize       id_len,
                   char       *data,
                   gsize       data_length,
                   gsize       take_min,
                   gboolean   *taken)
{
  gboolean inline_data = data_length < take_min;
  gsize id_size = id != NULL ? id_len + 1 : 0;
  McpSseEvent *event;
  char *p;

  event = g_malloc (sizeof (McpSseEvent) + type_len + 1 + id_size
                    + (inline_data ? data_length + 1 : 0));
  g_atomic_ref_count_init (&event->ref_count);
  event->data_length = data_length;

  p = event->event_type;
  memcpy (p, type, type_len);
  p[type_len] = '\0';
  p += type_len + 1;

  event->id = NULL;
  if (id != NULL)
    {
      memcpy (p, id, id_len);
      p[id_len] = '\0';
      event->id = p;
      p += id_size;
    }

  if (inline_data)
    {
      memcpy (p, data, data_length);
      p[data_length] = '\0';
      event->data = p;
      event->data_owned = FALSE;
    }
  else
    {
      event->data = data;
      event->data_owned = TRUE;
    }
  *taken = !inline_data;
  return event;
}

char *
mcp_sse_event_reclaim (McpSseEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  if (!event->data_owned || !g_atomic_ref_count_compare (&event->ref_count, 1))
    return NULL;
  event->data_owned = FALSE;
  event->data_length = 0;
  return g_steal_pointer (&event->data);
}
