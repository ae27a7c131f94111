/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of src/app/tether-json-schema*.c: resolution ($ref, $defs) and classification
 * (nullable, alternatives, enums, allOf, kinds, property order). No widgets. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "json-schema-test-util.h"

static void
test_ref_defs (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"type\": \"object\","
    " \"$defs\": {\"Name\": {\"type\": \"string\", \"minLength\": 2, \"title\": \"A name\"}},"
    " \"properties\": {\"a\": {\"$ref\": \"#/$defs/Name\", \"description\": \"Who\"}}}");
  TetherJsonSchema *a = tether_json_schema_get_property (root, "a");

  g_assert_nonnull (a);
  g_assert_cmpint (tether_json_schema_get_kind (a), ==, TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_cmpstr (tether_json_schema_get_title (a), ==, "A name");
  g_assert_cmpstr (tether_json_schema_get_description (a), ==, "Who");
  assert_valid (root, "{\"a\": \"Bo\"}");
  assert_invalid (root, "{\"a\": \"B\"}", "a", TETHER_JSON_SCHEMA_ERROR_LENGTH,
                  "Must be at least 2 characters long");
  /* The same property asked twice is the same object: children are made once. */
  g_assert_true (tether_json_schema_get_property (root, "a") == a);
  g_assert_null (tether_json_schema_get_property (root, "b"));
}

static void
test_ref_definitions_and_chain (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"definitions\": {"
    "   \"Outer\": {\"$ref\": \"#/definitions/Inner\", \"title\": \"Outer title\"},"
    "   \"Inner\": {\"type\": \"integer\", \"maximum\": 9, \"title\": \"Inner title\"}},"
    " \"properties\": {\"n\": {\"$ref\": \"#/definitions/Outer\"}}}");
  TetherJsonSchema *n = tether_json_schema_get_property (root, "n");
  double maximum = 0;

  g_assert_cmpint (tether_json_schema_get_kind (root), ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
  g_assert_cmpint (tether_json_schema_get_kind (n), ==, TETHER_JSON_SCHEMA_KIND_INTEGER);
  /* The title nearest the property wins; validation keywords come from the end of the chain. */
  g_assert_cmpstr (tether_json_schema_get_title (n), ==, "Outer title");
  g_assert_true (tether_json_schema_get_number (n, "maximum", &maximum));
  g_assert_cmpfloat (maximum, ==, 9);
  assert_invalid (root, "{\"n\": 10}", "n", TETHER_JSON_SCHEMA_ERROR_RANGE, "Must be at most 9");
}

static void
test_ref_pointer_escapes (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$defs\": {\"a/b\": {\"type\": \"boolean\"}, \"t~x\": {\"type\": \"number\"},"
    "             \"with space\": {\"type\": \"string\"}, \"list\": [{\"type\": \"null\"}]},"
    " \"properties\": {"
    "   \"slash\": {\"$ref\": \"#/$defs/a~1b\"},"
    "   \"tilde\": {\"$ref\": \"#/$defs/t~0x\"},"
    "   \"space\": {\"$ref\": \"#/$defs/with%20space\"},"
    "   \"index\": {\"$ref\": \"#/$defs/list/0\"},"
    "   \"root\": {\"$ref\": \"#\"}}}");

  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "slash")),
                   ==, TETHER_JSON_SCHEMA_KIND_BOOLEAN);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "tilde")),
                   ==, TETHER_JSON_SCHEMA_KIND_NUMBER);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "space")),
                   ==, TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "index")),
                   ==, TETHER_JSON_SCHEMA_KIND_NULL);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "root")),
                   ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
  g_assert_true (tether_json_schema_get_identity (tether_json_schema_get_property (root, "root")) ==
                 tether_json_schema_get_identity (root));
}

static void
test_ref_anchor_and_id (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$id\": \"https://example.com/tool\","
    " \"$defs\": {\"x\": {\"$anchor\": \"email\", \"type\": \"string\", \"format\": \"email\"}},"
    " \"properties\": {"
    "   \"by_anchor\": {\"$ref\": \"#email\"},"
    "   \"by_id\": {\"$ref\": \"https://example.com/tool#/$defs/x\"}}}");

  g_assert_cmpstr (tether_json_schema_get_format (tether_json_schema_get_property (root,
                                                                                   "by_anchor")),
                   ==, "email");
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "by_id")),
                   ==, TETHER_JSON_SCHEMA_KIND_STRING);
}

/* A tree: each node has children of the same schema. Walking down is lazy and never ends
 * by itself; values are validated to any depth, with a precise path. */
static void
test_ref_recursive (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$ref\": \"#/$defs/Node\","
    " \"$defs\": {\"Node\": {\"type\": \"object\", \"required\": [\"name\"],"
    "   \"properties\": {\"name\": {\"type\": \"string\"},"
    "                    \"children\": {\"type\": \"array\","
    "                                   \"items\": {\"$ref\": \"#/$defs/Node\"}}}}}}");
  TetherJsonSchema *level = root;

  g_assert_cmpint (tether_json_schema_get_kind (root), ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
  for (guint i = 0; i < 200; i++)
    {
      TetherJsonSchema *children = tether_json_schema_get_property (level, "children");
      TetherJsonSchema *item = tether_json_schema_get_items (children);

      g_assert_cmpint (tether_json_schema_get_kind (item), ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
      g_assert_true (tether_json_schema_get_identity (item) ==
                     tether_json_schema_get_identity (root));
      level = item;
    }

  assert_valid (root, "{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": []}]}");
  assert_invalid (root,
                  "{\"name\": \"a\", \"children\": [{\"name\": \"b\","
                  " \"children\": [{\"name\": \"c\"}, {\"children\": []}]}]}",
                  "children[0].children[1].name", TETHER_JSON_SCHEMA_ERROR_REQUIRED,
                  "A value is required");
}

static void
test_ref_circular_and_missing (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$defs\": {\"A\": {\"$ref\": \"#/$defs/B\"}, \"B\": {\"$ref\": \"#/$defs/A\"}},"
    " \"properties\": {"
    "   \"loop\": {\"$ref\": \"#/$defs/A\"},"
    "   \"missing\": {\"$ref\": \"#/$defs/Nope\"},"
    "   \"external\": {\"$ref\": \"other.json#/x\"},"
    "   \"not_string\": {\"$ref\": 42},"
    "   \"not_schema\": {\"$ref\": \"#/$defs/A/$ref\"}}}");
  const char *names[] = { "loop", "missing", "external", "not_string", "not_schema" };
  const char *reasons[] = { "circular", "#/$defs/Nope", "other.json#/x", "not a string",
                            "not a schema" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TetherJsonSchema *property = tether_json_schema_get_property (root, names[i]);
      const char *reason = tether_json_schema_get_unsupported_reason (property);

      g_assert_cmpint (tether_json_schema_get_kind (property), ==,
                       TETHER_JSON_SCHEMA_KIND_UNSUPPORTED);
      g_assert_nonnull (reason);
      if (strstr (reason, reasons[i]) == NULL)
        g_error ("reason for %s was “%s”", names[i], reason);
    }
  /* Whatever cannot be understood cannot be held against a value either. */
  assert_valid (root, "{\"loop\": [1, {}], \"missing\": \"x\"}");
}

static void
test_nullable_type_list (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {\"s\": {\"type\": [\"string\", \"null\"], \"maxLength\": 2},"
    "                  \"only_null\": {\"type\": [\"null\"]},"
    "                  \"plain\": {\"type\": \"string\"}}}");
  TetherJsonSchema *s = tether_json_schema_get_property (root, "s");

  g_assert_cmpint (tether_json_schema_get_kind (s), ==, TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_true (tether_json_schema_get_nullable (s));
  g_assert_false (tether_json_schema_get_nullable (tether_json_schema_get_property (root,
                                                                                    "plain")));
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root,
                                                                                 "only_null")),
                   ==, TETHER_JSON_SCHEMA_KIND_NULL);
  assert_valid (root, "{\"s\": null, \"only_null\": null}");
  assert_invalid (root, "{\"plain\": null}", "plain", TETHER_JSON_SCHEMA_ERROR_TYPE,
                  "Expected text, got null");
  assert_invalid (root, "{\"s\": \"abc\"}", "s", TETHER_JSON_SCHEMA_ERROR_LENGTH, NULL);
}

/* What pydantic writes for Optional[str] = None and Optional[Model]. */
static void
test_nullable_any_of (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$defs\": {\"Point\": {\"type\": \"object\", \"title\": \"Point\","
    "                         \"properties\": {\"x\": {\"type\": \"number\"}}}},"
    " \"properties\": {"
    "  \"name\": {\"anyOf\": [{\"type\": \"string\", \"maxLength\": 3}, {\"type\": \"null\"}],"
    "            \"default\": null, \"title\": \"Name\"},"
    "  \"point\": {\"anyOf\": [{\"$ref\": \"#/$defs/Point\"}, {\"type\": \"null\"}],"
    "             \"description\": \"Where\"},"
    "  \"level\": {\"enum\": [\"low\", \"high\", null]},"
    "  \"nothing\": {\"oneOf\": [{\"type\": \"null\"}]}}}");
  TetherJsonSchema *name = tether_json_schema_get_property (root, "name");
  TetherJsonSchema *point = tether_json_schema_get_property (root, "point");
  TetherJsonSchema *level = tether_json_schema_get_property (root, "level");
  JsonNode *fallback = tether_json_schema_get_default (name);

  g_assert_cmpint (tether_json_schema_get_kind (name), ==, TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_true (tether_json_schema_get_nullable (name));
  g_assert_cmpstr (tether_json_schema_get_title (name), ==, "Name");
  g_assert_nonnull (fallback);
  g_assert_true (JSON_NODE_HOLDS_NULL (fallback));

  g_assert_cmpint (tether_json_schema_get_kind (point), ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
  g_assert_true (tether_json_schema_get_nullable (point));
  g_assert_cmpstr (tether_json_schema_get_description (point), ==, "Where");
  g_assert_cmpstr (tether_json_schema_get_title (point), ==, "Point");
  g_assert_cmpstr (tether_json_schema_get_property_names (point)[0], ==, "x");

  g_assert_cmpint (tether_json_schema_get_kind (level), ==, TETHER_JSON_SCHEMA_KIND_ENUM);
  g_assert_true (tether_json_schema_get_nullable (level));
  g_assert_cmpuint (tether_json_schema_get_n_choices (level), ==, 2);

  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root,
                                                                                 "nothing")),
                   ==, TETHER_JSON_SCHEMA_KIND_NULL);

  assert_valid (root, "{\"name\": null, \"point\": null, \"level\": null}");
  assert_invalid (root, "{\"name\": \"abcd\"}", "name", TETHER_JSON_SCHEMA_ERROR_LENGTH,
                  "Must be at most 3 characters long");
  assert_invalid (root, "{\"point\": {\"x\": \"far\"}}", "point.x", TETHER_JSON_SCHEMA_ERROR_TYPE,
                  "Expected a number, got \"far\"");
}

static void
test_variants_objects (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$defs\": {"
    "   \"Circle\": {\"type\": \"object\", \"required\": [\"kind\", \"radius\"],"
    "              \"properties\": {\"kind\": {\"const\": \"circle\"},"
    "                               \"radius\": {\"type\": \"number\", \"minimum\": 0}}},"
    "   \"Rect\": {\"type\": \"object\", \"required\": [\"kind\", \"w\"],"
    "            \"properties\": {\"kind\": {\"const\": \"rect\"}, \"w\": {\"type\": \"number\"}}},"
    "   \"Blob\": {\"type\": \"object\", \"additionalProperties\": false,"
    "            \"properties\": {\"size\": {\"type\": \"integer\"}}}},"
    " \"properties\": {\"shape\": {\"oneOf\": ["
    "    {\"$ref\": \"#/$defs/Circle\"}, {\"$ref\": \"#/$defs/Rect\"},"
    "    {\"$ref\": \"#/$defs/Blob\", \"title\": \"Something else\"}, {\"type\": \"null\"}]}}}");
  TetherJsonSchema *shape = tether_json_schema_get_property (root, "shape");
  g_autofree char *label0 = NULL;
  g_autofree char *label1 = NULL;
  g_autofree char *label2 = NULL;
  g_autoptr(JsonNode) rect = parse ("{\"kind\": \"rect\", \"w\": 2}");
  g_autoptr(JsonNode) broken_circle = parse ("{\"kind\": \"circle\", \"radius\": -1}");
  g_autoptr(JsonNode) text = parse ("\"x\"");
  g_autoptr(JsonNode) blob = parse ("{\"size\": 1}");

  g_assert_cmpint (tether_json_schema_get_kind (shape), ==, TETHER_JSON_SCHEMA_KIND_VARIANTS);
  g_assert_true (tether_json_schema_get_nullable (shape));
  g_assert_cmpuint (tether_json_schema_get_n_variants (shape), ==, 3);

  label0 = tether_json_schema_dup_variant_label (shape, 0);
  label1 = tether_json_schema_dup_variant_label (shape, 1);
  label2 = tether_json_schema_dup_variant_label (shape, 2);
  /* The discriminator names the first two, the title the third. */
  g_assert_cmpstr (label0, ==, "circle");
  g_assert_cmpstr (label1, ==, "rect");
  g_assert_cmpstr (label2, ==, "Something else");

  g_assert_cmpint (tether_json_schema_match_variant (shape, rect), ==, 1);
  /* Invalid, but its discriminator says which alternative it meant. */
  g_assert_cmpint (tether_json_schema_match_variant (shape, broken_circle), ==, 0);
  g_assert_cmpint (tether_json_schema_match_variant (shape, text), ==, -1);
  g_assert_cmpint (tether_json_schema_match_variant (shape, blob), ==, 2);

  assert_valid (root, "{\"shape\": {\"kind\": \"circle\", \"radius\": 1}}");
  assert_valid (root, "{\"shape\": null}");
  /* The message is the one of the alternative the value was meant to be. */
  assert_invalid (root, "{\"shape\": {\"kind\": \"circle\", \"radius\": -1}}", "shape.radius",
                  TETHER_JSON_SCHEMA_ERROR_RANGE, "Must be at least 0");
  assert_invalid (root, "{\"shape\": \"round\"}", "shape", TETHER_JSON_SCHEMA_ERROR_VARIANT,
                  "Does not match any of the allowed shapes");
}

static void
test_variants_one_of_ambiguous (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {\"v\": {\"oneOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]},"
    "                  \"w\": {\"anyOf\": [{\"type\": \"number\"}, {\"type\": \"integer\"}]}}}");

  assert_valid (root, "{\"v\": 1.5, \"w\": 1}");
  assert_invalid (root, "{\"v\": 1}", "v", TETHER_JSON_SCHEMA_ERROR_VARIANT,
                  "Matches more than one of the allowed shapes");
}

static void
test_variants_type_list (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {\"v\": {\"type\": [\"string\", \"integer\", \"null\"], \"title\": \"V\"},"
    "                  \"n\": {\"type\": [\"integer\", \"number\"]}}}");
  TetherJsonSchema *v = tether_json_schema_get_property (root, "v");
  g_autofree char *label0 = NULL;
  g_autofree char *label1 = NULL;

  g_assert_cmpint (tether_json_schema_get_kind (v), ==, TETHER_JSON_SCHEMA_KIND_VARIANTS);
  g_assert_true (tether_json_schema_get_nullable (v));
  g_assert_cmpuint (tether_json_schema_get_n_variants (v), ==, 2);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_variant (v, 0)), ==,
                   TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_variant (v, 1)), ==,
                   TETHER_JSON_SCHEMA_KIND_INTEGER);
  /* The variants do not repeat the field's own title. */
  g_assert_null (tether_json_schema_get_title (tether_json_schema_get_variant (v, 0)));
  label0 = tether_json_schema_dup_variant_label (v, 0);
  label1 = tether_json_schema_dup_variant_label (v, 1);
  g_assert_cmpstr (label0, ==, "Text");
  g_assert_cmpstr (label1, ==, "Whole Number");

  /* Every integer is a number. */
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "n")), ==,
                   TETHER_JSON_SCHEMA_KIND_NUMBER);
  assert_valid (root, "{\"v\": \"a\", \"n\": 1.5}");
  assert_valid (root, "{\"v\": 3}");
  assert_invalid (root, "{\"v\": true}", "v", TETHER_JSON_SCHEMA_ERROR_VARIANT, NULL);
}

static void
test_variants_constraint_any_of (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {\"when\": {\"type\": \"string\","
    "   \"anyOf\": [{\"format\": \"date\"}, {\"format\": \"date-time\"}]}}}");
  TetherJsonSchema *when = tether_json_schema_get_property (root, "when");

  g_assert_cmpint (tether_json_schema_get_kind (when), ==, TETHER_JSON_SCHEMA_KIND_STRING);
  assert_valid (root, "{\"when\": \"2024-02-29\"}");
  assert_valid (root, "{\"when\": \"2024-02-29T10:00:00Z\"}");
  assert_invalid (root, "{\"when\": \"tomorrow\"}", "when", TETHER_JSON_SCHEMA_ERROR_VARIANT,
                  NULL);
}

static void
test_enum_titles (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {"
    "  \"unit\": {\"type\": \"string\", \"oneOf\": ["
    "     {\"const\": \"c\", \"title\": \"Celsius\"},"
    "     {\"const\": \"f\", \"title\": \"Fahrenheit\"},"
    "     {\"const\": \"k\"}]},"
    "  \"legacy\": {\"enum\": [1, 2], \"enumNames\": [\"One\", \"Two\"]},"
    "  \"plain\": {\"enum\": [\"a\", 2, true]}}}");
  TetherJsonSchema *unit = tether_json_schema_get_property (root, "unit");
  TetherJsonSchema *legacy = tether_json_schema_get_property (root, "legacy");
  TetherJsonSchema *plain = tether_json_schema_get_property (root, "plain");
  g_autoptr(JsonNode) two = parse ("2.0");
  g_autofree char *c = NULL;
  g_autofree char *k = NULL;
  g_autofree char *one = NULL;
  g_autofree char *a = NULL;
  g_autofree char *yes = NULL;

  g_assert_cmpint (tether_json_schema_get_kind (unit), ==, TETHER_JSON_SCHEMA_KIND_ENUM);
  g_assert_cmpuint (tether_json_schema_get_n_choices (unit), ==, 3);
  c = tether_json_schema_dup_choice_label (unit, 0);
  k = tether_json_schema_dup_choice_label (unit, 2);
  g_assert_cmpstr (c, ==, "Celsius");
  g_assert_cmpstr (k, ==, "k");
  g_assert_cmpstr (json_node_get_string (tether_json_schema_get_choice_value (unit, 1)), ==, "f");

  one = tether_json_schema_dup_choice_label (legacy, 0);
  g_assert_cmpstr (one, ==, "One");
  /* 2 and 2.0 are the same JSON number. */
  g_assert_cmpint (tether_json_schema_find_choice (legacy, two), ==, 1);

  a = tether_json_schema_dup_choice_label (plain, 0);
  yes = tether_json_schema_dup_choice_label (plain, 2);
  g_assert_cmpstr (a, ==, "a");
  g_assert_cmpstr (yes, ==, "true");

  assert_valid (root, "{\"unit\": \"f\", \"plain\": true}");
  assert_invalid (root, "{\"unit\": \"x\"}", "unit", TETHER_JSON_SCHEMA_ERROR_ENUM,
                  "Must be one of \"c\", \"f\", \"k\"");
}

static void
test_const (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {\"kind\": {\"const\": \"circle\"}, \"none\": {\"const\": null}}}");
  TetherJsonSchema *kind = tether_json_schema_get_property (root, "kind");

  g_assert_cmpint (tether_json_schema_get_kind (kind), ==, TETHER_JSON_SCHEMA_KIND_CONST);
  g_assert_cmpstr (json_node_get_string (tether_json_schema_get_const (kind)), ==, "circle");
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "none")),
                   ==, TETHER_JSON_SCHEMA_KIND_NULL);
  assert_invalid (root, "{\"kind\": \"square\"}", "kind", TETHER_JSON_SCHEMA_ERROR_ENUM,
                  "Must be \"circle\"");
}

static void
test_all_of (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"$defs\": {\"Base\": {\"type\": \"object\", \"required\": [\"id\"],"
    "                        \"properties\": {\"id\": {\"type\": \"integer\"}}},"
    "             \"Label\": {\"type\": \"string\", \"maxLength\": 4}},"
    " \"properties\": {"
    "  \"item\": {\"allOf\": [{\"$ref\": \"#/$defs/Base\"},"
    "                         {\"properties\": {\"name\": {\"type\": \"string\"}},"
    "                          \"required\": [\"name\"]}], \"title\": \"Item\"},"
    "  \"label\": {\"allOf\": [{\"$ref\": \"#/$defs/Label\"}], \"description\": \"Short\"},"
    "  \"odd\": {\"allOf\": [{\"type\": \"string\"}, {\"minLength\": 2}]}}}");
  TetherJsonSchema *item = tether_json_schema_get_property (root, "item");
  TetherJsonSchema *label = tether_json_schema_get_property (root, "label");
  const char * const *names = tether_json_schema_get_property_names (item);

  g_assert_cmpint (tether_json_schema_get_kind (item), ==, TETHER_JSON_SCHEMA_KIND_OBJECT);
  g_assert_cmpstr (tether_json_schema_get_title (item), ==, "Item");
  g_assert_cmpstr (names[0], ==, "id");
  g_assert_cmpstr (names[1], ==, "name");
  g_assert_null (names[2]);
  g_assert_true (tether_json_schema_is_required (item, "id"));
  g_assert_true (tether_json_schema_is_required (item, "name"));

  g_assert_cmpint (tether_json_schema_get_kind (label), ==, TETHER_JSON_SCHEMA_KIND_STRING);
  g_assert_cmpstr (tether_json_schema_get_description (label), ==, "Short");

  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_property (root, "odd")),
                   ==, TETHER_JSON_SCHEMA_KIND_UNSUPPORTED);

  assert_invalid (root, "{\"item\": {\"id\": 1}}", "item.name",
                  TETHER_JSON_SCHEMA_ERROR_REQUIRED, NULL);
  assert_invalid (root, "{\"label\": \"longer\"}", "label", TETHER_JSON_SCHEMA_ERROR_LENGTH,
                  NULL);
}

static void
test_kinds_inferred_and_unsupported (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"properties\": {"
    "  \"obj\": {\"properties\": {}}, \"arr\": {\"items\": {\"type\": \"string\"}},"
    "  \"str\": {\"minLength\": 1}, \"num\": {\"maximum\": 3}, \"any\": {},"
    "  \"yes\": true, \"no\": false,"
    "  \"tuple\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"}]},"
    "  \"old_tuple\": {\"type\": \"array\", \"items\": [{\"type\": \"string\"}]},"
    "  \"unknown\": {\"type\": \"date\"}, \"both\": {\"anyOf\": [{}], \"oneOf\": [{}]}}}");
  struct { const char *name; TetherJsonSchemaKind kind; } cases[] = {
    { "obj", TETHER_JSON_SCHEMA_KIND_OBJECT },
    { "arr", TETHER_JSON_SCHEMA_KIND_ARRAY },
    { "str", TETHER_JSON_SCHEMA_KIND_STRING },
    { "num", TETHER_JSON_SCHEMA_KIND_NUMBER },
    { "any", TETHER_JSON_SCHEMA_KIND_ANY },
    { "yes", TETHER_JSON_SCHEMA_KIND_ANY },
    { "no", TETHER_JSON_SCHEMA_KIND_UNSUPPORTED },
    { "tuple", TETHER_JSON_SCHEMA_KIND_UNSUPPORTED },
    { "old_tuple", TETHER_JSON_SCHEMA_KIND_UNSUPPORTED },
    { "unknown", TETHER_JSON_SCHEMA_KIND_UNSUPPORTED },
    { "both", TETHER_JSON_SCHEMA_KIND_UNSUPPORTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TetherJsonSchema *property = tether_json_schema_get_property (root, cases[i].name);

      if (tether_json_schema_get_kind (property) != cases[i].kind)
        g_error ("%s: kind %d, expected %d", cases[i].name, tether_json_schema_get_kind (property),
                 cases[i].kind);
    }
  /* An array without "items" takes anything. */
  g_assert_cmpint (tether_json_schema_get_kind (tether_json_schema_get_items (
                     tether_json_schema_get_property (root, "tuple"))),
                   ==, TETHER_JSON_SCHEMA_KIND_ANY);
  assert_invalid (root, "{\"no\": 1}", "no", TETHER_JSON_SCHEMA_ERROR_NOT_ALLOWED, NULL);
}

static void
test_property_order (void)
{
  g_autoptr(TetherJsonSchema) root = schema_from (
    "{\"type\": \"object\", \"properties\": {\"zeta\": {}, \"alpha\": {}, \"mid\": {}}}");
  const char * const *names = tether_json_schema_get_property_names (root);

  g_assert_cmpstr (names[0], ==, "zeta");
  g_assert_cmpstr (names[1], ==, "alpha");
  g_assert_cmpstr (names[2], ==, "mid");
  g_assert_null (names[3]);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/json-schema/ref/defs-resolve-with-outer-annotations", test_ref_defs);
  g_test_add_func ("/app/json-schema/ref/definitions-chain-outer-title-wins",
                   test_ref_definitions_and_chain);
  g_test_add_func ("/app/json-schema/ref/pointer-escapes-and-indexes", test_ref_pointer_escapes);
  g_test_add_func ("/app/json-schema/ref/anchor-and-own-id", test_ref_anchor_and_id);
  g_test_add_func ("/app/json-schema/ref/recursive-is-lazy-and-validates-deep",
                   test_ref_recursive);
  g_test_add_func ("/app/json-schema/ref/circular-or-missing-is-unsupported",
                   test_ref_circular_and_missing);
  g_test_add_func ("/app/json-schema/nullable/type-list", test_nullable_type_list);
  g_test_add_func ("/app/json-schema/nullable/any-of-with-null", test_nullable_any_of);
  g_test_add_func ("/app/json-schema/variants/objects-labelled-and-matched",
                   test_variants_objects);
  g_test_add_func ("/app/json-schema/variants/one-of-must-match-once",
                   test_variants_one_of_ambiguous);
  g_test_add_func ("/app/json-schema/variants/type-list", test_variants_type_list);
  g_test_add_func ("/app/json-schema/variants/constraint-any-of-keeps-kind",
                   test_variants_constraint_any_of);
  g_test_add_func ("/app/json-schema/enum/titles-from-one-of-and-enum-names", test_enum_titles);
  g_test_add_func ("/app/json-schema/const", test_const);
  g_test_add_func ("/app/json-schema/all-of/merged-objects", test_all_of);
  g_test_add_func ("/app/json-schema/kind/inferred-and-unsupported",
                   test_kinds_inferred_and_unsupported);
  g_test_add_func ("/app/json-schema/properties-keep-schema-order", test_property_order);

  return g_test_run ();
}
