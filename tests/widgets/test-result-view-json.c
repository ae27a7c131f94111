/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherResultView (src/app/tether-result-view*.c) with real widgets: the JSON of a
 * result, as TetherJsonPrinter lays it out, on the JSON page and on the clipboard, and a
 * large result loaded without blocking the main loop.
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <string.h>

#include "result-view-test-util.h"
#include "tether-json-printer.h"

/* ---- The printer ------------------------------------------------------------------------- */

static void
test_printer_numbers (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *printed = NULL;

  /* JsonGenerator writes 1e20 as "1e+20.0", which no parser accepts. */
  tether_json_printer_append_double (out, 1e20);
  g_assert_cmpstr (out->str, ==, "1e+20");
  g_string_truncate (out, 0);
  tether_json_printer_append_double (out, 2.0);
  g_assert_cmpstr (out->str, ==, "2.0");
  g_string_truncate (out, 0);
  tether_json_printer_append_double (out, 0.1);
  g_assert_cmpstr (out->str, ==, "0.1");
  g_string_truncate (out, 0);
  tether_json_printer_append_double (out, 1.0 / 3.0);
  g_assert_cmpfloat (g_ascii_strtod (out->str, NULL), ==, 1.0 / 3.0);
  g_string_truncate (out, 0);
  tether_json_printer_append_double (out, INFINITY);
  g_assert_cmpstr (out->str, ==, "null");

  printed = pretty ("[1e20, -0.5, 9007199254740993, 3]", 0);
  g_assert_cmpstr (printed, ==, "[1e+20, -0.5, 9007199254740993, 3]");
}

static void
test_printer_layout (void)
{
  g_autofree char *small = pretty ("{\"b\":1,\"a\":[true,null],\"c\":{}}", 0);
  g_autofree char *large = NULL;
  g_autofree char *escaped = pretty ("\"tab\\there \\\"quoted\\\" \\u0001 é\"", 0);
  g_autofree char *shortened = NULL;
  g_autofree char *long_string = g_strnfill (10000, 'x');
  g_autofree char *long_json = g_strdup_printf ("{\"data\": \"%s\"}", long_string);
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GString) compact = g_string_new (NULL);
  gboolean was_shortened = FALSE;

  /* Members keep their order; what fits on a line stays on one. */
  g_assert_cmpstr (small, ==, "{\"b\": 1, \"a\": [true, null], \"c\": {}}");

  large = pretty ("{\"name\": \"a fairly long name for a tool result\","
                  " \"values\": [1, 2, 3], \"nested\": {\"deeper\": {\"k\": \"a long value "
                  "that does not fit on the line with the rest of it\"}}}", 0);
  g_assert_cmpstr (large, ==,
                   "{\n"
                   "  \"name\": \"a fairly long name for a tool result\",\n"
                   "  \"values\": [1, 2, 3],\n"
                   "  \"nested\": {\n"
                   "    \"deeper\": {\n"
                   "      \"k\": \"a long value that does not fit on the line with the rest of "
                   "it\"\n"
                   "    }\n"
                   "  }\n"
                   "}");
  reparsed = parse (large);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reparsed));

  g_assert_cmpstr (escaped, ==, "\"tab\\there \\\"quoted\\\" \\u0001 é\"");

  /* Long strings are cut on screen, and say by how much. */
  {
    g_autoptr(JsonNode) node = parse (long_json);
    GString *out = g_string_new (NULL);

    tether_json_printer_append_pretty (out, node, 100, &was_shortened);
    shortened = g_string_free (out, FALSE);
  }
  g_assert_true (was_shortened);
  g_assert_true (strstr (shortened, "xxx… [9.9\u00a0kB more]\"") != NULL);
  g_assert_cmpuint (strlen (shortened), <, 200);

  {
    g_autoptr(JsonNode) node = parse ("{\"a\": [1, {\"b\": 2.5}]}");

    tether_json_printer_append_compact (compact, node);
  }
  g_assert_cmpstr (compact->str, ==, "{\"a\":[1,{\"b\":2.5}]}");
}

static void
test_printer_depth_guard (void)
{
  g_autofree char *deep = g_strnfill (300, '[');

  g_assert_true (tether_json_printer_looks_like_container ("  {\"a\": [1, \"]]]\"]}", 20, 4));
  g_assert_false (tether_json_printer_looks_like_container ("42", 2, 4));
  g_assert_false (tether_json_printer_looks_like_container ("{\"a\": 1", 7, 4));
  /* Deeper than allowed: never handed to json-glib's recursive parser. */
  g_assert_false (tether_json_printer_looks_like_container (deep, 300, 256));
}

/* ---- The JSON page ----------------------------------------------------------------------- */

static void
clipboard_text_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_json_page_and_copy (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *long_string = g_strnfill (20000, 'y');
  g_autofree char *result =
    g_strdup_printf ("{\"content\": [{\"type\": \"text\", \"text\": \"%s\"}], \"n\": 1e20}",
                     long_string);
  g_autofree char *expected_full = pretty (result, 0);
  g_autofree char *expected_shown = pretty (result, TETHER_RESULT_VIEW_MAX_STRING_BYTES);
  g_autofree char *shown = NULL;
  g_autofree char *copied = NULL;
  TetherCodeView *json_view = tether_result_view_get_json_view (fixture->view);
  GtkWidget *copy = find_by_accessible_label (GTK_WIDGET (fixture->view), "Copy Result");
  GtkSourceStyleScheme *scheme;

  g_assert_true (GTK_IS_BUTTON (copy));
  show_result (fixture, result, NULL);

  /* The JSON page is filled when it is first shown. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (
                     tether_code_view_get_buffer (json_view))), ==, 0);
  tether_result_view_set_visible_page (fixture->view, "json");
  wait_until_loaded (fixture);
  shown = buffer_text (GTK_TEXT_BUFFER (tether_code_view_get_buffer (json_view)));
  g_assert_cmpstr (shown, ==, expected_shown);
  g_assert_true (gtk_source_view_get_show_line_numbers (
                   tether_code_view_get_source_view (json_view)));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (
                    tether_code_view_get_source_view (json_view))));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (
                     tether_code_view_get_buffer (json_view))), ==, "json");

  /* Copy copies the whole result, long string and all. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "result-view.copy",
                                             NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (fixture->view)), NULL,
                                 clipboard_text_cb, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, expected_full);

  /* The style scheme follows the dark style. */
  scheme = gtk_source_buffer_get_style_scheme (tether_code_view_get_buffer (json_view));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  scheme = gtk_source_buffer_get_style_scheme (tether_code_view_get_buffer (json_view));
  g_assert_cmpstr (gtk_source_style_scheme_get_id (scheme), ==, "Adwaita-dark");
}

static gboolean
count_tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

/* About 10 MB of JSON (TETHER_TEST_LARGE_RESULT_MB: the sanitized build, where every malloc
 * records a full stack, asks for less): structured records and the same records as text, as
 * tools that follow the spec's advice to mirror structuredContent in a text item send them. */
static JsonObject *
ten_megabyte_result (void)
{
  const char *megabytes = g_getenv ("TETHER_TEST_LARGE_RESULT_MB");
  guint n_records = (megabytes != NULL ? g_ascii_strtod (megabytes, NULL) : 10.0) * 1e6 / 292;
  JsonObject *result = json_object_new ();
  JsonArray *content = json_array_new ();
  JsonObject *text_item = json_object_new ();
  JsonObject *structured = json_object_new ();
  JsonArray *records = json_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) records_node = NULL;

  for (guint i = 0; i < n_records; i++)
    {
      JsonObject *record = json_object_new ();
      g_autofree char *name = g_strdup_printf ("Record number %u with a readable name", i);

      json_object_set_int_member (record, "id", i);
      json_object_set_string_member (record, "name", name);
      json_object_set_double_member (record, "score", i * 0.25);
      json_object_set_boolean_member (record, "active", i % 2 == 0);
      json_object_set_string_member (record, "note", "Some words that make a record longer.");
      json_array_add_object_element (records, record);
    }
  json_object_set_array_member (structured, "records", records);
  records_node = json_node_init_object (json_node_alloc (), structured);
  tether_json_printer_append_compact (text, records_node);

  json_object_set_string_member (text_item, "type", "text");
  json_object_set_string_member (text_item, "text", text->str);
  json_array_add_object_element (content, text_item);
  json_object_set_array_member (result, "content", content);
  json_object_set_object_member (result, "structuredContent", structured);
  return result;
}

static void
test_ten_megabytes_without_blocking (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) result = ten_megabyte_result ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), result);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) compact = g_string_new (NULL);
  TetherCodeView *json_view = tether_result_view_get_json_view (fixture->view);
  g_autoptr(GPtrArray) views = NULL;
  guint ticks = 0;
  guint tick_source;
  gint64 start;

  tether_json_printer_append_compact (compact, node);
  if (g_getenv ("TETHER_TEST_LARGE_RESULT_MB") == NULL)
    g_assert_cmpuint (compact->len, >, 9 * 1000 * 1000);
  tether_json_printer_append_pretty (expected, node, TETHER_RESULT_VIEW_MAX_STRING_BYTES, NULL);

  tether_result_view_set_visible_page (fixture->view, "json");
  tick_source = g_timeout_add_full (G_PRIORITY_HIGH, 10, count_tick_cb, &ticks, NULL);
  start = g_get_monotonic_time ();
  tether_result_view_set_result (fixture->view, result, 2 * G_USEC_PER_SEC, compact->len,
                                 NULL);
  /* set_result() itself returns at once: the ticks can only come from the main loop. */
  g_assert_cmpuint (ticks, ==, 0);
  wait_until_loaded (fixture);
  g_source_remove (tick_source);

  g_test_message ("%.1f MB result loaded in %.1f s with %u timer ticks", compact->len / 1e6,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, ticks);
  g_assert_cmpint (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (
                     tether_code_view_get_buffer (json_view))), ==,
                   g_utf8_strlen (expected->str, expected->len));
  /* The main loop went on all along: many timer ticks came while the text streamed in. */
  g_assert_cmpuint (ticks, >=, 20);

  /* The content page got its views too, fully loaded. */
  views = content_widgets (fixture, TETHER_TYPE_CODE_VIEW);
  g_assert_cmpuint (views->len, ==, 2);
  for (guint i = 0; i < views->len; i++)
    {
      TetherCodeView *view = g_ptr_array_index (views, i);
      GBytes *text = tether_code_view_get_text (view);

      g_assert_false (tether_code_view_get_loading (view));
      g_assert_cmpint (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (
                         tether_code_view_get_buffer (view))), ==,
                       g_utf8_strlen (g_bytes_get_data (text, NULL), g_bytes_get_size (text)));
    }
}

int
main (int   argc,
      char *argv[])
{
  result_view_test_init (&argc, &argv);

  g_test_add_func ("/result-view/printer/numbers-read-back", test_printer_numbers);
  g_test_add_func ("/result-view/printer/layout-and-shortening", test_printer_layout);
  g_test_add_func ("/result-view/printer/depth-guard", test_printer_depth_guard);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/result-view/json-page-and-copy", test_json_page_and_copy);
  ADD ("/result-view/ten-megabytes-without-blocking", test_ten_megabytes_without_blocking);

#undef ADD

  return g_test_run ();
}
