/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every field of a TetherSchemaForm shares: choosing the editor for a schema, getting
 * and setting its value (a value its editor cannot show turns it into a JSON editor),
 * checking it, and placing rows into their container. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-private.h"

static const TetherSchemaFieldOps *
pick_ops (TetherJsonSchema *schema,
          const char       *name,
          gboolean          root)
{
  TetherJsonSchemaKind kind = tether_json_schema_get_kind (schema);

  /* The arguments are an object: a root of any other shape is edited as JSON. */
  if (root && kind != TETHER_JSON_SCHEMA_KIND_OBJECT && kind != TETHER_JSON_SCHEMA_KIND_VARIANTS)
    return &tether_schema_json_ops;

  switch (kind)
    {
    case TETHER_JSON_SCHEMA_KIND_STRING:
      if (tether_json_schema_prefers_multiline (schema, name))
        return &tether_schema_multiline_ops;
      return &tether_schema_text_ops;
    case TETHER_JSON_SCHEMA_KIND_NUMBER:
    case TETHER_JSON_SCHEMA_KIND_INTEGER:
      return &tether_schema_number_ops;
    case TETHER_JSON_SCHEMA_KIND_BOOLEAN:
      return &tether_schema_boolean_ops;
    case TETHER_JSON_SCHEMA_KIND_ENUM:
      return &tether_schema_choice_ops;
    case TETHER_JSON_SCHEMA_KIND_CONST:
    case TETHER_JSON_SCHEMA_KIND_NULL:
      return &tether_schema_constant_ops;
    case TETHER_JSON_SCHEMA_KIND_ARRAY:
      return &tether_schema_list_ops;
    case TETHER_JSON_SCHEMA_KIND_OBJECT:
      /* A nested object without listed properties is free-form: JSON says it best. */
      if (!root && tether_json_schema_get_property_names (schema)[0] == NULL)
        return &tether_schema_json_ops;
      return &tether_schema_object_ops;
    case TETHER_JSON_SCHEMA_KIND_VARIANTS:
      return &tether_schema_variants_ops;
    case TETHER_JSON_SCHEMA_KIND_ANY:
    case TETHER_JSON_SCHEMA_KIND_UNSUPPORTED:
    default:
      return &tether_schema_json_ops;
    }
}

char *
tether_schema_field_dup_default_label (TetherSchemaField *field)
{
  const char *title = tether_json_schema_get_title (field->schema);

  if (field->in_list)
    {
      if (title != NULL)
        /* Translators: an item's title and its position in its list, counted from 1 */
        return g_strdup_printf (_("%s %u"), title, field->index + 1);
      return g_strdup_printf (_("Item %u"), field->index + 1);
    }
  if (title != NULL)
    return g_strdup (title);
  if (field->name != NULL)
    return g_strdup (field->name);
  /* The value of an alternative that is not an object, under the "Type" selector. */
  return g_strdup (_("Value"));
}

static TetherSchemaField *
field_alloc (TetherSchemaForm  *form,
             TetherSchemaField *parent,
             TetherJsonSchema  *schema,
             const char        *name,
             guint              index,
             gboolean           required,
             gboolean           in_list)
{
  TetherSchemaField *field = g_new0 (TetherSchemaField, 1);

  field->form = form;
  field->parent = parent;
  field->schema = g_object_ref (schema);
  field->name = g_strdup (name);
  field->index = index;
  field->required = required;
  field->in_list = in_list;
  field->connected = g_ptr_array_new ();
  return field;
}

/**
 * tether_schema_field_new:
 * @parent: (nullable): %NULL for the form's root
 *
 * Makes the editor that suits @schema, with its rows, empty. The caller puts it where it
 * belongs and then calls tether_schema_field_apply_default().
 */
TetherSchemaField *
tether_schema_field_new (TetherSchemaForm  *form,
                         TetherSchemaField *parent,
                         TetherJsonSchema  *schema,
                         const char        *name,
                         guint              index,
                         gboolean           required,
                         gboolean           in_list)
{
  TetherSchemaField *field = field_alloc (form, parent, schema, name, index, required, in_list);

  field->ops = pick_ops (schema, name, parent == NULL);
  field->label = tether_schema_field_dup_default_label (field);
  field->ops->build (field);
  return field;
}

/* A raw JSON editor in the place of @like: for values its own editor cannot show. */
TetherSchemaField *
tether_schema_field_new_json (TetherSchemaField *like)
{
  TetherSchemaField *field = field_alloc (like->form, like->parent, like->schema, like->name,
                                          like->index, like->required, like->in_list);

  field->ops = &tether_schema_json_ops;
  field->label = g_strdup (like->label);
  field->touched = like->touched;
  field->ops->build (field);
  return field;
}

static void
remove_placed_rows (TetherSchemaField *field)
{
  if (field->placed == NULL || field->container == NULL)
    return;

  for (guint i = 0; i < field->placed->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (field->placed, i);

      if (ADW_IS_EXPANDER_ROW (field->container))
        adw_expander_row_remove (ADW_EXPANDER_ROW (field->container), row);
      else
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (field->container), row);
    }
  g_ptr_array_set_size (field->placed, 0);
}

void
tether_schema_field_free (TetherSchemaField *field)
{
  if (field == NULL)
    return;

  for (guint i = 0; i < field->connected->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (field->connected, i), field);

  if (field->children != NULL)
    for (guint i = 0; i < field->children->len; i++)
      tether_schema_field_free (g_ptr_array_index (field->children, i));
  g_clear_pointer (&field->children, g_ptr_array_unref);

  remove_placed_rows (field);
  g_clear_pointer (&field->placed, g_ptr_array_unref);
  g_clear_pointer (&field->extra, json_object_unref);
  g_clear_object (&field->row);
  g_clear_object (&field->selector_row);
  g_clear_object (&field->details_row);
  g_clear_object (&field->schema);
  g_clear_pointer (&field->connected, g_ptr_array_unref);
  g_free (field->name);
  g_free (field->label);
  g_free (field->message);
  g_free (field->message_path);
  g_free (field);
}

void
tether_schema_field_connect (TetherSchemaField *field,
                             gpointer           instance,
                             const char        *signal,
                             GCallback          callback)
{
  g_signal_connect (instance, signal, callback, field);
  if (!g_ptr_array_find (field->connected, instance, NULL))
    g_ptr_array_add (field->connected, instance);
}

gboolean
tether_schema_field_is_null (TetherSchemaField *field)
{
  return field->null_toggle != NULL && gtk_toggle_button_get_active (field->null_toggle);
}

/**
 * tether_schema_field_dup_value:
 * @draft: when %TRUE, keep what cannot be valid too (text typed into a number field goes out
 *   as a string), so that switching to the JSON editor loses nothing
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when the field is left out
 */
JsonNode *
tether_schema_field_dup_value (TetherSchemaField *field,
                               gboolean           draft)
{
  if (tether_schema_field_is_null (field))
    return json_node_init_null (json_node_alloc ());
  return field->ops->dup_value (field, draft);
}

static TetherSchemaField *
replace_with_json (TetherSchemaField *field,
                   JsonNode          *value)
{
  TetherSchemaField *parent = field->parent;
  TetherSchemaField *json;
  guint position;

  if (parent == NULL || parent->children == NULL ||
      !g_ptr_array_find (parent->children, field, &position))
    return field;

  json = tether_schema_field_new_json (field);
  g_ptr_array_index (parent->children, position) = json;
  tether_schema_field_free (field);

  json->ops->set_value (json, value);
  tether_schema_field_relayout (parent);
  tether_schema_field_update_item_buttons (json);
  tether_schema_field_check (json);
  return json;
}

/**
 * tether_schema_field_set_value:
 * @value: (nullable): the new value; %NULL empties the field
 *
 * A value the field's editor cannot show (a number for a text field, an unknown enum value)
 * replaces the field with a JSON editor holding it, so nothing is lost.
 *
 * Returns: (transfer none): the field now in this place
 */
TetherSchemaField *
tether_schema_field_set_value (TetherSchemaField *field,
                               JsonNode          *value)
{
  if (value != NULL && JSON_NODE_HOLDS_NULL (value) && field->null_toggle != NULL)
    {
      gtk_toggle_button_set_active (field->null_toggle, TRUE);
      field->ops->set_null (field, TRUE);
      tether_schema_field_check (field);
      return field;
    }

  if (field->null_toggle != NULL && gtk_toggle_button_get_active (field->null_toggle))
    {
      gtk_toggle_button_set_active (field->null_toggle, FALSE);
      field->ops->set_null (field, FALSE);
    }

  if (!field->ops->set_value (field, value))
    return replace_with_json (field, value);

  tether_schema_field_check (field);
  return field;
}

/* Prefills the schema's default. A null default on an optional field is what leaving it out
 * already means, so the field stays empty instead of starting as null. */
void
tether_schema_field_apply_default (TetherSchemaField *field)
{
  JsonNode *value = tether_json_schema_get_default (field->schema);

  if (value == NULL || (JSON_NODE_HOLDS_NULL (value) && !field->required))
    {
      tether_schema_field_check (field);
      return;
    }
  tether_schema_field_set_value (field, value);
}

void
tether_schema_field_set_message (TetherSchemaField *field,
                                 const char        *message,
                                 gboolean           needs_touch)
{
  if (g_strcmp0 (field->message, message) != 0)
    {
      g_free (field->message);
      field->message = g_strdup (message);
    }
  field->message_needs_touch = needs_touch;
  if (message == NULL)
    g_clear_pointer (&field->message_path, g_free);
}

void
tether_schema_field_check (TetherSchemaField *field)
{
  if (tether_schema_field_is_null (field))
    tether_schema_field_set_message (field, NULL, FALSE);
  else
    field->ops->check (field);
  tether_schema_field_update_message (field);
}

void
tether_schema_field_update_message (TetherSchemaField *field)
{
  gboolean reveal = tether_schema_form_get_reveal (field->form);
  gboolean show = field->message != NULL &&
                  (!field->message_needs_touch || field->touched || reveal);
  gboolean details_visible;

  if (field->message_label == NULL)
    return;

  if (show && field->message_path != NULL && *field->message_path != '\0')
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", field->message_path, field->message);

      gtk_label_set_text (field->message_label, text);
    }
  else
    gtk_label_set_text (field->message_label, show ? field->message : "");
  gtk_widget_set_visible (GTK_WIDGET (field->message_label), show);

  details_visible = show || field->description_in_details;
  gtk_widget_set_visible (field->details_row, details_visible);

  if (field->row != NULL)
    {
      if (details_visible && !ADW_IS_EXPANDER_ROW (field->row))
        gtk_widget_add_css_class (field->row, "tether-has-details");
      else
        gtk_widget_remove_css_class (field->row, "tether-has-details");

      if (show && ADW_IS_ENTRY_ROW (field->row))
        gtk_widget_add_css_class (field->row, "error");
      else
        gtk_widget_remove_css_class (field->row, "error");
    }

  if (field->control != NULL)
    {
      GtkWidget *targets[2] = { field->control, NULL };

      if (ADW_IS_ENTRY_ROW (field->control))
        targets[1] = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (field->control)));

      for (guint i = 0; i < G_N_ELEMENTS (targets) && targets[i] != NULL; i++)
        {
          GtkAccessible *accessible = GTK_ACCESSIBLE (targets[i]);

          gtk_accessible_update_state (accessible,
                                       GTK_ACCESSIBLE_STATE_INVALID,
                                       show ? GTK_ACCESSIBLE_INVALID_TRUE
                                            : GTK_ACCESSIBLE_INVALID_FALSE,
                                       -1);
          if (show)
            /* A single reference: no NULL after it, unlike the list relations. */
            gtk_accessible_update_relation (accessible,
                                            GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE,
                                            field->message_label,
                                            -1);
          else
            gtk_accessible_reset_relation (accessible, GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
        }
    }
}

static void
active_children (TetherSchemaField *field,
                 GPtrArray         *children)
{
  if (field->ops->active_children != NULL && !tether_schema_field_is_null (field))
    field->ops->active_children (field, children);
}

/* After get_arguments() failed every message shows, touched or not. */
void
tether_schema_field_update_messages (TetherSchemaField *field)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  tether_schema_field_update_message (field);
  active_children (field, children);
  for (guint i = 0; i < children->len; i++)
    tether_schema_field_update_messages (g_ptr_array_index (children, i));
}

/* The first problem in display order, depth first. */
gboolean
tether_schema_field_find_invalid (TetherSchemaField  *field,
                                  char              **path,
                                  char              **message,
                                  TetherSchemaField **where)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  if (field->message != NULL)
    {
      g_autoptr(GString) location = g_string_new (NULL);
      g_autofree char *own = tether_schema_field_dup_path (field);

      g_string_append (location, own);
      if (field->message_path != NULL && *field->message_path != '\0')
        {
          if (location->len > 0 && field->message_path[0] != '[')
            g_string_append_c (location, '.');
          g_string_append (location, field->message_path);
        }
      *path = g_string_free (g_steal_pointer (&location), FALSE);
      *message = g_strdup (field->message);
      *where = field;
      return TRUE;
    }

  active_children (field, children);
  for (guint i = 0; i < children->len; i++)
    if (tether_schema_field_find_invalid (g_ptr_array_index (children, i), path, message, where))
      return TRUE;
  return FALSE;
}

void
tether_schema_field_collect_rows (TetherSchemaField *field,
                                  GPtrArray         *rows)
{
  if (field->inline_)
    {
      if (field->ops->collect_content != NULL)
        field->ops->collect_content (field, rows);
    }
  else if (field->row != NULL)
    g_ptr_array_add (rows, g_object_ref (field->row));

  if (field->details_row != NULL)
    g_ptr_array_add (rows, g_object_ref (field->details_row));
}

/* Puts the rows that belong in the container of @field (or of the nearest ancestor that has
 * one) there again, in order: after items were added, moved or removed, or another
 * alternative was chosen. */
void
tether_schema_field_relayout (TetherSchemaField *field)
{
  TetherSchemaField *owner = field;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same;

  while (owner->container == NULL && owner->parent != NULL)
    owner = owner->parent;
  if (owner->container == NULL)
    return;

  /* The root's own rows go into the form's group too. */
  if (owner->inline_ || owner->parent == NULL)
    tether_schema_field_collect_rows (owner, rows);
  else if (owner->ops->collect_content != NULL)
    owner->ops->collect_content (owner, rows);

  if (owner->placed == NULL)
    owner->placed = g_ptr_array_new_with_free_func (g_object_unref);

  same = rows->len == owner->placed->len;
  for (guint i = 0; same && i < rows->len; i++)
    same = g_ptr_array_index (rows, i) == g_ptr_array_index (owner->placed, i);
  if (same)
    return;

  remove_placed_rows (owner);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (ADW_IS_EXPANDER_ROW (owner->container))
        adw_expander_row_add_row (ADW_EXPANDER_ROW (owner->container), row);
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (owner->container), row);
      g_ptr_array_add (owner->placed, g_object_ref (row));
    }
}

static void
append_path (TetherSchemaField *field,
             GString           *path)
{
  if (field->parent != NULL)
    append_path (field->parent, path);
  if (field->name != NULL)
    tether_json_schema_append_path_member (path, field->name);
  else if (field->in_list)
    tether_json_schema_append_path_index (path, field->index);
}

/* The field's place in the arguments, as in error messages: config.name, items[2]. */
char *
tether_schema_field_dup_path (TetherSchemaField *field)
{
  g_autoptr(GString) path = g_string_new (NULL);

  append_path (field, path);
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* TRUE when an ancestor has the same schema: building this level eagerly could go on
 * forever, so it waits until the person asks for it. */
gboolean
tether_schema_field_is_recursive (TetherSchemaField *field)
{
  gconstpointer identity = tether_json_schema_get_identity (field->schema);

  if (identity == NULL)
    return FALSE;
  for (TetherSchemaField *up = field->parent; up != NULL; up = up->parent)
    if (tether_json_schema_get_identity (up->schema) == identity)
      return TRUE;
  return FALSE;
}

void
tether_schema_field_touch (TetherSchemaField *field)
{
  if (tether_schema_form_is_loading (field->form))
    return;
  field->touched = TRUE;
  tether_schema_form_field_changed (field->form, field);
}


/* Shared by the scalar editors: empty is an error only when a value is required, and a value
 * is checked against everything the schema says about it. */
void
tether_schema_field_check_value (TetherSchemaField *field,
                                 JsonNode          *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (value == NULL)
    {
      tether_schema_field_set_message (field, field->required ? _("A value is required") : NULL,
                                       TRUE);
      return;
    }

  if (!tether_json_schema_validate (field->schema, value, &path, &error))
    {
      tether_schema_field_set_message (field, error->message, FALSE);
      g_free (field->message_path);
      field->message_path = g_steal_pointer (&path);
      return;
    }
  tether_schema_field_set_message (field, NULL, FALSE);
}

void
tether_schema_field_check_scalar (TetherSchemaField *field)
{
  g_autoptr(JsonNode) value = field->ops->dup_value (field, FALSE);

  tether_schema_field_check_value (field, value);
}

void
tether_schema_field_value_changed (gpointer           instance,
                                   TetherSchemaField *field)
{
  tether_schema_field_touch (field);
}

void
tether_schema_field_notify_changed (GObject           *object,
                                    GParamSpec        *pspec,
                                    TetherSchemaField *field)
{
  tether_schema_field_touch (field);
}

void
tether_schema_field_collect_children_rows (TetherSchemaField *field,
                                           GPtrArray         *rows)
{
  for (guint i = 0; i < field->children->len; i++)
    if (g_ptr_array_index (field->children, i) != NULL)
      tether_schema_field_collect_rows (g_ptr_array_index (field->children, i), rows);
}

/* Composite fields report problems of their own level only (a missing item, an unknown
 * member); what is wrong inside a child shows at the child. */
void
tether_schema_field_check_own_level (TetherSchemaField *field,
                                     JsonNode          *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (value == NULL || tether_json_schema_validate (field->schema, value, &path, &error))
    {
      tether_schema_field_set_message (field, NULL, FALSE);
      return;
    }

  if ((path == NULL || *path == '\0') ||
      g_error_matches (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_PROPERTIES))
    {
      tether_schema_field_set_message (field, error->message, FALSE);
      g_free (field->message_path);
      field->message_path = g_steal_pointer (&path);
    }
  else
    tether_schema_field_set_message (field, NULL, FALSE);
}

void
tether_schema_field_no_null (TetherSchemaField *field,
                             gboolean           is_null)
{
}
