/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-json-scanner.c: strict JSON text to a json-glib tree, for McpMessage.
 *
 * The text is checked for UTF-8, then a linear scan checks the JSON tokens and the nesting
 * depth before json-glib sees it. The scan exists because json-glib 1.6 is both recursive
 * (deep input could exhaust the stack) and lenient (it takes single quotes, comments, hex
 * numbers, wraps integers beyond 64 bits and ignores text after the first value). Errors are
 * in the MCP_MESSAGE_ERROR domain: this is the first half of mcp_message_parse().
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "mcp-json-private.h"

/* Longest excerpt of someone else's text quoted in an error message, in characters. */
#define EXCERPT_CHARS 40

/* Integer literals with more digits than this may exceed the range of a double. */
#define MAX_SAFE_DIGITS 300

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

static char *
describe_char_at (const char *text,
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
/* The pre-scan: strict JSON tokens and bounded nesting, in one linear pass                  */
/* ---------------------------------------------------------------------------------------- */

typedef struct
{
  const char *text;   /* valid UTF-8 */
  gsize       length;
  GArray     *wide_integer_ends; /* gsize offsets just past integer literals beyond gint64 */
} JsonScan;

static void scan_error (JsonScan        *scan,
                        GError         **error,
                        McpMessageError  code,
                        gsize            offset,
                        const char      *format,
                        ...) G_GNUC_PRINTF (5, 6);

/* Sets @error to "@format at line L, column C". */
static void
scan_error (JsonScan         *scan,
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

/* @pos is at the opening quote; on success it is left just past the closing one. */
static gboolean
scan_string (JsonScan  *scan,
             gsize     *pos,
             GError   **error)
{
  const char *text = scan->text;
  gsize length = scan->length;
  gsize start = *pos;
  gsize i = start + 1;

  while (i < length)
    {
      guchar c = (guchar) text[i];

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
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              i += 2;
              break;

            case 'u':
              {
                gunichar unit;
                gunichar low;

                if (length - i < 6 || !read_hex4 (text + i + 2, &unit))
                  {
                    scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                "Invalid “\\u” escape in a string: expected four hexadecimal "
                                "digits after it");
                    return FALSE;
                  }
                if (unit == 0)
                  {
                    scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                "String contains the escape “\\u0000” (a NUL character), "
                                "which cannot be represented");
                    return FALSE;
                  }
                if (unit >= 0xDC00 && unit <= 0xDFFF)
                  {
                    scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                "String contains the low surrogate escape “\\u%04X” alone: "
                                "expected it right after a high surrogate (“\\uD800” to "
                                "“\\uDBFF”)", unit);
                    return FALSE;
                  }
                if (unit >= 0xD800 && unit <= 0xDBFF)
                  {
                    if (length - i < 12 || text[i + 6] != '\\' || text[i + 7] != 'u'
                        || !read_hex4 (text + i + 8, &low) || low < 0xDC00 || low > 0xDFFF)
                      {
                        scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                    "String contains the high surrogate escape “\\u%04X” "
                                    "without a low surrogate escape (“\\uDC00” to “\\uDFFF”) "
                                    "right after it", unit);
                        return FALSE;
                      }
                    i += 12;
                  }
                else
                  {
                    i += 6;
                  }
              }
              break;

            default:
              {
                g_autofree char *got = describe_char_at (text, length, i + 1);

                scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                            "Invalid escape in a string: expected one of \\\" \\\\ \\/ \\b "
                            "\\f \\n \\r \\t \\uXXXX after the backslash, got %s", got);
                return FALSE;
              }
            }
        }
      else if (c < 0x20)
        {
          scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                      "String contains the control character U+%04X unescaped: expected it "
                      "written as an escape", (guint) c);
          return FALSE;
        }
      else
        {
          i++;
        }
    }

  scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
              "String is not terminated: expected a closing “\"” before the end of the text");
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
scan_digits_after (JsonScan    *scan,
                   gsize       *pos,
                   const char  *after,
                   GError     **error)
{
  const char *text = scan->text;
  gsize i = *pos;

  if (i >= scan->length || !g_ascii_isdigit (text[i]))
    {
      g_autofree char *got = describe_char_at (text, scan->length, i);

      scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                  "Invalid number: expected a digit after %s, got %s", after, got);
      return FALSE;
    }

  while (i < scan->length && g_ascii_isdigit (text[i]))
    i++;

  *pos = i;
  return TRUE;
}

/* @pos is at a '-' or a digit; the JSON number grammar, then range checks. */
static gboolean
scan_number (JsonScan  *scan,
             gsize     *pos,
             GError   **error)
{
  const char *text = scan->text;
  gsize length = scan->length;
  gsize start = *pos;
  gsize i = start;
  gsize int_start;
  gsize int_end;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  gboolean exponent = FALSE;
  gboolean wide;

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
          scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
                      "Invalid number: JSON does not allow leading zeros");
          return FALSE;
        }
    }
  else if (!scan_digits_after (scan, &i, "“-”", error))
    {
      return FALSE;
    }
  int_end = i;

  if (i < length && text[i] == '.')
    {
      integral = FALSE;
      i++;
      if (!scan_digits_after (scan, &i, "the decimal point", error))
        return FALSE;
    }

  if (i < length && (text[i] == 'e' || text[i] == 'E'))
    {
      integral = FALSE;
      exponent = TRUE;
      i++;
      if (i < length && (text[i] == '+' || text[i] == '-'))
        i++;
      if (!scan_digits_after (scan, &i, "the exponent mark", error))
        return FALSE;
    }

  if (i < length && (g_ascii_isalnum (text[i]) || strchr ("._+-", text[i]) != NULL))
    {
      g_autofree char *got = describe_char_at (text, length, i);

      scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                  "Invalid number: expected a delimiter after it, got %s", got);
      return FALSE;
    }

  wide = integral && !integer_fits_int64 (text + int_start, int_end - int_start, negative);

  if (exponent || wide || int_end - int_start > MAX_SAFE_DIGITS)
    {
      g_autofree char *token = g_strndup (text + start, i - start);

      if (!isfinite (g_ascii_strtod (token, NULL)))
        {
          g_autofree char *shown = mcp_json_excerpt (token, -1);

          scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, start,
                      "Number %s is beyond the range of a double-precision number", shown);
          return FALSE;
        }
    }

  if (wide)
    {
      if (scan->wide_integer_ends == NULL)
        scan->wide_integer_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_array_append_val (scan->wide_integer_ends, i);
    }

  *pos = i;
  return TRUE;
}

/* @pos is at an ASCII letter: only true, false and null are words in JSON. */
static gboolean
scan_word (JsonScan  *scan,
           gsize     *pos,
           GError   **error)
{
  const char *word = scan->text + *pos;
  gsize i = *pos;
  gsize n;

  while (i < scan->length && (g_ascii_isalnum (scan->text[i]) || scan->text[i] == '_'))
    i++;
  n = i - *pos;

  if ((n == 4 && memcmp (word, "true", 4) == 0)
      || (n == 5 && memcmp (word, "false", 5) == 0)
      || (n == 4 && memcmp (word, "null", 4) == 0))
    {
      *pos = i;
      return TRUE;
    }

  {
    g_autofree char *shown = mcp_json_excerpt (word, n);

    scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, *pos,
                "Unexpected word “%s”: expected a value (an object, an array, a string, a "
                "number, true, false or null)", shown);
  }
  return FALSE;
}

/* Checks every token and the nesting of the whole text. The grammar between tokens (commas,
 * colons, member names) is left to json-glib, which is strict about it. */
static gboolean
scan_json_text (JsonScan  *scan,
                GError   **error)
{
  const char *text = scan->text;
  gsize length = scan->length;
  char open[MCP_MESSAGE_MAX_DEPTH];
  guint depth = 0;
  gboolean complete = FALSE; /* the top-level value has ended */
  gsize i = 0;

  while (i < length)
    {
      char c = text[i];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          i++;
          continue;
        }

      if (depth == 0 && complete)
        {
          g_autofree char *got = describe_char_at (text, length, i);

          scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                      "Unexpected %s after the end of the JSON value: expected one value only",
                      got);
          return FALSE;
        }

      switch (c)
        {
        case '{':
        case '[':
          if (depth == MCP_MESSAGE_MAX_DEPTH)
            {
              scan_error (scan, error, MCP_MESSAGE_ERROR_TOO_DEEP, i,
                          "Message nests arrays and objects deeper than %d levels",
                          MCP_MESSAGE_MAX_DEPTH);
              return FALSE;
            }
          open[depth++] = c;
          i++;
          break;

        case '}':
        case ']':
          {
            char expected;

            if (depth == 0)
              {
                scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                            "Unexpected “%c”: no array or object is open", c);
                return FALSE;
              }
            expected = open[depth - 1] == '{' ? '}' : ']';
            if (c != expected)
              {
                scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                            "Unexpected “%c”: expected “%c” to close the %s first", c, expected,
                            expected == '}' ? "object" : "array");
                return FALSE;
              }
            depth--;
            i++;
            complete = depth == 0;
          }
          break;

        case ',':
        case ':':
          if (depth == 0)
            {
              scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                          "Unexpected “%c” outside of any array or object", c);
              return FALSE;
            }
          i++;
          break;

        case '"':
          if (!scan_string (scan, &i, error))
            return FALSE;
          complete = depth == 0;
          break;

        default:
          if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (scan, &i, error))
                return FALSE;
            }
          else if (g_ascii_isalpha (c))
            {
              if (!scan_word (scan, &i, error))
                return FALSE;
            }
          else
            {
              g_autofree char *got = describe_char_at (text, length, i);

              scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                          "Unexpected %s: expected a JSON value", got);
              return FALSE;
            }
          complete = depth == 0;
          break;
        }
    }

  if (depth > 0)
    {
      scan_error (scan, error, MCP_MESSAGE_ERROR_PARSE, length,
                  "Message ends inside an %s: expected “%c” before the end of the text",
                  open[depth - 1] == '{' ? "object" : "array",
                  open[depth - 1] == '{' ? '}' : ']');
      return FALSE;
    }

  if (!complete)
    {
      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                   "Message is empty: expected a JSON-RPC message, got %s",
                   length == 0 ? "no text" : "only white space");
      return FALSE;
    }

  return TRUE;
}

/* UTF-8 check, pre-scan, then json-glib. Returns the root node, never NULL on success. */
JsonNode *
mcp_json_parse_strict (const char  *data,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) widened = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonScan scan = { 0 };
  const char *invalid = NULL;
  gsize len;
  JsonNode *root;

  len = length < 0 ? strlen (data) : (gsize) length;

  if (!g_utf8_validate_len (data, len, &invalid))
    {
      gsize offset = invalid - data;

      if (data[offset] == '\0')
        g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                     "Message is not text: expected UTF-8, got a NUL byte at byte offset %"
                     G_GSIZE_FORMAT, offset);
      else
        g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                     "Message is not valid UTF-8: unexpected byte 0x%02X at byte offset %"
                     G_GSIZE_FORMAT, (guint) (guchar) data[offset], offset);
      return NULL;
    }

  /* RFC 8259 section 8.1 lets a parser ignore a byte order mark. */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  scan.text = data;
  scan.length = len;
  if (!scan_json_text (&scan, error))
    {
      g_clear_pointer (&scan.wide_integer_ends, g_array_unref);
      return NULL;
    }

  /* json-glib 1.6 wraps integers beyond 64 bits around silently. Read them as doubles, as
   * JavaScript peers do, by writing them with a fraction. */
  if (scan.wide_integer_ends != NULL)
    {
      gsize done = 0;

      widened = g_string_sized_new (len + 2 * scan.wide_integer_ends->len);
      for (guint k = 0; k < scan.wide_integer_ends->len; k++)
        {
          gsize end = g_array_index (scan.wide_integer_ends, gsize, k);

          g_string_append_len (widened, data + done, end - done);
          g_string_append (widened, ".0");
          done = end;
        }
      g_string_append_len (widened, data + done, len - done);
      g_clear_pointer (&scan.wide_integer_ends, g_array_unref);

      data = widened->str;
      len = widened->len;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      /* json-glib quotes the offending token cut at a byte count, which can split a
       * character: keep the error message UTF-8. */
      g_autofree char *detail = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                   "Message is not valid JSON: %s", detail);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                           "Message is empty: expected a JSON-RPC message");
      return NULL;
    }

  return root;
}
