/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Streamable HTTP transport.
 *
 * Every message is one POST (an "exchange"). Its answer is 202, a JSON body, or an event
 * stream that carries the response and whatever the server sends on the way. A stream that
 * breaks before the response came is resumed with GET + Last-Event-ID when the server gave
 * event ids (2025 era). A separate GET stream (the "listener") carries server-initiated
 * messages once the client asks for it.
 *
 * Nothing here blocks: bodies are read in chunks with a byte budget, event streams go
 * through McpSseParser chunk by chunk, and bodies over 1 MiB are parsed in a worker thread
 * while the stream waits, so messages keep their order. */

#include "config.h"

#include "mcp-http-transport.h"

#include <string.h>

#include "mcp-sse-parser.h"

#define READ_CHUNK_SIZE             (64 * 1024)
#define ERROR_BODY_LIMIT            (64 * 1024)
#define ERROR_EXCERPT_CHARS         200
#define DEFAULT_RETRY_MS            1000
#define MAX_RETRY_MS                (5 * 60 * 1000)
#define MAX_LISTEN_BACKOFF_MS       (30 * 1000)
#define MAX_RESUMES_WITHOUT_PROGRESS 5
#define DELETE_TIMEOUT_SECONDS      5
#define USER_AGENT                  "Tether/" VERSION

typedef struct _SseReader SseReader;
typedef struct _Exchange  Exchange;
typedef struct _Listener  Listener;

static void stop_listening (McpHttpTransport *self);

struct _McpHttpTransport
{
  GObject      parent_instance;

  char        *url;
  GUri        *uri;          /* NULL when url does not parse */
  char        *display_url;  /* url without a password, for messages */
  SoupSession *session;

  GPtrArray   *headers;      /* "Name: value" strings */
  char        *bearer_token;
  char        *protocol_version;
  char        *session_id;
  gboolean     modern;
  guint64      max_message_size;

  char       **last_www_authenticate;
  guint        last_status;

  gboolean     opened;
  gboolean     closed;

  GPtrArray   *exchanges;    /* Exchange *, not owned */
  Listener    *listener;
};

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
/* Small helpers                                                                              */

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

static gboolean
is_valid_header_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!is_token_char (*p))
      return FALSE;
  return TRUE;
}

/* A value libsoup can put on the wire unchanged: visible ASCII, spaces and tabs. */
static gboolean
is_valid_header_value (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p; p++)
    if (!((*p >= 0x20 && *p <= 0x7E) || *p == '\t'))
      return FALSE;
  return TRUE;
}

char *
mcp_http_transport_encode_header_value (const char *value)
{
  gsize len;
  gboolean plain;

  g_return_val_if_fail (value != NULL, NULL);

  len = strlen (value);
  plain = is_valid_header_value (value);
  /* Leading or trailing whitespace would be trimmed by HTTP itself. */
  if (plain && len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1])))
    plain = FALSE;
  /* A plain value that looks encoded must be encoded, or it would be misread. */
  if (plain && g_str_has_prefix (value, "=?base64?") && g_str_has_suffix (value, "?="))
    plain = FALSE;

  if (plain)
    return g_strdup (value);
  else
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) value, len);
      return g_strconcat ("=?base64?", b64, "?=", NULL);
    }
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

static const char *
reason_phrase (SoupMessage *msg)
{
  const char *phrase = soup_message_get_reason_phrase (msg);

  if (phrase == NULL || *phrase == '\0')
    phrase = soup_status_get_phrase (soup_message_get_status (msg));
  return phrase ? phrase : "";
}

static gboolean
has_content_type (SoupMessage *msg,
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

static void
remember_www_authenticate (McpHttpTransport *self,
                           SoupMessage      *msg)
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
remember_session_id (McpHttpTransport *self,
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

static void
add_common_headers (McpHttpTransport *self,
                    SoupMessage      *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *line = g_ptr_array_index (self->headers, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = g_strndup (line, colon - line);

      /* stored as "Name: value" by set_header_internal() */
      soup_message_headers_replace (headers, name, colon + 2);
    }

  if (self->bearer_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->bearer_token, NULL);
      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "MCP-Session-Id", self->session_id);
  if (self->protocol_version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", self->protocol_version);
}

static GError *
status_error (SoupMessage *msg,
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
                        status, reason_phrase (msg), method, url, excerpt);
  else
    return g_error_new (MCP_TRANSPORT_ERROR, code, "HTTP %u %s from %s %s",
                        status, reason_phrase (msg), method, url);
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

  g_input_stream_read_bytes_async (rb->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_body_on_read, task);
}

/* Reads @stream to its end into a GBytes; over @limit bytes it fails with TOO_LARGE, or with
 * @fail_over_limit FALSE returns the first @limit bytes. */
static void
read_body_async (GInputStream        *stream,
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
  g_task_set_source_tag (task, read_body_async);
  read_body_next (task);
}

static GBytes *
read_body_finish (GAsyncResult  *result,
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

static void
parse_messages_async (GBytes              *bytes,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, parse_messages_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, parse_thread);
}

static GPtrArray *
parse_messages_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Parses @bytes in a thread when large, else right away; @callback gets a GTask either way. */
static void
parse_messages (GBytes              *bytes,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  if (g_bytes_get_size (bytes) > MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE)
    parse_messages_async (bytes, cancellable, callback, user_data);
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
      parse_thread (task, NULL, bytes, cancellable);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading an event stream                                                                    */

typedef void (*SseReaderMessageFunc) (McpMessage *message,
                                      gpointer    user_data);
/* The stream ended (@error NULL) or failed; the reader is idle afterwards. */
typedef void (*SseReaderDoneFunc)    (GError     *error,
                                      gpointer    user_data);

struct _SseReader
{
  McpHttpTransport     *transport;   /* not owned, for ::log; NULL once the owner is gone */
  McpSseParser         *parser;
  GInputStream         *stream;
  GCancellable         *cancellable;
  GQueue                events;      /* McpSseEvent *, waiting to be handled */
  guint                 n_events;    /* every event seen, priming ones included */
  gboolean              eof;
  GError               *error;       /* reported once the queue is empty */
  SseReaderMessageFunc  message_func;
  SseReaderDoneFunc     done_func;
  gpointer              user_data;
};

static void sse_reader_drain (SseReader *reader);

static void
sse_reader_on_event (McpSseParser *parser,
                     McpSseEvent  *event,
                     gpointer      user_data)
{
  SseReader *reader = user_data;

  reader->n_events++;
  g_queue_push_tail (&reader->events, mcp_sse_event_ref (event));
}

static SseReader *
sse_reader_new (McpHttpTransport     *transport,
                guint64               max_event_size,
                GCancellable         *cancellable,
                SseReaderMessageFunc  message_func,
                SseReaderDoneFunc     done_func,
                gpointer              user_data)
{
  SseReader *reader = g_new0 (SseReader, 1);

  reader->transport = transport;
  reader->parser = mcp_sse_parser_new (max_event_size);
  reader->cancellable = g_object_ref (cancellable);
  g_queue_init (&reader->events);
  reader->message_func = message_func;
  reader->done_func = done_func;
  reader->user_data = user_data;
  g_signal_connect (reader->parser, "event", G_CALLBACK (sse_reader_on_event), reader);

  return reader;
}

static void
sse_reader_close_stream (SseReader *reader)
{
  if (reader->stream != NULL)
    {
      /* Before the end of the body, this drops the connection instead of reading on. */
      g_input_stream_close (reader->stream, NULL, NULL);
      g_clear_object (&reader->stream);
    }
}

static void
sse_reader_free (SseReader *reader)
{
  if (reader == NULL)
    return;
  g_signal_handlers_disconnect_by_data (reader->parser, reader);
  g_queue_clear_full (&reader->events, (GDestroyNotify) mcp_sse_event_unref);
  sse_reader_close_stream (reader);
  g_clear_object (&reader->parser);
  g_clear_object (&reader->cancellable);
  g_clear_error (&reader->error);
  g_free (reader);
}

static void
sse_reader_done (SseReader *reader,
                 GError    *error)
{
  g_queue_clear_full (&reader->events, (GDestroyNotify) mcp_sse_event_unref);
  sse_reader_close_stream (reader);
  reader->done_func (error, reader->user_data);
  g_clear_error (&error);
}

static void
sse_reader_on_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SseReader *reader = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      sse_reader_done (reader, error);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      mcp_sse_parser_finish (reader->parser);
      reader->eof = TRUE;
    }
  else if (!mcp_sse_parser_feed (reader->parser, data, size, &error))
    {
      reader->error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE,
                                   "An event on the stream is larger than the limit of %"
                                   G_GUINT64_FORMAT " bytes (%s)",
                                   reader->transport ? reader->transport->max_message_size : 0,
                                   error->message);
      g_clear_error (&error);
    }

  sse_reader_drain (reader);
}

static void
sse_reader_read_next (SseReader *reader)
{
  g_input_stream_read_bytes_async (reader->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   reader->cancellable, sse_reader_on_read, reader);
}

static void
sse_reader_deliver (SseReader *reader,
                    GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      if (g_cancellable_is_cancelled (reader->cancellable))
        return;
      reader->message_func (g_ptr_array_index (messages, i), reader->user_data);
    }
}

static void
sse_reader_log_malformed (SseReader    *reader,
                          const GError *error)
{
  if (reader->transport != NULL)
    mcp_transport_emit_log (MCP_TRANSPORT (reader->transport), MCP_LOG_WARNING,
                            "Skipping a malformed message on the event stream: %s",
                            error->message);
}

static void
sse_reader_on_parsed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SseReader *reader = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  GError *error = NULL;

  messages = parse_messages_finish (result, &error);
  if (messages == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          sse_reader_done (reader, error);
          return;
        }
      sse_reader_log_malformed (reader, error);
      g_clear_error (&error);
    }
  else
    sse_reader_deliver (reader, messages);

  sse_reader_drain (reader);
}

/* Hands the queued events on, one at a time; a large one is parsed in a thread and the
 * queue waits for it. Then reads on, or reports the end. */
static void
sse_reader_drain (SseReader *reader)
{
  McpSseEvent *event;

  while ((event = g_queue_pop_head (&reader->events)) != NULL)
    {
      G_GNUC_UNUSED g_autoptr(McpSseEvent) owned = event;
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = mcp_sse_event_get_data_length (event);

      if (g_cancellable_is_cancelled (reader->cancellable))
        break;

      /* A priming event (empty data) only moves the last event id, which the parser keeps. */
      if (length == 0)
        continue;

      if (g_strcmp0 (mcp_sse_event_get_event_type (event), "message") != 0)
        {
          if (reader->transport != NULL)
            mcp_transport_emit_log (MCP_TRANSPORT (reader->transport), MCP_LOG_DEBUG,
                                    "Ignoring an event of type “%s” on the event stream",
                                    mcp_sse_event_get_event_type (event));
          continue;
        }

      if (length > MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE)
        {
          g_autoptr(GBytes) bytes = NULL;

          bytes = g_bytes_new_with_free_func (mcp_sse_event_get_data (event), length,
                                              (GDestroyNotify) mcp_sse_event_unref,
                                              mcp_sse_event_ref (event));
          parse_messages_async (bytes, reader->cancellable, sse_reader_on_parsed, reader);
          return;
        }

      messages = mcp_message_parse_batch (mcp_sse_event_get_data (event), length, &error);
      if (messages == NULL)
        sse_reader_log_malformed (reader, error);
      else
        sse_reader_deliver (reader, messages);
    }

  if (g_cancellable_is_cancelled (reader->cancellable))
    sse_reader_done (reader, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  "Operation was cancelled"));
  else if (reader->error != NULL)
    sse_reader_done (reader, g_steal_pointer (&reader->error));
  else if (reader->eof)
    sse_reader_done (reader, NULL);
  else
    sse_reader_read_next (reader);
}

/* Reads events from @stream (a new connection: the parser forgets all but the last event id
 * and the retry delay). */
static void
sse_reader_start (SseReader    *reader,
                  GInputStream *stream)
{
  sse_reader_close_stream (reader);
  reader->stream = g_object_ref (stream);
  reader->eof = FALSE;
  g_clear_error (&reader->error);
  mcp_sse_parser_reset (reader->parser);
  sse_reader_read_next (reader);
}

/* The reconnection delay the server asked for, or the default. */
static guint
sse_reader_get_retry_ms (SseReader *reader)
{
  gint64 retry = mcp_sse_parser_get_retry (reader->parser);

  if (retry < 0)
    return DEFAULT_RETRY_MS;
  return (guint) MIN (retry, MAX_RETRY_MS);
}

/* Calls @func after @ms, or at once when @cancellable is cancelled. */
static void
schedule_delay (guint                    ms,
                GCancellable            *cancellable,
                GCancellableSourceFunc   func,
                gpointer                 user_data)
{
  g_autoptr(GSource) source = g_cancellable_source_new (cancellable);

  g_source_set_ready_time (source, g_get_monotonic_time () + (gint64) ms * 1000);
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (func), user_data, NULL);
  g_source_set_name (source, "[mcp] http transport delay");
  g_source_attach (source, g_main_context_get_thread_default ());
}

/* ------------------------------------------------------------------------------------------ */
/* One POSTed message and its answer                                                          */

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
  SseReader        *reader;
  gboolean          got_response;
  guint             n_events_at_resume;
  guint             resumes_without_progress;
};

static void
cancel_cancellable (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
exchange_free (Exchange *ex)
{
  if (ex->user_cancel_id != 0)
    g_cancellable_disconnect (ex->user_cancellable, ex->user_cancel_id);
  sse_reader_free (ex->reader);
  g_clear_object (&ex->user_cancellable);
  g_clear_object (&ex->cancellable);
  g_clear_object (&ex->msg);
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
exchange_on_reader_message (McpMessage *message,
                            gpointer    user_data)
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
      g_clear_pointer (&self->session_id, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO,
                              "The server no longer knows the session (HTTP 404 on %s); "
                              "a new session has to be initialized", exchange_describe (ex));
      /* The GET stream belonged to the old session. */
      stop_listening (self);
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
  const char *last_id = mcp_sse_parser_get_last_event_id (ex->reader->parser);
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

  if (ex->reader->n_events == ex->n_events_at_resume)
    ex->resumes_without_progress++;
  else
    ex->resumes_without_progress = 0;
  ex->n_events_at_resume = ex->reader->n_events;

  if (ex->resumes_without_progress >= MAX_RESUMES_WITHOUT_PROGRESS)
    {
      exchange_complete (ex, g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE,
                                          "Gave up resuming the event stream answering %s: "
                                          "%u attempts brought no new event",
                                          exchange_describe (ex),
                                          ex->resumes_without_progress));
      return;
    }

  delay = sse_reader_get_retry_ms (ex->reader);
  mcp_transport_emit_log (MCP_TRANSPORT (ex->self), MCP_LOG_INFO,
                          "The event stream answering %s %s before the response; resuming "
                          "after event “%s” in %u ms",
                          exchange_describe (ex), why ? "broke" : "ended", last_id, delay);
  schedule_delay (delay, ex->cancellable, exchange_on_resume_delay, ex);
}

static void
exchange_on_reader_done (GError   *error,
                         gpointer  user_data)
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
  if (status == SOUP_STATUS_OK && has_content_type (ex->msg, "text/event-stream"))
    {
      sse_reader_start (ex->reader, stream);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      remember_www_authenticate (self, ex->msg);
      exchange_complete (ex, status_error (ex->msg, "GET", self->display_url, NULL));
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
                                      exchange_describe (ex), status, reason_phrase (ex->msg),
                                      self->display_url));
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
  add_common_headers (self, ex->msg);
  headers = soup_message_get_request_headers (ex->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Last-Event-ID",
                                mcp_sse_parser_get_last_event_id (ex->reader->parser));

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

  messages = parse_messages_finish (result, &error);
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

  body = read_body_finish (result, &error);
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

  parse_messages (body, ex->cancellable, exchange_deliver_parsed, ex);
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
  guint status = soup_message_get_status (ex->msg);

  body = read_body_finish (result, &error);
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
                                              status, reason_phrase (ex->msg),
                                              self->display_url,
                                              mcp_message_get_error_code (message),
                                              mcp_message_get_error_message (message)));
          return;
        }
    }

  exchange_complete (ex, status_error (ex->msg, "POST", self->display_url, body));
}

static void
exchange_on_post_sent (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Exchange *ex = user_data;
  McpHttpTransport *self = ex->self;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint status;
  goffset length;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) cause = g_steal_pointer (&error);
          error = g_error_new (MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                               "Could not send %s to %s: %s",
                               exchange_describe (ex), self->display_url, cause->message);
        }
      exchange_complete (ex, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (ex->msg);
  self->last_status = status;
  remember_session_id (self, ex->msg);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_input_stream_close (stream, NULL, NULL);
      remember_www_authenticate (self, ex->msg);
      exchange_complete (ex, status_error (ex->msg, "POST", self->display_url, NULL));
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
      read_body_async (stream, ERROR_BODY_LIMIT, FALSE, ex->cancellable,
                       exchange_on_error_body, ex);
      return;
    }

  if (has_content_type (ex->msg, "text/event-stream"))
    {
      ex->reader = sse_reader_new (self, self->max_message_size, ex->cancellable,
                                   exchange_on_reader_message, exchange_on_reader_done, ex);
      sse_reader_start (ex->reader, stream);
      return;
    }

  if (has_content_type (ex->msg, "application/json"))
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
      read_body_async (stream, self->max_message_size, TRUE, ex->cancellable,
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

static gboolean
add_modern_headers (McpHttpTransport  *self,
                    SoupMessage       *msg,
                    McpMessage        *message,
                    GError           **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char *method = mcp_message_get_method (message);
  JsonObject *params = mcp_message_get_params (message);
  const char *name = NULL;

  if (method == NULL)
    return TRUE;

  if (!is_valid_header_value (method))
    {
      g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                   "The method name “%s” cannot be sent in an Mcp-Method header", method);
      return FALSE;
    }
  soup_message_headers_replace (headers, "Mcp-Method", method);

  if (params != NULL &&
      (g_str_equal (method, "tools/call") || g_str_equal (method, "prompts/get")))
    name = json_object_get_string_member_with_default (params, "name", NULL);
  else if (params != NULL && g_str_equal (method, "resources/read"))
    name = json_object_get_string_member_with_default (params, "uri", NULL);

  if (name != NULL)
    {
      g_autofree char *encoded = mcp_http_transport_encode_header_value (name);
      soup_message_headers_replace (headers, "Mcp-Name", encoded);
    }

  return TRUE;
}

static gboolean
add_extra_headers (SoupMessage  *msg,
                   GHashTable   *extra,
                   GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GHashTableIter iter;
  gpointer key, value;

  if (extra == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, extra);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;

      if (!is_valid_header_name (name) || value == NULL)
        {
          g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                       "“%s” is not a header name that can be sent", name);
          return FALSE;
        }

      if (g_ascii_strncasecmp (name, "Mcp-Param-", strlen ("Mcp-Param-")) == 0)
        {
          g_autofree char *encoded = mcp_http_transport_encode_header_value (value);
          soup_message_headers_replace (headers, name, encoded);
        }
      else if (is_valid_header_value (value))
        soup_message_headers_replace (headers, name, value);
      else
        {
          g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                       "The value of header %s has characters a header cannot carry", name);
          return FALSE;
        }
    }

  return TRUE;
}

void
mcp_http_transport_send_with_headers_async (McpHttpTransport    *self,
                                            McpMessage          *message,
                                            GHashTable          *headers,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;
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

  ex->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->uri);
  add_common_headers (self, ex->msg);
  request_headers = soup_message_get_request_headers (ex->msg);
  soup_message_headers_replace (request_headers, "Accept", "application/json, text/event-stream");

  if ((self->modern && !add_modern_headers (self, ex->msg, message, &error)) ||
      !add_extra_headers (ex->msg, headers, &error))
    {
      exchange_free (ex);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = mcp_message_to_string (message, &length);
  body = g_bytes_new_take (text, length);
  soup_message_set_request_body_from_bytes (ex->msg, "application/json", body);

  ex->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      ex->user_cancellable = g_object_ref (cancellable);
      ex->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cancellable),
                                                  g_object_ref (ex->cancellable),
                                                  g_object_unref);
    }
  g_ptr_array_add (self->exchanges, ex);

  soup_session_send_async (self->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_on_post_sent, ex);
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

/* ------------------------------------------------------------------------------------------ */
/* The GET stream for server-initiated messages                                               */

struct _Listener
{
  McpHttpTransport *self;        /* NULL once stopped: the next callback frees the listener */
  GCancellable     *cancellable;
  SoupMessage      *msg;
  SseReader        *reader;
  guint             failures;    /* connections in a row that brought no event */
  guint             n_events_at_connect;
};

static void listener_connect (Listener *listener);

static void
listener_free (Listener *listener)
{
  sse_reader_free (listener->reader);
  g_clear_object (&listener->msg);
  g_clear_object (&listener->cancellable);
  g_free (listener);
}

/* Detaches the listener from the transport; it frees itself from its pending callback. */
static void
stop_listening (McpHttpTransport *self)
{
  Listener *listener = g_steal_pointer (&self->listener);

  if (listener == NULL)
    return;
  listener->self = NULL;
  listener->reader->transport = NULL;
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
  guint base = sse_reader_get_retry_ms (listener->reader);
  guint delay;

  if (listener->reader->n_events == listener->n_events_at_connect)
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
  schedule_delay (delay, listener->cancellable, listener_on_delay, listener);
}

static void
listener_on_message (McpMessage *message,
                     gpointer    user_data)
{
  Listener *listener = user_data;

  if (listener->self != NULL)
    mcp_transport_emit_message (MCP_TRANSPORT (listener->self), message);
}

static void
listener_on_reader_done (GError   *error,
                         gpointer  user_data)
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

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
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

  status = soup_message_get_status (listener->msg);
  if (status == SOUP_STATUS_OK && has_content_type (listener->msg, "text/event-stream"))
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                              "Listening for server messages on GET %s", self->display_url);
      listener->n_events_at_connect = listener->reader->n_events;
      sse_reader_start (listener->reader, stream);
      return;
    }

  g_input_stream_close (stream, NULL, NULL);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (listener->msg), NULL);

  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_FOUND)
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_DEBUG,
                            "The server offers no GET event stream (HTTP %u %s)",
                            status, reason_phrase (listener->msg));
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                            "Expected text/event-stream from GET %s, got %s; not listening "
                            "for server messages", self->display_url,
                            content_type ? content_type : "no content type");
  else
    mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                            "HTTP %u %s from GET %s; not listening for server messages",
                            status, reason_phrase (listener->msg), self->display_url);

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
  add_common_headers (self, listener->msg);
  headers = soup_message_get_request_headers (listener->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  last_id = mcp_sse_parser_get_last_event_id (listener->reader->parser);
  if (last_id != NULL)
    soup_message_headers_replace (headers, "Last-Event-ID", last_id);

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
  listener->reader = sse_reader_new (self, self->max_message_size, listener->cancellable,
                                     listener_on_message, listener_on_reader_done, listener);
  self->listener = listener;
  listener_connect (listener);
}

gboolean
mcp_http_transport_get_listening (McpHttpTransport *self)
{
  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), FALSE);

  return self->listener != NULL;
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
                                "HTTP %u %s from DELETE %s", status, reason_phrase (msg),
                                self->display_url);
    }

  if (self->session_id != NULL)
    {
      g_clear_pointer (&self->session_id, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ID]);
    }

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
  g_autoptr(GPtrArray) exchanges = NULL;
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

  stop_listening (self);
  exchanges = g_ptr_array_copy (self->exchanges, NULL, NULL);
  for (guint i = 0; i < exchanges->len; i++)
    g_cancellable_cancel (((Exchange *) g_ptr_array_index (exchanges, i))->cancellable);

  if (self->session_id == NULL || self->uri == NULL)
    {
      close_finish_now (g_steal_pointer (&task));
      return;
    }

  msg = soup_message_new_from_uri (SOUP_METHOD_DELETE, self->uri);
  add_common_headers (self, msg);

  /* A server that hangs must not keep close from finishing. */
  cd = g_new0 (CloseData, 1);
  cd->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      cd->user_cancellable = g_object_ref (cancellable);
      cd->user_cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cancellable),
                                                  g_object_ref (cd->cancellable),
                                                  g_object_unref);
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

static int
find_header (McpHttpTransport *self,
             const char       *name)
{
  gsize name_len = strlen (name);

  for (guint i = 0; i < self->headers->len; i++)
    {
      const char *line = g_ptr_array_index (self->headers, i);
      const char *colon = strchr (line, ':');

      if ((gsize) (colon - line) == name_len && g_ascii_strncasecmp (line, name, name_len) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
set_header_internal (McpHttpTransport *self,
                     const char       *name,
                     const char       *value)
{
  int index = find_header (self, name);

  if (!is_valid_header_name (name) || (value != NULL && !is_valid_header_value (value)))
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_WARNING,
                              "Ignoring the custom header “%s”: its name or value has "
                              "characters a header cannot carry", name);
      return FALSE;
    }

  if (index >= 0)
    g_ptr_array_remove_index (self->headers, index);
  if (value != NULL)
    g_ptr_array_add (self->headers, g_strdup_printf ("%s: %s", name, value));
  return TRUE;
}

void
mcp_http_transport_set_header (McpHttpTransport *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));
  g_return_if_fail (name != NULL);

  if (set_header_internal (self, name, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADERS]);
}

void
mcp_http_transport_set_headers (McpHttpTransport   *self,
                                const char * const *headers)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

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
mcp_http_transport_dup_headers (McpHttpTransport *self)
{
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (MCP_IS_HTTP_TRANSPORT (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->headers->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->headers, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

void
mcp_http_transport_set_bearer_token (McpHttpTransport *self,
                                     const char       *token)
{
  g_return_if_fail (MCP_IS_HTTP_TRANSPORT (self));

  if (g_strcmp0 (token, self->bearer_token) == 0)
    return;
  if (self->bearer_token != NULL)
    explicit_bzero (self->bearer_token, strlen (self->bearer_token));
  g_free (self->bearer_token);
  self->bearer_token = (token != NULL && *token != '\0') ? g_strdup (token) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEARER_TOKEN]);
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

  if (self->url != NULL)
    {
      self->uri = g_uri_parse (self->url, SOUP_HTTP_URI_FLAGS, NULL);
      if (self->uri != NULL &&
          g_strcmp0 (g_uri_get_scheme (self->uri), "http") != 0 &&
          g_strcmp0 (g_uri_get_scheme (self->uri), "https") != 0)
        g_clear_pointer (&self->uri, g_uri_unref);
      if (self->uri != NULL && (g_uri_get_host (self->uri) == NULL ||
                                *g_uri_get_host (self->uri) == '\0'))
        g_clear_pointer (&self->uri, g_uri_unref);
    }
  if (self->uri != NULL)
    self->display_url = g_uri_to_string_partial (self->uri, G_URI_HIDE_PASSWORD);
  else
    self->display_url = g_strdup (self->url ? self->url : "");

  if (self->session == NULL)
    /* A GET stream and a few streamed answers are open at once: more than libsoup's
     * default of two connections per host. */
    self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                   "max-conns", 64,
                                                   "max-conns-per-host", 32,
                                                   NULL);
}

static void
mcp_http_transport_dispose (GObject *object)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  stop_listening (self);
  for (guint i = 0; i < self->exchanges->len; i++)
    g_cancellable_cancel (((Exchange *) g_ptr_array_index (self->exchanges, i))->cancellable);

  G_OBJECT_CLASS (mcp_http_transport_parent_class)->dispose (object);
}

static void
mcp_http_transport_finalize (GObject *object)
{
  McpHttpTransport *self = MCP_HTTP_TRANSPORT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_free (self->url);
  g_free (self->display_url);
  g_ptr_array_unref (self->headers);
  if (self->bearer_token != NULL)
    explicit_bzero (self->bearer_token, strlen (self->bearer_token));
  g_free (self->bearer_token);
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
