/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How fast the tool list filters 5,000 tools as a person types. A real window with a
 * TetherToolList; for each keystroke of a query (typed one character at a time, then deleted
 * one at a time, then replaced by an unrelated query) it records
 *   filter: the time tether_tool_list_set_search_text() takes (filtering the model and
 *           telling the list view), and
 *   frame:  the time until the next frame with the new rows has been painted,
 * both as wall-clock time and as CPU time of the main thread (which other processes on a
 * busy machine do not inflate). Prints every keystroke, then the median and the worst.
 *   bench-tool-filter [--tools N] [--query TEXT] [--rounds N] */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tether-tool-list.h"

static guint n_tools = 5000;
static char *query = NULL;
static guint rounds = 3;

static guint paints;

static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  paints++;
}

static JsonArray *
make_tools (guint n)
{
  static const char * const verbs[] = { "get", "list", "create", "update", "delete", "search",
                                        "export", "sync" };
  static const char * const things[] = { "issue", "file", "calendar_event", "message",
                                         "repository", "invoice", "customer", "weather_report",
                                         "pull_request", "document", "ticket", "image" };
  JsonArray *tools = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      const char *verb = verbs[i % G_N_ELEMENTS (verbs)];
      const char *thing = things[(i / G_N_ELEMENTS (verbs)) % G_N_ELEMENTS (things)];
      g_autofree char *name = g_strdup_printf ("%s_%s_%u", verb, thing, i);
      g_autofree char *title = g_strdup_printf ("%c%s %s #%u", g_ascii_toupper (verb[0]),
                                                verb + 1, thing, i);
      g_autofree char *description =
        g_strdup_printf ("%s a %s in the workspace. Takes the %s's id and returns it as JSON "
                         "with all fields, or an error when it does not exist (%u).",
                         verb, thing, thing, i * 7919 % 100000);
      JsonObject *tool = json_object_new ();
      JsonObject *schema = json_object_new ();
      JsonObject *annotations = json_object_new ();

      json_object_set_string_member (schema, "type", "object");
      json_object_set_boolean_member (annotations, "readOnlyHint", i % 3 == 0);
      json_object_set_boolean_member (annotations, "destructiveHint", i % 8 == 4);
      json_object_set_string_member (tool, "name", name);
      json_object_set_string_member (tool, "title", title);
      json_object_set_string_member (tool, "description", description);
      json_object_set_object_member (tool, "inputSchema", schema);
      json_object_set_object_member (tool, "annotations", annotations);
      json_array_add_object_element (tools, tool);
    }
  return tools;
}

static void
wait_for_paint (void)
{
  guint before = paints;

  while (paints == before)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static double
maximum (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

typedef struct
{
  GArray *filter_ms;
  GArray *frame_ms;
  GArray *filter_cpu_ms;
  GArray *frame_cpu_ms;
} Timings;

static void
record (GArray *values,
        double  value)
{
  g_array_append_val (values, value);
}

static double
last (GArray *values)
{
  return g_array_index (values, double, values->len - 1);
}

static void
keystroke (TetherToolList *list,
           const char     *text,
           Timings        *timings,
           gboolean        print)
{
  gint64 start = g_get_monotonic_time ();
  gint64 cpu_start = thread_cpu_time ();

  tether_tool_list_set_search_text (list, text);
  record (timings->filter_ms, (g_get_monotonic_time () - start) / 1000.0);
  record (timings->filter_cpu_ms, (thread_cpu_time () - cpu_start) / 1000.0);
  wait_for_paint ();
  record (timings->frame_ms, (g_get_monotonic_time () - start) / 1000.0);
  record (timings->frame_cpu_ms, (thread_cpu_time () - cpu_start) / 1000.0);

  if (print)
    g_print ("  %-20s %5u shown   filter %6.2f ms (cpu %6.2f)   frame %6.2f ms (cpu %6.2f)\n",
             text, g_list_model_get_n_items (tether_tool_list_get_model (list)),
             last (timings->filter_ms), last (timings->filter_cpu_ms),
             last (timings->frame_ms), last (timings->frame_cpu_ms));
}

static void
summarize (const char *what,
           GArray     *values)
{
  double worst = maximum (values);

  g_print ("  %-22s median %7.2f ms   worst %7.2f ms\n", what, median (values), worst);
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "tools", 0, 0, G_OPTION_ARG_INT, &n_tools, "Number of tools (5000)", "N" },
    { "query", 0, 0, G_OPTION_ARG_STRING, &query, "What to type (\"delete invoice 12\")",
      "TEXT" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Times to type and delete it (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- tool list filter benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tools = NULL;
  Timings timings = {
    g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
    g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
  };
  GtkWindow *window;
  TetherToolList *list;
  gint64 start;
  gsize length;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (query == NULL)
    query = g_strdup ("delete invoice 12");
  length = strlen (query);

  adw_init ();
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 420, 900);
  list = TETHER_TOOL_LIST (tether_tool_list_new ());
  gtk_window_set_child (window, GTK_WIDGET (list));
  gtk_window_present (window);
  while (gtk_widget_get_frame_clock (GTK_WIDGET (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  wait_for_paint ();

  tools = make_tools (n_tools);
  start = g_get_monotonic_time ();
  tether_tool_list_set_tools (list, tools);
  g_print ("set_tools (%u tools): %.1f ms", n_tools,
           (g_get_monotonic_time () - start) / 1000.0);
  wait_for_paint ();
  g_print (", first frame after %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  for (guint round = 0; round < rounds; round++)
    {
      gboolean print = round == 0;

      if (print)
        g_print ("Typing “%s”, then deleting it, then an unrelated query:\n", query);
      for (gsize i = 1; i <= length; i++)
        {
          g_autofree char *prefix = g_strndup (query, i);

          keystroke (list, prefix, &timings, print);
        }
      for (gsize i = length; i-- > 0;)
        {
          g_autofree char *prefix = g_strndup (query, i);

          keystroke (list, i > 0 ? prefix : "", &timings, print);
        }
      keystroke (list, "weather", &timings, print);
      keystroke (list, "zzz", &timings, print);
      keystroke (list, "", &timings, print);
    }

  g_print ("%u keystrokes over %u tools:\n", timings.filter_ms->len, n_tools);
  summarize ("filter (wall)", timings.filter_ms);
  summarize ("filter (cpu)", timings.filter_cpu_ms);
  summarize ("painted frame (wall)", timings.frame_ms);
  summarize ("painted frame (cpu)", timings.frame_cpu_ms);

  gtk_window_destroy (window);
  g_array_unref (timings.filter_ms);
  g_array_unref (timings.frame_ms);
  g_array_unref (timings.filter_cpu_ms);
  g_array_unref (timings.frame_cpu_ms);
  g_free (query);
  return EXIT_SUCCESS;
}
