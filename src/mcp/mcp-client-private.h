/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-client.h"
#include "mcp-message.h"

G_BEGIN_DECLS

/*
 * McpClient is split by responsibility:
 *   mcp-client.c          the object: properties, accessors, state, connect and close;
 *   mcp-client-signals.c  its signals, their emission, the transport's signals;
 *   mcp-client-util.c     the error domain, the versions spoken, JSON helpers;
 *   mcp-client-request.c  requests in flight: ids, sending, timeouts, cancellation;
 *   mcp-client-incoming.c what the server sends: answers, input_required rounds, its own
 *                         requests, notifications;
 *   mcp-client-connect.c  the handshakes of both eras, era detection, session re-creation;
 *   mcp-client-features.c the convenience calls (tools, resources, prompts, ...), paging;
 *   mcp-client-headers.c  x-mcp-header: validating tool definitions, Mcp-Param-* values;
 *   mcp-client-auth.c     OAuth: the token before connecting, resending after 401/403.
 */

#define MCP_META_PROTOCOL_VERSION     "io.modelcontextprotocol/protocolVersion"
#define MCP_META_CLIENT_CAPABILITIES  "io.modelcontextprotocol/clientCapabilities"
#define MCP_META_CLIENT_INFO          "io.modelcontextprotocol/clientInfo"
#define MCP_META_SERVER_INFO          "io.modelcontextprotocol/serverInfo"

/* How long a server/discover probe may stay unanswered on stdio before the server is taken
 * for a 2025 one (legacy servers need not answer unknown methods before initialize). */
#define MCP_CLIENT_STDIO_PROBE_TIMEOUT_MS 10000

/* The handshake waits at least this long whatever the request timeout: starting a stdio
 * server (node, npx, a container) often takes longer than answering a request does. */
#define MCP_CLIENT_HANDSHAKE_MIN_TIMEOUT_MS 30000

/* Most input_required rounds one request may take before the client gives up. */
#define MCP_CLIENT_MAX_INPUT_ROUNDS 16


struct _McpClient
{
  GObject           parent_instance;

  McpTransport     *transport;
  gulong            message_handler;
  gulong            closed_handler;
  gulong            log_handler;
  gboolean          transport_open;

  McpEra            era;
  McpEra            active_era;
  McpClientState    state;
  char             *client_name;
  char             *client_version;
  guint             request_timeout_ms;
  gboolean          enable_sampling;
  gboolean          enable_elicitation;
  gboolean          enable_roots;

  char             *protocol_version;
  JsonObject       *server_info;
  JsonObject       *server_capabilities;
  char             *instructions;

  gint64            next_id;
  /* id key ("i:42") -> McpPendingRequest, for requests on the wire */
  GHashTable       *pending;
  /* every McpPendingRequest alive (a set), wherever it is: on the wire, waiting, or between
   * rounds of input */
  GHashTable       *live;
  /* progress token key -> McpPendingRequest (unowned; the same entries as pending) */
  GHashTable       *progress;
  /* id key -> McpServerRequest the application still has to answer (2025 era) */
  GHashTable       *server_requests;
  /* requests made while connecting, or waiting for a session to be re-created */
  GQueue            waiting;
  gboolean          reinitializing;

  /* tool name -> tool object, from the last tools/list */
  GHashTable       *tools;

  /* "oauth", and the access token the transport sends now (never logged) */
  McpOAuth         *oauth;
  char             *bearer_token;

  /* notifications and responses on their way out; close waits for them a little */
  guint             outgoing;
  GTask            *close_task;
  guint             close_wait_source;
};

/* mcp-client.c */
void                mcp_client_outgoing_done           (McpClient           *self);
void                mcp_client_set_state               (McpClient           *self,
                                                        McpClientState       state);
void                mcp_client_set_server_details      (McpClient           *self,
                                                        const char          *protocol_version,
                                                        McpEra               era,
                                                        JsonObject          *server_info,
                                                        JsonObject          *capabilities,
                                                        const char          *instructions);

/* mcp-client-signals.c */
void                mcp_client_install_signals         (GObjectClass        *object_class);
void                mcp_client_on_transport_log        (McpTransport        *transport,
                                                        McpLogLevel          level,
                                                        const char          *text,
                                                        McpClient           *self);
void                mcp_client_on_transport_closed     (McpTransport        *transport,
                                                        const GError        *error,
                                                        McpClient           *self);
void                mcp_client_emit_log                (McpClient           *self,
                                                        McpLogLevel          level,
                                                        const char          *format,
                                                        ...) G_GNUC_PRINTF (3, 4);
void                mcp_client_emit_message_sent       (McpClient           *self,
                                                        McpMessage          *message);
void                mcp_client_emit_message_received   (McpClient           *self,
                                                        McpMessage          *message);
void                mcp_client_emit_notification       (McpClient           *self,
                                                        McpMessage          *message);
void                mcp_client_emit_progress           (McpClient           *self,
                                                        const char          *token,
                                                        double               progress,
                                                        double               total,
                                                        const char          *message);
gboolean            mcp_client_emit_server_request     (McpClient           *self,
                                                        McpServerRequest    *request);
void                mcp_client_emit_closed             (McpClient           *self,
                                                        const GError        *error);

/* mcp-client-util.c */
GError             *mcp_client_error_new_remote        (McpMessage          *error_message,
                                                        const char          *method);

/* mcp-client-request.c */
typedef enum {
  MCP_REQUEST_FLAG_NONE            = 0,
  /* part of the handshake: goes out while the client is still connecting */
  MCP_REQUEST_FLAG_HANDSHAKE       = 1 << 0,
  /* on timeout, do not send notifications/cancelled (an era probe) */
  MCP_REQUEST_FLAG_QUIET_TIMEOUT   = 1 << 1,
  /* never re-create the session and retry (initialize itself) */
  MCP_REQUEST_FLAG_NO_SESSION_RETRY = 1 << 2,
} McpRequestFlags;

/* One request of the caller for its whole life; see mcp-client-request.c. */
typedef struct _McpPendingRequest McpPendingRequest;

struct _McpPendingRequest
{
  McpClient         *client;
  GTask             *task;
  char              *method;
  JsonObject        *params;
  McpRequestOptions  options;
  McpRequestFlags    flags;
  GHashTable        *headers;

  /* while on the wire */
  char              *id_key;
  gint64             id;
  char              *progress_key;
  guint              timeout_ms;
  guint              timeout_source;
  GCancellable      *wire_cancellable;

  GSource           *cancel_source;

  guint              session_retries;
  guint              version_retries;

  /* input_required: the current round */
  guint              input_rounds;
  JsonObject        *round_extra;
  GPtrArray         *inputs;
  guint              inputs_waiting;
  gboolean           dispatching_inputs;
};

void                mcp_client_send_request            (McpClient               *self,
                                                        const char              *method,
                                                        JsonObject              *params,
                                                        const McpRequestOptions *options,
                                                        McpRequestFlags          flags,
                                                        GHashTable              *headers,
                                                        GTask                   *task);
void                mcp_client_send_notification       (McpClient           *self,
                                                        const char          *method,
                                                        JsonObject          *params,
                                                        GTask               *task);
void                mcp_client_fail_all                (McpClient           *self,
                                                        const GError        *error);
void                mcp_client_flush_waiting           (McpClient           *self,
                                                        const GError        *error);
void                mcp_client_pending_free            (McpPendingRequest   *pending);
void                mcp_client_pending_transmit        (McpPendingRequest   *pending);
void                mcp_client_pending_take_off_wire   (McpPendingRequest   *pending);
void                mcp_client_pending_drop_inputs     (McpPendingRequest   *pending);
void                mcp_client_pending_restart_timer   (McpPendingRequest   *pending);
void                mcp_client_pending_complete        (McpPendingRequest   *pending,
                                                        JsonObject          *result,
                                                        GError              *error);
void                mcp_client_pending_fail            (McpPendingRequest   *pending,
                                                        GError              *error);
void                mcp_client_pending_failf           (McpPendingRequest   *pending,
                                                        McpClientError       code,
                                                        const char          *format,
                                                        ...) G_GNUC_PRINTF (3, 4);
void                mcp_client_send_fire_and_forget    (McpClient           *self,
                                                        McpMessage          *message);
JsonObject         *mcp_client_build_meta_params       (McpClient           *self,
                                                        JsonObject          *params);

/* mcp-client-incoming.c */
void                mcp_client_on_transport_message    (McpTransport        *transport,
                                                        McpMessage          *message,
                                                        McpClient           *self);

/* mcp-client-connect.c */
void                mcp_client_start_handshake         (McpClient           *self,
                                                        GTask               *task);
void                mcp_client_reinitialize            (McpClient           *self);
gboolean            mcp_client_version_is_supported    (const char          *version,
                                                        gboolean             modern);

/* mcp-client-headers.c */
gboolean            mcp_client_wants_param_headers     (McpClient           *self);
gboolean            mcp_client_tool_headers_valid      (JsonObject          *tool,
                                                        char               **reason);
GHashTable         *mcp_client_tool_param_headers      (JsonObject          *tool,
                                                        JsonObject          *arguments);

/* mcp-client-auth.c: sending and opening through the transport, signing in as needed.
 * @id_key names the request a message is (NULL for others): its timer stops while signing in. */
void                mcp_client_auth_send_async         (McpClient           *self,
                                                        McpMessage          *message,
                                                        GHashTable          *headers,
                                                        const char          *id_key,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            mcp_client_auth_send_finish        (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                mcp_client_auth_open_async         (McpClient           *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            mcp_client_auth_open_finish        (McpClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

JsonObject         *mcp_json_object_copy               (JsonObject          *object);
double              mcp_json_node_get_number           (JsonNode            *node,
                                                        double               fallback);

G_END_DECLS
