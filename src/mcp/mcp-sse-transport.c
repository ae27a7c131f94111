/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The HTTP+SSE transport of protocol revision 2024-11-05.
 *
 * One long GET carries everything the server says; the first thing it says is an `endpoint`
 * event naming where to POST. Messages POSTed there are answered on the stream, so a send
 * is over as soon as the POST is accepted. The stream is read in chunks through
 * McpSseParser; an event over 1 MiB is parsed in a worker thread while the stream waits. */

#include "config.h"

#include "mcp-sse-transport.h"

#include <string.h>

#include "mcp-sse-parser.h"

#define READ_CHUNK_SIZE        (64 * 1024)
#define ERROR_BODY_LIMIT       (16 * 1024)
#define THREADED_PARSE_SIZE    (1024 * 1024)
#define USER_AGENT             "Tether/" VERSION

typedef enum {
  STATE_INITIAL,
  STATE_OPENING,
  STATE_OPEN,
  STATE_CLOSED,
} State;

struct _McpSseTransport
{
  GObject       parent_instance;

  char         *url;
  GUri         *uri;           /* NULL when url does not parse */
  char         *display_url;   /* without a password, for messages */
  SoupSession  *session;
  GPtrArray    *headers;       /* "Name: value" */
  char         *bearer_token;
  guint64       max_message_size;
  char        **last_www_authenticate;

  State         state;
  GUri         *endpoint;
  char         *endpoint_url;

  GCancellable *cancellable;   /* the stream and every POST; cancelled by close */
  GTask        *open_task;
  gulong        open_cancel_id;
  SoupMessage  *stream_msg;
  GInputStream *stream;
  McpSseParser *parser;
  GQueue        events;        /* McpSseEvent *, waiting to be handled */
  gboolean      eof;
  GError       *stream_error;  /* reported once the queue is empty */
};

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

static void read_next (McpSseTransport *self);

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gboolean
is_valid_header_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_header_value (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p; p++)
    if (!((*p >= 0x20 && *p <= 0x7E) || *p == '\t'))
      return FALSE;
  return TRUE;
}

static const char *
reason_phrase (SoupMessage *msg)
{
  const char *phrase = soup_message_get_reason_phrase (msg);

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (soup_message_get_status (msg));
  return phrase ? phrase : "";
}

static void
collect_www_authenticate (const char *name,
                          const char *value,
                          gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0)
    g_ptr_array_add (user_data, g_strdup (value));
}

static void
remember_www_authenticate (McpSseTransport *self,
                           SoupMessage     *msg)
{
  GPtrArray *values = g_ptr_array_new ();

  soup_message_headers_foreach (soup_message_get_response_headers (msg),
                                collect_www_authenticate, values);
  g_clear_pointer (&self->last_www_authenticate, g_strfreev);
  if (values->len > 0)
    {
      g_ptr_array_add (values, NULL);
      self->last_www_authenticate = (char **) g_ptr_array_free (values, FALSE);
    }
  else
    g_ptr_array_free (values, TRUE);
}

static void
add_common_headers (McpSseTransport *self,
                    SoupMessage     *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *line = g_ptr_array_index (self->headers, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = g_strndup (line, colon - line);

      soup_message_headers_replace (headers, name, colon + 2);
    }
  if (self->bearer_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->bearer_token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
}

/* An error for an HTTP status, with a one-line excerpt of the body when there is one. */
static GError *
status_error (SoupMessage *msg,
              const char  *method,
              const char  *url,
              GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  int code = MCP_TRANSPORT_ERROR_HTTP_STATUS;
  g_autoptr(GString) excerpt = g_string_new (NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    code = MCP_TRANSPORT_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    code = MCP_TRANSPORT_ERROR_FORBIDDEN;

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);
      g_autofree char *valid = g_utf8_make_valid (data, MIN (size, 800));
      const char *p;

      for (p = valid; *p != '\0' && g_utf8_strlen (excerpt->str, -1) < 200;
           p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
            c = ' ';
          if (c == ' ' && (excerpt->len == 0 || excerpt->str[excerpt->len - 1] == ' '))
            continue;
          g_string_append_unichar (excerpt, c);
        }
      while (excerpt->len > 0 && excerpt->str[excerpt->len - 1] == ' ')
        g_string_truncate (excerpt, excerpt->len - 1);
      if (excerpt->len > 0 && (*p != '\0' || size > 800))
        g_string_append (excerpt, "…");
    }

  if (excerpt->len > 0)
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s: %s",
                        status, reason_phrase (msg), method, url, excerpt->str);
  return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s",
                      status, reason_phrase (msg), method, url);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0 &&
         effective_port (a) == effective_port (b);
}

/* ------------------------------------------------------------------------------------------ */
/* The stream                                                                                 */

static void
cancel_cancellable (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
finish_open (McpSseTransport *self,
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

static void
stop_stream (McpSseTransport *self)
{
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->events, (GDestroyNotify) mcp_sse_event_unref);
  if (self->stream != NULL)
    {
      g_input_stream_close (self->stream, NULL, NULL);
      g_clear_object (&self->stream);
    }
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
  stop_stream (self);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_open (self, error);
      return;
    }

  if (was == STATE_OPENING)
    {
      if (error == NULL)
        error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL,
                             "The SSE stream from %s ended before the endpoint event",
                             self->display_url);
      finish_open (self, error);
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
  g_clear_pointer (&self->endpoint, g_uri_unref);
  g_free (self->endpoint_url);
  self->endpoint = g_steal_pointer (&endpoint);
  self->endpoint_url = g_uri_to_string (self->endpoint);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);

  if (self->state == STATE_OPENING)
    {
      self->state = STATE_OPEN;
      finish_open (self, NULL);
    }
}

static void
deliver (McpSseTransport *self,
         GPtrArray       *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      if (self->state == STATE_CLOSED)
        return;
      mcp_transport_emit_message (MCP_TRANSPORT (self), g_ptr_array_index (messages, i));
    }
}

static void drain (McpSseTransport *self);

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  McpSseEvent *event = task_data;
  GError *error = NULL;
  GPtrArray *messages;

  messages = mcp_message_parse_batch (mcp_sse_event_get_data (event),
                                      mcp_sse_event_get_data_length (event), &error);
  if (messages != NULL)
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(McpSseTransport) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  messages = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->state == STATE_CLOSED)
    return;
  if (messages == NULL)
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                            "Skipping a malformed message on the SSE stream: %s",
                            error->message);
  else
    deliver (self, messages);
  drain (self);
}

/* Hands queued events on in order; waits for a large one parsed in a thread. */
static void
drain (McpSseTransport *self)
{
  McpSseEvent *event;

  while (self->state != STATE_CLOSED && (event = g_queue_pop_head (&self->events)) != NULL)
    {
      G_GNUC_UNUSED g_autoptr(McpSseEvent) owned = event;
      const char *type = mcp_sse_event_get_event_type (event);
      gsize length = mcp_sse_event_get_data_length (event);
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;

      if (g_str_equal (type, "endpoint"))
        {
          handle_endpoint (self, event);
          continue;
        }

      if (!g_str_equal (type, "message"))
        {
          mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                                  "Ignoring an event of type “%s” on the SSE stream", type);
          continue;
        }

      if (length == 0)
        continue;

      if (length > THREADED_PARSE_SIZE)
        {
          g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_parsed,
                                              g_object_ref (self));

          g_task_set_source_tag (task, drain);
          g_task_set_task_data (task, mcp_sse_event_ref (event),
                                (GDestroyNotify) mcp_sse_event_unref);
          g_task_run_in_thread (task, parse_thread);
          return;
        }

      messages = mcp_message_parse_batch (mcp_sse_event_get_data (event), length, &error);
      if (messages == NULL)
        mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                                "Skipping a malformed message on the SSE stream: %s",
                                error->message);
      else
        deliver (self, messages);
    }

  if (self->state == STATE_CLOSED)
    return;
  if (self->stream_error != NULL)
    stream_ended (self, g_steal_pointer (&self->stream_error));
  else if (self->eof)
    stream_ended (self, NULL);
  else
    read_next (self);
}

static void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          gpointer      user_data)
{
  McpSseTransport *self = user_data;

  g_queue_push_tail (&self->events, mcp_sse_event_ref (event));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(McpSseTransport) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      stream_ended (self, error);
      return;
    }
  if (self->state == STATE_CLOSED)
    return;

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      mcp_sse_parser_finish (self->parser);
      self->eof = TRUE;
    }
  else if (!mcp_sse_parser_feed (self->parser, data, size, &error))
    {
      self->stream_error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                        "An event on the SSE stream from %s is larger than "
                                        "the limit of %" G_GUINT64_FORMAT " bytes (%s)",
                                        self->display_url, self->max_message_size,
                                        error->message);
      g_clear_error (&error);
    }

  drain (self);
}

static void
read_next (McpSseTransport *self)
{
  g_input_stream_read_bytes_async (self->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, on_read, g_object_ref (self));
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
    remember_www_authenticate (self, self->stream_msg);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_input_stream_close (stream, NULL, NULL);
      stream_ended (self, status_error (self->stream_msg, "GET", self->display_url, NULL));
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

  self->stream = g_steal_pointer (&stream);
  read_next (self);
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
    self->open_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cancellable),
                                                  g_object_ref (self->cancellable),
                                                  g_object_unref);

  self->stream_msg = soup_message_new_from_uri (SOUP_METHOD_GET, self->uri);
  add_common_headers (self, self->stream_msg);
  soup_message_headers_replace (soup_message_get_request_headers (self->stream_msg),
                                "Accept", "text/event-stream");
  soup_session_send_async (self->session, self->stream_msg, G_PRIORITY_DEFAULT,
                           self->cancellable, on_stream_sent, g_object_ref (self));
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
    g_task_return_error (task, status_error (sd->msg, "POST", self->display_url, body));
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
    remember_www_authenticate (self, sd->msg);

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
  sd->close_cancel_id = g_cancellable_connect (self->cancellable,
                                               G_CALLBACK (cancel_cancellable),
                                               g_object_ref (sd->cancellable), g_object_unref);
  if (cancellable != NULL)
    {
      sd->user_cancellable = g_object_ref (cancellable);
      sd->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cancellable),
                                                  g_object_ref (sd->cancellable),
                                                  g_object_unref);
    }
  g_task_set_task_data (task, sd, (GDestroyNotify) send_data_free);

  sd->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->endpoint);
  add_common_headers (self, sd->msg);
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
  stop_stream (self);

  if (!was_closed)
    {
      finish_open (self, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CLOSED,
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

static gboolean
set_header_internal (McpSseTransport *self,
                     const char      *name,
                     const char      *value)
{
  gsize name_len = strlen (name);

  if (!is_valid_header_name (name) || (value != NULL && !is_valid_header_value (value)))
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                              "Ignoring the custom header “%s”: its name or value has "
                              "characters a header cannot carry", name);
      return FALSE;
    }

  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *line = g_ptr_array_index (self->headers, i);

      if (line[name_len] == ':' && g_ascii_strncasecmp (line, name, name_len) == 0)
        {
          g_ptr_array_remove_index (self->headers, i);
          break;
        }
    }
  if (value != NULL)
    g_ptr_array_add (self->headers, g_strdup_printf ("%s: %s", name, value));
  return TRUE;
}

void
mcp_sse_transport_set_header (McpSseTransport *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));
  g_return_if_fail (name != NULL);

  if (set_header_internal (self, name, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

void
mcp_sse_transport_set_headers (McpSseTransport    *self,
                               const char * const *headers)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));

  g_ptr_array_set_size (self->headers, 0);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      const char *colon = strchr (headers[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        {
          mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                                  "Ignoring a custom header without “Name: value” form");
          continue;
        }
      name = g_strstrip (g_strndup (headers[i], colon - headers[i]));
      value = g_strstrip (g_strdup (colon + 1));
      set_header_internal (self, name, value);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

char **
mcp_sse_transport_dup_headers (McpSseTransport *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MCP_IS_SSE_TRANSPORT (self), NULL);

  for (guint i = 0; i < self->headers->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->headers, i));
  return g_strv_builder_end (builder);
}

void
mcp_sse_transport_set_bearer_token (McpSseTransport *self,
                                    const char      *token)
{
  g_return_if_fail (MCP_IS_SSE_TRANSPORT (self));

  if (g_strcmp0 (token, self->bearer_token) == 0)
    return;
  if (self->bearer_token != NULL)
    explicit_bzero (self->bearer_token, strlen (self->bearer_token));
  g_free (self->bearer_token);
  self->bearer_token = (token != NULL && *token != '\0') ? g_strdup (token) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEARER_TOKEN]);
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

  if (self->url != NULL)
    self->uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (self->uri != NULL &&
      ((g_strcmp0 (g_uri_get_scheme (self->uri), "http") != 0 &&
        g_strcmp0 (g_uri_get_scheme (self->uri), "https") != 0) ||
       g_uri_get_host (self->uri) == NULL || *g_uri_get_host (self->uri) == '\0'))
    g_clear_pointer (&self->uri, g_uri_unref);
  self->display_url = self->uri ? g_uri_to_string_partial (self->uri, G_URI_HIDE_PASSWORD)
                                : g_strdup (self->url ? self->url : "");

  self->parser = mcp_sse_parser_new (self->max_message_size);
  g_signal_connect (self->parser, "event", G_CALLBACK (on_event), self);

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                   "max-conns-per-host", 8,
                                                   NULL);
}

static void
mcp_sse_transport_dispose (GObject *object)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  self->state = STATE_CLOSED;
  stop_stream (self);

  G_OBJECT_CLASS (mcp_sse_transport_parent_class)->dispose (object);
}

static void
mcp_sse_transport_finalize (GObject *object)
{
  McpSseTransport *self = MCP_SSE_TRANSPORT (object);

  g_clear_object (&self->parser);
  g_clear_object (&self->stream_msg);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->endpoint, g_uri_unref);
  g_free (self->endpoint_url);
  g_free (self->url);
  g_free (self->display_url);
  g_ptr_array_unref (self->headers);
  if (self->bearer_token != NULL)
    explicit_bzero (self->bearer_token, strlen (self->bearer_token));
  g_free (self->bearer_token);
  g_strfreev (self->last_www_authenticate);
  g_clear_error (&self->stream_error);

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
          self->max_message_size = g_value_get_uint64 (value);
          if (self->parser != NULL && self->state == STATE_INITIAL)
            {
              /* the parser's limit is fixed at construction: make a new one */
              g_signal_handlers_disconnect_by_data (self->parser, self);
              g_object_unref (self->parser);
              self->parser = mcp_sse_parser_new (self->max_message_size);
              g_signal_connect (self->parser, "event", G_CALLBACK (on_event), self);
            }
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
  g_queue_init (&self->events);
}
