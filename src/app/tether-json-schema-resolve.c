/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a TetherJsonSchema's keywords come from: $ref (JSON Pointer into the document,
 * anchors, the document's own $id), one-element allOf, and allOf of several object parts
 * merged into one object. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-json-schema-private.h"

#define MAX_ANCHOR_SEARCH_DEPTH 64

/* JSON Pointer (RFC 6901) reference tokens escape "/" as "~1" and "~" as "~0"; a URI fragment
 * may also percent-encode. */
static char *
unescape_pointer_token (const char *token)
{
  g_autofree char *decoded = g_uri_unescape_string (token, NULL);
  GString *out;

  if (decoded == NULL)
    return NULL;

  out = g_string_sized_new (strlen (decoded));
  for (const char *p = decoded; *p != '\0'; p++)
    {
      if (p[0] == '~' && p[1] == '1')
        {
          g_string_append_c (out, '/');
          p++;
        }
      else if (p[0] == '~' && p[1] == '0')
        {
          g_string_append_c (out, '~');
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static JsonNode *
find_anchor (JsonNode   *node,
             const char *anchor,
             guint       depth)
{
  if (depth > MAX_ANCHOR_SEARCH_DEPTH || node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *found = node_string (object_member (object, "$anchor"));
      const char *id = node_string (object_member (object, "$id"));
      g_autoptr(GList) members = NULL;

      if (g_strcmp0 (found, anchor) == 0 ||
          (id != NULL && id[0] == '#' && strcmp (id + 1, anchor) == 0))
        return node;

      /* Values of "enum", "const", "default" and "examples" are data, not schemas. */
      members = json_object_get_members (object);
      for (const GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *hit;

          if (g_str_equal (name, "enum") || g_str_equal (name, "const") ||
              g_str_equal (name, "default") || g_str_equal (name, "examples"))
            continue;
          hit = find_anchor (json_object_get_member (object, name), anchor, depth + 1);
          if (hit != NULL)
            return hit;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *hit = find_anchor (json_array_get_element (array, i), anchor, depth + 1);

          if (hit != NULL)
            return hit;
        }
    }
  return NULL;
}

static JsonNode *
resolve_reference (JsonNode    *document,
                   const char  *ref,
                   char       **reason)
{
  const char *fragment = ref;
  g_auto(GStrv) tokens = NULL;
  JsonNode *node = document;

  if (ref[0] != '#')
    {
      /* "<$id of this document>#/..." is still local. */
      const char *id = node_string (object_member (node_object (document), "$id"));
      gsize id_len = id != NULL ? strlen (id) : 0;

      if (id == NULL || id_len == 0 || strncmp (ref, id, id_len) != 0 || ref[id_len] != '#')
        {
          *reason = g_strdup_printf (_("The reference “%s” points outside this schema"), ref);
          return NULL;
        }
      fragment = ref + id_len;
    }

  fragment++;
  if (*fragment == '\0')
    return document;

  if (*fragment != '/')
    {
      JsonNode *anchored = find_anchor (document, fragment, 0);

      if (anchored == NULL)
        *reason = g_strdup_printf (_("The reference “%s” names no anchor in this schema"), ref);
      return anchored;
    }

  tokens = g_strsplit (fragment + 1, "/", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *token = unescape_pointer_token (tokens[i]);
      JsonNode *next = NULL;

      if (token != NULL && JSON_NODE_HOLDS_OBJECT (node))
        next = json_object_get_member (json_node_get_object (node), token);
      else if (token != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index = 0;

          if (g_ascii_string_to_unsigned (token, 10, 0, G_MAXUINT, &index, NULL) &&
              index < json_array_get_length (array))
            next = json_array_get_element (array, index);
        }

      if (next == NULL)
        {
          *reason = g_strdup_printf (_("The reference “%s” points to nothing in this schema"),
                                     ref);
          return NULL;
        }
      node = next;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node) && !node_is_boolean (node))
    {
      *reason = g_strdup_printf (
        _("The reference “%s” points to something that is not a schema"), ref);
      return NULL;
    }
  return node;
}

/* Follows $ref and one-element allOf until a schema with its own keywords is reached. The
 * objects passed through are appended to @layers (when given): their annotations apply. */
JsonNode *
tether_json_schema_follow_references (TetherJsonSchema  *self,
                                      JsonNode          *node,
                                      GPtrArray         *layers,
                                      char             **reason)
{
  for (guint step = 0; step < MAX_RESOLUTION_STEPS; step++)
    {
      JsonObject *object;
      JsonNode *ref_node;
      JsonArray *all_of;

      if (node_is_boolean (node))
        return node;
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          *reason = g_strdup (_("A schema that is not an object"));
          return NULL;
        }

      object = json_node_get_object (node);
      if (layers != NULL)
        g_ptr_array_add (layers, json_object_ref (object));

      ref_node = object_member (object, "$ref");
      if (ref_node != NULL)
        {
          const char *ref = node_string (ref_node);

          if (ref == NULL)
            {
              *reason = g_strdup (_("A “$ref” that is not a string"));
              return NULL;
            }
          node = resolve_reference (self->document, ref, reason);
          if (node == NULL)
            return NULL;
          continue;
        }

      all_of = node_array (object_member (object, "allOf"));
      if (all_of != NULL && json_array_get_length (all_of) == 1 &&
          !json_object_has_member (object, "properties"))
        {
          node = json_array_get_element (all_of, 0);
          continue;
        }

      return node;
    }

  *reason = g_strdup (_("A circular reference"));
  return NULL;
}

static const char * const object_only_keywords[] = {
  "type", "properties", "required", "title", "description", "additionalProperties",
  "$defs", "definitions", "$schema", "$id", "$comment", "examples", "default",
};

static gboolean
is_object_only_keyword (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (object_only_keywords); i++)
    if (g_str_equal (name, object_only_keywords[i]))
      return TRUE;
  return FALSE;
}

static void
merge_object_part (JsonObject *properties,
                   JsonArray  *required,
                   GHashTable *required_seen,
                   JsonObject *part)
{
  JsonObject *part_properties = node_object (object_member (part, "properties"));
  JsonArray *part_required = node_array (object_member (part, "required"));

  if (part_properties != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (part_properties);

      for (const GList *l = names; l != NULL; l = l->next)
        if (!json_object_has_member (properties, l->data))
          json_object_set_member (properties, l->data,
                                  json_node_copy (json_object_get_member (part_properties,
                                                                          l->data)));
    }

  for (guint i = 0; part_required != NULL && i < json_array_get_length (part_required); i++)
    {
      const char *name = node_string (json_array_get_element (part_required, i));

      if (name != NULL && !g_hash_table_contains (required_seen, name))
        {
          g_hash_table_add (required_seen, g_strdup (name));
          json_array_add_string_element (required, name);
        }
    }
}

/* allOf with several object schemas (a common way to extend a base type) becomes one object
 * schema with the union of properties and required names. Anything else is not merged. */
JsonNode *
tether_json_schema_merge_all_of (TetherJsonSchema  *self,
                                 JsonObject        *outer,
                                 JsonArray         *all_of,
                                 char             **reason)
{
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(JsonObject) properties = json_object_new ();
  g_autoptr(JsonArray) required = json_array_new ();
  g_autoptr(GHashTable) required_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  g_autoptr(GList) outer_members = json_object_get_members (outer);
  JsonNode *node;

  for (const GList *l = outer_members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "allOf") || g_str_equal (name, "properties") ||
          g_str_equal (name, "required") || g_str_equal (name, "additionalProperties"))
        continue;
      json_object_set_member (merged, name, json_node_copy (json_object_get_member (outer, name)));
    }
  merge_object_part (properties, required, required_seen, outer);

  for (guint i = 0; i < json_array_get_length (all_of); i++)
    {
      JsonNode *part_node = json_array_get_element (all_of, i);

      part_node = tether_json_schema_follow_references (self, part_node, NULL, reason);
      JsonObject *part;
      g_autoptr(GList) part_members = NULL;
      const char *type;

      if (part_node == NULL)
        return NULL;
      if (node_is_boolean (part_node))
        {
          if (json_node_get_boolean (part_node))
            continue;
          *reason = g_strdup (_("An “allOf” that allows no value"));
          return NULL;
        }

      part = json_node_get_object (part_node);
      type = node_string (object_member (part, "type"));
      part_members = json_object_get_members (part);
      for (const GList *l = part_members; l != NULL; l = l->next)
        if (!is_object_only_keyword (l->data))
          {
            *reason = g_strdup_printf (_("An “allOf” whose parts use “%s”"),
                                       (const char *) l->data);
            return NULL;
          }
      if (object_member (part, "type") != NULL && g_strcmp0 (type, "object") != 0)
        {
          *reason = g_strdup (_("An “allOf” of parts that are not objects"));
          return NULL;
        }
      merge_object_part (properties, required, required_seen, part);
    }

  if (!json_object_has_member (merged, "type"))
    json_object_set_string_member (merged, "type", "object");
  json_object_set_object_member (merged, "properties", g_steal_pointer (&properties));
  json_object_set_array_member (merged, "required", g_steal_pointer (&required));

  node = json_node_init_object (json_node_alloc (), merged);
  g_ptr_array_add (self->synthetic, node);
  return node;
}
