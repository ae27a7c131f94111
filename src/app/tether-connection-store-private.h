/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tether-connection-store.h"

G_BEGIN_DECLS

/* Shared by tether-connection-store.c (the list and when to save) and
 * tether-connection-store-file.c (what is on disk). The file functions block: they run in a
 * GTask thread and touch nothing but their arguments. */

typedef struct
{
  GPtrArray  *connections;      /* of TetherConnection */
  JsonObject *unknown_members;  /* top-level members this version does not know, or NULL */
  GError     *problem;          /* to tell the person; the list is usable anyway */
  gboolean    writable;         /* FALSE: the file is still there and must not be overwritten */
} TetherConnectionStoreContents;

void                           tether_connection_store_contents_free (gpointer data);

/* A missing file is an empty list; an unparsable one is moved aside. NULL (with @error) only
 * when cancelled. */
TetherConnectionStoreContents *tether_connection_store_read_file  (GFile         *file,
                                                                   GCancellable  *cancellable,
                                                                   GError       **error);
GBytes                        *tether_connection_store_serialize  (GPtrArray     *connections,
                                                                   JsonObject    *unknown_members);
/* Atomically replaces @file (creating its folder), keeping the old one as FILE~. */
gboolean                       tether_connection_store_write_file (GFile         *file,
                                                                   GBytes        *contents,
                                                                   GCancellable  *cancellable,
                                                                   GError       **error);

G_END_DECLS
