/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mcp-authorizer.h"
#include "mcp-redirect-listener.h"
#include "tether-sign-in-dialog.h"

G_BEGIN_DECLS

#define TETHER_WEB_AUTHORIZER_PATH MCP_REDIRECT_LISTENER_PATH
#define TETHER_WEB_AUTHORIZER_DEFAULT_TIMEOUT 600   /* seconds */

#define TETHER_WEB_AUTHORIZER_ERROR (tether_web_authorizer_error_quark ())

typedef enum
{
  TETHER_WEB_AUTHORIZER_ERROR_TIMED_OUT,   /* no redirect within "timeout" */
  TETHER_WEB_AUTHORIZER_ERROR_BUSY,        /* another sign-in is open */
} TetherWebAuthorizerError;

GQuark tether_web_authorizer_error_quark (void);

#define TETHER_TYPE_WEB_AUTHORIZER (tether_web_authorizer_get_type ())
G_DECLARE_FINAL_TYPE (TetherWebAuthorizer, tether_web_authorizer, TETHER, WEB_AUTHORIZER, GObject)

/*
 * The application's McpAuthorizer: the person signs in inside a TetherSignInDialog, which
 * catches the authorization server's redirect before it is loaded.
 *
 * prepare() listens on 127.0.0.1 (the port of the redirect URI registered before when it is
 * still free, else one the kernel picks) and returns http://127.0.0.1:PORT/callback. The web
 * view never loads that address; the listener is there for the system browser ("Open in
 * Browser Instead") and for anything the view would let through. It listens until the
 * authorizer is disposed or prepare() needs another port.
 *
 * authorize_async() opens the dialog, transient for "transient-for" or else the active window
 * of the default GtkApplication, on an ephemeral WebKitNetworkSession, or on a persistent one
 * under $XDG_DATA_HOME/tether/web-session when the GSettings key "remember-sign-in" is on. It
 * completes with the URI the redirect went to (query included; the flow checks state, iss,
 * code and error), with G_IO_ERROR_CANCELLED when the person closes the dialog or the
 * GCancellable is cancelled, or with TETHER_WEB_AUTHORIZER_ERROR_TIMED_OUT after "timeout"
 * seconds. The dialog, and with it every web process, is gone when the operation completes.
 *
 * Properties:
 *   "server-name"       (string) shown as "Sign in to NAME"; NULL: the authorization host;
 *   "transient-for"     (GtkWindow) the dialog's parent (held weakly);
 *   "timeout"           (guint) seconds before giving up, 0: never;
 *   "port"              (guint, read-only) the port listened on, 0 before prepare();
 *   "callback-requests" (guint, read-only) requests the listener has received;
 *   "dialog"            (TetherSignInDialog, read-only) the open dialog, or NULL.
 */

TetherWebAuthorizer *tether_web_authorizer_new                   (void);
void                 tether_web_authorizer_set_server_name       (TetherWebAuthorizer *self,
                                                                  const char          *name);
const char          *tether_web_authorizer_get_server_name       (TetherWebAuthorizer *self);
void                 tether_web_authorizer_set_transient_for     (TetherWebAuthorizer *self,
                                                                  GtkWindow           *parent);
void                 tether_web_authorizer_set_timeout           (TetherWebAuthorizer *self,
                                                                  guint                seconds);
guint                tether_web_authorizer_get_timeout           (TetherWebAuthorizer *self);
guint                tether_web_authorizer_get_port              (TetherWebAuthorizer *self);
guint                tether_web_authorizer_get_callback_requests (TetherWebAuthorizer *self);
TetherSignInDialog  *tether_web_authorizer_get_dialog            (TetherWebAuthorizer *self);

/* Where a remembered sign-in session keeps its cookies and cache. */
char                *tether_web_authorizer_dup_session_dir       (void);

G_END_DECLS
