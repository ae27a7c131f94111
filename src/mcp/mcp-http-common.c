/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http-common.c: what the Streamable HTTP and the HTTP+SSE transports share: URL checks,
 * custom headers, errors for HTTP statuses, bounded body reads and worker-thread parsing. */

#include "config.h"

#include "mcp-http-common-private.h"

#include <string.h>

#define ERROR_EXCERPT_CHARS 200

/* ------------------------------------------------------------------------------------------ */
/* URLs, cancellation, delays                                                                 */

GUri *
mcp_http_parse_url (const char  *url,
                    char       **display_url)
{
  GUri *uri = NULL;

  if (url != NULL)
    {
      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
      if (uri != NULL &&
          g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
        g_clear_pointer (&uri, g_uri_unref);
      if (uri != NULL && (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'))
        g_clear_pointer (&uri, g_uri_unref);
    }

  if (uri != NULL)
    *display_url = g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
  else
    *display_url = g_strdup (url ? url : "");

  return uri;
}

int
mcp_http_effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static void
cancel_cancellable (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

gulong
mcp_http_forward_cancellation (GCancellable *from,
                               GCancellable *to)
{
  return g_cancellable_connect (from, G_CALLBACK (cancel_cancellable),
                                g_object_ref (to), g_object_unref);
}

void
mcp_http_schedule_delay (guint                   ms,
                         GCancellable           *cancellable,
                         GCancellableSourceFunc  func,
                         gpointer                user_data)
{
  g_autoptr(GSource) source = g_cancellable_source_new (cancellable);

  g_source_set_ready_time (source, g_get_monotonic_time () + (gint64) ms * 1000);
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (func), user_data, NULL);
  g_source_set_name (source, "[mcp] http transport delay");
  g_source_attach (source, g_main_context_get_thread_default ());
}

/* ------------------------------------------------------------------------------------------ */
/* Request headers                                                                            */

gboolean
mcp_http_header_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
mcp_http_header_value_is_valid (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p; p++)
    if (!((*p >= 0x20 && *p <= 0x7E) || *p == '\t'))
      return FALSE;
  return TRUE;
}

static int
find_header (GPtrArray  *headers,
             const char *name)
{
  gsize name_len = strlen (name);

  for (guint i = 0; i < headers->len; i++)
    {
      const char *line = g_ptr_array_index (headers, i);
      const char *colon = strchr (line, ':');

      if ((gsize) (colon - line) == name_len && g_ascii_strncasecmp (line, name, name_len) == 0)
        return (int) i;
    }
  return -1;
}

gboolean
mcp_http_headers_set (GPtrArray    *headers,
                      const char   *name,
                      const char   *value,
                      McpTransport *transport)
{
  int index;

  if (!mcp_http_header_name_is_valid (name) ||
      (value != NULL && !mcp_http_header_value_is_valid (value)))
    {
      mcp_transport_emit_log (transport, MCP_LOG_WARNING,
                              "Ignoring the custom header “%s”: its name or value has "
                              "characters a header cannot carry", name);
      return FALSE;
    }

  index = find_header (headers, name);
  if (index >= 0)
    g_ptr_array_remove_index (headers, index);
  if (value != NULL)
    g_ptr_array_add (headers, g_strdup_printf ("%s: %s", name, value));
  return TRUE;
}

void
mcp_http_headers_set_all (GPtrArray          *headers,
                          const char * const *lines,
                          McpTransport       *transport)
{
  g_ptr_array_set_size (headers, 0);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        {
          mcp_transport_emit_log (transport, MCP_LOG_WARNING,
                                  "Ignoring a custom header without “Name: value” form");
          continue;
        }
      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      value = g_strstrip (g_strdup (colon + 1));
      mcp_http_headers_set (headers, name, value, transport);
    }
}

char **
mcp_http_headers_dup (GPtrArray *headers)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < headers->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (headers, i));
  return g_strv_builder_end (builder);
}

void
mcp_http_headers_apply (GPtrArray   *headers,
                        const char  *bearer_token,
                        McpDpop     *dpop,
                        SoupMessage *msg)
{
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (msg);

  for (guint i = 0; i < headers->len; i++)
    {
      const char *line = g_ptr_array_index (headers, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = g_strndup (line, colon - line);

      /* stored as "Name: value" by mcp_http_headers_set() */
      soup_message_headers_replace (request_headers, name, colon + 2);
    }

  if (bearer_token != NULL && dpop != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mcp_dpop_apply (dpop, msg, bearer_token, &error))
        g_warning ("Sending %s without its DPoP-bound access token: %s",
                   soup_message_get_method (msg), error->message);
    }
  else if (bearer_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer_token, NULL);
      soup_message_headers_replace (request_headers, "Authorization", value);
    }
}

gboolean
mcp_http_replace_secret (char       **slot,
                         const char  *token)
{
  if (g_strcmp0 (token, *slot) == 0)
    return FALSE;
  if (*slot != NULL)
    explicit_bzero (*slot, strlen (*slot));
  g_free (*slot);
  *slot = (token != NULL && *token != '\0') ? g_strdup (token) : NULL;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Connection reuse                                                                           */

/* libsoup 3 (3.2.0 to today's main) opens a new TCP connection for every request whose method
 * is not idempotent unless the message has SOUP_MESSAGE_IDEMPOTENT: see
 * soup_connection_manager_get_connection_locked() in soup-connection-manager.c, where
 * need_new_connection is "!IDEMPOTENT flag && !SOUP_METHOD_IS_IDEMPOTENT (method)". For a
 * client that POSTs every message that is a connect, a proxy lookup and a close per message,
 * most of its CPU time per call.
 *
 * The flag does nothing else: it never makes libsoup send a POST twice. libsoup re-sends a
 * request by itself in these cases only, none of which looks at the flag:
 *  - HTTP/1.1, the connection failed before any byte of the response came, on a connection
 *    that was used before: request_is_restartable() in http1/soup-client-message-io-http1.c
 *    (3.2.3 line 680), which also requires SOUP_METHOD_IS_IDEMPOTENT (the method: GET, HEAD,
 *    PUT, DELETE, OPTIONS, TRACE), never true for POST;
 *  - HTTP/2, soup_http2_message_data_can_be_restarted() in http2/soup-client-message-io-http2.c
 *    (3.2.3 line 231), the same method test, or a stream the server refused (REFUSED_STREAM,
 *    HTTP_1_1_REQUIRED, or beyond a GOAWAY's last stream id in later versions): streams the
 *    server says it did not process (RFC 9113 sections 8.7 and 6.8);
 *  - a redirect or an authentication retry, which are the server's own answer, and which the
 *    flag does not change either.
 * So with the flag a POST whose connection breaks fails with an error, exactly as it would on
 * a new connection: a tools/call is never run twice behind our back.
 *
 * What reuse adds is a race: the server may close an idle connection just as a request goes
 * out on it; libsoup checks that an idle connection is still open before it picks it
 * (soup_connection_is_idle_open()), so only a close in that instant fails the request.
 * MCP_HTTP_IDLE_TIMEOUT_SECONDS keeps our idle connections shorter-lived than the usual
 * server keep-alive timeouts (Node.js and uvicorn 5 s, gunicorn 2 s), so we close first. */
void
mcp_http_allow_connection_reuse (SoupMessage *msg)
{
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
}

/* ------------------------------------------------------------------------------------------ */
/* Responses                                                                                  */

const char *
mcp_http_reason_phrase (SoupMessage *msg)
{
  const char *phrase = soup_message_get_reason_phrase (msg);

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (soup_message_get_status (msg));
  return phrase ? phrase : "";
}

gboolean
mcp_http_has_content_type (SoupMessage *msg,
                           const char  *type)
{
  const char *ct;

  ct = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  return ct != NULL && g_ascii_strcasecmp (ct, type) == 0;
}

static void
collect_www_authenticate (const char *name,
                          const char *value,
                          gpointer    user_data)
{
  GPtrArray *values = user_data;

  if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0)
    g_ptr_array_add (values, g_strdup (value));
}

char **
mcp_http_collect_www_authenticate (SoupMessage *msg)
{
  GPtrArray *values = g_ptr_array_new ();

  soup_message_headers_foreach (soup_message_get_response_headers (msg),
                                collect_www_authenticate, values);
  if (values->len == 0)
    {
      g_ptr_array_free (values, TRUE);
      return NULL;
    }

  g_ptr_array_add (values, NULL);
  return (char **) g_ptr_array_free (values, FALSE);
}

/* A short, printable excerpt of an error body for a GError message. */
static char *
body_excerpt (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;
  guint n_chars = 0;

  if (size == 0)
    return g_strdup ("");

  valid = g_utf8_make_valid (data, MIN (size, (gsize) ERROR_EXCERPT_CHARS * 4));
  out = g_string_new (NULL);
  for (p = valid; *p != '\0' && n_chars < ERROR_EXCERPT_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* one line, whitespace runs collapsed: a pretty-printed body stays readable */
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        c = ' ';
      if (c == ' ' && (out->len == 0 || out->str[out->len - 1] == ' '))
        continue;
      g_string_append_unichar (out, c);
      n_chars++;
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len > 0 && (*p != '\0' || size > (gsize) ERROR_EXCERPT_CHARS * 4))
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

GError *
mcp_http_status_error (SoupMessage *msg,
                       const char  *method,
                       const char  *url,
                       GBytes      *body)
{
  return mcp_http_status_error_for (soup_message_get_status (msg),
                                    soup_message_get_reason_phrase (msg), method, url, body);
}

GError *
mcp_http_status_error_for (guint       status,
                           const char *reason_phrase,
                           const char *method,
                           const char *url,
                           GBytes     *body)
{
  g_autofree char *excerpt = body_excerpt (body);
  int code = MCP_TRANSPORT_ERROR_HTTP_STATUS;
  const char *phrase = reason_phrase;

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (status);
  if (phrase == NULL)
    phrase = "";

  if (status == SOUP_STATUS_UNAUTHORIZED)
    code = MCP_TRANSPORT_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    code = MCP_TRANSPORT_ERROR_FORBIDDEN;

  if (*excerpt != '\0')
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s: %s",
                        status, phrase, method, url, excerpt);
  else
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s",
                        status, phrase, method, url);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading a whole body with a byte budget                                                    */

/* The body goes straight into one growing buffer: reads ask for 8 KiB until one fills that,
 * then for MCP_HTTP_READ_CHUNK_SIZE. What has already arrived is read at once when the stream
 * is pollable (at most BODY_READS_AT_ONCE reads in a row); the main loop is waited on only
 * when nothing is there yet, so a small body costs one wait rather than two. */
#define BODY_FIRST_READ_SIZE (8 * 1024)
#define BODY_READS_AT_ONCE   8

typedef struct {
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         limit;
  gboolean      fail_over_limit;
  gsize         ask;             /* how much the pending read asked for */
} ReadBody;

static void
read_body_free (ReadBody *rb)
{
  g_clear_object (&rb->stream);
  g_clear_pointer (&rb->buffer, g_byte_array_unref);
  g_free (rb);
}

static void read_body_next (GTask *task);

/* Takes in a read of @size bytes (-1: @error); returns FALSE once the task has returned. */
static gboolean
read_body_got (GTask  *task,
               gssize  size,
               GError *error)
{
  ReadBody *rb = g_task_get_task_data (task);
  gsize before = rb->buffer->len - rb->ask;

  if (size < 0)
    {
      g_byte_array_set_size (rb->buffer, before);
      g_task_return_error (task, error);
      return FALSE;
    }

  g_byte_array_set_size (rb->buffer, before + (gsize) size);
  /* A full read: more is coming, so ask for more at a time from now on. */
  if ((gsize) size == rb->ask)
    rb->ask = MCP_HTTP_READ_CHUNK_SIZE;
  if (size == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&rb->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return FALSE;
    }

  if (rb->buffer->len > rb->limit)
    {
      if (rb->fail_over_limit)
        {
          g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                   "The body is larger than the limit of %" G_GSIZE_FORMAT
                                   " bytes", rb->limit);
          return FALSE;
        }
      g_byte_array_set_size (rb->buffer, rb->limit);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&rb->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return FALSE;
    }

  return TRUE;
}

/* Makes room for the next read at the end of the buffer and returns where it goes. */
static guint8 *
read_body_room (ReadBody *rb)
{
  g_byte_array_set_size (rb->buffer, rb->buffer->len + rb->ask);
  return rb->buffer->data + rb->buffer->len - rb->ask;
}

static void
read_body_on_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gssize size;

  size = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (read_body_got (task, size, error))
    read_body_next (g_steal_pointer (&task));
}

/* Takes the reference on @task. */
static void
read_body_next (GTask *task)
{
  ReadBody *rb = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint8 *room;

  if (G_IS_POLLABLE_INPUT_STREAM (rb->stream) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (rb->stream)))
    {
      for (guint i = 0; i < BODY_READS_AT_ONCE; i++)
        {
          GError *error = NULL;
          gssize size;

          room = read_body_room (rb);
          size = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (rb->stream),
                                                           room, rb->ask, cancellable, &error);
          if (size < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_clear_error (&error);
              g_byte_array_set_size (rb->buffer, rb->buffer->len - rb->ask);
              break;
            }
          if (!read_body_got (task, size, error))
            {
              g_object_unref (task);
              return;
            }
        }
    }

  room = read_body_room (rb);
  g_input_stream_read_async (rb->stream, room, rb->ask, G_PRIORITY_DEFAULT, cancellable,
                             read_body_on_read, task);
}

void
mcp_http_read_body_async (GInputStream        *stream,
                          gsize                limit,
                          gboolean             fail_over_limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ReadBody *rb = g_new0 (ReadBody, 1);

  rb->stream = g_object_ref (stream);
  rb->buffer = g_byte_array_new ();
  rb->ask = BODY_FIRST_READ_SIZE;
  rb->limit = limit;
  rb->fail_over_limit = fail_over_limit;
  g_task_set_task_data (task, rb, (GDestroyNotify) read_body_free);
  g_task_set_source_tag (task, mcp_http_read_body_async);
  read_body_next (task);
}

GBytes *
mcp_http_read_body_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing in a worker thread                                                                 */

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  GPtrArray *messages;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  messages = mcp_message_parse_batch (data, size, &error);
  if (messages != NULL)
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
mcp_http_parse_messages_async (GBytes              *bytes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, mcp_http_parse_messages_async);
  if (g_bytes_get_size (bytes) > MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE)
    {
      g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (task, parse_thread);
    }
  else
    parse_thread (task, NULL, bytes, cancellable);
}

GPtrArray *
mcp_http_parse_messages_finish (GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
