/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-connection-row.h"
#include "tether-connection-view.h"
#include "tether-web-authorizer.h"
#include "tether-window-private.h"

/* Below these a saved size is treated as damaged and the schema's defaults are used. */
#define MIN_SAVED_WIDTH  360
#define MIN_SAVED_HEIGHT 360

/* How long closing the window waits for pending changes to reach connections.json. */
#define SAVE_ON_CLOSE_TIMEOUT_MS 3000

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
typedef struct
{
  gboolean done;
  gboolean timed_out;
} SaveWait;

static void
on_saved_before_close (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SaveWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  if (!tether_connection_store_save_finish (TETHER_CONNECTION_STORE (source), result, &error))
    g_warning ("Could not save the connections: %s", error->message);
  wait->done = TRUE;
}

static gboolean
on_save_wait_timeout (gpointer user_data)
{
  SaveWait *wait = user_data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* A change made just before closing is still waiting for its delayed write; the application
 * may quit right after this window closes, so the write happens now. */
static void
tether_window_flush_store (TetherWindow *self)
{
  SaveWait wait = { FALSE, FALSE };
  guint timeout;

  if (self->store == NULL || !tether_connection_store_get_loaded (self->store)
      || !tether_connection_store_get_dirty (self->store))
    return;

  tether_connection_store_save_async (self->store, NULL, on_saved_before_close, &wait);
  timeout = g_timeout_add (SAVE_ON_CLOSE_TIMEOUT_MS, on_save_wait_timeout, &wait);
  while (!wait.done && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.timed_out)
    g_source_remove (timeout);
  else
    /* The write goes on; its callback must not find the stack frame gone. */
    while (!wait.done)
      g_main_context_iteration (NULL, TRUE);
}

static gboolean
tether_window_close_request (GtkWindow *window)
{
  TetherWindow *self = TETHER_WINDOW (window);

  tether_window_save_state (self);
  tether_window_flush_store (self);

  return GTK_WINDOW_CLASS (tether_window_parent_class)->close_request (window);
}

void
tether_window_show_toast (TetherWindow *self,
                          const char   *title)
{
  AdwToast *toast;
  g_autofree char *escaped = NULL;

  g_return_if_fail (TETHER_IS_WINDOW (self));

  /* Toast titles are markup; messages may hold anything a server said. */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void on_selected_name_changed (TetherWindow *self);

/* Sessions */

static void
on_session_error (TetherSession *session,
                  const char    *message,
                  TetherWindow  *self)
{
  tether_window_show_toast (self, message);
}

static void
on_session_signed_in (TetherSession *session,
                      TetherWindow  *self)
{
  g_autofree char *message = NULL;

  /* The sign-in dialog closed by itself; say that it worked. */
  message = g_strdup_printf (_("Signed in to “%s”"),
                             tether_connection_get_name (tether_session_get_connection (session)));
  tether_window_show_toast (self, message);
}

static void
on_session_state_changed (TetherSession *session,
                          GParamSpec    *pspec,
                          TetherWindow  *self)
{
  if (session == self->selected)
    tether_window_update_actions (self);
}

TetherSession *
tether_window_ensure_session (TetherWindow     *self,
                              TetherConnection *connection)
{
  const char *id = tether_connection_get_id (connection);
  g_autoptr(TetherWebAuthorizer) authorizer = NULL;
  TetherSession *session;

  session = g_hash_table_lookup (self->sessions, id);
  if (session != NULL)
    return session;

  /* One authorizer per session: each listens on its own loopback port, and several servers
   * may ask for a sign-in at the same time. */
  authorizer = tether_web_authorizer_new ();
  tether_web_authorizer_set_transient_for (authorizer, GTK_WINDOW (self));
  g_object_bind_property (connection, "name", authorizer, "server-name", G_BINDING_SYNC_CREATE);

  session = tether_session_new (connection, self->token_store, MCP_AUTHORIZER (authorizer));
  g_signal_connect_object (session, "error", G_CALLBACK (on_session_error), self, 0);
  g_signal_connect_object (session, "signed-in", G_CALLBACK (on_session_signed_in), self, 0);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state_changed),
                           self, 0);
  g_hash_table_insert (self->sessions, g_strdup (id), session);
  return session;
}

/* Closes the connection's session and drops it with its view (the connection was removed). */
void
tether_window_forget_session (TetherWindow     *self,
                              TetherConnection *connection)
{
  const char *id = tether_connection_get_id (connection);
  TetherSession *session = g_hash_table_lookup (self->sessions, id);
  GtkWidget *view;

  if (session == NULL)
    return;

  if (session == self->selected)
    {
      g_signal_handlers_disconnect_by_func (connection, on_selected_name_changed, self);
      self->selected = NULL;
    }
  view = gtk_stack_get_child_by_name (self->content_stack, id);
  if (view != NULL)
    gtk_stack_remove (self->content_stack, view);

  g_signal_handlers_disconnect_by_data (session, self);
  tether_session_disconnect (session);
  g_hash_table_remove (self->sessions, id);
}

static void
tether_window_disconnect_all (TetherWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->sessions == NULL)
    return;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_signal_handlers_disconnect_by_data (value, self);
      tether_session_disconnect (value);
    }
}

/* The sidebar and the selection */

static GtkWidget *
create_connection_row (gpointer item,
                       gpointer user_data)
{
  TetherWindow *self = user_data;
  TetherSession *session = tether_window_ensure_session (self, TETHER_CONNECTION (item));

  return tether_connection_row_new (session, self->connection_menu);
}

static void
on_connections_changed (GListModel   *model,
                        guint         position,
                        guint         removed,
                        guint         added,
                        TetherWindow *self)
{
  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    g_list_model_get_n_items (model) > 0 ? "connections"
                                                                         : "empty");
}

static void
tether_window_update_title (TetherWindow *self)
{
  TetherConnection *connection;

  if (self->selected == NULL)
    {
      adw_window_title_set_title (self->content_title, "");
      adw_window_title_set_subtitle (self->content_title, "");
      return;
    }

  connection = tether_session_get_connection (self->selected);
  adw_window_title_set_title (self->content_title, tether_connection_get_name (connection));
  adw_window_title_set_subtitle (self->content_title,
                                 tether_session_state_to_string (
                                   tether_session_get_state (self->selected)));
}

void
tether_window_update_actions (TetherWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  TetherSession *session = self->selected;
  gboolean selected = session != NULL;
  gboolean active = selected && tether_session_get_active (session);
  gboolean remote = selected
                    && tether_connection_get_transport (tether_session_get_connection (session))
                       != TETHER_TRANSPORT_STDIO;

  gtk_widget_action_set_enabled (widget, "connection.connect", selected && !active);
  gtk_widget_action_set_enabled (widget, "connection.disconnect", active);
  gtk_widget_action_set_enabled (widget, "connection.reconnect", selected);
  gtk_widget_action_set_enabled (widget, "connection.sign-out", remote);
  gtk_widget_action_set_enabled (widget, "connection.edit", selected);
  gtk_widget_action_set_enabled (widget, "connection.duplicate", selected);
  gtk_widget_action_set_enabled (widget, "connection.delete", selected);

  gtk_widget_set_visible (GTK_WIDGET (self->connect_button), selected && !active);
  gtk_widget_set_visible (GTK_WIDGET (self->disconnect_button), active);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_menu_button), selected);

  tether_window_update_title (self);
}

static void
on_selected_name_changed (TetherWindow *self)
{
  tether_window_update_title (self);
}

static void
connection_selected_cb (TetherWindow  *self,
                        GtkListBoxRow *row)
{
  TetherConnection *connection;
  GtkWidget *view;
  const char *id;

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (tether_session_get_connection (self->selected),
                                          on_selected_name_changed, self);

  if (row == NULL)
    {
      self->selected = NULL;
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      tether_window_update_actions (self);
      return;
    }

  self->selected = tether_connection_row_get_session (TETHER_CONNECTION_ROW (row));
  connection = tether_session_get_connection (self->selected);
  id = tether_connection_get_id (connection);
  g_signal_connect_object (connection, "notify::name", G_CALLBACK (on_selected_name_changed),
                           self, G_CONNECT_SWAPPED);

  /* One view per connection, kept while the connection exists, so each keeps its tool,
   * arguments and result while another is shown. */
  view = gtk_stack_get_child_by_name (self->content_stack, id);
  if (view == NULL)
    {
      view = tether_connection_view_new (self->selected);
      gtk_stack_add_named (self->content_stack, view, id);
    }
  gtk_stack_set_visible_child (self->content_stack, view);
  tether_window_update_actions (self);
}

static void
connection_activated_cb (TetherWindow  *self,
                         GtkListBoxRow *row)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

void
tether_window_select_connection (TetherWindow     *self,
                                 TetherConnection *connection)
{
  guint position;
  GtkListBoxRow *row;

  if (!tether_connection_store_find (self->store, connection, &position))
    return;
  row = gtk_list_box_get_row_at_index (self->connection_list, (int) position);
  if (row == NULL)
    return;
  gtk_list_box_select_row (self->connection_list, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Loading and saving the connections */

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TetherWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tether_connection_store_load_finish (TETHER_CONNECTION_STORE (source), result, &error))
    {
      g_autofree char *escaped = NULL;
      AdwToast *toast;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* What happened to a damaged file must not slip by: the toast stays until dismissed. */
      escaped = g_markup_escape_text (error->message, -1);
      toast = adw_toast_new (escaped);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
on_store_error (TetherConnectionStore *store,
                const GError          *error,
                TetherWindow          *self)
{
  tether_window_show_toast (self, error->message);
}

static void
on_token_store_log (McpTokenStore *store,
                    McpLogLevel    level,
                    const char    *text,
                    TetherWindow  *self)
{
  g_debug ("Token store: %s", text);
}

/* Ctrl+Return runs the tool shown, wherever the focus is in the window. */
static gboolean
run_tool_shortcut (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  GtkWidget *view = gtk_stack_get_visible_child (self->content_stack);

  if (!TETHER_IS_CONNECTION_VIEW (view) || !gtk_widget_is_visible (view))
    return FALSE;
  return gtk_widget_activate_action (view, "tool.run", NULL);
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

  g_cancellable_cancel (self->cancellable);
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (tether_session_get_connection (self->selected),
                                          on_selected_name_changed, self);
  self->selected = NULL;
  tether_window_disconnect_all (self);
  if (self->connection_list != NULL)
    gtk_list_box_bind_model (self->connection_list, NULL, NULL, NULL, NULL);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_WINDOW);
  g_clear_pointer (&self->sessions, g_hash_table_unref);

  G_OBJECT_CLASS (tether_window_parent_class)->dispose (object);
}

static void
tether_window_finalize (GObject *object)
{
  TetherWindow *self = TETHER_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->token_store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tether_window_parent_class)->finalize (object);
}

/* After construction, not in init: GtkWindow's construct property "maximized" (FALSE)
 * would undo a maximize done there. */
static void
tether_window_constructed (GObject *object)
{
  G_OBJECT_CLASS (tether_window_parent_class)->constructed (object);

  tether_window_restore_state (TETHER_WINDOW (object));
}

static void
tether_window_class_init (TetherWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tether_window_constructed;
  object_class->dispose = tether_window_dispose;
  object_class->finalize = tether_window_finalize;

  window_class->close_request = tether_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, content_status);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, disconnect_button);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, connection_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TetherWindow, connection_menu);
  gtk_widget_class_bind_template_callback (widget_class, connection_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, connection_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   show_sidebar_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                run_tool_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                run_tool_shortcut, NULL);

  tether_window_class_add_actions (widget_class);
}

static void
tether_window_init (TetherWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);

  adw_status_page_set_icon_name (self->content_status, tether_window_pick_status_icon (self));

  self->cancellable = g_cancellable_new ();
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->token_store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_AUTO);
  g_signal_connect_object (self->token_store, "log", G_CALLBACK (on_token_store_log), self, 0);

  self->store = tether_connection_store_new (NULL);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_connections_changed),
                           self, 0);
  g_signal_connect_object (self->store, "error", G_CALLBACK (on_store_error), self, 0);
  gtk_list_box_bind_model (self->connection_list, G_LIST_MODEL (self->store),
                           create_connection_row, self, NULL);
  on_connections_changed (G_LIST_MODEL (self->store), 0, 0, 0, self);
  tether_window_update_actions (self);

  tether_connection_store_load_async (self->store, self->cancellable, on_store_loaded,
                                      g_object_ref (self));
}

TetherWindow *
tether_window_new (TetherApplication *application)
{
  g_return_val_if_fail (TETHER_IS_APPLICATION (application), NULL);

  return g_object_new (TETHER_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
