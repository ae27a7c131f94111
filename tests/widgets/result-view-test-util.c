/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the TetherResultView tests: see result-view-test-util.h. */
#include "config.h"

#include <string.h>

#include "result-view-test-util.h"
#include "tether-json-printer.h"

void
result_view_test_init (int    *argc,
                       char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Transitions end at once, so what a test sees does not depend on how fast it runs. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_source_init ();
}

JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
open_resource_cb (TetherResultView *view,
                  const char       *uri,
                  Fixture          *fixture)
{
  g_ptr_array_add (fixture->opened, g_strdup (uri));
}

void
iterate (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  g_error ("Timed out waiting for the result view to finish loading");
  return G_SOURCE_REMOVE;
}

void
wait_until_loaded (Fixture *fixture)
{
  guint timeout = g_timeout_add_seconds (120, timed_out_cb, NULL);

  while (tether_result_view_get_loading (fixture->view))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  /* One more frame, so that what was loaded is also laid out. */
  iterate (30);
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 760, 900);
  fixture->view = TETHER_RESULT_VIEW (tether_result_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  fixture->opened = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->view, "open-resource", G_CALLBACK (open_resource_cb), fixture);
  gtk_window_present (fixture->window);
  iterate (50);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_ptr_array_unref (fixture->opened);
}

void
show_result (Fixture    *fixture,
             const char *result_json,
             const char *schema_json)
{
  g_autoptr(JsonNode) result = parse (result_json);
  g_autoptr(JsonNode) schema = schema_json != NULL ? parse (schema_json) : NULL;

  tether_result_view_set_result (fixture->view, json_node_get_object (result), 35200, 1234,
                                 schema != NULL ? json_node_get_object (schema) : NULL);
  g_assert_true (tether_result_view_get_loading (fixture->view));
  wait_until_loaded (fixture);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RESULT);
}

static void
collect_of_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_of_type (child, type, found);
}

GPtrArray *
content_widgets (Fixture *fixture,
                 GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_of_type (tether_result_view_get_content_box (fixture->view), type, found);
  return found;
}

gboolean
content_has_label (Fixture    *fixture,
                   const char *needle)
{
  g_autoptr(GPtrArray) labels = content_widgets (fixture, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), needle) != NULL)
      return TRUE;
  for (guint i = 0; i < labels->len; i++)
    g_test_message ("label: %s", gtk_label_get_text (g_ptr_array_index (labels, i)));
  return FALSE;
}

char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
pretty (const char *json,
        gsize       max_string_bytes)
{
  g_autoptr(JsonNode) node = parse (json);
  GString *out = g_string_new (NULL);

  tether_json_printer_append_pretty (out, node, max_string_bytes, NULL);
  return g_string_free (out, FALSE);
}

gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label);

  return mismatch == NULL;
}

GtkWidget *
find_by_accessible_label (GtkWidget  *widget,
                          const char *label)
{
  if (!GTK_IS_LABEL (widget) && has_accessible_label (widget, label))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_accessible_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}
