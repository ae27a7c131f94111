/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-connection.h"

G_BEGIN_DECLS

/* Shared by the files of TetherConnection: tether-connection.c and tether-connection-json.c. */
JsonObject *tether_connection_get_unknown_members  (TetherConnection *self);
void        tether_connection_take_unknown_members (TetherConnection *self,
                                                    JsonObject       *members);

G_END_DECLS
