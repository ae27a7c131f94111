/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-client.h"
#include "mcp-skill-verify.h"

G_BEGIN_DECLS

/*
 * The MCP Skills extension (SEP-2640, "io.modelcontextprotocol/skills") on an McpClient.
 *
 * A server that declares the extension under capabilities.extensions (initialize or
 * server/discover) lists skills with skills/list and skills/get; a skill's files are
 * resources read with resources/read. A host reads no skill file ahead of need: listing and
 * finding a skill read nothing, and only mcp_client_load_skill_async() reads files, checking
 * each as it comes, so content that fails is never used and nothing is read after it.
 */

/* The settings the server declares for extension @id (borrowed), or NULL when it declares
 * none: an object ({} when the extension has no settings). */
JsonNode   *mcp_client_get_server_extension    (McpClient           *self,
                                                const char          *id);
/* Does the server declare the skills extension? */
gboolean    mcp_client_server_has_skills       (McpClient           *self);

/* skills/list, every page; finish returns the concatenated skill entries. Fails with
 * MCP_SKILL_ERROR_NOT_SUPPORTED, without asking, when the server does not declare the
 * extension. */
void        mcp_client_list_skills_async       (McpClient           *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonArray  *mcp_client_list_skills_finish      (McpClient           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* skills/get: the entry of the skill whose SKILL.md has @uri. */
void        mcp_client_get_skill_async         (McpClient           *self,
                                                const char          *uri,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonObject *mcp_client_get_skill_finish        (McpClient           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The entry of a skill named by its SKILL.md URI (anything with "://") or by its
 * frontmatter name: from skills/list, or, for a URI the listing does not hold (a server may
 * not enumerate everything), from skills/get. MCP_SKILL_ERROR_NOT_FOUND when there is none,
 * MCP_SKILL_ERROR_AMBIGUOUS when a name is not unique. */
void        mcp_client_find_skill_async        (McpClient           *self,
                                                const char          *uri_or_name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonObject *mcp_client_find_skill_finish       (McpClient           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/*
 * Loads the skill of @entry (from skills/list or skills/get): checks the entry
 * (mcp_skill_entry_validate()), then reads SKILL.md and the other listed files one at a
 * time, SKILL.md first, verifying each read's byte size and SHA-256 digest against the entry
 * and SKILL.md's frontmatter against the entry's frontmatter. The first failure ends the
 * load (MCP_SKILL_ERROR, mcp_skill_error_is_verification(): TRUE for content that failed),
 * with no further reads. For an entry whose resources are "dynamic" there is no manifest:
 * only SKILL.md is read and only its frontmatter can be verified.
 *
 * Finish returns { "uri", "frontmatter", "files": [ { uri, mimeType?, size, digest,
 * text | blob }, ... ] } holding verified content only.
 */
void        mcp_client_load_skill_async        (McpClient           *self,
                                                JsonObject          *entry,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonObject *mcp_client_load_skill_finish       (McpClient           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
