/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parts of a field's rows: titles with the required mark, accessible names, the row
 * under a field with its description and message, the null toggle, the move and remove
 * buttons of list items, and where suffix widgets go in each kind of row. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-details-row.h"
#include "tether-schema-form-private.h"

void
tether_schema_field_set_accessible_label (GtkWidget  *widget,
                                          const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* The accessible name, description and required state of the widget that holds the value. */
void
tether_schema_field_label_control (TetherSchemaField *field,
                                   GtkWidget         *widget)
{
  const char *description = tether_json_schema_get_description (field->schema);
  g_autofree char *path = tether_schema_field_dup_path (field);

  /* libadwaita labels its rows (and an action row's activatable widget) by the title label,
   * and GTK names a widget by its label and its labelled-by labels together: keep one
   * name, without the required mark. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field->label,
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, (gboolean) field->required,
                                  -1);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  /* In an entry row the keyboard lands on the text inside, which would otherwise be named by
   * the row's title label, required mark included. */
  if (ADW_IS_ENTRY_ROW (widget) && gtk_editable_get_delegate (GTK_EDITABLE (widget)) != NULL)
    {
      GtkAccessible *text = GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (widget)));

      gtk_accessible_reset_relation (text, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (text,
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, field->label,
                                      GTK_ACCESSIBLE_PROPERTY_REQUIRED, (gboolean) field->required,
                                      -1);
      if (description != NULL)
        gtk_accessible_update_property (text,
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                        -1);
    }
  g_object_set_data_full (G_OBJECT (widget), TETHER_SCHEMA_FORM_PATH_KEY,
                          g_steal_pointer (&path), g_free);
  g_object_set_data_full (G_OBJECT (widget), TETHER_SCHEMA_FORM_LABEL_KEY,
                          g_strdup (field->label), g_free);
}

/* The row's title: the label, with " *" when a value is required. */
void
tether_schema_field_apply_title (TetherSchemaField *field)
{
  g_autofree char *markup = NULL;

  if (field->required && !field->in_list)
    markup = g_markup_printf_escaped ("%s <span weight=\"bold\">*</span>", field->label);
  else
    markup = g_markup_escape_text (field->label, -1);

  if (field->row != NULL && ADW_IS_PREFERENCES_ROW (field->row))
    {
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), markup);
    }
  if (field->title_label != NULL)
    gtk_label_set_markup (field->title_label, markup);
  if (field->row != NULL && field->control != field->row)
    tether_schema_field_set_accessible_label (field->row, field->label);
  if (field->control != NULL)
    tether_schema_field_label_control (field, field->control);
}

static void
label_buttons (TetherSchemaField *field)
{
  g_autofree char *null_label = g_strdup_printf (_("Send null for “%s”"), field->label);
  g_autofree char *up_label = g_strdup_printf (_("Move “%s” up"), field->label);
  g_autofree char *down_label = g_strdup_printf (_("Move “%s” down"), field->label);
  g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), field->label);

  if (field->null_toggle != NULL)
    tether_schema_field_set_accessible_label (GTK_WIDGET (field->null_toggle), null_label);
  if (field->up_button != NULL)
    {
      tether_schema_field_set_accessible_label (field->up_button, up_label);
      tether_schema_field_set_accessible_label (field->down_button, down_label);
      tether_schema_field_set_accessible_label (field->remove_button, remove_label);
    }
}

/* A list item's label follows its position. */
void
tether_schema_field_set_label (TetherSchemaField *field,
                               const char        *label)
{
  if (label != NULL)
    {
      g_free (field->label);
      field->label = g_strdup (label);
    }
  else
    {
      g_free (field->label);
      field->label = tether_schema_field_dup_default_label (field);
    }

  tether_schema_field_apply_title (field);
  label_buttons (field);
  if (field->ops->relabel != NULL)
    field->ops->relabel (field);
  tether_schema_field_refresh_paths (field);
}

/* After a list item moved, the paths recorded on the controls inside it changed. */
void
tether_schema_field_refresh_paths (TetherSchemaField *field)
{
  if (field->control != NULL)
    tether_schema_field_label_control (field, field->control);
  if (field->children != NULL)
    for (guint i = 0; i < field->children->len; i++)
      if (g_ptr_array_index (field->children, i) != NULL)
        tether_schema_field_refresh_paths (g_ptr_array_index (field->children, i));
}

/* An AdwPreferencesRow, not a plain GtkListBoxRow: a preferences group puts only those in
 * its list, anything else after it. */
GtkWidget *
tether_schema_field_make_details_row (TetherSchemaField *field,
                                      gboolean           with_description)
{
  const char *description = tether_json_schema_get_description (field->schema);
  GtkWidget *row = tether_schema_form_details_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *message = gtk_label_new (NULL);

  if (with_description && description != NULL)
    {
      GtkWidget *label = gtk_label_new (description);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);
      field->description_label = GTK_LABEL (label);
      field->description_in_details = TRUE;
    }

  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (message), 0.0);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_add_css_class (message, "caption");
  gtk_widget_set_visible (message, FALSE);
  gtk_box_append (GTK_BOX (box), message);
  field->message_label = GTK_LABEL (message);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_visible (row, field->description_in_details);
  field->details_row = g_object_ref_sink (row);
  return row;
}

GtkWidget *
tether_schema_field_make_icon_button (const char *icon_name,
                                      const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
null_toggled (GtkToggleButton   *toggle,
              TetherSchemaField *field)
{
  field->ops->set_null (field, gtk_toggle_button_get_active (toggle));
  tether_schema_field_touch (field);
}

void
tether_schema_field_add_null_toggle (TetherSchemaField    *field,
                                     TetherSchemaRowAdder  add)
{
  GtkWidget *toggle;

  if (!tether_json_schema_get_nullable (field->schema))
    return;

  toggle = gtk_toggle_button_new_with_label (_("Null"));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Send null instead of a value"));
  gtk_widget_add_css_class (toggle, "flat");
  gtk_widget_add_css_class (toggle, "tether-null-toggle");
  add (field->row, toggle);
  field->null_toggle = GTK_TOGGLE_BUTTON (toggle);
  tether_schema_field_connect (field, toggle, "toggled", G_CALLBACK (null_toggled));
  label_buttons (field);
}

static void
move_up_clicked (GtkButton         *button,
                 TetherSchemaField *field)
{
  if (field->index > 0)
    tether_schema_list_move_item (field->parent, field->index, field->index - 1);
}

static void
move_down_clicked (GtkButton         *button,
                   TetherSchemaField *field)
{
  tether_schema_list_move_item (field->parent, field->index, field->index + 1);
}

static void
remove_clicked (GtkButton         *button,
                TetherSchemaField *field)
{
  /* Frees @field. */
  tether_schema_list_remove_item (field->parent, field->index);
}

void
tether_schema_field_add_item_buttons (TetherSchemaField    *field,
                                      TetherSchemaRowAdder  add)
{
  if (!field->in_list)
    return;

  field->up_button = tether_schema_field_make_icon_button ("go-up-symbolic", _("Move Up"));
  field->down_button = tether_schema_field_make_icon_button ("go-down-symbolic", _("Move Down"));
  field->remove_button = tether_schema_field_make_icon_button ("user-trash-symbolic", _("Remove"));
  add (field->row, field->up_button);
  add (field->row, field->down_button);
  add (field->row, field->remove_button);
  tether_schema_field_connect (field, field->up_button, "clicked", G_CALLBACK (move_up_clicked));
  tether_schema_field_connect (field, field->down_button, "clicked",
                               G_CALLBACK (move_down_clicked));
  tether_schema_field_connect (field, field->remove_button, "clicked",
                               G_CALLBACK (remove_clicked));
  label_buttons (field);
}

/* First and last items cannot move further; a list at its minimum size keeps its items. */
void
tether_schema_field_update_item_buttons (TetherSchemaField *field)
{
  guint n_items;
  guint min_items = 0;

  if (field->up_button == NULL || field->parent == NULL || field->parent->children == NULL)
    return;

  n_items = field->parent->children->len;
  tether_json_schema_get_count (field->parent->schema, "minItems", &min_items);
  gtk_widget_set_sensitive (field->up_button, field->index > 0);
  gtk_widget_set_sensitive (field->down_button, field->index + 1 < n_items);
  /* An optional list may always go back to empty, which leaves it out. */
  gtk_widget_set_sensitive (field->remove_button,
                            n_items > min_items || (!field->parent->required && n_items == 1));
}

void
tether_schema_row_add_entry_suffix (GtkWidget *row,
                                    GtkWidget *widget)
{
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), widget);
}

void
tether_schema_row_add_action_suffix (GtkWidget *row,
                                     GtkWidget *widget)
{
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
}

/* An expander row prepends its actions; one box of ours keeps them in the order added. */
void
tether_schema_row_add_expander_action (GtkWidget *row,
                                       GtkWidget *widget)
{
  GtkWidget *box = g_object_get_data (G_OBJECT (row), "tether-schema-form-actions");

  if (box == NULL)
    {
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "tether-schema-form-actions", box);
    }
  gtk_box_append (GTK_BOX (box), widget);
}

void
tether_schema_row_set_subtitle (TetherSchemaField *field)
{
  const char *description = tether_json_schema_get_description (field->schema);

  if (description != NULL)
    {
      g_autofree char *markup = g_markup_escape_text (description, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), markup);
    }
}

GtkWidget *
tether_schema_row_new_entry (TetherSchemaField *field)
{
  GtkWidget *row = adw_entry_row_new ();

  field->row = g_object_ref_sink (row);
  field->control = row;
  return row;
}

void
tether_schema_row_set_entry_editable (TetherSchemaField *field,
                                      gboolean           sensitive)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (field->row));

  gtk_widget_set_sensitive (GTK_WIDGET (delegate != NULL ? delegate : GTK_EDITABLE (field->row)),
                            sensitive);
}

void
tether_schema_row_set_expander_subtitle (TetherSchemaField *field)
{
  const char *description = tether_json_schema_get_description (field->schema);

  if (description != NULL)
    {
      g_autofree char *markup = g_markup_escape_text (description, -1);

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (field->row), markup);
    }
}

GtkWidget *
tether_schema_row_new_expander (TetherSchemaField *field)
{
  GtkWidget *row = adw_expander_row_new ();

  field->row = g_object_ref_sink (row);
  field->control = row;
  field->container = row;
  tether_schema_row_set_expander_subtitle (field);
  return row;
}
