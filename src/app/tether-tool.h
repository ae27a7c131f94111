/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TETHER_TOOL_ERROR (tether_tool_error_quark ())

typedef enum
{
  TETHER_TOOL_ERROR_INVALID, /* the tool definition lacks a name or has the wrong shapes */
} TetherToolError;

#define TETHER_TYPE_TOOL (tether_tool_get_type ())
G_DECLARE_FINAL_TYPE (TetherTool, tether_tool, TETHER, TOOL, GObject)

GQuark       tether_tool_error_quark          (void);

/* One entry of a tools/list result's "tools" array; @json is kept (referenced), not copied,
 * and must not change afterwards. */
TetherTool  *tether_tool_new_from_json        (JsonObject  *json,
                                               GError     **error);

JsonObject  *tether_tool_get_json             (TetherTool  *self);
const char  *tether_tool_get_name             (TetherTool  *self);
/* "title", else "annotations.title", else NULL. */
const char  *tether_tool_get_title            (TetherTool  *self);
/* The title when there is one, else the name: what a list shows in bold. */
const char  *tether_tool_get_display_title    (TetherTool  *self);
const char  *tether_tool_get_description      (TetherTool  *self);

/* The annotation hints, TRUE only when the server says so. The spec's defaults for absent
 * hints (destructive and open-world) describe what a client must assume, not what the
 * server claimed, so they are not shown as badges. */
gboolean     tether_tool_get_read_only_hint   (TetherTool  *self);
gboolean     tether_tool_get_destructive_hint (TetherTool  *self);
gboolean     tether_tool_get_idempotent_hint  (TetherTool  *self);
gboolean     tether_tool_get_open_world_hint  (TetherTool  *self);

JsonObject  *tether_tool_get_input_schema     (TetherTool  *self);
JsonObject  *tether_tool_get_output_schema    (TetherTool  *self);

/* Searching: tether_tool_fold_query() splits what a person typed into words, normalized
 * and case-folded; a tool matches when every word occurs in its name, title or description.
 * No words (a blank query) match everything. */
char       **tether_tool_fold_query           (const char         *query);
gboolean     tether_tool_matches              (TetherTool         *self,
                                               const char * const *folded_words);

G_END_DECLS
