/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the TetherJsonSchema tests: see json-schema-test-util.h. */
#include "config.h"

#include "json-schema-test-util.h"

JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

TetherJsonSchema *
schema_from (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return tether_json_schema_new (json_node_get_object (node));
}

void
assert_valid (TetherJsonSchema *schema,
              const char       *value_text)
{
  g_autoptr(JsonNode) value = parse (value_text);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!tether_json_schema_validate (schema, value, &path, &error))
    g_error ("%s should be valid, got “%s” at “%s”", value_text, error->message, path);
  g_assert_null (path);
}

void
assert_invalid (TetherJsonSchema *schema,
                const char       *value_text,
                const char       *expected_path,
                int               expected_code,
                const char       *expected_message)
{
  g_autoptr(JsonNode) value = parse (value_text);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (tether_json_schema_validate (schema, value, &path, &error))
    g_error ("%s should be invalid", value_text);
  g_assert_error (error, TETHER_JSON_SCHEMA_ERROR, expected_code);
  g_assert_cmpstr (path, ==, expected_path);
  if (expected_message != NULL)
    g_assert_cmpstr (error->message, ==, expected_message);
}
