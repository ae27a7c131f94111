/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"
#include "mcp-http-transport.h"

/*
 * Requests in flight. Each request the caller makes is one McpPendingRequest for its whole
 * life, which may span several JSON-RPC ids: a retry after the server named another protocol
 * version, after the session was re-created, and each round of input_required (the
 * 2026-07-28 multi round-trip pattern). While on the wire it sits in the client's table under
 * its current id; its clock runs from each send and restarts on each progress notification.
 * What comes back is handled in mcp-client-incoming.c.
 */

typedef struct
{
  McpClient *client;
  char      *id_key;
} SendClosure;

static void
send_closure_free (SendClosure *closure)
{
  g_clear_object (&closure->client);
  g_free (closure->id_key);
  g_free (closure);
}

static gboolean
is_http (McpClient *self)
{
  return MCP_IS_HTTP_TRANSPORT (self->transport);
}

static void
pending_stop_timer (McpPendingRequest *pending)
{
  if (pending->timeout_source != 0)
    {
      g_source_remove (pending->timeout_source);
      pending->timeout_source = 0;
    }
}

void
mcp_client_pending_drop_inputs (McpPendingRequest *pending)
{
  if (pending->inputs == NULL)
    return;

  for (guint i = 0; i < pending->inputs->len; i++)
    {
      McpServerRequest *request = g_ptr_array_index (pending->inputs, i);

      g_signal_handlers_disconnect_by_data (request, pending);
      if (!mcp_server_request_get_responded (request))
        mcp_server_request_cancel (request, "The request that asked for this input ended");
    }
  g_clear_pointer (&pending->inputs, g_ptr_array_unref);
  pending->inputs_waiting = 0;
}

/* Takes the request off the wire: its id no longer matches anything. */
void
mcp_client_pending_take_off_wire (McpPendingRequest *pending)
{
  McpClient *self = pending->client;

  pending_stop_timer (pending);
  if (pending->id_key != NULL)
    {
      g_hash_table_remove (self->pending, pending->id_key);
      g_clear_pointer (&pending->id_key, g_free);
    }
  if (pending->progress_key != NULL)
    {
      g_hash_table_remove (self->progress, pending->progress_key);
      g_clear_pointer (&pending->progress_key, g_free);
    }
}

void
mcp_client_pending_free (McpPendingRequest *pending)
{
  g_hash_table_remove (pending->client->live, pending);
  mcp_client_pending_take_off_wire (pending);
  mcp_client_pending_drop_inputs (pending);
  if (pending->cancel_source != NULL)
    {
      g_source_destroy (pending->cancel_source);
      g_clear_pointer (&pending->cancel_source, g_source_unref);
    }
  g_clear_object (&pending->task);
  g_clear_pointer (&pending->method, g_free);
  g_clear_pointer (&pending->params, json_object_unref);
  g_clear_pointer (&pending->headers, g_hash_table_unref);
  g_clear_pointer (&pending->round_extra, json_object_unref);
  g_clear_object (&pending->wire_cancellable);
  g_free (pending);
}

/* Ends the request: frees it, then returns the task (whose callback may run right away). */
void
mcp_client_pending_complete (McpPendingRequest *pending,
                             JsonObject        *result,
                             GError            *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&pending->task);
  McpClient *self = pending->client;

  g_queue_remove (&self->waiting, pending);
  mcp_client_pending_free (pending);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, json_object_ref (result), (GDestroyNotify) json_object_unref);
}

void
mcp_client_pending_fail (McpPendingRequest *pending,
                         GError            *error)
{
  mcp_client_pending_complete (pending, NULL, error);
}

void
mcp_client_pending_failf (McpPendingRequest *pending,
                          McpClientError     code,
                          const char        *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  mcp_client_pending_fail (pending, g_error_new_literal (MCP_CLIENT_ERROR, code, message));
}

/* Outgoing messages */

static void
on_fire_and_forget_sent (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(McpClient) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_client_auth_send_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mcp_client_emit_log (self, self->state == MCP_CLIENT_STATE_CLOSED ? MCP_LOG_DEBUG
                         : MCP_LOG_WARNING, "Could not send a message to the server: %s",
                         error->message);
  mcp_client_outgoing_done (self);
}

void
mcp_client_send_fire_and_forget (McpClient  *self,
                                 McpMessage *message)
{
  if (!self->transport_open)
    return;
  mcp_client_emit_message_sent (self, message);
  self->outgoing++;
  mcp_client_auth_send_async (self, message, NULL, NULL, NULL, on_fire_and_forget_sent,
                              g_object_ref (self));
}

JsonObject *
mcp_client_build_meta_params (McpClient  *self,
                              JsonObject *params)
{
  JsonObject *wire = mcp_json_object_copy (params);
  JsonObject *meta;
  JsonObject *info;
  JsonNode *existing = json_object_get_member (wire, "_meta");

  if (self->active_era != MCP_ERA_MODERN)
    return wire;

  if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing))
    meta = mcp_json_object_copy (json_node_get_object (existing));
  else
    meta = json_object_new ();

  json_object_set_string_member (meta, MCP_META_PROTOCOL_VERSION,
                                 self->protocol_version != NULL ? self->protocol_version
                                 : MCP_PROTOCOL_VERSION_2026_07_28);
  json_object_set_object_member (meta, MCP_META_CLIENT_CAPABILITIES,
                                 mcp_client_dup_client_capabilities (self));
  info = json_object_new ();
  json_object_set_string_member (info, "name", self->client_name);
  json_object_set_string_member (info, "version", self->client_version);
  json_object_set_object_member (meta, MCP_META_CLIENT_INFO, info);
  json_object_set_object_member (wire, "_meta", meta);
  return wire;
}

static void
on_notification_sent (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_client_auth_send_finish (MCP_CLIENT (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mcp_client_send_notification (McpClient  *self,
                              const char *method,
                              JsonObject *params,
                              GTask      *task)
{
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(McpMessage) message = NULL;

  if (!self->transport_open)
    {
      if (task != NULL)
        g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_NOT_CONNECTED,
                                 "Cannot send %s: the client is not connected", method);
      g_clear_object (&task);
      return;
    }

  if (params != NULL || self->active_era == MCP_ERA_MODERN)
    wire = mcp_client_build_meta_params (self, params);
  message = mcp_message_new_notification (method, wire);

  if (task == NULL)
    {
      mcp_client_send_fire_and_forget (self, message);
      return;
    }

  mcp_client_emit_message_sent (self, message);
  mcp_client_auth_send_async (self, message, NULL, NULL, g_task_get_cancellable (task),
                              on_notification_sent, task);
}

/* Tells the server to stop working on the request, as the era and transport allow. */
static void
pending_withdraw (McpPendingRequest *pending,
                  const char        *reason)
{
  McpClient *self = pending->client;

  if (pending->id_key == NULL || !self->transport_open)
    return;

  /* 2026-07-28 over HTTP: closing the response stream is the cancellation. */
  if (!(self->active_era == MCP_ERA_MODERN && is_http (self)) &&
      !(pending->flags & MCP_REQUEST_FLAG_QUIET_TIMEOUT))
    {
      g_autoptr(JsonObject) params = json_object_new ();

      json_object_set_int_member (params, "requestId", pending->id);
      json_object_set_string_member (params, "reason", reason);
      mcp_client_send_notification (self, "notifications/cancelled", params, NULL);
    }

  /* A legacy server need not end the stream of a cancelled request: stop reading it. */
  if (is_http (self))
    g_cancellable_cancel (pending->wire_cancellable);
}

static gboolean
on_timeout (gpointer user_data)
{
  McpPendingRequest *pending = user_data;
  McpClient *self = pending->client;
  g_autofree char *reason = NULL;
  GError *error;

  pending->timeout_source = 0;

  reason = g_strdup_printf ("No answer to %s within %u ms", pending->method,
                            pending->timeout_ms);
  mcp_client_emit_log (self, MCP_LOG_WARNING, "%s; cancelling it", reason);
  pending_withdraw (pending, reason);
  error = g_error_new (MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_TIMEOUT,
                       "The server did not answer %s within %u ms", pending->method,
                       pending->timeout_ms);
  mcp_client_pending_fail (pending, error);
  return G_SOURCE_REMOVE;
}

void
mcp_client_pending_restart_timer (McpPendingRequest *pending)
{
  pending_stop_timer (pending);
  if (pending->timeout_ms > 0)
    pending->timeout_source = g_timeout_add (pending->timeout_ms, on_timeout, pending);
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  McpPendingRequest *pending = user_data;

  /* Once: the source is destroyed with the request, which ends here. */
  pending_withdraw (pending, "The client cancelled the request");
  mcp_client_pending_fail (pending, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "%s was cancelled", pending->method));
  return G_SOURCE_REMOVE;
}

static void
on_request_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SendClosure *closure = user_data;
  McpClient *self = closure->client;
  McpPendingRequest *pending;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mcp_client_auth_send_finish (self, result, &error);

  pending = g_hash_table_lookup (self->pending, closure->id_key);
  if (ok || pending == NULL)
    {
      if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        mcp_client_emit_log (self, MCP_LOG_DEBUG, "After the answer to %s: %s",
                             closure->id_key, error->message);
      send_closure_free (closure);
      return;
    }

  if (g_error_matches (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_SESSION_EXPIRED) &&
      self->active_era == MCP_ERA_LEGACY &&
      !(pending->flags & (MCP_REQUEST_FLAG_NO_SESSION_RETRY | MCP_REQUEST_FLAG_HANDSHAKE)) &&
      pending->session_retries == 0)
    {
      pending->session_retries++;
      mcp_client_pending_take_off_wire (pending);
      g_queue_push_tail (&self->waiting, pending);
      mcp_client_emit_log (self, MCP_LOG_INFO,
                           "The server forgot the session; initializing a new one and "
                           "sending %s again", pending->method);
      mcp_client_reinitialize (self);
      send_closure_free (closure);
      return;
    }

  mcp_client_pending_fail (pending, g_steal_pointer (&error));
  send_closure_free (closure);
}

void
mcp_client_pending_transmit (McpPendingRequest *pending)
{
  McpClient *self = pending->client;
  g_autoptr(JsonObject) wire = NULL;
  g_autoptr(McpMessage) message = NULL;
  SendClosure *closure;

  if (!self->transport_open)
    {
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_NOT_CONNECTED,
                                "Cannot send %s: the connection is closed",
                                pending->method);
      return;
    }

  pending->id = self->next_id++;

  wire = mcp_client_build_meta_params (self, pending->params);
  if (pending->round_extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, pending->round_extra);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (wire, name, json_node_copy (node));
    }
  if (pending->options.progress)
    {
      JsonNode *meta_node = json_object_get_member (wire, "_meta");
      JsonObject *meta;

      if (meta_node != NULL && JSON_NODE_HOLDS_OBJECT (meta_node))
        meta = mcp_json_object_copy (json_node_get_object (meta_node));
      else
        meta = json_object_new ();
      json_object_set_int_member (meta, "progressToken", pending->id);
      json_object_set_object_member (wire, "_meta", meta);
    }

  /* A request without params stays without them, as the schema allows. */
  if (json_object_get_size (wire) == 0 && pending->params == NULL)
    g_clear_pointer (&wire, json_object_unref);

  message = mcp_message_new_request_int (pending->id, pending->method, wire);
  pending->id_key = g_strdup (mcp_message_get_id_key (message));
  g_hash_table_insert (self->pending, pending->id_key, pending);
  if (pending->options.progress)
    {
      pending->progress_key = g_strdup (pending->id_key);
      g_hash_table_insert (self->progress, pending->progress_key, pending);
    }

  g_clear_object (&pending->wire_cancellable);
  pending->wire_cancellable = g_cancellable_new ();
  mcp_client_pending_restart_timer (pending);

  closure = g_new0 (SendClosure, 1);
  closure->client = g_object_ref (self);
  closure->id_key = g_strdup (pending->id_key);

  mcp_client_emit_message_sent (self, message);
  mcp_client_auth_send_async (self, message, pending->headers, pending->id_key,
                              pending->wire_cancellable, on_request_sent, closure);
}

void
mcp_client_send_request (McpClient               *self,
                         const char              *method,
                         JsonObject              *params,
                         const McpRequestOptions *options,
                         McpRequestFlags          flags,
                         GHashTable              *headers,
                         GTask                   *task)
{
  McpPendingRequest *pending;
  GCancellable *cancellable = g_task_get_cancellable (task);
  int timeout_ms;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s was cancelled before it was sent", method);
      g_object_unref (task);
      return;
    }

  pending = g_new0 (McpPendingRequest, 1);
  pending->client = self;
  g_hash_table_add (self->live, pending);
  pending->task = task;
  pending->method = g_strdup (method);
  pending->params = params != NULL ? json_object_ref (params) : NULL;
  if (options != NULL)
    pending->options = *options;
  pending->flags = flags;
  pending->headers = headers != NULL ? g_hash_table_ref (headers) : NULL;

  timeout_ms = pending->options.timeout_ms;
  if (timeout_ms == 0)
    pending->timeout_ms = self->request_timeout_ms;
  else if (timeout_ms < 0)
    pending->timeout_ms = 0;
  else
    pending->timeout_ms = (guint) timeout_ms;

  if (cancellable != NULL)
    {
      pending->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (pending->cancel_source, G_SOURCE_FUNC (on_cancelled), pending,
                             NULL);
      g_source_attach (pending->cancel_source, g_task_get_context (task));
    }

  if (flags & MCP_REQUEST_FLAG_HANDSHAKE)
    {
      mcp_client_pending_transmit (pending);
      return;
    }

  switch (self->state)
    {
    case MCP_CLIENT_STATE_CONNECTING:
      g_queue_push_tail (&self->waiting, pending);
      break;
    case MCP_CLIENT_STATE_CONNECTED:
      if (self->reinitializing)
        g_queue_push_tail (&self->waiting, pending);
      else
        mcp_client_pending_transmit (pending);
      break;
    case MCP_CLIENT_STATE_DISCONNECTED:
    case MCP_CLIENT_STATE_CLOSED:
    default:
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_NOT_CONNECTED,
                                "Cannot send %s: the client is %s", method,
                                self->state == MCP_CLIENT_STATE_CLOSED
                                ? "closed" : "not connected");
      break;
    }
}

void
mcp_client_flush_waiting (McpClient    *self,
                          const GError *error)
{
  McpPendingRequest *pending;

  while ((pending = g_queue_pop_head (&self->waiting)) != NULL)
    {
      if (error != NULL)
        mcp_client_pending_fail (pending, g_error_copy (error));
      else
        mcp_client_pending_transmit (pending);
    }
}

void
mcp_client_fail_all (McpClient    *self,
                     const GError *error)
{
  G_GNUC_UNUSED g_autoptr(McpClient) hold = g_object_ref (self);
  g_autoptr(GList) pendings = NULL;
  g_autoptr(GList) requests = NULL;

  mcp_client_flush_waiting (self, error);

  /* Every request, also those between rounds of input, which hold no id. A failed request's
   * callback may end others, so check each is still alive. */
  pendings = g_hash_table_get_keys (self->live);
  for (GList *l = pendings; l != NULL; l = l->next)
    {
      McpPendingRequest *pending = l->data;

      if (g_hash_table_contains (self->live, pending))
        mcp_client_pending_fail (pending, g_error_copy (error));
    }

  requests = g_hash_table_get_values (self->server_requests);
  for (GList *l = requests; l != NULL; l = l->next)
    mcp_server_request_cancel (l->data, "The connection ended");
  g_hash_table_remove_all (self->server_requests);
}

/* The public generic calls */

void
mcp_client_request_async (McpClient               *self,
                          const char              *method,
                          JsonObject              *params,
                          const McpRequestOptions *options,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_request_async);
  mcp_client_send_request (self, method, params, options, MCP_REQUEST_FLAG_NONE, NULL, task);
}

JsonObject *
mcp_client_request_finish (McpClient     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mcp_client_notify_async (McpClient           *self,
                         const char          *method,
                         JsonObject          *params,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (method != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_notify_async);
  mcp_client_send_notification (self, method, params, task);
}

gboolean
mcp_client_notify_finish (McpClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mcp_client_notify_roots_changed (McpClient *self)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  if (self->state == MCP_CLIENT_STATE_CONNECTED)
    mcp_client_send_notification (self, "notifications/roots/list_changed", NULL, NULL);
}
