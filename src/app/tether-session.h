/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mcp-authorizer.h"
#include "mcp-client.h"
#include "mcp-token-store.h"
#include "tether-connection.h"

G_BEGIN_DECLS

typedef enum {
  TETHER_SESSION_STATE_DISCONNECTED,
  TETHER_SESSION_STATE_CONNECTING,
  TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN,  /* the server asked for authorization */
  TETHER_SESSION_STATE_CONNECTED,
  TETHER_SESSION_STATE_FAILED,               /* "reason" says why */
} TetherSessionState;

#define TETHER_TYPE_SESSION_STATE (tether_session_state_get_type ())
GType tether_session_state_get_type (void) G_GNUC_CONST;

#define TETHER_TYPE_SESSION (tether_session_get_type ())
G_DECLARE_FINAL_TYPE (TetherSession, tether_session, TETHER, SESSION, GObject)

/*
 * One live connection to the server a TetherConnection describes. Each connect builds a new
 * transport and McpClient from the connection's current settings (so an edit takes effect at
 * the next connect); OAuth connections share the McpOAuth of the session across connects, so
 * a token obtained once is used until it is refused.
 *
 * OAuth (auth mode "automatic"): the session's McpOAuth goes to the client
 * (mcp_client_set_oauth()), which takes a stored token before the first request and answers
 * every 401 or 403 by refreshing or signing in through the authorizer (the app's sign-in
 * dialog) and sending the request again. While the dialog is open during a connect the state
 * is WAITING_FOR_SIGN_IN.
 *
 * Properties:
 *   "connection"   (TetherConnection, construct-only)
 *   "token-store"  (McpTokenStore, construct-only) where OAuth tokens live
 *   "authorizer"   (McpAuthorizer, construct-only) drives the sign-in; may be NULL
 *   "state"        (TetherSessionState, read-only)
 *   "reason"       (string, read-only) why the state is FAILED (or what WAITING waits for),
 *                  written for a person; NULL otherwise
 *   "client"       (McpClient, read-only) the client while connected, else NULL
 *   "tools"        (JsonArray, read-only) the server's tools (each a JSON object), newest list;
 *                  NULL until listed
 *   "loading-tools" (boolean, read-only) a tools/list is under way
 *
 * Signals:
 *   ::error (const char *message)  a problem that does not end the connection (a failed
 *                                  tools/list), written for a person
 *   ::signed-in ()                 a connect that went through the sign-in dialog is done
 */

TetherSession      *tether_session_new               (TetherConnection     *connection,
                                                      McpTokenStore        *token_store,
                                                      McpAuthorizer        *authorizer);

TetherConnection   *tether_session_get_connection    (TetherSession        *self);
TetherSessionState  tether_session_get_state         (TetherSession        *self);
const char         *tether_session_get_reason        (TetherSession        *self);
McpClient          *tether_session_get_client        (TetherSession        *self);
JsonArray          *tether_session_get_tools         (TetherSession        *self);
gboolean            tether_session_get_loading_tools (TetherSession        *self);
/* Is the session connecting, waiting for sign-in or connected? */
gboolean            tether_session_get_active        (TetherSession        *self);

/* A short description of the state for a person, e.g. "Connecting…". */
const char         *tether_session_state_to_string   (TetherSessionState    state);

/* Starts connecting unless connecting or connected already; the outcome shows in "state". */
void                tether_session_connect           (TetherSession        *self);
/* Cancels what is under way and closes the connection; "state" becomes DISCONNECTED. */
void                tether_session_disconnect        (TetherSession        *self);
void                tether_session_reconnect         (TetherSession        *self);
/* Lists the tools again (a connected session does this by itself on list_changed). */
void                tether_session_refresh_tools     (TetherSession        *self);

/* tools/call with progress notifications (@progress_func may be NULL; @progress_data must
 * live until the call completes). A result with isError true is a success here. */
void                tether_session_call_tool_async   (TetherSession        *self,
                                                      const char           *name,
                                                      JsonObject           *arguments,
                                                      McpProgressFunc       progress_func,
                                                      gpointer              progress_data,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
JsonObject         *tether_session_call_tool_finish  (TetherSession        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Forgets the OAuth tokens of the server (registrations stay) and disconnects. */
void                tether_session_sign_out_async    (TetherSession        *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean            tether_session_sign_out_finish   (TetherSession        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
