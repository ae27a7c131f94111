/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-add-server-dialog.h"

G_BEGIN_DECLS

/* The dialog's state, shared by the files that make up the class:
 *   tether-add-server-dialog.c           the object, its template and "done"
 *   tether-add-server-dialog-form.c      reading the form into a connection and back
 *   tether-add-server-dialog-rows.c      the header and environment variable rows
 *   tether-add-server-dialog-validate.c  the suggested name and what is shown as wrong
 *   tether-add-server-dialog-finish.c    accepting: secrets to the keyring, then "done"
 *   tether-add-server-dialog-checks.c    the input checks below */
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

/* tether-add-server-dialog.c: emits "done" with @result (NULL when cancelled), only once. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_emit_done        (TetherAddServerDialog *self,
                                                             TetherConnection      *result);

/* tether-add-server-dialog-form.c */
G_GNUC_INTERNAL
const char       *tether_add_server_dialog_row_text         (gpointer               row);
/* Leading and trailing spaces are never meant; a copy without them. */
G_GNUC_INTERNAL
char             *tether_add_server_dialog_row_text_stripped (gpointer              row);
G_GNUC_INTERNAL
TetherTransport   tether_add_server_dialog_selected_transport (TetherAddServerDialog *self);
G_GNUC_INTERNAL
TetherAuthMode    tether_add_server_dialog_selected_auth_mode (TetherAddServerDialog *self);
/* The "dialog.choose-directory" action. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_choose_directory_activated
                                                            (GtkWidget             *widget,
                                                             const char            *action_name,
                                                             GVariant              *parameter);
/* A new connection (or a copy of the existing one) holding what the form says. */
G_GNUC_INTERNAL
TetherConnection *tether_add_server_dialog_build_result     (TetherAddServerDialog *self);
/* Fills the form from @connection and starts looking up its secrets. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_fill_from        (TetherAddServerDialog *self,
                                                             TetherConnection      *connection);

/* tether-add-server-dialog-rows.c */
G_GNUC_INTERNAL
AdwEntryRow      *tether_add_server_dialog_add_header_row   (TetherAddServerDialog *self,
                                                             const char            *text);
G_GNUC_INTERNAL
AdwEntryRow      *tether_add_server_dialog_add_variable_row (TetherAddServerDialog *self,
                                                             const char            *text);
/* The "dialog.add-header" and "dialog.add-variable" actions. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_add_header_activated
                                                            (GtkWidget             *widget,
                                                             const char            *action_name,
                                                             GVariant              *parameter);
G_GNUC_INTERNAL
void              tether_add_server_dialog_add_variable_activated
                                                            (GtkWidget             *widget,
                                                             const char            *action_name,
                                                             GVariant              *parameter);
/* The non-empty lines of @rows, stripped. */
G_GNUC_INTERNAL
GStrv             tether_add_server_dialog_collect_rows     (GPtrArray             *rows);

/* tether-add-server-dialog-validate.c */
G_GNUC_INTERNAL
void              tether_add_server_dialog_name_changed_cb  (TetherAddServerDialog *self);
/* The URL, command, arguments or transport changed: the suggested name follows. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_source_changed_cb (TetherAddServerDialog *self);
/* Shows what is wrong and enables "dialog.accept" only when the connection can be made. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_validate         (TetherAddServerDialog *self);

/* tether-add-server-dialog-finish.c: the "dialog.accept" action. */
G_GNUC_INTERNAL
void              tether_add_server_dialog_accept_activated (GtkWidget             *widget,
                                                             const char            *action_name,
                                                             GVariant              *parameter);

/* The input checks of the dialog (tether-add-server-dialog-checks.c): NULL when @text is
 * fine, else a message saying what is wrong, written for the person. */

/* An http(s) URL with a host; with @https_only, an https URL naming a document. */
char     *tether_add_server_check_url       (const char  *text,
                                             gboolean     https_only);
/* "Name: value" with an RFC 9110 token as the name. */
char     *tether_add_server_check_header    (const char  *line);
/* "NAME=value" with a portable variable name. */
char     *tether_add_server_check_variable  (const char  *line);
/* Splits as a shell would; NULL @argv and no error for text with nothing but spaces. */
gboolean  tether_add_server_parse_arguments (const char  *text,
                                             GStrv       *argv,
                                             GError     **error);

G_END_DECLS
