/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The values are the positions in the add-server dialog's combo rows; the nicks are what
 * connections.json stores, so neither may be renumbered or renamed. */
typedef enum {
  TETHER_TRANSPORT_HTTP,   /* Streamable HTTP */
  TETHER_TRANSPORT_SSE,    /* the 2024-11-05 HTTP+SSE transport */
  TETHER_TRANSPORT_STDIO,  /* a local process speaking newline-delimited JSON */
} TetherTransport;

#define TETHER_TYPE_TRANSPORT (tether_transport_get_type ())
GType tether_transport_get_type (void) G_GNUC_CONST;

typedef enum {
  TETHER_AUTH_MODE_OAUTH,   /* discover and sign in when the server asks (401) */
  TETHER_AUTH_MODE_BEARER,  /* a fixed token from the keyring on every request */
  TETHER_AUTH_MODE_NONE,
} TetherAuthMode;

#define TETHER_TYPE_AUTH_MODE (tether_auth_mode_get_type ())
GType tether_auth_mode_get_type (void) G_GNUC_CONST;

typedef enum {
  TETHER_PROTOCOL_ERA_AUTO,    /* try 2026-07-28, fall back as the spec's era detection says */
  TETHER_PROTOCOL_ERA_LEGACY,  /* 2025-11-25 and older: initialize handshake, sessions */
  TETHER_PROTOCOL_ERA_MODERN,  /* 2026-07-28 */
} TetherProtocolEra;

#define TETHER_TYPE_PROTOCOL_ERA (tether_protocol_era_get_type ())
GType tether_protocol_era_get_type (void) G_GNUC_CONST;

/* Secrets never live in connections.json; they are keyring items with these kinds. */
typedef enum {
  TETHER_SECRET_KIND_BEARER_TOKEN,
  TETHER_SECRET_KIND_CLIENT_SECRET,
} TetherSecretKind;

#define TETHER_TYPE_SECRET_KIND (tether_secret_kind_get_type ())
GType tether_secret_kind_get_type (void) G_GNUC_CONST;

#define TETHER_CONNECTION_SECRET_SCHEMA_NAME "io.github.tethermcp.Tether.Secret"

#define TETHER_CONNECTION_DEFAULT_TIMEOUT 60
#define TETHER_CONNECTION_MAX_TIMEOUT     3600

#define TETHER_CONNECTION_ERROR (tether_connection_error_quark ())
GQuark tether_connection_error_quark (void);

typedef enum {
  TETHER_CONNECTION_ERROR_INVALID,  /* not a valid saved connection; the message says why */
} TetherConnectionError;

#define TETHER_TYPE_CONNECTION (tether_connection_get_type ())
G_DECLARE_FINAL_TYPE (TetherConnection, tether_connection, TETHER, CONNECTION, GObject)

TetherConnection    *tether_connection_new                (void);
TetherConnection    *tether_connection_new_with_id        (const char           *id);
TetherConnection    *tether_connection_new_from_json      (JsonObject           *object,
                                                           GError              **error);
JsonNode            *tether_connection_to_json            (TetherConnection     *self);
TetherConnection    *tether_connection_copy               (TetherConnection     *self);
void                 tether_connection_assign             (TetherConnection     *self,
                                                           TetherConnection     *from);

const char          *tether_connection_get_id             (TetherConnection     *self);
const char          *tether_connection_get_name           (TetherConnection     *self);
void                 tether_connection_set_name           (TetherConnection     *self,
                                                           const char           *name);
TetherTransport      tether_connection_get_transport      (TetherConnection     *self);
void                 tether_connection_set_transport      (TetherConnection     *self,
                                                           TetherTransport       transport);
const char          *tether_connection_get_url            (TetherConnection     *self);
void                 tether_connection_set_url            (TetherConnection     *self,
                                                           const char           *url);
const char          *tether_connection_get_command        (TetherConnection     *self);
void                 tether_connection_set_command        (TetherConnection     *self,
                                                           const char           *command);
const char * const  *tether_connection_get_arguments      (TetherConnection     *self);
void                 tether_connection_set_arguments      (TetherConnection     *self,
                                                           const char * const   *arguments);
const char * const  *tether_connection_get_environment    (TetherConnection     *self);
void                 tether_connection_set_environment    (TetherConnection     *self,
                                                           const char * const   *environment);
const char          *tether_connection_get_working_directory (TetherConnection  *self);
void                 tether_connection_set_working_directory (TetherConnection  *self,
                                                              const char        *directory);
const char * const  *tether_connection_get_headers        (TetherConnection     *self);
void                 tether_connection_set_headers        (TetherConnection     *self,
                                                           const char * const   *headers);
TetherAuthMode       tether_connection_get_auth_mode      (TetherConnection     *self);
void                 tether_connection_set_auth_mode      (TetherConnection     *self,
                                                           TetherAuthMode        mode);
const char          *tether_connection_get_client_id      (TetherConnection     *self);
void                 tether_connection_set_client_id      (TetherConnection     *self,
                                                           const char           *client_id);
const char          *tether_connection_get_scopes         (TetherConnection     *self);
void                 tether_connection_set_scopes         (TetherConnection     *self,
                                                           const char           *scopes);
const char          *tether_connection_get_cimd_url       (TetherConnection     *self);
void                 tether_connection_set_cimd_url       (TetherConnection     *self,
                                                           const char           *cimd_url);
TetherProtocolEra    tether_connection_get_era            (TetherConnection     *self);
void                 tether_connection_set_era            (TetherConnection     *self,
                                                           TetherProtocolEra     era);
guint                tether_connection_get_timeout_seconds (TetherConnection    *self);
void                 tether_connection_set_timeout_seconds (TetherConnection    *self,
                                                            guint                seconds);

/* Keyring items of this connection (schema TETHER_CONNECTION_SECRET_SCHEMA_NAME, attributes
 * "connection" = id and "kind" = the TetherSecretKind nick). When no Secret Service answers,
 * a secret is kept in this process's memory until it exits and *persistent says FALSE. */
void                 tether_connection_set_secret_async   (TetherConnection     *self,
                                                           TetherSecretKind      kind,
                                                           const char           *secret,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             tether_connection_set_secret_finish  (TetherConnection     *self,
                                                           GAsyncResult         *result,
                                                           gboolean             *persistent,
                                                           GError              **error);
/* NULL without an error when there is no such secret; free the result with
 * secret_password_free(), which wipes it first. */
void                 tether_connection_lookup_secret_async (TetherConnection    *self,
                                                            TetherSecretKind     kind,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
char                *tether_connection_lookup_secret_finish (TetherConnection   *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
void                 tether_connection_clear_secret_async (TetherConnection     *self,
                                                           TetherSecretKind      kind,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             tether_connection_clear_secret_finish (TetherConnection    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
/* Every secret of the connection, e.g. once a removal can no longer be undone. */
void                 tether_connection_clear_secrets_async (TetherConnection    *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean             tether_connection_clear_secrets_finish (TetherConnection   *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
/* Copies every secret of @self to @to (another id), e.g. for a duplicate. */
void                 tether_connection_copy_secrets_async (TetherConnection     *self,
                                                           TetherConnection     *to,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             tether_connection_copy_secrets_finish (TetherConnection    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
