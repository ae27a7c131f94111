/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What McpHttpTransport makes of the answers of the misbehaving SoupServer of
 * http-transport-test-util.c: 401/403 with their challenges, error statuses with and
 * without a JSON-RPC body, malformed or unexpected bodies, bodies over the limit, and big
 * bodies parsed in a thread.
 */
#include <string.h>

#include "http-transport-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* HTTP errors                                                                                */

static void
respond_401 (Fixture           *f,
             SoupServerMessage *msg,
             Request           *request,
             McpMessage        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "WWW-Authenticate",
                               "Bearer resource_metadata=\"http://127.0.0.1/.well-known/"
                               "oauth-protected-resource\", scope=\"read\"");
  soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"x\"");
  respond (msg, SOUP_STATUS_UNAUTHORIZED, "text/plain", "no");
}

static void
test_unauthorized_keeps_challenge (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "initialize", "{}");
  g_autoptr(GError) error = NULL;
  const char * const *challenges;

  f->respond = respond_401;
  mcp_http_transport_set_bearer_token (f->transport, "secret-token");
  open_transport (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "secret-token"));
  g_assert_cmpuint (mcp_http_transport_get_last_status (f->transport), ==, 401);

  challenges = mcp_http_transport_get_last_www_authenticate (f->transport);
  g_assert_nonnull (challenges);
  g_assert_cmpuint (g_strv_length ((char **) challenges), ==, 2);
  g_assert_true (g_str_has_prefix (challenges[0], "Bearer resource_metadata="));
  g_assert_cmpstr (challenges[1], ==, "Basic realm=\"x\"");
  g_assert_cmpstr (request_header (find_request (f, "POST", 0), "Authorization"), ==,
                   "Bearer secret-token");
}

static void
respond_403 (Fixture           *f,
             SoupServerMessage *msg,
             Request           *request,
             McpMessage        *message)
{
  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "WWW-Authenticate",
                               "Bearer error=\"insufficient_scope\", scope=\"write\"");
  respond (msg, SOUP_STATUS_FORBIDDEN, NULL, NULL);
}

static void
test_forbidden_keeps_challenge (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (1, "initialize", "{}");
  g_autoptr(GError) error = NULL;
  const char * const *challenges;

  f->respond = respond_403;
  open_transport (f);
  g_assert_false (send_message (f, request, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN);
  challenges = mcp_http_transport_get_last_www_authenticate (f->transport);
  g_assert_nonnull (challenges);
  g_assert_cmpstr (challenges[0], ==, "Bearer error=\"insufficient_scope\", scope=\"write\"");
}

static void
respond_400_jsonrpc (Fixture           *f,
                     SoupServerMessage *msg,
                     Request           *request,
                     McpMessage        *message)
{
  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "server/discover") == 0)
    respond (msg, SOUP_STATUS_BAD_REQUEST, "application/json",
             "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32022,\"message\":"
             "\"Unsupported protocol version\",\"data\":{\"supported\":[\"2026-07-28\"]}}}");
  else if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "a/b") == 0)
    respond (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "Bad   Request:\n  no way");
  else if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "c/d") == 0)
    respond (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", "boom");
}

static void
test_error_status_with_jsonrpc_body (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(McpMessage) discover = new_request (5, "server/discover", "{}");
  g_autoptr(McpMessage) bad = new_request (6, "a/b", NULL);
  g_autoptr(McpMessage) boom = new_request (8, "c/d", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  McpMessage *got;

  f->respond = respond_400_jsonrpc;
  open_transport (f);
  g_assert_true (send_message (f, discover, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 1);
  got = g_ptr_array_index (f->messages, 0);
  g_assert_cmpint (mcp_message_get_kind (got), ==, MCP_MESSAGE_KIND_ERROR);
  g_assert_cmpint (mcp_message_get_error_code (got), ==, -32022);
  g_assert_cmpstr (mcp_message_get_id_key (got), ==, "i:5");
  g_assert_cmpuint (mcp_http_transport_get_last_status (f->transport), ==, 400);

  /* A 400 without a JSON-RPC body is a status error with the body's gist. */
  g_assert_false (send_message (f, bad, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "HTTP 400 Bad Request from POST"));
  g_assert_true (g_str_has_suffix (error->message, ": Bad Request: no way"));
  g_clear_error (&error);

  g_assert_false (send_message (f, boom, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
  expected = g_strdup_printf ("HTTP 500 Internal Server Error from POST %s: boom", f->mcp_url);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (f->messages->len, ==, 1);
}

static void
respond_bad_bodies (Fixture           *f,
                    SoupServerMessage *msg,
                    Request           *request,
                    McpMessage        *message)
{
  const char *method = message ? mcp_message_get_method (message) : NULL;

  if (g_strcmp0 (method, "malformed") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,");
  else if (g_strcmp0 (method, "html") == 0)
    respond (msg, SOUP_STATUS_OK, "text/html", "<html></html>");
  else if (g_strcmp0 (method, "batch") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json; charset=utf-8",
             "[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}},"
             "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}]");
  else if (g_strcmp0 (method, "other") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json",
             "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}");
  else if (g_strcmp0 (method, "accepted") == 0)
    respond (msg, SOUP_STATUS_ACCEPTED, NULL, NULL);
  else if (g_strcmp0 (method, "notifications/odd") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", "{}");
}

static void
test_malformed_and_unexpected_bodies (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(McpMessage) malformed = new_request (1, "malformed", NULL);
  g_autoptr(McpMessage) html = new_request (2, "html", NULL);
  g_autoptr(McpMessage) batch = new_request (3, "batch", NULL);
  g_autoptr(McpMessage) other = new_request (4, "other", NULL);
  g_autoptr(McpMessage) accepted = new_request (5, "accepted", NULL);
  g_autoptr(McpMessage) odd = mcp_message_new_notification ("notifications/odd", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_bad_bodies;
  open_transport (f);

  g_assert_false (send_message (f, malformed, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_false (send_message (f, html, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "text/html"));
  g_clear_error (&error);
  g_assert_cmpuint (f->messages->len, ==, 0);

  /* a batch is emitted message by message, in order */
  g_assert_true (send_message (f, batch, NULL, NULL, &error));
  g_assert_cmpuint (f->messages->len, ==, 2);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==,
                   "notifications/message");
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (f->messages, 1)), ==, "i:3");

  /* a JSON answer without the response, and a 202 for a request */
  g_assert_false (send_message (f, other, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE);
  g_clear_error (&error);
  g_assert_false (send_message (f, accepted, NULL, NULL, &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NO_RESPONSE);
  g_clear_error (&error);

  /* a notification waits for nothing: a stray body is ignored */
  g_assert_true (send_message (f, odd, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 3);  /* the batch, and the answer to id 99 */
}

static void
respond_large (Fixture           *f,
               SoupServerMessage *msg,
               Request           *request,
               McpMessage        *message)
{
  const char *method = message ? mcp_message_get_method (message) : NULL;
  g_autoptr(GString) body = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":\"");

  for (int i = 0; i < 5000; i++)
    g_string_append_c (body, 'a');
  g_string_append (body, "\"}}");

  if (g_strcmp0 (method, "json") == 0)
    respond (msg, SOUP_STATUS_OK, "application/json", body->str);
  else if (g_strcmp0 (method, "chunked") == 0)
    {
      RawConn *c = raw_steal (f, msg, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n");
      raw_write_chunk (c, body->str);
      raw_write (c, "0\r\n\r\n");
      raw_close (c);
    }
  else if (g_strcmp0 (method, "sse") == 0)
    {
      g_autofree char *events = g_strdup_printf ("data: %s\n\n", body->str);
      respond (msg, SOUP_STATUS_OK, "text/event-stream", events);
    }
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  const char *methods[] = { "json", "chunked", "sse" };
  g_autoptr(GError) error = NULL;

  f->respond = respond_large;
  g_object_set (f->transport, "max-message-size", (guint64) 1000, NULL);
  g_assert_cmpuint (mcp_http_transport_get_max_message_size (f->transport), ==, 1000);
  open_transport (f);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(McpMessage) request = new_request (1, methods[i], NULL);

      g_test_message ("answer as %s", methods[i]);
      g_assert_false (send_message (f, request, NULL, NULL, &error));
      g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_TOO_LARGE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (f->messages->len, ==, 0);
}

/* Events around a body big enough to be parsed in a thread keep their order. */
static void
respond_huge_in_order (Fixture           *f,
                       SoupServerMessage *msg,
                       Request           *request,
                       McpMessage        *message)
{
  g_autoptr(GString) events = g_string_new (NULL);

  if (message != NULL && g_strcmp0 (mcp_message_get_method (message), "huge/json") == 0)
    {
      g_string_append (events, "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"x\":\"");
      for (int i = 0; i < 2 * 1024 * 1024 / 64; i++)
        g_string_append (events,
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
      g_string_append (events, "\"}}");
      respond (msg, SOUP_STATUS_OK, "application/json", events->str);
      return;
    }
  if (message == NULL || g_strcmp0 (mcp_message_get_method (message), "tools/call") != 0)
    return;

  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/a\"}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/huge\",\"params\":{\"x\":\"");
  for (int i = 0; i < 3 * 1024 * 1024 / 64; i++)
    g_string_append (events, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (events, "\"}}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"method\":\"n/c\"}\n\n");
  g_string_append (events, "data: {\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}\n\n");
  respond (msg, SOUP_STATUS_OK, "text/event-stream", events->str);
}

static void
test_large_event_keeps_order (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(McpMessage) request = new_request (4, "tools/call", "{\"name\":\"big\"}");
  g_autoptr(McpMessage) json = new_request (5, "huge/json", NULL);
  g_autoptr(GError) error = NULL;

  f->respond = respond_huge_in_order;
  open_transport (f);
  g_assert_true (send_message (f, request, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 4);
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 0)), ==, "n/a");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 1)), ==, "n/huge");
  g_assert_cmpstr (mcp_message_get_method (g_ptr_array_index (f->messages, 2)), ==, "n/c");
  g_assert_cmpstr (mcp_message_get_id_key (g_ptr_array_index (f->messages, 3)), ==, "i:4");

  /* the same for a JSON body */
  g_assert_true (send_message (f, json, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->messages->len, ==, 5);
  g_assert_cmpuint (strlen (json_object_get_string_member (
                      mcp_message_get_result (g_ptr_array_index (f->messages, 4)), "x")), ==,
                    2 * 1024 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/http-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("401-keeps-www-authenticate", test_unauthorized_keeps_challenge);
  ADD ("403-keeps-www-authenticate", test_forbidden_keeps_challenge);
  ADD ("4xx-with-jsonrpc-error-body-is-a-message", test_error_status_with_jsonrpc_body);
  ADD ("malformed-or-unexpected-bodies-fail", test_malformed_and_unexpected_bodies);
  ADD ("bodies-over-the-limit-are-too-large", test_too_large);
  ADD ("large-event-parsed-in-thread-keeps-order", test_large_event_keeps_order);
#undef ADD

  return g_test_run ();
}
