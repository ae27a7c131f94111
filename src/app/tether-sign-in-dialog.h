/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <webkit/webkit.h>

G_BEGIN_DECLS

/* What the dialog shows. */
typedef enum
{
  TETHER_SIGN_IN_PAGE_WEB,      /* the authorization server's pages */
  TETHER_SIGN_IN_PAGE_ERROR,    /* a page that could not be loaded, with Retry */
  TETHER_SIGN_IN_PAGE_BROWSER,  /* "Continue in your browser": the web view is gone */
} TetherSignInPage;

#define TETHER_TYPE_SIGN_IN_PAGE (tether_sign_in_page_get_type ())
GType tether_sign_in_page_get_type (void);

#define TETHER_TYPE_SIGN_IN_DIALOG (tether_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TetherSignInDialog, tether_sign_in_dialog, TETHER, SIGN_IN_DIALOG, AdwWindow)

/*
 * A modal window that shows an OAuth authorization request in a WebKitWebView and watches
 * where it goes. The first navigation to "redirect-uri" (same scheme, host, port and path) is
 * never loaded: the dialog emits ::redirect-reached with the full URI, query included, and the
 * handler closes it. Only http and https pages are shown; pages that want a new window open in
 * the same view; TLS errors are refused, never bypassed.
 *
 * The web view runs in a WebKitWebContext of its own, so its web process exists only while the
 * view does: switching to the system browser ("Open in Browser Instead", which opens
 * "authorization-url" with the desktop's default browser) or destroying the dialog ends it.
 *
 * Properties:
 *   "server-name"       (string, construct-only) shown as "Sign in to NAME";
 *   "authorization-url" (string, construct-only) the first page;
 *   "redirect-uri"      (string, construct-only) where the authorization server sends the answer;
 *   "network-session"   (WebKitNetworkSession, construct-only) NULL: an ephemeral one;
 *   "page"              (TetherSignInPage, read-only) what is shown.
 * Signals:
 *   ::redirect-reached (const char *uri)  emitted once, from the main loop (it may destroy
 *                                         the dialog);
 *   ::cancelled ()                        the person closed the dialog (Cancel, Escape, the
 *                                         window manager), or it was destroyed before the
 *                                         redirect was reached. Emitted at most once.
 */

TetherSignInDialog *tether_sign_in_dialog_new              (GtkWindow            *parent,
                                                            const char           *server_name,
                                                            const char           *authorization_url,
                                                            const char           *redirect_uri,
                                                            WebKitNetworkSession *session);
const char         *tether_sign_in_dialog_get_redirect_uri (TetherSignInDialog   *self);
const char         *tether_sign_in_dialog_get_authorization_url
                                                           (TetherSignInDialog   *self);
TetherSignInPage    tether_sign_in_dialog_get_page         (TetherSignInDialog   *self);
/* The view showing the pages; NULL once the dialog switched to the browser. */
WebKitWebView      *tether_sign_in_dialog_get_web_view     (TetherSignInDialog   *self);
/* FALSE hides "Open in Browser Instead" (nothing would receive the browser's redirect). */
void                tether_sign_in_dialog_set_browser_fallback
                                                           (TetherSignInDialog   *self,
                                                            gboolean              allowed);

G_END_DECLS
