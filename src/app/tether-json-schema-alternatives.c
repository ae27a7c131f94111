/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The values of an enum and the variants of an anyOf/oneOf: their labels, and which one a
 * given value belongs to. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-json-schema-private.h"

guint
tether_json_schema_get_n_choices (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), 0);

  return self->choices != NULL ? self->choices->len : 0;
}

/**
 * tether_json_schema_get_choice_value:
 *
 * Returns: (transfer none): one value of an enum
 */
JsonNode *
tether_json_schema_get_choice_value (TetherJsonSchema *self,
                                     guint             index)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);
  g_return_val_if_fail (index < tether_json_schema_get_n_choices (self), NULL);

  return g_ptr_array_index (self->choices, index);
}

/* The text shown for an enum value: its title, else the value itself (strings unquoted). */
char *
tether_json_schema_dup_choice_label (TetherJsonSchema *self,
                                     guint             index)
{
  const char *title;
  JsonNode *value;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);
  g_return_val_if_fail (index < tether_json_schema_get_n_choices (self), NULL);

  title = g_ptr_array_index (self->choice_titles, index);
  if (title != NULL)
    return g_strdup (title);

  value = g_ptr_array_index (self->choices, index);
  if (node_string (value) != NULL)
    return g_strdup (node_string (value));
  return json_to_string (value, FALSE);
}

/* Index of @value among the enum's values, or -1. */
int
tether_json_schema_find_choice (TetherJsonSchema *self,
                                JsonNode         *value)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), -1);

  for (guint i = 0; value != NULL && i < tether_json_schema_get_n_choices (self); i++)
    if (tether_json_schema_values_equal (g_ptr_array_index (self->choices, i), value))
      return (int) i;
  return -1;
}

/**
 * tether_json_schema_get_const:
 *
 * Returns: (transfer none) (nullable): the value of a KIND_CONST schema
 */
JsonNode *
tether_json_schema_get_const (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);

  return self->const_value;
}

guint
tether_json_schema_get_n_variants (TetherJsonSchema *self)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), 0);

  return self->variant_nodes != NULL ? self->variant_nodes->len : 0;
}

/**
 * tether_json_schema_get_variant:
 *
 * Returns: (transfer none): one alternative of a KIND_VARIANTS schema, made on first use
 */
TetherJsonSchema *
tether_json_schema_get_variant (TetherJsonSchema *self,
                                guint             index)
{
  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);
  g_return_val_if_fail (index < tether_json_schema_get_n_variants (self), NULL);

  if (self->variants == NULL)
    {
      self->variants = g_ptr_array_new_with_free_func (tether_json_schema_unref_if_made);
      g_ptr_array_set_size (self->variants, self->variant_nodes->len);
    }
  if (g_ptr_array_index (self->variants, index) == NULL)
    g_ptr_array_index (self->variants, index) =
      tether_json_schema_new_child (self, g_ptr_array_index (self->variant_nodes, index));
  return g_ptr_array_index (self->variants, index);
}

TetherJsonSchema *
tether_json_schema_get_constraint (TetherJsonSchema *self,
                                   guint             index)
{
  if (g_ptr_array_index (self->constraints, index) == NULL)
    g_ptr_array_index (self->constraints, index) =
      tether_json_schema_new_child (self, g_ptr_array_index (self->constraint_nodes, index));
  return g_ptr_array_index (self->constraints, index);
}

static const char *
kind_label (TetherJsonSchemaKind kind)
{
  switch (kind)
    {
    case TETHER_JSON_SCHEMA_KIND_STRING:
      return _("Text");
    case TETHER_JSON_SCHEMA_KIND_NUMBER:
      return _("Number");
    case TETHER_JSON_SCHEMA_KIND_INTEGER:
      return _("Whole Number");
    case TETHER_JSON_SCHEMA_KIND_BOOLEAN:
      return _("True or False");
    case TETHER_JSON_SCHEMA_KIND_OBJECT:
      return _("Object");
    case TETHER_JSON_SCHEMA_KIND_ARRAY:
      return _("List");
    case TETHER_JSON_SCHEMA_KIND_NULL:
      return _("Null");
    case TETHER_JSON_SCHEMA_KIND_ENUM:
    case TETHER_JSON_SCHEMA_KIND_CONST:
      return _("Choice");
    case TETHER_JSON_SCHEMA_KIND_ANY:
    case TETHER_JSON_SCHEMA_KIND_VARIANTS:
    case TETHER_JSON_SCHEMA_KIND_UNSUPPORTED:
    default:
      return _("JSON");
    }
}

/* A name for one alternative: its title, else the constant that tells it apart (a
 * "type": {"const": "circle"} discriminator), else the name of the definition it refers to,
 * else its kind. */
static char *
variant_base_label (TetherJsonSchema *self,
                    guint             index)
{
  TetherJsonSchema *variant = tether_json_schema_get_variant (self, index);
  JsonNode *branch = g_ptr_array_index (self->variant_nodes, index);
  const char *ref;

  if (tether_json_schema_get_title (variant) != NULL)
    return g_strdup (tether_json_schema_get_title (variant));

  if (variant->kind == TETHER_JSON_SCHEMA_KIND_OBJECT)
    {
      const char * const *names = tether_json_schema_get_property_names (variant);

      for (guint i = 0; names[i] != NULL; i++)
        {
          TetherJsonSchema *property = tether_json_schema_get_property (variant, names[i]);
          JsonNode *value = tether_json_schema_get_const (property);

          if (property->kind == TETHER_JSON_SCHEMA_KIND_CONST && node_string (value) != NULL)
            return g_strdup (node_string (value));
        }
    }

  ref = node_string (object_member (node_object (branch), "$ref"));
  if (ref != NULL && strrchr (ref, '/') != NULL && strrchr (ref, '/')[1] != '\0')
    return g_strdup (strrchr (ref, '/') + 1);

  return g_strdup (kind_label (variant->kind));
}

char *
tether_json_schema_dup_variant_label (TetherJsonSchema *self,
                                      guint             index)
{
  g_autofree char *label = NULL;
  guint same_before = 0;
  guint same_total = 0;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), NULL);
  g_return_val_if_fail (index < tether_json_schema_get_n_variants (self), NULL);

  label = variant_base_label (self, index);
  for (guint i = 0; i < tether_json_schema_get_n_variants (self); i++)
    {
      g_autofree char *other = variant_base_label (self, i);

      if (g_str_equal (other, label))
        {
          same_total++;
          if (i < index)
            same_before++;
        }
    }

  if (same_total > 1)
    /* Translators: an alternative's name followed by its position among those of that name */
    return g_strdup_printf (_("%s %u"), label, same_before + 1);
  return g_steal_pointer (&label);
}

static gboolean
kind_accepts_type (TetherJsonSchemaKind  kind,
                   JsonNode             *value)
{
  GType type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  switch (kind)
    {
    case TETHER_JSON_SCHEMA_KIND_STRING:
      return type == G_TYPE_STRING;
    case TETHER_JSON_SCHEMA_KIND_NUMBER:
      return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
    case TETHER_JSON_SCHEMA_KIND_INTEGER:
      return type == G_TYPE_INT64;
    case TETHER_JSON_SCHEMA_KIND_BOOLEAN:
      return type == G_TYPE_BOOLEAN;
    case TETHER_JSON_SCHEMA_KIND_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (value);
    case TETHER_JSON_SCHEMA_KIND_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (value);
    case TETHER_JSON_SCHEMA_KIND_NULL:
      return JSON_NODE_HOLDS_NULL (value);
    case TETHER_JSON_SCHEMA_KIND_ANY:
    case TETHER_JSON_SCHEMA_KIND_UNSUPPORTED:
    case TETHER_JSON_SCHEMA_KIND_ENUM:
    case TETHER_JSON_SCHEMA_KIND_CONST:
    case TETHER_JSON_SCHEMA_KIND_VARIANTS:
    default:
      return FALSE;
    }
}

/* The index of the object alternative whose discriminator (a property with a constant) the
 * value carries, or -1. */
static int
match_discriminator (TetherJsonSchema *self,
                     JsonObject       *object)
{
  for (guint i = 0; i < tether_json_schema_get_n_variants (self); i++)
    {
      TetherJsonSchema *variant = tether_json_schema_get_variant (self, i);
      const char * const *names;

      if (variant->kind != TETHER_JSON_SCHEMA_KIND_OBJECT)
        continue;
      names = tether_json_schema_get_property_names (variant);
      for (guint j = 0; names[j] != NULL; j++)
        {
          TetherJsonSchema *property = tether_json_schema_get_property (variant, names[j]);

          if (property->kind == TETHER_JSON_SCHEMA_KIND_CONST &&
              json_object_has_member (object, names[j]) &&
              tether_json_schema_values_equal (property->const_value,
                                               json_object_get_member (object, names[j])))
            return (int) i;
        }
    }
  return -1;
}

/* Which alternative a value belongs to: the one whose discriminator constant it carries
 * ("kind": "circle" means the circle even while its radius is wrong), else the first it is
 * valid against, else the first of its JSON type; -1 when none fits. */
int
tether_json_schema_match_variant (TetherJsonSchema *self,
                                  JsonNode         *value)
{
  guint n;
  int found;

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), -1);

  n = tether_json_schema_get_n_variants (self);
  if (value == NULL)
    return -1;

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      found = match_discriminator (self, json_node_get_object (value));
      if (found >= 0)
        return found;
    }

  for (guint i = 0; i < n; i++)
    if (tether_json_schema_validate (tether_json_schema_get_variant (self, i), value, NULL, NULL))
      return (int) i;

  for (guint i = 0; i < n; i++)
    if (kind_accepts_type (tether_json_schema_get_variant (self, i)->kind, value))
      return (int) i;

  return -1;
}
