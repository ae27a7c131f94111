/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-frontmatter.h"

G_BEGIN_DECLS

/*
 * The frontmatter reader is split in three: mcp-frontmatter.c reads the block structure line
 * by line (mappings and sequences by indentation, the --- markers); mcp-frontmatter-values.c
 * reads the value that starts on a line (plain scalars over several lines, block scalars,
 * quoted scalars and flow collections over several lines); mcp-frontmatter-flow.c reads what
 * goes character by character: typed plain scalars, quoted scalars and [flow] {collections}.
 * This header is what they share.
 */

/* Deepest nesting of collections accepted. */
#define MAX_DEPTH 64

/* Text being read character by character: a flow collection or a quoted scalar, possibly
 * spanning several lines joined with \n. */
typedef struct
{
  const char *s;
  gsize       len;
  gsize       i;
  guint       first_line;
  guint       depth;
} Scan;

static inline gboolean
is_blank_char (char c)
{
  return c == ' ' || c == '\t';
}

static inline void set_error (GError     **error,
                              int          code,
                              guint        line,
                              const char  *format,
                              ...) G_GNUC_PRINTF (4, 5);

static inline void
set_error (GError     **error,
           int          code,
           guint        line,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, MCP_FRONTMATTER_ERROR, code, "Frontmatter line %u: %s", line, message);
}

/* The start of @text for a message: at most 40 bytes, cut on a character boundary. */
static inline char *
snippet (const char *text,
         gsize       len)
{
  const char *end;

  if (len <= 40)
    return g_strndup (text, len);
  end = g_utf8_find_prev_char (text, text + 40);
  return g_strdup_printf ("%.*s…", (int) (end != NULL ? end - text : 0), text);
}

static inline gboolean
enter (guint   *depth,
       guint    line,
       GError **error)
{
  if (++*depth > MAX_DEPTH)
    {
      set_error (error, MCP_FRONTMATTER_ERROR_UNSUPPORTED, line,
                 "collections nested more than %d deep", MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

static inline guint
scan_line (const Scan *sc)
{
  guint line = sc->first_line;

  for (gsize j = 0; j < sc->i && j < sc->len; j++)
    if (sc->s[j] == '\n')
      line++;
  return line;
}

static inline char
scan_peek (const Scan *sc)
{
  return sc->i < sc->len ? sc->s[sc->i] : '\0';
}

static inline gboolean
scan_at_end (const Scan *sc)
{
  return sc->i >= sc->len;
}

/* The document's lines, for reading the block structure. */
typedef struct
{
  const char *text;    /* after the indentation (or after a "- " that was read) */
  gsize       len;     /* to the end of the line, without the line break */
  int         indent;  /* the column of text */
  guint       number;  /* in the document, for messages */
} Line;

typedef struct
{
  Line  *lines;
  guint  n_lines;
  guint  pos;
  guint  depth;
} Parser;

static inline gboolean
line_is_empty (const Line *line)
{
  for (gsize i = 0; i < line->len; i++)
    if (!is_blank_char (line->text[i]))
      return FALSE;
  return TRUE;
}

static inline gboolean
line_is_comment (const Line *line)
{
  gsize i = 0;

  while (i < line->len && is_blank_char (line->text[i]))
    i++;
  return i < line->len && line->text[i] == '#';
}

/* mcp-frontmatter-flow.c */
JsonNode   *mcp_frontmatter_string_node      (const char  *s,
                                              gsize        len);
/* A plain scalar, typed as the YAML 1.2 core schema says. */
JsonNode   *mcp_frontmatter_resolve_plain    (const char  *s,
                                              gsize        len);
/* A 'single-' or "double-quoted" scalar starting at the quote. */
char       *mcp_frontmatter_scan_quoted      (Scan        *sc,
                                              GError     **error);
/* A flow node: [sequence], {mapping}, quoted or plain scalar. */
JsonNode   *mcp_frontmatter_scan_flow_node   (Scan        *sc,
                                              GError     **error);
/* Refuses what the subset does not read (anchors, aliases, tags, complex keys) and reserved
 * indicators, at the start of a node. */
gboolean    mcp_frontmatter_check_node_start (char         c,
                                              char         next,
                                              guint        line,
                                              GError     **error);

/* mcp-frontmatter-values.c */
/* The value that starts at @s (no leading blanks, not empty) on the current line, which may
 * go on in the lines indented below @parent_indent; the lines it used are consumed. */
G_GNUC_INTERNAL
JsonNode   *mcp_frontmatter_parse_inline_value (Parser      *p,
                                                const char  *s,
                                                gsize        len,
                                                int          parent_indent,
                                                GError     **error);

G_END_DECLS
