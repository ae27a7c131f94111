/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the tests of TetherResultView (test-result-view-*.c): a result view in a window,
 * results shown in it and waited for, and ways to find what its pages show. */
#pragma once

#include <adwaita.h>

#include "tether-result-view-private.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWindow        *window;
  TetherResultView *view;
  GPtrArray        *opened;    /* URIs from open-resource */
} Fixture;

/* GTK, libadwaita and GtkSourceView for the tests, with animations off. */
void result_view_test_init (int    *argc,
                            char ***argv);

JsonNode *parse (const char *json);
/* Runs the main context for @milliseconds without blocking. */
void iterate (guint milliseconds);
/* Until the view stops loading (fails the test after two minutes), and one frame more. */
void wait_until_loaded (Fixture *fixture);
/* A presented window of 760 × 900 with the view in it, in the light style. */
void fixture_set_up (Fixture       *fixture,
                     gconstpointer  data);
void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  data);
/* Shows @result_json, checked against @schema_json (or NULL), and waits until it is loaded. */
void show_result (Fixture    *fixture,
                  const char *result_json,
                  const char *schema_json);
/* The widgets of @type in the content page (free the array, not the widgets). */
GPtrArray *content_widgets (Fixture *fixture,
                            GType    type);
/* Whether a label in the content page has @needle in its text (the labels are logged if not). */
gboolean content_has_label (Fixture    *fixture,
                            const char *needle);
char *buffer_text (GtkTextBuffer *buffer);
/* @json as TetherJsonPrinter lays it out, strings cut at @max_string_bytes (0: never). */
char *pretty (const char *json,
              gsize       max_string_bytes);
gboolean has_accessible_label (GtkWidget  *widget,
                               const char *label);
/* The first widget below @widget (itself included), GtkLabels excepted, named @label. */
GtkWidget *find_by_accessible_label (GtkWidget  *widget,
                                     const char *label);

G_END_DECLS
