/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser: the event size limit. */

#include <string.h>

#include "mcp-sse-parser.h"

#include "sse-parser-test-util.h"

/* Size limit */

static void
test_event_too_large_boundary (void)
{
  /* "data: 1234" is 10 bytes: exactly at a limit of 10. */
  check_stream_sized ("data: 1234\n\n", 12, 10,
                      "event message|1234|(none)\n"
                      "last-event-id (none)\n");
  /* One byte more fails, wherever the stream is cut. */
  check_stream_sized ("data: 12345\n\ndata: after\n\n", 26, 10,
                      "error 0\n"
                      "last-event-id (none)\n");
  /* Events before the large one are dispatched. */
  check_stream_sized ("data: ok\n\ndata: 12345\n\n", 23, 10,
                      "event message|ok|(none)\n"
                      "error 0\n"
                      "last-event-id (none)\n");
}

static void
test_event_too_large_counts_earlier_lines (void)
{
  /* "a\n" (2 bytes of data) plus the 8-byte line "data: bc" is 10. */
  check_stream_sized ("data: a\ndata: bc\n\n", 18, 10,
                      "event message|a\\nbc|(none)\n"
                      "last-event-id (none)\n");
  check_stream_sized ("data: a\ndata: bcd\n\n", 19, 10,
                      "error 0\n"
                      "last-event-id (none)\n");
  /* The limit is per event: the data of earlier events does not count. */
  check_stream_sized ("data: 1234\n\ndata: 5678\n\n", 24, 10,
                      "event message|1234|(none)\n"
                      "event message|5678|(none)\n"
                      "last-event-id (none)\n");
}

static void
test_event_too_large_unterminated_line (void)
{
  /* A line that never ends still counts: nothing is buffered without bound. */
  check_stream_sized ("data: 1234", 10, 10,
                      "last-event-id (none)\n");
  check_stream_sized ("data: 12345", 11, 10,
                      "error 0\n"
                      "last-event-id (none)\n");
  /* Comments and unknown fields count as the current line too. */
  check_stream_sized (": 3456789ab\n", 12, 10,
                      "error 0\n"
                      "last-event-id (none)\n");
  check_stream_sized ("eventeventev", 12, 10,
                      "error 0\n"
                      "last-event-id (none)\n");
}

static void
test_event_too_large_message (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (10);
  g_autoptr(GError) error = NULL;
  guint64 max = 0;

  g_object_get (parser, "max-event-size", &max, NULL);
  g_assert_cmpuint (max, ==, 10);

  g_assert_false (mcp_sse_parser_feed (parser, ": 3456789abcdef\n", 16, &error));
  g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE);
  /* Both the size that came and the size allowed. */
  g_assert_nonnull (strstr (error->message, "15"));
  g_assert_nonnull (strstr (error->message, "10"));
}

static void
test_failed_until_reset (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (8);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  g_assert_true (mcp_sse_parser_feed (parser, "id: 1\n\n", 7, NULL));
  g_assert_false (mcp_sse_parser_feed (parser, "data: too long\n\n", 16, &error));
  g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (mcp_sse_parser_feed (parser, "data: ok\n\n", 10, &error));
  g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_FAILED);
  g_clear_error (&error);
  /* finish() ends the stream but does not clear the failure. */
  mcp_sse_parser_finish (parser);
  g_assert_false (mcp_sse_parser_feed (parser, "data: ok\n\n", 10, &error));
  g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpstr (out->str, ==, "");

  mcp_sse_parser_reset (parser);
  g_assert_true (mcp_sse_parser_feed (parser, "data: ok\n\n", 10, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out->str, ==, "event message|ok|1\n");
}

static void
test_zero_max_means_unlimited (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);
  gsize big = 3 * 1024 * 1024;
  g_autofree char *line = g_malloc (big);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  memset (line, 'x', big);
  memcpy (line, "data: ", 6);
  g_assert_true (mcp_sse_parser_feed (parser, line, big, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\n\n", 2, NULL));
  g_assert_cmpuint (out->len, ==, strlen ("event message||(none)\n") + big - 6);
}

static char *
run_in_chunks_of (const GString *stream,
                  gsize          max_event_size,
                  gsize          chunk)
{
  g_autofree gsize *cuts = g_new (gsize, stream->len / chunk + 1);
  guint n_cuts = 0;

  for (gsize at = chunk; at < stream->len; at += chunk)
    cuts[n_cuts++] = at;

  return run_chunks (stream->str, stream->len, max_event_size, cuts, n_cuts);
}

static void
test_event_too_large_streamed_line (void)
{
  static const gsize chunks[] = { 1000000, 65536, 4099, 61 };
  g_autoptr(GString) at_limit = g_string_new ("data: ");
  g_autoptr(GString) past_limit = NULL;
  g_autoptr(GString) expected = g_string_new ("event message|");

  /* A 100 000-byte line, data: prefix included: exactly the limit. */
  g_string_set_size (at_limit, 100000);
  memset (at_limit->str + 6, 'x', 100000 - 6);
  g_string_append_len (expected, at_limit->str + 6, 100000 - 6);
  g_string_append (expected, "|(none)\nlast-event-id (none)\n");
  past_limit = g_string_new_len (at_limit->str, (gssize) at_limit->len);
  g_string_append (at_limit, "\n\n");
  g_string_append (past_limit, "x\n\n");

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_autofree char *ok = run_in_chunks_of (at_limit, 100000, chunks[i]);
      g_autofree char *too_large = run_in_chunks_of (past_limit, 100000, chunks[i]);

      g_assert_cmpstr (ok, ==, expected->str);
      g_assert_cmpstr (too_large, ==, "error 0\nlast-event-id (none)\n");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/sse-parser/event-too-large-boundary", test_event_too_large_boundary);
  g_test_add_func ("/mcp/sse-parser/event-too-large-counts-earlier-lines",
                   test_event_too_large_counts_earlier_lines);
  g_test_add_func ("/mcp/sse-parser/event-too-large-unterminated-line",
                   test_event_too_large_unterminated_line);
  g_test_add_func ("/mcp/sse-parser/event-too-large-message", test_event_too_large_message);
  g_test_add_func ("/mcp/sse-parser/event-too-large-streamed-line",
                   test_event_too_large_streamed_line);
  g_test_add_func ("/mcp/sse-parser/failed-until-reset", test_failed_until_reset);
  g_test_add_func ("/mcp/sse-parser/zero-max-means-unlimited", test_zero_max_means_unlimited);

  return g_test_run ();
}
