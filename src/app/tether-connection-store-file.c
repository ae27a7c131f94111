/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherConnectionStore, continued: connections.json on disk. */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-connection-store-private.h"

void
tether_connection_store_contents_free (gpointer data)
{
  TetherConnectionStoreContents *contents = data;

  g_clear_pointer (&contents->connections, g_ptr_array_unref);
  g_clear_pointer (&contents->unknown_members, json_object_unref);
  g_clear_error (&contents->problem);
  g_free (contents);
}

GBytes *
tether_connection_store_serialize (GPtrArray  *connections,
                                   JsonObject *unknown_members)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  char *data;
  gsize length;

  if (unknown_members != NULL)
    {
      json_object_iter_init (&iter, unknown_members);
      while (json_object_iter_next (&iter, &member, &node))
        json_object_set_member (object, member, json_node_copy (node));
    }
  json_object_set_int_member (object, "version", TETHER_CONNECTION_STORE_FORMAT_VERSION);
  for (guint i = 0; i < connections->len; i++)
    json_array_add_element (array,
                            tether_connection_to_json (g_ptr_array_index (connections, i)));
  json_object_set_array_member (object, "connections", array);

  root = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  data = json_generator_to_data (generator, &length);
  /* A text file ends with a newline. */
  data = g_realloc (data, length + 2);
  data[length++] = '\n';
  data[length] = '\0';
  return g_bytes_new_take (data, length);
}

static gboolean
parse (const char  *data,
       gsize        length,
       GPtrArray  **connections,
       JsonObject **unknown_members,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) unknown = NULL;
  JsonNode *root, *version, *list;
  JsonObject *object;
  JsonArray *array;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (length == 0)
    {
      g_set_error_literal (error, TETHER_CONNECTION_STORE_ERROR,
                           TETHER_CONNECTION_STORE_ERROR_CORRUPT, "the file is empty");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TETHER_CONNECTION_STORE_ERROR,
                           TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                           "expected a JSON object with a “connections” list");
      return FALSE;
    }
  object = json_node_get_object (root);

  version = json_object_get_member (object, "version");
  if (version != NULL
      && (!JSON_NODE_HOLDS_VALUE (version)
          || json_node_get_value_type (version) != G_TYPE_INT64
          || json_node_get_int (version) < 1))
    {
      g_set_error_literal (error, TETHER_CONNECTION_STORE_ERROR,
                           TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                           "“version” should be a positive whole number");
      return FALSE;
    }

  list = json_object_get_member (object, "connections");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, TETHER_CONNECTION_STORE_ERROR,
                           TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                           "expected a “connections” list");
      return FALSE;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      TetherConnection *connection;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TETHER_CONNECTION_STORE_ERROR,
                       TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                       "connection %u is not a JSON object", i + 1);
          return FALSE;
        }
      connection = tether_connection_new_from_json (json_node_get_object (element), &local_error);
      if (connection == NULL)
        {
          g_set_error (error, TETHER_CONNECTION_STORE_ERROR,
                       TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                       "connection %u: %s", i + 1, local_error->message);
          return FALSE;
        }
      g_ptr_array_add (result, connection);
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_str_equal (member, "version") || g_str_equal (member, "connections"))
        continue;
      if (unknown == NULL)
        unknown = json_object_new ();
      json_object_set_member (unknown, member, json_node_copy (node));
    }

  *connections = g_steal_pointer (&result);
  *unknown_members = g_steal_pointer (&unknown);
  return TRUE;
}

/* Renames @file to FILE.corrupt-TIMESTAMP (never over an existing file). */
static GFile *
move_aside (GFile         *file,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);

  for (guint attempt = 0; ; attempt++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GFile) aside = NULL;
      g_autoptr(GError) local_error = NULL;

      if (attempt == 0)
        name = g_strdup_printf ("%s.corrupt-%s", basename, stamp);
      else
        name = g_strdup_printf ("%s.corrupt-%s-%u", basename, stamp, attempt);
      aside = g_file_get_child (parent, name);

      if (g_file_move (file, aside, G_FILE_COPY_NOFOLLOW_SYMLINKS, cancellable, NULL, NULL,
                       &local_error))
        return g_steal_pointer (&aside);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt >= 100)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

TetherConnectionStoreContents *
tether_connection_store_read_file (GFile         *file,
                                   GCancellable  *cancellable,
                                   GError       **error_out)
{
  TetherConnectionStoreContents *result = g_new0 (TetherConnectionStoreContents, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GFile) aside = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  result->writable = TRUE;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          tether_connection_store_contents_free (result);
          g_propagate_error (error_out, g_steal_pointer (&error));
          return NULL;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* Maybe a permission or a disk problem: the connections may all still be there. */
          result->writable = FALSE;
          result->problem =
            g_error_new (TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_READ,
                         _("Your saved connections could not be read: %s. Tether will not "
                           "change the file until it can be read."),
                         error->message);
        }
      result->connections = g_ptr_array_new_with_free_func (g_object_unref);
      return result;
    }

  if (parse (contents, length, &result->connections, &result->unknown_members, &parse_error))
    return result;

  result->connections = g_ptr_array_new_with_free_func (g_object_unref);
  aside = move_aside (file, cancellable, &error);
  if (aside != NULL)
    {
      result->problem =
        g_error_new (TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                     _("Your saved connections could not be read: %s. The file was kept as "
                       "“%s”."),
                     parse_error->message, g_file_peek_path (aside));
    }
  else
    {
      result->writable = FALSE;
      result->problem =
        g_error_new (TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_CORRUPT,
                     _("Your saved connections could not be read: %s. The file could not be "
                       "moved aside either (%s), so Tether will not change it."),
                     parse_error->message, error->message);
    }
  return result;
}

gboolean
tether_connection_store_write_file (GFile         *file,
                                    GBytes        *contents,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (contents, &length);

  if (!g_file_make_directory_with_parents (parent, cancellable, &local_error)
      && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* GIO writes a temporary file beside the target and renames it over the target, so the
   * file is always either the old or the new version; the old one is kept as FILE~. The
   * file is private: custom headers may carry API keys. */
  return g_file_replace_contents (file, data, length, NULL, TRUE, G_FILE_CREATE_PRIVATE,
                                  NULL, cancellable, error);
}
