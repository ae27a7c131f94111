/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-application.h"
#include "tether-preferences-window.h"
#include "tether-window.h"

struct _TetherApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (TetherApplication, tether_application, ADW_TYPE_APPLICATION)

/* The "color-scheme" key holds a nick a person may also set with gsettings; anything
 * unknown means "follow the system", which is what the schema's default says too. */
static AdwColorScheme
color_scheme_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (nick, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
tether_application_apply_color_scheme (TetherApplication *self)
{
  g_autofree char *nick = g_settings_get_string (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      color_scheme_from_nick (nick));
}

static void
on_color_scheme_changed (TetherApplication *self,
                         const char        *key,
                         GSettings         *settings)
{
  tether_application_apply_color_scheme (self);
}

/* The most recently focused main window, or a new one. Dialogs such as the preferences
 * belong to the application too (so its shortcuts work there), hence the type check. */
static GtkWindow *
tether_application_get_main_window (TetherApplication *self)
{
  for (const GList *iter = gtk_application_get_windows (GTK_APPLICATION (self));
       iter != NULL;
       iter = iter->next)
    {
      if (TETHER_IS_WINDOW (iter->data))
        return GTK_WINDOW (iter->data);
    }

  return GTK_WINDOW (tether_window_new (self));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  TetherApplication *self = user_data;
  GList *windows;

  /* Close rather than destroy, so every window gets its close-request and saves its state.
   * Closing a main window also destroys its dialogs, hence the references. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc) g_object_ref, NULL);
  for (const GList *iter = windows; iter != NULL; iter = iter->next)
    gtk_window_close (GTK_WINDOW (iter->data));
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TetherApplication *self = user_data;
  TetherPreferencesWindow *preferences;

  /* One preferences window at a time: a second Ctrl+comma brings the open one forward. */
  for (const GList *iter = gtk_application_get_windows (GTK_APPLICATION (self));
       iter != NULL;
       iter = iter->next)
    {
      if (TETHER_IS_PREFERENCES_WINDOW (iter->data))
        {
          gtk_window_present (GTK_WINDOW (iter->data));
          return;
        }
    }

  preferences = tether_preferences_window_new (tether_application_get_main_window (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  TetherApplication *self = user_data;
  GtkWindow *parent = tether_application_get_main_window (self);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", parent,
                        "destroy-with-parent", TRUE,
                        "modal", TRUE,
                        "application-name", _("Tether"),
                        "application-icon", APP_ID,
                        "version", VERSION,
                        "developer-name", _("The Tether developers"),
                        "comments", _("Tether connects to Model Context Protocol servers, signs "
                                      "in with OAuth and lets you run their tools and read "
                                      "their results."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/tethermcp/tether",
                        "issue-url", "https://github.com/tethermcp/tether/issues",
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        "copyright", _("© The Tether developers"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = quit_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "about", .activate = about_activated },
};

static void
tether_application_startup (GApplication *application)
{
  TetherApplication *self = TETHER_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (tether_application_parent_class)->startup (application);

  g_set_application_name (_("Tether"));
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  self->settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, G_CONNECT_SWAPPED);
  tether_application_apply_color_scheme (self);
}

static void
tether_application_activate (GApplication *application)
{
  TetherApplication *self = TETHER_APPLICATION (application);

  gtk_window_present (tether_application_get_main_window (self));
}

static int
tether_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("tether %s\n", VERSION);
      return EXIT_SUCCESS;
    }

  /* Go on with the default handling: register, then activate. */
  return -1;
}

static void
tether_application_dispose (GObject *object)
{
  TetherApplication *self = TETHER_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tether_application_parent_class)->dispose (object);
}

static void
tether_application_class_init (TetherApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tether_application_dispose;

  app_class->startup = tether_application_startup;
  app_class->activate = tether_application_activate;
  app_class->handle_local_options = tether_application_handle_local_options;
}

static void
tether_application_init (TetherApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

TetherApplication *
tether_application_new (void)
{
  return g_object_new (TETHER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The .Devel build has another id but the same resources. */
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
