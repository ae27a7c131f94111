/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tether-schema-form.h"

G_BEGIN_DECLS

#define TETHER_ARGUMENTS_EDITOR_ERROR (tether_arguments_editor_error_quark ())

typedef enum
{
  TETHER_ARGUMENTS_EDITOR_ERROR_PARSE,
  TETHER_ARGUMENTS_EDITOR_ERROR_NOT_OBJECT,
} TetherArgumentsEditorError;

#define TETHER_TYPE_ARGUMENTS_EDITOR (tether_arguments_editor_get_type ())
G_DECLARE_FINAL_TYPE (TetherArgumentsEditor, tether_arguments_editor, TETHER, ARGUMENTS_EDITOR,
                      AdwBin)

GQuark            tether_arguments_editor_error_quark  (void);

GtkWidget        *tether_arguments_editor_new          (void);

TetherSchemaForm *tether_arguments_editor_get_form     (TetherArgumentsEditor  *self);
void              tether_arguments_editor_set_schema   (TetherArgumentsEditor  *self,
                                                        JsonObject             *schema);

const char       *tether_arguments_editor_get_mode     (TetherArgumentsEditor  *self);
gboolean          tether_arguments_editor_set_mode     (TetherArgumentsEditor  *self,
                                                        const char             *mode,
                                                        GError                **error);

JsonObject       *tether_arguments_editor_get_arguments (TetherArgumentsEditor *self,
                                                         GError               **error);
void              tether_arguments_editor_set_arguments (TetherArgumentsEditor *self,
                                                         JsonObject            *arguments);

gboolean          tether_arguments_editor_get_valid    (TetherArgumentsEditor  *self);

G_END_DECLS
