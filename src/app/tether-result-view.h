/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TETHER_RESULT_VIEW_STATE_EMPTY,   /* nothing run yet, or cleared */
  TETHER_RESULT_VIEW_STATE_RUNNING, /* a call is in flight */
  TETHER_RESULT_VIEW_STATE_RESULT,  /* a tools/call result (which may itself be a tool error) */
  TETHER_RESULT_VIEW_STATE_ERROR,   /* the request failed: a protocol or transport error */
} TetherResultViewState;

#define TETHER_TYPE_RESULT_VIEW_STATE (tether_result_view_state_get_type ())
GType tether_result_view_state_get_type (void) G_GNUC_CONST;

#define TETHER_TYPE_RESULT_VIEW (tether_result_view_get_type ())
G_DECLARE_FINAL_TYPE (TetherResultView, tether_result_view, TETHER, RESULT_VIEW, GtkWidget)

/* What a tools/call returned: a header with the verdict ("Success" or "Tool error"), time
 * and size, then either the content as a person wants to see it (text, JSON, images, audio,
 * resource links, embedded resources, structuredContent checked against the tool's
 * outputSchema) or the whole result as JSON, with a Copy button.
 *
 * Large results are prepared in a worker thread and fed to the text views a slice at a
 * time, so a 10 MB result never stalls the window; "loading" is TRUE until all of it is in.
 *
 * Signals:
 *   open-resource (TetherResultView *self, const char *uri): a resource link's Open button
 * Properties:
 *   state (TetherResultViewState, read-only), loading (bool, read-only),
 *   visible-page (string: "content" or "json", read-write) */
GtkWidget              *tether_result_view_new              (void);

/* Shows a tools/call result. @result is referenced and read from a worker thread, so it must
 * not change afterwards. @elapsed_us and @size_bytes are what the call took and weighed on
 * the wire (-1 and 0: unknown, not shown). @output_schema (may be NULL) is the tool's
 * outputSchema, against which structuredContent is checked. */
void                    tether_result_view_set_result       (TetherResultView *self,
                                                             JsonObject       *result,
                                                             gint64            elapsed_us,
                                                             gsize             size_bytes,
                                                             JsonObject       *output_schema);
/* Shows that the request failed (not a tool error: those come as results). */
void                    tether_result_view_set_error        (TetherResultView *self,
                                                             const GError     *error);
/* While @running, shows a spinner, @message (may be NULL) and, when @fraction is within
 * [0, 1], a progress bar; call again for each progress notification. Not running goes back
 * to what was shown before. */
void                    tether_result_view_set_running      (TetherResultView *self,
                                                             gboolean          running,
                                                             double            fraction,
                                                             const char       *message);
void                    tether_result_view_clear            (TetherResultView *self);

TetherResultViewState   tether_result_view_get_state        (TetherResultView *self);
gboolean                tether_result_view_get_loading      (TetherResultView *self);
const char             *tether_result_view_get_visible_page (TetherResultView *self);
void                    tether_result_view_set_visible_page (TetherResultView *self,
                                                             const char       *name);

G_END_DECLS
