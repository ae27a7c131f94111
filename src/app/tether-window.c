/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-window.h"

/* Below these a saved size is treated as damaged and the schema's defaults are used. */
#define MIN_SAVED_WIDTH  360
#define MIN_SAVED_HEIGHT 360

struct _TetherWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  AdwToast             *add_server_toast;  /* weak: the overlay owns it while shown */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *sidebar_stack;
  GtkListBox           *connection_list;
  AdwStatusPage        *content_status;
};

G_DEFINE_FINAL_TYPE (TetherWindow, tether_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tether_window_restore_state (TetherWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width < MIN_SAVED_WIDTH || height < MIN_SAVED_HEIGHT)
    {
      g_autoptr(GVariant) default_width = g_settings_get_default_value (self->settings,
                                                                        "window-width");
      g_autoptr(GVariant) default_height = g_settings_get_default_value (self->settings,
                                                                         "window-height");

      width = g_variant_get_int32 (default_width);
      height = g_variant_get_int32 (default_height);
    }

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
tether_window_save_state (TetherWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* While maximized the default size still holds the unmaximized one, which is what the
   * next start should come back to after unmaximizing; keep it untouched. */
  if (!maximized)
    {
      int width = 0;
      int height = 0;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
}

static gboolean
tether_window_close_request (GtkWindow *window)
{
  TetherWindow *self = TETHER_WINDOW (window);

  tether_window_save_state (self);

  return GTK_WINDOW_CLASS (tether_window_parent_class)->close_request (window);
}

static void
add_server_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  AdwToast *toast;

  /* The add-server dialog is not written yet; say so instead of doing nothing, once: a
   * second press while the toast is up would only queue the same words behind it. */
  if (self->add_server_toast != NULL)
    return;

  toast = adw_toast_new (_("Adding servers comes with the connection dialog"));
  g_set_weak_pointer (&self->add_server_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_sidebar_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The application's symbolic icon comes from the icon theme once installed and from our
 * resources (see tether.gresource.xml) when running from the build directory; a stock
 * icon stands in should neither have it. */
static const char *
tether_window_pick_status_icon (TetherWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);

  if (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"))
    return APP_ID "-symbolic";
  return "network-server-symbolic";
}

static void
tether_window_dispose (GObject *object)
{
  TetherWindow *self = TETHER_WINDOW (object);

  g_clear_weak_pointer (&self->add_server_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_WINDOW);

  G_OBJECT_CLASS (tether_window_parent_class)->dispose (object);
}

static void
tether_window_finalize (GObject *object)
{
  TetherWindow *self = TETHER_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tether_window_parent_class)->finalize (object);
}

static void
tether_window_class_init (TetherWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tether_window_dispose;
  object_class->finalize = tether_window_finalize;

  window_class->close_request = tether_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, content_status);

  gtk_widget_class_install_action (widget_class, "win.add-server", NULL, add_server_activated);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   show_sidebar_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-server", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
tether_window_init (TetherWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  tether_window_restore_state (self);

  adw_status_page_set_icon_name (self->content_status, tether_window_pick_status_icon (self));
  gtk_stack_set_visible_child_name (self->sidebar_stack, "empty");
}

TetherWindow *
tether_window_new (TetherApplication *application)
{
  g_return_val_if_fail (TETHER_IS_APPLICATION (application), NULL);

  return g_object_new (TETHER_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
