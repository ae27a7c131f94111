/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherSession is split in two files that share this header: tether-session.c (state, tools,
 * calls, sign-out, the GObject) and tether-session-connect.c (transport, OAuth and the
 * connect sequence). */
#pragma once

#include "tether-session.h"

G_BEGIN_DECLS

struct _TetherSession
{
  GObject             parent_instance;

  TetherConnection   *connection;
  McpTokenStore      *token_store;
  McpAuthorizer      *authorizer;

  TetherSessionState  state;
  char               *reason;

  McpClient          *client;        /* connecting or connected */
  McpOAuth           *oauth;         /* kept across connects; rebuilt when the URL changes */

  JsonArray          *tools;
  gboolean            loading_tools;
  guint               tools_generation;

  GCancellable       *cancellable;   /* cancelled by disconnect */
  gboolean            signed_in;     /* the sign-in dialog opened during this connect */
};

/* tether-session.c */
void      tether_session_set_state         (TetherSession      *self,
                                            TetherSessionState  state,
                                            const char         *reason);
void      tether_session_set_tools         (TetherSession      *self,
                                            JsonArray          *tools);
void      tether_session_set_loading_tools (TetherSession      *self,
                                            gboolean            loading);
void      tether_session_list_tools        (TetherSession      *self);
void      tether_session_notify_client     (TetherSession      *self);
void      tether_session_emit_signed_in    (TetherSession      *self);

/* tether-session-connect.c */
McpOAuth *tether_session_ensure_oauth      (TetherSession      *self,
                                            const char         *client_secret);
void      tether_session_drop_client       (TetherSession      *self);
void      tether_session_watch_authorizer  (TetherSession      *self);

G_END_DECLS
