/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "stdio-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                    */

gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------ */
/* A transport and what it emitted                                                            */

static void
log_line_free (gpointer data)
{
  LogLine *line = data;

  g_free (line->text);
  g_free (line);
}

static void
on_message (McpTransport *transport,
            McpMessage   *message,
            Peer         *peer)
{
  g_ptr_array_add (peer->messages, g_object_ref (message));
}

static void
on_closed (McpTransport *transport,
           const GError *error,
           Peer         *peer)
{
  peer->closed_count++;
  g_clear_error (&peer->closed_error);
  if (error != NULL)
    peer->closed_error = g_error_copy (error);
}

static void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Peer         *peer)
{
  LogLine *line = g_new0 (LogLine, 1);

  line->level = level;
  line->text = g_strdup (text);
  g_ptr_array_add (peer->logs, line);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

char *
test_peer_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "helpers", "mcp-test-peer", NULL);
}

Peer *
peer_new_for_transport (McpStdioTransport *transport)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->transport = MCP_TRANSPORT (transport);
  peer->messages = g_ptr_array_new_with_free_func (g_object_unref);
  peer->logs = g_ptr_array_new_with_free_func (log_line_free);
  g_signal_connect (transport, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (transport, "closed", G_CALLBACK (on_closed), peer);
  g_signal_connect (transport, "log", G_CALLBACK (on_log), peer);

  return peer;
}

Peer *
peer_new (const char *first_arg,
          ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *path = test_peer_path ();
  va_list args;

  g_strv_builder_add (builder, path);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);

  return peer_new_for_transport (mcp_stdio_transport_new ((const char * const *) argv));
}

void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->transport, peer);
  g_object_unref (peer->transport);
  g_ptr_array_unref (peer->messages);
  g_ptr_array_unref (peer->logs);
  g_clear_error (&peer->closed_error);
  g_free (peer);
}

gboolean
peer_open (Peer    *peer,
           GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_open_async (peer->transport, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 10);

  return mcp_transport_open_finish (peer->transport, result, error);
}

void
peer_open_ok (Peer *peer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (peer_open (peer, &error));
  g_assert_no_error (error);
}

double
peer_close (Peer *peer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  mcp_transport_close_async (peer->transport, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 15);
  g_assert_true (mcp_transport_close_finish (peer->transport, result, &error));
  g_assert_no_error (error);

  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

gboolean
peer_send (Peer        *peer,
           McpMessage  *message,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_transport_send_async (peer->transport, message, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, 10);

  return mcp_transport_send_finish (peer->transport, result, error);
}

McpMessage *
peer_message (Peer  *peer,
              guint  index)
{
  g_assert_cmpuint (index, <, peer->messages->len);
  return g_ptr_array_index (peer->messages, index);
}

int
peer_find_log (Peer        *peer,
               McpLogLevel  level,
               const char  *text)
{
  for (guint i = 0; i < peer->logs->len; i++)
    {
      LogLine *line = g_ptr_array_index (peer->logs, i);

      if (line->level == level && strstr (line->text, text) != NULL)
        return (int) i;
    }

  return -1;
}
