/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tether-cli.h"

/*
 * The client side of the server's requests, answered from the command line's options:
 * elicitation (--elicitation), sampling (--sampling-reply) and roots (--roots); and the
 * diagnostics printed on standard error.
 */

static const char *
log_level_name (McpLogLevel level)
{
  switch (level)
    {
    case MCP_LOG_DEBUG:
      return "debug";
    case MCP_LOG_INFO:
      return "info";
    case MCP_LOG_WARNING:
      return "warning";
    case MCP_LOG_ERROR:
    default:
      return "error";
    }
}

static void
on_log (McpClient   *client,
        McpLogLevel  level,
        const char  *text,
        TetherCli   *cli)
{
  if (level == MCP_LOG_DEBUG && g_getenv ("TETHER_CLI_DEBUG") == NULL)
    return;
  g_printerr ("tether-cli: [%s] %s\n", log_level_name (level), text);
}

static void
on_log_message (McpClient  *client,
                const char *level,
                const char *logger,
                JsonNode   *data,
                TetherCli  *cli)
{
  g_autofree char *text = NULL;

  if (data != NULL && JSON_NODE_HOLDS_VALUE (data) &&
      json_node_get_value_type (data) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (data));
  else if (data != NULL)
    text = json_to_string (data, FALSE);
  g_printerr ("tether-cli: server log %s%s%s: %s\n", level, logger != NULL ? " " : "",
              logger != NULL ? logger : "", text != NULL ? text : "");
}

/* SEP-1034: accepting with the defaults the schema gives for its fields. */
static JsonObject *
elicitation_defaults (JsonObject *params)
{
  JsonObject *content = json_object_new ();
  JsonNode *schema = json_object_get_member (params, "requestedSchema");
  JsonNode *properties;
  JsonObjectIter iter;
  const char *name;
  JsonNode *property;

  if (schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema))
    return content;
  properties = json_object_get_member (json_node_get_object (schema), "properties");
  if (properties == NULL || !JSON_NODE_HOLDS_OBJECT (properties))
    return content;

  json_object_iter_init (&iter, json_node_get_object (properties));
  while (json_object_iter_next (&iter, &name, &property))
    {
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (property))
        continue;
      value = json_object_get_member (json_node_get_object (property), "default");
      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (content, name, json_node_copy (value));
    }
  return content;
}

static void
answer_elicitation (TetherCli        *cli,
                    McpServerRequest *request)
{
  JsonObject *params = mcp_server_request_get_params (request);
  const char *mode = json_object_get_string_member_with_default (params, "mode", "form");
  const char *message = json_object_get_string_member_with_default (params, "message", "");
  g_autoptr(JsonObject) result = json_object_new ();

  if (!cli->quiet)
    g_printerr ("tether-cli: the server asks (%s): %s\n", mode, message);

  switch (cli->elicitation)
    {
    case TETHER_CLI_ELICIT_ACCEPT_DEFAULTS:
      /* A URL to visit cannot be accepted without a person. */
      if (g_str_equal (mode, "form"))
        {
          json_object_set_string_member (result, "action", "accept");
          json_object_set_object_member (result, "content", elicitation_defaults (params));
        }
      else
        json_object_set_string_member (result, "action", "decline");
      break;
    case TETHER_CLI_ELICIT_CANCEL:
      json_object_set_string_member (result, "action", "cancel");
      break;
    case TETHER_CLI_ELICIT_DECLINE:
    case TETHER_CLI_ELICIT_NONE:
    default:
      json_object_set_string_member (result, "action", "decline");
      break;
    }
  mcp_server_request_respond (request, result);
}

static void
answer_sampling (TetherCli        *cli,
                 McpServerRequest *request)
{
  g_autoptr(JsonObject) result = json_object_new ();
  JsonObject *content = json_object_new ();

  json_object_set_string_member (content, "type", "text");
  json_object_set_string_member (content, "text", cli->sampling_reply);
  json_object_set_string_member (result, "role", "assistant");
  json_object_set_object_member (result, "content", content);
  json_object_set_string_member (result, "model", "tether-cli");
  json_object_set_string_member (result, "stopReason", "endTurn");
  mcp_server_request_respond (request, result);
}

static void
answer_roots (TetherCli        *cli,
              McpServerRequest *request)
{
  g_autoptr(JsonObject) result = json_object_new ();
  JsonArray *roots = json_array_new ();

  for (guint i = 0; cli->roots[i] != NULL; i++)
    {
      g_autofree char *path = g_canonicalize_filename (cli->roots[i], NULL);
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
      g_autofree char *name = g_path_get_basename (path);
      JsonObject *root;

      if (uri == NULL)
        continue;
      root = json_object_new ();
      json_object_set_string_member (root, "uri", uri);
      json_object_set_string_member (root, "name", name);
      json_array_add_object_element (roots, root);
    }
  json_object_set_array_member (result, "roots", roots);
  mcp_server_request_respond (request, result);
}

static gboolean
on_server_request (McpClient        *client,
                   McpServerRequest *request,
                   TetherCli        *cli)
{
  const char *method = mcp_server_request_get_method (request);

  if (g_str_equal (method, "elicitation/create") && cli->elicitation != TETHER_CLI_ELICIT_NONE)
    answer_elicitation (cli, request);
  else if (g_str_equal (method, "sampling/createMessage") && cli->sampling_reply != NULL)
    answer_sampling (cli, request);
  else if (g_str_equal (method, "roots/list") && cli->roots != NULL)
    answer_roots (cli, request);
  else
    {
      if (!cli->quiet)
        g_printerr ("tether-cli: the server asked for %s, which this run does not offer\n",
                    method);
      return FALSE;
    }
  return TRUE;
}

gboolean
tether_cli_setup_handlers (TetherCli  *cli,
                           GError    **error)
{
  const char *answer = cli->elicitation_name;

  if (answer == NULL)
    cli->elicitation = TETHER_CLI_ELICIT_NONE;
  else if (g_str_equal (answer, "accept-defaults"))
    cli->elicitation = TETHER_CLI_ELICIT_ACCEPT_DEFAULTS;
  else if (g_str_equal (answer, "decline"))
    cli->elicitation = TETHER_CLI_ELICIT_DECLINE;
  else if (g_str_equal (answer, "cancel"))
    cli->elicitation = TETHER_CLI_ELICIT_CANCEL;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--elicitation expects accept-defaults, decline or cancel, got “%s”",
                   answer);
      return FALSE;
    }

  for (guint i = 0; cli->roots != NULL && cli->roots[i] != NULL; i++)
    if (!g_file_test (cli->roots[i], G_FILE_TEST_IS_DIR))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--roots expects a directory, and “%s” is none", cli->roots[i]);
        return FALSE;
      }

  mcp_client_set_enable_elicitation (cli->client, cli->elicitation != TETHER_CLI_ELICIT_NONE);
  mcp_client_set_enable_sampling (cli->client, cli->sampling_reply != NULL);
  mcp_client_set_enable_roots (cli->client, cli->roots != NULL);

  g_signal_connect (cli->client, "server-request", G_CALLBACK (on_server_request), cli);
  if (!cli->quiet)
    {
      g_signal_connect (cli->client, "log", G_CALLBACK (on_log), cli);
      g_signal_connect (cli->client, "log-message", G_CALLBACK (on_log_message), cli);
    }
  return TRUE;
}
