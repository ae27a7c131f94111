/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-json-schema.h"
#include "tether-schema-form.h"

G_BEGIN_DECLS

/* Keys of g_object_set_data() on the widget that holds a field's value: the field's path
 * ("items[2].name") and its label, for tests and for focusing the first invalid field. */
#define TETHER_SCHEMA_FORM_PATH_KEY  "tether-schema-form-path"
#define TETHER_SCHEMA_FORM_LABEL_KEY "tether-schema-form-label"

typedef struct _TetherSchemaField    TetherSchemaField;
/* Puts a suffix widget (null toggle, item buttons) in a kind of row. */
typedef void (*TetherSchemaRowAdder) (GtkWidget *row,
                                      GtkWidget *widget);
typedef struct _TetherSchemaFieldOps TetherSchemaFieldOps;

/* One editor in the form's tree: a property, a list item, a chosen alternative or the root.
 * It is not a widget: it owns the rows it puts in its container (the form's group, or the
 * expander row of the object, list or alternatives it belongs to). */
struct _TetherSchemaField
{
  const TetherSchemaFieldOps *ops;
  TetherSchemaForm           *form;
  TetherSchemaField          *parent;
  TetherJsonSchema           *schema;

  char                       *name;         /* property name, or NULL */
  guint                       index;        /* position in a list */
  char                       *label;        /* title shown, without the required mark */

  guint                       required : 1;  /* empty is an error; for items always */
  guint                       in_list : 1;   /* has move and remove buttons */
  guint                       inline_ : 1;   /* rows go straight into the parent's container */
  guint                       touched : 1;   /* changed by the person: show "required" */
  guint                       has_value : 1; /* a switch that was set, so it is sent */
  guint                       built : 1;     /* object children exist */
  guint                       message_needs_touch : 1;
  guint                       description_in_details : 1;

  GtkWidget                  *row;           /* the field's row, owned */
  GtkLabel                   *title_label;   /* rows that are not AdwPreferencesRow */
  GtkWidget                  *details_row;   /* description and message under it, owned */
  GtkLabel                   *description_label;
  GtkLabel                   *message_label;
  GtkWidget                  *control;       /* the widget that holds the value */
  GtkToggleButton            *null_toggle;
  GtkWidget                  *up_button;
  GtkWidget                  *down_button;
  GtkWidget                  *remove_button;

  /* Composite fields: where the children's rows go and which rows are there now. */
  GtkWidget                  *container;
  GPtrArray                  *placed;
  GPtrArray                  *children;
  /* Object: members of the last value set that no field shows, sent back unchanged. */
  JsonObject                 *extra;
  /* Optional object: the switch that includes it. */
  GtkSwitch                  *include_switch;
  /* List: the add button and the count shown in the header. */
  GtkWidget                  *add_button;
  GtkLabel                   *count_label;
  /* Choice and alternatives: the combo and what its first entries stand for. */
  AdwComboRow                *selector;
  GtkWidget                  *selector_row;  /* alternatives: the selector row, owned */
  guint                       n_special;     /* "Not set" and/or "Null" entries first */
  guint                       not_set_entry : 1;
  guint                       null_entry : 1;
  /* Number: the step buttons. */
  GtkWidget                  *decrease_button;
  GtkWidget                  *increase_button;

  char                       *message;       /* what is wrong, or NULL */
  char                       *message_path;  /* inside the value (JSON fields), or NULL */

  GPtrArray                  *connected;     /* instances with handlers for this field */
};

struct _TetherSchemaFieldOps
{
  void      (*build)            (TetherSchemaField *field);
  JsonNode *(*dup_value)        (TetherSchemaField *field,
                                 gboolean           draft);
  /* FALSE when the value does not fit this editor; NULL clears it. */
  gboolean  (*set_value)        (TetherSchemaField *field,
                                 JsonNode          *value);
  void      (*check)            (TetherSchemaField *field);
  void      (*set_null)         (TetherSchemaField *field,
                                 gboolean           is_null);
  void      (*collect_content)  (TetherSchemaField *field,
                                 GPtrArray         *rows);
  void      (*relabel)          (TetherSchemaField *field);
  /* The children whose values count now (a chosen alternative, an included object). */
  void      (*active_children)  (TetherSchemaField *field,
                                 GPtrArray         *children);
};

extern const TetherSchemaFieldOps tether_schema_text_ops;
extern const TetherSchemaFieldOps tether_schema_multiline_ops;
extern const TetherSchemaFieldOps tether_schema_number_ops;
extern const TetherSchemaFieldOps tether_schema_boolean_ops;
extern const TetherSchemaFieldOps tether_schema_choice_ops;
extern const TetherSchemaFieldOps tether_schema_constant_ops;
extern const TetherSchemaFieldOps tether_schema_json_ops;
extern const TetherSchemaFieldOps tether_schema_object_ops;
extern const TetherSchemaFieldOps tether_schema_list_ops;
extern const TetherSchemaFieldOps tether_schema_variants_ops;

/* tether-schema-form.c */
gboolean           tether_schema_form_is_loading        (TetherSchemaForm  *self);
void               tether_schema_form_push_loading      (TetherSchemaForm  *self);
void               tether_schema_form_pop_loading       (TetherSchemaForm  *self);
gboolean           tether_schema_form_get_reveal        (TetherSchemaForm  *self);
void               tether_schema_form_field_changed     (TetherSchemaForm  *self,
                                                         TetherSchemaField *field);

/* tether-schema-form-field.c: making, filling, checking and placing fields */
TetherSchemaField *tether_schema_field_new              (TetherSchemaForm  *form,
                                                         TetherSchemaField *parent,
                                                         TetherJsonSchema  *schema,
                                                         const char        *name,
                                                         guint              index,
                                                         gboolean           required,
                                                         gboolean           in_list);
TetherSchemaField *tether_schema_field_new_json         (TetherSchemaField *like);
void               tether_schema_field_free             (TetherSchemaField *field);
JsonNode          *tether_schema_field_dup_value        (TetherSchemaField *field,
                                                         gboolean           draft);
TetherSchemaField *tether_schema_field_set_value        (TetherSchemaField *field,
                                                         JsonNode          *value);
void               tether_schema_field_apply_default    (TetherSchemaField *field);
void               tether_schema_field_check            (TetherSchemaField *field);
void               tether_schema_field_update_message   (TetherSchemaField *field);
void               tether_schema_field_update_messages  (TetherSchemaField *field);
gboolean           tether_schema_field_find_invalid     (TetherSchemaField *field,
                                                         char             **path,
                                                         char             **message,
                                                         TetherSchemaField **where);
void               tether_schema_field_collect_rows     (TetherSchemaField *field,
                                                         GPtrArray         *rows);
void               tether_schema_field_relayout         (TetherSchemaField *field);
char              *tether_schema_field_dup_path         (TetherSchemaField *field);
gboolean           tether_schema_field_is_recursive     (TetherSchemaField *field);
gboolean           tether_schema_field_is_null          (TetherSchemaField *field);
void               tether_schema_field_touch            (TetherSchemaField *field);
void               tether_schema_field_set_message      (TetherSchemaField *field,
                                                         const char        *message,
                                                         gboolean           needs_touch);
char              *tether_schema_field_dup_default_label (TetherSchemaField *field);
void               tether_schema_field_check_value      (TetherSchemaField *field,
                                                         JsonNode          *value);
void               tether_schema_field_check_scalar     (TetherSchemaField *field);
void               tether_schema_field_check_own_level  (TetherSchemaField *field,
                                                         JsonNode          *value);
void               tether_schema_field_collect_children_rows (TetherSchemaField *field,
                                                              GPtrArray         *rows);
void               tether_schema_field_value_changed    (gpointer           instance,
                                                         TetherSchemaField *field);
void               tether_schema_field_notify_changed   (GObject           *object,
                                                         GParamSpec        *pspec,
                                                         TetherSchemaField *field);
void               tether_schema_field_no_null          (TetherSchemaField *field,
                                                         gboolean           is_null);
void               tether_schema_field_connect          (TetherSchemaField *field,
                                                         gpointer           instance,
                                                         const char        *signal,
                                                         GCallback          callback);

/* tether-schema-form-row.c: the parts of a field's rows */
GtkWidget         *tether_schema_row_new_entry          (TetherSchemaField *field);
GtkWidget         *tether_schema_row_new_expander       (TetherSchemaField *field);
void               tether_schema_row_set_subtitle       (TetherSchemaField *field);
void               tether_schema_row_set_expander_subtitle (TetherSchemaField *field);
void               tether_schema_row_set_entry_editable (TetherSchemaField *field,
                                                         gboolean           editable);
void               tether_schema_field_set_label        (TetherSchemaField *field,
                                                         const char        *label);
void               tether_schema_field_refresh_paths    (TetherSchemaField *field);
void               tether_schema_field_apply_title      (TetherSchemaField *field);
void               tether_schema_field_label_control    (TetherSchemaField *field,
                                                         GtkWidget         *widget);
GtkWidget         *tether_schema_field_make_details_row (TetherSchemaField *field,
                                                         gboolean           with_description);
void               tether_schema_field_add_null_toggle  (TetherSchemaField    *field,
                                                         TetherSchemaRowAdder  add);
void               tether_schema_field_add_item_buttons (TetherSchemaField    *field,
                                                         TetherSchemaRowAdder  add);
void               tether_schema_field_update_item_buttons (TetherSchemaField *field);
GtkWidget         *tether_schema_field_make_icon_button (const char        *icon_name,
                                                         const char        *tooltip);
void               tether_schema_field_set_accessible_label (GtkWidget     *widget,
                                                             const char    *label);

/* Row adders for tether_schema_field_add_*: where suffix widgets go in each kind of row. */
void               tether_schema_row_add_entry_suffix   (GtkWidget         *row,
                                                         GtkWidget         *widget);
void               tether_schema_row_add_action_suffix  (GtkWidget         *row,
                                                         GtkWidget         *widget);
void               tether_schema_row_add_expander_action (GtkWidget        *row,
                                                          GtkWidget        *widget);

/* tether-schema-form-list.c */
void               tether_schema_list_move_item         (TetherSchemaField *list,
                                                         guint              from,
                                                         guint              to);
void               tether_schema_list_remove_item       (TetherSchemaField *list,
                                                         guint              index);

G_END_DECLS
