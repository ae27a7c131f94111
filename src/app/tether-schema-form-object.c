/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Objects: an expander row of their properties (or, for the root and a chosen alternative,
 * the properties straight in the container). A level is built when it is opened, included or
 * given a value, so a recursive schema costs only what the person unfolds. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-private.h"

/* Objects */

static gboolean
object_is_included (TetherSchemaField *field)
{
  return field->include_switch == NULL || gtk_switch_get_active (field->include_switch);
}

static void
object_build_children (TetherSchemaField *field)
{
  const char * const *names;

  if (field->built)
    return;
  field->built = TRUE;

  tether_schema_form_push_loading (field->form);
  names = tether_json_schema_get_property_names (field->schema);
  for (guint i = 0; names[i] != NULL; i++)
    {
      TetherSchemaField *child;

      child = tether_schema_field_new (field->form, field,
                                       tether_json_schema_get_property (field->schema, names[i]),
                                       names[i], 0,
                                       tether_json_schema_is_required (field->schema, names[i]),
                                       FALSE);
      g_ptr_array_add (field->children, child);
      tether_schema_field_apply_default (child);
    }
  tether_schema_field_relayout (field);
  tether_schema_form_pop_loading (field->form);
}

static void
object_expanded (GObject           *row,
                 GParamSpec        *pspec,
                 TetherSchemaField *field)
{
  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)) || field->built)
    return;

  object_build_children (field);
  tether_schema_form_field_changed (field->form, field);
}

static void
object_include_changed (GObject           *toggle,
                        GParamSpec        *pspec,
                        TetherSchemaField *field)
{
  gboolean included = gtk_switch_get_active (GTK_SWITCH (toggle));

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (field->row),
                                         included && !tether_schema_field_is_null (field));
  if (included && !tether_schema_form_is_loading (field->form))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field->row), TRUE);
  tether_schema_field_touch (field);
}

static void
object_relabel (TetherSchemaField *field)
{
  if (field->include_switch != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Include “%s”"), field->label);

      tether_schema_field_set_accessible_label (GTK_WIDGET (field->include_switch), label);
    }
}

static void
object_build (TetherSchemaField *field)
{
  GtkWidget *row;

  field->children = g_ptr_array_new ();

  /* The root's properties go straight into the form; so do those of a chosen alternative,
   * right under its selector. */
  if (field->parent == NULL || field->parent->ops == &tether_schema_variants_ops)
    {
      field->inline_ = TRUE;
      tether_schema_field_make_details_row (field, FALSE);
      object_build_children (field);
      return;
    }

  row = tether_schema_row_new_expander (field);
  if (!field->required)
    {
      GtkWidget *toggle = gtk_switch_new ();

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (toggle, _("Include in the arguments"));
      tether_schema_row_add_expander_action (row, toggle);
      field->include_switch = GTK_SWITCH (toggle);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);
      tether_schema_field_connect (field, toggle, "notify::active",
                                   G_CALLBACK (object_include_changed));
    }
  tether_schema_field_add_null_toggle (field, tether_schema_row_add_expander_action);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_expander_action);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
  object_relabel (field);
  tether_schema_field_connect (field, row, "notify::expanded", G_CALLBACK (object_expanded));

  /* A required object is opened at once, unless it is its own ancestor. */
  if (field->required && !tether_schema_field_is_recursive (field))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
}

static JsonNode *
object_dup_value (TetherSchemaField *field,
                  gboolean           draft)
{
  g_autoptr(JsonObject) object = NULL;

  if (!object_is_included (field))
    return NULL;

  if (!field->built)
    {
      JsonNode *value = tether_json_schema_build_default (field->schema);

      if (value != NULL && JSON_NODE_HOLDS_OBJECT (value))
        return value;
      g_clear_pointer (&value, json_node_unref);
      return json_node_init_object (json_node_alloc (), json_object_new ());
    }

  object = json_object_new ();
  for (guint i = 0; i < field->children->len; i++)
    {
      TetherSchemaField *child = g_ptr_array_index (field->children, i);
      JsonNode *value = tether_schema_field_dup_value (child, draft);

      if (value != NULL)
        json_object_set_member (object, child->name, value);
    }

  if (field->extra != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (field->extra);

      for (const GList *l = names; l != NULL; l = l->next)
        if (!json_object_has_member (object, l->data))
          json_object_set_member (object, l->data,
                                  json_node_copy (json_object_get_member (field->extra, l->data)));
    }

  return json_node_init_object (json_node_alloc (), object);
}

static gboolean
object_set_value (TetherSchemaField *field,
                  JsonNode          *value)
{
  JsonObject *object;
  g_autoptr(GList) names = NULL;

  g_clear_pointer (&field->extra, json_object_unref);

  if (value == NULL)
    {
      if (field->include_switch != NULL)
        gtk_switch_set_active (field->include_switch, FALSE);
      if (field->built)
        for (guint i = 0; i < field->children->len; i++)
          tether_schema_field_set_value (g_ptr_array_index (field->children, i), NULL);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (value))
    return FALSE;

  object = json_node_get_object (value);
  if (field->include_switch != NULL)
    gtk_switch_set_active (field->include_switch, TRUE);
  object_build_children (field);

  /* Children may be replaced by JSON editors while this runs: index, do not hold. */
  for (guint i = 0; i < field->children->len; i++)
    {
      TetherSchemaField *child = g_ptr_array_index (field->children, i);

      tether_schema_field_set_value (child, json_object_get_member (object, child->name));
    }

  names = json_object_get_members (object);
  for (const GList *l = names; l != NULL; l = l->next)
    if (tether_json_schema_get_property (field->schema, l->data) == NULL)
      {
        if (field->extra == NULL)
          field->extra = json_object_new ();
        json_object_set_member (field->extra, l->data,
                                json_node_copy (json_object_get_member (object, l->data)));
      }
  return TRUE;
}

static void
object_check (TetherSchemaField *field)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!object_is_included (field))
    {
      tether_schema_field_set_message (field, NULL, FALSE);
      return;
    }

  value = object_dup_value (field, FALSE);
  if (field->built)
    {
      tether_schema_field_check_own_level (field, value);
      return;
    }

  /* Not opened yet: its default stands for it and must be complete. */
  if (tether_json_schema_validate (field->schema, value, &path, &error))
    tether_schema_field_set_message (field, NULL, FALSE);
  else
    {
      tether_schema_field_set_message (field, error->message, TRUE);
      g_free (field->message_path);
      field->message_path = g_steal_pointer (&path);
    }
}

static void
object_set_null (TetherSchemaField *field,
                 gboolean           is_null)
{
  if (field->inline_)
    return;

  if (is_null)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field->row), FALSE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (field->row),
                                         !is_null && object_is_included (field));
  if (field->include_switch != NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (field->include_switch), !is_null);
}

static void
object_active_children (TetherSchemaField *field,
                        GPtrArray         *children)
{
  if (!object_is_included (field) || !field->built)
    return;
  for (guint i = 0; i < field->children->len; i++)
    g_ptr_array_add (children, g_ptr_array_index (field->children, i));
}

const TetherSchemaFieldOps tether_schema_object_ops = {
  .build = object_build,
  .dup_value = object_dup_value,
  .set_value = object_set_value,
  .check = object_check,
  .set_null = object_set_null,
  .collect_content = tether_schema_field_collect_children_rows,
  .relabel = object_relabel,
  .active_children = object_active_children,
};
