/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWebAuthorizer and TetherSignInDialog against a small authorization server in this
 * process, with real WebKit web processes under Xvfb: a sign-in given up, by the person (Cancel,
 * Escape), by the caller (its GCancellable) or by the timeout. */
#include "config.h"

#include <string.h>

#include "sign-in-test-util.h"
#include "test-ui.h"

/* ---- The cases ---------------------------------------------------------------------------- */

static void
test_cancel_button_cancels (Fixture       *f,
                            gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_click (dialog, "Cancel");
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f->result);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_escape_cancels (Fixture       *f,
                     gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_press_key (dialog, GDK_KEY_Escape);
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dialog_gone (f);
}

static void
test_cancellable_closes_the_dialog (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, cancellable);
  wait_for_page (f);
  g_cancellable_cancel (cancellable);
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dialog_gone (f);
}

static void
test_timeout_gives_up (Fixture       *f,
                       gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  tether_web_authorizer_set_timeout (f->authorizer, 2);
  start_sign_in (f, NULL);
  wait_for_result (f);

  g_assert_error (f->error, TETHER_WEB_AUTHORIZER_ERROR, TETHER_WEB_AUTHORIZER_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (f->error->message, f->redirect_uri));
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
  ADD ("/sign-in/cancel-button-cancels", test_cancel_button_cancels);
  ADD ("/sign-in/escape-cancels", test_escape_cancels);
  ADD ("/sign-in/cancellable-closes-the-dialog", test_cancellable_closes_the_dialog);
  ADD ("/sign-in/timeout-gives-up", test_timeout_gives_up);
#undef ADD

  return sign_in_test_run ();
}
