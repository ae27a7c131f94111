/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-pkce.h"

#include "demo-mcp-session.h"
#include "demo-tool-call.h"
#include "demo-tools.h"

/* Undelivered request streams kept for Last-Event-ID beyond which the oldest finished ones
 * are dropped. */
#define MAX_KEPT_STREAMS 32

/* RFC 5424 severities, lowest first, as logging/setLevel names them. */
static const char * const log_levels[] = {
  "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency", NULL
};

typedef struct
{
  DemoMcpSession *session;
  DemoToolCall   *call;
  DemoMcpStream  *stream;
  JsonNode       *id;
  char           *key;
} InFlight;

struct _DemoMcpSession
{
  GObject           parent_instance;

  DemoMcpServer    *server;      /* owns the session */
  DemoMcpTransport  transport;
  char             *id;
  char             *owner_client;
  char             *owner_user;
  char             *protocol_version;
  gboolean          initialized;  /* notifications/initialized arrived */
  guint             log_level;    /* index into log_levels */
  gint64            last_active;
  gboolean          closed;

  DemoMcpStream    *standalone;
  GHashTable       *streams;      /* number -> DemoMcpStream, resumable request streams */
  guint             next_stream;
  GHashTable       *in_flight;    /* request id key -> InFlight */
};

G_DEFINE_FINAL_TYPE (DemoMcpSession, demo_mcp_session, G_TYPE_OBJECT)

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
in_flight_free (gpointer data)
{
  InFlight *in_flight = data;

  g_signal_handlers_disconnect_by_data (in_flight->call, in_flight);
  g_object_unref (in_flight->call);
  g_object_unref (in_flight->stream);
  json_node_unref (in_flight->id);
  g_free (in_flight->key);
  g_free (in_flight);
}

static void
demo_mcp_session_dispose (GObject *object)
{
  DemoMcpSession *self = DEMO_MCP_SESSION (object);

  demo_mcp_session_close (self);
  g_clear_object (&self->standalone);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (demo_mcp_session_parent_class)->dispose (object);
}

static void
demo_mcp_session_finalize (GObject *object)
{
  DemoMcpSession *self = DEMO_MCP_SESSION (object);

  g_free (self->id);
  g_free (self->owner_client);
  g_free (self->owner_user);
  g_free (self->protocol_version);

  G_OBJECT_CLASS (demo_mcp_session_parent_class)->finalize (object);
}

static void
demo_mcp_session_class_init (DemoMcpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_mcp_session_dispose;
  object_class->finalize = demo_mcp_session_finalize;

  /* The session ended (DELETE, the SSE connection closing, server shutdown). */
  signals[CLOSED] = g_signal_new ("closed",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
demo_mcp_session_init (DemoMcpSession *self)
{
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, in_flight_free);
  self->log_level = 1;  /* info */
  self->next_stream = 1;
  self->last_active = g_get_monotonic_time ();
}

static void
standalone_detached (DemoMcpStream  *stream,
                     gboolean        delivered,
                     DemoMcpSession *self)
{
  self->last_active = g_get_monotonic_time ();
  /* The HTTP+SSE session lives exactly as long as its SSE connection. */
  if (self->transport == DEMO_MCP_TRANSPORT_SSE)
    demo_mcp_session_close (self);
}

DemoMcpSession *
demo_mcp_session_new (DemoMcpServer    *server,
                      DemoMcpTransport  transport,
                      DemoGrant        *owner)
{
  DemoMcpSession *self;

  g_return_val_if_fail (DEMO_IS_MCP_SERVER (server), NULL);
  g_return_val_if_fail (owner != NULL, NULL);

  self = g_object_new (DEMO_TYPE_MCP_SESSION, NULL);
  self->server = server;
  self->transport = transport;
  /* Visible ASCII, unguessable (the spec asks for a cryptographically secure id). */
  self->id = mcp_pkce_random_string (24);
  self->owner_client = g_strdup (owner->client_id);
  self->owner_user = g_strdup (owner->user);
  self->standalone = demo_mcp_stream_new (transport == DEMO_MCP_TRANSPORT_SSE
                                          ? DEMO_MCP_STREAM_LEGACY_SSE : DEMO_MCP_STREAM_SSE,
                                          0, 0, FALSE);
  g_signal_connect (self->standalone, "detached", G_CALLBACK (standalone_detached), self);
  return self;
}

const char *
demo_mcp_session_get_id (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), NULL);
  return self->id;
}

DemoMcpTransport
demo_mcp_session_get_transport (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), DEMO_MCP_TRANSPORT_STREAMABLE_HTTP);
  return self->transport;
}

const char *
demo_mcp_session_get_protocol_version (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), NULL);
  return self->protocol_version;
}

gboolean
demo_mcp_session_is_owned_by (DemoMcpSession *self,
                              DemoGrant      *grant)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), FALSE);
  return g_str_equal (self->owner_client, grant->client_id)
         && g_str_equal (self->owner_user, grant->user);
}

gint64
demo_mcp_session_get_last_active (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), 0);
  return self->last_active;
}

guint
demo_mcp_session_get_n_running (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), 0);

  return g_hash_table_size (self->in_flight);
}

gboolean
demo_mcp_session_is_busy (DemoMcpSession *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), FALSE);

  if (g_hash_table_size (self->in_flight) > 0 || demo_mcp_stream_is_attached (self->standalone))
    return TRUE;
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (demo_mcp_stream_is_attached (value))
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                   */

static void
request_stream_detached (DemoMcpStream  *stream,
                         gboolean        delivered,
                         DemoMcpSession *self)
{
  self->last_active = g_get_monotonic_time ();
  /* Delivered in full: nothing left to resume. */
  if (delivered && self->streams != NULL)
    g_hash_table_remove (self->streams, GUINT_TO_POINTER (demo_mcp_stream_get_number (stream)));
}

static void
trim_kept_streams (DemoMcpSession *self)
{
  while (g_hash_table_size (self->streams) > MAX_KEPT_STREAMS)
    {
      GHashTableIter iter;
      gpointer key, value;
      guint oldest = G_MAXUINT;

      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (demo_mcp_stream_is_complete (value) && !demo_mcp_stream_is_attached (value)
            && GPOINTER_TO_UINT (key) < oldest)
          oldest = GPOINTER_TO_UINT (key);
      if (oldest == G_MAXUINT)
        return;  /* all still running: keep them */
      g_hash_table_remove (self->streams, GUINT_TO_POINTER (oldest));
    }
}

DemoMcpStream *
demo_mcp_session_open_request_stream (DemoMcpSession    *self,
                                      DemoMcpStreamKind  kind,
                                      guint              n_responses,
                                      gboolean           batch)
{
  DemoMcpStream *stream;

  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), NULL);
  g_return_val_if_fail (n_responses > 0, NULL);

  stream = demo_mcp_stream_new (kind, self->next_stream++, n_responses, batch);
  if (kind == DEMO_MCP_STREAM_SSE)
    {
      g_hash_table_insert (self->streams, GUINT_TO_POINTER (demo_mcp_stream_get_number (stream)),
                           g_object_ref (stream));
      g_signal_connect_object (stream, "detached", G_CALLBACK (request_stream_detached), self, 0);
      trim_kept_streams (self);
    }
  return stream;
}

DemoMcpStream *
demo_mcp_session_get_standalone_stream (DemoMcpSession *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SESSION (self), NULL);
  return self->standalone;
}

static gboolean
wants_priming (DemoMcpSession *self)
{
  /* Priming events (an id, empty data) arrived with 2025-11-25. */
  return self->protocol_version != NULL && strcmp (self->protocol_version, "2025-11-25") >= 0;
}

void
demo_mcp_session_attach_request_stream (DemoMcpSession    *self,
                                        DemoMcpStream     *stream,
                                        SoupServerMessage *msg)
{
  g_return_if_fail (DEMO_IS_MCP_SESSION (self));

  /* Only a stream that stays open needs an id to resume from before its first message. */
  if (!demo_mcp_stream_is_complete (stream) && wants_priming (self))
    demo_mcp_stream_send_priming (stream);
  demo_mcp_stream_attach (stream, msg, 0);
  self->last_active = g_get_monotonic_time ();
}

void
demo_mcp_session_attach_get (DemoMcpSession    *self,
                             SoupServerMessage *msg,
                             const char        *last_event_id)
{
  DemoMcpStream *stream = NULL;
  guint number;
  guint64 seq = 0;

  g_return_if_fail (DEMO_IS_MCP_SESSION (self));

  self->last_active = g_get_monotonic_time ();
  if (demo_mcp_stream_parse_event_id (last_event_id, &number, &seq))
    {
      if (number == 0)
        stream = self->standalone;
      else
        stream = g_hash_table_lookup (self->streams, GUINT_TO_POINTER (number));
    }

  if (stream != NULL)
    {
      demo_mcp_stream_attach (stream, msg, seq);
      return;
    }

  /* A fresh GET gets no history. It replaces an older GET, which may be a connection that
   * died silently. */
  demo_mcp_stream_attach (self->standalone, msg, G_MAXUINT64);
  if (wants_priming (self))
    demo_mcp_stream_send_priming (self->standalone);
}

/* ---------------------------------------------------------------------------------------- */
/* Messages                                                                                  */

static void
reply (DemoMcpStream *stream,
       JsonNode      *id,
       JsonObject    *result)
{
  g_autoptr(McpMessage) message = mcp_message_new_result (id, result);

  demo_mcp_stream_send (stream, message);
}

static void
reply_empty (DemoMcpStream *stream,
             JsonNode      *id)
{
  g_autoptr(JsonObject) result = json_object_new ();

  reply (stream, id, result);
}

static void
reply_error (DemoMcpStream *stream,
             JsonNode      *id,
             int            code,
             const char    *message)
{
  g_autoptr(McpMessage) error = mcp_message_new_error (id, code, message, NULL);

  demo_mcp_stream_send (stream, error);
}

static guint
level_index (const char *level)
{
  for (guint i = 0; log_levels[i] != NULL; i++)
    if (g_strcmp0 (level, log_levels[i]) == 0)
      return i;
  return G_MAXUINT;
}

/* Sends a notifications/message when the client's level lets it through. */
static void
send_log (DemoMcpSession *self,
          DemoMcpStream  *stream,
          const char     *level,
          const char     *logger,
          const char     *text)
{
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(McpMessage) message = NULL;

  if (level_index (level) < self->log_level)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "level", level);
  json_object_set_string_member (params, "logger", logger);
  json_object_set_string_member (params, "data", text);
  message = mcp_message_new_notification ("notifications/message", params);
  demo_mcp_stream_send (stream, message);
}

static void
handle_initialize (DemoMcpSession *self,
                   JsonNode       *id,
                   JsonObject     *params,
                   DemoMcpStream  *stream)
{
  g_autoptr(JsonObject) result = NULL;
  JsonObject *capabilities, *tools, *server_info;
  const char *requested;

  if (self->protocol_version != NULL)
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_REQUEST,
                   "The session is already initialized; initialize is accepted once");
      return;
    }
  requested = params != NULL
              ? json_object_get_string_member_with_default (params, "protocolVersion", NULL)
              : NULL;
  if (requested == NULL || (params != NULL && json_object_has_member (params, "capabilities")
                            && !JSON_NODE_HOLDS_OBJECT (json_object_get_member (params,
                                                                               "capabilities"))))
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_PARAMS,
                   "initialize expects params.protocolVersion (a string) and "
                   "params.capabilities (an object)");
      return;
    }

  /* The requested version when spoken here, else the latest (the client decides then). */
  self->protocol_version = g_strdup (demo_mcp_protocol_version_is_supported (requested)
                                     ? requested : DEMO_MCP_LATEST_PROTOCOL_VERSION);

  result = json_object_new ();
  json_object_set_string_member (result, "protocolVersion", self->protocol_version);
  capabilities = json_object_new ();
  tools = json_object_new ();
  json_object_set_boolean_member (tools, "listChanged", FALSE);
  json_object_set_object_member (capabilities, "tools", tools);
  json_object_set_object_member (capabilities, "logging", json_object_new ());
  json_object_set_object_member (result, "capabilities", capabilities);
  server_info = json_object_new ();
  json_object_set_string_member (server_info, "name", "tether-demo-server");
  json_object_set_string_member (server_info, "title", "Tether demo server");
  json_object_set_string_member (server_info, "version", VERSION);
  json_object_set_object_member (result, "serverInfo", server_info);
  json_object_set_string_member (result, "instructions",
                                 "A demo MCP server that is its own OAuth authorization server. "
                                 "Call get_user_profile to see who signed in.");
  reply (stream, id, result);
}

static void
handle_set_level (DemoMcpSession *self,
                  JsonNode       *id,
                  JsonObject     *params,
                  DemoMcpStream  *stream)
{
  const char *level = params != NULL
                      ? json_object_get_string_member_with_default (params, "level", NULL)
                      : NULL;
  guint index = level_index (level);

  if (index == G_MAXUINT)
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_PARAMS,
                   "logging/setLevel expects params.level, one of debug, info, notice, warning, "
                   "error, critical, alert, emergency");
      return;
    }
  self->log_level = index;
  reply_empty (stream, id);
}

static void
call_notification (DemoToolCall *call,
                   McpMessage   *notification,
                   InFlight     *in_flight)
{
  DemoMcpSession *self = in_flight->session;

  if (g_strcmp0 (mcp_message_get_method (notification), "notifications/message") == 0)
    {
      JsonObject *params = mcp_message_get_params (notification);
      const char *level = json_object_get_string_member_with_default (params, "level", "info");

      if (level_index (level) < self->log_level)
        return;
    }
  demo_mcp_stream_send (in_flight->stream, notification);
}

static void
call_finished (DemoToolCall *call,
               InFlight     *in_flight)
{
  DemoMcpSession *self = in_flight->session;
  g_autoptr(McpMessage) response = demo_tool_call_build_response (call, in_flight->id);

  /* A cancelled request gets no response (the spec says SHOULD NOT), but its stream must not
   * wait for one. */
  if (response != NULL)
    demo_mcp_stream_send (in_flight->stream, response);
  else
    demo_mcp_stream_skip_response (in_flight->stream);
  self->last_active = g_get_monotonic_time ();
  g_hash_table_remove (self->in_flight, in_flight->key);
}

static void
handle_tools_call (DemoMcpSession *self,
                   McpMessage     *message,
                   JsonObject     *params,
                   DemoGrant      *grant,
                   DemoMcpStream  *stream)
{
  JsonNode *id = mcp_message_get_id (message);
  const char *key = mcp_message_get_id_key (message);
  g_autofree char *log_text = NULL;
  JsonNode *name_node, *arguments_node, *meta_node, *token = NULL;
  JsonObject *arguments;
  const char *name;
  InFlight *in_flight;

  name_node = params != NULL ? json_object_get_member (params, "name") : NULL;
  arguments_node = params != NULL ? json_object_get_member (params, "arguments") : NULL;
  if (name_node == NULL || !JSON_NODE_HOLDS_VALUE (name_node)
      || json_node_get_value_type (name_node) != G_TYPE_STRING
      || (arguments_node != NULL && !JSON_NODE_HOLDS_OBJECT (arguments_node)
          && !JSON_NODE_HOLDS_NULL (arguments_node)))
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_PARAMS,
                   "tools/call expects params.name (a string) and params.arguments (an object)");
      return;
    }
  name = json_node_get_string (name_node);
  arguments = arguments_node != NULL && JSON_NODE_HOLDS_OBJECT (arguments_node)
              ? json_node_get_object (arguments_node) : NULL;
  if (!demo_tools_exists (name))
    {
      g_autofree char *text = g_strdup_printf ("Unknown tool: %s", name);

      reply_error (stream, id, MCP_JSONRPC_INVALID_PARAMS, text);
      return;
    }
  if (key == NULL || g_hash_table_contains (self->in_flight, key))
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_REQUEST,
                   "A request with this id is still running; ids must be unique");
      return;
    }

  meta_node = json_object_get_member (params, "_meta");
  if (meta_node != NULL && JSON_NODE_HOLDS_OBJECT (meta_node))
    {
      token = json_object_get_member (json_node_get_object (meta_node), "progressToken");
      if (token != NULL && (!JSON_NODE_HOLDS_VALUE (token)
                            || (json_node_get_value_type (token) != G_TYPE_STRING
                                && json_node_get_value_type (token) != G_TYPE_INT64)))
        token = NULL;
    }

  log_text = g_strdup_printf ("tools/call %s by %s", name, grant->user);
  send_log (self, self->standalone, "debug", "tether-demo-server", log_text);

  in_flight = g_new0 (InFlight, 1);
  in_flight->session = self;
  in_flight->call = demo_tool_call_new (self->server, name, arguments, grant, token);
  in_flight->stream = g_object_ref (stream);
  in_flight->id = json_node_copy (id);
  in_flight->key = g_strdup (key);
  g_hash_table_insert (self->in_flight, in_flight->key, in_flight);
  g_signal_connect (in_flight->call, "notification", G_CALLBACK (call_notification), in_flight);
  g_signal_connect (in_flight->call, "finished", G_CALLBACK (call_finished), in_flight);

  demo_tools_run (in_flight->call);
}

static void
handle_request (DemoMcpSession *self,
                McpMessage     *message,
                DemoGrant      *grant,
                DemoMcpStream  *stream)
{
  const char *method = mcp_message_get_method (message);
  JsonObject *params = mcp_message_get_params (message);
  JsonNode *id = mcp_message_get_id (message);

  if (g_str_equal (method, "initialize"))
    {
      handle_initialize (self, id, params, stream);
      return;
    }
  if (g_str_equal (method, "ping"))
    {
      reply_empty (stream, id);
      return;
    }
  if (self->protocol_version == NULL)
    {
      reply_error (stream, id, MCP_JSONRPC_INVALID_REQUEST,
                   "The session is not initialized: send initialize first");
      return;
    }

  if (g_str_equal (method, "tools/list"))
    {
      g_autoptr(JsonObject) result = json_object_new ();

      if (params != NULL && json_object_has_member (params, "cursor"))
        {
          reply_error (stream, id, MCP_JSONRPC_INVALID_PARAMS,
                       "Unknown cursor: tools/list has a single page here");
          return;
        }
      json_object_set_array_member (result, "tools", demo_tools_list_definitions ());
      reply (stream, id, result);
    }
  else if (g_str_equal (method, "tools/call"))
    handle_tools_call (self, message, params, grant, stream);
  else if (g_str_equal (method, "logging/setLevel"))
    handle_set_level (self, id, params, stream);
  else
    {
      g_autofree char *text = g_strdup_printf ("Method not found: %s", method);

      reply_error (stream, id, MCP_JSONRPC_METHOD_NOT_FOUND, text);
    }
}

static void
handle_notification (DemoMcpSession *self,
                     McpMessage     *message)
{
  const char *method = mcp_message_get_method (message);
  JsonObject *params = mcp_message_get_params (message);

  if (g_str_equal (method, "notifications/initialized"))
    self->initialized = TRUE;
  else if (g_str_equal (method, "notifications/cancelled") && params != NULL)
    {
      JsonNode *request_id = json_object_get_member (params, "requestId");
      g_autofree char *key = request_id != NULL ? mcp_message_id_key_from_node (request_id) : NULL;
      InFlight *in_flight = key != NULL ? g_hash_table_lookup (self->in_flight, key) : NULL;

      /* Unknown or finished requests are ignored, as the spec asks. */
      if (in_flight != NULL)
        {
          demo_mcp_server_count_cancellation (self->server);
          demo_tool_call_cancel (in_flight->call);
        }
    }
  /* Other notifications need nothing from this server. */
}

void
demo_mcp_session_handle_message (DemoMcpSession *self,
                                 McpMessage     *message,
                                 DemoGrant      *grant,
                                 DemoMcpStream  *stream)
{
  g_return_if_fail (DEMO_IS_MCP_SESSION (self));
  g_return_if_fail (MCP_IS_MESSAGE (message));

  if (self->closed)
    return;
  self->last_active = g_get_monotonic_time ();

  switch (mcp_message_get_kind (message))
    {
    case MCP_MESSAGE_KIND_REQUEST:
      g_return_if_fail (stream != NULL);
      handle_request (self, message, grant, stream);
      break;
    case MCP_MESSAGE_KIND_NOTIFICATION:
      handle_notification (self, message);
      break;
    case MCP_MESSAGE_KIND_RESULT:
    case MCP_MESSAGE_KIND_ERROR:
    default:
      /* This server sends no requests, so responses have nothing to answer. */
      break;
    }
}

void
demo_mcp_session_close (DemoMcpSession *self)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) streams = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DEMO_IS_MCP_SESSION (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  /* Cancelling finishes calls, which removes them from the table: collect first. */
  calls = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->in_flight);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (calls, g_object_ref (((InFlight *) value)->call));
  for (guint i = 0; i < calls->len; i++)
    demo_tool_call_cancel (calls->pdata[i]);

  streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (streams, g_object_ref (value));
  for (guint i = 0; i < streams->len; i++)
    demo_mcp_stream_close (streams->pdata[i]);
  g_signal_handlers_disconnect_by_data (self->standalone, self);
  demo_mcp_stream_close (self->standalone);

  g_signal_emit (self, signals[CLOSED], 0);
}
