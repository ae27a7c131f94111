/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes JSON for the result view. A 10 MB result goes through here in a worker thread, so
 * every step is linear: each container asks once whether it fits on one line, and that
 * question stops as soon as the answer is no. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tether-json-printer.h"

#define INDENT_WIDTH 2

/* ---- Scalars ----------------------------------------------------------------------------- */

void
tether_json_printer_append_double (GString *out,
                                   double   number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize start = out->len;

  if (!isfinite (number))
    {
      g_string_append (out, "null");
      return;
    }

  /* The fewest digits that read back as the same double: 0.1 is "0.1", not
   * "0.10000000000000001". */
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, number);
      if (precision == 17 || g_ascii_strtod (buffer, NULL) == number)
        break;
    }
  g_string_append (out, buffer);

  /* Keep it a number with a fraction, as it came: 2.0 stays 2.0 rather than turning into
   * the integer 2. An exponent already says as much. */
  if (strpbrk (out->str + start, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_number (GString  *out,
               JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    tether_json_printer_append_double (out, json_node_get_double (node));
}

static void
append_escaped (GString    *out,
                const char *text,
                gsize       length)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = text;
  const char *end = text + length;

  for (const char *p = text; p < end; p++)
    {
      guchar c = (guchar) *p;
      char escape;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': escape = '"'; break;
        case '\\': escape = '\\'; break;
        case '\b': escape = 'b'; break;
        case '\f': escape = 'f'; break;
        case '\n': escape = 'n'; break;
        case '\r': escape = 'r'; break;
        case '\t': escape = 't'; break;
        default: escape = 0; break;
        }
      if (escape != 0)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, escape);
        }
      else
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
  g_string_append_len (out, run, end - run);
}

static void
append_string (GString    *out,
               const char *text,
               gsize       max_bytes,
               gboolean   *shortened)
{
  g_autofree char *repaired = NULL;
  gsize length = strlen (text);
  gsize kept = length;

  /* Text that came from json-glib's parser is UTF-8; text built by other code may not be,
   * and a GtkTextBuffer refuses anything else. */
  if (!g_utf8_validate (text, length, NULL))
    {
      repaired = g_utf8_make_valid (text, length);
      text = repaired;
      kept = length = strlen (repaired);
    }

  if (max_bytes > 0 && length > max_bytes)
    {
      const char *cut = g_utf8_find_prev_char (text, text + max_bytes + 1);

      kept = cut != NULL ? (gsize) (cut - text) : 0;
      if (shortened != NULL)
        *shortened = TRUE;
    }

  g_string_append_c (out, '"');
  append_escaped (out, text, kept);
  if (kept < length)
    {
      g_autofree char *left_out = g_format_size (length - kept);

      /* Inside the quotes, so the text stays JSON; the view says strings were shortened. */
      g_string_append_printf (out, "… [%s more]", left_out);
    }
  g_string_append_c (out, '"');
}

/* ---- Fitting on one line ----------------------------------------------------------------- */

/* The length of @node written on one line, or something above @budget once it is clear that
 * it will not fit: the walk stops there, so asking costs at most @budget characters. */
static gsize
inline_length (JsonNode *node,
               gsize     budget)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return 4;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          return json_node_get_boolean (node) ? 4 : 5;
        if (type == G_TYPE_STRING)
          {
            const char *text = json_node_get_string (node);
            gsize length = 2;

            /* Escapes only make it longer; plain bytes are a lower bound that is enough to
             * say no early, and exact for the strings that fit. */
            for (const char *p = text; *p != '\0'; p++)
              {
                guchar c = (guchar) *p;

                length += (c == '"' || c == '\\') ? 2 : (c < 0x20 ? 6 : 1);
                if (length > budget)
                  return budget + 1;
              }
            return length;
          }
        else
          {
            g_autoptr(GString) number = g_string_new (NULL);

            append_number (number, node);
            return number->len;
          }
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gsize length = 2;

        for (guint i = 0; i < n && length <= budget; i++)
          length += (i > 0 ? 2 : 0) + inline_length (json_array_get_element (array, i),
                                                     budget - MIN (budget, length));
        return MIN (length, budget + 1);
      }

    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gsize length = 2;
        gboolean first = TRUE;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (length <= budget && json_object_iter_next_ordered (&iter, &name, &member))
          {
            length += (first ? 0 : 2) + strlen (name) + 4;
            first = FALSE;
            if (length <= budget)
              length += inline_length (member, budget - length);
          }
        return MIN (length, budget + 1);
      }

    default:
      return 0;
    }
}

/* ---- Writing ----------------------------------------------------------------------------- */

typedef struct
{
  GString  *out;
  gsize     max_string_bytes;
  gboolean  pretty;
  gboolean  shortened;
} Printer;

static void print_node (Printer  *printer,
                        JsonNode *node,
                        guint     depth,
                        gboolean  on_one_line);

static void
newline (Printer *printer,
         guint    depth)
{
  g_string_append_c (printer->out, '\n');
  for (guint i = 0; i < depth * INDENT_WIDTH; i++)
    g_string_append_c (printer->out, ' ');
}

static void
print_array (Printer   *printer,
             JsonArray *array,
             guint      depth,
             gboolean   on_one_line)
{
  guint n = json_array_get_length (array);

  g_string_append_c (printer->out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (printer->out, on_one_line && printer->pretty ? ", " : ",");
      if (!on_one_line)
        newline (printer, depth + 1);
      print_node (printer, json_array_get_element (array, i), depth + 1, on_one_line);
    }
  if (!on_one_line && n > 0)
    newline (printer, depth);
  g_string_append_c (printer->out, ']');
}

static void
print_object (Printer    *printer,
              JsonObject *object,
              guint       depth,
              gboolean    on_one_line)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (printer->out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append (printer->out, on_one_line && printer->pretty ? ", " : ",");
      first = FALSE;
      if (!on_one_line)
        newline (printer, depth + 1);
      /* Member names are never shortened: they are what a reader navigates by. */
      append_string (printer->out, name, 0, NULL);
      g_string_append (printer->out, printer->pretty ? ": " : ":");
      print_node (printer, member, depth + 1, on_one_line);
    }
  if (!on_one_line && !first)
    newline (printer, depth);
  g_string_append_c (printer->out, '}');
}

static void
print_node (Printer  *printer,
            JsonNode *node,
            guint     depth,
            gboolean  on_one_line)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (printer->out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          g_string_append (printer->out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_STRING)
          append_string (printer->out, json_node_get_string (node), printer->max_string_bytes,
                         &printer->shortened);
        else if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
          append_number (printer->out, node);
        else
          g_string_append (printer->out, "null");
      }
      break;

    case JSON_NODE_ARRAY:
    case JSON_NODE_OBJECT:
      if (printer->pretty && !on_one_line)
        on_one_line = inline_length (node, TETHER_JSON_PRINTER_INLINE_WIDTH) <=
                      TETHER_JSON_PRINTER_INLINE_WIDTH;
      if (JSON_NODE_HOLDS_ARRAY (node))
        print_array (printer, json_node_get_array (node), depth, on_one_line);
      else
        print_object (printer, json_node_get_object (node), depth, on_one_line);
      break;

    default:
      g_string_append (printer->out, "null");
      break;
    }
}

void
tether_json_printer_append_pretty (GString  *out,
                                   JsonNode *node,
                                   gsize     max_string_bytes,
                                   gboolean *shortened)
{
  Printer printer = { out, max_string_bytes, TRUE, FALSE };

  g_return_if_fail (out != NULL);
  g_return_if_fail (node != NULL);

  print_node (&printer, node, 0, FALSE);
  if (shortened != NULL)
    *shortened = printer.shortened;
}

void
tether_json_printer_append_compact (GString  *out,
                                    JsonNode *node)
{
  Printer printer = { out, 0, FALSE, FALSE };

  g_return_if_fail (out != NULL);
  g_return_if_fail (node != NULL);

  print_node (&printer, node, 0, TRUE);
}

gboolean
tether_json_printer_looks_like_container (const char *text,
                                          gsize       length,
                                          guint       max_depth)
{
  const char *p = text;
  const char *end = text + length;
  gboolean in_string = FALSE;
  guint depth = 0;

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end || (*p != '{' && *p != '['))
    return FALSE;

  for (; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        {
          in_string = TRUE;
        }
      else if (*p == '{' || *p == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (*p == '}' || *p == ']')
        {
          if (depth == 0)
            return FALSE;
          depth--;
        }
    }
  return depth == 0 && !in_string;
}
