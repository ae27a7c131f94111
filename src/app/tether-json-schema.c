/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A view of one JSON Schema node for building a form: $ref/$defs/definitions resolved, allOf
 * merged, the nullable spellings of type/anyOf/oneOf folded into a flag, and what is left
 * classified into one TetherJsonSchemaKind. Children (properties, items, variants) are made
 * only when asked for, so a recursive schema costs one level per request. Resolution,
 * analysis, alternatives and validation live in the tether-json-schema-*.c files. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-json-schema-private.h"

/* How deep tether_json_schema_build_default() follows required nested objects. */
#define MAX_DEFAULT_DEPTH 8

G_DEFINE_FINAL_TYPE (TetherJsonSchema, tether_json_schema, G_TYPE_OBJECT)
G_DEFINE_QUARK (tether-json-schema-error-quark, tether_json_schema_error)

static void
tether_json_schema_finalize (GObject *object)
{
  TetherJsonSchema *self = TETHER_JSON_SCHEMA (object);

  g_clear_pointer (&self->document, json_node_unref);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->target, json_object_unref);
  g_clear_pointer (&self->synthetic, g_ptr_array_unref);
  g_clear_pointer (&self->unsupported_reason, g_free);
  g_clear_pointer (&self->variant_nodes, g_ptr_array_unref);
  g_clear_pointer (&self->variants, g_ptr_array_unref);
  g_clear_pointer (&self->constraint_nodes, g_ptr_array_unref);
  g_clear_pointer (&self->constraints, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->choice_titles, g_ptr_array_unref);
  g_clear_pointer (&self->const_value, json_node_unref);
  g_clear_pointer (&self->property_names, g_strfreev);
  g_clear_pointer (&self->properties, g_hash_table_unref);
  g_clear_object (&self->items);
  g_clear_object (&self->additional);

  G_OBJECT_CLASS (tether_json_schema_parent_class)->finalize (object);
}

static void
tether_json_schema_class_init (TetherJsonSchemaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tether_json_schema_finalize;
}

static void
tether_json_schema_init (TetherJsonSchema *self)
{
  self->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->synthetic = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

/**
 * tether_json_schema_new:
 * @document: the whole schema (a tool's inputSchema); $ref is resolved within it
 *
 * Returns: (transfer full): the view of the document's root
 */
TetherJsonSchema *
tether_json_schema_new (JsonObject *document)
{
  TetherJsonSchema *self;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (document != NULL, NULL);

  root = json_node_init_object (json_node_alloc (), document);
  self = g_object_new (TETHER_TYPE_JSON_SCHEMA, NULL);
  self->document = json_node_ref (root);
  tether_json_schema_analyze (self, root);
  return self;
}

TetherJsonSchema *
tether_json_schema_new_child (TetherJsonSchema *parent,
                              JsonNode         *node)
{
  TetherJsonSchema *self = g_object_new (TETHER_TYPE_JSON_SCHEMA, NULL);

  self->document = json_node_ref (parent->document);
  tether_json_schema_analyze (self, node);
  return self;
}

TetherJsonSchemaKind
tether_json_schema_get_kind (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), TETHER_JSON_SCHEMA_KIND_UNSUPPORTED);

  return self->kind;
}

/* Whether null is accepted besides the kind's own values. */
gboolean
tether_json_schema_get_nullable (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  return self->nullable;
}

const char *
tether_json_schema_get_unsupported_reason (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return self->unsupported_reason;
}

/* Two nodes with the same identity are the same schema reached by different paths: how a
 * form notices that it is walking around a recursive schema. */
gconstpointer
tether_json_schema_get_identity (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return self->target;
}

/* Annotations: the outermost object that has the keyword wins, so a property's own title
 * overrides the one of the definition its $ref points to. */
JsonNode *
tether_json_schema_lookup_keyword (TetherJsonSchema *self,
                                   const char       *keyword)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      JsonNode *node = object_member (g_ptr_array_index (self->layers, i), keyword);

      if (node != NULL)
        return node;
    }
  return object_member (self->target, keyword);
}

const char *
tether_json_schema_get_title (TetherJsonSchema *self)
{
  const char *title;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  title = node_string (tether_json_schema_lookup_keyword (self, "title"));
  return title != NULL && *title != '\0' ? title : NULL;
}

const char *
tether_json_schema_get_description (TetherJsonSchema *self)
{
  const char *description;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  description = node_string (tether_json_schema_lookup_keyword (self, "description"));
  return description != NULL && *description != '\0' ? description : NULL;
}

/**
 * tether_json_schema_get_default:
 *
 * Returns: (transfer none) (nullable): the "default" value, which may be a null node
 */
JsonNode *
tether_json_schema_get_default (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return tether_json_schema_lookup_keyword (self, "default");
}

/**
 * tether_json_schema_build_default:
 *
 * The value a form starts with: the "default" when there is one, else for an object the
 * defaults of its properties (following required nested objects a few levels down).
 *
 * Returns: (transfer full) (nullable): a new node, or %NULL when nothing has a default
 */
static JsonNode *
build_default (TetherJsonSchema *self,
               guint             depth)
{
  JsonNode *explicit = tether_json_schema_get_default (self);
  g_autoptr(JsonObject) object = NULL;
  const char * const *names;

  if (explicit != NULL)
    return json_node_copy (explicit);
  if (self->kind == TETHER_JSON_SCHEMA_KIND_CONST)
    return json_node_copy (self->const_value);
  if (self->kind != TETHER_JSON_SCHEMA_KIND_OBJECT || depth >= MAX_DEFAULT_DEPTH)
    return NULL;

  object = json_object_new ();
  names = tether_json_schema_get_property_names (self);
  for (guint i = 0; names[i] != NULL; i++)
    {
      TetherJsonSchema *property = tether_json_schema_get_property (self, names[i]);
      JsonNode *child;

      if (tether_json_schema_is_required (self, names[i]))
        child = build_default (property, depth + 1);
      else if (tether_json_schema_get_default (property) != NULL &&
               !JSON_NODE_HOLDS_NULL (tether_json_schema_get_default (property)))
        child = json_node_copy (tether_json_schema_get_default (property));
      else
        child = NULL;

      if (child != NULL)
        json_object_set_member (object, names[i], child);
    }

  if (json_object_get_size (object) == 0)
    return NULL;
  return json_node_init_object (json_node_alloc (), object);
}

JsonNode *
tether_json_schema_build_default (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return build_default (self, 0);
}

const char *
tether_json_schema_get_format (TetherJsonSchema *self)
{
  return tether_json_schema_get_string (self, "format");
}

/* Validation keywords are read from the resolved schema only. */
const char *
tether_json_schema_get_string (TetherJsonSchema *self,
                               const char       *keyword)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return node_string (object_member (self->target, keyword));
}

gboolean
tether_json_schema_get_number (TetherJsonSchema *self,
                               const char       *keyword,
                               double           *value)
{
  double found;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  if (!node_number (object_member (self->target, keyword), &found))
    return FALSE;
  if (value != NULL)
    *value = found;
  return TRUE;
}

/* Non-negative integer keywords (minLength, maxItems, ...); other values are ignored. */
gboolean
tether_json_schema_get_count (TetherJsonSchema *self,
                              const char       *keyword,
                              guint            *value)
{
  double found;

  if (!tether_json_schema_get_number (self, keyword, &found))
    return FALSE;
  if (found < 0 || found > G_MAXUINT || found != (double) (guint) found)
    return FALSE;
  if (value != NULL)
    *value = (guint) found;
  return TRUE;
}

gboolean
tether_json_schema_get_flag (TetherJsonSchema *self,
                             const char       *keyword)
{
  JsonNode *node;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  node = tether_json_schema_lookup_keyword (self, keyword);
  return node_is_boolean (node) && json_node_get_boolean (node);
}

/* Whether a string is better edited in a multi-line text view: long limits, a media type,
 * a "textarea" hint, or a description or property name that speaks of longer text. */
gboolean
tether_json_schema_prefers_multiline (TetherJsonSchema *self,
                                      const char       *property_name)
{
  static const char * const formats[] = { "textarea", "multiline", "markdown", "html", "code" };
  static const char * const words[] = { "multi-line", "multiline", "multiple lines", "paragraph",
                                        "markdown", "source code", "long text", "newline",
                                        "body of" };
  static const char * const names[] = { "body", "content", "contents", "code", "script",
                                        "prompt", "markdown", "html", "source", "template",
                                        "sql" };
  const char *format;
  const char *description;
  guint max_length;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  if (self->kind != TETHER_JSON_SCHEMA_KIND_STRING)
    return FALSE;

  if (tether_json_schema_get_count (self, "maxLength", &max_length) && max_length > 200)
    return TRUE;
  if (tether_json_schema_lookup_keyword (self, "contentMediaType") != NULL ||
      tether_json_schema_get_flag (self, "x-multiline") ||
      tether_json_schema_get_flag (self, "multiline"))
    return TRUE;

  format = tether_json_schema_get_format (self);
  for (guint i = 0; format != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (format, formats[i]) == 0)
      return TRUE;

  description = tether_json_schema_get_description (self);
  if (description != NULL)
    {
      g_autofree char *folded = g_utf8_strdown (description, -1);

      for (guint i = 0; i < G_N_ELEMENTS (words); i++)
        if (strstr (folded, words[i]) != NULL)
          return TRUE;
    }

  for (guint i = 0; property_name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (property_name, names[i]) == 0)
      return TRUE;

  return FALSE;
}

/**
 * tether_json_schema_get_property_names:
 *
 * Returns: (transfer none): the names under "properties", in the order the schema lists them
 */
const char * const *
tether_json_schema_get_property_names (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  if (self->property_names == NULL)
    {
      JsonObject *properties = node_object (object_member (self->target, "properties"));
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (properties != NULL)
        {
          g_autoptr(GList) members = json_object_get_members (properties);

          for (const GList *l = members; l != NULL; l = l->next)
            g_strv_builder_add (builder, l->data);
        }
      self->property_names = g_strv_builder_end (builder);
    }
  return (const char * const *) self->property_names;
}

/**
 * tether_json_schema_get_property:
 *
 * Returns: (transfer none) (nullable): the schema of a property listed under "properties"
 */
TetherJsonSchema *
tether_json_schema_get_property (TetherJsonSchema *self,
                                 const char       *name)
{
  TetherJsonSchema *property;
  JsonNode *node;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->properties == NULL)
    self->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  property = g_hash_table_lookup (self->properties, name);
  if (property != NULL)
    return property;

  node = object_member (node_object (object_member (self->target, "properties")), name);
  if (node == NULL)
    return NULL;

  property = tether_json_schema_new_child (self, node);
  g_hash_table_insert (self->properties, g_strdup (name), property);
  return property;
}

gboolean
tether_json_schema_is_required (TetherJsonSchema *self,
                                const char       *name)
{
  JsonArray *required;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  required = node_array (object_member (self->target, "required"));
  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    if (g_strcmp0 (node_string (json_array_get_element (required, i)), name) == 0)
      return TRUE;
  return FALSE;
}

/* FALSE when members beyond "properties" are refused (additionalProperties: false). */
gboolean
tether_json_schema_allows_additional (TetherJsonSchema *self)
{
  JsonNode *additional;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), TRUE);

  additional = object_member (self->target, "additionalProperties");
  if (additional == NULL)
    additional = object_member (self->target, "unevaluatedProperties");
  return !(node_is_boolean (additional) && !json_node_get_boolean (additional));
}

/**
 * tether_json_schema_get_additional:
 *
 * Returns: (transfer none) (nullable): the schema that members not listed under "properties"
 *   must match, when "additionalProperties" is a schema object
 */
TetherJsonSchema *
tether_json_schema_get_additional (TetherJsonSchema *self)
{
  JsonNode *node;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  node = object_member (self->target, "additionalProperties");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  if (self->additional == NULL)
    self->additional = tether_json_schema_new_child (self, node);
  return self->additional;
}

/**
 * tether_json_schema_get_items:
 *
 * Returns: (transfer none): the schema of a list's items (KIND_ANY when "items" is absent)
 */
TetherJsonSchema *
tether_json_schema_get_items (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  if (self->items == NULL)
    {
      JsonNode *node = object_member (self->target, "items");
      g_autoptr(JsonNode) any = NULL;

      if (node == NULL || (!JSON_NODE_HOLDS_OBJECT (node) && !node_is_boolean (node)))
        {
          any = json_node_init_boolean (json_node_alloc (), TRUE);
          node = any;
        }
      self->items = tether_json_schema_new_child (self, node);
    }
  return self->items;
}

/* A short rendering of a value for messages: JSON text, cut after 40 characters. */
char *
tether_json_schema_describe_value (JsonNode *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return g_strdup ("null");

  text = json_to_string (value, FALSE);
  if (g_utf8_strlen (text, -1) > 40)
    {
      char *cut = g_utf8_offset_to_pointer (text, 39);

      *cut = '\0';
      return g_strconcat (text, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* JSON equality: 1 and 1.0 are the same number. */
gboolean
tether_json_schema_values_equal (JsonNode *a,
                                 JsonNode *b)
{
  double x, y;

  if (a == NULL || b == NULL)
    return a == b;
  if (node_number (a, &x) && node_number (b, &y))
    return x == y;
  return json_node_equal (a, b);
}

static gboolean
is_identifier (const char *name)
{
  if (name[0] == '\0' || g_ascii_isdigit (name[0]) || name[0] == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '$')
      return FALSE;
  return TRUE;
}

/* Paths read like code: config.name, items[2].name, headers["Content-Type"]. */
void
tether_json_schema_append_path_member (GString    *path,
                                       const char *name)
{
  if (is_identifier (name))
    {
      if (path->len > 0)
        g_string_append_c (path, '.');
      g_string_append (path, name);
    }
  else
    {
      g_string_append (path, "[\"");
      for (const char *p = name; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (path, '\\');
          g_string_append_c (path, *p);
        }
      g_string_append (path, "\"]");
    }
}

void
tether_json_schema_append_path_index (GString *path,
                                      guint    index)
{
  g_string_append_printf (path, "[%u]", index);
}
