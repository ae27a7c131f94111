/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tether-tool.h"

G_BEGIN_DECLS

#define TETHER_TYPE_TOOL_LIST (tether_tool_list_get_type ())
G_DECLARE_FINAL_TYPE (TetherToolList, tether_tool_list, TETHER, TOOL_LIST, GtkWidget)

/* A server's tools: a search entry (Ctrl+F, action "tool-list.search") over a list view of
 * TetherTool rows, filtered by name, title and description as one types. Clicking a row or
 * pressing Enter on it (or in the search entry, for the first match) emits "tool-activated".
 *
 * Signals:
 *   tool-activated (TetherToolList *self, TetherTool *tool)
 * Properties:
 *   search-text (string, read-write), selected-tool (TetherTool, read-only),
 *   n-tools (uint, read-only: all tools, matching or not) */
GtkWidget   *tether_tool_list_new               (void);

/* @tools is a tools/list result's "tools" array (NULL or empty: no tools). Entries without a
 * name are skipped. The selection survives when the selected tool is still there, so a
 * refresh after notifications/tools/list_changed does not lose the person's place. */
void         tether_tool_list_set_tools         (TetherToolList *self,
                                                 JsonArray      *tools);
guint        tether_tool_list_get_n_tools       (TetherToolList *self);
TetherTool  *tether_tool_list_lookup            (TetherToolList *self,
                                                 const char     *name);

/* The TetherTools that match the search, as the list view shows them. */
GListModel  *tether_tool_list_get_model         (TetherToolList *self);

const char  *tether_tool_list_get_search_text   (TetherToolList *self);
/* Filters at once, without the entry's typing delay. */
void         tether_tool_list_set_search_text   (TetherToolList *self,
                                                 const char     *text);

TetherTool  *tether_tool_list_get_selected_tool (TetherToolList *self);
/* Selects the tool named @name (NULL: none); FALSE when no visible tool has that name. */
gboolean     tether_tool_list_select_tool       (TetherToolList *self,
                                                 const char     *name);

G_END_DECLS
