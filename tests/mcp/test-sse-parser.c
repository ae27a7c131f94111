/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser. Every stream is checked against its expected
 * transcript fed whole, one byte at a time, cut at every single point, and,
 * for short streams, cut at every pair of points: the parser must not care
 * where the network splits the bytes. */

#include <string.h>

#include "mcp-sse-parser.h"

/* Transcripts */

static void
append_escaped (GString    *out,
                const char *bytes,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '|')
        g_string_append (out, "\\|");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
}

static void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          GString      *out)
{
  const char *data = mcp_sse_event_get_data (event);
  gsize len = mcp_sse_event_get_data_length (event);
  const char *id = mcp_sse_event_get_id (event);

  /* The data is always NUL-terminated, whatever it holds. */
  g_assert_nonnull (data);
  g_assert_cmpint (data[len], ==, '\0');
  g_assert_nonnull (mcp_sse_event_get_event_type (event));

  g_string_append (out, "event ");
  append_escaped (out, mcp_sse_event_get_event_type (event),
                  strlen (mcp_sse_event_get_event_type (event)));
  g_string_append (out, "|");
  append_escaped (out, data, len);
  g_string_append (out, "|");
  if (id != NULL)
    append_escaped (out, id, strlen (id));
  else
    g_string_append (out, "(none)");
  g_string_append (out, "\n");
}

static void
on_retry (McpSseParser *parser,
          gint64        ms,
          GString      *out)
{
  g_string_append_printf (out, "retry %" G_GINT64_FORMAT "\n", ms);
}

/* Feeds @input cut at the ascending offsets @cuts, then ends the stream.
 * Returns the transcript: events, retry signals, the first error (by code,
 * since the sizes in its message depend on where the chunk ended), and the
 * last event ID at the end. */
static char *
run_chunks (const char  *input,
            gsize        len,
            gsize        max_event_size,
            const gsize *cuts,
            guint        n_cuts)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (max_event_size);
  GString *out = g_string_new (NULL);
  gboolean failed = FALSE;
  gsize start = 0;

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);
  g_signal_connect (parser, "retry", G_CALLBACK (on_retry), out);

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize stop = i < n_cuts ? cuts[i] : len;
      gsize chunk_len;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_assert_cmpuint (stop, >=, start);
      chunk_len = stop - start;
      ok = mcp_sse_parser_feed (parser, input + start, chunk_len, &error);
      start = stop;

      if (failed)
        {
          /* Once failed, always failed (an empty chunk is no input at all). */
          if (chunk_len > 0)
            {
              g_assert_false (ok);
              g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_FAILED);
            }
          continue;
        }

      if (!ok)
        {
          g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE);
          g_string_append_printf (out, "error %d\n", error->code);
          failed = TRUE;
        }
      else
        {
          g_assert_no_error (error);
        }
    }

  mcp_sse_parser_finish (parser);
  g_string_append_printf (out, "last-event-id %s\n",
                          mcp_sse_parser_get_last_event_id (parser)
                            ? mcp_sse_parser_get_last_event_id (parser) : "(none)");

  return g_string_free (out, FALSE);
}

/* Splits up to this long are also tried at every pair of cut points. */
#define PAIR_SPLIT_MAX 96

static void
check_stream_sized (const char *input,
                    gsize       len,
                    gsize       max_event_size,
                    const char *expected)
{
  g_autofree char *whole = run_chunks (input, len, max_event_size, NULL, 0);
  g_autofree gsize *bytes = g_new (gsize, len + 1);

  g_assert_cmpstr (whole, ==, expected);

  /* One byte at a time. */
  for (gsize i = 0; i < len; i++)
    bytes[i] = i + 1;
  {
    g_autofree char *got = run_chunks (input, len, max_event_size, bytes, len > 0 ? len - 1 : 0);
    g_assert_cmpstr (got, ==, expected);
  }

  /* Every single cut, including empty first and last chunks. */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autofree char *got = run_chunks (input, len, max_event_size, &cut, 1);

      if (g_strcmp0 (got, expected) != 0)
        g_test_message ("cut at %" G_GSIZE_FORMAT, cut);
      g_assert_cmpstr (got, ==, expected);
    }

  /* Every pair of cuts, for short streams. */
  if (len <= PAIR_SPLIT_MAX)
    {
      for (gsize a = 1; a < len; a++)
        for (gsize b = a; b < len; b++)
          {
            gsize cuts[2] = { a, b };
            g_autofree char *got = run_chunks (input, len, max_event_size, cuts, 2);

            if (g_strcmp0 (got, expected) != 0)
              g_test_message ("cuts at %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT, a, b);
            g_assert_cmpstr (got, ==, expected);
          }
    }
}

static void
check_stream (const char *input,
              const char *expected)
{
  check_stream_sized (input, strlen (input), 0, expected);
}

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

/* Other fields */

static void
test_comments_ignored (void)
{
  check_stream (": keep-alive\n"
                "data: a\n"
                ":\n"
                ": data: not data\n"
                "data: b\n"
                "::\n"
                "\n"
                ": only a comment\n"
                "\n",
                "event message|a\\nb|(none)\n"
                "last-event-id (none)\n");
}

static void
test_field_without_colon (void)
{
  /* "event" alone resets the type to the default; "id" alone sets the id
   * to empty; "retry" alone is not digits; "data" alone adds an empty line. */
  check_stream ("event: custom\n"
                "event\n"
                "data\n"
                "\n"
                "id: 5\n"
                "data: x\n"
                "\n"
                "id\n"
                "retry\n"
                "data: y\n"
                "\n",
                "event message||(none)\n"
                "event message|x|5\n"
                "event message|y|\n"
                "last-event-id \n");
}

static void
test_unknown_fields_ignored (void)
{
  check_stream ("Data: upper\n"
                "data : spaced\n"
                "datum: x\n"
                "foo: bar\n"
                "foo\n"
                "event : spaced\n"
                "data: real\n"
                "\n",
                "event message|real|(none)\n"
                "last-event-id (none)\n");
}

static void
test_event_type_resets_after_dispatch (void)
{
  check_stream ("event: endpoint\n"
                "data: /messages?sessionId=1\n"
                "\n"
                "data: next\n"
                "\n"
                "event: a\n"
                "event: b\n"
                "data: last wins\n"
                "\n"
                "event:\n"
                "data: empty type\n"
                "\n",
                "event endpoint|/messages?sessionId=1|(none)\n"
                "event message|next|(none)\n"
                "event b|last wins|(none)\n"
                "event message|empty type|(none)\n"
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

/* Event IDs */

static void
test_id_persists_across_events (void)
{
  check_stream ("id: 1\n"
                "data: a\n"
                "\n"
                "data: b\n"
                "\n"
                "data: c\n"
                "id: 2\n"
                "\n",
                "event message|a|1\n"
                "event message|b|1\n"
                "event message|c|2\n"
                "last-event-id 2\n");
}

static void
test_id_set_without_event (void)
{
  /* A blank line commits the id even though no event is dispatched. */
  check_stream ("id: 42\n"
                "\n",
                "last-event-id 42\n");
  check_stream ("id: 1\n"
                "data: a\n"
                "\n"
                "id: 2\n"
                "\n"
                "data: b\n"
                "\n",
                "event message|a|1\n"
                "event message|b|2\n"
                "last-event-id 2\n");
}

static void
test_id_with_nul_ignored (void)
{
  static const char input[] = "id: 1\n"
                              "data: a\n"
                              "\n"
                              "id: 2\0x\n"
                              "data: b\n"
                              "\n";

  check_stream_sized (input, sizeof input - 1, 0,
                      "event message|a|1\n"
                      "event message|b|1\n"
                      "last-event-id 1\n");
}

static void
test_id_uncommitted_at_end_is_dropped (void)
{
  check_stream ("id: 1\n"
                "data: a\n"
                "\n"
                "id: 2\n"
                "data: incomplete\n",
                "event message|a|1\n"
                "last-event-id 1\n");
}

static void
test_last_event_id_property (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  g_autofree char *id = NULL;

  g_assert_null (mcp_sse_parser_get_last_event_id (parser));
  g_assert_true (mcp_sse_parser_feed (parser, "id: abc\n\n", 9, NULL));
  g_object_get (parser, "last-event-id", &id, NULL);
  g_assert_cmpstr (id, ==, "abc");
  g_assert_cmpstr (mcp_sse_parser_get_last_event_id (parser), ==, "abc");
}

/* Retry */

static void
test_retry_valid (void)
{
  check_stream ("retry: 3000\n"
                "retry:0\n"
                "retry: 0012\n"
                "data: x\n"
                "\n",
                "retry 3000\n"
                "retry 0\n"
                "retry 12\n"
                "event message|x|(none)\n"
                "last-event-id (none)\n");
}

static void
test_retry_invalid_ignored (void)
{
  check_stream ("retry: -5\n"
                "retry: +5\n"
                "retry: 1.5\n"
                "retry: 10a\n"
                "retry:  5\n"
                "retry: 5 \n"
                "retry:\n"
                "retry\n"
                "retry: \xd9\xa3\n" /* ARABIC-INDIC DIGIT THREE: not ASCII */
                "data: x\n"
                "\n",
                "event message|x|(none)\n"
                "last-event-id (none)\n");
}

static void
test_retry_huge_saturates (void)
{
  check_stream ("retry: 99999999999999999999999\n",
                "retry 9223372036854775807\n"
                "last-event-id (none)\n");
}

static void
test_retry_property (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  gint64 retry = 0;

  g_assert_cmpint (mcp_sse_parser_get_retry (parser), ==, -1);
  g_assert_true (mcp_sse_parser_feed (parser, "retry: x\n", 9, NULL));
  g_assert_cmpint (mcp_sse_parser_get_retry (parser), ==, -1);
  g_assert_true (mcp_sse_parser_feed (parser, "retry: 2500\n", 12, NULL));
  g_object_get (parser, "retry", &retry, NULL);
  g_assert_cmpint (retry, ==, 2500);
  g_assert_cmpint (mcp_sse_parser_get_retry (parser), ==, 2500);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_property_notifications (void)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (0);
  guint id_notifies = 0;
  guint retry_notifies = 0;

  g_signal_connect (parser, "notify::last-event-id", G_CALLBACK (count_notify), &id_notifies);
  g_signal_connect (parser, "notify::retry", G_CALLBACK (count_notify), &retry_notifies);

  g_assert_true (mcp_sse_parser_feed (parser, "id: 1\ndata: a\n\n", 15, NULL));
  g_assert_cmpuint (id_notifies, ==, 1);
  /* Same id again: no change, no notification. */
  g_assert_true (mcp_sse_parser_feed (parser, "id: 1\ndata: b\n\n", 15, NULL));
  g_assert_cmpuint (id_notifies, ==, 1);
  /* Not committed yet. */
  g_assert_true (mcp_sse_parser_feed (parser, "id: 2\n", 6, NULL));
  g_assert_cmpuint (id_notifies, ==, 1);
  g_assert_true (mcp_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_cmpuint (id_notifies, ==, 2);

  g_assert_true (mcp_sse_parser_feed (parser, "retry: 10\n", 10, NULL));
  g_assert_true (mcp_sse_parser_feed (parser, "retry: 10\n", 10, NULL));
  g_assert_cmpuint (retry_notifies, ==, 1);
  g_assert_true (mcp_sse_parser_feed (parser, "retry: 20\n", 10, NULL));
  g_assert_cmpuint (retry_notifies, ==, 2);
}

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

/* Streams as MCP servers send them */

static void
test_mcp_streamable_http_response (void)
{
  check_stream ("id: 0_1\n"
                "data: \n"
                "\n"
                "event: message\n"
                "id: 0_2\n"
                "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                "\"params\":{\"progressToken\":1,\"progress\":1,\"total\":2}}\n"
                "\n"
                "event: message\n"
                "id: 0_3\n"
                "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":"
                "[{\"type\":\"text\",\"text\":\"Echo: h\\u00e9\"}]}}\n"
                "\n",
                "event message||0_1\n"
                "event message|{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                "\"params\":{\"progressToken\":1,\"progress\":1,\"total\":2}}|0_2\n"
                "event message|{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":"
                "[{\"type\":\"text\",\"text\":\"Echo: h\\\\u00e9\"}]}}|0_3\n"
                "last-event-id 0_3\n");
}

static void
test_mcp_legacy_sse_endpoint (void)
{
  check_stream (": ping\r\n"
                "event: endpoint\r\n"
                "data: /messages/?session_id=4f1c\r\n"
                "\r\n"
                ": ping - 2025-01-01 00:00:00\r\n"
                "\r\n"
                "event: message\r\n"
                "data: {\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}\r\n"
                "\r\n",
                "event endpoint|/messages/?session_id=4f1c|(none)\n"
                "event message|{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}|(none)\n"
                "last-event-id (none)\n");
}

static void
test_large_event_in_many_chunks (void)
{
  GString *stream = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *got_64k = NULL;
  g_autofree char *got_odd = NULL;
  g_autofree gsize *cuts = NULL;
  guint n_cuts = 0;

  /* A 1 MiB JSON line and a second line, CRLF, between small events. */
  g_string_append (payload, "{\"result\":\"");
  while (payload->len < 1024 * 1024)
    g_string_append (payload, "0123456789abcdefghijklmnopqrstuvwxyz");
  g_string_append (payload, "\"}");

  g_string_append (stream, "data: small\n\n");
  g_string_append_printf (stream, "id: big\r\ndata: %s\r\ndata: tail\r\n\r\n", payload->str);
  g_string_append (stream, "data: small\n\n");

  g_string_append (expected, "event message|small|(none)\n");
  g_string_append_printf (expected, "event message|%s\\ntail|big\n", payload->str);
  g_string_append (expected, "event message|small|big\n");
  g_string_append (expected, "last-event-id big\n");

  /* 64 KiB chunks, as a socket delivers them. */
  cuts = g_new (gsize, stream->len / 1000 + 2);
  for (gsize at = 65536; at < stream->len; at += 65536)
    cuts[n_cuts++] = at;
  got_64k = run_chunks (stream->str, stream->len, 0, cuts, n_cuts);
  g_assert_cmpstr (got_64k, ==, expected->str);

  /* Odd, growing chunk sizes. */
  n_cuts = 0;
  for (guint32 state = 1, at = 0; n_cuts < stream->len / 1000 + 1; )
    {
      state = state * 1103515245u + 12345u;
      at += 1 + (state >> 16) % 9973;
      if (at >= stream->len)
        break;
      cuts[n_cuts++] = at;
    }
  got_odd = run_chunks (stream->str, stream->len, 0, cuts, n_cuts);
  g_assert_cmpstr (got_odd, ==, expected->str);

  g_string_free (stream, TRUE);
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
  g_test_add_func ("/mcp/sse-parser/comments-ignored", test_comments_ignored);
  g_test_add_func ("/mcp/sse-parser/field-without-colon", test_field_without_colon);
  g_test_add_func ("/mcp/sse-parser/unknown-fields-ignored", test_unknown_fields_ignored);
  g_test_add_func ("/mcp/sse-parser/event-type-resets-after-dispatch",
                   test_event_type_resets_after_dispatch);
  g_test_add_func ("/mcp/sse-parser/bom-stripped-once", test_bom_stripped_once);
  g_test_add_func ("/mcp/sse-parser/bom-only-at-stream-start", test_bom_only_at_stream_start);
  g_test_add_func ("/mcp/sse-parser/bom-split-across-chunks", test_bom_split_across_chunks);
  g_test_add_func ("/mcp/sse-parser/partial-bom-is-text", test_partial_bom_is_text);
  g_test_add_func ("/mcp/sse-parser/bom-again-after-reset", test_bom_again_after_reset);
  g_test_add_func ("/mcp/sse-parser/id-persists-across-events", test_id_persists_across_events);
  g_test_add_func ("/mcp/sse-parser/id-set-without-event", test_id_set_without_event);
  g_test_add_func ("/mcp/sse-parser/id-with-nul-ignored", test_id_with_nul_ignored);
  g_test_add_func ("/mcp/sse-parser/id-uncommitted-at-end-is-dropped",
                   test_id_uncommitted_at_end_is_dropped);
  g_test_add_func ("/mcp/sse-parser/last-event-id-property", test_last_event_id_property);
  g_test_add_func ("/mcp/sse-parser/retry-valid", test_retry_valid);
  g_test_add_func ("/mcp/sse-parser/retry-invalid-ignored", test_retry_invalid_ignored);
  g_test_add_func ("/mcp/sse-parser/retry-huge-saturates", test_retry_huge_saturates);
  g_test_add_func ("/mcp/sse-parser/retry-property", test_retry_property);
  g_test_add_func ("/mcp/sse-parser/property-notifications", test_property_notifications);
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
  g_test_add_func ("/mcp/sse-parser/finish-discards-incomplete-event",
                   test_finish_discards_incomplete_event);
  g_test_add_func ("/mcp/sse-parser/finish-then-new-stream", test_finish_then_new_stream);
  g_test_add_func ("/mcp/sse-parser/reset-keeps-last-event-id", test_reset_keeps_last_event_id);
  g_test_add_func ("/mcp/sse-parser/handler-may-reset", test_handler_may_reset);
  g_test_add_func ("/mcp/sse-parser/event-outlives-parser", test_event_outlives_parser);
  g_test_add_func ("/mcp/sse-parser/mcp-streamable-http-response",
                   test_mcp_streamable_http_response);
  g_test_add_func ("/mcp/sse-parser/mcp-legacy-sse-endpoint", test_mcp_legacy_sse_endpoint);
  g_test_add_func ("/mcp/sse-parser/large-event-in-many-chunks", test_large_event_in_many_chunks);
  g_test_add_func ("/mcp/sse-parser/kept-events-survive-later-events",
                   test_kept_events_survive_later_events);

  return g_test_run ();
}
