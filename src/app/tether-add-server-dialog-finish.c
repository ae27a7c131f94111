/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accepting the dialog: the secrets go to the keyring before "done" is emitted. */
#include "config.h"

#include "tether-add-server-dialog-private.h"

/* ---- Finishing ------------------------------------------------------------------------- */

static void
secret_op_done (TetherAddServerDialog *self)
{
  g_assert (self->pending_secret_ops > 0);

  if (--self->pending_secret_ops > 0)
    return;

  tether_add_server_dialog_emit_done (self, self->result);
  g_clear_object (&self->result);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_secret_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TetherAddServerDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean persistent = TRUE;

  if (!tether_connection_set_secret_finish (TETHER_CONNECTION (source), result, &persistent,
                                            &error))
    {
      g_warning ("A secret of “%s” was not stored: %s",
                 tether_connection_get_name (TETHER_CONNECTION (source)), error->message);
      persistent = FALSE;
    }
  if (!persistent)
    self->secrets_persistent = FALSE;
  secret_op_done (self);
}

static void
clear_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TetherAddServerDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Nothing to clear, or no keyring to clear it from: either way nothing is left. */
  if (!tether_connection_clear_secret_finish (TETHER_CONNECTION (source), result, &error))
    g_debug ("A secret was not cleared: %s", error->message);
  secret_op_done (self);
}

static void
store_or_clear_secret (TetherAddServerDialog *self,
                       TetherSecretKind       kind,
                       const char            *secret)
{
  gboolean empty = secret == NULL || *secret == '\0';

  /* Saved before the stored value even arrived: leave the keyring as it is. */
  if (empty && (self->secrets_unknown & (1u << kind)) != 0)
    return;

  self->pending_secret_ops++;
  if (!empty)
    tether_connection_set_secret_async (self->result, kind, secret, self->cancellable,
                                        set_secret_cb, g_object_ref (self));
  else
    tether_connection_clear_secret_async (self->result, kind, self->cancellable,
                                          clear_secret_cb, g_object_ref (self));
}

void
tether_add_server_dialog_accept_activated (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);
  g_autofree char *token = tether_add_server_dialog_row_text_stripped (self->bearer_row);
  g_autofree char *client_secret =
    tether_add_server_dialog_row_text_stripped (self->client_secret_row);
  TetherAuthMode auth_mode;
  gboolean remote;

  if (self->finishing)
    return;

  self->finishing = TRUE;
  self->result = tether_add_server_dialog_build_result (self);
  auth_mode = tether_connection_get_auth_mode (self->result);
  remote = tether_connection_get_transport (self->result) != TETHER_TRANSPORT_STDIO;

  /* The dialog stays up, unchangeable, until the keyring has the secrets. Focus leaves the
   * text field first, or GTK 4.8 complains that its cursor blink never saw a focus-out. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_sensitive (adw_window_get_content (ADW_WINDOW (self)), FALSE);
  gtk_widget_action_set_enabled (widget, "dialog.accept", FALSE);
  gtk_widget_action_set_enabled (widget, "dialog.cancel", FALSE);

  /* Held while the operations start, so none can finish the dialog before the last began. */
  self->pending_secret_ops++;
  store_or_clear_secret (self, TETHER_SECRET_KIND_BEARER_TOKEN,
                         remote && auth_mode == TETHER_AUTH_MODE_BEARER ? token : NULL);
  store_or_clear_secret (self, TETHER_SECRET_KIND_CLIENT_SECRET,
                         remote && auth_mode == TETHER_AUTH_MODE_OAUTH ? client_secret : NULL);
  secret_op_done (self);
}
