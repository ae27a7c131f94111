/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mcp-oauth.h"
#include "tether-session-private.h"


G_DEFINE_FINAL_TYPE (TetherSession, tether_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TetherSessionState, tether_session_state,
                    G_DEFINE_ENUM_VALUE (TETHER_SESSION_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (TETHER_SESSION_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN,
                                         "waiting-for-sign-in"),
                    G_DEFINE_ENUM_VALUE (TETHER_SESSION_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (TETHER_SESSION_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_TOKEN_STORE,
  PROP_AUTHORIZER,
  PROP_STATE,
  PROP_REASON,
  PROP_CLIENT,
  PROP_TOOLS,
  PROP_LOADING_TOOLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
tether_session_state_to_string (TetherSessionState state)
{
  switch (state)
    {
    case TETHER_SESSION_STATE_DISCONNECTED:
      return _("Disconnected");
    case TETHER_SESSION_STATE_CONNECTING:
      return _("Connecting…");
    case TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN:
      return _("Waiting for sign-in");
    case TETHER_SESSION_STATE_CONNECTED:
      return _("Connected");
    case TETHER_SESSION_STATE_FAILED:
      return _("Failed");
    default:
      return "";
    }
}

void
tether_session_set_state (TetherSession      *self,
                          TetherSessionState  state,
                          const char         *reason)
{
  gboolean state_changed = self->state != state;
  gboolean reason_changed = g_strcmp0 (self->reason, reason) != 0;

  self->state = state;
  if (reason_changed)
    {
      g_free (self->reason);
      self->reason = g_strdup (reason);
    }

  /* The reason first: a handler of notify::state reads both. */
  if (reason_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
tether_session_set_tools (TetherSession *self,
                          JsonArray     *tools)
{
  if (self->tools == tools)
    return;
  g_clear_pointer (&self->tools, json_array_unref);
  self->tools = tools != NULL ? json_array_ref (tools) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLS]);
}

void
tether_session_set_loading_tools (TetherSession *self,
                                  gboolean       loading)
{
  if (self->loading_tools == loading)
    return;
  self->loading_tools = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_TOOLS]);
}

void
tether_session_notify_client (TetherSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
tether_session_emit_signed_in (TetherSession *self)
{
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
}

/* Requests: tools/list and tools/call (the client signs in again when the server asks). */

typedef enum {
  REQUEST_LIST_TOOLS,
  REQUEST_CALL_TOOL,
} RequestKind;

typedef struct
{
  RequestKind      kind;
  char            *name;
  JsonObject      *arguments;
  McpProgressFunc  progress_func;
  gpointer         progress_data;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->name);
  g_clear_pointer (&data->arguments, json_object_unref);
  g_free (data);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  McpClient *client = MCP_CLIENT (source);
  g_autoptr(GError) error = NULL;
  gpointer answer;

  if (data->kind == REQUEST_LIST_TOOLS)
    answer = mcp_client_list_tools_finish (client, result, &error);
  else
    answer = mcp_client_call_tool_finish (client, result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer, data->kind == REQUEST_LIST_TOOLS
                                         ? (GDestroyNotify) json_array_unref
                                         : (GDestroyNotify) json_object_unref);
}

static void
request_send (GTask *task)
{
  TetherSession *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  McpRequestOptions options = { 0 };

  if (self->client == NULL || self->state != TETHER_SESSION_STATE_CONNECTED)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_NOT_CONNECTED,
                               _("“%s” is not connected"),
                               tether_connection_get_name (self->connection));
      g_object_unref (task);
      return;
    }

  if (data->kind == REQUEST_LIST_TOOLS)
    {
      mcp_client_list_tools_async (self->client, g_task_get_cancellable (task),
                                   on_request_done, task);
      return;
    }

  options.progress = TRUE;
  options.progress_func = data->progress_func;
  options.progress_data = data->progress_data;
  mcp_client_call_tool_async (self->client, data->name, data->arguments, &options,
                              g_task_get_cancellable (task), on_request_done, task);
}

/* Tools */

static void
on_tools_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TetherSession *self = TETHER_SESSION (source);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GError) error = NULL;

  tools = g_task_propagate_pointer (G_TASK (result), &error);
  if (generation != self->tools_generation)
    return;

  tether_session_set_loading_tools (self, FALSE);
  if (tools != NULL)
    {
      tether_session_set_tools (self, tools);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->state != TETHER_SESSION_STATE_CONNECTED)
    return;

  /* The connection stays up: a server without tools, or a failing tools/list, still answers
   * other requests. Show what went wrong. */
  if (self->tools == NULL)
    {
      g_autoptr(JsonArray) none = json_array_new ();

      tether_session_set_tools (self, none);
    }
  {
    g_autofree char *message = g_strdup_printf (_("Could not list the tools of “%s”: %s"),
                                                tether_connection_get_name (self->connection),
                                                error->message);

    g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
  }
}

void
tether_session_list_tools (TetherSession *self)
{
  GTask *task;
  RequestData *data;

  self->tools_generation++;
  tether_session_set_loading_tools (self, TRUE);

  task = g_task_new (self, self->cancellable, on_tools_listed,
                     GUINT_TO_POINTER (self->tools_generation));
  g_task_set_source_tag (task, tether_session_list_tools);
  data = g_new0 (RequestData, 1);
  data->kind = REQUEST_LIST_TOOLS;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  request_send (task);
}

void
tether_session_refresh_tools (TetherSession *self)
{
  g_return_if_fail (TETHER_IS_SESSION (self));

  if (self->state == TETHER_SESSION_STATE_CONNECTED)
    tether_session_list_tools (self);
}

void
tether_session_call_tool_async (TetherSession        *self,
                                const char           *name,
                                JsonObject           *arguments,
                                McpProgressFunc       progress_func,
                                gpointer              progress_data,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  GTask *task;
  RequestData *data;

  g_return_if_fail (TETHER_IS_SESSION (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_session_call_tool_async);
  data = g_new0 (RequestData, 1);
  data->kind = REQUEST_CALL_TOOL;
  data->name = g_strdup (name);
  data->arguments = arguments != NULL ? json_object_ref (arguments) : json_object_new ();
  data->progress_func = progress_func;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  request_send (task);
}

JsonObject *
tether_session_call_tool_finish (TetherSession  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sign out */

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_oauth_sign_out_finish (MCP_OAUTH (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tether_session_sign_out_async (TetherSession       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  McpOAuth *oauth;

  g_return_if_fail (TETHER_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_session_sign_out_async);

  tether_session_disconnect (self);

  if (tether_connection_get_transport (self->connection) == TETHER_TRANSPORT_STDIO
      || (oauth = tether_session_ensure_oauth (self, NULL)) == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  mcp_oauth_sign_out_async (oauth, cancellable, on_signed_out, g_steal_pointer (&task));
}

gboolean
tether_session_sign_out_finish (TetherSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Accessors */

TetherConnection *
tether_session_get_connection (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), NULL);

  return self->connection;
}

TetherSessionState
tether_session_get_state (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), TETHER_SESSION_STATE_DISCONNECTED);

  return self->state;
}

const char *
tether_session_get_reason (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), NULL);

  return self->reason;
}

McpClient *
tether_session_get_client (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), NULL);

  return self->client;
}

JsonArray *
tether_session_get_tools (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), NULL);

  return self->tools;
}

gboolean
tether_session_get_loading_tools (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), FALSE);

  return self->loading_tools;
}

gboolean
tether_session_get_active (TetherSession *self)
{
  g_return_val_if_fail (TETHER_IS_SESSION (self), FALSE);

  return self->state == TETHER_SESSION_STATE_CONNECTING
         || self->state == TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN
         || self->state == TETHER_SESSION_STATE_CONNECTED;
}

/* GObject */

static void
tether_session_constructed (GObject *object)
{
  TetherSession *self = TETHER_SESSION (object);

  G_OBJECT_CLASS (tether_session_parent_class)->constructed (object);

  tether_session_watch_authorizer (self);
}

static void
tether_session_dispose (GObject *object)
{
  TetherSession *self = TETHER_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  tether_session_drop_client (self);

  G_OBJECT_CLASS (tether_session_parent_class)->dispose (object);
}

static void
tether_session_finalize (GObject *object)
{
  TetherSession *self = TETHER_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->oauth);
  g_clear_object (&self->authorizer);
  g_clear_object (&self->token_store);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->tools, json_array_unref);
  g_free (self->reason);

  G_OBJECT_CLASS (tether_session_parent_class)->finalize (object);
}

static void
tether_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TetherSession *self = TETHER_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_TOKEN_STORE:
      g_value_set_object (value, self->token_store);
      break;
    case PROP_AUTHORIZER:
      g_value_set_object (value, self->authorizer);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TOOLS:
      g_value_set_boxed (value, self->tools);
      break;
    case PROP_LOADING_TOOLS:
      g_value_set_boolean (value, self->loading_tools);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TetherSession *self = TETHER_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_TOKEN_STORE:
      self->token_store = g_value_dup_object (value);
      break;
    case PROP_AUTHORIZER:
      self->authorizer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_session_class_init (TetherSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tether_session_constructed;
  object_class->dispose = tether_session_dispose;
  object_class->finalize = tether_session_finalize;
  object_class->get_property = tether_session_get_property;
  object_class->set_property = tether_session_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, TETHER_TYPE_CONNECTION, construct);
  properties[PROP_TOKEN_STORE] =
    g_param_spec_object ("token-store", NULL, NULL, MCP_TYPE_TOKEN_STORE, construct);
  properties[PROP_AUTHORIZER] =
    g_param_spec_object ("authorizer", NULL, NULL, MCP_TYPE_AUTHORIZER, construct);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TETHER_TYPE_SESSION_STATE,
                       TETHER_SESSION_STATE_DISCONNECTED, ro);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, MCP_TYPE_CLIENT, ro);
  properties[PROP_TOOLS] = g_param_spec_boxed ("tools", NULL, NULL, JSON_TYPE_ARRAY, ro);
  properties[PROP_LOADING_TOOLS] =
    g_param_spec_boolean ("loading-tools", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::error (const char *message): something went wrong that does not end the connection. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* ::signed-in (): a connect that needed the sign-in dialog is through. */
  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tether_session_init (TetherSession *self)
{
  self->cancellable = g_cancellable_new ();
}

TetherSession *
tether_session_new (TetherConnection *connection,
                    McpTokenStore    *token_store,
                    McpAuthorizer    *authorizer)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (MCP_IS_TOKEN_STORE (token_store), NULL);
  g_return_val_if_fail (authorizer == NULL || MCP_IS_AUTHORIZER (authorizer), NULL);

  return g_object_new (TETHER_TYPE_SESSION,
                       "connection", connection,
                       "token-store", token_store,
                       "authorizer", authorizer,
                       NULL);
}
