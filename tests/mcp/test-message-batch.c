/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mcp/mcp-message.c: batches and the nesting depth limit. */

#include <string.h>

#include "mcp-message.h"

#include "message-test-util.h"

/* "[[[...1...]]]" inside params, so that the whole message nests @depth levels. */
static char *
message_nested_to (guint depth)
{
  GString *text = g_string_new ("{\"jsonrpc\":\"2.0\",\"method\":\"deep\",\"params\":{\"x\":");

  /* The message object and params are two levels already. */
  for (guint k = 2; k < depth; k++)
    g_string_append_c (text, '[');
  g_string_append_c (text, '1');
  for (guint k = 2; k < depth; k++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}");

  return g_string_free (text, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Batches                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void
test_batch_rejected_by_single_parse (void)
{
  assert_parse_fails ("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"},"
                      "{\"jsonrpc\":\"2.0\",\"method\":\"b\"}]",
                      MCP_MESSAGE_ERROR_BATCH,
                      "Expected a single JSON-RPC message, got a batch (an array of 2 elements)");
  assert_parse_fails ("[]", MCP_MESSAGE_ERROR_BATCH, "got a batch");
}

static void
test_batch_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages =
    mcp_message_parse_batch ("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"},"
                             " {\"jsonrpc\":\"2.0\",\"method\":\"b\"},"
                             " {\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{}}]", -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (messages);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (mcp_message_get_kind (g_ptr_array_index (messages, 0)), ==,
                   MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (messages, 0)), ==, "i:1");
  g_assert_cmpint (mcp_message_get_kind (g_ptr_array_index (messages, 1)), ==,
                   MCP_MESSAGE_KIND_NOTIFICATION);
  g_assert_cmpint (mcp_message_get_kind (g_ptr_array_index (messages, 2)), ==,
                   MCP_MESSAGE_KIND_RESULT);
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (messages, 2)), ==, "s:1");
}

static void
test_batch_single_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages =
    mcp_message_parse_batch ("{\"jsonrpc\":\"2.0\",\"method\":\"only\"}", -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (messages, 0)), ==, "only");
}

static void
test_batch_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = mcp_message_parse_batch (" [ ] ", -1, &error);

  g_assert_null (messages);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "JSON-RPC batch is empty: expected at least one message");
}

static void
test_batch_with_bad_element (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages =
    mcp_message_parse_batch ("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"},"
                             "{\"jsonrpc\":\"2.0\",\"method\":\"b\"},"
                             "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"c\"}]", -1, &error);

  g_assert_null (messages);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "JSON-RPC batch element 2 of 3: JSON-RPC member “id” must be a string or an "
                   "integer, got the boolean true");

  g_clear_error (&error);
  messages = mcp_message_parse_batch ("[[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}]]", -1, &error);
  g_assert_null (messages);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID);
  assert_message_mentions (error, "batch element 0 of 1: JSON-RPC message must be an object, "
                                  "got an array");
}

static void
test_batch_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = mcp_message_parse_batch ("[{]", -1, &error);

  g_assert_null (messages);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Nesting depth                                                                             */
/* ---------------------------------------------------------------------------------------- */

static void
test_depth_at_limit_accepted (void)
{
  g_autofree char *text = message_nested_to (MCP_MESSAGE_MAX_DEPTH);
  g_autoptr(McpMessage) message = parse_ok (text);
  JsonNode *node = json_object_get_member (mcp_message_get_params (message), "x");
  guint depth = 2;

  while (JSON_NODE_HOLDS_ARRAY (node))
    {
      node = json_array_get_element (json_node_get_array (node), 0);
      depth++;
    }
  g_assert_cmpuint (depth, ==, MCP_MESSAGE_MAX_DEPTH);
  g_assert_cmpint (json_node_get_int (node), ==, 1);
  assert_round_trip (message);
}

static void
test_depth_over_limit_rejected (void)
{
  g_autofree char *text = message_nested_to (MCP_MESSAGE_MAX_DEPTH + 1);
  g_autofree char *message = g_strdup_printf ("deeper than %d levels", MCP_MESSAGE_MAX_DEPTH);

  assert_parse_fails (text, MCP_MESSAGE_ERROR_TOO_DEEP, message);
}

static void
test_depth_huge_rejected_without_recursion (void)
{
  /* Deep enough to overflow the stack of a recursive parser, and left unclosed. */
  gsize n = 4 * 1024 * 1024;
  g_autofree char *text = g_malloc (n + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  memset (text, '[', n);
  text[n] = '\0';
  messages = mcp_message_parse_batch (text, n, &error);
  g_assert_null (messages);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_TOO_DEEP);
  assert_message_mentions (error, "column 257");
}

static void
test_depth_brackets_in_strings_do_not_count (void)
{
  GString *text = g_string_new ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"s\":\"");
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *owned = NULL;

  /* Brackets, escaped quotes and escaped backslashes that must not end the string early. */
  for (guint k = 0; k < 2 * MCP_MESSAGE_MAX_DEPTH; k++)
    g_string_append (text, "[{\\\"\\\\");
  g_string_append (text, "\",\"[[[[\":\"]]]]}}}\"}}");
  owned = g_string_free (text, FALSE);

  message = parse_ok (owned);
  g_assert_cmpuint (strlen (json_object_get_string_member (mcp_message_get_params (message), "s")),
                    ==, 4 * 2 * MCP_MESSAGE_MAX_DEPTH);
  g_assert_cmpstr (json_object_get_string_member (mcp_message_get_params (message), "[[[["), ==,
                   "]]]]}}}");
  assert_round_trip (message);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/message/batch/rejected-by-single-parse",
                   test_batch_rejected_by_single_parse);
  g_test_add_func ("/mcp/message/batch/parse", test_batch_parse);
  g_test_add_func ("/mcp/message/batch/single-message", test_batch_single_message);
  g_test_add_func ("/mcp/message/batch/empty", test_batch_empty);
  g_test_add_func ("/mcp/message/batch/bad-element-named-by-index", test_batch_with_bad_element);
  g_test_add_func ("/mcp/message/batch/not-json", test_batch_not_json);

  g_test_add_func ("/mcp/message/depth/at-limit-accepted", test_depth_at_limit_accepted);
  g_test_add_func ("/mcp/message/depth/just-over-limit-rejected", test_depth_over_limit_rejected);
  g_test_add_func ("/mcp/message/depth/huge-rejected-without-recursion",
                   test_depth_huge_rejected_without_recursion);
  g_test_add_func ("/mcp/message/depth/brackets-in-strings-do-not-count",
                   test_depth_brackets_in_strings_do_not_count);

  return g_test_run ();
}
