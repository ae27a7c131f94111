/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mcp-frontmatter-private.h"

/*
 * Frontmatter read character by character: plain scalars typed by the YAML 1.2 core schema,
 * quoted scalars with their escapes and line folding, and flow collections, which may span
 * several lines (the caller joins them with \n). Nesting is bounded (MAX_DEPTH).
 */

/* Scalars */

/* Is s[0..len) one of the NULL-terminated @names? */
static gboolean
is_one_of (const char        *s,
           gsize              len,
           const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strlen (names[i]) == len && memcmp (names[i], s, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
all_digits (const char *s,
            gsize       len,
            guint       base)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (g_ascii_digit_value (s[i]) < 0 && !(base == 16 && g_ascii_isxdigit (s[i])))
      return FALSE;
    else if (base == 8 && s[i] > '7')
      return FALSE;
  return TRUE;
}

/* [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static gboolean
is_float (const char *s,
          gsize       len)
{
  gsize i = 0;
  gsize digits = 0;

  if (i < len && (s[i] == '-' || s[i] == '+'))
    i++;
  while (i < len && g_ascii_isdigit (s[i]))
    i++, digits++;
  if (i < len && s[i] == '.')
    {
      i++;
      while (i < len && g_ascii_isdigit (s[i]))
        i++, digits++;
    }
  if (digits == 0)
    return FALSE;
  if (i < len && (s[i] == 'e' || s[i] == 'E'))
    {
      gsize exponent = 0;

      i++;
      if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
      while (i < len && g_ascii_isdigit (s[i]))
        i++, exponent++;
      if (exponent == 0)
        return FALSE;
    }
  return i == len;
}

static JsonNode *
double_node (double value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, value);
  return node;
}

static JsonNode *
int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

JsonNode *
mcp_frontmatter_string_node (const char *s,
                             gsize       len)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *copy = g_strndup (s, len);

  json_node_set_string (node, copy);
  return node;
}

/* A plain scalar, typed as the YAML 1.2 core schema says. */
JsonNode *
mcp_frontmatter_resolve_plain (const char *s,
                               gsize       len)
{
  static const char * const nulls[] = { "~", "null", "Null", "NULL", NULL };
  static const char * const booleans[] = { "true", "True", "TRUE", "false", "False", "FALSE",
                                           NULL };
  static const char * const infinities[] = { ".inf", ".Inf", ".INF", NULL };
  static const char * const nans[] = { ".nan", ".NaN", ".NAN", NULL };
  g_autofree char *text = g_strndup (s, len);
  JsonNode *node;

  if (len == 0 || is_one_of (s, len, nulls))
    return json_node_new (JSON_NODE_NULL);
  if (is_one_of (s, len, booleans))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, s[0] == 't' || s[0] == 'T');
      return node;
    }

  if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x') &&
      all_digits (s + 2, len - 2, s[1] == 'o' ? 8 : 16))
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (text + 2, s[1] == 'o' ? 8 : 16, 0, G_MAXINT64, &value,
                                      NULL))
        return int_node ((gint64) value);
      return double_node (g_ascii_strtod (text, NULL));
    }
  {
    gsize sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;

    if (all_digits (s + sign, len - sign, 10))
      {
        gint64 value;

        if (g_ascii_string_to_signed (text + (s[0] == '+' ? 1 : 0), 10, G_MININT64, G_MAXINT64,
                                      &value, NULL))
          return int_node (value);
        return double_node (g_ascii_strtod (text, NULL));
      }
    if (is_float (s, len))
      return double_node (g_ascii_strtod (text, NULL));
    if (is_one_of (s + sign, len - sign, infinities))
      return double_node (s[0] == '-' ? -INFINITY : INFINITY);
    if (is_one_of (s, len, nans))
      return double_node (NAN);
  }

  return mcp_frontmatter_string_node (s, len);
}

/* Flow text and quoted scalars */

/* Skips blanks, line breaks and comments. */
static void
scan_skip_space (Scan *sc)
{
  while (!scan_at_end (sc))
    {
      char c = sc->s[sc->i];

      if (c == ' ' || c == '\t' || c == '\n')
        sc->i++;
      else if (c == '#' && (sc->i == 0 || g_ascii_isspace (sc->s[sc->i - 1])))
        {
          while (!scan_at_end (sc) && sc->s[sc->i] != '\n')
            sc->i++;
        }
      else
        break;
    }
}

static gboolean
append_hex_escape (Scan     *sc,
                   GString  *out,
                   guint     digits,
                   GError  **error)
{
  gunichar value = 0;

  for (guint k = 0; k < digits; k++)
    {
      int digit = sc->i + k < sc->len ? g_ascii_xdigit_value (sc->s[sc->i + k]) : -1;

      if (digit < 0)
        {
          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                     "expected %u hexadecimal digits in an escape sequence", digits);
          return FALSE;
        }
      value = value * 16 + (gunichar) digit;
    }
  sc->i += digits;

  /* A UTF-16 surrogate pair written as two \u escapes, as JSON does. */
  if (digits == 4 && value >= 0xD800 && value <= 0xDBFF && sc->i + 6 <= sc->len &&
      sc->s[sc->i] == '\\' && sc->s[sc->i + 1] == 'u')
    {
      gunichar low = 0;
      gboolean ok = TRUE;

      for (guint k = 0; k < 4; k++)
        {
          int digit = g_ascii_xdigit_value (sc->s[sc->i + 2 + k]);

          ok = ok && digit >= 0;
          low = low * 16 + (gunichar) MAX (digit, 0);
        }
      if (ok && low >= 0xDC00 && low <= 0xDFFF)
        {
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
          sc->i += 6;
        }
    }

  if (!g_unichar_validate (value) || value == 0)
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                 "expected an escape naming a Unicode character, got U+%04X", value);
      return FALSE;
    }
  g_string_append_unichar (out, value);
  return TRUE;
}

static gboolean
append_escape (Scan     *sc,
               GString  *out,
               GError  **error)
{
  char c = scan_peek (sc);
  static const struct { char name; const char *text; } simple[] = {
    { 'a', "\a" }, { 'b', "\b" }, { 't', "\t" }, { '\t', "\t" }, { 'n', "\n" },
    { 'v', "\v" }, { 'f', "\f" }, { 'r', "\r" }, { 'e', "\033" }, { ' ', " " }, { '"', "\"" },
    { '/', "/" }, { '\\', "\\" }, { 'N', "\xc2\x85" }, { '_', "\xc2\xa0" },
    { 'L', "\xe2\x80\xa8" }, { 'P', "\xe2\x80\xa9" },
  };

  if (c == '\n')
    {
      /* An escaped line break: the lines join without a space. */
      sc->i++;
      while (is_blank_char (scan_peek (sc)))
        sc->i++;
      return TRUE;
    }
  if (c == '0')
    {
      set_error (error, MCP_FRONTMATTER_ERROR_UNSUPPORTED, scan_line (sc),
                 "a NUL character (\\0) in a string");
      return FALSE;
    }
  for (guint k = 0; k < G_N_ELEMENTS (simple); k++)
    if (simple[k].name == c)
      {
        g_string_append (out, simple[k].text);
        sc->i++;
        return TRUE;
      }
  sc->i++;
  if (c == 'x')
    return append_hex_escape (sc, out, 2, error);
  if (c == 'u')
    return append_hex_escape (sc, out, 4, error);
  if (c == 'U')
    return append_hex_escape (sc, out, 8, error);

  set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
             "expected an escape sequence after \\, got “%c”", c != '\0' ? c : ' ');
  return FALSE;
}

/* A 'single-' or "double-quoted" scalar starting at the quote. Line breaks fold: one becomes a
 * space, n > 1 become n - 1 line feeds; blanks around them go. */
char *
mcp_frontmatter_scan_quoted (Scan    *sc,
                             GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char quote = sc->s[sc->i];
  guint start_line = scan_line (sc);

  sc->i++;
  while (!scan_at_end (sc))
    {
      char c = sc->s[sc->i];

      if (c == quote)
        {
          if (quote == '\'' && sc->i + 1 < sc->len && sc->s[sc->i + 1] == '\'')
            {
              g_string_append_c (out, '\'');
              sc->i += 2;
              continue;
            }
          sc->i++;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (quote == '"' && c == '\\')
        {
          sc->i++;
          if (!append_escape (sc, out, error))
            return NULL;
          continue;
        }
      if (is_blank_char (c))
        {
          gsize end = sc->i;

          while (end < sc->len && is_blank_char (sc->s[end]))
            end++;
          if (end < sc->len && sc->s[end] == '\n')
            sc->i = end;   /* blanks before a line break go */
          else
            {
              g_string_append_len (out, sc->s + sc->i, (gssize) (end - sc->i));
              sc->i = end;
            }
          continue;
        }
      if (c == '\n')
        {
          guint breaks = 0;

          while (!scan_at_end (sc) && (sc->s[sc->i] == '\n' || is_blank_char (sc->s[sc->i])))
            {
              if (sc->s[sc->i] == '\n')
                breaks++;
              sc->i++;
            }
          if (breaks == 1)
            g_string_append_c (out, ' ');
          else
            for (guint k = 1; k < breaks; k++)
              g_string_append_c (out, '\n');
          continue;
        }
      g_string_append_c (out, c);
      sc->i++;
    }

  set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, start_line,
             "expected a closing %c for the string that starts here, got the end of its value",
             quote);
  return NULL;
}

static gboolean
is_flow_indicator (char c)
{
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

/* A plain scalar in a flow collection: up to , [ ] { }, a ": " or a comment; lines fold. */
static char *
scan_plain_flow (Scan *sc)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint breaks = 0;

  while (!scan_at_end (sc))
    {
      char c = sc->s[sc->i];
      char next = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
      gsize start;

      if (is_flow_indicator (c) ||
          (c == ':' && (next == '\0' || g_ascii_isspace (next) || is_flow_indicator (next))) ||
          (c == '#' && sc->i > 0 && g_ascii_isspace (sc->s[sc->i - 1])))
        break;
      if (c == '\n' || is_blank_char (c))
        {
          if (c == '\n')
            breaks++;
          sc->i++;
          continue;
        }

      /* A word: text after blanks joins with a space, or with line feeds after empty lines. */
      if (out->len > 0)
        {
          if (breaks <= 1)
            g_string_append_c (out, ' ');
          else
            for (guint k = 1; k < breaks; k++)
              g_string_append_c (out, '\n');
        }
      breaks = 0;
      start = sc->i;
      while (!scan_at_end (sc))
        {
          c = sc->s[sc->i];
          next = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
          if (g_ascii_isspace (c) || is_flow_indicator (c) ||
              (c == ':' && (next == '\0' || g_ascii_isspace (next) || is_flow_indicator (next))))
            break;
          sc->i++;
        }
      g_string_append_len (out, sc->s + start, (gssize) (sc->i - start));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
mcp_frontmatter_check_node_start (char      c,
                                  char      next,
                                  guint     line,
                                  GError  **error)
{
  if (c == '&' || c == '*' || c == '!')
    {
      set_error (error, MCP_FRONTMATTER_ERROR_UNSUPPORTED, line,
                 "%s (“%c”) are not supported in frontmatter",
                 c == '&' ? "anchors" : c == '*' ? "aliases" : "tags", c);
      return FALSE;
    }
  if (c == '%' || c == '@' || c == '`')
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line,
                 "expected a value, got the reserved indicator “%c” (quote the value)", c);
      return FALSE;
    }
  if (c == '?' && (next == '\0' || g_ascii_isspace (next)))
    {
      set_error (error, MCP_FRONTMATTER_ERROR_UNSUPPORTED, line,
                 "complex mapping keys (“? ”) are not supported in frontmatter");
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
scan_flow_sequence (Scan    *sc,
                    GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node;

  if (!enter (&sc->depth, scan_line (sc), error))
    return NULL;
  sc->i++;
  for (;;)
    {
      JsonNode *item;

      scan_skip_space (sc);
      if (scan_peek (sc) == ']')
        break;
      item = mcp_frontmatter_scan_flow_node (sc, error);
      if (item == NULL)
        return NULL;
      json_array_add_element (array, item);
      scan_skip_space (sc);
      if (scan_peek (sc) == ',')
        {
          sc->i++;
          continue;
        }
      if (scan_peek (sc) == ']')
        break;
      if (scan_peek (sc) == ':')
        set_error (error, MCP_FRONTMATTER_ERROR_UNSUPPORTED, scan_line (sc),
                   "“key: value” pairs inside a [flow sequence] are not supported");
      else if (scan_at_end (sc))
        set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                   "expected “,” or “]” in a [flow sequence], got the end of its value");
      else
        set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                   "expected “,” or “]” in a [flow sequence], got “%c”", scan_peek (sc));
      return NULL;
    }
  sc->i++;
  sc->depth--;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  return node;
}

static JsonNode *
scan_flow_mapping (Scan    *sc,
                   GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  if (!enter (&sc->depth, scan_line (sc), error))
    return NULL;
  sc->i++;
  for (;;)
    {
      g_autofree char *key = NULL;
      JsonNode *value;
      char c;

      scan_skip_space (sc);
      c = scan_peek (sc);
      if (c == '}')
        break;
      if (c == '"' || c == '\'')
        key = mcp_frontmatter_scan_quoted (sc, error);
      else if (c == '\0' || is_flow_indicator (c) || c == ':')
        {
          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                     "expected a key in a {flow mapping}, got %s",
                     c == '\0' ? "the end of its value" : c == ':' ? "“:”" : "a bracket or comma");
          return NULL;
        }
      else if (!mcp_frontmatter_check_node_start (c, sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0',
                                                  scan_line (sc), error))
        return NULL;
      else
        key = scan_plain_flow (sc);
      if (key == NULL)
        return NULL;

      scan_skip_space (sc);
      c = scan_peek (sc);
      if (c == ':')
        {
          sc->i++;
          scan_skip_space (sc);
          c = scan_peek (sc);
          value = (c == ',' || c == '}') ? json_node_new (JSON_NODE_NULL)
                                         : mcp_frontmatter_scan_flow_node (sc, error);
        }
      else if (c == ',' || c == '}')
        value = json_node_new (JSON_NODE_NULL);
      else
        {
          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                     "expected “:” after the key “%s” in a {flow mapping}", key);
          return NULL;
        }
      if (value == NULL)
        return NULL;
      if (json_object_has_member (object, key))
        {
          json_node_unref (value);
          set_error (error, MCP_FRONTMATTER_ERROR_DUPLICATE_KEY, scan_line (sc),
                     "the key “%s” appears twice in one mapping", key);
          return NULL;
        }
      json_object_set_member (object, key, value);

      scan_skip_space (sc);
      if (scan_peek (sc) == ',')
        {
          sc->i++;
          continue;
        }
      if (scan_peek (sc) == '}')
        break;
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                 "expected “,” or “}” in a {flow mapping}, got %s",
                 scan_at_end (sc) ? "the end of its value" : "more text");
      return NULL;
    }
  sc->i++;
  sc->depth--;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

JsonNode *
mcp_frontmatter_scan_flow_node (Scan    *sc,
                                GError **error)
{
  char c;
  char next;

  scan_skip_space (sc);
  c = scan_peek (sc);
  next = sc->i + 1 < sc->len ? sc->s[sc->i + 1] : '\0';
  if (c == '[')
    return scan_flow_sequence (sc, error);
  if (c == '{')
    return scan_flow_mapping (sc, error);
  if (c == '"' || c == '\'')
    {
      g_autofree char *text = mcp_frontmatter_scan_quoted (sc, error);

      return text != NULL ? mcp_frontmatter_string_node (text, strlen (text)) : NULL;
    }
  if (c == '\0' || c == ',' || c == ']' || c == '}')
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc), "expected a value, got %s",
                 c == '\0' ? "the end of the text" : "a bracket or comma");
      return NULL;
    }
  if (c == '|' || c == '>' || (c == '-' && (next == '\0' || g_ascii_isspace (next))))
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (sc),
                 "expected a value inside a flow collection, got the block indicator “%c”", c);
      return NULL;
    }
  if (!mcp_frontmatter_check_node_start (c, next, scan_line (sc), error))
    return NULL;
  {
    g_autofree char *text = scan_plain_flow (sc);

    return mcp_frontmatter_resolve_plain (text, strlen (text));
  }
}
