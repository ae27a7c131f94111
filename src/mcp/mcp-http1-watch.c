/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http1-watch.c: waiting for a response head on McpHttp1Connection's connections.
 *
 * A plain TCP connection is waited on by one GSource of its own that stays attached for as long
 * as the connection lives: making, attaching, blocking and destroying a source per wait each
 * wake the main context through its eventfd, which cost more system calls than the request
 * itself. TLS connections wait through their pollable input stream, as GIO must look at what
 * GnuTLS has buffered.
 */

#include "config.h"

#include "mcp-http1-watch-private.h"

/* One GSource polling the socket of a plain connection for input, attached to the main
 * context that first used the connection, from the first request until the connection is
 * closed. At most one request waits on it at a time, for its response head: its ready func is
 * called once when the socket is readable or the request's cancellable was cancelled. The
 * source may recurse, so GLib does not remove its fd while it is dispatched. When input comes
 * with nobody waiting (a body read its own way, or a close while idle), the watch stops asking
 * for it and notes that it came (@seen), so that a kept-alive connection is checked before it
 * is used again. */
typedef struct {
  GSource            source;
  GPollFD            pollfd;
  GTask             *task;         /* the request waiting, held */
  McpHttp1ReadyFunc  ready;        /* what to call for it */
  GCancellable      *cancellable;  /* its cancellable, held */
  gulong             cancelled_id;
  gboolean           seen;
} Watch;

static GQuark
watch_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("mcp-http1-watch");
  return quark;
}

static gboolean
watch_prepare (GSource *source,
               int     *timeout)
{
  Watch *w = (Watch *) source;

  *timeout = -1;
  return w->task != NULL && g_cancellable_is_cancelled (w->cancellable);
}

static gboolean
watch_check (GSource *source)
{
  Watch *w = (Watch *) source;

  return w->pollfd.revents != 0 ||
         (w->task != NULL && g_cancellable_is_cancelled (w->cancellable));
}

static void
watch_end_wait (Watch *w)
{
  if (w->cancelled_id != 0)
    g_cancellable_disconnect (w->cancellable, w->cancelled_id);
  w->cancelled_id = 0;
  g_clear_object (&w->cancellable);
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  Watch *w = (Watch *) source;
  gushort revents = w->pollfd.revents;

  w->pollfd.revents = 0;
  if (w->task != NULL)
    {
      GTask *task = g_steal_pointer (&w->task);

      watch_end_wait (w);
      w->ready (task);
      return G_SOURCE_CONTINUE;
    }

  /* nobody waits: stop polling until someone does (the next poll sees this only) */
  w->seen = TRUE;
  w->pollfd.events = 0;
  /* a hang-up or error is reported whatever we ask for: this source is done */
  return (revents & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
watch_finalize (GSource *source)
{
  Watch *w = (Watch *) source;

  watch_end_wait (w);
  g_clear_object (&w->task);
}

static GSourceFuncs watch_funcs = {
  watch_prepare,
  watch_check,
  watch_dispatch,
  watch_finalize,
  NULL,
  NULL,
};

static void
watch_free (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static void
on_watch_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  /* may run in another thread: the next prepare sees the cancellation */
  g_main_context_wakeup (user_data);
}

GMainContext *
mcp_http1_watch_context (void)
{
  GMainContext *context = g_main_context_get_thread_default ();

  return context != NULL ? context : g_main_context_default ();
}

/* The watch of @io, made when it has none and it is a plain connection; NULL when @io is a
 * TLS connection, or its watch ended, or belongs to another main context. */
static Watch *
watch_get (GIOStream *io)
{
  Watch *w = g_object_get_qdata (G_OBJECT (io), watch_quark ());
  GSocket *socket;

  if (w == NULL)
    {
      if (!G_IS_SOCKET_CONNECTION (io))
        return NULL;
      socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (io));
      w = (Watch *) g_source_new (&watch_funcs, sizeof (Watch));
      g_source_set_static_name (&w->source, "McpHttp1Connection watch");
      g_source_set_can_recurse (&w->source, TRUE);
      w->pollfd.fd = g_socket_get_fd (socket);
      w->pollfd.events = G_IO_IN;
      g_source_add_poll (&w->source, &w->pollfd);
      g_source_attach (&w->source, mcp_http1_watch_context ());
      g_object_set_qdata_full (G_OBJECT (io), watch_quark (), w, watch_free);
    }
  if (g_source_is_destroyed (&w->source) ||
      g_source_get_context (&w->source) != mcp_http1_watch_context ())
    return NULL;
  return w;
}

void
mcp_http1_watch_drop (GIOStream *io)
{
  g_object_set_qdata (G_OBJECT (io), watch_quark (), NULL);
}

gboolean
mcp_http1_watch_quiet (GIOStream *io)
{
  Watch *w = g_object_get_qdata (G_OBJECT (io), watch_quark ());

  return w != NULL && !g_source_is_destroyed (&w->source) && !w->seen &&
         w->pollfd.revents == 0;
}

typedef struct {
  GTask            *task;
  McpHttp1ReadyFunc ready;
} Once;

static gboolean
on_readable_once (GObject  *stream,
                  gpointer  user_data)
{
  Once *once = user_data;

  once->ready (g_steal_pointer (&once->task));
  return G_SOURCE_REMOVE;
}

static void
once_free (gpointer data)
{
  Once *once = data;

  g_clear_object (&once->task);
  g_free (once);
}

void
mcp_http1_watch_wait_readable (GIOStream         *io,
                               GTask             *task,
                               McpHttp1ReadyFunc  ready)
{
  Watch *w = watch_get (io);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = NULL;
  Once *once;

  if (w != NULL)
    {
      g_return_if_fail (w->task == NULL);
      w->task = task;
      w->ready = ready;
      w->seen = FALSE;
      w->pollfd.events = G_IO_IN;
      if (cancellable != NULL)
        {
          w->cancellable = g_object_ref (cancellable);
          w->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_watch_cancelled),
                                                   g_source_get_context (&w->source), NULL);
        }
      return;
    }

  /* TLS: GIO knows when there is something to read */
  source = g_pollable_input_stream_create_source (
      G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (io)), cancellable);
  once = g_new0 (Once, 1);
  once->task = task;
  once->ready = ready;
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable_once), once, once_free);
  g_source_attach (source, mcp_http1_watch_context ());
}
