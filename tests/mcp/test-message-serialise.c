/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mcp/mcp-message.c: construction, serialisation and comparison. */

#include <string.h>

#include "mcp-message.h"

#include "message-test-util.h"

/* ---------------------------------------------------------------------------------------- */
/* Construction and serialisation                                                            */
/* ---------------------------------------------------------------------------------------- */

static void
test_construct_request (void)
{
  g_autoptr(JsonNode) id = json_node_init_string (json_node_alloc (), "req-7");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (params, "name", "echo");
  message = mcp_message_new_request (id, "tools/call", params);

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_REQUEST);
  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "s:req-7");
  g_assert_true (mcp_message_get_id (message) != id); /* copied */
  g_assert_true (mcp_message_get_params (message) == params); /* referenced */

  text = mcp_message_to_string (message, NULL);
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":\"req-7\",\"method\":\"tools/call\","
                   "\"params\":{\"name\":\"echo\"}}");
  assert_round_trip (message);
}

static void
test_construct_request_int (void)
{
  g_autoptr(McpMessage) message = mcp_message_new_request_int (G_MAXINT64, "ping", NULL);
  g_autofree char *text = mcp_message_to_string (message, NULL);

  g_assert_cmpstr (mcp_message_get_id_key (message), ==, "i:9223372036854775807");
  g_assert_null (mcp_message_get_params (message));
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"ping\"}");
  assert_round_trip (message);
}

static void
test_construct_notification (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (params, "requestId", "r");
  json_object_set_string_member (params, "reason", "user");
  message = mcp_message_new_notification ("notifications/cancelled", params);
  text = mcp_message_to_string (message, NULL);

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_NOTIFICATION);
  g_assert_null (mcp_message_get_id (message));
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                   "\"params\":{\"requestId\":\"r\",\"reason\":\"user\"}}");
  assert_round_trip (message);
}

static void
test_construct_result (void)
{
  g_autoptr(JsonNode) id = json_node_init_int (json_node_alloc (), 5);
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *text = NULL;

  json_object_set_array_member (result, "tools", json_array_new ());
  message = mcp_message_new_result (id, result);
  text = mcp_message_to_string (message, NULL);

  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_RESULT);
  g_assert_true (mcp_message_get_result (message) == result);
  g_assert_cmpstr (text, ==, "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"tools\":[]}}");
  assert_round_trip (message);
}

static void
test_construct_error (void)
{
  g_autoptr(JsonNode) id = json_node_init_string (json_node_alloc (), "a");
  g_autoptr(JsonNode) data = json_node_init_string (json_node_alloc (), "details");
  g_autoptr(McpMessage) message = NULL;
  g_autoptr(McpMessage) anonymous = NULL;
  g_autofree char *text = NULL;
  g_autofree char *anonymous_text = NULL;

  message = mcp_message_new_error (id, MCP_JSONRPC_METHOD_NOT_FOUND, "Method not found", data);
  text = mcp_message_to_string (message, NULL);
  g_assert_cmpint (mcp_message_get_kind (message), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_cmpint (mcp_message_get_error_code (message), ==, -32601);
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32601,"
                   "\"message\":\"Method not found\",\"data\":\"details\"}}");
  assert_round_trip (message);

  anonymous = mcp_message_new_error (NULL, MCP_JSONRPC_PARSE_ERROR, "Parse error", NULL);
  anonymous_text = mcp_message_to_string (anonymous, NULL);
  g_assert_null (mcp_message_get_id_key (anonymous));
  g_assert_cmpstr (anonymous_text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                   "\"message\":\"Parse error\"}}");
  assert_round_trip (anonymous);
}

static void
test_serialise_member_order (void)
{
  /* Whatever order the peer used, we write jsonrpc, id, method, params. */
  g_autoptr(McpMessage) message =
    parse_ok ("{\"params\":{\"b\":1,\"a\":2},\"method\":\"m\",\"id\":\"x\",\"jsonrpc\":\"2.0\"}");
  g_autoptr(McpMessage) error =
    parse_ok ("{\"error\":{\"data\":[],\"message\":\"no\",\"code\":3},"
              "\"id\":4,\"jsonrpc\":\"2.0\"}");
  g_autofree char *text = mcp_message_to_string (message, NULL);
  g_autofree char *error_text = mcp_message_to_string (error, NULL);

  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"m\","
                   "\"params\":{\"b\":1,\"a\":2}}");
  g_assert_cmpstr (error_text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":3,\"message\":\"no\","
                   "\"data\":[]}}");
}

static void
test_serialise_valid_json_where_json_glib_is_not (void)
{
  /* JsonGenerator in json-glib 1.6 writes U+001F raw and 1e20 as "1e+20.0". */
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"s\":\"\\u001f\\u0001\\u007f\","
              "\"d\":[1e20,0.1,-0.0,1.0,2.5e-8,1.7976931348623157e308,5e-324,100]}}");
  g_autofree char *text = mcp_message_to_string (message, NULL);

  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"s\":\"\\u001f\\u0001\x7f\","
                   "\"d\":[1e+20,0.1,-0.0,1.0,2.5e-08,1.7976931348623157e+308,"
                   "4.94065645841247e-324,100]}}");
  assert_round_trip (message);
}

static void
test_serialise_duplicate_members_once (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":1,\"b\":2,\"a\":3}}");
  g_autofree char *text = mcp_message_to_string (message, NULL);

  g_assert_cmpint (json_object_get_int_member (mcp_message_get_params (message), "a"), ==, 3);
  g_assert_cmpstr (text, ==, "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":3,\"b\":2}}");
}

static void
test_serialise_round_trips (void)
{
  const char *texts[] = {
    "{\"jsonrpc\":\"2.0\",\"id\":\"\",\"method\":\"\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":-1,\"method\":\"m\",\"params\":{}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{\"a\":[true,false,null,{\"b\":[]}]}}",
    "{\"jsonrpc\":\"2.0\",\"id\":\"42\",\"result\":\"just a string\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\","
    "\"text\":\"line\\nnext \\\"quoted\\\" \\\\ tab\\t\"}],\"isError\":false}}",
    "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32603,\"message\":\"Internal\","
    "\"data\":null}}",
    "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":0,\"message\":\"\",\"data\":1.25}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"\":\"\",\"\\u00e9\":\"é\"}}",
  };

  for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
    {
      g_autoptr(McpMessage) message = NULL;

      g_test_message ("input: %s", texts[k]);
      message = parse_ok (texts[k]);
      assert_round_trip (message);
    }
}

static void
test_serialise_invalid_utf8_from_the_application (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(McpMessage) message = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (params, "s", "a\xFF" "b");
  message = mcp_message_new_notification ("m", params);
  text = mcp_message_to_string (message, NULL);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==,
                   "{\"jsonrpc\":\"2.0\",\"method\":\"m\","
                   "\"params\":{\"s\":\"a\xEF\xBF\xBD" "b\"}}");
}

static void
test_serialise_to_node (void)
{
  g_autoptr(McpMessage) message =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"m\",\"params\":{\"k\":\"v\"}}");
  g_autoptr(JsonNode) node = mcp_message_to_node (message);
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) again = NULL;
  JsonObject *object;
  g_autoptr(GList) names = NULL;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "jsonrpc"), ==, "2.0");
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 3);
  names = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (names), ==, 4);

  again = mcp_message_new_from_node (node, &error);
  g_assert_no_error (error);
  g_assert_true (mcp_message_equal (message, again));
}

static void
test_new_from_node_rejects_batches_and_scalars (void)
{
  g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) number = json_node_init_double (json_node_alloc (), 2.5);
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message = NULL;

  json_node_take_array (array, json_array_new ());

  message = mcp_message_new_from_node (array, &error);
  g_assert_null (message);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_BATCH);
  g_clear_error (&error);

  message = mcp_message_new_from_node (number, &error);
  g_assert_null (message);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID);
  assert_message_mentions (error, "must be an object, got the number 2.5");
}

static void
test_equal_tells_messages_apart (void)
{
  g_autoptr(McpMessage) a =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"x\":1}}");
  g_autoptr(McpMessage) same =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":1},\"id\":1}");
  g_autoptr(McpMessage) other_params =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"x\":2}}");
  g_autoptr(McpMessage) no_params = parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}");
  g_autoptr(McpMessage) string_id =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"m\",\"params\":{\"x\":1}}");
  g_autoptr(McpMessage) error_a =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":\"a\"}}");
  g_autoptr(McpMessage) error_b =
    parse_ok ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":2,\"message\":\"a\"}}");

  g_assert_true (mcp_message_equal (a, same));
  g_assert_false (mcp_message_equal (a, other_params));
  g_assert_false (mcp_message_equal (a, no_params));
  g_assert_false (mcp_message_equal (a, string_id));
  g_assert_false (mcp_message_equal (error_a, error_b));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/message/construct/request", test_construct_request);
  g_test_add_func ("/mcp/message/construct/request-int", test_construct_request_int);
  g_test_add_func ("/mcp/message/construct/notification", test_construct_notification);
  g_test_add_func ("/mcp/message/construct/result", test_construct_result);
  g_test_add_func ("/mcp/message/construct/error", test_construct_error);

  g_test_add_func ("/mcp/message/serialise/member-order", test_serialise_member_order);
  g_test_add_func ("/mcp/message/serialise/valid-json-where-json-glib-is-not",
                   test_serialise_valid_json_where_json_glib_is_not);
  g_test_add_func ("/mcp/message/serialise/duplicate-members-once",
                   test_serialise_duplicate_members_once);
  g_test_add_func ("/mcp/message/serialise/round-trips", test_serialise_round_trips);
  g_test_add_func ("/mcp/message/serialise/invalid-utf8-from-the-application",
                   test_serialise_invalid_utf8_from_the_application);
  g_test_add_func ("/mcp/message/serialise/to-node", test_serialise_to_node);

  g_test_add_func ("/mcp/message/new-from-node/rejects-batches-and-scalars",
                   test_new_from_node_rejects_batches_and_scalars);

  g_test_add_func ("/mcp/message/equal/tells-messages-apart", test_equal_tells_messages_apart);

  return g_test_run ();
}
