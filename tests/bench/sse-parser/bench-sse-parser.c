/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Throughput of McpSseParser against the floor of any line-based parser: a
 * plain memchr() for '\n' over the same bytes in the same chunks.
 *
 * The input imitates what MCP servers send over Streamable HTTP: priming
 * events with empty data, progress and log notifications, tool results from
 * a few hundred bytes to a couple of megabytes (JSON text, base64 images),
 * keep-alive comments, ids on every event. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mcp-sse-parser.h"

typedef struct
{
  guint64 state;
} Rng;

static guint32
rng_next (Rng *rng)
{
  /* xorshift64*: fast, and the same stream on every run. */
  rng->state ^= rng->state >> 12;
  rng->state ^= rng->state << 25;
  rng->state ^= rng->state >> 27;
  return (guint32) ((rng->state * G_GUINT64_CONSTANT (2685821657736338717)) >> 32);
}

static gsize
rng_range (Rng   *rng,
           gsize  lo,
           gsize  hi)
{
  return lo + rng_next (rng) % (hi - lo + 1);
}

static const char *const words[] = {
  "the", "server", "returned", "a", "result", "with", "resource", "content", "tool",
  "schema", "progress", "token", "\\n", "\\\"quoted\\\"", "caf\\u00e9", "\\u4e2d\\u6587",
  "0.75", "true", "null", "elicitation", "sampling", "notifications/message", "{", "}",
};

static void
append_text (GString *out,
             Rng     *rng,
             gsize    len)
{
  gsize stop = out->len + len;

  while (out->len < stop)
    {
      g_string_append (out, words[rng_next (rng) % G_N_ELEMENTS (words)]);
      g_string_append_c (out, ' ');
    }
}

static void
append_base64 (GString *out,
               Rng     *rng,
               gsize    len)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  for (gsize i = 0; i < len; i++)
    g_string_append_c (out, alphabet[rng_next (rng) & 63]);
}

typedef enum {
  PROFILE_MIXED,
  PROFILE_SMALL,
} Profile;

/* Appends one event (or comment) and returns how many events it dispatches. */
static guint
append_event (GString    *out,
              Rng        *rng,
              Profile     profile,
              const char *eol,
              guint64    *counter)
{
  guint roll = rng_next (rng) % 1000;
  guint64 n = (*counter)++;

  if (roll < 30)
    {
      g_string_append_printf (out, ": ping%s%s", eol, eol);
      return 0;
    }

  if (roll < 80)
    {
      /* The priming event server-everything opens each response with. */
      g_string_append_printf (out, "id: %" G_GUINT64_FORMAT "_0%sdata: %s%s", n, eol, eol, eol);
      return 1;
    }

  g_string_append_printf (out, "event: message%sid: %" G_GUINT64_FORMAT "%sdata: ", eol, n, eol);

  if (roll < 450)
    {
      g_string_append_printf (out,
                              "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                              "\"params\":{\"progressToken\":%" G_GUINT64_FORMAT ","
                              "\"progress\":%u,\"total\":100}}",
                              n, rng_next (rng) % 100);
    }
  else if (roll < 650)
    {
      g_string_append (out, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                            "\"params\":{\"level\":\"info\",\"logger\":\"everything\",\"data\":\"");
      append_text (out, rng, rng_range (rng, 60, 600));
      g_string_append (out, "\"}}");
    }
  else if (profile == PROFILE_SMALL || roll < 900)
    {
      g_string_append_printf (out, "{\"jsonrpc\":\"2.0\",\"id\":%" G_GUINT64_FORMAT ","
                                   "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"",
                              n);
      append_text (out, rng, profile == PROFILE_SMALL ? rng_range (rng, 100, 2000)
                                                      : rng_range (rng, 200, 8192));
      g_string_append (out, "\"}],\"isError\":false}}");
    }
  else if (roll < 985)
    {
      g_string_append_printf (out, "{\"jsonrpc\":\"2.0\",\"id\":%" G_GUINT64_FORMAT ","
                                   "\"result\":{\"content\":[{\"type\":\"image\","
                                   "\"mimeType\":\"image/png\",\"data\":\"",
                              n);
      append_base64 (out, rng, rng_range (rng, 16 * 1024, 128 * 1024));
      g_string_append (out, "\"}]}}");
    }
  else
    {
      g_string_append_printf (out, "{\"jsonrpc\":\"2.0\",\"id\":%" G_GUINT64_FORMAT ","
                                   "\"result\":{\"contents\":[{\"uri\":\"file:///big.txt\","
                                   "\"text\":\"",
                              n);
      append_text (out, rng, rng_range (rng, 256 * 1024, 2 * 1024 * 1024));
      g_string_append (out, "\"}]}}");
    }

  g_string_append_printf (out, "%s%s", eol, eol);
  return 1;
}

/* CPU time of this thread: the machine may be shared, and time spent
 * waiting for a core says nothing about the parser. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct
{
  guint64 events;
  guint64 data_bytes;
} Tally;

static void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          Tally        *tally)
{
  tally->events++;
  tally->data_bytes += mcp_sse_event_get_data_length (event);
}

static double
time_parser (const char *buf,
             gsize       len,
             gsize       chunk,
             Tally      *tally)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (64 * 1024 * 1024);
  double start;
  double stop;

  *tally = (Tally) { 0, 0 };
  g_signal_connect (parser, "event", G_CALLBACK (on_event), tally);

  start = cpu_seconds ();
  for (gsize at = 0; at < len; at += chunk)
    {
      g_autoptr(GError) error = NULL;

      if (!mcp_sse_parser_feed (parser, buf + at, MIN (chunk, len - at), &error))
        g_error ("Feeding the parser failed: %s", error->message);
    }
  mcp_sse_parser_finish (parser);
  stop = cpu_seconds ();

  return stop - start;
}

static double
time_memchr (const char *buf,
             gsize       len,
             gsize       chunk,
             guint64    *lines)
{
  double start;
  double stop;
  guint64 count = 0;

  start = cpu_seconds ();
  for (gsize at = 0; at < len; at += chunk)
    {
      const char *p = buf + at;
      const char *end = p + MIN (chunk, len - at);
      const char *nl;

      while ((nl = memchr (p, '\n', (gsize) (end - p))) != NULL)
        {
          count++;
          p = nl + 1;
        }
    }
  stop = cpu_seconds ();

  *lines = count;
  return stop - start;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) stream = NULL;
  g_autofree char *profile_name = NULL;
  gint64 megabytes = 200;
  gint64 chunk = 64 * 1024;
  gint repeats = 5;
  gboolean crlf = FALSE;
  Profile profile = PROFILE_MIXED;
  Rng rng = { G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) };
  guint64 counter = 1;
  guint64 expected_events = 0;
  double best_parser = G_MAXDOUBLE;
  double best_memchr = G_MAXDOUBLE;
  Tally tally = { 0, 0 };
  guint64 lines = 0;
  double mb;
  GOptionEntry entries[] = {
    { "megabytes", 'm', 0, G_OPTION_ARG_INT64, &megabytes, "Size of the generated stream", "MB" },
    { "chunk", 'c', 0, G_OPTION_ARG_INT64, &chunk, "Bytes per feed", "BYTES" },
    { "repeats", 'r', 0, G_OPTION_ARG_INT, &repeats, "Runs of each; the best counts", "N" },
    { "crlf", 0, 0, G_OPTION_ARG_NONE, &crlf, "End lines with CRLF instead of LF", NULL },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name,
      "mixed (default) or small (events under 3 KB only)", "NAME" },
    { NULL }
  };

  context = g_option_context_new ("- McpSseParser throughput against memchr");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (profile_name != NULL && g_strcmp0 (profile_name, "small") == 0)
    profile = PROFILE_SMALL;
  else if (profile_name != NULL && g_strcmp0 (profile_name, "mixed") != 0)
    {
      g_printerr ("Unknown profile “%s”, expected “mixed” or “small”\n", profile_name);
      return EXIT_FAILURE;
    }
  if (megabytes <= 0 || chunk <= 0 || repeats <= 0)
    {
      g_printerr ("Sizes and repeats must be positive\n");
      return EXIT_FAILURE;
    }

  stream = g_string_sized_new ((gsize) megabytes * 1000 * 1000 + 4 * 1024 * 1024);
  while (stream->len < (gsize) megabytes * 1000 * 1000)
    expected_events += append_event (stream, &rng, profile, crlf ? "\r\n" : "\n", &counter);
  mb = stream->len / 1e6;

  for (int i = 0; i < repeats; i++)
    {
      double t_memchr = time_memchr (stream->str, stream->len, (gsize) chunk, &lines);
      double t_parser = time_parser (stream->str, stream->len, (gsize) chunk, &tally);

      best_memchr = MIN (best_memchr, t_memchr);
      best_parser = MIN (best_parser, t_parser);
    }

  if (tally.events != expected_events)
    {
      g_printerr ("The parser dispatched %" G_GUINT64_FORMAT " events, expected %"
                  G_GUINT64_FORMAT "\n", tally.events, expected_events);
      return EXIT_FAILURE;
    }

  printf ("input:   %.1f MB, %s, %s line ends, %" G_GINT64_FORMAT "-byte chunks, "
          "%" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT " lines\n",
          mb, profile == PROFILE_SMALL ? "small events" : "mixed events",
          crlf ? "CRLF" : "LF", chunk, tally.events, lines);
  printf ("memchr:  %8.0f MB/s\n", mb / best_memchr);
  printf ("parser:  %8.0f MB/s\n", mb / best_parser);
  printf ("ratio:   %8.2f (parser time / memchr time)\n", best_parser / best_memchr);

  return EXIT_SUCCESS;
}
