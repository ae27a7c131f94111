/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser: ending and resetting streams, and events that outlive the parser
 * or the events after them. */

#include <string.h>

#include "mcp-sse-parser.h"

#include "sse-parser-test-util.h"

/* Stream lifetime */

static void
test_finish_discards_incomplete_event (void)
{
  check_stream ("data: a\n"
                "\n"
                "event: half\n"
                "data: b\n",
                "event message|a|(none)\n"
                "last-event-id (none)\n");
  check_stream ("data: a\n"
                "\n"
                "data: no line end",
                "event message|a|(none)\n"
                "last-event-id (none)\n");
}

static void
test_finish_then_new_stream (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  g_assert_true (mcp_sse_parser_feed (parser, "event: old\ndata: lost\nda", 24, NULL));
  mcp_sse_parser_finish (parser);
  /* Nothing of the old event or line leaks into the next stream. */
  g_assert_true (mcp_sse_parser_feed (parser, "ta: new\n\n", 9, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "data: new\r", 10, NULL));
  mcp_sse_parser_finish (parser);
  /* A CR at the end of the old stream does not swallow this LF-led blank line. */
  g_assert_true (mcp_sse_parser_feed (parser, "\ndata: x\n\n", 10, NULL));
  g_assert_cmpstr (out->str, ==, "event message|x|(none)\n");
}

static void
test_reset_keeps_last_event_id (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  g_assert_true (mcp_sse_parser_feed (parser, "retry: 1500\nid: 9\ndata: a\n\n", 27, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "id: 10\nevent: t\ndata: half", 26, NULL));
  mcp_sse_parser_reset (parser);

  g_assert_cmpstr (mcp_sse_parser_get_last_event_id (parser), ==, "9");
  g_assert_cmpint (mcp_sse_parser_get_retry (parser), ==, 1500);

  /* The new connection's events carry the id until the stream sets another. */
  g_assert_true (mcp_sse_parser_feed (parser, "data: b\n\n", 9, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_cmpstr (mcp_sse_parser_get_last_event_id (parser), ==, "9");
  g_assert_cmpstr (out->str, ==,
                   "event message|a|9\n"
                   "event message|b|9\n");
}

static void
reset_on_event (McpSseParser *parser,
                McpSseEvent  *event,
                GString      *out)
{
  on_event (parser, event, out);
  mcp_sse_parser_reset (parser);
}

static void
test_handler_may_reset (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (reset_on_event), out);

  /* The rest of the chunk belonged to the stream that was reset. */
  g_assert_true (mcp_sse_parser_feed (parser, "data: a\n\ndata: b\n\n", 18, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "data: c\n\n", 9, NULL));
  g_assert_cmpstr (out->str, ==,
                   "event message|a|(none)\n"
                   "event message|c|(none)\n");
}

static void
keep_event (McpSseParser *parser,
            McpSseEvent  *event,
            GPtrArray    *kept)
{
  g_ptr_array_add (kept, g_boxed_copy (MCP_TYPE_SSE_EVENT, event));
}

static void
test_event_outlives_parser (void)
{
  McpSseParser *parser = mcp_sse_parser_new (0);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) mcp_sse_event_unref);
  McpSseEvent *event;

  g_signal_connect (parser, "event", G_CALLBACK (keep_event), kept);
  g_assert_true (mcp_sse_parser_feed (parser,
                                      "event: progress\nid: 3\ndata: {\"a\":1}\n\n"
                                      "event: progress\ndata: {\"a\":2}\n\n", 68, NULL));
  g_object_unref (parser);

  g_assert_cmpuint (kept->len, ==, 2);
  event = g_ptr_array_index (kept, 1);
  g_assert_cmpstr (mcp_sse_event_get_event_type (event), ==, "progress");
  g_assert_cmpstr (mcp_sse_event_get_data (event), ==, "{\"a\":2}");
  g_assert_cmpuint (mcp_sse_event_get_data_length (event), ==, 7);
  g_assert_cmpstr (mcp_sse_event_get_id (event), ==, "3");

  mcp_sse_event_ref (event);
  g_ptr_array_set_size (kept, 0);
  g_assert_cmpstr (mcp_sse_event_get_data (event), ==, "{\"a\":2}");
  mcp_sse_event_unref (event);
}

/* Data for event @n of @len bytes: recognisable at any offset. */
static void
append_pattern (GString *out,
                guint    n,
                gsize    len)
{
  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, (char) ('a' + (n * 7 + i) % 26));
}

typedef struct
{
  GPtrArray *kept;
  guint      seen;
  gsize     *sizes;
} KeepSome;

static void
keep_every_third (McpSseParser   *parser,
                  McpSseEvent    *event,
                  KeepSome *state)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  guint n = state->seen++;

  /* Every event is whole when it arrives ... */
  append_pattern (expected, n, state->sizes[n]);
  g_assert_cmpuint (mcp_sse_event_get_data_length (event), ==, expected->len);
  g_assert_true (memcmp (mcp_sse_event_get_data (event), expected->str, expected->len) == 0);

  /* Two dropped events in a row: the second reuses the first one's buffer. */
  if (n % 3 == 2)
    g_ptr_array_add (state->kept, mcp_sse_event_ref (event));
}

static void
test_kept_events_survive_later_events (void)
{
  /* Sizes around the point where data stops being copied next to the event
   * and the parser's buffer is handed over instead, and past the size up to
   * which a dropped event's buffer is taken back. */
  gsize sizes[] = {
    65535, 65536, 65537, 65536, 300000, 10, 300000, 5 * 1024 * 1024, 200000, 200000,
    5 * 1024 * 1024, 0, 70000, 70000, 1, 70000, 140001, 100000, 600000, 599999, 65536,
    2 * 1024 * 1024 + 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 70000, 3, 1024 * 1024,
  };
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) mcp_sse_event_unref);
  g_autoptr(GString) stream = g_string_new (NULL);
  KeepSome state = { kept, 0, sizes };

  for (guint n = 0; n < G_N_ELEMENTS (sizes); n++)
    {
      g_string_append (stream, "data: ");
      append_pattern (stream, n, sizes[n]);
      g_string_append (stream, "\n\n");
    }

  g_signal_connect (parser, "event", G_CALLBACK (keep_every_third), &state);
  /* Odd chunks, so lines end anywhere relative to the buffer's growth. */
  for (gsize at = 0; at < stream->len; at += 65521)
    g_assert_true (mcp_sse_parser_feed (parser, stream->str + at,
                                        MIN (65521, stream->len - at), NULL));
  mcp_sse_parser_finish (parser);
  g_assert_cmpuint (state.seen, ==, G_N_ELEMENTS (sizes));

  /* ... and the kept ones are still whole after all the events that followed. */
  for (guint i = 0; i < kept->len; i++)
    {
      McpSseEvent *event = g_ptr_array_index (kept, i);
      guint n = 3 * i + 2;
      g_autoptr(GString) expected = g_string_new (NULL);

      append_pattern (expected, n, sizes[n]);
      g_assert_cmpuint (mcp_sse_event_get_data_length (event), ==, expected->len);
      g_assert_true (memcmp (mcp_sse_event_get_data (event), expected->str, expected->len) == 0);
      g_assert_cmpint (mcp_sse_event_get_data (event)[expected->len], ==, '\0');
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/sse-parser/finish-discards-incomplete-event",
                   test_finish_discards_incomplete_event);
  g_test_add_func ("/mcp/sse-parser/finish-then-new-stream", test_finish_then_new_stream);
  g_test_add_func ("/mcp/sse-parser/reset-keeps-last-event-id", test_reset_keeps_last_event_id);
  g_test_add_func ("/mcp/sse-parser/handler-may-reset", test_handler_may_reset);
  g_test_add_func ("/mcp/sse-parser/event-outlives-parser", test_event_outlives_parser);
  g_test_add_func ("/mcp/sse-parser/kept-events-survive-later-events",
                   test_kept_events_survive_later_events);

  return g_test_run ();
}
