/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-ui.h"
#include "tether-add-server-dialog-private.h"

/* ---- Finding and driving widgets the way assistive technology sees them --------------- */

static void
type_into (gpointer    root,
           const char *label,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find (root, label)), text);
}

static const char *
text_of (gpointer    root,
         const char *label)
{
  return gtk_editable_get_text (GTK_EDITABLE (test_ui_find (root, label)));
}

static void
choose (gpointer    root,
        const char *label,
        guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (test_ui_find (root, label)), position);
}

static gboolean
primary_enabled (gpointer    dialog,
                 const char *label)
{
  return gtk_widget_is_sensitive (test_ui_find (dialog, label));
}

/* What the inline messages say right now, one per line. */
static void
collect_errors (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error")
      && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_errors (child, out);
}

static char *
errors (gpointer dialog)
{
  GString *out = g_string_new (NULL);

  collect_errors (GTK_WIDGET (dialog), out);
  return g_string_free (out, FALSE);
}

static void
assert_errors_contain (gpointer    dialog,
                       const char *needle)
{
  g_autofree char *shown = errors (dialog);

  if (strstr (shown, needle) == NULL)
    g_error ("The dialog does not say “%s”; it says “%s”", needle, shown);
}

static void
assert_no_errors (gpointer dialog)
{
  g_autofree char *shown = errors (dialog);

  g_assert_cmpstr (shown, ==, "");
}

/* Enter in a text field: GtkText's "activate", which AdwEntryRow turns into the default. */
static void
press_enter_in (gpointer    dialog,
                const char *label)
{
  GtkWidget *row = test_ui_find (dialog, label);
  GtkWidget *text = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, row);
  while (stack->len > 0 && text == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_TEXT (widget))
        text = widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_nonnull (text);
  /* As a person would: the field has the focus when Enter is pressed in it. */
  g_assert_true (gtk_widget_grab_focus (text));
  g_signal_emit_by_name (text, "activate");
}

/* ---- Waiting for "done" ---------------------------------------------------------------- */

typedef struct
{
  gboolean          done;
  guint             times;
  TetherConnection *result;
} Outcome;

static void
done_cb (TetherAddServerDialog *dialog,
         TetherConnection      *result,
         Outcome               *outcome)
{
  outcome->done = TRUE;
  outcome->times++;
  g_set_object (&outcome->result, result);
}

static TetherAddServerDialog *
open_dialog_sized (TetherConnection *existing,
                   Outcome          *outcome,
                   int               height)
{
  TetherAddServerDialog *dialog = tether_add_server_dialog_new (NULL, existing);

  if (height > 0)
    gtk_window_set_default_size (GTK_WINDOW (dialog), 560, height);
  g_object_ref_sink (dialog);  /* the test's own reference, so it can look after "done" */
  g_signal_connect (dialog, "done", G_CALLBACK (done_cb), outcome);
  gtk_window_present (GTK_WINDOW (dialog));
  while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    g_main_context_iteration (NULL, TRUE);
  return dialog;
}

static TetherAddServerDialog *
open_dialog (TetherConnection *existing,
             Outcome          *outcome)
{
  return open_dialog_sized (existing, outcome, -1);
}

static void
wait_until_done (Outcome *outcome)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!outcome->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (outcome->done);
  test_ui_spin (50);
  g_assert_cmpuint (outcome->times, ==, 1);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
keyring_lookup (TetherConnection *connection,
                TetherSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tether_connection_lookup_secret_async (connection, kind, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = tether_connection_lookup_secret_finish (connection, result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
keyring_store (TetherConnection *connection,
               TetherSecretKind  kind,
               const char       *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean persistent = FALSE;

  tether_connection_set_secret_async (connection, kind, secret, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tether_connection_set_secret_finish (connection, result, &persistent, &error));
  g_assert_no_error (error);
  g_assert_true (persistent);
}

/* ---- Screenshots ----------------------------------------------------------------------- */

/* ---- Tests ----------------------------------------------------------------------------- */

/* The checks alone, with the cases that are easy to get wrong. */
static void
test_input_checks (void)
{
  static const struct { const char *text; gboolean https_only; gboolean ok; } urls[] = {
    { "http://localhost:8000/mcp", FALSE, TRUE },
    { "https://[::1]:8443/mcp", FALSE, TRUE },
    { "HTTPS://Example.com", FALSE, TRUE },
    { "localhost:8000/mcp", FALSE, FALSE },  /* "localhost" would be the scheme */
    { "ftp://example.com/", FALSE, FALSE },
    { "http://", FALSE, FALSE },
    { "http:///path", FALSE, FALSE },
    { "http://exa mple.com/", FALSE, FALSE },
    { "https://example.com/client.json", TRUE, TRUE },
    { "https://example.com/", TRUE, FALSE },
    { "https://example.com", TRUE, FALSE },
    { "http://example.com/client.json", TRUE, FALSE },
  };
  static const struct { const char *line; gboolean ok; } headers[] = {
    { "X-Api-Key: abc", TRUE },
    { "X-Api-Key:abc", TRUE },
    { "X-Empty:", TRUE },
    { "!#$%&'*+-.^_`|~09azAZ: weird but a token", TRUE },
    { "Bad Header: x", FALSE },
    { ": no name", FALSE },
    { "no colon", FALSE },
    { "X-Tab:\tallowed", TRUE },
    { "X-Bell: \a", FALSE },
    { "Ünicode: x", FALSE },
  };
  static const struct { const char *line; gboolean ok; } variables[] = {
    { "PORT=8000", TRUE },
    { "_PRIVATE=", TRUE },
    { "A=b=c", TRUE },
    { "1BAD=x", FALSE },
    { "BAD-NAME=x", FALSE },
    { "=x", FALSE },
    { "NOEQUALS", FALSE },
  };
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *message = tether_add_server_check_url (urls[i].text, urls[i].https_only);

      if ((message == NULL) != urls[i].ok)
        g_error ("URL “%s”: expected %s, got “%s”", urls[i].text,
                 urls[i].ok ? "fine" : "a message", message ? message : "fine");
    }
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *message = tether_add_server_check_header (headers[i].line);

      if ((message == NULL) != headers[i].ok)
        g_error ("Header “%s”: expected %s, got “%s”", headers[i].line,
                 headers[i].ok ? "fine" : "a message", message ? message : "fine");
    }
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *message = tether_add_server_check_variable (variables[i].line);

      if ((message == NULL) != variables[i].ok)
        g_error ("Variable “%s”: expected %s, got “%s”", variables[i].line,
                 variables[i].ok ? "fine" : "a message", message ? message : "fine");
    }

  g_assert_true (tether_add_server_parse_arguments ("   ", &argv, &error));
  g_assert_no_error (error);
  g_assert_null (argv);
  g_assert_true (tether_add_server_parse_arguments ("a 'b c' \"d\"", &argv, &error));
  g_assert_cmpuint (g_strv_length (argv), ==, 3);
  g_assert_cmpstr (argv[1], ==, "b c");
  g_clear_pointer (&argv, g_strfreev);
  g_assert_false (tether_add_server_parse_arguments ("'open", &argv, &error));
  g_assert_error (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING);
}

static const char * const required_names[] = {
  "Name", "Transport", "Server URL", "Command", "Arguments", "Add Header", "Authentication",
  "Bearer Token", "Client ID", "Client Secret", "Scopes", "Client ID Metadata Document URL",
  "Protocol Era", "Request Timeout", "Cancel", NULL,
};

static void
test_every_control_has_its_name (void)
{
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  Outcome outcome = { 0 };

  dialog = open_dialog (NULL, &outcome);
  for (guint i = 0; required_names[i] != NULL; i++)
    test_ui_find (dialog, required_names[i]);
  g_assert_cmpuint (test_ui_count (dialog, "Add"), ==, 1);
  g_assert_cmpuint (test_ui_count (dialog, "Save"), ==, 0);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add Server");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_object (&outcome.result);
}

static void
test_http_validation_and_result (void)
{
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  g_autofree char *token = NULL;
  g_autofree char *client_secret = NULL;
  static const char * const headers[] = { "X-Api-Key: abc123", "Accept-Language: zh-CN", NULL };
  Outcome outcome = { 0 };
  TetherConnection *result;

  dialog = open_dialog (NULL, &outcome);

  /* Nothing typed yet: nothing to add, and nothing called wrong either. */
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_no_errors (dialog);

  type_into (dialog, "Server URL", "localhost:8000/mcp");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "http:// or https://");
  g_assert_true (gtk_widget_has_css_class (test_ui_find (dialog, "Server URL"), "error"));

  type_into (dialog, "Server URL", "http://");
  g_assert_false (primary_enabled (dialog, "Add"));

  type_into (dialog, "Server URL", "http://localhost:8000/mcp");
  assert_no_errors (dialog);
  g_assert_false (gtk_widget_has_css_class (test_ui_find (dialog, "Server URL"), "error"));
  /* The name follows the host until one is typed. */
  g_assert_cmpstr (text_of (dialog, "Name"), ==, "localhost");
  g_assert_true (primary_enabled (dialog, "Add"));

  type_into (dialog, "Name", "");
  g_assert_false (primary_enabled (dialog, "Add"));
  type_into (dialog, "Name", "Reference server");
  type_into (dialog, "Server URL", "https://mcp.example.com/mcp");
  g_assert_cmpstr (text_of (dialog, "Name"), ==, "Reference server");
  g_assert_true (primary_enabled (dialog, "Add"));

  /* Headers: one bad line blocks, and the message names it. */
  test_ui_click (dialog, "Add Header");
  g_assert_true (primary_enabled (dialog, "Add"));  /* an empty line is ignored */
  type_into (dialog, "Header", "Bad Header: x");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "“Bad Header” is not a valid header name");
  type_into (dialog, "Header", "no colon here");
  assert_errors_contain (dialog, "write it as Name: value");
  type_into (dialog, "Header", headers[0]);
  g_assert_true (primary_enabled (dialog, "Add"));
  test_ui_click (dialog, "Add Header");
  test_ui_click (dialog, "Add Header");
  g_assert_cmpuint (test_ui_count (dialog, "Header"), ==, 3);
  {
    g_autoptr(GPtrArray) rows = test_ui_collect_by_label (dialog, "Header", FALSE);

    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), headers[1]);
  }
  /* Remove the empty third one with its own button. */
  {
    g_autoptr(GPtrArray) removers = test_ui_collect_by_label (dialog, "Remove Header", FALSE);

    g_assert_cmpuint (removers->len, ==, 3);
    g_signal_emit_by_name (g_ptr_array_index (removers, 2), "clicked");
  }
  g_assert_cmpuint (test_ui_count (dialog, "Header"), ==, 2);

  /* Bearer token: required once chosen, and no spaces in it. */
  choose (dialog, "Authentication", TETHER_AUTH_MODE_BEARER);
  g_assert_true (gtk_widget_get_visible (test_ui_find (dialog, "Bearer Token")));
  g_assert_false (gtk_widget_get_visible (test_ui_find (dialog, "Advanced Authentication")));
  g_assert_false (primary_enabled (dialog, "Add"));
  type_into (dialog, "Bearer Token", "two words");
  assert_errors_contain (dialog, "cannot contain spaces");
  g_assert_false (primary_enabled (dialog, "Add"));
  type_into (dialog, "Bearer Token", "s3cr3t-token");
  g_assert_true (primary_enabled (dialog, "Add"));

  /* OAuth: the client id metadata document must be https with a path. */
  choose (dialog, "Authentication", TETHER_AUTH_MODE_OAUTH);
  g_assert_false (gtk_widget_get_visible (test_ui_find (dialog, "Bearer Token")));
  type_into (dialog, "Client ID Metadata Document URL", "http://example.com/client.json");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "https://");
  type_into (dialog, "Client ID Metadata Document URL", "https://example.com/");
  g_assert_false (primary_enabled (dialog, "Add"));
  type_into (dialog, "Client ID Metadata Document URL", "https://example.com/client.json");
  g_assert_true (primary_enabled (dialog, "Add"));
  type_into (dialog, "Client ID", "my-client");
  type_into (dialog, "Client Secret", "client-s3cret");
  type_into (dialog, "Scopes", "user read");

  choose (dialog, "Transport", TETHER_TRANSPORT_SSE);
  choose (dialog, "Protocol Era", TETHER_PROTOCOL_ERA_LEGACY);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (test_ui_find (dialog, "Request Timeout")), 90);
  assert_no_errors (dialog);

  test_ui_save_screenshot (dialog, "add-server-sse.png", 300);

  test_ui_click (dialog, "Add");
  wait_until_done (&outcome);
  result = outcome.result;
  g_assert_nonnull (result);
  g_assert_true (g_uuid_string_is_valid (tether_connection_get_id (result)));
  g_assert_cmpstr (tether_connection_get_name (result), ==, "Reference server");
  g_assert_cmpint (tether_connection_get_transport (result), ==, TETHER_TRANSPORT_SSE);
  g_assert_cmpstr (tether_connection_get_url (result), ==, "https://mcp.example.com/mcp");
  g_assert_true (g_strv_equal (tether_connection_get_headers (result), headers));
  g_assert_cmpint (tether_connection_get_auth_mode (result), ==, TETHER_AUTH_MODE_OAUTH);
  g_assert_cmpstr (tether_connection_get_client_id (result), ==, "my-client");
  g_assert_cmpstr (tether_connection_get_scopes (result), ==, "user read");
  g_assert_cmpstr (tether_connection_get_cimd_url (result), ==, "https://example.com/client.json");
  g_assert_cmpint (tether_connection_get_era (result), ==, TETHER_PROTOCOL_ERA_LEGACY);
  g_assert_cmpuint (tether_connection_get_timeout_seconds (result), ==, 90);
  g_assert_cmpstr (tether_connection_get_command (result), ==, "");

  /* The client secret went to the keyring; the bearer token typed earlier did not, since
   * OAuth was chosen in the end. */
  g_assert_true (tether_add_server_dialog_get_secrets_persistent (dialog));
  client_secret = keyring_lookup (result, TETHER_SECRET_KIND_CLIENT_SECRET);
  token = keyring_lookup (result, TETHER_SECRET_KIND_BEARER_TOKEN);
  g_assert_cmpstr (client_secret, ==, "client-s3cret");
  g_assert_null (token);

  g_clear_object (&outcome.result);
}

static void
test_stdio_validation_and_enter (void)
{
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  static const char * const argv[] = { "-y", "@modelcontextprotocol/server-everything",
                                       "--flag=a b", NULL };
  static const char * const environment[] = { "PORT=0", "GREETING=hello world", NULL };
  Outcome outcome = { 0 };
  TetherConnection *result;

  dialog = open_dialog (NULL, &outcome);
  choose (dialog, "Transport", TETHER_TRANSPORT_STDIO);
  g_assert_true (gtk_widget_get_visible (test_ui_find (dialog, "Command")));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (test_ui_find (dialog, "Server URL"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_false (primary_enabled (dialog, "Add"));

  /* Enter does nothing while the input makes no sense. */
  press_enter_in (dialog, "Command");
  test_ui_spin (50);
  g_assert_false (outcome.done);

  type_into (dialog, "Command", "npx");
  g_assert_cmpstr (text_of (dialog, "Name"), ==, "npx");
  g_assert_true (primary_enabled (dialog, "Add"));

  type_into (dialog, "Arguments", "-y '@modelcontextprotocol/server-everything");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "The arguments cannot be split");
  type_into (dialog, "Arguments", "-y @modelcontextprotocol/server-everything --flag='a b'");
  g_assert_true (primary_enabled (dialog, "Add"));
  g_assert_cmpstr (text_of (dialog, "Name"), ==, "server-everything");

  type_into (dialog, "Working Directory", "relative/path");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "full path");
  type_into (dialog, "Working Directory", "/tmp");
  g_assert_true (primary_enabled (dialog, "Add"));

  test_ui_click (dialog, "Add Variable");
  type_into (dialog, "Variable", "1BAD=x");
  g_assert_false (primary_enabled (dialog, "Add"));
  assert_errors_contain (dialog, "not a valid variable name");
  type_into (dialog, "Variable", "NOEQUALS");
  assert_errors_contain (dialog, "NAME=value");
  type_into (dialog, "Variable", environment[0]);
  test_ui_click (dialog, "Add Variable");
  {
    g_autoptr(GPtrArray) rows = test_ui_collect_by_label (dialog, "Variable", FALSE);

    g_assert_cmpuint (rows->len, ==, 2);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), environment[1]);
  }
  assert_no_errors (dialog);
  g_assert_true (primary_enabled (dialog, "Add"));

  test_ui_save_screenshot (dialog, "add-server-stdio.png", 300);

  press_enter_in (dialog, "Arguments");
  wait_until_done (&outcome);
  result = outcome.result;
  g_assert_nonnull (result);
  g_assert_cmpstr (tether_connection_get_name (result), ==, "server-everything");
  g_assert_cmpint (tether_connection_get_transport (result), ==, TETHER_TRANSPORT_STDIO);
  g_assert_cmpstr (tether_connection_get_command (result), ==, "npx");
  g_assert_true (g_strv_equal (tether_connection_get_arguments (result), argv));
  g_assert_true (g_strv_equal (tether_connection_get_environment (result), environment));
  g_assert_cmpstr (tether_connection_get_working_directory (result), ==, "/tmp");
  /* Nothing of the hidden HTTP settings. */
  g_assert_cmpstr (tether_connection_get_url (result), ==, "");
  g_assert_cmpint (tether_connection_get_auth_mode (result), ==, TETHER_AUTH_MODE_NONE);

  g_clear_object (&outcome.result);
}

static void
test_edit_prefills_and_keeps_id (void)
{
  static const char * const headers[] = { "X-Api-Key: abc", NULL };
  static const char * const arguments[] = { "--dir", "two words", "it's", "", NULL };
  g_autoptr(TetherConnection) existing = tether_connection_new ();
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  g_autoptr(TetherConnection) untouched = NULL;
  g_auto(GStrv) reparsed = NULL;
  g_autofree char *token = NULL;
  Outcome outcome = { 0 };
  TetherConnection *result;
  gint64 deadline;

  tether_connection_set_name (existing, "Saved server");
  tether_connection_set_transport (existing, TETHER_TRANSPORT_HTTP);
  tether_connection_set_url (existing, "http://127.0.0.1:8000/mcp");
  tether_connection_set_headers (existing, headers);
  tether_connection_set_arguments (existing, arguments);
  tether_connection_set_auth_mode (existing, TETHER_AUTH_MODE_BEARER);
  tether_connection_set_era (existing, TETHER_PROTOCOL_ERA_MODERN);
  tether_connection_set_timeout_seconds (existing, 300);
  keyring_store (existing, TETHER_SECRET_KIND_BEARER_TOKEN, "saved-token");
  untouched = tether_connection_copy (existing);

  dialog = open_dialog (existing, &outcome);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Server");
  g_assert_cmpuint (test_ui_count (dialog, "Save"), ==, 1);
  g_assert_cmpuint (test_ui_count (dialog, "Add"), ==, 0);
  g_assert_true (tether_add_server_dialog_get_existing (dialog) == existing);

  g_assert_cmpstr (text_of (dialog, "Name"), ==, "Saved server");
  g_assert_cmpstr (text_of (dialog, "Server URL"), ==, "http://127.0.0.1:8000/mcp");
  g_assert_cmpstr (text_of (dialog, "Header"), ==, "X-Api-Key: abc");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (test_ui_find (dialog, "Transport"))), ==,
                    TETHER_TRANSPORT_HTTP);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (test_ui_find (dialog, "Authentication"))),
                    ==, TETHER_AUTH_MODE_BEARER);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (test_ui_find (dialog, "Protocol Era"))),
                    ==, TETHER_PROTOCOL_ERA_MODERN);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (test_ui_find (dialog,
                                                                            "Request Timeout"))),
                   ==, 300);
  /* Arguments are shown as one line that splits back into the same list. */
  g_assert_true (g_shell_parse_argv (text_of (dialog, "Arguments"), NULL, &reparsed, NULL));
  g_assert_true (g_strv_equal ((const char * const *) reparsed, arguments));

  /* The token arrives from the keyring. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (*text_of (dialog, "Bearer Token") == '\0' && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (text_of (dialog, "Bearer Token"), ==, "saved-token");
  g_assert_true (primary_enabled (dialog, "Save"));

  test_ui_save_screenshot (dialog, "edit-server.png", 300);

  /* Editing the URL does not rename a server that has a name. */
  type_into (dialog, "Server URL", "http://127.0.0.1:8001/mcp");
  g_assert_cmpstr (text_of (dialog, "Name"), ==, "Saved server");
  type_into (dialog, "Bearer Token", "new-token");

  test_ui_click (dialog, "Save");
  wait_until_done (&outcome);
  result = outcome.result;
  g_assert_nonnull (result);
  g_assert_true (result != existing);
  g_assert_cmpstr (tether_connection_get_id (result), ==, tether_connection_get_id (existing));
  g_assert_cmpstr (tether_connection_get_url (result), ==, "http://127.0.0.1:8001/mcp");
  g_assert_cmpstr (tether_connection_get_name (result), ==, "Saved server");
  g_assert_cmpint (tether_connection_get_era (result), ==, TETHER_PROTOCOL_ERA_MODERN);
  g_assert_cmpuint (tether_connection_get_timeout_seconds (result), ==, 300);
  /* The dialog never changes the connection it was given. */
  g_assert_cmpstr (tether_connection_get_url (existing), ==, tether_connection_get_url (untouched));

  token = keyring_lookup (existing, TETHER_SECRET_KIND_BEARER_TOKEN);
  g_assert_cmpstr (token, ==, "new-token");

  g_clear_object (&outcome.result);
}

static void
test_saving_before_secrets_arrive_keeps_them (void)
{
  g_autoptr(TetherConnection) existing = tether_connection_new ();
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  g_autofree char *kept = NULL;
  Outcome outcome = { 0 };

  tether_connection_set_name (existing, "OAuth with a client secret");
  tether_connection_set_url (existing, "https://example.com/mcp");
  tether_connection_set_auth_mode (existing, TETHER_AUTH_MODE_OAUTH);
  tether_connection_set_client_id (existing, "registered-client");
  keyring_store (existing, TETHER_SECRET_KIND_CLIENT_SECRET, "kept-secret");

  /* Save at once, before the main loop could bring the secret into its empty field. */
  dialog = g_object_ref_sink (tether_add_server_dialog_new (NULL, existing));
  g_signal_connect (dialog, "done", G_CALLBACK (done_cb), &outcome);
  g_assert_cmpstr (text_of (dialog, "Client Secret"), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.accept", NULL));
  wait_until_done (&outcome);
  g_assert_nonnull (outcome.result);

  kept = keyring_lookup (existing, TETHER_SECRET_KIND_CLIENT_SECRET);
  g_assert_cmpstr (kept, ==, "kept-secret");
  g_clear_object (&outcome.result);
}

static void
test_escape_and_cancel_give_nothing (void)
{
  /* Released last: a dialog still points at its parent until it is finalized. */
  g_autoptr(GtkWindow) parent = NULL;
  g_autoptr(TetherAddServerDialog) first = NULL;
  g_autoptr(TetherAddServerDialog) second = NULL;
  Outcome by_escape = { 0 };
  Outcome by_button = { 0 };

  first = open_dialog (NULL, &by_escape);
  type_into (first, "Server URL", "http://localhost:8000/mcp");
  test_ui_press_key (first, GDK_KEY_Escape);
  wait_until_done (&by_escape);
  g_assert_null (by_escape.result);

  /* With a parent: modal for it, and Cancel gives nothing too. */
  parent = GTK_WINDOW (g_object_ref_sink (gtk_window_new ()));
  second = g_object_ref_sink (tether_add_server_dialog_new (parent, NULL));
  g_signal_connect (second, "done", G_CALLBACK (done_cb), &by_button);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (second)) == parent);
  gtk_window_present (GTK_WINDOW (second));
  test_ui_click (second, "Cancel");
  wait_until_done (&by_button);
  g_assert_null (by_button.result);

  gtk_window_destroy (parent);
}

static void
test_screenshots_light_and_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(TetherAddServerDialog) dialog = NULL;
  g_autoptr(TetherAddServerDialog) tall = NULL;
  Outcome outcome = { 0 };

  if (g_getenv ("TETHER_TEST_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("TETHER_TEST_SCREENSHOT_DIR is not set");
      return;
    }

  dialog = open_dialog (NULL, &outcome);
  type_into (dialog, "Server URL", "http://localhost:8000/mcp");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  test_ui_save_screenshot (dialog, "add-server-light.png", 300);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  test_ui_save_screenshot (dialog, "add-server-dark.png", 300);

  /* An inline error, as a person sees it. */
  type_into (dialog, "Server URL", "localhost:8000");
  test_ui_click (dialog, "Add Header");
  type_into (dialog, "Header", "Bad Header: 1");
  test_ui_save_screenshot (dialog, "add-server-errors-dark.png", 300);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  test_ui_save_screenshot (dialog, "add-server-errors-light.png", 300);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Everything at once, with the advanced rows open. */
  tall = open_dialog_sized (NULL, &outcome, 1000);
  type_into (tall, "Server URL", "https://mcp.example.com/mcp");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (test_ui_find (tall, "Advanced Authentication")), TRUE);
  test_ui_save_screenshot (tall, "add-server-full-light.png", 300);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  test_ui_save_screenshot (tall, "add-server-full-dark.png", 300);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (tall));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/add-server-dialog/input-checks", test_input_checks);
  g_test_add_func ("/add-server-dialog/every-control-has-its-name",
                   test_every_control_has_its_name);
  g_test_add_func ("/add-server-dialog/http-validation-and-result",
                   test_http_validation_and_result);
  g_test_add_func ("/add-server-dialog/stdio-validation-and-enter",
                   test_stdio_validation_and_enter);
  g_test_add_func ("/add-server-dialog/edit-prefills-and-keeps-id",
                   test_edit_prefills_and_keeps_id);
  g_test_add_func ("/add-server-dialog/saving-before-secrets-arrive-keeps-them",
                   test_saving_before_secrets_arrive_keeps_them);
  g_test_add_func ("/add-server-dialog/escape-and-cancel-give-nothing",
                   test_escape_and_cancel_give_nothing);
  g_test_add_func ("/add-server-dialog/screenshots-light-and-dark",
                   test_screenshots_light_and_dark);

  return g_test_run ();
}
