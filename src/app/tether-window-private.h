/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-token-store.h"
#include "tether-connection-store.h"
#include "tether-session.h"
#include "tether-window.h"

G_BEGIN_DECLS

struct _TetherWindow
{
  AdwApplicationWindow    parent_instance;

  GSettings              *settings;
  TetherConnectionStore  *store;
  McpTokenStore          *token_store;
  GHashTable             *sessions;     /* connection id -> TetherSession */
  GCancellable           *cancellable;  /* cancelled when the window goes away */
  TetherSession          *selected;     /* the session of the selected row, or NULL */

  /* Template children */
  AdwToastOverlay        *toast_overlay;
  AdwLeaflet             *leaflet;
  GtkStack               *sidebar_stack;
  GtkListBox             *connection_list;
  GtkStack               *content_stack;
  AdwStatusPage          *content_status;
  AdwWindowTitle         *content_title;
  GtkButton              *connect_button;
  GtkButton              *disconnect_button;
  GtkMenuButton          *connection_menu_button;
  GMenuModel             *connection_menu;
};

/* tether-window.c */
void           tether_window_show_toast         (TetherWindow     *self,
                                                 const char       *title);
TetherSession *tether_window_ensure_session     (TetherWindow     *self,
                                                 TetherConnection *connection);
void           tether_window_forget_session     (TetherWindow     *self,
                                                 TetherConnection *connection);
void           tether_window_select_connection  (TetherWindow     *self,
                                                 TetherConnection *connection);
void           tether_window_update_actions     (TetherWindow     *self);

/* tether-window-actions.c: the "win.add-server" and "connection.*" actions. */
void           tether_window_class_add_actions  (GtkWidgetClass   *widget_class);

G_END_DECLS
