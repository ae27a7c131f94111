/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tether-connection.h"

G_BEGIN_DECLS

#define TETHER_TYPE_ADD_SERVER_DIALOG (tether_add_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TetherAddServerDialog, tether_add_server_dialog,
                      TETHER, ADD_SERVER_DIALOG, AdwWindow)

/* A modal dialog that adds a server (@existing NULL) or edits @existing, which it never
 * changes. Present it and connect to "done":
 *
 *   void on_done (TetherAddServerDialog *dialog, TetherConnection *result, gpointer data);
 *
 * @result is NULL when the person cancelled; otherwise a new connection (Add) or a copy of
 * @existing with the same id holding the edits (Save), to give to
 * tether_connection_store_add() or tether_connection_store_update(). Its bearer token and
 * client secret are already in the keyring when "done" is emitted. The dialog destroys
 * itself right after "done". */
TetherAddServerDialog *tether_add_server_dialog_new         (GtkWindow             *parent,
                                                             TetherConnection      *existing);
TetherConnection      *tether_add_server_dialog_get_existing (TetherAddServerDialog *self);
/* FALSE when a secret went to memory only because no keyring answered (valid in "done"). */
gboolean               tether_add_server_dialog_get_secrets_persistent
                                                            (TetherAddServerDialog *self);

G_END_DECLS
