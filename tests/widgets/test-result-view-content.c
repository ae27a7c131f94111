/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherResultView (src/app/tether-result-view*.c) with real widgets: the content
 * page, one kind of content item at a time (text, JSON text, images, audio, links, embedded
 * resources, unknown types), and screenshots of the whole view in the light and dark styles.
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <string.h>

#include "result-view-test-util.h"
#include "test-ui.h"

static GtkWidget *
only_content_widget (Fixture *fixture,
                     GType    type)
{
  g_autoptr(GPtrArray) found = content_widgets (fixture, type);

  if (found->len != 1)
    g_error ("%u %s in the content, expected one", found->len, g_type_name (type));
  return g_ptr_array_index (found, 0);
}

/* ---- Content items ----------------------------------------------------------------------- */

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
  result_view_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/result-view/text-item-is-selectable-text", test_text_item);
  ADD ("/result-view/json-text-item-is-highlighted", test_json_text_item_is_highlighted);
  ADD ("/result-view/image-item-becomes-a-texture", test_image_item);
  ADD ("/result-view/large-image-is-scaled-down", test_large_image_is_scaled_down);
  ADD ("/result-view/audio-item-gets-a-media-stream", test_audio_item);
  ADD ("/result-view/resource-link-emits-open-resource", test_resource_link_opens);
  ADD ("/result-view/embedded-and-unknown-items", test_embedded_and_unknown_items);
  ADD ("/result-view/screenshots", test_screenshots);

#undef ADD

  return g_test_run ();
}
