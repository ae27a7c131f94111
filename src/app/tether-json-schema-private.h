/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-json-schema.h"

G_BEGIN_DECLS

/* Shared by tether-json-schema.c (resolution and analysis) and tether-json-schema-validate.c. */
struct _TetherJsonSchema
{
  GObject               parent_instance;

  /* The whole schema document, for $ref; shared by every node made from it. */
  JsonNode             *document;

  /* Objects whose annotations (title, description, default) apply, outermost first: the
   * property's own object, then what its $ref, allOf or nullable anyOf led to. */
  GPtrArray            *layers;
  /* The object whose validation keywords apply; NULL for the boolean schemas. */
  JsonObject           *target;
  /* Objects built here (merged allOf, one variant per listed type), kept alive. */
  GPtrArray            *synthetic;

  TetherJsonSchemaKind  kind;
  guint                 nullable : 1;
  guint                 is_false : 1;
  guint                 one_of : 1;
  char                 *unsupported_reason;

  /* KIND_VARIANTS: the branch schemas (JsonNode), made into nodes on first use. */
  GPtrArray            *variant_nodes;
  GPtrArray            *variants;
  /* anyOf/oneOf that only constrains (no shapes), checked by the validator. */
  GPtrArray            *constraint_nodes;
  GPtrArray            *constraints;

  /* KIND_ENUM */
  GPtrArray            *choices;
  GPtrArray            *choice_titles;
  /* KIND_CONST */
  JsonNode             *const_value;

  /* KIND_OBJECT, filled on first use */
  char                **property_names;
  GHashTable           *properties;
  /* KIND_ARRAY, made on first use */
  TetherJsonSchema     *items;
  /* KIND_OBJECT: the schema of members beyond "properties", made on first use */
  TetherJsonSchema     *additional;
};

/* A chain of $ref/allOf longer than this is treated as circular. */
#define MAX_RESOLUTION_STEPS 64

/* tether-json-schema.c */
TetherJsonSchema *tether_json_schema_new_child        (TetherJsonSchema  *parent,
                                                       JsonNode          *node);
JsonNode         *tether_json_schema_lookup_keyword   (TetherJsonSchema  *self,
                                                       const char        *keyword);

/* tether-json-schema-resolve.c */
JsonNode         *tether_json_schema_follow_references (TetherJsonSchema  *self,
                                                        JsonNode          *node,
                                                        GPtrArray         *layers,
                                                        char             **reason);
JsonNode         *tether_json_schema_merge_all_of     (TetherJsonSchema  *self,
                                                       JsonObject        *outer,
                                                       JsonArray         *all_of,
                                                       char             **reason);

/* tether-json-schema-analyze.c */
void              tether_json_schema_analyze          (TetherJsonSchema  *self,
                                                       JsonNode          *node);

/* tether-json-schema-alternatives.c */
TetherJsonSchema *tether_json_schema_get_constraint   (TetherJsonSchema  *self,
                                                       guint              index);

/* Accessors that tolerate any shape of input: a schema comes from a server. */

static inline JsonNode *
object_member (JsonObject *object,
               const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

static inline const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static inline JsonArray *
node_array (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  return NULL;
}

static inline JsonObject *
node_object (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  return NULL;
}

static inline gboolean
node_is_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static inline gboolean
node_number (JsonNode *node,
             double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

/* Children made on first use leave NULL slots until then. */
static inline void
tether_json_schema_unref_if_made (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

G_END_DECLS
