/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a large tools/call result keeps the window responsive. A real window with a
 * TetherResultView; a timer at G_PRIORITY_HIGH fires every 10 ms and records the gaps between
 * its runs: a gap is the longest time the main loop could not run anything (a stall). Each
 * gap is measured twice: in wall-clock time, and in CPU time the main thread used during it,
 * which tells work done on the main thread from time the process merely waited for a core
 * on a busy machine. It
 * sets a result of about --megabytes MB (structured records, mirrored as JSON text the way
 * the spec suggests), waits until every view has all of its text, keeps watching for a few
 * seconds of background work (highlighting, layout), then replaces the result with a small
 * one (tearing the big one down) and switches pages.
 *   bench-large-result [--megabytes N] [--page json|content] [--settle SECONDS] */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tether-json-printer.h"
#include "tether-result-view-private.h"

#define TICK_MS 10

static double megabytes = 10;
static char *page = NULL;
static int settle_seconds = 3;

typedef struct
{
  gint64 last;
  gint64 last_cpu;
  gint64 worst;
  gint64 worst_cpu;
  gint64 worst_at;
  guint  over_50ms;
  guint  over_100ms;
  guint  ticks;
} Stalls;

static Stalls stalls;
static gint64 phase_start;

static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  if (stalls.last != 0)
    {
      gint64 gap = now - stalls.last;

      stalls.worst_cpu = MAX (stalls.worst_cpu, cpu - stalls.last_cpu);
      if (gap > stalls.worst)
        {
          stalls.worst = gap;
          stalls.worst_at = now - phase_start;
        }
      stalls.over_50ms += gap > 50 * G_TIME_SPAN_MILLISECOND;
      if (g_getenv ("BENCH_VERBOSE") != NULL && gap > 50 * G_TIME_SPAN_MILLISECOND)
        g_print ("    stall %.1f ms (main thread cpu %.1f ms) from %.6f to %.6f (monotonic s)\n",
                 gap / 1000.0, (cpu - stalls.last_cpu) / 1000.0, stalls.last / 1e6, now / 1e6);
      stalls.over_100ms += gap > 100 * G_TIME_SPAN_MILLISECOND;
    }
  stalls.last = now;
  stalls.last_cpu = cpu;
  stalls.ticks++;
  return G_SOURCE_CONTINUE;
}

static void
start_phase (void)
{
  memset (&stalls, 0, sizeof stalls);
  phase_start = stalls.last = g_get_monotonic_time ();
  stalls.last_cpu = thread_cpu_time ();
}

static void
report_phase (const char *what)
{
  g_print ("  %-34s %6.0f ms   longest stall %6.1f ms (at %.1f s), in main-thread cpu "
           "%5.1f ms   stalls >50 ms: %u, >100 ms: %u\n",
           what, (g_get_monotonic_time () - phase_start) / 1000.0, stalls.worst / 1000.0,
           stalls.worst_at / (double) G_USEC_PER_SEC, stalls.worst_cpu / 1000.0,
           stalls.over_50ms, stalls.over_100ms);
}

static void
run_for (int milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_until_loaded (TetherResultView *view)
{
  while (tether_result_view_get_loading (view))
    g_main_context_iteration (NULL, TRUE);
}

static JsonObject *
large_result (gsize target_bytes)
{
  JsonObject *result = json_object_new ();
  JsonArray *content = json_array_new ();
  JsonObject *text_item = json_object_new ();
  JsonObject *structured = json_object_new ();
  JsonArray *records = json_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) structured_node = NULL;
  /* Each record is ~146 bytes of compact JSON and appears twice (structured and as text). */
  guint n = MAX (1, target_bytes / 292);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *record = json_object_new ();
      g_autofree char *name = g_strdup_printf ("Record number %u with a readable name", i);

      json_object_set_int_member (record, "id", i);
      json_object_set_string_member (record, "name", name);
      json_object_set_double_member (record, "score", i * 0.25);
      json_object_set_boolean_member (record, "active", i % 2 == 0);
      json_object_set_string_member (record, "note", "Some words that make a record longer.");
      json_array_add_object_element (records, record);
    }
  json_object_set_array_member (structured, "records", records);
  structured_node = json_node_init_object (json_node_alloc (), structured);
  tether_json_printer_append_compact (text, structured_node);

  json_object_set_string_member (text_item, "type", "text");
  json_object_set_string_member (text_item, "text", text->str);
  json_array_add_object_element (content, text_item);
  json_object_set_array_member (result, "content", content);
  json_object_set_object_member (result, "structuredContent", structured);
  return result;
}

static char *
peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return g_strdup ("?");
  line += strlen ("VmHWM:");
  line += strspn (line, " \t");
  return g_strndup (line, strcspn (line, "\n"));
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "megabytes", 0, 0, G_OPTION_ARG_DOUBLE, &megabytes, "Result size in MB (10)", "N" },
    { "page", 0, 0, G_OPTION_ARG_STRING, &page, "Page shown: json or content (json)", "NAME" },
    { "settle", 0, 0, G_OPTION_ARG_INT, &settle_seconds,
      "Seconds to keep watching after loading (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- large result benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) small = NULL;
  g_autoptr(GString) compact = g_string_new (NULL);
  g_autofree char *rss = NULL;
  TetherResultView *view;
  GtkWindow *window;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (page == NULL)
    page = g_strdup ("json");

  adw_init ();
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 800);
  view = TETHER_RESULT_VIEW (tether_result_view_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  run_for (300);

  result = large_result ((gsize) (megabytes * 1000 * 1000));
  node = json_node_init_object (json_node_alloc (), result);
  tether_json_printer_append_compact (compact, node);
  g_print ("Result: %.1f MB of JSON (compact), page “%s”\n", compact->len / 1e6, page);

  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, NULL, NULL);
  tether_result_view_set_visible_page (view, page);

  start_phase ();
  start = g_get_monotonic_time ();
  tether_result_view_set_result (view, result, 2 * G_USEC_PER_SEC, compact->len, NULL);
  g_print ("  set_result() returned after %.1f ms\n",
           (g_get_monotonic_time () - start) / 1000.0);
  wait_until_loaded (view);
  report_phase ("loading (until all text is in)");
  start_phase ();
  run_for (settle_seconds * 1000);
  report_phase ("afterwards (highlighting, layout)");

  start_phase ();
  tether_result_view_set_visible_page (view, g_str_equal (page, "json") ? "content" : "json");
  wait_until_loaded (view);
  run_for (1000);
  report_phase ("switching pages");

  small = json_from_string ("{\"content\": [{\"type\": \"text\", \"text\": \"small\"}]}", NULL);
  start_phase ();
  tether_result_view_set_result (view, json_node_get_object (small), 1000, 60, NULL);
  wait_until_loaded (view);
  run_for (1000);
  report_phase ("replacing it with a small result");

  rss = peak_rss ();
  g_print ("  peak RSS: %s\n", rss);

  gtk_window_destroy (window);
  g_free (page);
  return EXIT_SUCCESS;
}
