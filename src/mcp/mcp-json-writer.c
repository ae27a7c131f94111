/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-json-writer.c: compact JSON text from a json-glib tree, for McpMessage.
 *
 * Written here rather than with JsonGenerator, which in json-glib 1.6 writes U+001F unescaped
 * and doubles such as 1e20 as "1e+20.0", neither of them JSON.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "mcp-json-private.h"

void
mcp_json_write_string (GString    *out,
                       const char *str)
{
  g_autofree char *valid = NULL;
  const char *run;
  const char *p;

  if (str == NULL)
    str = "";
  /* Whatever the application put in a node, the wire gets UTF-8. */
  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  g_string_append_c (out, '"');
  run = str;
  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char unicode_escape[8];
      const char *escape;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      switch (c)
        {
        case '"':  escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default:
          g_snprintf (unicode_escape, sizeof unicode_escape, "\\u%04x", (guint) c);
          escape = unicode_escape;
          break;
        }

      g_string_append_len (out, run, p - run);
      g_string_append (out, escape);
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

void
mcp_json_write_int (GString *out,
                    gint64   value)
{
  char digits[24];
  guint n = 0;
  /* The magnitude in unsigned arithmetic: G_MININT64 has no positive counterpart. */
  guint64 magnitude = value < 0 ? ~(guint64) value + 1 : (guint64) value;

  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    digits[n++] = '-';

  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* The shortest form that reads back as the same double, and as a double, not an integer. */
void
mcp_json_write_double (GString *out,
                       double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* JSON has no infinities; JSON.stringify() writes null too. Parsing never makes one. */
      g_string_append (out, "null");
      return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[k], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

void
mcp_json_write_object (GString    *out,
                       JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      mcp_json_write_string (out, name);
      g_string_append_c (out, ':');
      mcp_json_write_node (out, member);
    }
  g_string_append_c (out, '}');
}

void
mcp_json_write_node (GString  *out,
                     JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      mcp_json_write_object (out, json_node_get_object (node));
      return;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint k = 0; k < n; k++)
          {
            if (k > 0)
              g_string_append_c (out, ',');
            mcp_json_write_node (out, json_array_get_element (array, k));
          }
        g_string_append_c (out, ']');
      }
      return;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;

    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    mcp_json_write_string (out, json_node_get_string (node));
  else if (type == G_TYPE_INT64)
    mcp_json_write_int (out, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    mcp_json_write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    g_string_append (out, "null");
}
