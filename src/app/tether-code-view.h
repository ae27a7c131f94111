/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define TETHER_TYPE_CODE_VIEW (tether_code_view_get_type ())
G_DECLARE_FINAL_TYPE (TetherCodeView, tether_code_view, TETHER, CODE_VIEW, GtkWidget)

/* Read-only text in a scrolled GtkSourceView, highlighted for a language, in the Adwaita or
 * Adwaita-dark style scheme as the style manager says. Text of any size goes in without
 * stalling the main loop: it is inserted a slice at a time, taking turns with frames, so the
 * window keeps redrawing while it loads.
 *
 * Properties: loading (bool, read-only), max-content-height (int: -1 fills the parent,
 * otherwise the view is as tall as short text, or this tall and scrolls),
 * show-line-numbers (bool), wrap (bool). */
GtkWidget        *tether_code_view_new                    (void);

/* Replaces the text; @language_id ("json", ...) may be NULL for plain text. @text must stay
 * unchanged (the view references it); it need not end in a NUL. */
void              tether_code_view_set_text               (TetherCodeView *self,
                                                           GBytes         *text,
                                                           const char     *language_id);
GBytes           *tether_code_view_get_text               (TetherCodeView *self);
gboolean          tether_code_view_get_loading            (TetherCodeView *self);
/* Whether the text is highlighted: it is not above the size limit, which a note says. */
gboolean          tether_code_view_get_highlighted        (TetherCodeView *self);

void              tether_code_view_set_max_content_height (TetherCodeView *self,
                                                           int             height);
void              tether_code_view_set_show_line_numbers  (TetherCodeView *self,
                                                           gboolean        show);
void              tether_code_view_set_wrap               (TetherCodeView *self,
                                                           gboolean        wrap);

/* Parses @language_id's definition now (once per process; it is then kept), so the first
 * view that highlights it does not pay for that. */
void              tether_code_view_preload_language       (const char     *language_id);

GtkSourceView    *tether_code_view_get_source_view        (TetherCodeView *self);
GtkSourceBuffer  *tether_code_view_get_buffer             (TetherCodeView *self);

G_END_DECLS
