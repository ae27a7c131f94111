/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "demo-github.h"
#include "demo-util.h"

#define USER_AGENT "tether-demo-server/" VERSION

struct _DemoGithub
{
  GObject      parent_instance;

  char        *client_id;
  char        *client_secret;
  char        *callback_url;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (DemoGithub, demo_github, G_TYPE_OBJECT)

static void
demo_github_finalize (GObject *object)
{
  DemoGithub *self = DEMO_GITHUB (object);

  g_free (self->client_id);
  if (self->client_secret != NULL)
    explicit_bzero (self->client_secret, strlen (self->client_secret));
  g_free (self->client_secret);
  g_free (self->callback_url);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (demo_github_parent_class)->finalize (object);
}

static void
demo_github_class_init (DemoGithubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = demo_github_finalize;
}

static void
demo_github_init (DemoGithub *self)
{
}

DemoGithub *
demo_github_new (const char *client_id,
                 const char *client_secret,
                 const char *callback_url)
{
  DemoGithub *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (client_secret != NULL, NULL);
  g_return_val_if_fail (callback_url != NULL, NULL);

  self = g_object_new (DEMO_TYPE_GITHUB, NULL);
  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->callback_url = g_strdup (callback_url);
  /* Created on first use: offline runs never touch the network stack. */
  self->session = NULL;
  return self;
}

DemoGithub *
demo_github_new_from_environment (const char *callback_url)
{
  const char *client_id = g_getenv (DEMO_GITHUB_ENV_CLIENT_ID);
  const char *client_secret = g_getenv (DEMO_GITHUB_ENV_CLIENT_SECRET);

  if (client_id == NULL || *client_id == '\0' || client_secret == NULL || *client_secret == '\0')
    return NULL;
  return demo_github_new (client_id, client_secret, callback_url);
}

const char *
demo_github_get_callback_url (DemoGithub *self)
{
  g_return_val_if_fail (DEMO_IS_GITHUB (self), NULL);

  return self->callback_url;
}

char *
demo_github_build_authorize_url (DemoGithub *self,
                                 const char *state)
{
  g_return_val_if_fail (DEMO_IS_GITHUB (self), NULL);
  g_return_val_if_fail (state != NULL, NULL);

  return demo_util_append_query (DEMO_GITHUB_AUTHORIZE_URL,
                                 "client_id", self->client_id,
                                 "redirect_uri", self->callback_url,
                                 "scope", DEMO_GITHUB_SCOPE,
                                 "state", state,
                                 NULL);
}

GBytes *
demo_github_build_token_form (DemoGithub *self,
                              const char *code)
{
  g_autofree char *query = NULL;

  g_return_val_if_fail (DEMO_IS_GITHUB (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  /* append_query() on "?" gives "?a=b&c=d"; the form is what follows the "?". */
  query = demo_util_append_query ("?",
                                  "client_id", self->client_id,
                                  "client_secret", self->client_secret,
                                  "code", code,
                                  "redirect_uri", self->callback_url,
                                  NULL);
  return g_bytes_new (query + 1, strlen (query + 1));
}

static SoupSession *
get_session (DemoGithub *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                   "timeout", 30,
                                                   NULL);
  return self->session;
}

SoupMessage *
demo_github_new_token_request (DemoGithub *self,
                               const char *code)
{
  g_autoptr(GBytes) form = NULL;
  SoupMessage *message;

  g_return_val_if_fail (DEMO_IS_GITHUB (self), NULL);

  form = demo_github_build_token_form (self, code);
  message = soup_message_new (SOUP_METHOD_POST, DEMO_GITHUB_TOKEN_URL);
  /* GitHub answers form-encoded unless asked for JSON. */
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", form);
  return message;
}

SoupMessage *
demo_github_new_user_request (const char *github_token)
{
  g_autofree char *authorization = NULL;
  SoupMessage *message;
  SoupMessageHeaders *headers;

  g_return_val_if_fail (github_token != NULL, NULL);

  message = soup_message_new (SOUP_METHOD_GET, DEMO_GITHUB_USER_URL);
  headers = soup_message_get_request_headers (message);
  authorization = g_strdup_printf ("Bearer %s", github_token);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/vnd.github+json");
  soup_message_headers_replace (headers, "X-GitHub-Api-Version", "2022-11-28");
  explicit_bzero (authorization, strlen (authorization));
  return message;
}

/* Reads a JSON object from a finished send_and_read; fails on a non-2xx status. */
static JsonObject *
read_json_object (SoupSession  *session,
                  SoupMessage  *message,
                  GAsyncResult *result,
                  const char   *what,
                  GError      **error)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status;
  JsonNode *root;

  if (body == NULL)
    return NULL;

  status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_UPSTREAM,
                   "GitHub %s answered HTTP %u, expected 200", what, status);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), error))
    {
      g_prefix_error (error, "GitHub %s did not answer JSON: ", what);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_UPSTREAM,
                   "GitHub %s answered JSON that is not an object", what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
exchange_code_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *token;

  object = read_json_object (SOUP_SESSION (source), message, result, "token endpoint", &error);
  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* GitHub reports a bad code with HTTP 200 and an "error" member. */
  if (json_object_has_member (object, "error"))
    {
      const char *code = json_object_get_string_member_with_default (object, "error", "?");
      const char *description =
        json_object_get_string_member_with_default (object, "error_description", "");

      g_task_return_new_error (task, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_UPSTREAM,
                               "GitHub refused the code: %s (%s)", code, description);
      return;
    }

  token = json_object_get_string_member_with_default (object, "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_UPSTREAM,
                               "GitHub token response has no access_token; expected a string");
      return;
    }
  g_task_return_pointer (task, g_strdup (token), g_free);
}

void
demo_github_exchange_code_async (DemoGithub          *self,
                                 const char          *code,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  g_return_if_fail (DEMO_IS_GITHUB (self));
  g_return_if_fail (code != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, demo_github_exchange_code_async);
  message = demo_github_new_token_request (self, code);
  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_and_read_async (get_session (self), message, G_PRIORITY_DEFAULT, cancellable,
                                    exchange_code_cb, g_steal_pointer (&task));
}

char *
demo_github_exchange_code_finish (DemoGithub    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fetch_user_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  object = read_json_object (SOUP_SESSION (source), message, result, "user API", &error);
  if (object == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

void
demo_github_fetch_user_async (DemoGithub          *self,
                              const char          *github_token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  g_return_if_fail (DEMO_IS_GITHUB (self));
  g_return_if_fail (github_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, demo_github_fetch_user_async);
  message = demo_github_new_user_request (github_token);
  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_and_read_async (get_session (self), message, G_PRIORITY_DEFAULT, cancellable,
                                    fetch_user_cb, g_steal_pointer (&task));
}

JsonObject *
demo_github_fetch_user_finish (DemoGithub    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
