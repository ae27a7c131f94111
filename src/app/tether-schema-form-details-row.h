/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TETHER_TYPE_SCHEMA_FORM_DETAILS_ROW (tether_schema_form_details_row_get_type ())
G_DECLARE_FINAL_TYPE (TetherSchemaFormDetailsRow, tether_schema_form_details_row,
                      TETHER, SCHEMA_FORM_DETAILS_ROW, AdwPreferencesRow)

GtkWidget *tether_schema_form_details_row_new (void);

G_END_DECLS
