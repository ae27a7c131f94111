/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"

/*
 * What the server sends: answers to our requests (with the version retry and the rounds
 * of input_required), its own requests (2025 era), and notifications (progress restarts
 * the clock of the request it is about).
 */

/* Incoming: answers to our requests */

static const char *
pick_modern_version (JsonNode *data)
{
  JsonObject *object;
  JsonArray *supported;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  object = json_node_get_object (data);
  if (!json_object_has_member (object, "supported") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "supported")))
    return NULL;
  supported = json_object_get_array_member (object, "supported");

  for (guint i = 0; i < json_array_get_length (supported); i++)
    {
      const char *version = json_array_get_string_element (supported, i);

      if (version != NULL && mcp_client_version_is_supported (version, TRUE))
        return MCP_PROTOCOL_VERSION_2026_07_28;
    }
  return NULL;
}

static void pending_continue_after_input (McpPendingRequest *pending);

static void
on_input_responded (McpServerRequest  *request,
                    McpPendingRequest *pending)
{
  const char *key = mcp_server_request_get_input_key (request);
  JsonObject *result = mcp_server_request_get_result (request);
  JsonObject *responses;
  const char *message = NULL;
  int code = 0;

  responses = json_object_get_object_member (pending->round_extra, "inputResponses");
  if (result != NULL)
    json_object_set_object_member (responses, key, json_object_ref (result));
  else if (mcp_server_request_get_error (request, &code, &message, NULL))
    mcp_client_emit_log (pending->client, MCP_LOG_INFO,
                         "No answer to the server's %s request “%s” (%d: %s); retrying %s "
                         "without it", mcp_server_request_get_method (request), key, code,
                         message, pending->method);

  g_return_if_fail (pending->inputs_waiting > 0);
  pending->inputs_waiting--;
  if (pending->inputs_waiting == 0 && !pending->dispatching_inputs)
    pending_continue_after_input (pending);
}

static void
pending_continue_after_input (McpPendingRequest *pending)
{
  JsonObject *responses = json_object_get_object_member (pending->round_extra,
                                                         "inputResponses");

  /* No input was asked for: the retry carries only the state. */
  if (pending->inputs == NULL && json_object_get_size (responses) == 0)
    json_object_remove_member (pending->round_extra, "inputResponses");

  mcp_client_pending_drop_inputs (pending);
  mcp_client_pending_transmit (pending);
}

static void
pending_handle_input_required (McpPendingRequest *pending,
                               JsonObject        *result)
{
  McpClient *self = pending->client;
  JsonNode *requests_node = json_object_get_member (result, "inputRequests");
  JsonNode *state_node = json_object_get_member (result, "requestState");
  JsonObject *requests = NULL;
  GList *keys = NULL;

  if (++pending->input_rounds > MCP_CLIENT_MAX_INPUT_ROUNDS)
    {
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_PROTOCOL,
                                "The server still asked for input after %u rounds "
                                "of %s", MCP_CLIENT_MAX_INPUT_ROUNDS,
                                pending->method);
      return;
    }
  if ((requests_node != NULL && !JSON_NODE_HOLDS_OBJECT (requests_node)) ||
      (state_node != NULL && (!JSON_NODE_HOLDS_VALUE (state_node) ||
                              json_node_get_value_type (state_node) != G_TYPE_STRING)))
    {
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_PROTOCOL,
                                "An input_required answer to %s needs "
                                "“inputRequests” to be an object and "
                                "“requestState” a string", pending->method);
      return;
    }

  g_clear_pointer (&pending->round_extra, json_object_unref);
  pending->round_extra = json_object_new ();
  json_object_set_object_member (pending->round_extra, "inputResponses", json_object_new ());
  /* Echoed exactly as it came, never looked into. */
  if (state_node != NULL)
    json_object_set_member (pending->round_extra, "requestState", json_node_copy (state_node));

  if (requests_node != NULL)
    requests = json_node_get_object (requests_node);
  if (requests == NULL || json_object_get_size (requests) == 0)
    {
      pending_continue_after_input (pending);
      return;
    }

  pending->inputs = g_ptr_array_new_with_free_func (g_object_unref);
  keys = json_object_get_members (requests);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (requests, key);
      JsonObject *request;
      const char *method;
      JsonNode *params;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (method = json_object_get_string_member_with_default (
             (request = json_node_get_object (node)), "method", NULL)) == NULL)
        {
          mcp_client_emit_log (self, MCP_LOG_WARNING,
                               "Skipping input request “%s” of %s: not an object with a "
                               "“method” string", key, pending->method);
          continue;
        }
      params = json_object_get_member (request, "params");
      g_ptr_array_add (pending->inputs,
                       mcp_server_request_new (method,
                                               params != NULL && JSON_NODE_HOLDS_OBJECT (params)
                                               ? json_node_get_object (params) : NULL,
                                               NULL, key));
    }
  g_list_free (keys);

  pending->inputs_waiting = pending->inputs->len;
  pending->dispatching_inputs = TRUE;
  for (guint i = 0; i < pending->inputs->len; i++)
    {
      McpServerRequest *request = g_ptr_array_index (pending->inputs, i);

      g_signal_connect (request, "responded", G_CALLBACK (on_input_responded), pending);
    }
  for (guint i = 0; pending->inputs != NULL && i < pending->inputs->len; i++)
    {
      g_autoptr(McpServerRequest) request = g_object_ref (g_ptr_array_index (pending->inputs,
                                                                             i));

      if (!mcp_client_emit_server_request (self, request) &&
          !mcp_server_request_get_responded (request))
        mcp_server_request_respond_error (request, MCP_JSONRPC_METHOD_NOT_FOUND,
                                          "Method not found", NULL);
    }
  pending->dispatching_inputs = FALSE;

  if (pending->inputs != NULL && pending->inputs_waiting == 0)
    pending_continue_after_input (pending);
}

static void
handle_response (McpClient  *self,
                 McpMessage *message)
{
  const char *key = mcp_message_get_id_key (message);
  McpPendingRequest *pending = key != NULL ? g_hash_table_lookup (self->pending, key) : NULL;
  JsonObject *result;
  const char *result_type;

  if (pending == NULL)
    {
      if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_ERROR)
        mcp_client_emit_log (self, MCP_LOG_WARNING,
                             "The server sent error %d (%s) for %s, which is no request "
                             "in flight", mcp_message_get_error_code (message),
                             mcp_message_get_error_message (message),
                             key != NULL ? key : "no id");
      else
        mcp_client_emit_log (self, MCP_LOG_WARNING,
                             "The server answered request %s, which is no request in flight",
                             key);
      return;
    }

  mcp_client_pending_take_off_wire (pending);

  if (mcp_message_get_kind (message) == MCP_MESSAGE_KIND_ERROR)
    {
      int code = mcp_message_get_error_code (message);

      if (code == MCP_ERROR_UNSUPPORTED_PROTOCOL_VERSION &&
          self->active_era == MCP_ERA_MODERN &&
          !(pending->flags & MCP_REQUEST_FLAG_HANDSHAKE) &&
          pending->version_retries == 0 &&
          pick_modern_version (mcp_message_get_error_data (message)) != NULL)
        {
          pending->version_retries++;
          mcp_client_emit_log (self, MCP_LOG_INFO,
                               "The server refused protocol version %s for %s; retrying with "
                               "one it lists", self->protocol_version, pending->method);
          mcp_client_pending_transmit (pending);
          return;
        }
      mcp_client_pending_fail (pending, mcp_client_error_new_remote (message, pending->method));
      return;
    }

  result = mcp_message_get_result (message);
  if (result == NULL)
    {
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_PROTOCOL,
                                "The result of %s is not a JSON object",
                                pending->method);
      return;
    }

  /* An absent resultType means complete (servers of the 2025 revisions send none). */
  result_type = json_object_get_string_member_with_default (result, "resultType", NULL);
  if (result_type == NULL || g_str_equal (result_type, "complete"))
    mcp_client_pending_complete (pending, result, NULL);
  else if (g_str_equal (result_type, "input_required"))
    pending_handle_input_required (pending, result);
  else
    mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_PROTOCOL,
                              "The result of %s has resultType “%s”; expected "
                              "“complete” or “input_required”",
                              pending->method, result_type);
}

/* Incoming: requests from the server (2025 era) */

static void
on_server_request_responded (McpServerRequest *request,
                             McpClient        *self)
{
  g_autofree char *key = mcp_message_id_key_from_node (mcp_server_request_get_id (request));
  g_autoptr(McpMessage) reply = NULL;
  JsonObject *result = mcp_server_request_get_result (request);
  const char *message = NULL;
  JsonNode *data = NULL;
  int code = 0;

  /* Withdrawn by the server, or the connection ended: the answer goes nowhere. */
  if (g_cancellable_is_cancelled (mcp_server_request_get_cancellable (request)))
    return;

  if (result != NULL)
    reply = mcp_message_new_result (mcp_server_request_get_id (request), result);
  else
    {
      mcp_server_request_get_error (request, &code, &message, &data);
      reply = mcp_message_new_error (mcp_server_request_get_id (request), code, message, data);
    }
  mcp_client_send_fire_and_forget (self, reply);

  if (key != NULL)
    g_hash_table_remove (self->server_requests, key);
}

static void
handle_request (McpClient  *self,
                McpMessage *message)
{
  const char *method = mcp_message_get_method (message);
  g_autoptr(McpServerRequest) request = NULL;

  if (g_str_equal (method, "ping"))
    {
      g_autoptr(JsonObject) empty = json_object_new ();
      g_autoptr(McpMessage) reply = mcp_message_new_result (mcp_message_get_id (message),
                                                            empty);

      mcp_client_send_fire_and_forget (self, reply);
      return;
    }

  request = mcp_server_request_new (method, mcp_message_get_params (message),
                                    mcp_message_get_id (message), NULL);
  g_hash_table_replace (self->server_requests, g_strdup (mcp_message_get_id_key (message)),
                        g_object_ref (request));
  g_signal_connect_object (request, "responded", G_CALLBACK (on_server_request_responded),
                           self, 0);

  if (!mcp_client_emit_server_request (self, request) &&
      !mcp_server_request_get_responded (request))
    mcp_server_request_respond_error (request, MCP_JSONRPC_METHOD_NOT_FOUND,
                                      "Method not found", NULL);
}

/* Incoming: notifications */

static char *
token_to_text (JsonNode *token)
{
  if (JSON_NODE_HOLDS_VALUE (token) && json_node_get_value_type (token) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (token));
  if (JSON_NODE_HOLDS_VALUE (token) && json_node_get_value_type (token) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (token));
  return NULL;
}

static void
handle_progress (McpClient  *self,
                 JsonObject *params)
{
  JsonNode *token = params != NULL ? json_object_get_member (params, "progressToken") : NULL;
  g_autofree char *token_key = NULL;
  g_autofree char *token_text = NULL;
  McpPendingRequest *pending;
  double progress, total;
  const char *text;

  if (token == NULL || (token_text = token_to_text (token)) == NULL)
    {
      mcp_client_emit_log (self, MCP_LOG_WARNING,
                           "notifications/progress without a string or integer progressToken");
      return;
    }

  progress = mcp_json_node_get_number (json_object_get_member (params, "progress"), 0);
  total = mcp_json_node_get_number (json_object_get_member (params, "total"), -1);
  text = json_object_get_string_member_with_default (params, "message", NULL);

  token_key = mcp_message_id_key_from_node (token);
  pending = token_key != NULL ? g_hash_table_lookup (self->progress, token_key) : NULL;
  if (pending != NULL)
    {
      /* The server is alive and working: give it the full time again. */
      mcp_client_pending_restart_timer (pending);
      if (pending->options.progress_func != NULL)
        pending->options.progress_func (progress, total, text, pending->options.progress_data);
    }

  mcp_client_emit_progress (self, token_text, progress, total, text);
}

static void
handle_cancelled (McpClient  *self,
                  JsonObject *params)
{
  JsonNode *id = params != NULL ? json_object_get_member (params, "requestId") : NULL;
  const char *reason = params != NULL
    ? json_object_get_string_member_with_default (params, "reason", NULL) : NULL;
  g_autofree char *key = NULL;
  McpServerRequest *request;
  McpPendingRequest *pending;

  if (id == NULL || (key = mcp_message_id_key_from_node (id)) == NULL)
    return;

  request = g_hash_table_lookup (self->server_requests, key);
  if (request != NULL)
    {
      mcp_server_request_cancel (request, reason);
      g_hash_table_remove (self->server_requests, key);
      return;
    }

  /* The server ends one of our requests (a subscription stream on stdio). */
  pending = g_hash_table_lookup (self->pending, key);
  if (pending != NULL)
    {
      mcp_client_pending_take_off_wire (pending);
      mcp_client_pending_failf (pending, MCP_CLIENT_ERROR_CLOSED,
                                "The server ended %s: %s", pending->method,
                                reason != NULL ? reason : "no reason given");
    }
}

void
mcp_client_on_transport_message (McpTransport *transport,
                                 McpMessage   *message,
                                 McpClient    *self)
{
  G_GNUC_UNUSED g_autoptr(McpClient) hold = g_object_ref (self);

  mcp_client_emit_message_received (self, message);

  switch (mcp_message_get_kind (message))
    {
    case MCP_MESSAGE_KIND_RESULT:
    case MCP_MESSAGE_KIND_ERROR:
      handle_response (self, message);
      break;

    case MCP_MESSAGE_KIND_REQUEST:
      handle_request (self, message);
      break;

    case MCP_MESSAGE_KIND_NOTIFICATION:
      {
        const char *method = mcp_message_get_method (message);

        if (g_str_equal (method, "notifications/progress"))
          handle_progress (self, mcp_message_get_params (message));
        else if (g_str_equal (method, "notifications/cancelled"))
          handle_cancelled (self, mcp_message_get_params (message));
        mcp_client_emit_notification (self, message);
      }
      break;

    default:
      break;
    }
}