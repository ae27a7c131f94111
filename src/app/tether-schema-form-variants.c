/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Alternatives (anyOf/oneOf of different shapes): a “Type” selector and the fields of the
 * chosen one. Each alternative is built when first chosen and kept, values included, when
 * another is chosen. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-private.h"

/* Alternatives (anyOf/oneOf of different shapes) */

static int
variants_selected_index (TetherSchemaField *field)
{
  guint selected = adw_combo_row_get_selected (field->selector);

  if (selected == GTK_INVALID_LIST_POSITION || selected < field->n_special)
    return -1;
  return (int) (selected - field->n_special);
}

static TetherSchemaField *
variants_ensure (TetherSchemaField *field,
                 guint              index)
{
  TetherSchemaField *child = g_ptr_array_index (field->children, index);

  if (child != NULL)
    return child;

  tether_schema_form_push_loading (field->form);
  child = tether_schema_field_new (field->form, field,
                                   tether_json_schema_get_variant (field->schema, index),
                                   NULL, 0, TRUE, FALSE);
  g_ptr_array_index (field->children, index) = child;
  tether_schema_field_apply_default (child);
  tether_schema_form_pop_loading (field->form);
  return g_ptr_array_index (field->children, index);
}

static void
variants_selected (GObject           *row,
                   GParamSpec        *pspec,
                   TetherSchemaField *field)
{
  int index = variants_selected_index (field);

  if (index >= 0)
    variants_ensure (field, (guint) index);
  tether_schema_field_relayout (field);
  tether_schema_field_touch (field);
}

static void
variants_expanded (GObject           *row,
                   GParamSpec        *pspec,
                   TetherSchemaField *field)
{
  int index = variants_selected_index (field);

  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)) || index < 0 ||
      g_ptr_array_index (field->children, index) != NULL)
    return;

  variants_ensure (field, (guint) index);
  tether_schema_field_relayout (field);
  tether_schema_form_field_changed (field->form, field);
}

static void
variants_relabel (TetherSchemaField *field)
{
  g_autofree char *label = NULL;

  if (field->parent == NULL)
    return;
  label = g_strdup_printf (_("Type of “%s”"), field->label);
  tether_schema_field_set_accessible_label (field->selector_row, label);
}

static void
variants_build (TetherSchemaField *field)
{
  GtkWidget *selector = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint n = tether_json_schema_get_n_variants (field->schema);

  field->children = g_ptr_array_new ();
  g_ptr_array_set_size (field->children, n);
  field->selector = ADW_COMBO_ROW (selector);
  field->selector_row = g_object_ref_sink (selector);

  if (!field->required)
    {
      gtk_string_list_append (model, _("Not set"));
      field->not_set_entry = TRUE;
      field->n_special++;
    }
  if (tether_json_schema_get_nullable (field->schema))
    {
      gtk_string_list_append (model, _("Null"));
      field->null_entry = TRUE;
      field->n_special++;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = tether_json_schema_dup_variant_label (field->schema, i);

      gtk_string_list_append (model, label);
    }
  adw_combo_row_set_expression (field->selector,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
  adw_combo_row_set_model (field->selector, G_LIST_MODEL (model));
  /* Translators: the selector that picks one of several shapes a value can take */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (selector), _("Type"));

  if (field->parent == NULL)
    {
      field->inline_ = TRUE;
      g_free (field->label);
      field->label = g_strdup (_("Type"));
      field->control = selector;
      tether_schema_field_make_details_row (field, FALSE);
      tether_schema_field_apply_title (field);
    }
  else
    {
      GtkWidget *row = tether_schema_row_new_expander (field);

      tether_schema_field_add_item_buttons (field, tether_schema_row_add_expander_action);
      tether_schema_field_make_details_row (field, FALSE);
      tether_schema_field_apply_title (field);
      variants_relabel (field);
      if (field->required && !tether_schema_field_is_recursive (field))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    }

  adw_combo_row_set_selected (field->selector, field->not_set_entry ? 0 : field->n_special);
  /* An alternative inside itself (an expression whose operands are expressions) is built
   * when its row is opened, not now. */
  if (variants_selected_index (field) >= 0 && !tether_schema_field_is_recursive (field))
    variants_ensure (field, (guint) variants_selected_index (field));
  tether_schema_field_connect (field, selector, "notify::selected",
                               G_CALLBACK (variants_selected));
  if (field->row != NULL)
    tether_schema_field_connect (field, field->row, "notify::expanded",
                                 G_CALLBACK (variants_expanded));
  tether_schema_field_relayout (field);
}

static JsonNode *
variants_dup_value (TetherSchemaField *field,
                    gboolean           draft)
{
  guint selected = adw_combo_row_get_selected (field->selector);
  int index = variants_selected_index (field);

  if (index >= 0)
    {
      TetherSchemaField *child = g_ptr_array_index (field->children, index);

      /* Not built yet (see variants_build): nothing to send. */
      return child != NULL ? tether_schema_field_dup_value (child, draft) : NULL;
    }
  if (selected == GTK_INVALID_LIST_POSITION || (field->not_set_entry && selected == 0))
    return NULL;
  return json_node_init_null (json_node_alloc ());
}

static gboolean
variants_set_value (TetherSchemaField *field,
                    JsonNode          *value)
{
  int index;

  if (value == NULL)
    {
      for (guint i = 0; i < field->children->len; i++)
        if (g_ptr_array_index (field->children, i) != NULL)
          tether_schema_field_set_value (g_ptr_array_index (field->children, i), NULL);
      adw_combo_row_set_selected (field->selector, field->not_set_entry ? 0 : field->n_special);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (value))
    {
      if (!field->null_entry)
        return FALSE;
      adw_combo_row_set_selected (field->selector, field->n_special - 1);
      return TRUE;
    }

  index = tether_json_schema_match_variant (field->schema, value);
  if (index < 0)
    return FALSE;

  variants_ensure (field, (guint) index);
  adw_combo_row_set_selected (field->selector, field->n_special + (guint) index);
  tether_schema_field_set_value (g_ptr_array_index (field->children, index), value);
  tether_schema_field_relayout (field);
  return TRUE;
}

static void
variants_check (TetherSchemaField *field)
{
  int index = variants_selected_index (field);

  if (index >= 0 && g_ptr_array_index (field->children, index) == NULL)
    tether_schema_field_set_message (field, _("A value is required"), TRUE);
  else
    tether_schema_field_set_message (field, NULL, FALSE);
}

static void
variants_collect_content (TetherSchemaField *field,
                          GPtrArray         *rows)
{
  int index = variants_selected_index (field);

  g_ptr_array_add (rows, g_object_ref (field->selector_row));
  if (index >= 0 && g_ptr_array_index (field->children, index) != NULL)
    tether_schema_field_collect_rows (g_ptr_array_index (field->children, index), rows);
}

static void
variants_active_children (TetherSchemaField *field,
                          GPtrArray         *children)
{
  int index = variants_selected_index (field);

  if (index >= 0 && g_ptr_array_index (field->children, index) != NULL)
    g_ptr_array_add (children, g_ptr_array_index (field->children, index));
}

static void
variants_set_null (TetherSchemaField *field,
                   gboolean           is_null)
{
}

const TetherSchemaFieldOps tether_schema_variants_ops = {
  .build = variants_build,
  .dup_value = variants_dup_value,
  .set_value = variants_set_value,
  .check = variants_check,
  .set_null = variants_set_null,
  .collect_content = variants_collect_content,
  .relabel = variants_relabel,
  .active_children = variants_active_children,
};
