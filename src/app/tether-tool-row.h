/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tether-tool.h"

G_BEGIN_DECLS

#define TETHER_TYPE_TOOL_ROW (tether_tool_row_get_type ())
G_DECLARE_FINAL_TYPE (TetherToolRow, tether_tool_row, TETHER, TOOL_ROW, GtkWidget)

/* One row of the tool list: title, name, two lines of description and the annotation
 * badges. Rows are recycled by the list view, so setting a tool only sets texts and
 * visibilities; it never creates widgets. */
GtkWidget   *tether_tool_row_new      (void);
void         tether_tool_row_set_tool (TetherToolRow *self,
                                       TetherTool    *tool);
TetherTool  *tether_tool_row_get_tool (TetherToolRow *self);

G_END_DECLS
