/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The result of a tool call. The heavy lifting is elsewhere: tether-result-view-prepare.c
 * works the result out in a worker thread, tether-result-view-items.c makes widgets of its
 * content items, and TetherCodeView streams large text in. This file is the state machine:
 * empty, running, result or error, and which page of a result is shown. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tether-result-view-private.h"

#define COPIED_FEEDBACK_MS 1500

struct _TetherResultView
{
  GtkWidget              parent_instance;

  TetherResultViewState  state;
  TetherResultViewState  state_before_running;
  GCancellable          *cancellable;
  TetherPreparedResult  *prepared;
  GPtrArray             *code_views;       /* the content page's, each referenced */
  gboolean               preparing;
  gboolean               json_pending;     /* the JSON page is filled when first shown */
  gboolean               loading;
  gint64                 running_since;
  guint                  running_timer;
  guint                  copied_timeout;

  /* Template children */
  GtkStack              *state_stack;
  GtkSpinner            *running_spinner;
  GtkLabel              *running_message;
  GtkProgressBar        *running_progress;
  GtkLabel              *running_elapsed;
  GtkLabel              *error_label;
  GtkImage              *verdict_icon;
  GtkLabel              *verdict_label;
  GtkLabel              *meta_label;
  GtkSpinner            *loading_spinner;
  GtkButton             *copy_button;
  GtkStack              *page_stack;
  GtkWidget             *content_box;
  GtkLabel              *json_note;
  TetherCodeView        *json_view;
  GtkLabel              *structured_verdict;  /* in content_box, when there is one */
};

G_DEFINE_FINAL_TYPE (TetherResultView, tether_result_view, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (TetherResultViewState, tether_result_view_state,
                    G_DEFINE_ENUM_VALUE (TETHER_RESULT_VIEW_STATE_EMPTY, "empty"),
                    G_DEFINE_ENUM_VALUE (TETHER_RESULT_VIEW_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (TETHER_RESULT_VIEW_STATE_RESULT, "result"),
                    G_DEFINE_ENUM_VALUE (TETHER_RESULT_VIEW_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_LOADING,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

enum {
  OPEN_RESOURCE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char result_view_css[] =
  "resultview .content-item-body { padding: 12px; }\n"
  "resultview .content-item-picture { background-color: alpha(currentColor, 0.04); }\n"
  "resultview .structured-verdict { padding: 8px 12px; border-radius: 6px; }\n"
  "resultview .structured-verdict.success { background-color: alpha(@success_color, 0.1); }\n"
  "resultview .structured-verdict.error { background-color: alpha(@error_color, 0.1); }\n"
  "resultview .structured-verdict.warning { background-color: alpha(@warning_color, 0.1); }\n"
  /* Text views in cards take the card's colour rather than the style scheme's. */
  "resultview codeview.in-card textview,\n"
  "resultview codeview.in-card textview > text { background-color: transparent; }\n";

static void
ensure_css (GtkWidget *widget)
{
  static GQuark quark;
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (quark == 0)
    quark = g_quark_from_static_string ("tether-result-view-css");
  if (display == NULL || g_object_get_qdata (G_OBJECT (display), quark) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, result_view_css, -1);
  /* Above the application priority, which GtkSourceView's style schemes use. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_set_qdata_full (G_OBJECT (display), quark, g_steal_pointer (&provider),
                           g_object_unref);
}

/* ---- State ------------------------------------------------------------------------------- */

static void
tether_result_view_set_state (TetherResultView      *self,
                              TetherResultViewState  state)
{
  static const char * const pages[] = { "empty", "running", "result", "error" };

  gtk_stack_set_visible_child_name (self->state_stack, pages[state]);
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
tether_result_view_update_loading (TetherResultView *self)
{
  gboolean loading = self->preparing || tether_code_view_get_loading (self->json_view);

  for (guint i = 0; i < self->code_views->len && !loading; i++)
    loading = tether_code_view_get_loading (g_ptr_array_index (self->code_views, i));

  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), loading);
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
tether_result_view_stop_running (TetherResultView *self)
{
  g_clear_handle_id (&self->running_timer, g_source_remove);
  gtk_spinner_stop (self->running_spinner);
  self->running_since = 0;
}

static void
tether_result_view_clear_content (TetherResultView *self)
{
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  GtkWidget *child;

  for (guint i = 0; i < self->code_views->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->code_views, i), self);
  g_ptr_array_set_size (self->code_views, 0);
  self->structured_verdict = NULL;

  while ((child = gtk_widget_get_first_child (self->content_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->content_box), child);

  g_clear_pointer (&self->prepared, tether_prepared_result_free);
  self->json_pending = FALSE;
  tether_code_view_set_text (self->json_view, nothing, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->json_note), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result-view.copy", FALSE);
}

static void
tether_result_view_cancel (TetherResultView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->preparing = FALSE;
}

/* ---- The header -------------------------------------------------------------------------- */

static char *
format_elapsed (gint64 elapsed_us)
{
  if (elapsed_us < 1000)
    /* Translators: a duration in microseconds. */
    return g_strdup_printf (_("%d µs"), (int) elapsed_us);
  if (elapsed_us < 10 * 1000)
    /* Translators: a duration in milliseconds, with one decimal. */
    return g_strdup_printf (_("%.1f ms"), elapsed_us / 1000.0);
  if (elapsed_us < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds. */
    return g_strdup_printf (_("%d ms"), (int) (elapsed_us / 1000));
  if (elapsed_us < 60 * G_USEC_PER_SEC)
    /* Translators: a duration in seconds, with two decimals. */
    return g_strdup_printf (_("%.2f s"), (double) elapsed_us / G_USEC_PER_SEC);
  /* Translators: a duration in minutes and seconds. */
  return g_strdup_printf (_("%d min %d s"), (int) (elapsed_us / (60 * G_USEC_PER_SEC)),
                          (int) (elapsed_us / G_USEC_PER_SEC % 60));
}

static void
tether_result_view_set_header (TetherResultView *self,
                               gboolean          is_error,
                               gint64            elapsed_us,
                               gsize             size_bytes)
{
  g_autoptr(GString) meta = g_string_new (NULL);

  gtk_label_set_text (self->verdict_label, is_error ? _("Tool error") : _("Success"));
  gtk_image_set_from_icon_name (self->verdict_icon,
                                is_error ? "dialog-error-symbolic" : "object-select-symbolic");
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *widget = i == 0 ? GTK_WIDGET (self->verdict_label)
                                 : GTK_WIDGET (self->verdict_icon);

      gtk_widget_remove_css_class (widget, is_error ? "success" : "error");
      gtk_widget_add_css_class (widget, is_error ? "error" : "success");
    }

  if (elapsed_us >= 0)
    {
      g_autofree char *elapsed = format_elapsed (elapsed_us);

      g_string_append (meta, elapsed);
    }
  if (size_bytes > 0)
    {
      g_autofree char *size = g_format_size (size_bytes);

      if (meta->len > 0)
        g_string_append (meta, " · ");
      g_string_append (meta, size);
    }
  gtk_label_set_text (self->meta_label, meta->str);
}

/* ---- Filling the pages ------------------------------------------------------------------- */

static void
code_view_loading_changed_cb (TetherResultView *self)
{
  tether_result_view_update_loading (self);
}

static void
tether_result_view_load_json (TetherResultView *self)
{
  if (!self->json_pending || self->prepared == NULL)
    return;
  self->json_pending = FALSE;
  tether_code_view_set_text (self->json_view, self->prepared->json, "json");
  tether_result_view_update_loading (self);
}

static void
visible_page_changed_cb (TetherResultView *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "json") == 0)
    tether_result_view_load_json (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

static GtkWidget *
dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
tether_result_view_fill (TetherResultView *self)
{
  TetherPreparedResult *prepared = self->prepared;

  if (prepared->n_content == 0 && prepared->structured == NULL)
    gtk_box_append (GTK_BOX (self->content_box),
                    dim_label (_("The result has no content.")));

  for (guint i = 0; i < prepared->items->len; i++)
    gtk_box_append (GTK_BOX (self->content_box),
                    tether_result_view_build_item (self, g_ptr_array_index (prepared->items, i),
                                                   i, self->code_views));

  if (prepared->n_content > prepared->items->len)
    {
      guint rest = prepared->n_content - prepared->items->len;
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u more item is on the JSON page.",
                                      "%u more items are on the JSON page.", rest), rest);

      gtk_box_append (GTK_BOX (self->content_box), dim_label (text));
    }

  if (prepared->structured != NULL || prepared->verdict != TETHER_STRUCTURED_NOT_CHECKED)
    {
      GtkWidget *section = tether_result_view_build_structured (self, prepared,
                                                                self->code_views);

      self->structured_verdict = g_object_get_data (G_OBJECT (section), "verdict-label");
      gtk_box_append (GTK_BOX (self->content_box), section);
    }

  for (guint i = 0; i < self->code_views->len; i++)
    g_signal_connect_swapped (g_ptr_array_index (self->code_views, i), "notify::loading",
                              G_CALLBACK (code_view_loading_changed_cb), self);

  if (prepared->json_shortened)
    {
      g_autofree char *limit = g_format_size (TETHER_RESULT_VIEW_MAX_STRING_BYTES);
      g_autofree char *note =
        /* Translators: %s is a size such as "8.2 kB". */
        g_strdup_printf (_("Strings longer than %s are shortened here. Copy copies the full "
                           "result."), limit);

      gtk_label_set_text (self->json_note, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->json_note), prepared->json_shortened);

  self->json_pending = TRUE;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "json") == 0)
    tether_result_view_load_json (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result-view.copy", TRUE);
}

static void
prepared_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TetherResultView) self = user_data;
  g_autoptr(GError) error = NULL;
  TetherPreparedResult *prepared = tether_result_view_prepare_finish (result, &error);

  if (prepared == NULL)
    {
      /* Cancelled: a newer result, an error or a clear took over. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not prepare the result: %s", error->message);
      return;
    }
  if (!self->preparing)
    {
      tether_prepared_result_free (prepared);
      return;
    }

  self->preparing = FALSE;
  self->prepared = prepared;
  tether_result_view_fill (self);
  tether_result_view_update_loading (self);
}

/* ---- Public API -------------------------------------------------------------------------- */

GtkWidget *
tether_result_view_new (void)
{
  return g_object_new (TETHER_TYPE_RESULT_VIEW, NULL);
}

void
tether_result_view_set_result (TetherResultView *self,
                               JsonObject       *result,
                               gint64            elapsed_us,
                               gsize             size_bytes,
                               JsonObject       *output_schema)
{
  JsonNode *is_error;

  g_return_if_fail (TETHER_IS_RESULT_VIEW (self));
  g_return_if_fail (result != NULL);

  tether_result_view_cancel (self);
  tether_result_view_stop_running (self);
  tether_result_view_clear_content (self);

  /* The verdict is one member: show it now, while the rest is worked out. */
  is_error = json_object_get_member (result, "isError");
  tether_result_view_set_header (self,
                                 is_error != NULL && JSON_NODE_HOLDS_VALUE (is_error) &&
                                 json_node_get_value_type (is_error) == G_TYPE_BOOLEAN &&
                                 json_node_get_boolean (is_error),
                                 elapsed_us, size_bytes);
  tether_result_view_set_state (self, TETHER_RESULT_VIEW_STATE_RESULT);

  self->cancellable = g_cancellable_new ();
  self->preparing = TRUE;
  tether_result_view_update_loading (self);
  tether_result_view_prepare_async (result, output_schema, self->cancellable, prepared_cb,
                                    g_object_ref (self));
}

void
tether_result_view_set_error (TetherResultView *self,
                              const GError     *error)
{
  g_return_if_fail (TETHER_IS_RESULT_VIEW (self));
  g_return_if_fail (error != NULL);

  tether_result_view_cancel (self);
  tether_result_view_stop_running (self);
  tether_result_view_clear_content (self);
  gtk_label_set_text (self->error_label, error->message);
  tether_result_view_set_state (self, TETHER_RESULT_VIEW_STATE_ERROR);
  tether_result_view_update_loading (self);
}

static gboolean
running_tick_cb (gpointer user_data)
{
  TetherResultView *self = user_data;
  gint64 seconds = (g_get_monotonic_time () - self->running_since) / G_USEC_PER_SEC;
  g_autofree char *text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", seconds),
                     (int) seconds);

  gtk_label_set_text (self->running_elapsed, text);
  return G_SOURCE_CONTINUE;
}

void
tether_result_view_set_running (TetherResultView *self,
                                gboolean          running,
                                double            fraction,
                                const char       *message)
{
  gboolean has_fraction = fraction >= 0.0 && fraction <= 1.0;

  g_return_if_fail (TETHER_IS_RESULT_VIEW (self));

  if (!running)
    {
      if (self->state != TETHER_RESULT_VIEW_STATE_RUNNING)
        return;
      tether_result_view_stop_running (self);
      tether_result_view_set_state (self, self->state_before_running);
      return;
    }

  if (self->state != TETHER_RESULT_VIEW_STATE_RUNNING)
    {
      self->state_before_running = self->state;
      self->running_since = g_get_monotonic_time ();
      gtk_label_set_text (self->running_elapsed, "");
      self->running_timer = g_timeout_add_seconds (1, running_tick_cb, self);
      g_source_set_name_by_id (self->running_timer, "[tether] result view running clock");
      gtk_spinner_start (self->running_spinner);
      tether_result_view_set_state (self, TETHER_RESULT_VIEW_STATE_RUNNING);
    }

  gtk_label_set_text (self->running_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->running_message),
                          message != NULL && *message != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->running_progress), has_fraction);
  if (has_fraction)
    gtk_progress_bar_set_fraction (self->running_progress, fraction);
}

void
tether_result_view_clear (TetherResultView *self)
{
  g_return_if_fail (TETHER_IS_RESULT_VIEW (self));

  tether_result_view_cancel (self);
  tether_result_view_stop_running (self);
  tether_result_view_clear_content (self);
  tether_result_view_set_state (self, TETHER_RESULT_VIEW_STATE_EMPTY);
  tether_result_view_update_loading (self);
}

TetherResultViewState
tether_result_view_get_state (TetherResultView *self)
{
  g_return_val_if_fail (TETHER_IS_RESULT_VIEW (self), TETHER_RESULT_VIEW_STATE_EMPTY);
  return self->state;
}

gboolean
tether_result_view_get_loading (TetherResultView *self)
{
  g_return_val_if_fail (TETHER_IS_RESULT_VIEW (self), FALSE);
  return self->loading;
}

const char *
tether_result_view_get_visible_page (TetherResultView *self)
{
  g_return_val_if_fail (TETHER_IS_RESULT_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->page_stack);
}

void
tether_result_view_set_visible_page (TetherResultView *self,
                                     const char       *name)
{
  g_return_if_fail (TETHER_IS_RESULT_VIEW (self));
  g_return_if_fail (g_strcmp0 (name, "content") == 0 || g_strcmp0 (name, "json") == 0);

  gtk_stack_set_visible_child_name (self->page_stack, name);
}

void
tether_result_view_emit_open_resource (TetherResultView *self,
                                       const char       *uri)
{
  g_signal_emit (self, signals[OPEN_RESOURCE], 0, uri);
}

const char *
tether_result_view_get_verdict_text (TetherResultView *self)
{
  return gtk_label_get_text (self->verdict_label);
}

const char *
tether_result_view_get_structured_verdict_text (TetherResultView *self)
{
  return self->structured_verdict != NULL ? gtk_label_get_text (self->structured_verdict)
                                          : NULL;
}

TetherCodeView *
tether_result_view_get_json_view (TetherResultView *self)
{
  return self->json_view;
}

GtkWidget *
tether_result_view_get_content_box (TetherResultView *self)
{
  return self->content_box;
}

/* ---- Actions ----------------------------------------------------------------------------- */

static gboolean
copied_feedback_done_cb (gpointer user_data)
{
  TetherResultView *self = user_data;

  self->copied_timeout = 0;
  gtk_button_set_icon_name (self->copy_button, "edit-copy-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copy the result as JSON"));
  return G_SOURCE_REMOVE;
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TetherResultView *self = TETHER_RESULT_VIEW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GdkContentProvider) content = NULL;

  if (self->prepared == NULL)
    return;

  /* The bytes as they are, without another copy of a result that may be megabytes. */
  content = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8",
                                                self->prepared->json_full);
  gdk_clipboard_set_content (clipboard, content);

  gtk_button_set_icon_name (self->copy_button, "object-select-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copied"));
  g_clear_handle_id (&self->copied_timeout, g_source_remove);
  self->copied_timeout = g_timeout_add (COPIED_FEEDBACK_MS, copied_feedback_done_cb, self);
}

/* ---- GObject ----------------------------------------------------------------------------- */

static gboolean
preload_json_cb (gpointer user_data)
{
  tether_code_view_preload_language ("json");
  return G_SOURCE_REMOVE;
}

static void
tether_result_view_root (GtkWidget *widget)
{
  static gboolean preloading;

  GTK_WIDGET_CLASS (tether_result_view_parent_class)->root (widget);
  ensure_css (widget);

  /* Results are mostly JSON: parse its highlighting rules while nothing else happens,
   * rather than when the first result arrives. */
  if (!preloading)
    {
      preloading = TRUE;
      g_idle_add_full (G_PRIORITY_LOW, preload_json_cb, NULL, NULL);
    }
}

static void
tether_result_view_dispose (GObject *object)
{
  TetherResultView *self = TETHER_RESULT_VIEW (object);

  tether_result_view_cancel (self);
  tether_result_view_stop_running (self);
  g_clear_handle_id (&self->copied_timeout, g_source_remove);
  if (self->code_views != NULL)
    {
      for (guint i = 0; i < self->code_views->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->code_views, i), self);
      g_clear_pointer (&self->code_views, g_ptr_array_unref);
    }
  if (self->json_view != NULL)
    g_signal_handlers_disconnect_by_data (self->json_view, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_RESULT_VIEW);
  g_clear_pointer (&self->prepared, tether_prepared_result_free);

  G_OBJECT_CLASS (tether_result_view_parent_class)->dispose (object);
}

static void
tether_result_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TetherResultView *self = TETHER_RESULT_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, tether_result_view_get_visible_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_result_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TetherResultView *self = TETHER_RESULT_VIEW (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_PAGE:
      tether_result_view_set_visible_page (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_result_view_class_init (TetherResultViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tether_result_view_dispose;
  object_class->get_property = tether_result_view_get_property;
  object_class->set_property = tether_result_view_set_property;

  widget_class->root = tether_result_view_root;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TETHER_TYPE_RESULT_VIEW_STATE,
                       TETHER_RESULT_VIEW_STATE_EMPTY,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, "content",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RESOURCE] =
    g_signal_new ("open-resource",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TETHER_TYPE_CODE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-result-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, running_spinner);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, running_message);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, running_progress);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, running_elapsed);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, error_label);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, page_stack);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, content_box);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, json_note);
  gtk_widget_class_bind_template_child (widget_class, TetherResultView, json_view);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_changed_cb);

  gtk_widget_class_install_action (widget_class, "result-view.copy", NULL, copy_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "result-view.copy", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "resultview");
}

static void
tether_result_view_init (TetherResultView *self)
{
  GtkWidget *source_view;

  self->code_views = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  source_view = GTK_WIDGET (tether_code_view_get_source_view (self->json_view));
  gtk_accessible_update_property (GTK_ACCESSIBLE (source_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Result JSON"),
                                  -1);
  g_signal_connect_swapped (self->json_view, "notify::loading",
                            G_CALLBACK (code_view_loading_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "result-view.copy", FALSE);
  tether_result_view_set_state (self, TETHER_RESULT_VIEW_STATE_EMPTY);
}
