/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-message.h"

#include "demo-mcp-server-private.h"
#include "demo-mcp-session.h"
#include "demo-png.h"
#include "demo-tools.h"
#include "demo-util.h"

#define SESSION_IDLE_TIMEOUT_S (30 * 60)

static const char * const supported_versions[] = {
  "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", NULL
};


G_DEFINE_FINAL_TYPE (DemoMcpServer, demo_mcp_server, G_TYPE_OBJECT)

gboolean
demo_mcp_protocol_version_is_supported (const char *version)
{
  return version != NULL && g_strv_contains (supported_versions, version);
}

static gboolean
expire_sessions_cb (gpointer data)
{
  DemoMcpServer *self = data;
  gint64 limit = g_get_monotonic_time () - (gint64) SESSION_IDLE_TIMEOUT_S * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!demo_mcp_session_is_busy (value) && demo_mcp_session_get_last_active (value) < limit)
      g_ptr_array_add (idle, g_object_ref (value));
  for (guint i = 0; i < idle->len; i++)
    demo_mcp_session_close (idle->pdata[i]);  /* ::closed removes it */
  return G_SOURCE_CONTINUE;
}

static void
demo_mcp_server_dispose (GObject *object)
{
  DemoMcpServer *self = DEMO_MCP_SERVER (object);

  demo_mcp_server_shutdown (self);
  g_clear_handle_id (&self->expiry_source, g_source_remove);

  G_OBJECT_CLASS (demo_mcp_server_parent_class)->dispose (object);
}

static void
demo_mcp_server_finalize (GObject *object)
{
  DemoMcpServer *self = DEMO_MCP_SERVER (object);

  g_clear_object (&self->auth);
  g_clear_object (&self->github);
  g_free (self->base_url);
  g_hash_table_unref (self->sessions);

  G_OBJECT_CLASS (demo_mcp_server_parent_class)->finalize (object);
}

static void
demo_mcp_server_class_init (DemoMcpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_mcp_server_dispose;
  object_class->finalize = demo_mcp_server_finalize;
}

static void
demo_mcp_server_init (DemoMcpServer *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->started_at = g_get_monotonic_time ();
  self->expiry_source = g_timeout_add_seconds (60, expire_sessions_cb, self);
}

DemoMcpServer *
demo_mcp_server_new (DemoAuthServer *auth,
                     DemoGithub     *github,
                     const char     *base_url)
{
  DemoMcpServer *self;

  g_return_val_if_fail (DEMO_IS_AUTH_SERVER (auth), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (DEMO_TYPE_MCP_SERVER, NULL);
  self->auth = g_object_ref (auth);
  self->github = github != NULL ? g_object_ref (github) : NULL;
  self->base_url = g_strdup (base_url);
  return self;
}

const char *
demo_mcp_server_get_base_url (DemoMcpServer *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SERVER (self), NULL);
  return self->base_url;
}

DemoAuthServer *
demo_mcp_server_get_auth_server (DemoMcpServer *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SERVER (self), NULL);
  return self->auth;
}

DemoGithub *
demo_mcp_server_get_github (DemoMcpServer *self)
{
  g_return_val_if_fail (DEMO_IS_MCP_SERVER (self), NULL);
  return self->github;
}

void
demo_mcp_server_count_tool_call (DemoMcpServer *self)
{
  g_return_if_fail (DEMO_IS_MCP_SERVER (self));
  self->n_tool_calls++;
}

void
demo_mcp_server_count_cancellation (DemoMcpServer *self)
{
  g_return_if_fail (DEMO_IS_MCP_SERVER (self));
  self->n_cancellations++;
}

JsonObject *
demo_mcp_server_dup_stats (DemoMcpServer *self)
{
  JsonObject *stats = json_object_new ();
  guint streamable = 0, sse = 0, running = 0;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (DEMO_IS_MCP_SERVER (self), NULL);

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (demo_mcp_session_get_transport (value) == DEMO_MCP_TRANSPORT_SSE)
        sse++;
      else
        streamable++;
      running += demo_mcp_session_get_n_running (value);
    }
  json_object_set_int_member (stats, "uptime_seconds",
                              (g_get_monotonic_time () - self->started_at) / G_USEC_PER_SEC);
  json_object_set_int_member (stats, "streamable_http_sessions", streamable);
  json_object_set_int_member (stats, "sse_sessions", sse);
  json_object_set_int_member (stats, "sessions_created", self->n_sessions_created);
  json_object_set_int_member (stats, "requests", self->n_requests);
  json_object_set_int_member (stats, "tool_calls", self->n_tool_calls);
  /* The admin_stats call asking counts itself. */
  json_object_set_int_member (stats, "tool_calls_running", running);
  json_object_set_int_member (stats, "tool_calls_cancelled", self->n_cancellations);
  return stats;
}

void
demo_mcp_server_shutdown (DemoMcpServer *self)
{
  g_autoptr(GList) sessions = NULL;

  g_return_if_fail (DEMO_IS_MCP_SERVER (self));

  sessions = g_hash_table_get_values (self->sessions);
  for (GList *l = sessions; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = sessions; l != NULL; l = l->next)
    {
      demo_mcp_session_close (l->data);
      g_object_unref (l->data);
    }
  g_hash_table_remove_all (self->sessions);
}

/* ---------------------------------------------------------------------------------------- */
/* Sessions                                                                                  */

static void
session_closed (DemoMcpSession *session,
                DemoMcpServer  *self)
{
  g_hash_table_remove (self->sessions, demo_mcp_session_get_id (session));
}

void
demo_mcp_server_add_session (DemoMcpServer  *self,
                             DemoMcpSession *session)
{
  g_signal_connect_object (session, "closed", G_CALLBACK (session_closed), self, 0);
  g_hash_table_insert (self->sessions, g_strdup (demo_mcp_session_get_id (session)),
                       g_object_ref (session));
  self->n_sessions_created++;
}

void
demo_mcp_respond_error (SoupServerMessage *msg,
                        guint              status,
                        int                code,
                        const char        *text)
{
  g_autoptr(McpMessage) error = mcp_message_new_error (NULL, code, text, NULL);
  g_autofree char *code_text = g_strdup_printf ("%d", code);
  gsize length = 0;
  char *body = mcp_message_to_string (error, &length);

  demo_util_note_error (msg, code_text);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
}

/* The session a request names (Mcp-Session-Id, or ?session_id= for HTTP+SSE), or NULL after
 * answering 400/404. */
DemoMcpSession *
demo_mcp_server_lookup_session (DemoMcpServer     *self,
                                SoupServerMessage *msg,
                                DemoMcpTransport   transport,
                                DemoGrant         *grant)
{
  g_autoptr(GHashTable) query = NULL;
  DemoMcpSession *session;
  const char *session_id;

  if (transport == DEMO_MCP_TRANSPORT_SSE)
    {
      const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));

      query = demo_util_parse_form (raw, raw != NULL ? strlen (raw) : 0, NULL);
      session_id = query != NULL ? g_hash_table_lookup (query, "session_id") : NULL;
    }
  else
    session_id = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               "Mcp-Session-Id");

  if (session_id == NULL)
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, MCP_JSONRPC_INVALID_REQUEST,
                              transport == DEMO_MCP_TRANSPORT_SSE
                              ? "Expected ?session_id= from the endpoint event"
                              : "Expected an Mcp-Session-Id header (send initialize first)");
      return NULL;
    }
  session = g_hash_table_lookup (self->sessions, session_id);
  /* Another client's session is reported as unknown: its existence is not ours to tell. */
  if (session == NULL || demo_mcp_session_get_transport (session) != transport
      || !demo_mcp_session_is_owned_by (session, grant))
    {
      demo_mcp_respond_error (msg, SOUP_STATUS_NOT_FOUND, DEMO_MCP_SESSION_NOT_FOUND,
                              "Session not found (expired, deleted or never created)");
      return NULL;
    }
  return session;
}

GPtrArray *
demo_mcp_server_parse_messages (SoupServerMessage *msg,
                                gboolean          *is_batch)
{
  g_autoptr(GError) error = NULL;
  const char *body, *p;
  GPtrArray *messages;
  gsize length;

  body = demo_util_request_body (msg, &length);
  for (p = body; p < body + length && g_ascii_isspace (*p); p++)
    ;
  *is_batch = p < body + length && *p == '[';

  messages = mcp_message_parse_batch (body, length, &error);
  if (messages == NULL)
    {
      int code = g_error_matches (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE)
                 ? MCP_JSONRPC_PARSE_ERROR : MCP_JSONRPC_INVALID_REQUEST;

      demo_mcp_respond_error (msg, SOUP_STATUS_BAD_REQUEST, code, error->message);
    }
  return messages;
}

/* Checks the scopes of every tools/call in @messages; answers 403 and returns FALSE when the
 * token lacks one. */
gboolean
demo_mcp_server_check_tool_scopes (DemoMcpServer     *self,
                                   SoupServerMessage *msg,
                                   GPtrArray         *messages,
                                   DemoGrant         *grant,
                                   const char        *endpoint_path)
{
  for (guint i = 0; i < messages->len; i++)
    {
      McpMessage *message = messages->pdata[i];
      JsonObject *params = mcp_message_get_params (message);
      const char *name, *scope;
      g_auto(GStrv) needed = NULL;

      if (mcp_message_get_kind (message) != MCP_MESSAGE_KIND_REQUEST
          || g_strcmp0 (mcp_message_get_method (message), "tools/call") != 0 || params == NULL)
        continue;
      name = json_object_get_string_member_with_default (params, "name", NULL);
      scope = demo_tools_get_required_scope (name);
      if (scope == NULL)
        continue;
      needed = demo_util_split_scopes (scope);
      if (!demo_util_strv_is_subset ((const char * const *) needed,
                                     (const char * const *) grant->scopes))
        {
          demo_auth_server_respond_insufficient_scope (self->auth, msg, endpoint_path, scope);
          return FALSE;
        }
    }
  return TRUE;
}

/* "tools/call(echo),notifications/initialized" for the log line. */
void
demo_mcp_server_note_methods (SoupServerMessage *msg,
                              GPtrArray         *messages)
{
  GString *detail = g_string_new (NULL);

  for (guint i = 0; i < messages->len && i < 8; i++)
    {
      McpMessage *message = messages->pdata[i];
      const char *method = mcp_message_get_method (message);
      JsonObject *params = mcp_message_get_params (message);

      if (detail->len > 0)
        g_string_append_c (detail, ',');
      if (method == NULL)
        g_string_append (detail, "(response)");
      else if (g_str_equal (method, "tools/call") && params != NULL
               && json_object_get_string_member_with_default (params, "name", NULL) != NULL)
        g_string_append_printf (detail, "tools/call(%s)",
                                json_object_get_string_member (params, "name"));
      else
        g_string_append (detail, method);
    }
  if (messages->len > 8)
    g_string_append (detail, ",…");
  demo_util_note_detail (msg, detail->str);
  g_string_free (detail, TRUE);
}

guint
demo_mcp_server_count_requests (GPtrArray *messages,
                                gboolean  *has_initialize)
{
  guint n = 0;

  *has_initialize = FALSE;
  for (guint i = 0; i < messages->len; i++)
    if (mcp_message_get_kind (messages->pdata[i]) == MCP_MESSAGE_KIND_REQUEST)
      {
        n++;
        if (g_str_equal (mcp_message_get_method (messages->pdata[i]), "initialize"))
          *has_initialize = TRUE;
      }
  return n;
}

void
demo_mcp_server_respond_accepted (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_ACCEPTED, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
login_is_valid (const char *login,
                gsize       length)
{
  if (length == 0 || length > 39)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (login[i]) && login[i] != '-')
      return FALSE;
  return TRUE;
}

static void
handle_avatar (DemoMcpServer     *self,
               SoupServerMessage *msg,
               const char        *path)
{
  const char *file = path + strlen ("/avatars/");
  g_autofree char *login = NULL;
  g_autoptr(GBytes) png = NULL;
  gsize length = strlen (file);

  if (!g_str_has_suffix (file, ".png") || !login_is_valid (file, length - 4))
    {
      demo_util_respond_text (msg, SOUP_STATUS_NOT_FOUND, "No such avatar\n");
      return;
    }
  login = g_strndup (file, length - 4);
  png = demo_png_render_identicon (g_str_hash (login), 8);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "public, max-age=86400");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

gboolean
demo_mcp_server_handle_request (DemoMcpServer     *self,
                                SoupServerMessage *msg,
                                const char        *path)
{
  g_return_val_if_fail (DEMO_IS_MCP_SERVER (self), FALSE);

  if (g_str_equal (path, "/mcp") || g_str_equal (path, "/mcp/"))
    demo_mcp_server_handle_streamable (self, msg);
  else if (g_str_equal (path, "/sse") || g_str_equal (path, "/sse/"))
    demo_mcp_server_handle_sse (self, msg);
  else if (g_str_equal (path, "/messages") || g_str_equal (path, "/messages/"))
    demo_mcp_server_handle_messages (self, msg);
  else if (g_str_has_prefix (path, "/avatars/"))
    handle_avatar (self, msg, path);
  else
    return FALSE;
  return TRUE;
}

