/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What kind of field a schema node is: const, enum, anyOf/oneOf (folded into a nullable
 * flag, an enum of titled constants, or variants), a type or a type list, or a kind guessed
 * from the keywords present. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-json-schema-private.h"

typedef enum
{
  BRANCH_SHAPE,
  BRANCH_CONSTRAINT,
  BRANCH_CONST,
  BRANCH_NULL,
} BranchKind;

static const char * const shape_keywords[] = {
  "type", "properties", "items", "prefixItems", "enum", "const", "anyOf", "oneOf", "allOf",
  "additionalProperties",
};

static gboolean
is_null_type (JsonNode *type)
{
  JsonArray *types = node_array (type);

  if (g_strcmp0 (node_string (type), "null") == 0)
    return TRUE;
  return types != NULL && json_array_get_length (types) == 1 &&
         g_strcmp0 (node_string (json_array_get_element (types, 0)), "null") == 0;
}

static BranchKind
classify_branch (TetherJsonSchema  *self,
                 JsonNode          *branch,
                 JsonNode         **const_value,
                 char             **title)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *reason = NULL;
  JsonNode *resolved = tether_json_schema_follow_references (self, branch, layers, &reason);
  JsonObject *object;
  JsonArray *one_value;
  JsonNode *value = NULL;

  if (resolved == NULL || node_is_boolean (resolved))
    return BRANCH_SHAPE;

  object = json_node_get_object (resolved);
  one_value = node_array (object_member (object, "enum"));
  if (json_object_has_member (object, "const"))
    value = json_object_get_member (object, "const");
  else if (one_value != NULL && json_array_get_length (one_value) == 1)
    value = json_array_get_element (one_value, 0);

  if ((value != NULL && JSON_NODE_HOLDS_NULL (value)) ||
      (value == NULL && is_null_type (object_member (object, "type"))))
    return BRANCH_NULL;

  if (value != NULL)
    {
      *const_value = value;
      for (guint i = 0; i < layers->len; i++)
        {
          const char *found = node_string (object_member (g_ptr_array_index (layers, i), "title"));

          if (found != NULL)
            {
              *title = g_strdup (found);
              break;
            }
        }
      return BRANCH_CONST;
    }

  for (guint i = 0; i < G_N_ELEMENTS (shape_keywords); i++)
    if (json_object_has_member (object, shape_keywords[i]))
      return BRANCH_SHAPE;
  return BRANCH_CONSTRAINT;
}

static gboolean
kind_for_type_name (const char           *name,
                    TetherJsonSchemaKind *kind)
{
  static const struct { const char *name; TetherJsonSchemaKind kind; } types[] = {
    { "string", TETHER_JSON_SCHEMA_KIND_STRING },
    { "number", TETHER_JSON_SCHEMA_KIND_NUMBER },
    { "integer", TETHER_JSON_SCHEMA_KIND_INTEGER },
    { "boolean", TETHER_JSON_SCHEMA_KIND_BOOLEAN },
    { "object", TETHER_JSON_SCHEMA_KIND_OBJECT },
    { "array", TETHER_JSON_SCHEMA_KIND_ARRAY },
    { "null", TETHER_JSON_SCHEMA_KIND_NULL },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (name, types[i].name))
      {
        *kind = types[i].kind;
        return TRUE;
      }
  return FALSE;
}

static void
set_unsupported (TetherJsonSchema *self,
                 char             *reason)
{
  self->kind = TETHER_JSON_SCHEMA_KIND_UNSUPPORTED;
  g_free (self->unsupported_reason);
  self->unsupported_reason = reason;
}

static void
set_target (TetherJsonSchema *self,
            JsonObject       *object)
{
  g_clear_pointer (&self->target, json_object_unref);
  self->target = json_object_ref (object);
}

/* "type": ["string", "number", "null"]: nullable, and one variant per remaining type. */
static void
analyze_type_list (TetherJsonSchema *self,
                   JsonObject       *object,
                   JsonArray        *types)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean has_number = FALSE;

  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      const char *name = node_string (json_array_get_element (types, i));
      TetherJsonSchemaKind kind;

      if (!kind_for_type_name (name, &kind))
        {
          set_unsupported (self, g_strdup_printf (_("The unknown type “%s”"),
                                                  name != NULL ? name : "?"));
          return;
        }
      if (kind == TETHER_JSON_SCHEMA_KIND_NULL)
        self->nullable = TRUE;
      else if (kind == TETHER_JSON_SCHEMA_KIND_NUMBER)
        has_number = TRUE;
      if (kind != TETHER_JSON_SCHEMA_KIND_NULL)
        g_ptr_array_add (names, (gpointer) name);
    }

  /* Every integer is a number, so "integer" beside "number" adds nothing. */
  if (has_number)
    for (guint i = names->len; i > 0; i--)
      if (g_str_equal (g_ptr_array_index (names, i - 1), "integer"))
        g_ptr_array_remove_index (names, i - 1);

  if (names->len == 0)
    {
      self->kind = TETHER_JSON_SCHEMA_KIND_NULL;
      return;
    }
  if (names->len == 1)
    {
      kind_for_type_name (g_ptr_array_index (names, 0), &self->kind);
      return;
    }

  self->kind = TETHER_JSON_SCHEMA_KIND_VARIANTS;
  self->variant_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(JsonObject) single = json_object_new ();

      for (const GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "type") && !g_str_equal (l->data, "title") &&
            !g_str_equal (l->data, "description") && !g_str_equal (l->data, "default"))
          json_object_set_member (single, l->data,
                                  json_node_copy (json_object_get_member (object, l->data)));
      json_object_set_string_member (single, "type", g_ptr_array_index (names, i));
      g_ptr_array_add (self->variant_nodes, json_node_init_object (json_node_alloc (), single));
    }
}

static void
analyze_shape (TetherJsonSchema *self,
               JsonObject       *object)
{
  static const char * const object_hints[] = { "properties", "required", "additionalProperties",
                                               "patternProperties", "minProperties",
                                               "maxProperties" };
  static const char * const array_hints[] = { "items", "prefixItems", "minItems", "maxItems",
                                              "uniqueItems", "contains" };
  static const char * const string_hints[] = { "minLength", "maxLength", "pattern", "format" };
  static const char * const number_hints[] = { "minimum", "maximum", "exclusiveMinimum",
                                               "exclusiveMaximum", "multipleOf" };
  JsonNode *type = object_member (object, "type");

  if (type != NULL)
    {
      JsonArray *types = node_array (type);

      if (types != NULL)
        analyze_type_list (self, object, types);
      else if (!kind_for_type_name (node_string (type), &self->kind))
        set_unsupported (self, g_strdup_printf (_("The unknown type “%s”"),
                                                node_string (type) ? node_string (type) : "?"));
    }
  else
    {
      self->kind = TETHER_JSON_SCHEMA_KIND_ANY;
      for (guint i = 0; i < G_N_ELEMENTS (object_hints); i++)
        if (json_object_has_member (object, object_hints[i]))
          self->kind = TETHER_JSON_SCHEMA_KIND_OBJECT;
      for (guint i = 0; i < G_N_ELEMENTS (array_hints); i++)
        if (json_object_has_member (object, array_hints[i]))
          self->kind = TETHER_JSON_SCHEMA_KIND_ARRAY;
      for (guint i = 0; i < G_N_ELEMENTS (string_hints); i++)
        if (json_object_has_member (object, string_hints[i]))
          self->kind = TETHER_JSON_SCHEMA_KIND_STRING;
      for (guint i = 0; i < G_N_ELEMENTS (number_hints); i++)
        if (json_object_has_member (object, number_hints[i]))
          self->kind = TETHER_JSON_SCHEMA_KIND_NUMBER;
    }

  if (self->kind == TETHER_JSON_SCHEMA_KIND_ARRAY &&
      (json_object_has_member (object, "prefixItems") ||
       node_array (object_member (object, "items")) != NULL))
    set_unsupported (self, g_strdup (_("A list with a fixed shape per position")));
}

static void
analyze_enum (TetherJsonSchema *self,
              JsonObject       *object,
              JsonArray        *values)
{
  JsonArray *names = node_array (object_member (object, "enumNames"));

  if (names != NULL && json_array_get_length (names) != json_array_get_length (values))
    names = NULL;

  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->choice_titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *value = json_array_get_element (values, i);

      if (JSON_NODE_HOLDS_NULL (value))
        {
          self->nullable = TRUE;
          continue;
        }
      g_ptr_array_add (self->choices, json_node_copy (value));
      g_ptr_array_add (self->choice_titles,
                       g_strdup (names ? node_string (json_array_get_element (names, i)) : NULL));
    }
  self->kind = self->choices->len > 0 ? TETHER_JSON_SCHEMA_KIND_ENUM : TETHER_JSON_SCHEMA_KIND_NULL;
}

/* anyOf/oneOf: returns the one branch left to analyze when everything else was null, or NULL
 * when this node has been classified. */
static JsonNode *
analyze_alternatives (TetherJsonSchema *self,
                      JsonObject       *object,
                      JsonArray        *branches,
                      gboolean          one_of)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new ();
  g_autoptr(GPtrArray) consts = g_ptr_array_new ();
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint n_constraints = 0;
  guint n = json_array_get_length (branches);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *branch = json_array_get_element (branches, i);
      JsonNode *value = NULL;
      char *title = NULL;

      switch (classify_branch (self, branch, &value, &title))
        {
        case BRANCH_NULL:
          self->nullable = TRUE;
          break;
        case BRANCH_CONST:
          g_ptr_array_add (consts, value);
          g_ptr_array_add (titles, title);
          g_ptr_array_add (shapes, branch);
          break;
        case BRANCH_CONSTRAINT:
          n_constraints++;
          g_ptr_array_add (shapes, branch);
          break;
        case BRANCH_SHAPE:
        default:
          g_ptr_array_add (shapes, branch);
          break;
        }
    }

  /* {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]} only narrows
   * the type: keep it for validation and look at the rest of the object. */
  if (n_constraints == n && n > 0 &&
      (json_object_has_member (object, "type") || json_object_has_member (object, "properties")))
    {
      self->constraint_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      self->constraints = g_ptr_array_new_with_free_func (tether_json_schema_unref_if_made);
      for (guint i = 0; i < n; i++)
        {
          g_ptr_array_add (self->constraint_nodes,
                           json_node_ref (json_array_get_element (branches, i)));
          g_ptr_array_add (self->constraints, NULL);
        }
      self->one_of = one_of;
      analyze_shape (self, object);
      return NULL;
    }

  if (shapes->len == 0)
    {
      self->kind = TETHER_JSON_SCHEMA_KIND_NULL;
      return NULL;
    }

  if (consts->len == shapes->len)
    {
      self->kind = TETHER_JSON_SCHEMA_KIND_ENUM;
      self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      self->choice_titles = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < consts->len; i++)
        {
          g_ptr_array_add (self->choices, json_node_copy (g_ptr_array_index (consts, i)));
          g_ptr_array_add (self->choice_titles, g_strdup (g_ptr_array_index (titles, i)));
        }
      return NULL;
    }

  if (shapes->len == 1)
    return g_ptr_array_index (shapes, 0);

  self->kind = TETHER_JSON_SCHEMA_KIND_VARIANTS;
  self->one_of = one_of;
  self->variant_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < shapes->len; i++)
    g_ptr_array_add (self->variant_nodes, json_node_ref (g_ptr_array_index (shapes, i)));
  return NULL;
}

void
tether_json_schema_analyze (TetherJsonSchema *self,
                            JsonNode         *node)
{
  for (guint step = 0; step < MAX_RESOLUTION_STEPS; step++)
    {
      g_autofree char *reason = NULL;
      JsonObject *object;
      JsonArray *all_of;
      JsonArray *values;
      JsonArray *any_of;
      JsonArray *one_of;

      node = tether_json_schema_follow_references (self, node, self->layers, &reason);
      if (node == NULL)
        {
          set_unsupported (self, g_steal_pointer (&reason));
          return;
        }

      if (node_is_boolean (node))
        {
          if (json_node_get_boolean (node))
            self->kind = TETHER_JSON_SCHEMA_KIND_ANY;
          else
            {
              self->is_false = TRUE;
              set_unsupported (self, g_strdup (_("A schema that allows no value")));
            }
          return;
        }

      object = json_node_get_object (node);
      all_of = node_array (object_member (object, "allOf"));
      if (all_of != NULL && json_array_get_length (all_of) > 0)
        {
          node = tether_json_schema_merge_all_of (self, object, all_of, &reason);
          if (node == NULL)
            {
              set_target (self, object);
              set_unsupported (self, g_steal_pointer (&reason));
              return;
            }
          continue;
        }

      set_target (self, object);

      if (json_object_has_member (object, "const"))
        {
          self->const_value = json_node_copy (json_object_get_member (object, "const"));
          self->kind = JSON_NODE_HOLDS_NULL (self->const_value) ? TETHER_JSON_SCHEMA_KIND_NULL
                                                                : TETHER_JSON_SCHEMA_KIND_CONST;
          return;
        }

      values = node_array (object_member (object, "enum"));
      if (values != NULL)
        {
          analyze_enum (self, object, values);
          return;
        }

      any_of = node_array (object_member (object, "anyOf"));
      one_of = node_array (object_member (object, "oneOf"));
      if (any_of != NULL && one_of != NULL)
        {
          set_unsupported (self, g_strdup (_("Both “anyOf” and “oneOf” in one schema")));
          return;
        }
      if (any_of != NULL || one_of != NULL)
        {
          node = analyze_alternatives (self, object, any_of ? any_of : one_of, one_of != NULL);
          if (node == NULL)
            return;
          continue;
        }

      analyze_shape (self, object);
      return;
    }

  set_unsupported (self, g_strdup (_("A circular reference")));
}
