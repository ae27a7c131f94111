/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The row under a form field with its description and message. It is part of the list (so
 * that it sits right under its field) but never takes the keyboard: a list box hands focus
 * from row to row (Tab) and gives up at a row that refuses it, so this one passes the focus
 * on to its neighbour instead. */
#include "config.h"

#include "tether-schema-form-details-row.h"

struct _TetherSchemaFormDetailsRow
{
  AdwPreferencesRow parent_instance;
};

G_DEFINE_FINAL_TYPE (TetherSchemaFormDetailsRow, tether_schema_form_details_row,
                     ADW_TYPE_PREFERENCES_ROW)

static GtkWidget *
neighbour_row (GtkWidget *widget,
               gboolean   forward)
{
  GtkWidget *sibling = widget;

  do
    sibling = forward ? gtk_widget_get_next_sibling (sibling)
                      : gtk_widget_get_prev_sibling (sibling);
  while (sibling != NULL && !gtk_widget_get_visible (sibling));
  return sibling;
}

static gboolean
tether_schema_form_details_row_focus (GtkWidget        *widget,
                                      GtkDirectionType  direction)
{
  gboolean forward = direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_DOWN;
  GtkWidget *neighbour;

  if (direction == GTK_DIR_LEFT || direction == GTK_DIR_RIGHT)
    return FALSE;

  neighbour = neighbour_row (widget, forward);
  return neighbour != NULL && GTK_IS_LIST_BOX_ROW (neighbour) &&
         gtk_widget_child_focus (neighbour, direction);
}

static void
tether_schema_form_details_row_class_init (TetherSchemaFormDetailsRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = tether_schema_form_details_row_focus;
}

static void
tether_schema_form_details_row_init (TetherSchemaFormDetailsRow *self)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "tether-details");
}

GtkWidget *
tether_schema_form_details_row_new (void)
{
  return g_object_new (TETHER_TYPE_SCHEMA_FORM_DETAILS_ROW, NULL);
}
