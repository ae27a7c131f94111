/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-message.h"

/* Helpers shared by the tests of src/mcp/mcp-message.c (tests/mcp/test-message*.c). */

G_BEGIN_DECLS

#define assert_message_mentions(error, fragment) \
  assert_message_mentions_at (__FILE__, __LINE__, G_STRFUNC, (error), (fragment))

void
assert_message_mentions_at (const char   *file,
                            int           line,
                            const char   *func,
                            const GError *error,
                            const char   *fragment);

/* Parses @text, expects failure with @code and a message containing @fragment. */
#define assert_parse_fails(text, code, fragment) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    g_autoptr(McpMessage) _message = mcp_message_parse ((text), -1, &_error); \
    g_assert_null (_message); \
    g_assert_error (_error, MCP_MESSAGE_ERROR, (code)); \
    assert_message_mentions (_error, (fragment)); \
  } G_STMT_END

/* Parses @text, which must be a valid message. */
McpMessage *
parse_ok (const char *text);

/* Serialises @message, parses the text back and checks that both agree. */
void
assert_round_trip (McpMessage *message);

G_END_DECLS
