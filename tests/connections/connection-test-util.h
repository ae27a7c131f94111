/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the connection store and connection secrets tests. */
#pragma once

#include <gio/gio.h>

#include "tether-connection-store.h"

G_BEGIN_DECLS

/* Every test works below this folder, which is also $XDG_CONFIG_HOME (set by main()). */
extern char *config_home;

void                    result_cb (GObject *source,
                                   GAsyncResult *result,
                                   gpointer user_data);
GAsyncResult *          wait_for (GAsyncResult **slot);
GFile *                 test_file (const char *folder);
TetherConnectionStore * load_store (GFile *file,
                                    GError **error);
void                    wait_until_gone (gpointer *pointer);
gboolean                save_store (TetherConnectionStore *store,
                                    GError **error);
char *                  read_file (GFile *file);
void                    write_file (GFile *file,
                                    const char *contents);
GStrv                   list_folder (GFile *file);
TetherConnection *      make_http (const char *name);
TetherConnection *      make_stdio (const char *name);
void                    assert_same_settings (TetherConnection *a,
                                              TetherConnection *b,
                                              gboolean same_id);
TetherConnection *      item (TetherConnectionStore *store,
                              guint position);

G_END_DECLS
