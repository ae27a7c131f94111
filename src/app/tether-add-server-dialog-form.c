/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the dialog's form into a connection and filling it in from one. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tether-add-server-dialog-private.h"

/* ---- Helpers --------------------------------------------------------------------------- */

const char *
tether_add_server_dialog_row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Leading and trailing spaces are never meant; a copy without them. */
char *
tether_add_server_dialog_row_text_stripped (gpointer row)
{
  return g_strstrip (g_strdup (tether_add_server_dialog_row_text (row)));
}

TetherTransport
tether_add_server_dialog_selected_transport (TetherAddServerDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->transport_row);

  return selected <= TETHER_TRANSPORT_STDIO ? (TetherTransport) selected : TETHER_TRANSPORT_HTTP;
}

TetherAuthMode
tether_add_server_dialog_selected_auth_mode (TetherAddServerDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->auth_row);

  return selected <= TETHER_AUTH_MODE_NONE ? (TetherAuthMode) selected : TETHER_AUTH_MODE_OAUTH;
}

static TetherProtocolEra
selected_era (TetherAddServerDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->era_row);

  return selected <= TETHER_PROTOCOL_ERA_MODERN ? (TetherProtocolEra) selected
                                                : TETHER_PROTOCOL_ERA_AUTO;
}

/* ---- Working directory ----------------------------------------------------------------- */

static void
directory_chosen_cb (GtkNativeDialog       *chooser,
                     int                    response,
                     TetherAddServerDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (folder != NULL && g_file_peek_path (folder) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->working_directory_row),
                               g_file_peek_path (folder));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
tether_add_server_dialog_choose_directory_activated (GtkWidget  *widget,
                                                     const char *action_name,
                                                     GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);
  GtkFileChooserNative *chooser;
  const char *current = tether_add_server_dialog_row_text (self->working_directory_row);

  chooser = gtk_file_chooser_native_new (_("Working Directory"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (g_path_is_absolute (current))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (current);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (directory_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- The result ---------------------------------------------------------------------- */

TetherConnection *
tether_add_server_dialog_build_result (TetherAddServerDialog *self)
{
  TetherTransport transport = tether_add_server_dialog_selected_transport (self);
  TetherAuthMode auth_mode = tether_add_server_dialog_selected_auth_mode (self);
  g_autoptr(TetherConnection) result = NULL;
  g_autofree char *name = tether_add_server_dialog_row_text_stripped (self->name_row);
  g_autofree char *url = tether_add_server_dialog_row_text_stripped (self->url_row);
  g_autofree char *command = tether_add_server_dialog_row_text_stripped (self->command_row);
  g_autofree char *directory =
    tether_add_server_dialog_row_text_stripped (self->working_directory_row);
  g_autofree char *client_id = tether_add_server_dialog_row_text_stripped (self->client_id_row);
  g_autofree char *scopes = tether_add_server_dialog_row_text_stripped (self->scopes_row);
  g_autofree char *cimd = tether_add_server_dialog_row_text_stripped (self->cimd_row);
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) headers = tether_add_server_dialog_collect_rows (self->header_rows);
  g_auto(GStrv) environment = tether_add_server_dialog_collect_rows (self->variable_rows);
  static const char * const none[] = { NULL };
  int timeout;

  /* The copy keeps what this version of the dialog does not show. */
  result = self->existing != NULL ? tether_connection_copy (self->existing)
                                  : tether_connection_new_with_id (self->connection_id);

  g_object_freeze_notify (G_OBJECT (result));
  tether_connection_set_name (result, name);
  tether_connection_set_transport (result, transport);
  tether_connection_set_era (result, selected_era (self));
  timeout = gtk_spin_button_get_value_as_int (self->timeout_spin);
  tether_connection_set_timeout_seconds (result, (guint) MAX (timeout, 1));

  /* Only what applies to the transport is kept, so nothing hidden acts on the connection. */
  if (transport == TETHER_TRANSPORT_STDIO)
    {
      tether_add_server_parse_arguments (tether_add_server_dialog_row_text (self->arguments_row),
                                         &argv, NULL);
      tether_connection_set_command (result, command);
      tether_connection_set_arguments (result, (const char * const *) argv);
      tether_connection_set_environment (result, (const char * const *) environment);
      tether_connection_set_working_directory (result, directory);
      tether_connection_set_url (result, "");
      tether_connection_set_headers (result, none);
      tether_connection_set_auth_mode (result, TETHER_AUTH_MODE_NONE);
      tether_connection_set_client_id (result, "");
      tether_connection_set_scopes (result, "");
      tether_connection_set_cimd_url (result, "");
    }
  else
    {
      gboolean oauth = auth_mode == TETHER_AUTH_MODE_OAUTH;

      tether_connection_set_url (result, url);
      tether_connection_set_headers (result, (const char * const *) headers);
      tether_connection_set_auth_mode (result, auth_mode);
      tether_connection_set_client_id (result, oauth ? client_id : "");
      tether_connection_set_scopes (result, oauth ? scopes : "");
      tether_connection_set_cimd_url (result, oauth ? cimd : "");
      tether_connection_set_command (result, "");
      tether_connection_set_arguments (result, none);
      tether_connection_set_environment (result, none);
      tether_connection_set_working_directory (result, "");
    }
  g_object_thaw_notify (G_OBJECT (result));

  return g_steal_pointer (&result);
}

/* ---- Filling in an existing connection ------------------------------------------------- */

static void
secret_arrived (TetherAddServerDialog *self,
                TetherSecretKind       kind,
                TetherConnection      *connection,
                GAsyncResult          *result)
{
  AdwPasswordEntryRow *row = kind == TETHER_SECRET_KIND_BEARER_TOKEN ? self->bearer_row
                                                                     : self->client_secret_row;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = tether_connection_lookup_secret_finish (connection, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the dialog is gone */
  if (error != NULL)
    g_debug ("A secret could not be read from the keyring: %s", error->message);

  self->secrets_unknown &= ~(1u << kind);
  /* Typing wins over what arrives late. */
  if (secret != NULL && *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (row), secret);
  if (secret != NULL)
    secret_password_free (secret);
}

static void
bearer_token_arrived_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TetherAddServerDialog) self = user_data;

  secret_arrived (self, TETHER_SECRET_KIND_BEARER_TOKEN, TETHER_CONNECTION (source), result);
}

static void
client_secret_arrived_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TetherAddServerDialog) self = user_data;

  secret_arrived (self, TETHER_SECRET_KIND_CLIENT_SECRET, TETHER_CONNECTION (source), result);
}

void
tether_add_server_dialog_fill_from (TetherAddServerDialog *self,
                                    TetherConnection      *connection)
{
  const char * const *strv;
  g_autofree char *arguments = NULL;
  g_autoptr(GString) quoted = g_string_new (NULL);

  self->name_edited = TRUE;
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tether_connection_get_name (connection));
  self->setting_name = FALSE;

  adw_combo_row_set_selected (self->transport_row, tether_connection_get_transport (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), tether_connection_get_url (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->command_row),
                         tether_connection_get_command (connection));

  /* Quoted only where needed, so simple arguments read as typed. */
  strv = tether_connection_get_arguments (connection);
  for (guint i = 0; strv[i] != NULL; i++)
    {
      gboolean plain = *strv[i] != '\0';

      for (const char *p = strv[i]; *p != '\0' && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("-_./:=@%+,", *p) != NULL;
      if (i > 0)
        g_string_append_c (quoted, ' ');
      if (plain)
        g_string_append (quoted, strv[i]);
      else
        {
          g_autofree char *q = g_shell_quote (strv[i]);
          g_string_append (quoted, q);
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->arguments_row), quoted->str);

  gtk_editable_set_text (GTK_EDITABLE (self->working_directory_row),
                         tether_connection_get_working_directory (connection));

  strv = tether_connection_get_environment (connection);
  for (guint i = 0; strv[i] != NULL; i++)
    tether_add_server_dialog_add_variable_row (self, strv[i]);
  strv = tether_connection_get_headers (connection);
  for (guint i = 0; strv[i] != NULL; i++)
    tether_add_server_dialog_add_header_row (self, strv[i]);

  adw_combo_row_set_selected (self->auth_row, tether_connection_get_auth_mode (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row),
                         tether_connection_get_client_id (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->scopes_row),
                         tether_connection_get_scopes (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->cimd_row),
                         tether_connection_get_cimd_url (connection));
  adw_expander_row_set_expanded (self->advanced_row,
                                 *tether_connection_get_client_id (connection) != '\0'
                                 || *tether_connection_get_scopes (connection) != '\0'
                                 || *tether_connection_get_cimd_url (connection) != '\0');
  adw_combo_row_set_selected (self->era_row, tether_connection_get_era (connection));
  gtk_spin_button_set_value (self->timeout_spin,
                             tether_connection_get_timeout_seconds (connection));

  /* Until they arrive, an empty secret field means "not known yet", not "remove it". */
  self->secrets_unknown = (1u << TETHER_SECRET_KIND_BEARER_TOKEN)
                          | (1u << TETHER_SECRET_KIND_CLIENT_SECRET);
  tether_connection_lookup_secret_async (connection, TETHER_SECRET_KIND_BEARER_TOKEN,
                                         self->cancellable, bearer_token_arrived_cb,
                                         g_object_ref (self));
  tether_connection_lookup_secret_async (connection, TETHER_SECRET_KIND_CLIENT_SECRET,
                                         self->cancellable, client_secret_arrived_cb,
                                         g_object_ref (self));
}
