/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-message.c: one JSON-RPC 2.0 message as MCP uses it.
 *
 * Parsing is strict and never trusts its input: the text is checked for UTF-8, then a linear
 * scan checks the JSON tokens and the nesting depth before json-glib sees it, and the tree is
 * then checked against JSON-RPC 2.0. The scan exists because json-glib 1.6 is both recursive
 * (deep input could exhaust the stack) and lenient (it takes single quotes, comments, hex
 * numbers, wraps integers beyond 64 bits and ignores text after the first value).
 *
 * Serialisation writes compact JSON itself rather than with JsonGenerator, which in json-glib
 * 1.6 writes U+001F unescaped and doubles such as 1e20 as "1e+20.0", neither of them JSON.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "mcp-message.h"

struct _McpMessage
{
  GObject         parent_instance;

  McpMessageKind  kind;
  JsonNode       *id;       /* a string or integer node; NULL for notifications and null ids */
  char           *id_key;
  char           *method;
  JsonObject     *params;
  JsonNode       *result;
  int             error_code;
  char           *error_message;
  JsonNode       *error_data;
};

G_DEFINE_FINAL_TYPE (McpMessage, mcp_message, G_TYPE_OBJECT)

G_DEFINE_QUARK (mcp-message-error-quark, mcp_message_error)

G_DEFINE_ENUM_TYPE (McpMessageKind, mcp_message_kind,
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_REQUEST, "request"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_NOTIFICATION, "notification"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_RESULT, "result"),
  G_DEFINE_ENUM_VALUE (MCP_MESSAGE_KIND_ERROR, "error"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_ID_KEY,
  PROP_METHOD,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Longest excerpt of someone else's text quoted in an error message, in characters. */
#define EXCERPT_CHARS 40

/* Integer literals with more digits than this may exceed the range of a double. */
#define MAX_SAFE_DIGITS 300

/* ---------------------------------------------------------------------------------------- */
/* Describing what came, for error messages                                                 */
/* ---------------------------------------------------------------------------------------- */

/* A short, printable excerpt of @str: control characters escaped, cut after EXCERPT_CHARS. */
static char *
excerpt (const char *str,
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

static void write_double (GString *out,
                          double   value);

static char *
describe_node (JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("an object");
    case JSON_NODE_ARRAY:
      return g_strdup ("an array");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = excerpt (json_node_get_string (node), -1);

      return g_strdup_printf ("the string “%s”", text);
    }
  else if (type == G_TYPE_INT64)
    {
      return g_strdup_printf ("the integer %" G_GINT64_FORMAT, json_node_get_int (node));
    }
  else if (type == G_TYPE_DOUBLE)
    {
      GString *out = g_string_new ("the number ");

      write_double (out, json_node_get_double (node));
      return g_string_free (out, FALSE);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      return g_strdup_printf ("the boolean %s", json_node_get_boolean (node) ? "true" : "false");
    }

  return g_strdup_printf ("a value of type %s", g_type_name (type));
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
          g_autofree char *shown = excerpt (token, -1);

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
    g_autofree char *shown = excerpt (word, n);

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
static JsonNode *
parse_json_text (const char  *data,
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

/* ---------------------------------------------------------------------------------------- */
/* JSON-RPC 2.0 validation                                                                   */
/* ---------------------------------------------------------------------------------------- */

static gboolean
node_holds_type (JsonNode *node,
                 GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_is_id (JsonNode *node)
{
  return node_holds_type (node, G_TYPE_STRING) || node_holds_type (node, G_TYPE_INT64);
}

/* @owner is "request" or "result": the kinds whose id may not be null. */
static gboolean
check_id (JsonNode    *id,
          const char  *owner,
          GError     **error)
{
  g_autofree char *got = NULL;

  if (node_is_id (id))
    return TRUE;

  got = describe_node (id);
  if (JSON_NODE_HOLDS_NULL (id))
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” of a %s must be a string or an integer, got null", owner);
  else if (node_holds_type (id, G_TYPE_DOUBLE))
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” must be a string or an integer, got %s (ids with a "
                 "fraction or an exponent, or beyond 64 bits, are not accepted)", got);
  else
    g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                 "JSON-RPC member “id” must be a string or an integer, got %s", got);
  return FALSE;
}

static McpMessage *
mcp_message_new_kind (McpMessageKind kind)
{
  McpMessage *self = g_object_new (MCP_TYPE_MESSAGE, NULL);

  self->kind = kind;
  return self;
}

/* Takes @id (may be NULL; a JSON null counts as no id). */
static void
mcp_message_take_id (McpMessage *self,
                     JsonNode   *id)
{
  if (id != NULL && JSON_NODE_HOLDS_NULL (id))
    g_clear_pointer (&id, json_node_unref);

  self->id = id;
  self->id_key = id != NULL ? mcp_message_id_key_from_node (id) : NULL;
}

static McpMessage *
parse_call (JsonObject  *object,
            JsonNode    *id,
            JsonNode    *method,
            GError     **error)
{
  JsonNode *params = json_object_get_member (object, "params");
  McpMessage *self;

  if (json_object_has_member (object, "result") || json_object_has_member (object, "error"))
    {
      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC message has “method” and also “%s”: expected a request or "
                   "notification (with “method”) or a response (with “result” or “error”), "
                   "not both",
                   json_object_has_member (object, "result") ? "result" : "error");
      return NULL;
    }

  if (!node_holds_type (method, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (method);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “method” must be a string, got %s", got);
      return NULL;
    }

  if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
    {
      g_autofree char *got = describe_node (params);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “params” must be an object (MCP passes parameters by "
                   "name, never by position), got %s", got);
      return NULL;
    }

  if (id != NULL && !check_id (id, "request", error))
    return NULL;

  self = mcp_message_new_kind (id != NULL ? MCP_MESSAGE_KIND_REQUEST
                                          : MCP_MESSAGE_KIND_NOTIFICATION);
  if (id != NULL)
    mcp_message_take_id (self, json_node_copy (id));
  self->method = g_strdup (json_node_get_string (method));
  if (params != NULL)
    self->params = json_object_ref (json_node_get_object (params));

  return self;
}

static McpMessage *
parse_result (JsonNode    *id,
              JsonNode    *result,
              GError     **error)
{
  McpMessage *self;

  if (id == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC result has no member “id”: expected the id of the request "
                           "it answers");
      return NULL;
    }
  if (!check_id (id, "result", error))
    return NULL;

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_RESULT);
  mcp_message_take_id (self, json_node_copy (id));
  self->result = json_node_copy (result);

  return self;
}

/* @id may be missing or null: the peer could not tell which request failed. (JSON-RPC wants
 * the member present; the MCP schema lets it be left out, so both are accepted.) */
static McpMessage *
parse_error (JsonNode    *id,
             JsonNode    *error_node,
             GError     **error)
{
  JsonObject *error_object;
  JsonNode *code;
  JsonNode *message;
  JsonNode *data;
  McpMessage *self;

  if (id != NULL && !JSON_NODE_HOLDS_NULL (id) && !check_id (id, "response", error))
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (error_node))
    {
      g_autofree char *got = describe_node (error_node);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “error” must be an object with “code” and “message”, "
                   "got %s", got);
      return NULL;
    }

  error_object = json_node_get_object (error_node);
  code = json_object_get_member (error_object, "code");
  message = json_object_get_member (error_object, "message");
  data = json_object_get_member (error_object, "data");

  if (code == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC error object has no member “code”: expected an integer");
      return NULL;
    }
  if (!node_holds_type (code, G_TYPE_INT64)
      || json_node_get_int (code) < G_MININT || json_node_get_int (code) > G_MAXINT)
    {
      g_autofree char *got = describe_node (code);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC error member “code” must be a 32-bit integer, got %s", got);
      return NULL;
    }

  if (message == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC error object has no member “message”: expected a string");
      return NULL;
    }
  if (!node_holds_type (message, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (message);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC error member “message” must be a string, got %s", got);
      return NULL;
    }

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_ERROR);
  mcp_message_take_id (self, id != NULL ? json_node_copy (id) : NULL);
  self->error_code = (int) json_node_get_int (code);
  self->error_message = g_strdup (json_node_get_string (message));
  if (data != NULL)
    self->error_data = json_node_copy (data);

  return self;
}

/* One message from a node that is not an array. */
static McpMessage *
message_from_single_node (JsonNode  *node,
                          GError   **error)
{
  JsonObject *object;
  JsonNode *version;
  JsonNode *id;
  JsonNode *method;
  JsonNode *result;
  JsonNode *error_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = describe_node (node);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC message must be an object, got %s", got);
      return NULL;
    }

  object = json_node_get_object (node);

  version = json_object_get_member (object, "jsonrpc");
  if (version == NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC member “jsonrpc” is missing: expected “2.0”");
      return NULL;
    }
  if (!node_holds_type (version, G_TYPE_STRING))
    {
      g_autofree char *got = describe_node (version);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “jsonrpc” must be the string “2.0”, got %s", got);
      return NULL;
    }
  if (strcmp (json_node_get_string (version), "2.0") != 0)
    {
      g_autofree char *got = excerpt (json_node_get_string (version), -1);

      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                   "JSON-RPC member “jsonrpc” must be “2.0”, got “%s”", got);
      return NULL;
    }

  id = json_object_get_member (object, "id");
  method = json_object_get_member (object, "method");
  result = json_object_get_member (object, "result");
  error_node = json_object_get_member (object, "error");

  if (method != NULL)
    return parse_call (object, id, method, error);

  if (result != NULL && error_node != NULL)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC response has both “result” and “error”: expected exactly "
                           "one of them");
      return NULL;
    }

  if (result != NULL)
    return parse_result (id, result, error);

  if (error_node != NULL)
    return parse_error (id, error_node, error);

  g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                       "JSON-RPC message has none of “method”, “result” and “error”: expected "
                       "a request, a notification or a response");
  return NULL;
}

static void
set_batch_error (GError  **error,
                 JsonNode *node)
{
  g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_BATCH,
               "Expected a single JSON-RPC message, got a batch (an array of %u elements)",
               json_array_get_length (json_node_get_array (node)));
}

/* ---------------------------------------------------------------------------------------- */
/* Serialisation                                                                             */
/* ---------------------------------------------------------------------------------------- */

static void write_node (GString  *out,
                        JsonNode *node);

static void
write_string (GString    *out,
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

/* The shortest form that reads back as the same double, and as a double, not an integer. */
static void
write_double (GString *out,
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

static void
write_object (GString    *out,
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
      write_string (out, name);
      g_string_append_c (out, ':');
      write_node (out, member);
    }
  g_string_append_c (out, '}');
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node));
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
            write_node (out, json_array_get_element (array, k));
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
    write_string (out, json_node_get_string (node));
  else if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    g_string_append (out, "null");
}

/* ---------------------------------------------------------------------------------------- */
/* GObject                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void
mcp_message_finalize (GObject *object)
{
  McpMessage *self = (McpMessage *) object;

  g_clear_pointer (&self->id, json_node_unref);
  g_clear_pointer (&self->id_key, g_free);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->params, json_object_unref);
  g_clear_pointer (&self->result, json_node_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->error_data, json_node_unref);

  G_OBJECT_CLASS (mcp_message_parent_class)->finalize (object);
}

static void
mcp_message_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  McpMessage *self = MCP_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_ID_KEY:
      g_value_set_string (value, self->id_key);
      break;

    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_ERROR_CODE:
      g_value_set_int (value, self->error_code);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_message_class_init (McpMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mcp_message_finalize;
  object_class->get_property = mcp_message_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       MCP_TYPE_MESSAGE_KIND, MCP_MESSAGE_KIND_REQUEST,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ID_KEY] =
    g_param_spec_string ("id-key", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR_CODE] =
    g_param_spec_int ("error-code", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mcp_message_init (McpMessage *self)
{
}

/* ---------------------------------------------------------------------------------------- */
/* Public API                                                                                */
/* ---------------------------------------------------------------------------------------- */

McpMessage *
mcp_message_new_request (JsonNode   *id,
                         const char *method,
                         JsonObject *params)
{
  McpMessage *self;

  g_return_val_if_fail (node_is_id (id), NULL);
  g_return_val_if_fail (method != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_REQUEST);
  mcp_message_take_id (self, json_node_copy (id));
  self->method = g_strdup (method);
  self->params = params != NULL ? json_object_ref (params) : NULL;

  return self;
}

McpMessage *
mcp_message_new_request_int (gint64      id,
                             const char *method,
                             JsonObject *params)
{
  g_autoptr(JsonNode) id_node = json_node_init_int (json_node_alloc (), id);

  g_return_val_if_fail (method != NULL, NULL);

  return mcp_message_new_request (id_node, method, params);
}

McpMessage *
mcp_message_new_notification (const char *method,
                              JsonObject *params)
{
  McpMessage *self;

  g_return_val_if_fail (method != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_NOTIFICATION);
  self->method = g_strdup (method);
  self->params = params != NULL ? json_object_ref (params) : NULL;

  return self;
}

McpMessage *
mcp_message_new_result (JsonNode   *id,
                        JsonObject *result)
{
  McpMessage *self;

  g_return_val_if_fail (node_is_id (id), NULL);
  g_return_val_if_fail (result != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_RESULT);
  mcp_message_take_id (self, json_node_copy (id));
  self->result = json_node_init_object (json_node_alloc (), result);

  return self;
}

McpMessage *
mcp_message_new_error (JsonNode   *id,
                       int         code,
                       const char *message,
                       JsonNode   *data)
{
  McpMessage *self;

  g_return_val_if_fail (id == NULL || JSON_NODE_HOLDS_NULL (id) || node_is_id (id), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = mcp_message_new_kind (MCP_MESSAGE_KIND_ERROR);
  mcp_message_take_id (self, id != NULL ? json_node_copy (id) : NULL);
  self->error_code = code;
  self->error_message = g_strdup (message);
  self->error_data = data != NULL ? json_node_copy (data) : NULL;

  return self;
}

McpMessage *
mcp_message_parse (const char  *data,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_json_text (data != NULL ? data : "", length, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      set_batch_error (error, root);
      return NULL;
    }

  return message_from_single_node (root, error);
}

GPtrArray *
mcp_message_parse_batch (const char  *data,
                         gssize       length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_json_text (data != NULL ? data : "", length, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      McpMessage *message = message_from_single_node (root, error);

      if (message == NULL)
        return NULL;
      messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (messages, message);
      return g_steal_pointer (&messages);
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  if (n == 0)
    {
      g_set_error_literal (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_INVALID,
                           "JSON-RPC batch is empty: expected at least one message");
      return NULL;
    }

  messages = g_ptr_array_new_full (n, g_object_unref);
  for (guint k = 0; k < n; k++)
    {
      McpMessage *message = message_from_single_node (json_array_get_element (array, k), error);

      if (message == NULL)
        {
          g_prefix_error (error, "JSON-RPC batch element %u of %u: ", k, n);
          return NULL;
        }
      g_ptr_array_add (messages, message);
    }

  return g_steal_pointer (&messages);
}

McpMessage *
mcp_message_new_from_node (JsonNode  *node,
                           GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      set_batch_error (error, node);
      return NULL;
    }

  return message_from_single_node (node, error);
}

McpMessageKind
mcp_message_get_kind (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), MCP_MESSAGE_KIND_REQUEST);

  return self->kind;
}

JsonNode *
mcp_message_get_id (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->id;
}

const char *
mcp_message_get_id_key (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->id_key;
}

const char *
mcp_message_get_method (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->method;
}

JsonObject *
mcp_message_get_params (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->params;
}

JsonNode *
mcp_message_get_result_node (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->result;
}

JsonObject *
mcp_message_get_result (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  if (self->result == NULL || !JSON_NODE_HOLDS_OBJECT (self->result))
    return NULL;

  return json_node_get_object (self->result);
}

int
mcp_message_get_error_code (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), 0);

  return self->error_code;
}

const char *
mcp_message_get_error_message (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->error_message;
}

JsonNode *
mcp_message_get_error_data (McpMessage *self)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  return self->error_data;
}

/* Members in the order jsonrpc, id, method, params / result / error. The params, result
 * and data containers are shared with @self, not copied. */
JsonNode *
mcp_message_to_node (McpMessage *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "jsonrpc", "2.0");

  if (self->id != NULL)
    json_object_set_member (object, "id", json_node_copy (self->id));
  else if (self->kind == MCP_MESSAGE_KIND_ERROR)
    json_object_set_null_member (object, "id");

  switch (self->kind)
    {
    case MCP_MESSAGE_KIND_REQUEST:
    case MCP_MESSAGE_KIND_NOTIFICATION:
      json_object_set_string_member (object, "method", self->method);
      if (self->params != NULL)
        json_object_set_object_member (object, "params", json_object_ref (self->params));
      break;

    case MCP_MESSAGE_KIND_RESULT:
      json_object_set_member (object, "result", json_node_copy (self->result));
      break;

    case MCP_MESSAGE_KIND_ERROR:
    default:
      {
        JsonObject *error_object = json_object_new ();

        json_object_set_int_member (error_object, "code", self->error_code);
        json_object_set_string_member (error_object, "message", self->error_message);
        if (self->error_data != NULL)
          json_object_set_member (error_object, "data", json_node_copy (self->error_data));
        json_object_set_object_member (object, "error", error_object);
      }
      break;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

char *
mcp_message_to_string (McpMessage *self,
                       gsize      *length)
{
  g_autoptr(JsonNode) node = NULL;
  GString *out;

  g_return_val_if_fail (MCP_IS_MESSAGE (self), NULL);

  node = mcp_message_to_node (self);
  out = g_string_sized_new (256);
  write_node (out, node);

  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}

char *
mcp_message_id_key_from_node (JsonNode *id)
{
  if (node_holds_type (id, G_TYPE_STRING))
    return g_strconcat ("s:", json_node_get_string (id), NULL);

  if (node_holds_type (id, G_TYPE_INT64))
    return g_strdup_printf ("i:%" G_GINT64_FORMAT, json_node_get_int (id));

  return NULL;
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return json_node_equal (a, b);
}

gboolean
mcp_message_equal (McpMessage *a,
                   McpMessage *b)
{
  g_return_val_if_fail (MCP_IS_MESSAGE (a), FALSE);
  g_return_val_if_fail (MCP_IS_MESSAGE (b), FALSE);

  if (a == b)
    return TRUE;

  if (a->params == NULL || b->params == NULL)
    {
      if (a->params != b->params)
        return FALSE;
    }
  else if (!json_object_equal (a->params, b->params))
    {
      return FALSE;
    }

  return a->kind == b->kind
         && g_strcmp0 (a->id_key, b->id_key) == 0
         && g_strcmp0 (a->method, b->method) == 0
         && nodes_equal (a->result, b->result)
         && a->error_code == b->error_code
         && g_strcmp0 (a->error_message, b->error_message) == 0
         && nodes_equal (a->error_data, b->error_data);
}
