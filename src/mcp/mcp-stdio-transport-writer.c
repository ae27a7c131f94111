/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpStdioTransport: writing messages to the child's stdin, one line each, in order. */
#include "config.h"

#include "mcp-stdio-transport-private.h"

static void
on_stdin_closed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
}

void
mcp_stdio_transport_close_stdin_when_idle (McpStdioTransport *self)
{
  if (!self->stdin_shutdown || self->stdin_closed || self->writing || self->stdin_pipe == NULL)
    return;
  if (!g_queue_is_empty (&self->sends))
    return;

  self->stdin_closed = TRUE;
  g_output_stream_close_async (self->stdin_pipe, G_PRIORITY_DEFAULT, NULL, on_stdin_closed, NULL);
}

static void on_written (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);

void
mcp_stdio_transport_write_next (McpStdioTransport *self)
{
  while (!self->writing && self->state != STATE_CLOSED && !g_queue_is_empty (&self->sends))
    {
      GTask *task = g_queue_pop_head (&self->sends);
      GBytes *bytes;

      /* A send cancelled while queued is dropped; once started a line is written whole,
       * since half a line would corrupt the next message. */
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }

      bytes = g_task_get_task_data (task);
      self->writing = TRUE;
      g_output_stream_write_all_async (self->stdin_pipe,
                                       g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes),
                                       G_PRIORITY_DEFAULT,
                                       self->cancellable,
                                       on_written,
                                       task);
    }

  mcp_stdio_transport_close_stdin_when_idle (self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  McpStdioTransport *self = g_task_get_source_object (task);

  self->writing = FALSE;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (self->state == STATE_CLOSED)
        g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                                 "The transport closed before the message was written");
      else
        {
          mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                                  "Could not write to the server process: %s", error->message);
          g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                                   "Could not write to the server process: %s", error->message);
        }
    }
  else
    g_task_return_boolean (task, TRUE);

  mcp_stdio_transport_write_next (self);
}

void
mcp_stdio_transport_fail_queued_sends (McpStdioTransport *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->sends)))
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                               "The transport closed before the message was written");
      g_object_unref (task);
    }
}
