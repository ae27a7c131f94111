/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-json-scanner.c: the tokens of strict JSON text, for McpMessage.
 *
 * Strings (decoded), numbers and the words true, false and null, each checked against
 * RFC 8259 with an error that says what was expected, what came and where. The grammar
 * around them and the tree are built in mcp-json-parser.c. Errors are in the
 * MCP_MESSAGE_ERROR domain.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "mcp-json-scanner-private.h"

/* Longest excerpt of someone else's text quoted in an error message, in characters. */
#define EXCERPT_CHARS 40

/* ---------------------------------------------------------------------------------------- */
/* Describing what came, for error messages                                                 */
/* ---------------------------------------------------------------------------------------- */

/* A short, printable excerpt of @str: control characters escaped, cut after EXCERPT_CHARS. */
char *
mcp_json_excerpt (const char *str,
                  gssize      length)
{
  g_autofree char *valid = NULL;
  const char *end;
  const char *p;
  GString *out;
  guint n_chars = 0;

  if (length < 0)
    length = strlen (str);
  if (!g_utf8_validate_len (str, length, NULL))
    {
      valid = g_utf8_make_valid (str, length);
      str = valid;
      length = strlen (valid);
    }

  out = g_string_new (NULL);
  end = str + length;
  for (p = str; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars++ == EXCERPT_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* "line 3, column 7" for a byte offset into valid UTF-8 @text; only computed on failure. */
static char *
describe_position (const char *text,
                   gsize       offset)
{
  gsize line_start = 0;
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (text[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
    }

  return g_strdup_printf ("line %u, column %ld", line,
                          g_utf8_strlen (text + line_start, offset - line_start) + 1);
}

char *
mcp_json_describe_char_at (const char *text,
                           gsize       length,
                           gsize       offset)
{
  gunichar c;
  char utf8[8] = { 0 };

  if (offset >= length)
    return g_strdup ("the end of the text");

  c = g_utf8_get_char_validated (text + offset, length - offset);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    c = 0xFFFD;
  if (c < 0x20 || c == 0x7f)
    return g_strdup_printf ("the control character U+%04X", c);

  g_unichar_to_utf8 (c, utf8);
  return g_strdup_printf ("“%s”", utf8);
}

/* ---------------------------------------------------------------------------------------- */
/* Tokens                                                                                   */
/* ---------------------------------------------------------------------------------------- */

/* Sets @error to "@format at line L, column C". */
void
mcp_json_scan_error (McpJsonScan      *scan,
                     GError          **error,
                     McpMessageError   code,
                     gsize             offset,
                     const char       *format,
                     ...)
{
  g_autofree char *what = NULL;
  g_autofree char *where = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  where = describe_position (scan->text, offset);
  g_set_error (error, MCP_MESSAGE_ERROR, code, "%s at %s", what, where);
}

static gboolean
read_hex4 (const char *p,
           gunichar   *out)
{
  gunichar value = 0;

  for (guint k = 0; k < 4; k++)
    {
      int digit = g_ascii_xdigit_value (p[k]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (gunichar) digit;
    }

  *out = value;
  return TRUE;
}

/* Appends the code point @c as UTF-8; escapes can only name valid scalar values here. */
static void
append_unichar (GString  *out,
                gunichar  c)
{
  char utf8[6];

  g_string_append_len (out, utf8, g_unichar_to_utf8 (c, utf8));
}

/* @pos is at the opening quote; on success it is left just past the closing one and the
 * decoded string is in scan->scratch (the text was checked for UTF-8 before). */
gboolean
mcp_json_scan_string (McpJsonScan  *scan,
                      gsize        *pos,
                      GError      **error)
{
  const char *text = scan->text;
  gsize length = scan->length;
  gsize start = *pos;
  gsize i = start + 1;
  gsize run = i; /* start of the characters not yet copied */
  GString *out = scan->scratch;

  g_string_truncate (out, 0);

  while (i < length)
    {
      guchar c = (guchar) text[i];

      if (c >= 0x20 && c != '"' && c != '\\')
        {
          i++;
          continue;
        }

      g_string_append_len (out, text + run, i - run);

      if (c == '"')
        {
          *pos = i + 1;
          return TRUE;
        }
      else if (c == '\\')
        {
          char escaped = i + 1 < length ? text[i + 1] : '\0';

          switch (escaped)
            {
            case '"': case '\\': case '/':
              g_string_append_c (out, escaped);
              i += 2;
              break;
            case 'b': g_string_append_c (out, '\b'); i += 2; break;
            case 'f': g_string_append_c (out, '\f'); i += 2; break;
            case 'n': g_string_append_c (out, '\n'); i += 2; break;
            case 'r': g_string_append_c (out, '\r'); i += 2; break;
            case 't': g_string_append_c (out, '\t'); i += 2; break;

            case 'u':
              {
                gunichar unit;
                gunichar low;

                if (length - i < 6 || !read_hex4 (text + i + 2, &unit))
                  {
                    mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                         "Invalid “\\u” escape in a string: expected four "
                                         "hexadecimal digits after it");
                    return FALSE;
                  }
                if (unit == 0)
                  {
                    mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                         "String contains the escape “\\u0000” (a NUL "
                                         "character), which cannot be represented");
                    return FALSE;
                  }
                if (unit >= 0xDC00 && unit <= 0xDFFF)
                  {
                    mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                         "String contains the low surrogate escape “\\u%04X” "
                                         "alone: expected it right after a high surrogate "
                                         "(“\\uD800” to “\\uDBFF”)", unit);
                    return FALSE;
                  }
                if (unit >= 0xD800 && unit <= 0xDBFF)
                  {
                    if (length - i < 12 || text[i + 6] != '\\' || text[i + 7] != 'u'
                        || !read_hex4 (text + i + 8, &low) || low < 0xDC00 || low > 0xDFFF)
                      {
                        mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                             "String contains the high surrogate escape "
                                             "“\\u%04X” without a low surrogate escape "
                                             "(“\\uDC00” to “\\uDFFF”) right after it", unit);
                        return FALSE;
                      }
                    append_unichar (out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                    i += 12;
                  }
                else
                  {
                    append_unichar (out, unit);
                    i += 6;
                  }
              }
              break;

            default:
              {
                g_autofree char *got = mcp_json_describe_char_at (text, length, i + 1);

                mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                     "Invalid escape in a string: expected one of \\\" \\\\ "
                                     "\\/ \\b \\f \\n \\r \\t \\uXXXX after the backslash, got "
                                     "%s", got);
                return FALSE;
              }
            }
          run = i;
        }
      else
        {
          mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                               "String contains the control character U+%04X unescaped: "
                               "expected it written as an escape", (guint) c);
          return FALSE;
        }
    }

  mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
                       "String is not terminated: expected a closing “\"” before the end of "
                       "the text");
  return FALSE;
}

/* @digits has no sign and no leading zero. */
static gboolean
integer_fits_int64 (const char *digits,
                    gsize       n_digits,
                    gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";
  gsize limit_len = strlen (limit);

  if (n_digits != limit_len)
    return n_digits < limit_len;

  return memcmp (digits, limit, limit_len) <= 0;
}

static gboolean
scan_digits_after (McpJsonScan  *scan,
                   gsize        *pos,
                   const char   *after,
                   GError      **error)
{
  const char *text = scan->text;
  gsize i = *pos;

  if (i >= scan->length || !g_ascii_isdigit (text[i]))
    {
      g_autofree char *got = mcp_json_describe_char_at (text, scan->length, i);

      mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                           "Invalid number: expected a digit after %s, got %s", after, got);
      return FALSE;
    }

  while (i < scan->length && g_ascii_isdigit (text[i]))
    i++;

  *pos = i;
  return TRUE;
}

/* The value of the integer literal @digits (no sign, no leading zero), known to fit. */
static gint64
integer_value (const char *digits,
               gsize       n_digits,
               gboolean    negative)
{
  guint64 magnitude = 0;

  for (gsize k = 0; k < n_digits; k++)
    magnitude = magnitude * 10 + (guint64) (digits[k] - '0');

  /* -9223372036854775808 has no positive counterpart: negate in unsigned arithmetic. */
  return negative ? (gint64) (~magnitude + 1) : (gint64) magnitude;
}

/* @pos is at a '-' or a digit: the JSON number grammar, then the value. Integers that fit
 * in 64 bits become integer nodes; every other number a double node, as JavaScript peers
 * read them. */
JsonNode *
mcp_json_scan_number (McpJsonScan  *scan,
                      gsize        *pos,
                      GError      **error)
{
  const char *text = scan->text;
  gsize length = scan->length;
  gsize start = *pos;
  gsize i = start;
  gsize int_start;
  gsize int_end;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  JsonNode *node;

  if (text[i] == '-')
    {
      negative = TRUE;
      i++;
    }

  int_start = i;
  if (i < length && text[i] == '0')
    {
      i++;
      if (i < length && g_ascii_isdigit (text[i]))
        {
          mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
                               "Invalid number: JSON does not allow leading zeros");
          return NULL;
        }
    }
  else if (!scan_digits_after (scan, &i, "“-”", error))
    {
      return NULL;
    }
  int_end = i;

  if (i < length && text[i] == '.')
    {
      integral = FALSE;
      i++;
      if (!scan_digits_after (scan, &i, "the decimal point", error))
        return NULL;
    }

  if (i < length && (text[i] == 'e' || text[i] == 'E'))
    {
      integral = FALSE;
      i++;
      if (i < length && (text[i] == '+' || text[i] == '-'))
        i++;
      if (!scan_digits_after (scan, &i, "the exponent mark", error))
        return NULL;
    }

  if (i < length && (g_ascii_isalnum (text[i]) || strchr ("._+-", text[i]) != NULL))
    {
      g_autofree char *got = mcp_json_describe_char_at (text, length, i);

      mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                           "Invalid number: expected a delimiter after it, got %s", got);
      return NULL;
    }

  node = json_node_alloc ();
  if (integral && integer_fits_int64 (text + int_start, int_end - int_start, negative))
    {
      json_node_init_int (node, integer_value (text + int_start, int_end - int_start, negative));
    }
  else
    {
      /* g_ascii_strtod() wants a terminated string; the text need not be one. */
      char buffer[64];
      g_autofree char *token = NULL;
      const char *literal = buffer;
      double value;

      if (i - start < sizeof buffer)
        {
          memcpy (buffer, text + start, i - start);
          buffer[i - start] = '\0';
        }
      else
        {
          literal = token = g_strndup (text + start, i - start);
        }

      value = g_ascii_strtod (literal, NULL);
      if (!isfinite (value))
        {
          g_autofree char *shown = mcp_json_excerpt (literal, -1);

          mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
                               "Number %s is beyond the range of a double-precision number",
                               shown);
          json_node_free (node);
          return NULL;
        }
      json_node_init_double (node, value);
    }

  *pos = i;
  return node;
}

/* @pos is at an ASCII letter: only true, false and null are words in JSON. */
JsonNode *
mcp_json_scan_word (McpJsonScan  *scan,
                    gsize        *pos,
                    GError      **error)
{
  const char *word = scan->text + *pos;
  gsize i = *pos;
  gsize n;

  while (i < scan->length && (g_ascii_isalnum (scan->text[i]) || scan->text[i] == '_'))
    i++;
  n = i - *pos;

  if (n == 4 && memcmp (word, "true", 4) == 0)
    {
      *pos = i;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    }
  if (n == 5 && memcmp (word, "false", 5) == 0)
    {
      *pos = i;
      return json_node_init_boolean (json_node_alloc (), FALSE);
    }
  if (n == 4 && memcmp (word, "null", 4) == 0)
    {
      *pos = i;
      return json_node_init_null (json_node_alloc ());
    }

  {
    g_autofree char *shown = mcp_json_excerpt (word, n);

    mcp_json_scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, *pos,
                         "Unexpected word “%s”: expected a value (an object, an array, a "
                         "string, a number, true, false or null)", shown);
  }
  return NULL;
}
