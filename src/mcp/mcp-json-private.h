/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The JSON text layer under McpMessage: mcp-json-parser.c (with the tokens of
 * mcp-json-scanner.c) reads JSON text strictly, mcp-json-writer.c writes it compactly. Both
 * work on json-glib trees. */

#include <json-glib/json-glib.h>

#include "mcp-message.h"

G_BEGIN_DECLS

/* UTF-8 check, then one strict pass that builds the tree (at most MCP_MESSAGE_MAX_DEPTH
 * levels, no recursion). Integers beyond 64 bits come back as doubles. Fails with MCP_MESSAGE_ERROR_PARSE
 * or MCP_MESSAGE_ERROR_TOO_DEEP; returns the root node, never NULL on success. */
G_GNUC_INTERNAL
JsonNode *mcp_json_parse_strict (const char  *data,
                                 gssize       length,
                                 GError     **error);

/* A short, printable excerpt of @str for an error message: control characters escaped,
 * invalid UTF-8 replaced, cut after a few dozen characters. */
G_GNUC_INTERNAL
char     *mcp_json_excerpt      (const char  *str,
                                 gssize       length);

/* Appends @node as compact JSON: no white space, strings as UTF-8 with the control
 * characters escaped, members in insertion order. */
G_GNUC_INTERNAL
void      mcp_json_write_node   (GString     *out,
                                 JsonNode    *node);

/* Appends @str as a JSON string (invalid UTF-8 repaired first), @object as compact JSON
 * and @value in decimal. */
G_GNUC_INTERNAL
void      mcp_json_write_string (GString     *out,
                                 const char  *str);
G_GNUC_INTERNAL
void      mcp_json_write_object (GString     *out,
                                 JsonObject  *object);
G_GNUC_INTERNAL
void      mcp_json_write_int    (GString     *out,
                                 gint64       value);

/* Appends the shortest text that reads back as @value, always with a fraction or an exponent
 * ("1.0", not "1"); null for infinities and NaN, which JSON cannot say. */
G_GNUC_INTERNAL
void      mcp_json_write_double (GString     *out,
                                 double       value);

G_END_DECLS
