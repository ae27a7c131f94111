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

static gboolean
parse_grant (const char    *name,
             McpOAuthGrant *grant)
{
  g_autofree char *canonical = g_strdelimit (g_strdup (name), "-", '_');

  if (g_str_equal (canonical, "authorization_code"))
    *grant = MCP_OAUTH_GRANT_AUTHORIZATION_CODE;
  else if (g_str_equal (canonical, "client_credentials"))
    *grant = MCP_OAUTH_GRANT_CLIENT_CREDENTIALS;
  else if (g_str_equal (canonical, "jwt_bearer"))
    *grant = MCP_OAUTH_GRANT_JWT_BEARER;
  else
    return FALSE;
  return TRUE;
}

/* A token from @file (--OPTION FILE), else from the environment variable @env_name; NULL
 * without an error when neither has one. Tokens never come from the command line, where
 * other users can read them. */
static char *
read_token (const char  *option,
            const char  *file,
            const char  *env_name,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize length = 0;
  char *token;

  if (file == NULL)
    {
      const char *value = g_getenv (env_name);

      return value != NULL && *value != '\0' ? g_strstrip (g_strdup (value)) : NULL;
    }
  if (!g_file_get_contents (file, &contents, &length, &local))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--%s: %s", option,
                   local->message);
      return NULL;
    }
  token = g_strdup (g_strstrip (contents));
  explicit_bzero (contents, length);
  if (*token == '\0')
    {
      g_free (token);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--%s: expected a token in %s, got an empty file", option, file);
      return NULL;
    }
  return token;
}

static void
free_token (char *token)
{
  if (token != NULL)
    {
      explicit_bzero (token, strlen (token));
      g_free (token);
    }
}

/* --grant jwt_bearer: an assertion (workload identity federation), or an ID token that the
 * identity provider at --idp-token-endpoint exchanges for an ID-JAG (enterprise-managed). */
static gboolean
setup_jwt_bearer (TetherCli  *cli,
                  McpOAuth   *oauth,
                  GError    **error)
{
  GError *local = NULL;
  char *token;

  if (cli->idp_token_endpoint == NULL)
    {
      if (cli->id_token_file != NULL || cli->idp_client_id != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--id-token and --idp-client-id need --idp-token-endpoint");
          return FALSE;
        }
      token = read_token ("assertion", cli->assertion_file, "TETHER_ASSERTION", &local);
      if (token == NULL)
        {
          if (local != NULL)
            g_propagate_error (error, local);
          else
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "--grant jwt_bearer needs --assertion FILE (or TETHER_ASSERTION), or "
                         "--id-token FILE with --idp-token-endpoint");
          return FALSE;
        }
      mcp_oauth_set_assertion (oauth, token);
      free_token (token);
      return TRUE;
    }

  if (cli->assertion_file != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--assertion and --idp-token-endpoint exclude each other: the assertion "
                   "either is given or comes from the identity provider");
      return FALSE;
    }
  token = read_token ("id-token", cli->id_token_file, "TETHER_ID_TOKEN", &local);
  if (token == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--idp-token-endpoint needs the ID token to exchange: --id-token FILE "
                     "(or TETHER_ID_TOKEN)");
      return FALSE;
    }
  {
    g_autoptr(McpTokenExchange) exchange = mcp_token_exchange_new (cli->idp_token_endpoint,
                                                                   NULL);
    const char *idp_secret = g_getenv ("TETHER_IDP_CLIENT_SECRET");

    if (idp_secret != NULL && cli->idp_client_id == NULL)
      {
        free_token (token);
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "TETHER_IDP_CLIENT_SECRET needs --idp-client-id");
        return FALSE;
      }
    mcp_token_exchange_set_client_credentials (exchange, cli->idp_client_id, idp_secret);
    mcp_token_exchange_set_subject_token (exchange, token, MCP_TOKEN_TYPE_ID_TOKEN);
    mcp_oauth_set_token_exchange (oauth, exchange);
  }
  free_token (token);
  return TRUE;
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
  McpOAuthGrant grant = MCP_OAUTH_GRANT_AUTHORIZATION_CODE;
  gboolean assertion_options = cli->assertion_file != NULL || cli->id_token_file != NULL ||
                               cli->idp_token_endpoint != NULL || cli->idp_client_id != NULL;

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

  if (cli->grant_name != NULL && !parse_grant (cli->grant_name, &grant))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--grant expects authorization_code, client_credentials or jwt_bearer, got "
                   "“%s”", cli->grant_name);
      return FALSE;
    }
  if (assertion_options && grant != MCP_OAUTH_GRANT_JWT_BEARER)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--assertion, --id-token and the --idp options need --grant jwt_bearer");
      return FALSE;
    }

  if (authorizer == NULL)
    {
      if (cli->client_id != NULL || secret != NULL || cli->client_metadata_url != NULL ||
          cli->scope != NULL || cli->private_key_file != NULL || cli->grant_name != NULL ||
          assertion_options)
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
  mcp_oauth_set_grant (oauth, grant);
  if (grant == MCP_OAUTH_GRANT_JWT_BEARER && !setup_jwt_bearer (cli, oauth, error))
    return FALSE;
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
