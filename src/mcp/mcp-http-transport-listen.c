/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http-transport-listen.c: the GET stream for server-initiated messages (2025 era).
 *
 * The client opens it after initialization. It reconnects with Last-Event-ID when the stream
 * ends or breaks, waiting what the server asked for, and longer and longer while connections
 * bring nothing. A server without a GET stream (405, or 404) is fine: it is not used then. */

#include "config.h"

#include "mcp-http-transport-private.h"

#define MAX_LISTEN_BACKOFF_MS       (30 * 1000)

struct _Listener
{
  McpHttpTransport *self;        /* NULL once stopped: the next callback frees the listener */
  GCancellable     *cancellable;
  SoupMessage      *msg;
  McpEventStream   *events;
  guint             failures;    /* connections in a row that brought no event */
  guint             status;      /* of the last GET */
  char             *reason;
  guint             n_events_at_connect;
};

static void listener_connect (Listener *listener);

static void
listener_free (Listener *listener)
{
  g_signal_handlers_disconnect_by_data (listener->events, listener);
  g_clear_object (&listener->events);
  g_clear_object (&listener->msg);
  g_clear_object (&listener->cancellable);
  g_free (listener->reason);
  g_free (listener);
}

void
mcp_http_transport_stop_listening (McpHttpTransport *self)
{
  Listener *listener = g_steal_pointer (&self->listener);

  if (listener == NULL)
    return;
  listener->self = NULL;
  g_cancellable_cancel (listener->cancellable);
}

/* Ends listening for good from inside a listener callback. */
static void
listener_give_up (Listener *listener)
{
  if (listener->self != NULL)
    listener->self->listener = NULL;
  listener_free (listener);
}

static gboolean
listener_on_delay (GCancellable *cancellable,
                   gpointer      user_data)
{
  Listener *listener = user_data;

  if (listener->self == NULL || g_cancellable_is_cancelled (listener->cancellable))
    listener_free (listener);
  else
    listener_connect (listener);
  return G_SOURCE_REMOVE;
}

static void
listener_reconnect_later (Listener     *listener,
                          const GError *why)
{
  guint base = mcp_http_transport_retry_delay (listener->events);
  guint delay;

  if (mcp_event_stream_get_n_events (listener->events) == listener->n_events_at_connect)
    listener->failures++;
  else
    listener->failures = 0;

  /* A server that keeps failing gets doubling waits, up to half a minute (or its retry). */
  delay = listener->failures > 1 ? base << MIN (listener->failures - 1, 5) : base;
  delay = MIN (delay, MAX (MAX_LISTEN_BACKOFF_MS, base));

  mcp_transport_emit_log (MCP_TRANSPORT (listener->self),
                          listener->failures > 1 ? MCP_LOG_WARNING : MCP_LOG_DEBUG,
                          "The GET event stream %s%s%s; reconnecting in %u ms",
                          why ? "broke" : "ended", why ? ": " : "", why ? why->message : "",
                          delay);
  mcp_http_schedule_delay (delay, listener->cancellable, listener_on_delay, listener);
}

static void
listener_on_message (McpEventStream *events,
                     McpMessage     *message,
                     gpointer        user_data)
{
  Listener *listener = user_data;

  if (listener->self != NULL)
    mcp_transport_emit_message (MCP_TRANSPORT (listener->self), message);
}

static void
listener_on_finished (McpEventStream *events,
                      const GError   *error,
                      gpointer        user_data)
{
  Listener *listener = user_data;

  if (listener->self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (listener->self == NULL)
        listener_free (listener);
      else
        listener_give_up (listener);
      return;
    }

  if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE))
    {
      /* Resuming would replay the same event. */
      mcp_transport_emit_log (MCP_TRANSPORT (listener->self), MCP_LOG_WARNING,
                              "Stopped listening for server messages: %s", error->message);
      listener_give_up (listener);
      return;
    }

  listener_reconnect_later (listener, error);
}

static const char *
listener_reason (Listener *listener)
{
  const char *phrase = listener->reason;

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (listener->status);
  return phrase != NULL ? phrase : "";
}

static void
listener_on_sent (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Listener *listener = user_data;
  McpHttpTransport *self = listener->self;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  guint status;

  g_clear_pointer (&listener->reason, g_free);
  if (MCP_IS_HTTP1_CONNECTION (source))
    {
      stream = mcp_http1_connection_send_finish (MCP_HTTP1_CONNECTION (source), result,
                                                 &listener->status, &listener->reason,
                                                 &error);
      /* A proxy applies, or the server redirects: GET again through libsoup, which
       * handles both (a GET may be sent again). */
      if (self != NULL && !g_cancellable_is_cancelled (listener->cancellable) &&
          (g_error_matches (error, MCP_HTTP1_CONNECTION_ERROR,
                            MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT) ||
           (stream != NULL && SOUP_STATUS_IS_REDIRECTION (listener->status) &&
            listener->status != SOUP_STATUS_NOT_MODIFIED)))
        {
          if (stream != NULL)
            g_input_stream_close (stream, NULL, NULL);
          g_clear_object (&self->http1);
          listener_connect (listener);
          return;
        }
    }
  else
    {
      stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
      listener->status = soup_message_get_status (listener->msg);
      listener->reason = g_strdup (soup_message_get_reason_phrase (listener->msg));
    }

  if (self == NULL || g_cancellable_is_cancelled (listener->cancellable))
    {
      if (self == NULL)
        listener_free (listener);
      else
        listener_give_up (listener);
      return;
    }

  if (stream == NULL)
    {
      listener_reconnect_later (listener, error);
      return;
    }

  status = listener->status;
  if (status == SOUP_STATUS_OK && mcp_http_has_content_type (listener->msg, "text/event-stream"))
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                              "Listening for server messages on GET %s", self->display_url);
      listener->n_events_at_connect = mcp_event_stream_get_n_events (listener->events);
      mcp_event_stream_start (listener->events, stream);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (listener->msg), NULL);

  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_FOUND)
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                            "The server offers no GET event stream (HTTP %u %s)",
                            status, listener_reason (listener));
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                            "Expected text/event-stream from GET %s, got %s; not listening "
                            "for server messages", self->display_url,
                            content_type ? content_type : "no content type");
  else
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                            "HTTP %u %s from GET %s; not listening for server messages",
                            status, listener_reason (listener), self->display_url);

  listener_give_up (listener);
}

static void
listener_connect (Listener *listener)
{
  McpHttpTransport *self = listener->self;
  SoupMessageHeaders *headers;
  const char *last_id;

  g_clear_object (&listener->msg);
  listener->msg = soup_message_new_from_uri (SOUP_METHOD_GET, self->uri);
  mcp_http_transport_add_common_headers (self, listener->msg);
  headers = soup_message_get_request_headers (listener->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  last_id = mcp_event_stream_get_last_event_id (listener->events);
  if (last_id != NULL)
    soup_message_headers_replace (headers, "Last-Event-ID", last_id);

  /* Through the fast path when the POSTs take it: the GET then goes out at once, before
   * any POST the caller makes next, as servers that tell a listening GET from a resuming
   * one by their order expect. */
  if (self->http1 != NULL)
    mcp_http1_connection_send_async (self->http1, listener->msg, NULL, NULL,
                                     listener->cancellable, listener_on_sent, listener);
  else
    soup_session_send_async (self->session, listener->msg, G_PRIORITY_DEFAULT,
                             listener->cancellable, listener_on_sent, listener);
}

void
mcp_http_transport_start_listening (McpHttpTransport *self)
{
  Listener *listener;

  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  if (!self->opened || self->closed || self->listener != NULL)
    return;

  listener = g_new0 (Listener, 1);
  listener->self = self;
  listener->cancellable = g_cancellable_new ();
  listener->events = mcp_event_stream_new (MCP_TRANSPORT (self), "the event stream",
                                           self->max_message_size, listener->cancellable);
  g_signal_connect (listener->events, "message", G_CALLBACK (listener_on_message), listener);
  g_signal_connect (listener->events, "finished", G_CALLBACK (listener_on_finished), listener);
  self->listener = listener;
  listener_connect (listener);
}

gboolean
mcp_http_transport_get_listening (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), FALSE);

  return self->listener != NULL;
}