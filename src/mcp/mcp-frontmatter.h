/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define MCP_FRONTMATTER_ERROR (mcp_frontmatter_error_quark ())

typedef enum {
  MCP_FRONTMATTER_ERROR_MISSING,        /* the document does not start with a --- line */
  MCP_FRONTMATTER_ERROR_UNTERMINATED,   /* no closing --- line */
  MCP_FRONTMATTER_ERROR_SYNTAX,         /* not YAML */
  MCP_FRONTMATTER_ERROR_UNSUPPORTED,    /* YAML, but beyond the subset (anchors, tags, ...) */
  MCP_FRONTMATTER_ERROR_DUPLICATE_KEY,
  MCP_FRONTMATTER_ERROR_NOT_A_MAPPING,  /* the frontmatter is a list or a scalar */
} McpFrontmatterError;

GQuark      mcp_frontmatter_error_quark (void);

/*
 * YAML frontmatter, as a SKILL.md (Agent Skills) carries it: the document starts with a line
 * "---" (after an optional byte order mark), the YAML runs to the next line that is "---",
 * and the Markdown body follows.
 *
 * The YAML is the subset frontmatter uses, read with the YAML 1.2 core schema: block mappings
 * and sequences nested by indentation (spaces), flow [sequences] and {mappings}, plain,
 * 'single-' and "double-quoted" scalars (multi-line, folded), literal | and folded > block
 * scalars with chomping and indentation indicators, and comments. Plain scalars resolve to
 * null, booleans, integers and floats as the core schema says; everything else is a string.
 * Anchors, aliases, tags, complex keys and multiple documents are refused
 * (MCP_FRONTMATTER_ERROR_UNSUPPORTED) rather than misread; errors name the line.
 */

/* Splits @document (@length bytes, or -1 when NUL-terminated) and parses its frontmatter,
 * which must be a mapping. @body_offset (may be NULL) receives where the body starts. */
JsonObject *mcp_frontmatter_parse       (const char  *document,
                                         gssize       length,
                                         gsize       *body_offset,
                                         GError     **error);

/* Parses @yaml (the text between the --- lines) into a node; an empty text is an empty
 * mapping. @first_line is the number of its first line in the document, for messages. */
JsonNode   *mcp_frontmatter_parse_yaml  (const char  *yaml,
                                         gssize       length,
                                         guint        first_line,
                                         GError     **error);

G_END_DECLS
