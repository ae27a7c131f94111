/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mcp-oauth.h"
#include "mcp-server-request.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

/* Protocol revisions this client speaks, newest first. */
#define MCP_PROTOCOL_VERSION_2026_07_28 "2026-07-28"
#define MCP_PROTOCOL_VERSION_2025_11_25 "2025-11-25"
#define MCP_PROTOCOL_VERSION_2025_06_18 "2025-06-18"
#define MCP_PROTOCOL_VERSION_2025_03_26 "2025-03-26"
#define MCP_PROTOCOL_VERSION_2024_11_05 "2024-11-05"

/* Error codes the 2026-07-28 revision defines (JSON-RPC error responses). */
#define MCP_ERROR_HEADER_MISMATCH               (-32020)
#define MCP_ERROR_MISSING_REQUIRED_CAPABILITY   (-32021)
#define MCP_ERROR_UNSUPPORTED_PROTOCOL_VERSION  (-32022)

#define MCP_CLIENT_ERROR (mcp_client_error_quark ())

/*
 * Errors of MCP_CLIENT_ERROR come in two kinds:
 *  - a JSON-RPC error response from the server keeps the server's code (e.g. -32601) and
 *    message; mcp_client_error_is_remote() is TRUE and mcp_client_error_get_data() gives its
 *    "data" member;
 *  - local failures use the codes below.
 * Transport failures come back unchanged in MCP_TRANSPORT_ERROR; cancellation through a
 * GCancellable as G_IO_ERROR_CANCELLED.
 */
typedef enum {
  MCP_CLIENT_ERROR_FAILED = 1,
  MCP_CLIENT_ERROR_NOT_CONNECTED,       /* a request before connect, or after close */
  MCP_CLIENT_ERROR_TIMEOUT,             /* no answer within the request timeout */
  MCP_CLIENT_ERROR_UNSUPPORTED_VERSION, /* no protocol revision both sides speak */
  MCP_CLIENT_ERROR_PROTOCOL,            /* an answer that breaks the protocol */
  MCP_CLIENT_ERROR_CLOSED,              /* the connection ended before the answer */
} McpClientError;

GQuark      mcp_client_error_quark     (void);
/* Was @error a JSON-RPC error response from the server? */
gboolean    mcp_client_error_is_remote (const GError *error);
/* The "data" member of a JSON-RPC error response, or NULL. */
JsonNode   *mcp_client_error_get_data  (const GError *error);

typedef enum {
  MCP_ERA_AUTO,    /* try 2026-07-28, fall back to initialize as the spec's era detection says */
  MCP_ERA_LEGACY,  /* the initialize handshake: 2025-11-25 and older */
  MCP_ERA_MODERN,  /* 2026-07-28: server/discover, per-request metadata, no sessions */
} McpEra;

#define MCP_TYPE_ERA (mcp_era_get_type ())
GType mcp_era_get_type (void) G_GNUC_CONST;

typedef enum {
  MCP_CLIENT_STATE_DISCONNECTED,
  MCP_CLIENT_STATE_CONNECTING,
  MCP_CLIENT_STATE_CONNECTED,
  MCP_CLIENT_STATE_CLOSED,
} McpClientState;

#define MCP_TYPE_CLIENT_STATE (mcp_client_state_get_type ())
GType mcp_client_state_get_type (void) G_GNUC_CONST;

/* Called on the client's main context for each notifications/progress about one request;
 * @total is negative when the server gave none, @message may be NULL. */
typedef void (*McpProgressFunc) (double      progress,
                                 double      total,
                                 const char *message,
                                 gpointer    user_data);

/* Per-request settings; copied by the call. */
typedef struct {
  /* 0: the client's request-timeout-ms; -1: no timeout. Progress restarts the clock. */
  int              timeout_ms;
  /* Attach a progressToken to the request's _meta. */
  gboolean         progress;
  /* Optional; @progress_data must stay valid until the request completes. */
  McpProgressFunc  progress_func;
  gpointer         progress_data;
} McpRequestOptions;

#define MCP_TYPE_CLIENT (mcp_client_get_type ())
G_DECLARE_FINAL_TYPE (McpClient, mcp_client, MCP, CLIENT, GObject)

/*
 * McpClient is one connection to one MCP server over an McpTransport.
 *
 * Properties:
 *   "transport"           (McpTransport, construct-only)
 *   "era"                 (McpEra) which protocol era to speak; AUTO by default
 *   "active-era"          (McpEra, read-only) LEGACY or MODERN once connected
 *   "client-name", "client-version"  sent as clientInfo ("tether-cli"-like name, VERSION)
 *   "request-timeout-ms"  (guint) default timeout of a request; 0: none. Default 60000.
 *                         The handshake waits at least 30 s (a stdio server has to start).
 *   "state"               (McpClientState, read-only)
 *   "protocol-version"    (string, read-only) the negotiated revision
 *   "server-info", "server-capabilities" (JsonObject, read-only)
 *   "instructions"        (string, read-only)
 *   "enable-sampling", "enable-elicitation", "enable-roots" (boolean) declare the client
 *                         capability; set them before connecting when a ::server-request
 *                         handler answers that kind of request
 *   "oauth"               (McpOAuth) signs in to an HTTP or SSE server: set it before
 *                         connecting; the client takes a stored token before the first request
 *                         and answers every 401/403 (refresh, sign-in, step-up) by resending
 *                         the message with the new token. NULL: no authorization.
 *
 * Signals (on the main context the client was connected in):
 *   ::notification     (const char *method, JsonObject *params)  every notification
 *   ::progress         (const char *token, double progress, double total, const char *message)
 *   ::log-message      (const char *level, const char *logger, JsonNode *data)
 *   ::tools-changed, ::resources-changed, ::prompts-changed ()
 *   ::resource-updated (const char *uri)
 *   ::server-request   (McpServerRequest *request) -> gboolean: return TRUE to claim the
 *                      request (and answer it, now or later); unclaimed requests are answered
 *                      "Method not found"; the server's ping is answered without it
 *   ::message-sent, ::message-received (McpMessage *message)  the protocol log
 *   ::log              (McpLogLevel level, const char *text)  the transport's and the client's
 *                      own diagnostics (never secrets)
 *   ::closed           (GError *error)  once, when the connection ends; NULL after close
 */

McpClient      *mcp_client_new                         (McpTransport        *transport);

McpTransport   *mcp_client_get_transport               (McpClient           *self);
McpEra          mcp_client_get_era                     (McpClient           *self);
void            mcp_client_set_era                     (McpClient           *self,
                                                        McpEra               era);
McpEra          mcp_client_get_active_era              (McpClient           *self);
McpClientState  mcp_client_get_state                   (McpClient           *self);
const char     *mcp_client_get_protocol_version        (McpClient           *self);
JsonObject     *mcp_client_get_server_info             (McpClient           *self);
JsonObject     *mcp_client_get_server_capabilities     (McpClient           *self);
const char     *mcp_client_get_instructions            (McpClient           *self);
guint           mcp_client_get_request_timeout_ms      (McpClient           *self);
void            mcp_client_set_request_timeout_ms      (McpClient           *self,
                                                        guint                timeout_ms);
void            mcp_client_set_client_info             (McpClient           *self,
                                                        const char          *name,
                                                        const char          *version);
void            mcp_client_set_enable_sampling         (McpClient           *self,
                                                        gboolean             enable);
void            mcp_client_set_enable_elicitation      (McpClient           *self,
                                                        gboolean             enable);
void            mcp_client_set_enable_roots            (McpClient           *self,
                                                        gboolean             enable);
McpOAuth       *mcp_client_get_oauth                   (McpClient           *self);
void            mcp_client_set_oauth                   (McpClient           *self,
                                                        McpOAuth            *oauth);
/* The capabilities object the client declares (newly built). */
JsonObject     *mcp_client_dup_client_capabilities     (McpClient           *self);
/* Does the server declare @capability (e.g. "tools", "resources")? */
gboolean        mcp_client_server_has_capability       (McpClient           *self,
                                                        const char          *capability);

/* The protocol revisions this client speaks, newest first, NULL-terminated. */
const char * const *mcp_client_get_supported_versions  (void);

/* Opens the transport and runs the handshake of the era (initialize, or server/discover). */
void            mcp_client_connect_async               (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_connect_finish              (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Fails what is pending with MCP_CLIENT_ERROR_CLOSED and closes the transport. */
void            mcp_client_close_async                 (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_close_finish                (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Any request. @params may be NULL; @options may be NULL (defaults). In the 2026-07-28 era
 * the request metadata goes into params._meta, and an input_required result is answered
 * through ::server-request and retried, so the result is always a complete one. */
void            mcp_client_request_async               (McpClient               *self,
                                                        const char              *method,
                                                        JsonObject              *params,
                                                        const McpRequestOptions *options,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
JsonObject     *mcp_client_request_finish              (McpClient               *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);

/* Any notification (completes once the transport has taken it). */
void            mcp_client_notify_async                (McpClient           *self,
                                                        const char          *method,
                                                        JsonObject          *params,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_notify_finish               (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Tells the server the roots changed (notifications/roots/list_changed). */
void            mcp_client_notify_roots_changed        (McpClient           *self);

/* Lists follow nextCursor through every page; finish returns the concatenated array. */
void            mcp_client_list_tools_async            (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonArray      *mcp_client_list_tools_finish           (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* The tool of that name from the last list, or NULL. */
JsonObject     *mcp_client_lookup_tool                 (McpClient           *self,
                                                        const char          *name);

/* A tool result with isError true is a successful call: check the result. */
void            mcp_client_call_tool_async             (McpClient               *self,
                                                        const char              *name,
                                                        JsonObject              *arguments,
                                                        const McpRequestOptions *options,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
JsonObject     *mcp_client_call_tool_finish            (McpClient               *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);

void            mcp_client_list_resources_async        (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonArray      *mcp_client_list_resources_finish       (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void            mcp_client_list_resource_templates_async  (McpClient           *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
JsonArray      *mcp_client_list_resource_templates_finish (McpClient           *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
void            mcp_client_read_resource_async         (McpClient           *self,
                                                        const char          *uri,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonObject     *mcp_client_read_resource_finish        (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* resources/subscribe and resources/unsubscribe belong to the 2025 era; in the 2026-07-28 era
 * a subscriptions/listen request (mcp_client_request_async() with no timeout) carries the
 * notifications for as long as it stays open. */
void            mcp_client_subscribe_resource_async    (McpClient           *self,
                                                        const char          *uri,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_subscribe_resource_finish   (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void            mcp_client_unsubscribe_resource_async  (McpClient           *self,
                                                        const char          *uri,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_unsubscribe_resource_finish (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void            mcp_client_list_prompts_async          (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonArray      *mcp_client_list_prompts_finish         (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* @arguments: string values, may be NULL. */
void            mcp_client_get_prompt_async            (McpClient           *self,
                                                        const char          *name,
                                                        JsonObject          *arguments,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonObject     *mcp_client_get_prompt_finish           (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* completion/complete. @ref: {"type": "ref/prompt", "name": ...} or {"type":
 * "ref/resource", "uri": ...}; @context_arguments (may be NULL): values already chosen.
 * Finish returns the "completion" object (values, total, hasMore). */
void            mcp_client_complete_async              (McpClient           *self,
                                                        JsonObject          *ref,
                                                        const char          *argument_name,
                                                        const char          *argument_value,
                                                        JsonObject          *context_arguments,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
JsonObject     *mcp_client_complete_finish             (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* logging/setLevel: "debug", "info", "notice", "warning", "error", "critical", "alert",
 * "emergency". */
void            mcp_client_set_logging_level_async     (McpClient           *self,
                                                        const char          *level,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_set_logging_level_finish    (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

void            mcp_client_ping_async                  (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean        mcp_client_ping_finish                 (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
