/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherSchemaForm (src/app/tether-schema-form*.c) with real widgets: lists, objects,
 * null, alternatives, $ref and recursion, defaults, required marks and the JSON fallback.
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "schema-form-test-util.h"

/* Lists */

static void
test_array_add_move_remove (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *tags;
  GtkWidget *add;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"tags\": {\"type\": \"array\", \"title\": \"Tags\", \"maxItems\": 3,"
               "            \"items\": {\"type\": \"string\"}}}}");
  tags = control (fixture, "tags");
  g_assert_true (ADW_IS_EXPANDER_ROW (tags));
  add = header_widget (tags, is_button_with_icon, "list-add-symbolic");

  /* An optional empty list is left out. */
  assert_arguments (fixture, "{}");

  click (add);
  set_text (fixture, "tags[0]", "a");
  click (add);
  set_text (fixture, "tags[1]", "b");
  click (add);
  set_text (fixture, "tags[2]", "c");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (tags)));
  /* At maxItems no more can be added. */
  g_assert_false (gtk_widget_get_sensitive (add));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"b\", \"c\"]}");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture,
                                                                                "tags[2]"))),
                   ==, "Item 3");

  /* The first item cannot go up, the last not down. */
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "tags[0]"),
                                                           is_button_with_icon,
                                                           "go-up-symbolic")));
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "tags[2]"),
                                                           is_button_with_icon,
                                                           "go-down-symbolic")));

  click (header_widget (control (fixture, "tags[2]"), is_button_with_icon, "go-up-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"c\", \"b\"]}");
  /* Labels and paths follow the new positions. */
  g_assert_cmpstr (get_text (fixture, "tags[1]"), ==, "c");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture,
                                                                                "tags[1]"))),
                   ==, "Item 2");

  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon, "go-down-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"c\", \"a\", \"b\"]}");

  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon,
                        "user-trash-symbolic"));
  assert_arguments (fixture, "{\"tags\": [\"a\", \"b\"]}");
  g_assert_true (gtk_widget_get_sensitive (add));
  g_assert_cmpstr (get_text (fixture, "tags[0]"), ==, "a");
  g_assert_cmpuint (count_fields (fixture), ==, 3);

  click (header_widget (control (fixture, "tags[1]"), is_button_with_icon,
                        "user-trash-symbolic"));
  click (header_widget (control (fixture, "tags[0]"), is_button_with_icon,
                        "user-trash-symbolic"));
  assert_arguments (fixture, "{}");
}

static void
test_array_min_items (Fixture       *fixture,
                      gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"points\"], \"properties\": {"
               "  \"points\": {\"type\": \"array\", \"minItems\": 2,"
               "              \"items\": {\"type\": \"number\"}}}}");

  /* A required list starts with the items it needs, and they cannot be removed. */
  set_text (fixture, "points[0]", "1");
  set_text (fixture, "points[1]", "2.5");
  g_assert_false (gtk_widget_get_sensitive (header_widget (control (fixture, "points[1]"),
                                                           is_button_with_icon,
                                                           "user-trash-symbolic")));
  assert_arguments (fixture, "{\"points\": [1, 2.5]}");

  set_text (fixture, "points[1]", "");
  assert_invalid (fixture, "points[1]: A value is required");
}

static void
test_array_of_objects_error_path (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *add;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
               "     \"required\": [\"name\"], \"properties\": {"
               "       \"name\": {\"type\": \"string\"}, \"qty\": {\"type\": \"integer\"}}}}}}");
  add = header_widget (control (fixture, "items"), is_button_with_icon, "list-add-symbolic");

  for (guint i = 0; i < 3; i++)
    click (add);
  /* A new object item opens, its fields ready. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture, "items[2]"))));
  set_text (fixture, "items[0].name", "apple");
  set_text (fixture, "items[1].name", "pear");
  set_text (fixture, "items[1].qty", "3");

  g_assert_false (tether_schema_form_get_valid (fixture->form));
  assert_invalid (fixture, "items[2].name: A value is required");
  /* After a failed get_arguments() the message shows even though nobody touched the field. */
  g_assert_cmpstr (shown_message (fixture, "items[2].name"), ==, "A value is required");

  set_text (fixture, "items[2].name", "fig");
  assert_arguments (fixture,
                    "{\"items\": [{\"name\": \"apple\"}, {\"name\": \"pear\", \"qty\": 3},"
                    " {\"name\": \"fig\"}]}");
}

/* Objects */

static void
test_object_nested (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *config;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"config\"], \"properties\": {"
               "  \"config\": {\"type\": \"object\", \"title\": \"Configuration\","
               "    \"required\": [\"host\"], \"properties\": {"
               "      \"host\": {\"type\": \"string\"},"
               "      \"tls\": {\"type\": \"object\", \"required\": [\"verify\"],"
               "                \"properties\": {\"verify\": {\"type\": \"boolean\"}}}}}}}");
  config = control (fixture, "config");
  g_assert_true (ADW_IS_EXPANDER_ROW (config));
  /* A required object opens at once; an optional one waits behind its switch. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (config)));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture,
                                                                            "config.tls"))));

  assert_invalid (fixture, "config.host: A value is required");
  set_text (fixture, "config.host", "example.com");
  assert_arguments (fixture, "{\"config\": {\"host\": \"example.com\"}}");
}

static void
test_object_optional_include (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *proxy;
  GtkWidget *include;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"proxy\": {\"type\": \"object\", \"properties\": {"
               "     \"url\": {\"type\": \"string\", \"format\": \"uri\"},"
               "     \"port\": {\"type\": \"integer\", \"default\": 8080}}}}}");
  proxy = control (fixture, "proxy");
  include = header_widget (proxy, is_switch, NULL);

  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (proxy)));
  /* Nothing inside is built before it is asked for. */
  g_assert_cmpuint (count_fields (fixture), ==, 1);
  assert_arguments (fixture, "{}");

  gtk_switch_set_active (GTK_SWITCH (include), TRUE);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (proxy)));
  g_assert_cmpuint (count_fields (fixture), ==, 3);
  assert_arguments (fixture, "{\"proxy\": {\"port\": 8080}}");
  set_text (fixture, "proxy.url", "http://proxy:3128");
  assert_arguments (fixture, "{\"proxy\": {\"url\": \"http://proxy:3128\", \"port\": 8080}}");

  gtk_switch_set_active (GTK_SWITCH (include), FALSE);
  assert_arguments (fixture, "{}");
}

/* Null */

static void
test_nullable_toggle (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *note;
  GtkToggleButton *toggle;
  GtkWidget *text;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"limit\"], \"properties\": {"
               "  \"note\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}],"
               "            \"default\": null},"
               "  \"limit\": {\"type\": [\"integer\", \"null\"]},"
               "  \"opts\": {\"type\": [\"object\", \"null\"], \"required\": [\"x\"],"
               "            \"properties\": {\"x\": {\"type\": \"string\"}}}}}");
  note = control (fixture, "note");
  toggle = GTK_TOGGLE_BUTTON (header_widget (note, is_null_toggle, NULL));
  text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (note)));

  /* A null default on an optional field means “leave it out”: the field starts empty. */
  g_assert_false (gtk_toggle_button_get_active (toggle));
  set_text (fixture, "limit", "5");
  assert_arguments (fixture, "{\"limit\": 5}");

  set_text (fixture, "note", "kept");
  gtk_toggle_button_set_active (toggle, TRUE);
  g_assert_false (gtk_widget_get_sensitive (text));
  assert_arguments (fixture, "{\"limit\": 5, \"note\": null}");
  gtk_toggle_button_set_active (toggle, FALSE);
  g_assert_true (gtk_widget_get_sensitive (text));
  assert_arguments (fixture, "{\"limit\": 5, \"note\": \"kept\"}");

  /* A required nullable field can be satisfied with null. */
  set_text (fixture, "limit", "");
  assert_invalid (fixture, "limit: A value is required");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (header_widget (control (fixture, "limit"),
                                                                  is_null_toggle, NULL)), TRUE);
  assert_arguments (fixture, "{\"limit\": null, \"note\": \"kept\"}");

  /* An object can be null too, which closes it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (header_widget (control (fixture, "opts"),
                                                                  is_null_toggle, NULL)), TRUE);
  g_assert_false (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (control (fixture,
                                                                                    "opts"))));
  assert_arguments (fixture, "{\"limit\": null, \"note\": \"kept\", \"opts\": null}");
}

/* Alternatives */

static const char variants_schema[] =
  "{\"type\": \"object\", \"required\": [\"shape\"], \"properties\": {"
  "  \"shape\": {\"title\": \"Shape\", \"oneOf\": ["
  "    {\"type\": \"object\", \"title\": \"Circle\", \"required\": [\"kind\", \"radius\"],"
  "     \"properties\": {\"kind\": {\"const\": \"circle\"},"
  "                      \"radius\": {\"type\": \"number\"}}},"
  "    {\"type\": \"object\", \"title\": \"Rectangle\", \"required\": [\"kind\", \"w\", \"h\"],"
  "     \"properties\": {\"kind\": {\"const\": \"rect\"},"
  "                      \"w\": {\"type\": \"number\"}, \"h\": {\"type\": \"number\"}}}]},"
  "  \"id\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}}}";

static void
test_variants_selector (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *shape;
  AdwComboRow *selector;

  load_schema (fixture, variants_schema);
  shape = control (fixture, "shape");
  g_assert_true (ADW_IS_EXPANDER_ROW (shape));
  selector = ADW_COMBO_ROW (find_widget (shape, is_type,
                                         GSIZE_TO_POINTER (ADW_TYPE_COMBO_ROW), FALSE));
  g_assert_nonnull (selector);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (selector)), ==,
                   "Circle");

  set_text (fixture, "shape.radius", "2");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}}");

  adw_combo_row_set_selected (selector, 1);
  /* The fields of the chosen alternative replace the others. */
  g_assert_null (find_widget (GTK_WIDGET (fixture->form), has_path, "shape.radius", FALSE));
  assert_invalid (fixture, "shape.w: A value is required");
  set_text (fixture, "shape.w", "3");
  set_text (fixture, "shape.h", "4");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"rect\", \"w\": 3, \"h\": 4}}");

  /* Going back finds the circle as it was left. */
  adw_combo_row_set_selected (selector, 0);
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}}");

  /* Alternatives of plain types: an optional one starts at “Not set”. */
  g_assert_cmpstr (selected_label (fixture, "id"), ==, "Not set");
  select_entry (fixture, "id", "Whole Number");
  set_text (fixture, "id", "42");
  assert_arguments (fixture, "{\"shape\": {\"kind\": \"circle\", \"radius\": 2}, \"id\": 42}");
}

static void
test_variants_at_root (Fixture       *fixture,
                       gconstpointer  data)
{
  load_schema (fixture,
               "{\"anyOf\": ["
               "  {\"type\": \"object\", \"title\": \"By name\", \"required\": [\"name\"],"
               "   \"properties\": {\"name\": {\"type\": \"string\"}}},"
               "  {\"type\": \"object\", \"title\": \"By id\", \"required\": [\"id\"],"
               "   \"properties\": {\"id\": {\"type\": \"integer\"}}}]}");

  g_assert_true (ADW_IS_COMBO_ROW (control (fixture, "")));
  set_text (fixture, "name", "x");
  assert_arguments (fixture, "{\"name\": \"x\"}");
  select_entry (fixture, "", "By id");
  set_text (fixture, "id", "7");
  assert_arguments (fixture, "{\"id\": 7}");
}

/* $ref, $defs, recursion */

static void
test_ref_and_recursion (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *add;
  GtkWidget *include;

  load_schema (fixture,
               "{\"$ref\": \"#/definitions/Node\", \"definitions\": {"
               "  \"Node\": {\"type\": \"object\", \"required\": [\"name\"], \"properties\": {"
               "    \"name\": {\"$ref\": \"#/$defs/Name\"},"
               "    \"children\": {\"type\": \"array\","
               "                   \"items\": {\"$ref\": \"#/definitions/Node\"}},"
               "    \"parent\": {\"$ref\": \"#/definitions/Node\"}}}},"
               " \"$defs\": {\"Name\": {\"type\": \"string\", \"minLength\": 1}}}");

  /* One level: name, children, parent. Nothing below is built. */
  g_assert_cmpuint (count_fields (fixture), ==, 3);
  set_text (fixture, "name", "root");

  add = header_widget (control (fixture, "children"), is_button_with_icon, "list-add-symbolic");
  /* Adding an item builds that one level, opened; its own lists and optional members wait. */
  click (add);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (control (fixture,
                                                                           "children[0]"))));
  g_assert_cmpuint (count_fields (fixture), ==, 7);
  assert_invalid (fixture, "children[0].name: A value is required");
  set_text (fixture, "children[0].name", "leaf");

  include = header_widget (control (fixture, "parent"), is_switch, NULL);
  gtk_switch_set_active (GTK_SWITCH (include), TRUE);
  set_text (fixture, "parent.name", "up");
  assert_arguments (fixture,
                    "{\"name\": \"root\", \"children\": [{\"name\": \"leaf\"}],"
                    " \"parent\": {\"name\": \"up\"}}");
  g_assert_cmpuint (count_fields (fixture), ==, 10);
}

/* Schemas whose required parts contain themselves: building stops at the first repetition
 * and the rest waits to be opened. */
static void
test_required_recursion_waits (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *left;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"expr\", \"grid\"],"
               " \"properties\": {\"expr\": {\"$ref\": \"#/$defs/Expr\"},"
               "                  \"grid\": {\"$ref\": \"#/$defs/Grid\"}},"
               " \"$defs\": {"
               "  \"Expr\": {\"anyOf\": ["
               "    {\"type\": \"object\", \"title\": \"Sum\", \"required\": [\"left\", \"right\"],"
               "     \"properties\": {\"left\": {\"$ref\": \"#/$defs/Expr\"},"
               "                      \"right\": {\"$ref\": \"#/$defs/Expr\"}}},"
               "    {\"type\": \"number\", \"title\": \"Number\"}]},"
               "  \"Grid\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\"anyOf\": ["
               "     {\"$ref\": \"#/$defs/Grid\"}, {\"type\": \"integer\"}]}}}}");

  /* expr (Sum: left, right, both waiting); grid with one item, a grid that stays empty. */
  g_assert_cmpuint (count_fields (fixture), <, 10);
  left = control (fixture, "expr.left");
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (left)));
  assert_invalid (fixture, "expr.left: A value is required");

  /* Opening one level builds one level. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (left), TRUE);
  select_entry (fixture, "expr.left", "Number");
  set_text (fixture, "expr.left", "1");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (control (fixture, "expr.right")), TRUE);
  select_entry (fixture, "expr.right", "Number");
  set_text (fixture, "expr.right", "2");
  g_assert_cmpuint (count_fields (fixture), <, 20);
  assert_invalid (fixture, "grid[0]: Needs at least 1 item");
  select_entry (fixture, "grid[0]", "Whole Number");
  set_text (fixture, "grid[0]", "5");
  assert_arguments (fixture, "{\"expr\": {\"left\": 1, \"right\": 2}, \"grid\": [5]}");
}

/* Defaults, required marks, omission */

static void
test_defaults_prefilled (Fixture       *fixture,
                         gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"q\": {\"type\": \"string\", \"default\": \"weather\"},"
               "  \"n\": {\"type\": \"integer\", \"default\": 5},"
               "  \"f\": {\"type\": \"boolean\", \"default\": false},"
               "  \"e\": {\"enum\": [\"a\", \"b\"], \"default\": \"b\"},"
               "  \"l\": {\"type\": \"array\", \"default\": [1, 2],"
               "         \"items\": {\"type\": \"integer\"}},"
               "  \"o\": {\"type\": \"object\", \"default\": {\"k\": \"v\"},"
               "         \"properties\": {\"k\": {\"type\": \"string\"}}},"
               "  \"none\": {\"type\": [\"string\", \"null\"], \"default\": null}}}");

  g_assert_cmpstr (get_text (fixture, "q"), ==, "weather");
  g_assert_cmpstr (get_text (fixture, "n"), ==, "5");
  g_assert_cmpstr (selected_label (fixture, "e"), ==, "b");
  /* Defaults are not edits: nothing shows a message. */
  assert_arguments (fixture,
                    "{\"q\": \"weather\", \"n\": 5, \"f\": false, \"e\": \"b\", \"l\": [1, 2],"
                    " \"o\": {\"k\": \"v\"}}");

  /* reset() goes back to them. */
  set_text (fixture, "q", "news");
  tether_schema_form_reset (fixture->form);
  g_assert_cmpstr (get_text (fixture, "q"), ==, "weather");
}

static void
test_required_messages (Fixture       *fixture,
                        gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"name\", \"age\"], \"properties\": {"
               "  \"name\": {\"type\": \"string\"}, \"age\": {\"type\": \"integer\"}}}");

  /* Not shouted at before anything was typed, but the form is not valid. */
  g_assert_null (shown_message (fixture, "name"));
  g_assert_false (tether_schema_form_get_valid (fixture->form));

  /* Typing and clearing shows it. */
  set_text (fixture, "age", "3");
  set_text (fixture, "age", "");
  g_assert_cmpstr (shown_message (fixture, "age"), ==, "A value is required");
  g_assert_null (shown_message (fixture, "name"));

  /* Asking for the arguments names the first and shows all. */
  assert_invalid (fixture, "name: A value is required");
  g_assert_cmpstr (shown_message (fixture, "name"), ==, "A value is required");
  g_assert_true (tether_schema_form_focus_first_invalid (fixture->form));
}

static void
test_optional_empty_omitted (Fixture       *fixture,
                             gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"s\": {\"type\": \"string\"}, \"t\": {\"type\": \"string\", \"maxLength\": 999},"
               "  \"n\": {\"type\": \"number\"}, \"b\": {\"type\": \"boolean\"},"
               "  \"e\": {\"enum\": [1, 2]}, \"l\": {\"type\": \"array\"},"
               "  \"o\": {\"type\": \"object\", \"properties\": {\"x\": {}}},"
               "  \"v\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"number\"}]},"
               "  \"j\": {\"not\": {\"type\": \"null\"}},"
               "  \"ns\": {\"type\": [\"string\", \"null\"]}}}");

  assert_arguments (fixture, "{}");
  set_text (fixture, "s", "x");
  set_text (fixture, "s", "");
  set_text (fixture, "n", "1");
  set_text (fixture, "n", "");
  assert_arguments (fixture, "{}");
}

/* Fallback to JSON */

static void
test_unsupported_json_entry (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *tuple;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"tuple\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"string\"},"
               "                                                     {\"type\": \"number\"}]},"
               "  \"meta\": {\"type\": \"object\","
               "            \"additionalProperties\": {\"type\": \"string\"}},"
               "  \"anything\": {},"
               "  \"loop\": {\"$ref\": \"#/$defs/A\"}},"
               " \"$defs\": {\"A\": {\"$ref\": \"#/$defs/A\"}}}");
  tuple = control (fixture, "tuple");
  g_assert_true (ADW_IS_ENTRY_ROW (tuple));
  g_assert_true (gtk_widget_has_css_class (tuple, "monospace"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (control (fixture, "loop")),
                            "circular"));

  set_text (fixture, "tuple", "[\"a\", 1");
  g_assert_true (g_str_has_prefix (shown_message (fixture, "tuple"), "Not valid JSON at column "));
  g_assert_false (tether_schema_form_get_valid (fixture->form));
  set_text (fixture, "tuple", "[\"a\", 1]");
  set_text (fixture, "meta", "{\"k\": \"v\"}");
  set_text (fixture, "anything", "null");
  assert_arguments (fixture,
                    "{\"tuple\": [\"a\", 1], \"meta\": {\"k\": \"v\"}, \"anything\": null}");

  /* Inside the JSON the schema still applies, and the path goes on into it. */
  set_text (fixture, "meta", "{\"k\": 5}");
  assert_invalid (fixture, "meta.k: Expected text, got 5");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  /* The test accessibility backend lets the tests read accessible names back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/app/schema-form/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("array/add-move-remove-and-max-items", test_array_add_move_remove);
  ADD ("array/min-items-prefilled-and-kept", test_array_min_items);
  ADD ("array/of-objects-error-names-item-path", test_array_of_objects_error_path);
  ADD ("object/nested-required-opens", test_object_nested);
  ADD ("object/optional-behind-include-switch", test_object_optional_include);
  ADD ("nullable/null-toggle", test_nullable_toggle);
  ADD ("variants/selector-switches-shape-and-keeps-values", test_variants_selector);
  ADD ("variants/at-root", test_variants_at_root);
  ADD ("ref/defs-and-recursion-built-lazily", test_ref_and_recursion);
  ADD ("ref/required-recursion-waits-to-be-opened", test_required_recursion_waits);
  ADD ("defaults-prefilled-and-reset", test_defaults_prefilled);
  ADD ("required-messages-after-touch-or-get", test_required_messages);
  ADD ("optional-empty-fields-omitted", test_optional_empty_omitted);
  ADD ("unsupported-falls-back-to-json-entry", test_unsupported_json_entry);

#undef ADD

  return g_test_run ();
}
