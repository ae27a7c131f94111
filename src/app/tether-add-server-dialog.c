/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-add-server-dialog-private.h"

G_DEFINE_FINAL_TYPE (TetherAddServerDialog, tether_add_server_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Done or cancelled ----------------------------------------------------------------- */

void
tether_add_server_dialog_emit_done (TetherAddServerDialog *self,
                                    TetherConnection      *result)
{
  if (self->done_emitted)
    return;
  self->done_emitted = TRUE;
  g_signal_emit (self, signals[SIGNAL_DONE], 0, result);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
tether_add_server_dialog_close_request (GtkWindow *window)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (window);

  if (self->finishing)
    return TRUE;  /* "done" with the result comes once the secrets are stored */

  tether_add_server_dialog_emit_done (self, NULL);
  gtk_window_set_focus (window, NULL);
  if (GTK_WINDOW_CLASS (tether_add_server_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (tether_add_server_dialog_parent_class)->close_request (window);
  return FALSE;
}

/* ---- Object ---------------------------------------------------------------------------- */

static void
tether_add_server_dialog_constructed (GObject *object)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (object);

  G_OBJECT_CLASS (tether_add_server_dialog_parent_class)->constructed (object);

  if (self->existing != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Server"));
      adw_window_title_set_title (self->window_title, _("Edit Server"));
      gtk_button_set_label (self->primary_button, _("_Save"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->primary_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Save"), -1);
      self->connection_id = g_strdup (tether_connection_get_id (self->existing));
      tether_add_server_dialog_fill_from (self, self->existing);
    }
  else
    self->connection_id = g_uuid_string_random ();

  tether_add_server_dialog_validate (self);

  /* Typing starts where a new server starts (the name follows it), not on Cancel. */
  gtk_window_set_focus (GTK_WINDOW (self),
                        GTK_WIDGET (self->existing != NULL ? self->name_row : self->url_row));
}

static void
tether_add_server_dialog_dispose (GObject *object)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), TETHER_TYPE_ADD_SERVER_DIALOG);

  G_OBJECT_CLASS (tether_add_server_dialog_parent_class)->dispose (object);
}

static void
tether_add_server_dialog_finalize (GObject *object)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (object);

  g_clear_object (&self->existing);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->result);
  g_clear_pointer (&self->header_rows, g_ptr_array_unref);
  g_clear_pointer (&self->variable_rows, g_ptr_array_unref);
  g_free (self->connection_id);
  g_free (self->auto_name);

  G_OBJECT_CLASS (tether_add_server_dialog_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_EXISTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tether_add_server_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_EXISTING:
      g_value_set_object (value, self->existing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_add_server_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_EXISTING:
      self->existing = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_add_server_dialog_class_init (TetherAddServerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tether_add_server_dialog_constructed;
  object_class->dispose = tether_add_server_dialog_dispose;
  object_class->finalize = tether_add_server_dialog_finalize;
  object_class->get_property = tether_add_server_dialog_get_property;
  object_class->set_property = tether_add_server_dialog_set_property;
  window_class->close_request = tether_add_server_dialog_close_request;

  properties[PROP_EXISTING] =
    g_param_spec_object ("existing", NULL, NULL, TETHER_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The result (a TetherConnection), or NULL when cancelled. Emitted once. */
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TETHER_TYPE_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-add-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, primary_button);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, transport_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, url_group);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, url_error);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, command_group);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, command_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, arguments_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog,
                                        working_directory_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, command_error);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, environment_group);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, environment_error);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, headers_group);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, headers_error);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, auth_group);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, auth_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, bearer_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, cimd_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, auth_error);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, era_row);
  gtk_widget_class_bind_template_child (widget_class, TetherAddServerDialog, timeout_spin);

  gtk_widget_class_install_action (widget_class, "dialog.accept", NULL,
                                   tether_add_server_dialog_accept_activated);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "dialog.add-header", NULL,
                                   tether_add_server_dialog_add_header_activated);
  gtk_widget_class_install_action (widget_class, "dialog.add-variable", NULL,
                                   tether_add_server_dialog_add_variable_activated);
  gtk_widget_class_install_action (widget_class, "dialog.choose-directory", NULL,
                                   tether_add_server_dialog_choose_directory_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.cancel", NULL);
}

static void
tether_add_server_dialog_init (TetherAddServerDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->header_rows = g_ptr_array_new ();
  self->variable_rows = g_ptr_array_new ();
  self->secrets_persistent = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->name_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_name_changed_cb), self);
  g_signal_connect_swapped (self->url_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_source_changed_cb), self);
  g_signal_connect_swapped (self->command_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_source_changed_cb), self);
  g_signal_connect_swapped (self->arguments_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_source_changed_cb), self);
  g_signal_connect_swapped (self->transport_row, "notify::selected",
                            G_CALLBACK (tether_add_server_dialog_source_changed_cb), self);
  g_signal_connect_swapped (self->working_directory_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_validate), self);
  g_signal_connect_swapped (self->auth_row, "notify::selected",
                            G_CALLBACK (tether_add_server_dialog_validate), self);
  g_signal_connect_swapped (self->bearer_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_validate), self);
  g_signal_connect_swapped (self->cimd_row, "changed",
                            G_CALLBACK (tether_add_server_dialog_validate), self);
}

TetherAddServerDialog *
tether_add_server_dialog_new (GtkWindow        *parent,
                              TetherConnection *existing)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (existing == NULL || TETHER_IS_CONNECTION (existing), NULL);

  return g_object_new (TETHER_TYPE_ADD_SERVER_DIALOG,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent)
                                                     : NULL,
                       "existing", existing,
                       NULL);
}

TetherConnection *
tether_add_server_dialog_get_existing (TetherAddServerDialog *self)
{
  g_return_val_if_fail (TETHER_IS_ADD_SERVER_DIALOG (self), NULL);
  return self->existing;
}

gboolean
tether_add_server_dialog_get_secrets_persistent (TetherAddServerDialog *self)
{
  g_return_val_if_fail (TETHER_IS_ADD_SERVER_DIALOG (self), TRUE);
  return self->secrets_persistent;
}
