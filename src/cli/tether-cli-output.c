/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "tether-cli.h"

/*
 * What tether-cli prints: JSON documents on standard output, diagnostics on standard error,
 * and the exit status an error maps to.
 */

static void
write_json (JsonNode *node,
            gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, &length);
  fwrite (text, 1, length, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
tether_cli_print_json (TetherCli *cli,
                       JsonNode  *node)
{
  write_json (node, cli->pretty);
}

void
tether_cli_print_object (TetherCli  *cli,
                         JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  write_json (node, cli->pretty);
}

void
tether_cli_print_json_line (JsonNode *node)
{
  write_json (node, FALSE);
}

int
tether_cli_exit_code_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TETHER_CLI_EXIT_INTERRUPTED;
  if (mcp_client_error_is_remote (error))
    return TETHER_CLI_EXIT_REMOTE_ERROR;
  if (g_error_matches (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_TIMEOUT))
    return TETHER_CLI_EXIT_TIMEOUT;
  if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN) ||
      error->domain == MCP_OAUTH_ERROR)
    return TETHER_CLI_EXIT_AUTHORIZATION;
  return TETHER_CLI_EXIT_CONNECTION;
}

void
tether_cli_report_error (TetherCli    *cli,
                         const char   *what,
                         const GError *error)
{
  if (mcp_client_error_is_remote (error))
    {
      JsonNode *data = mcp_client_error_get_data (error);

      g_printerr ("tether-cli: %s: the server answered with error %d: %s\n", what, error->code,
                  error->message);
      if (data != NULL)
        {
          g_autofree char *text = json_to_string (data, FALSE);

          g_printerr ("tether-cli: error data: %s\n", text);
        }
      return;
    }

  if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED))
    g_printerr ("tether-cli: %s: %s\ntether-cli: the server wants authorization: give a token "
                "with --bearer or TETHER_BEARER_TOKEN\n", what, error->message);
  else
    g_printerr ("tether-cli: %s: %s\n", what, error->message);
}

void
tether_cli_fail (TetherCli    *cli,
                 const char   *what,
                 const GError *error)
{
  /* Errors of operations the ending itself cut short say nothing new. */
  if (cli->finishing)
    return;
  tether_cli_report_error (cli, what, error);
  tether_cli_finish (cli, tether_cli_exit_code_for_error (error));
}

void
tether_cli_connect_diagnostics (TetherCli *cli)
{
  JsonObject *info = mcp_client_get_server_info (cli->client);
  const char *name = NULL;
  const char *version = NULL;

  if (cli->quiet)
    return;
  if (info != NULL)
    {
      name = json_object_get_string_member_with_default (info, "name", NULL);
      version = json_object_get_string_member_with_default (info, "version", NULL);
    }
  g_printerr ("tether-cli: connected to %s %s (protocol %s)\n",
              name != NULL ? name : "an unnamed server", version != NULL ? version : "",
              mcp_client_get_protocol_version (cli->client));
}
