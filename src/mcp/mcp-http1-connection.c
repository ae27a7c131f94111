/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http1-connection.c: a lean HTTP/1.1 client for one origin (see the header).
 *
 * One request: ask the proxy resolver once per object, take the idle connection when it is
 * still open (else connect), write the whole request in one write, read until the end of the
 * response head, parse it into the message's response headers (mcp-http1-wire.c), and hand
 * out the body as an McpHttp1BodyStream, which gives the connection back once the body has
 * been read through.
 *
 * Never twice: the only request that is tried again is one that went on a kept-alive
 * connection and failed before a single byte of it was written; it goes once more on a new
 * connection. Anything after the first byte (a write cut short, a close before the answer, an
 * answer cut short) fails the request.
 *
 * The cost of one call on a kept-alive connection is what this file is shaped by: the request
 * is written at once (no asynchronous write unless the socket is full), no read is tried right
 * after it (it could only find nothing), and a plain TCP connection is waited on by one GSource
 * of its own that stays attached for as long as the connection lives (mcp-http1-watch.c). */

#include "config.h"

#include "mcp-http1-connection.h"

#include "mcp-http-common-private.h"
#include "mcp-http1-body-stream.h"
#include "mcp-http1-watch-private.h"
#include "mcp-http1-wire-private.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define MAX_HEAD_SIZE   (64 * 1024)
#define HEAD_READ_SIZE  (16 * 1024)
/* reads before the main loop gets a turn (a server sending interim heads without end) */
#define HEAD_READS_AT_ONCE 4
/* A kept-alive connection that went idle this recently, and whose watch saw nothing come on
 * it since, is used without asking the kernel whether the server closed it. */
#define IDLE_TRUSTED_USEC (G_USEC_PER_SEC / 2)

G_DEFINE_QUARK (mcp-http1-connection-error-quark, mcp_http1_connection_error)

typedef enum {
  PROXY_UNKNOWN,
  PROXY_DIRECT,
  PROXY_NOT_DIRECT,
} ProxyState;

struct _McpHttp1Connection
{
  GObject        parent_instance;

  char          *host;
  int            port;
  gboolean       tls;
  char          *host_header;
  char          *origin;       /* for the proxy resolver */
  GSocketClient *client;
  ProxyState     proxy;

  GIOStream     *idle;         /* the kept-alive connection, when no request uses it */
  gint64         idle_since;
  GByteArray    *spare;        /* a read buffer the last body gave back */
};

G_DEFINE_FINAL_TYPE (McpHttp1Connection, mcp_http1_connection, G_TYPE_OBJECT)

typedef struct {
  SoupMessage *msg;
  GBytes      *request;
  GIOStream   *io;
  gboolean     reused;
  gboolean     retried;
  gboolean     is_head;
  gsize        written;       /* of request */
  GByteArray  *head;
  gsize        searched;
  guint        status;
  char        *reason;
} Request;

static void close_io (GIOStream *io);
static void read_head (GTask *task);

static void
request_free (Request *req)
{
  if (req->io != NULL)
    close_io (req->io);
  g_clear_object (&req->io);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->request, g_bytes_unref);
  g_clear_pointer (&req->head, g_byte_array_unref);
  g_free (req->reason);
  g_free (req);
}

static void
close_stream (GIOStream *io)
{
  close_io (io);
  g_object_unref (io);
}

static void
close_io (GIOStream *io)
{
  mcp_http1_watch_drop (io);
  g_io_stream_close (io, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* The response head                                                                          */

static void
fail (GTask      *task,
      int         code,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

/* Fails @task (taking it). */
static void
fail (GTask      *task,
      int         code,
      const char *format,
      ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (MCP_HTTP1_CONNECTION_ERROR, code, format, args);
  va_end (args);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Fails @task with @error (taken) as it is when cancelled, else as BROKEN after @what. */
static void
fail_broken (GTask      *task,
             GError     *error,
             const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  fail (task, MCP_HTTP1_CONNECTION_ERROR_BROKEN, "%s: %s", what, error->message);
  g_error_free (error);
}

static void
on_body_done (GIOStream  *io,
              GByteArray *buffer,
              gboolean    reusable,
              gpointer    user_data)
{
  McpHttp1Connection *self = user_data;

  if (buffer != NULL)
    {
      if (self->spare == NULL)
        self->spare = buffer;
      else
        g_byte_array_unref (buffer);
    }
  if (!reusable)
    {
      /* closed already */
      mcp_http1_watch_drop (io);
      return;
    }
  if (self->idle != NULL)
    {
      close_io (io);
      return;
    }
  self->idle = g_object_ref (io);
  self->idle_since = g_get_monotonic_time ();
}

/* The head ends at @end (just after its blank line): parse it and return the body. Takes
 * @task. */
static void
head_complete (GTask *task,
               gsize  end)
{
  McpHttp1Connection *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  char *data = (char *) req->head->data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) leftover = NULL;
  McpHttp1BodyStream *body;
  SoupHTTPVersion version;
  McpHttp1Framing framing;
  guint64 length;
  gboolean keep_alive;

  soup_message_headers_clear (headers);
  g_clear_pointer (&req->reason, g_free);
  if (!mcp_http1_wire_parse_head (data, end, headers, &version, &req->status, &req->reason,
                                  &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (req->status >= 100 && req->status < 200)
    {
      /* an interim response: the real one follows */
      g_byte_array_remove_range (req->head, 0, (guint) end);
      req->searched = 0;
      if (req->status == SOUP_STATUS_SWITCHING_PROTOCOLS)
        {
          fail (task, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                "Expected a final response, got HTTP 101 Switching Protocols");
          return;
        }
      /* caller loops */
      req->status = 0;
      g_object_unref (task);
      return;
    }

  if (!mcp_http1_wire_body_framing (headers, req->status, req->is_head, &framing, &length,
                                    &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  keep_alive = version == SOUP_HTTP_1_1 &&
               framing != MCP_HTTP1_FRAMING_UNTIL_CLOSE &&
               !soup_message_headers_header_contains (headers, "Connection", "close");

  /* what came after the head is the start of the body; its buffer serves the body on */
  leftover = g_steal_pointer (&req->head);
  g_byte_array_remove_range (leftover, 0, (guint) end);

  body = mcp_http1_body_stream_new (req->io, g_steal_pointer (&leftover), framing, length,
                                    keep_alive, on_body_done, g_object_ref (self),
                                    g_object_unref);
  g_clear_object (&req->io);

  /* what libsoup does once the head is in: DPoP nonces are picked up here */
  g_signal_emit_by_name (req->msg, "got-headers");

  g_task_return_pointer (task, body, g_object_unref);
  g_object_unref (task);
}

/* Takes in @n bytes (or -1 and @error) at the end of req->head; takes @task when it
 * returns FALSE (done, or failed). */
static gboolean
head_got (GTask  *task,
          gssize  n,
          GError *error)
{
  Request *req = g_task_get_task_data (task);
  gsize before = req->head->len - HEAD_READ_SIZE;
  gsize end;

  if (n < 0)
    {
      g_byte_array_set_size (req->head, (guint) before);
      fail_broken (task, error, "The connection failed before the response came");
      return FALSE;
    }
  g_byte_array_set_size (req->head, (guint) (before + (gsize) n));
  if (n == 0)
    {
      fail (task, MCP_HTTP1_CONNECTION_ERROR_BROKEN,
            req->head->len == 0
            ? "The server closed the connection without answering"
            : "The server closed the connection in the middle of the response head");
      return FALSE;
    }

  while ((end = mcp_http1_wire_find_head_end (req->head->data, req->head->len,
                                               &req->searched)) > 0)
    {
      g_object_ref (task);
      head_complete (task, end);
      if (g_task_get_completed (task) || g_task_had_error (task) ||
          req->status != 0 || req->io == NULL)
        {
          g_object_unref (task);
          return FALSE;
        }
      /* an interim response went by: look for the next head */
    }

  if (req->head->len > MAX_HEAD_SIZE)
    {
      fail (task, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
            "Expected a response head of at most %d bytes, got more", MAX_HEAD_SIZE);
      return FALSE;
    }
  return TRUE;
}

/* Reads what has come of the response head, and waits when nothing has. Takes @task. */
static void
read_head (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GPollableInputStream *in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (req->io));
  GCancellable *cancellable = g_task_get_cancellable (task);

  for (guint i = 0; i < HEAD_READS_AT_ONCE; i++)
    {
      GError *error = NULL;
      guint8 *room;
      gssize n;

      g_byte_array_set_size (req->head, req->head->len + HEAD_READ_SIZE);
      room = req->head->data + req->head->len - HEAD_READ_SIZE;
      n = g_pollable_input_stream_read_nonblocking (in, room, HEAD_READ_SIZE, cancellable,
                                                    &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_error_free (error);
          g_byte_array_set_size (req->head, req->head->len - HEAD_READ_SIZE);
          mcp_http1_watch_wait_readable (req->io, task, read_head);
          return;
        }
      if (!head_got (task, n, error))
        return;
    }
  /* more is there: the main loop runs, and then reading goes on */
  mcp_http1_watch_wait_readable (req->io, task, read_head);
}

/* ------------------------------------------------------------------------------------------ */
/* Connecting and writing                                                                     */

static void connect_new (GTask *task);
static void write_request (GTask *task);

/* Writing failed after req->written bytes: @error is taken, and so is @task. */
static void
write_failed (GTask  *task,
              GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (req->written == 0 && req->reused && !req->retried &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* not one byte of the request went out: a new connection may carry it */
      g_error_free (error);
      req->retried = TRUE;
      g_clear_pointer (&req->io, close_stream);
      connect_new (task);
      return;
    }
  fail_broken (task, error, req->written == 0 ? "Could not send the request"
                                              : "The connection failed while sending the "
                                                "request");
}

static gboolean
on_writable (GObject  *stream,
             gpointer  user_data)
{
  write_request (user_data);
  return G_SOURCE_REMOVE;
}

/* Writes what is left of the request, then waits for the answer. Takes @task. */
static void
write_request (GTask *task)
{
  McpHttp1Connection *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GPollableOutputStream *out =
    G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (req->io));
  GCancellable *cancellable = g_task_get_cancellable (task);
  gsize size;
  const guint8 *data = g_bytes_get_data (req->request, &size);

  while (req->written < size)
    {
      GError *error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (out, data + req->written,
                                                             size - req->written, cancellable,
                                                             &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_autoptr(GSource) source = g_pollable_output_stream_create_source (out, cancellable);

          /* the socket is full: a large request goes out as the server reads it */
          g_error_free (error);
          g_source_set_callback (source, G_SOURCE_FUNC (on_writable), task, NULL);
          g_source_attach (source, mcp_http1_watch_context ());
          return;
        }
      if (n < 0)
        {
          write_failed (task, error);
          return;
        }
      req->written += (gsize) n;
    }

  /* reading now could only find nothing: the server has not even seen the request */
  req->head = self->spare != NULL ? g_steal_pointer (&self->spare)
                                   : g_byte_array_sized_new (HEAD_READ_SIZE);
  mcp_http1_watch_wait_readable (req->io, task, read_head);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;
  GSocketConnection *conn;

  conn = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* the request goes in one write; do not let a small one wait for an ACK */
  g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
  req->io = G_IO_STREAM (conn);
  req->reused = FALSE;
  req->written = 0;
  write_request (task);
}

static void
connect_new (GTask *task)
{
  McpHttp1Connection *self = g_task_get_source_object (task);
  g_autoptr(GSocketConnectable) address = g_network_address_new (self->host,
                                                                 (guint16) self->port);

  g_socket_client_connect_async (self->client, address, g_task_get_cancellable (task),
                                 on_connected, task);
}

/* Whether a kept-alive connection, idle for @idle_for microseconds, is still good: nothing to
 * read on it (a close or stray bytes would be). */
static gboolean
idle_is_open (GIOStream *io,
              gint64     idle_for)
{
  GInputStream *in = g_io_stream_get_input_stream (io);
  g_autoptr(GError) error = NULL;
  guint8 byte;
  gssize n;

  if (g_io_stream_is_closed (io) || !G_IS_POLLABLE_INPUT_STREAM (in))
    return FALSE;
  /* just handed back, and the main loop saw nothing come on it since: no need to ask */
  if (idle_for < IDLE_TRUSTED_USEC && mcp_http1_watch_quiet (io))
    return TRUE;
  if (!g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (in)))
    return TRUE;
  /* readable: a close, stray bytes, or (TLS) a record with no data such as a session ticket */
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (in), &byte, 1, NULL,
                                                &error);
  return n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

/* Takes @task. */
static void
start (GTask *task)
{
  McpHttp1Connection *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  if (self->idle != NULL)
    {
      g_autoptr(GIOStream) io = g_steal_pointer (&self->idle);
      gint64 idle_for = g_get_monotonic_time () - self->idle_since;

      if (idle_for < MCP_HTTP_IDLE_TIMEOUT_SECONDS * G_USEC_PER_SEC &&
          idle_is_open (io, idle_for))
        {
          req->io = g_steal_pointer (&io);
          req->reused = TRUE;
          req->written = 0;
          write_request (task);
          return;
        }
      close_io (io);
    }
  connect_new (task);
}

static void
on_proxy_lookup (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  McpHttp1Connection *self = g_task_get_source_object (task);
  g_auto(GStrv) proxies = NULL;
  GError *error = NULL;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (source), result, &error);
  if (proxies == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_clear_error (&error);
  if (self->proxy == PROXY_UNKNOWN)
    self->proxy = (proxies != NULL && proxies[0] != NULL &&
                   strcmp (proxies[0], "direct://") == 0) ? PROXY_DIRECT : PROXY_NOT_DIRECT;

  if (self->proxy != PROXY_DIRECT)
    {
      fail (task, MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT,
            "A proxy applies to %s: plain HTTP/1.1 goes direct only", self->origin);
      return;
    }
  start (task);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject and public API                                                                     */

static void
mcp_http1_connection_finalize (GObject *object)
{
  McpHttp1Connection *self = MCP_HTTP1_CONNECTION (object);

  mcp_http1_connection_close_idle (self);
  g_clear_pointer (&self->spare, g_byte_array_unref);
  g_clear_object (&self->client);
  g_free (self->host);
  g_free (self->host_header);
  g_free (self->origin);

  G_OBJECT_CLASS (mcp_http1_connection_parent_class)->finalize (object);
}

static void
mcp_http1_connection_class_init (McpHttp1ConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_http1_connection_finalize;
}

static void
mcp_http1_connection_init (McpHttp1Connection *self)
{
}

McpHttp1Connection *
mcp_http1_connection_new (GUri *uri)
{
  McpHttp1Connection *self;
  const char *scheme;
  int default_port;

  g_return_val_if_fail (uri != NULL, NULL);
  scheme = g_uri_get_scheme (uri);
  g_return_val_if_fail (g_ascii_strcasecmp (scheme, "http") == 0 ||
                        g_ascii_strcasecmp (scheme, "https") == 0, NULL);
  g_return_val_if_fail (g_uri_get_host (uri) != NULL, NULL);

  self = g_object_new (MCP_TYPE_HTTP1_CONNECTION, NULL);
  self->tls = g_ascii_strcasecmp (scheme, "https") == 0;
  default_port = self->tls ? 443 : 80;
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : default_port;

  if (strchr (self->host, ':') != NULL)
    self->host_header = self->port == default_port
                        ? g_strdup_printf ("[%s]", self->host)
                        : g_strdup_printf ("[%s]:%d", self->host, self->port);
  else
    self->host_header = self->port == default_port
                        ? g_strdup (self->host)
                        : g_strdup_printf ("%s:%d", self->host, self->port);
  self->origin = g_strdup_printf ("%s://%s", self->tls ? "https" : "http", self->host_header);

  self->client = g_socket_client_new ();
  /* the proxy question is asked once, up front (see on_proxy_lookup) */
  g_socket_client_set_enable_proxy (self->client, FALSE);
  /* https: the default GTlsDatabase, every certificate check */
  g_socket_client_set_tls (self->client, self->tls);
  return self;
}

void
mcp_http1_connection_send_async (McpHttp1Connection  *self,
                                 SoupMessage         *msg,
                                 GBytes              *body,
                                 const char          *content_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (MCP_IS_HTTP1_CONNECTION (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_http1_connection_send_async);
  req = g_new0 (Request, 1);
  req->msg = g_object_ref (msg);
  req->is_head = strcmp (soup_message_get_method (msg), "HEAD") == 0;
  req->request = mcp_http1_wire_build_request (msg, self->host_header, body, content_type);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  switch (self->proxy)
    {
    case PROXY_UNKNOWN:
      {
        g_autofree char *url = g_uri_to_string_partial (soup_message_get_uri (msg),
                                                        G_URI_HIDE_USERINFO);
        g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), url, cancellable,
                                       on_proxy_lookup, task);
      }
      break;
    case PROXY_NOT_DIRECT:
      fail (task, MCP_HTTP1_CONNECTION_ERROR_NOT_DIRECT,
            "A proxy applies to %s: plain HTTP/1.1 goes direct only", self->origin);
      break;
    case PROXY_DIRECT:
    default:
      start (task);
      break;
    }
}

GInputStream *
mcp_http1_connection_send_finish (McpHttp1Connection  *self,
                                  GAsyncResult        *result,
                                  guint               *status,
                                  char               **reason_phrase,
                                  GError             **error)
{
  Request *req;

  g_return_val_if_fail (MCP_IS_HTTP1_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = req->status;
  if (reason_phrase != NULL)
    *reason_phrase = g_strdup (req->reason);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mcp_http1_connection_close_idle (McpHttp1Connection *self)
{
  g_return_if_fail (MCP_IS_HTTP1_CONNECTION (self));

  if (self->idle != NULL)
    g_clear_pointer (&self->idle, close_stream);
}
