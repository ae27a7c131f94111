/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherSession, continued: a transport and a client from the connection's settings, OAuth
 * through the app's authorizer, and the connect sequence. */
#include "config.h"

#include <glib/gi18n.h>

#include "mcp-http-transport.h"
#include "mcp-oauth.h"
#include "mcp-sse-transport.h"
#include "mcp-stdio-transport.h"
#include "tether-session-private.h"

static gboolean
uses_oauth (TetherSession *self)
{
  return tether_connection_get_auth_mode (self->connection) == TETHER_AUTH_MODE_OAUTH
         && tether_connection_get_transport (self->connection) != TETHER_TRANSPORT_STDIO;
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
McpOAuth *
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
    g_clear_object (&self->oauth);

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

/* The app's authorizer has a "dialog" property (the sign-in dialog while it is open): while a
 * connect waits for it, the session says so. (A sign-in that a tool call needs, once connected,
 * leaves the state alone: the tools stay shown and the call waits.) */
static void
on_authorizer_dialog_changed (GObject       *authorizer,
                              GParamSpec    *pspec,
                              TetherSession *self)
{
  g_autoptr(GObject) dialog = NULL;

  g_object_get (authorizer, "dialog", &dialog, NULL);

  if (dialog != NULL && (self->state == TETHER_SESSION_STATE_CONNECTING
                         || self->state == TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN))
    {
      self->signed_in = TRUE;
      tether_session_set_state (self, TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN,
                                _("Sign in in the window that opened"));
    }
  else if (dialog == NULL && self->state == TETHER_SESSION_STATE_WAITING_FOR_SIGN_IN)
    tether_session_set_state (self, TETHER_SESSION_STATE_CONNECTING, NULL);
}

void
tether_session_watch_authorizer (TetherSession *self)
{
  if (self->authorizer != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (self->authorizer), "dialog") != NULL)
    g_signal_connect_object (self->authorizer, "notify::dialog",
                             G_CALLBACK (on_authorizer_dialog_changed), self, 0);
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
  tether_session_notify_client (self);
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

void
tether_session_drop_client (TetherSession *self)
{
  g_autoptr(McpClient) client = g_steal_pointer (&self->client);

  if (client == NULL)
    return;

  g_signal_handlers_disconnect_by_data (client, self);
  /* Without a callback the close task keeps the client alive until it is done. */
  if (mcp_client_get_state (client) != MCP_CLIENT_STATE_CLOSED)
    mcp_client_close_async (client, NULL, NULL, NULL);
  tether_session_notify_client (self);
}

/* Connecting: the secrets from the keyring, then the handshake. With automatic OAuth the
 * client takes a stored token first and answers the server's 401/403 through McpOAuth (refresh,
 * or a sign-in in the app's dialog), so the connect completes once signed in. */

typedef struct
{
  TetherSession *self;
  GCancellable  *cancellable;
  char          *secret;   /* the bearer token, or the OAuth client secret */
} ConnectOp;

static void
connect_op_free (ConnectOp *op)
{
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op->secret);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectOp, connect_op_free)

static void
connect_op_fail (ConnectOp    *op,
                 const GError *error)
{
  TetherSession *self = op->self;
  g_autofree char *reason = NULL;

  if (g_cancellable_is_cancelled (op->cancellable))
    return;

  /* Not our cancellable: the person closed the sign-in dialog. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reason = g_strdup (_("Sign-in was cancelled"));
  else if (error->domain == MCP_OAUTH_ERROR)
    reason = g_strdup_printf (_("Sign-in failed: %s"), error->message);
  else
    reason = g_strdup (error->message);

  tether_session_drop_client (self);
  tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, reason);
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
      if (client == self->client)
        connect_op_fail (op, error);
      return;
    }

  if (g_cancellable_is_cancelled (op->cancellable) || client != self->client)
    return;

  tether_session_set_state (self, TETHER_SESSION_STATE_CONNECTED, NULL);
  if (self->signed_in)
    {
      self->signed_in = FALSE;
      tether_session_emit_signed_in (self);
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
    transport_set_bearer_token (transport, op->secret);

  tether_session_drop_client (self);
  self->client = mcp_client_new (transport);
  mcp_client_set_era (self->client, era_from_connection (self->connection));
  mcp_client_set_request_timeout_ms (self->client, timeout > 0 ? timeout * 1000 : 0);
  mcp_client_set_client_info (self->client, "tether", VERSION);
  if (uses_oauth (self))
    mcp_client_set_oauth (self->client, tether_session_ensure_oauth (self, op->secret));
  g_signal_connect_object (self->client, "closed", G_CALLBACK (on_client_closed), self, 0);
  g_signal_connect_object (self->client, "tools-changed",
                           G_CALLBACK (on_client_tools_changed), self, 0);
  g_signal_connect_object (self->client, "log", G_CALLBACK (on_client_log), self, 0);
  tether_session_notify_client (self);

  /* The arguments are evaluated in any order: take what op holds before stealing it. */
  cancellable = op->cancellable;
  mcp_client_connect_async (self->client, cancellable, on_client_connected,
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

  op->secret = tether_connection_lookup_secret_finish (TETHER_CONNECTION (source), result,
                                                       &error);
  if (g_cancellable_is_cancelled (op->cancellable))
    return;
  if (error != NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("Could not read the keyring: %s"),
                                                 error->message);

      tether_session_set_state (self, TETHER_SESSION_STATE_FAILED, reason);
      return;
    }

  connect_attempt (g_steal_pointer (&op));
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
      if (uses_oauth (self) && client_id != NULL && *client_id != '\0')
        tether_connection_lookup_secret_async (self->connection,
                                               TETHER_SECRET_KIND_CLIENT_SECRET,
                                               op->cancellable, on_secret_looked_up, op);
      else
        connect_attempt (op);
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

