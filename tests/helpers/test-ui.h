/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding and driving widgets in tests the way assistive technology sees them: by accessible
 * name. Shared by the widget tests under tests/connections, tests/signin, ... */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether @widget's accessible name is @label. */
gboolean   test_ui_has_label             (GtkWidget  *widget,
                                          const char *label);
/* Every widget below @root (itself included) named @label, GtkLabels excepted (a label's
 * name is its text: it names nothing one could operate). With @visible_only, widgets that
 * are hidden themselves are skipped (their children are still looked at). */
GPtrArray *test_ui_collect_by_label      (gpointer    root,
                                          const char *label,
                                          gboolean    visible_only);
/* The one widget named @label (fails the test unless there is exactly one). */
GtkWidget *test_ui_find                  (gpointer    root,
                                          const char *label);
/* The same among visible widgets only. */
GtkWidget *test_ui_find_visible          (gpointer    root,
                                          const char *label);
guint      test_ui_count                 (gpointer    root,
                                          const char *label);
/* Clicks the visible, sensitive button named @label. */
void       test_ui_click                 (gpointer    root,
                                          const char *label);
/* Runs the shortcut @widget has for @keyval without modifiers, as if the key were pressed;
 * fails the test when there is none. */
void       test_ui_press_key             (gpointer    widget,
                                          guint       keyval);
/* Runs the main context for @milliseconds. */
void       test_ui_spin                  (guint       milliseconds);
/* Renders @widget (a realized, mapped toplevel) to TETHER_TEST_SCREENSHOT_DIR/@name as PNG,
 * after @settle_ms of main loop for the last changes to reach it. Does nothing without
 * TETHER_TEST_SCREENSHOT_DIR. */
void       test_ui_save_screenshot       (gpointer    widget,
                                          const char *name,
                                          guint       settle_ms);

G_END_DECLS
