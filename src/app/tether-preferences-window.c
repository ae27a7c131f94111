/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tether-application.h"
#include "tether-preferences-window.h"

struct _TetherPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template children */
  AdwComboRow          *style_row;
  GtkSwitch            *remember_sign_in_switch;
};

G_DEFINE_FINAL_TYPE (TetherPreferencesWindow, tether_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* The rows of the "Style" combo, in the order of the template's string list. */
static const char * const color_scheme_nicks[] = { "default", "light", "dark" };

static gboolean
style_row_selected_from_setting (GValue   *value,
                                 GVariant *variant,
                                 gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_scheme_nicks); i++)
    {
      if (g_strcmp0 (nick, color_scheme_nicks[i]) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  /* A value the schema's choices should have refused: show the default. */
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
style_row_selected_to_setting (const GValue       *value,
                               const GVariantType *expected_type,
                               gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  /* GTK_INVALID_LIST_POSITION while the model is being replaced: write nothing. */
  if (selected >= G_N_ELEMENTS (color_scheme_nicks))
    return NULL;

  return g_variant_new_string (color_scheme_nicks[selected]);
}

static void
tether_preferences_window_finalize (GObject *object)
{
  TetherPreferencesWindow *self = TETHER_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tether_preferences_window_parent_class)->finalize (object);
}

static void
tether_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TETHER_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tether_preferences_window_parent_class)->dispose (object);
}

static void
tether_preferences_window_class_init (TetherPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_preferences_window_dispose;
  object_class->finalize = tether_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, TetherPreferencesWindow,
                                        remember_sign_in_switch);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
tether_preferences_window_init (TetherPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_row_selected_from_setting,
                                style_row_selected_to_setting,
                                NULL, NULL);
  g_settings_bind (self->settings, "remember-sign-in",
                   self->remember_sign_in_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

TetherPreferencesWindow *
tether_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (TETHER_TYPE_PREFERENCES_WINDOW,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
}
