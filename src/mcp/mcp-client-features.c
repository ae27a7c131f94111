/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-client-private.h"

/*
 * The convenience calls: thin layers over mcp_client_request_async() that shape params,
 * follow list pages and cache tool definitions (for x-mcp-header).
 */

/* Most pages one list may take: a server that keeps handing out cursors is broken. */
#define MAX_LIST_PAGES 10000

static void
send_simple (McpClient               *self,
             const char              *method,
             JsonObject              *params,
             const McpRequestOptions *options,
             gpointer                 source_tag,
             GCancellable            *cancellable,
             GAsyncReadyCallback      callback,
             gpointer                 user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  mcp_client_send_request (self, method, params, options, MCP_REQUEST_FLAG_NONE, NULL, task);
}

static JsonObject *
finish_object (McpClient     *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (McpClient     *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_autoptr(JsonObject) object = finish_object (self, result, source_tag, error);

  return object != NULL;
}

/* Lists, all pages */

typedef struct
{
  char      *method;
  char      *key;
  JsonArray *items;
  char      *cursor;
  guint      pages;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->method);
  g_free (data->key);
  g_clear_pointer (&data->items, json_array_unref);
  g_free (data->cursor);
  g_free (data);
}

static void list_next_page (GTask *task);

static void
on_list_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *items;
  const char *next;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = json_object_get_member (page, data->key);
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "The result of %s has no “%s” array", data->method, data->key);
      return;
    }
  {
    JsonArray *array = json_node_get_array (items);

    for (guint i = 0; i < json_array_get_length (array); i++)
      json_array_add_element (data->items, json_node_copy (json_array_get_element (array, i)));
  }

  next = json_object_get_string_member_with_default (page, "nextCursor", NULL);
  if (next == NULL)
    {
      g_task_return_pointer (task, json_array_ref (data->items),
                             (GDestroyNotify) json_array_unref);
      return;
    }
  if (g_strcmp0 (next, data->cursor) == 0 || ++data->pages >= MAX_LIST_PAGES)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "%s keeps returning more pages (cursor “%s” after %u pages)",
                               data->method, next, data->pages);
      return;
    }

  g_free (data->cursor);
  data->cursor = g_strdup (next);
  list_next_page (g_steal_pointer (&task));
}

static void
list_next_page (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = NULL;
  GTask *request;

  if (data->cursor != NULL)
    {
      params = json_object_new ();
      json_object_set_string_member (params, "cursor", data->cursor);
    }
  request = g_task_new (self, g_task_get_cancellable (task), on_list_page, task);
  mcp_client_send_request (self, data->method, params, NULL, MCP_REQUEST_FLAG_NONE, NULL,
                           request);
}

static void
list_all (McpClient           *self,
          const char          *method,
          const char          *key,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, source_tag);
  data->method = g_strdup (method);
  data->key = g_strdup (key);
  data->items = json_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  list_next_page (task);
}

static JsonArray *
finish_array (McpClient     *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Tools */

static void
on_tools_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *kept;
  gboolean check_headers = mcp_client_wants_param_headers (self);

  tools = g_task_propagate_pointer (G_TASK (result), &error);
  if (tools == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_hash_table_remove_all (self->tools);
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonNode *node = json_array_get_element (tools, i);
      JsonObject *tool;
      const char *name;
      g_autofree char *reason = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (name = json_object_get_string_member_with_default (
             (tool = json_node_get_object (node)), "name", NULL)) == NULL)
        {
          mcp_client_emit_log (self, MCP_LOG_WARNING,
                               "tools/list: skipping entry %u, which is not an object with "
                               "a “name” string", i);
          continue;
        }
      if (check_headers && !mcp_client_tool_headers_valid (tool, &reason))
        {
          mcp_client_emit_log (self, MCP_LOG_WARNING,
                               "tools/list: leaving out tool “%s”: %s", name, reason);
          continue;
        }
      g_hash_table_replace (self->tools, g_strdup (name), json_object_ref (tool));
      json_array_add_element (kept, json_node_copy (node));
    }

  g_task_return_pointer (task, kept, (GDestroyNotify) json_array_unref);
}

void
mcp_client_list_tools_async (McpClient           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MCP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_list_tools_async);
  list_all (self, "tools/list", "tools", list_all, cancellable, on_tools_listed, task);
}

JsonArray *
mcp_client_list_tools_finish (McpClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_array (self, result, mcp_client_list_tools_async, error);
}

JsonObject *
mcp_client_lookup_tool (McpClient  *self,
                        const char *name)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->tools, name);
}

typedef struct
{
  char              *name;
  JsonObject        *arguments;
  McpRequestOptions  options;
  gboolean           listed;
} CallData;

static void
call_data_free (CallData *data)
{
  g_free (data->name);
  g_clear_pointer (&data->arguments, json_object_unref);
  g_free (data);
}

static void call_send (GTask *task);

static void
on_tools_relisted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonArray) tools = NULL;
  g_autoptr(GError) error = NULL;

  tools = mcp_client_list_tools_finish (MCP_CLIENT (source), result, &error);
  if (tools == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Without the list the call goes without Mcp-Param headers; the server will say so. */
  if (tools == NULL)
    mcp_client_emit_log (MCP_CLIENT (source), MCP_LOG_WARNING,
                         "Could not list tools before calling one: %s", error->message);
  call_send (g_steal_pointer (&task));
}

static void
on_tool_called (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) json_object_unref);
      return;
    }

  /* The tool's x-mcp-header annotations may have changed: list again and retry once. */
  if (mcp_client_error_is_remote (error) && error->code == MCP_ERROR_HEADER_MISMATCH &&
      mcp_client_wants_param_headers (self) && !data->listed)
    {
      data->listed = TRUE;
      mcp_client_emit_log (self, MCP_LOG_INFO, "tools/call %s: %s; listing tools again",
                           data->name, error->message);
      mcp_client_list_tools_async (self, g_task_get_cancellable (task), on_tools_relisted,
                                   g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
call_send (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GHashTable) headers = NULL;
  GTask *request;

  if (mcp_client_wants_param_headers (self))
    {
      JsonObject *tool = g_hash_table_lookup (self->tools, data->name);

      /* The headers come from the tool's definition: fetch it when it is not known yet. */
      if (tool == NULL && !data->listed)
        {
          data->listed = TRUE;
          mcp_client_list_tools_async (self, g_task_get_cancellable (task), on_tools_relisted,
                                       task);
          return;
        }
      if (tool != NULL)
        headers = mcp_client_tool_param_headers (tool, data->arguments);
    }

  json_object_set_string_member (params, "name", data->name);
  if (data->arguments != NULL)
    json_object_set_object_member (params, "arguments", json_object_ref (data->arguments));

  request = g_task_new (self, g_task_get_cancellable (task), on_tool_called, task);
  mcp_client_send_request (self, "tools/call", params, &data->options, MCP_REQUEST_FLAG_NONE,
                           headers, request);
}

void
mcp_client_call_tool_async (McpClient               *self,
                            const char              *name,
                            JsonObject              *arguments,
                            const McpRequestOptions *options,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_call_tool_async);
  data = g_new0 (CallData, 1);
  data->name = g_strdup (name);
  data->arguments = arguments != NULL ? json_object_ref (arguments) : NULL;
  if (options != NULL)
    data->options = *options;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  call_send (task);
}

JsonObject *
mcp_client_call_tool_finish (McpClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_object (self, result, mcp_client_call_tool_async, error);
}

/* Resources */

void
mcp_client_list_resources_async (McpClient           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  list_all (self, "resources/list", "resources", mcp_client_list_resources_async, cancellable,
            callback, user_data);
}

JsonArray *
mcp_client_list_resources_finish (McpClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_array (self, result, mcp_client_list_resources_async, error);
}

void
mcp_client_list_resource_templates_async (McpClient           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  list_all (self, "resources/templates/list", "resourceTemplates",
            mcp_client_list_resource_templates_async, cancellable, callback, user_data);
}

JsonArray *
mcp_client_list_resource_templates_finish (McpClient     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return finish_array (self, result, mcp_client_list_resource_templates_async, error);
}

static JsonObject *
uri_params (const char *uri)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "uri", uri);
  return params;
}

void
mcp_client_read_resource_async (McpClient           *self,
                                const char          *uri,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (uri != NULL);

  params = uri_params (uri);
  send_simple (self, "resources/read", params, NULL, mcp_client_read_resource_async,
               cancellable, callback, user_data);
}

JsonObject *
mcp_client_read_resource_finish (McpClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_object (self, result, mcp_client_read_resource_async, error);
}

void
mcp_client_subscribe_resource_async (McpClient           *self,
                                     const char          *uri,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (uri != NULL);

  params = uri_params (uri);
  send_simple (self, "resources/subscribe", params, NULL, mcp_client_subscribe_resource_async,
               cancellable, callback, user_data);
}

gboolean
mcp_client_subscribe_resource_finish (McpClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, mcp_client_subscribe_resource_async, error);
}

void
mcp_client_unsubscribe_resource_async (McpClient           *self,
                                       const char          *uri,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (uri != NULL);

  params = uri_params (uri);
  send_simple (self, "resources/unsubscribe", params, NULL,
               mcp_client_unsubscribe_resource_async, cancellable, callback, user_data);
}

gboolean
mcp_client_unsubscribe_resource_finish (McpClient     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_boolean (self, result, mcp_client_unsubscribe_resource_async, error);
}

/* Prompts */

void
mcp_client_list_prompts_async (McpClient           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  list_all (self, "prompts/list", "prompts", mcp_client_list_prompts_async, cancellable,
            callback, user_data);
}

JsonArray *
mcp_client_list_prompts_finish (McpClient     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_array (self, result, mcp_client_list_prompts_async, error);
}

void
mcp_client_get_prompt_async (McpClient           *self,
                             const char          *name,
                             JsonObject          *arguments,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  json_object_set_string_member (params, "name", name);
  if (arguments != NULL)
    json_object_set_object_member (params, "arguments", json_object_ref (arguments));
  send_simple (self, "prompts/get", params, NULL, mcp_client_get_prompt_async, cancellable,
               callback, user_data);
}

JsonObject *
mcp_client_get_prompt_finish (McpClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_object (self, result, mcp_client_get_prompt_async, error);
}

/* Completion, logging, ping */

void
mcp_client_complete_async (McpClient           *self,
                           JsonObject          *ref,
                           const char          *argument_name,
                           const char          *argument_value,
                           JsonObject          *context_arguments,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *argument;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (ref != NULL);
  g_return_if_fail (argument_name != NULL);

  argument = json_object_new ();
  json_object_set_string_member (argument, "name", argument_name);
  json_object_set_string_member (argument, "value", argument_value != NULL ? argument_value
                                                                           : "");
  json_object_set_object_member (params, "ref", json_object_ref (ref));
  json_object_set_object_member (params, "argument", argument);
  if (context_arguments != NULL)
    {
      JsonObject *context = json_object_new ();

      json_object_set_object_member (context, "arguments", json_object_ref (context_arguments));
      json_object_set_object_member (params, "context", context);
    }
  send_simple (self, "completion/complete", params, NULL, mcp_client_complete_async,
               cancellable, callback, user_data);
}

JsonObject *
mcp_client_complete_finish (McpClient     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(JsonObject) reply = finish_object (self, result, mcp_client_complete_async, error);
  JsonNode *completion;

  if (reply == NULL)
    return NULL;
  completion = json_object_get_member (reply, "completion");
  if (completion == NULL || !JSON_NODE_HOLDS_OBJECT (completion))
    {
      g_set_error (error, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                   "The result of completion/complete has no “completion” object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (completion));
}

void
mcp_client_set_logging_level_async (McpClient           *self,
                                    const char          *level,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (level != NULL);

  json_object_set_string_member (params, "level", level);
  send_simple (self, "logging/setLevel", params, NULL, mcp_client_set_logging_level_async,
               cancellable, callback, user_data);
}

gboolean
mcp_client_set_logging_level_finish (McpClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_boolean (self, result, mcp_client_set_logging_level_async, error);
}

void
mcp_client_ping_async (McpClient           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (MCP_IS_CLIENT (self));

  send_simple (self, "ping", NULL, NULL, mcp_client_ping_async, cancellable, callback,
               user_data);
}

gboolean
mcp_client_ping_finish (McpClient     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish_boolean (self, result, mcp_client_ping_async, error);
}
