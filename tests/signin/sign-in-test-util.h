/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the sign-in tests (test-sign-in-*.c): a TetherWebAuthorizer, the sign-in it runs
 * against sign-in-test-server, waiting on it, looking into its dialog and page, and checking
 * what came back; and the run itself: XDG homes of its own and a stand-in for the desktop's
 * browser. Every program calls, in main():
 *   if (sign_in_test_act_as_browser (argc, argv, &status)) return status;
 *   sign_in_test_init (&argc, &argv); ... g_test_add (...) ...; return sign_in_test_run (); */
#pragma once

#include <adwaita.h>

#include "sign-in-test-server.h"
#include "tether-web-authorizer.h"

G_BEGIN_DECLS

extern char *test_home;      /* XDG_*_HOME of this run */
extern char *browser_log;    /* what the "system browser" was asked to open */

/* ---- Waiting ---- */

typedef gboolean (*Condition) (gpointer data);

/* Runs the main context until @condition holds; fails the test after @seconds, naming @what. */
void wait_for (Condition    condition,
               gpointer     data,
               guint        seconds,
               const char  *what);
void spin     (guint        milliseconds);

/* ---- The sign-in under test ---- */

typedef struct
{
  AuthServer           as;
  TetherWebAuthorizer *authorizer;
  char                 *redirect_uri;
  TetherSignInDialog   *dialog;      /* weak */
  gboolean              done;
  char                 *result;
  GError               *error;
} Fixture;

void                fixture_set_up    (Fixture       *f,
                                       gconstpointer  data);
void                fixture_tear_down (Fixture       *f,
                                       gconstpointer  data);
/* Starts the authorization against f->as; returns the dialog it opened (f->dialog, weak). */
TetherSignInDialog *start_sign_in     (Fixture       *f,
                                       GCancellable  *cancellable);
void                wait_for_result   (Fixture       *f);
/* Until the server's page is loaded in the view (fails if the sign-in finished first). */
void                wait_for_page     (Fixture       *f);
/* Runs @code in the page (AT-SPI cannot reach page content) and returns its value as text. */
char               *run_in_page       (Fixture       *f,
                                       const char    *code);
/* The dialog is destroyed, released and not among the toplevels. */
void                assert_dialog_gone (Fixture      *f);

/* ---- WebKit's processes ---- */

/* Processes below this one whose name starts with "WebKit". */
guint count_webkit_processes       (void);
void  assert_webkit_processes_gone (void);

/* ---- What the dialog shows, and what came back ---- */

/* The status page on screen, for what it says. */
AdwStatusPage *shown_status_page     (gpointer  dialog);
/* The query of the redirect URI the sign-in completed with. */
GHashTable    *result_query          (Fixture  *f);
/* The sign-in completed with CODE, STATE and the server's issuer. */
void           assert_code_delivered (Fixture  *f);

/* ---- The run ---- */

/* When this program was started as the desktop's browser (--browser URL), records URL and
 * returns TRUE with the exit status in @status. */
gboolean sign_in_test_act_as_browser (int      argc,
                                      char   **argv,
                                      int     *status);
/* XDG homes and the test browser of this run, then GTK and libadwaita. */
void     sign_in_test_init           (int     *argc,
                                      char  ***argv);
/* Runs the tests, removes the run's homes, and returns the status for main(). */
int      sign_in_test_run            (void);

G_END_DECLS
