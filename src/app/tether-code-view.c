/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A read-only source view that takes megabytes of text without freezing the window.
 *
 * Measured here (GTK 4.8, GtkSourceView 5.6, Xvfb, cairo): putting 15 MB into a buffer in one
 * call stalls for seconds; filling a detached buffer and attaching it at the end stalls
 * ~700 ms in the attach; turning highlighting on for a full buffer stalls ~1.8 s. Inserting a
 * slice at a time into the attached, already highlighted buffer keeps every main-loop
 * iteration short, provided each slice goes in as its own NUL-terminated string: GTK's
 * accessibility code reads the inserted text up to a NUL, so inserting straight from the
 * middle of a large string makes every insertion copy the whole remainder. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tether-code-view.h"

/* Bytes per insertion, and how long one main-loop iteration may keep inserting. */
#define SLICE_BYTES          (64 * 1024)
#define SLICE_BUDGET_US      (8 * G_TIME_SPAN_MILLISECOND)
/* Above redrawing (see tether_code_view_schedule_load()), and so above the text view's own
 * layout validation (GDK_PRIORITY_REDRAW + 5), which would otherwise hold loading back until
 * it had laid out every line so far. */
#define LOAD_PRIORITY        (GDK_PRIORITY_REDRAW - 1)
/* Above this the text is shown plain: the highlighter's background work on more text than
 * this keeps a core busy for tens of seconds. */
#define HIGHLIGHT_LIMIT      (16 * 1000 * 1000)
/* A bounded view with fewer lines than this needs no scrollbar of its own, and leaving it out
 * keeps the scrollbar's minimum length from padding a one-line view. */
#define LINES_WITHOUT_SCROLLING 20
/* Below this a progress bar would only flicker. */
#define PROGRESS_THRESHOLD   (4 * SLICE_BYTES)
/* Buffers with more characters than this are emptied a slice at a time before they go:
 * finalizing a highlighted buffer of megabytes drops its highlighter and frees all of its
 * lines in one go, ~150 ms for 10 MB here. */
#define RETIRE_THRESHOLD     (256 * 1024)
#define RETIRE_LINES         500

struct _TetherCodeView
{
  GtkWidget          parent_instance;

  GBytes            *text;
  char              *language_id;
  gsize              loaded;       /* bytes of text already in the buffer */
  guint              load_source;
  char              *slice;        /* SLICE_BYTES + 1, reused */
  GtkSourceBuffer   *buffer;
  gboolean           highlighted;
  int                max_content_height;

  /* Children */
  GtkWidget         *box;
  GtkLabel          *note;
  GtkWidget         *overlay;
  GtkScrolledWindow *scrolled;
  GtkSourceView     *view;
  GtkProgressBar    *progress;
};

G_DEFINE_FINAL_TYPE (TetherCodeView, tether_code_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_MAX_CONTENT_HEIGHT,
  PROP_SHOW_LINE_NUMBERS,
  PROP_WRAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Large buffers on their way out, oldest first: first their highlighters go, then their
 * text, then they do (see retire_buffer()). */
static GQueue unhighlighting = G_QUEUE_INIT;
static GQueue retiring = G_QUEUE_INIT;
static guint retire_highlighter_source;
static guint retire_text_source;

/* One buffer per language, kept for the life of the process: GtkSourceView parses a
 * language definition when the first buffer uses it (~80 ms for JSON here) and forgets it
 * when the last one goes. */
static GHashTable *language_keepers;

static void
tether_code_view_update_scheme (TetherCodeView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme != NULL)
    gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static gboolean retire_text_step (gpointer user_data);

/* Dropping a highlighter takes its tags off every line, ~30 ms for 10 MB here, and a buffer
 * that keeps its highlighter after its view went goes on analysing in the background (at
 * GTK_TEXT_VIEW_PRIORITY_VALIDATE) for nothing. So highlighters go first, one per main-loop
 * iteration, at a priority above that work and above redrawing. */
static gboolean
retire_highlighter_step (gpointer user_data)
{
  GtkSourceBuffer *buffer = g_queue_pop_head (&unhighlighting);

  gtk_source_buffer_set_language (buffer, NULL);
  g_queue_push_tail (&retiring, buffer);
  if (retire_text_source == 0)
    {
      retire_text_source = g_idle_add_full (G_PRIORITY_LOW, retire_text_step, NULL, NULL);
      g_source_set_name_by_id (retire_text_source, "[tether] code view retire text");
    }

  if (!g_queue_is_empty (&unhighlighting))
    return G_SOURCE_CONTINUE;
  retire_highlighter_source = 0;
  return G_SOURCE_REMOVE;
}

/* Then the text, from the end, a slice at a time, when nothing else wants to run. */
static gboolean
retire_text_step (gpointer user_data)
{
  gint64 start = g_get_monotonic_time ();

  while (!g_queue_is_empty (&retiring) && g_get_monotonic_time () - start < SLICE_BUDGET_US)
    {
      GtkTextBuffer *buffer = g_queue_peek_head (&retiring);
      GtkTextIter from, to;

      gtk_text_buffer_get_end_iter (buffer, &to);
      from = to;
      gtk_text_iter_backward_lines (&from, RETIRE_LINES);
      gtk_text_buffer_delete (buffer, &from, &to);
      if (gtk_text_buffer_get_char_count (buffer) == 0)
        g_object_unref (g_queue_pop_head (&retiring));
    }

  if (!g_queue_is_empty (&retiring))
    return G_SOURCE_CONTINUE;
  retire_text_source = 0;
  return G_SOURCE_REMOVE;
}

/* Drops @buffer, which no view shows any more. */
static void
retire_buffer (GtkSourceBuffer *buffer)
{
  if (buffer == NULL)
    return;
  if (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (buffer)) <= RETIRE_THRESHOLD)
    {
      g_object_unref (buffer);
      return;
    }

  g_queue_push_tail (&unhighlighting, buffer);
  if (retire_highlighter_source == 0)
    {
      retire_highlighter_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE,
                                                   retire_highlighter_step, NULL, NULL);
      g_source_set_name_by_id (retire_highlighter_source,
                               "[tether] code view retire highlighters");
    }
}

void
tether_code_view_preload_language (const char *language_id)
{
  GtkSourceLanguageManager *languages;
  GtkSourceLanguage *language;

  g_return_if_fail (language_id != NULL);

  if (language_keepers == NULL)
    language_keepers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (g_hash_table_contains (language_keepers, language_id))
    return;

  gtk_source_init ();
  languages = gtk_source_language_manager_get_default ();
  language = gtk_source_language_manager_get_language (languages, language_id);
  if (language != NULL)
    g_hash_table_insert (language_keepers, g_strdup (language_id),
                         gtk_source_buffer_new_with_language (language));
}

static GtkSourceBuffer *
new_buffer (void)
{
  GtkSourceBuffer *buffer = gtk_source_buffer_new (NULL);

  /* Nobody edits this text; an undo history of it would only hold a second copy. */
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (buffer), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (buffer, FALSE);
  return buffer;
}

/* A bounded view (max-content-height >= 0) is either as tall as its text, when that is
 * short, or exactly max-content-height tall and scrolls. Not "as tall as its text up to the
 * limit" (propagate-natural-height): asking a GtkTextView for its natural height lays out
 * every line, and while text streams in that happens on every frame, which for a few MB
 * never lets the loading finish. */
static void
tether_code_view_update_scrolling (TetherCodeView *self)
{
  GtkPolicyType vertical = GTK_POLICY_AUTOMATIC;
  gboolean wrap = gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (self->view)) != GTK_WRAP_NONE;

  if (self->max_content_height >= 0 && self->text != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (self->text, &size);
      guint lines = 1;

      /* Wrapped text may take more lines than it has; only short text is sure to fit. */
      for (gsize i = 0; i < size && lines < LINES_WITHOUT_SCROLLING; i++)
        if (data[i] == '\n')
          lines++;
      if (lines < LINES_WITHOUT_SCROLLING && (!wrap || size < 80 * LINES_WITHOUT_SCROLLING / 2))
        vertical = GTK_POLICY_NEVER;
    }
  gtk_scrolled_window_set_policy (self->scrolled, wrap ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC,
                                  vertical);

  if (self->max_content_height >= 0)
    {
      int height = vertical == GTK_POLICY_NEVER ? -1 : self->max_content_height;

      /* In this order: GTK refuses a minimum above the maximum, even for a moment. */
      gtk_scrolled_window_set_min_content_height (self->scrolled, -1);
      gtk_scrolled_window_set_max_content_height (self->scrolled, height);
      gtk_scrolled_window_set_min_content_height (self->scrolled, height);
    }
  else
    {
      gtk_scrolled_window_set_min_content_height (self->scrolled, -1);
      gtk_scrolled_window_set_max_content_height (self->scrolled, -1);
    }
}

static void
tether_code_view_stop_loading (TetherCodeView *self)
{
  g_clear_handle_id (&self->load_source, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
}

/* Where the next slice ends: at a line break when there is one in it, so the highlighter
 * sees whole lines, else at a character boundary. */
static gsize
slice_length (const char *data,
              gsize       available)
{
  gsize length = MIN (available, SLICE_BYTES);

  if (length == available)
    return length;
  for (gsize i = length; i > 0; i--)
    if (data[i - 1] == '\n')
      return i;
  while (length > 0 && ((guchar) data[length] & 0xC0) == 0x80)
    length--;
  return length > 0 ? length : MIN (available, SLICE_BYTES);
}

static void tether_code_view_schedule_load (TetherCodeView *self);

/* Inserts slices for up to @budget_us; TRUE while text is left. */
static gboolean
tether_code_view_load (TetherCodeView *self,
                       gint64          budget_us)
{
  gsize total;
  const char *data = g_bytes_get_data (self->text, &total);
  gint64 start = g_get_monotonic_time ();

  while (self->loaded < total && g_get_monotonic_time () - start < budget_us)
    {
      GtkTextIter end;
      gsize length = slice_length (data + self->loaded, total - self->loaded);
      gboolean first = self->loaded == 0;

      memcpy (self->slice, data + self->loaded, length);
      self->slice[length] = '\0';
      gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (self->buffer), &end);
      gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->buffer), &end, self->slice, length);
      self->loaded += length;

      if (first)
        {
          GtkTextIter begin;

          /* Keep the view at the top while the rest streams in below. */
          gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &begin);
          gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &begin);
        }
    }

  if (self->loaded < total)
    {
      gtk_progress_bar_set_fraction (self->progress, (double) self->loaded / total);
      return TRUE;
    }

  /* Done: whichever of the two drivers got here first stops both. */
  tether_code_view_stop_loading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  return FALSE;
}

static gboolean
load_cb (gpointer user_data)
{
  TetherCodeView *self = user_data;
  gboolean more;

  /* Cleared first: when this finishes, stop_loading() must not remove the running source. */
  self->load_source = 0;
  more = tether_code_view_load (self, SLICE_BUDGET_US);
  if (more && self->load_source == 0)
    tether_code_view_schedule_load (self);
  return G_SOURCE_REMOVE;
}

/* The next slice, ranked above redrawing but due only a millisecond from now: a frame that
 * is due runs in between, and no run of frames can hold loading back (an idle ranked below
 * redrawing never ran while frames came back to back, and hidden views then never loaded). */
static void
tether_code_view_schedule_load (TetherCodeView *self)
{
  self->load_source = g_timeout_add_full (LOAD_PRIORITY, 1, load_cb, self, NULL);
  g_source_set_name_by_id (self->load_source, "[tether] code view load");
}

GtkWidget *
tether_code_view_new (void)
{
  return g_object_new (TETHER_TYPE_CODE_VIEW, NULL);
}

void
tether_code_view_set_text (TetherCodeView *self,
                           GBytes         *text,
                           const char     *language_id)
{
  GtkSourceBuffer *old_buffer;
  gboolean was_loading;
  gsize size;

  g_return_if_fail (TETHER_IS_CODE_VIEW (self));
  g_return_if_fail (text != NULL);

  was_loading = self->load_source != 0;
  tether_code_view_stop_loading (self);

  g_bytes_ref (text);
  g_clear_pointer (&self->text, g_bytes_unref);
  self->text = text;
  g_free (self->language_id);
  self->language_id = g_strdup (language_id);
  self->loaded = 0;
  size = g_bytes_get_size (text);

  /* A fresh buffer rather than deleting the old text: deleting from an attached buffer goes
   * through the same per-line layout and accessibility work as inserting. */
  old_buffer = self->buffer;
  self->buffer = new_buffer ();
  tether_code_view_update_scheme (self);

  self->highlighted = FALSE;
  if (language_id != NULL && size <= HIGHLIGHT_LIMIT)
    {
      GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
      GtkSourceLanguage *language =
        gtk_source_language_manager_get_language (languages, language_id);

      tether_code_view_preload_language (language_id);
      /* Set before any text goes in: switching it on for a full buffer is one long stall. */
      gtk_source_buffer_set_language (self->buffer, language);
      self->highlighted = language != NULL;
    }
  gtk_source_buffer_set_highlight_syntax (self->buffer, self->highlighted);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->view), GTK_TEXT_BUFFER (self->buffer));
  retire_buffer (old_buffer);

  if (language_id != NULL && size > HIGHLIGHT_LIMIT)
    {
      g_autofree char *limit = g_format_size (HIGHLIGHT_LIMIT);
      g_autofree char *note =
        /* Translators: %s is a size such as "16.0 MB". */
        g_strdup_printf (_("Highlighting is off for text over %s"), limit);

      gtk_label_set_text (self->note, note);
      gtk_widget_set_visible (GTK_WIDGET (self->note), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
    }

  tether_code_view_update_scrolling (self);

  if (size > 0)
    {
      tether_code_view_schedule_load (self);
      gtk_progress_bar_set_fraction (self->progress, 0.0);
      gtk_widget_set_visible (GTK_WIDGET (self->progress), size > PROGRESS_THRESHOLD);
    }

  if (was_loading != (self->load_source != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

GBytes *
tether_code_view_get_text (TetherCodeView *self)
{
  g_return_val_if_fail (TETHER_IS_CODE_VIEW (self), NULL);
  return self->text;
}

gboolean
tether_code_view_get_loading (TetherCodeView *self)
{
  g_return_val_if_fail (TETHER_IS_CODE_VIEW (self), FALSE);
  return self->load_source != 0;
}

gboolean
tether_code_view_get_highlighted (TetherCodeView *self)
{
  g_return_val_if_fail (TETHER_IS_CODE_VIEW (self), FALSE);
  return self->highlighted;
}

void
tether_code_view_set_max_content_height (TetherCodeView *self,
                                         int             height)
{
  g_return_if_fail (TETHER_IS_CODE_VIEW (self));

  if (self->max_content_height == height)
    return;
  self->max_content_height = height;

  gtk_widget_set_vexpand (GTK_WIDGET (self->scrolled), height < 0);
  gtk_widget_set_vexpand (self->overlay, height < 0);
  tether_code_view_update_scrolling (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONTENT_HEIGHT]);
}

void
tether_code_view_set_show_line_numbers (TetherCodeView *self,
                                        gboolean        show)
{
  g_return_if_fail (TETHER_IS_CODE_VIEW (self));

  if (gtk_source_view_get_show_line_numbers (self->view) == !!show)
    return;
  gtk_source_view_set_show_line_numbers (self->view, show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LINE_NUMBERS]);
}

void
tether_code_view_set_wrap (TetherCodeView *self,
                           gboolean        wrap)
{
  GtkWrapMode mode = wrap ? GTK_WRAP_WORD_CHAR : GTK_WRAP_NONE;

  g_return_if_fail (TETHER_IS_CODE_VIEW (self));

  if (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (self->view)) == mode)
    return;
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), mode);
  tether_code_view_update_scrolling (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRAP]);
}

GtkSourceView *
tether_code_view_get_source_view (TetherCodeView *self)
{
  g_return_val_if_fail (TETHER_IS_CODE_VIEW (self), NULL);
  return self->view;
}

GtkSourceBuffer *
tether_code_view_get_buffer (TetherCodeView *self)
{
  g_return_val_if_fail (TETHER_IS_CODE_VIEW (self), NULL);
  return self->buffer;
}

static void
tether_code_view_dispose (GObject *object)
{
  TetherCodeView *self = TETHER_CODE_VIEW (object);

  tether_code_view_stop_loading (self);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (tether_code_view_parent_class)->dispose (object);
}

static void
tether_code_view_finalize (GObject *object)
{
  TetherCodeView *self = TETHER_CODE_VIEW (object);

  retire_buffer (g_steal_pointer (&self->buffer));
  g_clear_pointer (&self->text, g_bytes_unref);
  g_clear_pointer (&self->language_id, g_free);
  g_clear_pointer (&self->slice, g_free);

  G_OBJECT_CLASS (tether_code_view_parent_class)->finalize (object);
}

static void
tether_code_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TetherCodeView *self = TETHER_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, tether_code_view_get_loading (self));
      break;
    case PROP_MAX_CONTENT_HEIGHT:
      g_value_set_int (value, self->max_content_height);
      break;
    case PROP_SHOW_LINE_NUMBERS:
      g_value_set_boolean (value, gtk_source_view_get_show_line_numbers (self->view));
      break;
    case PROP_WRAP:
      g_value_set_boolean (value,
                           gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (self->view)) !=
                           GTK_WRAP_NONE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_code_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TetherCodeView *self = TETHER_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MAX_CONTENT_HEIGHT:
      tether_code_view_set_max_content_height (self, g_value_get_int (value));
      break;
    case PROP_SHOW_LINE_NUMBERS:
      tether_code_view_set_show_line_numbers (self, g_value_get_boolean (value));
      break;
    case PROP_WRAP:
      tether_code_view_set_wrap (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_code_view_class_init (TetherCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_code_view_dispose;
  object_class->finalize = tether_code_view_finalize;
  object_class->get_property = tether_code_view_get_property;
  object_class->set_property = tether_code_view_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONTENT_HEIGHT] =
    g_param_spec_int ("max-content-height", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LINE_NUMBERS] =
    g_param_spec_boolean ("show-line-numbers", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WRAP] =
    g_param_spec_boolean ("wrap", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codeview");

  /* Safe to call again; makes the view usable wherever it is created. */
  gtk_source_init ();
}

static void
tether_code_view_init (TetherCodeView *self)
{
  GtkWidget *overlay;

  self->max_content_height = -1;
  self->slice = g_malloc (SLICE_BYTES + 1);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->note, 0);
  gtk_label_set_wrap (self->note, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->note), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->note), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->note), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->note), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->note), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->note), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->note), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->note));

  overlay = self->overlay = gtk_overlay_new ();
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (self->box), overlay);

  self->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->scrolled), TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->scrolled));

  self->buffer = new_buffer ();
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 10);
  gtk_source_view_set_tab_width (self->view, 2);
  gtk_scrolled_window_set_child (self->scrolled, GTK_WIDGET (self->view));

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->progress), "osd");
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->progress));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading Text"),
                                  -1);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (tether_code_view_update_scheme), self,
                           G_CONNECT_SWAPPED);
  tether_code_view_update_scheme (self);
}
