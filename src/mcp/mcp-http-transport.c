/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Streamable HTTP transport.
 *
 * Every message is one POST (an "exchange", mcp-http-transport-exchange.c). Its answer is
 * 202, a JSON body, or an event stream that carries the response and whatever the server
 * sends on the way. A stream that breaks before the response came is resumed with GET +
 * Last-Event-ID when the server gave event ids (2025 era). A separate GET stream (the
 * "listener", mcp-http-transport-listen.c) carries server-initiated messages once the client
 * asks for it. The 2026-07-28 era adds headers to each POST (mcp-http-transport-headers.c).
 *
 * The POSTs and the GET stream go on McpHttp1Connection, plain kept-alive HTTP/1.1 (libsoup's
 * per-message machinery costs more CPU than the rest of a call), when the transport made its
 * own session and no proxy applies; libsoup carries everything else: the GETs that resume an
 * answer, the DELETE, a session the caller gave, and all requests once a proxy applies.
 *
 * Nothing here blocks: bodies are read in chunks with a byte budget, event streams go
 * through McpEventStream chunk by chunk, and bodies over 1 MiB are parsed in a worker thread
 * while the stream waits, so messages keep their order.
 *
 * This file: the object and its properties, open, close (DELETE of the session), and what
 * the other files share. */

#include "config.h"

#include "mcp-http-transport-private.h"

#define DEFAULT_RETRY_MS            1000
#define MAX_RETRY_MS                (5 * 60 * 1000)
#define DELETE_TIMEOUT_SECONDS      5

static void mcp_http_transport_iface_init (McpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpHttpTransport, mcp_http_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_TRANSPORT,
                                                      mcp_http_transport_iface_init))

enum {
  PROP_0,
  PROP_URL,
  PROP_SOUP_SESSION,
  PROP_HEADERS,
  PROP_BEARER_TOKEN,
  PROP_PROTOCOL_VERSION,
  PROP_SESSION_ID,
  PROP_MODERN,
  N_PROPS,
  PROP_MAX_MESSAGE_SIZE = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* Shared by the files of the transport                                                       */

void
mcp_http_transport_add_common_headers (McpHttpTransport *self,
                                       SoupMessage      *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  mcp_http_headers_apply (self->headers, self->bearer_token, self->dpop, msg);
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "MCP-Session-Id", self->session_id);
  if (self->protocol_version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", self->protocol_version);
}

void
mcp_http_transport_remember_www_authenticate (McpHttpTransport *self,
                                              SoupMessage      *msg)
{
  g_strfreev (self->last_www_authenticate);
  self->last_www_authenticate = mcp_http_collect_www_authenticate (msg);
}

void
mcp_http_transport_remember_session_id (McpHttpTransport *self,
                                        SoupMessage      *msg)
{
  const char *id;

  id = soup_message_headers_get_one (soup_message_get_response_headers (msg), "MCP-Session-Id");
  if (id == NULL || *id == '\0' || g_strcmp0 (id, self->session_id) == 0)
    return;

  for (const char *p = id; *p; p++)
    {
      if (*p < 0x21 || *p > 0x7E)
        {
          mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                                  "Ignoring an MCP-Session-Id with characters outside "
                                  "visible ASCII");
          return;
        }
    }

  g_free (self->session_id);
  self->session_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
}

void
mcp_http_transport_forget_session_id (McpHttpTransport *self)
{
  if (self->session_id == NULL)
    return;

  g_clear_pointer (&self->session_id, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
}

guint
mcp_http_transport_retry_delay (McpEventStream *events)
{
  gint64 retry = mcp_event_stream_get_retry (events);

  if (retry < 0)
    return DEFAULT_RETRY_MS;
  return (guint) MIN (retry, MAX_RETRY_MS);
}

/* ------------------------------------------------------------------------------------------ */
/* McpTransport                                                                               */

static void
mcp_http_transport_open_async (McpTransport        *transport,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_http_transport_open_async);

  if (self->closed)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN,
                               "The transport to %s is closed and cannot open again",
                               self->display_url);
      return;
    }

  if (self->uri == NULL)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                               "Expected an http or https URL, got “%s”",
                               self->url ? self->url : "");
      return;
    }

  /* Streamable HTTP has no connection of its own: the first POST is the first contact. */
  self->opened = TRUE;
  g_task_return_boolean (task, TRUE);
}

static gboolean
mcp_http_transport_open_finish (McpTransport  *transport,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_http_transport_send_async (McpTransport        *transport,
                               McpMessage          *message,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  mcp_http_transport_send_with_headers_async (MCP_HTTP_TRANSPORT (transport), message, NULL,
                                              cancellable, callback, user_data);
}

static gboolean
mcp_http_transport_send_finish (McpTransport  *transport,
                                GAsyncResult  *result,
                                GError       **error)
{
  return mcp_http_transport_send_with_headers_finish (MCP_HTTP_TRANSPORT (transport),
                                                      result, error);
}

typedef struct {
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  gulong        user_cancel_id;
  guint         timeout_id;
} CloseData;

static void
close_data_free (CloseData *cd)
{
  if (cd->user_cancel_id != 0)
    g_cancellable_disconnect (cd->user_cancellable, cd->user_cancel_id);
  g_clear_handle_id (&cd->timeout_id, g_source_remove);
  g_clear_object (&cd->user_cancellable);
  g_clear_object (&cd->cancellable);
  g_free (cd);
}

static gboolean
close_on_timeout (gpointer user_data)
{
  CloseData *cd = user_data;

  cd->timeout_id = 0;
  g_cancellable_cancel (cd->cancellable);
  return G_SOURCE_REMOVE;
}

static void
close_finish_now (GTask *task)
{
  McpHttpTransport *self = g_task_get_source_object (task);

  mcp_transport_emit_closed (MCP_TRANSPORT (self), NULL);
  g_task_return_boolean (task, TRUE);
}

static void
close_on_delete_sent (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpHttpTransport *self = g_task_get_source_object (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                            "Could not end the session with DELETE %s: %s",
                            self->display_url, error->message);
  else
    {
      guint status = soup_message_get_status (msg);

      g_input_stream_close (stream, NULL, NULL);
      if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
        mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                                "The server does not let clients end sessions (HTTP 405)");
      else if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                                "HTTP %u %s from DELETE %s", status,
                                mcp_http_reason_phrase (msg), self->display_url);
    }

  mcp_http_transport_forget_session_id (self);
  close_finish_now (task);
}

static void
mcp_http_transport_close_async (McpTransport        *transport,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  CloseData *cd;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_http_transport_close_async);

  if (self->closed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->closed = TRUE;

  mcp_http_transport_stop_listening (self);
  mcp_http_transport_cancel_exchanges (self);
  if (self->http1 != NULL)
    mcp_http1_connection_close_idle (self->http1);

  if (self->session_id == NULL || self->uri == NULL)
    {
      close_finish_now (g_steal_pointer (&task));
      return;
    }

  msg = soup_message_new_from_uri (SOUP_METHOD_DELETE, self->uri);
  mcp_http_transport_add_common_headers (self, msg);

  /* A server that hangs must not keep close from finishing. */
  cd = g_new0 (CloseData, 1);
  cd->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      cd->user_cancellable = g_object_ref (cancellable);
      cd->user_cancel_id = mcp_http_forward_cancellation (cancellable, cd->cancellable);
    }
  cd->timeout_id = g_timeout_add_seconds (DELETE_TIMEOUT_SECONDS, close_on_timeout, cd);
  g_task_set_task_data (task, cd, (GDestroyNotify) close_data_free);

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, cd->cancellable,
                           close_on_delete_sent, g_steal_pointer (&task));
}

static gboolean
mcp_http_transport_close_finish (McpTransport  *transport,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_http_transport_iface_init (McpTransportInterface *iface)
{
  iface->open_async = mcp_http_transport_open_async;
  iface->open_finish = mcp_http_transport_open_finish;
  iface->send_async = mcp_http_transport_send_async;
  iface->send_finish = mcp_http_transport_send_finish;
  iface->close_async = mcp_http_transport_close_async;
  iface->close_finish = mcp_http_transport_close_finish;
}

/* ------------------------------------------------------------------------------------------ */
/* Properties and life cycle                                                                  */

McpHttpTransport *
mcp_http_transport_new (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (MCP_TYPE_HTTP_TRANSPORT, "url", url, NULL);
}

McpHttpTransport *
mcp_http_transport_new_with_session (const char  *url,
                                     SoupSession *session)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (!session || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_HTTP_TRANSPORT, "url", url, "soup-session", session, NULL);
}

const char *
mcp_http_transport_get_url (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return self->url;
}

SoupSession *
mcp_http_transport_get_session (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return self->session;
}

void
mcp_http_transport_set_header (McpHttpTransport *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));
  g_return_if_fail (name != NULL);

  if (mcp_http_headers_set (self->headers, name, value, MCP_TRANSPORT (self)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

void
mcp_http_transport_set_headers (McpHttpTransport   *self,
                                const char * const *headers)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  mcp_http_headers_set_all (self->headers, headers, MCP_TRANSPORT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

char **
mcp_http_transport_dup_headers (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return mcp_http_headers_dup (self->headers);
}

void
mcp_http_transport_set_bearer_token (McpHttpTransport *self,
                                     const char       *token)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  if (mcp_http_replace_secret (&self->bearer_token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEARER_TOKEN]);
}

void
mcp_http_transport_set_dpop (McpHttpTransport *self,
                             McpDpop          *dpop)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));
  g_return_if_fail (dpop == NULL || MCP_IS_DPOP (dpop));

  g_set_object (&self->dpop, dpop);
}

void
mcp_http_transport_set_protocol_version (McpHttpTransport *self,
                                         const char       *version)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  if (g_strcmp0 (version, self->protocol_version) == 0)
    return;
  g_free (self->protocol_version);
  self->protocol_version = g_strdup (version);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL_VERSION]);
}

const char *
mcp_http_transport_get_protocol_version (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return self->protocol_version;
}

const char *
mcp_http_transport_get_session_id (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return self->session_id;
}

void
mcp_http_transport_set_modern (McpHttpTransport *self,
                               gboolean          modern)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  modern = !!modern;
  if (modern == self->modern)
    return;
  self->modern = modern;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODERN]);
}

gboolean
mcp_http_transport_get_modern (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), FALSE);

  return self->modern;
}

void
mcp_http_transport_set_max_message_size (McpHttpTransport *self,
                                         guint64           size)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  g_object_set (self, "max-message-size", size, NULL);
}

guint64
mcp_http_transport_get_max_message_size (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), 0);

  return self->max_message_size;
}

const char * const *
mcp_http_transport_get_last_www_authenticate (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  return (const char * const *) self->last_www_authenticate;
}

guint
mcp_http_transport_get_last_status (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), 0);

  return self->last_status;
}

static void
mcp_http_transport_constructed (GObject *object)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  G_OBJECT_CLASS (mcp_http_transport_parent_class)->constructed (object);

  self->uri = mcp_http_parse_url (self->url, &self->display_url);

  if (self->session == NULL)
    {
      /* A GET stream and a few streamed answers are open at once: more than libsoup's
       * default of two connections per host. */
      self->session = soup_session_new_with_options ("user-agent", MCP_HTTP_USER_AGENT,
                                                     "max-conns", 64,
                                                     "max-conns-per-host", 32,
                                                     "idle-timeout",
                                                     MCP_HTTP_IDLE_TIMEOUT_SECONDS,
                                                     NULL);
      /* libsoup's per-message machinery costs more CPU than the rest of a call: the POSTs
       * go on plain kept-alive HTTP/1.1 connections. A session someone gave us may carry
       * features (a proxy, a TLS database, a logger), so its POSTs stay with libsoup. */
      if (self->uri != NULL)
        self->http1 = mcp_http1_connection_new (self->uri);
    }
}

static void
mcp_http_transport_dispose (GObject *object)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  mcp_http_transport_stop_listening (self);
  mcp_http_transport_cancel_exchanges (self);

  G_OBJECT_CLASS (mcp_http_transport_parent_class)->dispose (object);
}

static void
mcp_http_transport_finalize (GObject *object)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  g_clear_object (&self->http1);
  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->url);
  g_free (self->display_url);
  g_ptr_array_unref (self->headers);
  mcp_http_replace_secret (&self->bearer_token, NULL);
  g_clear_object (&self->dpop);
  g_free (self->protocol_version);
  g_free (self->session_id);
  g_strfreev (self->last_www_authenticate);
  g_ptr_array_unref (self->exchanges);

  G_OBJECT_CLASS (mcp_http_transport_parent_class)->finalize (object);
}

static void
mcp_http_transport_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_SOUP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_HEADERS:
      g_value_take_boxed (value, mcp_http_transport_dup_headers (self));
      break;
    case PROP_PROTOCOL_VERSION:
      g_value_set_string (value, self->protocol_version);
      break;
    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;
    case PROP_MODERN:
      g_value_set_boolean (value, self->modern);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_http_transport_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    case PROP_SOUP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_HEADERS:
      mcp_http_transport_set_headers (self, g_value_get_boxed (value));
      break;
    case PROP_BEARER_TOKEN:
      mcp_http_transport_set_bearer_token (self, g_value_get_string (value));
      break;
    case PROP_PROTOCOL_VERSION:
      mcp_http_transport_set_protocol_version (self, g_value_get_string (value));
      break;
    case PROP_MODERN:
      mcp_http_transport_set_modern (self, g_value_get_boolean (value));
      break;
    case PROP_MAX_MESSAGE_SIZE:
      if (self->max_message_size != g_value_get_uint64 (value))
        {
          self->max_message_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_http_transport_class_init (McpHttpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mcp_http_transport_constructed;
  object_class->dispose = mcp_http_transport_dispose;
  object_class->finalize = mcp_http_transport_finalize;
  object_class->get_property = mcp_http_transport_get_property;
  object_class->set_property = mcp_http_transport_set_property;

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
  properties[PROP_PROTOCOL_VERSION] =
    g_param_spec_string ("protocol-version", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODERN] =
    g_param_spec_boolean ("modern", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_MAX_MESSAGE_SIZE, "max-message-size");
}

static void
mcp_http_transport_init (McpHttpTransport *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->exchanges = g_ptr_array_new ();
  self->max_message_size = MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE;
}