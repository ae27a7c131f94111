/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-ui.h"
#include "tether-json-printer.h"
#include "tether-result-view-private.h"

typedef struct
{
  GtkWindow        *window;
  TetherResultView *view;
  GPtrArray        *opened;    /* URIs from open-resource */
} Fixture;

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
open_resource_cb (TetherResultView *view,
                  const char       *uri,
                  Fixture          *fixture)
{
  g_ptr_array_add (fixture->opened, g_strdup (uri));
}

static void
iterate (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  g_error ("Timed out waiting for the result view to finish loading");
  return G_SOURCE_REMOVE;
}

static void
wait_until_loaded (Fixture *fixture)
{
  guint timeout = g_timeout_add_seconds (120, timed_out_cb, NULL);

  while (tether_result_view_get_loading (fixture->view))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  /* One more frame, so that what was loaded is also laid out. */
  iterate (30);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 760, 900);
  fixture->view = TETHER_RESULT_VIEW (tether_result_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  fixture->opened = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->view, "open-resource", G_CALLBACK (open_resource_cb), fixture);
  gtk_window_present (fixture->window);
  iterate (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_ptr_array_unref (fixture->opened);
}

static void
show_result (Fixture    *fixture,
             const char *result_json,
             const char *schema_json)
{
  g_autoptr(JsonNode) result = parse (result_json);
  g_autoptr(JsonNode) schema = schema_json != NULL ? parse (schema_json) : NULL;

  tether_result_view_set_result (fixture->view, json_node_get_object (result), 35200, 1234,
                                 schema != NULL ? json_node_get_object (schema) : NULL);
  g_assert_true (tether_result_view_get_loading (fixture->view));
  wait_until_loaded (fixture);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RESULT);
}

static void
collect_of_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_of_type (child, type, found);
}

static GPtrArray *
content_widgets (Fixture *fixture,
                 GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_of_type (tether_result_view_get_content_box (fixture->view), type, found);
  return found;
}

static GtkWidget *
only_content_widget (Fixture *fixture,
                     GType    type)
{
  g_autoptr(GPtrArray) found = content_widgets (fixture, type);

  if (found->len != 1)
    g_error ("%u %s in the content, expected one", found->len, g_type_name (type));
  return g_ptr_array_index (found, 0);
}

static gboolean
content_has_label (Fixture    *fixture,
                   const char *needle)
{
  g_autoptr(GPtrArray) labels = content_widgets (fixture, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), needle) != NULL)
      return TRUE;
  for (guint i = 0; i < labels->len; i++)
    g_test_message ("label: %s", gtk_label_get_text (g_ptr_array_index (labels, i)));
  return FALSE;
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
pretty (const char *json,
        gsize       max_string_bytes)
{
  g_autoptr(JsonNode) node = parse (json);
  GString *out = g_string_new (NULL);

  tether_json_printer_append_pretty (out, node, max_string_bytes, NULL);
  return g_string_free (out, FALSE);
}

static gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label);

  return mismatch == NULL;
}

static GtkWidget *
find_by_accessible_label (GtkWidget  *widget,
                          const char *label)
{
  if (!GTK_IS_LABEL (widget) && has_accessible_label (widget, label))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_accessible_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

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

/* ---- The view ---------------------------------------------------------------------------- */

static void
test_text_item (Fixture       *fixture,
                gconstpointer  data)
{
  show_result (fixture,
               "{\"content\": [{\"type\": \"text\", \"text\": \"Hello,\\nworld\"}]}", NULL);

  g_assert_cmpstr (tether_result_view_get_verdict_text (fixture->view), ==, "Success");
  g_assert_true (content_has_label (fixture, "Hello,\nworld"));
  /* Selectable, so a person can copy a part. */
  {
    g_autoptr(GPtrArray) labels = content_widgets (fixture, GTK_TYPE_LABEL);
    gboolean selectable = FALSE;

    for (guint i = 0; i < labels->len; i++)
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "Hello,\nworld") == 0)
        selectable = gtk_label_get_selectable (g_ptr_array_index (labels, i));
    g_assert_true (selectable);
  }
  g_assert_null (tether_result_view_get_structured_verdict_text (fixture->view));
}

static void
test_json_text_item_is_highlighted (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char *text = "{\"city\": \"Oslo\", \"forecast\": [{\"day\": \"Mon\", \"high\": 12.5,"
                     " \"low\": 4}, {\"day\": \"Tue\", \"high\": 1e20, \"low\": -3}]}";
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *result = NULL;
  g_autofree char *expected = pretty (text, TETHER_RESULT_VIEW_MAX_STRING_BYTES);
  g_autofree char *shown = NULL;
  TetherCodeView *code;
  GtkSourceLanguage *language;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  result = json_generator_to_data (generator, NULL);

  show_result (fixture, result, NULL);

  code = TETHER_CODE_VIEW (only_content_widget (fixture, TETHER_TYPE_CODE_VIEW));
  language = gtk_source_buffer_get_language (tether_code_view_get_buffer (code));
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "json");
  g_assert_true (tether_code_view_get_highlighted (code));
  g_assert_true (gtk_source_buffer_get_highlight_syntax (tether_code_view_get_buffer (code)));
  shown = buffer_text (GTK_TEXT_BUFFER (tether_code_view_get_buffer (code)));
  g_assert_cmpstr (shown, ==, expected);
  /* Pretty: spread over lines, numbers as they were. */
  g_assert_true (strchr (shown, '\n') != NULL);
  g_assert_true (strstr (shown, "1e+20") != NULL);
  g_assert_true (content_has_label (fixture, "Text (JSON)"));
}

static char *
small_png_base64 (int width,
                  int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autofree char *png = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;

  /* A diagonal gradient, so the picture is visible in screenshots. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4;

        p[0] = 53 + x * 150 / width;
        p[1] = 132;
        p[2] = 228 - y * 120 / height;
        p[3] = 255;
      }
  gdk_pixbuf_save_to_buffer (pixbuf, &png, &size, "png", &error, NULL);
  g_assert_no_error (error);
  return g_base64_encode ((const guchar *) png, size);
}

static void
test_image_item (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *png = small_png_base64 (24, 16);
  g_autofree char *result =
    g_strdup_printf ("{\"content\": [{\"type\": \"image\", \"mimeType\": \"image/png\","
                     " \"data\": \"%s\"}, {\"type\": \"image\", \"mimeType\": \"image/png\","
                     " \"data\": \"bm90IGFuIGltYWdl\"}]}", png);
  GtkWidget *picture;
  GdkPaintable *paintable;

  show_result (fixture, result, NULL);

  picture = only_content_widget (fixture, GTK_TYPE_PICTURE);
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 24);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, 16);
  g_assert_true (content_has_label (fixture, "image/png · 24 × 16"));
  /* The second is not an image: a message, not a crash. */
  g_assert_true (content_has_label (fixture, "The image could not be decoded"));
}

static void
test_large_image_is_scaled_down (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *png = small_png_base64 (1600, 1200);
  g_autofree char *result =
    g_strdup_printf ("{\"content\": [{\"type\": \"image\", \"mimeType\": \"image/png\","
                     " \"data\": \"%s\"}]}", png);
  GdkPaintable *paintable;

  show_result (fixture, result, NULL);

  paintable = gtk_picture_get_paintable (GTK_PICTURE (only_content_widget (fixture,
                                                                           GTK_TYPE_PICTURE)));
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==,
                   TETHER_RESULT_VIEW_PICTURE_MAX_HEIGHT);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 480);
  /* The caption tells the real size. */
  g_assert_true (content_has_label (fixture, "1600 × 1200"));
}

static GBytes *
small_wav (void)
{
  const guint rate = 8000, samples = 800;
  GByteArray *wav = g_byte_array_new ();
  guint32 u32;
  guint16 u16;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u16, 2))
  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  PUT32 (36 + samples);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  PUT32 (16); PUT16 (1); PUT16 (1); PUT32 (rate); PUT32 (rate); PUT16 (1); PUT16 (8);
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  PUT32 (samples);
  for (guint i = 0; i < samples; i++)
    {
      guint8 sample = (i / 10) % 2 ? 160 : 96;

      g_byte_array_append (wav, &sample, 1);
    }
#undef PUT32
#undef PUT16
  return g_byte_array_free_to_bytes (wav);
}

static void
test_audio_item (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) wav = small_wav ();
  g_autofree char *encoded = g_base64_encode (g_bytes_get_data (wav, NULL),
                                              g_bytes_get_size (wav));
  g_autofree char *result =
    g_strdup_printf ("{\"content\": [{\"type\": \"audio\", \"mimeType\": \"audio/wav\","
                     " \"data\": \"%s\"}]}", encoded);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  gsize length = 0;
  GtkWidget *controls;
  GtkMediaStream *stream;

  show_result (fixture, result, NULL);

  controls = only_content_widget (fixture, GTK_TYPE_MEDIA_CONTROLS);
  g_assert_true (has_accessible_label (controls, "Audio Player 1"));
  stream = gtk_media_controls_get_media_stream (GTK_MEDIA_CONTROLS (controls));
  g_assert_true (GTK_IS_MEDIA_FILE (stream));
  file = g_object_ref (gtk_media_file_get_file (GTK_MEDIA_FILE (stream)));
  g_assert_nonnull (file);
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav));

  /* The temporary file goes with the result. */
  tether_result_view_clear (fixture->view);
  g_assert_false (g_file_query_exists (file, NULL));
}

static void
test_resource_link_opens (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *button;

  show_result (fixture,
               "{\"content\": [{\"type\": \"resource_link\", \"uri\": \"file:///tmp/report.pdf\","
               " \"name\": \"report.pdf\", \"title\": \"Quarterly <Report>\","
               " \"description\": \"The numbers\", \"mimeType\": \"application/pdf\","
               " \"size\": 20480}]}", NULL);

  button = find_by_accessible_label (tether_result_view_get_content_box (fixture->view),
                                     "Open Quarterly <Report>");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->opened, 0), ==, "file:///tmp/report.pdf");
  g_assert_true (content_has_label (fixture, "application/pdf · 20.5\u00a0kB"));
}

static void
test_embedded_and_unknown_items (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *first = NULL;

  show_result (fixture,
               "{\"content\": ["
               " {\"type\": \"resource\", \"resource\": {\"uri\": \"mem://config\","
               "  \"mimeType\": \"application/json\", \"text\": \"{\\\"debug\\\": true}\"}},"
               " {\"type\": \"resource\", \"resource\": {\"uri\": \"mem://blob\","
               "  \"mimeType\": \"application/octet-stream\", \"blob\": \"AAECAwQFBgc=\"}},"
               " {\"type\": \"hologram\", \"beam\": 3}]}", NULL);

  views = content_widgets (fixture, TETHER_TYPE_CODE_VIEW);
  g_assert_cmpuint (views->len, ==, 2);
  first = buffer_text (GTK_TEXT_BUFFER (tether_code_view_get_buffer (g_ptr_array_index (views,
                                                                                      0))));
  g_assert_cmpstr (first, ==, "{\"debug\": true}");
  g_assert_true (content_has_label (fixture, "mem://config · application/json"));
  g_assert_true (content_has_label (fixture, "Binary data, 8 bytes"));
  g_assert_true (content_has_label (fixture, "Unknown content type “hologram”"));
}

static void
test_tool_error_verdict (Fixture       *fixture,
                         gconstpointer  data)
{
  show_result (fixture,
               "{\"isError\": true, \"content\": [{\"type\": \"text\", \"text\": \"boom\"}]}",
               "{\"type\": \"object\", \"required\": [\"x\"]}");

  g_assert_cmpstr (tether_result_view_get_verdict_text (fixture->view), ==, "Tool error");
  /* An error result is not held to the output schema. */
  g_assert_null (tether_result_view_get_structured_verdict_text (fixture->view));
  g_assert_true (content_has_label (fixture, "boom"));

  show_result (fixture, "{\"content\": []}", NULL);
  g_assert_cmpstr (tether_result_view_get_verdict_text (fixture->view), ==, "Success");
  g_assert_true (content_has_label (fixture, "The result has no content."));
}

static void
test_structured_content (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *schema =
    "{\"type\": \"object\", \"properties\": {\"temperature\": {\"type\": \"number\"},"
    " \"conditions\": {\"type\": \"string\"}}, \"required\": [\"temperature\"]}";
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *shown = NULL;

  show_result (fixture,
               "{\"content\": [{\"type\": \"text\", \"text\": \"{\\\"temperature\\\": 22.5}\"}],"
               " \"structuredContent\": {\"temperature\": 22.5, \"conditions\": \"Sunny\"}}",
               schema);
  g_assert_cmpstr (tether_result_view_get_structured_verdict_text (fixture->view), ==,
                   "Structured content matches the output schema");
  views = content_widgets (fixture, TETHER_TYPE_CODE_VIEW);
  g_assert_cmpuint (views->len, ==, 2);
  shown = buffer_text (GTK_TEXT_BUFFER (tether_code_view_get_buffer (g_ptr_array_index (views,
                                                                                      1))));
  g_assert_cmpstr (shown, ==, "{\"temperature\": 22.5, \"conditions\": \"Sunny\"}");

  show_result (fixture,
               "{\"content\": [], \"structuredContent\": {\"temperature\": \"hot\"}}", schema);
  g_assert_cmpstr (tether_result_view_get_structured_verdict_text (fixture->view), ==,
                   "Structured content does not match the output schema: $.temperature: "
                   "expected a number, got a string (\"hot\")");

  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"22.5\"}]}", schema);
  g_assert_true (g_str_has_prefix (tether_result_view_get_structured_verdict_text (fixture->view),
                                   "Missing structuredContent"));

  /* Without an output schema there is nothing to check, but the content is shown. */
  show_result (fixture, "{\"content\": [], \"structuredContent\": {\"a\": 1}}", NULL);
  g_assert_null (tether_result_view_get_structured_verdict_text (fixture->view));
  g_assert_true (content_has_label (fixture, "Structured content"));

  /* A broken schema is the server's problem, said as such. */
  show_result (fixture, "{\"content\": [], \"structuredContent\": {\"a\": 1}}",
               "{\"$ref\": \"#/$defs/nowhere\"}");
  g_assert_true (g_str_has_prefix (tether_result_view_get_structured_verdict_text (fixture->view),
                                   "Structured content could not be checked"));
}

static void
test_protocol_error (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                 "MCP error -32602: Unknown tool “nope”");
  GtkWidget *label;

  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"old\"}]}", NULL);
  tether_result_view_set_error (fixture->view, error);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_ERROR);
  g_assert_false (tether_result_view_get_loading (fixture->view));
  label = find_label (GTK_WIDGET (fixture->view), "MCP error -32602: Unknown tool “nope”");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  /* The old result is gone, not hidden. */
  g_assert_false (content_has_label (fixture, "old"));
  iterate (50);
  g_assert_false (gtk_widget_get_mapped (tether_result_view_get_content_box (fixture->view)));
}

static void
test_running_progress (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *progress = find_by_accessible_label (GTK_WIDGET (fixture->view), "Progress");

  g_assert_true (GTK_IS_PROGRESS_BAR (progress));
  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"before\"}]}", NULL);

  tether_result_view_set_running (fixture->view, TRUE, -1, NULL);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RUNNING);
  g_assert_false (gtk_widget_get_visible (progress));

  tether_result_view_set_running (fixture->view, TRUE, 0.25, "Fetching page 1 of 4");
  iterate (20);
  g_assert_true (gtk_widget_get_mapped (progress));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)), ==, 0.25);

  /* Stopping without a result goes back to what was there. */
  tether_result_view_set_running (fixture->view, FALSE, -1, NULL);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RESULT);
  g_assert_true (content_has_label (fixture, "before"));

  tether_result_view_set_running (fixture->view, TRUE, 0.5, NULL);
  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"after\"}]}", NULL);
  g_assert_true (content_has_label (fixture, "after"));
}

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

/* ---- Screenshots ------------------------------------------------------------------------- */

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *png = small_png_base64 (240, 120);
  g_autofree char *result =
    g_strdup_printf (
      "{\"content\": ["
      " {\"type\": \"text\", \"text\": \"Forecast for Oslo: mostly sunny, 22.5 °C.\"},"
      " {\"type\": \"image\", \"mimeType\": \"image/png\", \"data\": \"%s\"},"
      " {\"type\": \"text\", \"text\": \"{\\\"city\\\": \\\"Oslo\\\", \\\"days\\\": [{\\\"day\\\":"
      " \\\"Mon\\\", \\\"high\\\": 22.5, \\\"low\\\": 14, \\\"conditions\\\": \\\"Sunny with a"
      " light breeze from the west\\\"}, {\\\"day\\\": \\\"Tue\\\", \\\"high\\\": 19,"
      " \\\"low\\\": 12, \\\"conditions\\\": \\\"Rain\\\"}]}\"},"
      " {\"type\": \"resource_link\", \"uri\": \"https://example.com/oslo/radar.png\","
      "  \"name\": \"radar.png\", \"title\": \"Radar Image\", \"mimeType\": \"image/png\","
      "  \"description\": \"Precipitation radar, updated every 5 minutes\"}],"
      " \"structuredContent\": {\"city\": \"Oslo\", \"temperature\": 22.5,"
      " \"conditions\": \"Sunny\"}}", png);
  const char *schema =
    "{\"type\": \"object\", \"properties\": {\"temperature\": {\"type\": \"number\"}},"
    " \"required\": [\"temperature\"]}";
  const char *schemes[] = { "light", "dark" };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *content_name = g_strdup_printf ("result-view-content-%s.png", schemes[i]);
      g_autofree char *json_name = g_strdup_printf ("result-view-json-%s.png", schemes[i]);

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                 : ADW_COLOR_SCHEME_FORCE_DARK);
      tether_result_view_set_visible_page (fixture->view, "content");
      show_result (fixture, result, schema);
      iterate (300);
      test_ui_save_screenshot (fixture->window, content_name, 0);

      tether_result_view_set_visible_page (fixture->view, "json");
      wait_until_loaded (fixture);
      iterate (300);
      test_ui_save_screenshot (fixture->window, json_name, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Transitions end at once, so what a test sees does not depend on how fast it runs. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_source_init ();

  g_test_add_func ("/result-view/printer/numbers-read-back", test_printer_numbers);
  g_test_add_func ("/result-view/printer/layout-and-shortening", test_printer_layout);
  g_test_add_func ("/result-view/printer/depth-guard", test_printer_depth_guard);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/result-view/text-item-is-selectable-text", test_text_item);
  ADD ("/result-view/json-text-item-is-highlighted", test_json_text_item_is_highlighted);
  ADD ("/result-view/image-item-becomes-a-texture", test_image_item);
  ADD ("/result-view/large-image-is-scaled-down", test_large_image_is_scaled_down);
  ADD ("/result-view/audio-item-gets-a-media-stream", test_audio_item);
  ADD ("/result-view/resource-link-emits-open-resource", test_resource_link_opens);
  ADD ("/result-view/embedded-and-unknown-items", test_embedded_and_unknown_items);
  ADD ("/result-view/tool-error-verdict", test_tool_error_verdict);
  ADD ("/result-view/structured-content-against-output-schema", test_structured_content);
  ADD ("/result-view/protocol-error-in-place", test_protocol_error);
  ADD ("/result-view/running-shows-progress", test_running_progress);
  ADD ("/result-view/json-page-and-copy", test_json_page_and_copy);
  ADD ("/result-view/ten-megabytes-without-blocking", test_ten_megabytes_without_blocking);
  ADD ("/result-view/screenshots", test_screenshots);

#undef ADD

  return g_test_run ();
}
