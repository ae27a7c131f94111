/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser: line ends, data lines and the byte order mark. Fields other than
 * data are in test-sse-parser-fields.c, the size limit in test-sse-parser-limits.c, stream and
 * event lifetime in test-sse-parser-lifetime.c, streams as MCP servers send them in
 * test-sse-parser-mcp.c; the shared transcript checks are in sse-parser-test-util.c. */

#include <string.h>

#include "mcp-sse-parser.h"

#include "sse-parser-test-util.h"

/* Line ends */

static void
test_single_event (void)
{
  check_stream ("data: hello\n\n",
                "event message|hello|(none)\n"
                "last-event-id (none)\n");
}

static void
test_line_ends_lf_crlf_cr (void)
{
  check_stream ("data: a\r\n\r\n"
                "data: b\r\r"
                "data: c\n\n"
                "data: d\r\ndata: e\rdata: f\n\r\n",
                "event message|a|(none)\n"
                "event message|b|(none)\n"
                "event message|c|(none)\n"
                "event message|d\\ne\\nf|(none)\n"
                "last-event-id (none)\n");
}

static void
test_crlf_split_anywhere (void)
{
  /* CR and LF in every arrangement; the pair cuts put a boundary between
   * each CR and its LF. */
  check_stream ("event: x\r\ndata: 1\r\n\r\n"
                "id: 7\r\ndata: 2\r\ndata: 3\r\n\r\n"
                ": c\r\n\r\n",
                "event x|1|(none)\n"
                "event message|2\\n3|7\n"
                "last-event-id 7\n");
}

static void
test_cr_lf_across_chunks_is_one_line_end (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  /* CR | LF: one line end, so no blank line yet. */
  g_assert_true (mcp_sse_parser_feed (parser, "data: x\r", 8, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_cmpstr (out->str, ==, "");
  /* CR | CR: the second CR is the blank line. */
  g_assert_true (mcp_sse_parser_feed (parser, "data: y\r", 8, NULL));
  g_assert_cmpstr (out->str, ==, "");
  g_assert_true (mcp_sse_parser_feed (parser, "\r", 1, NULL));
  g_assert_cmpstr (out->str, ==, "event message|x\\ny|(none)\n");
  /* CR | LF again at the blank line, then CR | empty chunk | LF. */
  g_assert_true (mcp_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "data: z\r", 8, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "", 0, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\n\n", 2, NULL));
  g_assert_cmpstr (out->str, ==, "event message|x\\ny|(none)\nevent message|z|(none)\n");
}

static void
test_lone_cr_at_end_of_chunk_before_data (void)
{
  /* A CR at the end of a chunk must not eat a following non-LF byte. */
  check_stream ("data: a\rdata: b\r\rdata: c\r\r",
                "event message|a\\nb|(none)\n"
                "event message|c|(none)\n"
                "last-event-id (none)\n");
}

/* Data */

static void
test_multi_line_data (void)
{
  check_stream ("data: {\"jsonrpc\":\n"
                "data:  \"2.0\"}\n"
                "data:third\n"
                "\n",
                "event message|{\"jsonrpc\":\\n \"2.0\"}\\nthird|(none)\n"
                "last-event-id (none)\n");
}

static void
test_empty_data_dispatches_empty_event (void)
{
  /* The priming event server-everything sends: an id and an empty data line. */
  check_stream ("id: prime-1\n"
                "data: \n"
                "\n"
                "event: message\n"
                "data:\n"
                "\n",
                "event message||prime-1\n"
                "event message||prime-1\n"
                "last-event-id prime-1\n");
}

static void
test_empty_data_lines_join (void)
{
  check_stream ("data\n"
                "data\n"
                "\n"
                "data:\n"
                "data: x\n"
                "data:\n"
                "\n",
                "event message|\\n|(none)\n"
                "event message|\\nx\\n|(none)\n"
                "last-event-id (none)\n");
}

static void
test_blank_line_without_data_dispatches_nothing (void)
{
  check_stream ("\n\n\r\n\r"
                "event: lonely\n"
                "\n"
                "data: after\n"
                "\n",
                "event message|after|(none)\n"
                "last-event-id (none)\n");
}

static void
test_only_one_space_removed (void)
{
  check_stream ("data:  two\n"
                "data:\tx\n"
                "data:  \n"
                "\n",
                "event message| two\\n\\x09x\\n |(none)\n"
                "last-event-id (none)\n");
}

static void
test_colon_in_value_kept (void)
{
  check_stream ("data: a:b: c\n"
                "event: x:y\n"
                "\n",
                "event x:y|a:b: c|(none)\n"
                "last-event-id (none)\n");
}

static void
test_invalid_utf8_passed_through (void)
{
  /* The JSON layer judges the text; the parser only carries the bytes. */
  check_stream ("data: \xff\xfe\xc3(\x80\n"
                "event: \xe2\x82\n"
                "\n",
                "event \\xe2\\x82|\\xff\\xfe\\xc3(\\x80|(none)\n"
                "last-event-id (none)\n");
}

static void
test_nul_in_data_passed_through (void)
{
  static const char input[] = "data: a\0b\n\n";

  check_stream_sized (input, sizeof input - 1, 0,
                      "event message|a\\x00b|(none)\n"
                      "last-event-id (none)\n");
}

/* Byte order mark */

static void
test_bom_stripped_once (void)
{
  check_stream ("\xEF\xBB\xBF"
                "data: a\n"
                "\n"
                "\xEF\xBB\xBF"
                "data: b\n"
                "\n"
                "data: c\n"
                "\n",
                /* The second BOM is part of the field name "\uFEFFdata". */
                "event message|a|(none)\n"
                "event message|c|(none)\n"
                "last-event-id (none)\n");
}

static void
test_bom_only_at_stream_start (void)
{
  /* Two BOMs: the second one makes the first line an unknown field. */
  check_stream ("\xEF\xBB\xBF\xEF\xBB\xBF"
                "data: x\n"
                "\n"
                "data: y\n"
                "\n",
                "event message|y|(none)\n"
                "last-event-id (none)\n");
}

static void
test_bom_split_across_chunks (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  g_assert_true (mcp_sse_parser_feed (parser, "\xEF", 1, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\xBB", 1, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "\xBF" "da", 3, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "ta: x\n\n", 7, NULL));
  g_assert_cmpstr (out->str, ==, "event message|x|(none)\n");

  /* The same as the generic check, which also cuts inside the BOM. */
  check_stream ("\xEF\xBB\xBF" "data: x\n\n",
                "event message|x|(none)\n"
                "last-event-id (none)\n");
}

static void
test_partial_bom_is_text (void)
{
  /* The first two BOM bytes alone are the start of an unknown field name. */
  check_stream ("\xEF\xBB" "data: x\n"
                "\n"
                "data: y\n"
                "\n",
                "event message|y|(none)\n"
                "last-event-id (none)\n");
  /* ... and a line of their own. */
  check_stream ("\xEF\xBB\n"
                "data: x\n"
                "\n",
                "event message|x|(none)\n"
                "last-event-id (none)\n");
  check_stream ("\xEF\n"
                "data: x\n"
                "\n",
                "event message|x|(none)\n"
                "last-event-id (none)\n");
  /* A BOM cut short by a line end: the blank line that follows dispatches nothing. */
  check_stream ("\xEF\xBB\xBF\n\ndata: z\n\n",
                "event message|z|(none)\n"
                "last-event-id (none)\n");
}

static void
test_bom_again_after_reset (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autoptr(GString) out = g_string_new (NULL);

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);

  g_assert_true (mcp_sse_parser_feed (parser, "\xEF\xBB\xBF" "data: 1\n\n", 12, NULL));
  mcp_sse_parser_reset (parser);
  g_assert_true (mcp_sse_parser_feed (parser, "\xEF\xBB\xBF" "data: 2\n\n", 12, NULL));
  mcp_sse_parser_finish (parser);
  g_assert_true (mcp_sse_parser_feed (parser, "\xEF\xBB\xBF" "data: 3\n\n", 12, NULL));
  g_assert_cmpstr (out->str, ==,
                   "event message|1|(none)\n"
                   "event message|2|(none)\n"
                   "event message|3|(none)\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/sse-parser/single-event", test_single_event);
  g_test_add_func ("/mcp/sse-parser/line-ends-lf-crlf-cr", test_line_ends_lf_crlf_cr);
  g_test_add_func ("/mcp/sse-parser/crlf-split-anywhere", test_crlf_split_anywhere);
  g_test_add_func ("/mcp/sse-parser/cr-lf-across-chunks-is-one-line-end",
                   test_cr_lf_across_chunks_is_one_line_end);
  g_test_add_func ("/mcp/sse-parser/lone-cr-at-end-of-chunk",
                   test_lone_cr_at_end_of_chunk_before_data);
  g_test_add_func ("/mcp/sse-parser/multi-line-data", test_multi_line_data);
  g_test_add_func ("/mcp/sse-parser/empty-data-dispatches-empty-event",
                   test_empty_data_dispatches_empty_event);
  g_test_add_func ("/mcp/sse-parser/empty-data-lines-join", test_empty_data_lines_join);
  g_test_add_func ("/mcp/sse-parser/blank-line-without-data-dispatches-nothing",
                   test_blank_line_without_data_dispatches_nothing);
  g_test_add_func ("/mcp/sse-parser/only-one-space-removed", test_only_one_space_removed);
  g_test_add_func ("/mcp/sse-parser/colon-in-value-kept", test_colon_in_value_kept);
  g_test_add_func ("/mcp/sse-parser/invalid-utf8-passed-through", test_invalid_utf8_passed_through);
  g_test_add_func ("/mcp/sse-parser/nul-in-data-passed-through", test_nul_in_data_passed_through);
  g_test_add_func ("/mcp/sse-parser/bom-stripped-once", test_bom_stripped_once);
  g_test_add_func ("/mcp/sse-parser/bom-only-at-stream-start", test_bom_only_at_stream_start);
  g_test_add_func ("/mcp/sse-parser/bom-split-across-chunks", test_bom_split_across_chunks);
  g_test_add_func ("/mcp/sse-parser/partial-bom-is-text", test_partial_bom_is_text);
  g_test_add_func ("/mcp/sse-parser/bom-again-after-reset", test_bom_again_after_reset);

  return g_test_run ();
}
