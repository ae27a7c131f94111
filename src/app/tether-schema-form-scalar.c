/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Editors for single values other than text: numbers, switches, choices, constants. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tether-schema-form-private.h"

/* Numbers: an entry, so that an optional number can stay empty, with step buttons. */

typedef enum
{
  NUMBER_EMPTY,
  NUMBER_VALID,
  NUMBER_INVALID,
} NumberParse;

static gboolean
is_integer_field (TetherSchemaField *field)
{
  return tether_json_schema_get_kind (field->schema) == TETHER_JSON_SCHEMA_KIND_INTEGER;
}

static NumberParse
parse_number (TetherSchemaField  *field,
              JsonNode          **out)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));
  gint64 integer;
  double number;
  char *end = NULL;

  *out = NULL;
  if (*text == '\0')
    return NUMBER_EMPTY;

  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    {
      *out = json_node_init_int (json_node_alloc (), integer);
      return NUMBER_VALID;
    }

  number = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (number) || strpbrk (text, "xXnN") != NULL)
    return NUMBER_INVALID;

  if (is_integer_field (field))
    {
      if (number != floor (number) || fabs (number) > 9007199254740992.0)
        return NUMBER_INVALID;
      *out = json_node_init_int (json_node_alloc (), (gint64) number);
    }
  else
    *out = json_node_init_double (json_node_alloc (), number);
  return NUMBER_VALID;
}

static void
set_number_text (TetherSchemaField *field,
                 double             number)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (number == floor (number) && fabs (number) < 1e15)
    g_snprintf (text, sizeof text, "%.0f", number);
  else
    g_ascii_formatd (text, sizeof text, "%.15g", number);
  gtk_editable_set_text (GTK_EDITABLE (field->row), text);
}

static void
step_number (TetherSchemaField *field,
             int                direction)
{
  g_autoptr(JsonNode) current = NULL;
  double step = 1.0;
  double minimum, maximum;
  gboolean has_minimum = tether_json_schema_get_number (field->schema, "minimum", &minimum);
  gboolean has_maximum = tether_json_schema_get_number (field->schema, "maximum", &maximum);
  double value;

  if (tether_json_schema_get_number (field->schema, "multipleOf", &step) && step > 0)
    {
      if (is_integer_field (field) && step < 1)
        step = 1;
    }
  else
    step = 1.0;

  if (parse_number (field, &current) == NUMBER_VALID)
    {
      value = json_node_get_value_type (current) == G_TYPE_INT64
              ? (double) json_node_get_int (current) : json_node_get_double (current);
      value = (round (value / step) + direction) * step;
    }
  else
    value = 0;

  if (has_minimum && value < minimum)
    value = ceil (minimum / step) * step;
  if (has_maximum && value > maximum)
    value = floor (maximum / step) * step;
  set_number_text (field, value);
}

static void
decrease_clicked (GtkButton         *button,
                  TetherSchemaField *field)
{
  step_number (field, -1);
}

static void
increase_clicked (GtkButton         *button,
                  TetherSchemaField *field)
{
  step_number (field, 1);
}

static void
number_relabel (TetherSchemaField *field)
{
  g_autofree char *decrease = g_strdup_printf (_("Decrease “%s”"), field->label);
  g_autofree char *increase = g_strdup_printf (_("Increase “%s”"), field->label);

  tether_schema_field_set_accessible_label (field->decrease_button, decrease);
  tether_schema_field_set_accessible_label (field->increase_button, increase);
}

static void
number_build (TetherSchemaField *field)
{
  GtkWidget *row = tether_schema_row_new_entry (field);

  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
  field->decrease_button = tether_schema_field_make_icon_button ("value-decrease-symbolic",
                                                                 _("Decrease"));
  field->increase_button = tether_schema_field_make_icon_button ("value-increase-symbolic",
                                                                 _("Increase"));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), field->decrease_button);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), field->increase_button);
  tether_schema_field_connect (field, field->decrease_button, "clicked",
                               G_CALLBACK (decrease_clicked));
  tether_schema_field_connect (field, field->increase_button, "clicked",
                               G_CALLBACK (increase_clicked));

  tether_schema_field_add_null_toggle (field, tether_schema_row_add_entry_suffix);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_entry_suffix);
  tether_schema_field_make_details_row (field, TRUE);
  tether_schema_field_apply_title (field);
  number_relabel (field);
  tether_schema_field_connect (field, row, "changed",
                               G_CALLBACK (tether_schema_field_value_changed));
}

static JsonNode *
number_dup_value (TetherSchemaField *field,
                  gboolean           draft)
{
  JsonNode *value = NULL;

  switch (parse_number (field, &value))
    {
    case NUMBER_VALID:
      return value;
    case NUMBER_INVALID:
      /* Kept as text in a draft, so the JSON editor shows what was typed. */
      if (draft)
        return json_node_init_string (json_node_alloc (),
                                      gtk_editable_get_text (GTK_EDITABLE (field->row)));
      return NULL;
    case NUMBER_EMPTY:
    default:
      return NULL;
    }
}

static gboolean
number_set_value (TetherSchemaField *field,
                  JsonNode          *value)
{
  GType type;

  if (value == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (field->row), "");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (value))
    return FALSE;

  type = json_node_get_value_type (value);
  if (type == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

      gtk_editable_set_text (GTK_EDITABLE (field->row), text);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double number = json_node_get_double (value);

      if (is_integer_field (field) && number != floor (number))
        return FALSE;
      set_number_text (field, number);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      g_autoptr(JsonNode) parsed = NULL;

      /* Text that is no number came from a draft and goes back into the entry; a string
       * that reads as a number is a string, which this editor cannot produce. */
      gtk_editable_set_text (GTK_EDITABLE (field->row), json_node_get_string (value));
      if (parse_number (field, &parsed) != NUMBER_INVALID)
        {
          gtk_editable_set_text (GTK_EDITABLE (field->row), "");
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

static void
number_check (TetherSchemaField *field)
{
  g_autoptr(JsonNode) value = NULL;

  if (parse_number (field, &value) == NUMBER_INVALID)
    {
      tether_schema_field_set_message (field, is_integer_field (field)
                                              ? _("Not a whole number")
                                              : _("Not a number"), FALSE);
      return;
    }
  tether_schema_field_check_value (field, value);
}

static void
number_set_null (TetherSchemaField *field,
                 gboolean           is_null)
{
  tether_schema_row_set_entry_editable (field, !is_null);
  gtk_widget_set_sensitive (field->decrease_button, !is_null);
  gtk_widget_set_sensitive (field->increase_button, !is_null);
}

const TetherSchemaFieldOps tether_schema_number_ops = {
  .build = number_build,
  .dup_value = number_dup_value,
  .set_value = number_set_value,
  .check = number_check,
  .set_null = number_set_null,
  .relabel = number_relabel,
};

/* True or false: a switch. An optional one that was never set is left out. */

static void
switch_changed (GObject           *object,
                GParamSpec        *pspec,
                TetherSchemaField *field)
{
  field->has_value = TRUE;
  tether_schema_field_touch (field);
}

static void
boolean_build (TetherSchemaField *field)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  field->row = g_object_ref_sink (row);
  field->control = toggle;
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  tether_schema_row_set_subtitle (field);

  tether_schema_field_add_null_toggle (field, tether_schema_row_add_action_suffix);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_action_suffix);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
  tether_schema_field_connect (field, toggle, "notify::active", G_CALLBACK (switch_changed));
}

static JsonNode *
boolean_dup_value (TetherSchemaField *field,
                   gboolean           draft)
{
  if (!field->has_value && !field->required)
    return NULL;
  return json_node_init_boolean (json_node_alloc (),
                                 gtk_switch_get_active (GTK_SWITCH (field->control)));
}

static gboolean
boolean_set_value (TetherSchemaField *field,
                   JsonNode          *value)
{
  if (value == NULL)
    {
      gtk_switch_set_active (GTK_SWITCH (field->control), FALSE);
      field->has_value = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
    return FALSE;
  gtk_switch_set_active (GTK_SWITCH (field->control), json_node_get_boolean (value));
  field->has_value = TRUE;
  return TRUE;
}

static void
boolean_set_null (TetherSchemaField *field,
                  gboolean           is_null)
{
  gtk_widget_set_sensitive (field->control, !is_null);
}

const TetherSchemaFieldOps tether_schema_boolean_ops = {
  .build = boolean_build,
  .dup_value = boolean_dup_value,
  .set_value = boolean_set_value,
  .check = tether_schema_field_check_scalar,
  .set_null = boolean_set_null,
};

/* Choices: a combo row. "Not set" comes first when the value is optional, "Null" when null
 * is allowed, then the enum's values (or the titles of a oneOf of constants). */

static void
choice_build (TetherSchemaField *field)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint n = tether_json_schema_get_n_choices (field->schema);

  field->row = g_object_ref_sink (row);
  field->control = row;
  field->selector = ADW_COMBO_ROW (row);

  if (!field->required)
    {
      /* Translators: the choice that leaves an optional value out of the arguments */
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
      g_autofree char *label = tether_json_schema_dup_choice_label (field->schema, i);

      gtk_string_list_append (model, label);
    }

  adw_combo_row_set_expression (ADW_COMBO_ROW (row),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), field->not_set_entry ? 0 : field->n_special);
  tether_schema_row_set_subtitle (field);

  tether_schema_field_add_item_buttons (field, tether_schema_row_add_action_suffix);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
  tether_schema_field_connect (field, row, "notify::selected",
                               G_CALLBACK (tether_schema_field_notify_changed));
}

static JsonNode *
choice_dup_value (TetherSchemaField *field,
                  gboolean           draft)
{
  guint selected = adw_combo_row_get_selected (field->selector);

  if (selected == GTK_INVALID_LIST_POSITION || (field->not_set_entry && selected == 0))
    return NULL;
  if (selected < field->n_special)
    return json_node_init_null (json_node_alloc ());
  return json_node_copy (tether_json_schema_get_choice_value (field->schema,
                                                              selected - field->n_special));
}

static gboolean
choice_set_value (TetherSchemaField *field,
                  JsonNode          *value)
{
  int index;

  if (value == NULL)
    {
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

  index = tether_json_schema_find_choice (field->schema, value);
  if (index < 0)
    return FALSE;
  adw_combo_row_set_selected (field->selector, field->n_special + (guint) index);
  return TRUE;
}

const TetherSchemaFieldOps tether_schema_choice_ops = {
  .build = choice_build,
  .dup_value = choice_dup_value,
  .set_value = choice_set_value,
  .check = tether_schema_field_check_scalar,
  .set_null = tether_schema_field_no_null,
};

/* Constants: shown, always sent. */

static JsonNode *
constant_value (TetherSchemaField *field)
{
  JsonNode *value = tether_json_schema_get_const (field->schema);

  if (value == NULL)
    return json_node_init_null (json_node_alloc ());
  return json_node_copy (value);
}

static void
constant_build (TetherSchemaField *field)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(JsonNode) value = constant_value (field);
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (value));
  else
    text = json_to_string (value, FALSE);

  label = gtk_label_new (text);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "monospace");

  field->row = g_object_ref_sink (row);
  field->control = row;
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  tether_schema_row_set_subtitle (field);
  tether_schema_field_add_item_buttons (field, tether_schema_row_add_action_suffix);
  tether_schema_field_make_details_row (field, FALSE);
  tether_schema_field_apply_title (field);
}

static JsonNode *
constant_dup_value (TetherSchemaField *field,
                    gboolean           draft)
{
  return constant_value (field);
}

static gboolean
constant_set_value (TetherSchemaField *field,
                    JsonNode          *value)
{
  g_autoptr(JsonNode) expected = constant_value (field);

  return value == NULL || tether_json_schema_values_equal (expected, value);
}

static void
constant_check (TetherSchemaField *field)
{
  tether_schema_field_set_message (field, NULL, FALSE);
}

const TetherSchemaFieldOps tether_schema_constant_ops = {
  .build = constant_build,
  .dup_value = constant_dup_value,
  .set_value = constant_set_value,
  .check = constant_check,
  .set_null = tether_schema_field_no_null,
};
