/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON values as the validator needs them: numbers by their mathematical value (1 and 1.0
 * are equal, and 1.0 is an integer), deep equality for enum, const and uniqueItems, and
 * short descriptions of what came for the messages. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tether-json-validator-private.h"

/* Longest rendering of a value quoted in a message. */
#define MAX_QUOTED_CHARS 40

gboolean
tether_json_value_get_number (JsonNode *node,
                              double   *number)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *number = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *number = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

gboolean
tether_json_value_is_integer (JsonNode *node)
{
  double number;

  if (!tether_json_value_get_number (node, &number))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return TRUE;
  /* JSON Schema counts 1.0 as an integer: it is the mathematical value that matters. */
  return isfinite (number) && floor (number) == number;
}

gboolean
tether_json_value_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
tether_json_value_is_boolean (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

gboolean
tether_json_value_equal (JsonNode *a,
                         JsonNode *b)
{
  double x, y;

  if (tether_json_value_get_number (a, &x) && tether_json_value_get_number (b, &y))
    {
      if (json_node_get_value_type (a) == G_TYPE_INT64 &&
          json_node_get_value_type (b) == G_TYPE_INT64)
        return json_node_get_int (a) == json_node_get_int (b);
      return x == y;
    }
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      if (tether_json_value_is_string (a))
        return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
      if (tether_json_value_is_boolean (a))
        return json_node_get_boolean (a) == json_node_get_boolean (b);
      return FALSE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array_a = json_node_get_array (a);
        JsonArray *array_b = json_node_get_array (b);
        guint n = json_array_get_length (array_a);

        if (n != json_array_get_length (array_b))
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!tether_json_value_equal (json_array_get_element (array_a, i),
                                        json_array_get_element (array_b, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object_a = json_node_get_object (a);
        JsonObject *object_b = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (object_a) != json_object_get_size (object_b))
          return FALSE;
        json_object_iter_init (&iter, object_a);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonNode *other = json_object_get_member (object_b, name);

            if (other == NULL || !tether_json_value_equal (member, other))
              return FALSE;
          }
        return TRUE;
      }

    default:
      return FALSE;
    }
}

char *
tether_json_value_format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (number == floor (number) && fabs (number) < 1e15)
    g_snprintf (buffer, sizeof buffer, "%.0f", number);
  else
    g_ascii_formatd (buffer, sizeof buffer, "%.15g", number);
  return g_strdup (buffer);
}

/* JSON for a message, cut to MAX_QUOTED_CHARS characters. Numbers are written here rather
 * than by JsonGenerator, which turns 1e20 into "1e+20.0". */
char *
tether_json_value_quote (JsonNode *node)
{
  g_autofree char *text = NULL;
  double number;

  if (tether_json_value_get_number (node, &number))
    {
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return tether_json_value_format_number (number);
    }
  else
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
    }

  if (g_utf8_strlen (text, -1) > MAX_QUOTED_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (text, MAX_QUOTED_CHARS - 1);

      *end = '\0';
      return g_strconcat (text, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* "a string (“abc”)", "an integer (3)", "an object", "null": what came. */
char *
tether_json_value_describe (JsonNode *node)
{
  g_autofree char *quoted = NULL;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_ARRAY:
      return g_strdup (_("an array"));
    case JSON_NODE_OBJECT:
      return g_strdup (_("an object"));
    case JSON_NODE_VALUE:
    default:
      break;
    }

  quoted = tether_json_value_quote (node);
  if (tether_json_value_is_boolean (node))
    return g_steal_pointer (&quoted);
  if (tether_json_value_is_string (node))
    return g_strdup_printf (_("a string (%s)"), quoted);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf (_("an integer (%s)"), quoted);
  return g_strdup_printf (_("a number (%s)"), quoted);
}

const char *
tether_json_value_describe_type (const char *type)
{
  if (g_str_equal (type, "string"))
    return _("a string");
  if (g_str_equal (type, "integer"))
    return _("an integer");
  if (g_str_equal (type, "number"))
    return _("a number");
  if (g_str_equal (type, "boolean"))
    return _("a boolean");
  if (g_str_equal (type, "object"))
    return _("an object");
  if (g_str_equal (type, "array"))
    return _("an array");
  if (g_str_equal (type, "null"))
    return "null";
  return type;
}
