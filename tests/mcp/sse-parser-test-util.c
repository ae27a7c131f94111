/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "sse-parser-test-util.h"

/* Transcripts */

static void
append_escaped (GString    *out,
                const char *bytes,
                gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) bytes[i];

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '|')
        g_string_append (out, "\\|");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
}

void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          GString      *out)
{
  const char *data = mcp_sse_event_get_data (event);
  gsize len = mcp_sse_event_get_data_length (event);
  const char *id = mcp_sse_event_get_id (event);

  /* The data is always NUL-terminated, whatever it holds. */
  g_assert_nonnull (data);
  g_assert_cmpint (data[len], ==, '\0');
  g_assert_nonnull (mcp_sse_event_get_event_type (event));

  g_string_append (out, "event ");
  append_escaped (out, mcp_sse_event_get_event_type (event),
                  strlen (mcp_sse_event_get_event_type (event)));
  g_string_append (out, "|");
  append_escaped (out, data, len);
  g_string_append (out, "|");
  if (id != NULL)
    append_escaped (out, id, strlen (id));
  else
    g_string_append (out, "(none)");
  g_string_append (out, "\n");
}

static void
on_retry (McpSseParser *parser,
          gint64        ms,
          GString      *out)
{
  g_string_append_printf (out, "retry %" G_GINT64_FORMAT "\n", ms);
}

/* Feeds @input cut at the ascending offsets @cuts, then ends the stream.
 * Returns the transcript: events, retry signals, the first error (by code,
 * since the sizes in its message depend on where the chunk ended), and the
 * last event ID at the end. */
char *
run_chunks (const char  *input,
            gsize        len,
            gsize        max_event_size,
            const gsize *cuts,
            guint        n_cuts)
{
  g_autoptr(McpSseParser) parser = mcp_sse_parser_new (max_event_size);
  GString *out = g_string_new (NULL);
  gboolean failed = FALSE;
  gsize start = 0;

  g_signal_connect (parser, "event", G_CALLBACK (on_event), out);
  g_signal_connect (parser, "retry", G_CALLBACK (on_retry), out);

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize stop = i < n_cuts ? cuts[i] : len;
      gsize chunk_len;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_assert_cmpuint (stop, >=, start);
      chunk_len = stop - start;
      ok = mcp_sse_parser_feed (parser, input + start, chunk_len, &error);
      start = stop;

      if (failed)
        {
          /* Once failed, always failed (an empty chunk is no input at all). */
          if (chunk_len > 0)
            {
              g_assert_false (ok);
              g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_FAILED);
            }
          continue;
        }

      if (!ok)
        {
          g_assert_error (error, MCP_SSE_PARSER_ERROR, MCP_SSE_PARSER_ERROR_EVENT_TOO_LARGE);
          g_string_append_printf (out, "error %d\n", error->code);
          failed = TRUE;
        }
      else
        {
          g_assert_no_error (error);
        }
    }

  mcp_sse_parser_finish (parser);
  g_string_append_printf (out, "last-event-id %s\n",
                          mcp_sse_parser_get_last_event_id (parser)
                            ? mcp_sse_parser_get_last_event_id (parser) : "(none)");

  return g_string_free (out, FALSE);
}

/* Splits up to this long are also tried at every pair of cut points. */
#define PAIR_SPLIT_MAX 96

void
check_stream_sized (const char *input,
                    gsize       len,
                    gsize       max_event_size,
                    const char *expected)
{
  g_autofree char *whole = run_chunks (input, len, max_event_size, NULL, 0);
  g_autofree gsize *bytes = g_new (gsize, len + 1);

  g_assert_cmpstr (whole, ==, expected);

  /* One byte at a time. */
  for (gsize i = 0; i < len; i++)
    bytes[i] = i + 1;
  {
    g_autofree char *got = run_chunks (input, len, max_event_size, bytes, len > 0 ? len - 1 : 0);
    g_assert_cmpstr (got, ==, expected);
  }

  /* Every single cut, including empty first and last chunks. */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autofree char *got = run_chunks (input, len, max_event_size, &cut, 1);

      if (g_strcmp0 (got, expected) != 0)
        g_test_message ("cut at %" G_GSIZE_FORMAT, cut);
      g_assert_cmpstr (got, ==, expected);
    }

  /* Every pair of cuts, for short streams. */
  if (len <= PAIR_SPLIT_MAX)
    {
      for (gsize a = 1; a < len; a++)
        for (gsize b = a; b < len; b++)
          {
            gsize cuts[2] = { a, b };
            g_autofree char *got = run_chunks (input, len, max_event_size, cuts, 2);

            if (g_strcmp0 (got, expected) != 0)
              g_test_message ("cuts at %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT, a, b);
            g_assert_cmpstr (got, ==, expected);
          }
    }
}

void
check_stream (const char *input,
              const char *expected)
{
  check_stream_sized (input, strlen (input), 0, expected);
}
