/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MCP_TYPE_SERVER_REQUEST (mcp_server_request_get_type ())
G_DECLARE_FINAL_TYPE (McpServerRequest, mcp_server_request, MCP, SERVER_REQUEST, GObject)

/*
 * A request the server makes of the client (sampling/createMessage, elicitation/create,
 * roots/list, ...), handed to the application through McpClient::server-request. Whoever
 * claims it answers exactly once, now or later, with mcp_server_request_respond() or
 * mcp_server_request_respond_error(); the client then sends the answer (2025 era: a JSON-RPC
 * response; 2026-07-28 era: an entry of the retried request's inputResponses).
 *
 * The cancellable is cancelled when the server withdraws the request (notifications/cancelled)
 * or the connection ends; an answer given after that is dropped.
 *
 * Signals:
 *   ::responded ()   once, when the answer is given (the client listens to it).
 */

McpServerRequest *mcp_server_request_new               (const char        *method,
                                                        JsonObject        *params,
                                                        JsonNode          *id,
                                                        const char        *input_key);

const char       *mcp_server_request_get_method        (McpServerRequest  *self);
/* The request's params; never NULL (an empty object when the server sent none). */
JsonObject       *mcp_server_request_get_params        (McpServerRequest  *self);
/* The JSON-RPC id (2025 era), or NULL for an input request of the 2026-07-28 era. */
JsonNode         *mcp_server_request_get_id            (McpServerRequest  *self);
/* The key in inputRequests (2026-07-28 era), or NULL. */
const char       *mcp_server_request_get_input_key     (McpServerRequest  *self);
GCancellable     *mcp_server_request_get_cancellable   (McpServerRequest  *self);

void              mcp_server_request_respond           (McpServerRequest  *self,
                                                        JsonObject        *result);
void              mcp_server_request_respond_error     (McpServerRequest  *self,
                                                        int                code,
                                                        const char        *message,
                                                        JsonNode          *data);
gboolean          mcp_server_request_get_responded     (McpServerRequest  *self);

/* The answer, once responded: the result object, or NULL after an error answer. */
JsonObject       *mcp_server_request_get_result        (McpServerRequest  *self);
/* TRUE after an error answer, filling in whichever of @code, @message and @data is given. */
gboolean          mcp_server_request_get_error         (McpServerRequest  *self,
                                                        int               *code,
                                                        const char       **message,
                                                        JsonNode         **data);

/* For the client: the server withdrew the request, or the connection ended. */
void              mcp_server_request_cancel            (McpServerRequest  *self,
                                                        const char        *reason);
/* Why it was cancelled (the server's reason), or NULL. */
const char       *mcp_server_request_get_cancel_reason (McpServerRequest  *self);

G_END_DECLS
