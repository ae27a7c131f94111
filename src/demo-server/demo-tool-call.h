/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mcp-message.h"

#include "demo-grant.h"
#include "demo-mcp-server.h"

G_BEGIN_DECLS

/* One tools/call in progress: what the tool needs (arguments, the caller's grant, the server)
 * and how it talks back (progress and log notifications, then exactly one outcome). The
 * session listens to ::notification and ::finished and puts them on the right stream.
 *
 * After demo_tool_call_cancel() (notifications/cancelled, or the session ending) the call is
 * finished without a response and whatever the tool returns later is dropped. */

#define DEMO_TYPE_TOOL_CALL (demo_tool_call_get_type ())
G_DECLARE_FINAL_TYPE (DemoToolCall, demo_tool_call, DEMO, TOOL_CALL, GObject)

DemoToolCall  *demo_tool_call_new                   (DemoMcpServer *server,
                                                     const char    *name,
                                                     JsonObject    *arguments,
                                                     DemoGrant     *grant,
                                                     JsonNode      *progress_token);

const char    *demo_tool_call_get_name              (DemoToolCall  *self);
/* Never NULL (an empty object when the request had none). */
JsonObject    *demo_tool_call_get_arguments         (DemoToolCall  *self);
DemoGrant     *demo_tool_call_get_grant             (DemoToolCall  *self);
DemoMcpServer *demo_tool_call_get_server            (DemoToolCall  *self);
GCancellable  *demo_tool_call_get_cancellable       (DemoToolCall  *self);
gboolean       demo_tool_call_is_finished           (DemoToolCall  *self);
gboolean       demo_tool_call_has_progress_token    (DemoToolCall  *self);

/* notifications/progress (only when the request carried a progressToken); @total <= 0 and
 * @message NULL are left out. */
void           demo_tool_call_send_progress         (DemoToolCall  *self,
                                                     double         progress,
                                                     double         total,
                                                     const char    *message);
/* notifications/message; the session drops it below the client's logging level. */
void           demo_tool_call_send_log              (DemoToolCall  *self,
                                                     const char    *level,
                                                     const char    *text);

/* Outcomes. return_result takes a CallToolResult object (referenced). */
void           demo_tool_call_return_result         (DemoToolCall  *self,
                                                     JsonObject    *result);
void           demo_tool_call_return_text           (DemoToolCall  *self,
                                                     const char    *text);
/* A tool execution error (isError: true), for the model to read. */
void           demo_tool_call_return_tool_error     (DemoToolCall  *self,
                                                     const char    *format,
                                                     ...) G_GNUC_PRINTF (2, 3);
/* A JSON-RPC error response. */
void           demo_tool_call_return_protocol_error (DemoToolCall  *self,
                                                     int            code,
                                                     const char    *message);
void           demo_tool_call_cancel                (DemoToolCall  *self);

/* The response for request @id, or NULL when the call was cancelled. */
McpMessage    *demo_tool_call_build_response        (DemoToolCall  *self,
                                                     JsonNode      *id);

G_END_DECLS
