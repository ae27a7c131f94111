/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lists: items that can be added, moved up and down, and removed, within minItems and
 * maxItems. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-private.h"

/* Lists */

static void
list_update_header (TetherSchemaField *field)
{
  guint n = field->children->len;
  guint max_items;
  g_autofree char *count = g_strdup_printf (ngettext ("%u item", "%u items", n), n);
  gboolean can_add = !tether_schema_field_is_null (field);

  if (tether_json_schema_get_count (field->schema, "maxItems", &max_items) && n >= max_items)
    can_add = FALSE;

  gtk_label_set_text (field->count_label, count);
  gtk_widget_set_sensitive (field->add_button, can_add);
}

static void
list_items_changed (TetherSchemaField *field)
{
  for (guint i = 0; i < field->children->len; i++)
    tether_schema_field_update_item_buttons (g_ptr_array_index (field->children, i));
  list_update_header (field);
  tether_schema_field_relayout (field);
}

static TetherSchemaField *
list_append_item (TetherSchemaField *field,
                  JsonNode          *value)
{
  guint position = field->children->len;
  TetherSchemaField *item;

  item = tether_schema_field_new (field->form, field,
                                  tether_json_schema_get_items (field->schema),
                                  NULL, position, TRUE, TRUE);
  g_ptr_array_add (field->children, item);
  if (value != NULL)
    tether_schema_field_set_value (item, value);
  else
    tether_schema_field_apply_default (item);
  return g_ptr_array_index (field->children, position);
}

static void
list_clear (TetherSchemaField *field)
{
  while (field->children->len > 0)
    tether_schema_field_free (g_ptr_array_steal_index (field->children,
                                                       field->children->len - 1));
}

static void
add_clicked (GtkButton         *button,
             TetherSchemaField *field)
{
  TetherSchemaField *item;

  tether_schema_form_push_loading (field->form);
  item = list_append_item (field, NULL);
  if (ADW_IS_EXPANDER_ROW (item->row) &&
      adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (item->row)))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (item->row), TRUE);
  list_items_changed (field);
  tether_schema_form_pop_loading (field->form);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field->row), TRUE);
  if (item->control != NULL)
    gtk_widget_grab_focus (item->control);
  tether_schema_field_touch (field);
}

static void
list_relabel (TetherSchemaField *field)
{
  g_autofree char *label = g_strdup_printf (_("Add an item to “%s”"), field->label);

  tether_schema_field_set_accessible_label (field->add_button, label);
}

static void
list_build (TetherSchemaField *field)
{
  GtkWidget *row = tether_schema_row_new_expander (field);
  GtkWidget *count = gtk_label_new (NULL);
  guint min_items = 0;

  field->children = g_ptr_array_new ();

  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  tether_schema_row_add_expander_action (row, count);
  field->count_label = GTK_LABEL (count);

  field->add_button = tether_schema_field_make_icon_button ("list-add-symbolic", _("Add Item"));
  tether_schema_row_add_expander_action (row, field->add_button);
  tether_schema_field_connect (field, field->add_button, "clicked", G_CALLBACK (add_clicked));

  tether_schema_field_add_null_toggle (field, tether_schema_row_add_expander_action);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_expander_action);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
  list_relabel (field);

  /* A required list starts with as many empty items as it needs, unless its items could hold
   * this very list again. */
  if (field->required && !tether_schema_field_is_recursive (field) &&
      tether_json_schema_get_count (field->schema, "minItems", &min_items))
    for (guint i = 0; i < MIN (min_items, 16); i++)
      list_append_item (field, NULL);
  list_items_changed (field);
}

static void
release_row (gpointer data)
{
  g_object_unref (data);
}

static gboolean
release_row_idle (gpointer data)
{
  return G_SOURCE_REMOVE;
}

void
tether_schema_list_remove_item (TetherSchemaField *list,
                                guint              index)
{
  TetherSchemaField *item;
  TetherSchemaField *next_focus = NULL;

  if (index >= list->children->len)
    return;

  item = g_ptr_array_steal_index (list->children, index);
  /* The remove button being clicked is inside this row: keep it alive until the click is
   * over. */
  if (item->row != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, release_row_idle, g_object_ref (item->row),
                     release_row);
  tether_schema_field_free (item);

  for (guint i = index; i < list->children->len; i++)
    {
      TetherSchemaField *moved = g_ptr_array_index (list->children, i);

      moved->index = i;
      tether_schema_field_set_label (moved, NULL);
    }
  list_items_changed (list);

  if (list->children->len > 0)
    next_focus = g_ptr_array_index (list->children, MIN (index, list->children->len - 1));
  if (next_focus != NULL && next_focus->remove_button != NULL &&
      gtk_widget_get_sensitive (next_focus->remove_button))
    gtk_widget_grab_focus (next_focus->remove_button);
  else
    gtk_widget_grab_focus (list->add_button);

  tether_schema_field_touch (list);
}

void
tether_schema_list_move_item (TetherSchemaField *list,
                              guint              from,
                              guint              to)
{
  TetherSchemaField *item;
  TetherSchemaField *other;
  GtkWidget *focus;

  if (from >= list->children->len || to >= list->children->len || from == to)
    return;

  item = g_ptr_array_index (list->children, from);
  other = g_ptr_array_index (list->children, to);
  g_ptr_array_index (list->children, to) = item;
  g_ptr_array_index (list->children, from) = other;
  item->index = to;
  other->index = from;
  tether_schema_field_set_label (item, NULL);
  tether_schema_field_set_label (other, NULL);
  list_items_changed (list);

  /* Keep the keyboard on the button that was used, so pressing it again moves further. */
  focus = to < from ? item->up_button : item->down_button;
  if (focus != NULL && !gtk_widget_get_sensitive (focus))
    focus = to < from ? item->down_button : item->up_button;
  if (focus != NULL)
    gtk_widget_grab_focus (focus);

  tether_schema_field_touch (list);
}

static JsonNode *
list_dup_value (TetherSchemaField *field,
                gboolean           draft)
{
  g_autoptr(JsonArray) array = NULL;

  if (field->children->len == 0 && !field->required)
    return NULL;

  array = json_array_new ();
  for (guint i = 0; i < field->children->len; i++)
    {
      JsonNode *value = tether_schema_field_dup_value (g_ptr_array_index (field->children, i),
                                                       draft);

      if (value != NULL)
        json_array_add_element (array, value);
    }
  return json_node_init_array (json_node_alloc (), array);
}

static gboolean
list_set_value (TetherSchemaField *field,
                JsonNode          *value)
{
  JsonArray *array;

  if (value != NULL && !JSON_NODE_HOLDS_ARRAY (value))
    return FALSE;

  list_clear (field);
  if (value != NULL)
    {
      array = json_node_get_array (value);
      for (guint i = 0; i < json_array_get_length (array); i++)
        list_append_item (field, json_array_get_element (array, i));
    }
  list_items_changed (field);
  return TRUE;
}

static void
list_check (TetherSchemaField *field)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(JsonNode) value = NULL;

  if (field->children->len == 0 && !field->required)
    {
      tether_schema_field_set_message (field, NULL, FALSE);
      return;
    }

  /* Empty items count as items here: they say so themselves, and the list should not
   * claim to be short of items because of them. */
  array = json_array_new ();
  for (guint i = 0; i < field->children->len; i++)
    {
      JsonNode *item = tether_schema_field_dup_value (g_ptr_array_index (field->children, i),
                                                      FALSE);

      if (item == NULL)
        item = json_node_init_null (json_node_alloc ());
      json_array_add_element (array, item);
    }
  value = json_node_init_array (json_node_alloc (), g_steal_pointer (&array));
  tether_schema_field_check_own_level (field, value);
}

static void
list_set_null (TetherSchemaField *field,
               gboolean           is_null)
{
  if (is_null)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field->row), FALSE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (field->row), !is_null);
  list_update_header (field);
}

static void
list_active_children (TetherSchemaField *field,
                      GPtrArray         *children)
{
  for (guint i = 0; i < field->children->len; i++)
    g_ptr_array_add (children, g_ptr_array_index (field->children, i));
}

const TetherSchemaFieldOps tether_schema_list_ops = {
  .build = list_build,
  .dup_value = list_dup_value,
  .set_value = list_set_value,
  .check = list_check,
  .set_null = list_set_null,
  .collect_content = tether_schema_field_collect_children_rows,
  .relabel = list_relabel,
  .active_children = list_active_children,
};
