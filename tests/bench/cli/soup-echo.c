/* SPDX-License-Identifier: GPL-3.0-or-later */
/* soup-echo.c: the floor under tether-cli in the CLI benchmark. A bare libsoup 3 client with
 * no MCP library: it initializes a session, then makes CALLS sequential echo tools/call POSTs
 * over one kept-alive connection (SOUP_MESSAGE_IDEMPOTENT, as McpHttpTransport sets it) and
 * reads each answer whole, without parsing it beyond checking the last one. Whatever CPU it
 * spends per call is what libsoup, GIO and the kernel cost before any MCP work is done.
 *
 *   soup-echo URL CALLS
 *
 * run.sh compiles it with the system compiler; it is not part of the build. */

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#define PROTOCOL_VERSION "2025-11-25"

typedef struct {
  SoupSession *session;
  GMainLoop   *loop;
  const char  *url;
  char        *session_id;
  int          calls;
  int          next_id;
  int          status;
} Bench;

static void post (Bench *bench, const char *body);

static void
send_next (Bench *bench)
{
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":"
                          "{\"name\":\"echo\",\"arguments\":{\"message\":\"bench\"}}}",
                          bench->next_id++);
  post (bench, body);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Bench *bench = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (bench->session, result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  body = soup_session_send_and_read_finish (bench->session, result, &error);
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_printerr ("soup-echo: POST %s failed: %s\n", bench->url,
                  error ? error->message : soup_message_get_reason_phrase (msg));
      bench->status = 1;
      g_main_loop_quit (bench->loop);
      return;
    }

  if (bench->session_id == NULL)
    {
      const char *id = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Mcp-Session-Id");
      bench->session_id = g_strdup (id != NULL ? id : "");
      post (bench, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      return;
    }

  /* initialize had id 0, the calls have ids 1 to CALLS */
  if (bench->next_id <= bench->calls)
    {
      send_next (bench);
      return;
    }

  data = g_bytes_get_data (body, &size);
  if (g_strstr_len (data, size, "Echo: bench") == NULL)
    {
      g_printerr ("soup-echo: unexpected answer: %.*s\n", (int) MIN (size, 500), data);
      bench->status = 1;
    }
  g_main_loop_quit (bench->loop);
}

static void
post (Bench      *bench,
      const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, bench->url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (headers, "Accept", "application/json, text/event-stream");
  if (bench->session_id != NULL)
    {
      soup_message_headers_replace (headers, "Mcp-Session-Id", bench->session_id);
      soup_message_headers_replace (headers, "MCP-Protocol-Version", PROTOCOL_VERSION);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_answer, bench);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0, };

  if (argc != 3 || atoi (argv[2]) < 1)
    {
      g_printerr ("usage: soup-echo URL CALLS\n");
      return 2;
    }

  bench.url = argv[1];
  bench.calls = atoi (argv[2]);
  bench.session = soup_session_new ();
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.next_id = 1;

  post (&bench, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                "{\"protocolVersion\":\"" PROTOCOL_VERSION "\",\"capabilities\":{},"
                "\"clientInfo\":{\"name\":\"soup-echo\",\"version\":\"1\"}}}");
  g_main_loop_run (bench.loop);

  g_main_loop_unref (bench.loop);
  g_object_unref (bench.session);
  g_free (bench.session_id);
  return bench.status;
}
