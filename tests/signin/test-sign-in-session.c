/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWebAuthorizer and TetherSignInDialog against a small authorization server in this
 * process, with real WebKit web processes under Xvfb: what the web session keeps from one
 * sign-in to the next (nothing, unless remember-sign-in is on). */
#include "config.h"

#include "sign-in-test-util.h"
#include "tether-application.h"

/* ---- The cases ---------------------------------------------------------------------------- */

/* Twice in a row; returns whether the second visit to /authorize carried the first's cookie. */
static gboolean
sign_in_twice (Fixture *f)
{
  for (int i = 0; i < 2; i++)
    {
      start_sign_in (f, NULL);
      wait_for_page (f);
      g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
      wait_for_result (f);
      assert_code_delivered (f);
      assert_dialog_gone (f);
      if (i == 0)
        g_assert_false (f->as.cookie_seen);
      assert_webkit_processes_gone ();
    }
  return f->as.cookie_seen;
}

static void
test_ephemeral_session_forgets (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *session_dir = tether_web_authorizer_dup_session_dir ();

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_false (sign_in_twice (f));
  g_assert_false (g_file_test (session_dir, G_FILE_TEST_EXISTS));
}

static void
test_remember_sign_in_keeps_cookies (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  g_autofree char *session_dir = tether_web_authorizer_dup_session_dir ();
  g_autofree char *cookies = g_build_filename (session_dir, "data", "cookies.sqlite", NULL);

  g_assert_true (g_str_has_prefix (session_dir, test_home));
  g_settings_set_boolean (settings, "remember-sign-in", TRUE);
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_true (sign_in_twice (f));
  g_assert_true (g_file_test (cookies, G_FILE_TEST_IS_REGULAR));
  g_settings_reset (settings, "remember-sign-in");
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
  ADD ("/sign-in/ephemeral-session-forgets", test_ephemeral_session_forgets);
  ADD ("/sign-in/remember-sign-in-keeps-cookies", test_remember_sign_in_keeps_cookies);
#undef ADD

  return sign_in_test_run ();
}
