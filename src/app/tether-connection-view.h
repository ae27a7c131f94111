/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tether-session.h"

G_BEGIN_DECLS

#define TETHER_TYPE_CONNECTION_VIEW (tether_connection_view_get_type ())
G_DECLARE_FINAL_TYPE (TetherConnectionView, tether_connection_view,
                      TETHER, CONNECTION_VIEW, GtkWidget)

/*
 * The main area for one connection. While the session is not connected it shows the state
 * and its reason, with a button for what to do next (the window's "connection.connect" and
 * "connection.disconnect" actions). Once connected it shows the server's tools; choosing one
 * shows its arguments form, and "tool.run" (Ctrl+Return) calls it, with progress and
 * "tool.cancel" (Escape) while it runs, then the result with the time taken and its size.
 *
 * Properties:
 *   "session" (TetherSession, construct-only)
 *   "running" (boolean, read-only) a tool call is under way
 */
GtkWidget     *tether_connection_view_new         (TetherSession        *session);
TetherSession *tether_connection_view_get_session (TetherConnectionView *self);
gboolean       tether_connection_view_get_running (TetherConnectionView *self);

G_END_DECLS
