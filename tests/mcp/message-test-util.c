/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "message-test-util.h"

void
assert_message_mentions_at (const char   *file,
                            int           line,
                            const char   *func,
                            const GError *error,
                            const char   *fragment)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (error);
  if (strstr (error->message, fragment) != NULL)
    return;

  text = g_strdup_printf ("error message “%s” does not mention “%s”", error->message, fragment);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, text);
}

McpMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  McpMessage *message = mcp_message_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

void
assert_round_trip (McpMessage *message)
{
  g_autoptr(McpMessage) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  text = mcp_message_to_string (message, &length);
  g_assert_cmpuint (length, ==, strlen (text));

  reparsed = mcp_message_parse (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (mcp_message_equal (message, reparsed));
  g_assert_cmpint (mcp_message_get_kind (reparsed), ==, mcp_message_get_kind (message));
  g_assert_cmpstr (mcp_message_get_id_key (reparsed), ==, mcp_message_get_id_key (message));
  g_assert_cmpstr (mcp_message_get_method (reparsed), ==, mcp_message_get_method (message));

  again = mcp_message_to_string (reparsed, NULL);
  g_assert_cmpstr (again, ==, text);
}
