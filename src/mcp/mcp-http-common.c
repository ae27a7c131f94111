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

  if (bearer_token != NULL)
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
  g_autofree char *excerpt = body_excerpt (body);
  guint status = soup_message_get_status (msg);
  int code = MCP_TRANSPORT_ERROR_HTTP_STATUS;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    code = MCP_TRANSPORT_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    code = MCP_TRANSPORT_ERROR_FORBIDDEN;

  if (*excerpt != '\0')
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s: %s",
                        status, mcp_http_reason_phrase (msg), method, url, excerpt);
  else
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s",
                        status, mcp_http_reason_phrase (msg), method, url);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading a whole body with a byte budget                                                    */

typedef struct {
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         limit;
  gboolean      fail_over_limit;
} ReadBody;

static void
read_body_free (ReadBody *rb)
{
  g_clear_object (&rb->stream);
  g_clear_pointer (&rb->buffer, g_byte_array_unref);
  g_free (rb);
}

static void read_body_next (GTask *task);

static void
read_body_on_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadBody *rb = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&rb->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (rb->buffer->len + size > rb->limit)
    {
      if (rb->fail_over_limit)
        {
          g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                   "The body is larger than the limit of %" G_GSIZE_FORMAT
                                   " bytes", rb->limit);
          return;
        }
      g_byte_array_append (rb->buffer, g_bytes_get_data (bytes, NULL),
                           rb->limit - rb->buffer->len);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&rb->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  g_byte_array_append (rb->buffer, g_bytes_get_data (bytes, NULL), size);
  read_body_next (g_steal_pointer (&task));
}

static void
read_body_next (GTask *task)
{
  ReadBody *rb = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (rb->stream, MCP_HTTP_READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_body_on_read, task);
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
