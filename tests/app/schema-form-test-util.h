/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the tests of TetherSchemaForm (test-schema-form-*.c): a form in a window, and ways
 * to find its widgets, give them values as a person would and check the JSON that comes out. */
#pragma once

#include <adwaita.h>

#include "tether-schema-form-private.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWindow        *window;
  TetherSchemaForm *form;
} Fixture;

typedef gboolean (*WidgetPredicate) (GtkWidget *widget, gconstpointer data);

JsonNode *parse (const char *text);
JsonObject *parse_object (const char *text);
void drain_events (void);
void fixture_set_up (Fixture       *fixture,
                     gconstpointer  data);
void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  data);
void load_schema (Fixture    *fixture,
                  const char *schema_text);
GtkWidget *find_widget (GtkWidget       *root,
                        WidgetPredicate  predicate,
                        gconstpointer    data,
                        gboolean         skip_nested);
void collect_widgets (GtkWidget       *root,
                      WidgetPredicate  predicate,
                      gconstpointer    data,
                      GPtrArray       *out);
gboolean has_path (GtkWidget     *widget,
                   gconstpointer  path);
gboolean has_any_path (GtkWidget     *widget,
                       gconstpointer  data);
gboolean is_button_with_icon (GtkWidget     *widget,
                              gconstpointer  icon);
gboolean is_null_toggle (GtkWidget     *widget,
                         gconstpointer  data);
gboolean is_switch (GtkWidget     *widget,
                    gconstpointer  data);
gboolean is_type (GtkWidget     *widget,
                  gconstpointer  type);
GPtrArray *controls_with_path (Fixture    *fixture,
                               const char *path);
GtkWidget *control (Fixture    *fixture,
                    const char *path);
GtkWidget *header_widget (GtkWidget       *row,
                          WidgetPredicate  predicate,
                          gconstpointer    data);
void click (GtkWidget *button);
void set_text (Fixture    *fixture,
               const char *path,
               const char *text);
const char *get_text (Fixture    *fixture,
                      const char *path);
AdwComboRow *combo_row (Fixture    *fixture,
                        const char *path);
void select_entry (Fixture    *fixture,
                   const char *path,
                   const char *label);
const char *selected_label (Fixture    *fixture,
                            const char *path);
void assert_json_equal (JsonObject *object,
                        const char *expected);
void assert_arguments (Fixture    *fixture,
                       const char *expected);
void assert_invalid (Fixture    *fixture,
                     const char *expected_message);
const char *shown_message (Fixture    *fixture,
                           const char *path);
guint count_fields (Fixture *fixture);
void count_emission (guint *counter);

G_END_DECLS
