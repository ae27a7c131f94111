/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser: comments, unknown fields, event types, event IDs and retry. */

#include <string.h>

#include "mcp-sse-parser.h"

#include "sse-parser-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/sse-parser/comments-ignored", test_comments_ignored);
  g_test_add_func ("/mcp/sse-parser/field-without-colon", test_field_without_colon);
  g_test_add_func ("/mcp/sse-parser/unknown-fields-ignored", test_unknown_fields_ignored);
  g_test_add_func ("/mcp/sse-parser/event-type-resets-after-dispatch",
                   test_event_type_resets_after_dispatch);
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

  return g_test_run ();
}
