/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-frontmatter-private.h"

/*
 * The value that starts on a line of a block mapping or sequence: a plain scalar, continued by
 * the lines indented below; a literal or folded block scalar; or a quoted scalar or flow
 * collection. Values that may run over several lines (quoted scalars, flow collections) are
 * read from the joined text of their first line and the lines indented below it, and the lines
 * they used are then skipped.
 */

/* A quoted scalar or a flow collection that starts at @s on the current line and may go on in
 * the lines indented below @parent_indent. */
static JsonNode *
parse_joined_value (Parser      *p,
                    const char  *s,
                    gsize        len,
                    int          parent_indent,
                    GError     **error)
{
  g_autoptr(GString) joined = g_string_new_len (s, (gssize) len);
  guint first_line = p->lines[p->pos].number;
  Scan sc = { 0, };
  JsonNode *node;
  guint lines_used = 1;

  for (guint k = p->pos + 1; k < p->n_lines; k++)
    {
      const Line *line = &p->lines[k];

      if (!line_is_empty (line) && line->indent <= parent_indent)
        break;
      g_string_append_c (joined, '\n');
      g_string_append_len (joined, line->text, (gssize) line->len);
    }

  sc.s = joined->str;
  sc.len = joined->len;
  sc.first_line = first_line;
  sc.depth = p->depth;
  if (s[0] == '"' || s[0] == '\'')
    {
      g_autofree char *text = mcp_frontmatter_scan_quoted (&sc, error);

      node = text != NULL ? mcp_frontmatter_string_node (text, strlen (text)) : NULL;
    }
  else
    node = mcp_frontmatter_scan_flow_node (&sc, error);
  if (node == NULL)
    return NULL;

  /* Only blanks and a comment may follow on the value's last line. */
  while (is_blank_char (scan_peek (&sc)))
    sc.i++;
  if (scan_peek (&sc) == '#' && sc.i > 0 && is_blank_char (sc.s[sc.i - 1]))
    while (!scan_at_end (&sc) && scan_peek (&sc) != '\n')
      sc.i++;
  if (!scan_at_end (&sc) && scan_peek (&sc) != '\n')
    {
      g_autofree char *rest = snippet (sc.s + sc.i, strcspn (sc.s + sc.i, "\n"));

      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, scan_line (&sc),
                 "expected the end of the line after a value, got “%s”", rest);
      json_node_unref (node);
      return NULL;
    }

  for (gsize j = 0; j < sc.i; j++)
    if (sc.s[j] == '\n')
      lines_used++;
  p->pos += lines_used;
  return node;
}

/* Reads a plain scalar's text on one line: up to a comment; a ": " inside is an error, as a
 * plain scalar in block context cannot hold one. */
static gboolean
scan_plain_line (const char  *s,
                 gsize        len,
                 guint        number,
                 gsize       *text_len,
                 gboolean    *comment,
                 GError     **error)
{
  gsize i;

  *comment = FALSE;
  for (i = 0; i < len; i++)
    {
      if (s[i] == '#' && i > 0 && is_blank_char (s[i - 1]))
        {
          *comment = TRUE;
          break;
        }
      if (s[i] == ':' && (i + 1 == len || is_blank_char (s[i + 1])))
        {
          g_autofree char *text = snippet (s, len);

          set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, number,
                     "expected a single value, got “%s”, which holds “: ” (quote the value)",
                     text);
          return FALSE;
        }
    }
  while (i > 0 && is_blank_char (s[i - 1]))
    i--;
  *text_len = i;
  return TRUE;
}

/* A plain scalar starting at @s on the current line, continued by the lines indented below
 * @parent_indent; line breaks fold as in quoted scalars. */
static JsonNode *
parse_plain_value (Parser      *p,
                   const char  *s,
                   gsize        len,
                   int          parent_indent,
                   GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean comment;
  gsize text_len;

  if (!scan_plain_line (s, len, p->lines[p->pos].number, &text_len, &comment, error))
    return NULL;
  g_string_append_len (text, s, (gssize) text_len);
  p->pos++;

  while (!comment && p->pos < p->n_lines)
    {
      guint empty = 0;
      guint k = p->pos;
      const Line *line;
      const char *start;
      gsize rest;

      while (k < p->n_lines && line_is_empty (&p->lines[k]))
        k++, empty++;
      if (k == p->n_lines)
        break;
      line = &p->lines[k];
      if (line->indent <= parent_indent || line_is_comment (line))
        break;

      start = line->text;
      rest = line->len;
      while (rest > 0 && is_blank_char (*start))
        start++, rest--;
      if (!scan_plain_line (start, rest, line->number, &text_len, &comment, error))
        return NULL;
      if (empty == 0)
        g_string_append_c (text, ' ');
      else
        for (guint n = 0; n < empty; n++)
          g_string_append_c (text, '\n');
      g_string_append_len (text, start, (gssize) text_len);
      p->pos = k + 1;
    }

  return mcp_frontmatter_resolve_plain (text->str, text->len);
}

typedef enum { CHOMP_CLIP, CHOMP_STRIP, CHOMP_KEEP } Chomping;

static gboolean
is_blank_text (const char *s)
{
  for (; *s != '\0'; s++)
    if (!is_blank_char (*s))
      return FALSE;
  return TRUE;
}

/* A literal (|) or folded (>) block scalar whose header is at @s on the current line. */
static JsonNode *
parse_block_scalar (Parser      *p,
                    const char  *s,
                    gsize        len,
                    int          parent_indent,
                    GError     **error)
{
  g_autoptr(GPtrArray) content = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  guint number = p->lines[p->pos].number;
  gboolean folded = s[0] == '>';
  Chomping chomping = CHOMP_CLIP;
  gboolean chomping_set = FALSE;
  int explicit_indent = 0;
  int content_indent = G_MAXINT;
  gsize i = 1;
  gsize blanks = 0;
  int last = -1;

  for (guint k = 0; k < 2 && i < len; k++, i++)
    if ((s[i] == '-' || s[i] == '+') && !chomping_set)
      {
        chomping = s[i] == '-' ? CHOMP_STRIP : CHOMP_KEEP;
        chomping_set = TRUE;
      }
    else if (s[i] >= '1' && s[i] <= '9' && explicit_indent == 0)
      explicit_indent = s[i] - '0';
    else
      break;
  while (i < len && is_blank_char (s[i]))
    i++, blanks++;
  if (i < len && !(s[i] == '#' && blanks > 0))
    {
      g_autofree char *rest = snippet (s + i, len - i);

      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, number,
                 "expected the end of the line after the block scalar indicator “%c”, got “%s”",
                 s[0], rest);
      return NULL;
    }
  p->pos++;

  if (explicit_indent > 0)
    content_indent = MAX (parent_indent, 0) + explicit_indent;
  else
    for (guint k = p->pos; k < p->n_lines; k++)
      if (!line_is_empty (&p->lines[k]))
        {
          if (p->lines[k].indent > parent_indent)
            content_indent = p->lines[k].indent;
          break;
        }

  for (; p->pos < p->n_lines; p->pos++)
    {
      const Line *line = &p->lines[p->pos];

      if (line_is_empty (line))
        {
          if (line->indent > content_indent)
            g_ptr_array_add (content, g_strdup_printf ("%*s%.*s", line->indent - content_indent,
                                                       "", (int) line->len, line->text));
          else
            g_ptr_array_add (content, g_strdup (""));
          continue;
        }
      if (line->indent < content_indent)
        break;
      g_ptr_array_add (content, g_strdup_printf ("%*s%.*s", line->indent - content_indent, "",
                                                 (int) line->len, line->text));
      last = (int) content->len - 1;
    }

  if (!folded)
    for (int k = 0; k <= last; k++)
      {
        if (k > 0)
          g_string_append_c (out, '\n');
        g_string_append (out, content->pdata[k]);
      }
  else
    {
      gboolean first = TRUE;
      gboolean previous_indented = FALSE;
      guint empty = 0;

      for (int k = 0; k <= last; k++)
        {
          const char *text = content->pdata[k];
          gboolean indented = is_blank_char (text[0]);

          if (is_blank_text (text))
            {
              empty++;
              continue;
            }
          if (first)
            for (guint n = 0; n < empty; n++)
              g_string_append_c (out, '\n');
          else if (!indented && !previous_indented)
            {
              if (empty == 0)
                g_string_append_c (out, ' ');
              else
                for (guint n = 0; n < empty; n++)
                  g_string_append_c (out, '\n');
            }
          else
            for (guint n = 0; n <= empty; n++)
              g_string_append_c (out, '\n');
          g_string_append (out, text);
          first = FALSE;
          previous_indented = indented;
          empty = 0;
        }
    }

  if (last >= 0 && chomping != CHOMP_STRIP)
    g_string_append_c (out, '\n');
  if (chomping == CHOMP_KEEP)
    for (guint k = (guint) (last + 1); k < content->len; k++)
      g_string_append_c (out, '\n');

  return mcp_frontmatter_string_node (out->str, out->len);
}

/* The value that starts at @s (no leading blanks, not empty) on the current line. */
JsonNode *
mcp_frontmatter_parse_inline_value (Parser      *p,
                                    const char  *s,
                                    gsize        len,
                                    int          parent_indent,
                                    GError     **error)
{
  guint number = p->lines[p->pos].number;
  char next = len > 1 ? s[1] : '\0';

  if (s[0] == '"' || s[0] == '\'' || s[0] == '[' || s[0] == '{')
    return parse_joined_value (p, s, len, parent_indent, error);
  if (s[0] == '|' || s[0] == '>')
    return parse_block_scalar (p, s, len, parent_indent, error);
  if (s[0] == '-' && (next == '\0' || is_blank_char (next)))
    {
      set_error (error, MCP_FRONTMATTER_ERROR_SYNTAX, number,
                 "expected a value after the key, got a sequence entry on the same line (put "
                 "each “- ” entry on a line of its own)");
      return NULL;
    }
  if (!mcp_frontmatter_check_node_start (s[0], next, number, error))
    return NULL;
  return parse_plain_value (p, s, len, parent_indent, error);
}
