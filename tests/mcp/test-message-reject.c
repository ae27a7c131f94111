/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/mcp/mcp-message.c: malformed JSON and invalid JSON-RPC 2.0 messages. */

#include <string.h>

#include "mcp-message.h"

#include "message-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

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

  return g_test_run ();
}
