/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "test-ui.h"
#include "tether-tool-list.h"
#include "tether-tool-row.h"

static const char three_tools[] =
  "["
  " {\"name\": \"get_weather\", \"title\": \"Weather Forecast\","
  "  \"description\": \"Returns the forecast for a city.\","
  "  \"inputSchema\": {\"type\": \"object\"},"
  "  \"annotations\": {\"readOnlyHint\": true, \"openWorldHint\": true}},"
  " {\"name\": \"delete_file\", \"description\": \"Deletes a FILE from the workspace.\","
  "  \"inputSchema\": {\"type\": \"object\"},"
  "  \"outputSchema\": {\"type\": \"object\"},"
  "  \"annotations\": {\"title\": \"Delete File\", \"destructiveHint\": true,"
  "                   \"idempotentHint\": true}},"
  " {\"name\": \"echo\", \"inputSchema\": {\"type\": \"object\"}},"
  " {\"description\": \"no name: skipped\"},"
  " 42"
  "]";

typedef struct
{
  GtkWindow      *window;
  TetherToolList *list;
  GPtrArray      *activated;  /* names, in order */
} Fixture;

static JsonArray *
parse_array (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_ref (json_node_get_array (node));
}

static void
tool_activated_cb (TetherToolList *list,
                   TetherTool     *tool,
                   Fixture        *fixture)
{
  g_ptr_array_add (fixture->activated, g_strdup (tether_tool_get_name (tool)));
}

static void
iterate (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 420, 700);
  fixture->list = TETHER_TOOL_LIST (tether_tool_list_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->list));
  fixture->activated = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->list, "tool-activated", G_CALLBACK (tool_activated_cb), fixture);
  gtk_window_present (fixture->window);
  iterate (50);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_ptr_array_unref (fixture->activated);
}

static void
set_tools (Fixture    *fixture,
           const char *json)
{
  g_autoptr(JsonArray) tools = parse_array (json);

  tether_tool_list_set_tools (fixture->list, tools);
}

static guint
n_shown (Fixture *fixture)
{
  GListModel *model = tether_tool_list_get_model (fixture->list);

  g_assert_true (GTK_IS_FILTER_LIST_MODEL (model));
  return g_list_model_get_n_items (model);
}

static const char *
shown_name (Fixture *fixture,
            guint    position)
{
  g_autoptr(TetherTool) tool = g_list_model_get_item (tether_tool_list_get_model (fixture->list),
                                                      position);

  return tether_tool_get_name (tool);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (TETHER_IS_TOOL_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static TetherToolRow *
row_for (Fixture    *fixture,
         const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (fixture->list), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      TetherToolRow *row = g_ptr_array_index (rows, i);
      TetherTool *tool = tether_tool_row_get_tool (row);

      if (tool != NULL && g_strcmp0 (tether_tool_get_name (tool), name) == 0 &&
          gtk_widget_get_mapped (GTK_WIDGET (row)))
        return row;
    }
  g_error ("No row on screen shows the tool “%s”", name);
  return NULL;
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The badges a person sees on the tool's row, joined by commas. */
static char *
badges_of (Fixture    *fixture,
           const char *name)
{
  static const char * const badges[] = { "Read-only", "Destructive", "Idempotent",
                                         "Open world", NULL };
  TetherToolRow *row = row_for (fixture, name);
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GString) shown = g_string_new (NULL);

  collect_labels (GTK_WIDGET (row), texts);
  for (guint i = 0; badges[i] != NULL; i++)
    for (guint j = 0; j < texts->len; j++)
      if (g_strcmp0 (g_ptr_array_index (texts, j), badges[i]) == 0)
        g_string_append_printf (shown, "%s%s", shown->len > 0 ? "," : "", badges[i]);
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

static GtkWidget *
visible_status_page (Fixture *fixture)
{
  GtkWidget *box = gtk_widget_get_first_child (GTK_WIDGET (fixture->list));
  GtkWidget *stack = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_STACK (stack));
  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

/* ---- Tests ------------------------------------------------------------------------------- */

static void
test_set_tools (Fixture       *fixture,
                gconstpointer  data)
{
  TetherTool *weather, *delete;

  set_tools (fixture, three_tools);
  /* The nameless entry and the number are skipped. */
  g_assert_cmpuint (tether_tool_list_get_n_tools (fixture->list), ==, 3);
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  g_assert_cmpstr (shown_name (fixture, 0), ==, "get_weather");
  g_assert_cmpstr (shown_name (fixture, 2), ==, "echo");

  weather = tether_tool_list_lookup (fixture->list, "get_weather");
  g_assert_cmpstr (tether_tool_get_title (weather), ==, "Weather Forecast");
  g_assert_nonnull (tether_tool_get_input_schema (weather));
  g_assert_null (tether_tool_get_output_schema (weather));
  delete = tether_tool_list_lookup (fixture->list, "delete_file");
  /* annotations.title stands in for a missing title. */
  g_assert_cmpstr (tether_tool_get_display_title (delete), ==, "Delete File");
  g_assert_nonnull (tether_tool_get_output_schema (delete));
  g_assert_cmpstr (tether_tool_get_display_title (tether_tool_list_lookup (fixture->list,
                                                                           "echo")),
                   ==, "echo");
  g_assert_null (tether_tool_list_lookup (fixture->list, "nope"));

  set_tools (fixture, "[]");
  g_assert_cmpuint (n_shown (fixture), ==, 0);
  g_assert_true (ADW_IS_STATUS_PAGE (visible_status_page (fixture)));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (visible_status_page (fixture))),
                   ==, "No Tools");
}

static void
test_filter_narrows_the_model (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *page;

  set_tools (fixture, three_tools);

  tether_tool_list_set_search_text (fixture->list, "weather");
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  g_assert_cmpstr (shown_name (fixture, 0), ==, "get_weather");

  /* Title and description count, without regard to case. */
  tether_tool_list_set_search_text (fixture->list, "FORECAST");
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  tether_tool_list_set_search_text (fixture->list, "file");
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  g_assert_cmpstr (shown_name (fixture, 0), ==, "delete_file");
  tether_tool_list_set_search_text (fixture->list, "e");
  g_assert_cmpuint (n_shown (fixture), ==, 3);

  /* Every word must match, anywhere. */
  tether_tool_list_set_search_text (fixture->list, "city returns");
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  tether_tool_list_set_search_text (fixture->list, "city delete");
  g_assert_cmpuint (n_shown (fixture), ==, 0);
  page = visible_status_page (fixture);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, "No Matching Tools");

  /* Typing in the entry filters too, with no delay to wait for. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (
                           gtk_widget_get_first_child (GTK_WIDGET (fixture->list)))), "ech");
  iterate (20);
  g_assert_cmpstr (tether_tool_list_get_search_text (fixture->list), ==, "ech");
  g_assert_cmpuint (n_shown (fixture), ==, 1);
  g_assert_cmpstr (shown_name (fixture, 0), ==, "echo");

  tether_tool_list_set_search_text (fixture->list, "");
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  g_assert_false (ADW_IS_STATUS_PAGE (visible_status_page (fixture)));
}

static void
test_badges (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *weather = NULL;
  g_autofree char *delete = NULL;
  g_autofree char *echo = NULL;
  GtkWidget *badge;

  set_tools (fixture, three_tools);
  iterate (100);

  weather = badges_of (fixture, "get_weather");
  delete = badges_of (fixture, "delete_file");
  echo = badges_of (fixture, "echo");
  g_assert_cmpstr (weather, ==, "Read-only,Open world");
  g_assert_cmpstr (delete, ==, "Destructive,Idempotent");
  /* No annotations, no badges: the spec's defaults are not claims. */
  g_assert_cmpstr (echo, ==, "");

  badge = find_label (GTK_WIDGET (row_for (fixture, "delete_file")), "Destructive");
  g_assert_true (gtk_widget_has_css_class (badge, "destructive"));

  /* The row shows title, name and description. */
  g_assert_nonnull (find_label (GTK_WIDGET (row_for (fixture, "get_weather")),
                                "Weather Forecast"));
  g_assert_nonnull (find_label (GTK_WIDGET (row_for (fixture, "get_weather")), "get_weather"));
  g_assert_true (gtk_widget_is_visible (find_label (GTK_WIDGET (row_for (fixture, "get_weather")),
                                                    "get_weather")));
}

static GtkGesture *
row_click_gesture (TetherToolRow *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller); /* the row keeps it */
    }
  g_error ("The row has no click gesture");
  return NULL;
}

static void
test_activation (Fixture       *fixture,
                 gconstpointer  data)
{
  TetherToolRow *row;
  GtkWidget *entry;
  TetherTool *selected;
  GtkGesture *click;

  set_tools (fixture, three_tools);
  iterate (100);

  /* Enter on a row: the list view's own activation. */
  row = row_for (fixture, "delete_file");
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (GTK_WIDGET (row)),
                                             "list.activate-item", "u", 1));
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==, "delete_file");
  selected = tether_tool_list_get_selected_tool (fixture->list);
  g_assert_nonnull (selected);
  g_assert_cmpstr (tether_tool_get_name (selected), ==, "delete_file");

  /* Enter in the search field opens the first match. */
  tether_tool_list_set_search_text (fixture->list, "echo");
  entry = gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (fixture->list)));
  g_assert_true (GTK_IS_SEARCH_ENTRY (entry));
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (fixture->activated->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 1), ==, "echo");

  /* Nothing matches, nothing to open. */
  tether_tool_list_set_search_text (fixture->list, "zzz");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (fixture->activated->len, ==, 2);

  /* A single click on a row opens it; the double-click activation that the list view sends
   * after a second press is not a second opening. */
  tether_tool_list_set_search_text (fixture->list, "");
  iterate (100);
  row = row_for (fixture, "get_weather");
  click = row_click_gesture (row);
  g_signal_emit_by_name (click, "pressed", 1, 5.0, 5.0);
  g_signal_emit_by_name (click, "released", 1, 5.0, 5.0);
  g_assert_cmpuint (fixture->activated->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 2), ==, "get_weather");
  g_signal_emit_by_name (click, "pressed", 2, 5.0, 5.0);
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (GTK_WIDGET (row)),
                                             "list.activate-item", "u", 0));
  g_signal_emit_by_name (click, "released", 2, 5.0, 5.0);
  g_assert_cmpuint (fixture->activated->len, ==, 3);
  /* A release outside the row (the pointer moved off) opens nothing. */
  g_signal_emit_by_name (click, "released", 1, -50.0, -50.0);
  g_assert_cmpuint (fixture->activated->len, ==, 3);
}

static void
test_selection_survives_refresh (Fixture       *fixture,
                                 gconstpointer  data)
{
  set_tools (fixture, three_tools);
  g_assert_null (tether_tool_list_get_selected_tool (fixture->list));
  g_assert_true (tether_tool_list_select_tool (fixture->list, "echo"));

  /* tools/list_changed: the list comes again, in another order. */
  set_tools (fixture, "[{\"name\": \"echo\"}, {\"name\": \"new_tool\"}]");
  g_assert_cmpstr (tether_tool_get_name (tether_tool_list_get_selected_tool (fixture->list)),
                   ==, "echo");

  set_tools (fixture, "[{\"name\": \"new_tool\"}]");
  g_assert_null (tether_tool_list_get_selected_tool (fixture->list));
  g_assert_false (tether_tool_list_select_tool (fixture->list, "echo"));
}

static gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label);

  return mismatch == NULL;
}

static void
test_search_shortcut_and_names (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *entry = gtk_widget_get_first_child (gtk_widget_get_first_child (
                                                   GTK_WIDGET (fixture->list)));
  GtkWidget *focus;

  set_tools (fixture, three_tools);
  g_assert_true (has_accessible_label (entry, "Search Tools"));

  /* Ctrl+F goes through the widget's action. */
  gtk_widget_grab_focus (GTK_WIDGET (fixture->list));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->list), "tool-list.search",
                                             NULL));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* Tools whose name, title or description contains @query, counted the slow, obvious way. */
static guint
count_by_hand (JsonArray  *tools,
               const char *query)
{
  g_autofree char *folded_query = g_utf8_casefold (query, -1);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonObject *tool = json_array_get_object_element (tools, i);
      const char *fields[] = { "name", "title", "description" };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          const char *text = json_object_get_string_member_with_default (tool, fields[f], "");
          g_autofree char *folded = g_utf8_casefold (text, -1);

          if (strstr (folded, folded_query) != NULL)
            {
              count++;
              break;
            }
        }
    }
  return count;
}

static void
test_five_thousand_tools (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const topics[] = { "Weather", "Files", "Git", "Calendar", "Mail",
                                         "Search", "Database", "Images" };
  g_autoptr(JsonArray) tools = json_array_new ();
  const char *query = "database 12";
  g_autofree char *typed = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      JsonObject *tool = json_object_new ();
      g_autofree char *name = g_strdup_printf ("tool_%04u", i);

      json_object_set_string_member (tool, "name", name);
      json_object_set_string_member (tool, "title", topics[i % G_N_ELEMENTS (topics)]);
      json_object_set_string_member (tool, "description",
                                     i % 3 == 0 ? "Reads things." : "Writes things.");
      json_array_add_object_element (tools, tool);
    }
  tether_tool_list_set_tools (fixture->list, tools);
  g_assert_cmpuint (tether_tool_list_get_n_tools (fixture->list), ==, 5000);
  g_assert_cmpuint (n_shown (fixture), ==, 5000);
  iterate (50);

  /* Type one character at a time, then delete them again, checking every count. */
  for (gsize i = 1; i <= strlen (query); i++)
    {
      g_autofree char *prefix = g_strndup (query, i);
      g_auto(GStrv) words = g_strsplit (prefix, " ", -1);
      guint expected = 0;

      for (guint t = 0; t < 5000; t++)
        {
          JsonObject *tool = json_array_get_object_element (tools, t);
          g_autofree char *joined = g_strjoin ("\n", json_object_get_string_member (tool, "name"),
                                               json_object_get_string_member (tool, "title"),
                                               json_object_get_string_member (tool, "description"),
                                               NULL);
          g_autofree char *key = g_utf8_casefold (joined, -1);
          gboolean all = TRUE;

          for (guint w = 0; words[w] != NULL; w++)
            if (*words[w] != '\0' && strstr (key, words[w]) == NULL)
              all = FALSE;
          expected += all;
        }

      tether_tool_list_set_search_text (fixture->list, prefix);
      g_assert_cmpuint (n_shown (fixture), ==, expected);
    }
  /* "database 12": the Database tools (every 8th, from the 7th) with 12 in the name. */
  g_assert_cmpuint (n_shown (fixture), ==, 17);

  tether_tool_list_set_search_text (fixture->list, "things");
  g_assert_cmpuint (n_shown (fixture), ==, count_by_hand (tools, "things"));
  tether_tool_list_set_search_text (fixture->list, "READS");
  g_assert_cmpuint (n_shown (fixture), ==, count_by_hand (tools, "reads"));
  g_assert_cmpuint (n_shown (fixture), ==, 1667);
  tether_tool_list_set_search_text (fixture->list, "tool_49");
  g_assert_cmpuint (n_shown (fixture), ==, 100);
  tether_tool_list_set_search_text (fixture->list, "");
  g_assert_cmpuint (n_shown (fixture), ==, 5000);
  iterate (50);

  typed = g_strdup (tether_tool_list_get_search_text (fixture->list));
  g_assert_cmpstr (typed, ==, "");
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  set_tools (fixture, three_tools);
  g_assert_true (tether_tool_list_select_tool (fixture->list, "get_weather"));
  for (guint i = 0; i < 2; i++)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          i == 0 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                                 : ADW_COLOR_SCHEME_FORCE_DARK);
      iterate (300);
      test_ui_save_screenshot (fixture->window,
                               i == 0 ? "tool-list-light.png" : "tool-list-dark.png", 0);
    }
  tether_tool_list_set_search_text (fixture->list, "nothing like this");
  iterate (300);
  test_ui_save_screenshot (fixture->window, "tool-list-no-matches-dark.png", 0);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Transitions end at once, so what a test sees does not depend on how fast it runs. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/tool-list/set-tools-skips-entries-without-a-name", test_set_tools);
  ADD ("/tool-list/filter-narrows-the-model", test_filter_narrows_the_model);
  ADD ("/tool-list/badges-follow-annotations", test_badges);
  ADD ("/tool-list/activation-emits-tool-activated", test_activation);
  ADD ("/tool-list/selection-survives-refresh", test_selection_survives_refresh);
  ADD ("/tool-list/search-shortcut-and-accessible-names", test_search_shortcut_and_names);
  ADD ("/tool-list/five-thousand-tools-filter-correctly", test_five_thousand_tools);
  ADD ("/tool-list/screenshots", test_screenshots);

#undef ADD

  return g_test_run ();
}
