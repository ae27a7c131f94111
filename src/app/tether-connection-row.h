/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tether-session.h"

G_BEGIN_DECLS

#define TETHER_TYPE_CONNECTION_ROW (tether_connection_row_get_type ())
G_DECLARE_FINAL_TYPE (TetherConnectionRow, tether_connection_row,
                      TETHER, CONNECTION_ROW, GtkListBoxRow)

/* A row of the sidebar: the connection's name, an icon for its transport and the session's
 * state (a spinner while connecting, the reason of a failure as tooltip). A secondary click,
 * a long press or Shift+F10 selects the row and opens the "connection.*" actions as a menu. */
/* @menu: the "connection.*" actions, shown by the context menu. */
GtkWidget     *tether_connection_row_new         (TetherSession       *session,
                                                  GMenuModel          *menu);
TetherSession *tether_connection_row_get_session (TetherConnectionRow *self);

G_END_DECLS
