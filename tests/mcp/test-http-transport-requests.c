/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What McpHttpTransport sends, checked by the SoupServer of http-transport-test-util.c: the
 * 2026-07-28 headers and their encoding, custom headers, POSTs on one kept-alive connection,
 * and a POST broken under way that is not sent again.
 */

#include "http-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* The 2026-07-28 headers                                                                     */

/* Answers every tools/call with an empty result; initialize goes to respond_default(). */
static void
respond_call_ok (Fixture           *f,
                 SoupServerMessage *msg,
                 Request           *request,
                 McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "tools/call") == 0)
    respond_echo_ok (f, msg, request, message);
}

static void
test_posts_reuse_a_connection (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->respond = respond_call_ok;
  initialize (f);
  for (gint64 id = 2; id <= 4; id++)
    {
      g_autoptr(McpMessage) call = new_request (id, "tools/call", "{\"name\":\"echo\"}");

      g_assert_true (send_message (f, call, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* initialize and the three calls, each answered with a kept-alive JSON body, on one
   * connection: libsoup opens one per POST unless told the message may reuse one */
  g_assert_cmpuint (f->requests->len, ==, 4);
  for (guint i = 1; i < f->requests->len; i++)
    g_assert_cmpuint (((Request *) g_ptr_array_index (f->requests, i))->remote_port, ==,
                      ((Request *) g_ptr_array_index (f->requests, 0))->remote_port);
}

/* The server reads tools/call id 2, then drops the connection without a byte of answer. */
static void
respond_drop_call_2 (Fixture           *f,
                     SoupServerMessage *msg,
                     Request           *request,
                     McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_id_key (message), "i:2") == 0)
    {
      RawConn *c = raw_steal (f, msg, "");

      g_idle_add (raw_reset_later, c);
      return;
    }
  respond_call_ok (f, msg, request, message);
}

static guint
count_posts_with_id (Fixture    *f,
                     const char *key)
{
  guint n = 0;

  for (guint i = 0; i < f->requests->len; i++)
    {
      Request *r = g_ptr_array_index (f->requests, i);
      g_autoptr(McpMessage) m = NULL;

      if (!g_str_equal (r->method, "POST"))
        continue;
      m = mcp_message_parse (r->body, -1, NULL);
      if (m != NULL && g_strcmp0 (mcp_message_get_id_key (m), key) == 0)
        n++;
    }
  return n;
}

/* A kept-alive connection that breaks under a POST before any answer is exactly where
 * libsoup re-sends an idempotent request by itself. A tools/call must fail instead: the
 * server may have run it. */
static void
test_broken_post_is_not_sent_again (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(McpMessage) dropped = new_request (2, "tools/call", "{\"name\":\"echo\"}");
  g_autoptr(McpMessage) next = new_request (3, "tools/call", "{\"name\":\"echo\"}");
  g_autoptr(GError) error = NULL;

  f->respond = respond_drop_call_2;
  initialize (f);

  g_assert_false (send_message (f, dropped, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT);
  g_clear_error (&error);
  /* it went on the connection initialize had used, so libsoup saw a reused connection */
  g_assert_cmpuint (find_request (f, "POST", 1)->remote_port, ==,
                    find_request (f, "POST", 0)->remote_port);

  /* let anything libsoup might still send arrive */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (100 * 1000);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_posts_with_id (f, "i:2"), ==, 1);

  /* the transport goes on, on a new connection */
  g_assert_true (send_message (f, next, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_posts_with_id (f, "i:3"), ==, 1);
}

static void
test_modern_headers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(McpMessage) call = new_request (1, "tools/call",
                                            "{\"name\":\"get_weather\",\"arguments\":{}}");
  g_autoptr(McpMessage) prompt = new_request (2, "prompts/get", "{\"name\":\"Hello, 世界\"}");
  g_autoptr(McpMessage) read = new_request (3, "resources/read",
                                            "{\"uri\":\"file:///projects/a.json\"}");
  g_autoptr(McpMessage) list = new_request (4, "tools/list", NULL);
  g_autoptr(McpMessage) note = mcp_message_new_notification ("notifications/x", NULL);
  g_autoptr(GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  Request *r;

  f->respond = respond_echo_ok;
  g_object_set (f->transport, "modern", TRUE, "protocol-version", "2026-07-28", NULL);
  open_transport (f);

  g_hash_table_insert (extra, (gpointer) "Mcp-Param-Region", (gpointer) "us-west1");
  g_hash_table_insert (extra, (gpointer) "Mcp-Param-Text", (gpointer) " padded ");
  g_assert_true (send_message (f, call, extra, NULL, &error));
  g_assert_true (send_message (f, prompt, NULL, NULL, &error));
  g_assert_true (send_message (f, read, NULL, NULL, &error));
  g_assert_true (send_message (f, list, NULL, NULL, &error));
  g_assert_true (send_message (f, note, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 4);

  r = find_request (f, "POST", 0);
  g_assert_cmpstr (request_header (r, "MCP-Protocol-Version"), ==, "2026-07-28");
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "tools/call");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "get_weather");
  g_assert_cmpstr (request_header (r, "Mcp-Param-Region"), ==, "us-west1");
  g_assert_cmpstr (request_header (r, "Mcp-Param-Text"), ==, "=?base64?IHBhZGRlZCA=?=");
  g_assert_null (request_header (r, "MCP-Session-Id"));

  r = find_request (f, "POST", 1);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "prompts/get");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "=?base64?SGVsbG8sIOS4lueVjA==?=");
  g_assert_null (request_header (r, "Mcp-Param-Region"));

  r = find_request (f, "POST", 2);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "resources/read");
  g_assert_cmpstr (request_header (r, "Mcp-Name"), ==, "file:///projects/a.json");

  r = find_request (f, "POST", 3);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "tools/list");
  g_assert_null (request_header (r, "Mcp-Name"));

  r = find_request (f, "POST", 4);
  g_assert_cmpstr (request_header (r, "Mcp-Method"), ==, "notifications/x");
  g_assert_cmpstr (request_header (r, "MCP-Protocol-Version"), ==, "2026-07-28");
}

static void
test_header_value_encoding (void)
{
  struct { const char *in, *out; } cases[] = {
    { "us-west1", "us-west1" },
    { "Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?=" },
    { " padded ", "=?base64?IHBhZGRlZCA=?=" },
    { "line1\nline2", "=?base64?bGluZTEKbGluZTI=?=" },
    { "=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = mcp_http_transport_encode_header_value (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_custom_headers (Fixture       *f,
                     gconstpointer  data)
{
  const char *headers[] = { "X-Team: blue", "X-Empty:", "no colon here", NULL };
  g_autoptr(McpMessage) request = new_request (1, "tools/list", NULL);
  g_autoptr(GHashTable) bad = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) got = NULL;
  g_autoptr(GError) error = NULL;
  Request *r;

  f->respond = respond_echo_ok;
  g_object_set (f->transport, "headers", headers, NULL);
  mcp_http_transport_set_header (f->transport, "X-Other", "1");
  mcp_http_transport_set_header (f->transport, "x-team", "red");
  mcp_http_transport_set_header (f->transport, "X-Evil", "a\r\nInjected: yes");
  g_object_get (f->transport, "headers", &got, NULL);
  g_assert_cmpuint (g_strv_length (got), ==, 3);
  open_transport (f);
  g_assert_true (send_message (f, request, NULL, NULL, &error));
  g_assert_no_error (error);

  r = find_request (f, "POST", 0);
  g_assert_cmpstr (request_header (r, "X-Team"), ==, "red");
  g_assert_cmpstr (request_header (r, "X-Other"), ==, "1");
  g_assert_cmpstr (request_header (r, "X-Empty"), ==, "");
  g_assert_null (request_header (r, "X-Evil"));
  g_assert_null (request_header (r, "Injected"));

  /* a per-message header that cannot be sent fails that send, before anything is sent */
  g_hash_table_insert (bad, (gpointer) "X-Bad", (gpointer) "a\nb");
  g_assert_false (send_message (f, request, bad, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/http-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("modern-era-headers", test_modern_headers);
  ADD ("posts-reuse-a-kept-alive-connection", test_posts_reuse_a_connection);
  ADD ("broken-post-is-not-sent-again", test_broken_post_is_not_sent_again);
  ADD ("custom-headers", test_custom_headers);
#undef ADD

  g_test_add_func ("/mcp/http-transport/header-value-encoding", test_header_value_encoding);

  return g_test_run ();
}
