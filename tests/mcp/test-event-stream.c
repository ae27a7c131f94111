/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * McpEventStream: JSON-RPC messages out of a text/event-stream body. The bodies are memory
 * streams, some handed out a few bytes per read; the transport whose ::log the stream writes
 * to is a real McpHttpTransport that never opens.
 */
#include <string.h>

#include "mcp-event-stream.h"
#include "mcp-http-transport.h"

/* ------------------------------------------------------------------------------------------ */
/* A body that hands out at most a few bytes per read, to cut events anywhere                 */

#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM,
                      GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         offset;
  gsize         chunk;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size;
  const char *data = g_bytes_get_data (self->bytes, &size);
  gsize n = MIN (MIN (count, self->chunk), size - self->offset);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return (gssize) n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  g_bytes_unref (TEST_TRICKLE_STREAM (object)->bytes);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_stream_new (const char *text,
                    gsize       chunk)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->bytes = g_bytes_new (text, strlen (text));
  self->chunk = chunk;
  return G_INPUT_STREAM (self);
}

static GInputStream *
memory_stream_new (const char *text)
{
  return g_memory_input_stream_new_from_data (g_strdup (text), strlen (text), g_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Fixture                                                                                    */

typedef struct {
  McpHttpTransport *transport;
  GCancellable     *cancellable;
  McpEventStream   *events;
  GPtrArray        *methods;        /* method (or id key) of every ::message, in order */
  GPtrArray        *logs;           /* every ::log text of the transport */
  GPtrArray        *seen_types;     /* event type of every ::event */
  gboolean          take_endpoint;  /* the ::event handler takes `endpoint` events */
  guint             cancel_after;   /* cancel once this many messages came (0: never) */
  gboolean          finished;
  guint             n_finished;
  GError           *error;          /* of ::finished */
} Fixture;

static void
on_log (McpTransport *transport,
        McpLogLevel   level,
        const char   *text,
        Fixture      *f)
{
  g_ptr_array_add (f->logs, g_strdup (text));
}

static gboolean
on_event (McpEventStream *events,
          McpSseEvent    *event,
          Fixture        *f)
{
  const char *type = mcp_sse_event_get_event_type (event);

  g_ptr_array_add (f->seen_types, g_strdup (type));
  return f->take_endpoint && g_str_equal (type, "endpoint");
}

static void
on_message (McpEventStream *events,
            McpMessage     *message,
            Fixture        *f)
{
  const char *method = mcp_message_get_method (message);

  g_ptr_array_add (f->methods, g_strdup (method ? method : mcp_message_get_id_key (message)));
  if (f->cancel_after != 0 && f->methods->len == f->cancel_after)
    g_cancellable_cancel (f->cancellable);
}

static void
on_finished (McpEventStream *events,
             const GError   *error,
             Fixture        *f)
{
  g_assert_false (f->finished);
  f->finished = TRUE;
  f->n_finished++;
  g_clear_error (&f->error);
  f->error = error ? g_error_copy (error) : NULL;
}

static void
fixture_make_stream (Fixture *f,
                     guint64  max_event_size)
{
  g_clear_object (&f->events);
  f->events = mcp_event_stream_new (MCP_TRANSPORT (f->transport), "the test stream",
                                    max_event_size, f->cancellable);
  g_signal_connect (f->events, "event", G_CALLBACK (on_event), f);
  g_signal_connect (f->events, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->events, "finished", G_CALLBACK (on_finished), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->transport = mcp_http_transport_new ("http://127.0.0.1:9/mcp");
  f->cancellable = g_cancellable_new ();
  f->methods = g_ptr_array_new_with_free_func (g_free);
  f->logs = g_ptr_array_new_with_free_func (g_free);
  f->seen_types = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->transport, "log", G_CALLBACK (on_log), f);
  fixture_make_stream (f, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->events);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->transport);
  g_ptr_array_unref (f->methods);
  g_ptr_array_unref (f->logs);
  g_ptr_array_unref (f->seen_types);
  g_clear_error (&f->error);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("Timed out waiting for ::finished");
  return G_SOURCE_REMOVE;
}

/* Reads @body to ::finished. */
static void
run (Fixture      *f,
     GInputStream *body)
{
  guint timeout_id = g_timeout_add_seconds (30, on_timeout, NULL);

  f->finished = FALSE;
  mcp_event_stream_start (f->events, body);
  g_object_unref (body);
  while (!f->finished)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static gboolean
logs_contain (Fixture    *f,
              const char *text)
{
  for (guint i = 0; i < f->logs->len; i++)
    if (strstr (g_ptr_array_index (f->logs, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_methods (Fixture    *f,
                const char *expected)
{
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < f->methods->len; i++)
    g_string_append_printf (got, "%s%s", i > 0 ? " " : "",
                            (const char *) g_ptr_array_index (f->methods, i));
  g_assert_cmpstr (got->str, ==, expected);
}

#define NOTE(method) "data: {\"jsonrpc\":\"2.0\",\"method\":\"" method "\"}\n\n"

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                      */

static void
test_messages_in_order (Fixture       *f,
                        gconstpointer  data)
{
  run (f, memory_stream_new (NOTE ("a")
                             "id: 1\ndata:\n\n"
                             "data: [{\"jsonrpc\":\"2.0\",\"method\":\"b\"},\n"
                             "data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}]\n\n"
                             ": a comment\n"
                             NOTE ("c")));

  g_assert_no_error (f->error);
  assert_methods (f, "a b i:7 c");
  /* the priming event counts as an event, and only moves the last event id */
  g_assert_cmpuint (mcp_event_stream_get_n_events (f->events), ==, 4);
  g_assert_cmpstr (mcp_event_stream_get_last_event_id (f->events), ==, "1");
  g_assert_cmpuint (f->logs->len, ==, 0);
}

static void
test_chunks_cut_anywhere (Fixture       *f,
                          gconstpointer  data)
{
  const char *text = NOTE ("first") "retry: 2500\r\nid: 42\r\n" NOTE ("second") NOTE ("third");

  for (gsize chunk = 1; chunk <= 9; chunk += 4)
    {
      g_ptr_array_set_size (f->methods, 0);
      fixture_make_stream (f, 0);
      run (f, trickle_stream_new (text, chunk));

      g_assert_no_error (f->error);
      assert_methods (f, "first second third");
      g_assert_cmpint (mcp_event_stream_get_retry (f->events), ==, 2500);
      g_assert_cmpstr (mcp_event_stream_get_last_event_id (f->events), ==, "42");
    }
}

static void
test_malformed_message_logged_and_skipped (Fixture       *f,
                                           gconstpointer  data)
{
  run (f, memory_stream_new (NOTE ("before")
                             "data: {\"jsonrpc\":\"2.0\",\"method\":\n\n"
                             "data: {\"jsonrpc\":\"1.0\",\"method\":\"x\"}\n\n"
                             NOTE ("after")));

  g_assert_no_error (f->error);
  assert_methods (f, "before after");
  g_assert_cmpuint (f->logs->len, ==, 2);
  g_assert_true (logs_contain (f, "Skipping a malformed message on the test stream"));
  g_assert_true (logs_contain (f, "must be “2.0”"));
}

static void
test_other_event_types (Fixture       *f,
                        gconstpointer  data)
{
  f->take_endpoint = TRUE;
  run (f, memory_stream_new ("event: endpoint\ndata: /messages?session=1\n\n"
                             "event: ping\ndata: {}\n\n"
                             "event: empty\ndata:\n\n"
                             "event: message\n" NOTE ("m")));

  g_assert_no_error (f->error);
  assert_methods (f, "m");
  /* ::event sees every type but `message`; what it does not take is logged, unless empty */
  g_assert_cmpuint (f->seen_types->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->seen_types, 0), ==, "endpoint");
  g_assert_cmpstr (g_ptr_array_index (f->seen_types, 1), ==, "ping");
  g_assert_cmpstr (g_ptr_array_index (f->seen_types, 2), ==, "empty");
  g_assert_cmpuint (f->logs->len, ==, 1);
  g_assert_true (logs_contain (f, "Ignoring an event of type “ping” on the test stream"));
}

static void
test_large_event_parsed_in_thread_keeps_order (Fixture       *f,
                                               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NOTE ("small-1"));
  gsize padding = MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE + 1000;

  g_string_append (text, "data: {\"jsonrpc\":\"2.0\",\"method\":\"large\",\"params\":{\"pad\":\"");
  for (gsize i = 0; i < padding; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\"}}\n\n");
  g_string_append (text, NOTE ("small-2"));
  /* a malformed large one is skipped with a log line, and the order still holds */
  g_string_append (text, "data: {\"jsonrpc\":\"2.0\",\"method\":\"broken\",\"params\":[");
  for (gsize i = 0; i < padding; i++)
    g_string_append_c (text, ' ');
  g_string_append (text, "\n\n" NOTE ("small-3"));

  run (f, memory_stream_new (text->str));

  g_assert_no_error (f->error);
  assert_methods (f, "small-1 large small-2 small-3");
  g_assert_cmpuint (f->logs->len, ==, 1);
  g_assert_true (logs_contain (f, "Skipping a malformed message"));
}

static void
test_event_over_limit_fails_too_large (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NOTE ("fits"));

  g_string_append (text, "data: ");
  for (guint i = 0; i < 500; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\n\n" NOTE ("never"));

  fixture_make_stream (f, 100);
  run (f, memory_stream_new (text->str));

  g_assert_error (f->error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (f->error->message, "An event on the test stream is larger than "
                                               "the limit of 100 bytes"));
  assert_methods (f, "fits");
}

static void
test_cancel_stops_delivery (Fixture       *f,
                            gconstpointer  data)
{
  f->cancel_after = 2;
  run (f, memory_stream_new ("data: [{\"jsonrpc\":\"2.0\",\"method\":\"a\"},"
                             "{\"jsonrpc\":\"2.0\",\"method\":\"b\"},"
                             "{\"jsonrpc\":\"2.0\",\"method\":\"c\"}]\n\n"
                             NOTE ("d")));

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_methods (f, "a b");
}

static void
test_restart_keeps_last_event_id (Fixture       *f,
                                  gconstpointer  data)
{
  /* the first body breaks off inside an event: that event is dropped */
  run (f, memory_stream_new ("id: 5\n" NOTE ("one") "id: 6\ndata: {\"jsonrpc\""));
  g_assert_no_error (f->error);
  assert_methods (f, "one");
  g_assert_cmpstr (mcp_event_stream_get_last_event_id (f->events), ==, "5");

  run (f, memory_stream_new (NOTE ("two")));
  g_assert_no_error (f->error);
  assert_methods (f, "one two");
  g_assert_cmpstr (mcp_event_stream_get_last_event_id (f->events), ==, "5");
  g_assert_cmpuint (mcp_event_stream_get_n_events (f->events), ==, 2);
  g_assert_cmpuint (f->n_finished, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/event-stream/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("messages-in-order", test_messages_in_order);
  ADD ("chunks-cut-anywhere", test_chunks_cut_anywhere);
  ADD ("malformed-message-logged-and-skipped", test_malformed_message_logged_and_skipped);
  ADD ("other-event-types-go-to-the-event-signal", test_other_event_types);
  ADD ("large-event-parsed-in-thread-keeps-order",
       test_large_event_parsed_in_thread_keeps_order);
  ADD ("event-over-limit-fails-too-large", test_event_over_limit_fails_too_large);
  ADD ("cancel-stops-delivery", test_cancel_stops_delivery);
  ADD ("restart-keeps-last-event-id", test_restart_keeps_last_event_id);

  return g_test_run ();
}
