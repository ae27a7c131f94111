/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWebAuthorizer and TetherSignInDialog against a small authorization server in this
 * process, with real WebKit web processes under Xvfb: how the answer comes back, the redirect
 * caught before the view loads it, or, through the system browser, at the loopback listener. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sign-in-test-util.h"
#include "test-ui.h"

/* ---- Driving the dialog as assistive technology would ------------------------------------- */

/* Buttons, entries and the like that have no accessible name. */
static void
collect_unnamed_controls (GtkWidget *widget,
                          GPtrArray *found)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if ((role == GTK_ACCESSIBLE_ROLE_BUTTON || role == GTK_ACCESSIBLE_ROLE_TEXT_BOX
       || role == GTK_ACCESSIBLE_ROLE_CHECKBOX || role == GTK_ACCESSIBLE_ROLE_SWITCH
       || role == GTK_ACCESSIBLE_ROLE_LINK || role == GTK_ACCESSIBLE_ROLE_PROGRESS_BAR)
      && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_ptr_array_add (found, widget);
  /* The web view is named; what is inside it is WebKit's (the page, and its own helpers). */
  if (WEBKIT_IS_WEB_VIEW (widget))
    {
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed_controls (child, found);
}

static void
assert_every_control_named (gpointer dialog)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_unnamed_controls (GTK_WIDGET (dialog), found);
  for (guint i = 0; i < found->len; i++)
    g_printerr ("# unnamed: %s\n", G_OBJECT_TYPE_NAME (g_ptr_array_index (found, i)));
  g_assert_cmpuint (found->len, ==, 0);
}

/* ---- The cases ---------------------------------------------------------------------------- */

static void
test_form_post_redirect_is_never_loaded (Fixture       *f,
                                         gconstpointer  data)
{
  TetherSignInDialog *dialog;
  g_autofree char *title = NULL;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_true (g_str_has_prefix (f->redirect_uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->redirect_uri, "/callback"));
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);

  title = run_in_page (f, "document.title");
  g_assert_cmpstr (title, ==, "Test sign-in");
  g_assert_cmpuint (f->as.authorize_requests, ==, 1);
  /* The web processes exist while the dialog is open... */
  g_assert_cmpuint (count_webkit_processes (), >, 0);
  /* ...and a person sees where they are. */
  test_ui_find_visible (dialog, "Cancel");
  test_ui_find_visible (dialog, "Open in Browser Instead");
  assert_every_control_named (dialog);
  test_ui_save_screenshot (dialog, "sign-in-form.png", 500);

  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.approve_requests, ==, 1);
  /* The policy decision kept the redirect from ever being requested. */
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_immediate_redirect_is_never_loaded (Fixture       *f,
                                         gconstpointer  data)
{
  auth_server_start (&f->as, AS_IMMEDIATE, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.authorize_requests, ==, 1);
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_error_redirect_is_delivered (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GHashTable) query = NULL;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('deny').click(); 'clicked'"));
  wait_for_result (f);

  /* An answer, not a failure: the flow reads error= and says what the server meant. */
  query = result_query (f);
  g_assert_cmpstr (g_hash_table_lookup (query, "error"), ==, "access_denied");
  g_assert_cmpstr (g_hash_table_lookup (query, "error_description"), ==, "The person declined");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, STATE);
  g_assert_false (g_hash_table_contains (query, "code"));
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
}

static void
test_new_window_opens_in_the_same_view (Fixture       *f,
                                        gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('new-window').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.approve_requests, ==, 1);
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
}

static gboolean
page_left_authorize (gpointer data)
{
  Fixture *f = data;
  WebKitWebView *view = tether_sign_in_dialog_get_web_view (f->dialog);

  return view == NULL || webkit_web_view_is_loading (view)
         || strstr (webkit_web_view_get_uri (view), "/authorize") == NULL;
}

static void
test_other_schemes_are_ignored (Fixture       *f,
                                gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "location.href = 'tether-test-scheme:elsewhere'; 'went'"));
  g_free (run_in_page (f, "location.href = 'file:///etc/hostname'; 'went'"));
  spin (500);
  /* Nowhere else, and no error page: the page is still the one it was. */
  g_assert_false (page_left_authorize (f));
  g_assert_cmpint (tether_sign_in_dialog_get_page (f->dialog), ==, TETHER_SIGN_IN_PAGE_WEB);
  g_assert_false (f->done);

  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);
  assert_code_delivered (f);
}

static gboolean
browser_was_asked (gpointer data)
{
  return g_file_test (browser_log, G_FILE_TEST_EXISTS);
}

static gboolean
browser_page_shown (gpointer data)
{
  Fixture *f = data;

  return f->done || tether_sign_in_dialog_get_page (f->dialog) == TETHER_SIGN_IN_PAGE_BROWSER;
}

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
} BrowserVisit;

static void
browser_visit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BrowserVisit *visit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  visit->status = soup_message_get_status (soup_session_get_async_result_message (
                                             SOUP_SESSION (source), result));
  visit->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  visit->done = TRUE;
}

static gboolean
visit_done (gpointer data)
{
  return ((BrowserVisit *) data)->done;
}

static void
test_open_in_browser_delivers_through_the_listener (Fixture       *f,
                                                    gconstpointer  data)
{
  TetherSignInDialog *dialog;
  g_autofree char *opened = NULL;
  g_autoptr(SoupSession) browser = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  BrowserVisit visit = { 0, };

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_click (dialog, "Open in Browser Instead");
  wait_for (browser_page_shown, f, 30, "the “Continue in your browser” page");
  g_assert_false (f->done);
  /* The embedded view, and its web process, are gone. */
  g_assert_null (tether_sign_in_dialog_get_web_view (dialog));
  assert_webkit_processes_gone ();
  g_assert_cmpstr (adw_status_page_get_title (shown_status_page (dialog)), ==,
                   "Continue in Your Browser");
  test_ui_find_visible (dialog, "Open the Browser Again");
  test_ui_find_visible (dialog, "Cancel");
  test_ui_save_screenshot (dialog, "sign-in-browser.png", 500);

  /* The desktop's default browser (ours records what it was given) got the authorization URL. */
  wait_for (browser_was_asked, NULL, 30, "the browser to be started");
  g_assert_true (g_file_get_contents (browser_log, &opened, NULL, NULL));
  g_strchomp (opened);
  g_assert_true (g_str_has_prefix (opened, f->as.base));
  g_assert_nonnull (strstr (opened, "/authorize?"));

  /* The browser goes there; the server redirects it to the listener. */
  browser = soup_session_new_with_options ("user-agent", TEST_BROWSER_USER_AGENT, NULL);
  msg = soup_message_new ("GET", opened);
  soup_session_send_and_read_async (browser, msg, G_PRIORITY_DEFAULT, NULL, browser_visit_cb,
                                    &visit);
  wait_for (visit_done, &visit, 30, "the browser's visit");
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (visit.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (visit.body, "close this tab"));
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 1);
  assert_dialog_gone (f);
  g_free (visit.body);
  g_unlink (browser_log);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (sign_in_test_act_as_browser (argc, argv, &status))
    return status;
  sign_in_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sign-in/form-post-redirect-is-never-loaded", test_form_post_redirect_is_never_loaded);
  ADD ("/sign-in/immediate-redirect-is-never-loaded", test_immediate_redirect_is_never_loaded);
  ADD ("/sign-in/error-redirect-is-delivered-as-a-uri", test_error_redirect_is_delivered);
  ADD ("/sign-in/new-window-opens-in-the-same-view", test_new_window_opens_in_the_same_view);
  ADD ("/sign-in/other-schemes-are-ignored", test_other_schemes_are_ignored);
  ADD ("/sign-in/open-in-browser-delivers-through-the-listener",
       test_open_in_browser_delivers_through_the_listener);
#undef ADD

  return sign_in_test_run ();
}
