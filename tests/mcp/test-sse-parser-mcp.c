/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpSseParser: streams as MCP servers send them, small and large. */

#include <string.h>

#include "mcp-sse-parser.h"

#include "sse-parser-test-util.h"

/* Streams as MCP servers send them */

static void
test_mcp_streamable_http_response (void)
{
  check_stream ("id: 0_1\n"
                "data: \n"
                "\n"
                "event: message\n"
                "id: 0_2\n"
                "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                "\"params\":{\"progressToken\":1,\"progress\":1,\"total\":2}}\n"
                "\n"
                "event: message\n"
                "id: 0_3\n"
                "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":"
                "[{\"type\":\"text\",\"text\":\"Echo: h\\u00e9\"}]}}\n"
                "\n",
                "event message||0_1\n"
                "event message|{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                "\"params\":{\"progressToken\":1,\"progress\":1,\"total\":2}}|0_2\n"
                "event message|{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":"
                "[{\"type\":\"text\",\"text\":\"Echo: h\\\\u00e9\"}]}}|0_3\n"
                "last-event-id 0_3\n");
}

static void
test_mcp_legacy_sse_endpoint (void)
{
  check_stream (": ping\r\n"
                "event: endpoint\r\n"
                "data: /messages/?session_id=4f1c\r\n"
                "\r\n"
                ": ping - 2025-01-01 00:00:00\r\n"
                "\r\n"
                "event: message\r\n"
                "data: {\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}\r\n"
                "\r\n",
                "event endpoint|/messages/?session_id=4f1c|(none)\n"
                "event message|{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}|(none)\n"
                "last-event-id (none)\n");
}

static void
test_large_event_in_many_chunks (void)
{
  GString *stream = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *got_64k = NULL;
  g_autofree char *got_odd = NULL;
  g_autofree gsize *cuts = NULL;
  guint n_cuts = 0;

  /* A 1 MiB JSON line and a second line, CRLF, between small events. */
  g_string_append (payload, "{\"result\":\"");
  while (payload->len < 1024 * 1024)
    g_string_append (payload, "0123456789abcdefghijklmnopqrstuvwxyz");
  g_string_append (payload, "\"}");

  g_string_append (stream, "data: small\n\n");
  g_string_append_printf (stream, "id: big\r\ndata: %s\r\ndata: tail\r\n\r\n", payload->str);
  g_string_append (stream, "data: small\n\n");

  g_string_append (expected, "event message|small|(none)\n");
  g_string_append_printf (expected, "event message|%s\\ntail|big\n", payload->str);
  g_string_append (expected, "event message|small|big\n");
  g_string_append (expected, "last-event-id big\n");

  /* 64 KiB chunks, as a socket delivers them. */
  cuts = g_new (gsize, stream->len / 1000 + 2);
  for (gsize at = 65536; at < stream->len; at += 65536)
    cuts[n_cuts++] = at;
  got_64k = run_chunks (stream->str, stream->len, 0, cuts, n_cuts);
  g_assert_cmpstr (got_64k, ==, expected->str);

  /* Odd, growing chunk sizes. */
  n_cuts = 0;
  for (guint32 state = 1, at = 0; n_cuts < stream->len / 1000 + 1; )
    {
      state = state * 1103515245u + 12345u;
      at += 1 + (state >> 16) % 9973;
      if (at >= stream->len)
        break;
      cuts[n_cuts++] = at;
    }
  got_odd = run_chunks (stream->str, stream->len, 0, cuts, n_cuts);
  g_assert_cmpstr (got_odd, ==, expected->str);

  g_string_free (stream, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/sse-parser/mcp-streamable-http-response",
                   test_mcp_streamable_http_response);
  g_test_add_func ("/mcp/sse-parser/mcp-legacy-sse-endpoint", test_mcp_legacy_sse_endpoint);
  g_test_add_func ("/mcp/sse-parser/large-event-in-many-chunks", test_large_event_in_many_chunks);

  return g_test_run ();
}
