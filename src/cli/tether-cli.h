/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mcp-client.h"

G_BEGIN_DECLS

/* Exit codes, as --help documents them. */
enum {
  TETHER_CLI_EXIT_OK = 0,
  TETHER_CLI_EXIT_REMOTE_ERROR = 1,   /* the tool returned isError, or a JSON-RPC error */
  TETHER_CLI_EXIT_USAGE = 2,
  TETHER_CLI_EXIT_CONNECTION = 3,     /* connection or transport failure */
  TETHER_CLI_EXIT_AUTHORIZATION = 4,  /* authorization needed or refused */
  TETHER_CLI_EXIT_TIMEOUT = 5,
  TETHER_CLI_EXIT_SKILL_REFUSED = 6,  /* no such skill, or it failed verification */
  TETHER_CLI_EXIT_INTERRUPTED = 130,
};

typedef enum {
  TETHER_CLI_ELICIT_NONE,
  TETHER_CLI_ELICIT_ACCEPT_DEFAULTS,
  TETHER_CLI_ELICIT_DECLINE,
  TETHER_CLI_ELICIT_CANCEL,
} TetherCliElicitation;

/* One run of the program: the options, the connection and what is left to do. */
typedef struct
{
  /* options */
  char                 *transport_name;
  char                 *era_name;
  char                **headers;
  char                 *bearer;
  double                timeout_seconds;
  char                 *elicitation_name;
  TetherCliElicitation  elicitation;
  char                **roots;
  char                 *sampling_reply;
  gboolean              pretty;
  char                **environment;
  char                 *cwd;
  gboolean              quiet;
  int                   repeat;
  char                 *auth_name;
  char                 *client_id;
  char                 *client_secret;
  char                 *client_metadata_url;
  char                 *scope;
  char                 *private_key_file;
  char                 *grant_name;
  char                 *assertion_file;
  char                 *id_token_file;
  char                 *idp_token_endpoint;
  char                 *idp_client_id;

  /* what to do */
  char                 *url;
  char                **command;     /* stdio server argv */
  char                 *subcommand;
  char                **args;        /* the subcommand's arguments */

  /* running */
  McpClient            *client;
  GMainLoop            *loop;
  GCancellable         *cancellable;
  int                   exit_code;
  gboolean              finishing;
  int                   remaining;   /* --repeat countdown */
  JsonObject           *call_arguments; /* parsed once for all the repeats */
  guint                 sigint_source;
  guint                 sigterm_source;
} TetherCli;

/* tether-cli.c */
void     tether_cli_finish              (TetherCli     *cli,
                                         int            exit_code);

/* tether-cli-output.c */
void     tether_cli_print_json          (TetherCli     *cli,
                                         JsonNode      *node);
void     tether_cli_print_object        (TetherCli     *cli,
                                         JsonObject    *object);
void     tether_cli_print_json_line     (JsonNode      *node);
int      tether_cli_exit_code_for_error (const GError  *error);
void     tether_cli_report_error        (TetherCli     *cli,
                                         const char    *what,
                                         const GError  *error);
void     tether_cli_fail                (TetherCli     *cli,
                                         const char    *what,
                                         const GError  *error);
void     tether_cli_connect_diagnostics (TetherCli     *cli);

/* tether-cli-handlers.c */
gboolean tether_cli_setup_handlers      (TetherCli     *cli,
                                         GError       **error);

/* tether-cli-auth.c */
gboolean tether_cli_setup_auth          (TetherCli     *cli,
                                         GError       **error);
int      tether_cli_logout              (TetherCli     *cli);

/* tether-cli-commands.c */
gboolean tether_cli_check_subcommand    (TetherCli     *cli,
                                         GError       **error);
void     tether_cli_run_subcommand      (TetherCli     *cli);

/* tether-cli-skills.c */
void     tether_cli_run_skills          (TetherCli     *cli);
void     tether_cli_run_skill           (TetherCli     *cli);

G_END_DECLS
