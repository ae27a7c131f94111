/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "mcp-frontmatter.h"

/* Parses @yaml and returns it as compact JSON, to compare whole structures at once. */
static char *
yaml_to_json (const char *yaml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mcp_frontmatter_parse_yaml (yaml, -1, 2, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return json_to_string (node, FALSE);
}

static void
assert_yaml (const char *yaml,
             const char *expected_json)
{
  g_autofree char *json = yaml_to_json (yaml);

  g_assert_cmpstr (json, ==, expected_json);
}

/* Parses @yaml expecting @code; returns the message for further checks. */
static char *
yaml_error (const char *yaml,
            int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = mcp_frontmatter_parse_yaml (yaml, -1, 2, &error);

  g_assert_null (node);
  g_assert_error (error, MCP_FRONTMATTER_ERROR, code);
  return g_strdup (error->message);
}

static void
test_skill_document (void)
{
  const char *document =
    "---\n"
    "name: pdf-processing\n"
    "description: Extract, fill, and assemble PDF documents\n"
    "---\n"
    "\n"
    "Body.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) frontmatter = NULL;
  gsize body = 0;

  frontmatter = mcp_frontmatter_parse (document, -1, &body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (frontmatter), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (frontmatter, "name"), ==, "pdf-processing");
  g_assert_cmpstr (json_object_get_string_member (frontmatter, "description"), ==,
                   "Extract, fill, and assemble PDF documents");
  g_assert_cmpstr (document + body, ==, "\nBody.\n");
}

static void
test_bom_crlf_and_closing_blanks (void)
{
  const char *document = "\xef\xbb\xbf---\r\nname: x\r\nlist:\r\n  - a\r\n---  \r\nBody";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) frontmatter = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;
  gsize body = 0;

  frontmatter = mcp_frontmatter_parse (document, -1, &body, &error);
  g_assert_no_error (error);
  json_node_set_object (node, frontmatter);
  json = json_to_string (node, FALSE);
  g_assert_cmpstr (json, ==, "{\"name\":\"x\",\"list\":[\"a\"]}");
  g_assert_cmpstr (document + body, ==, "Body");
}

static void
test_missing_and_unterminated (void)
{
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) unterminated = NULL;
  g_autoptr(GError) only_marker = NULL;
  g_autoptr(GError) sequence = NULL;
  g_autoptr(JsonObject) a = mcp_frontmatter_parse ("# Title\nname: x\n", -1, NULL, &missing);
  g_autoptr(JsonObject) b = mcp_frontmatter_parse ("---\nname: x\nBody\n", -1, NULL,
                                                   &unterminated);
  g_autoptr(JsonObject) c = mcp_frontmatter_parse ("---", -1, NULL, &only_marker);
  g_autoptr(JsonObject) d = mcp_frontmatter_parse ("---\n- a\n- b\n---\n", -1, NULL, &sequence);

  g_assert_null (a);
  g_assert_error (missing, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_MISSING);
  g_assert_nonnull (strstr (missing->message, "# Title"));
  g_assert_null (b);
  g_assert_error (unterminated, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_UNTERMINATED);
  g_assert_null (c);
  g_assert_error (only_marker, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_UNTERMINATED);
  g_assert_null (d);
  g_assert_error (sequence, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_NOT_A_MAPPING);
}

static void
test_empty_frontmatter_is_empty_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) frontmatter = mcp_frontmatter_parse ("---\n# nothing\n---\n", -1, NULL,
                                                             &error);

  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (frontmatter), ==, 0);
}

static void
test_core_schema_scalars (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node =
    mcp_frontmatter_parse_yaml ("a: ~\nb: null\nc:\nd: true\ne: False\nf: yes\ng: 42\n"
                                "h: -7\ni: +3\nj: 0x1F\nk: 0o17\nl: 1.5\nm: 2e3\nn: .5\n"
                                "o: -.inf\np: .nan\nq: 1.2.3\nr: 0x\ns: 12abc\n"
                                "t: 99999999999999999999\n", -1, 2, &error);
  JsonObject *o;

  g_assert_no_error (error);
  o = json_node_get_object (node);
  g_assert_true (json_object_get_null_member (o, "a"));
  g_assert_true (json_object_get_null_member (o, "b"));
  g_assert_true (json_object_get_null_member (o, "c"));
  g_assert_true (json_object_get_boolean_member (o, "d"));
  g_assert_false (json_object_get_boolean_member (o, "e"));
  /* YAML 1.2: "yes" is a string. */
  g_assert_cmpstr (json_object_get_string_member (o, "f"), ==, "yes");
  g_assert_cmpint (json_object_get_int_member (o, "g"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (o, "h"), ==, -7);
  g_assert_cmpint (json_object_get_int_member (o, "i"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "j"), ==, 31);
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 15);
  g_assert_cmpfloat (json_object_get_double_member (o, "l"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "m"), ==, 2000.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "n"), ==, 0.5);
  g_assert_true (isinf (json_object_get_double_member (o, "o")));
  g_assert_cmpfloat (json_object_get_double_member (o, "o"), <, 0);
  g_assert_true (isnan (json_object_get_double_member (o, "p")));
  g_assert_cmpstr (json_object_get_string_member (o, "q"), ==, "1.2.3");
  g_assert_cmpstr (json_object_get_string_member (o, "r"), ==, "0x");
  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==, "12abc");
  g_assert_cmpfloat (json_object_get_double_member (o, "t"), ==, 1e20);
}

static void
test_quoted_scalars (void)
{
  assert_yaml ("a: 'it''s: #not a comment'\n"
               "b: \"tab\\there \\\"q\\\" \\u00e9 \\x41 \\U0001F600 \\ud83d\\ude00\"\n"
               "c: \"true\"\n"
               "d: '42'\n"
               "'quoted key': 1\n"
               "\"k\\u0041\": 2\n",
               "{\"a\":\"it's: #not a comment\","
               "\"b\":\"tab\\there \\\"q\\\" é A 😀 😀\","
               "\"c\":\"true\",\"d\":\"42\",\"quoted key\":1,\"kA\":2}");
}

static void
test_multiline_scalars_fold (void)
{
  assert_yaml ("plain: first line\n"
               "  second line\n"
               "\n"
               "  after a blank line\n"
               "double: \"one\n"
               "  two \\\n"
               "  three\"\n"
               "single: 'x\n"
               "\n"
               "\n"
               "  y'\n"
               "next: ok # a comment\n",
               "{\"plain\":\"first line second line\\nafter a blank line\","
               "\"double\":\"one two three\",\"single\":\"x\\n\\ny\",\"next\":\"ok\"}");
}

static void
test_block_scalars (void)
{
  assert_yaml ("literal: |\n"
               "  line 1\n"
               "    indented\n"
               "\n"
               "  line 3\n"
               "\n"
               "folded: >\n"
               "  a\n"
               "  b\n"
               "\n"
               "  c\n"
               "    more\n"
               "  d\n"
               "strip: |-\n"
               "  x\n"
               "\n"
               "keep: |+\n"
               "  y\n"
               "\n"
               "explicit: |2\n"
               "    two extra\n"
               "  base\n"
               "empty: >\n"
               "last: end\n",
               "{\"literal\":\"line 1\\n  indented\\n\\nline 3\\n\","
               "\"folded\":\"a b\\nc\\n  more\\nd\\n\","
               "\"strip\":\"x\",\"keep\":\"y\\n\\n\","
               "\"explicit\":\"  two extra\\nbase\\n\",\"empty\":\"\",\"last\":\"end\"}");
}

static void
test_nested_mappings_and_sequences (void)
{
  assert_yaml ("name: skill\n"
               "metadata:\n"
               "  author: someone\n"
               "  version: \"1.0\"\n"
               "  nested:\n"
               "    deep: [1, two, {three: 3}]\n"
               "tags:\n"
               "- a\n"
               "- b\n"
               "indented:\n"
               "  - x\n"
               "  -   y\n"
               "  -\n"
               "    z\n"
               "  -\n"
               "items:\n"
               "  - name: first\n"
               "    value: 1\n"
               "  - - inner\n"
               "    - list\n"
               "flow: {a: 1, 'b': [], c: {}, d, e: }\n"
               "multi: [one,\n"
               "  two, # comment\n"
               "  three]\n",
               "{\"name\":\"skill\","
               "\"metadata\":{\"author\":\"someone\",\"version\":\"1.0\","
               "\"nested\":{\"deep\":[1,\"two\",{\"three\":3}]}},"
               "\"tags\":[\"a\",\"b\"],"
               "\"indented\":[\"x\",\"y\",\"z\",null],"
               "\"items\":[{\"name\":\"first\",\"value\":1},[\"inner\",\"list\"]],"
               "\"flow\":{\"a\":1,\"b\":[],\"c\":{},\"d\":null,\"e\":null},"
               "\"multi\":[\"one\",\"two\",\"three\"]}");
}

static void
test_comments_and_colons_in_values (void)
{
  assert_yaml ("# leading comment\n"
               "url: https://example.com/a#b # trailing\n"
               "time: 12:30\n"
               "  # indented comment\n"
               "key with spaces: value with spaces\n",
               "{\"url\":\"https://example.com/a#b\",\"time\":\"12:30\","
               "\"key with spaces\":\"value with spaces\"}");
}

static void
test_errors_name_the_line (void)
{
  g_autofree char *duplicate = yaml_error ("name: a\ndescription: b\nname: c\n",
                                           MCP_FRONTMATTER_ERROR_DUPLICATE_KEY);
  g_autofree char *tab = yaml_error ("a:\n\tb: 1\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *colon = yaml_error ("description: Use when: always\n",
                                       MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *indent = yaml_error ("a: 1\n   b: 2\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *quote = yaml_error ("a: \"open\nb: 2\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *flow = yaml_error ("a: [1, 2\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *after = yaml_error ("a: \"x\" y\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *anchor = yaml_error ("a: &x 1\n", MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  g_autofree char *alias = yaml_error ("a: *x\n", MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  g_autofree char *tag = yaml_error ("a: !!str 1\n", MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  g_autofree char *complex = yaml_error ("? a\n: b\n", MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  g_autofree char *inline_seq = yaml_error ("a: - b\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *escape = yaml_error ("a: \"\\q\"\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *header = yaml_error ("a: |x\n  b\n", MCP_FRONTMATTER_ERROR_SYNTAX);
  g_autofree char *no_key = yaml_error ("a: 1\njust text\n", MCP_FRONTMATTER_ERROR_SYNTAX);

  g_assert_nonnull (strstr (duplicate, "line 4"));
  g_assert_nonnull (strstr (duplicate, "“name”"));
  g_assert_nonnull (strstr (tab, "line 3"));
  g_assert_nonnull (strstr (colon, "line 2"));
  g_assert_nonnull (strstr (indent, "line 3"));
  g_assert_nonnull (strstr (quote, "line 2"));
  g_assert_nonnull (strstr (after, "“y”"));
  g_assert_nonnull (strstr (no_key, "line 3"));
  g_assert_nonnull (strstr (flow, "“]”"));
  g_assert_nonnull (strstr (anchor, "anchors"));
  g_assert_nonnull (strstr (alias, "aliases"));
  g_assert_nonnull (strstr (tag, "tags"));
  g_assert_nonnull (strstr (complex, "complex mapping keys"));
  g_assert_nonnull (strstr (inline_seq, "sequence entry"));
  g_assert_nonnull (strstr (escape, "“q”"));
  g_assert_nonnull (strstr (header, "“x”"));
}

static void
test_invalid_utf8_and_nul (void)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) nul = NULL;
  g_autoptr(JsonNode) a = mcp_frontmatter_parse_yaml ("a: 1\nb: \xff\n", -1, 2, &invalid);
  g_autoptr(JsonNode) b = mcp_frontmatter_parse_yaml ("a: x\0y\n", 7, 2, &nul);

  g_assert_null (a);
  g_assert_error (invalid, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_SYNTAX);
  g_assert_nonnull (strstr (invalid->message, "line 3"));
  g_assert_null (b);
  g_assert_error (nul, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_SYNTAX);
}

static void
test_deep_nesting_is_refused (void)
{
  g_autoptr(GString) block = g_string_new (NULL);
  g_autoptr(GString) flow = g_string_new ("a: ");
  g_autofree char *block_message = NULL;
  g_autofree char *flow_message = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (block, "%*sk:\n", (int) i, "");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (flow, '[');

  block_message = yaml_error (block->str, MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  flow_message = yaml_error (flow->str, MCP_FRONTMATTER_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (block_message, "nested"));
  g_assert_nonnull (strstr (flow_message, "nested"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/frontmatter/skill-document-splits-into-fields-and-body",
                   test_skill_document);
  g_test_add_func ("/mcp/frontmatter/bom-crlf-and-blanks-after-closing-marker",
                   test_bom_crlf_and_closing_blanks);
  g_test_add_func ("/mcp/frontmatter/missing-unterminated-and-non-mapping-are-errors",
                   test_missing_and_unterminated);
  g_test_add_func ("/mcp/frontmatter/empty-frontmatter-is-an-empty-mapping",
                   test_empty_frontmatter_is_empty_mapping);
  g_test_add_func ("/mcp/frontmatter/plain-scalars-follow-the-core-schema",
                   test_core_schema_scalars);
  g_test_add_func ("/mcp/frontmatter/quoted-scalars-unescape-and-stay-strings",
                   test_quoted_scalars);
  g_test_add_func ("/mcp/frontmatter/multi-line-scalars-fold", test_multiline_scalars_fold);
  g_test_add_func ("/mcp/frontmatter/block-scalars-keep-or-fold-with-chomping",
                   test_block_scalars);
  g_test_add_func ("/mcp/frontmatter/nested-mappings-and-sequences-block-and-flow",
                   test_nested_mappings_and_sequences);
  g_test_add_func ("/mcp/frontmatter/comments-and-colons-inside-values",
                   test_comments_and_colons_in_values);
  g_test_add_func ("/mcp/frontmatter/errors-name-the-line", test_errors_name_the_line);
  g_test_add_func ("/mcp/frontmatter/invalid-utf8-and-nul-are-refused",
                   test_invalid_utf8_and_nul);
  g_test_add_func ("/mcp/frontmatter/deep-nesting-is-refused", test_deep_nesting_is_refused);

  return g_test_run ();
}
