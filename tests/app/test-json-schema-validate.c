/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/app/tether-json-schema{,-validate}.c: validation and the messages the form
 * shows, defaults, hints, paths and hostile schemas. No widgets. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "json-schema-test-util.h"

static void
test_validate_strings (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {"
    "  \"code\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}$\"},"
    "  \"word\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 3},"
    "  \"bad_pattern\": {\"type\": \"string\", \"pattern\": \"([\"}}}");

  assert_valid (root, "{\"code\": \"ABC\", \"word\": \"äöü\"}");
  assert_invalid (root, "{\"code\": \"abc\"}", "code", TETHER_JSON_SCHEMA_ERROR_PATTERN,
                  "Must match the pattern ^[A-Z]{3}$");
  assert_invalid (root, "{\"word\": \"\"}", "word", TETHER_JSON_SCHEMA_ERROR_LENGTH,
                  "Must be at least 1 character long");
  /* Lengths count characters, not bytes. */
  assert_invalid (root, "{\"word\": \"äöüß\"}", "word", TETHER_JSON_SCHEMA_ERROR_LENGTH,
                  "Must be at most 3 characters long");
  /* A pattern that does not compile is not held against the value. */
  assert_valid (root, "{\"bad_pattern\": \"anything\"}");
  assert_invalid (root, "{\"word\": 5}", "word", TETHER_JSON_SCHEMA_ERROR_TYPE,
                  "Expected text, got 5");
}

static void
test_validate_formats (void)
{
  struct { const char *format; const char *text; gboolean valid; } cases[] = {
    { "uri", "https://example.com/a?b=c", TRUE },
    { "uri", "mailto:someone@example.com", TRUE },
    { "uri", "example.com", FALSE },
    { "uri", "https://exa mple.com", FALSE },
    { "email", "name@example.com", TRUE },
    { "email", "name@localhost", TRUE },
    { "email", "name", FALSE },
    { "email", "name@", FALSE },
    { "email", "a b@example.com", FALSE },
    { "date", "2024-02-29", TRUE },
    { "date", "2023-02-29", FALSE },
    { "date", "2024-13-01", FALSE },
    { "date", "24-01-01", FALSE },
    { "time", "13:45:00Z", TRUE },
    { "time", "13:45:00.123+02:00", TRUE },
    { "time", "25:00:00Z", FALSE },
    { "time", "13:45", FALSE },
    { "date-time", "2024-05-31T13:45:00Z", TRUE },
    { "date-time", "2024-05-31t13:45:00-07:30", TRUE },
    { "date-time", "2024-05-31", FALSE },
    { "date-time", "2024-05-31T13:45:00", FALSE },
    { "uuid", "123e4567-e89b-12d3-a456-426614174000", TRUE },
    { "uuid", "123e4567e89b12d3a456426614174000", FALSE },
    { "ipv4", "192.0.2.1", TRUE },
    { "ipv4", "2001:db8::1", FALSE },
    { "ipv4", "256.0.0.1", FALSE },
    { "ipv6", "2001:db8::1", TRUE },
    { "ipv6", "192.0.2.1", FALSE },
    { "hostname", "example.com", TRUE },
    { "hostname", "-bad.example", FALSE },
    { "regex", "^a+$", TRUE },
    { "regex", "(", FALSE },
    { "something-new", "anything", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = tether_json_schema_check_format (cases[i].format, cases[i].text, &error);

      if (valid != cases[i].valid)
        g_error ("format %s, “%s”: expected %s", cases[i].format, cases[i].text,
                 cases[i].valid ? "valid" : "invalid");
      if (!valid)
        {
          g_assert_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_FORMAT);
          g_assert_cmpstr (error->message, !=, "");
        }
      else
        g_assert_no_error (error);
    }
}

static void
test_validate_numbers (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {"
    "  \"count\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 10},"
    "  \"ratio\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"exclusiveMaximum\": 1},"
    "  \"old\": {\"type\": \"number\", \"minimum\": 0, \"exclusiveMinimum\": true},"
    "  \"step\": {\"type\": \"number\", \"multipleOf\": 0.1},"
    "  \"big\": {\"type\": \"number\", \"maximum\": 2.5}}}");

  assert_valid (root, "{\"count\": 1, \"ratio\": 0.5, \"old\": 0.1, \"step\": 0.3}");
  assert_valid (root, "{\"count\": 2.0}");
  assert_invalid (root, "{\"count\": 1.5}", "count", TETHER_JSON_SCHEMA_ERROR_TYPE,
                  "Expected a whole number, got 1.5");
  assert_invalid (root, "{\"count\": 0}", "count", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be at least 1");
  assert_invalid (root, "{\"count\": 11}", "count", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be at most 10");
  assert_invalid (root, "{\"ratio\": 0}", "ratio", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be greater than 0");
  assert_invalid (root, "{\"ratio\": 1}", "ratio", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be less than 1");
  assert_invalid (root, "{\"old\": 0}", "old", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be greater than 0");
  assert_invalid (root, "{\"step\": 0.25}", "step", TETHER_JSON_SCHEMA_ERROR_MULTIPLE_OF,
                  "Must be a multiple of 0.1");
  assert_invalid (root, "{\"big\": 2.75}", "big", TETHER_JSON_SCHEMA_ERROR_RANGE,
                  "Must be at most 2.5");
  assert_invalid (root, "{\"count\": \"3\"}", "count", TETHER_JSON_SCHEMA_ERROR_TYPE,
                  "Expected a whole number, got \"3\"");
  assert_invalid (root, "{\"ratio\": true}", "ratio", TETHER_JSON_SCHEMA_ERROR_TYPE, NULL);
}

static void
test_validate_objects_and_arrays (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"config\"],"
    " \"properties\": {"
    "  \"config\": {\"type\": \"object\", \"required\": [\"name\"],"
    "              \"properties\": {\"name\": {\"type\": \"string\"}}},"
    "  \"tags\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 3, \"uniqueItems\": true,"
    "            \"items\": {\"type\": \"string\", \"minLength\": 2}},"
    "  \"weird key\": {\"type\": \"object\", \"minProperties\": 1},"
    "  \"map\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}}}");

  assert_valid (root, "{\"config\": {\"name\": \"x\"}, \"tags\": [\"ab\", \"cd\"]}");
  assert_invalid (root, "{}", "config", TETHER_JSON_SCHEMA_ERROR_REQUIRED,
                  "A value is required");
  assert_invalid (root, "{\"config\": {}}", "config.name", TETHER_JSON_SCHEMA_ERROR_REQUIRED,
                  NULL);
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"tags\": []}", "tags",
                  TETHER_JSON_SCHEMA_ERROR_ITEMS, "Needs at least 1 item");
  assert_invalid (root,
                  "{\"config\": {\"name\": \"x\"}, \"tags\": [\"ab\", \"cd\", \"ef\", \"gh\"]}",
                  "tags", TETHER_JSON_SCHEMA_ERROR_ITEMS, "Allows at most 3 items");
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"tags\": [\"ab\", \"cd\", \"a\"]}",
                  "tags[2]", TETHER_JSON_SCHEMA_ERROR_LENGTH, NULL);
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"tags\": [\"ab\", \"ab\"]}", "tags",
                  TETHER_JSON_SCHEMA_ERROR_ITEMS,
                  "Items must be different, but items 1 and 2 are the same");
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"extra\": 1}", "extra",
                  TETHER_JSON_SCHEMA_ERROR_PROPERTIES,
                  "“extra” is not one of the allowed members");
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"weird key\": {}}", "[\"weird key\"]",
                  TETHER_JSON_SCHEMA_ERROR_PROPERTIES, "Needs at least 1 member");
  assert_valid (root, "{\"config\": {\"name\": \"x\"}, \"map\": {\"a\": 1, \"b\": 2}}");
  assert_invalid (root, "{\"config\": {\"name\": \"x\"}, \"map\": {\"a\": 1, \"b\": \"2\"}}",
                  "map.b", TETHER_JSON_SCHEMA_ERROR_TYPE, "Expected a whole number, got \"2\"");
  assert_invalid (root, "[]", "", TETHER_JSON_SCHEMA_ERROR_TYPE, "Expected an object, got []");
}

static void
test_build_default (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"type\": \"object\", \"required\": [\"inner\"],"
    " \"properties\": {"
    "  \"inner\": {\"type\": \"object\", \"required\": [\"a\"],"
    "             \"properties\": {\"a\": {\"type\": \"integer\", \"default\": 3},"
    "                              \"b\": {\"type\": \"string\", \"default\": \"x\"},"
    "                              \"c\": {\"type\": \"string\", \"default\": null}}},"
    "  \"optional\": {\"type\": \"object\", \"properties\": {\"d\": {\"default\": 1}}},"
    "  \"limit\": {\"type\": \"integer\", \"default\": 10}}}");
  g_autoptr(JsonNode) value = tether_json_schema_build_default (root);
  g_autofree char *text = json_to_string (value, FALSE);

  g_assert_cmpstr (text, ==, "{\"inner\":{\"a\":3,\"b\":\"x\"},\"limit\":10}");
}

static void
test_multiline_hints (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {"
    "  \"long\": {\"type\": \"string\", \"maxLength\": 1000},"
    "  \"short\": {\"type\": \"string\", \"maxLength\": 20},"
    "  \"area\": {\"type\": \"string\", \"format\": \"textarea\"},"
    "  \"media\": {\"type\": \"string\", \"contentMediaType\": \"text/markdown\"},"
    "  \"told\": {\"type\": \"string\", \"description\": \"The message, may be multi-line\"},"
    "  \"body\": {\"type\": \"string\"},"
    "  \"city\": {\"type\": \"string\", \"description\": \"A city\"},"
    "  \"count\": {\"type\": \"integer\", \"maxLength\": 1000}}}");
  const char *multiline[] = { "long", "area", "media", "told", "body" };
  const char *single[] = { "short", "city", "count" };

  for (guint i = 0; i < G_N_ELEMENTS (multiline); i++)
    g_assert_true (tether_json_schema_prefers_multiline (
      tether_json_schema_get_property (root, multiline[i]), multiline[i]));
  for (guint i = 0; i < G_N_ELEMENTS (single); i++)
    g_assert_false (tether_json_schema_prefers_multiline (
      tether_json_schema_get_property (root, single[i]), single[i]));
}

static void
test_path_syntax (void)
{
  g_autoptr(GString) path = g_string_new (NULL);

  tether_json_schema_append_path_member (path, "items");
  tether_json_schema_append_path_index (path, 2);
  tether_json_schema_append_path_member (path, "name");
  tether_json_schema_append_path_member (path, "Content-Type");
  tether_json_schema_append_path_member (path, "with \"quote\"");
  tether_json_schema_append_path_member (path, "2x");
  g_assert_cmpstr (path->str, ==,
                   "items[2].name.Content-Type[\"with \\\"quote\\\"\"][\"2x\"]");
}

/* Schemas come from servers: odd shapes must neither crash nor emit criticals (the tests run
 * with fatal criticals). */
static void
test_hostile_schemas (void)
{
  const char *schemas[] = {
    "{\"type\": 5}",
    "{\"type\": [5, \"string\"]}",
    "{\"properties\": []}",
    "{\"properties\": {\"a\": 5}}",
    "{\"required\": \"a\", \"properties\": {\"a\": {}}}",
    "{\"enum\": \"x\"}",
    "{\"enum\": []}",
    "{\"anyOf\": []}",
    "{\"anyOf\": [5]}",
    "{\"allOf\": [5]}",
    "{\"items\": 5, \"type\": \"array\"}",
    "{\"minLength\": \"3\", \"maxLength\": -1, \"type\": \"string\"}",
    "{\"minimum\": \"0\", \"multipleOf\": 0, \"type\": \"number\"}",
    "{\"$ref\": \"#/\"}",
    "{\"$ref\": \"#/%zz\"}",
    "{\"$ref\": \"#/properties/a/0/9999999999999\"}",
    "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}",
    "{\"title\": 5, \"description\": [], \"default\": {\"x\": 1}}",
  };
  JsonNode *values[] = {
    parse ("null"), parse ("\"text\""), parse ("[1, \"2\", {}]"), parse ("{\"a\": {\"b\": []}}"),
    parse ("3.5"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    {
      g_autoptr(TetherJsonSchema) schema = schema_from (schemas[i]);
      const char * const *names = tether_json_schema_get_property_names (schema);
      g_autoptr(JsonNode) fallback = tether_json_schema_build_default (schema);

      (void) tether_json_schema_get_title (schema);
      (void) tether_json_schema_get_description (schema);
      (void) tether_json_schema_get_items (schema);
      for (guint j = 0; names[j] != NULL; j++)
        (void) tether_json_schema_get_property (schema, names[j]);
      for (guint j = 0; j < tether_json_schema_get_n_variants (schema); j++)
        g_free (tether_json_schema_dup_variant_label (schema, j));
      for (guint j = 0; j < G_N_ELEMENTS (values); j++)
        {
          g_autofree char *path = NULL;
          g_autoptr(GError) error = NULL;

          if (!tether_json_schema_validate (schema, values[j], &path, &error))
            {
              g_assert_nonnull (error);
              g_assert_nonnull (path);
            }
        }
    }
  for (guint j = 0; j < G_N_ELEMENTS (values); j++)
    json_node_unref (values[j]);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/json-schema/validate/strings", test_validate_strings);
  g_test_add_func ("/app/json-schema/validate/formats", test_validate_formats);
  g_test_add_func ("/app/json-schema/validate/numbers", test_validate_numbers);
  g_test_add_func ("/app/json-schema/validate/objects-and-arrays-name-the-path",
                   test_validate_objects_and_arrays);
  g_test_add_func ("/app/json-schema/default/built-from-required-members", test_build_default);
  g_test_add_func ("/app/json-schema/multiline-hints", test_multiline_hints);
  g_test_add_func ("/app/json-schema/path-syntax", test_path_syntax);
  g_test_add_func ("/app/json-schema/hostile-schemas-do-not-crash", test_hostile_schemas);

  return g_test_run ();
}
