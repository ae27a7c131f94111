/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherSchemaForm (src/app/tether-schema-form*.c) with real widgets: single values
 * (strings, numbers, booleans, choices) typed, checked and sent as JSON.
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "schema-form-test-util.h"

/* Strings */

static void
test_string_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *name;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"name\"], \"properties\": {"
               "  \"name\": {\"type\": \"string\", \"title\": \"Your name\","
               "            \"description\": \"As on the badge\"},"
               "  \"city\": {\"type\": \"string\"}}}");

  name = control (fixture, "name");
  g_assert_true (ADW_IS_ENTRY_ROW (name));
  /* Title, else the property name; a required field is marked. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (name)), ==,
                   "Your name <span weight=\"bold\">*</span>");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (control (fixture, "city"))),
                   ==, "city");
  g_assert_cmpstr (g_object_get_data (G_OBJECT (name), TETHER_SCHEMA_FORM_LABEL_KEY), ==,
                   "Your name");

  g_assert_false (tether_schema_form_get_valid (fixture->form));
  set_text (fixture, "name", "Ada");
  g_assert_true (tether_schema_form_get_valid (fixture->form));
  assert_arguments (fixture, "{\"name\": \"Ada\"}");
  set_text (fixture, "city", "Paris");
  assert_arguments (fixture, "{\"name\": \"Ada\", \"city\": \"Paris\"}");
}

static void
test_string_multiline (Fixture       *fixture,
                       gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"body\": {\"type\": \"string\", \"maxLength\": 5000},"
               "  \"notes\": {\"type\": \"string\", \"format\": \"textarea\"},"
               "  \"short\": {\"type\": \"string\", \"maxLength\": 20}}}");

  g_assert_true (GTK_IS_TEXT_VIEW (control (fixture, "body")));
  g_assert_true (GTK_IS_TEXT_VIEW (control (fixture, "notes")));
  g_assert_true (ADW_IS_ENTRY_ROW (control (fixture, "short")));
  /* Tab leaves a text view, so the keyboard can go on to the next field. */
  g_assert_false (gtk_text_view_get_accepts_tab (GTK_TEXT_VIEW (control (fixture, "body"))));

  set_text (fixture, "body", "line one\nline two\n");
  assert_arguments (fixture, "{\"body\": \"line one\\nline two\\n\"}");
}

static void
test_string_formats (Fixture       *fixture,
                     gconstpointer  data)
{
  struct { const char *path; const char *bad; const char *good; } cases[] = {
    { "email", "someone", "someone@example.com" },
    { "site", "example.com", "https://example.com" },
    { "day", "2023-02-30", "2024-02-29" },
    { "at", "2024-05-31 13:45", "2024-05-31T13:45:00Z" },
    { "id", "1234", "123e4567-e89b-12d3-a456-426614174000" },
  };

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"email\": {\"type\": \"string\", \"format\": \"email\"},"
               "  \"site\": {\"type\": \"string\", \"format\": \"uri\"},"
               "  \"day\": {\"type\": \"string\", \"format\": \"date\"},"
               "  \"at\": {\"type\": \"string\", \"format\": \"date-time\"},"
               "  \"id\": {\"type\": \"string\", \"format\": \"uuid\"}}}");

  g_assert_cmpint (adw_entry_row_get_input_purpose (ADW_ENTRY_ROW (control (fixture, "email"))),
                   ==, GTK_INPUT_PURPOSE_EMAIL);
  g_assert_cmpint (adw_entry_row_get_input_purpose (ADW_ENTRY_ROW (control (fixture, "site"))),
                   ==, GTK_INPUT_PURPOSE_URL);
  /* A date field offers a calendar. */
  g_assert_true (GTK_IS_MENU_BUTTON (g_object_get_data (G_OBJECT (control (fixture, "day")),
                                                        "tether-schema-form-date-button")));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *message;

      set_text (fixture, cases[i].path, cases[i].bad);
      message = shown_message (fixture, cases[i].path);
      if (message == NULL || !g_str_has_prefix (message, "Not a valid"))
        g_error ("%s: “%s” gave the message “%s”", cases[i].path, cases[i].bad, message);
      g_assert_true (gtk_widget_has_css_class (control (fixture, cases[i].path), "error"));
      g_assert_false (tether_schema_form_get_valid (fixture->form));

      set_text (fixture, cases[i].path, cases[i].good);
      g_assert_null (shown_message (fixture, cases[i].path));
      g_assert_false (gtk_widget_has_css_class (control (fixture, cases[i].path), "error"));
    }
  g_assert_true (tether_schema_form_get_valid (fixture->form));
}

static void
test_string_date_picker (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkMenuButton *button;
  GtkWidget *calendar;
  g_autoptr(GDateTime) date = g_date_time_new_local (2024, 3, 9, 0, 0, 0);

  load_schema (fixture,
               "{\"properties\": {\"day\": {\"type\": \"string\", \"format\": \"date\"}}}");
  button = g_object_get_data (G_OBJECT (control (fixture, "day")),
                              "tether-schema-form-date-button");
  calendar = gtk_popover_get_child (gtk_menu_button_get_popover (button));
  gtk_calendar_select_day (GTK_CALENDAR (calendar), date);
  g_signal_emit_by_name (calendar, "day-selected");
  assert_arguments (fixture, "{\"day\": \"2024-03-09\"}");
}

static void
test_string_pattern_and_length (Fixture       *fixture,
                                gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"code\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}$\"},"
               "  \"word\": {\"type\": \"string\", \"minLength\": 2, \"maxLength\": 4}}}");

  set_text (fixture, "code", "abc");
  g_assert_cmpstr (shown_message (fixture, "code"), ==, "Must match the pattern ^[A-Z]{3}$");
  set_text (fixture, "word", "a");
  g_assert_cmpstr (shown_message (fixture, "word"), ==, "Must be at least 2 characters long");
  set_text (fixture, "word", "abcde");
  g_assert_cmpstr (shown_message (fixture, "word"), ==, "Must be at most 4 characters long");
  assert_invalid (fixture, "code: Must match the pattern ^[A-Z]{3}$");

  set_text (fixture, "code", "ABC");
  set_text (fixture, "word", "abc");
  assert_arguments (fixture, "{\"code\": \"ABC\", \"word\": \"abc\"}");
}

/* Numbers */

static void
test_number_integer (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *count;
  GtkWidget *increase;
  GtkWidget *decrease;

  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"count\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 10},"
               "  \"step\": {\"type\": \"integer\", \"multipleOf\": 5}}}");
  count = control (fixture, "count");
  increase = header_widget (count, is_button_with_icon, "value-increase-symbolic");
  decrease = header_widget (count, is_button_with_icon, "value-decrease-symbolic");

  set_text (fixture, "count", "0");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Must be at least 1");
  click (increase);
  g_assert_cmpstr (get_text (fixture, "count"), ==, "1");
  g_assert_null (shown_message (fixture, "count"));
  set_text (fixture, "count", "10");
  click (increase);
  /* Stepping stops at the maximum. */
  g_assert_cmpstr (get_text (fixture, "count"), ==, "10");
  click (decrease);
  g_assert_cmpstr (get_text (fixture, "count"), ==, "9");

  set_text (fixture, "count", "2.5");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Not a whole number");
  set_text (fixture, "count", "abc");
  g_assert_cmpstr (shown_message (fixture, "count"), ==, "Not a whole number");
  assert_invalid (fixture, "count: Not a whole number");

  set_text (fixture, "count", " 7 ");
  set_text (fixture, "step", "7");
  g_assert_cmpstr (shown_message (fixture, "step"), ==, "Must be a multiple of 5");
  click (header_widget (control (fixture, "step"), is_button_with_icon,
                        "value-increase-symbolic"));
  g_assert_cmpstr (get_text (fixture, "step"), ==, "10");
  assert_arguments (fixture, "{\"count\": 7, \"step\": 10}");
}

static void
test_number_float (Fixture       *fixture,
                   gconstpointer  data)
{
  load_schema (fixture,
               "{\"type\": \"object\", \"properties\": {"
               "  \"ratio\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 1},"
               "  \"big\": {\"type\": \"number\"}}}");

  set_text (fixture, "ratio", "0");
  g_assert_cmpstr (shown_message (fixture, "ratio"), ==, "Must be greater than 0");
  set_text (fixture, "ratio", "0.25");
  set_text (fixture, "big", "-1e3");
  assert_arguments (fixture, "{\"ratio\": 0.25, \"big\": -1000}");
  set_text (fixture, "big", "1,5");
  g_assert_cmpstr (shown_message (fixture, "big"), ==, "Not a number");
}

/* Booleans */

static void
test_boolean_switch (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *verbose;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"confirm\"], \"properties\": {"
               "  \"verbose\": {\"type\": \"boolean\", \"description\": \"Say more\"},"
               "  \"confirm\": {\"type\": \"boolean\"}}}");
  verbose = control (fixture, "verbose");
  g_assert_true (GTK_IS_SWITCH (verbose));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (
                     verbose, ADW_TYPE_ACTION_ROW))), ==, "Say more");

  /* An optional switch never touched is left out; a required one is always sent. */
  assert_arguments (fixture, "{\"confirm\": false}");
  gtk_switch_set_active (GTK_SWITCH (verbose), TRUE);
  assert_arguments (fixture, "{\"confirm\": false, \"verbose\": true}");
  gtk_switch_set_active (GTK_SWITCH (verbose), FALSE);
  assert_arguments (fixture, "{\"confirm\": false, \"verbose\": false}");
}

/* Choices */

static void
test_enum_combo (Fixture       *fixture,
                 gconstpointer  data)
{
  GListModel *model;

  load_schema (fixture,
               "{\"type\": \"object\", \"required\": [\"unit\"], \"properties\": {"
               "  \"unit\": {\"type\": \"string\", \"oneOf\": ["
               "    {\"const\": \"c\", \"title\": \"Celsius\"},"
               "    {\"const\": \"f\", \"title\": \"Fahrenheit\"}]},"
               "  \"size\": {\"enum\": [\"s\", \"m\", 3]},"
               "  \"mood\": {\"enum\": [\"ok\", null]}}}");

  g_assert_true (ADW_IS_COMBO_ROW (control (fixture, "unit")));
  /* A required choice starts at its first value; an optional one at “Not set”. */
  g_assert_cmpstr (selected_label (fixture, "unit"), ==, "Celsius");
  g_assert_cmpstr (selected_label (fixture, "size"), ==, "Not set");
  model = adw_combo_row_get_model (ADW_COMBO_ROW (control (fixture, "mood")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  assert_arguments (fixture, "{\"unit\": \"c\"}");

  select_entry (fixture, "unit", "Fahrenheit");
  select_entry (fixture, "size", "3");
  select_entry (fixture, "mood", "Null");
  assert_arguments (fixture, "{\"unit\": \"f\", \"size\": 3, \"mood\": null}");
  select_entry (fixture, "size", "Not set");
  select_entry (fixture, "mood", "ok");
  assert_arguments (fixture, "{\"unit\": \"f\", \"mood\": \"ok\"}");
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

  ADD ("string/single-line-entry-row-with-title", test_string_entry);
  ADD ("string/multi-line-text-view", test_string_multiline);
  ADD ("string/formats-validated-inline", test_string_formats);
  ADD ("string/date-picker-fills-iso-date", test_string_date_picker);
  ADD ("string/pattern-and-length-messages", test_string_pattern_and_length);
  ADD ("number/integer-bounds-steps-and-parse-errors", test_number_integer);
  ADD ("number/float-bounds-and-output", test_number_float);
  ADD ("boolean/switch-sent-when-set-or-required", test_boolean_switch);
  ADD ("enum/combo-with-titles-null-and-not-set", test_enum_combo);

#undef ADD

  return g_test_run ();
}
