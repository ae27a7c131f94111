/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherSchemaForm (src/app/tether-schema-form*.c) with real widgets: a schema goes
 * in, the widgets are found in the tree, given values as a person would, and the JSON that
 * comes out is compared. Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "tether-schema-form-private.h"

/* Helpers */

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GtkWindow        *window;
  TetherSchemaForm *form;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->form = TETHER_SCHEMA_FORM (tether_schema_form_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->form));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  drain_events ();
}

static void
load_schema (Fixture    *fixture,
             const char *schema_text)
{
  g_autoptr(JsonObject) schema = parse_object (schema_text);

  tether_schema_form_set_schema (fixture->form, schema);
}

typedef gboolean (*WidgetPredicate) (GtkWidget *widget, gconstpointer data);

/* Depth first, in tree order; @skip_nested stops at the list inside an expander row so that
 * only the row's own header is searched. */
static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gconstpointer    data,
             gboolean         skip_nested)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (skip_nested && GTK_IS_LIST_BOX (child) && gtk_widget_has_css_class (child, "nested"))
        continue;
      found = find_widget (child, predicate, data, skip_nested);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_widgets (GtkWidget       *root,
                 WidgetPredicate  predicate,
                 gconstpointer    data,
                 GPtrArray       *out)
{
  if (predicate (root, data))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, predicate, data, out);
}

static gboolean
has_path (GtkWidget     *widget,
          gconstpointer  path)
{
  return g_strcmp0 (g_object_get_data (G_OBJECT (widget), TETHER_SCHEMA_FORM_PATH_KEY), path) == 0;
}

static gboolean
has_any_path (GtkWidget     *widget,
              gconstpointer  data)
{
  return g_object_get_data (G_OBJECT (widget), TETHER_SCHEMA_FORM_PATH_KEY) != NULL;
}

static gboolean
is_button_with_icon (GtkWidget     *widget,
                     gconstpointer  icon)
{
  return GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

static gboolean
is_null_toggle (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_has_css_class (widget, "tether-null-toggle");
}

static gboolean
is_switch (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_SWITCH (widget);
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GPtrArray *
controls_with_path (Fixture    *fixture,
                    const char *path)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->form), has_path, path, found);
  if (found->len == 0)
    g_error ("no control for “%s”", path);
  return found;
}

/* The widget that holds the value of the field at @path ("items[2].name"). Alternatives share
 * their path with the chosen value inside them: the innermost is the value. */
static GtkWidget *
control (Fixture    *fixture,
         const char *path)
{
  g_autoptr(GPtrArray) found = controls_with_path (fixture, path);

  return g_ptr_array_index (found, found->len - 1);
}

static GtkWidget *
header_widget (GtkWidget       *row,
               WidgetPredicate  predicate,
               gconstpointer    data)
{
  GtkWidget *found = find_widget (row, predicate, data, TRUE);

  g_assert_nonnull (found);
  return found;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  drain_events ();
}

static void
set_text (Fixture    *fixture,
          const char *path,
          const char *text)
{
  GtkWidget *widget = control (fixture, path);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static const char *
get_text (Fixture    *fixture,
          const char *path)
{
  return gtk_editable_get_text (GTK_EDITABLE (control (fixture, path)));
}

/* The combo of a choice, or the “Type” selector of alternatives. */
static AdwComboRow *
combo_row (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GPtrArray) found = controls_with_path (fixture, path);

  for (guint i = 0; i < found->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (found, i);

      if (!ADW_IS_COMBO_ROW (widget))
        widget = find_widget (widget, is_type, GSIZE_TO_POINTER (ADW_TYPE_COMBO_ROW), FALSE);
      if (widget != NULL)
        return ADW_COMBO_ROW (widget);
    }
  g_error ("no choice at “%s”", path);
}

static void
select_entry (Fixture    *fixture,
              const char *path,
              const char *label)
{
  AdwComboRow *combo = combo_row (fixture, path);
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), label))
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }
  g_error ("“%s” has no entry “%s”", path, label);
}

static const char *
selected_label (Fixture    *fixture,
                const char *path)
{
  AdwComboRow *combo = combo_row (fixture, path);

  return gtk_string_object_get_string (adw_combo_row_get_selected_item (combo));
}

static void
assert_json_equal (JsonObject *object,
                   const char *expected)
{
  g_autoptr(JsonNode) got = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) want = parse (expected);

  if (!json_node_equal (got, want))
    {
      g_autofree char *got_text = json_to_string (got, FALSE);

      g_error ("arguments were %s, expected %s", got_text, expected);
    }
}

static void
assert_arguments (Fixture    *fixture,
                  const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) arguments = tether_schema_form_get_arguments (fixture->form, &error);

  g_assert_no_error (error);
  g_assert_nonnull (arguments);
  assert_json_equal (arguments, expected);
  g_assert_true (tether_schema_form_get_valid (fixture->form));
}

static void
assert_invalid (Fixture    *fixture,
                const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) arguments = tether_schema_form_get_arguments (fixture->form, &error);

  g_assert_null (arguments);
  g_assert_error (error, TETHER_SCHEMA_FORM_ERROR, TETHER_SCHEMA_FORM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected_message);
  g_assert_false (tether_schema_form_get_valid (fixture->form));
}

/* The message row under the field at @path: NULL when no message shows. */
static const char *
shown_message (Fixture    *fixture,
               const char *path)
{
  GtkWidget *widget = control (fixture, path);
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);
  GtkWidget *details;
  GtkWidget *label;

  /* A text view sits inside its row; the details row is the row's next sibling. */
  if (GTK_IS_LIST_BOX_ROW (widget))
    row = widget;
  details = gtk_widget_get_next_sibling (row);
  g_assert_nonnull (details);
  if (!gtk_widget_has_css_class (details, "tether-details"))
    g_error ("after %s %p comes %s", G_OBJECT_TYPE_NAME (row), row, G_OBJECT_TYPE_NAME (details));
  g_assert_true (gtk_widget_has_css_class (details, "tether-details"));
  if (!gtk_widget_get_visible (details))
    return NULL;
  label = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (details)));
  g_assert_true (gtk_widget_has_css_class (label, "error"));
  if (!gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static guint
count_fields (Fixture *fixture)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->form), has_any_path, NULL, found);
  return found->len;
}

static void
count_emission (guint *counter)
{
  (*counter)++;
}

/* Strings */

static void
test_string_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *name;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"name\"], \"properties\": {"
               "  \"name\": {\"type\": \"string\", \"title\": \"Your name\","
               "            \"description\": \"As on the badge\"},"
               "  \"city\": {\"type\": \"string\"}}}");

  name = control (fixture, "name");
  g_assert_true (ADW_IS_ENTRY_ROW (name));
  /* Title, else the property name; a required field is marked. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (name)), ==,
                   "Your name <span weight=\"bold\">*</span>");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture, "city"))),
                   ==, "city");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (name), TETHER_SCHEMA_FORM_LABEL_KEY), ==,
                   "Your name");

  g_assert_false (tether_schema_form_get_valid (fixture->form));
  set_text (fixture, "name", "Ada");
  g_assert_true (tether_schema_form_get_valid (fixture->form));
  assert_arguments (fixture, "{\"name\": \"Ada\"}");
  set_text (fixture, "city", "Paris");
  assert_arguments (fixture, "{\"name\": \"Ada\", \"city\": \"Paris\"}");
}

static void
test_string_multiline (Fixture       *fixture,
                       gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"body\": {\"type\": \"string\", \"maxLength\": 5000},"
               "  \"notes\": {\"type\": \"string\", \"format\": \"textarea\"},"
               "  \"short\": {\"type\": \"string\", \"maxLength\": 20}}}");

  g_assert_true (GTK_IS_TEXT_VIEW (control (fixture, "body")));
  g_assert_true (GTK_IS_TEXT_VIEW (control (fixture, "notes")));
  g_assert_true (ADW_IS_ENTRY_ROW (control (fixture, "short")));
  /* Tab leaves a text view, so the keyboard can go on to the next field. */
  g_assert_false (gtk_text_view_get_accepts_tab (GTK_TEXT_VIEW (control (fixture, "body"))));

  set_text (fixture, "body", "line one\nline two\n");
  assert_arguments (fixture, "{\"body\": \"line one\\nline two\\n\"}");
}

static void
test_string_formats (Fixture       *fixture,
                     gconstpointer  data)
{
  struct { const char *path; const char *bad; const char *good; } cases[] = {
    { "email", "someone", "someone@example.com" },
    { "site", "example.com", "https://example.com" },
    { "day", "2023-02-30", "2024-02-29" },
    { "at", "2024-05-31 13:45", "2024-05-31T13:45:00Z" },
    { "id", "1234", "123e4567-e89b-12d3-a456-426614174000" },
  };

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"email\": {\"type\": \"string\", \"format\": \"email\"},"
               "  \"site\": {\"type\": \"string\", \"format\": \"uri\"},"
               "  \"day\": {\"type\": \"string\", \"format\": \"date\"},"
               "  \"at\": {\"type\": \"string\", \"format\": \"date-time\"},"
               "  \"id\": {\"type\": \"string\", \"format\": \"uuid\"}}}");

  g_assert_cmpint (adw_entry_row_get_input_purpose (ADW_ENTRY_ROW (control (fixture, "email"))),
                   ==, GTK_INPUT_PURPOSE_EMAIL);
  g_assert_cmpint (adw_entry_row_get_input_purpose (ADW_ENTRY_ROW (control (fixture, "site"))),
                   ==, GTK_INPUT_PURPOSE_URL);
  /* A date field offers a calendar. */
  g_assert_true (GTK_IS_MENU_BUTTON (g_object_get_data (G_OBJECT (control (fixture, "day")),
                                                        "tether-schema-form-date-button")));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *message;

      set_text (fixture, cases[i].path, cases[i].bad);
      message = shown_message (fixture, cases[i].path);
      if (message == NULL || !g_str_has_prefix (message, "Not a valid"))
        g_error ("%s: “%s” gave the message “%s”", cases[i].path, cases[i].bad, message);
      g_assert_true (gtk_widget_has_css_class (control (fixture, cases[i].path), "error"));
      g_assert_false (tether_schema_form_get_valid (fixture->form));

      set_text (fixture, cases[i].path, cases[i].good);
      g_assert_null (shown_message (fixture, cases[i].path));
      g_assert_false (gtk_widget_has_css_class (control (fixture, cases[i].path), "error"));
    }
  g_assert_true (tether_schema_form_get_valid (fixture->form));
}

static void
test_string_date_picker (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkMenuButton *button;
  GtkWidget *calendar;
  g_autoptr(GDateTime) date = g_date_time_new_local (2024, 3, 9, 0, 0, 0);

  load_schema (fixture,
               "{\"properties\": {\"day\": {\"type\": \"string\", \"format\": \"date\"}}}");
  button = g_object_get_data (G_OBJECT (control (fixture, "day")),
                              "tether-schema-form-date-button");
  calendar = gtk_popover_get_child (gtk_menu_button_get_popover (button));
  gtk_calendar_select_day (GTK_CALENDAR (calendar), date);
  g_signal_emit_by_name (calendar, "day-selected");
  assert_arguments (fixture, "{\"day\": \"2024-03-09\"}");
}

static void
test_string_pattern_and_length (Fixture       *fixture,
                                gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"code\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}$\"},"
               "  \"word\": {\"type\": \"string\", \"minLength\": 2, \"maxLength\": 4}}}");

  set_text (fixture, "code", "abc");
  g_assert_cmpstr (shown_message (fixture, "code"), ==, "Must match the pattern ^[A-Z]{3}$");
  set_text (fixture, "word", "a");
  g_assert_cmpstr (shown_message (fixture, "word"), ==, "Must be at least 2 characters long");
  set_text (fixture, "word", "abcde");
  g_assert_cmpstr (shown_message (fixture, "word"), ==, "Must be at most 4 characters long");
  assert_invalid (fixture, "code: Must match the pattern ^[A-Z]{3}$");

  set_text (fixture, "code", "ABC");
  set_text (fixture, "word", "abc");
  assert_arguments (fixture, "{\"code\": \"ABC\", \"word\": \"abc\"}");
}

/* Numbers */

static void
test_number_integer (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *count;
  GtkWidget *increase;
  GtkWidget *decrease;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"count\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 10},"
               "  \"step\": {\"type\": \"integer\", \"multipleOf\": 5}}}");
  count = control (fixture, "count");
  increase = header_widget (count, is_button_with_icon, "value-increase-symbolic");
  decrease = header_widget (count, is_button_with_icon, "value-decrease-symbolic");

  set_text (fixture, "count", "0");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Must be at least 1");
  click (increase);
  g_assert_cmpstr (get_text (fixture, "count"), ==, "1");
  g_assert_null (shown_message (fixture, "count"));
  set_text (fixture, "count", "10");
  click (increase);
  /* Stepping stops at the maximum. */
  g_assert_cmpstr (get_text (fixture, "count"), ==, "10");
  click (decrease);
  g_assert_cmpstr (get_text (fixture, "count"), ==, "9");

  set_text (fixture, "count", "2.5");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Not a whole number");
  set_text (fixture, "count", "abc");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Not a whole number");
  assert_invalid (fixture, "count: Not a whole number");

  set_text (fixture, "count", " 7 ");
  set_text (fixture, "step", "7");
  g_assert_cmpstr (shown_message (fixture, "step"), ==, "Must be a multiple of 5");
  click (header_widget (control (fixture, "step"), is_button_with_icon,
                        "value-increase-symbolic"));
  g_assert_cmpstr (get_text (fixture, "step"), ==, "10");
  assert_arguments (fixture, "{\"count\": 7, \"step\": 10}");
}

static void
test_number_float (Fixture       *fixture,
                   gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"ratio\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 1},"
               "  \"big\": {\"type\": \"number\"}}}");

  set_text (fixture, "ratio", "0");
  g_assert_cmpstr (shown_message (fixture, "ratio"), ==, "Must be greater than 0");
  set_text (fixture, "ratio", "0.25");
  set_text (fixture, "big", "-1e3");
  assert_arguments (fixture, "{\"ratio\": 0.25, \"big\": -1000}");
  set_text (fixture, "big", "1,5");
  g_assert_cmpstr (shown_message (fixture, "big"), ==, "Not a number");
}

/* Booleans */

static void
test_boolean_switch (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *verbose;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"confirm\"], \"properties\": {"
               "  \"verbose\": {\"type\": \"boolean\", \"description\": \"Say more\"},"
               "  \"confirm\": {\"type\": \"boolean\"}}}");
  verbose = control (fixture, "verbose");
  g_assert_true (GTK_IS_SWITCH (verbose));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (
                     verbose, ADW_TYPE_ACTION_ROW))), ==, "Say more");

  /* An optional switch never touched is left out; a required one is always sent. */
  assert_arguments (fixture, "{\"confirm\": false}");
  gtk_switch_set_active (GTK_SWITCH (verbose), TRUE);
  assert_arguments (fixture, "{\"confirm\": false, \"verbose\": true}");
  gtk_switch_set_active (GTK_SWITCH (verbose), FALSE);
  assert_arguments (fixture, "{\"confirm\": false, \"verbose\": false}");
}

/* Choices */

static void
test_enum_combo (Fixture       *fixture,
                 gconstpointer  data)
{
  GListModel *model;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"unit\"], \"properties\": {"
               "  \"unit\": {\"type\": \"string\", \"oneOf\": ["
               "    {\"const\": \"c\", \"title\": \"Celsius\"},"
               "    {\"const\": \"f\", \"title\": \"Fahrenheit\"}]},"
               "  \"size\": {\"enum\": [\"s\", \"m\", 3]},"
               "  \"mood\": {\"enum\": [\"ok\", null]}}}");

  g_assert_true (ADW_IS_COMBO_ROW (control (fixture, "unit")));
  /* A required choice starts at its first value; an optional one at “Not set”. */
  g_assert_cmpstr (selected_label (fixture, "unit"), ==, "Celsius");
  g_assert_cmpstr (selected_label (fixture, "size"), ==, "Not set");
  model = adw_combo_row_get_model (ADW_COMBO_ROW (control (fixture, "mood")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  assert_arguments (fixture, "{\"unit\": \"c\"}");

  select_entry (fixture, "unit", "Fahrenheit");
  select_entry (fixture, "size", "3");
  select_entry (fixture, "mood", "Null");
  assert_arguments (fixture, "{\"unit\": \"f\", \"size\": 3, \"mood\": null}");
  select_entry (fixture, "size", "Not set");
  select_entry (fixture, "mood", "ok");
  assert_arguments (fixture, "{\"unit\": \"f\", \"mood\": \"ok\"}");
}

/* Lists */

static void
test_array_add_move_remove (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *tags;
  GtkWidget *add;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"tags\": {\"type\": \"array\", \"title\": \"Tags\", \"maxItems\": 3,"
               "            \"items\": {\"type\": \"string\"}}}}");
  tags = control (fixture, "tags");
  g_assert_true (ADW_IS_EXPANDER_ROW (tags));
  add = header_widget (tags, is_button_with_icon, "list-add-symbolic");

  /* An optional empty list is left out. */
  assert_arguments (fixture, "{}");

  click (add);
  set_text (fixture, "tags[0]", "a");
  click (add);
  set_text (fixture, "tags[1]", "b");
  click (add);
  set_text (fixture, "tags[2]", "c");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (tags)));
  /* At maxItems no more can be added. */
  g_assert_false (gtk_widget_get_sensitive (add));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"b\", \"c\"]}");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture,
                                                                                "tags[2]"))),
                   ==, "Item 3");

  /* The first item cannot go up, the last not down. */
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "tags[0]"),
                                                           is_button_with_icon,
                                                           "go-up-symbolic")));
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "tags[2]"),
                                                           is_button_with_icon,
                                                           "go-down-symbolic")));

  click (header_widget (control (fixture, "tags[2]"), is_button_with_icon, "go-up-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"c\", \"b\"]}");
  /* Labels and paths follow the new positions. */
  g_assert_cmpstr (get_text (fixture, "tags[1]"), ==, "c");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture,
                                                                                "tags[1]"))),
                   ==, "Item 2");

  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon, "go-down-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"c\", \"a\", \"b\"]}");

  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon,
                        "user-trash-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"b\"]}");
  g_assert_true (gtk_widget_get_sensitive (add));
  g_assert_cmpstr (get_text (fixture, "tags[0]"), ==, "a");
  g_assert_cmpuint (count_fields (fixture), ==, 3);

  click (header_widget (control (fixture, "tags[1]"), is_button_with_icon,
                        "user-trash-symbolic"));
  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon,
                        "user-trash-symbolic"));
  assert_arguments (fixture, "{}");
}

static void
test_array_min_items (Fixture       *fixture,
                      gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"points\"], \"properties\": {"
               "  \"points\": {\"type\": \"array\", \"minItems\": 2,"
               "              \"items\": {\"type\": \"number\"}}}}");

  /* A required list starts with the items it needs, and they cannot be removed. */
  set_text (fixture, "points[0]", "1");
  set_text (fixture, "points[1]", "2.5");
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "points[1]"),
                                                           is_button_with_icon,
                                                           "user-trash-symbolic")));
  assert_arguments (fixture, "{\"points\": [1, 2.5]}");

  set_text (fixture, "points[1]", "");
  assert_invalid (fixture, "points[1]: A value is required");
}

static void
test_array_of_objects_error_path (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *add;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
               "     \"required\": [\"name\"], \"properties\": {"
               "       \"name\": {\"type\": \"string\"}, \"qty\": {\"type\": \"integer\"}}}}}}");
  add = header_widget (control (fixture, "items"), is_button_with_icon, "list-add-symbolic");

  for (guint i = 0; i < 3; i++)
    click (add);
  /* A new object item opens, its fields ready. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture, "items[2]"))));
  set_text (fixture, "items[0].name", "apple");
  set_text (fixture, "items[1].name", "pear");
  set_text (fixture, "items[1].qty", "3");

  g_assert_false (tether_schema_form_get_valid (fixture->form));
  assert_invalid (fixture, "items[2].name: A value is required");
  /* After a failed get_arguments() the message shows even though nobody touched the field. */
  g_assert_cmpstr (shown_message (fixture, "items[2].name"), ==, "A value is required");

  set_text (fixture, "items[2].name", "fig");
  assert_arguments (fixture,
                    "{\"items\": [{\"name\": \"apple\"}, {\"name\": \"pear\", \"qty\": 3},"
                    " {\"name\": \"fig\"}]}");
}

/* Objects */

static void
test_object_nested (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *config;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"config\"], \"properties\": {"
               "  \"config\": {\"type\": \"object\", \"title\": \"Configuration\","
               "    \"required\": [\"host\"], \"properties\": {"
               "      \"host\": {\"type\": \"string\"},"
               "      \"tls\": {\"type\": \"object\", \"required\": [\"verify\"],"
               "                \"properties\": {\"verify\": {\"type\": \"boolean\"}}}}}}}");
  config = control (fixture, "config");
  g_assert_true (ADW_IS_EXPANDER_ROW (config));
  /* A required object opens at once; an optional one waits behind its switch. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (config)));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture,
                                                                            "config.tls"))));

  assert_invalid (fixture, "config.host: A value is required");
  set_text (fixture, "config.host", "example.com");
  assert_arguments (fixture, "{\"config\": {\"host\": \"example.com\"}}");
}

static void
test_object_optional_include (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *proxy;
  GtkWidget *include;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"proxy\": {\"type\": \"object\", \"properties\": {"
               "     \"url\": {\"type\": \"string\", \"format\": \"uri\"},"
               "     \"port\": {\"type\": \"integer\", \"default\": 8080}}}}}");
  proxy = control (fixture, "proxy");
  include = header_widget (proxy, is_switch, NULL);

  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (proxy)));
  /* Nothing inside is built before it is asked for. */
  g_assert_cmpuint (count_fields (fixture), ==, 1);
  assert_arguments (fixture, "{}");

  gtk_switch_set_active (GTK_SWITCH (include), TRUE);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (proxy)));
  g_assert_cmpuint (count_fields (fixture), ==, 3);
  assert_arguments (fixture, "{\"proxy\": {\"port\": 8080}}");
  set_text (fixture, "proxy.url", "http://proxy:3128");
  assert_arguments (fixture, "{\"proxy\": {\"url\": \"http://proxy:3128\", \"port\": 8080}}");

  gtk_switch_set_active (GTK_SWITCH (include), FALSE);
  assert_arguments (fixture, "{}");
}

/* Null */

static void
test_nullable_toggle (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *note;
  GtkToggleButton *toggle;
  GtkWidget *text;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"limit\"], \"properties\": {"
               "  \"note\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}],"
               "            \"default\": null},"
               "  \"limit\": {\"type\": [\"integer\", \"null\"]},"
               "  \"opts\": {\"type\": [\"object\", \"null\"], \"required\": [\"x\"],"
               "            \"properties\": {\"x\": {\"type\": \"string\"}}}}}");
  note = control (fixture, "note");
  toggle = GTK_TOGGLE_BUTTON (header_widget (note, is_null_toggle, NULL));
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (note)));

  /* A null default on an optional field means “leave it out”: the field starts empty. */
  g_assert_false (gtk_toggle_button_get_active (toggle));
  set_text (fixture, "limit", "5");
  assert_arguments (fixture, "{\"limit\": 5}");

  set_text (fixture, "note", "kept");
  gtk_toggle_button_set_active (toggle, TRUE);
  g_assert_false (gtk_widget_get_sensitive (text));
  assert_arguments (fixture, "{\"limit\": 5, \"note\": null}");
  gtk_toggle_button_set_active (toggle, FALSE);
  g_assert_true (gtk_widget_get_sensitive (text));
  assert_arguments (fixture, "{\"limit\": 5, \"note\": \"kept\"}");

  /* A required nullable field can be satisfied with null. */
  set_text (fixture, "limit", "");
  assert_invalid (fixture, "limit: A value is required");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (header_widget (control (fixture, "limit"),
                                                                  is_null_toggle, NULL)), TRUE);
  assert_arguments (fixture, "{\"limit\": null, \"note\": \"kept\"}");

  /* An object can be null too, which closes it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (header_widget (control (fixture, "opts"),
                                                                  is_null_toggle, NULL)), TRUE);
  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (control (fixture,
                                                                                    "opts"))));
  assert_arguments (fixture, "{\"limit\": null, \"note\": \"kept\", \"opts\": null}");
}

/* Alternatives */

static const char variants_schema[] =
  "{\"type\": \"object\", \"required\": [\"shape\"], \"properties\": {"
  "  \"shape\": {\"title\": \"Shape\", \"oneOf\": ["
  "    {\"type\": \"object\", \"title\": \"Circle\", \"required\": [\"kind\", \"radius\"],"
  "     \"properties\": {\"kind\": {\"const\": \"circle\"},"
  "                      \"radius\": {\"type\": \"number\"}}},"
  "    {\"type\": \"object\", \"title\": \"Rectangle\", \"required\": [\"kind\", \"w\", \"h\"],"
  "     \"properties\": {\"kind\": {\"const\": \"rect\"},"
  "                      \"w\": {\"type\": \"number\"}, \"h\": {\"type\": \"number\"}}}]},"
  "  \"id\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}}}";

static void
test_variants_selector (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *shape;
  AdwComboRow *selector;

  load_schema (fixture, variants_schema);
  shape = control (fixture, "shape");
  g_assert_true (ADW_IS_EXPANDER_ROW (shape));
  selector = ADW_COMBO_ROW (find_widget (shape, is_type,
                                         GSIZE_TO_POINTER (ADW_TYPE_COMBO_ROW), FALSE));
  g_assert_nonnull (selector);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (selector)), ==,
                   "Circle");

  set_text (fixture, "shape.radius", "2");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}}");

  adw_combo_row_set_selected (selector, 1);
  /* The fields of the chosen alternative replace the others. */
  g_assert_null (find_widget (GTK_WIDGET (fixture->form), has_path, "shape.radius", FALSE));
  assert_invalid (fixture, "shape.w: A value is required");
  set_text (fixture, "shape.w", "3");
  set_text (fixture, "shape.h", "4");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"rect\", \"w\": 3, \"h\": 4}}");

  /* Going back finds the circle as it was left. */
  adw_combo_row_set_selected (selector, 0);
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}}");

  /* Alternatives of plain types: an optional one starts at “Not set”. */
  g_assert_cmpstr (selected_label (fixture, "id"), ==, "Not set");
  select_entry (fixture, "id", "Whole Number");
  set_text (fixture, "id", "42");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}, \"id\": 42}");
}

static void
test_variants_at_root (Fixture       *fixture,
                       gconstpointer  data)
{
  load_schema (fixture,
               "{\"anyOf\": ["
               "  {\"type\": \"object\", \"title\": \"By name\", \"required\": [\"name\"],"
               "   \"properties\": {\"name\": {\"type\": \"string\"}}},"
               "  {\"type\": \"object\", \"title\": \"By id\", \"required\": [\"id\"],"
               "   \"properties\": {\"id\": {\"type\": \"integer\"}}}]}");

  g_assert_true (ADW_IS_COMBO_ROW (control (fixture, "")));
  set_text (fixture, "name", "x");
  assert_arguments (fixture, "{\"name\": \"x\"}");
  select_entry (fixture, "", "By id");
  set_text (fixture, "id", "7");
  assert_arguments (fixture, "{\"id\": 7}");
}

/* $ref, $defs, recursion */

static void
test_ref_and_recursion (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *add;
  GtkWidget *include;

  load_schema (fixture,
               "{\"$ref\": \"#/definitions/Node\", \"definitions\": {"
               "  \"Node\": {\"type\": \"object\", \"required\": [\"name\"], \"properties\": {"
               "    \"name\": {\"$ref\": \"#/$defs/Name\"},"
               "    \"children\": {\"type\": \"array\","
               "                   \"items\": {\"$ref\": \"#/definitions/Node\"}},"
               "    \"parent\": {\"$ref\": \"#/definitions/Node\"}}}},"
               " \"$defs\": {\"Name\": {\"type\": \"string\", \"minLength\": 1}}}");

  /* One level: name, children, parent. Nothing below is built. */
  g_assert_cmpuint (count_fields (fixture), ==, 3);
  set_text (fixture, "name", "root");

  add = header_widget (control (fixture, "children"), is_button_with_icon, "list-add-symbolic");
  /* Adding an item builds that one level, opened; its own lists and optional members wait. */
  click (add);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture,
                                                                           "children[0]"))));
  g_assert_cmpuint (count_fields (fixture), ==, 7);
  assert_invalid (fixture, "children[0].name: A value is required");
  set_text (fixture, "children[0].name", "leaf");

  include = header_widget (control (fixture, "parent"), is_switch, NULL);
  gtk_switch_set_active (GTK_SWITCH (include), TRUE);
  set_text (fixture, "parent.name", "up");
  assert_arguments (fixture,
                    "{\"name\": \"root\", \"children\": [{\"name\": \"leaf\"}],"
                    " \"parent\": {\"name\": \"up\"}}");
  g_assert_cmpuint (count_fields (fixture), ==, 10);
}

/* Schemas whose required parts contain themselves: building stops at the first repetition
 * and the rest waits to be opened. */
static void
test_required_recursion_waits (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *left;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"expr\", \"grid\"],"
               " \"properties\": {\"expr\": {\"$ref\": \"#/$defs/Expr\"},"
               "                  \"grid\": {\"$ref\": \"#/$defs/Grid\"}},"
               " \"$defs\": {"
               "  \"Expr\": {\"anyOf\": ["
               "    {\"type\": \"object\", \"title\": \"Sum\", \"required\": [\"left\", \"right\"],"
               "     \"properties\": {\"left\": {\"$ref\": \"#/$defs/Expr\"},"
               "                      \"right\": {\"$ref\": \"#/$defs/Expr\"}}},"
               "    {\"type\": \"number\", \"title\": \"Number\"}]},"
               "  \"Grid\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\"anyOf\": ["
               "     {\"$ref\": \"#/$defs/Grid\"}, {\"type\": \"integer\"}]}}}}");

  /* expr (Sum: left, right, both waiting); grid with one item, a grid that stays empty. */
  g_assert_cmpuint (count_fields (fixture), <, 10);
  left = control (fixture, "expr.left");
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (left)));
  assert_invalid (fixture, "expr.left: A value is required");

  /* Opening one level builds one level. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (left), TRUE);
  select_entry (fixture, "expr.left", "Number");
  set_text (fixture, "expr.left", "1");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (control (fixture, "expr.right")), TRUE);
  select_entry (fixture, "expr.right", "Number");
  set_text (fixture, "expr.right", "2");
  g_assert_cmpuint (count_fields (fixture), <, 20);
  assert_invalid (fixture, "grid[0]: Needs at least 1 item");
  select_entry (fixture, "grid[0]", "Whole Number");
  set_text (fixture, "grid[0]", "5");
  assert_arguments (fixture, "{\"expr\": {\"left\": 1, \"right\": 2}, \"grid\": [5]}");
}

/* Defaults, required marks, omission */

static void
test_defaults_prefilled (Fixture       *fixture,
                         gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"q\": {\"type\": \"string\", \"default\": \"weather\"},"
               "  \"n\": {\"type\": \"integer\", \"default\": 5},"
               "  \"f\": {\"type\": \"boolean\", \"default\": false},"
               "  \"e\": {\"enum\": [\"a\", \"b\"], \"default\": \"b\"},"
               "  \"l\": {\"type\": \"array\", \"default\": [1, 2],"
               "         \"items\": {\"type\": \"integer\"}},"
               "  \"o\": {\"type\": \"object\", \"default\": {\"k\": \"v\"},"
               "         \"properties\": {\"k\": {\"type\": \"string\"}}},"
               "  \"none\": {\"type\": [\"string\", \"null\"], \"default\": null}}}");

  g_assert_cmpstr (get_text (fixture, "q"), ==, "weather");
  g_assert_cmpstr (get_text (fixture, "n"), ==, "5");
  g_assert_cmpstr (selected_label (fixture, "e"), ==, "b");
  /* Defaults are not edits: nothing shows a message. */
  assert_arguments (fixture,
                    "{\"q\": \"weather\", \"n\": 5, \"f\": false, \"e\": \"b\", \"l\": [1, 2],"
                    " \"o\": {\"k\": \"v\"}}");

  /* reset() goes back to them. */
  set_text (fixture, "q", "news");
  tether_schema_form_reset (fixture->form);
  g_assert_cmpstr (get_text (fixture, "q"), ==, "weather");
}

static void
test_required_messages (Fixture       *fixture,
                        gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"name\", \"age\"], \"properties\": {"
               "  \"name\": {\"type\": \"string\"}, \"age\": {\"type\": \"integer\"}}}");

  /* Not shouted at before anything was typed, but the form is not valid. */
  g_assert_null (shown_message (fixture, "name"));
  g_assert_false (tether_schema_form_get_valid (fixture->form));

  /* Typing and clearing shows it. */
  set_text (fixture, "age", "3");
  set_text (fixture, "age", "");
  g_assert_cmpstr (shown_message (fixture, "age"), ==, "A value is required");
  g_assert_null (shown_message (fixture, "name"));

  /* Asking for the arguments names the first and shows all. */
  assert_invalid (fixture, "name: A value is required");
  g_assert_cmpstr (shown_message (fixture, "name"), ==, "A value is required");
  g_assert_true (tether_schema_form_focus_first_invalid (fixture->form));
}

static void
test_optional_empty_omitted (Fixture       *fixture,
                             gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"s\": {\"type\": \"string\"}, \"t\": {\"type\": \"string\", \"maxLength\": 999},"
               "  \"n\": {\"type\": \"number\"}, \"b\": {\"type\": \"boolean\"},"
               "  \"e\": {\"enum\": [1, 2]}, \"l\": {\"type\": \"array\"},"
               "  \"o\": {\"type\": \"object\", \"properties\": {\"x\": {}}},"
               "  \"v\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"number\"}]},"
               "  \"j\": {\"not\": {\"type\": \"null\"}},"
               "  \"ns\": {\"type\": [\"string\", \"null\"]}}}");

  assert_arguments (fixture, "{}");
  set_text (fixture, "s", "x");
  set_text (fixture, "s", "");
  set_text (fixture, "n", "1");
  set_text (fixture, "n", "");
  assert_arguments (fixture, "{}");
}

/* Fallback to JSON */

static void
test_unsupported_json_entry (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *tuple;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"tuple\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"},"
               "                                                     {\"type\": \"number\"}]},"
               "  \"meta\": {\"type\": \"object\","
               "            \"additionalProperties\": {\"type\": \"string\"}},"
               "  \"anything\": {},"
               "  \"loop\": {\"$ref\": \"#/$defs/A\"}},"
               " \"$defs\": {\"A\": {\"$ref\": \"#/$defs/A\"}}}");
  tuple = control (fixture, "tuple");
  g_assert_true (ADW_IS_ENTRY_ROW (tuple));
  g_assert_true (gtk_widget_has_css_class (tuple, "monospace"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (control (fixture, "loop")),
                            "circular"));

  set_text (fixture, "tuple", "[\"a\", 1");
  g_assert_true (g_str_has_prefix (shown_message (fixture, "tuple"), "Not valid JSON at column "));
  g_assert_false (tether_schema_form_get_valid (fixture->form));
  set_text (fixture, "tuple", "[\"a\", 1]");
  set_text (fixture, "meta", "{\"k\": \"v\"}");
  set_text (fixture, "anything", "null");
  assert_arguments (fixture,
                    "{\"tuple\": [\"a\", 1], \"meta\": {\"k\": \"v\"}, \"anything\": null}");

  /* Inside the JSON the schema still applies, and the path goes on into it. */
  set_text (fixture, "meta", "{\"k\": 5}");
  assert_invalid (fixture, "meta.k: Expected text, got 5");
}

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

  ADD ("string/single-line-entry-row-with-title", test_string_entry);
  ADD ("string/multi-line-text-view", test_string_multiline);
  ADD ("string/formats-validated-inline", test_string_formats);
  ADD ("string/date-picker-fills-iso-date", test_string_date_picker);
  ADD ("string/pattern-and-length-messages", test_string_pattern_and_length);
  ADD ("number/integer-bounds-steps-and-parse-errors", test_number_integer);
  ADD ("number/float-bounds-and-output", test_number_float);
  ADD ("boolean/switch-sent-when-set-or-required", test_boolean_switch);
  ADD ("enum/combo-with-titles-null-and-not-set", test_enum_combo);
  ADD ("array/add-move-remove-and-max-items", test_array_add_move_remove);
  ADD ("array/min-items-prefilled-and-kept", test_array_min_items);
  ADD ("array/of-objects-error-names-item-path", test_array_of_objects_error_path);
  ADD ("object/nested-required-opens", test_object_nested);
  ADD ("object/optional-behind-include-switch", test_object_optional_include);
  ADD ("nullable/null-toggle", test_nullable_toggle);
  ADD ("variants/selector-switches-shape-and-keeps-values", test_variants_selector);
  ADD ("variants/at-root", test_variants_at_root);
  ADD ("ref/defs-and-recursion-built-lazily", test_ref_and_recursion);
  ADD ("ref/required-recursion-waits-to-be-opened", test_required_recursion_waits);
  ADD ("defaults-prefilled-and-reset", test_defaults_prefilled);
  ADD ("required-messages-after-touch-or-get", test_required_messages);
  ADD ("optional-empty-fields-omitted", test_optional_empty_omitted);
  ADD ("unsupported-falls-back-to-json-entry", test_unsupported_json_entry);
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
