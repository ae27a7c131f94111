/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the dialog shows while a person types: the suggested name and the input checks. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-add-server-dialog-private.h"

/* ---- Helpers --------------------------------------------------------------------------- */

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

/* ---- The name follows the URL or command until the person types one ------------------ */

static char *
suggest_name (TetherAddServerDialog *self)
{
  if (tether_add_server_dialog_selected_transport (self) != TETHER_TRANSPORT_STDIO)
    {
      g_autofree char *url = tether_add_server_dialog_row_text_stripped (self->url_row);
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        return g_strdup (g_uri_get_host (uri));
      return NULL;
    }
  else
    {
      g_autofree char *command = tether_add_server_dialog_row_text_stripped (self->command_row);
      const char *arguments = tether_add_server_dialog_row_text (self->arguments_row);
      g_auto(GStrv) argv = NULL;

      if (*command == '\0')
        return NULL;
      /* "npx -y @scope/some-server": the first argument that is not an option says more
       * than the launcher. */
      if (tether_add_server_parse_arguments (arguments, &argv, NULL) && argv != NULL)
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

void
tether_add_server_dialog_name_changed_cb (TetherAddServerDialog *self)
{
  if (!self->setting_name)
    {
      const char *text = tether_add_server_dialog_row_text (self->name_row);

      /* Clearing the name hands it back to the suggestion. */
      self->name_edited = *text != '\0' && g_strcmp0 (text, self->auto_name) != 0;
    }
  tether_add_server_dialog_validate (self);
}

void
tether_add_server_dialog_source_changed_cb (TetherAddServerDialog *self)
{
  update_suggested_name (self);
  tether_add_server_dialog_validate (self);
}

/* ---- Validation ------------------------------------------------------------------------ */

/* Checks everything, shows what is wrong under its group, and allows the primary action only
 * when the connection can be made. Empty required fields are not called errors: the
 * insensitive button says enough while a person is still typing. */
void
tether_add_server_dialog_validate (TetherAddServerDialog *self)
{
  TetherTransport transport = tether_add_server_dialog_selected_transport (self);
  TetherAuthMode auth_mode = tether_add_server_dialog_selected_auth_mode (self);
  gboolean remote = transport != TETHER_TRANSPORT_STDIO;
  gboolean valid = TRUE;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = tether_add_server_dialog_row_text_stripped (self->name_row);
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
      g_autofree char *url = tether_add_server_dialog_row_text_stripped (self->url_row);
      g_autofree char *cimd = tether_add_server_dialog_row_text_stripped (self->cimd_row);
      g_autofree char *token = tether_add_server_dialog_row_text_stripped (self->bearer_row);

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
          g_autofree char *line = tether_add_server_dialog_row_text_stripped (row);

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
      g_autofree char *command = tether_add_server_dialog_row_text_stripped (self->command_row);
      g_autofree char *directory =
        tether_add_server_dialog_row_text_stripped (self->working_directory_row);
      const char *arguments = tether_add_server_dialog_row_text (self->arguments_row);
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) error = NULL;

      /* Command */
      g_ptr_array_set_size (messages, 0);
      if (*command == '\0')
        valid = FALSE;

      if (!tether_add_server_parse_arguments (arguments, &argv, &error))
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
          const char *line = tether_add_server_dialog_row_text (row);

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
