/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application shell as issue 2 describes it, on the real TetherApplication and
 * TetherWindow (the whole application is linked in, without main.c):
 *
 * - a new user sees the sidebar's empty state and, in the main area, a status page;
 * - the status page stays until a connection is chosen, and comes back when none is;
 * - the primary menu offers Preferences, Keyboard Shortcuts and About, each a real action;
 * - About is an AdwAboutWindow with the version, the license and the links;
 * - the color scheme follows the setting, and the preferences change that setting;
 * - the window's size and maximized state are restored from GSettings and saved on close.
 *
 * Settings live in GLib's memory backend (GSETTINGS_BACKEND=memory), connections in a
 * temporary data folder: nothing of the person running the test is read or written. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tether-application.h"
#include "tether-connection-view.h"
#include "tether-preferences-window.h"
#include "tether-window-private.h"
#include "test-files.h"

/* Long enough for a slow sanitized build, short enough that a hang fails rather than stalls. */
#define WAIT_SECONDS 20

static char *test_home;
static TetherApplication *app;


typedef gboolean (*Condition) (gpointer data);

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until condition (data) holds; FALSE when WAIT_SECONDS passed first. */
static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  return !timed_out;
}

static gboolean
store_loaded (gpointer data)
{
  TetherWindow *window = data;

  return tether_connection_store_get_loaded (window->store);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static TetherWindow *
new_loaded_window (void)
{
  TetherWindow *window = tether_window_new (app);

  g_assert_true (wait_for (store_loaded, window));
  g_assert_null (tether_connection_store_get_load_error (window->store));
  return window;
}

static void
destroy_window (TetherWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  drain_main_context ();
}

/* What gtk_window_close() does to a window on screen: ask it, then destroy it unless it
 * refused. (gtk_window_close() itself ignores windows never shown, as these are: nothing
 * here needs a window on screen.) */
static void
close_window (TetherWindow *window)
{
  gboolean refused = FALSE;

  g_signal_emit_by_name (window, "close-request", &refused);
  g_assert_false (refused);
  destroy_window (window);
}

/* The first widget of @type under @widget (itself included) for which @test, if given, holds. */
static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             gboolean (*test) (GtkWidget *widget))
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (test == NULL || test (widget)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, test);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
find_application_window (GType type)
{
  for (const GList *iter = gtk_application_get_windows (GTK_APPLICATION (app));
       iter != NULL;
       iter = iter->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (iter->data, type))
        return iter->data;
    }
  return NULL;
}

/* ---- A new user ---------------------------------------------------------------------- */

static gboolean
is_add_server_button (GtkWidget *widget)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "win.add-server") == 0;
}

static void
test_new_user_sees_empty_states (void)
{
  TetherWindow *window = new_loaded_window ();
  GtkWidget *page;
  GtkWidget *add_button;

  /* The sidebar tells a new user what to do, and the "+" it mentions is there. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->store)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "empty");
  page = gtk_stack_get_visible_child (window->sidebar_stack);
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, "No Servers Yet");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), "+"));

  add_button = find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, is_add_server_button);
  g_assert_nonnull (add_button);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (add_button)), ==, "list-add-symbolic");
  g_assert_true (gtk_widget_is_sensitive (add_button));

  /* The main area: a status page, since nothing is chosen. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->content_stack), ==, "none");
  g_assert_true (gtk_stack_get_visible_child (window->content_stack)
                 == GTK_WIDGET (window->content_status));
  g_assert_cmpstr (adw_status_page_get_title (window->content_status), ==,
                   "No Connection Selected");

  destroy_window (window);
}

static void
test_status_page_until_a_connection_is_chosen (void)
{
  TetherWindow *window = new_loaded_window ();
  g_autoptr(TetherConnection) connection = tether_connection_new ();
  GtkWidget *shown;
  guint position;

  tether_connection_set_name (connection, "Example");
  /* Nothing listens there; choosing the connection must not need the server anyway. */
  tether_connection_set_url (connection, "http://127.0.0.1:1/mcp");
  tether_connection_store_add (window->store, connection);
  drain_main_context ();

  /* A connection exists, but none is chosen yet: still the status page. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "connections");
  g_assert_true (gtk_stack_get_visible_child (window->content_stack)
                 == GTK_WIDGET (window->content_status));

  tether_window_select_connection (window, connection);
  shown = gtk_stack_get_visible_child (window->content_stack);
  g_assert_true (shown != GTK_WIDGET (window->content_status));
  g_assert_true (TETHER_IS_CONNECTION_VIEW (shown));
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "Example");

  /* Nothing chosen again: the status page again. */
  gtk_list_box_unselect_all (window->connection_list);
  g_assert_true (gtk_stack_get_visible_child (window->content_stack)
                 == GTK_WIDGET (window->content_status));
  g_assert_cmpstr (adw_window_title_get_title (window->content_title), ==, "");

  /* Leave the store empty for the other tests (its file outlives the window). */
  g_assert_true (tether_connection_store_remove (window->store, connection, &position));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "empty");
  close_window (window);
}

/* ---- The primary menu, About, Preferences -------------------------------------------- */

static gboolean
is_primary_menu_button (GtkWidget *widget)
{
  return gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static void
collect_menu_actions (GMenuModel *model,
                      GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;

      if (section != NULL)
        collect_menu_actions (section, actions);
      if (submenu != NULL)
        collect_menu_actions (submenu, actions);
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        {
          g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s",
                                                          &label));
          g_assert_cmpstr (label, !=, "");
          g_ptr_array_add (actions, g_steal_pointer (&action));
        }
    }
}

static void
test_primary_menu (void)
{
  TetherWindow *window = new_loaded_window ();
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  static const char * const expected[] = {
    "app.preferences", "win.show-help-overlay", "app.about", NULL
  };
  GtkWidget *button;
  GMenuModel *menu;

  button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, is_primary_menu_button);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)), ==,
                   "open-menu-symbolic");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  collect_menu_actions (menu, actions);
  g_ptr_array_add (actions, NULL);
  g_assert_cmpstrv ((const char * const *) actions->pdata, expected);

  /* Each item does something: the actions exist where the menu looks for them. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window),
                                                    "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  destroy_window (window);
}

static void
test_about (void)
{
  TetherWindow *window = new_loaded_window ();
  GtkWindow *about;
  const char *website;
  const char *issue_url;

  g_assert_null (find_application_window (ADW_TYPE_ABOUT_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_application_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));

  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Tether");
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), !=, "");
  website = adw_about_window_get_website (ADW_ABOUT_WINDOW (about));
  issue_url = adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about));
  g_assert_true (g_str_has_prefix (website, "https://"));
  g_assert_true (g_str_has_prefix (issue_url, "https://"));
  g_assert_cmpstr (website, !=, issue_url);

  gtk_window_destroy (about);
  destroy_window (window);
  g_assert_null (find_application_window (ADW_TYPE_ABOUT_WINDOW));
}

typedef struct
{
  AdwColorScheme scheme;
} SchemeWait;

static gboolean
scheme_is (gpointer data)
{
  SchemeWait *wait = data;

  return adw_style_manager_get_color_scheme (adw_style_manager_get_default ()) == wait->scheme;
}

static void
test_color_scheme (void)
{
  TetherWindow *window = new_loaded_window ();
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  g_autofree char *nick = NULL;
  TetherPreferencesWindow *preferences;
  SchemeWait wait;
  GtkWidget *row;

  /* The setting (as gsettings would change it) drives the style manager. */
  g_settings_set_string (settings, "color-scheme", "dark");
  wait.scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  g_assert_true (wait_for (scheme_is, &wait));
  g_settings_set_string (settings, "color-scheme", "default");
  wait.scheme = ADW_COLOR_SCHEME_DEFAULT;
  g_assert_true (wait_for (scheme_is, &wait));

  /* The preferences show it and change it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = (TetherPreferencesWindow *) find_application_window (
                  TETHER_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  row = find_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, NULL);
  g_assert_nonnull (row);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  nick = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (nick, ==, "light");
  wait.scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  g_assert_true (wait_for (scheme_is, &wait));

  g_settings_set_string (settings, "color-scheme", "dark");
  drain_main_context ();
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 2);

  g_settings_reset (settings, "color-scheme");
  wait.scheme = ADW_COLOR_SCHEME_DEFAULT;
  g_assert_true (wait_for (scheme_is, &wait));
  gtk_window_destroy (GTK_WINDOW (preferences));
  destroy_window (window);
}

/* ---- Window size and state ----------------------------------------------------------- */

static void
test_size_restored_and_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  TetherWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = new_loaded_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  /* As if the person resized it, then closed it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window comes back at that size. */
  window = new_loaded_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  destroy_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static void
test_maximized_restored_and_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  TetherWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_boolean (settings, "window-maximized", TRUE);

  /* Not shown: without a window manager under Xvfb nothing would confirm the maximizing,
   * so the window's own request is what is checked. */
  window = new_loaded_window ();
  g_assert_true (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  /* Closed while maximized: the state is kept, and so is the size to unmaximize to. */
  close_window (window);
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);

  /* Unmaximized and closed: saved as such. */
  window = new_loaded_window ();
  gtk_window_unmaximize (GTK_WINDOW (window));
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  close_window (window);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static void
test_damaged_size_gives_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  g_autoptr(GVariant) default_width = g_settings_get_default_value (settings, "window-width");
  g_autoptr(GVariant) default_height = g_settings_get_default_value (settings, "window-height");
  TetherWindow *window;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 12);
  g_settings_set_int (settings, "window-height", -5);
  window = new_loaded_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, g_variant_get_int32 (default_width));
  g_assert_cmpint (height, ==, g_variant_get_int32 (default_height));
  destroy_window (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Nothing of the person running the test is read or written. */
  test_home = g_dir_make_tmp ("tether-test-window-XXXXXX", NULL);
  g_assert_nonnull (test_home);
  config = g_build_filename (test_home, "config", NULL);
  data = g_build_filename (test_home, "data", NULL);
  cache = g_build_filename (test_home, "cache", NULL);
  state = g_build_filename (test_home, "state", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* One application for all the tests, registered as a lone instance: its startup sets the
   * actions, the accelerators and the color scheme, as in the real program. */
  app = tether_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/window/new-user-sees-empty-states", test_new_user_sees_empty_states);
  g_test_add_func ("/app/window/status-page-until-a-connection-is-chosen",
                   test_status_page_until_a_connection_is_chosen);
  g_test_add_func ("/app/window/primary-menu", test_primary_menu);
  g_test_add_func ("/app/window/about", test_about);
  g_test_add_func ("/app/window/color-scheme", test_color_scheme);
  g_test_add_func ("/app/window/size-restored-and-saved", test_size_restored_and_saved);
  g_test_add_func ("/app/window/maximized-restored-and-saved",
                   test_maximized_restored_and_saved);
  g_test_add_func ("/app/window/damaged-size-gives-defaults", test_damaged_size_gives_defaults);

  status = g_test_run ();

  drain_main_context ();
  g_clear_object (&app);
  drain_main_context ();
  test_files_remove_tree (test_home);
  g_free (test_home);
  return status;
}
