/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"
#include "mcp-http-transport.h"
#include "mcp-sse-transport.h"

/*
 * OAuth between the client and its transport. With an McpOAuth set and a transport that carries
 * bearer tokens (Streamable HTTP, HTTP+SSE), the client takes a token without interaction before
 * opening the transport (a stored one, refreshed when it has expired), and every message that
 * comes back 401 or 403 goes through mcp_oauth_handle_challenge_async(): refresh, sign-in,
 * step-up. Its token becomes the transport's and the same message goes out again, up to
 * MCP_OAUTH_MAX_ATTEMPTS times (McpOAuth counts them). Concurrent messages share one sign-in:
 * McpOAuth serialises them and hands the newer token to those that carried an older one.
 * A DPoP-bound token goes to the transport with its key, which signs a proof for each request;
 * a 401 asking for a DPoP nonce (use_dpop_nonce) sends the message once more, with the nonce
 * the key took from that answer. Tokens are never logged.
 */

typedef struct
{
  McpMessage  *message;
  GHashTable  *headers;
  char        *id_key;
  char        *sent_token;
  guint        attempt;
  gboolean     nonce_retried;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->message);
  g_clear_pointer (&data->headers, g_hash_table_unref);
  g_free (data->id_key);
  g_free (data->sent_token);
  g_free (data);
}

static gboolean
can_authorize (McpClient *self)
{
  return self->oauth != NULL &&
         (MCP_IS_HTTP_TRANSPORT (self->transport) || MCP_IS_SSE_TRANSPORT (self->transport));
}

static gboolean
is_auth_error (const GError *error)
{
  return g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FORBIDDEN);
}

static guint
auth_status (const GError *error)
{
  return g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED)
         ? 401 : 403;
}

static void
set_token (McpClient  *self,
           const char *token)
{
  McpDpop *dpop;

  if (g_strcmp0 (token, self->bearer_token) == 0)
    return;
  g_free (self->bearer_token);
  self->bearer_token = g_strdup (token);
  /* The key a DPoP-bound token needs on every request (NULL: a bearer token). */
  dpop = self->oauth != NULL && token != NULL ? mcp_oauth_get_dpop (self->oauth, token) : NULL;
  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    {
      mcp_http_transport_set_dpop (MCP_HTTP_TRANSPORT (self->transport), dpop);
      mcp_http_transport_set_bearer_token (MCP_HTTP_TRANSPORT (self->transport), token);
    }
  else if (MCP_IS_SSE_TRANSPORT (self->transport))
    {
      mcp_sse_transport_set_dpop (MCP_SSE_TRANSPORT (self->transport), dpop);
      mcp_sse_transport_set_bearer_token (MCP_SSE_TRANSPORT (self->transport), token);
    }
}

static const char * const *
last_challenge (McpClient *self)
{
  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    return mcp_http_transport_get_last_www_authenticate (MCP_HTTP_TRANSPORT (self->transport));
  if (MCP_IS_SSE_TRANSPORT (self->transport))
    return mcp_sse_transport_get_last_www_authenticate (MCP_SSE_TRANSPORT (self->transport));
  return NULL;
}

/* The request's clock does not run while a person signs in. */
static void
pause_request (McpClient  *self,
               const char *id_key)
{
  McpPendingRequest *pending;

  if (id_key == NULL || (pending = g_hash_table_lookup (self->pending, id_key)) == NULL)
    return;
  if (pending->timeout_source != 0)
    {
      g_source_remove (pending->timeout_source);
      pending->timeout_source = 0;
    }
}

/* Sending */

static void send_now (GTask *task);

static void
on_challenge_answered (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  McpPendingRequest *pending = NULL;

  token = mcp_oauth_handle_challenge_finish (MCP_OAUTH (source), result, &error);
  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                                     "The authorization gave no access token");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The request may have ended (cancelled, the client closed) while signing in. */
  if (data->id_key != NULL &&
      (pending = g_hash_table_lookup (self->pending, data->id_key)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The request ended while signing in");
      return;
    }
  if (!self->transport_open)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_CLOSED,
                               "The connection closed while signing in");
      return;
    }

  set_token (self, token);
  data->attempt++;
  if (pending != NULL)
    mcp_client_pending_restart_timer (pending);
  mcp_client_emit_log (self, MCP_LOG_INFO, "Authorized; sending %s again",
                       mcp_message_get_method (data->message) != NULL
                       ? mcp_message_get_method (data->message) : "the message");
  send_now (g_steal_pointer (&task));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  gboolean ok;

  if (MCP_IS_HTTP_TRANSPORT (source))
    ok = mcp_http_transport_send_with_headers_finish (MCP_HTTP_TRANSPORT (source), result,
                                                      &error);
  else
    ok = mcp_transport_send_finish (MCP_TRANSPORT (source), result, &error);

  if (ok)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!is_auth_error (error) || !can_authorize (self))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* RFC 9449 §9: the token is fine, the proof lacked the server's nonce. Once per message: a
   * server that keeps asking is not satisfied by more of the same. */
  if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED)
      && mcp_dpop_is_nonce_challenge (last_challenge (self)))
    {
      if (data->nonce_retried || data->sent_token == NULL)
        {
          g_prefix_error (&error, "Expected the server to take the DPoP nonce it gave, got "
                          "another use_dpop_nonce challenge: ");
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->nonce_retried = TRUE;
      mcp_client_emit_log (self, MCP_LOG_DEBUG, "The server wants its DPoP nonce; sending %s "
                           "again with it", mcp_message_get_method (data->message) != NULL
                           ? mcp_message_get_method (data->message) : "the message");
      send_now (g_steal_pointer (&task));
      return;
    }

  mcp_client_emit_log (self, MCP_LOG_INFO, "The server answered %s with HTTP %u; authorizing",
                       mcp_message_get_method (data->message) != NULL
                       ? mcp_message_get_method (data->message) : "a message",
                       auth_status (error));
  pause_request (self, data->id_key);
  cancellable = g_task_get_cancellable (task);
  mcp_oauth_handle_challenge_async (self->oauth, auth_status (error), last_challenge (self),
                                    data->sent_token, data->attempt, cancellable,
                                    on_challenge_answered, g_steal_pointer (&task));
}

static void
send_now (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  g_free (data->sent_token);
  data->sent_token = g_strdup (self->bearer_token);

  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    mcp_http_transport_send_with_headers_async (MCP_HTTP_TRANSPORT (self->transport),
                                                data->message, data->headers,
                                                g_task_get_cancellable (task), on_sent, task);
  else
    mcp_transport_send_async (self->transport, data->message, g_task_get_cancellable (task),
                              on_sent, task);
}

void
mcp_client_auth_send_async (McpClient           *self,
                            McpMessage          *message,
                            GHashTable          *headers,
                            const char          *id_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  SendData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_auth_send_async);
  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->headers = headers != NULL ? g_hash_table_ref (headers) : NULL;
  data->id_key = g_strdup (id_key);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  send_now (task);
}

gboolean
mcp_client_auth_send_finish (McpClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Opening */

typedef struct
{
  guint  attempt;
  char  *sent_token;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->sent_token);
  g_free (data);
}

static void open_now (GTask *task);

static void
on_open_challenge_answered (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpClient *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mcp_oauth_handle_challenge_finish (MCP_OAUTH (source), result, &error);
  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                                     "The authorization gave no access token");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_token (self, token);
  data->attempt++;
  open_now (g_steal_pointer (&task));
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpClient *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (mcp_transport_open_finish (MCP_TRANSPORT (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!is_auth_error (error) || !can_authorize (self))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  mcp_client_emit_log (self, MCP_LOG_INFO,
                       "The server answered the connection with HTTP %u; authorizing",
                       auth_status (error));
  cancellable = g_task_get_cancellable (task);
  mcp_oauth_handle_challenge_async (self->oauth, auth_status (error), last_challenge (self),
                                    data->sent_token, data->attempt, cancellable,
                                    on_open_challenge_answered, g_steal_pointer (&task));
}

static void
open_now (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);

  g_free (data->sent_token);
  data->sent_token = g_strdup (self->bearer_token);
  mcp_transport_open_async (self->transport, g_task_get_cancellable (task), on_opened, task);
}

static void
on_initial_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = mcp_oauth_get_access_token_finish (MCP_OAUTH (source), result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (error != NULL)
    mcp_client_emit_log (self, MCP_LOG_WARNING,
                         "No stored access token could be used (%s); the server will say "
                         "whether one is needed", error->message);
  else if (token == NULL)
    mcp_client_emit_log (self, MCP_LOG_DEBUG, "No access token at hand yet");
  else
    mcp_client_emit_log (self, MCP_LOG_DEBUG, "Using the access token at hand");
  if (token != NULL)
    set_token (self, token);
  open_now (g_steal_pointer (&task));
}

void
mcp_client_auth_open_async (McpClient           *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_auth_open_async);
  g_task_set_task_data (task, g_new0 (OpenData, 1), (GDestroyNotify) open_data_free);

  if (!can_authorize (self))
    {
      open_now (task);
      return;
    }
  mcp_oauth_get_access_token_async (self->oauth, cancellable, on_initial_token, task);
}

gboolean
mcp_client_auth_open_finish (McpClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
