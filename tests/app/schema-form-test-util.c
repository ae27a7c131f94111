/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the TetherSchemaForm tests: see schema-form-test-util.h. */
#include "config.h"

#include "schema-form-test-util.h"

JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->form = TETHER_SCHEMA_FORM (tether_schema_form_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->form));
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  drain_events ();
}

void
load_schema (Fixture    *fixture,
             const char *schema_text)
{
  g_autoptr(JsonObject) schema = parse_object (schema_text);

  tether_schema_form_set_schema (fixture->form, schema);
}

/* Depth first, in tree order; @skip_nested stops at the list inside an expander row so that
 * only the row's own header is searched. */
GtkWidget *
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

void
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

gboolean
has_path (GtkWidget     *widget,
          gconstpointer  path)
{
  return g_strcmp0 (g_object_get_data (G_OBJECT (widget), TETHER_SCHEMA_FORM_PATH_KEY), path) == 0;
}

gboolean
has_any_path (GtkWidget     *widget,
              gconstpointer  data)
{
  return g_object_get_data (G_OBJECT (widget), TETHER_SCHEMA_FORM_PATH_KEY) != NULL;
}

gboolean
is_button_with_icon (GtkWidget     *widget,
                     gconstpointer  icon)
{
  return GTK_IS_BUTTON (widget) && !GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

gboolean
is_null_toggle (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && gtk_widget_has_css_class (widget, "tether-null-toggle");
}

gboolean
is_switch (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_SWITCH (widget);
}

gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GPtrArray *
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
GtkWidget *
control (Fixture    *fixture,
         const char *path)
{
  g_autoptr(GPtrArray) found = controls_with_path (fixture, path);

  return g_ptr_array_index (found, found->len - 1);
}

GtkWidget *
header_widget (GtkWidget       *row,
               WidgetPredicate  predicate,
               gconstpointer    data)
{
  GtkWidget *found = find_widget (row, predicate, data, TRUE);

  g_assert_nonnull (found);
  return found;
}

void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  drain_events ();
}

void
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

const char *
get_text (Fixture    *fixture,
          const char *path)
{
  return gtk_editable_get_text (GTK_EDITABLE (control (fixture, path)));
}

/* The combo of a choice, or the “Type” selector of alternatives. */
AdwComboRow *
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

void
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

const char *
selected_label (Fixture    *fixture,
                const char *path)
{
  AdwComboRow *combo = combo_row (fixture, path);

  return gtk_string_object_get_string (adw_combo_row_get_selected_item (combo));
}

void
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

void
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

void
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
const char *
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

guint
count_fields (Fixture *fixture)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->form), has_any_path, NULL, found);
  return found->len;
}

void
count_emission (guint *counter)
{
  (*counter)++;
}
