/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mcp/mcp-message.c: JSON-RPC 2.0 parsing, validation and serialisation. */

#include <string.h>

#include "mcp-message.h"

/* ---------------------------------------------------------------------------------------- */
/* Helpers                                                                                   */
/* ---------------------------------------------------------------------------------------- */

#define assert_message_mentions(error, fragment) \
  assert_message_mentions_at (__FILE__, __LINE__, G_STRFUNC, (error), (fragment))

static void
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

/* Parses @text, expects failure with @code and a message containing @fragment. */
#define assert_parse_fails(text, code, fragment) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    g_autoptr(McpMessage) _message = mcp_message_parse ((text), -1, &_error); \
    g_assert_null (_message); \
    g_assert_error (_error, MCP_MESSAGE_ERROR, (code)); \
    assert_message_mentions (_error, (fragment)); \
  } G_STMT_END

static McpMessage *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  McpMessage *message = mcp_message_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
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
/* Parsing: malformed input                                                                  */
/* ---------------------------------------------------------------------------------------- */

static void
test_reject_not_json (void)
{
  assert_parse_fails ("hello", MCP_MESSAGE_ERROR_PARSE, "Unexpected word “hello”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"m\"", MCP_MESSAGE_ERROR_PARSE,
                      "expected “}” before the end of the text");
  assert_parse_fails ("{\"jsonrpc\" \"2.0\"}", MCP_MESSAGE_ERROR_PARSE, "not valid JSON");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",}", MCP_MESSAGE_ERROR_PARSE, "not valid JSON");
  assert_parse_fails ("{\"jsonrpc\":\"2.0", MCP_MESSAGE_ERROR_PARSE, "not terminated");
  assert_parse_fails ("{\"a\":1]", MCP_MESSAGE_ERROR_PARSE, "expected “}” to close the object");
  assert_parse_fails ("]", MCP_MESSAGE_ERROR_PARSE, "no array or object is open");
  assert_parse_fails ("@", MCP_MESSAGE_ERROR_PARSE, "Unexpected “@”");
}

static void
test_reject_empty_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message = mcp_message_parse (NULL, 0, &error);

  g_assert_null (message);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
  assert_message_mentions (error, "got no text");

  assert_parse_fails ("", MCP_MESSAGE_ERROR_PARSE, "empty");
  assert_parse_fails (" \n\t ", MCP_MESSAGE_ERROR_PARSE, "got only white space");
}

static void
test_reject_invalid_utf8 (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"\xC3\x28\"}", MCP_MESSAGE_ERROR_PARSE,
                      "not valid UTF-8: unexpected byte 0xC3 at byte offset 27");
  /* An encoded surrogate is not UTF-8 either. */
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"\xED\xA0\x80\"}", MCP_MESSAGE_ERROR_PARSE,
                      "not valid UTF-8");
}

static void
test_reject_nul_byte (void)
{
  const char text[] = "{\"jsonrpc\":\"2.0\",\"method\":\"a\0b\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message = mcp_message_parse (text, sizeof text - 1, &error);

  g_assert_null (message);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
  assert_message_mentions (error, "got a NUL byte at byte offset 28");
}

static void
test_reject_trailing_content (void)
{
  /* json-glib alone would return the first object and drop the second. */
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"a\"}"
                      "{\"jsonrpc\":\"2.0\",\"method\":\"b\"}",
                      MCP_MESSAGE_ERROR_PARSE,
                      "Unexpected “{” after the end of the JSON value: expected one value only "
                      "at line 1, column 31");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"a\"} x", MCP_MESSAGE_ERROR_PARSE,
                      "after the end of the JSON value");
  assert_parse_fails ("\"a\" \"b\"", MCP_MESSAGE_ERROR_PARSE, "after the end of the JSON value");
  assert_parse_fails ("1,2", MCP_MESSAGE_ERROR_PARSE, "after the end of the JSON value");
}

static void
test_reject_what_json_glib_would_accept (void)
{
  struct {
    const char *text;
    const char *fragment;
  } cases[] = {
    { "{'jsonrpc':'2.0','method':'m'}", "Unexpected “'”" },
    { "/* c */ {\"jsonrpc\":\"2.0\",\"method\":\"m\"}", "Unexpected “/”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":0x10}",
      "expected a delimiter after it, got “x”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":010}", "leading zeros" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":.5}", "Unexpected “.”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1.}", "digit after the decimal point" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1e}", "digit after the exponent mark" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":- 1}", "expected a digit after “-”, got “ ”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":+1}", "Unexpected “+”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":NaN}}", "Unexpected word “NaN”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":True}}", "Unexpected word “True”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\x41\"}", "got “x”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"a\tb\"}", "control character U+0009 unescaped" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\ud800\"}", "high surrogate escape “\\uD800”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\ud800\\u0041\"}", "without a low surrogate" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\ud800Audc00\"}", "without a low surrogate" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\udc00\"}", "low surrogate escape “\\uDC00” alone" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"\\u12\"}", "four hexadecimal digits" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"a\\u0000b\"}", "“\\u0000”" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":1e400}}", "Number 1e400 is beyond" },
    { "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"x\":-1E+999}}", "beyond the range" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_test_message ("input: %s", cases[k].text);
      assert_parse_fails (cases[k].text, MCP_MESSAGE_ERROR_PARSE, cases[k].fragment);
    }
}

static void
test_reject_error_messages_are_utf8 (void)
{
  /* json-glib quotes an unexpected token cut at a byte count, which can split a character. */
  for (guint n = 0; n < 64; n++)
    {
      g_autofree char *padding = g_strnfill (n, 'a');
      g_autofree char *text = g_strdup_printf ("{\"%sé€😀\"}", padding);
      g_autoptr(GError) error = NULL;
      g_autoptr(McpMessage) message = mcp_message_parse (text, -1, &error);

      g_assert_null (message);
      g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
      assert_message_mentions (error, "not valid JSON");
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_reject_error_position (void)
{
  assert_parse_fails ("{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"é\\q\"\n}",
                      MCP_MESSAGE_ERROR_PARSE, "got “q” at line 3, column 15");
}

static void
test_reject_not_an_object (void)
{
  assert_parse_fails ("\"2.0\"", MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC message must be an object, got the string “2.0”");
  assert_parse_fails ("42", MCP_MESSAGE_ERROR_INVALID, "got the integer 42");
  assert_parse_fails ("null", MCP_MESSAGE_ERROR_INVALID, "got null");
}

static void
test_reject_missing_jsonrpc (void)
{
  assert_parse_fails ("{\"method\":\"ping\",\"id\":1}", MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “jsonrpc” is missing: expected “2.0”");
}

static void
test_reject_wrong_jsonrpc (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(McpMessage) message =
    mcp_message_parse ("{\"jsonrpc\":\"1.0\",\"method\":\"ping\",\"id\":1}", -1, &error);

  g_assert_null (message);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "JSON-RPC member “jsonrpc” must be “2.0”, got “1.0”");

  assert_parse_fails ("{\"jsonrpc\":2.0,\"method\":\"ping\"}", MCP_MESSAGE_ERROR_INVALID,
                      "must be the string “2.0”, got the number 2.0");
  assert_parse_fails ("{\"jsonrpc\":\"2.0 \",\"method\":\"ping\"}", MCP_MESSAGE_ERROR_INVALID,
                      "got “2.0 ”");
  /* What came is quoted short and printable, never whole. */
  assert_parse_fails ("{\"jsonrpc\":\"\\n0123456789012345678901234567890123456789xyz\","
                      "\"method\":\"ping\"}", MCP_MESSAGE_ERROR_INVALID,
                      "got “\\u000A012345678901234567890123456789012345678…”");
}

static void
test_reject_missing_method (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1}", MCP_MESSAGE_ERROR_INVALID,
                      "has none of “method”, “result” and “error”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"params\":{}}", MCP_MESSAGE_ERROR_INVALID,
                      "has none of “method”, “result” and “error”");
}

static void
test_reject_method_not_a_string (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “method” must be a string, got the integer 7");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":null}", MCP_MESSAGE_ERROR_INVALID,
                      "must be a string, got null");
}

static void
test_reject_method_with_result (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"result\":{}}",
                      MCP_MESSAGE_ERROR_INVALID, "has “method” and also “result”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"error\":{}}",
                      MCP_MESSAGE_ERROR_INVALID, "has “method” and also “error”");
}

static void
test_reject_result_and_error (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},"
                      "\"error\":{\"code\":1,\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "has both “result” and “error”: expected exactly one of them");
}

static void
test_reject_array_params (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[1,2]}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “params” must be an object (MCP passes parameters by name, "
                      "never by position), got an array");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"x\"}",
                      MCP_MESSAGE_ERROR_INVALID, "got the string “x”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":null}",
                      MCP_MESSAGE_ERROR_INVALID, "must be an object");
}

static void
test_reject_float_id (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “id” must be a string or an integer, got the number 1.5");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"m\"}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "got the number 1.0");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1e3,\"result\":{}}", MCP_MESSAGE_ERROR_INVALID,
                      "with a fraction or an exponent");
}

static void
test_reject_id_beyond_int64 (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":9223372036854775808,\"method\":\"m\"}",
                      MCP_MESSAGE_ERROR_INVALID, "beyond 64 bits");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775809,\"result\":{}}",
                      MCP_MESSAGE_ERROR_INVALID, "beyond 64 bits");
}

static void
test_reject_boolean_id (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"m\"}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “id” must be a string or an integer, got the boolean true");
}

static void
test_reject_structured_id (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"m\"}", MCP_MESSAGE_ERROR_INVALID,
                      "got an object");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":[1],\"result\":{}}", MCP_MESSAGE_ERROR_INVALID,
                      "got an array");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":false,"
                      "\"error\":{\"code\":1,\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID, "got the boolean false");
}

static void
test_reject_null_id_request (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “id” of a request must be a string or an integer, got null");
}

static void
test_reject_result_without_id (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"result\":{}}", MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC result has no member “id”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}", MCP_MESSAGE_ERROR_INVALID,
                      "“id” of a result must be a string or an integer, got null");
}

static void
test_reject_error_without_code (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC error object has no member “code”: expected an integer");
}

static void
test_reject_error_with_non_integer_code (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,"
                      "\"error\":{\"code\":\"-32600\",\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC error member “code” must be a 32-bit integer, got the string "
                      "“-32600”");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,"
                      "\"error\":{\"code\":-32600.5,\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID, "got the number -32600.5");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,"
                      "\"error\":{\"code\":4294967296,\"message\":\"m\"}}",
                      MCP_MESSAGE_ERROR_INVALID, "got the integer 4294967296");
}

static void
test_reject_error_without_message (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}",
                      MCP_MESSAGE_ERROR_INVALID, "has no member “message”: expected a string");
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":[]}}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC error member “message” must be a string, got an array");
}

static void
test_reject_error_not_an_object (void)
{
  assert_parse_fails ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"boom\"}",
                      MCP_MESSAGE_ERROR_INVALID,
                      "JSON-RPC member “error” must be an object with “code” and “message”, got "
                      "the string “boom”");
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

  g_test_add_func ("/mcp/message/reject/not-json", test_reject_not_json);
  g_test_add_func ("/mcp/message/reject/empty-input", test_reject_empty_input);
  g_test_add_func ("/mcp/message/reject/invalid-utf8", test_reject_invalid_utf8);
  g_test_add_func ("/mcp/message/reject/nul-byte", test_reject_nul_byte);
  g_test_add_func ("/mcp/message/reject/trailing-content", test_reject_trailing_content);
  g_test_add_func ("/mcp/message/reject/what-json-glib-would-accept",
                   test_reject_what_json_glib_would_accept);
  g_test_add_func ("/mcp/message/reject/error-names-line-and-column", test_reject_error_position);
  g_test_add_func ("/mcp/message/reject/error-messages-are-utf8",
                   test_reject_error_messages_are_utf8);
  g_test_add_func ("/mcp/message/reject/not-an-object", test_reject_not_an_object);
  g_test_add_func ("/mcp/message/reject/missing-jsonrpc", test_reject_missing_jsonrpc);
  g_test_add_func ("/mcp/message/reject/wrong-jsonrpc", test_reject_wrong_jsonrpc);
  g_test_add_func ("/mcp/message/reject/missing-method", test_reject_missing_method);
  g_test_add_func ("/mcp/message/reject/method-not-a-string", test_reject_method_not_a_string);
  g_test_add_func ("/mcp/message/reject/method-with-result", test_reject_method_with_result);
  g_test_add_func ("/mcp/message/reject/result-and-error", test_reject_result_and_error);
  g_test_add_func ("/mcp/message/reject/array-params", test_reject_array_params);
  g_test_add_func ("/mcp/message/reject/float-id", test_reject_float_id);
  g_test_add_func ("/mcp/message/reject/id-beyond-int64", test_reject_id_beyond_int64);
  g_test_add_func ("/mcp/message/reject/boolean-id", test_reject_boolean_id);
  g_test_add_func ("/mcp/message/reject/structured-id", test_reject_structured_id);
  g_test_add_func ("/mcp/message/reject/null-id-request", test_reject_null_id_request);
  g_test_add_func ("/mcp/message/reject/result-without-id", test_reject_result_without_id);
  g_test_add_func ("/mcp/message/reject/error-without-code", test_reject_error_without_code);
  g_test_add_func ("/mcp/message/reject/error-with-non-integer-code",
                   test_reject_error_with_non_integer_code);
  g_test_add_func ("/mcp/message/reject/error-without-message", test_reject_error_without_message);
  g_test_add_func ("/mcp/message/reject/error-not-an-object", test_reject_error_not_an_object);

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

  g_test_add_func ("/mcp/message/id-key/string-and-integer-differ",
                   test_id_key_string_and_integer_differ);
  g_test_add_func ("/mcp/message/id-key/from-node", test_id_key_from_node);
  g_test_add_func ("/mcp/message/properties", test_properties);

  return g_test_run ();
}
