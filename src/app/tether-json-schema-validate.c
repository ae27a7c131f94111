/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks a JSON value against a TetherJsonSchema and says, in words a person can act on,
 * what is wrong and where (a path such as items[2].name). The form shows these messages
 * under its fields, so they are short and translated. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tether-json-schema-private.h"

static gboolean validate_node (TetherJsonSchema  *self,
                               JsonNode          *value,
                               GString           *path,
                               GError           **error);

static void
format_number (char   *buffer,
               gsize   size,
               double  number)
{
  if (number == floor (number) && fabs (number) < 1e15)
    g_snprintf (buffer, size, "%.0f", number);
  else
    g_ascii_formatd (buffer, size, "%.15g", number);
}

static gboolean
value_is (JsonNode *value,
          GType     type)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == type;
}

static gboolean
type_error (JsonNode              *value,
            TetherJsonSchemaKind   kind,
            GError               **error)
{
  g_autofree char *got = tether_json_schema_describe_value (value);

  switch (kind)
    {
    case TETHER_JSON_SCHEMA_KIND_STRING:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected text, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_NUMBER:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected a number, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_INTEGER:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected a whole number, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_BOOLEAN:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected true or false, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_OBJECT:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected an object, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_ARRAY:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected a list, got %s"), got);
      break;
    case TETHER_JSON_SCHEMA_KIND_NULL:
    case TETHER_JSON_SCHEMA_KIND_ANY:
    case TETHER_JSON_SCHEMA_KIND_ENUM:
    case TETHER_JSON_SCHEMA_KIND_CONST:
    case TETHER_JSON_SCHEMA_KIND_VARIANTS:
    case TETHER_JSON_SCHEMA_KIND_UNSUPPORTED:
    default:
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_TYPE,
                   _("Expected null, got %s"), got);
      break;
    }
  return FALSE;
}

static gboolean
validate_string (TetherJsonSchema  *self,
                 const char        *text,
                 GError           **error)
{
  glong length = g_utf8_strlen (text, -1);
  const char *pattern;
  const char *format;
  guint limit;

  if (tether_json_schema_get_count (self, "minLength", &limit) && (gulong) length < limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_LENGTH,
                   ngettext ("Must be at least %u character long",
                             "Must be at least %u characters long", limit),
                   limit);
      return FALSE;
    }
  if (tether_json_schema_get_count (self, "maxLength", &limit) && (gulong) length > limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_LENGTH,
                   ngettext ("Must be at most %u character long",
                             "Must be at most %u characters long", limit),
                   limit);
      return FALSE;
    }

  /* JSON Schema patterns are ECMA-262 and unanchored; PCRE agrees on what tools use. A
   * pattern GRegex cannot compile is not held against the value. */
  pattern = tether_json_schema_get_string (self, "pattern");
  if (pattern != NULL)
    {
      g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);

      if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
        {
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_PATTERN,
                       _("Must match the pattern %s"), pattern);
          return FALSE;
        }
    }

  format = tether_json_schema_get_format (self);
  if (format != NULL && !tether_json_schema_check_format (format, text, error))
    return FALSE;

  return TRUE;
}

static gboolean
validate_number (TetherJsonSchema  *self,
                 double             number,
                 GError           **error)
{
  JsonNode *exclusive;
  char bound_text[G_ASCII_DTOSTR_BUF_SIZE];
  double bound;

  /* Draft 4 spells exclusive bounds as booleans next to minimum/maximum. */
  if (tether_json_schema_get_number (self, "minimum", &bound))
    {
      exclusive = json_object_get_member (self->target, "exclusiveMinimum");
      format_number (bound_text, sizeof bound_text, bound);
      if (exclusive != NULL && value_is (exclusive, G_TYPE_BOOLEAN) &&
          json_node_get_boolean (exclusive))
        {
          if (!(number > bound))
            {
              g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                           _("Must be greater than %s"), bound_text);
              return FALSE;
            }
        }
      else if (number < bound)
        {
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                       _("Must be at least %s"), bound_text);
          return FALSE;
        }
    }
  if (tether_json_schema_get_number (self, "exclusiveMinimum", &bound) && !(number > bound))
    {
      format_number (bound_text, sizeof bound_text, bound);
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                   _("Must be greater than %s"), bound_text);
      return FALSE;
    }

  if (tether_json_schema_get_number (self, "maximum", &bound))
    {
      exclusive = json_object_get_member (self->target, "exclusiveMaximum");
      format_number (bound_text, sizeof bound_text, bound);
      if (exclusive != NULL && value_is (exclusive, G_TYPE_BOOLEAN) &&
          json_node_get_boolean (exclusive))
        {
          if (!(number < bound))
            {
              g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                           _("Must be less than %s"), bound_text);
              return FALSE;
            }
        }
      else if (number > bound)
        {
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                       _("Must be at most %s"), bound_text);
          return FALSE;
        }
    }
  if (tether_json_schema_get_number (self, "exclusiveMaximum", &bound) && !(number < bound))
    {
      format_number (bound_text, sizeof bound_text, bound);
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_RANGE,
                   _("Must be less than %s"), bound_text);
      return FALSE;
    }

  if (tether_json_schema_get_number (self, "multipleOf", &bound) && bound > 0)
    {
      double quotient = number / bound;

      /* Decimal steps such as 0.1 are not exact in binary; allow rounding noise. */
      if (fabs (quotient - round (quotient)) > 1e-9 * MAX (1.0, fabs (quotient)))
        {
          format_number (bound_text, sizeof bound_text, bound);
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_MULTIPLE_OF,
                       _("Must be a multiple of %s"), bound_text);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_array (TetherJsonSchema  *self,
                JsonArray         *array,
                GString           *path,
                GError           **error)
{
  guint length = json_array_get_length (array);
  TetherJsonSchema *items = tether_json_schema_get_items (self);
  guint limit;

  if (tether_json_schema_get_count (self, "minItems", &limit) && length < limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_ITEMS,
                   ngettext ("Needs at least %u item", "Needs at least %u items", limit), limit);
      return FALSE;
    }
  if (tether_json_schema_get_count (self, "maxItems", &limit) && length > limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_ITEMS,
                   ngettext ("Allows at most %u item", "Allows at most %u items", limit), limit);
      return FALSE;
    }

  for (guint i = 0; i < length; i++)
    {
      gsize mark = path->len;

      tether_json_schema_append_path_index (path, i);
      if (!validate_node (items, json_array_get_element (array, i), path, error))
        return FALSE;
      g_string_truncate (path, mark);
    }

  if (tether_json_schema_get_flag (self, "uniqueItems"))
    for (guint i = 0; i < length; i++)
      for (guint j = i + 1; j < length; j++)
        if (tether_json_schema_values_equal (json_array_get_element (array, i),
                                             json_array_get_element (array, j)))
          {
            /* Translators: list items are counted from 1 */
            g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_ITEMS,
                         _("Items must be different, but items %u and %u are the same"),
                         i + 1, j + 1);
            return FALSE;
          }

  return TRUE;
}

static gboolean
validate_object (TetherJsonSchema  *self,
                 JsonObject        *object,
                 GString           *path,
                 GError           **error)
{
  const char * const *names = tether_json_schema_get_property_names (self);
  g_autoptr(GList) members = NULL;
  TetherJsonSchema *additional;
  guint limit;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize mark = path->len;
      JsonNode *member = json_object_get_member (object, names[i]);

      tether_json_schema_append_path_member (path, names[i]);
      if (member == NULL)
        {
          if (tether_json_schema_is_required (self, names[i]))
            {
              g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR,
                                   TETHER_JSON_SCHEMA_ERROR_REQUIRED, _("A value is required"));
              return FALSE;
            }
        }
      else if (!validate_node (tether_json_schema_get_property (self, names[i]), member, path,
                               error))
        return FALSE;
      g_string_truncate (path, mark);
    }

  members = json_object_get_members (object);
  additional = tether_json_schema_get_additional (self);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      gsize mark = path->len;

      if (tether_json_schema_get_property (self, l->data) != NULL)
        continue;

      tether_json_schema_append_path_member (path, l->data);
      if (!tether_json_schema_allows_additional (self))
        {
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_PROPERTIES,
                       _("“%s” is not one of the allowed members"), (const char *) l->data);
          return FALSE;
        }
      if (additional != NULL &&
          !validate_node (additional, json_object_get_member (object, l->data), path, error))
        return FALSE;
      g_string_truncate (path, mark);
    }

  if (tether_json_schema_get_count (self, "minProperties", &limit) &&
      json_object_get_size (object) < limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_PROPERTIES,
                   ngettext ("Needs at least %u member", "Needs at least %u members", limit),
                   limit);
      return FALSE;
    }
  if (tether_json_schema_get_count (self, "maxProperties", &limit) &&
      json_object_get_size (object) > limit)
    {
      g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_PROPERTIES,
                   ngettext ("Allows at most %u member", "Allows at most %u members", limit),
                   limit);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_variants (TetherJsonSchema  *self,
                   JsonNode          *value,
                   GString           *path,
                   GError           **error)
{
  guint n = tether_json_schema_get_n_variants (self);
  guint matches = 0;
  int closest;

  for (guint i = 0; i < n; i++)
    if (tether_json_schema_validate (tether_json_schema_get_variant (self, i), value, NULL, NULL))
      {
        matches++;
        if (!self->one_of)
          return TRUE;
      }

  if (matches == 1)
    return TRUE;
  if (matches > 1)
    {
      g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_VARIANT,
                           _("Matches more than one of the allowed shapes"));
      return FALSE;
    }

  /* Say what is wrong with the alternative the value was evidently meant to be. */
  closest = tether_json_schema_match_variant (self, value);
  if (closest >= 0)
    return validate_node (tether_json_schema_get_variant (self, (guint) closest), value, path,
                          error);

  g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_VARIANT,
                       _("Does not match any of the allowed shapes"));
  return FALSE;
}

static gboolean
validate_constraints (TetherJsonSchema  *self,
                      JsonNode          *value,
                      GError           **error)
{
  g_autoptr(GString) scratch = NULL;
  guint matches = 0;

  if (self->constraints == NULL)
    return TRUE;

  scratch = g_string_new (NULL);
  for (guint i = 0; i < self->constraints->len; i++)
    {
      g_string_truncate (scratch, 0);
      if (validate_node (tether_json_schema_get_constraint (self, i), value, scratch, NULL))
        matches++;
    }

  if (matches == 0 || (self->one_of && matches > 1))
    {
      /* A single alternative has a specific message worth showing. */
      if (self->constraints->len == 1)
        {
          g_string_truncate (scratch, 0);
          return validate_node (tether_json_schema_get_constraint (self, 0), value, scratch,
                                error);
        }
      g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_VARIANT,
                           _("Does not match any of the allowed shapes"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_node (TetherJsonSchema  *self,
               JsonNode          *value,
               GString           *path,
               GError           **error)
{
  double number;

  if (self->is_false)
    {
      g_set_error_literal (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_NOT_ALLOWED,
                           _("No value is allowed here"));
      return FALSE;
    }

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (self->nullable || self->kind == TETHER_JSON_SCHEMA_KIND_NULL ||
          self->kind == TETHER_JSON_SCHEMA_KIND_ANY ||
          self->kind == TETHER_JSON_SCHEMA_KIND_UNSUPPORTED)
        return TRUE;
      if (self->kind == TETHER_JSON_SCHEMA_KIND_VARIANTS)
        return validate_variants (self, value, path, error);
      if (self->kind != TETHER_JSON_SCHEMA_KIND_ENUM && self->kind != TETHER_JSON_SCHEMA_KIND_CONST)
        return type_error (value, self->kind, error);
    }

  switch (self->kind)
    {
    case TETHER_JSON_SCHEMA_KIND_ANY:
    case TETHER_JSON_SCHEMA_KIND_UNSUPPORTED:
      break;

    case TETHER_JSON_SCHEMA_KIND_NULL:
      return type_error (value, self->kind, error);

    case TETHER_JSON_SCHEMA_KIND_BOOLEAN:
      if (!value_is (value, G_TYPE_BOOLEAN))
        return type_error (value, self->kind, error);
      break;

    case TETHER_JSON_SCHEMA_KIND_INTEGER:
    case TETHER_JSON_SCHEMA_KIND_NUMBER:
      if (!node_number (value, &number) ||
          (self->kind == TETHER_JSON_SCHEMA_KIND_INTEGER && number != floor (number)))
        return type_error (value, self->kind, error);
      if (!validate_number (self, number, error))
        return FALSE;
      break;

    case TETHER_JSON_SCHEMA_KIND_STRING:
      if (!value_is (value, G_TYPE_STRING))
        return type_error (value, self->kind, error);
      if (!validate_string (self, json_node_get_string (value), error))
        return FALSE;
      break;

    case TETHER_JSON_SCHEMA_KIND_ENUM:
      if (tether_json_schema_find_choice (self, value) < 0)
        {
          g_autoptr(GString) list = g_string_new (NULL);
          guint n = tether_json_schema_get_n_choices (self);

          for (guint i = 0; i < MIN (n, 8); i++)
            {
              g_autofree char *label = tether_json_schema_describe_value (
                tether_json_schema_get_choice_value (self, i));

              if (i > 0)
                g_string_append (list, ", ");
              g_string_append (list, label);
            }
          if (n > 8)
            g_string_append (list, ", …");
          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_ENUM,
                       _("Must be one of %s"), list->str);
          return FALSE;
        }
      break;

    case TETHER_JSON_SCHEMA_KIND_CONST:
      if (!tether_json_schema_values_equal (self->const_value, value))
        {
          g_autofree char *expected = tether_json_schema_describe_value (self->const_value);

          g_set_error (error, TETHER_JSON_SCHEMA_ERROR, TETHER_JSON_SCHEMA_ERROR_ENUM,
                       _("Must be %s"), expected);
          return FALSE;
        }
      break;

    case TETHER_JSON_SCHEMA_KIND_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (value))
        return type_error (value, self->kind, error);
      if (!validate_array (self, json_node_get_array (value), path, error))
        return FALSE;
      break;

    case TETHER_JSON_SCHEMA_KIND_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (value))
        return type_error (value, self->kind, error);
      if (!validate_object (self, json_node_get_object (value), path, error))
        return FALSE;
      break;

    case TETHER_JSON_SCHEMA_KIND_VARIANTS:
      return validate_variants (self, value, path, error);

    default:
      break;
    }

  return validate_constraints (self, value, error);
}

/**
 * tether_json_schema_validate:
 * @value: (nullable): the value; %NULL stands for null
 * @path: (out) (optional): where the first problem is, relative to @value ("" for itself)
 *
 * Checks @value and everything inside it.
 *
 * Returns: %TRUE when valid; else @error says what is wrong at @path
 */
gboolean
tether_json_schema_validate (TetherJsonSchema  *self,
                             JsonNode          *value,
                             char             **path,
                             GError           **error)
{
  g_autoptr(GString) location = g_string_new (NULL);

  g_return_val_if_fail (TETHER_IS_JSON_SCHEMA (self), FALSE);

  if (path != NULL)
    *path = NULL;

  if (validate_node (self, value, location, error))
    return TRUE;

  if (path != NULL)
    *path = g_string_free (g_steal_pointer (&location), FALSE);
  return FALSE;
}
