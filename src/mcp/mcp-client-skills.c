/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-client-skills.h"

/*
 * The skills extension on top of McpClient's public calls: skills/list and skills/get, and
 * loading a skill, which reads its files with resources/read one after the other and checks
 * each (mcp-skill-verify.c) before asking for the next.
 */

/* Most pages one listing may take: a server that keeps handing out cursors is broken. */
#define MAX_SKILL_PAGES 1000

JsonNode *
mcp_client_get_server_extension (McpClient  *self,
                                 const char *id)
{
  JsonObject *capabilities;
  JsonNode *extensions;

  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  capabilities = mcp_client_get_server_capabilities (self);
  if (capabilities == NULL)
    return NULL;
  extensions = json_object_get_member (capabilities, "extensions");
  if (extensions == NULL || !JSON_NODE_HOLDS_OBJECT (extensions))
    return NULL;
  return json_object_get_member (json_node_get_object (extensions), id);
}

gboolean
mcp_client_server_has_skills (McpClient *self)
{
  JsonNode *settings = mcp_client_get_server_extension (self, MCP_SKILLS_EXTENSION);

  /* The extension is declared with its settings object; an empty one means no options. */
  return settings != NULL && JSON_NODE_HOLDS_OBJECT (settings);
}

static gboolean
check_supported (McpClient  *self,
                 GError    **error)
{
  if (mcp_client_server_has_skills (self))
    return TRUE;
  g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_NOT_SUPPORTED,
               "Expected the server to declare the %s extension (capabilities.extensions), "
               "got %s", MCP_SKILLS_EXTENSION,
               mcp_client_get_server_extension (self, MCP_SKILLS_EXTENSION) != NULL
               ? "a declaration that is not a settings object"
               : "no such declaration");
  return FALSE;
}

static gpointer
finish_pointer (McpClient     *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (MCP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* skills/list */

typedef struct
{
  JsonArray *skills;
  char      *cursor;
  guint      pages;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->skills, json_array_unref);
  g_free (data->cursor);
  g_free (data);
}

static void list_next_page (GTask *task);

static void
on_skills_page (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *skills;
  JsonNode *next;

  page = mcp_client_request_finish (MCP_CLIENT (source), result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  skills = json_object_get_member (page, "skills");
  if (skills == NULL || !JSON_NODE_HOLDS_ARRAY (skills))
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "Expected the result of skills/list to have a “skills” array, "
                               "got %s", skills != NULL ? json_node_type_name (skills)
                                                        : "none");
      return;
    }
  {
    JsonArray *array = json_node_get_array (skills);

    for (guint i = 0; i < json_array_get_length (array); i++)
      json_array_add_element (data->skills,
                              json_node_copy (json_array_get_element (array, i)));
  }

  next = json_object_get_member (page, "nextCursor");
  if (next == NULL || JSON_NODE_HOLDS_NULL (next) ||
      (JSON_NODE_HOLDS_VALUE (next) && json_node_get_value_type (next) == G_TYPE_STRING &&
       json_node_get_string (next)[0] == '\0'))
    {
      g_task_return_pointer (task, json_array_ref (data->skills),
                             (GDestroyNotify) json_array_unref);
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (next) || json_node_get_value_type (next) != G_TYPE_STRING)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "Expected skills/list's “nextCursor” to be a string, got %s",
                               json_node_type_name (next));
      return;
    }
  if (g_strcmp0 (json_node_get_string (next), data->cursor) == 0 ||
      ++data->pages >= MAX_SKILL_PAGES)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "skills/list keeps returning more pages (cursor “%s” after %u "
                               "pages)", json_node_get_string (next), data->pages);
      return;
    }

  g_free (data->cursor);
  data->cursor = g_strdup (json_node_get_string (next));
  list_next_page (g_steal_pointer (&task));
}

static void
list_next_page (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();

  if (data->cursor != NULL)
    json_object_set_string_member (params, "cursor", data->cursor);
  mcp_client_request_async (self, "skills/list", params, NULL, g_task_get_cancellable (task),
                            on_skills_page, task);
}

void
mcp_client_list_skills_async (McpClient           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ListData *data;

  g_return_if_fail (MCP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_list_skills_async);
  if (!check_supported (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (ListData, 1);
  data->skills = json_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  list_next_page (g_steal_pointer (&task));
}

JsonArray *
mcp_client_list_skills_finish (McpClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, mcp_client_list_skills_async, error);
}

/* skills/get */

static void
on_skill_got (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *uri = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *skill;
  const char *echoed;

  reply = mcp_client_request_finish (MCP_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  skill = json_object_get_member (reply, "skill");
  if (skill == NULL || !JSON_NODE_HOLDS_OBJECT (skill))
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "Expected the result of skills/get to have a “skill” object, "
                               "got %s", skill != NULL ? json_node_type_name (skill) : "none");
      return;
    }
  echoed = json_object_get_string_member_with_default (json_node_get_object (skill), "uri",
                                                       NULL);
  if (g_strcmp0 (echoed, uri) != 0)
    {
      g_task_return_new_error (task, MCP_CLIENT_ERROR, MCP_CLIENT_ERROR_PROTOCOL,
                               "Expected skills/get to answer with the skill %s, got %s", uri,
                               echoed != NULL ? echoed : "one without a uri");
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (skill)),
                         (GDestroyNotify) json_object_unref);
}

static void
get_skill (McpClient  *self,
           const char *uri,
           GTask      *task)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_task_set_task_data (task, g_strdup (uri), g_free);
  json_object_set_string_member (params, "uri", uri);
  mcp_client_request_async (self, "skills/get", params, NULL, g_task_get_cancellable (task),
                            on_skill_got, task);
}

void
mcp_client_get_skill_async (McpClient           *self,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_get_skill_async);
  if (!check_supported (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  get_skill (self, uri, g_steal_pointer (&task));
}

JsonObject *
mcp_client_get_skill_finish (McpClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, mcp_client_get_skill_async, error);
}

/* Finding a skill by URI or name */

static void
on_found_by_get (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *uri = g_task_get_task_data (task);
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = mcp_client_get_skill_finish (MCP_CLIENT (source), result, &error);
  if (entry != NULL)
    g_task_return_pointer (task, g_steal_pointer (&entry), (GDestroyNotify) json_object_unref);
  else if (mcp_client_error_is_remote (error) && error->code == -32602)
    /* Invalid params is how a server says it serves no such skill. */
    g_task_return_new_error (task, MCP_SKILL_ERROR, MCP_SKILL_ERROR_NOT_FOUND,
                             "The server serves no skill %s (neither skills/list nor skills/get "
                             "know it: %s)", uri, error->message);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_listed_for_find (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  McpClient *self = MCP_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  const char *wanted = g_task_get_task_data (task);
  g_autoptr(JsonArray) skills = NULL;
  g_autoptr(GError) error = NULL;
  gboolean by_uri = strstr (wanted, "://") != NULL;
  JsonObject *found = NULL;
  guint matches = 0;

  skills = mcp_client_list_skills_finish (self, result, &error);
  if (skills == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < json_array_get_length (skills); i++)
    {
      JsonNode *node = json_array_get_element (skills, i);
      JsonObject *entry;
      JsonNode *frontmatter;
      const char *value = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      frontmatter = json_object_get_member (entry, "frontmatter");
      if (by_uri)
        value = json_object_get_string_member_with_default (entry, "uri", NULL);
      else if (frontmatter != NULL && JSON_NODE_HOLDS_OBJECT (frontmatter))
        value = json_object_get_string_member_with_default (json_node_get_object (frontmatter),
                                                            "name", NULL);
      if (g_strcmp0 (value, wanted) == 0)
        {
          found = entry;
          matches++;
        }
    }

  if (matches == 1 || (by_uri && matches > 1))
    {
      g_task_return_pointer (task, json_object_ref (found), (GDestroyNotify) json_object_unref);
      return;
    }
  if (matches > 1)
    {
      g_task_return_new_error (task, MCP_SKILL_ERROR, MCP_SKILL_ERROR_AMBIGUOUS,
                               "%u skills are named “%s”: give the URI of the one to load",
                               matches, wanted);
      return;
    }
  if (!by_uri)
    {
      g_task_return_new_error (task, MCP_SKILL_ERROR, MCP_SKILL_ERROR_NOT_FOUND,
                               "Expected a skill named “%s” in skills/list, got %u skills, none "
                               "of that name", wanted, json_array_get_length (skills));
      return;
    }
  /* A listing may leave skills out; skills/get knows every skill the server serves. */
  mcp_client_get_skill_async (self, wanted, g_task_get_cancellable (task), on_found_by_get,
                              g_steal_pointer (&task));
}

void
mcp_client_find_skill_async (McpClient           *self,
                             const char          *uri_or_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (uri_or_name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_find_skill_async);
  g_task_set_task_data (task, g_strdup (uri_or_name), g_free);
  mcp_client_list_skills_async (self, cancellable, on_listed_for_find, task);
}

JsonObject *
mcp_client_find_skill_finish (McpClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, mcp_client_find_skill_async, error);
}

/* Loading a skill */

typedef struct
{
  JsonObject *entry;
  char       *uri;        /* of SKILL.md */
  GPtrArray  *resources;  /* JsonObject {uri, digest, size} in reading order; empty: dynamic */
  guint       next;
  JsonArray  *files;      /* verified so far */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->entry, json_object_unref);
  g_free (data->uri);
  g_clear_pointer (&data->resources, g_ptr_array_unref);
  g_clear_pointer (&data->files, json_array_unref);
  g_free (data);
}

static void load_next_file (GTask *task);

static void
on_skill_file_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean dynamic = data->resources->len == 0;
  const char *uri = dynamic ? data->uri
                            : json_object_get_string_member (data->resources->pdata[data->next],
                                                             "uri");

  reply = mcp_client_read_resource_finish (MCP_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      g_prefix_error (&error, "%s: ", uri);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (dynamic)
    file = mcp_skill_file_from_read_result (uri, reply, &bytes, &error);
  else
    file = mcp_skill_verify_file (data->resources->pdata[data->next], reply, &bytes, &error);
  if (file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_str_equal (uri, data->uri))
    {
      gsize length = 0;
      const char *text = g_bytes_get_data (bytes, &length);

      if (!mcp_skill_verify_frontmatter (json_object_get_object_member (data->entry,
                                                                        "frontmatter"),
                                         text != NULL ? text : "", (gssize) length, uri,
                                         &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  json_array_add_object_element (data->files, g_steal_pointer (&file));
  data->next++;
  load_next_file (g_steal_pointer (&task));
}

static void
load_next_file (GTask *task)
{
  McpClient *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  gboolean dynamic = data->resources->len == 0;
  guint total = dynamic ? 1 : data->resources->len;
  JsonObject *loaded;

  if (data->next < total)
    {
      const char *uri = dynamic
                        ? data->uri
                        : json_object_get_string_member (data->resources->pdata[data->next],
                                                         "uri");

      mcp_client_read_resource_async (self, uri, g_task_get_cancellable (task),
                                      on_skill_file_read, task);
      return;
    }

  loaded = json_object_new ();
  json_object_set_string_member (loaded, "uri", data->uri);
  json_object_set_object_member (loaded, "frontmatter",
                                 json_object_ref (json_object_get_object_member (data->entry,
                                                                                 "frontmatter")));
  json_object_set_array_member (loaded, "files", json_array_ref (data->files));
  g_task_return_pointer (task, loaded, (GDestroyNotify) json_object_unref);
  g_object_unref (task);
}

void
mcp_client_load_skill_async (McpClient           *self,
                             JsonObject          *entry,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *resources;
  LoadData *data;

  g_return_if_fail (MCP_IS_CLIENT (self));
  g_return_if_fail (entry != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_client_load_skill_async);
  if (!check_supported (self, &error) || !mcp_skill_entry_validate (entry, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LoadData, 1);
  data->entry = json_object_ref (entry);
  data->uri = g_strdup (json_object_get_string_member (entry, "uri"));
  data->resources = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  data->files = json_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* SKILL.md first: when it fails, no other file of the skill is asked for. */
  resources = json_object_get_member (entry, "resources");
  if (JSON_NODE_HOLDS_ARRAY (resources))
    {
      JsonArray *array = json_node_get_array (resources);

      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonObject *resource = json_array_get_object_element (array, i);
            gboolean is_skill_md = g_str_equal (json_object_get_string_member (resource, "uri"),
                                                data->uri);

            if (is_skill_md == (pass == 0))
              g_ptr_array_add (data->resources, json_object_ref (resource));
          }
    }
  load_next_file (g_steal_pointer (&task));
}

JsonObject *
mcp_client_load_skill_finish (McpClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, mcp_client_load_skill_async, error);
}
