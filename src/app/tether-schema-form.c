/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherSchemaForm: a tool's inputSchema as a preferences-style form, and the form's content
 * as the tool's arguments. The fields live in tether-schema-form-{field,scalar,compound}.c;
 * this file owns the widget, the API, validity and the change notifications. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-schema-form-private.h"

struct _TetherSchemaForm
{
  AdwBin               parent_instance;

  JsonObject          *schema_object;
  TetherJsonSchema    *schema;
  TetherSchemaField   *root;

  GtkWidget           *box;
  AdwPreferencesGroup *group;
  GtkWidget           *empty_label;

  guint                loading;
  guint                reveal : 1;
  guint                valid : 1;
};

G_DEFINE_FINAL_TYPE (TetherSchemaForm, tether_schema_form, ADW_TYPE_BIN)
G_DEFINE_QUARK (tether-schema-form-error-quark, tether_schema_form_error)

enum {
  PROP_0,
  PROP_SCHEMA,
  PROP_VALID,
  PROP_HAS_FIELDS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Rows under a field carry its description and message; the field's row then drops its
 * bottom border so the two read as one. */
static const char form_css[] =
  "list.boxed-list > row.tether-has-details,\n"
  "row.expander list.nested > row.tether-has-details {\n"
  "  border-bottom-width: 0;\n"
  "}\n"
  "row.tether-details {\n"
  "  min-height: 0;\n"
  "  padding: 0 12px 10px 12px;\n"
  "}\n"
  "row.tether-text-row {\n"
  "  padding: 10px 12px 12px 12px;\n"
  "}\n"
  "row.tether-text-row textview.tether-text-view {\n"
  "  font-family: inherit;\n"
  "}\n"
  /* libadwaita 1.2 styles the arrow of every expander inside an open one as open. */
  "row.expander:checked row.expander:not(:checked) image.expander-row-arrow {\n"
  "  opacity: 0.55;\n"
  "  color: inherit;\n"
  "}\n"
  "row.expander:checked row.expander:not(:checked) image.expander-row-arrow:dir(ltr) {\n"
  "  -gtk-icon-transform: rotate(0.5turn);\n"
  "}\n"
  "row.expander:checked row.expander:not(:checked) image.expander-row-arrow:dir(rtl) {\n"
  "  -gtk-icon-transform: rotate(-0.5turn);\n"
  "}\n"
  ".tether-null-toggle {\n"
  "  padding-left: 8px;\n"
  "  padding-right: 8px;\n"
  "}\n";

static void
ensure_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "tether-schema-form-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, form_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "tether-schema-form-css",
                          g_steal_pointer (&provider), g_object_unref);
}

gboolean
tether_schema_form_is_loading (TetherSchemaForm *self)
{
  return self->loading > 0;
}

/* While values are put in by the program (defaults, set_arguments, building a level), fields
 * are not "touched" and no "changed" is emitted for each of them. */
void
tether_schema_form_push_loading (TetherSchemaForm *self)
{
  self->loading++;
}

void
tether_schema_form_pop_loading (TetherSchemaForm *self)
{
  g_return_if_fail (self->loading > 0);
  self->loading--;
}

gboolean
tether_schema_form_get_reveal (TetherSchemaForm *self)
{
  return self->reveal;
}

static void
check_tree (TetherSchemaField *field)
{
  if (field->children != NULL)
    for (guint i = 0; i < field->children->len; i++)
      if (g_ptr_array_index (field->children, i) != NULL)
        check_tree (g_ptr_array_index (field->children, i));
  tether_schema_field_check (field);
}

static void
update_validity (TetherSchemaForm *self)
{
  gboolean valid = TRUE;

  if (self->root != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *message = NULL;
      TetherSchemaField *where = NULL;

      valid = !tether_schema_field_find_invalid (self->root, &path, &message, &where);
    }

  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

/* A field changed by the person: it and the fields around it are checked again (a list
 * counts its items, an object looks at its members), then the whole form's validity. */
void
tether_schema_form_field_changed (TetherSchemaForm  *self,
                                  TetherSchemaField *field)
{
  if (self->loading > 0)
    return;

  for (TetherSchemaField *up = field; up != NULL; up = up->parent)
    tether_schema_field_check (up);
  update_validity (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
clear_root (TetherSchemaForm *self)
{
  g_clear_pointer (&self->root, tether_schema_field_free);
}

static gboolean
root_has_fields (TetherSchemaForm *self)
{
  if (self->root == NULL)
    return FALSE;
  if (self->root->ops == &tether_schema_object_ops)
    return self->root->children->len > 0;
  return TRUE;
}

static void
build_root (TetherSchemaForm *self)
{
  clear_root (self);
  self->reveal = FALSE;

  if (self->schema != NULL)
    {
      self->loading++;
      self->root = tether_schema_field_new (self, NULL, self->schema, NULL, 0, TRUE, FALSE);
      self->root->container = GTK_WIDGET (self->group);
      tether_schema_field_apply_default (self->root);
      tether_schema_field_relayout (self->root);
      self->loading--;
      check_tree (self->root);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->group), root_has_fields (self));
  gtk_widget_set_visible (self->empty_label, self->schema != NULL && !root_has_fields (self));
  update_validity (self);
}

static void
tether_schema_form_dispose (GObject *object)
{
  TetherSchemaForm *self = TETHER_SCHEMA_FORM (object);

  clear_root (self);

  G_OBJECT_CLASS (tether_schema_form_parent_class)->dispose (object);
}

static void
tether_schema_form_finalize (GObject *object)
{
  TetherSchemaForm *self = TETHER_SCHEMA_FORM (object);

  g_clear_pointer (&self->schema_object, json_object_unref);
  g_clear_object (&self->schema);

  G_OBJECT_CLASS (tether_schema_form_parent_class)->finalize (object);
}

static void
tether_schema_form_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TetherSchemaForm *self = TETHER_SCHEMA_FORM (object);

  switch (prop_id)
    {
    case PROP_SCHEMA:
      g_value_set_boxed (value, self->schema_object);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_HAS_FIELDS:
      g_value_set_boolean (value, root_has_fields (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_schema_form_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TetherSchemaForm *self = TETHER_SCHEMA_FORM (object);

  switch (prop_id)
    {
    case PROP_SCHEMA:
      tether_schema_form_set_schema (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_schema_form_class_init (TetherSchemaFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_schema_form_dispose;
  object_class->finalize = tether_schema_form_finalize;
  object_class->get_property = tether_schema_form_get_property;
  object_class->set_property = tether_schema_form_set_property;

  /**
   * TetherSchemaForm:schema:
   *
   * The JSON Schema the form is built from (a tool's inputSchema).
   */
  properties[PROP_SCHEMA] =
    g_param_spec_boxed ("schema", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TetherSchemaForm:valid:
   *
   * Whether get_arguments() would succeed now; notified when that changes.
   */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TetherSchemaForm:has-fields:
   *
   * FALSE when the schema takes no arguments.
   */
  properties[PROP_HAS_FIELDS] =
    g_param_spec_boolean ("has-fields", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TetherSchemaForm::changed:
   *
   * A value in the form was changed by the person, or set_arguments() filled it.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "tether-schema-form");
}

static void
tether_schema_form_init (TetherSchemaForm *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->empty_label = gtk_label_new (_("This tool takes no arguments"));

  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_widget_set_margin_top (self->empty_label, 12);
  gtk_widget_set_margin_bottom (self->empty_label, 12);
  gtk_widget_set_visible (self->empty_label, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->group), FALSE);

  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->group));
  gtk_box_append (GTK_BOX (self->box), self->empty_label);
  adw_bin_set_child (ADW_BIN (self), self->box);

  ensure_css (GTK_WIDGET (self));
}

GtkWidget *
tether_schema_form_new (void)
{
  return g_object_new (TETHER_TYPE_SCHEMA_FORM, NULL);
}

/**
 * tether_schema_form_get_schema:
 *
 * Returns: (transfer none) (nullable): the schema given to set_schema()
 */
JsonObject *
tether_schema_form_get_schema (TetherSchemaForm *self)
{
  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), NULL);

  return self->schema_object;
}

/**
 * tether_schema_form_set_schema:
 * @schema: (nullable): a JSON Schema, usually a tool's inputSchema
 *
 * Builds the form, with the schema's defaults filled in.
 */
void
tether_schema_form_set_schema (TetherSchemaForm *self,
                               JsonObject       *schema)
{
  g_return_if_fail (TETHER_IS_SCHEMA_FORM (self));

  if (schema != NULL)
    json_object_ref (schema);
  g_clear_pointer (&self->schema_object, json_object_unref);
  g_clear_object (&self->schema);
  self->schema_object = schema;
  if (schema != NULL)
    self->schema = tether_json_schema_new (schema);

  build_root (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEMA]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FIELDS]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Empties the form and fills in the defaults again. */
void
tether_schema_form_reset (TetherSchemaForm *self)
{
  g_return_if_fail (TETHER_IS_SCHEMA_FORM (self));

  build_root (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
tether_schema_form_get_valid (TetherSchemaForm *self)
{
  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), FALSE);

  return self->valid;
}

gboolean
tether_schema_form_get_has_fields (TetherSchemaForm *self)
{
  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), FALSE);

  return root_has_fields (self);
}

static JsonObject *
value_to_object (JsonNode *value)
{
  if (value != NULL && JSON_NODE_HOLDS_OBJECT (value))
    return json_object_ref (json_node_get_object (value));
  return json_object_new ();
}

/**
 * tether_schema_form_get_arguments:
 *
 * The form's values as a tool's arguments. Optional fields left empty are not in it. When
 * something is invalid, every message in the form shows and @error names the first
 * field, e.g. “items[2].name: A value is required”.
 *
 * Returns: (transfer full) (nullable): the arguments, or %NULL with @error set
 */
JsonObject *
tether_schema_form_get_arguments (TetherSchemaForm  *self,
                                  GError           **error)
{
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  TetherSchemaField *where = NULL;

  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), NULL);

  if (self->root == NULL)
    return json_object_new ();

  if (tether_schema_field_find_invalid (self->root, &path, &message, &where))
    {
      self->reveal = TRUE;
      tether_schema_field_update_messages (self->root);
      if (path != NULL && *path != '\0')
        g_set_error (error, TETHER_SCHEMA_FORM_ERROR, TETHER_SCHEMA_FORM_ERROR_INVALID,
                     /* Translators: a field's path such as items[2].name, then what is wrong */
                     _("%s: %s"), path, message);
      else
        g_set_error_literal (error, TETHER_SCHEMA_FORM_ERROR, TETHER_SCHEMA_FORM_ERROR_INVALID,
                             message);
      return NULL;
    }

  value = tether_schema_field_dup_value (self->root, FALSE);
  return value_to_object (value);
}

/**
 * tether_schema_form_dup_draft_arguments:
 *
 * What the form holds, valid or not, for showing in a JSON editor: text typed into a number
 * field that is no number comes out as a string, so nothing typed is lost.
 *
 * Returns: (transfer full): the arguments as they stand
 */
JsonObject *
tether_schema_form_dup_draft_arguments (TetherSchemaForm *self)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), NULL);

  if (self->root == NULL)
    return json_object_new ();
  value = tether_schema_field_dup_value (self->root, TRUE);
  return value_to_object (value);
}

/**
 * tether_schema_form_set_arguments:
 * @arguments: (nullable): values to show; members the form has no field for are kept and
 *   sent back as they are
 *
 * Fills the form from JSON, e.g. when coming back from the JSON editor. Fields whose member
 * is missing become empty (not their default). A value a field cannot show (a number for
 * a text field) turns that field into a JSON editor holding it.
 */
void
tether_schema_form_set_arguments (TetherSchemaForm *self,
                                  JsonObject       *arguments)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_if_fail (TETHER_IS_SCHEMA_FORM (self));

  if (self->root == NULL)
    return;

  if (arguments != NULL)
    value = json_node_init_object (json_node_alloc (), arguments);
  else
    value = json_node_init_object (json_node_alloc (), json_object_new ());

  self->loading++;
  tether_schema_field_set_value (self->root, value);
  tether_schema_field_relayout (self->root);
  self->loading--;

  check_tree (self->root);
  if (self->reveal)
    tether_schema_field_update_messages (self->root);
  update_validity (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
expand_ancestors (TetherSchemaField *field)
{
  for (TetherSchemaField *up = field->parent; up != NULL; up = up->parent)
    if (up->row != NULL && ADW_IS_EXPANDER_ROW (up->row))
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (up->row), TRUE);
}

/* Opens the way to the first invalid field and puts the keyboard there. */
gboolean
tether_schema_form_focus_first_invalid (TetherSchemaForm *self)
{
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  TetherSchemaField *where = NULL;

  g_return_val_if_fail (TETHER_IS_SCHEMA_FORM (self), FALSE);

  if (self->root == NULL ||
      !tether_schema_field_find_invalid (self->root, &path, &message, &where))
    return FALSE;

  expand_ancestors (where);
  if (where->control != NULL)
    return gtk_widget_grab_focus (where->control);
  return where->row != NULL && gtk_widget_grab_focus (where->row);
}
