/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TETHER_SCHEMA_FORM_ERROR (tether_schema_form_error_quark ())

typedef enum
{
  TETHER_SCHEMA_FORM_ERROR_INVALID,
} TetherSchemaFormError;

#define TETHER_TYPE_SCHEMA_FORM (tether_schema_form_get_type ())
G_DECLARE_FINAL_TYPE (TetherSchemaForm, tether_schema_form, TETHER, SCHEMA_FORM, AdwBin)

GQuark      tether_schema_form_error_quark          (void);

GtkWidget  *tether_schema_form_new                  (void);

JsonObject *tether_schema_form_get_schema           (TetherSchemaForm  *self);
void        tether_schema_form_set_schema           (TetherSchemaForm  *self,
                                                     JsonObject        *schema);

JsonObject *tether_schema_form_get_arguments        (TetherSchemaForm  *self,
                                                     GError           **error);
JsonObject *tether_schema_form_dup_draft_arguments  (TetherSchemaForm  *self);
void        tether_schema_form_set_arguments        (TetherSchemaForm  *self,
                                                     JsonObject        *arguments);
void        tether_schema_form_reset                (TetherSchemaForm  *self);

gboolean    tether_schema_form_get_valid            (TetherSchemaForm  *self);
gboolean    tether_schema_form_get_has_fields       (TetherSchemaForm  *self);
gboolean    tether_schema_form_focus_first_invalid  (TetherSchemaForm  *self);

G_END_DECLS
