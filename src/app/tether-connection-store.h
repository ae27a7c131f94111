/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tether-connection.h"

G_BEGIN_DECLS

/* The "version" field written to connections.json. Files with a higher version are read as
 * far as this version understands them; what it does not know is kept and written back. */
#define TETHER_CONNECTION_STORE_FORMAT_VERSION 1

#define TETHER_CONNECTION_STORE_ERROR (tether_connection_store_error_quark ())
GQuark tether_connection_store_error_quark (void);

typedef enum {
  TETHER_CONNECTION_STORE_ERROR_CORRUPT,     /* unparsable: moved aside, the list starts empty */
  TETHER_CONNECTION_STORE_ERROR_READ,        /* unreadable: left alone, and never overwritten */
  TETHER_CONNECTION_STORE_ERROR_WRITE,       /* a save failed; the connections stay in memory */
  TETHER_CONNECTION_STORE_ERROR_NOT_LOADED,  /* saving before loading would overwrite the file */
} TetherConnectionStoreError;

#define TETHER_TYPE_CONNECTION_STORE (tether_connection_store_get_type ())
G_DECLARE_FINAL_TYPE (TetherConnectionStore, tether_connection_store,
                      TETHER, CONNECTION_STORE, GObject)

/* A GListModel of TetherConnection, saved to @file (NULL: $XDG_CONFIG_HOME/tether/
 * connections.json). Every change is saved by itself a moment later (several changes in a
 * row make one write), once the file has been loaded. */
TetherConnectionStore *tether_connection_store_new           (GFile                  *file);
GFile                 *tether_connection_store_get_file      (TetherConnectionStore  *self);

/* Reads the file. FALSE with an error when something must be told to the person (the
 * message is written for them): the list is usable in every case. */
void                   tether_connection_store_load_async    (TetherConnectionStore  *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               tether_connection_store_load_finish   (TetherConnectionStore  *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
gboolean               tether_connection_store_get_loaded    (TetherConnectionStore  *self);
/* The message of the last load's problem, or NULL. */
const char            *tether_connection_store_get_load_error (TetherConnectionStore *self);
/* TRUE from a change until it is on disk. */
gboolean               tether_connection_store_get_dirty     (TetherConnectionStore  *self);

/* Writes now instead of after the delay, e.g. before quitting. Background saves report
 * their failures through the "error" signal instead. */
void                   tether_connection_store_save_async    (TetherConnectionStore  *self,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean               tether_connection_store_save_finish   (TetherConnectionStore  *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

/* Returns the position of the new connection (at the end). */
guint                  tether_connection_store_add           (TetherConnectionStore  *self,
                                                              TetherConnection       *connection);
/* Puts a removed connection back where it was (Undo); positions past the end append. */
void                   tether_connection_store_insert        (TetherConnectionStore  *self,
                                                              guint                   position,
                                                              TetherConnection       *connection);
/* FALSE when @connection is not in the store; its keyring items stay (see
 * tether_connection_clear_secrets_async, once the removal can no longer be undone). */
gboolean               tether_connection_store_remove        (TetherConnectionStore  *self,
                                                              TetherConnection       *connection,
                                                              guint                  *position);
/* A copy with a new id named "NAME (copy)", right after the original; its keyring items are
 * copied in the background. The store owns the result. */
TetherConnection      *tether_connection_store_duplicate     (TetherConnectionStore  *self,
                                                              TetherConnection       *connection,
                                                              guint                  *position);
/* Takes the settings of @edited into the stored connection with the same id (which stays the
 * same object). FALSE when there is none. */
gboolean               tether_connection_store_update        (TetherConnectionStore  *self,
                                                              TetherConnection       *edited);
TetherConnection      *tether_connection_store_lookup        (TetherConnectionStore  *self,
                                                              const char             *id);
gboolean               tether_connection_store_find          (TetherConnectionStore  *self,
                                                              TetherConnection       *connection,
                                                              guint                  *position);

G_END_DECLS
