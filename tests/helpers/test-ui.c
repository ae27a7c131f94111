/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "test-ui.h"

gboolean
test_ui_has_label (GtkWidget  *widget,
                   const char *label)
{
  char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL, label);

  g_free (mismatch);
  return mismatch == NULL;
}

static void
collect (GtkWidget  *widget,
         const char *label,
         gboolean    visible_only,
         GPtrArray  *found)
{
  if (!GTK_IS_LABEL (widget) && (!visible_only || gtk_widget_get_visible (widget))
      && test_ui_has_label (widget, label))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, label, visible_only, found);
}

GPtrArray *
test_ui_collect_by_label (gpointer    root,
                          const char *label,
                          gboolean    visible_only)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (root), label, visible_only, found);
  return found;
}

static GtkWidget *
find_one (gpointer    root,
          const char *label,
          gboolean    visible_only)
{
  g_autoptr(GPtrArray) found = test_ui_collect_by_label (root, label, visible_only);

  if (found->len != 1)
    {
      for (guint i = 0; i < found->len; i++)
        g_printerr ("# match %u: %s\n", i, G_OBJECT_TYPE_NAME (g_ptr_array_index (found, i)));
      g_error ("%u %swidgets are named “%s”, expected one", found->len,
               visible_only ? "visible " : "", label);
    }
  return g_ptr_array_index (found, 0);
}

GtkWidget *
test_ui_find (gpointer    root,
              const char *label)
{
  return find_one (root, label, FALSE);
}

GtkWidget *
test_ui_find_visible (gpointer    root,
                      const char *label)
{
  return find_one (root, label, TRUE);
}

guint
test_ui_count (gpointer    root,
               const char *label)
{
  g_autoptr(GPtrArray) found = test_ui_collect_by_label (root, label, FALSE);

  return found->len;
}

void
test_ui_click (gpointer    root,
               const char *label)
{
  GtkWidget *button = test_ui_find_visible (root, label);

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

void
test_ui_press_key (gpointer widget,
                   guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (widget));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !handled; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                    GTK_WIDGET (widget),
                                                    gtk_shortcut_get_arguments (shortcut));
        }
    }
  if (!handled)
    g_error ("%s has no shortcut for %s", G_OBJECT_TYPE_NAME (widget), gdk_keyval_name (keyval));
}

void
test_ui_spin (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* A render node of @widget as it is now, or NULL when it has nothing to draw yet. */
static GskRenderNode *
snapshot_widget (GtkWidget *widget,
                 int        width,
                 int        height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

void
test_ui_save_screenshot (gpointer    widget,
                         const char *name,
                         guint       settle_ms)
{
  const char *folder = g_getenv ("TETHER_TEST_SCREENSHOT_DIR");
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64 deadline;
  int width = 0, height = 0;

  if (folder == NULL)
    return;

  test_ui_spin (settle_ms);

  /* On a loaded machine (sanitizers, parallel tests) mapping and the first frame can take a
   * while: wait for something to draw rather than for a fixed time. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      width = gtk_widget_get_width (GTK_WIDGET (widget));
      height = gtk_widget_get_height (GTK_WIDGET (widget));
      if (gtk_widget_get_mapped (GTK_WIDGET (widget)) && width > 0 && height > 0)
        node = snapshot_widget (GTK_WIDGET (widget), width, height);
      if (node != NULL || g_get_monotonic_time () > deadline)
        break;
      test_ui_spin (50);
    }
  if (node == NULL)
    g_error ("Nothing to render for %s within a minute: %dx%d, mapped %d, visible %d", name,
             width, height, gtk_widget_get_mapped (GTK_WIDGET (widget)),
             gtk_widget_get_visible (GTK_WIDGET (widget)));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_mkdir_with_parents (folder, 0755);
  path = g_build_filename (folder, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}
