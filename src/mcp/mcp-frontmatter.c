/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-frontmatter-private.h"

/*
 * A reader for the YAML that frontmatter uses (see mcp-frontmatter.h for the subset).
 *
 * Block structure is read line by line: every line knows its indentation, and a mapping or
 * a sequence is the run of lines at one indentation. A sequence entry whose content starts on
 * its own line ("- key: value") is read by moving that line's start past the "- ", so the
 * entry's content is an ordinary node at a deeper indentation. The value that starts on a
 * line is read in mcp-frontmatter-values.c.
 *
 * Everything here reads text that came from a server: nothing asserts on it, and nesting
 * is bounded so a hostile document cannot exhaust the stack.
 */

G_DEFINE_QUARK (mcp-frontmatter-error-quark, mcp_frontmatter_error)

static JsonNode *parse_node (Parser  *p,
                             int      parent_indent,
                             GError **error);

/* The next line with content, without consuming it; NULL at the end. */
static Line *
peek (Parser *p)
{
  while (p->pos < p->n_lines &&
         (line_is_empty (&p->lines[p->pos]) || line_is_comment (&p->lines[p->pos])))
    p->pos++;
  return p->pos < p->n_lines ? &p->lines[p->pos] : NULL;
}

static gboolean
check_indentation (const Line  *line,
                   GError     **error)
{
  if (line->len > 0 && line->text[0] == '\t')
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                 "expected indentation made of spaces, got a tab");
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_sequence_entry (const Line *line)
{
  return line->len > 0 && line->text[0] == '-' &&
         (line->len == 1 || is_blank_char (line->text[1]));
}

/* Is @line "key: ..."? Returns 1 and the key and where the value starts, 0 when the line is
 * not a mapping entry, -1 on an error. */
static int
split_mapping_key (const Line  *line,
                   char       **key,
                   gsize       *value_offset,
                   GError     **error)
{
  const char *s = line->text;
  gsize len = line->len;
  char next = len > 1 ? s[1] : '\0';

  if (s[0] == '"' || s[0] == '\'')
    {
      Scan sc = { s, len, 0, line->number, 0 };
      g_autofree char *text = mcp_frontmatter_scan_quoted (&sc, NULL);

      if (text == NULL)
        return 0;   /* a quoted value running over several lines, not a key */
      while (is_blank_char (scan_peek (&sc)))
        sc.i++;
      if (scan_peek (&sc) != ':' || (sc.i + 1 < len && !is_blank_char (s[sc.i + 1])))
        return 0;
      *key = g_steal_pointer (&text);
      *value_offset = sc.i + 1;
      return 1;
    }
  if (s[0] == '[' || s[0] == '{' || s[0] == '|' || s[0] == '>' || s[0] == '#' ||
      (s[0] == '-' && (next == '\0' || is_blank_char (next))))
    return 0;
  if (!mcp_frontmatter_check_node_start (s[0], next, line->number, error))
    return -1;

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '#' && i > 0 && is_blank_char (s[i - 1]))
        return 0;
      if (s[i] == ':' && (i + 1 == len || is_blank_char (s[i + 1])))
        {
          gsize end = i;

          while (end > 0 && is_blank_char (s[end - 1]))
            end--;
          if (end == 0)
            {
              set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                         "expected a key before “:”, got nothing");
              return -1;
            }
          *key = g_strndup (s, end);
          *value_offset = i + 1;
          return 1;
        }
    }
  return 0;
}

static JsonNode *
parse_sequence (Parser  *p,
                int      indent,
                GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node;

  if (!enter (&p->depth, p->lines[p->pos].number, error))
    return NULL;
  for (;;)
    {
      Line *line = peek (p);
      JsonNode *item;
      gsize k = 1;

      if (line == NULL || line->indent < indent || !is_sequence_entry (line))
        {
          if (line != NULL && line->indent > indent)
            {
              set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                         "expected a “- ” entry at column %d, got a line indented to column %d",
                         indent + 1, line->indent + 1);
              return NULL;
            }
          break;
        }
      if (line->indent > indent)
        {
          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                     "expected a “- ” entry at column %d, got one at column %d", indent + 1,
                     line->indent + 1);
          return NULL;
        }

      while (k < line->len && is_blank_char (line->text[k]))
        k++;
      if (k == line->len || line->text[k] == '#')
        {
          Line *next;

          p->pos++;
          next = peek (p);
          item = (next != NULL && next->indent > indent) ? parse_node (p, indent, error)
                                                         : json_node_new (JSON_NODE_NULL);
        }
      else
        {
          /* The entry's content becomes a line of its own, at the column it starts. */
          line->text += k;
          line->len -= k;
          line->indent += (int) k;
          item = parse_node (p, indent, error);
        }
      if (item == NULL)
        return NULL;
      json_array_add_element (array, item);
    }
  p->depth--;

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  return node;
}

static JsonNode *
parse_mapping (Parser  *p,
               int      indent,
               GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  if (!enter (&p->depth, p->lines[p->pos].number, error))
    return NULL;
  for (;;)
    {
      Line *line = peek (p);
      g_autofree char *key = NULL;
      JsonNode *value;
      gsize offset = 0;
      const char *rest;
      gsize rest_len;
      int found;

      if (line == NULL || line->indent < indent)
        break;
      if (line->indent > indent)
        {
          g_autofree char *text = snippet (line->text, line->len);

          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                     "expected a “key: value” line at column %d, got “%s” indented to column %d",
                     indent + 1, text, line->indent + 1);
          return NULL;
        }
      if (!check_indentation (line, error))
        return NULL;
      found = split_mapping_key (line, &key, &offset, error);
      if (found < 0)
        return NULL;
      if (found == 0)
        {
          g_autofree char *text = snippet (line->text, line->len);

          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, line->number,
                     "expected a “key: value” line, got “%s”", text);
          return NULL;
        }
      if (json_object_has_member (object, key))
        {
          set_error (error, MCP_FRONTMATTER_ERROR_DUPLICATE_KEY, line->number,
                     "the key “%s” appears twice in one mapping", key);
          return NULL;
        }

      rest = line->text + offset;
      rest_len = line->len - offset;
      while (rest_len > 0 && is_blank_char (*rest))
        rest++, rest_len--;
      if (rest_len == 0 || rest[0] == '#')
        {
          Line *next;

          p->pos++;
          next = peek (p);
          if (next != NULL && next->indent > indent)
            value = parse_node (p, indent, error);
          else if (next != NULL && next->indent == indent && is_sequence_entry (next))
            value = parse_sequence (p, indent, error);   /* "key:" then "- item" below it */
          else
            value = json_node_new (JSON_NODE_NULL);
        }
      else
        value = mcp_frontmatter_parse_inline_value (p, rest, rest_len, indent, error);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, key, value);
    }
  p->depth--;

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/* The node that starts on the next line with content, which must be indented further than
 * @parent_indent (a null node when there is none). */
static JsonNode *
parse_node (Parser  *p,
            int      parent_indent,
            GError **error)
{
  Line *line = peek (p);
  g_autofree char *key = NULL;
  gsize offset;
  int found;

  if (line == NULL || line->indent <= parent_indent)
    return json_node_new (JSON_NODE_NULL);
  if (!check_indentation (line, error))
    return NULL;
  if (is_sequence_entry (line))
    return parse_sequence (p, line->indent, error);
  found = split_mapping_key (line, &key, &offset, error);
  if (found < 0)
    return NULL;
  if (found > 0)
    return parse_mapping (p, line->indent, error);
  return mcp_frontmatter_parse_inline_value (p, line->text, line->len, parent_indent, error);
}

JsonNode *
mcp_frontmatter_parse_yaml (const char  *yaml,
                            gssize       length,
                            guint        first_line,
                            GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (Line));
  Parser p = { 0, };
  const char *end;
  const char *invalid = NULL;
  JsonNode *node;
  Line *rest;
  guint number = first_line;

  g_return_val_if_fail (yaml != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (yaml);
  end = yaml + length;
  if (!g_utf8_validate (yaml, length, &invalid))
    {
      for (const char *c = yaml; c < invalid; c++)
        if (*c == '\n')
          number++;
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, number,
                 invalid < end && *invalid == '\0' ? "expected text, got a NUL byte"
                                                   : "expected UTF-8 text, got invalid bytes");
      return NULL;
    }

  for (const char *start = yaml; start < end; number++)
    {
      const char *newline = memchr (start, '\n', (gsize) (end - start));
      const char *stop = newline != NULL ? newline : end;
      Line line = { 0, };

      if (stop > start && stop[-1] == '\r')
        stop--;
      line.number = number;
      line.text = start;
      while (line.text < stop && *line.text == ' ')
        line.text++;
      line.indent = (int) (line.text - start);
      line.len = (gsize) (stop - line.text);
      g_array_append_val (lines, line);
      if (newline == NULL)
        break;
      start = newline + 1;
    }

  p.lines = (Line *) (void *) lines->data;
  p.n_lines = lines->len;

  if (peek (&p) == NULL)
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    }
  node = parse_node (&p, -1, error);
  if (node == NULL)
    return NULL;
  rest = peek (&p);
  if (rest != NULL)
    {
      g_autofree char *text = snippet (rest->text, rest->len);

      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, rest->number,
                 "expected the end of the frontmatter after its top-level value, got “%s” at "
                 "column %d", text, rest->indent + 1);
      json_node_unref (node);
      return NULL;
    }
  return node;
}

/* Does the line [start, end) say "---" (blanks may follow)? */
static gboolean
is_marker_line (const char *start,
                const char *end)
{
  if (end - start < 3 || memcmp (start, "---", 3) != 0)
    return FALSE;
  for (const char *c = start + 3; c < end; c++)
    if (*c != ' ' && *c != '\t' && *c != '\r')
      return FALSE;
  return TRUE;
}

JsonObject *
mcp_frontmatter_parse (const char  *document,
                       gssize       length,
                       gsize       *body_offset,
                       GError     **error)
{
  const char *start;
  const char *end;
  const char *newline;
  const char *yaml;
  g_autoptr(JsonNode) node = NULL;
  guint number = 2;

  g_return_val_if_fail (document != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (document);
  start = document;
  end = document + length;
  if (length >= 3 && memcmp (start, "\xef\xbb\xbf", 3) == 0)
    start += 3;

  newline = memchr (start, '\n', (gsize) (end - start));
  if (newline == NULL && is_marker_line (start, end))
    {
      g_set_error (error, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_UNTERMINATED,
                   "Expected a “---” line closing the YAML frontmatter opened on line 1, got "
                   "the end of the document");
      return NULL;
    }
  if (newline == NULL || !is_marker_line (start, newline))
    {
      gsize first_len = (gsize) ((newline != NULL ? newline : end) - start);
      g_autofree char *valid = g_utf8_make_valid (start, (gssize) MIN (first_len, 40));

      g_set_error (error, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_MISSING,
                   "Expected the document to begin with a “---” line opening its YAML "
                   "frontmatter, got “%s”", valid);
      return NULL;
    }

  yaml = newline + 1;
  for (const char *line = yaml; line < end; number++)
    {
      const char *line_end = memchr (line, '\n', (gsize) (end - line));

      if (line_end == NULL)
        line_end = end;
      if (is_marker_line (line, line_end))
        {
          node = mcp_frontmatter_parse_yaml (yaml, line - yaml, 2, error);
          if (node == NULL)
            return NULL;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_NOT_A_MAPPING,
                           "Expected the frontmatter to be a mapping of fields, got %s",
                           JSON_NODE_HOLDS_ARRAY (node) ? "a sequence"
                           : JSON_NODE_HOLDS_NULL (node) ? "null" : "a single value");
              return NULL;
            }
          if (body_offset != NULL)
            *body_offset = (gsize) ((line_end < end ? line_end + 1 : end) - document);
          return json_object_ref (json_node_get_object (node));
        }
      if (line_end == end)
        break;
      line = line_end + 1;
    }

  g_set_error (error, MCP_FRONTMATTER_ERROR, MCP_FRONTMATTER_ERROR_UNTERMINATED,
               "Expected a “---” line closing the YAML frontmatter opened on line 1, got the "
               "end of the document after line %u", number - 1);
  return NULL;
}
