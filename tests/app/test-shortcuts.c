/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keyboard shortcuts window (src/app/gtk/help-overlay.ui) against what Tether registers:
 * the application's accelerators (gtk_application_set_accels_for_action, including the one
 * GtkApplication adds for the window itself) and the shortcuts Tether's widget classes add
 * with gtk_widget_class_add_binding*(). Every registered accelerator must be listed, and every
 * listed one must be registered, so the window cannot drift from the code again.
 *
 * The whole application is linked in; its widgets are built for real (a window, a connection
 * view, a sidebar row, the dialogs) and walked, so a widget class added later is seen as soon
 * as it appears in one of those trees. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tether-add-server-dialog.h"
#include "tether-application.h"
#include "tether-connection-row.h"
#include "tether-connection-view.h"
#include "tether-preferences-window.h"
#include "tether-sign-in-dialog.h"
#include "tether-window.h"
#include "test-files.h"

static char *test_home;


/* "<Control>Return", whatever the keypad or the case of the letter. */
static char *
accelerator_key (guint           keyval,
                 GdkModifierType modifiers)
{
  keyval = gdk_keyval_to_lower (keyval);
  if (keyval == GDK_KEY_KP_Enter)
    keyval = GDK_KEY_Return;
  /* GTK shows and matches Shift+F10 and <Shift>f10 alike; what matters is the key. */
  return gtk_accelerator_name (keyval, modifiers & gtk_accelerator_get_default_mod_mask ());
}

/* ---- What the shortcuts window lists -------------------------------------------------- */

static void
add_listed (GHashTable *listed,
            const char *accelerators,
            const char *title)
{
  g_auto(GStrv) tokens = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      guint keyval = 0;
      GdkModifierType modifiers = 0;

      if (*tokens[i] == '\0')
        continue;
      if (!gtk_accelerator_parse (tokens[i], &keyval, &modifiers) || keyval == 0)
        {
          g_test_message ("“%s” lists “%s”, which is no accelerator", title, tokens[i]);
          g_test_fail ();
          continue;
        }
      g_hash_table_insert (listed, accelerator_key (keyval, modifiers), g_strdup (title));
    }
}

static GHashTable *
collect_listed (GtkApplication *app)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GSList *objects;
  guint shortcuts = 0;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  objects = gtk_builder_get_objects (builder);
  for (const GSList *iter = objects; iter != NULL; iter = iter->next)
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      g_autofree char *action_name = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (iter->data))
        continue;
      shortcuts++;
      g_object_get (iter->data,
                    "title", &title,
                    "accelerator", &accelerator,
                    "action-name", &action_name,
                    NULL);
      if (accelerator != NULL)
        add_listed (listed, accelerator, title);
      /* A shortcut may name an action instead: it shows that action's accelerators. */
      if (action_name != NULL)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, action_name);
          g_autofree char *joined = g_strjoinv (" ", accels);

          add_listed (listed, joined, title);
        }
      if (accelerator == NULL && action_name == NULL)
        {
          g_test_message ("“%s” lists no accelerator", title);
          g_test_fail ();
        }
    }
  g_slist_free (objects);

  g_assert_cmpuint (shortcuts, >, 0);
  /* The window and its contents belong to the builder's caller: destroy the toplevel. */
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  return listed;
}

/* ---- What is registered --------------------------------------------------------------- */

static void
add_registered (GHashTable      *registered,
                guint            keyval,
                GdkModifierType  modifiers,
                const char      *where)
{
  char *key = accelerator_key (keyval, modifiers);

  if (!g_hash_table_contains (registered, key))
    g_hash_table_insert (registered, key, g_strdup (where));
  else
    g_free (key);
}

static void
collect_application_accels (GtkApplication *app,
                            GHashTable     *registered)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (app);

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval = 0;
          GdkModifierType modifiers = 0;

          gtk_accelerator_parse (accels[j], &keyval, &modifiers);
          g_assert_cmpuint (keyval, !=, 0);
          add_registered (registered, keyval, modifiers, actions[i]);
        }
    }
}

/* The class shortcuts of a widget: GTK gives a widget whose class has shortcuts (its own or
 * inherited ones) a shortcut controller holding them all; NULL when there are none. */
static GListModel *
dup_class_shortcuts (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller)
          && g_strcmp0 (gtk_event_controller_get_name (controller),
                        "gtk-widget-class-shortcuts") == 0)
        return G_LIST_MODEL (g_steal_pointer (&controller));
    }
  return NULL;
}

static char *
describe_shortcut (GtkShortcut *shortcut)
{
  g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
  g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

  return g_strdup_printf ("%s → %s", trigger, action);
}

/* The shortcuts a class inherits from GTK or libadwaita (the nearest ancestor that is not
 * Tether's): those are not Tether's to list. */
static GHashTable *
inherited_shortcuts (GType type)
{
  GHashTable *inherited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) shortcuts = NULL;
  GType parent = g_type_parent (type);
  GtkWidget *instance;

  while (g_str_has_prefix (g_type_name (parent), "Tether"))
    parent = g_type_parent (parent);
  if (G_TYPE_IS_ABSTRACT (parent))
    {
      /* GtkWidget itself: it adds no shortcuts of its own. */
      g_assert_true (parent == GTK_TYPE_WIDGET);
      return inherited;
    }

  instance = g_object_ref_sink (g_object_new (parent, NULL));
  shortcuts = dup_class_shortcuts (instance);
  for (guint i = 0; shortcuts != NULL && i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);

      g_hash_table_add (inherited, describe_shortcut (shortcut));
    }
  g_clear_object (&shortcuts);
  if (GTK_IS_WINDOW (instance))
    gtk_window_destroy (GTK_WINDOW (instance));
  g_object_unref (instance);
  return inherited;
}

static void
add_trigger (GHashTable         *registered,
             GtkShortcutTrigger *trigger,
             const char         *where)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    add_registered (registered,
                    gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                    gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)),
                    where);
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (registered,
                   gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), where);
      add_trigger (registered,
                   gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), where);
    }
  else
    {
      g_autofree char *text = gtk_shortcut_trigger_to_string (trigger);

      g_test_message ("%s: a trigger “%s” the shortcuts window cannot show", where, text);
      g_test_fail ();
    }
}

static void
collect_class_shortcuts (GtkWidget  *widget,
                         GHashTable *registered,
                         GHashTable *seen_types)
{
  GType type = G_OBJECT_TYPE (widget);
  g_autoptr(GListModel) shortcuts = NULL;
  g_autoptr(GHashTable) inherited = NULL;

  if (!g_str_has_prefix (g_type_name (type), "Tether")
      || g_hash_table_contains (seen_types, GSIZE_TO_POINTER (type)))
    return;
  g_hash_table_add (seen_types, GSIZE_TO_POINTER (type));

  shortcuts = dup_class_shortcuts (widget);
  if (shortcuts == NULL)
    return;
  inherited = inherited_shortcuts (type);
  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      g_autofree char *description = describe_shortcut (shortcut);
      g_autofree char *where = NULL;

      if (g_hash_table_contains (inherited, description))
        continue;
      where = g_strdup_printf ("%s: %s", g_type_name (type), description);
      g_test_message ("registered: %s", where);
      add_trigger (registered, gtk_shortcut_get_trigger (shortcut), where);
    }
}

static void
walk (GtkWidget  *widget,
      GHashTable *registered,
      GHashTable *seen_types)
{
  collect_class_shortcuts (widget, registered, seen_types);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, registered, seen_types);
}

/* ---- The test --------------------------------------------------------------------------- */

/* Where GL is off (GDK_DEBUG=gl-disable in the sanitized build), the sign-in dialog's web view
 * says so once, as a warning without a log domain. That one is expected; every other warning
 * stays fatal. */
static gboolean
is_gl_disabled_warning (GLogLevelFlags  log_level,
                        const char     *message)
{
  return (log_level & G_LOG_LEVEL_WARNING) != 0 && message != NULL
         && g_str_has_prefix (message, "Disabled hardware acceleration because GTK failed to "
                                       "initialize GL");
}

static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return !is_gl_disabled_warning (log_level, message);
}

static void
no_domain_log_handler (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  if (is_gl_disabled_warning (log_level, message))
    g_test_message ("Expected: %s", message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static void
test_every_accelerator_is_listed (void)
{
  g_autoptr(TetherApplication) app = tether_application_new ();
  g_autoptr(GHashTable) registered = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);
  g_autoptr(GHashTable) seen_types = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(TetherConnection) connection = tether_connection_new ();
  g_autoptr(McpTokenStore) token_store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autoptr(TetherSession) session = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view;
  GtkWidget *row;
  TetherWindow *window;
  TetherAddServerDialog *add_dialog;
  TetherPreferencesWindow *preferences;
  TetherSignInDialog *sign_in;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_test_log_set_fatal_handler (fatal_log_handler, NULL);
  g_log_set_handler (NULL, G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, no_domain_log_handler, NULL);

  /* Startup sets the application's accelerators and finds the shortcuts window. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = tether_window_new (app);
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  tether_connection_set_name (connection, "Example");
  session = tether_session_new (connection, token_store, NULL);
  view = g_object_ref_sink (tether_connection_view_new (session));
  row = g_object_ref_sink (tether_connection_row_new (session, NULL));
  add_dialog = tether_add_server_dialog_new (GTK_WINDOW (window), NULL);
  preferences = tether_preferences_window_new (GTK_WINDOW (window));
  /* Not a web address: the dialog shows its error page and loads nothing. */
  sign_in = tether_sign_in_dialog_new (GTK_WINDOW (window), "Example", "about:blank",
                                       "http://127.0.0.1:1/callback", NULL);

  collect_application_accels (GTK_APPLICATION (app), registered);
  walk (GTK_WIDGET (window), registered, seen_types);
  walk (view, registered, seen_types);
  walk (row, registered, seen_types);
  walk (GTK_WIDGET (add_dialog), registered, seen_types);
  walk (GTK_WIDGET (preferences), registered, seen_types);
  walk (GTK_WIDGET (sign_in), registered, seen_types);

  /* The walk saw the classes that hold Tether's shortcuts (a sanity check of the walk). */
  g_assert_true (g_hash_table_contains (seen_types, GSIZE_TO_POINTER (TETHER_TYPE_WINDOW)));
  g_assert_true (g_hash_table_contains (seen_types,
                                        GSIZE_TO_POINTER (TETHER_TYPE_CONNECTION_VIEW)));
  g_assert_true (g_hash_table_contains (seen_types,
                                        GSIZE_TO_POINTER (g_type_from_name ("TetherToolList"))));
  g_assert_true (g_hash_table_contains (seen_types,
                                        GSIZE_TO_POINTER (g_type_from_name ("TetherResultView"))));
  g_assert_true (g_hash_table_contains (registered, "<Control>n"));

  listed = collect_listed (GTK_APPLICATION (app));

  g_hash_table_iter_init (&iter, registered);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (listed, key))
        {
          g_test_message ("%s (%s) is missing from the shortcuts window", (char *) key,
                          (char *) value);
          g_test_fail ();
        }
    }
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_hash_table_contains (registered, key))
        {
          g_test_message ("the shortcuts window lists %s (“%s”), which nothing registers",
                          (char *) key, (char *) value);
          g_test_fail ();
        }
    }

  gtk_window_destroy (GTK_WINDOW (sign_in));
  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (add_dialog));
  g_object_unref (row);
  g_object_unref (view);
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the destroyed windows' pending work finish before the application goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  /* Nothing of the person running the test is read or written. */
  test_home = g_dir_make_tmp ("tether-test-shortcuts-XXXXXX", NULL);
  g_assert_nonnull (test_home);
  config = g_build_filename (test_home, "config", NULL);
  data = g_build_filename (test_home, "data", NULL);
  cache = g_build_filename (test_home, "cache", NULL);
  state = g_build_filename (test_home, "state", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/shortcuts/every-accelerator-is-listed-and-every-listed-one-is-real",
                   test_every_accelerator_is_listed);

  status = g_test_run ();

  test_files_remove_tree (test_home);
  g_free (test_home);
  return status;
}
