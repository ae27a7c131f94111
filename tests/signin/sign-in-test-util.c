/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the sign-in tests: see sign-in-test-util.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sign-in-test-util.h"
#include "test-files.h"

char *test_home;
char *browser_log;

/* ---- Waiting ----------------------------------------------------------------------------- */

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
wait_for (Condition    condition,
          gpointer     data,
          guint        seconds,
          const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

void
spin (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * 1000;
  guint tick = g_timeout_add (10, wake, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* ---- The sign-in under test -------------------------------------------------------------- */

static gboolean fatal_log_handler (const char     *log_domain,
                                   GLogLevelFlags  log_level,
                                   const char     *message,
                                   gpointer        user_data);

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* GLib forgets the handler before each test. */
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);

  f->authorizer = tether_web_authorizer_new ();
  tether_web_authorizer_set_server_name (f->authorizer, "Test Server");
  f->redirect_uri = mcp_authorizer_prepare (MCP_AUTHORIZER (f->authorizer), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->redirect_uri);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->authorizer), (gpointer *) &f->authorizer);
  g_object_unref (f->authorizer);
  g_assert_null (f->authorizer);
  auth_server_stop (&f->as);
  g_free (f->redirect_uri);
  g_free (f->result);
  g_clear_error (&f->error);
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_false (f->done);
  f->result = mcp_authorizer_authorize_finish (MCP_AUTHORIZER (source), result, &f->error);
  f->done = TRUE;
}

TetherSignInDialog *
start_sign_in (Fixture      *f,
               GCancellable *cancellable)
{
  g_autofree char *url = authorization_url (&f->as, f->redirect_uri);

  f->done = FALSE;
  g_clear_pointer (&f->result, g_free);
  g_clear_error (&f->error);
  mcp_authorizer_authorize_async (MCP_AUTHORIZER (f->authorizer), url, f->redirect_uri,
                                  cancellable, authorized_cb, f);
  f->dialog = tether_web_authorizer_get_dialog (f->authorizer);
  g_assert_nonnull (f->dialog);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->dialog)), ==, "Sign in to Test Server");
  return f->dialog;
}

static gboolean
fixture_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

void
wait_for_result (Fixture *f)
{
  wait_for (fixture_done, f, 60, "the sign-in to complete");
}

static gboolean
page_is_loaded (gpointer data)
{
  Fixture *f = data;
  WebKitWebView *view = f->dialog != NULL ? tether_sign_in_dialog_get_web_view (f->dialog) : NULL;

  return f->done
         || (view != NULL && !webkit_web_view_is_loading (view)
             && webkit_web_view_get_uri (view) != NULL
             && g_str_has_prefix (webkit_web_view_get_uri (view), f->as.base));
}

void
wait_for_page (Fixture *f)
{
  wait_for (page_is_loaded, f, 60, "the authorization page to load");
  g_assert_false (f->done);
  g_assert_cmpint (tether_sign_in_dialog_get_page (f->dialog), ==, TETHER_SIGN_IN_PAGE_WEB);
}

typedef struct
{
  gboolean  done;
  char     *value;
  GError   *error;
} Script;

static void
script_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Script *script = user_data;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source),
                                                                          result, &script->error);

  if (value != NULL)
    script->value = jsc_value_to_string (value);
  script->done = TRUE;
}

static gboolean
script_done (gpointer data)
{
  return ((Script *) data)->done;
}

/* Runs @code in the page (AT-SPI cannot reach page content) and returns its value as text. */
char *
run_in_page (Fixture    *f,
             const char *code)
{
  Script script = { 0, };

  webkit_web_view_evaluate_javascript (tether_sign_in_dialog_get_web_view (f->dialog), code, -1,
                                       NULL, NULL, NULL, script_cb, &script);
  wait_for (script_done, &script, 30, code);
  g_assert_no_error (script.error);
  return script.value;
}

static gboolean
dialog_finalized (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

/* The dialog is destroyed, released and not among the toplevels. */
void
assert_dialog_gone (Fixture *f)
{
  g_autoptr(GListModel) toplevels = NULL;

  g_assert_null (tether_web_authorizer_get_dialog (f->authorizer));
  wait_for (dialog_finalized, f, 10, "the dialog to be finalized");
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      g_assert_false (TETHER_IS_SIGN_IN_DIALOG (window));
    }
}

/* ---- WebKit's processes ------------------------------------------------------------------ */

/* Processes below this one whose name starts with "WebKit" (web and network processes, also
 * those inside the bubblewrap sandbox). */
guint
count_webkit_processes (void)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) webkit = g_ptr_array_new ();
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren, *open_paren;
      int pid, ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      open_paren = strchr (stat, '(');
      close_paren = strrchr (stat, ')');
      if (open_paren == NULL || close_paren == NULL
          || sscanf (close_paren + 2, "%*c %d", &ppid) != 1)
        continue;
      pid = atoi (name);
      g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
      if (g_str_has_prefix (open_paren + 1, "WebKit"))
        g_ptr_array_add (webkit, GINT_TO_POINTER (pid));
    }
  for (guint i = 0; i < webkit->len; i++)
    {
      int pid = GPOINTER_TO_INT (g_ptr_array_index (webkit, i));

      for (guint depth = 0; pid > 1 && depth < 16; depth++)
        {
          pid = GPOINTER_TO_INT (g_hash_table_lookup (parents, GINT_TO_POINTER (pid)));
          if (pid == getpid ())
            {
              count++;
              break;
            }
        }
    }
  return count;
}

static gboolean
no_webkit_processes (gpointer data)
{
  return count_webkit_processes () == 0;
}

void
assert_webkit_processes_gone (void)
{
  wait_for (no_webkit_processes, NULL, 20, "WebKit's processes to exit");
}

/* ---- What the dialog shows ---------------------------------------------------------------- */

static void
collect_status_pages (GtkWidget *widget,
                      GPtrArray *found)
{
  if (ADW_IS_STATUS_PAGE (widget) && gtk_widget_is_drawable (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_status_pages (child, found);
}

/* The status page on screen, for what it says. */
AdwStatusPage *
shown_status_page (gpointer dialog)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_status_pages (GTK_WIDGET (dialog), found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* ---- Checks on the result ----------------------------------------------------------------- */

GHashTable *
result_query (Fixture *f)
{
  const char *query;

  g_assert_no_error (f->error);
  g_assert_nonnull (f->result);
  g_assert_true (mcp_authorizer_uri_matches_redirect (f->result, f->redirect_uri));
  query = strchr (f->result, '?');
  g_assert_nonnull (query);
  return soup_form_decode (query + 1);
}

void
assert_code_delivered (Fixture *f)
{
  g_autoptr(GHashTable) query = result_query (f);

  g_assert_cmpstr (g_hash_table_lookup (query, "code"), ==, CODE);
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (query, "iss"), ==, f->as.base);
}

/* ---- The run ------------------------------------------------------------------------------ */

/* The desktop's default web browser, for this run: this program with --browser URL, which
 * writes URL to $TETHER_TEST_BROWSER_LOG (the test then plays the browser itself). */
static void
install_test_browser (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *applications = g_build_filename (test_home, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (test_home, "config", NULL);
  g_autofree char *desktop_path = g_build_filename (applications, "tether-test-browser.desktop",
                                                    NULL);
  g_autofree char *mimeapps_path = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *desktop = NULL;
  g_autoptr(GError) error = NULL;
  static const char mimeapps[] =
    "[Default Applications]\n"
    "x-scheme-handler/http=tether-test-browser.desktop\n"
    "x-scheme-handler/https=tether-test-browser.desktop\n";

  g_assert_nonnull (self);
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                             "Exec=\"%s\" --browser %%u\n"
                             "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n"
                             "NoDisplay=true\n", self);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_file_set_contents (desktop_path, desktop, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps_path, mimeapps, -1, &error);
  g_assert_no_error (error);
}

/* GL is off in these tests (GDK_DEBUG=gl-disable: the same pixels everywhere, no Mesa in the
 * sanitized process), and WebKit says so once, as a warning without a log domain; every other
 * warning stays fatal. GLib hands the message to the domain's handler, then asks the test's
 * fatal handler whether to abort. */
static gboolean
is_expected_warning (GLogLevelFlags  log_level,
                     const char     *message)
{
  return (log_level & G_LOG_LEVEL_WARNING) && message != NULL
         && g_str_has_prefix (message, "Disabled hardware acceleration because GTK failed to "
                                       "initialize GL: GL support disabled via GDK_DEBUG");
}

static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return !is_expected_warning (log_level, message);
}

static void
no_domain_log_handler (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  if (is_expected_warning (log_level, message))
    g_test_message ("Expected warning: %s", message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

/* Started as the desktop's browser by the open-in-browser case. */
gboolean
sign_in_test_act_as_browser (int    argc,
                             char **argv,
                             int   *status)
{
  if (argc == 3 && g_str_equal (argv[1], "--browser"))
    {
      const char *log = g_getenv ("TETHER_TEST_BROWSER_LOG");
      g_autofree char *line = g_strconcat (argv[2], "\n", NULL);

      *status = log != NULL && g_file_set_contents (log, line, -1, NULL) ? 0 : 1;
      return TRUE;
    }
  return FALSE;
}

void
sign_in_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;

  /* Before GTK, GIO or WebKit read them: settings, data, cookies and the default browser of
   * this run live in a folder of its own. */
  test_home = g_dir_make_tmp ("tether-sign-in-test-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const struct { const char *variable, *folder; } homes[] = {
      { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
      { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (homes); i++)
      {
        g_autofree char *path = g_build_filename (test_home, homes[i].folder, NULL);

        g_setenv (homes[i].variable, path, TRUE);
      }
  }
  browser_log = g_build_filename (test_home, "browser.log", NULL);
  g_setenv ("TETHER_TEST_BROWSER_LOG", browser_log, TRUE);
  install_test_browser ();

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* Warnings come flagged fatal (g_test_init): the handler must take that flag too. */
  g_log_set_handler (NULL, G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, no_domain_log_handler, NULL);
}

int
sign_in_test_run (void)
{
  int status;

  status = g_test_run ();
  test_files_remove_tree (test_home);
  g_free (test_home);
  g_free (browser_log);
  return status;
}
