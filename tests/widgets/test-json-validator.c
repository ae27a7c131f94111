/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tether-json-validator.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_valid (const char *schema_json,
              const char *instance_json)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse (instance_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!tether_json_validator_validate (schema, instance, &path, &error))
    g_error ("%s should match %s, got: %s", instance_json, schema_json, error->message);
  g_assert_null (path);
}

/* The instance does not match; the first problem is at @path and its message contains
 * @problem. */
static void
assert_invalid (const char *schema_json,
                const char *instance_json,
                const char *path,
                const char *problem)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse (instance_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem_path = NULL;
  g_autofree char *expected_start = g_strconcat (path, ": ", NULL);

  g_assert_false (tether_json_validator_validate (schema, instance, &problem_path, &error));
  g_assert_error (error, TETHER_JSON_VALIDATOR_ERROR, TETHER_JSON_VALIDATOR_ERROR_MISMATCH);
  g_assert_cmpstr (problem_path, ==, path);
  if (!g_str_has_prefix (error->message, expected_start) ||
      strstr (error->message, problem) == NULL)
    g_error ("expected “%s…%s…”, got “%s”", expected_start, problem, error->message);
}

static void
assert_schema_problem (const char *schema_json,
                       const char *instance_json,
                       const char *problem)
{
  g_autoptr(JsonNode) schema = parse (schema_json);
  g_autoptr(JsonNode) instance = parse (instance_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_false (tether_json_validator_validate (schema, instance, &path, &error));
  g_assert_error (error, TETHER_JSON_VALIDATOR_ERROR, TETHER_JSON_VALIDATOR_ERROR_SCHEMA);
  g_assert_null (path);
  if (strstr (error->message, problem) == NULL)
    g_error ("expected a schema problem mentioning “%s”, got “%s”", problem, error->message);
}

static void
test_type (void)
{
  assert_valid ("{\"type\": \"string\"}", "\"x\"");
  assert_valid ("{\"type\": \"number\"}", "3");
  assert_valid ("{\"type\": \"number\"}", "3.5");
  assert_valid ("{\"type\": \"boolean\"}", "false");
  assert_valid ("{\"type\": \"null\"}", "null");
  assert_valid ("{\"type\": \"object\"}", "{}");
  assert_valid ("{\"type\": \"array\"}", "[]");
  assert_invalid ("{\"type\": \"string\"}", "3", "$", "expected a string, got an integer (3)");
  assert_invalid ("{\"type\": \"object\"}", "[1]", "$", "expected an object, got an array");
  assert_invalid ("{\"type\": \"null\"}", "false", "$", "expected null, got false");
  assert_schema_problem ("{\"type\": \"text\"}", "\"x\"", "unknown type “text”");
}

static void
test_type_integer_versus_number (void)
{
  assert_valid ("{\"type\": \"integer\"}", "42");
  /* 1.0 is the integer one: JSON Schema looks at the value, not the spelling. */
  assert_valid ("{\"type\": \"integer\"}", "1.0");
  assert_invalid ("{\"type\": \"integer\"}", "1.5", "$", "expected an integer, got a number (1.5)");
  assert_invalid ("{\"type\": \"integer\"}", "\"1\"", "$", "expected an integer");
}

static void
test_type_array_of_types (void)
{
  assert_valid ("{\"type\": [\"string\", \"null\"]}", "null");
  assert_valid ("{\"type\": [\"string\", \"null\"]}", "\"a\"");
  assert_invalid ("{\"type\": [\"string\", \"null\"]}", "1", "$",
                  "expected a string or null, got an integer (1)");
}

static void
test_properties_and_paths (void)
{
  const char *schema =
    "{\"type\": \"object\", \"properties\": {"
    "  \"user\": {\"type\": \"object\", \"properties\": {\"age\": {\"type\": \"integer\"}}},"
    "  \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},"
    "  \"odd key\": {\"type\": \"boolean\"}}}";

  assert_valid (schema, "{\"user\": {\"age\": 3}, \"tags\": [\"a\"], \"odd key\": true}");
  assert_invalid (schema, "{\"user\": {\"age\": \"old\"}}", "$.user.age",
                  "expected an integer, got a string (\"old\")");
  assert_invalid (schema, "{\"tags\": [\"a\", \"b\", 3]}", "$.tags[2]", "expected a string");
  assert_invalid (schema, "{\"odd key\": 1}", "$[\"odd key\"]", "expected a boolean");
}

static void
test_required (void)
{
  const char *schema = "{\"type\": \"object\", \"required\": [\"id\", \"name\"]}";

  assert_valid (schema, "{\"id\": 1, \"name\": \"x\"}");
  assert_invalid (schema, "{\"id\": 1}", "$", "the required property “name” is missing");
}

static void
test_additional_properties (void)
{
  const char *closed = "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}";
  const char *typed =
    "{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": \"number\"}}";

  assert_valid (closed, "{\"a\": 1}");
  assert_invalid (closed, "{\"a\": 1, \"b\": 2}", "$.b",
                  "the property “b” is not allowed (additionalProperties is false)");
  assert_valid (typed, "{\"a\": \"x\", \"b\": 2}");
  assert_invalid (typed, "{\"b\": \"2\"}", "$.b", "expected a number");
  /* patternProperties count as declared. */
  assert_valid ("{\"patternProperties\": {\"^x-\": {}}, \"additionalProperties\": false}",
                "{\"x-trace\": 1}");
}

static void
test_items (void)
{
  assert_valid ("{\"items\": {\"type\": \"integer\"}}", "[1, 2, 3]");
  assert_invalid ("{\"items\": {\"type\": \"integer\"}}", "[1, 2.5]", "$[1]",
                  "expected an integer");
  /* Tuples, both spellings. */
  assert_valid ("{\"prefixItems\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
                "[\"a\", 1, null]");
  assert_invalid ("{\"prefixItems\": [{\"type\": \"string\"}], \"items\": false}",
                  "[\"a\", 1]", "$[1]", "no value is allowed here");
  assert_invalid ("{\"items\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}",
                  "[\"a\", \"b\"]", "$[1]", "expected an integer");
  assert_invalid ("{\"minItems\": 2}", "[1]", "$", "the array has 1 item, expected at least 2");
  assert_invalid ("{\"maxItems\": 1}", "[1, 2]", "$", "expected at most 1");
  assert_invalid ("{\"uniqueItems\": true}", "[1, 2, 1.0]", "$",
                  "items 0 and 2 are equal");
  assert_invalid ("{\"contains\": {\"const\": 3}}", "[1, 2]", "$", "no item matches");
}

static void
test_enum (void)
{
  const char *schema = "{\"enum\": [\"red\", \"green\", 3, null, {\"a\": [1]}]}";

  assert_valid (schema, "\"green\"");
  assert_valid (schema, "3.0");
  assert_valid (schema, "null");
  assert_valid (schema, "{\"a\": [1]}");
  assert_invalid (schema, "\"blue\"", "$", "expected one of \"red\", \"green\", 3, null");
  assert_invalid (schema, "{\"a\": [2]}", "$", "expected one of");
}

static void
test_const (void)
{
  assert_valid ("{\"const\": {\"x\": 1, \"y\": [true]}}", "{\"y\": [true], \"x\": 1}");
  assert_invalid ("{\"const\": \"on\"}", "\"off\"", "$", "expected \"on\", got \"off\"");
  assert_invalid ("{\"const\": 1e20}", "1", "$", "expected 1e+20, got 1");
}

static void
test_minimum_maximum (void)
{
  assert_valid ("{\"minimum\": 0, \"maximum\": 10}", "10");
  assert_valid ("{\"minimum\": 0, \"maximum\": 10}", "\"not a number\"");
  assert_invalid ("{\"minimum\": 0}", "-1", "$", "-1 is less than the minimum 0");
  assert_invalid ("{\"maximum\": 2.5}", "2.75", "$", "2.75 is more than the maximum 2.5");
  assert_invalid ("{\"exclusiveMinimum\": 0}", "0", "$", "0 is not greater than 0");
  assert_invalid ("{\"exclusiveMaximum\": 5}", "5", "$", "5 is not less than 5");
  /* Draft 4's boolean form. */
  assert_invalid ("{\"minimum\": 1, \"exclusiveMinimum\": true}", "1", "$",
                  "1 is not greater than 1");
  assert_valid ("{\"multipleOf\": 0.1}", "0.3");
  assert_invalid ("{\"multipleOf\": 3}", "10", "$", "10 is not a multiple of 3");
}

static void
test_string_length (void)
{
  /* Characters, not bytes: "héllo" is five. */
  assert_valid ("{\"minLength\": 5, \"maxLength\": 5}", "\"héllo\"");
  assert_invalid ("{\"minLength\": 3}", "\"ab\"", "$",
                  "the text is 2 characters long, expected at least 3");
  assert_invalid ("{\"maxLength\": 1}", "\"ab\"", "$", "expected at most 1");
}

static void
test_property_counts (void)
{
  assert_valid ("{\"minProperties\": 1, \"maxProperties\": 2}", "{\"a\": 1}");
  assert_invalid ("{\"minProperties\": 2}", "{\"a\": 1}", "$",
                  "the object has 1 property, expected at least 2");
  assert_invalid ("{\"maxProperties\": 1}", "{\"a\": 1, \"b\": 2}", "$",
                  "the object has 2 properties, expected at most 1");
}

static void
test_pattern (void)
{
  assert_valid ("{\"pattern\": \"^[a-z]+-\\\\d+$\"}", "\"abc-42\"");
  /* Unanchored patterns match anywhere, as in ECMA-262. */
  assert_valid ("{\"pattern\": \"\\\\d\"}", "\"a1b\"");
  assert_invalid ("{\"pattern\": \"^[a-z]+$\"}", "\"ABC\"", "$",
                  "\"ABC\" does not match the pattern “^[a-z]+$”");
  assert_schema_problem ("{\"pattern\": \"(unclosed\"}", "\"x\"", "not a valid regular expression");
}

static void
test_any_of (void)
{
  const char *schema = "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}";
  const char *shapes =
    "{\"anyOf\": [{\"type\": \"object\", \"required\": [\"kind\"], \"properties\": {"
    "  \"kind\": {\"const\": \"circle\"}, \"radius\": {\"type\": \"number\"}}},"
    "  {\"type\": \"string\"}]}";

  assert_valid (schema, "\"a\"");
  assert_valid (schema, "1");
  assert_invalid (schema, "true", "$", "matches none of the 2 alternatives in “anyOf”");
  /* When one alternative got further into the value, its reason is the useful one. */
  assert_invalid (shapes, "{\"kind\": \"circle\", \"radius\": \"big\"}", "$.radius",
                  "expected a number");
}

static void
test_one_of (void)
{
  const char *schema = "{\"oneOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]}";

  assert_valid (schema, "1.5");
  assert_invalid (schema, "2", "$",
                  "matches alternatives 1 and 2 in “oneOf”, expected exactly one");
  assert_invalid (schema, "\"x\"", "$", "matches none of the 2 alternatives in “oneOf”");
}

static void
test_all_of (void)
{
  const char *schema =
    "{\"allOf\": [{\"type\": \"object\", \"required\": [\"a\"]}, {\"required\": [\"b\"]}]}";

  assert_valid (schema, "{\"a\": 1, \"b\": 2}");
  assert_invalid (schema, "{\"a\": 1}", "$", "the required property “b” is missing");
}

static void
test_not_and_conditionals (void)
{
  assert_valid ("{\"not\": {\"type\": \"null\"}}", "0");
  assert_invalid ("{\"not\": {\"type\": \"null\"}}", "null", "$", "matches the schema under “not”");
  assert_invalid ("{\"if\": {\"properties\": {\"unit\": {\"const\": \"pct\"}}},"
                  " \"then\": {\"properties\": {\"value\": {\"maximum\": 100}}}}",
                  "{\"unit\": \"pct\", \"value\": 120}", "$.value",
                  "120 is more than the maximum 100");
}

static void
test_ref_to_defs (void)
{
  const char *schema =
    "{\"type\": \"object\", \"properties\": {"
    "  \"home\": {\"$ref\": \"#/$defs/address\"},"
    "  \"work\": {\"$ref\": \"#/definitions/address\"}},"
    " \"$defs\": {\"address\": {\"type\": \"object\", \"required\": [\"city\"]}},"
    " \"definitions\": {\"address\": {\"$ref\": \"#/$defs/address\"}}}";
  /* A recursive structure through "#". */
  const char *tree =
    "{\"type\": \"object\", \"properties\": {\"children\": {\"type\": \"array\","
    " \"items\": {\"$ref\": \"#\"}}, \"name\": {\"type\": \"string\"}}}";

  assert_valid (schema, "{\"home\": {\"city\": \"Oslo\"}}");
  assert_invalid (schema, "{\"home\": {}}", "$.home", "the required property “city” is missing");
  assert_invalid (schema, "{\"work\": {\"street\": \"x\"}}", "$.work", "“city” is missing");
  assert_valid (tree, "{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": []}]}");
  assert_invalid (tree, "{\"children\": [{\"children\": [{\"name\": 1}]}]}",
                  "$.children[0].children[0].name", "expected a string");
  /* Escaped pointer tokens. */
  assert_valid ("{\"$defs\": {\"a/b\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/a~1b\"}",
                "\"s\"");
}

static void
test_ref_problems (void)
{
  assert_schema_problem ("{\"$ref\": \"#/$defs/missing\"}", "1", "names nothing in the schema");
  assert_schema_problem ("{\"$ref\": \"https://example.com/schema.json\"}", "1",
                         "points outside the schema");
  /* A $ref to itself that never consumes any of the value ends, with an error. */
  assert_schema_problem ("{\"$defs\": {\"loop\": {\"$ref\": \"#/$defs/loop\"}},"
                         " \"$ref\": \"#/$defs/loop\"}", "1", "deeper than");
}

static void
test_boolean_schemas (void)
{
  assert_valid ("true", "{\"anything\": [1]}");
  assert_invalid ("false", "1", "$", "no value is allowed here");
  assert_invalid ("{\"properties\": {\"gone\": false}}", "{\"gone\": 1}", "$.gone",
                  "no value is allowed here");
}

static void
test_unknown_keywords_pass (void)
{
  /* Annotations and keywords this validator does not implement must not fail a value. */
  assert_valid ("{\"type\": \"string\", \"format\": \"email\", \"title\": \"E-mail\","
                " \"x-custom\": {\"anything\": true}}", "\"not an email\"");
}

static void
test_first_problem_in_member_order (void)
{
  const char *schema =
    "{\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}}";

  /* The value's own order decides which problem comes first. */
  assert_invalid (schema, "{\"b\": 1, \"a\": 2}", "$.b", "expected a string");
  assert_invalid (schema, "{\"a\": 1, \"b\": 2}", "$.a", "expected a string");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-validator/type", test_type);
  g_test_add_func ("/json-validator/type/integer-versus-number", test_type_integer_versus_number);
  g_test_add_func ("/json-validator/type/array-of-types", test_type_array_of_types);
  g_test_add_func ("/json-validator/properties/paths-name-the-member",
                   test_properties_and_paths);
  g_test_add_func ("/json-validator/required", test_required);
  g_test_add_func ("/json-validator/additional-properties", test_additional_properties);
  g_test_add_func ("/json-validator/items", test_items);
  g_test_add_func ("/json-validator/enum", test_enum);
  g_test_add_func ("/json-validator/const", test_const);
  g_test_add_func ("/json-validator/minimum-maximum", test_minimum_maximum);
  g_test_add_func ("/json-validator/string-length-counts-characters", test_string_length);
  g_test_add_func ("/json-validator/min-max-properties", test_property_counts);
  g_test_add_func ("/json-validator/pattern", test_pattern);
  g_test_add_func ("/json-validator/any-of", test_any_of);
  g_test_add_func ("/json-validator/one-of", test_one_of);
  g_test_add_func ("/json-validator/all-of", test_all_of);
  g_test_add_func ("/json-validator/not-and-if-then-else", test_not_and_conditionals);
  g_test_add_func ("/json-validator/ref-to-defs", test_ref_to_defs);
  g_test_add_func ("/json-validator/ref-problems-are-schema-errors", test_ref_problems);
  g_test_add_func ("/json-validator/boolean-schemas", test_boolean_schemas);
  g_test_add_func ("/json-validator/unknown-keywords-pass", test_unknown_keywords_pass);
  g_test_add_func ("/json-validator/first-problem-in-member-order",
                   test_first_problem_in_member_order);

  return g_test_run ();
}
