/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text editors: one line (with a calendar for dates), several lines, and raw JSON for what
 * the form has no better editor for. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tether-schema-form-private.h"

#define MULTILINE_SUFFIX_BOX_KEY "tether-schema-form-suffix-box"

/* Text on one line */

static void
date_selected (GtkCalendar       *calendar,
               TetherSchemaField *field)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (field->row), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
add_date_picker (TetherSchemaField *field)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Pick a Date"));
  gtk_widget_add_css_class (button, "flat");
  tether_schema_field_set_accessible_label (button, _("Pick a Date"));
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->row), button);
  tether_schema_field_connect (field, calendar, "day-selected", G_CALLBACK (date_selected));
  g_object_set_data (G_OBJECT (field->row), "tether-schema-form-date-button", button);
}

static void
text_build (TetherSchemaField *field)
{
  GtkWidget *row = tether_schema_row_new_entry (field);
  const char *format = tether_json_schema_get_format (field->schema);

  if (g_strcmp0 (format, "email") == 0 || g_strcmp0 (format, "idn-email") == 0)
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_EMAIL);
  else if (g_strcmp0 (format, "uri") == 0 || g_strcmp0 (format, "url") == 0)
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
  else if (g_strcmp0 (format, "date") == 0)
    add_date_picker (field);

  tether_schema_field_add_null_toggle (field, tether_schema_row_add_entry_suffix);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_entry_suffix);
  tether_schema_field_make_details_row (field, TRUE);
  tether_schema_field_apply_title (field);
  tether_schema_field_connect (field, row, "changed",
                               G_CALLBACK (tether_schema_field_value_changed));
}

static JsonNode *
text_dup_value (TetherSchemaField *field,
                gboolean           draft)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field->row));

  if (*text == '\0')
    return NULL;
  return json_node_init_string (json_node_alloc (), text);
}

static gboolean
text_set_value (TetherSchemaField *field,
                JsonNode          *value)
{
  if (value == NULL)
    gtk_editable_set_text (GTK_EDITABLE (field->row), "");
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    gtk_editable_set_text (GTK_EDITABLE (field->row), json_node_get_string (value));
  else
    return FALSE;
  return TRUE;
}

static void
text_set_null (TetherSchemaField *field,
               gboolean           is_null)
{
  GtkWidget *date_button = g_object_get_data (G_OBJECT (field->row),
                                              "tether-schema-form-date-button");

  tether_schema_row_set_entry_editable (field, !is_null);
  if (date_button != NULL)
    gtk_widget_set_sensitive (date_button, !is_null);
}

const TetherSchemaFieldOps tether_schema_text_ops = {
  .build = text_build,
  .dup_value = text_dup_value,
  .set_value = text_set_value,
  .check = tether_schema_field_check_scalar,
  .set_null = text_set_null,
};

/* Text on several lines */

static void
multiline_add_suffix (GtkWidget *row,
                      GtkWidget *widget)
{
  gtk_box_append (GTK_BOX (g_object_get_data (G_OBJECT (row), MULTILINE_SUFFIX_BOX_KEY)), widget);
}

static void
multiline_build (TetherSchemaField *field)
{
  const char *description = tether_json_schema_get_description (field->schema);
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *suffixes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "tether-text-row");
  field->row = g_object_ref_sink (row);
  field->control = view;
  field->title_label = GTK_LABEL (title);

  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title");
  gtk_box_append (GTK_BOX (titles), title);
  if (description != NULL)
    {
      GtkWidget *subtitle = gtk_label_new (description);

      gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0);
      gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (subtitle, "subtitle");
      gtk_box_append (GTK_BOX (titles), subtitle);
    }
  gtk_box_append (GTK_BOX (header), titles);
  gtk_box_append (GTK_BOX (header), suffixes);
  g_object_set_data (G_OBJECT (row), MULTILINE_SUFFIX_BOX_KEY, suffixes);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_add_css_class (view, "tether-text-view");

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  tether_schema_field_add_null_toggle (field, multiline_add_suffix);
  tether_schema_field_add_item_buttons (field, multiline_add_suffix);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
  tether_schema_field_connect (field, gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                               G_CALLBACK (tether_schema_field_value_changed));
}

static JsonNode *
multiline_dup_value (TetherSchemaField *field,
                     gboolean           draft)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->control));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (*text == '\0')
    return NULL;
  return json_node_init_string (json_node_alloc (), text);
}

static gboolean
multiline_set_value (TetherSchemaField *field,
                     JsonNode          *value)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->control));

  if (value == NULL)
    gtk_text_buffer_set_text (buffer, "", -1);
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    gtk_text_buffer_set_text (buffer, json_node_get_string (value), -1);
  else
    return FALSE;
  return TRUE;
}

static void
multiline_set_null (TetherSchemaField *field,
                    gboolean           is_null)
{
  gtk_widget_set_sensitive (field->control, !is_null);
}

const TetherSchemaFieldOps tether_schema_multiline_ops = {
  .build = multiline_build,
  .dup_value = multiline_dup_value,
  .set_value = multiline_set_value,
  .check = tether_schema_field_check_scalar,
  .set_null = multiline_set_null,
};

/* Raw JSON: free-form values, constructs the form does not model, and values that did not
 * fit the editor their schema asked for. */

static JsonNode *
parse_json (const char  *text,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      /* "<data>:1:5: Parse error: ..." names a buffer the person never saw. */
      const char *detail = local_error->message;
      guint line = 0, column = 0;
      int consumed = 0;

      if (sscanf (detail, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
        {
          detail += consumed;
          if (g_str_has_prefix (detail, "Parse error: "))
            detail += strlen ("Parse error: ");
          g_set_error (error, TETHER_SCHEMA_FORM_ERROR, TETHER_SCHEMA_FORM_ERROR_INVALID,
                       _("Not valid JSON at column %u: %s"), column, detail);
        }
      else
        g_set_error (error, TETHER_SCHEMA_FORM_ERROR, TETHER_SCHEMA_FORM_ERROR_INVALID,
                     _("Not valid JSON: %s"), detail);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    return NULL;
  return json_node_copy (root);
}

static void
json_build (TetherSchemaField *field)
{
  GtkWidget *row = tether_schema_row_new_entry (field);
  GtkWidget *hint = gtk_label_new ("JSON");
  const char *reason = tether_json_schema_get_unsupported_reason (field->schema);

  if (field->label == NULL || field->parent == NULL)
    {
      g_free (field->label);
      field->label = g_strdup (_("Arguments"));
    }

  gtk_widget_add_css_class (row, "monospace");
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), hint);
  if (reason != NULL)
    {
      /* Translators: %s says which part of the schema the form cannot show, e.g. “A circular
       * reference” */
      g_autofree char *tooltip = g_strdup_printf (_("Edited as JSON. %s."), reason);

      gtk_widget_set_tooltip_text (row, tooltip);
    }
  else
    gtk_widget_set_tooltip_text (row, _("Edited as JSON"));

  tether_schema_field_add_item_buttons (field, tether_schema_row_add_entry_suffix);
  tether_schema_field_make_details_row (field, TRUE);
  tether_schema_field_apply_title (field);
  tether_schema_field_connect (field, row, "changed",
                               G_CALLBACK (tether_schema_field_value_changed));
}

static JsonNode *
json_dup_value (TetherSchemaField *field,
                gboolean           draft)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field->row));
  JsonNode *value;

  if (*text == '\0')
    return NULL;
  value = parse_json (text, NULL);
  if (value == NULL && draft)
    return json_node_init_string (json_node_alloc (), text);
  return value;
}

static gboolean
json_set_value (TetherSchemaField *field,
                JsonNode          *value)
{
  g_autofree char *text = value != NULL ? json_to_string (value, FALSE) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (field->row), text != NULL ? text : "");
  return TRUE;
}

static void
json_check (TetherSchemaField *field)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field->row));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = NULL;

  if (*text == '\0')
    {
      tether_schema_field_check_value (field, NULL);
      return;
    }

  value = parse_json (text, &error);
  if (value == NULL)
    {
      tether_schema_field_set_message (field, error ? error->message : _("Not valid JSON"), FALSE);
      return;
    }
  if (field->parent == NULL && !JSON_NODE_HOLDS_OBJECT (value))
    {
      tether_schema_field_set_message (field, _("The arguments must be a JSON object"), FALSE);
      return;
    }
  tether_schema_field_check_value (field, value);
}

const TetherSchemaFieldOps tether_schema_json_ops = {
  .build = json_build,
  .dup_value = json_dup_value,
  .set_value = json_set_value,
  .check = json_check,
  .set_null = tether_schema_field_no_null,
};
