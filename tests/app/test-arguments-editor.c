/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherArgumentsEditor (src/app/tether-arguments-editor.c): switching between the
 * form and the JSON text keeps the values, parse errors stay in place with their line and
 * column, and the source view follows the light or dark style. Needs a display. */
#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <locale.h>

#include "tether-arguments-editor.h"
#include "tether-schema-form-private.h"

static const char schema_text[] =
  "{\"type\": \"object\", \"required\": [\"city\"], \"properties\": {"
  "  \"city\": {\"type\": \"string\", \"title\": \"City\"},"
  "  \"days\": {\"type\": \"integer\", \"minimum\": 1, \"default\": 3},"
  "  \"units\": {\"enum\": [\"metric\", \"imperial\"]},"
  "  \"hours\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}}";

typedef struct
{
  GtkWindow             *window;
  TetherArgumentsEditor *editor;
} Fixture;

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonNode) schema = parse (schema_text);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->editor = TETHER_ARGUMENTS_EDITOR (tether_arguments_editor_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->editor));
  tether_arguments_editor_set_schema (fixture->editor, json_node_get_object (schema));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  drain_events ();
}

static GtkWidget *
find_by_path (GtkWidget  *root,
              const char *path)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (root), TETHER_SCHEMA_FORM_PATH_KEY), path) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_path (child, path);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_field (Fixture    *fixture,
           const char *path,
           const char *text)
{
  GtkWidget *widget = find_by_path (GTK_WIDGET (tether_arguments_editor_get_form (fixture->editor)),
                                    path);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static GtkTextBuffer *
json_buffer (Fixture *fixture)
{
  GtkWidget *view = find_by_type (GTK_WIDGET (fixture->editor), GTK_SOURCE_TYPE_VIEW);

  g_assert_nonnull (view);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static char *
json_text (Fixture *fixture)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (json_buffer (fixture), &start, &end);
  return gtk_text_buffer_get_text (json_buffer (fixture), &start, &end, FALSE);
}

static void
set_json_text (Fixture    *fixture,
               const char *text)
{
  gtk_text_buffer_set_text (json_buffer (fixture), text, -1);
}

/* The label under the JSON text: NULL when hidden. */
static GtkLabel *
json_message (Fixture *fixture)
{
  GtkWidget *view = find_by_type (GTK_WIDGET (fixture->editor), GTK_SOURCE_TYPE_VIEW);
  GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *label = gtk_widget_get_next_sibling (scrolled);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_widget_get_visible (label) ? GTK_LABEL (label) : NULL;
}

static void
assert_json_equal (JsonObject *object,
                   const char *expected)
{
  g_autoptr(JsonNode) got = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) want = parse (expected);

  if (!json_node_equal (got, want))
    {
      g_autofree char *text = json_to_string (got, FALSE);

      g_error ("got %s, expected %s", text, expected);
    }
}

static void
test_form_to_json_and_back (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  set_field (fixture, "city", "Oslo");
  set_field (fixture, "days", "two");

  g_assert_true (tether_arguments_editor_set_mode (fixture->editor, "json", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "json");
  /* Pretty, and with what was typed even where it is not valid yet. */
  text = json_text (fixture);
  g_assert_cmpstr (text, ==, "{\n  \"city\" : \"Oslo\",\n  \"days\" : \"two\"\n}");
  /* In the JSON, a value against the schema is a warning, not a blocker. */
  g_assert_nonnull (json_message (fixture));
  g_assert_cmpstr (gtk_label_get_text (json_message (fixture)), ==,
                   "Does not match the schema: days: Expected a whole number, got \"two\"");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (json_message (fixture)), "warning"));
  g_assert_true (tether_arguments_editor_get_valid (fixture->editor));

  set_json_text (fixture, "{\"city\": \"Bergen\", \"days\": 5, \"units\": \"metric\","
                          " \"hours\": [6, 18], \"debug\": true}");
  g_assert_null (json_message (fixture));
  arguments = tether_arguments_editor_get_arguments (fixture->editor, &error);
  g_assert_no_error (error);
  assert_json_equal (arguments, "{\"city\": \"Bergen\", \"days\": 5, \"units\": \"metric\","
                                " \"hours\": [6, 18], \"debug\": true}");
  g_clear_pointer (&arguments, json_object_unref);

  g_assert_true (tether_arguments_editor_set_mode (fixture->editor, "form", &error));
  g_assert_no_error (error);
  arguments = tether_arguments_editor_get_arguments (fixture->editor, &error);
  g_assert_no_error (error);
  /* Members the form has no field for travel along. */
  assert_json_equal (arguments, "{\"city\": \"Bergen\", \"days\": 5, \"units\": \"metric\","
                                " \"hours\": [6, 18], \"debug\": true}");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_path (
                     GTK_WIDGET (tether_arguments_editor_get_form (fixture->editor)),
                     "hours[1]"))), ==, "18");
}

static void
test_parse_error_stays (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) arguments = NULL;
  GtkTextIter cursor;

  g_assert_true (tether_arguments_editor_set_mode (fixture->editor, "json", NULL));
  set_json_text (fixture, "{\n  \"city\": \"Oslo\",\n  \"days\": x\n}");

  g_assert_nonnull (json_message (fixture));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (json_message (fixture)),
                                   "Line 3, column "));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (json_message (fixture)), "error"));
  g_assert_false (tether_arguments_editor_get_valid (fixture->editor));

  arguments = tether_arguments_editor_get_arguments (fixture->editor, &error);
  g_assert_null (arguments);
  g_assert_error (error, TETHER_ARGUMENTS_EDITOR_ERROR, TETHER_ARGUMENTS_EDITOR_ERROR_PARSE);
  g_clear_error (&error);

  /* Going back to the form is refused; the cursor goes to the problem. */
  g_assert_false (tether_arguments_editor_set_mode (fixture->editor, "form", &error));
  g_assert_error (error, TETHER_ARGUMENTS_EDITOR_ERROR, TETHER_ARGUMENTS_EDITOR_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "json");
  gtk_text_buffer_get_iter_at_mark (json_buffer (fixture), &cursor,
                                    gtk_text_buffer_get_insert (json_buffer (fixture)));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 2);

  /* Not an object at all. */
  set_json_text (fixture, "[1, 2]");
  g_assert_cmpstr (gtk_label_get_text (json_message (fixture)), ==,
                   "The arguments must be a JSON object, not [1,2]");
  g_assert_false (tether_arguments_editor_set_mode (fixture->editor, "form", &error));
  g_assert_error (error, TETHER_ARGUMENTS_EDITOR_ERROR, TETHER_ARGUMENTS_EDITOR_ERROR_NOT_OBJECT);

  /* Empty text is no arguments at all. */
  set_json_text (fixture, "  ");
  g_assert_true (tether_arguments_editor_get_valid (fixture->editor));
  g_assert_true (tether_arguments_editor_set_mode (fixture->editor, "form", NULL));
  g_assert_false (tether_arguments_editor_get_valid (fixture->editor));
}

static void
test_mode_action_and_buttons (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *form_button = NULL;
  GtkWidget *json_button = NULL;

  for (GtkWidget *w = find_by_type (GTK_WIDGET (fixture->editor), GTK_TYPE_TOGGLE_BUTTON);
       w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      if (form_button == NULL)
        form_button = w;
      else
        json_button = w;
    }
  g_assert_nonnull (json_button);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (form_button)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "arguments.mode",
                                             "s", "json"));
  drain_events ();
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "json");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (json_button)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (form_button)));

  /* A click on “Form” while the JSON is broken leaves things as they are. */
  set_json_text (fixture, "{");
  g_signal_emit_by_name (form_button, "clicked");
  drain_events ();
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "json");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (json_button)));

  set_json_text (fixture, "{\"city\": \"Rome\"}");
  g_signal_emit_by_name (form_button, "clicked");
  drain_events ();
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "form");
  g_assert_true (tether_arguments_editor_get_valid (fixture->editor));
}

static void
count_emission (guint *counter)
{
  (*counter)++;
}

static void
test_changed_and_valid (Fixture       *fixture,
                        gconstpointer  data)
{
  guint changed = 0;
  guint notified = 0;

  g_assert_false (tether_arguments_editor_get_valid (fixture->editor));
  g_signal_connect_swapped (fixture->editor, "changed", G_CALLBACK (count_emission), &changed);
  g_signal_connect_swapped (fixture->editor, "notify::valid", G_CALLBACK (count_emission),
                            &notified);

  set_field (fixture, "city", "Oslo");
  g_assert_true (tether_arguments_editor_get_valid (fixture->editor));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (changed, >=, 1);

  changed = 0;
  tether_arguments_editor_set_mode (fixture->editor, "json", NULL);
  set_json_text (fixture, "{");
  g_assert_cmpuint (changed, >=, 1);
  g_assert_false (tether_arguments_editor_get_valid (fixture->editor));
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_set_arguments_and_schema (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(JsonNode) arguments = parse ("{\"city\": \"Lima\", \"units\": \"imperial\"}");
  g_autoptr(JsonNode) other_schema = parse ("{\"type\": \"object\", \"properties\": {}}");
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) got = NULL;

  tether_arguments_editor_set_mode (fixture->editor, "json", NULL);
  tether_arguments_editor_set_arguments (fixture->editor, json_node_get_object (arguments));
  text = json_text (fixture);
  g_assert_cmpstr (text, ==, "{\n  \"city\" : \"Lima\",\n  \"units\" : \"imperial\"\n}");
  got = tether_schema_form_get_arguments (tether_arguments_editor_get_form (fixture->editor),
                                          NULL);
  assert_json_equal (got, "{\"city\": \"Lima\", \"units\": \"imperial\"}");

  /* Another tool: back to the form. */
  tether_arguments_editor_set_schema (fixture->editor, json_node_get_object (other_schema));
  g_assert_cmpstr (tether_arguments_editor_get_mode (fixture->editor), ==, "form");
  g_assert_true (tether_arguments_editor_get_valid (fixture->editor));
}

static void
test_style_follows_dark (Fixture       *fixture,
                         gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (json_buffer (fixture));

  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (buffer)), ==,
                   "json");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)),
                   ==, "Adwaita-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)),
                   ==, "Adwaita");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
render_to_png (GtkWindow  *window,
               const char *path)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  for (guint i = 0; i < 50; i++)
    {
      drain_events ();
      g_usleep (10000);
    }

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_render_png (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *names[] = { "arguments-form-light", "arguments-json-light", "arguments-json-dark" };
  const char *modes[] = { "form", "json", "json" };
  AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_LIGHT,
                               ADW_COLOR_SCHEME_FORCE_DARK };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  set_field (fixture, "city", "Oslo");
  set_field (fixture, "days", "0");

  g_object_ref (fixture->editor);
  gtk_window_set_child (fixture->window, NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->editor));
  g_object_unref (fixture->editor);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_window_set_child (fixture->window, box);
  gtk_window_set_decorated (fixture->window, FALSE);
  gtk_window_set_default_size (fixture->window, 600, -1);
  gtk_window_present (fixture->window);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_strconcat (names[i], ".png", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);

      adw_style_manager_set_color_scheme (style, schemes[i]);
      g_assert_true (tether_arguments_editor_set_mode (fixture->editor, modes[i], NULL));
      if (i == 1)
        set_json_text (fixture, "{\n  \"city\": \"Oslo\",\n  \"days\": 0,\n  \"units\": metric\n}");
      render_to_png (fixture->window, path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();

#define ADD(path, func) \
  g_test_add ("/app/arguments-editor/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("form-to-json-and-back-keeps-values", test_form_to_json_and_back);
  ADD ("parse-error-shown-in-place-and-blocks-form", test_parse_error_stays);
  ADD ("mode-action-drives-buttons", test_mode_action_and_buttons);
  ADD ("changed-and-valid", test_changed_and_valid);
  ADD ("set-arguments-and-new-schema", test_set_arguments_and_schema);
  ADD ("source-view-json-and-dark-style", test_style_follows_dark);
  ADD ("render-png", test_render_png);

#undef ADD

  return g_test_run ();
}
