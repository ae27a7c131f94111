/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keywords that look at one kind of value: type, enum, the number, string, array and
 * object constraints. Each passes values of other kinds, as JSON Schema says. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tether-json-validator-private.h"

static gboolean
matches_type_name (JsonNode   *instance,
                   const char *type,
                   gboolean   *known)
{
  double number;

  *known = TRUE;
  if (g_str_equal (type, "string"))
    return tether_json_value_is_string (instance);
  if (g_str_equal (type, "integer"))
    return tether_json_value_is_integer (instance);
  if (g_str_equal (type, "number"))
    return tether_json_value_get_number (instance, &number);
  if (g_str_equal (type, "boolean"))
    return tether_json_value_is_boolean (instance);
  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (instance);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (instance);
  if (g_str_equal (type, "null"))
    return JSON_NODE_HOLDS_NULL (instance);
  *known = FALSE;
  return FALSE;
}

gboolean
tether_json_validator_check_type (Validator  *v,
                                  JsonNode   *type,
                                  JsonNode   *instance,
                                  GError    **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *got = NULL;

  if (tether_json_value_is_string (type))
    {
      g_ptr_array_add (names, (gpointer) json_node_get_string (type));
    }
  else if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *array = json_node_get_array (type);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!tether_json_value_is_string (element))
            return tether_json_validator_schema_problem (error,
                                                         _("“type” lists something other than a "
                                                           "type name"));
          g_ptr_array_add (names, (gpointer) json_node_get_string (element));
        }
    }
  else
    {
      return tether_json_validator_schema_problem (error,
                                                   _("“type” is neither a type name nor a list "
                                                     "of them"));
    }

  for (guint i = 0; i < names->len; i++)
    {
      gboolean known;

      if (matches_type_name (instance, g_ptr_array_index (names, i), &known))
        return TRUE;
      if (!known)
        return tether_json_validator_schema_problem (error, _("“type” names an unknown type “%s”"),
                                                     (const char *) g_ptr_array_index (names, i));
    }

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        /* Translators: joins the types a value may have, as in "a string or null". */
        g_string_append (expected, _(" or "));
      g_string_append (expected, tether_json_value_describe_type (g_ptr_array_index (names, i)));
    }
  got = tether_json_value_describe (instance);
  return tether_json_validator_mismatch (v, error, _("expected %s, got %s"), expected->str, got);
}

gboolean
tether_json_validator_check_enum (Validator  *v,
                                  JsonNode   *allowed,
                                  JsonNode   *instance,
                                  GError    **error)
{
  g_autoptr(GString) choices = g_string_new (NULL);
  g_autofree char *got = NULL;
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (allowed))
    return tether_json_validator_schema_problem (error, _("“enum” is not an array"));
  array = json_node_get_array (allowed);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    if (tether_json_value_equal (json_array_get_element (array, i), instance))
      return TRUE;

  for (guint i = 0; i < n && i < 5; i++)
    {
      g_autofree char *choice = tether_json_value_quote (json_array_get_element (array, i));

      if (i > 0)
        g_string_append (choices, ", ");
      g_string_append (choices, choice);
    }
  if (n > 5)
    g_string_append (choices, ", …");
  got = tether_json_value_quote (instance);
  return tether_json_validator_mismatch (v, error, _("expected one of %s, got %s"), choices->str,
                                         got);
}

gboolean
tether_json_validator_check_number (Validator  *v,
                                    JsonObject *schema,
                                    JsonNode   *instance,
                                    GError    **error)
{
  double value, limit;
  g_autofree char *value_text = NULL;
  g_autofree char *limit_text = NULL;
  JsonNode *keyword;

  if (!tether_json_value_get_number (instance, &value))
    return TRUE;
  value_text = tether_json_value_format_number (value);

  if ((keyword = json_object_get_member (schema, "minimum")) != NULL &&
      tether_json_value_get_number (keyword, &limit))
    {
      /* Draft 4 spelled an exclusive bound as a boolean beside "minimum". */
      JsonNode *exclusive = json_object_get_member (schema, "exclusiveMinimum");
      gboolean strict = exclusive != NULL && tether_json_value_is_boolean (exclusive) &&
                        json_node_get_boolean (exclusive);

      limit_text = tether_json_value_format_number (limit);
      if (strict ? value <= limit : value < limit)
        return tether_json_validator_mismatch (v, error,
                                               strict ? _("%s is not greater than %s")
                                                      : _("%s is less than the minimum %s"),
                                               value_text, limit_text);
      g_clear_pointer (&limit_text, g_free);
    }
  if ((keyword = json_object_get_member (schema, "maximum")) != NULL &&
      tether_json_value_get_number (keyword, &limit))
    {
      JsonNode *exclusive = json_object_get_member (schema, "exclusiveMaximum");
      gboolean strict = exclusive != NULL && tether_json_value_is_boolean (exclusive) &&
                        json_node_get_boolean (exclusive);

      limit_text = tether_json_value_format_number (limit);
      if (strict ? value >= limit : value > limit)
        return tether_json_validator_mismatch (v, error,
                                               strict ? _("%s is not less than %s")
                                                      : _("%s is more than the maximum %s"),
                                               value_text, limit_text);
      g_clear_pointer (&limit_text, g_free);
    }
  if ((keyword = json_object_get_member (schema, "exclusiveMinimum")) != NULL &&
      tether_json_value_get_number (keyword, &limit) && value <= limit)
    {
      limit_text = tether_json_value_format_number (limit);
      return tether_json_validator_mismatch (v, error, _("%s is not greater than %s"), value_text,
                                             limit_text);
    }
  if ((keyword = json_object_get_member (schema, "exclusiveMaximum")) != NULL &&
      tether_json_value_get_number (keyword, &limit) && value >= limit)
    {
      limit_text = tether_json_value_format_number (limit);
      return tether_json_validator_mismatch (v, error, _("%s is not less than %s"), value_text,
                                             limit_text);
    }
  if ((keyword = json_object_get_member (schema, "multipleOf")) != NULL &&
      tether_json_value_get_number (keyword, &limit))
    {
      gboolean ok;

      if (!(limit > 0))
        return tether_json_validator_schema_problem (error,
                                                     _("“multipleOf” is not a positive number"));
      if (json_node_get_value_type (instance) == G_TYPE_INT64 &&
          json_node_get_value_type (keyword) == G_TYPE_INT64)
        {
          ok = json_node_get_int (instance) % json_node_get_int (keyword) == 0;
        }
      else
        {
          double quotient = value / limit;

          /* Decimal fractions are not exact in binary: 0.3 / 0.1 is 2.9999999999999996. */
          ok = isfinite (quotient) &&
               fabs (quotient - round (quotient)) <= 1e-9 * MAX (1.0, fabs (quotient));
        }
      if (!ok)
        {
          limit_text = tether_json_value_format_number (limit);
          return tether_json_validator_mismatch (v, error, _("%s is not a multiple of %s"),
                                                 value_text, limit_text);
        }
    }
  return TRUE;
}

/* A count keyword (minLength, maxItems, ...); counts of what came are guint, and so is
 * this, clamped. */
static gboolean
schema_count (JsonObject *schema,
              const char *keyword,
              guint      *count)
{
  JsonNode *node = json_object_get_member (schema, keyword);
  double number;

  if (node == NULL || !tether_json_value_get_number (node, &number) || number < 0)
    return FALSE;
  *count = number > (double) G_MAXUINT ? G_MAXUINT : (guint) number;
  return TRUE;
}

static GRegex *
lookup_regex (Validator   *v,
              const char  *pattern,
              GError     **error)
{
  GRegex *regex = g_hash_table_lookup (v->regexes, pattern);
  g_autoptr(GError) local_error = NULL;

  if (regex != NULL)
    return regex;

  /* ECMA-262 patterns, which schemas use, are close enough to PCRE for the common cases. */
  regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &local_error);
  if (regex == NULL)
    {
      tether_json_validator_schema_problem (error,
                                            _("pattern “%s” is not a valid regular expression: %s"),
                                            pattern, local_error->message);
      return NULL;
    }
  g_hash_table_insert (v->regexes, g_strdup (pattern), regex);
  return regex;
}

gboolean
tether_json_validator_check_string (Validator  *v,
                                    JsonObject *schema,
                                    JsonNode   *instance,
                                    GError    **error)
{
  const char *text;
  guint limit;
  guint length;
  JsonNode *pattern;

  if (!tether_json_value_is_string (instance))
    return TRUE;
  text = json_node_get_string (instance);
  length = (guint) MIN (g_utf8_strlen (text, -1), (glong) G_MAXUINT);

  if (schema_count (schema, "minLength", &limit) && length < limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the text is %u character long, "
                                                        "expected at least %u",
                                                        "the text is %u characters long, "
                                                        "expected at least %u", length),
                                           length, limit);
  if (schema_count (schema, "maxLength", &limit) && length > limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the text is %u character long, "
                                                        "expected at most %u",
                                                        "the text is %u characters long, "
                                                        "expected at most %u", length),
                                           length, limit);

  pattern = json_object_get_member (schema, "pattern");
  if (pattern != NULL)
    {
      GRegex *regex;

      if (!tether_json_value_is_string (pattern))
        return tether_json_validator_schema_problem (error, _("“pattern” is not a string"));
      regex = lookup_regex (v, json_node_get_string (pattern), error);
      if (regex == NULL)
        return FALSE;
      if (!g_regex_match (regex, text, 0, NULL))
        {
          g_autofree char *quoted = tether_json_value_quote (instance);

          return tether_json_validator_mismatch (v, error, _("%s does not match the pattern “%s”"),
                                                 quoted, json_node_get_string (pattern));
        }
    }
  return TRUE;
}

static gboolean
validate_subschema_at_index (Validator  *v,
                             JsonNode   *schema,
                             JsonNode   *element,
                             guint       index,
                             GError    **error)
{
  gsize saved = tether_json_validator_push_index (v, index);
  gboolean ok = tether_json_validator_check (v, schema, element, error);

  tether_json_validator_pop (v, saved);
  return ok;
}

gboolean
tether_json_validator_check_array (Validator  *v,
                                   JsonObject *schema,
                                   JsonNode   *instance,
                                   GError    **error)
{
  JsonArray *array;
  guint n, first_rest = 0;
  guint limit;
  JsonNode *items, *prefix, *contains;

  if (!JSON_NODE_HOLDS_ARRAY (instance))
    return TRUE;
  array = json_node_get_array (instance);
  n = json_array_get_length (array);

  if (schema_count (schema, "minItems", &limit) && n < limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the array has %u item, "
                                                        "expected at least %u",
                                                        "the array has %u items, "
                                                        "expected at least %u", n),
                                           n, limit);
  if (schema_count (schema, "maxItems", &limit) && n > limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the array has %u item, "
                                                        "expected at most %u",
                                                        "the array has %u items, "
                                                        "expected at most %u", n),
                                           n, limit);

  /* Tuples: "prefixItems" (2020-12) or an array under "items" (drafts 4 to 2019-09). */
  items = json_object_get_member (schema, "items");
  prefix = json_object_get_member (schema, "prefixItems");
  if (prefix == NULL && items != NULL && JSON_NODE_HOLDS_ARRAY (items))
    {
      prefix = items;
      items = json_object_get_member (schema, "additionalItems");
    }
  if (prefix != NULL)
    {
      JsonArray *tuple;

      if (!JSON_NODE_HOLDS_ARRAY (prefix))
        return tether_json_validator_schema_problem (error, _("“prefixItems” is not an array"));
      tuple = json_node_get_array (prefix);
      first_rest = MIN (n, json_array_get_length (tuple));
      for (guint i = 0; i < first_rest; i++)
        if (!validate_subschema_at_index (v, json_array_get_element (tuple, i),
                                          json_array_get_element (array, i), i, error))
          return FALSE;
    }
  if (items != NULL)
    for (guint i = first_rest; i < n; i++)
      if (!validate_subschema_at_index (v, items, json_array_get_element (array, i), i, error))
        return FALSE;

  contains = json_object_get_member (schema, "contains");
  if (contains != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < n && !found; i++)
        {
          g_autoptr(GError) local_error = NULL;

          found = tether_json_validator_check (v, contains, json_array_get_element (array, i),
                                               &local_error);
          if (tether_json_validator_is_schema_problem (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
      if (!found)
        return tether_json_validator_mismatch (v, error,
                                               _("no item matches the “contains” schema"));
    }

  if (json_object_has_member (schema, "uniqueItems") &&
      tether_json_value_is_boolean (json_object_get_member (schema, "uniqueItems")) &&
      json_object_get_boolean_member (schema, "uniqueItems"))
    for (guint i = 0; i < n; i++)
      for (guint j = i + 1; j < n; j++)
        if (tether_json_value_equal (json_array_get_element (array, i),
                                     json_array_get_element (array, j)))
          return tether_json_validator_mismatch (v, error,
                                                 _("items %u and %u are equal, expected unique "
                                                   "items"), i, j);
  return TRUE;
}

static gboolean
validate_member (Validator   *v,
                 JsonNode    *schema,
                 const char  *name,
                 JsonNode    *member,
                 GError     **error)
{
  gsize saved = tether_json_validator_push_member (v, name);
  gboolean ok = tether_json_validator_check (v, schema, member, error);

  tether_json_validator_pop (v, saved);
  return ok;
}

gboolean
tether_json_validator_check_object (Validator  *v,
                                    JsonObject *schema,
                                    JsonNode   *instance,
                                    GError    **error)
{
  JsonObject *object;
  JsonObject *properties = NULL;
  JsonObject *pattern_properties = NULL;
  JsonNode *keyword, *additional, *property_names;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint limit;
  guint size;

  if (!JSON_NODE_HOLDS_OBJECT (instance))
    return TRUE;
  object = json_node_get_object (instance);
  size = json_object_get_size (object);

  keyword = json_object_get_member (schema, "required");
  if (keyword != NULL && JSON_NODE_HOLDS_ARRAY (keyword))
    {
      JsonArray *required = json_node_get_array (keyword);

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          JsonNode *element = json_array_get_element (required, i);

          if (!tether_json_value_is_string (element))
            return tether_json_validator_schema_problem (error,
                                                         _("“required” lists something other "
                                                           "than a name"));
          if (!json_object_has_member (object, json_node_get_string (element)))
            return tether_json_validator_mismatch (v, error,
                                                   _("the required property “%s” is missing"),
                                                   json_node_get_string (element));
        }
    }

  if (schema_count (schema, "minProperties", &limit) && size < limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the object has %u property, "
                                                        "expected at least %u",
                                                        "the object has %u properties, "
                                                        "expected at least %u", size),
                                           size, limit);
  if (schema_count (schema, "maxProperties", &limit) && size > limit)
    return tether_json_validator_mismatch (v, error,
                                           g_dngettext (GETTEXT_PACKAGE,
                                                        "the object has %u property, "
                                                        "expected at most %u",
                                                        "the object has %u properties, "
                                                        "expected at most %u", size),
                                           size, limit);

  keyword = json_object_get_member (schema, "properties");
  if (keyword != NULL && JSON_NODE_HOLDS_OBJECT (keyword))
    properties = json_node_get_object (keyword);
  keyword = json_object_get_member (schema, "patternProperties");
  if (keyword != NULL && JSON_NODE_HOLDS_OBJECT (keyword))
    pattern_properties = json_node_get_object (keyword);
  additional = json_object_get_member (schema, "additionalProperties");
  property_names = json_object_get_member (schema, "propertyNames");

  /* Members in the order the server wrote them, so "first problem" means what it says. */
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      gboolean matched = FALSE;

      if (property_names != NULL)
        {
          g_autoptr(JsonNode) name_node = json_node_init_string (json_node_alloc (), name);

          if (!validate_member (v, property_names, name, name_node, error))
            return FALSE;
        }

      if (properties != NULL && json_object_has_member (properties, name))
        {
          matched = TRUE;
          if (!validate_member (v, json_object_get_member (properties, name), name, member,
                                error))
            return FALSE;
        }

      if (pattern_properties != NULL)
        {
          JsonObjectIter pattern_iter;
          const char *pattern;
          JsonNode *pattern_schema;

          json_object_iter_init_ordered (&pattern_iter, pattern_properties);
          while (json_object_iter_next_ordered (&pattern_iter, &pattern, &pattern_schema))
            {
              GRegex *regex = lookup_regex (v, pattern, error);

              if (regex == NULL)
                return FALSE;
              if (!g_regex_match (regex, name, 0, NULL))
                continue;
              matched = TRUE;
              if (!validate_member (v, pattern_schema, name, member, error))
                return FALSE;
            }
        }

      if (!matched && additional != NULL)
        {
          if (tether_json_value_is_boolean (additional) && !json_node_get_boolean (additional))
            {
              gsize saved = tether_json_validator_push_member (v, name);

              tether_json_validator_mismatch (v, error, _("the property “%s” is not allowed "
                                                          "(additionalProperties is false)"), name);
              tether_json_validator_pop (v, saved);
              return FALSE;
            }
          if (!validate_member (v, additional, name, member, error))
            return FALSE;
        }
    }
  return TRUE;
}
