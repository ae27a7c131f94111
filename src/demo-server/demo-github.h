/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* GitHub as the identity provider, as in the python-sdk simple-auth example: the person signs
 * in at GitHub, GitHub redirects back to /github/callback, the server exchanges that code for
 * the person's GitHub token and later reads https://api.github.com/user with it. */

#define DEMO_GITHUB_AUTHORIZE_URL "https://github.com/login/oauth/authorize"
#define DEMO_GITHUB_TOKEN_URL     "https://github.com/login/oauth/access_token"
#define DEMO_GITHUB_USER_URL      "https://api.github.com/user"
#define DEMO_GITHUB_SCOPE         "read:user"

/* The environment variables the reference example reads (pydantic prefix MCP_ + field name). */
#define DEMO_GITHUB_ENV_CLIENT_ID     "MCP_GITHUB_GITHUB_CLIENT_ID"
#define DEMO_GITHUB_ENV_CLIENT_SECRET "MCP_GITHUB_GITHUB_CLIENT_SECRET"

#define DEMO_TYPE_GITHUB (demo_github_get_type ())
G_DECLARE_FINAL_TYPE (DemoGithub, demo_github, DEMO, GITHUB, GObject)

DemoGithub  *demo_github_new                  (const char          *client_id,
                                               const char          *client_secret,
                                               const char          *callback_url);
/* NULL unless both environment variables are set and non-empty. */
DemoGithub  *demo_github_new_from_environment (const char          *callback_url);
const char  *demo_github_get_callback_url     (DemoGithub          *self);

/* Where to send the person: GitHub's authorization page for this OAuth app. */
char        *demo_github_build_authorize_url  (DemoGithub          *self,
                                               const char          *state);
/* The form body of the code-for-token exchange. */
GBytes      *demo_github_build_token_form     (DemoGithub          *self,
                                               const char          *code);
SoupMessage *demo_github_new_token_request    (DemoGithub          *self,
                                               const char          *code);
SoupMessage *demo_github_new_user_request     (const char          *github_token);

void         demo_github_exchange_code_async  (DemoGithub          *self,
                                               const char          *code,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The person's GitHub access token. */
char        *demo_github_exchange_code_finish (DemoGithub          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

void         demo_github_fetch_user_async     (DemoGithub          *self,
                                               const char          *github_token,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonObject  *demo_github_fetch_user_finish    (DemoGithub          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
