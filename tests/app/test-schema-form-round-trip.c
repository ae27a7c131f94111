/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherSchemaForm (src/app/tether-schema-form*.c) with real widgets: the whole form on a
 * rich schema (round trips, validity signals, accessible names, keyboard, rendering).
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "schema-form-test-util.h"

/* Round trips */

static const char rich_schema[] =
  "{\"type\": \"object\", \"required\": [\"query\", \"shape\"],"
  " \"$defs\": {\"Tag\": {\"type\": \"object\", \"required\": [\"name\"], \"properties\": {"
  "     \"name\": {\"type\": \"string\"}, \"weight\": {\"type\": \"number\"},"
  "     \"labels\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}},"
  " \"properties\": {"
  "  \"query\": {\"type\": \"string\", \"title\": \"Query\","
  "             \"description\": \"What to look for\"},"
  "  \"body\": {\"type\": \"string\", \"maxLength\": 4000},"
  "  \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 100, \"default\": 10},"
  "  \"exact\": {\"type\": \"boolean\"},"
  "  \"order\": {\"enum\": [\"asc\", \"desc\"]},"
  "  \"note\": {\"type\": [\"string\", \"null\"]},"
  "  \"tags\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Tag\"}},"
  "  \"when\": {\"type\": \"object\", \"properties\": {"
  "     \"from\": {\"type\": \"string\", \"format\": \"date\"},"
  "     \"to\": {\"type\": \"string\", \"format\": \"date\"}}},"
  "  \"shape\": {\"oneOf\": ["
  "    {\"type\": \"object\", \"properties\": {\"kind\": {\"const\": \"circle\"},"
  "                                            \"r\": {\"type\": \"number\"}}},"
  "    {\"type\": \"object\", \"properties\": {\"kind\": {\"const\": \"square\"},"
  "                                            \"side\": {\"type\": \"number\"}}}]},"
  "  \"extra\": {}}}";

static const char rich_arguments[] =
  "{\"query\": \"cats\", \"body\": \"two\\nlines\", \"limit\": 3, \"exact\": false,"
  " \"order\": \"desc\", \"note\": null,"
  " \"tags\": [{\"name\": \"a\", \"weight\": 0.5, \"labels\": [\"x\", \"y\"]},"
  "          {\"name\": \"b\"}],"
  " \"when\": {\"from\": \"2024-01-01\"},"
  " \"shape\": {\"kind\": \"square\", \"side\": 2},"
  " \"extra\": {\"free\": [1, {\"form\": true}]},"
  " \"unknown_member\": \"kept\"}";

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = parse_object (rich_arguments);
  g_autoptr(JsonObject) draft = NULL;
  g_autoptr(JsonObject) again = NULL;

  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, arguments);
  assert_arguments (fixture, rich_arguments);
  /* The widgets show the values. */
  g_assert_cmpstr (get_text (fixture, "tags[1].name"), ==, "b");
  g_assert_cmpstr (get_text (fixture, "tags[0].labels[1]"), ==, "y");
  g_assert_cmpstr (get_text (fixture, "shape.side"), ==, "2");
  g_assert_cmpstr (selected_label (fixture, "order"), ==, "desc");

  /* Edit, then go through the draft and back: the values stay. */
  set_text (fixture, "limit", "7");
  draft = tether_schema_form_dup_draft_arguments (fixture->form);
  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, draft);
  again = tether_schema_form_get_arguments (fixture->form, NULL);
  assert_json_equal (again,
                     "{\"query\": \"cats\", \"body\": \"two\\nlines\", \"limit\": 7,"
                     " \"exact\": false, \"order\": \"desc\", \"note\": null,"
                     " \"tags\": [{\"name\": \"a\", \"weight\": 0.5, \"labels\": [\"x\", \"y\"]},"
                     "          {\"name\": \"b\"}],"
                     " \"when\": {\"from\": \"2024-01-01\"},"
                     " \"shape\": {\"kind\": \"square\", \"side\": 2},"
                     " \"extra\": {\"free\": [1, {\"form\": true}]},"
                     " \"unknown_member\": \"kept\"}");
}

static void
test_set_arguments_clears_missing (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) first = parse_object ("{\"query\": \"a\", \"limit\": 4, \"exact\": true,"
                                              " \"shape\": {\"kind\": \"circle\", \"r\": 1}}");
  g_autoptr(JsonObject) second = parse_object ("{\"query\": \"b\","
                                               " \"shape\": {\"kind\": \"circle\"}}");

  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, first);
  tether_schema_form_set_arguments (fixture->form, second);
  /* What is not in the JSON is not in the form, defaults included. */
  assert_arguments (fixture, "{\"query\": \"b\", \"shape\": {\"kind\": \"circle\"}}");
}

static void
test_set_arguments_mismatch (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = parse_object ("{\"query\": 42, \"limit\": \"lots\","
                                                  " \"order\": \"sideways\","
                                                  " \"shape\": {\"kind\": \"circle\"}}");
  g_autoptr(JsonObject) draft = NULL;

  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, arguments);

  /* A number for a text field: the field becomes a JSON editor holding it. */
  g_assert_true (gtk_widget_has_css_class (control (fixture, "query"), "monospace"));
  g_assert_cmpstr (get_text (fixture, "query"), ==, "42");
  /* Text that is no number stays in the number field, marked. */
  g_assert_cmpstr (get_text (fixture, "limit"), ==, "lots");
  g_assert_cmpstr (get_text (fixture, "order"), ==, "\"sideways\"");
  assert_invalid (fixture, "query: Expected text, got 42");

  draft = tether_schema_form_dup_draft_arguments (fixture->form);
  assert_json_equal (draft, "{\"query\": 42, \"limit\": \"lots\", \"order\": \"sideways\","
                            " \"shape\": {\"kind\": \"circle\"}}");
}

static void
test_valid_notify_and_changed (Fixture       *fixture,
                               gconstpointer  data)
{
  guint notified = 0;
  guint changed = 0;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"a\"],"
               " \"properties\": {\"a\": {\"type\": \"string\"}}}");
  g_signal_connect_swapped (fixture->form, "notify::valid", G_CALLBACK (count_emission),
                            &notified);
  g_signal_connect_swapped (fixture->form, "changed", G_CALLBACK (count_emission), &changed);

  set_text (fixture, "a", "x");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (tether_schema_form_get_valid (fixture->form));
  g_assert_cmpuint (changed, >=, 1);

  /* Typing on while valid: a change, no notification. */
  changed = 0;
  gtk_editable_insert_text (GTK_EDITABLE (control (fixture, "a")), "y", -1, &(int) { 1 });
  g_assert_cmpstr (get_text (fixture, "a"), ==, "xy");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (changed, ==, 1);

  gtk_editable_delete_text (GTK_EDITABLE (control (fixture, "a")), 0, -1);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_false (tether_schema_form_get_valid (fixture->form));
}

static void
test_no_arguments (Fixture       *fixture,
                   gconstpointer  data)
{
  load_schema (fixture, "{\"type\": \"object\", \"properties\": {}}");
  g_assert_false (tether_schema_form_get_has_fields (fixture->form));
  assert_arguments (fixture, "{}");

  load_schema (fixture, "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"string\"}}}");
  g_assert_true (tether_schema_form_get_has_fields (fixture->form));
}

/* Accessibility: every control the keyboard can reach has a name (GTK_A11Y=test gives the
 * test AT context, which can be asked). */
/* Shown, as far as the form decides: the window itself is never presented here. */
static gboolean
shown_in_form (GtkWidget *widget)
{
  for (; widget != NULL && !TETHER_IS_SCHEMA_FORM (widget); widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;
  return TRUE;
}

static gboolean
is_interactive (GtkWidget     *widget,
                gconstpointer  data)
{
  return (GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TEXT (widget) ||
          GTK_IS_TEXT_VIEW (widget) || ADW_IS_COMBO_ROW (widget) ||
          GTK_IS_MENU_BUTTON (widget)) &&
         gtk_widget_get_focusable (widget) && shown_in_form (widget);
}

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = parse_object (rich_arguments);
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  GtkWidget *query;
  GtkWidget *text;

  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, arguments);

  query = control (fixture, "query");
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (query)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (query), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Query");
  /* GTK names a widget by its label and its labelled-by labels together; libadwaita's own
   * relation to the title label ("Query *") would double the name. */
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (query),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (control (fixture, "exact")),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  /* The text inside the row is named by the title alone, not by "Query *". */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Query");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (text),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                       TRUE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "What to look for");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (header_widget (control (fixture, "tags[1]"),
                                                                      is_button_with_icon,
                                                                      "user-trash-symbolic")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove “Item 2”");

  collect_widgets (GTK_WIDGET (fixture->form), is_interactive, NULL, widgets);
  g_assert_cmpuint (widgets->len, >, 20);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkAccessible *accessible = g_ptr_array_index (widgets, i);

      /* A button with a text label is named by it. */
      if (GTK_IS_BUTTON (accessible) && gtk_button_get_label (GTK_BUTTON (accessible)) != NULL)
        continue;
      if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          !gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_error ("a %s in the form has no accessible name", G_OBJECT_TYPE_NAME (accessible));
    }

  /* An invalid field says so. */
  set_text (fixture, "limit", "0");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gtk_editable_get_delegate (
                                      GTK_EDITABLE (control (fixture, "limit")))),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
}

/* Keyboard: every field can be reached. */
static void
test_keyboard_reaches_fields (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *paths[] = { "query", "body", "limit", "exact", "order", "note", "tags" };
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);

  load_schema (fixture, rich_schema);
  gtk_window_present (fixture->window);
  drain_events ();

  for (guint i = 0; i < 200 && g_hash_table_size (reached) < G_N_ELEMENTS (paths); i++)
    {
      GtkWidget *focus;

      /* What Tab does: GtkWindow moves the focus, wrapping around at the end. */
      if (!gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD))
        gtk_window_set_focus (fixture->window, NULL);
      focus = gtk_window_get_focus (fixture->window);
      for (guint j = 0; focus != NULL && j < G_N_ELEMENTS (paths); j++)
        {
          GtkWidget *target = control (fixture, paths[j]);
          GtkWidget *row = gtk_widget_get_ancestor (target, GTK_TYPE_LIST_BOX_ROW);

          /* On the row, or inside it: either way Space, Enter or Tab edits the value. */
          g_assert_false (gtk_widget_has_css_class (focus, "tether-details"));
          if (focus == row || gtk_widget_is_ancestor (focus, row))
            g_hash_table_add (reached, (gpointer) paths[j]);
        }
    }

  for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
    if (!g_hash_table_contains (reached, paths[j]))
      g_error ("the keyboard never reached “%s”", paths[j]);
}

/* Rendering: a filled form, light and dark, saved as PNG in the build directory. */
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
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s (%dx%d)", path, width, height);
}

static void
test_render_png (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) arguments = parse_object (rich_arguments);
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *scheme_names[] = { "light", "dark" };
  AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_FORCE_LIGHT, ADW_COLOR_SCHEME_FORCE_DARK };
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  load_schema (fixture, rich_schema);
  tether_schema_form_set_arguments (fixture->form, arguments);
  set_text (fixture, "limit", "0");
  set_text (fixture, "when.to", "soon");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (control (fixture, "tags")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (control (fixture, "tags[0]")), TRUE);

  /* Laid out as in the tool panel: clamped, with margins, on the window's background. */
  g_object_ref (fixture->form);
  gtk_window_set_child (fixture->window, NULL);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (fixture->form));
  g_object_unref (fixture->form);
  gtk_widget_set_margin_top (page, 24);
  gtk_widget_set_margin_bottom (page, 24);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_set_margin_end (page, 12);
  gtk_box_append (GTK_BOX (page), clamp);
  gtk_window_set_child (fixture->window, page);
  gtk_window_set_decorated (fixture->window, FALSE);
  gtk_window_set_default_size (fixture->window, 720, -1);
  gtk_window_present (fixture->window);

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *name = g_strdup_printf ("schema-form-%s.png", scheme_names[i]);
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

      adw_style_manager_set_color_scheme (style, schemes[i]);
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
  /* The test accessibility backend lets the tests read accessible names back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/app/schema-form/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip/set-get-and-draft", test_round_trip);
  ADD ("round-trip/set-arguments-clears-missing", test_set_arguments_clears_missing);
  ADD ("round-trip/mismatched-values-kept", test_set_arguments_mismatch);
  ADD ("valid-notifies-and-changed-emits", test_valid_notify_and_changed);
  ADD ("no-arguments", test_no_arguments);
  ADD ("accessible-names", test_accessible_names);
  ADD ("keyboard-reaches-every-field", test_keyboard_reaches_fields);
  ADD ("render-png-light-and-dark", test_render_png);

#undef ADD

  return g_test_run ();
}
