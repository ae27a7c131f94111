/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mcp/mcp-message.c: parsing every kind of JSON-RPC 2.0 message, id keys and
 * properties. Malformed input is in test-message-reject.c, batches and nesting depth in
 * test-message-batch.c, construction and serialisation in test-message-serialise.c. */

#include <string.h>

#include "mcp-message.h"

#include "message-test-util.h"

/* ---------------------------------------------------------------------------------------- */
/* Parsing: every kind                                                                       */
/* ---------------------------------------------------------------------------------------- */

static void
test_parse_request_with_string_id (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"abc-1\",\"method\":\"tools/call\","
              "\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\"}}}");
  JsonObject *params;

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpstr (mcp_message_get_method (message), ==, "tools/call");
  g_assert_nonnull (mcp_message_get_id (message));
  g_assert_cmpstr (json_node_get_string (mcp_message_get_id (message)), ==, "abc-1");
  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "s:abc-1");

  params = mcp_message_get_params (message);
  g_assert_nonnull (params);
  g_assert_cmpstr (json_object_get_string_member (params, "name"), ==, "echo");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (params,
                                                                                 "arguments"),
                                                  "text"), ==, "hi");
  g_assert_null (mcp_message_get_result_node (message));
  g_assert_null (mcp_message_get_error_message (message));
}

static void
test_parse_request_with_integer_id (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/list\"}");

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpint (json_node_get_int (mcp_message_get_id (message)), ==, 42);
  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "i:42");
  g_assert_null (mcp_message_get_params (message));
}

static void
test_parse_request_with_extreme_integer_ids (void)
{
  g_autoptr(McpMessage) largest =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"ping\"}");
  g_autoptr(McpMessage) smallest =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775808,\"method\":\"ping\"}");
  g_autoptr(McpMessage) zero =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"ping\"}");

  g_assert_cmpint (json_node_get_int (mcp_message_get_id (largest)), ==, G_MAXINT64);
  g_assert_cmpstr (mcp_message_get_id_key (largest), ==, "i:9223372036854775807");
  g_assert_cmpint (json_node_get_int (mcp_message_get_id (smallest)), ==, G_MININT64);
  g_assert_cmpstr (mcp_message_get_id_key (smallest), ==, "i:-9223372036854775808");
  g_assert_cmpstr (mcp_message_get_id_key (zero), ==, "i:0");

  assert_round_trip (largest);
  assert_round_trip (smallest);
}

static void
test_parse_notification (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
              "\"params\":{\"progressToken\":7,\"progress\":0.5}}");

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_NOTIFICATION);
  g_assert_cmpstr (mcp_message_get_method (message), ==, "notifications/progress");
  g_assert_null (mcp_message_get_id (message));
  g_assert_null (mcp_message_get_id_key (message));
  g_assert_cmpfloat (json_object_get_double_member (mcp_message_get_params (message),
                                                    "progress"), ==, 0.5);
}

static void
test_parse_result (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"tools\":[]}}");
  JsonObject *result;

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_RESULT);
  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "i:3");
  g_assert_null (mcp_message_get_method (message));
  result = mcp_message_get_result (message);
  g_assert_nonnull (result);
  g_assert_true (json_object_has_member (result, "tools"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (mcp_message_get_result_node (message)));
}

static void
test_parse_result_that_is_not_an_object (void)
{
  g_autoptr(McpMessage) array = parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":[1,2]}");
  g_autoptr(McpMessage) null = parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":null}");

  g_assert_cmpint (mcp_message_get_kind (array), ==, MCP_MESSAGE_KIND_RESULT);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (mcp_message_get_result_node (array)));
  g_assert_null (mcp_message_get_result (array));

  g_assert_cmpint (mcp_message_get_kind (null), ==, MCP_MESSAGE_KIND_RESULT);
  g_assert_true (JSON_NODE_HOLDS_NULL (mcp_message_get_result_node (null)));
  g_assert_null (mcp_message_get_result (null));

  assert_round_trip (array);
  assert_round_trip (null);
}

static void
test_parse_error_with_data (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"error\":{\"code\":-32022,"
              "\"message\":\"Unsupported protocol version\","
              "\"data\":{\"supported\":[\"2025-11-25\"]}}}");
  JsonNode *data;

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "s:r1");
  g_assert_cmpint (mcp_message_get_error_code (message), ==, -32022);
  g_assert_cmpstr (mcp_message_get_error_message (message), ==, "Unsupported protocol version");
  data = mcp_message_get_error_data (message);
  g_assert_nonnull (data);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_node_get_object (data), "supported"), 0),
                   ==, "2025-11-25");
}

static void
test_parse_error_with_null_id (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":null,"
              "\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_null (mcp_message_get_id (message));
  g_assert_null (mcp_message_get_id_key (message));
  g_assert_cmpint (mcp_message_get_error_code (message), ==, MCP_JSONRPC_PARSE_ERROR);
  g_assert_null (mcp_message_get_error_data (message));
  assert_round_trip (message);
}

static void
test_parse_error_without_id (void)
{
  /* The MCP schema makes the id of an error response optional. */
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Bad\"}}");
  g_autofree char *text = NULL;

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_null (mcp_message_get_id (message));
  text = mcp_message_to_string (message, NULL);
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":null,"
                   "\"error\":{\"code\":-32600,\"message\":\"Bad\"}}");
}

static void
test_parse_ignores_unknown_members (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"extra\":[1,{\"a\":null}],\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1,"
              "\"_meta\":{}}");
  g_autofree char *text = mcp_message_to_string (message, NULL);

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpstr (text, ==, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
}

static void
test_parse_accepts_whitespace_and_byte_order_mark (void)
{
  g_autoptr(McpMessage) spaced =
    parse_ok (" \r\n\t{ \"jsonrpc\" : \"2.0\" ,\n \"method\" : \"ping\" } \n");
  g_autoptr(McpMessage) marked = parse_ok ("\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");

  g_assert_cmpstr (mcp_message_get_method (spaced), ==, "ping");
  g_assert_cmpstr (mcp_message_get_method (marked), ==, "ping");
}

static void
test_parse_reads_only_the_given_length (void)
{
  const char text[] = "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}{\"jsonrpc\":\"2.0\"}";
  gsize first = strlen ("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *unterminated = g_memdup2 (text, first); /* no NUL after the text */

  message = mcp_message_parse (unterminated, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mcp_message_get_method (message), ==, "ping");
}

static void
test_parse_unicode (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{"
              "\"pair\":\"\\ud83d\\ude00\",\"bmp\":\"\\u00e9\\u4e2d\",\"raw\":\"中文 ☃\","
              "\"escapes\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}}");
  JsonObject *params = mcp_message_get_params (message);

  g_assert_cmpstr (json_object_get_string_member (params, "pair"), ==, "😀");
  g_assert_cmpstr (json_object_get_string_member (params, "bmp"), ==, "é中");
  g_assert_cmpstr (json_object_get_string_member (params, "raw"), ==, "中文 ☃");
  g_assert_cmpstr (json_object_get_string_member (params, "escapes"), ==, "\"\\/\b\f\n\r\t");
  assert_round_trip (message);
}

static void
test_parse_integer_beyond_int64_becomes_double (void)
{
  /* json-glib would wrap 2^63 around to -2^63; a JavaScript peer reads a double. */
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"big\":9223372036854775808,"
              "\"small\":-9223372036854775809,\"huge\":123456789012345678901234567890,"
              "\"fits\":-9223372036854775808}}");
  JsonObject *result = mcp_message_get_result (message);

  g_assert_true (json_node_get_value_type (json_object_get_member (result, "big"))
                 == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (result, "big"), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_object_get_double_member (result, "small"), ==, -9223372036854775808.0);
  g_assert_cmpfloat (json_object_get_double_member (result, "huge"), ==,
                     123456789012345678901234567890.0);
  g_assert_true (json_node_get_value_type (json_object_get_member (result, "fits"))
                 == G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (result, "fits"), ==, G_MININT64);
  assert_round_trip (message);
}

/* ---------------------------------------------------------------------------------------- */
/* Id keys and properties                                                                    */
/* ---------------------------------------------------------------------------------------- */

static void
test_id_key_string_and_integer_differ (void)
{
  g_autoptr(McpMessage) integer = parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"m\"}");
  g_autoptr(McpMessage) string = parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"42\",\"method\":\"m\"}");
  g_autoptr(McpMessage) prefixed =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"i:42\",\"method\":\"m\"}");

  g_assert_cmpstr (mcp_message_get_id_key (integer), ==, "i:42");
  g_assert_cmpstr (mcp_message_get_id_key (string), ==, "s:42");
  g_assert_cmpstr (mcp_message_get_id_key (prefixed), ==, "s:i:42");
  g_assert_false (mcp_message_equal (integer, string));
}

static void
test_id_key_from_node (void)
{
  g_autoptr(JsonNode) integer = json_node_init_int (json_node_alloc (), -7);
  g_autoptr(JsonNode) string = json_node_init_string (json_node_alloc (), "é");
  g_autoptr(JsonNode) null = json_node_init_null (json_node_alloc ());
  g_autoptr(JsonNode) boolean = json_node_init_boolean (json_node_alloc (), TRUE);
  g_autofree char *integer_key = mcp_message_id_key_from_node (integer);
  g_autofree char *string_key = mcp_message_id_key_from_node (string);

  g_assert_cmpstr (integer_key, ==, "i:-7");
  g_assert_cmpstr (string_key, ==, "s:é");
  g_assert_null (mcp_message_id_key_from_node (null));
  g_assert_null (mcp_message_id_key_from_node (boolean));
  g_assert_null (mcp_message_id_key_from_node (NULL));
}

static void
test_properties (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"error\":{\"code\":-32602,\"message\":\"Bad\"}}");
  McpMessageKind kind = MCP_MESSAGE_KIND_REQUEST;
  g_autofree char *id_key = NULL;
  g_autofree char *method = NULL;
  g_autofree char *error_message = NULL;
  int error_code = 0;

  g_object_get (message,
                "kind", &kind,
                "id-key", &id_key,
                "method", &method,
                "error-code", &error_code,
                "error-message", &error_message,
                NULL);
  g_assert_cmpint (kind, ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_cmpstr (id_key, ==, "s:p");
  g_assert_null (method);
  g_assert_cmpint (error_code, ==, MCP_JSONRPC_INVALID_PARAMS);
  g_assert_cmpstr (error_message, ==, "Bad");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/message/parse/request-with-string-id", test_parse_request_with_string_id);
  g_test_add_func ("/mcp/message/parse/request-with-integer-id",
                   test_parse_request_with_integer_id);
  g_test_add_func ("/mcp/message/parse/request-with-extreme-integer-ids",
                   test_parse_request_with_extreme_integer_ids);
  g_test_add_func ("/mcp/message/parse/notification", test_parse_notification);
  g_test_add_func ("/mcp/message/parse/result", test_parse_result);
  g_test_add_func ("/mcp/message/parse/result-that-is-not-an-object",
                   test_parse_result_that_is_not_an_object);
  g_test_add_func ("/mcp/message/parse/error-with-data", test_parse_error_with_data);
  g_test_add_func ("/mcp/message/parse/error-with-null-id", test_parse_error_with_null_id);
  g_test_add_func ("/mcp/message/parse/error-without-id", test_parse_error_without_id);
  g_test_add_func ("/mcp/message/parse/ignores-unknown-members",
                   test_parse_ignores_unknown_members);
  g_test_add_func ("/mcp/message/parse/accepts-whitespace-and-byte-order-mark",
                   test_parse_accepts_whitespace_and_byte_order_mark);
  g_test_add_func ("/mcp/message/parse/reads-only-the-given-length",
                   test_parse_reads_only_the_given_length);
  g_test_add_func ("/mcp/message/parse/unicode", test_parse_unicode);
  g_test_add_func ("/mcp/message/parse/integer-beyond-int64-becomes-double",
                   test_parse_integer_beyond_int64_becomes_double);

  g_test_add_func ("/mcp/message/id-key/string-and-integer-differ",
                   test_id_key_string_and_integer_differ);
  g_test_add_func ("/mcp/message/id-key/from-node", test_id_key_from_node);

  g_test_add_func ("/mcp/message/properties", test_properties);

  return g_test_run ();
}
