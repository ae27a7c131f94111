/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mcp-transport.h"

G_BEGIN_DECLS

/*
 * McpStdioTransport runs an MCP server as a child process and speaks newline-delimited JSON
 * on its standard input and output; each line of its standard error becomes a ::log line.
 *
 * Writing to a child that has gone away must fail with an error rather than kill the client,
 * so the first transport created sets SIGPIPE to be ignored in this process when it still has
 * its default action (children get the default action back).
 */

/* Lines longer than this are parsed in a worker thread (order of ::message is kept). */
#define MCP_STDIO_TRANSPORT_THREAD_PARSE_SIZE (1024 * 1024)

#define MCP_TYPE_STDIO_TRANSPORT (mcp_stdio_transport_get_type ())
G_DECLARE_FINAL_TYPE (McpStdioTransport, mcp_stdio_transport, MCP, STDIO_TRANSPORT, GObject)

/* @argv: the command and its arguments; argv[0] is looked up in PATH (the PATH of the child's
 * environment, so the "environment" property can change it). */
McpStdioTransport  *mcp_stdio_transport_new                   (const char * const *argv);

const char * const *mcp_stdio_transport_get_argv              (McpStdioTransport  *self);

/* "NAME=VALUE" entries added to (or overriding) the environment the child inherits; an entry
 * without "=" removes NAME. Takes effect at the next open. */
const char * const *mcp_stdio_transport_get_environment       (McpStdioTransport  *self);
void                mcp_stdio_transport_set_environment       (McpStdioTransport  *self,
                                                               const char * const *environment);

/* NULL means the client's own working directory. Takes effect at the next open. */
const char         *mcp_stdio_transport_get_working_directory (McpStdioTransport  *self);
void                mcp_stdio_transport_set_working_directory (McpStdioTransport  *self,
                                                               const char         *directory);

/* The child's process id as text, or NULL when no child is running. */
const char         *mcp_stdio_transport_get_identifier        (McpStdioTransport  *self);

G_END_DECLS
