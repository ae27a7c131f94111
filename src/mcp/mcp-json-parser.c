/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-json-parser.c: strict JSON text to a json-glib tree, for McpMessage.
 *
 * One linear pass checks the text against RFC 8259 and builds the tree as it goes. json-glib
 * 1.6's own parser is not used: it is recursive (deep input could exhaust the stack), lenient
 * (it takes single quotes, comments and hex numbers, wraps integers beyond 64 bits around and
 * ignores text after the first value) and several times slower on the small messages that
 * make up most of MCP traffic. Nesting is bounded by MCP_MESSAGE_MAX_DEPTH with a stack of our
 * own. The tokens are read by mcp-json-scanner.c. Errors are in the MCP_MESSAGE_ERROR domain,
 * name the line and column, and make the first half of mcp_message_parse().
 */

#include "config.h"

#include <string.h>

#include "mcp-json-scanner-private.h"

/* What may come next, after white space. */
typedef enum
{
  EXPECT_VALUE,          /* at the start, after “:”, after “,” in an array */
  EXPECT_VALUE_OR_CLOSE, /* after “[” */
  EXPECT_NAME,           /* after “,” in an object */
  EXPECT_NAME_OR_CLOSE,  /* after “{” */
  EXPECT_COLON,          /* after a member name */
  EXPECT_COMMA_OR_CLOSE, /* after a member's value or an element */
  EXPECT_END,            /* the top-level value is complete */
} Expect;

/* An array or object still open. Its node already belongs to its parent (or is the root), so
 * freeing the root on an error frees everything read so far. */
typedef struct
{
  JsonObject *object; /* exactly one of the two is set */
  JsonArray  *array;
} Frame;

typedef struct
{
  McpJsonScan scan;
  GString    *name;   /* the member name whose value comes next */
  JsonNode   *root;
  guint       depth;
  Frame       stack[MCP_MESSAGE_MAX_DEPTH];
} Parse;

static inline char
closer_of (const Frame *frame)
{
  return frame->object != NULL ? '}' : ']';
}

static inline const char *
kind_of (const Frame *frame)
{
  return frame->object != NULL ? "object" : "array";
}

/* Hands @node to the innermost open array or object, or makes it the root. */
static void
attach (Parse    *parse,
        JsonNode *node)
{
  Frame *top;

  if (parse->depth == 0)
    {
      parse->root = node;
      return;
    }

  top = &parse->stack[parse->depth - 1];
  if (top->object != NULL)
    json_object_set_member (top->object, parse->name->str, node);
  else
    json_array_add_element (top->array, node);
}

static Expect
after_value (Parse *parse)
{
  return parse->depth == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
}

/* @c is “{” or “[” at @offset. */
static gboolean
open_container (Parse    *parse,
                char      c,
                gsize     offset,
                GError  **error)
{
  Frame *frame;
  JsonNode *node;

  if (parse->depth == MCP_MESSAGE_MAX_DEPTH)
    {
      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_TOO_DEEP, offset,
                           "Message nests arrays and objects deeper than %d levels",
                           MCP_MESSAGE_MAX_DEPTH);
      return FALSE;
    }

  frame = &parse->stack[parse->depth];
  if (c == '{')
    {
      frame->object = json_object_new ();
      frame->array = NULL;
      node = json_node_init_object (json_node_alloc (), frame->object);
      json_object_unref (frame->object);
    }
  else
    {
      frame->array = json_array_new ();
      frame->object = NULL;
      node = json_node_init_array (json_node_alloc (), frame->array);
      json_array_unref (frame->array);
    }

  attach (parse, node);
  parse->depth++;
  return TRUE;
}

/* @c is “}” or “]” at @offset. Unless @expected is NULL, something else had to come first
 * (after a comma, after a member name's colon): @expected says what. */
static gboolean
close_container (Parse       *parse,
                 char         c,
                 gsize        offset,
                 const char  *expected,
                 GError     **error)
{
  const Frame *top;

  if (parse->depth == 0)
    {
      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, offset,
                           "Unexpected “%c”: no array or object is open", c);
      return FALSE;
    }

  top = &parse->stack[parse->depth - 1];
  if (c != closer_of (top))
    {
      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, offset,
                           "Unexpected “%c”: expected “%c” to close the %s first", c,
                           closer_of (top), kind_of (top));
      return FALSE;
    }

  if (expected != NULL)
    {
      /* A comma before the closing bracket, or a member without its value. */
      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, offset,
                           "Message is not valid JSON: expected %s, got “%c”", expected, c);
      return FALSE;
    }

  parse->depth--;
  return TRUE;
}

static gboolean
starts_token (char c)
{
  return strchr ("{}[],:\"-", c) != NULL || g_ascii_isalnum (c);
}

/* Something other than @expected at @offset: a valid token in the wrong place (a missing
 * “:” or “,”) or a character no JSON token starts with. */
static void
misplaced_token (Parse       *parse,
                 gsize        offset,
                 const char  *expected,
                 GError     **error)
{
  g_autofree char *got = mcp_json_describe_char_at (parse->scan.text, parse->scan.length,
                                                    offset);

  if (starts_token (parse->scan.text[offset]))
    mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, offset,
                         "Message is not valid JSON: expected %s, got %s", expected, got);
  else
    mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, offset,
                         "Unexpected %s: expected %s", got, expected);
}

/* A scalar value at *@pos: string, number, true, false or null. */
static gboolean
read_scalar (Parse    *parse,
             gsize    *pos,
             GError  **error)
{
  char c = parse->scan.text[*pos];
  JsonNode *node;

  if (c == '"')
    {
      if (!mcp_json_scan_string (&parse->scan, pos, error))
        return FALSE;
      node = json_node_init_string (json_node_alloc (), parse->scan.scratch->str);
    }
  else if (c == '-' || g_ascii_isdigit (c))
    {
      node = mcp_json_scan_number (&parse->scan, pos, error);
    }
  else if (g_ascii_isalpha (c))
    {
      node = mcp_json_scan_word (&parse->scan, pos, error);
    }
  else
    {
      g_autofree char *got = mcp_json_describe_char_at (parse->scan.text, parse->scan.length,
                                                        *pos);

      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, *pos,
                           "Unexpected %s: expected a JSON value", got);
      return FALSE;
    }

  if (node == NULL)
    return FALSE;
  attach (parse, node);
  return TRUE;
}

/* The grammar, one token at a time. */
static gboolean
parse_text (Parse   *parse,
            GError **error)
{
  const char *text = parse->scan.text;
  gsize length = parse->scan.length;
  Expect expect = EXPECT_VALUE;
  gsize i = 0;

  while (i < length)
    {
      char c = text[i];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        {
          i++;
          continue;
        }

      switch (expect)
        {
        case EXPECT_END:
          {
            g_autofree char *got = mcp_json_describe_char_at (text, length, i);

            mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                 "Unexpected %s after the end of the JSON value: expected "
                                 "one value only", got);
            return FALSE;
          }

        case EXPECT_VALUE:
        case EXPECT_VALUE_OR_CLOSE:
          if (c == '{' || c == '[')
            {
              if (!open_container (parse, c, i, error))
                return FALSE;
              expect = c == '{' ? EXPECT_NAME_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
              i++;
            }
          else if (c == '}' || c == ']')
            {
              if (!close_container (parse, c, i,
                                    expect == EXPECT_VALUE_OR_CLOSE ? NULL : "a value", error))
                return FALSE;
              expect = after_value (parse);
              i++;
            }
          else if ((c == ',' || c == ':') && parse->depth == 0)
            {
              mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, i,
                                   "Unexpected “%c” outside of any array or object", c);
              return FALSE;
            }
          else if (c == ',' || c == ':')
            {
              misplaced_token (parse, i, "a value", error);
              return FALSE;
            }
          else
            {
              if (!read_scalar (parse, &i, error))
                return FALSE;
              expect = after_value (parse);
            }
          break;

        case EXPECT_NAME:
        case EXPECT_NAME_OR_CLOSE:
          if (c == '"')
            {
              if (!mcp_json_scan_string (&parse->scan, &i, error))
                return FALSE;
              g_string_truncate (parse->name, 0);
              g_string_append_len (parse->name, parse->scan.scratch->str,
                                   parse->scan.scratch->len);
              expect = EXPECT_COLON;
            }
          else if (c == '}' || c == ']')
            {
              if (!close_container (parse, c, i, expect == EXPECT_NAME_OR_CLOSE ? NULL
                                    : "a member name in double quotes after “,”", error))
                return FALSE;
              expect = after_value (parse);
              i++;
            }
          else
            {
              misplaced_token (parse, i, expect == EXPECT_NAME_OR_CLOSE
                               ? "a member name in double quotes or “}”"
                               : "a member name in double quotes after “,”", error);
              return FALSE;
            }
          break;

        case EXPECT_COLON:
          if (c != ':')
            {
              misplaced_token (parse, i, "“:” after the member name", error);
              return FALSE;
            }
          expect = EXPECT_VALUE;
          i++;
          break;

        case EXPECT_COMMA_OR_CLOSE:
        default:
          if (c == ',')
            {
              expect = parse->stack[parse->depth - 1].object != NULL ? EXPECT_NAME
                                                                     : EXPECT_VALUE;
              i++;
            }
          else if (c == '}' || c == ']')
            {
              if (!close_container (parse, c, i, NULL, error))
                return FALSE;
              expect = after_value (parse);
              i++;
            }
          else
            {
              g_autofree char *expected =
                g_strdup_printf ("“,” or “%c”", closer_of (&parse->stack[parse->depth - 1]));

              misplaced_token (parse, i, expected, error);
              return FALSE;
            }
          break;
        }
    }

  if (parse->depth > 0)
    {
      const Frame *top = &parse->stack[parse->depth - 1];

      mcp_json_scan_error (&parse->scan, error, MCP_MESSAGE_ERROR_PARSE, length,
                           "Message ends inside an %s: expected “%c” before the end of the "
                           "text", kind_of (top), closer_of (top));
      return FALSE;
    }

  if (parse->root == NULL)
    {
      g_set_error (error, MCP_MESSAGE_ERROR, MCP_MESSAGE_ERROR_PARSE,
                   "Message is empty: expected a JSON-RPC message, got %s",
                   length == 0 ? "no text" : "only white space");
      return FALSE;
    }

  return TRUE;
}

/* UTF-8 check, then the parse. Returns the root node, never NULL on success. */
JsonNode *
mcp_json_parse_strict (const char  *data,
                       gssize       length,
                       GError     **error)
{
  Parse parse_on_stack;
  Parse *parse = &parse_on_stack;
  const char *invalid = NULL;
  gsize len;
  gboolean ok;

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

  parse->scan.text = data;
  parse->scan.length = len;
  parse->scan.scratch = g_string_sized_new (64);
  parse->name = g_string_sized_new (32);
  parse->root = NULL;
  parse->depth = 0;

  ok = parse_text (parse, error);

  g_string_free (parse->scan.scratch, TRUE);
  g_string_free (parse->name, TRUE);
  if (!ok)
    {
      g_clear_pointer (&parse->root, json_node_unref);
      return NULL;
    }

  return parse->root;
}
