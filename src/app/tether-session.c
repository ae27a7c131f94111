/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mcp-http-transport.h"
#include "mcp-oauth.h"
#include "mcp-sse-transport.h"
#include "mcp-stdio-transport.h"
#include "tether-session.h"

struct _TetherSession
{
  GObject             parent_instance;

  TetherConnection   *connection;
  McpTokenStore      *token_store;
  McpAuthorizer      *authorizer;

  TetherSessionState  state;
  char               *reason;

  McpClient          *client;        /* connecting or connected */
  McpOAuth           *oauth;         /* kept across connects; rebuilt when the URL changes */
  char               *access_token;  /* the OAuth token the transport carries */

  JsonArray          *tools;
  gboolean            loading_tools;
  guint               tools_generation;

  GCancellable       *cancellable;   /* cancelled by disconnect */
  gboolean            signed_in;     /* the sign-in dialog opened during this connect */
};

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

static void tether_session_list_tools (TetherSession *self);

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

static void
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

static void
tether_session_set_tools (TetherSession *self,
                          JsonArray     *tools)
{
  if (self->tools == tools)
    return;
  g_clear_pointer (&self->tools, json_array_unref);
  self->tools = tools != NULL ? json_array_ref (tools) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLS]);
}

static void
tether_session_set_loading_tools (TetherSession *self,
                                  gboolean       loading)
{
  if (self->loading_tools == loading)
    return;
  self->loading_tools = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_TOOLS]);
}

static gboolean
uses_oauth (TetherSession *self)
{
  return tether_connection_get_auth_mode (self->connection) == TETHER_AUTH_MODE_OAUTH
         && tether_connection_get_transport (self->connection) != TETHER_TRANSPORT_STDIO;
}

static gboolean
is_auth_error (const GError *error)
{
  return g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED)
         || g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN);
}

static void
transport_set_bearer_token (McpTransport *transport,
                            const char   *token)
{
  if (MCP_IS_HTTP_TRANSPORT (transport))
    mcp_http_transport_set_bearer_token (MCP_HTTP_TRANSPORT (transport), token);
  else if (MCP_IS_SSE_TRANSPORT (transport))
    mcp_sse_transport_set_bearer_token (MCP_SSE_TRANSPORT (transport), token);
}

static char **
transport_dup_www_authenticate (McpTransport *transport)
{
  const char * const *values = NULL;

  if (MCP_IS_HTTP_TRANSPORT (transport))
    values = mcp_http_transport_get_last_www_authenticate (MCP_HTTP_TRANSPORT (transport));
  else if (MCP_IS_SSE_TRANSPORT (transport))
    values = mcp_sse_transport_get_last_www_authenticate (MCP_SSE_TRANSPORT (transport));

  return g_strdupv ((char **) values);
}

static McpEra
era_from_connection (TetherConnection *connection)
{
  switch (tether_connection_get_era (connection))
    {
    case TETHER_PROTOCOL_ERA_LEGACY:
      return MCP_ERA_LEGACY;
    case TETHER_PROTOCOL_ERA_MODERN:
      return MCP_ERA_MODERN;
    case TETHER_PROTOCOL_ERA_AUTO:
    default:
      return MCP_ERA_AUTO;
    }
}

/* A new transport from the connection's current settings. */
static McpTransport *
build_transport (TetherConnection  *connection,
                 GError           **error)
{
  const char *url = tether_connection_get_url (connection);
  const char * const *headers = tether_connection_get_headers (connection);

  switch (tether_connection_get_transport (connection))
    {
    case TETHER_TRANSPORT_HTTP:
    case TETHER_TRANSPORT_SSE:
      if (url == NULL || *url == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The connection has no server address"));
          return NULL;
        }
      if (tether_connection_get_transport (connection) == TETHER_TRANSPORT_HTTP)
        {
          McpHttpTransport *http = mcp_http_transport_new (url);

          if (headers != NULL)
            mcp_http_transport_set_headers (http, headers);
          return MCP_TRANSPORT (http);
        }
      else
        {
          McpSseTransport *sse = mcp_sse_transport_new (url);

          if (headers != NULL)
            mcp_sse_transport_set_headers (sse, headers);
          return MCP_TRANSPORT (sse);
        }

    case TETHER_TRANSPORT_STDIO:
      {
        const char *command = tether_connection_get_command (connection);
        const char * const *arguments = tether_connection_get_arguments (connection);
        const char *directory = tether_connection_get_working_directory (connection);
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();
        McpStdioTransport *stdio;

        if (command == NULL || *command == '\0')
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("The connection has no command to run"));
            return NULL;
          }
        g_ptr_array_add (argv, (gpointer) command);
        for (guint i = 0; arguments != NULL && arguments[i] != NULL; i++)
          g_ptr_array_add (argv, (gpointer) arguments[i]);
        g_ptr_array_add (argv, NULL);

        stdio = mcp_stdio_transport_new ((const char * const *) argv->pdata);
        mcp_stdio_transport_set_environment (stdio,
                                             tether_connection_get_environment (connection));
        if (directory != NULL && *directory != '\0')
          mcp_stdio_transport_set_working_directory (stdio, directory);
        return MCP_TRANSPORT (stdio);
      }

    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The connection uses a transport this version does not know"));
      return NULL;
    }
}

static void
on_oauth_log (McpOAuth      *oauth,
              McpLogLevel    level,
              const char    *text,
              TetherSession *self)
{
  g_debug ("%s: OAuth: %s", tether_connection_get_name (self->connection), text);
}

/* The session's McpOAuth for the connection's URL, with its current client settings. */
static McpOAuth *
tether_session_ensure_oauth (TetherSession *self,
                             const char    *client_secret)
{
  TetherConnection *connection = self->connection;
  const char *url = tether_connection_get_url (connection);
  const char *client_id = tether_connection_get_client_id (connection);
  const char *cimd_url = tether_connection_get_cimd_url (connection);
  const char *scopes = tether_connection_get_scopes (connection);

  if (url == NULL || *url == '\0')
    return NULL;

  if (self->oauth != NULL && g_strcmp0 (mcp_oauth_get_server_url (self->oauth), url) != 0)
    {
      g_clear_object (&self->oauth);
      g_clear_pointer (&self->access_token, g_free);
    }

  if (self->oauth == NULL)
    {
      self->oauth = mcp_oauth_new (url, NULL);
      mcp_oauth_set_token_store (self->oauth, self->token_store);
      g_signal_connect_object (self->oauth, "log", G_CALLBACK (on_oauth_log), self, 0);
    }

  mcp_oauth_set_authorizer (self->oauth, self->authorizer);
  if (client_id != NULL && *client_id != '\0')
    mcp_oauth_set_client_credentials (self->oauth, client_id, client_secret, NULL);
  else
    mcp_oauth_set_client_credentials (self->oauth, NULL, NULL, NULL);
  mcp_oauth_set_client_metadata_url (self->oauth,
                                     cimd_url != NULL && *cimd_url != '\0' ? cimd_url : NULL);
  mcp_oauth_set_scope (self->oauth, scopes != NULL && *scopes != '\0' ? scopes : NULL);

  return self->oauth;
}

/* The app's authorizer has a "dialog" property (the sign-in dialog while it is open): the
 * reason then says where the sign-in happens. */
static void
on_authorizer_dialog_changed (GObject       *authorizer,
                              GParamSpec    *pspec,
                              TetherSession *self)
{
  g_autoptr(GObject) dialog = NULL;

  if (self->state != TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN)
    return;

  g_object_get (authorizer, "dialog", &dialog, NULL);
  if (dialog != NULL)
    self->signed_in = TRUE;
  tether_session_set_state (self, TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN,
                            dialog != NULL ? _("Sign in in the window that opened")
                                           : _("Finishing the sign-in"));
}

/* Client signals */

static void
on_client_closed (McpClient     *client,
                  const GError  *error,
                  TetherSession *self)
{
  g_autofree char *reason = NULL;

  if (client != self->client)
    return;

  g_signal_handlers_disconnect_by_data (client, self);
  g_clear_object (&self->client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  tether_session_set_loading_tools (self, FALSE);

  if (error == NULL)
    {
      tether_session_set_state (self, TETHER_SESSION_STATE_DISCONNECTED, NULL);
      return;
    }

  reason = g_strdup_printf (_("The connection ended: %s"), error->message);
  tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, reason);
}

static void
on_client_tools_changed (McpClient     *client,
                         TetherSession *self)
{
  if (client == self->client && self->state == TETHER_SESSION_STATE_CONNECTED)
    tether_session_list_tools (self);
}

static void
on_client_log (McpClient     *client,
               McpLogLevel    level,
               const char    *text,
               TetherSession *self)
{
  g_debug ("%s: %s", tether_connection_get_name (self->connection), text);
}

static void
tether_session_drop_client (TetherSession *self)
{
  g_autoptr(McpClient) client = g_steal_pointer (&self->client);

  if (client == NULL)
    return;

  g_signal_handlers_disconnect_by_data (client, self);
  /* Without a callback the close task keeps the client alive until it is done. */
  if (mcp_client_get_state (client) != MCP_CLIENT_STATE_CLOSED)
    mcp_client_close_async (client, NULL, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* Connecting: secrets, a stored token, the handshake, and a sign-in when the server asks. */

typedef struct
{
  TetherSession *self;
  GCancellable  *cancellable;
  char          *bearer_token;   /* auth mode "bearer" */
  char          *token_used;     /* the OAuth token the last attempt carried */
  guint          attempt;
} ConnectOp;

static void
connect_op_free (ConnectOp *op)
{
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op->bearer_token);
  g_free (op->token_used);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectOp, connect_op_free)

static void
connect_op_fail (ConnectOp    *op,
                 const GError *error)
{
  TetherSession *self = op->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (op->cancellable))
    return;

  tether_session_drop_client (self);
  tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, error->message);
}

static void connect_attempt (ConnectOp *op);

static void
on_connect_challenge_done (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ConnectOp) op = user_data;
  TetherSession *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mcp_oauth_handle_challenge_finish (MCP_OAUTH (source), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    return;
  if (token == NULL)
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        reason = g_strdup (_("Sign-in was cancelled"));
      else
        reason = g_strdup_printf (_("Sign-in failed: %s"), error->message);
      tether_session_drop_client (self);
      tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, reason);
      return;
    }

  g_free (self->access_token);
  self->access_token = g_steal_pointer (&token);
  op->attempt++;
  tether_session_set_state (self, TETHER_SESSION_STATE_CONNECTING, NULL);
  connect_attempt (g_steal_pointer (&op));
}

static void
on_client_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ConnectOp) op = user_data;
  TetherSession *self = op->self;
  McpClient *client = MCP_CLIENT (source);
  g_autoptr(GError) error = NULL;

  if (!mcp_client_connect_finish (client, result, &error))
    {
      if (g_cancellable_is_cancelled (op->cancellable) || client != self->client)
        return;

      if (is_auth_error (error) && uses_oauth (self) && self->oauth != NULL
          && op->attempt < MCP_OAUTH_MAX_ATTEMPTS)
        {
          guint status = g_error_matches (error, MCP_TRANSPORT_ERROR,
                                          MCP_TRANSPORT_ERROR_FORBIDDEN) ? 403 : 401;
          g_auto(GStrv) challenge = transport_dup_www_authenticate (
                                      mcp_client_get_transport (client));
          McpOAuth *oauth = self->oauth;
          ConnectOp *pending = g_steal_pointer (&op);

          /* A client connects once: the next attempt gets a new one. */
          tether_session_drop_client (self);
          tether_session_set_state (self, TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN,
                                    _("The server asks you to sign in: finding out how"));
          mcp_oauth_handle_challenge_async (oauth, status, (const char * const *) challenge,
                                            pending->token_used, pending->attempt,
                                            pending->cancellable, on_connect_challenge_done,
                                            pending);
          return;
        }

      connect_op_fail (op, error);
      return;
    }

  if (g_cancellable_is_cancelled (op->cancellable) || client != self->client)
    return;

  tether_session_set_state (self, TETHER_SESSION_STATE_CONNECTED, NULL);
  if (self->signed_in)
    {
      self->signed_in = FALSE;
      g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0);
    }
  tether_session_list_tools (self);
}

static void
connect_attempt (ConnectOp *op_in)
{
  g_autoptr(ConnectOp) op = op_in;
  TetherSession *self = op->self;
  g_autoptr(McpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout = tether_connection_get_timeout_seconds (self->connection);
  GCancellable *cancellable;

  transport = build_transport (self->connection, &error);
  if (transport == NULL)
    {
      connect_op_fail (op, error);
      return;
    }

  if (tether_connection_get_auth_mode (self->connection) == TETHER_AUTH_MODE_BEARER)
    transport_set_bearer_token (transport, op->bearer_token);
  else if (uses_oauth (self))
    transport_set_bearer_token (transport, self->access_token);

  g_free (op->token_used);
  op->token_used = g_strdup (self->access_token);

  tether_session_drop_client (self);
  self->client = mcp_client_new (transport);
  mcp_client_set_era (self->client, era_from_connection (self->connection));
  mcp_client_set_request_timeout_ms (self->client, timeout > 0 ? timeout * 1000 : 0);
  mcp_client_set_client_info (self->client, "tether", VERSION);
  g_signal_connect_object (self->client, "closed", G_CALLBACK (on_client_closed), self, 0);
  g_signal_connect_object (self->client, "tools-changed",
                           G_CALLBACK (on_client_tools_changed), self, 0);
  g_signal_connect_object (self->client, "log", G_CALLBACK (on_client_log), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  cancellable = op->cancellable;
  mcp_client_connect_async (self->client, cancellable, on_client_connected,
                            g_steal_pointer (&op));
}

static void
on_stored_token (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ConnectOp) op = user_data;
  TetherSession *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mcp_oauth_get_access_token_finish (MCP_OAUTH (source), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    return;

  /* A refresh that failed is no reason to stop: the server's 401 starts a sign-in. */
  if (error != NULL)
    g_debug ("%s: no stored token: %s", tether_connection_get_name (self->connection),
             error->message);

  g_free (self->access_token);
  self->access_token = g_steal_pointer (&token);
  connect_attempt (g_steal_pointer (&op));
}

static void
connect_with_oauth (ConnectOp  *op_in,
                    const char *client_secret)
{
  g_autoptr(ConnectOp) op = op_in;
  McpOAuth *oauth = tether_session_ensure_oauth (op->self, client_secret);
  GCancellable *cancellable;

  if (oauth == NULL)
    {
      connect_attempt (g_steal_pointer (&op));
      return;
    }

  /* The arguments are evaluated in any order: take what op holds before stealing it. */
  cancellable = op->cancellable;
  mcp_oauth_get_access_token_async (oauth, cancellable, on_stored_token,
                                    g_steal_pointer (&op));
}

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ConnectOp) op = user_data;
  TetherSession *self = op->self;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = tether_connection_lookup_secret_finish (TETHER_CONNECTION (source), result, &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    {
      g_free (secret);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("Could not read the keyring: %s"),
                                                 error->message);

      tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, reason);
      return;
    }

  if (tether_connection_get_auth_mode (self->connection) == TETHER_AUTH_MODE_BEARER)
    {
      op->bearer_token = secret;
      connect_attempt (g_steal_pointer (&op));
    }
  else
    {
      connect_with_oauth (g_steal_pointer (&op), secret);
      g_free (secret);
    }
}

void
tether_session_connect (TetherSession *self)
{
  ConnectOp *op;
  const char *client_id;

  g_return_if_fail (TETHER_IS_SESSION (self));

  if (tether_session_get_active (self))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  tether_session_set_tools (self, NULL);
  tether_session_set_state (self, TETHER_SESSION_STATE_CONNECTING, NULL);
  self->signed_in = FALSE;

  op = g_new0 (ConnectOp, 1);
  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);

  switch (tether_connection_get_auth_mode (self->connection))
    {
    case TETHER_AUTH_MODE_BEARER:
      tether_connection_lookup_secret_async (self->connection, TETHER_SECRET_KIND_BEARER_TOKEN,
                                             op->cancellable, on_secret_looked_up, op);
      break;

    case TETHER_AUTH_MODE_OAUTH:
      client_id = tether_connection_get_client_id (self->connection);
      if (!uses_oauth (self))
        connect_attempt (op);
      else if (client_id != NULL && *client_id != '\0')
        tether_connection_lookup_secret_async (self->connection,
                                               TETHER_SECRET_KIND_CLIENT_SECRET,
                                               op->cancellable, on_secret_looked_up, op);
      else
        connect_with_oauth (op, NULL);
      break;

    case TETHER_AUTH_MODE_NONE:
    default:
      connect_attempt (op);
      break;
    }
}

void
tether_session_disconnect (TetherSession *self)
{
  g_return_if_fail (TETHER_IS_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  tether_session_drop_client (self);
  tether_session_set_loading_tools (self, FALSE);
  tether_session_set_tools (self, NULL);
  tether_session_set_state (self, TETHER_SESSION_STATE_DISCONNECTED, NULL);
}

void
tether_session_reconnect (TetherSession *self)
{
  g_return_if_fail (TETHER_IS_SESSION (self));

  tether_session_disconnect (self);
  tether_session_connect (self);
}

/* Requests with the OAuth retry: tools/list and tools/call. */

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
  char            *token_used;
  guint            attempt;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->name);
  g_clear_pointer (&data->arguments, json_object_unref);
  g_free (data->token_used);
  g_free (data);
}

static void request_send (GTask *task);

static void
on_request_challenge_done (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TetherSession *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mcp_oauth_handle_challenge_finish (MCP_OAUTH (source), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_free (self->access_token);
  self->access_token = g_steal_pointer (&token);
  if (self->client != NULL)
    transport_set_bearer_token (mcp_client_get_transport (self->client), self->access_token);
  data->attempt++;
  request_send (g_steal_pointer (&task));
}

/* TRUE when the failure went to McpOAuth and the request will be sent again. */
static gboolean
request_try_challenge (GTask        *task,
                       McpClient    *client,
                       const GError *error)
{
  TetherSession *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_auto(GStrv) challenge = NULL;
  guint status;

  if (!is_auth_error (error) || !uses_oauth (self) || self->oauth == NULL
      || client != self->client || data->attempt >= MCP_OAUTH_MAX_ATTEMPTS)
    return FALSE;

  status = g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN)
           ? 403 : 401;
  challenge = transport_dup_www_authenticate (mcp_client_get_transport (client));
  mcp_oauth_handle_challenge_async (self->oauth, status, (const char * const *) challenge,
                                    data->token_used, data->attempt,
                                    g_task_get_cancellable (task),
                                    on_request_challenge_done, g_object_ref (task));
  return TRUE;
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

  if (answer != NULL)
    {
      g_task_return_pointer (task, answer, data->kind == REQUEST_LIST_TOOLS
                                           ? (GDestroyNotify) json_array_unref
                                           : (GDestroyNotify) json_object_unref);
      return;
    }

  if (request_try_challenge (task, client, error))
    return;
  g_task_return_error (task, g_steal_pointer (&error));
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

  g_free (data->token_used);
  data->token_used = g_strdup (self->access_token);

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

static void
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
  g_clear_pointer (&self->access_token, g_free);

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

  if (self->authorizer != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (self->authorizer), "dialog") != NULL)
    g_signal_connect_object (self->authorizer, "notify::dialog",
                             G_CALLBACK (on_authorizer_dialog_changed), self, 0);
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
  g_free (self->access_token);
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
