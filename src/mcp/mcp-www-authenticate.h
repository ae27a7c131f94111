/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MCP_WWW_AUTHENTICATE_ERROR (mcp_www_authenticate_error_quark ())

typedef enum {
  MCP_WWW_AUTHENTICATE_ERROR_SYNTAX,
} McpWwwAuthenticateError;

GQuark mcp_www_authenticate_error_quark (void);

#define MCP_TYPE_WWW_AUTHENTICATE (mcp_www_authenticate_get_type ())
G_DECLARE_FINAL_TYPE (McpWwwAuthenticate, mcp_www_authenticate, MCP, WWW_AUTHENTICATE, GObject)

/* Parses one or more WWW-Authenticate header values (RFC 9110 §11.6.1: a comma-separated list
 * of challenges, each a scheme followed by a token68 or by auth-params whose values are
 * tokens or quoted strings with backslash escapes). Fails on malformed input with a message
 * that names the offset and what was expected. */
McpWwwAuthenticate *mcp_www_authenticate_parse        (const char * const  *header_values,
                                                       GError             **error);
McpWwwAuthenticate *mcp_www_authenticate_parse_string (const char          *header_value,
                                                       GError             **error);

guint        mcp_www_authenticate_get_n_challenges (McpWwwAuthenticate *self);
/* Scheme of challenge @index as written (compare case-insensitively). */
const char  *mcp_www_authenticate_get_scheme       (McpWwwAuthenticate *self,
                                                    guint               index);
/* Parameter @name (case-insensitive) of challenge @index, unquoted; NULL when absent. */
const char  *mcp_www_authenticate_get_param        (McpWwwAuthenticate *self,
                                                    guint               index,
                                                    const char         *name);
const char  *mcp_www_authenticate_get_token68      (McpWwwAuthenticate *self,
                                                    guint               index);
/* Index of the first challenge with @scheme (case-insensitive), or -1. */
int          mcp_www_authenticate_find_scheme      (McpWwwAuthenticate *self,
                                                    const char         *scheme);
/* Convenience: a parameter of the first Bearer challenge (NULL when there is none). */
const char  *mcp_www_authenticate_get_bearer_param (McpWwwAuthenticate *self,
                                                    const char         *name);

G_END_DECLS
