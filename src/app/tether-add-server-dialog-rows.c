/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows a person adds and removes: HTTP headers and environment variables. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-add-server-dialog-private.h"

/* ---- Header and variable rows ---------------------------------------------------------- */

static void remove_row_clicked_cb (GtkButton *button, TetherAddServerDialog *self);

static AdwEntryRow *
add_list_row (TetherAddServerDialog *self,
              AdwPreferencesGroup   *group,
              GPtrArray             *rows,
              const char            *title,
              const char            *remove_label,
              const char            *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (row, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_object_set_data (G_OBJECT (remove), "rows", rows);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_row_clicked_cb), self);
  adw_entry_row_add_suffix (row, remove);

  g_signal_connect_swapped (row, "changed", G_CALLBACK (tether_add_server_dialog_validate), self);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (rows, row);
  return row;
}

static void
remove_row_clicked_cb (GtkButton             *button,
                       TetherAddServerDialog *self)
{
  AdwEntryRow *row = g_object_get_data (G_OBJECT (button), "row");
  GPtrArray *rows = g_object_get_data (G_OBJECT (button), "rows");
  AdwPreferencesGroup *group = rows == self->header_rows ? self->headers_group
                                                         : self->environment_group;

  g_ptr_array_remove (rows, row);
  adw_preferences_group_remove (group, GTK_WIDGET (row));
  tether_add_server_dialog_validate (self);
}

AdwEntryRow *
tether_add_server_dialog_add_header_row (TetherAddServerDialog *self,
                                         const char            *text)
{
  return add_list_row (self, self->headers_group, self->header_rows,
                       _("Header"), _("Remove Header"), text);
}

AdwEntryRow *
tether_add_server_dialog_add_variable_row (TetherAddServerDialog *self,
                                           const char            *text)
{
  return add_list_row (self, self->environment_group, self->variable_rows,
                       _("Variable"), _("Remove Variable"), text);
}

void
tether_add_server_dialog_add_header_activated (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);

  gtk_widget_grab_focus (GTK_WIDGET (tether_add_server_dialog_add_header_row (self, NULL)));
  tether_add_server_dialog_validate (self);
}

void
tether_add_server_dialog_add_variable_activated (GtkWidget  *widget,
                                                 const char *action_name,
                                                 GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);

  gtk_widget_grab_focus (GTK_WIDGET (tether_add_server_dialog_add_variable_row (self, NULL)));
  tether_add_server_dialog_validate (self);
}

/* The non-empty lines of @rows, stripped. */
GStrv
tether_add_server_dialog_collect_rows (GPtrArray *rows)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line =
        tether_add_server_dialog_row_text_stripped (g_ptr_array_index (rows, i));

      if (*line != '\0')
        g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}
