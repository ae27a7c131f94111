/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tether-add-server-dialog-private.h"

struct _TetherAddServerDialog
{
  AdwWindow             parent_instance;

  TetherConnection     *existing;          /* NULL when adding */
  char                 *connection_id;     /* of the result */
  GCancellable         *cancellable;       /* secret lookups and writes */
  char                 *auto_name;         /* the name last filled in from the URL or command */
  gboolean              name_edited;       /* the person typed a name of their own */
  gboolean              setting_name;
  gboolean              finishing;         /* writing secrets before "done" */
  gboolean              done_emitted;
  gboolean              secrets_persistent;
  guint                 secrets_unknown;   /* bits (1 << kind): keyring lookups under way */
  guint                 pending_secret_ops;
  TetherConnection     *result;            /* while finishing */

  GPtrArray            *header_rows;       /* of AdwEntryRow, unowned (the group owns them) */
  GPtrArray            *variable_rows;

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkButton            *primary_button;
  AdwEntryRow          *name_row;
  AdwComboRow          *transport_row;
  AdwPreferencesGroup  *url_group;
  AdwEntryRow          *url_row;
  GtkLabel             *url_error;
  AdwPreferencesGroup  *command_group;
  AdwEntryRow          *command_row;
  AdwEntryRow          *arguments_row;
  AdwEntryRow          *working_directory_row;
  GtkLabel             *command_error;
  AdwPreferencesGroup  *environment_group;
  GtkLabel             *environment_error;
  AdwPreferencesGroup  *headers_group;
  GtkLabel             *headers_error;
  AdwPreferencesGroup  *auth_group;
  AdwComboRow          *auth_row;
  AdwPasswordEntryRow  *bearer_row;
  AdwExpanderRow       *advanced_row;
  AdwEntryRow          *client_id_row;
  AdwPasswordEntryRow  *client_secret_row;
  AdwEntryRow          *scopes_row;
  AdwEntryRow          *cimd_row;
  GtkLabel             *auth_error;
  AdwComboRow          *era_row;
  GtkSpinButton        *timeout_spin;
};

G_DEFINE_FINAL_TYPE (TetherAddServerDialog, tether_add_server_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void validate (TetherAddServerDialog *self);

/* ---- Helpers --------------------------------------------------------------------------- */

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Leading and trailing spaces are never meant; a copy without them. */
static char *
row_text_stripped (gpointer row)
{
  return g_strstrip (g_strdup (row_text (row)));
}

static void
set_row_error (gpointer row,
               gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_messages (GtkLabel  *label,
               GPtrArray *messages)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (messages, i));
    }
  gtk_label_set_text (label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (label), messages->len > 0);
}

static TetherTransport
selected_transport (TetherAddServerDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->transport_row);

  return selected <= TETHER_TRANSPORT_STDIO ? (TetherTransport) selected : TETHER_TRANSPORT_HTTP;
}

static TetherAuthMode
selected_auth_mode (TetherAddServerDialog *self)
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

/* ---- The name follows the URL or command until the person types one ------------------ */

static char *
suggest_name (TetherAddServerDialog *self)
{
  if (selected_transport (self) != TETHER_TRANSPORT_STDIO)
    {
      g_autofree char *url = row_text_stripped (self->url_row);
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        return g_strdup (g_uri_get_host (uri));
      return NULL;
    }
  else
    {
      g_autofree char *command = row_text_stripped (self->command_row);
      g_auto(GStrv) argv = NULL;

      if (*command == '\0')
        return NULL;
      /* "npx -y @scope/some-server": the first argument that is not an option says more
       * than the launcher. */
      if (tether_add_server_parse_arguments (row_text (self->arguments_row), &argv, NULL) && argv != NULL)
        for (guint i = 0; argv[i] != NULL; i++)
          if (argv[i][0] != '-' && argv[i][0] != '\0')
            return g_path_get_basename (argv[i]);
      return g_path_get_basename (command);
    }
}

static void
update_suggested_name (TetherAddServerDialog *self)
{
  g_autofree char *suggestion = NULL;

  if (self->name_edited)
    return;

  suggestion = suggest_name (self);
  g_free (self->auto_name);
  self->auto_name = g_strdup (suggestion != NULL ? suggestion : "");
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->auto_name);
  self->setting_name = FALSE;
}

static void
name_changed_cb (TetherAddServerDialog *self)
{
  if (!self->setting_name)
    {
      const char *text = row_text (self->name_row);

      /* Clearing the name hands it back to the suggestion. */
      self->name_edited = *text != '\0' && g_strcmp0 (text, self->auto_name) != 0;
    }
  validate (self);
}

static void
source_changed_cb (TetherAddServerDialog *self)
{
  update_suggested_name (self);
  validate (self);
}

/* ---- Validation ------------------------------------------------------------------------ */

/* Checks everything, shows what is wrong under its group, and allows the primary action only
 * when the connection can be made. Empty required fields are not called errors: the
 * insensitive button says enough while a person is still typing. */
static void
validate (TetherAddServerDialog *self)
{
  TetherTransport transport = selected_transport (self);
  TetherAuthMode auth_mode = selected_auth_mode (self);
  gboolean remote = transport != TETHER_TRANSPORT_STDIO;
  gboolean valid = TRUE;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = row_text_stripped (self->name_row);
  char *message;

  /* Which groups apply */
  gtk_widget_set_visible (GTK_WIDGET (self->url_group), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->headers_group), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_group), remote);
  gtk_widget_set_visible (GTK_WIDGET (self->command_group), !remote);
  gtk_widget_set_visible (GTK_WIDGET (self->environment_group), !remote);
  gtk_widget_set_visible (GTK_WIDGET (self->bearer_row), auth_mode == TETHER_AUTH_MODE_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->advanced_row), auth_mode == TETHER_AUTH_MODE_OAUTH);

  if (*name == '\0')
    valid = FALSE;

  if (remote)
    {
      g_autofree char *url = row_text_stripped (self->url_row);
      g_autofree char *cimd = row_text_stripped (self->cimd_row);
      g_autofree char *token = row_text_stripped (self->bearer_row);

      /* Server */
      g_ptr_array_set_size (messages, 0);
      message = *url != '\0' ? tether_add_server_check_url (url, FALSE) : NULL;
      set_row_error (self->url_row, message != NULL);
      if (message != NULL)
        g_ptr_array_add (messages, message);
      if (*url == '\0' || message != NULL)
        valid = FALSE;
      show_messages (self->url_error, messages);

      /* Headers */
      g_ptr_array_set_size (messages, 0);
      for (guint i = 0; i < self->header_rows->len; i++)
        {
          AdwEntryRow *row = g_ptr_array_index (self->header_rows, i);
          g_autofree char *line = row_text_stripped (row);

          message = *line != '\0' ? tether_add_server_check_header (line) : NULL;
          set_row_error (row, message != NULL);
          if (message != NULL)
            g_ptr_array_add (messages, message);
        }
      if (messages->len > 0)
        valid = FALSE;
      show_messages (self->headers_error, messages);

      /* Authentication */
      g_ptr_array_set_size (messages, 0);
      if (auth_mode == TETHER_AUTH_MODE_BEARER)
        {
          gboolean bad = strpbrk (token, " \t\r\n") != NULL;

          if (bad)
            g_ptr_array_add (messages,
                             g_strdup (_("A bearer token cannot contain spaces or line breaks")));
          set_row_error (self->bearer_row, bad);
          if (bad || *token == '\0')
            valid = FALSE;
        }
      else
        set_row_error (self->bearer_row, FALSE);

      message = NULL;
      if (auth_mode == TETHER_AUTH_MODE_OAUTH && *cimd != '\0')
        message = tether_add_server_check_url (cimd, TRUE);
      set_row_error (self->cimd_row, message != NULL);
      if (message != NULL)
        {
          g_ptr_array_add (messages,
                           g_strdup_printf (_("Client ID Metadata Document URL: %s"), message));
          g_free (message);
          valid = FALSE;
          /* Never leave an error out of sight. */
          adw_expander_row_set_expanded (self->advanced_row, TRUE);
        }
      show_messages (self->auth_error, messages);
    }
  else
    {
      g_autofree char *command = row_text_stripped (self->command_row);
      g_autofree char *directory = row_text_stripped (self->working_directory_row);
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) error = NULL;

      /* Command */
      g_ptr_array_set_size (messages, 0);
      if (*command == '\0')
        valid = FALSE;

      if (!tether_add_server_parse_arguments (row_text (self->arguments_row), &argv, &error))
        {
          g_ptr_array_add (messages,
                           g_strdup_printf (_("The arguments cannot be split as a shell "
                                              "would: %s"),
                                            error->message));
          valid = FALSE;
        }
      set_row_error (self->arguments_row, error != NULL);

      if (*directory != '\0' && !g_path_is_absolute (directory))
        {
          g_ptr_array_add (messages, g_strdup (_("The working directory must be a full path, "
                                                 "starting with /")));
          valid = FALSE;
          set_row_error (self->working_directory_row, TRUE);
        }
      else
        set_row_error (self->working_directory_row, FALSE);
      show_messages (self->command_error, messages);

      /* Environment */
      g_ptr_array_set_size (messages, 0);
      for (guint i = 0; i < self->variable_rows->len; i++)
        {
          AdwEntryRow *row = g_ptr_array_index (self->variable_rows, i);
          const char *line = row_text (row);

          message = *line != '\0' ? tether_add_server_check_variable (line) : NULL;
          set_row_error (row, message != NULL);
          if (message != NULL)
            g_ptr_array_add (messages, message);
        }
      if (messages->len > 0)
        valid = FALSE;
      show_messages (self->environment_error, messages);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.accept",
                                 valid && !self->finishing);
}

/* ---- Header and variable rows ---------------------------------------------------------- */

static void remove_row_clicked_cb (GtkButton *button, TetherAddServerDialog *self);

static AdwEntryRow *
add_list_row (TetherAddServerDialog *self,
              AdwPreferencesGroup   *group,
              GPtrArray             *rows,
              const char            *title,
              const char            *remove_label,
              const char            *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (row, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_object_set_data (G_OBJECT (remove), "rows", rows);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_row_clicked_cb), self);
  adw_entry_row_add_suffix (row, remove);

  g_signal_connect_swapped (row, "changed", G_CALLBACK (validate), self);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (rows, row);
  return row;
}

static void
remove_row_clicked_cb (GtkButton             *button,
                       TetherAddServerDialog *self)
{
  AdwEntryRow *row = g_object_get_data (G_OBJECT (button), "row");
  GPtrArray *rows = g_object_get_data (G_OBJECT (button), "rows");
  AdwPreferencesGroup *group = rows == self->header_rows ? self->headers_group
                                                         : self->environment_group;

  g_ptr_array_remove (rows, row);
  adw_preferences_group_remove (group, GTK_WIDGET (row));
  validate (self);
}

static AdwEntryRow *
add_header_row (TetherAddServerDialog *self,
                const char            *text)
{
  return add_list_row (self, self->headers_group, self->header_rows,
                       _("Header"), _("Remove Header"), text);
}

static AdwEntryRow *
add_variable_row (TetherAddServerDialog *self,
                  const char            *text)
{
  return add_list_row (self, self->environment_group, self->variable_rows,
                       _("Variable"), _("Remove Variable"), text);
}

static void
add_header_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);

  gtk_widget_grab_focus (GTK_WIDGET (add_header_row (self, NULL)));
  validate (self);
}

static void
add_variable_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);

  gtk_widget_grab_focus (GTK_WIDGET (add_variable_row (self, NULL)));
  validate (self);
}

/* The non-empty lines of @rows, stripped. */
static GStrv
collect_rows (GPtrArray *rows)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *line = row_text_stripped (g_ptr_array_index (rows, i));

      if (*line != '\0')
        g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
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

static void
choose_directory_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);
  GtkFileChooserNative *chooser;
  const char *current = row_text (self->working_directory_row);

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

/* ---- Finishing ------------------------------------------------------------------------- */

static void
emit_done (TetherAddServerDialog *self,
           TetherConnection      *result)
{
  if (self->done_emitted)
    return;
  self->done_emitted = TRUE;
  g_signal_emit (self, signals[SIGNAL_DONE], 0, result);
}

static TetherConnection *
build_result (TetherAddServerDialog *self)
{
  TetherTransport transport = selected_transport (self);
  TetherAuthMode auth_mode = selected_auth_mode (self);
  g_autoptr(TetherConnection) result = NULL;
  g_autofree char *name = row_text_stripped (self->name_row);
  g_autofree char *url = row_text_stripped (self->url_row);
  g_autofree char *command = row_text_stripped (self->command_row);
  g_autofree char *directory = row_text_stripped (self->working_directory_row);
  g_autofree char *client_id = row_text_stripped (self->client_id_row);
  g_autofree char *scopes = row_text_stripped (self->scopes_row);
  g_autofree char *cimd = row_text_stripped (self->cimd_row);
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) headers = collect_rows (self->header_rows);
  g_auto(GStrv) environment = collect_rows (self->variable_rows);
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
      tether_add_server_parse_arguments (row_text (self->arguments_row), &argv, NULL);
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

static void
secret_op_done (TetherAddServerDialog *self)
{
  g_assert (self->pending_secret_ops > 0);

  if (--self->pending_secret_ops > 0)
    return;

  emit_done (self, self->result);
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

static void
accept_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TetherAddServerDialog *self = TETHER_ADD_SERVER_DIALOG (widget);
  g_autofree char *token = row_text_stripped (self->bearer_row);
  g_autofree char *client_secret = row_text_stripped (self->client_secret_row);
  TetherAuthMode auth_mode;
  gboolean remote;

  if (self->finishing)
    return;

  self->finishing = TRUE;
  self->result = build_result (self);
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

  emit_done (self, NULL);
  gtk_window_set_focus (window, NULL);
  if (GTK_WINDOW_CLASS (tether_add_server_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (tether_add_server_dialog_parent_class)->close_request (window);
  return FALSE;
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

static void
fill_from (TetherAddServerDialog *self,
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
    add_variable_row (self, strv[i]);
  strv = tether_connection_get_headers (connection);
  for (guint i = 0; strv[i] != NULL; i++)
    add_header_row (self, strv[i]);

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
      fill_from (self, self->existing);
    }
  else
    self->connection_id = g_uuid_string_random ();

  validate (self);

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

  gtk_widget_class_install_action (widget_class, "dialog.accept", NULL, accept_activated);
  gtk_widget_class_install_action (widget_class, "dialog.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "dialog.add-header", NULL, add_header_activated);
  gtk_widget_class_install_action (widget_class, "dialog.add-variable", NULL,
                                   add_variable_activated);
  gtk_widget_class_install_action (widget_class, "dialog.choose-directory", NULL,
                                   choose_directory_activated);

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

  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (source_changed_cb), self);
  g_signal_connect_swapped (self->command_row, "changed", G_CALLBACK (source_changed_cb), self);
  g_signal_connect_swapped (self->arguments_row, "changed", G_CALLBACK (source_changed_cb),
                            self);
  g_signal_connect_swapped (self->transport_row, "notify::selected",
                            G_CALLBACK (source_changed_cb), self);
  g_signal_connect_swapped (self->working_directory_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->bearer_row, "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->cimd_row, "changed", G_CALLBACK (validate), self);
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
