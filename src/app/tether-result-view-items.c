/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Widgets for the content of a tool result, one section per item: a caption saying what it
 * is, then the item as a person wants it (text to read and select, JSON highlighted, a
 * picture, a player, a link to open). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tether-result-view-private.h"

/* Short plain text reads better as a label than in a text view with its own scrolling. */
#define LABEL_MAX_BYTES   4096
#define LABEL_MAX_LINES   40
/* Text views in the content page scroll beyond this height. */
#define TEXT_MAX_HEIGHT   420

static GtkWidget *
section_new (const char *icon_name,
             const char *title,
             const char *detail)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_add_css_class (icon, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_box_append (GTK_BOX (header), icon);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (header), label);
  if (detail != NULL && *detail != '\0')
    {
      GtkWidget *detail_label = gtk_label_new (detail);

      gtk_label_set_ellipsize (GTK_LABEL (detail_label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_xalign (GTK_LABEL (detail_label), 0);
      gtk_widget_set_hexpand (detail_label, TRUE);
      gtk_widget_set_tooltip_text (detail_label, detail);
      gtk_widget_add_css_class (detail_label, "caption");
      gtk_widget_add_css_class (detail_label, "dim-label");
      gtk_box_append (GTK_BOX (header), detail_label);
    }
  gtk_box_append (GTK_BOX (section), header);
  gtk_widget_add_css_class (section, "content-item");
  return section;
}

static GtkWidget *
card_new (GtkWidget *child,
          gboolean   padded)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  /* Rounded corners also for the text view's own background. */
  gtk_widget_set_overflow (card, GTK_OVERFLOW_HIDDEN);
  if (padded)
    gtk_widget_add_css_class (child, "content-item-body");
  if (TETHER_IS_CODE_VIEW (child))
    gtk_widget_add_css_class (child, "in-card");
  gtk_box_append (GTK_BOX (card), child);
  return card;
}

static GtkWidget *
problem_label (const char *problem)
{
  GtkWidget *label = gtk_label_new (problem);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "error");
  return label;
}

static GtkWidget *
note_label (const char *note)
{
  GtkWidget *label = gtk_label_new (note);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
append_detail (GString    *detail,
               const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (detail->len > 0)
    g_string_append (detail, " · ");
  g_string_append (detail, part);
}

static gboolean
fits_in_label (GBytes *text)
{
  gsize size;
  const char *data = g_bytes_get_data (text, &size);
  guint lines = 1;

  if (size > LABEL_MAX_BYTES)
    return FALSE;
  for (gsize i = 0; i < size; i++)
    if (data[i] == '\n' && ++lines > LABEL_MAX_LINES)
      return FALSE;
  return TRUE;
}

static GtkWidget *
text_body (TetherContentItem *item,
           const char        *language_id,
           const char        *accessible_name,
           GPtrArray         *code_views)
{
  GtkWidget *view;

  if (language_id == NULL && fits_in_label (item->text))
    {
      gsize size;
      const char *data = g_bytes_get_data (item->text, &size);
      g_autofree char *text = g_strndup (data, size);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_yalign (GTK_LABEL (label), 0);
      return card_new (label, TRUE);
    }

  view = tether_code_view_new ();
  tether_code_view_set_max_content_height (TETHER_CODE_VIEW (view), TEXT_MAX_HEIGHT);
  tether_code_view_set_wrap (TETHER_CODE_VIEW (view), language_id == NULL);
  tether_code_view_set_text (TETHER_CODE_VIEW (view), item->text, language_id);
  gtk_accessible_update_property (
    GTK_ACCESSIBLE (tether_code_view_get_source_view (TETHER_CODE_VIEW (view))),
    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
    -1);
  g_ptr_array_add (code_views, g_object_ref (view));
  return card_new (view, FALSE);
}

static GtkWidget *
picture_body (TetherContentItem *item,
              const char        *accessible_name)
{
  GdkTexture *texture = item->display_texture != NULL ? item->display_texture : item->texture;
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  GtkWidget *clamp = adw_clamp_new ();
  int width = gdk_texture_get_width (texture);

  /* At most the (already scaled down) texture's size, never stretched; narrower windows
   * shrink it keeping its aspect. A clamp does that: it gives the picture the smaller of the
   * width there is and its own, then asks its height for that width. */
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), accessible_name);
  gtk_widget_add_css_class (picture, "content-item-picture");
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), width);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), width);
  adw_clamp_set_child (ADW_CLAMP (clamp), picture);
  gtk_widget_set_halign (clamp, GTK_ALIGN_START);
  return card_new (clamp, TRUE);
}

static void
open_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  TetherResultView *self =
    TETHER_RESULT_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button), TETHER_TYPE_RESULT_VIEW));
  const char *uri = g_object_get_data (G_OBJECT (button), "uri");

  if (self != NULL && uri != NULL)
    tether_result_view_emit_open_resource (self, uri);
}

static GtkWidget *
resource_link_body (TetherContentItem *item)
{
  const char *title = item->title != NULL ? item->title
                      : item->name != NULL ? item->name
                      : item->uri != NULL ? item->uri : _("Unnamed resource");
  g_autoptr(GString) subtitle = g_string_new (item->uri);
  g_autofree char *open_name = g_strdup_printf (_("Open %s"), title);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_label (_("Open"));

  if (item->description != NULL && *item->description != '\0')
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? "\n" : "", item->description);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "insert-link-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, item->uri);
  gtk_widget_set_sensitive (button, item->uri != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  open_name, -1);
  g_object_set_data_full (G_OBJECT (button), "uri", g_strdup (item->uri), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return list;
}

static const char *
language_for_mime_type (const char *mime_type)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language;

  if (mime_type == NULL)
    return NULL;
  language = gtk_source_language_manager_guess_language (languages, NULL, mime_type);
  return language != NULL ? gtk_source_language_get_id (language) : NULL;
}

GtkWidget *
tether_result_view_build_item (TetherResultView  *self,
                               TetherContentItem *item,
                               guint              index,
                               GPtrArray         *code_views)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *accessible_name = NULL;
  GtkWidget *section = NULL;
  GtkWidget *body = NULL;

  switch (item->kind)
    {
    case TETHER_CONTENT_TEXT:
      {
        g_autofree char *size = g_format_size (g_bytes_get_size (item->text));

        /* Translators: the accessible name of the n-th content item's text. */
        accessible_name = g_strdup_printf (_("Content Item %u"), index + 1);
        if (g_bytes_get_size (item->text) >= 1000)
          append_detail (detail, size);
        section = section_new (item->is_json ? "text-x-generic-symbolic"
                                             : "format-justify-left-symbolic",
                               item->is_json ? _("Text (JSON)") : _("Text"), detail->str);
        body = text_body (item, item->is_json ? "json" : NULL, accessible_name, code_views);
      }
      break;

    case TETHER_CONTENT_IMAGE:
      {
        g_autofree char *size = g_format_size (item->data_size);

        append_detail (detail, item->mime_type);
        if (item->texture != NULL)
          g_string_append_printf (detail, " · %d × %d", gdk_texture_get_width (item->texture),
                                  gdk_texture_get_height (item->texture));
        append_detail (detail, size);
        section = section_new ("image-x-generic-symbolic", _("Image"), detail->str);
        /* Translators: the accessible name of the n-th content item's image. */
        accessible_name = g_strdup_printf (_("Image %u"), index + 1);
        if (item->texture != NULL)
          body = picture_body (item, accessible_name);
      }
      break;

    case TETHER_CONTENT_AUDIO:
      {
        g_autofree char *size = g_format_size (item->data_size);

        append_detail (detail, item->mime_type);
        append_detail (detail, size);
        section = section_new ("audio-x-generic-symbolic", _("Audio"), detail->str);
        if (item->audio_file != NULL)
          {
            g_autoptr(GtkMediaStream) media = gtk_media_file_new_for_file (item->audio_file);
            GtkWidget *controls = gtk_media_controls_new (media);

            /* Translators: the accessible name of the n-th content item's player. */
            accessible_name = g_strdup_printf (_("Audio Player %u"), index + 1);
            gtk_accessible_update_property (GTK_ACCESSIBLE (controls),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                            -1);
            body = card_new (controls, TRUE);
          }
      }
      break;

    case TETHER_CONTENT_RESOURCE_LINK:
      append_detail (detail, item->mime_type);
      if (item->link_size >= 0)
        {
          g_autofree char *size = g_format_size (item->link_size);

          append_detail (detail, size);
        }
      section = section_new ("insert-link-symbolic", _("Resource link"), detail->str);
      body = resource_link_body (item);
      break;

    case TETHER_CONTENT_RESOURCE:
      append_detail (detail, item->uri);
      append_detail (detail, item->mime_type);
      section = section_new ("folder-documents-symbolic", _("Embedded resource"), detail->str);
      /* Translators: the accessible name of the n-th content item's resource. */
      accessible_name = g_strdup_printf (_("Resource %u"), index + 1);
      if (item->text != NULL)
        {
          body = text_body (item, item->is_json ? "json"
                                                : language_for_mime_type (item->mime_type),
                            accessible_name, code_views);
        }
      else if (item->texture != NULL)
        {
          body = picture_body (item, accessible_name);
        }
      else if (item->problem == NULL)
        {
          g_autofree char *size = g_format_size (item->data_size);
          g_autofree char *text =
            /* Translators: %s is a size such as "12.3 kB". */
            g_strdup_printf (_("Binary data, %s"), size);

          body = card_new (note_label (text), TRUE);
        }
      break;

    case TETHER_CONTENT_UNKNOWN:
    default:
      {
        g_autofree char *title =
          *item->type_name != '\0'
          /* Translators: %s is a content type this client does not know. */
          ? g_strdup_printf (_("Unknown content type “%s”"), item->type_name)
          : g_strdup (_("Content that is not an object"));

        section = section_new ("dialog-question-symbolic", title, NULL);
        accessible_name = g_strdup_printf (_("Content Item %u"), index + 1);
        body = text_body (item, "json", accessible_name, code_views);
      }
      break;
    }

  if (body != NULL)
    gtk_box_append (GTK_BOX (section), body);
  if (item->problem != NULL)
    gtk_box_append (GTK_BOX (section), problem_label (item->problem));
  if (item->shortened)
    gtk_box_append (GTK_BOX (section),
                    note_label (_("Very long lines are shortened here. Copy copies the full "
                                  "result.")));
  return section;
}

GtkWidget *
tether_result_view_build_structured (TetherResultView     *self,
                                     TetherPreparedResult *prepared,
                                     GPtrArray            *code_views)
{
  GtkWidget *section = section_new ("view-list-symbolic", _("Structured content"), NULL);

  if (prepared->verdict != TETHER_STRUCTURED_NOT_CHECKED)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      const char *icon_name;
      const char *css_class;
      g_autofree char *text = NULL;
      GtkWidget *icon, *label;

      switch (prepared->verdict)
        {
        case TETHER_STRUCTURED_VALID:
          text = g_strdup (_("Structured content matches the output schema"));
          icon_name = "object-select-symbolic";
          css_class = "success";
          break;
        case TETHER_STRUCTURED_INVALID:
          /* Translators: %s is the first problem, such as
           * "$.items[2].name: expected a string, got an integer (3)". */
          text = g_strdup_printf (_("Structured content does not match the output schema: %s"),
                                  prepared->verdict_detail);
          icon_name = "dialog-error-symbolic";
          css_class = "error";
          break;
        case TETHER_STRUCTURED_MISSING:
          text = g_strdup (_("Missing structuredContent: the tool has an output schema, so its "
                             "results must carry structured content"));
          icon_name = "dialog-error-symbolic";
          css_class = "error";
          break;
        case TETHER_STRUCTURED_UNCHECKABLE:
        case TETHER_STRUCTURED_NOT_CHECKED:
        default:
          /* Translators: %s says what is wrong with the tool's output schema. */
          text = g_strdup_printf (_("Structured content could not be checked against the "
                                    "output schema: %s"), prepared->verdict_detail);
          icon_name = "dialog-warning-symbolic";
          css_class = "warning";
          break;
        }

      icon = gtk_image_new_from_icon_name (icon_name);
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_widget_add_css_class (icon, css_class);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      css_class, -1);
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_widget_add_css_class (row, "structured-verdict");
      gtk_widget_add_css_class (row, css_class);
      gtk_box_append (GTK_BOX (section), row);
      g_object_set_data (G_OBJECT (section), "verdict-label", label);
    }

  if (prepared->structured != NULL)
    {
      GtkWidget *view = tether_code_view_new ();

      tether_code_view_set_max_content_height (TETHER_CODE_VIEW (view), TEXT_MAX_HEIGHT);
      tether_code_view_set_text (TETHER_CODE_VIEW (view), prepared->structured, "json");
      gtk_accessible_update_property (
        GTK_ACCESSIBLE (tether_code_view_get_source_view (TETHER_CODE_VIEW (view))),
        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Structured Content"),
        -1);
      g_ptr_array_add (code_views, g_object_ref (view));
      gtk_box_append (GTK_BOX (section), card_new (view, FALSE));
      if (prepared->structured_shortened)
        gtk_box_append (GTK_BOX (section),
                        note_label (_("Very long strings are shortened here. Copy copies the "
                                      "full result.")));
    }
  return section;
}
