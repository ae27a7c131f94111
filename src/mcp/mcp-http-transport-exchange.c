/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http-transport-exchange.c: one POSTed message and its answer (an "exchange").
 *
 * The answer is 202 (for a notification or a response), a JSON body, an event stream, or for
 * the 2026-07-28 era a 4xx with a JSON-RPC error. An event stream that breaks or ends before
 * the response came is resumed with GET + Last-Event-ID, when the server gave event ids. The
 * send completes once the answer has been read to its end and every message in it emitted. */

#include "config.h"

#include "mcp-http-transport-private.h"

#define ERROR_BODY_LIMIT            (64 * 1024)
#define MAX_RESUMES_WITHOUT_PROGRESS 5

struct _Exchange
{
  McpHttpTransport *self;              /* kept alive by the task */
  GTask            *task;
  McpMessage       *message;
  char             *request_key;       /* id key when the message is a request */
  char             *sent_session_id;
  GCancellable     *cancellable;       /* ours: cancelled by the caller's or by close */
  GCancellable     *user_cancellable;
  gulong            user_cancel_id;
  SoupMessage      *msg;               /* the POST, then the GETs that resume its stream */
  GHashTable       *extra_headers;     /* of the POST, for building it again */
  GBytes           *body;              /* of the POST */
  guint             status;            /* of the POST */
  char             *reason;            /* of the POST */
  McpEventStream   *events;            /* once the answer is an event stream */
  gboolean          got_response;
  guint             n_events_at_resume;
  guint             resumes_without_progress;
};

static void
exchange_free (Exchange *ex)
{
  if (ex->user_cancel_id != 0)
    g_cancellable_disconnect (ex->user_cancellable, ex->user_cancel_id);
  if (ex->events != NULL)
    g_signal_handlers_disconnect_by_data (ex->events, ex);
  g_clear_object (&ex->events);
  g_clear_object (&ex->user_cancellable);
  g_clear_object (&ex->cancellable);
  g_clear_object (&ex->msg);
  g_clear_pointer (&ex->extra_headers, g_hash_table_unref);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_free (ex->reason);
  g_clear_object (&ex->message);
  g_clear_object (&ex->task);
  g_free (ex->request_key);
  g_free (ex->sent_session_id);
  g_free (ex);
}

/* Ends the exchange: the result goes to the caller after the exchange is gone, so the
 * caller may close the transport from its callback. */
static void
exchange_complete (Exchange *ex,
                   GError   *error)
{
  McpHttpTransport *self = ex->self;
  g_autoptr(GTask) task = g_steal_pointer (&ex->task);

  g_ptr_array_remove (self->exchanges, ex);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (ex->user_cancellable))
    {
      /* Our own cancellable fired without the caller's: the transport was closed. */
      g_clear_error (&error);
      error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                           "The transport was closed before the answer to %s arrived",
                           mcp_message_get_method (ex->message)
                           ? mcp_message_get_method (ex->message) : "a message");
    }

  exchange_free (ex);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static const char *
exchange_describe (Exchange *ex)
{
  const char *method = mcp_message_get_method (ex->message);

  return method != NULL ? method : "a response";
}

static void
exchange_emit (Exchange   *ex,
               McpMessage *message)
{
  McpMessageKind kind = mcp_message_get_kind (message);

  if (ex->request_key != NULL &&
      (kind == MCP_MESSAGE_KIND_RESULT || kind == MCP_MESSAGE_KIND_ERROR) &&
      g_strcmp0 (mcp_message_get_id_key (message), ex->request_key) == 0)
    ex->got_response = TRUE;

  mcp_transport_emit_message (MCP_TRANSPORT (ex->self), message);
}

static void
exchange_on_stream_message (McpEventStream *events,
                            McpMessage     *message,
                            gpointer        user_data)
{
  exchange_emit (user_data, message);
}

/* HTTP 404 to a request that carried the session id: the server forgot the session. */
static void
exchange_session_expired (Exchange   *ex,
                          const char *http_method)
{
  McpHttpTransport *self = ex->self;

  if (g_strcmp0 (self->session_id, ex->sent_session_id) == 0)
    {
      mcp_http_transport_forget_session_id (self);
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO,
                              "The server no longer knows the session (HTTP 404 on %s); "
                              "a new session has to be initialized", exchange_describe (ex));
      /* The GET stream belonged to the old session. */
      mcp_http_transport_stop_listening (self);
    }
  exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_SESSION_EXPIRED,
                                      "HTTP 404 Not Found from %s %s for a request in a "
                                      "session: the session expired", http_method,
                                      self->display_url));
}

static gboolean exchange_on_resume_delay (GCancellable *cancellable,
                                          gpointer      user_data);

/* The stream broke or ended without the response: resume it if the server made that
 * possible, else give up. */
static void
exchange_try_resume (Exchange     *ex,
                     const GError *why)
{
  const char *last_id = mcp_event_stream_get_last_event_id (ex->events);
  guint delay;

  if (last_id == NULL)
    {
      if (why != NULL)
        exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                            "The event stream answering %s broke before the "
                                            "response arrived, and the server gave no event "
                                            "id to resume from: %s",
                                            exchange_describe (ex), why->message));
      else
        exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                            "The event stream answering %s ended without "
                                            "the response", exchange_describe (ex)));
      return;
    }

  if (mcp_event_stream_get_n_events (ex->events) == ex->n_events_at_resume)
    ex->resumes_without_progress++;
  else
    ex->resumes_without_progress = 0;
  ex->n_events_at_resume = mcp_event_stream_get_n_events (ex->events);

  if (ex->resumes_without_progress >= MAX_RESUMES_WITHOUT_PROGRESS)
    {
      exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                          "Gave up resuming the event stream answering %s: "
                                          "%u attempts brought no new event",
                                          exchange_describe (ex),
                                          ex->resumes_without_progress));
      return;
    }

  delay = mcp_http_transport_retry_delay (ex->events);
  mcp_transport_emit_log (MCP_TRANSPORT (ex->self), MCP_LOG_INFO,
                          "The event stream answering %s %s before the response; resuming "
                          "after event “%s” in %u ms",
                          exchange_describe (ex), why ? "broke" : "ended", last_id, delay);
  mcp_http_schedule_delay (delay, ex->cancellable, exchange_on_resume_delay, ex);
}

static void
exchange_on_stream_finished (McpEventStream *events,
                             const GError   *error,
                             gpointer        user_data)
{
  Exchange *ex = user_data;

  if (error != NULL &&
      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
       g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE)))
    {
      exchange_complete (ex, g_error_copy (error));
      return;
    }

  if (ex->request_key == NULL || ex->got_response)
    {
      exchange_complete (ex, NULL);
      return;
    }

  exchange_try_resume (ex, error);
}

static void
exchange_on_resume_sent (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Exchange *ex = user_data;
  McpHttpTransport *self = ex->self;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_complete (ex, g_steal_pointer (&error));
      else
        exchange_try_resume (ex, error);
      return;
    }

  status = soup_message_get_status (ex->msg);
  if (status == SOUP_STATUS_OK && mcp_http_has_content_type (ex->msg, "text/event-stream"))
    {
      mcp_event_stream_start (ex->events, stream);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      mcp_http_transport_remember_www_authenticate (self, ex->msg);
      exchange_complete (ex, mcp_http_status_error (ex->msg, "GET", self->display_url, NULL));
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND && ex->sent_session_id != NULL)
    {
      exchange_session_expired (ex, "GET");
      return;
    }

  exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                      "Could not resume the event stream answering %s: "
                                      "HTTP %u %s from GET %s",
                                      exchange_describe (ex), status,
                                      mcp_http_reason_phrase (ex->msg), self->display_url));
}

static gboolean
exchange_on_resume_delay (GCancellable *cancellable,
                          gpointer      user_data)
{
  Exchange *ex = user_data;
  McpHttpTransport *self = ex->self;
  SoupMessageHeaders *headers;

  if (g_cancellable_is_cancelled (ex->cancellable))
    {
      exchange_complete (ex, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  "Operation was cancelled"));
      return G_SOURCE_REMOVE;
    }

  g_clear_object (&ex->msg);
  ex->msg = soup_message_new_from_uri (SOUP_METHOD_GET, self->uri);
  mcp_http_transport_add_common_headers (self, ex->msg);
  headers = soup_message_get_request_headers (ex->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Last-Event-ID",
                                mcp_event_stream_get_last_event_id (ex->events));

  soup_session_send_async (self->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_on_resume_sent, ex);
  return G_SOURCE_REMOVE;
}

static void
exchange_deliver_parsed (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  messages = mcp_http_parse_messages_finish (result, &error);
  if (messages == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exchange_complete (ex, g_steal_pointer (&error));
      else if (ex->request_key == NULL)
        {
          /* Nothing was waiting for an answer: a stray body does no harm. */
          mcp_transport_emit_log (MCP_TRANSPORT (ex->self), MCP_LOG_DEBUG,
                                  "Ignoring a body that is no JSON-RPC message in the answer "
                                  "to %s: %s", exchange_describe (ex), error->message);
          exchange_complete (ex, NULL);
        }
      else
        exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                                            "Expected a JSON-RPC message in the answer to %s "
                                            "from POST %s: %s", exchange_describe (ex),
                                            ex->self->display_url, error->message));
      return;
    }

  for (guint i = 0; i < messages->len; i++)
    {
      if (g_cancellable_is_cancelled (ex->cancellable))
        {
          exchange_complete (ex, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      "Operation was cancelled"));
          return;
        }
      exchange_emit (ex, g_ptr_array_index (messages, i));
    }

  if (ex->request_key != NULL && !ex->got_response)
    exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                        "The JSON answer to %s held no response to it",
                                        exchange_describe (ex)));
  else
    exchange_complete (ex, NULL);
}

static void
exchange_on_json_body (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = mcp_http_read_body_finish (result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE))
        g_prefix_error (&error, "The answer to %s from POST %s is too large: ",
                        exchange_describe (ex), ex->self->display_url);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) cause = g_steal_pointer (&error);
          error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                               "The answer to %s from POST %s broke off: %s",
                               exchange_describe (ex), ex->self->display_url, cause->message);
        }
      exchange_complete (ex, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (body) == 0 && ex->request_key == NULL)
    {
      exchange_complete (ex, NULL);
      return;
    }

  mcp_http_parse_messages_async (body, ex->cancellable, exchange_deliver_parsed, ex);
}

/* The reason phrase of the POST's answer, or the standard one for its status. */
static const char *
exchange_reason (Exchange *ex)
{
  const char *phrase = ex->reason;

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (ex->status);
  return phrase != NULL ? phrase : "";
}

static void
exchange_on_error_body (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Exchange *ex = user_data;
  McpHttpTransport *self = ex->self;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = ex->status;

  body = mcp_http_read_body_finish (result, &error);
  if (body == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exchange_complete (ex, g_steal_pointer (&error));
      return;
    }

  /* The 2026-07-28 era answers errors about a request (unsupported version, header
   * mismatch, unknown method) with a 4xx and a JSON-RPC error response: that is the answer. */
  if (body != NULL && status >= 400 && status < 500 && g_bytes_get_size (body) > 0)
    {
      g_autoptr(McpMessage) message = NULL;
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      message = mcp_message_parse (data, size, NULL);
      if (message != NULL && mcp_message_get_kind (message) == MCP_MESSAGE_KIND_ERROR)
        {
          if (mcp_message_get_id (message) != NULL)
            {
              exchange_emit (ex, message);
              exchange_complete (ex, NULL);
              return;
            }
          exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR,
                                              MCP_TRANSPORT_ERROR_HTTP_STATUS,
                                              "HTTP %u %s from POST %s: JSON-RPC error %d: %s",
                                              status, exchange_reason (ex),
                                              self->display_url,
                                              mcp_message_get_error_code (message),
                                              mcp_message_get_error_message (message)));
          return;
        }
    }

  exchange_complete (ex, mcp_http_status_error_for (ex->status, ex->reason, "POST",
                                                    self->display_url, body));
}

/* The POST could not be sent, or its answer did not come: @error is taken. */
static void
exchange_post_failed (Exchange *ex,
                      GError   *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) cause = error;
      error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                           "Could not send %s to %s: %s",
                           exchange_describe (ex), ex->self->display_url, cause->message);
    }
  exchange_complete (ex, error);
}

/* The answer to the POST: its head is in ex->msg (response headers), ex->status and
 * ex->reason, its body in @stream. */
static void
exchange_on_answer (Exchange     *ex,
                    GInputStream *stream)
{
  McpHttpTransport *self = ex->self;
  guint status = ex->status;
  goffset length;

  self->last_status = status;
  mcp_http_transport_remember_session_id (self, ex->msg);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_input_stream_close (stream, NULL, NULL);
      mcp_http_transport_remember_www_authenticate (self, ex->msg);
      exchange_complete (ex, mcp_http_status_error_for (status, ex->reason, "POST",
                                                        self->display_url, NULL));
      return;
    }

  if (status == SOUP_STATUS_NOT_FOUND && ex->sent_session_id != NULL)
    {
      g_input_stream_close (stream, NULL, NULL);
      exchange_session_expired (ex, "POST");
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      mcp_http_read_body_async (stream, ERROR_BODY_LIMIT, FALSE, ex->cancellable,
                                exchange_on_error_body, ex);
      return;
    }

  if (mcp_http_has_content_type (ex->msg, "text/event-stream"))
    {
      ex->events = mcp_event_stream_new (MCP_TRANSPORT (self), "the event stream",
                                         self->max_message_size, ex->cancellable);
      g_signal_connect (ex->events, "message", G_CALLBACK (exchange_on_stream_message), ex);
      g_signal_connect (ex->events, "finished", G_CALLBACK (exchange_on_stream_finished), ex);
      mcp_event_stream_start (ex->events, stream);
      return;
    }

  if (mcp_http_has_content_type (ex->msg, "application/json"))
    {
      SoupMessageHeaders *response_headers = soup_message_get_response_headers (ex->msg);

      length = soup_message_headers_get_content_length (response_headers);
      if (soup_message_headers_get_encoding (response_headers) == SOUP_ENCODING_CONTENT_LENGTH &&
          (guint64) length > self->max_message_size)
        {
          g_input_stream_close (stream, NULL, NULL);
          exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                              "The answer to %s from POST %s has %"
                                              G_GINT64_FORMAT " bytes, over the limit of %"
                                              G_GUINT64_FORMAT, exchange_describe (ex),
                                              self->display_url, (gint64) length,
                                              self->max_message_size));
          return;
        }
      mcp_http_read_body_async (stream, self->max_message_size, TRUE, ex->cancellable,
                                exchange_on_json_body, ex);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);

  /* 202 (or another success without a body we understand) for a notification or response. */
  if (ex->request_key == NULL)
    {
      exchange_complete (ex, NULL);
      return;
    }

  if (status == SOUP_STATUS_ACCEPTED)
    exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                        "The server accepted %s with HTTP 202 but sent no "
                                        "response", exchange_describe (ex)));
  else
    {
      const char *ct = soup_message_headers_get_content_type (
          soup_message_get_response_headers (ex->msg), NULL);
      exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                                          "Expected application/json or text/event-stream "
                                          "in answer to %s from POST %s, got %s",
                                          exchange_describe (ex), self->display_url,
                                          ct ? ct : "no content type"));
    }
}

static void exchange_send_post (Exchange *ex);

static void
exchange_on_post_sent (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      exchange_post_failed (ex, error);
      return;
    }

  ex->status = soup_message_get_status (ex->msg);
  g_free (ex->reason);
  ex->reason = g_strdup (soup_message_get_reason_phrase (ex->msg));
  exchange_on_answer (ex, stream);
}

/* Builds the POST in ex->msg: headers (a DPoP proof is made for each one) and the body. */
static gboolean
exchange_build_post (Exchange  *ex,
                     GError   **error)
{
  McpHttpTransport *self = ex->self;
  SoupMessageHeaders *request_headers;

  g_clear_object (&ex->msg);
  ex->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->uri);
  mcp_http_allow_connection_reuse (ex->msg);
  mcp_http_transport_add_common_headers (self, ex->msg);
  request_headers = soup_message_get_request_headers (ex->msg);
  soup_message_headers_replace (request_headers, "Accept", "application/json, text/event-stream");

  if ((self->modern && !mcp_http_transport_add_modern_headers (ex->msg, ex->message, error)) ||
      !mcp_http_transport_add_extra_headers (ex->msg, ex->extra_headers, error))
    return FALSE;

  if (self->http1 == NULL)
    soup_message_set_request_body_from_bytes (ex->msg, "application/json", ex->body);
  return TRUE;
}

/* The fast path gave up on this transport before sending anything of the POST (a proxy
 * applies): from now on the POSTs go through libsoup, this one first, built anew (a DPoP
 * proof is good once).
 *
 * A redirect is an answer like any other on either path: libsoup follows none for a POST
 * but 301, 302 and 303, which it turns into a GET, whose answer is no MCP answer either; a
 * POST is never sent again because of one. */
static void
exchange_switch_to_libsoup (Exchange *ex)
{
  McpHttpTransport *self = ex->self;
  GError *error = NULL;

  g_clear_object (&self->http1);
  if (!exchange_build_post (ex, &error))
    {
      exchange_complete (ex, error);
      return;
    }
  exchange_send_post (ex);
}

static void
exchange_on_http1_sent (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Exchange *ex = user_data;
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  g_autofree char *reason = NULL;
  guint status = 0;

  stream = mcp_http1_connection_send_finish (MCP_HTTP1_CONNECTION (source), result, &status,
                                             &reason, &error);
  if (stream == NULL)
    {
      if (g_error_matches (error, MCP_HTTP1_CONNECTION_ERROR,
                           MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT))
        {
          g_error_free (error);
          exchange_switch_to_libsoup (ex);
          return;
        }
      exchange_post_failed (ex, error);
      return;
    }

  ex->status = status;
  ex->reason = g_steal_pointer (&reason);
  exchange_on_answer (ex, stream);
}

static void
exchange_send_post (Exchange *ex)
{
  McpHttpTransport *self = ex->self;

  if (self->http1 != NULL)
    mcp_http1_connection_send_async (self->http1, ex->msg, ex->body, "application/json",
                                     ex->cancellable, exchange_on_http1_sent, ex);
  else
    soup_session_send_async (self->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                             exchange_on_post_sent, ex);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API and what the other files need                                                   */

void
mcp_http_transport_send_with_headers_async (McpHttpTransport    *self,
                                            McpMessage          *message,
                                            GHashTable          *headers,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Exchange *ex;
  char *text;
  gsize length;

  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));
  g_return_if_fail (MCP_IS_MESSAGE (message));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_http_transport_send_with_headers_async);

  if (!self->opened || self->closed)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN,
                               self->closed ? "The transport to %s is closed"
                                            : "The transport to %s is not open yet",
                               self->display_url);
      return;
    }

  ex = g_new0 (Exchange, 1);
  ex->self = self;
  ex->message = g_object_ref (message);
  ex->cancellable = g_cancellable_new ();
  if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_REQUEST)
    ex->request_key = g_strdup (mcp_message_get_id_key (message));
  ex->sent_session_id = g_strdup (self->session_id);
  if (headers != NULL)
    ex->extra_headers = g_hash_table_ref (headers);
  text = mcp_message_to_string (message, &length);
  ex->body = g_bytes_new_take (text, length);

  if (!exchange_build_post (ex, &error))
    {
      exchange_free (ex);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ex->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      ex->user_cancellable = g_object_ref (cancellable);
      ex->user_cancel_id = mcp_http_forward_cancellation (cancellable, ex->cancellable);
    }
  g_ptr_array_add (self->exchanges, ex);

  exchange_send_post (ex);
}

gboolean
mcp_http_transport_send_with_headers_finish (McpHttpTransport  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
void
mcp_http_transport_cancel_exchanges (McpHttpTransport *self)
{
  g_autoptr(GPtrArray) exchanges = g_ptr_array_copy (self->exchanges, NULL, NULL);

  for (guint i = 0; i < exchanges->len; i++)
    g_cancellable_cancel (((Exchange *) g_ptr_array_index (exchanges, i))->cancellable);
}
