/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tether-cli.h"

/*
 * The subcommands. Each starts one asynchronous call on the connected client and ends the
 * run with tether_cli_finish() from its callback.
 */

typedef struct
{
  const char *name;
  guint       min_args;
  guint       max_args;   /* G_MAXUINT: any number */
  void      (*run) (TetherCli *cli);
} Subcommand;

static const Subcommand *find_subcommand (const char *name);

static guint
n_args (TetherCli *cli)
{
  return cli->args != NULL ? g_strv_length (cli->args) : 0;
}

static JsonObject *
parse_object_arg (const char  *text,
                  const char  *what,
                  GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;

  node = json_from_string (text, &local_error);
  if (node == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be a JSON object: %s", what, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s must be a JSON object, got %s", what, json_node_type_name (node));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* The object argument at @index, or NULL when absent; the syntax was checked before. */
static JsonObject *
object_arg (TetherCli *cli,
            guint      index)
{
  if (index >= n_args (cli))
    return NULL;
  return parse_object_arg (cli->args[index], "argument", NULL);
}

/* Completions */

static void
finish_with_object (TetherCli  *cli,
                    JsonObject *object)
{
  tether_cli_print_object (cli, object);
  tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
}

static void
finish_with_array (TetherCli  *cli,
                   const char *key,
                   JsonArray  *array)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_array_member (object, key, json_array_ref (array));
  finish_with_object (cli, object);
}

/* info */

static void
run_info (TetherCli *cli)
{
  g_autoptr(JsonObject) object = json_object_new ();
  McpClient *client = cli->client;
  const char *instructions = mcp_client_get_instructions (client);

  json_object_set_string_member (object, "protocolVersion",
                                 mcp_client_get_protocol_version (client));
  json_object_set_string_member (object, "era",
                                 mcp_client_get_active_era (client) == MCP_ERA_MODERN
                                 ? "modern" : "legacy");
  json_object_set_object_member (object, "serverInfo",
                                 json_object_ref (mcp_client_get_server_info (client)));
  json_object_set_object_member (object, "capabilities",
                                 json_object_ref (mcp_client_get_server_capabilities (client)));
  if (instructions != NULL)
    json_object_set_string_member (object, "instructions", instructions);
  finish_with_object (cli, object);
}

/* Lists */

typedef JsonArray *(*ListFinish) (McpClient *, GAsyncResult *, GError **);

static void
on_listed (TetherCli    *cli,
           GAsyncResult *result,
           ListFinish    finish,
           const char   *method,
           const char   *key)
{
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = finish (cli->client, result, &error);
  if (items == NULL)
    tether_cli_fail (cli, method, error);
  else
    finish_with_array (cli, key, items);
}

static void
on_tools_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  on_listed (user_data, result, mcp_client_list_tools_finish, "tools/list", "tools");
}

static void
run_tools (TetherCli *cli)
{
  mcp_client_list_tools_async (cli->client, cli->cancellable, on_tools_listed, cli);
}

static void
on_resources_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  on_listed (user_data, result, mcp_client_list_resources_finish, "resources/list",
             "resources");
}

static void
run_resources (TetherCli *cli)
{
  mcp_client_list_resources_async (cli->client, cli->cancellable, on_resources_listed, cli);
}

static void
on_templates_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  on_listed (user_data, result, mcp_client_list_resource_templates_finish,
             "resources/templates/list", "resourceTemplates");
}

static void
run_templates (TetherCli *cli)
{
  mcp_client_list_resource_templates_async (cli->client, cli->cancellable, on_templates_listed,
                                            cli);
}

static void
on_prompts_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  on_listed (user_data, result, mcp_client_list_prompts_finish, "prompts/list", "prompts");
}

static void
run_prompts (TetherCli *cli)
{
  mcp_client_list_prompts_async (cli->client, cli->cancellable, on_prompts_listed, cli);
}

/* call */

static void
print_progress (double      progress,
                double      total,
                const char *message,
                gpointer    user_data)
{
  TetherCli *cli = user_data;

  if (cli->quiet)
    return;
  if (total >= 0)
    g_printerr ("tether-cli: progress %g/%g%s%s\n", progress, total, message ? " " : "",
                message ? message : "");
  else
    g_printerr ("tether-cli: progress %g%s%s\n", progress, message ? " " : "",
                message ? message : "");
}

static void call_once (TetherCli *cli);

static void
on_tool_called (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mcp_client_call_tool_finish (cli->client, result, &error);
  if (reply == NULL)
    {
      tether_cli_fail (cli, "tools/call", error);
      return;
    }
  if (--cli->remaining > 0)
    {
      call_once (cli);
      return;
    }

  tether_cli_print_object (cli, reply);
  if (json_object_get_boolean_member_with_default (reply, "isError", FALSE))
    {
      if (!cli->quiet)
        g_printerr ("tether-cli: the tool reported an error (isError)\n");
      tether_cli_finish (cli, TETHER_CLI_EXIT_REMOTE_ERROR);
    }
  else
    tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
}

/* Every repeat sends the same arguments, read once; nothing changes them on the way. */
static void
call_once (TetherCli *cli)
{
  McpRequestOptions options = { 0, };

  options.progress = TRUE;
  options.progress_func = print_progress;
  options.progress_data = cli;
  mcp_client_call_tool_async (cli->client, cli->args[0], cli->call_arguments, &options,
                              cli->cancellable, on_tool_called, cli);
}

static void
run_call (TetherCli *cli)
{
  cli->remaining = MAX (cli->repeat, 1);
  cli->call_arguments = object_arg (cli, 1);
  call_once (cli);
}

/* read, prompt */

static void
on_resource_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mcp_client_read_resource_finish (cli->client, result, &error);
  if (reply == NULL)
    tether_cli_fail (cli, "resources/read", error);
  else
    finish_with_object (cli, reply);
}

static void
run_read (TetherCli *cli)
{
  mcp_client_read_resource_async (cli->client, cli->args[0], cli->cancellable,
                                  on_resource_read, cli);
}

static void
on_prompt_got (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mcp_client_get_prompt_finish (cli->client, result, &error);
  if (reply == NULL)
    tether_cli_fail (cli, "prompts/get", error);
  else
    finish_with_object (cli, reply);
}

static void
run_prompt (TetherCli *cli)
{
  g_autoptr(JsonObject) arguments = object_arg (cli, 1);

  mcp_client_get_prompt_async (cli->client, cli->args[0], arguments, cli->cancellable,
                               on_prompt_got, cli);
}

/* complete */

static JsonObject *
parse_reference (const char  *text,
                 GError     **error)
{
  JsonObject *ref;

  if (g_str_has_prefix (text, "prompt:") && text[7] != '\0')
    {
      ref = json_object_new ();
      json_object_set_string_member (ref, "type", "ref/prompt");
      json_object_set_string_member (ref, "name", text + 7);
      return ref;
    }
  if (g_str_has_prefix (text, "resource:") && text[9] != '\0')
    {
      ref = json_object_new ();
      json_object_set_string_member (ref, "type", "ref/resource");
      json_object_set_string_member (ref, "uri", text + 9);
      return ref;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "complete expects prompt:NAME or resource:URI-TEMPLATE, got “%s”", text);
  return NULL;
}

static void
on_completed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) completion = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  completion = mcp_client_complete_finish (cli->client, result, &error);
  if (completion == NULL)
    {
      tether_cli_fail (cli, "completion/complete", error);
      return;
    }
  object = json_object_new ();
  json_object_set_object_member (object, "completion", g_steal_pointer (&completion));
  finish_with_object (cli, object);
}

static void
run_complete (TetherCli *cli)
{
  g_autoptr(JsonObject) ref = parse_reference (cli->args[0], NULL);
  g_autoptr(JsonObject) context = object_arg (cli, 2);
  g_auto(GStrv) argument = g_strsplit (cli->args[1], "=", 2);

  mcp_client_complete_async (cli->client, ref, argument[0], argument[1], context,
                             cli->cancellable, on_completed, cli);
}

/* ping, set-level */

static void
on_pinged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();

  if (!mcp_client_ping_finish (cli->client, result, &error))
    tether_cli_fail (cli, "ping", error);
  else
    finish_with_object (cli, empty);
}

static void
run_ping (TetherCli *cli)
{
  mcp_client_ping_async (cli->client, cli->cancellable, on_pinged, cli);
}

static void
on_level_set (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();

  if (!mcp_client_set_logging_level_finish (cli->client, result, &error))
    tether_cli_fail (cli, "logging/setLevel", error);
  else
    finish_with_object (cli, empty);
}

static void
run_set_level (TetherCli *cli)
{
  mcp_client_set_logging_level_async (cli->client, cli->args[0], cli->cancellable,
                                      on_level_set, cli);
}

/* watch */

static void
on_notification (McpClient  *client,
                 const char *method,
                 JsonObject *params,
                 TetherCli  *cli)
{
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (line, "method", method);
  if (params != NULL)
    json_object_set_object_member (line, "params", json_object_ref (params));
  json_node_set_object (node, line);
  tether_cli_print_json_line (node);
}

static void
on_watch_closed (McpClient    *client,
                 const GError *error,
                 TetherCli    *cli)
{
  if (error != NULL)
    tether_cli_fail (cli, "watch", error);
  else if (!cli->finishing)
    tether_cli_finish (cli, TETHER_CLI_EXIT_CONNECTION);
}

static void
on_subscribed (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_client_subscribe_resource_finish (cli->client, result, &error))
    tether_cli_fail (cli, "resources/subscribe", error);
}

static void
on_listen_ended (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = mcp_client_request_finish (cli->client, result, &error);
  if (reply == NULL)
    tether_cli_fail (cli, "subscriptions/listen", error);
  else
    tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
}

static void
run_watch (TetherCli *cli)
{
  g_signal_connect (cli->client, "notification", G_CALLBACK (on_notification), cli);
  g_signal_connect (cli->client, "closed", G_CALLBACK (on_watch_closed), cli);

  if (mcp_client_get_active_era (cli->client) == MCP_ERA_MODERN)
    {
      /* 2026-07-28: one long-lived request carries the notifications. */
      g_autoptr(JsonObject) params = json_object_new ();
      JsonObject *filter = json_object_new ();
      JsonArray *uris = json_array_new ();
      McpRequestOptions options = { 0, };

      for (guint i = 0; i < n_args (cli); i++)
        json_array_add_string_element (uris, cli->args[i]);
      json_object_set_boolean_member (filter, "toolsListChanged", TRUE);
      json_object_set_boolean_member (filter, "promptsListChanged", TRUE);
      json_object_set_boolean_member (filter, "resourcesListChanged", TRUE);
      json_object_set_array_member (filter, "resourceSubscriptions", uris);
      json_object_set_object_member (params, "notifications", filter);
      options.timeout_ms = -1;
      mcp_client_request_async (cli->client, "subscriptions/listen", params, &options,
                                cli->cancellable, on_listen_ended, cli);
      return;
    }

  for (guint i = 0; i < n_args (cli); i++)
    mcp_client_subscribe_resource_async (cli->client, cli->args[i], cli->cancellable,
                                         on_subscribed, cli);
}

/* The table */

static const Subcommand subcommands[] = {
  { "info", 0, 0, run_info },
  { "tools", 0, 0, run_tools },
  { "call", 1, 2, run_call },
  { "resources", 0, 0, run_resources },
  { "templates", 0, 0, run_templates },
  { "read", 1, 1, run_read },
  { "prompts", 0, 0, run_prompts },
  { "prompt", 1, 2, run_prompt },
  { "complete", 2, 3, run_complete },
  { "ping", 0, 0, run_ping },
  { "set-level", 1, 1, run_set_level },
  { "watch", 0, G_MAXUINT, run_watch },
  { "skills", 0, 0, tether_cli_run_skills },
  { "skill", 1, 1, tether_cli_run_skill },
};

static const Subcommand *
find_subcommand (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_str_equal (subcommands[i].name, name))
      return &subcommands[i];
  return NULL;
}

gboolean
tether_cli_check_subcommand (TetherCli  *cli,
                             GError    **error)
{
  const Subcommand *subcommand = find_subcommand (cli->subcommand);
  guint count = n_args (cli);

  if (subcommand == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown subcommand “%s”", cli->subcommand);
      return FALSE;
    }
  if (count < subcommand->min_args || count > subcommand->max_args)
    {
      if (subcommand->min_args == subcommand->max_args)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s takes %u argument%s, got %u (is the server given last?)",
                     subcommand->name, subcommand->min_args,
                     subcommand->min_args == 1 ? "" : "s", count);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "%s takes %u to %u arguments, got %u (is the server given last?)",
                     subcommand->name, subcommand->min_args, subcommand->max_args, count);
      return FALSE;
    }

  if ((g_str_equal (subcommand->name, "call") || g_str_equal (subcommand->name, "prompt")) &&
      count == 2)
    {
      g_autoptr(JsonObject) arguments = parse_object_arg (cli->args[1], "The arguments",
                                                          error);
      if (arguments == NULL)
        return FALSE;
    }
  if (g_str_equal (subcommand->name, "complete"))
    {
      g_autoptr(JsonObject) ref = parse_reference (cli->args[0], error);

      if (ref == NULL)
        return FALSE;
      if (cli->args[1][0] == '\0' || cli->args[1][0] == '=')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "complete expects ARGUMENT or ARGUMENT=VALUE, got “%s”", cli->args[1]);
          return FALSE;
        }
      if (count == 3)
        {
          g_autoptr(JsonObject) context = parse_object_arg (cli->args[2], "The context",
                                                            error);
          if (context == NULL)
            return FALSE;
        }
    }
  if (cli->repeat < 0 || (cli->repeat > 0 && !g_str_equal (subcommand->name, "call")))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--repeat takes a positive count and applies to call only");
      return FALSE;
    }
  return TRUE;
}

void
tether_cli_run_subcommand (TetherCli *cli)
{
  const Subcommand *subcommand = find_subcommand (cli->subcommand);

  g_return_if_fail (subcommand != NULL);
  subcommand->run (cli);
}
