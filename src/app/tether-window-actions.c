/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWindow, continued: the commands on connections. The "connection.*" actions work on the
 * connection selected in the sidebar (a context menu selects its row first). */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-add-server-dialog.h"
#include "tether-window-private.h"

static TetherConnection *
selected_connection (TetherWindow *self)
{
  return self->selected != NULL ? tether_session_get_connection (self->selected) : NULL;
}

static void
warn_memory_only_secrets (TetherWindow          *self,
                          TetherAddServerDialog *dialog)
{
  if (!tether_add_server_dialog_get_secrets_persistent (dialog))
    tether_window_show_toast (self, _("No keyring is available: the secrets of this server "
                                      "are kept only until Tether quits"));
}

/* Add */

static void
on_add_server_done (TetherAddServerDialog *dialog,
                    TetherConnection      *result,
                    TetherWindow          *self)
{
  TetherSession *session;

  if (result == NULL)
    return;

  warn_memory_only_secrets (self, dialog);
  tether_connection_store_add (self->store, result);
  tether_window_select_connection (self, result);
  session = tether_window_ensure_session (self, result);
  tether_session_connect (session);
}

static void
add_server_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  TetherAddServerDialog *dialog;

  dialog = tether_add_server_dialog_new (GTK_WINDOW (self), NULL);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_add_server_done), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Edit */

static void
on_edit_server_done (TetherAddServerDialog *dialog,
                     TetherConnection      *result,
                     TetherWindow          *self)
{
  TetherConnection *existing = tether_add_server_dialog_get_existing (dialog);
  TetherSession *session;

  if (result == NULL)
    return;

  warn_memory_only_secrets (self, dialog);
  if (!tether_connection_store_update (self->store, result))
    {
      tether_window_show_toast (self, _("The server was removed while it was being edited"));
      return;
    }

  /* The store replaced the row; keep the connection selected. */
  tether_window_select_connection (self, existing);

  /* New settings take effect at the next connect: reconnect what was live. */
  session = tether_window_ensure_session (self, existing);
  if (tether_session_get_active (session))
    tether_session_reconnect (session);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  TetherConnection *connection = selected_connection (self);
  TetherAddServerDialog *dialog;

  if (connection == NULL)
    return;

  dialog = tether_add_server_dialog_new (GTK_WINDOW (self), connection);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_edit_server_done), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Duplicate */

static void
duplicate_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  TetherConnection *connection = selected_connection (self);
  TetherConnection *copy;

  if (connection == NULL)
    return;

  copy = tether_connection_store_duplicate (self->store, connection, NULL);
  if (copy != NULL)
    tether_window_select_connection (self, copy);
}

/* Delete, with Undo */

typedef struct
{
  GWeakRef           window;
  TetherConnection  *connection;
  guint              position;
  gboolean           undone;
} Removal;

static void
removal_free (gpointer data,
              GClosure *closure)
{
  Removal *removal = data;

  g_weak_ref_clear (&removal->window);
  g_object_unref (removal->connection);
  g_free (removal);
}

static void
on_removal_undo (AdwToast *toast,
                 Removal  *removal)
{
  g_autoptr(TetherWindow) self = g_weak_ref_get (&removal->window);

  if (self == NULL || removal->undone)
    return;

  removal->undone = TRUE;
  tether_connection_store_insert (self->store, removal->position, removal->connection);
  tether_window_select_connection (self, removal->connection);
}

static void
on_secrets_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tether_connection_clear_secrets_finish (TETHER_CONNECTION (source), result, &error))
    g_warning ("Could not remove the secrets of a deleted server from the keyring: %s",
               error->message);
}

static void
on_removal_dismissed (AdwToast *toast,
                      Removal  *removal)
{
  /* Past Undo: the connection's keyring items go too. */
  if (!removal->undone)
    tether_connection_clear_secrets_async (removal->connection, NULL, on_secrets_cleared, NULL);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);
  TetherConnection *connection = selected_connection (self);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  Removal *removal;
  AdwToast *toast;
  guint position = 0;

  if (connection == NULL)
    return;

  removal = g_new0 (Removal, 1);
  g_weak_ref_init (&removal->window, self);
  removal->connection = g_object_ref (connection);

  tether_window_forget_session (self, connection);
  if (!tether_connection_store_remove (self->store, connection, &position))
    {
      removal_free (removal, NULL);
      return;
    }
  removal->position = position;

  escaped = g_markup_escape_text (tether_connection_get_name (connection), -1);
  title = g_strdup_printf (_("“%s” deleted"), escaped);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_removal_undo), removal);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (on_removal_dismissed), removal,
                         removal_free, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Connect, disconnect, reconnect, sign out */

static void
connect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);

  if (self->selected != NULL)
    tether_session_connect (self->selected);
}

static void
disconnect_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);

  if (self->selected != NULL)
    tether_session_disconnect (self->selected);
}

static void
reconnect_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);

  if (self->selected != NULL)
    tether_session_reconnect (self->selected);
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TetherWindow) self = user_data;
  TetherSession *session = TETHER_SESSION (source);
  const char *name = tether_connection_get_name (tether_session_get_connection (session));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!tether_session_sign_out_finish (session, result, &error))
    message = g_strdup_printf (_("Could not sign out of “%s”: %s"), name, error->message);
  else
    message = g_strdup_printf (_("Signed out of “%s”"), name);

  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    tether_window_show_toast (self, message);
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TetherWindow *self = TETHER_WINDOW (widget);

  if (self->selected != NULL)
    tether_session_sign_out_async (self->selected, self->cancellable, on_signed_out,
                                   g_object_ref (self));
}

void
tether_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-server", NULL, add_server_activated);
  gtk_widget_class_install_action (widget_class, "connection.connect", NULL,
                                   connect_activated);
  gtk_widget_class_install_action (widget_class, "connection.disconnect", NULL,
                                   disconnect_activated);
  gtk_widget_class_install_action (widget_class, "connection.reconnect", NULL,
                                   reconnect_activated);
  gtk_widget_class_install_action (widget_class, "connection.sign-out", NULL,
                                   sign_out_activated);
  gtk_widget_class_install_action (widget_class, "connection.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "connection.duplicate", NULL,
                                   duplicate_activated);
  gtk_widget_class_install_action (widget_class, "connection.delete", NULL, delete_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-server", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "connection.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "connection.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "connection.reconnect", NULL);
}
