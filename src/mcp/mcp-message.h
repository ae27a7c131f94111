/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON-RPC 2.0 error codes used on the wire. */
#define MCP_JSONRPC_PARSE_ERROR      (-32700)
#define MCP_JSONRPC_INVALID_REQUEST  (-32600)
#define MCP_JSONRPC_METHOD_NOT_FOUND (-32601)
#define MCP_JSONRPC_INVALID_PARAMS   (-32602)
#define MCP_JSONRPC_INTERNAL_ERROR   (-32603)

/* Deepest nesting of arrays/objects accepted in one message. */
#define MCP_MESSAGE_MAX_DEPTH 256

typedef enum {
  MCP_MESSAGE_KIND_REQUEST,
  MCP_MESSAGE_KIND_NOTIFICATION,
  MCP_MESSAGE_KIND_RESULT,
  MCP_MESSAGE_KIND_ERROR,
} McpMessageKind;

#define MCP_TYPE_MESSAGE_KIND (mcp_message_kind_get_type ())
GType mcp_message_kind_get_type (void) G_GNUC_CONST;

#define MCP_MESSAGE_ERROR (mcp_message_error_quark ())

typedef enum {
  MCP_MESSAGE_ERROR_PARSE,    /* not JSON at all, or not UTF-8 */
  MCP_MESSAGE_ERROR_INVALID,  /* JSON, but not a JSON-RPC 2.0 message */
  MCP_MESSAGE_ERROR_BATCH,    /* a batch array where a single message was expected */
  MCP_MESSAGE_ERROR_TOO_DEEP, /* nested deeper than MCP_MESSAGE_MAX_DEPTH */
} McpMessageError;

GQuark mcp_message_error_quark (void);

#define MCP_TYPE_MESSAGE (mcp_message_get_type ())
G_DECLARE_FINAL_TYPE (McpMessage, mcp_message, MCP, MESSAGE, GObject)

/* Constructors. @id is a JSON string or integer node (copied); @params and
 * @result are referenced, not copied, and may be NULL (params only). */
McpMessage     *mcp_message_new_request       (JsonNode     *id,
                                               const char   *method,
                                               JsonObject   *params);
McpMessage     *mcp_message_new_request_int   (gint64        id,
                                               const char   *method,
                                               JsonObject   *params);
McpMessage     *mcp_message_new_notification  (const char   *method,
                                               JsonObject   *params);
McpMessage     *mcp_message_new_result        (JsonNode     *id,
                                               JsonObject   *result);
/* @id may be NULL (serialised as null, as for a parse error); @data is copied. */
McpMessage     *mcp_message_new_error         (JsonNode     *id,
                                               int           code,
                                               const char   *message,
                                               JsonNode     *data);

/* Parsing. mcp_message_parse() accepts exactly one message and fails with
 * MCP_MESSAGE_ERROR_BATCH on an array. mcp_message_parse_batch() accepts one
 * message or a non-empty array of them (JSON-RPC batch) and returns a
 * GPtrArray of McpMessage (element free func set). */
McpMessage     *mcp_message_parse             (const char   *data,
                                               gssize        length,
                                               GError      **error);
GPtrArray      *mcp_message_parse_batch       (const char   *data,
                                               gssize        length,
                                               GError      **error);
McpMessage     *mcp_message_new_from_node     (JsonNode     *node,
                                               GError      **error);

McpMessageKind  mcp_message_get_kind          (McpMessage   *self);
/* The id node (string or integer), or NULL for notifications / null ids. */
JsonNode       *mcp_message_get_id            (McpMessage   *self);
/* A canonical text form of the id for hash tables: "i:42" or "s:abc";
 * NULL when there is no id. */
const char     *mcp_message_get_id_key        (McpMessage   *self);
const char     *mcp_message_get_method        (McpMessage   *self);
JsonObject     *mcp_message_get_params        (McpMessage   *self);
/* For results: the result node, and the result as an object (NULL if the
 * result is not an object). */
JsonNode       *mcp_message_get_result_node   (McpMessage   *self);
JsonObject     *mcp_message_get_result        (McpMessage   *self);
int             mcp_message_get_error_code    (McpMessage   *self);
const char     *mcp_message_get_error_message (McpMessage   *self);
JsonNode       *mcp_message_get_error_data    (McpMessage   *self);

JsonNode       *mcp_message_to_node           (McpMessage   *self);
/* Compact JSON text, no trailing newline. */
char           *mcp_message_to_string         (McpMessage   *self,
                                               gsize        *length);

/* Canonical key for an id node, as mcp_message_get_id_key() (newly allocated);
 * NULL when @id is NULL or not a string or integer node. */
char           *mcp_message_id_key_from_node  (JsonNode     *id);

/* Same kind, id, method, params, result and error (JSON values compared by value). */
gboolean        mcp_message_equal             (McpMessage   *a,
                                               McpMessage   *b);

G_END_DECLS
