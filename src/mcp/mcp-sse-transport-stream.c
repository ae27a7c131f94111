/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-sse-transport-stream.c: the one long GET of the HTTP+SSE transport.
 *
 * The first event on it must be `endpoint`, naming the URL (same origin only) that messages
 * are POSTed to; open completes then. Every other message of the server comes as a
 * `message` event. When the stream ends, breaks or carries an event over max-message-size,
 * the transport is over: a pending open fails, else ::closed says why. */

#include "config.h"

#include "mcp-sse-transport-private.h"

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0 &&
         mcp_http_effective_port (a) == mcp_http_effective_port (b);
}

void
mcp_sse_transport_finish_open (McpSseTransport *self,
                               GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open_task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (self->open_cancel_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), self->open_cancel_id);
      self->open_cancel_id = 0;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The event stream sees the cancellation and finishes, dropping the connection. */
void
mcp_sse_transport_stop_stream (McpSseTransport *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* The stream is over: fail a pending open, or report the end through ::closed. */
static void
stream_ended (McpSseTransport *self,
              GError          *error)
{
  State was = self->state;

  if (was == STATE_CLOSED)
    {
      /* close() already said everything. */
      g_clear_error (&error);
      return;
    }

  self->state = STATE_CLOSED;
  mcp_sse_transport_stop_stream (self);

  /* Refused for want of authorization: open may be tried again with a token. */
  if (was == STATE_OPENING && error != NULL &&
      (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED) ||
       g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN)))
    {
      self->state = STATE_INITIAL;
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      mcp_sse_transport_finish_open (self, error);
      return;
    }

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mcp_sse_transport_finish_open (self, error);
      return;
    }

  if (was == STATE_OPENING)
    {
      if (error == NULL)
        error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                             "The SSE stream from %s ended before the endpoint event",
                             self->display_url);
      mcp_sse_transport_finish_open (self, error);
      return;
    }

  if (error == NULL)
    error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                         "The server ended the SSE stream from %s", self->display_url);
  else if (error->domain != MCP_TRANSPORT_ERROR)
    {
      g_autoptr(GError) cause = error;
      error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                           "The SSE stream from %s broke: %s", self->display_url,
                           cause->message);
    }
  mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO, "%s", error->message);
  mcp_transport_emit_closed (MCP_TRANSPORT (self), error);
  g_clear_error (&error);
}

static void
handle_endpoint (McpSseTransport *self,
                 McpSseEvent     *event)
{
  g_autofree char *data = g_strstrip (g_strdup (mcp_sse_event_get_data (event)));
  g_autoptr(GUri) endpoint = NULL;
  g_autoptr(GError) error = NULL;

  endpoint = g_uri_parse_relative (self->uri, data, SOUP_HTTP_URI_FLAGS, &error);
  if (endpoint == NULL)
    {
      stream_ended (self, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                                       "Expected a URL in the endpoint event from %s, got "
                                       "“%s”: %s", self->display_url, data, error->message));
      return;
    }

  if (!same_origin (endpoint, self->uri))
    {
      g_autofree char *shown = g_uri_to_string_partial (endpoint, G_URI_HIDE_PASSWORD);
      g_autofree char *origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (self->uri),
                                            NULL, g_uri_get_host (self->uri),
                                            g_uri_get_port (self->uri), "", NULL, NULL);

      stream_ended (self, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                                       "The server at %s named a message endpoint on another "
                                       "origin (%s); expected one on %s, so no message is "
                                       "sent there", self->display_url, shown, origin));
      return;
    }

  if (self->endpoint != NULL)
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO,
                            "The server named a new message endpoint");
  mcp_sse_transport_take_endpoint (self, g_steal_pointer (&endpoint));

  if (self->state == STATE_OPENING)
    {
      self->state = STATE_OPEN;
      mcp_sse_transport_finish_open (self, NULL);
    }
}

/* Every event that is not a `message`: the `endpoint` event is ours. */
static gboolean
on_stream_event (McpEventStream  *events,
                 McpSseEvent     *event,
                 McpSseTransport *self)
{
  if (!g_str_equal (mcp_sse_event_get_event_type (event), "endpoint"))
    return FALSE;

  handle_endpoint (self, event);
  return TRUE;
}

static void
on_stream_message (McpEventStream  *events,
                   McpMessage      *message,
                   McpSseTransport *self)
{
  mcp_transport_emit_message (MCP_TRANSPORT (self), message);
}

static void
on_stream_finished (McpEventStream  *events,
                    const GError    *error,
                    McpSseTransport *self)
{
  stream_ended (self, error != NULL ? g_error_copy (error) : NULL);
  /* taken in on_stream_sent() */
  g_object_unref (self);
}

static void
on_stream_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(McpSseTransport) self = user_data;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  guint status;
  const char *content_type;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) cause = error;
          error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                               "Could not open the SSE stream at %s: %s",
                               self->display_url, cause->message);
        }
      stream_ended (self, error);
      return;
    }

  status = soup_message_get_status (self->stream_msg);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (self->stream_msg), NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    mcp_sse_transport_remember_www_authenticate (self, self->stream_msg);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_input_stream_close (stream, NULL, NULL);
      stream_ended (self, mcp_http_status_error (self->stream_msg, "GET", self->display_url,
                                                NULL));
      return;
    }

  if (content_type == NULL || g_ascii_strcasecmp (content_type, "text/event-stream") != 0)
    {
      g_input_stream_close (stream, NULL, NULL);
      stream_ended (self, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                                       "Expected text/event-stream from GET %s, got %s",
                                       self->display_url,
                                       content_type ? content_type : "no content type"));
      return;
    }

  /* While the stream is read, the transport keeps itself alive. */
  g_object_ref (self);
  mcp_event_stream_start (self->events, stream);
}

void
mcp_sse_transport_open_stream (McpSseTransport *self)
{
  g_autofree char *description = NULL;

  description = g_strdup_printf ("the SSE stream from %s", self->display_url);
  self->events = mcp_event_stream_new (MCP_TRANSPORT (self), description,
                                       self->max_message_size, self->cancellable);
  g_signal_connect (self->events, "event", G_CALLBACK (on_stream_event), self);
  g_signal_connect (self->events, "message", G_CALLBACK (on_stream_message), self);
  g_signal_connect (self->events, "finished", G_CALLBACK (on_stream_finished), self);

  self->stream_msg = soup_message_new_from_uri (SOUP_METHOD_GET, self->uri);
  mcp_http_headers_apply (self->headers, self->bearer_token, self->dpop, self->stream_msg);
  soup_message_headers_replace (soup_message_get_request_headers (self->stream_msg),
                                "Accept", "text/event-stream");
  soup_session_send_async (self->session, self->stream_msg, G_PRIORITY_DEFAULT,
                           self->cancellable, on_stream_sent, g_object_ref (self));
}
