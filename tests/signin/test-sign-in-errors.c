/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWebAuthorizer and TetherSignInDialog against a small authorization server in this
 * process, with real WebKit web processes under Xvfb: the error pages (an untrusted
 * certificate, a server not there, a web process that stopped) and Retry. */
#include "config.h"

#include <string.h>

#include "sign-in-test-util.h"
#include "test-ui.h"

/* ---- The cases ---------------------------------------------------------------------------- */

static gboolean
error_page_shown (gpointer data)
{
  Fixture *f = data;

  return f->done || tether_sign_in_dialog_get_page (f->dialog) == TETHER_SIGN_IN_PAGE_ERROR;
}

static void
test_tls_errors_are_refused (Fixture       *f,
                             gconstpointer  data)
{
  TetherSignInDialog *dialog;
  AdwStatusPage *status;

  auth_server_start (&f->as, AS_FORM, 0, TRUE);
  dialog = start_sign_in (f, NULL);
  wait_for (error_page_shown, f, 60, "the TLS error page");
  g_assert_false (f->done);

  status = shown_status_page (dialog);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Connection Not Secure");
  g_assert_nonnull (strstr (adw_status_page_get_description (status),
                            "not issued by a trusted authority"));
  /* Never bypassed: no request got through the handshake. */
  g_assert_cmpuint (f->as.authorize_requests, ==, 0);
  test_ui_find_visible (dialog, "Retry");
  test_ui_save_screenshot (dialog, "sign-in-tls-error.png", 500);

  test_ui_click (dialog, "Cancel");
  wait_for_result (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->as.authorize_requests, ==, 0);
  assert_dialog_gone (f);
}

static void
test_load_failure_then_retry (Fixture       *f,
                              gconstpointer  data)
{
  TetherSignInDialog *dialog;
  AdwStatusPage *status;
  g_autofree char *where = NULL;
  g_autoptr(GUri) base = NULL;
  guint port;

  /* A port nothing listens on, for now. */
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  base = g_uri_parse (f->as.base, G_URI_FLAGS_NONE, NULL);
  port = g_uri_get_port (base);
  soup_server_disconnect (f->as.server);
  g_clear_object (&f->as.server);

  dialog = start_sign_in (f, NULL);
  wait_for (error_page_shown, f, 60, "the error page");
  g_assert_false (f->done);
  status = shown_status_page (dialog);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Could Not Load the Page");
  where = g_strdup_printf ("127.0.0.1:%u/authorize", port);
  g_assert_nonnull (strstr (adw_status_page_get_description (status), where));
  test_ui_save_screenshot (dialog, "sign-in-load-error.png", 500);

  /* The server comes up; Retry finds it. */
  auth_server_stop (&f->as);
  auth_server_start (&f->as, AS_FORM, port, FALSE);
  test_ui_click (dialog, "Retry");
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  assert_dialog_gone (f);
}

static void
test_stopped_page_can_be_retried (Fixture       *f,
                                  gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  webkit_web_view_terminate_web_process (tether_sign_in_dialog_get_web_view (dialog));
  wait_for (error_page_shown, f, 30, "the error page");
  g_assert_cmpstr (adw_status_page_get_title (shown_status_page (dialog)), ==,
                   "The Page Stopped Working");

  test_ui_click (dialog, "Retry");
  wait_for_page (f);
  g_assert_cmpuint (f->as.authorize_requests, ==, 2);
  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);
  assert_code_delivered (f);
  assert_dialog_gone (f);
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
  ADD ("/sign-in/tls-errors-are-refused", test_tls_errors_are_refused);
  ADD ("/sign-in/load-failure-then-retry", test_load_failure_then_retry);
  ADD ("/sign-in/stopped-page-can-be-retried", test_stopped_page_can_be_retried);
#undef ADD

  return sign_in_test_run ();
}
