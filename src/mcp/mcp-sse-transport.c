/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP+SSE transport of protocol revision 2024-11-05.
 *
 * One long GET carries everything the server says; the first thing it says is an `endpoint`
 * event naming where to POST. Messages POSTed there are answered on the stream, so a send
 * is over as soon as the POST is accepted. The stream is read by an McpEventStream, which
 * parses an event over 1 MiB in a worker thread while the stream waits.
 *
 * This file: the object, its properties, open, sending and close. The stream itself is in
 * mcp-sse-transport-stream.c. */

#include "config.h"

#include "mcp-sse-transport-private.h"

#define ERROR_BODY_LIMIT       (16 * 1024)

static void mcp_sse_transport_iface_init (McpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpSseTransport, mcp_sse_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_TRANSPORT,
                                                      mcp_sse_transport_iface_init))

enum {
  PROP_0,
  PROP_URL,
  PROP_SOUP_SESSION,
  PROP_HEADERS,
  PROP_BEARER_TOKEN,
  PROP_ENDPOINT,
  N_PROPS,
  PROP_MAX_MESSAGE_SIZE = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Shared with mcp-sse-transport-stream.c                                                     */

void
mcp_sse_transport_remember_www_authenticate (McpSseTransport *self,
                                             SoupMessage     *msg)
{
  g_strfreev (self->last_www_authenticate);
  self->last_www_authenticate = mcp_http_collect_www_authenticate (msg);
}

void
mcp_sse_transport_take_endpoint (McpSseTransport *self,
                                 GUri            *endpoint)
{
  g_clear_pointer (&self->endpoint, g_uri_unref);
  g_free (self->endpoint_url);
  self->endpoint = endpoint;
  self->endpoint_url = g_uri_to_string (self->endpoint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
}

/* ------------------------------------------------------------------------------------------ */
/* McpTransport                                                                               */

static void
mcp_sse_transport_open_async (McpTransport        *transport,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_sse_transport_open_async);

  if (self->state != STATE_INITIAL)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                               "The transport to %s was opened already", self->display_url);
      return;
    }
  if (self->uri == NULL)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                               "Expected an http or https URL, got “%s”",
                               self->url ? self->url : "");
      return;
    }

  self->state = STATE_OPENING;
  self->open_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->open_cancel_id = mcp_http_forward_cancellation (cancellable, self->cancellable);

  mcp_sse_transport_open_stream (self);
}

static gboolean
mcp_sse_transport_open_finish (McpTransport  *transport,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  SoupMessage  *msg;
  GCancellable *cancellable;       /* cancelled by the caller's or by close */
  GCancellable *user_cancellable;
  gulong        user_cancel_id;
  gulong        close_cancel_id;
  GCancellable *transport_cancellable;
} SendData;

static void
send_data_free (SendData *sd)
{
  if (sd->user_cancel_id != 0)
    g_cancellable_disconnect (sd->user_cancellable, sd->user_cancel_id);
  if (sd->close_cancel_id != 0)
    g_cancellable_disconnect (sd->transport_cancellable, sd->close_cancel_id);
  g_clear_object (&sd->user_cancellable);
  g_clear_object (&sd->transport_cancellable);
  g_clear_object (&sd->cancellable);
  g_clear_object (&sd->msg);
  g_free (sd);
}

static gboolean
send_return_cancelled (GTask  *task,
                       GError *error)
{
  McpSseTransport *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  if (sd->user_cancellable != NULL && g_cancellable_is_cancelled (sd->user_cancellable))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                             "The transport to %s was closed while sending",
                             self->display_url);
  return TRUE;
}

static void
on_post_body (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpSseTransport *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (sd->msg);

  body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  g_input_stream_close (G_INPUT_STREAM (source), NULL, NULL);

  if (body == NULL && send_return_cancelled (task, error))
    return;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, mcp_http_status_error (sd->msg, "POST", self->display_url,
                                                      body));
}

static void
on_post_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpSseTransport *self = g_task_get_source_object (task);
  SendData *sd = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      if (!send_return_cancelled (task, error))
        g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                                 "Could not POST to the message endpoint of %s: %s",
                                 self->display_url, error->message);
      return;
    }

  status = soup_message_get_status (sd->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    mcp_sse_transport_remember_www_authenticate (self, sd->msg);

  /* The body is a short acknowledgement or an error text: read a bounded piece of it, so the
   * connection can be reused and an error can say what the server said. */
  g_input_stream_read_bytes_async (stream, ERROR_BODY_LIMIT, G_PRIORITY_DEFAULT,
                                   sd->cancellable, on_post_body, g_steal_pointer (&task));
}

static void
mcp_sse_transport_send_async (McpTransport        *transport,
                              McpMessage          *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  SendData *sd;
  char *text;
  gsize length;

  g_return_if_fail (MCP_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_sse_transport_send_async);

  if (self->state != STATE_OPEN)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN,
                               self->state == STATE_CLOSED
                               ? "The transport to %s is closed"
                               : "The transport to %s is not open yet",
                               self->display_url);
      return;
    }

  sd = g_new0 (SendData, 1);
  sd->cancellable = g_cancellable_new ();
  sd->transport_cancellable = g_object_ref (self->cancellable);
  sd->close_cancel_id = mcp_http_forward_cancellation (self->cancellable, sd->cancellable);
  if (cancellable != NULL)
    {
      sd->user_cancellable = g_object_ref (cancellable);
      sd->user_cancel_id = mcp_http_forward_cancellation (cancellable, sd->cancellable);
    }
  g_task_set_task_data (task, sd, (GDestroyNotify) send_data_free);

  sd->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->endpoint);
  mcp_http_allow_connection_reuse (sd->msg);
  mcp_http_headers_apply (self->headers, self->bearer_token, self->dpop, sd->msg);
  text = mcp_message_to_string (message, &length);
  body = g_bytes_new_take (text, length);
  soup_message_set_request_body_from_bytes (sd->msg, "application/json", body);

  soup_session_send_async (self->session, sd->msg, G_PRIORITY_DEFAULT, sd->cancellable,
                           on_post_sent, g_steal_pointer (&task));
}

static gboolean
mcp_sse_transport_send_finish (McpTransport  *transport,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_sse_transport_close_async (McpTransport        *transport,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  gboolean was_closed = self->state == STATE_CLOSED;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_sse_transport_close_async);

  self->state = STATE_CLOSED;
  mcp_sse_transport_stop_stream (self);

  if (!was_closed)
    {
      mcp_sse_transport_finish_open (self,
                                     g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
                                                  "The transport to %s was closed while opening",
                                                  self->display_url));
      mcp_transport_emit_closed (MCP_TRANSPORT (self), NULL);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
mcp_sse_transport_close_finish (McpTransport  *transport,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_sse_transport_iface_init (McpTransportInterface *iface)
{
  iface->open_async = mcp_sse_transport_open_async;
  iface->open_finish = mcp_sse_transport_open_finish;
  iface->send_async = mcp_sse_transport_send_async;
  iface->send_finish = mcp_sse_transport_send_finish;
  iface->close_async = mcp_sse_transport_close_async;
  iface->close_finish = mcp_sse_transport_close_finish;
}

/* ------------------------------------------------------------------------------------------ */
/* Properties and life cycle                                                                  */

McpSseTransport *
mcp_sse_transport_new (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (MCP_TYPE_SSE_TRANSPORT, "url", url, NULL);
}

McpSseTransport *
mcp_sse_transport_new_with_session (const char  *url,
                                    SoupSession *session)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (!session || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_SSE_TRANSPORT, "url", url, "soup-session", session, NULL);
}

const char *
mcp_sse_transport_get_url (McpSseTransport *self)
{
  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), NULL);

  return self->url;
}

const char *
mcp_sse_transport_get_endpoint (McpSseTransport *self)
{
  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), NULL);

  return self->endpoint_url;
}

void
mcp_sse_transport_set_header (McpSseTransport *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));
  g_return_if_fail (name != NULL);

  if (mcp_http_headers_set (self->headers, name, value, MCP_TRANSPORT (self)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

void
mcp_sse_transport_set_headers (McpSseTransport    *self,
                               const char * const *headers)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));

  mcp_http_headers_set_all (self->headers, headers, MCP_TRANSPORT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

char **
mcp_sse_transport_dup_headers (McpSseTransport *self)
{
  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), NULL);

  return mcp_http_headers_dup (self->headers);
}

void
mcp_sse_transport_set_bearer_token (McpSseTransport *self,
                                    const char      *token)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));

  if (mcp_http_replace_secret (&self->bearer_token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEARER_TOKEN]);
}

void
mcp_sse_transport_set_dpop (McpSseTransport *self,
                            McpDpop         *dpop)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));
  g_return_if_fail (dpop == NULL || MCP_IS_DPOP (dpop));

  g_set_object (&self->dpop, dpop);
}

void
mcp_sse_transport_set_max_message_size (McpSseTransport *self,
                                        guint64          size)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));

  g_object_set (self, "max-message-size", size, NULL);
}

guint64
mcp_sse_transport_get_max_message_size (McpSseTransport *self)
{
  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), 0);

  return self->max_message_size;
}

const char * const *
mcp_sse_transport_get_last_www_authenticate (McpSseTransport *self)
{
  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), NULL);

  return (const char * const *) self->last_www_authenticate;
}

static void
mcp_sse_transport_constructed (GObject *object)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  G_OBJECT_CLASS (mcp_sse_transport_parent_class)->constructed (object);

  self->uri = mcp_http_parse_url (self->url, &self->display_url);

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", MCP_HTTP_USER_AGENT,
                                                   "max-conns-per-host", 8,
                                                   "idle-timeout", MCP_HTTP_IDLE_TIMEOUT_SECONDS,
                                                   NULL);
}

static void
mcp_sse_transport_dispose (GObject *object)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  self->state = STATE_CLOSED;
  mcp_sse_transport_stop_stream (self);

  G_OBJECT_CLASS (mcp_sse_transport_parent_class)->dispose (object);
}

static void
mcp_sse_transport_finalize (GObject *object)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_data (self->events, self);
  g_clear_object (&self->events);
  g_clear_object (&self->stream_msg);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->endpoint, g_uri_unref);
  g_free (self->endpoint_url);
  g_free (self->url);
  g_free (self->display_url);
  g_ptr_array_unref (self->headers);
  mcp_http_replace_secret (&self->bearer_token, NULL);
  g_clear_object (&self->dpop);
  g_strfreev (self->last_www_authenticate);

  G_OBJECT_CLASS (mcp_sse_transport_parent_class)->finalize (object);
}

static void
mcp_sse_transport_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_SOUP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_HEADERS:
      g_value_take_boxed (value, mcp_sse_transport_dup_headers (self));
      break;
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint_url);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_sse_transport_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_SOUP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_HEADERS:
      mcp_sse_transport_set_headers (self, g_value_get_boxed (value));
      break;
    case PROP_BEARER_TOKEN:
      mcp_sse_transport_set_bearer_token (self, g_value_get_string (value));
      break;
    case PROP_MAX_MESSAGE_SIZE:
      if (self->max_message_size != g_value_get_uint64 (value))
        {
          /* the stream takes the limit when it opens */
          self->max_message_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_sse_transport_class_init (McpSseTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mcp_sse_transport_constructed;
  object_class->dispose = mcp_sse_transport_dispose;
  object_class->finalize = mcp_sse_transport_finalize;
  object_class->get_property = mcp_sse_transport_get_property;
  object_class->set_property = mcp_sse_transport_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOUP_SESSION] =
    g_param_spec_object ("soup-session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADERS] =
    g_param_spec_boxed ("headers", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BEARER_TOKEN] =
    g_param_spec_string ("bearer-token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_MAX_MESSAGE_SIZE, "max-message-size");
}

static void
mcp_sse_transport_init (McpSseTransport *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->max_message_size = MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE;
  self->cancellable = g_cancellable_new ();
}
