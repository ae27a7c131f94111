/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The part of showing a result that can take long: pretty-printing, parsing JSON that tools
 * put in text items, decoding base64 images and audio, checking structuredContent. It runs
 * in a worker thread and only reads the result.
 *
 * json-glib's reference counts are not atomic, so the worker never takes or drops a
 * reference on the caller's nodes: the nodes it needs are made, held and released on the
 * main thread (see PrepareData), and the worker only walks them. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-json-printer.h"
#include "tether-json-validator.h"
#include "tether-result-view-private.h"

/* json-glib's parser recurses once per nesting level, on the worker's stack. */
#define MAX_PARSE_DEPTH 256

typedef struct
{
  JsonNode            *result;        /* made on the main thread, released there */
  JsonNode            *output_schema; /* idem, may be NULL */
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} PrepareData;

/* ---- Items ------------------------------------------------------------------------------- */

void
tether_content_item_free (TetherContentItem *item)
{
  if (item == NULL)
    return;

  if (item->audio_file != NULL)
    g_file_delete (item->audio_file, NULL, NULL);
  g_clear_object (&item->audio_file);
  g_clear_object (&item->texture);
  g_clear_object (&item->display_texture);
  g_clear_pointer (&item->text, g_bytes_unref);
  g_free (item->mime_type);
  g_free (item->uri);
  g_free (item->name);
  g_free (item->title);
  g_free (item->description);
  g_free (item->type_name);
  g_free (item->problem);
  g_free (item);
}

void
tether_prepared_result_free (TetherPreparedResult *prepared)
{
  if (prepared == NULL)
    return;

  g_clear_pointer (&prepared->items, g_ptr_array_unref);
  g_clear_pointer (&prepared->json, g_bytes_unref);
  g_clear_pointer (&prepared->json_full, g_bytes_unref);
  g_clear_pointer (&prepared->structured, g_bytes_unref);
  g_free (prepared->verdict_detail);
  g_free (prepared);
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static GBytes *
string_to_bytes (GString *string)
{
  return g_string_free_to_bytes (string);
}

char *
tether_result_view_shorten_lines (const char *text,
                                  gsize       length,
                                  gsize       max_line_bytes,
                                  gboolean   *shortened)
{
  const char *end = text + length;
  const char *line = text;
  GString *out = NULL;

  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      const char *line_end = newline != NULL ? newline : end;
      gsize line_length = line_end - line;

      if (line_length > max_line_bytes)
        {
          const char *cut = g_utf8_find_prev_char (line, line + max_line_bytes + 1);
          g_autofree char *left_out = NULL;

          if (cut == NULL)
            cut = line;
          if (out == NULL)
            out = g_string_new_len (text, line - text);
          g_string_append_len (out, line, cut - line);
          left_out = g_format_size (line_end - cut);
          g_string_append_printf (out, "… [%s more]", left_out);
        }
      else if (out != NULL)
        {
          g_string_append_len (out, line, line_length);
        }

      if (newline == NULL)
        break;
      if (out != NULL)
        g_string_append_c (out, '\n');
      line = newline + 1;
    }

  if (shortened != NULL)
    *shortened = out != NULL;
  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

/* Text for a text view: pretty JSON when it is a JSON object or array, else the text with
 * overlong lines shortened. */
static void
prepare_text (TetherContentItem *item,
              const char        *text,
              gboolean           try_json)
{
  gsize length = strlen (text);
  g_autofree char *valid = NULL;
  g_autofree char *shortened_text = NULL;

  if (!g_utf8_validate (text, length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = strlen (valid);
    }

  if (try_json && tether_json_printer_looks_like_container (text, length, MAX_PARSE_DEPTH))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, text, length, NULL))
        {
          GString *pretty = g_string_sized_new (length + length / 2);

          tether_json_printer_append_pretty (pretty, json_parser_get_root (parser),
                                             TETHER_RESULT_VIEW_MAX_STRING_BYTES,
                                             &item->shortened);
          item->text = string_to_bytes (pretty);
          item->is_json = TRUE;
          return;
        }
    }

  shortened_text = tether_result_view_shorten_lines (text, length,
                                                     TETHER_RESULT_VIEW_MAX_LINE_BYTES,
                                                     &item->shortened);
  if (shortened_text != NULL)
    {
      gsize shortened_length = strlen (shortened_text);

      item->text = g_bytes_new_take (g_steal_pointer (&shortened_text), shortened_length);
    }
  else
    {
      item->text = g_bytes_new (text, length);
    }
}

static GBytes *
decode_base64 (const char *data)
{
  gsize size = 0;
  guchar *decoded;

  /* g_base64_decode() skips what is not base64 rather than failing: servers that wrap
   * lines or add a data: prefix still come through, and garbage decodes to an image the
   * loader then refuses with a message. */
  decoded = g_base64_decode (data, &size);
  return g_bytes_new_take (decoded, size);
}

/* A smaller copy of a large image, so that the picture's natural size is what fits on the
 * page and GTK does not scale megapixels on every frame. NULL when it fits as it is, or when
 * gdk-pixbuf cannot read the format (the original is shown then). */
static GdkTexture *
scale_to_fit (GdkTexture *texture,
              GBytes     *encoded)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  double scale = MIN ((double) TETHER_RESULT_VIEW_PICTURE_MAX_WIDTH / width,
                      (double) TETHER_RESULT_VIEW_PICTURE_MAX_HEIGHT / height);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;

  if (scale >= 1.0)
    return NULL;
  stream = g_memory_input_stream_new_from_bytes (encoded);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, NULL);
  if (pixbuf == NULL)
    return NULL;
  scaled = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) (width * scale)),
                                    MAX (1, (int) (height * scale)), GDK_INTERP_BILINEAR);
  return scaled != NULL ? gdk_texture_new_for_pixbuf (scaled) : NULL;
}

static void
prepare_image (TetherContentItem *item,
               const char        *data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (data == NULL)
    {
      item->problem = g_strdup (_("The image has no “data”"));
      return;
    }
  bytes = decode_base64 (data);
  item->data_size = g_bytes_get_size (bytes);
  /* GdkTexture is immutable and may be made off the main thread, as GTK's own icon loader
   * does. */
  item->texture = gdk_texture_new_from_bytes (bytes, &error);
  if (item->texture == NULL)
    {
      item->problem = g_strdup_printf (_("The image could not be decoded: %s"),
                                       error->message);
      return;
    }
  item->display_texture = scale_to_fit (item->texture, bytes);
}

static const char *
audio_suffix (const char *mime_type)
{
  static const struct { const char *mime; const char *suffix; } suffixes[] = {
    { "audio/wav", ".wav" }, { "audio/x-wav", ".wav" }, { "audio/wave", ".wav" },
    { "audio/mpeg", ".mp3" }, { "audio/mp3", ".mp3" }, { "audio/ogg", ".ogg" },
    { "audio/opus", ".opus" }, { "audio/flac", ".flac" }, { "audio/webm", ".webm" },
    { "audio/mp4", ".m4a" }, { "audio/aac", ".aac" },
  };

  for (guint i = 0; mime_type != NULL && i < G_N_ELEMENTS (suffixes); i++)
    if (g_ascii_strcasecmp (mime_type, suffixes[i].mime) == 0)
      return suffixes[i].suffix;
  return ".audio";
}

static void
prepare_audio (TetherContentItem *item,
               const char        *data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  g_autoptr(GFile) file = NULL;
  GOutputStream *output;

  if (data == NULL)
    {
      item->problem = g_strdup (_("The audio has no “data”"));
      return;
    }
  bytes = decode_base64 (data);
  item->data_size = g_bytes_get_size (bytes);

  /* GTK's GStreamer backend plays files only (it aborts on a GInputStream), so the audio
   * goes to a private temporary file for as long as the result is shown. */
  template = g_strconcat ("tether-audio-XXXXXX", audio_suffix (item->mime_type), NULL);
  file = g_file_new_tmp (template, &stream, &error);
  if (file == NULL)
    {
      item->problem = g_strdup_printf (_("The audio could not be saved for playing: %s"),
                                       error->message);
      return;
    }
  output = g_io_stream_get_output_stream (G_IO_STREAM (stream));
  if (!g_output_stream_write_all (output, g_bytes_get_data (bytes, NULL),
                                  g_bytes_get_size (bytes), NULL, NULL, &error) ||
      !g_io_stream_close (G_IO_STREAM (stream), NULL, &error))
    {
      item->problem = g_strdup_printf (_("The audio could not be saved for playing: %s"),
                                       error->message);
      g_file_delete (file, NULL, NULL);
      return;
    }
  item->audio_file = g_steal_pointer (&file);
}

static gboolean
is_json_mime_type (const char *mime_type)
{
  return mime_type != NULL &&
         (g_ascii_strcasecmp (mime_type, "application/json") == 0 ||
          g_str_has_suffix (mime_type, "+json"));
}

static void
prepare_resource (TetherContentItem *item,
                  JsonObject        *resource)
{
  g_autofree char *text = dup_string_member (resource, "text");
  g_autofree char *blob = dup_string_member (resource, "blob");

  item->uri = dup_string_member (resource, "uri");
  item->mime_type = dup_string_member (resource, "mimeType");

  if (text != NULL)
    {
      prepare_text (item, text, is_json_mime_type (item->mime_type));
    }
  else if (blob != NULL)
    {
      if (item->mime_type != NULL && g_str_has_prefix (item->mime_type, "image/"))
        {
          prepare_image (item, blob);
        }
      else
        {
          g_autoptr(GBytes) bytes = decode_base64 (blob);

          item->data_size = g_bytes_get_size (bytes);
        }
    }
  else
    {
      item->problem = g_strdup (_("The resource has neither “text” nor “blob”"));
    }
}

static TetherContentItem *
prepare_item (JsonNode *node)
{
  TetherContentItem *item = g_new0 (TetherContentItem, 1);
  g_autofree char *type = NULL;
  JsonObject *object;

  item->link_size = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      GString *json = g_string_new (NULL);

      item->kind = TETHER_CONTENT_UNKNOWN;
      item->type_name = g_strdup ("");
      tether_json_printer_append_pretty (json, node, TETHER_RESULT_VIEW_MAX_STRING_BYTES,
                                         &item->shortened);
      item->text = string_to_bytes (json);
      item->is_json = TRUE;
      return item;
    }

  object = json_node_get_object (node);
  type = dup_string_member (object, "type");
  item->mime_type = dup_string_member (object, "mimeType");

  if (g_strcmp0 (type, "text") == 0)
    {
      g_autofree char *text = dup_string_member (object, "text");

      item->kind = TETHER_CONTENT_TEXT;
      prepare_text (item, text != NULL ? text : "", TRUE);
    }
  else if (g_strcmp0 (type, "image") == 0)
    {
      g_autofree char *data = dup_string_member (object, "data");

      item->kind = TETHER_CONTENT_IMAGE;
      prepare_image (item, data);
    }
  else if (g_strcmp0 (type, "audio") == 0)
    {
      g_autofree char *data = dup_string_member (object, "data");

      item->kind = TETHER_CONTENT_AUDIO;
      prepare_audio (item, data);
    }
  else if (g_strcmp0 (type, "resource_link") == 0)
    {
      JsonNode *size = json_object_get_member (object, "size");

      item->kind = TETHER_CONTENT_RESOURCE_LINK;
      item->uri = dup_string_member (object, "uri");
      item->name = dup_string_member (object, "name");
      item->title = dup_string_member (object, "title");
      item->description = dup_string_member (object, "description");
      if (size != NULL && JSON_NODE_HOLDS_VALUE (size) &&
          json_node_get_value_type (size) == G_TYPE_INT64 && json_node_get_int (size) >= 0)
        item->link_size = json_node_get_int (size);
    }
  else if (g_strcmp0 (type, "resource") == 0 &&
           json_object_has_member (object, "resource") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "resource")))
    {
      item->kind = TETHER_CONTENT_RESOURCE;
      g_clear_pointer (&item->mime_type, g_free);
      prepare_resource (item, json_object_get_object_member (object, "resource"));
    }
  else
    {
      GString *json = g_string_new (NULL);

      item->kind = TETHER_CONTENT_UNKNOWN;
      item->type_name = g_strdup (type != NULL ? type : "");
      tether_json_printer_append_pretty (json, node, TETHER_RESULT_VIEW_MAX_STRING_BYTES,
                                         &item->shortened);
      item->text = string_to_bytes (json);
      item->is_json = TRUE;
    }
  return item;
}

/* ---- The whole result -------------------------------------------------------------------- */

static void
prepare_structured (TetherPreparedResult *prepared,
                    JsonObject           *result,
                    JsonNode             *output_schema)
{
  JsonNode *structured = json_object_get_member (result, "structuredContent");

  if (structured != NULL)
    {
      GString *pretty = g_string_new (NULL);

      tether_json_printer_append_pretty (pretty, structured,
                                         TETHER_RESULT_VIEW_MAX_STRING_BYTES,
                                         &prepared->structured_shortened);
      prepared->structured = string_to_bytes (pretty);
    }

  /* An error result need not follow the schema: the schema describes what success
   * returns. */
  if (output_schema == NULL || prepared->is_error)
    {
      prepared->verdict = TETHER_STRUCTURED_NOT_CHECKED;
    }
  else if (structured == NULL)
    {
      prepared->verdict = TETHER_STRUCTURED_MISSING;
    }
  else
    {
      g_autoptr(GError) error = NULL;

      if (tether_json_validator_validate (output_schema, structured, NULL, &error))
        {
          prepared->verdict = TETHER_STRUCTURED_VALID;
        }
      else
        {
          prepared->verdict = error->code == TETHER_JSON_VALIDATOR_ERROR_MISMATCH
                              ? TETHER_STRUCTURED_INVALID : TETHER_STRUCTURED_UNCHECKABLE;
          prepared->verdict_detail = g_strdup (error->message);
        }
    }
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(TetherPreparedResult) prepared = g_new0 (TetherPreparedResult, 1);
  JsonObject *result = json_node_get_object (data->result);
  JsonNode *is_error = json_object_get_member (result, "isError");
  JsonNode *content = json_object_get_member (result, "content");
  GString *json;

  prepared->items = g_ptr_array_new_with_free_func ((GDestroyNotify) tether_content_item_free);
  prepared->is_error = is_error != NULL && JSON_NODE_HOLDS_VALUE (is_error) &&
                       json_node_get_value_type (is_error) == G_TYPE_BOOLEAN &&
                       json_node_get_boolean (is_error);

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *array = json_node_get_array (content);

      prepared->n_content = json_array_get_length (array);
      for (guint i = 0; i < prepared->n_content && i < TETHER_RESULT_VIEW_MAX_ITEMS; i++)
        {
          if (g_task_return_error_if_cancelled (task))
            return;
          g_ptr_array_add (prepared->items, prepare_item (json_array_get_element (array, i)));
        }
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  prepare_structured (prepared, result, data->output_schema);

  if (g_task_return_error_if_cancelled (task))
    return;
  json = g_string_new (NULL);
  tether_json_printer_append_pretty (json, data->result, TETHER_RESULT_VIEW_MAX_STRING_BYTES,
                                     &prepared->json_shortened);
  prepared->json = string_to_bytes (json);

  if (prepared->json_shortened)
    {
      GString *full = g_string_sized_new (g_bytes_get_size (prepared->json));

      tether_json_printer_append_pretty (full, data->result, 0, NULL);
      prepared->json_full = string_to_bytes (full);
    }
  else
    {
      prepared->json_full = g_bytes_ref (prepared->json);
    }

  /* Nothing below here may touch @data: the main thread frees it once this returns. */
  g_task_return_pointer (task, g_steal_pointer (&prepared),
                         (GDestroyNotify) tether_prepared_result_free);
}

static void
prepare_done (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PrepareData *data = g_task_get_task_data (G_TASK (result));

  data->callback (source_object, result, data->user_data);

  /* Back on the main thread: the only safe place to drop these references. */
  g_clear_pointer (&data->result, json_node_unref);
  g_clear_pointer (&data->output_schema, json_node_unref);
}

static void
prepare_data_free (PrepareData *data)
{
  /* Normally emptied by prepare_done(); this only runs on what it left. */
  g_clear_pointer (&data->result, json_node_unref);
  g_clear_pointer (&data->output_schema, json_node_unref);
  g_free (data);
}

void
tether_result_view_prepare_async (JsonObject          *result,
                                  JsonObject          *output_schema,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (result != NULL);
  g_return_if_fail (callback != NULL);

  data = g_new0 (PrepareData, 1);
  data->result = json_node_init_object (json_node_alloc (), result);
  if (output_schema != NULL)
    data->output_schema = json_node_init_object (json_node_alloc (), output_schema);
  data->callback = callback;
  data->user_data = user_data;

  task = g_task_new (NULL, cancellable, prepare_done, NULL);
  g_task_set_source_tag (task, tether_result_view_prepare_async);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

TetherPreparedResult *
tether_result_view_prepare_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
