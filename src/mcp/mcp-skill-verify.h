/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The MCP Skills extension (SEP-2640), as servers declare it under capabilities.extensions. */
#define MCP_SKILLS_EXTENSION "io.modelcontextprotocol/skills"

#define MCP_SKILL_ERROR (mcp_skill_error_quark ())

typedef enum {
  MCP_SKILL_ERROR_NOT_SUPPORTED = 1,    /* the server does not declare the extension */
  MCP_SKILL_ERROR_NOT_FOUND,            /* no skill with that URI or name */
  MCP_SKILL_ERROR_AMBIGUOUS,            /* several skills have that name */
  MCP_SKILL_ERROR_INVALID_ENTRY,        /* a skill entry that breaks the extension's rules */
  MCP_SKILL_ERROR_MISSING_CONTENT,      /* resources/read gave no content for the file */
  MCP_SKILL_ERROR_SIZE_MISMATCH,        /* the bytes read are not as many as the entry says */
  MCP_SKILL_ERROR_DIGEST_MISMATCH,      /* their SHA-256 is not the entry's digest */
  MCP_SKILL_ERROR_FRONTMATTER_INVALID,  /* SKILL.md has no readable YAML frontmatter */
  MCP_SKILL_ERROR_FRONTMATTER_MISMATCH, /* SKILL.md's frontmatter is not the entry's */
} McpSkillError;

GQuark      mcp_skill_error_quark           (void);

/* Is @error a verification failure, i.e. content the server served that must not be used
 * (size, digest or frontmatter)? */
gboolean    mcp_skill_error_is_verification (const GError *error);

/*
 * A skill entry (an element of skills/list's "skills", or skills/get's "skill"):
 *   { "uri": "skill://<path>/SKILL.md", "frontmatter": { ... },
 *     "resources": [ { "uri", "digest": "sha256:<64 lowercase hex>", "size" }, ... ]
 *                  or "dynamic" }
 *
 * Checks what a host relies on before reading anything: the three fields and their types,
 * every resource's digest and size, each file listed once, SKILL.md itself listed (so it
 * can be verified too), and every file inside the skill's directory (the directory of
 * SKILL.md), so an entry cannot make the host read resources that are not part of the skill.
 */
gboolean    mcp_skill_entry_validate        (JsonObject    *entry,
                                             GError       **error);

/* The content for @uri in a resources/read result as a file, { uri, mimeType?, size, digest,
 * text | blob }, with the byte count and SHA-256 digest of what came (a "text" counts as its
 * UTF-8 bytes, a "blob" as its decoded bytes), which are also given in @bytes (may be NULL).
 * Compares nothing. */
JsonObject *mcp_skill_file_from_read_result (const char    *uri,
                                             JsonObject    *read_result,
                                             GBytes       **bytes,
                                             GError       **error);

/*
 * Verifies one resources/read result against the entry's @resource ({uri, digest, size}):
 * takes the content for that URI (a "text" counts as its UTF-8 bytes, a "blob" as its
 * decoded bytes), compares its byte count with "size", then its SHA-256 with "digest".
 * Returns the verified file, { uri, mimeType?, size, digest, text | blob }, and its bytes in
 * @bytes (may be NULL); on a mismatch, NULL and an error naming the file, what the entry
 * says and what came.
 */
JsonObject *mcp_skill_verify_file           (JsonObject    *resource,
                                             JsonObject    *read_result,
                                             GBytes       **bytes,
                                             GError       **error);

/*
 * Parses the YAML frontmatter of SKILL.md (@text, @length bytes, or -1) and compares it field
 * by field with @expected (the entry's frontmatter): every field of either must be present in
 * both with equal values (a field missing on one side equals null on the other). @uri names
 * the file in messages. On any difference, FALSE and MCP_SKILL_ERROR_FRONTMATTER_MISMATCH
 * naming the field and both values.
 */
gboolean    mcp_skill_verify_frontmatter    (JsonObject    *expected,
                                             const char    *text,
                                             gssize         length,
                                             const char    *uri,
                                             GError       **error);

/* Does @a hold the same JSON as @b? Numbers compare by value (1 equals 1.0); NULL equals a
 * null node. */
gboolean    mcp_skill_json_equal            (JsonNode      *a,
                                             JsonNode      *b);

G_END_DECLS
