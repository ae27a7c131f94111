/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-client.h"

#include "client-test-util.h"

/* McpClient answering requests from real peers: sampling, elicitation and roots through
 * ::server-request, method-not-found when nobody claims one, and the 2026-07-28
 * input-required retry; plus McpServerRequest on its own. */

static void
test_sampling_answered_by_handler (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  f->sampling_reply = g_strdup ("Paris, said the handler");
  if (!fixture_connect (f, MCP_ERA_AUTO, TRUE, FALSE, FALSE))
    return;

  reply = call_tool (f, "trigger-sampling-request", "{\"prompt\": \"Capital of France?\"}",
                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "Paris, said the handler"));
  g_assert_cmpuint (f->server_requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->server_requests, 0), ==, "sampling/createMessage");
}

static void
test_unclaimed_request_gets_method_not_found (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean answered = FALSE;

  f->claim_nothing = TRUE;
  if (!fixture_connect (f, MCP_ERA_AUTO, TRUE, FALSE, FALSE))
    return;

  reply = call_tool (f, "trigger-sampling-request", "{\"prompt\": \"x\"}", NULL, NULL, &error);
  /* The server's tool fails because our answer was an error. */
  g_assert_true (reply == NULL ||
                 json_object_get_boolean_member_with_default (reply, "isError", FALSE));
  for (guint i = 0; i < f->sent->len; i++)
    {
      McpMessage *message = g_ptr_array_index (f->sent, i);

      if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_ERROR &&
          mcp_message_get_error_code (message) == -32601)
        answered = TRUE;
    }
  g_assert_true (answered);
}

static void
test_elicitation_answered_by_handler (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) all_text = g_string_new (NULL);
  JsonArray *content;

  f->elicitation_content = json_object_new ();
  json_object_set_string_member (f->elicitation_content, "name", "Ada Lovelace");
  json_object_set_boolean_member (f->elicitation_content, "check", TRUE);
  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, TRUE, FALSE))
    return;

  reply = call_tool (f, "trigger-elicitation-request", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  content = json_object_get_array_member (reply, "content");
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonObject *item = json_array_get_object_element (content, i);

      if (json_object_has_member (item, "text"))
        g_string_append (all_text, json_object_get_string_member (item, "text"));
    }
  g_assert_nonnull (strstr (all_text->str, "Ada Lovelace"));
}

static void
test_roots_listed_by_handler (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  f->root_uri = g_strdup ("file:///tmp/tether-test-root");
  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, TRUE))
    return;

  reply = call_tool (f, "get-roots-list", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "file:///tmp/tether-test-root"));
  g_assert_true (g_ptr_array_find_with_equal_func (f->server_requests, "roots/list",
                                                   g_str_equal, NULL));
}

static void
test_modern_input_required_answered_by_handler (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  McpMessage *first = NULL, *retry = NULL;
  JsonObject *params;

  f->elicitation_content = json_object_new ();
  json_object_set_boolean_member (f->elicitation_content, "ok", TRUE);
  if (!fixture_connect_modern (f, MCP_ERA_MODERN, TRUE))
    return;

  reply = call_tool (f, "confirm", "{\"action\": \"deploy\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (first_text (reply), "confirmed deploy: {\"ok\":true}"));
  g_assert_nonnull (strstr (first_text (reply), "state-for-deploy"));
  g_assert_cmpuint (f->server_requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->server_requests, 0), ==, "elicitation/create");

  /* The retry is a new request carrying the answers and the server's state verbatim. */
  for (guint i = 0; i < f->sent->len; i++)
    {
      McpMessage *message = g_ptr_array_index (f->sent, i);

      if (g_strcmp0 (mcp_message_get_method (message), "tools/call") != 0)
        continue;
      if (first == NULL)
        first = message;
      else
        retry = message;
    }
  g_assert_nonnull (retry);
  g_assert_cmpstr (mcp_message_get_id_key (first), !=, mcp_message_get_id_key (retry));
  params = mcp_message_get_params (retry);
  g_assert_cmpstr (json_object_get_string_member (params, "requestState"), ==,
                   "state-for-deploy");
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (
                     json_object_get_object_member (
                       json_object_get_object_member (params, "inputResponses"), "confirm"),
                     "content"), "ok"));
  g_assert_false (json_object_has_member (mcp_message_get_params (first), "requestState"));
}

static void
test_server_request_object (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) id = json_node_new (JSON_NODE_VALUE);
  g_autoptr(McpServerRequest) request = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  int code = 0;
  const char *message = NULL;

  json_node_set_int (id, 7);
  request = mcp_server_request_new ("roots/list", params, id, NULL);
  g_assert_cmpstr (mcp_server_request_get_method (request), ==, "roots/list");
  g_assert_cmpint (json_node_get_int (mcp_server_request_get_id (request)), ==, 7);
  g_assert_false (mcp_server_request_get_responded (request));
  g_assert_false (mcp_server_request_get_error (request, &code, &message, NULL));

  mcp_server_request_respond (request, result);
  g_assert_true (mcp_server_request_get_responded (request));
  g_assert_true (mcp_server_request_get_result (request) == result);

  g_clear_object (&request);
  request = mcp_server_request_new ("sampling/createMessage", NULL, NULL, "k1");
  g_assert_cmpstr (mcp_server_request_get_input_key (request), ==, "k1");
  g_assert_cmpuint (json_object_get_size (mcp_server_request_get_params (request)), ==, 0);
  mcp_server_request_cancel (request, "gone");
  g_assert_true (g_cancellable_is_cancelled (mcp_server_request_get_cancellable (request)));
  g_assert_cmpstr (mcp_server_request_get_cancel_reason (request), ==, "gone");
  mcp_server_request_respond_error (request, -1, "declined", NULL);
  g_assert_true (mcp_server_request_get_error (request, &code, &message, NULL));
  g_assert_cmpint (code, ==, -1);
  g_assert_cmpstr (message, ==, "declined");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/client/server-request/answers-once", test_server_request_object);

#define ADD(path, func) \
  g_test_add ("/mcp/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("server-request/sampling-answered-by-handler", test_sampling_answered_by_handler);
  ADD ("server-request/unclaimed-gets-method-not-found",
       test_unclaimed_request_gets_method_not_found);
  ADD ("server-request/elicitation-answered-by-handler", test_elicitation_answered_by_handler);
  ADD ("server-request/roots-listed-by-handler", test_roots_listed_by_handler);
  ADD ("modern/input-required-answered-by-handler",
       test_modern_input_required_answered_by_handler);

#undef ADD

  return g_test_run ();
}
