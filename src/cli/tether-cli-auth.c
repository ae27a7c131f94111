/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-headless-authorizer.h"
#include "mcp-loopback-authorizer.h"
#include "mcp-oauth.h"
#include "mcp-token-store.h"
#include "tether-cli.h"

/*
 * Signing in from the command line: --auth browser (the system browser and a loopback
 * redirect, the default for URLs), headless (the authorization server must approve without a
 * person) or none; the client identity options; and the logout subcommand, which forgets the
 * tokens and client registrations kept for one server. Tokens live in the keyring (in memory
 * without a Secret Service) and are never printed.
 */

static void
on_auth_log (GObject     *source,
             McpLogLevel  level,
             const char  *text,
             TetherCli   *cli)
{
  if (cli->quiet || (level == MCP_LOG_DEBUG && g_getenv ("TETHER_CLI_DEBUG") == NULL))
    return;
  g_printerr ("tether-cli: [%s] %s\n",
              level == MCP_LOG_DEBUG ? "debug" : level == MCP_LOG_INFO ? "info"
              : level == MCP_LOG_WARNING ? "warning" : "error", text);
}

static McpTokenStore *
new_store (TetherCli *cli)
{
  McpTokenStore *store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_AUTO);

  g_signal_connect (store, "log", G_CALLBACK (on_auth_log), cli);
  return store;
}

gboolean
tether_cli_setup_auth (TetherCli  *cli,
                       GError    **error)
{
  const char *mode = cli->auth_name;
  g_autoptr(McpOAuth) oauth = NULL;
  g_autoptr(McpAuthorizer) authorizer = NULL;
  g_autoptr(McpTokenStore) store = NULL;
  g_autofree char *secret = NULL;

  if (cli->client_secret != NULL)
    secret = g_strdup (cli->client_secret);
  else if (g_getenv ("TETHER_CLIENT_SECRET") != NULL)
    secret = g_strdup (g_getenv ("TETHER_CLIENT_SECRET"));

  if (mode == NULL)
    mode = cli->url != NULL && cli->bearer == NULL && g_getenv ("TETHER_BEARER_TOKEN") == NULL
           ? "browser" : "none";

  if (g_str_equal (mode, "browser"))
    authorizer = MCP_AUTHORIZER (mcp_loopback_authorizer_new ());
  else if (g_str_equal (mode, "headless"))
    authorizer = MCP_AUTHORIZER (mcp_headless_authorizer_new (NULL));
  else if (!g_str_equal (mode, "none"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--auth expects browser, headless or none, got “%s”", mode);
      return FALSE;
    }

  if (cli->grant_name != NULL && !g_str_equal (cli->grant_name, "client_credentials") &&
      !g_str_equal (cli->grant_name, "authorization_code"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--grant expects authorization_code or client_credentials, got “%s”",
                   cli->grant_name);
      return FALSE;
    }

  if (authorizer == NULL)
    {
      if (cli->client_id != NULL || secret != NULL || cli->client_metadata_url != NULL ||
          cli->scope != NULL || cli->private_key_file != NULL || cli->grant_name != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "The sign-in options need --auth browser or headless and a URL");
          return FALSE;
        }
      return TRUE;
    }
  if (cli->url == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--auth %s needs the server's URL: a stdio server does not sign in", mode);
      return FALSE;
    }

  oauth = mcp_oauth_new (cli->url, NULL);
  g_signal_connect (oauth, "log", G_CALLBACK (on_auth_log), cli);
  mcp_oauth_set_authorizer (oauth, authorizer);
  store = new_store (cli);
  mcp_oauth_set_token_store (oauth, store);
  if (cli->client_id != NULL)
    mcp_oauth_set_client_credentials (oauth, cli->client_id, secret, NULL);
  else if (secret != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "A client secret needs --client-id");
      return FALSE;
    }
  if (cli->client_metadata_url != NULL)
    mcp_oauth_set_client_metadata_url (oauth, cli->client_metadata_url);
  if (cli->scope != NULL)
    mcp_oauth_set_scope (oauth, cli->scope);
  if (g_strcmp0 (cli->grant_name, "client_credentials") == 0)
    mcp_oauth_set_grant (oauth, MCP_OAUTH_GRANT_CLIENT_CREDENTIALS);
  if (cli->private_key_file != NULL)
    {
      g_autofree char *pem = NULL;
      gsize length = 0;
      g_autoptr(GError) local = NULL;

      if (!g_file_get_contents (cli->private_key_file, &pem, &length, &local))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--private-key: %s", local->message);
          return FALSE;
        }
      mcp_oauth_set_private_key (oauth, pem);
      explicit_bzero (pem, length);
    }
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));

  mcp_client_set_oauth (cli->client, oauth);
  return TRUE;
}

/* logout URL */

typedef struct
{
  TetherCli *cli;
  guint      waiting;
  gboolean   any;
  GError    *error;
} Logout;

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Logout *logout = user_data;
  g_autoptr(GError) error = NULL;

  if (mcp_token_store_delete_finish (MCP_TOKEN_STORE (source), result, &error))
    logout->any = TRUE;
  else if (error != NULL && logout->error == NULL)
    logout->error = g_steal_pointer (&error);
  if (--logout->waiting == 0)
    g_main_loop_quit (logout->cli->loop);
}

int
tether_cli_logout (TetherCli *cli)
{
  g_autoptr(McpTokenStore) store = new_store (cli);
  Logout logout = { cli, 2, FALSE, NULL };
  int status = TETHER_CLI_EXIT_OK;

  if (cli->url == NULL || (cli->args != NULL && cli->args[0] != NULL))
    {
      g_printerr ("tether-cli: logout expects only the server's URL\n");
      return TETHER_CLI_EXIT_USAGE;
    }

  cli->loop = g_main_loop_new (NULL, FALSE);
  mcp_token_store_delete_async (store, MCP_TOKEN_KIND_TOKEN, cli->url, NULL, NULL, on_deleted,
                                &logout);
  mcp_token_store_delete_async (store, MCP_TOKEN_KIND_CLIENT, cli->url, NULL, NULL, on_deleted,
                                &logout);
  g_main_loop_run (cli->loop);

  if (logout.error != NULL)
    {
      g_printerr ("tether-cli: logout: %s\n", logout.error->message);
      g_clear_error (&logout.error);
      status = TETHER_CLI_EXIT_CONNECTION;
    }
  else if (!cli->quiet)
    g_printerr ("tether-cli: %s\n", logout.any ? "Signed out: the tokens and client "
                "registrations for this server are forgotten"
                : "Nothing was stored for this server");
  return status;
}
