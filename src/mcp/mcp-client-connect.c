/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"
#include "mcp-http-transport.h"

/*
 * The handshakes. The 2025 revisions (LEGACY) open with initialize, then
 * notifications/initialized. The 2026-07-28 revision (MODERN) has no handshake; the client
 * asks server/discover for the server's versions, capabilities and identity. AUTO probes with
 * server/discover and reads the answer as the spec's era detection says: a result, or a
 * recognized modern error (UnsupportedProtocolVersion), means a modern server; any other
 * error, an HTTP 4xx without a JSON-RPC body, or silence on stdio means a 2025 server, which
 * gets initialize.
 */

static const char * const legacy_versions[] = {
  MCP_PROTOCOL_VERSION_2025_11_25,
  MCP_PROTOCOL_VERSION_2025_06_18,
  MCP_PROTOCOL_VERSION_2025_03_26,
  MCP_PROTOCOL_VERSION_2024_11_05,
  NULL
};

typedef struct
{
  gboolean  reinit;
  guint     discover_attempts;
  guint     initialize_attempts;
  char     *offered_version;
} Handshake;

static void
handshake_free (Handshake *hs)
{
  g_free (hs->offered_version);
  g_free (hs);
}

gboolean
mcp_client_version_is_supported (const char *version,
                                 gboolean    modern)
{
  if (version == NULL)
    return FALSE;
  if (modern)
    return g_str_equal (version, MCP_PROTOCOL_VERSION_2026_07_28);
  return g_strv_contains (legacy_versions, version);
}

static int
handshake_timeout_ms (McpClient *self)
{
  if (self->request_timeout_ms == 0)
    return -1;
  return (int) MAX (self->request_timeout_ms, MCP_CLIENT_HANDSHAKE_MIN_TIMEOUT_MS);
}

static char *
supported_versions_text (void)
{
  return g_strjoinv (", ", (char **) mcp_client_get_supported_versions ());
}

/* The newest legacy version we speak from data.supported of an error, or NULL. */
static const char *
pick_legacy_version (JsonNode *data)
{
  JsonArray *supported;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return NULL;
  if (!json_object_has_member (json_node_get_object (data), "supported") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (data), "supported")))
    return NULL;
  supported = json_object_get_array_member (json_node_get_object (data), "supported");

  for (guint v = 0; legacy_versions[v] != NULL; v++)
    for (guint i = 0; i < json_array_get_length (supported); i++)
      {
        JsonNode *node = json_array_get_element (supported, i);

        if (JSON_NODE_HOLDS_VALUE (node) &&
            json_node_get_value_type (node) == G_TYPE_STRING &&
            g_str_equal (json_node_get_string (node), legacy_versions[v]))
          return legacy_versions[v];
      }
  return NULL;
}

static gboolean
data_lists_modern_version (JsonNode *data)
{
  JsonArray *supported;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data) ||
      !json_object_has_member (json_node_get_object (data), "supported") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (data), "supported")))
    return FALSE;
  supported = json_object_get_array_member (json_node_get_object (data), "supported");
  for (guint i = 0; i < json_array_get_length (supported); i++)
    {
      JsonNode *node = json_array_get_element (supported, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          mcp_client_version_is_supported (json_node_get_string (node), TRUE))
        return TRUE;
    }
  return FALSE;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
handshake_failed (McpClient *self,
                  GTask     *task,
                  GError    *error)
{
  Handshake *hs = g_task_get_task_data (task);

  if (hs->reinit)
    {
      mcp_client_emit_log (self, MCP_LOG_ERROR, "Could not initialize a new session: %s",
                           error->message);
      self->reinitializing = FALSE;
      mcp_client_flush_waiting (self, error);
    }
  else
    {
      mcp_client_set_state (self, MCP_CLIENT_STATE_CLOSED);
      mcp_client_flush_waiting (self, error);
      if (self->transport_open)
        {
          self->transport_open = FALSE;
          mcp_transport_close_async (self->transport, NULL, NULL, NULL);
        }
    }
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
handshake_succeeded (McpClient *self,
                     GTask     *task)
{
  Handshake *hs = g_task_get_task_data (task);

  if (hs->reinit)
    self->reinitializing = FALSE;
  else
    mcp_client_set_state (self, MCP_CLIENT_STATE_CONNECTED);
  mcp_client_flush_waiting (self, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The 2025 handshake */

static void send_initialize (McpClient  *self,
                             GTask      *task,
                             const char *version);

static void
on_initialized_sent (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          handshake_failed (self, task, g_steal_pointer (&error));
          return;
        }
      /* The server has answered initialize: carry on, it may still serve requests. */
      mcp_client_emit_log (self, MCP_LOG_WARNING, "Sending notifications/initialized failed: %s",
                           error->message);
    }

  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    mcp_http_transport_start_listening (MCP_HTTP_TRANSPORT (self->transport));

  handshake_succeeded (self, task);
}

static void
on_initialize_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  GTask *task = user_data;
  Handshake *hs = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *version;
  const char *instructions;
  GTask *notification;

  reply = mcp_client_request_finish (self, result, &error);
  if (reply == NULL)
    {
      const char *other = NULL;

      /* Some servers refuse an unknown version with an error listing theirs. */
      if (mcp_client_error_is_remote (error) && hs->initialize_attempts < 2 &&
          (other = pick_legacy_version (mcp_client_error_get_data (error))) != NULL &&
          g_strcmp0 (other, hs->offered_version) != 0)
        {
          mcp_client_emit_log (self, MCP_LOG_INFO,
                               "The server refused protocol version %s (%s); offering %s",
                               hs->offered_version, error->message, other);
          send_initialize (self, task, other);
          return;
        }
      g_prefix_error (&error, "initialize failed: ");
      handshake_failed (self, task, g_steal_pointer (&error));
      return;
    }

  version = json_object_get_string_member_with_default (reply, "protocolVersion", NULL);
  if (!mcp_client_version_is_supported (version, FALSE))
    {
      g_autofree char *ours = supported_versions_text ();

      handshake_failed (self, task,
                        g_error_new (MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_UNSUPPORTED_VERSION,
                                     "The server answered initialize with protocol version "
                                     "“%s”; Tether speaks %s", version != NULL ? version
                                     : "(none)", ours));
      return;
    }

  instructions = json_object_get_string_member_with_default (reply, "instructions", NULL);
  mcp_client_set_server_details (self, version, MCP_ERA_LEGACY,
                                 object_member (reply, "serverInfo"),
                                 object_member (reply, "capabilities"), instructions);

  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    mcp_http_transport_set_protocol_version (MCP_HTTP_TRANSPORT (self->transport), version);

  /* Over HTTP each message is its own POST: wait for this one to be taken before the first
   * request, or a server could see the request before it knows the session is ready. */
  notification = g_task_new (self, g_task_get_cancellable (task), on_initialized_sent, task);
  mcp_client_send_notification (self, "notifications/initialized", NULL, notification);
}

static void
send_initialize (McpClient  *self,
                 GTask      *task,
                 const char *version)
{
  Handshake *hs = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *info = json_object_new ();
  McpRequestOptions options = { 0, };
  GTask *request;

  hs->initialize_attempts++;
  options.timeout_ms = handshake_timeout_ms (self);
  g_free (hs->offered_version);
  hs->offered_version = g_strdup (version);

  self->active_era = MCP_ERA_LEGACY;
  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    {
      McpHttpTransport *http = MCP_HTTP_TRANSPORT (self->transport);

      mcp_http_transport_set_modern (http, FALSE);
      mcp_http_transport_set_protocol_version (http, NULL);
    }

  json_object_set_string_member (params, "protocolVersion", version);
  json_object_set_object_member (params, "capabilities",
                                 mcp_client_dup_client_capabilities (self));
  json_object_set_string_member (info, "name", self->client_name);
  json_object_set_string_member (info, "version", self->client_version);
  json_object_set_object_member (params, "clientInfo", info);

  request = g_task_new (self, g_task_get_cancellable (task), on_initialize_done, task);
  mcp_client_send_request (self, "initialize", params, &options,
                           MCP_REQUEST_FLAG_HANDSHAKE | MCP_REQUEST_FLAG_NO_SESSION_RETRY,
                           NULL, request);
}

/* The 2026-07-28 discovery, and era detection */

static void send_discover (McpClient *self,
                           GTask     *task);

static void
fall_back_to_initialize (McpClient    *self,
                         GTask        *task,
                         const GError *why,
                         const char   *version)
{
  mcp_client_emit_log (self, MCP_LOG_INFO,
                       "server/discover failed (%s): the server speaks a 2025 revision; "
                       "initializing with %s", why->message, version);
  send_initialize (self, task, version);
}

static gboolean
is_fatal_transport_error (const GError *error)
{
  if (error->domain != MCP_TRANSPORT_ERROR)
    return TRUE;
  switch (error->code)
    {
    case MCP_TRANSPORT_ERROR_HTTP_STATUS:
    case MCP_TRANSPORT_ERROR_NO_RESPONSE:
    case MCP_TRANSPORT_ERROR_PROTOCOL:
      return FALSE;
    default:
      return TRUE;
    }
}

static void
on_discover_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  GTask *task = user_data;
  Handshake *hs = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *info;
  JsonNode *versions_node;
  gboolean auto_era = self->era == MCP_ERA_AUTO;

  reply = mcp_client_request_finish (self, result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          handshake_failed (self, task, g_steal_pointer (&error));
          return;
        }

      if (mcp_client_error_is_remote (error))
        {
          JsonNode *data = mcp_client_error_get_data (error);

          if (error->code == MCP_ERROR_UNSUPPORTED_PROTOCOL_VERSION)
            {
              const char *legacy = pick_legacy_version (data);

              /* A modern server: retry with a version it lists, or take the legacy one. */
              if (data_lists_modern_version (data) && hs->discover_attempts < 2)
                {
                  send_discover (self, task);
                  return;
                }
              if (auto_era && legacy != NULL)
                {
                  fall_back_to_initialize (self, task, error, legacy);
                  return;
                }
              {
                g_autofree char *ours = supported_versions_text ();

                handshake_failed (self, task,
                                  g_error_new (MCP_CLIENT_ERROR,
                                               MCP_CLIENT_ERROR_UNSUPPORTED_VERSION,
                                               "The server supports none of the protocol "
                                               "versions Tether speaks (%s): %s", ours,
                                               error->message));
                return;
              }
            }
          if (error->code == MCP_ERROR_HEADER_MISMATCH ||
              error->code == MCP_ERROR_MISSING_REQUIRED_CAPABILITY || !auto_era)
            {
              g_prefix_error (&error, "server/discover failed: ");
              handshake_failed (self, task, g_steal_pointer (&error));
              return;
            }
          fall_back_to_initialize (self, task, error, MCP_PROTOCOL_VERSION_2025_11_25);
          return;
        }

      if (auto_era && (g_error_matches (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_TIMEOUT) ||
                       !is_fatal_transport_error (error)))
        {
          fall_back_to_initialize (self, task, error, MCP_PROTOCOL_VERSION_2025_11_25);
          return;
        }

      g_prefix_error (&error, "server/discover failed: ");
      handshake_failed (self, task, g_steal_pointer (&error));
      return;
    }

  /* A DiscoverResult names the versions the server speaks; one that is 2025-only is
   * initialized instead. */
  versions_node = json_object_get_member (reply, "supportedVersions");
  if (versions_node != NULL && JSON_NODE_HOLDS_ARRAY (versions_node))
    {
      g_autoptr(JsonNode) data = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonObject) wrapper = json_object_new ();

      json_object_set_member (wrapper, "supported", json_node_copy (versions_node));
      json_node_set_object (data, wrapper);
      if (!data_lists_modern_version (data))
        {
          const char *legacy = pick_legacy_version (data);

          if (auto_era && legacy != NULL)
            {
              g_autoptr(GError) why = g_error_new_literal (MCP_CLIENT_ERROR,
                                                           MCP_CLIENT_ERROR_UNSUPPORTED_VERSION,
                                                           "it lists no 2026 version");
              fall_back_to_initialize (self, task, why, legacy);
            }
          else
            {
              g_autofree char *ours = supported_versions_text ();

              handshake_failed (self, task,
                                g_error_new (MCP_CLIENT_ERROR,
                                             MCP_CLIENT_ERROR_UNSUPPORTED_VERSION,
                                             "The server's server/discover lists none of the "
                                             "protocol versions Tether speaks (%s)", ours));
            }
          return;
        }
    }

  info = object_member (reply, "serverInfo");
  if (info == NULL)
    info = object_member (object_member (reply, "_meta"), MCP_META_SERVER_INFO);

  mcp_client_set_server_details (self, MCP_PROTOCOL_VERSION_2026_07_28, MCP_ERA_MODERN, info,
                                 object_member (reply, "capabilities"),
                                 json_object_get_string_member_with_default (reply,
                                                                             "instructions",
                                                                             NULL));
  handshake_succeeded (self, task);
}

static void
send_discover (McpClient *self,
               GTask     *task)
{
  Handshake *hs = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();
  McpRequestOptions options = { 0, };
  McpRequestFlags flags = MCP_REQUEST_FLAG_HANDSHAKE | MCP_REQUEST_FLAG_NO_SESSION_RETRY;
  GTask *request;

  hs->discover_attempts++;
  options.timeout_ms = handshake_timeout_ms (self);

  /* The metadata of every modern request names this version. */
  self->active_era = MCP_ERA_MODERN;
  g_free (self->protocol_version);
  self->protocol_version = g_strdup (MCP_PROTOCOL_VERSION_2026_07_28);

  if (MCP_IS_HTTP_TRANSPORT (self->transport))
    {
      McpHttpTransport *http = MCP_HTTP_TRANSPORT (self->transport);

      mcp_http_transport_set_modern (http, TRUE);
      mcp_http_transport_set_protocol_version (http, MCP_PROTOCOL_VERSION_2026_07_28);
    }
  else if (self->era == MCP_ERA_AUTO)
    {
      /* A 2025 server on stdio may ignore a method it does not know before initialize. */
      options.timeout_ms = MCP_CLIENT_STDIO_PROBE_TIMEOUT_MS;
      flags |= MCP_REQUEST_FLAG_QUIET_TIMEOUT;
    }

  request = g_task_new (self, g_task_get_cancellable (task), on_discover_done, task);
  mcp_client_send_request (self, "server/discover", params, &options, flags, NULL, request);
}

/* Starting */

static void
on_transport_opened (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  McpClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!mcp_client_auth_open_finish (self, result, &error))
    {
      handshake_failed (self, task, g_steal_pointer (&error));
      return;
    }

  /* close_async() while the transport was opening. */
  if (self->state != MCP_CLIENT_STATE_CONNECTING)
    {
      mcp_transport_close_async (self->transport, NULL, NULL, NULL);
      handshake_failed (self, task,
                        g_error_new (MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_CLOSED,
                                     "The client was closed while connecting"));
      return;
    }

  self->transport_open = TRUE;

  if (self->era == MCP_ERA_LEGACY)
    send_initialize (self, task, MCP_PROTOCOL_VERSION_2025_11_25);
  else
    send_discover (self, task);
}

void
mcp_client_start_handshake (McpClient *self,
                            GTask     *task)
{
  Handshake *hs = g_new0 (Handshake, 1);

  g_task_set_task_data (task, hs, (GDestroyNotify) handshake_free);
  mcp_client_set_state (self, MCP_CLIENT_STATE_CONNECTING);
  mcp_client_auth_open_async (self, g_task_get_cancellable (task), on_transport_opened, task);
}

static void
on_reinitialized (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    mcp_client_emit_log (MCP_CLIENT (source), MCP_LOG_INFO, "A new session is initialized");
}

void
mcp_client_reinitialize (McpClient *self)
{
  Handshake *hs;
  GTask *task;

  if (self->reinitializing || self->state != MCP_CLIENT_STATE_CONNECTED)
    return;
  self->reinitializing = TRUE;

  task = g_task_new (self, NULL, on_reinitialized, NULL);
  hs = g_new0 (Handshake, 1);
  hs->reinit = TRUE;
  g_task_set_task_data (task, hs, (GDestroyNotify) handshake_free);
  send_initialize (self, task, self->protocol_version != NULL ? self->protocol_version
                                                           : MCP_PROTOCOL_VERSION_2025_11_25);
}
