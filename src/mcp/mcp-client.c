/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"

/*
 * The object itself: properties, accessors, state, connecting and closing. The signals are in
 * mcp-client-signals.c, requests in flight in mcp-client-request.c, the handshakes in
 * mcp-client-connect.c.
 */

/* How long close waits for notifications and answers still being sent. */
#define CLOSE_WAIT_MS 2000

G_DEFINE_ENUM_TYPE (McpEra, mcp_era,
                    G_DEFINE_ENUM_VALUE (MCP_ERA_AUTO, "auto"),
                    G_DEFINE_ENUM_VALUE (MCP_ERA_LEGACY, "legacy"),
                    G_DEFINE_ENUM_VALUE (MCP_ERA_MODERN, "modern"))

G_DEFINE_ENUM_TYPE (McpClientState, mcp_client_state,
                    G_DEFINE_ENUM_VALUE (MCP_CLIENT_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (MCP_CLIENT_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (MCP_CLIENT_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (MCP_CLIENT_STATE_CLOSED, "closed"))

G_DEFINE_FINAL_TYPE (McpClient, mcp_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_ERA,
  PROP_ACTIVE_ERA,
  PROP_CLIENT_NAME,
  PROP_CLIENT_VERSION,
  PROP_REQUEST_TIMEOUT_MS,
  PROP_STATE,
  PROP_PROTOCOL_VERSION,
  PROP_SERVER_INFO,
  PROP_SERVER_CAPABILITIES,
  PROP_INSTRUCTIONS,
  PROP_ENABLE_SAMPLING,
  PROP_ENABLE_ELICITATION,
  PROP_ENABLE_ROOTS,
  PROP_OAUTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
mcp_client_set_state (McpClient      *self,
                      McpClientState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
mcp_client_set_server_details (McpClient  *self,
                               const char *protocol_version,
                               McpEra      era,
                               JsonObject *server_info,
                               JsonObject *capabilities,
                               const char *instructions)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);

  if (g_strcmp0 (self->protocol_version, protocol_version) != 0)
    {
      g_free (self->protocol_version);
      self->protocol_version = g_strdup (protocol_version);
      g_object_notify_by_pspec (object, properties[PROP_PROTOCOL_VERSION]);
    }
  if (self->active_era != era)
    {
      self->active_era = era;
      g_object_notify_by_pspec (object, properties[PROP_ACTIVE_ERA]);
    }

  g_clear_pointer (&self->server_info, json_object_unref);
  self->server_info = server_info != NULL ? json_object_ref (server_info) : json_object_new ();
  g_object_notify_by_pspec (object, properties[PROP_SERVER_INFO]);

  g_clear_pointer (&self->server_capabilities, json_object_unref);
  self->server_capabilities = capabilities != NULL ? json_object_ref (capabilities)
                                                   : json_object_new ();
  g_object_notify_by_pspec (object, properties[PROP_SERVER_CAPABILITIES]);

  if (g_strcmp0 (self->instructions, instructions) != 0)
    {
      g_free (self->instructions);
      self->instructions = g_strdup (instructions);
      g_object_notify_by_pspec (object, properties[PROP_INSTRUCTIONS]);
    }

  g_object_thaw_notify (object);
}

/* GObject */

static void
mcp_client_constructed (GObject *object)
{
  McpClient *self = MCP_CLIENT (object);

  G_OBJECT_CLASS (mcp_client_parent_class)->constructed (object);

  g_return_if_fail (MCP_IS_TRANSPORT (self->transport));

  self->message_handler = g_signal_connect (self->transport, "message",
                                            G_CALLBACK (mcp_client_on_transport_message),
                                            self);
  self->closed_handler = g_signal_connect (self->transport, "closed",
                                           G_CALLBACK (mcp_client_on_transport_closed), self);
  self->log_handler = g_signal_connect (self->transport, "log",
                                        G_CALLBACK (mcp_client_on_transport_log), self);
}

static void
mcp_client_dispose (GObject *object)
{
  McpClient *self = MCP_CLIENT (object);

  if (self->transport != NULL)
    {
      g_clear_signal_handler (&self->message_handler, self->transport);
      g_clear_signal_handler (&self->closed_handler, self->transport);
      g_clear_signal_handler (&self->log_handler, self->transport);
      /* Nobody can close it any more: let it go (a stdio child is ended with it). */
      if (self->transport_open)
        {
          self->transport_open = FALSE;
          mcp_transport_close_async (self->transport, NULL, NULL, NULL);
        }
    }
  g_clear_object (&self->transport);
  g_clear_object (&self->oauth);

  G_OBJECT_CLASS (mcp_client_parent_class)->dispose (object);
}

static void
mcp_client_finalize (GObject *object)
{
  McpClient *self = MCP_CLIENT (object);

  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->client_version, g_free);
  g_clear_pointer (&self->protocol_version, g_free);
  g_clear_pointer (&self->server_info, json_object_unref);
  g_clear_pointer (&self->server_capabilities, json_object_unref);
  g_clear_pointer (&self->instructions, g_free);
  g_clear_pointer (&self->bearer_token, g_free);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->progress, g_hash_table_unref);
  g_clear_pointer (&self->server_requests, g_hash_table_unref);
  g_clear_pointer (&self->tools, g_hash_table_unref);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) mcp_client_pending_free);

  G_OBJECT_CLASS (mcp_client_parent_class)->finalize (object);
}

static void
mcp_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  McpClient *self = MCP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_ERA:
      g_value_set_enum (value, self->era);
      break;
    case PROP_ACTIVE_ERA:
      g_value_set_enum (value, self->active_era);
      break;
    case PROP_CLIENT_NAME:
      g_value_set_string (value, self->client_name);
      break;
    case PROP_CLIENT_VERSION:
      g_value_set_string (value, self->client_version);
      break;
    case PROP_REQUEST_TIMEOUT_MS:
      g_value_set_uint (value, self->request_timeout_ms);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROTOCOL_VERSION:
      g_value_set_string (value, self->protocol_version);
      break;
    case PROP_SERVER_INFO:
      g_value_set_boxed (value, self->server_info);
      break;
    case PROP_SERVER_CAPABILITIES:
      g_value_set_boxed (value, self->server_capabilities);
      break;
    case PROP_INSTRUCTIONS:
      g_value_set_string (value, self->instructions);
      break;
    case PROP_ENABLE_SAMPLING:
      g_value_set_boolean (value, self->enable_sampling);
      break;
    case PROP_ENABLE_ELICITATION:
      g_value_set_boolean (value, self->enable_elicitation);
      break;
    case PROP_ENABLE_ROOTS:
      g_value_set_boolean (value, self->enable_roots);
      break;
    case PROP_OAUTH:
      g_value_set_object (value, self->oauth);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  McpClient *self = MCP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      self->transport = g_value_dup_object (value);
      break;
    case PROP_ERA:
      mcp_client_set_era (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT_NAME:
      mcp_client_set_client_info (self, g_value_get_string (value), NULL);
      break;
    case PROP_CLIENT_VERSION:
      mcp_client_set_client_info (self, NULL, g_value_get_string (value));
      break;
    case PROP_REQUEST_TIMEOUT_MS:
      mcp_client_set_request_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_ENABLE_SAMPLING:
      mcp_client_set_enable_sampling (self, g_value_get_boolean (value));
      break;
    case PROP_ENABLE_ELICITATION:
      mcp_client_set_enable_elicitation (self, g_value_get_boolean (value));
      break;
    case PROP_ENABLE_ROOTS:
      mcp_client_set_enable_roots (self, g_value_get_boolean (value));
      break;
    case PROP_OAUTH:
      mcp_client_set_oauth (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_client_class_init (McpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mcp_client_constructed;
  object_class->dispose = mcp_client_dispose;
  object_class->finalize = mcp_client_finalize;
  object_class->get_property = mcp_client_get_property;
  object_class->set_property = mcp_client_set_property;

  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, MCP_TYPE_TRANSPORT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERA] =
    g_param_spec_enum ("era", NULL, NULL, MCP_TYPE_ERA, MCP_ERA_AUTO, rw);
  properties[PROP_ACTIVE_ERA] =
    g_param_spec_enum ("active-era", NULL, NULL, MCP_TYPE_ERA, MCP_ERA_AUTO, ro);
  properties[PROP_CLIENT_NAME] =
    g_param_spec_string ("client-name", NULL, NULL, "tether-cli", rw);
  properties[PROP_CLIENT_VERSION] =
    g_param_spec_string ("client-version", NULL, NULL, VERSION, rw);
  properties[PROP_REQUEST_TIMEOUT_MS] =
    g_param_spec_uint ("request-timeout-ms", NULL, NULL, 0, G_MAXUINT, 60000, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MCP_TYPE_CLIENT_STATE,
                       MCP_CLIENT_STATE_DISCONNECTED, ro);
  properties[PROP_PROTOCOL_VERSION] =
    g_param_spec_string ("protocol-version", NULL, NULL, NULL, ro);
  properties[PROP_SERVER_INFO] =
    g_param_spec_boxed ("server-info", NULL, NULL, JSON_TYPE_OBJECT, ro);
  properties[PROP_SERVER_CAPABILITIES] =
    g_param_spec_boxed ("server-capabilities", NULL, NULL, JSON_TYPE_OBJECT, ro);
  properties[PROP_INSTRUCTIONS] =
    g_param_spec_string ("instructions", NULL, NULL, NULL, ro);
  properties[PROP_ENABLE_SAMPLING] =
    g_param_spec_boolean ("enable-sampling", NULL, NULL, FALSE, rw);
  properties[PROP_ENABLE_ELICITATION] =
    g_param_spec_boolean ("enable-elicitation", NULL, NULL, FALSE, rw);
  properties[PROP_ENABLE_ROOTS] =
    g_param_spec_boolean ("enable-roots", NULL, NULL, FALSE, rw);
  properties[PROP_OAUTH] =
    g_param_spec_object ("oauth", NULL, NULL, MCP_TYPE_OAUTH, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mcp_client_install_signals (object_class);

}

static void
mcp_client_init (McpClient *self)
{
  self->era = MCP_ERA_AUTO;
  self->active_era = MCP_ERA_AUTO;
  self->client_name = g_strdup ("tether-cli");
  self->client_version = g_strdup (VERSION);
  self->request_timeout_ms = 60000;
  self->next_id = 1;
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  self->live = g_hash_table_new (NULL, NULL);
  self->progress = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  self->server_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 g_object_unref);
  self->tools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) json_object_unref);
  g_queue_init (&self->waiting);
}

McpClient *
mcp_client_new (McpTransport *transport)
{
  g_return_val_if_fail (MCP_IS_TRANSPORT (transport), NULL);

  return g_object_new (MCP_TYPE_CLIENT, "transport", transport, NULL);
}

/* Accessors */

McpTransport *
mcp_client_get_transport (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->transport;
}

McpEra
mcp_client_get_era (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), MCP_ERA_AUTO);

  return self->era;
}

void
mcp_client_set_era (McpClient *self,
                    McpEra     era)
{
  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (era <= MCP_ERA_MODERN);

  if (self->era == era)
    return;
  self->era = era;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERA]);
}

McpEra
mcp_client_get_active_era (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), MCP_ERA_AUTO);

  return self->active_era;
}

McpClientState
mcp_client_get_state (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), MCP_CLIENT_STATE_DISCONNECTED);

  return self->state;
}

const char *
mcp_client_get_protocol_version (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->protocol_version;
}

JsonObject *
mcp_client_get_server_info (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->server_info;
}

JsonObject *
mcp_client_get_server_capabilities (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->server_capabilities;
}

const char *
mcp_client_get_instructions (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->instructions;
}

guint
mcp_client_get_request_timeout_ms (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), 0);

  return self->request_timeout_ms;
}

void
mcp_client_set_request_timeout_ms (McpClient *self,
                                   guint      timeout_ms)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  if (self->request_timeout_ms == timeout_ms)
    return;
  self->request_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT_MS]);
}

void
mcp_client_set_client_info (McpClient  *self,
                            const char *name,
                            const char *version)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  if (name != NULL && g_strcmp0 (name, self->client_name) != 0)
    {
      g_free (self->client_name);
      self->client_name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_NAME]);
    }
  if (version != NULL && g_strcmp0 (version, self->client_version) != 0)
    {
      g_free (self->client_version);
      self->client_version = g_strdup (version);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_VERSION]);
    }
}

static void
set_flag (McpClient *self,
          gboolean  *field,
          gboolean   value,
          guint      prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
mcp_client_set_enable_sampling (McpClient *self,
                                gboolean   enable)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  set_flag (self, &self->enable_sampling, enable, PROP_ENABLE_SAMPLING);
}

void
mcp_client_set_enable_elicitation (McpClient *self,
                                   gboolean   enable)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  set_flag (self, &self->enable_elicitation, enable, PROP_ENABLE_ELICITATION);
}

void
mcp_client_set_enable_roots (McpClient *self,
                             gboolean   enable)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  set_flag (self, &self->enable_roots, enable, PROP_ENABLE_ROOTS);
}

McpOAuth *
mcp_client_get_oauth (McpClient *self)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  return self->oauth;
}

void
mcp_client_set_oauth (McpClient *self,
                      McpOAuth  *oauth)
{
  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (oauth == NULL || MCP_IS_OAUTH (oauth));

  if (g_set_object (&self->oauth, oauth))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OAUTH]);
}

JsonObject *
mcp_client_dup_client_capabilities (McpClient *self)
{
  JsonObject *capabilities;

  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);

  capabilities = json_object_new ();
  if (self->enable_roots)
    {
      JsonObject *roots = json_object_new ();

      json_object_set_boolean_member (roots, "listChanged", TRUE);
      json_object_set_object_member (capabilities, "roots", roots);
    }
  if (self->enable_sampling)
    json_object_set_object_member (capabilities, "sampling", json_object_new ());
  if (self->enable_elicitation)
    {
      JsonObject *elicitation = json_object_new ();

      /* Form mode only: an empty object means the same to 2025-06-18 servers. */
      json_object_set_object_member (elicitation, "form", json_object_new ());
      json_object_set_object_member (capabilities, "elicitation", elicitation);
    }
  return capabilities;
}

gboolean
mcp_client_server_has_capability (McpClient  *self,
                                  const char *capability)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  return self->server_capabilities != NULL &&
         json_object_has_member (self->server_capabilities, capability);
}

/* Connecting and closing */

void
mcp_client_connect_async (McpClient           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MCP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_connect_async);

  if (self->state != MCP_CLIENT_STATE_DISCONNECTED)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_FAILED,
                               "A client connects once; this one is %s",
                               self->state == MCP_CLIENT_STATE_CLOSED ? "closed"
                               : "already connecting or connected");
      return;
    }

  mcp_client_start_handshake (self, g_steal_pointer (&task));
}

gboolean
mcp_client_connect_finish (McpClient     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_transport_close_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!mcp_transport_close_finish (MCP_TRANSPORT (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
close_transport (McpClient *self,
                 GTask     *task)
{
  if (!self->transport_open)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  self->transport_open = FALSE;
  mcp_transport_close_async (self->transport, g_task_get_cancellable (task),
                             on_transport_close_done, task);
}

static gboolean
on_close_wait_over (gpointer user_data)
{
  McpClient *self = user_data;

  self->close_wait_source = 0;
  close_transport (self, g_steal_pointer (&self->close_task));
  return G_SOURCE_REMOVE;
}

void
mcp_client_outgoing_done (McpClient *self)
{
  g_return_if_fail (self->outgoing > 0);

  if (--self->outgoing > 0 || self->close_task == NULL)
    return;
  g_clear_handle_id (&self->close_wait_source, g_source_remove);
  close_transport (self, g_steal_pointer (&self->close_task));
}

void
mcp_client_close_async (McpClient           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gboolean was_closed;

  g_return_if_fail (MCP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_close_async);

  was_closed = self->state == MCP_CLIENT_STATE_CLOSED;
  mcp_client_set_state (self, MCP_CLIENT_STATE_CLOSED);

  error = g_error_new_literal (MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_CLOSED,
                               "The connection was closed before the answer came");
  mcp_client_fail_all (self, error);

  if (!was_closed)
    mcp_client_emit_closed (self, NULL);

  if (!self->transport_open)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A notifications/cancelled or an answer still on its way out gets a moment to arrive. */
  if (self->outgoing > 0 && self->close_task == NULL)
    {
      self->close_task = g_steal_pointer (&task);
      self->close_wait_source = g_timeout_add (CLOSE_WAIT_MS, on_close_wait_over, self);
      return;
    }
  if (self->close_task != NULL)
    {
      /* A second close rides along with the first. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  close_transport (self, g_steal_pointer (&task));
}

gboolean
mcp_client_close_finish (McpClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
