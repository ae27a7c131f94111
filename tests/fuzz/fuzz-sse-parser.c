/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for McpSseParser: the input is an event stream, with one
 * shorthand (see expand_input()) so that short inputs can make the large
 * events whose buffers the parser hands over. The stream is parsed whole, in
 * chunk sizes derived from the input, and (when short) one byte at a time;
 * the transcripts of events, retry signals, errors and final state must be
 * identical, or the target aborts. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp-sse-parser.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Longer inputs skip the byte-at-a-time run, which costs a feed per byte. */
#define BYTEWISE_MAX 8192

/* The marker byte of the shorthand, and the most an input may expand to. */
#define REPEAT_MARKER 0xFE
#define EXPANDED_MAX (512 * 1024)

/* REPEAT_MARKER followed by a byte k stands for 256 (k + 1) copies of the
 * byte before the marker ('x' at the start). Anywhere else, bytes are
 * themselves. */
static GString *
expand_input (const uint8_t *data,
              size_t         size)
{
  GString *out = g_string_sized_new (size);

  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == REPEAT_MARKER && i + 1 < size)
        {
          char c = out->len > 0 ? out->str[out->len - 1] : 'x';
          gsize n = ((gsize) data[++i] + 1) * 256;

          n = MIN (n, EXPANDED_MAX - MIN (out->len, EXPANDED_MAX));
          g_string_set_size (out, out->len + n);
          memset (out->str + out->len - n, c, n);
        }
      else if (out->len < EXPANDED_MAX)
        {
          g_string_append_c (out, (char) data[i]);
        }
    }

  return out;
}

static void
log_bytes (GString    *log,
           const char *bytes,
           gsize       len)
{
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);

  g_string_append_printf (log, "%" G_GSIZE_FORMAT ":", len);
  if (len <= 256)
    {
      g_string_append_len (log, bytes, (gssize) len);
      return;
    }

  /* Long data is compared by its FNV-1a hash: megabytes per transcript
   * would make each run crawl. */
  for (gsize i = 0; i < len; i++)
    hash = (hash ^ (guchar) bytes[i]) * G_GUINT64_CONSTANT (1099511628211);
  g_string_append_printf (log, "#%016" G_GINT64_MODIFIER "x", hash);
}

static void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          GString      *log)
{
  const char *type = mcp_sse_event_get_event_type (event);
  const char *data = mcp_sse_event_get_data (event);
  gsize len = mcp_sse_event_get_data_length (event);
  const char *id = mcp_sse_event_get_id (event);

  if (type == NULL || data == NULL || data[len] != '\0')
    abort ();
  /* The event's id is the parser's last event ID at dispatch. */
  if (g_strcmp0 (id, mcp_sse_parser_get_last_event_id (parser)) != 0)
    abort ();

  g_string_append (log, "event ");
  log_bytes (log, type, strlen (type));
  log_bytes (log, data, len);
  if (id != NULL)
    log_bytes (log, id, strlen (id));
  else
    g_string_append (log, "-");
  g_string_append_c (log, '\n');
}

static void
on_retry (McpSseParser *parser,
          gint64        ms,
          GString      *log)
{
  if (ms < 0)
    abort ();
  g_string_append_printf (log, "retry %" G_GINT64_FORMAT "\n", ms);
}

typedef struct
{
  guint64 state;
} Rng;

static guint32
rng_next (Rng *rng)
{
  rng->state ^= rng->state >> 12;
  rng->state ^= rng->state << 25;
  rng->state ^= rng->state >> 27;
  return (guint32) ((rng->state * G_GUINT64_CONSTANT (2685821657736338717)) >> 32);
}

typedef enum {
  SPLIT_WHOLE,
  SPLIT_RANDOM,
  SPLIT_BYTEWISE,
} Split;

static char *
run (const char *input,
     gsize       len,
     gsize       max_event_size,
     Split       split,
     guint64     seed)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (max_event_size);
  GString *log = g_string_new (NULL);
  Rng rng = { seed | 1 };
  gboolean failed = FALSE;
  gsize at = 0;

  g_signal_connect (parser, "event", G_CALLBACK (on_event), log);
  g_signal_connect (parser, "retry", G_CALLBACK (on_retry), log);

  while (at < len || (split == SPLIT_WHOLE && at == 0 && len == 0))
    {
      g_autoptr(GError) error = NULL;
      gsize chunk;
      gboolean ok;

      switch (split)
        {
        case SPLIT_WHOLE:
          chunk = len;
          break;
        case SPLIT_BYTEWISE:
          chunk = 1;
          break;
        case SPLIT_RANDOM:
        default:
          /* Mostly tiny chunks, so boundaries land inside CRLF pairs, the BOM
           * and field names; now and then an empty or a large one. Long
           * streams get socket-sized chunks, or the run would crawl. */
          switch (rng_next (&rng) % 8)
            {
            case 0:
              chunk = 0;
              break;
            case 1:
              chunk = 1 + rng_next (&rng) % 4096;
              break;
            case 2:
              chunk = 1 + rng_next (&rng) % 200000;
              break;
            default:
              chunk = len > 65536 ? 1 + rng_next (&rng) % 70000 : 1 + rng_next (&rng) % 7;
              break;
            }
          chunk = MIN (chunk, len - at);
          break;
        }

      ok = mcp_sse_parser_feed (parser, input + at, chunk, &error);
      at += chunk;

      if (failed)
        {
          /* Once failed, every non-empty feed fails the same way. */
          if (chunk > 0 && (ok || !g_error_matches (error, MCP_SSE_PARSER_ERROR,
                                                    MCP_SSE_PARSER_ERROR_FAILED)))
            abort ();
        }
      else if (!ok)
        {
          if (!g_error_matches (error, MCP_SSE_PARSER_ERROR,
                                MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE)
              || max_event_size == 0)
            abort ();
          g_string_append (log, "too large\n");
          failed = TRUE;
        }

      if (split == SPLIT_WHOLE)
        break;
    }

  mcp_sse_parser_finish (parser);
  g_string_append (log, "last-event-id ");
  if (mcp_sse_parser_get_last_event_id (parser) != NULL)
    log_bytes (log, mcp_sse_parser_get_last_event_id (parser),
               strlen (mcp_sse_parser_get_last_event_id (parser)));
  g_string_append_printf (log, "\nretry %" G_GINT64_FORMAT "\n",
                          mcp_sse_parser_get_retry (parser));

  return g_string_free (log, FALSE);
}

static void
check_same (const char *expected,
            const char *got,
            const char *how)
{
  if (strcmp (expected, got) == 0)
    return;

  fprintf (stderr, "Transcripts differ when fed %s.\n--- whole:\n%s\n--- %s:\n%s\n",
           how, expected, how, got);
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical from the parser is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) stream = expand_input (data, size);
  g_autofree char *whole = NULL;
  g_autofree char *random = NULL;
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);
  gsize max_event_size;

  /* FNV-1a of the input: the chunk sizes and the limit follow from it. */
  for (size_t i = 0; i < size; i++)
    hash = (hash ^ data[i]) * G_GUINT64_CONSTANT (1099511628211);

  /* Half the runs without a limit; the others with a small one, or with one
   * that large expanded events reach. */
  switch (hash % 4)
    {
    case 0:
      max_event_size = (gsize) ((hash >> 2) % 300);
      break;
    case 1:
      max_event_size = 60000 + (gsize) ((hash >> 2) % 300000);
      break;
    default:
      max_event_size = 0;
      break;
    }

  whole = run (stream->str, stream->len, max_event_size, SPLIT_WHOLE, hash);
  random = run (stream->str, stream->len, max_event_size, SPLIT_RANDOM, hash >> 7);
  check_same (whole, random, "in random chunks");

  if (stream->len <= BYTEWISE_MAX)
    {
      g_autofree char *bytewise = run (stream->str, stream->len, max_event_size,
                                       SPLIT_BYTEWISE, 0);

      check_same (whole, bytewise, "one byte at a time");
    }

  return 0;
}
