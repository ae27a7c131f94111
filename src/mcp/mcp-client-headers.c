/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-client-private.h"
#include "mcp-http-transport.h"

/*
 * x-mcp-header (2026-07-28, Streamable HTTP): a tool's inputSchema may mark parameters whose
 * values the client mirrors into Mcp-Param-{Name} headers. A tool whose annotations break
 * the rules is left out of tools/list, so one bad definition does not spoil the others.
 */

typedef struct
{
  GPtrArray *paths;   /* char ** (property path, NULL-terminated), one per header */
  GPtrArray *names;   /* char *, the header name part */
  char      *reason;  /* why the tool is invalid, or NULL */
} HeaderScan;

gboolean
mcp_client_wants_param_headers (McpClient *self)
{
  return self->active_era == MCP_ERA_MODERN && MCP_IS_HTTP_TRANSPORT (self->transport);
}

/* RFC 9110 tchar */
static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        continue;
      if (strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
type_allows_header (JsonObject *schema)
{
  const char *type = json_object_get_string_member_with_default (schema, "type", NULL);

  /* number is excluded: its text form is not exact across implementations. */
  return type != NULL &&
         (g_str_equal (type, "string") || g_str_equal (type, "integer") ||
          g_str_equal (type, "boolean"));
}

static void
scan_set_reason (HeaderScan *scan,
                 char       *reason)
{
  if (scan->reason == NULL)
    scan->reason = reason;
  else
    g_free (reason);
}

static void scan_node (HeaderScan *scan,
                       JsonNode   *node,
                       GPtrArray  *path,
                       gboolean    reachable,
                       guint       depth);

static void
scan_schema (HeaderScan *scan,
             JsonObject *schema,
             GPtrArray  *path,
             gboolean    reachable,
             guint       depth)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (depth > 64)
    {
      scan_set_reason (scan, g_strdup ("the inputSchema is nested too deeply"));
      return;
    }

  node = json_object_get_member (schema, "x-mcp-header");
  if (node != NULL)
    {
      const char *name = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        name = json_node_get_string (node);

      if (!reachable || path->len == 0)
        scan_set_reason (scan, g_strdup ("x-mcp-header on a schema that is not a property "
                                         "reached through “properties” alone"));
      else if (name == NULL || !is_token (name))
        scan_set_reason (scan, g_strdup_printf ("x-mcp-header “%s” is not a valid header "
                                                "name part", name != NULL ? name : "?"));
      else if (!type_allows_header (schema))
        scan_set_reason (scan, g_strdup_printf ("x-mcp-header “%s” is on a parameter whose "
                                                "type is not string, integer or boolean",
                                                name));
      else
        {
          for (guint i = 0; i < scan->names->len; i++)
            if (g_ascii_strcasecmp (g_ptr_array_index (scan->names, i), name) == 0)
              {
                scan_set_reason (scan, g_strdup_printf ("x-mcp-header “%s” is used twice",
                                                        name));
                return;
              }
          g_ptr_array_add (scan->names, g_strdup (name));
          {
            GStrvBuilder *builder = g_strv_builder_new ();

            for (guint i = 0; i < path->len; i++)
              g_strv_builder_add (builder, g_ptr_array_index (path, i));
            g_ptr_array_add (scan->paths, g_strv_builder_end (builder));
            g_strv_builder_unref (builder);
          }
        }
    }

  json_object_iter_init (&iter, schema);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_str_equal (member, "x-mcp-header"))
        continue;
      if (g_str_equal (member, "properties") && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter props;
          const char *property;
          JsonNode *child;

          json_object_iter_init (&props, json_node_get_object (node));
          while (json_object_iter_next (&props, &property, &child))
            {
              g_ptr_array_add (path, (gpointer) property);
              scan_node (scan, child, path, reachable, depth + 1);
              g_ptr_array_remove_index (path, path->len - 1);
            }
        }
      else
        scan_node (scan, node, path, FALSE, depth + 1);
    }
}

static void
scan_node (HeaderScan *scan,
           JsonNode   *node,
           GPtrArray  *path,
           gboolean    reachable,
           guint       depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    scan_schema (scan, json_node_get_object (node), path, reachable, depth);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        scan_node (scan, json_array_get_element (array, i), path, FALSE, depth + 1);
    }
}

static void
header_scan_run (HeaderScan *scan,
                 JsonObject *tool)
{
  JsonNode *schema = json_object_get_member (tool, "inputSchema");
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  scan->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  scan->names = g_ptr_array_new_with_free_func (g_free);
  if (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema))
    scan_schema (scan, json_node_get_object (schema), path, TRUE, 0);
}

static void
header_scan_clear (HeaderScan *scan)
{
  g_clear_pointer (&scan->paths, g_ptr_array_unref);
  g_clear_pointer (&scan->names, g_ptr_array_unref);
  g_clear_pointer (&scan->reason, g_free);
}

gboolean
mcp_client_tool_headers_valid (JsonObject  *tool,
                               char       **reason)
{
  HeaderScan scan = { 0, };
  gboolean valid;

  header_scan_run (&scan, tool);
  valid = scan.reason == NULL;
  if (!valid && reason != NULL)
    *reason = g_steal_pointer (&scan.reason);
  header_scan_clear (&scan);
  return valid;
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);

        /* An integer parameter written as 42.0 */
        if (value == (double) (gint64) value && value > -9007199254740992.0 &&
            value < 9007199254740992.0)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
        return NULL;
      }
    default:
      return NULL;
    }
}

GHashTable *
mcp_client_tool_param_headers (JsonObject *tool,
                               JsonObject *arguments)
{
  HeaderScan scan = { 0, };
  GHashTable *headers = NULL;

  if (tool == NULL || arguments == NULL)
    return NULL;

  header_scan_run (&scan, tool);
  if (scan.reason == NULL)
    for (guint i = 0; i < scan.paths->len; i++)
      {
        char **path = g_ptr_array_index (scan.paths, i);
        JsonObject *object = arguments;
        JsonNode *node = NULL;
        char *text;

        for (guint p = 0; path[p] != NULL && object != NULL; p++)
          {
            node = json_object_get_member (object, path[p]);
            if (path[p + 1] != NULL)
              object = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                       ? json_node_get_object (node) : NULL;
          }
        if (object == NULL || (text = value_text (node)) == NULL)
          continue;

        if (headers == NULL)
          headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert (headers,
                             g_strconcat ("Mcp-Param-",
                                          (char *) g_ptr_array_index (scan.names, i), NULL),
                             text);
      }
  header_scan_clear (&scan);
  return headers;
}
