/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-code-view.h"
#include "tether-result-view.h"

G_BEGIN_DECLS

/* Strings in JSON longer than this are shortened on screen (never in what Copy copies).
 * Measured here: GtkSourceView's highlighter is quadratic within a line (it converts every
 * match position to a character offset from the line start), and an 8 KB string full of
 * escaped quotes held the main loop for ~180 ms; a single 64 KB line takes GTK a quarter of
 * a second to lay out even without highlighting. */
#define TETHER_RESULT_VIEW_MAX_STRING_BYTES (2 * 1024)
/* Lines of plain (unhighlighted) text longer than this are shortened the same way. */
#define TETHER_RESULT_VIEW_MAX_LINE_BYTES   (16 * 1024)
/* Pictures are scaled down to fit in this box, on the worker thread. */
#define TETHER_RESULT_VIEW_PICTURE_MAX_WIDTH  640
#define TETHER_RESULT_VIEW_PICTURE_MAX_HEIGHT 360
/* Content items shown one by one; the rest are in the JSON page. */
#define TETHER_RESULT_VIEW_MAX_ITEMS        100

typedef enum
{
  TETHER_CONTENT_TEXT,          /* text: plain, or pretty JSON when it parsed as JSON */
  TETHER_CONTENT_IMAGE,
  TETHER_CONTENT_AUDIO,
  TETHER_CONTENT_RESOURCE_LINK,
  TETHER_CONTENT_RESOURCE,      /* an embedded resource: text or blob */
  TETHER_CONTENT_UNKNOWN,       /* a type this client does not know: its JSON */
} TetherContentKind;

/* One content item, worked out in the worker thread; the widgets are made from it on the
 * main thread (tether-result-view-items.c). */
typedef struct
{
  TetherContentKind  kind;
  GBytes            *text;         /* what a text view shows, when there is text */
  gboolean           is_json;      /* text is pretty JSON */
  gboolean           shortened;    /* long strings or lines in text were shortened */
  char              *mime_type;
  char              *uri;
  char              *name;
  char              *title;
  char              *description;
  char              *type_name;    /* the "type" of an unknown item */
  GdkTexture        *texture;      /* images, and image blobs of embedded resources */
  GdkTexture        *display_texture; /* the same scaled down to fit, or NULL if it fits */
  GFile             *audio_file;   /* a temporary file, deleted with the item */
  gsize              data_size;    /* decoded bytes of base64 data or blob */
  gint64             link_size;    /* a resource link's "size", -1 when not given */
  char              *problem;      /* why the data could not be shown */
} TetherContentItem;

typedef enum
{
  TETHER_STRUCTURED_NOT_CHECKED, /* no output schema, or a tool error */
  TETHER_STRUCTURED_VALID,
  TETHER_STRUCTURED_INVALID,
  TETHER_STRUCTURED_MISSING,     /* an output schema but no structuredContent */
  TETHER_STRUCTURED_UNCHECKABLE, /* the output schema itself could not be used */
} TetherStructuredVerdict;

typedef struct
{
  GPtrArray               *items;          /* TetherContentItem, at most MAX_ITEMS */
  guint                    n_content;      /* items in the result, shown or not */
  gboolean                 is_error;
  GBytes                  *json;           /* the whole result, pretty, shortened */
  GBytes                  *json_full;      /* the same, never shortened: what Copy copies */
  gboolean                 json_shortened;
  GBytes                  *structured;     /* pretty structuredContent, or NULL */
  gboolean                 structured_shortened;
  TetherStructuredVerdict  verdict;
  char                    *verdict_detail; /* the first problem, or why it was uncheckable */
} TetherPreparedResult;

void                  tether_content_item_free           (TetherContentItem    *item);
void                  tether_prepared_result_free        (TetherPreparedResult *prepared);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TetherPreparedResult, tether_prepared_result_free)

/* tether-result-view-prepare.c: everything that may take long, off the main thread. */
void                  tether_result_view_prepare_async   (JsonObject           *result,
                                                          JsonObject           *output_schema,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
TetherPreparedResult *tether_result_view_prepare_finish  (GAsyncResult         *result,
                                                          GError              **error);
/* Text shortened as the views show it: lines over @max_line_bytes cut with "… [N more]". */
char                 *tether_result_view_shorten_lines   (const char           *text,
                                                          gsize                 length,
                                                          gsize                 max_line_bytes,
                                                          gboolean             *shortened);

/* tether-result-view-items.c: widgets for content items. Code views made here are added to
 * @code_views so the view knows when all of them have loaded. */
GtkWidget            *tether_result_view_build_item      (TetherResultView     *self,
                                                          TetherContentItem    *item,
                                                          guint                 index,
                                                          GPtrArray            *code_views);
GtkWidget            *tether_result_view_build_structured (TetherResultView    *self,
                                                           TetherPreparedResult *prepared,
                                                           GPtrArray           *code_views);
void                  tether_result_view_emit_open_resource (TetherResultView  *self,
                                                             const char        *uri);

/* For tests: the texts a person reads, and the JSON page's view. */
const char           *tether_result_view_get_verdict_text (TetherResultView    *self);
const char           *tether_result_view_get_structured_verdict_text (TetherResultView *self);
TetherCodeView       *tether_result_view_get_json_view    (TetherResultView    *self);
GtkWidget            *tether_result_view_get_content_box  (TetherResultView    *self);

G_END_DECLS
