/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  MCP_TOKEN_KIND_TOKEN,   /* access and refresh tokens for one server */
  MCP_TOKEN_KIND_CLIENT,  /* a client registration (id, secret) with one issuer */
} McpTokenKind;

#define MCP_TYPE_TOKEN_KIND (mcp_token_kind_get_type ())
GType mcp_token_kind_get_type (void) G_GNUC_CONST;

typedef enum {
  MCP_TOKEN_STORE_BACKEND_AUTO,            /* the Secret Service when reachable, else memory */
  MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE,  /* the Secret Service (errors when unreachable) */
  MCP_TOKEN_STORE_BACKEND_MEMORY,          /* this process only */
} McpTokenStoreBackend;

#define MCP_TYPE_TOKEN_STORE_BACKEND (mcp_token_store_backend_get_type ())
GType mcp_token_store_backend_get_type (void) G_GNUC_CONST;

/* The libsecret schema name; its attributes are "server", "issuer" and "kind". */
#define MCP_TOKEN_STORE_SCHEMA_NAME "io.github.tethermcp.Tether.Token"

#define MCP_TYPE_TOKEN_STORE (mcp_token_store_get_type ())
G_DECLARE_FINAL_TYPE (McpTokenStore, mcp_token_store, MCP, TOKEN_STORE, GObject)

/*
 * Where secrets (tokens, client registrations) live: the system keyring through the Secret
 * Service, never a plain file. With AUTO and no Secret Service reachable, secrets are kept in
 * memory for this process; the store then says so once through ::log and the "persistent"
 * property turns FALSE. Secrets are opaque strings here (the OAuth code stores JSON).
 *
 * Properties:
 *   "backend"    (McpTokenStoreBackend, construct-only) which store to use;
 *   "persistent" (boolean, read-only) secrets outlive the process (the Secret Service is used).
 * Signals:
 *   ::log (McpLogLevel level, const char *text)  never contains a secret.
 */

McpTokenStore *mcp_token_store_new             (McpTokenStoreBackend   backend);
McpTokenStoreBackend mcp_token_store_get_backend (McpTokenStore      *self);
gboolean       mcp_token_store_get_persistent  (McpTokenStore         *self);

/* Stores (replacing) the secret for @kind, @server and @issuer. */
void           mcp_token_store_save_async      (McpTokenStore         *self,
                                                McpTokenKind           kind,
                                                const char            *server,
                                                const char            *issuer,
                                                const char            *secret,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean       mcp_token_store_save_finish     (McpTokenStore         *self,
                                                GAsyncResult          *result,
                                                GError               **error);

/* Looks the secret up; @issuer NULL matches any issuer. Finishes with NULL and no error when
 * there is none; @issuer_out (may be NULL) receives the issuer it was stored with. */
void           mcp_token_store_lookup_async    (McpTokenStore         *self,
                                                McpTokenKind           kind,
                                                const char            *server,
                                                const char            *issuer,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
char          *mcp_token_store_lookup_finish   (McpTokenStore         *self,
                                                GAsyncResult          *result,
                                                char                 **issuer_out,
                                                GError               **error);

/* Deletes the matching secrets (@issuer NULL: every issuer). Finishes TRUE when any went. */
void           mcp_token_store_delete_async    (McpTokenStore         *self,
                                                McpTokenKind           kind,
                                                const char            *server,
                                                const char            *issuer,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean       mcp_token_store_delete_finish   (McpTokenStore         *self,
                                                GAsyncResult          *result,
                                                GError               **error);

G_END_DECLS
