/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-skills.h"
#include "tether-cli.h"

/*
 * The skills subcommands (the io.modelcontextprotocol/skills extension): "skills" lists what
 * the server offers and reads no skill file; "skill URI|NAME" loads one skill, verifying
 * every file it reads, and prints only verified content.
 */

static void
fail_skill (TetherCli    *cli,
            const char   *what,
            const GError *error)
{
  if (cli->finishing)
    return;
  if (error->domain != MCP_SKILL_ERROR)
    {
      tether_cli_fail (cli, what, error);
      return;
    }
  if (!cli->quiet)
    {
      if (mcp_skill_error_is_verification (error))
        g_printerr ("tether-cli: %s: refused the skill, its content failed verification: %s\n",
                    what, error->message);
      else
        g_printerr ("tether-cli: %s: %s\n", what, error->message);
    }
  tether_cli_finish (cli, TETHER_CLI_EXIT_SKILL_REFUSED);
}

/* skills */

static void
on_skills_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonArray) skills = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  skills = mcp_client_list_skills_finish (cli->client, result, &error);
  if (skills == NULL)
    {
      fail_skill (cli, "skills/list", error);
      return;
    }
  object = json_object_new ();
  json_object_set_array_member (object, "skills", g_steal_pointer (&skills));
  tether_cli_print_object (cli, object);
  tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
}

void
tether_cli_run_skills (TetherCli *cli)
{
  mcp_client_list_skills_async (cli->client, cli->cancellable, on_skills_listed, cli);
}

/* skill */

static void
on_skill_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) skill = NULL;
  g_autoptr(GError) error = NULL;

  skill = mcp_client_load_skill_finish (cli->client, result, &error);
  if (skill == NULL)
    {
      fail_skill (cli, "skill", error);
      return;
    }
  tether_cli_print_object (cli, skill);
  tether_cli_finish (cli, TETHER_CLI_EXIT_OK);
}

static void
on_skill_found (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TetherCli *cli = user_data;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = mcp_client_find_skill_finish (cli->client, result, &error);
  if (entry == NULL)
    {
      fail_skill (cli, "skill", error);
      return;
    }
  mcp_client_load_skill_async (cli->client, entry, cli->cancellable, on_skill_loaded, cli);
}

void
tether_cli_run_skill (TetherCli *cli)
{
  mcp_client_find_skill_async (cli->client, cli->args[0], cli->cancellable, on_skill_found,
                               cli);
}
