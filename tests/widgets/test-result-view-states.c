/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of TetherResultView (src/app/tether-result-view*.c) with real widgets: what it says
 * about a result (the verdict, structured content against the output schema) and its other
 * states (a protocol error in place of the result, a call still running).
 * Needs a display (the meson test runs it under xvfb-run). */
#include "config.h"

#include "result-view-test-util.h"

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

/* ---- Verdicts and states ----------------------------------------------------------------- */

static void
test_tool_error_verdict (Fixture       *fixture,
                         gconstpointer  data)
{
  show_result (fixture,
               "{\"isError\": true, \"content\": [{\"type\": \"text\", \"text\": \"boom\"}]}",
               "{\"type\": \"object\", \"required\": [\"x\"]}");

  g_assert_cmpstr (tether_result_view_get_verdict_text (fixture->view), ==, "Tool error");
  /* An error result is not held to the output schema. */
  g_assert_null (tether_result_view_get_structured_verdict_text (fixture->view));
  g_assert_true (content_has_label (fixture, "boom"));

  show_result (fixture, "{\"content\": []}", NULL);
  g_assert_cmpstr (tether_result_view_get_verdict_text (fixture->view), ==, "Success");
  g_assert_true (content_has_label (fixture, "The result has no content."));
}

static void
test_structured_content (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *schema =
    "{\"type\": \"object\", \"properties\": {\"temperature\": {\"type\": \"number\"},"
    " \"conditions\": {\"type\": \"string\"}}, \"required\": [\"temperature\"]}";
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *shown = NULL;

  show_result (fixture,
               "{\"content\": [{\"type\": \"text\", \"text\": \"{\\\"temperature\\\": 22.5}\"}],"
               " \"structuredContent\": {\"temperature\": 22.5, \"conditions\": \"Sunny\"}}",
               schema);
  g_assert_cmpstr (tether_result_view_get_structured_verdict_text (fixture->view), ==,
                   "Structured content matches the output schema");
  views = content_widgets (fixture, TETHER_TYPE_CODE_VIEW);
  g_assert_cmpuint (views->len, ==, 2);
  shown = buffer_text (GTK_TEXT_BUFFER (tether_code_view_get_buffer (g_ptr_array_index (views,
                                                                                      1))));
  g_assert_cmpstr (shown, ==, "{\"temperature\": 22.5, \"conditions\": \"Sunny\"}");

  show_result (fixture,
               "{\"content\": [], \"structuredContent\": {\"temperature\": \"hot\"}}", schema);
  g_assert_cmpstr (tether_result_view_get_structured_verdict_text (fixture->view), ==,
                   "Structured content does not match the output schema: $.temperature: "
                   "expected a number, got a string (\"hot\")");

  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"22.5\"}]}", schema);
  g_assert_true (g_str_has_prefix (tether_result_view_get_structured_verdict_text (fixture->view),
                                   "Missing structuredContent"));

  /* Without an output schema there is nothing to check, but the content is shown. */
  show_result (fixture, "{\"content\": [], \"structuredContent\": {\"a\": 1}}", NULL);
  g_assert_null (tether_result_view_get_structured_verdict_text (fixture->view));
  g_assert_true (content_has_label (fixture, "Structured content"));

  /* A broken schema is the server's problem, said as such. */
  show_result (fixture, "{\"content\": [], \"structuredContent\": {\"a\": 1}}",
               "{\"$ref\": \"#/$defs/nowhere\"}");
  g_assert_true (g_str_has_prefix (tether_result_view_get_structured_verdict_text (fixture->view),
                                   "Structured content could not be checked"));
}

static void
test_protocol_error (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                 "MCP error -32602: Unknown tool “nope”");
  GtkWidget *label;

  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"old\"}]}", NULL);
  tether_result_view_set_error (fixture->view, error);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_ERROR);
  g_assert_false (tether_result_view_get_loading (fixture->view));
  label = find_label (GTK_WIDGET (fixture->view), "MCP error -32602: Unknown tool “nope”");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  /* The old result is gone, not hidden. */
  g_assert_false (content_has_label (fixture, "old"));
  iterate (50);
  g_assert_false (gtk_widget_get_mapped (tether_result_view_get_content_box (fixture->view)));
}

static void
test_running_progress (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *progress = find_by_accessible_label (GTK_WIDGET (fixture->view), "Progress");

  g_assert_true (GTK_IS_PROGRESS_BAR (progress));
  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"before\"}]}", NULL);

  tether_result_view_set_running (fixture->view, TRUE, -1, NULL);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RUNNING);
  g_assert_false (gtk_widget_get_visible (progress));

  tether_result_view_set_running (fixture->view, TRUE, 0.25, "Fetching page 1 of 4");
  iterate (20);
  g_assert_true (gtk_widget_get_mapped (progress));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)), ==, 0.25);

  /* Stopping without a result goes back to what was there. */
  tether_result_view_set_running (fixture->view, FALSE, -1, NULL);
  g_assert_cmpint (tether_result_view_get_state (fixture->view), ==,
                   TETHER_RESULT_VIEW_STATE_RESULT);
  g_assert_true (content_has_label (fixture, "before"));

  tether_result_view_set_running (fixture->view, TRUE, 0.5, NULL);
  show_result (fixture, "{\"content\": [{\"type\": \"text\", \"text\": \"after\"}]}", NULL);
  g_assert_true (content_has_label (fixture, "after"));
}

int
main (int   argc,
      char *argv[])
{
  result_view_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/result-view/tool-error-verdict", test_tool_error_verdict);
  ADD ("/result-view/structured-content-against-output-schema", test_structured_content);
  ADD ("/result-view/protocol-error-in-place", test_protocol_error);
  ADD ("/result-view/running-shows-progress", test_running_progress);

#undef ADD

  return g_test_run ();
}
