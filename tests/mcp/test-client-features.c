/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-client.h"

#include "client-test-util.h"

/* McpClient against real peers: tools (listing across pages, calls, unknown tools),
 * logging, resources with subscriptions, prompts and completion. */

static void
test_list_tools_and_call_echo (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_tools_async (f->client, NULL, store_result, &result);
  wait_for (&result, 10);
  tools = mcp_client_list_tools_finish (f->client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (tools); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                  "name"), "echo") == 0)
      found = TRUE;
  g_assert_true (found);
  g_assert_nonnull (mcp_client_lookup_tool (f->client, "echo"));
  /* Without the sampling capability the server does not offer its sampling tool. */
  g_assert_null (mcp_client_lookup_tool (f->client, "trigger-sampling-request"));

  reply = call_tool (f, "echo", "{\"message\": \"héllo\"}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_text (reply), ==, "Echo: héllo");
}

static void
test_unknown_tool_is_a_remote_error (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  /* The SDK answers an unknown tool either way; both must come back readable. */
  reply = call_tool (f, "no-such-tool", "{}", NULL, NULL, &error);
  if (reply != NULL)
    {
      g_assert_true (json_object_get_boolean_member (reply, "isError"));
      g_assert_nonnull (strstr (first_text (reply), "no-such-tool"));
    }
  else
    {
      g_assert_true (error->domain == MCP_CLIENT_ERROR);
      g_assert_true (mcp_client_error_is_remote (error));
      g_assert_cmpint (error->code, <, 0);
    }
}

static gboolean
has_log_message (Fixture *f)
{
  return f->log_levels->len > 0;
}

static void
test_logging_level_and_messages (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_set_logging_level_async (f->client, "debug", NULL, store_result, &result);
  wait_for (&result, 10);
  g_assert_true (mcp_client_set_logging_level_finish (f->client, result, &error));
  g_assert_no_error (error);

  reply = call_tool (f, "toggle-simulated-logging", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (has_log_message, f, 10));
  g_assert_nonnull (g_ptr_array_index (f->log_levels, 0));
}

static gboolean
has_update (Fixture *f)
{
  return f->updated->len > 0;
}

static void
test_resources_read_and_subscribe (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) templates_listed = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GAsyncResult) subscribed = NULL;
  g_autoptr(GAsyncResult) unsubscribed = NULL;
  g_autoptr(JsonArray) resources = NULL;
  g_autoptr(JsonArray) templates = NULL;
  g_autoptr(JsonObject) contents = NULL;
  g_autoptr(JsonObject) toggled = NULL;
  g_autoptr(GError) error = NULL;
  const char *uri;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_resources_async (f->client, NULL, store_result, &listed);
  wait_for (&listed, 10);
  resources = mcp_client_list_resources_finish (f->client, listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (resources), >, 0);
  uri = json_object_get_string_member (json_array_get_object_element (resources, 0), "uri");

  mcp_client_list_resource_templates_async (f->client, NULL, store_result, &templates_listed);
  wait_for (&templates_listed, 10);
  templates = mcp_client_list_resource_templates_finish (f->client, templates_listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (templates), >, 0);

  mcp_client_read_resource_async (f->client, uri, NULL, store_result, &read);
  wait_for (&read, 10);
  contents = mcp_client_read_resource_finish (f->client, read, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (contents, "contents"), 0), "uri"),
                   ==, uri);

  mcp_client_subscribe_resource_async (f->client, uri, NULL, store_result, &subscribed);
  wait_for (&subscribed, 10);
  g_assert_true (mcp_client_subscribe_resource_finish (f->client, subscribed, &error));
  g_assert_no_error (error);

  toggled = call_tool (f, "toggle-subscriber-updates", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (has_update, f, 10));
  g_assert_cmpstr (g_ptr_array_index (f->updated, 0), ==, uri);

  mcp_client_unsubscribe_resource_async (f->client, uri, NULL, store_result, &unsubscribed);
  wait_for (&unsubscribed, 10);
  g_assert_true (mcp_client_unsubscribe_resource_finish (f->client, unsubscribed, &error));
  g_assert_no_error (error);
}

static void
test_prompts_and_completion (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) completed = NULL;
  g_autoptr(JsonArray) prompts = NULL;
  g_autoptr(JsonObject) arguments = json_object_new ();
  g_autoptr(JsonObject) prompt = NULL;
  g_autoptr(JsonObject) ref = json_object_new ();
  g_autoptr(JsonObject) completion = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *message;
  JsonArray *values;

  if (!fixture_connect (f, MCP_ERA_AUTO, FALSE, FALSE, FALSE))
    return;

  mcp_client_list_prompts_async (f->client, NULL, store_result, &listed);
  wait_for (&listed, 10);
  prompts = mcp_client_list_prompts_finish (f->client, listed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (prompts), >, 0);

  json_object_set_string_member (arguments, "city", "Lyon");
  mcp_client_get_prompt_async (f->client, "args-prompt", arguments, NULL, store_result, &got);
  wait_for (&got, 10);
  prompt = mcp_client_get_prompt_finish (f->client, got, &error);
  g_assert_no_error (error);
  message = json_array_get_object_element (json_object_get_array_member (prompt, "messages"),
                                           0);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (message, "content"), "text"),
                            "Lyon"));

  json_object_set_string_member (ref, "type", "ref/prompt");
  json_object_set_string_member (ref, "name", "completable-prompt");
  mcp_client_complete_async (f->client, ref, "department", "Eng", NULL, NULL, store_result,
                             &completed);
  wait_for (&completed, 10);
  completion = mcp_client_complete_finish (f->client, completed, &error);
  g_assert_no_error (error);
  values = json_object_get_array_member (completion, "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (values, 0), ==, "Engineering");
}

static void
test_list_follows_pages (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "echo", "one", "two", "three", "four" };

  if (!fixture_connect_http (f))
    return;

  mcp_client_list_tools_async (f->client, NULL, store_result, &result);
  wait_for (&result, 10);
  tools = mcp_client_list_tools_finish (f->client, result, &error);
  g_assert_no_error (error);

  /* Three pages of two, two and one tools, in order. */
  g_assert_cmpuint (json_array_get_length (tools), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tools, i),
                                                    "name"), ==, expected[i]);
  g_assert_cmpuint (count_sent (f, "tools/list"), ==, 3);
  g_assert_nonnull (mcp_client_lookup_tool (f->client, "four"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/mcp/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("tools/list-and-call-echo", test_list_tools_and_call_echo);
  ADD ("tools/unknown-tool-is-reported", test_unknown_tool_is_a_remote_error);
  ADD ("logging/level-and-messages", test_logging_level_and_messages);
  ADD ("resources/read-and-subscribe", test_resources_read_and_subscribe);
  ADD ("prompts/get-and-complete", test_prompts_and_completion);
  ADD ("tools/list-follows-pages", test_list_follows_pages);

#undef ADD

  return g_test_run ();
}
