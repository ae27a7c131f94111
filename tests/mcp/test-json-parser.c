/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the JSON text layer under McpMessage: the strict parser (mcp-json-parser.c,
 * mcp-json-scanner.c) and the writer's direct path for whole messages (mcp-json-writer.c).
 *
 * On valid text the parser's trees must be those json-glib's own parser builds (json-glib is
 * the reference here: it reads valid JSON right), node for node, value type for value type
 * and member order for member order, over a hand-picked corpus and over random documents.
 * Invalid text must fail with an error that says what was expected and where. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mcp-json-private.h"
#include "mcp-message.h"

static char *
describe_path (GString *path)
{
  return path->len > 0 ? g_strdup (path->str) : g_strdup ("(root)");
}

/* Strict equality: same node types, same value types, same values, same member order. */
static void
assert_same_tree (JsonNode *expected,
                  JsonNode *got,
                  GString  *path)
{
  g_autofree char *where = describe_path (path);
  gsize mark = path->len;

  if (JSON_NODE_TYPE (expected) != JSON_NODE_TYPE (got))
    g_error ("%s: node type %s, expected %s", where, json_node_type_name (got),
             json_node_type_name (expected));

  switch (JSON_NODE_TYPE (expected))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(GList) names_expected = json_object_get_members (json_node_get_object (expected));
        g_autoptr(GList) names_got = json_object_get_members (json_node_get_object (got));
        GList *e = names_expected;
        GList *g = names_got;

        for (; e != NULL && g != NULL; e = e->next, g = g->next)
          {
            if (g_strcmp0 (e->data, g->data) != 0)
              g_error ("%s: member “%s”, expected “%s”", where, (char *) g->data,
                       (char *) e->data);
            g_string_append_printf (path, ".%s", (char *) e->data);
            assert_same_tree (json_object_get_member (json_node_get_object (expected), e->data),
                              json_object_get_member (json_node_get_object (got), g->data),
                              path);
            g_string_truncate (path, mark);
          }
        if (e != NULL || g != NULL)
          g_error ("%s: %u members, expected %u", where,
                   g_list_length (names_got), g_list_length (names_expected));
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (expected);
        JsonArray *b = json_node_get_array (got);

        if (json_array_get_length (a) != json_array_get_length (b))
          g_error ("%s: %u elements, expected %u", where, json_array_get_length (b),
                   json_array_get_length (a));
        for (guint k = 0; k < json_array_get_length (a); k++)
          {
            g_string_append_printf (path, "[%u]", k);
            assert_same_tree (json_array_get_element (a, k), json_array_get_element (b, k), path);
            g_string_truncate (path, mark);
          }
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (expected);

        if (json_node_get_value_type (got) != type)
          g_error ("%s: value of type %s, expected %s", where,
                   g_type_name (json_node_get_value_type (got)), g_type_name (type));
        if (type == G_TYPE_INT64)
          g_assert_cmpint (json_node_get_int (got), ==, json_node_get_int (expected));
        else if (type == G_TYPE_DOUBLE)
          g_assert_cmpmem (&(double) { json_node_get_double (got) }, sizeof (double),
                           &(double) { json_node_get_double (expected) }, sizeof (double));
        else if (type == G_TYPE_BOOLEAN)
          g_assert_cmpint (json_node_get_boolean (got), ==, json_node_get_boolean (expected));
        else
          g_assert_cmpstr (json_node_get_string (got), ==, json_node_get_string (expected));
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

static void
assert_parses_as_json_glib (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) path = g_string_new (NULL);

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  ours = mcp_json_parse_strict (text, -1, &error);
  if (ours == NULL)
    g_error ("“%s” was refused: %s", text, error->message);
  assert_same_tree (json_parser_get_root (parser), ours, path);
}

static void
test_corpus_like_json_glib (void)
{
  const char *corpus[] = {
    "{}",
    "[]",
    " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n",
    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\","
    "\"text\":\"Echo: bench\"}]}}",
    "[0, -0, 1, -1, 42, 9223372036854775807, -9223372036854775808, 123456789012345678]",
    "[0.5, -0.0, 1.0, 1e2, 1E+2, 1e-7, -2.5E-3, 3.141592653589793, 1.7976931348623157e308,"
    " 5e-324, 100000000000000000000.0]",
    "[true, false, null, [null], {\"n\": null}]",
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
    "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00 plain é€😀\"",
    "{\"é\": 1, \"\\u00e9x\": 2, \"\": 3}",
    "{\"a\": 1, \"b\": 2, \"a\": 3}",
    "{\"a\":{\"b\":{\"c\":{\"d\":[{\"e\":[]},{}]}}}}",
    "\"\"",
    "12",
    "null",
  };

  g_autofree char *open = g_strnfill (200, '[');
  g_autofree char *close = g_strnfill (200, ']');
  g_autofree char *deep = g_strconcat (open, "1", close, NULL);

  for (guint k = 0; k < G_N_ELEMENTS (corpus); k++)
    {
      g_test_message ("text: %s", corpus[k]);
      assert_parses_as_json_glib (corpus[k]);
    }
  assert_parses_as_json_glib (deep);
}

/* A random JSON tree: every kind of value, strings with quotes, backslashes, control
 * characters and non-ASCII characters, integers across the whole 64-bit range. */
static JsonNode *
random_node (guint depth)
{
  static const gunichar specials[] = { '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0x01,
                                       0x1F, 0x7F, 0xE9, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF };
  int kind = g_test_rand_int_range (0, depth < 5 ? 8 : 6);
  JsonNode *node = json_node_alloc ();

  switch (kind)
    {
    case 0:
      return json_node_init_null (node);
    case 1:
      return json_node_init_boolean (node, g_test_rand_bit ());
    case 2:
      {
        guint64 bits = ((guint64) (guint32) g_test_rand_int () << 32)
                       | (guint32) g_test_rand_int ();
        gint64 value = (gint64) (bits >> g_test_rand_int_range (0, 63));

        return json_node_init_int (node, g_test_rand_bit () ? value : -value);
      }
    case 3:
      return json_node_init_double (node, g_test_rand_double_range (-1e6, 1e6)
                                          * (g_test_rand_bit () ? 1e-9 : 1e12));
    case 4:
    case 5:
      {
        g_autoptr(GString) text = g_string_new (NULL);
        int n = g_test_rand_int_range (0, 12);

        for (int k = 0; k < n; k++)
          {
            if (g_test_rand_bit ())
              g_string_append_c (text, (char) g_test_rand_int_range ('a', 'z' + 1));
            else
              g_string_append_unichar (text, specials[g_test_rand_int_range (0,
                                                        G_N_ELEMENTS (specials))]);
          }
        return json_node_init_string (node, text->str);
      }
    case 6:
      {
        JsonArray *array = json_array_new ();
        int n = g_test_rand_int_range (0, 5);

        for (int k = 0; k < n; k++)
          json_array_add_element (array, random_node (depth + 1));
        json_node_init_array (node, array);
        json_array_unref (array);
        return node;
      }
    default:
      {
        JsonObject *object = json_object_new ();
        int n = g_test_rand_int_range (0, 5);

        for (int k = 0; k < n; k++)
          {
            g_autofree char *name = g_strdup_printf ("m%d%s", g_test_rand_int_range (0, 6),
                                                     g_test_rand_bit () ? "é\"\\" : "");

            json_object_set_member (object, name, random_node (depth + 1));
          }
        json_node_init_object (node, object);
        json_object_unref (object);
        return node;
      }
    }
}

static void
test_random_documents_like_json_glib (void)
{
  for (guint k = 0; k < 3000; k++)
    {
      g_autoptr(JsonNode) tree = random_node (0);
      g_autoptr(GString) text = g_string_new (NULL);

      /* Our writer, not json-glib's: json-glib 1.6 writes U+001F and U+007F unescaped. */
      mcp_json_write_node (text, tree);
      assert_parses_as_json_glib (text->str);
    }
}

typedef struct
{
  const char *text;
  const char *fragment;
} Refusal;

static void
test_grammar_errors_say_what_and_where (void)
{
  const Refusal cases[] = {
    { "[1 2]", "not valid JSON: expected “,” or “]”, got “2” at line 1, column 4" },
    { "[1,]", "not valid JSON: expected a value, got “]” at line 1, column 4" },
    { "[,1]", "not valid JSON: expected a value, got “,” at line 1, column 2" },
    { "[:]", "not valid JSON: expected a value, got “:”" },
    { "{\"a\"}", "not valid JSON: expected “:” after the member name, got “}”" },
    { "{\"a\" 1}", "expected “:” after the member name, got “1” at line 1, column 6" },
    { "{\"a\":}", "not valid JSON: expected a value, got “}”" },
    { "{\"a\":1,}", "expected a member name in double quotes after “,”, got “}”" },
    { "{1:2}", "expected a member name in double quotes or “}”, got “1”" },
    { "{\"a\":1 \"b\":2}", "expected “,” or “}”, got “\"” at line 1, column 8" },
    { "{\"a\"::1}", "expected a value, got “:”" },
    { "{'a':1}", "Unexpected “'”: expected a member name in double quotes or “}”" },
    { "[1;2]", "Unexpected “;”: expected “,” or “]”" },
    { "[1}", "Unexpected “}”: expected “]” to close the array first" },
    { "{\"a\":[1}", "Unexpected “}”: expected “]” to close the array first" },
    { "{\"a\":1,\"b\"", "Message ends inside an object: expected “}” before the end" },
    { "[[[", "Message ends inside an array: expected “]” before the end" },
    { "{\"a\":1}}", "Unexpected “}” after the end of the JSON value" },
    { "[1,\n 2 3]", "expected “,” or “]”, got “3” at line 2, column 4" },
    { ",", "Unexpected “,” outside of any array or object" },
    { "}", "Unexpected “}”: no array or object is open" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mcp_json_parse_strict (cases[k].text, -1, &error);

      g_test_message ("text: %s", cases[k].text);
      g_assert_null (node);
      g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
      if (strstr (error->message, cases[k].fragment) == NULL)
        g_error ("“%s”: error “%s” does not say “%s”", cases[k].text, error->message,
                 cases[k].fragment);
    }
}

static void
test_every_prefix_of_a_document_is_refused_cleanly (void)
{
  const char *text = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"a\":[1,-2.5e3,true,null,"
                     "\"x\\u00e9\\n\"],\"b\":{}}}";
  gsize length = strlen (text);

  /* Every proper prefix is incomplete: each must fail, never crash or leak (ASan runs this). */
  for (gsize n = 0; n < length; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mcp_json_parse_strict (text, (gssize) n, &error);

      if (n == 0)
        g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE);
      else if (node != NULL)
        g_error ("the first %" G_GSIZE_FORMAT " bytes were accepted", n);
      g_assert_nonnull (error);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = mcp_json_parse_strict (text, (gssize) length, &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
}

static void
test_depth_limit_frees_what_was_built (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint k = 0; k < MCP_MESSAGE_MAX_DEPTH; k++)
    g_string_append (text, k % 2 == 0 ? "{\"a\":" : "[1,");
  g_string_append (text, "[]");

  node = mcp_json_parse_strict (text->str, -1, &error);
  g_assert_null (node);
  g_assert_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_TOO_DEEP);
}

static JsonNode *
parse_node (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = mcp_json_parse_strict (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

/* mcp_message_to_string() writes the text without building mcp_message_to_node()'s tree:
 * the two must say the same, byte for byte, for every kind of message. */
static void
test_message_text_is_its_tree_written (void)
{
  g_autoptr(JsonNode) string_id = parse_node ("\"req-\\u00e9\\n\"");
  g_autoptr(JsonNode) int_id = parse_node ("-9223372036854775808");
  g_autoptr(JsonNode) params = parse_node ("{\"name\":\"echo\",\"arguments\":{\"m\":\"a\\\"b\","
                                           "\"n\":[1,2.5,true,null]},\"_meta\":{}}");
  g_autoptr(JsonNode) data = parse_node ("{\"supported\":[\"2025-11-25\"],\"x\":1e300}");
  McpMessage *messages[] = {
    mcp_message_new_request (string_id, "tools/call", json_node_get_object (params)),
    mcp_message_new_request_int (G_MAXINT64, "ping", NULL),
    mcp_message_new_notification ("notifications/progress", json_node_get_object (params)),
    mcp_message_new_notification ("notifications/initialized", NULL),
    mcp_message_new_result (int_id, json_node_get_object (params)),
    mcp_message_new_error (string_id, -32602, "Bad \"params\"\t\u00e9", data),
    mcp_message_new_error (NULL, G_MININT32, "Parse error", NULL),
  };

  for (guint k = 0; k < G_N_ELEMENTS (messages); k++)
    {
      g_autoptr(McpMessage) message = messages[k];
      g_autoptr(JsonNode) tree = mcp_message_to_node (message);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *text = NULL;
      gsize length = 0;

      mcp_json_write_node (expected, tree);
      text = mcp_message_to_string (message, &length);
      g_assert_cmpstr (text, ==, expected->str);
      g_assert_cmpuint (length, ==, expected->len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/json-parser/valid/corpus-like-json-glib", test_corpus_like_json_glib);
  g_test_add_func ("/mcp/json-parser/valid/random-documents-like-json-glib",
                   test_random_documents_like_json_glib);
  g_test_add_func ("/mcp/json-parser/invalid/grammar-errors-say-what-and-where",
                   test_grammar_errors_say_what_and_where);
  g_test_add_func ("/mcp/json-parser/invalid/every-prefix-refused-cleanly",
                   test_every_prefix_of_a_document_is_refused_cleanly);
  g_test_add_func ("/mcp/json-parser/invalid/depth-limit-frees-what-was-built",
                   test_depth_limit_frees_what_was_built);

  g_test_add_func ("/mcp/json-writer/message-text-is-its-tree-written",
                   test_message_text_is_its_tree_written);

  return g_test_run ();
}
