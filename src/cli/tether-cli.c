/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mcp-http-transport.h"
#include "mcp-sse-transport.h"
#include "mcp-stdio-transport.h"
#include "tether-cli.h"

/*
 * tether-cli: the protocol library driven from the command line. This file reads the
 * command line, builds the transport and the client, and runs the main loop; the
 * subcommands are in tether-cli-commands.c, the answers to the server's requests in
 * tether-cli-handlers.c, printing in tether-cli-output.c.
 */

/* After a close that does not complete (a server that never answers), leave anyway. */
#define CLOSE_GRACE_SECONDS 5

static const char description[] =
  "Subcommands:\n"
  "  info                     server name, version, protocol, capabilities, instructions\n"
  "  tools                    list the tools (all pages)\n"
  "  call NAME [JSON]         call a tool; JSON is the arguments object\n"
  "  resources                list the resources\n"
  "  templates                list the resource templates\n"
  "  read URI                 read a resource\n"
  "  prompts                  list the prompts\n"
  "  prompt NAME [JSON]       get a prompt; JSON is the arguments object\n"
  "  complete REF ARG[=VALUE] [JSON]\n"
  "                           complete an argument; REF is prompt:NAME or\n"
  "                           resource:URI-TEMPLATE; JSON: arguments already chosen\n"
  "  ping                     ping the server\n"
  "  set-level LEVEL          logging/setLevel (debug, info, notice, warning, error, ...)\n"
  "  watch [URI…]             print notifications as JSON Lines until interrupted,\n"
  "                           subscribed to the given resources\n"
  "  skills                   list the skills (io.modelcontextprotocol/skills extension);\n"
  "                           reads no skill file\n"
  "  skill URI|NAME           load a skill: read its files, verify each one's size and\n"
  "                           SHA-256 digest and SKILL.md's frontmatter against the listing,\n"
  "                           print the verified files; refused on any difference (exit 6)\n"
  "  logout                   forget the tokens and client registrations kept for the\n"
  "                           server's URL\n"
  "\n"
  "The server is a URL (Streamable HTTP, or HTTP+SSE when the path ends in /sse), given\n"
  "last, or a command to run over stdio, given after --:\n"
  "  tether-cli tools http://localhost:3001/mcp\n"
  "  tether-cli call echo '{\"message\":\"hi\"}' -- npx @modelcontextprotocol/server-everything\n"
  "\n"
  "Output: one JSON document on standard output (JSON Lines for watch); diagnostics,\n"
  "progress and the server's log on standard error (--quiet silences them).\n"
  "The bearer token can also come from the environment variable TETHER_BEARER_TOKEN;\n"
  "tokens and header values are never printed.\n"
  "Servers that need OAuth are signed in to (--auth browser by default for URLs, without a\n"
  "--bearer token): tokens and client registrations are kept in the keyring (in memory\n"
  "without a Secret Service). The client secret can also come from TETHER_CLIENT_SECRET.\n"
  "The JWT bearer grant: a workload presents its token, a person's ID token from the\n"
  "enterprise identity provider is first exchanged there for an ID-JAG (tokens are read\n"
  "from files or the environment, never from the command line):\n"
  "  tether-cli --grant jwt_bearer --client-id ID --assertion /run/token tools URL\n"
  "  tether-cli --grant jwt_bearer --client-id ID --id-token FILE \\\n"
  "    --idp-token-endpoint https://idp.example.com/token --idp-client-id IDP-ID tools URL\n"
  "\n"
  "Exit status:\n"
  "  0  success\n"
  "  1  the tool returned isError, or the server answered with a JSON-RPC error\n"
  "  2  usage error\n"
  "  3  connection or transport failure\n"
  "  4  authorization needed or refused\n"
  "  5  timeout\n"
  "  6  skill: no such skill, or it was refused (entry or files failed verification)\n"
  "  130 interrupted";

static void
on_client_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_client_close_finish (MCP_CLIENT (source), result, &error) && !cli->quiet)
    g_printerr ("tether-cli: closing the connection: %s\n", error->message);
  g_main_loop_quit (cli->loop);
}

static gboolean
on_close_grace_over (gpointer user_data)
{
  TetherCli *cli = user_data;

  g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

void
tether_cli_finish (TetherCli *cli,
                   int        exit_code)
{
  if (cli->finishing)
    return;
  cli->finishing = TRUE;
  cli->exit_code = exit_code;

  g_timeout_add_seconds (CLOSE_GRACE_SECONDS, on_close_grace_over, cli);
  mcp_client_close_async (cli->client, NULL, on_client_closed, cli);
}

static gboolean
on_signal (gpointer user_data)
{
  TetherCli *cli = user_data;

  /* watch runs until it is told to stop: that is its normal end. */
  if (g_strcmp0 (cli->subcommand, "watch") == 0)
    tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
  else
    {
      if (!cli->quiet && !cli->finishing)
        g_printerr ("tether-cli: interrupted\n");
      tether_cli_finish (cli, TETHER_CLI_EXIT_INTERRUPTED);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_client_connect_finish (MCP_CLIENT (source), result, &error))
    {
      tether_cli_fail (cli, "connect", error);
      return;
    }
  if (cli->finishing)
    return;
  tether_cli_connect_diagnostics (cli);
  tether_cli_run_subcommand (cli);
}

static gboolean
parse_header (const char *header)
{
  const char *colon = strchr (header, ':');

  return colon != NULL && colon != header;
}

static McpTransport *
create_transport (TetherCli  *cli,
                  GError    **error)
{
  const char *kind = cli->transport_name != NULL ? cli->transport_name : "auto";
  g_autofree char *bearer = g_strdup (cli->bearer);
  g_autoptr(GUri) uri = NULL;

  if (bearer == NULL && g_getenv ("TETHER_BEARER_TOKEN") != NULL)
    bearer = g_strdup (g_getenv ("TETHER_BEARER_TOKEN"));

  for (guint i = 0; cli->headers != NULL && cli->headers[i] != NULL; i++)
    if (!parse_header (cli->headers[i]))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--header expects “Name: value”, got an argument without a name and "
                     "colon");
        return NULL;
      }

  if (cli->command != NULL)
    {
      McpStdioTransport *stdio;

      if (!g_str_equal (kind, "auto") && !g_str_equal (kind, "stdio"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--transport %s needs a URL, not a command after --", kind);
          return NULL;
        }
      for (guint i = 0; cli->environment != NULL && cli->environment[i] != NULL; i++)
        if (strchr (cli->environment[i], '=') == NULL || cli->environment[i][0] == '=')
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "--env expects NAME=VALUE, got “%s”", cli->environment[i]);
            return NULL;
          }
      stdio = mcp_stdio_transport_new ((const char * const *) cli->command);
      if (cli->environment != NULL)
        mcp_stdio_transport_set_environment (stdio, (const char * const *) cli->environment);
      if (cli->cwd != NULL)
        mcp_stdio_transport_set_working_directory (stdio, cli->cwd);
      return MCP_TRANSPORT (stdio);
    }

  if (cli->environment != NULL || cli->cwd != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--env and --cwd apply to a server command given after --");
      return NULL;
    }

  uri = g_uri_parse (cli->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Expected an http:// or https:// URL as the last argument, got “%s”",
                   cli->url);
      return NULL;
    }

  if (g_str_equal (kind, "auto"))
    kind = g_str_has_suffix (g_uri_get_path (uri), "/sse") ? "sse" : "http";
  else if (g_str_equal (kind, "stdio"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--transport stdio needs the server's command after --, not a URL");
      return NULL;
    }

  if (g_str_equal (kind, "http"))
    {
      McpHttpTransport *http = mcp_http_transport_new (cli->url);

      if (cli->headers != NULL)
        mcp_http_transport_set_headers (http, (const char * const *) cli->headers);
      if (bearer != NULL)
        mcp_http_transport_set_bearer_token (http, bearer);
      return MCP_TRANSPORT (http);
    }
  if (g_str_equal (kind, "sse"))
    {
      McpSseTransport *sse = mcp_sse_transport_new (cli->url);

      if (cli->headers != NULL)
        mcp_sse_transport_set_headers (sse, (const char * const *) cli->headers);
      if (bearer != NULL)
        mcp_sse_transport_set_bearer_token (sse, bearer);
      return MCP_TRANSPORT (sse);
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--transport expects auto, http, sse or stdio, got “%s”", kind);
  return NULL;
}

static gboolean
parse_era (TetherCli  *cli,
           McpEra     *era,
           GError    **error)
{
  const char *name = cli->era_name != NULL ? cli->era_name : "auto";

  if (g_str_equal (name, "auto"))
    *era = MCP_ERA_AUTO;
  else if (g_str_equal (name, "legacy"))
    *era = MCP_ERA_LEGACY;
  else if (g_str_equal (name, "modern"))
    *era = MCP_ERA_MODERN;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--era expects auto, legacy or modern, got “%s”", name);
      return FALSE;
    }

  /* The HTTP+SSE transport belongs to the 2024-11-05 revision: initialize it is. */
  if (MCP_IS_SSE_TRANSPORT (mcp_client_get_transport (cli->client)))
    {
      if (*era == MCP_ERA_MODERN)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "The HTTP+SSE transport cannot carry the 2026-07-28 era (--era modern)");
          return FALSE;
        }
      *era = MCP_ERA_LEGACY;
    }
  return TRUE;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("tether-cli: %s\nTry “tether-cli --help”.\n", message);
  return TETHER_CLI_EXIT_USAGE;
}

static void
tether_cli_clear (TetherCli *cli)
{
  g_clear_handle_id (&cli->sigint_source, g_source_remove);
  g_clear_handle_id (&cli->sigterm_source, g_source_remove);
  g_clear_object (&cli->client);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->transport_name, g_free);
  g_clear_pointer (&cli->era_name, g_free);
  g_clear_pointer (&cli->headers, g_strfreev);
  if (cli->bearer != NULL)
    explicit_bzero (cli->bearer, strlen (cli->bearer));
  g_clear_pointer (&cli->bearer, g_free);
  g_clear_pointer (&cli->elicitation_name, g_free);
  g_clear_pointer (&cli->roots, g_strfreev);
  g_clear_pointer (&cli->sampling_reply, g_free);
  g_clear_pointer (&cli->environment, g_strfreev);
  g_clear_pointer (&cli->cwd, g_free);
  g_clear_pointer (&cli->url, g_free);
  g_clear_pointer (&cli->command, g_strfreev);
  g_clear_pointer (&cli->subcommand, g_free);
  g_clear_pointer (&cli->args, g_strfreev);
  g_clear_pointer (&cli->call_arguments, json_object_unref);
  g_clear_pointer (&cli->auth_name, g_free);
  g_clear_pointer (&cli->client_id, g_free);
  if (cli->client_secret != NULL)
    explicit_bzero (cli->client_secret, strlen (cli->client_secret));
  g_clear_pointer (&cli->client_secret, g_free);
  g_clear_pointer (&cli->client_metadata_url, g_free);
  g_clear_pointer (&cli->scope, g_free);
  g_clear_pointer (&cli->private_key_file, g_free);
  g_clear_pointer (&cli->grant_name, g_free);
  g_clear_pointer (&cli->assertion_file, g_free);
  g_clear_pointer (&cli->id_token_file, g_free);
  g_clear_pointer (&cli->idp_token_endpoint, g_free);
  g_clear_pointer (&cli->idp_client_id, g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(McpTransport) transport = NULL;
  g_auto(GStrv) options_argv = NULL;
  TetherCli cli = { 0, };
  gboolean version = FALSE;
  int n_options = argc;
  int dash = -1;
  int n_positional;
  McpEra era;
  GOptionEntry entries[] = {
    { "transport", 0, 0, G_OPTION_ARG_STRING, &cli.transport_name,
      "auto (default: sse when the URL path ends in /sse, else http), http, sse or stdio",
      "KIND" },
    { "era", 0, 0, G_OPTION_ARG_STRING, &cli.era_name,
      "Protocol era: auto (default), legacy (initialize, 2025-11-25 and older) or modern "
      "(2026-07-28)", "ERA" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &cli.headers,
      "Extra HTTP header “Name: value” (repeatable)", "HEADER" },
    { "bearer", 0, 0, G_OPTION_ARG_STRING, &cli.bearer,
      "Bearer token for HTTP; better TETHER_BEARER_TOKEN, as others can read command lines",
      "TOKEN" },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &cli.timeout_seconds,
      "Seconds to wait for each answer (default 60; progress restarts the clock; 0: "
      "forever)", "SECONDS" },
    { "elicitation", 0, 0, G_OPTION_ARG_STRING, &cli.elicitation_name,
      "Answer the server's elicitation requests: accept-defaults, decline or cancel "
      "(default: the capability is not declared)", "ANSWER" },
    { "roots", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &cli.roots,
      "A directory offered to the server as a root (repeatable)", "DIR" },
    { "sampling-reply", 0, 0, G_OPTION_ARG_STRING, &cli.sampling_reply,
      "Answer every sampling request with this text (default: sampling is not offered)",
      "TEXT" },
    { "pretty", 'p', 0, G_OPTION_ARG_NONE, &cli.pretty,
      "Indent the JSON output", NULL },
    { "env", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &cli.environment,
      "Environment variable for a stdio server (repeatable)", "NAME=VALUE" },
    { "cwd", 0, 0, G_OPTION_ARG_FILENAME, &cli.cwd,
      "Working directory of a stdio server", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &cli.quiet,
      "Print no diagnostics, progress or server log on standard error", NULL },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &cli.repeat,
      "call: make the call N times in a row, printing the last result (benchmarks)", "N" },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &cli.auth_name,
      "Sign in with OAuth when the server asks: browser (default for URLs; $BROWSER is "
      "honoured), headless (the server approves without a person) or none", "MODE" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &cli.client_id,
      "A pre-registered OAuth client id", "ID" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &cli.client_secret,
      "Its secret; better TETHER_CLIENT_SECRET, as others can read command lines", "SECRET" },
    { "client-metadata-url", 0, 0, G_OPTION_ARG_STRING, &cli.client_metadata_url,
      "A Client ID Metadata Document URL to use as the client id where the server takes one",
      "URL" },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &cli.scope,
      "Scopes to ask for, space-separated (default: what the server names)", "SCOPE" },
    { "private-key", 0, 0, G_OPTION_ARG_FILENAME, &cli.private_key_file,
      "PEM EC P-256 key for private_key_jwt client authentication", "FILE" },
    { "grant", 0, 0, G_OPTION_ARG_STRING, &cli.grant_name,
      "authorization_code (default: a person signs in), client_credentials or jwt_bearer "
      "(RFC 7523: --assertion, or --id-token exchanged at --idp-token-endpoint)", "GRANT" },
    { "assertion", 0, 0, G_OPTION_ARG_FILENAME, &cli.assertion_file,
      "jwt_bearer: the file holding the JWT to present, e.g. a workload identity token "
      "(default: TETHER_ASSERTION)", "FILE" },
    { "id-token", 0, 0, G_OPTION_ARG_FILENAME, &cli.id_token_file,
      "jwt_bearer: the file holding the ID token that the identity provider exchanges "
      "(RFC 8693) for an ID-JAG (default: TETHER_ID_TOKEN)", "FILE" },
    { "idp-token-endpoint", 0, 0, G_OPTION_ARG_STRING, &cli.idp_token_endpoint,
      "jwt_bearer: the enterprise identity provider's token endpoint for that exchange",
      "URL" },
    { "idp-client-id", 0, 0, G_OPTION_ARG_STRING, &cli.idp_client_id,
      "The client id at the identity provider (its secret from TETHER_IDP_CLIENT_SECRET)",
      "ID" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  cli.timeout_seconds = -1;

  /* Everything after the first -- is the server command, untouched by option parsing. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        dash = i;
        n_options = i;
        break;
      }
  options_argv = g_new0 (char *, n_options + 1);
  for (int i = 0; i < n_options; i++)
    options_argv[i] = g_strdup (argv[i]);

  context = g_option_context_new ("SUBCOMMAND [ARGS…] (URL | -- COMMAND [ARGS…])");
  g_option_context_set_summary (context, "Talk to an MCP server from the command line.");
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  /* The _strv variant frees the arguments it consumes (the plain one leaks them). */
  if (!g_option_context_parse_strv (context, &options_argv, &error))
    {
      int status = usage_error (context, error->message);

      tether_cli_clear (&cli);
      return status;
    }
  n_positional = (int) g_strv_length (options_argv) - 1;

  if (version)
    {
      g_print ("tether-cli %s\n", VERSION);
      tether_cli_clear (&cli);
      return TETHER_CLI_EXIT_OK;
    }

  if (dash >= 0)
    {
      if (dash + 1 >= argc)
        {
          int status = usage_error (context, "No server command after --");

          tether_cli_clear (&cli);
          return status;
        }
      cli.command = g_new0 (char *, argc - dash);
      for (int i = dash + 1; i < argc; i++)
        cli.command[i - dash - 1] = g_strdup (argv[i]);
    }
  else if (n_positional >= 1)
    {
      cli.url = g_strdup (options_argv[n_positional]);
      n_positional--;
    }

  if (n_positional < 1 || (cli.url == NULL && cli.command == NULL))
    {
      int status = usage_error (context,
                                cli.url == NULL && cli.command == NULL
                                ? "Nothing to do: give a subcommand and a server"
                                : "No subcommand, or no server: give a subcommand, then the "
                                  "server's URL last or its command after --");

      tether_cli_clear (&cli);
      return status;
    }

  cli.subcommand = g_strdup (options_argv[1]);
  cli.args = g_new0 (char *, n_positional);
  for (int i = 2; i <= n_positional; i++)
    cli.args[i - 2] = g_strdup (options_argv[i]);

  if (g_str_equal (cli.subcommand, "logout"))
    {
      int status = tether_cli_logout (&cli);

      tether_cli_clear (&cli);
      return status;
    }

  if (!tether_cli_check_subcommand (&cli, &error) ||
      (transport = create_transport (&cli, &error)) == NULL)
    {
      int status = usage_error (context, error->message);

      tether_cli_clear (&cli);
      return status;
    }

  cli.client = mcp_client_new (transport);
  if (!parse_era (&cli, &era, &error) || !tether_cli_setup_handlers (&cli, &error) ||
      !tether_cli_setup_auth (&cli, &error))
    {
      int status = usage_error (context, error->message);

      tether_cli_clear (&cli);
      return status;
    }
  mcp_client_set_era (cli.client, era);
  mcp_client_set_client_info (cli.client, "tether-cli", VERSION);
  if (cli.timeout_seconds >= 0)
    mcp_client_set_request_timeout_ms (cli.client,
                                       (guint) MIN (cli.timeout_seconds * 1000.0,
                                                    (double) G_MAXUINT));

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.sigint_source = g_unix_signal_add (SIGINT, on_signal, &cli);
  cli.sigterm_source = g_unix_signal_add (SIGTERM, on_signal, &cli);

  mcp_client_connect_async (cli.client, cli.cancellable, on_connected, &cli);
  g_main_loop_run (cli.loop);

  {
    int status = cli.exit_code;

    tether_cli_clear (&cli);
    return status;
  }
}
