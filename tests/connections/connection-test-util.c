/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "connection-test-util.h"
#include "test-files.h"

char *config_home;

void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

GFile *
test_file (const char *folder)
{
  return g_file_new_build_filename (config_home, folder, "connections.json", NULL);
}

TetherConnectionStore *
load_store (GFile   *file,
            GError **error)
{
  g_autoptr(TetherConnectionStore) store = tether_connection_store_new (file);
  g_autoptr(GAsyncResult) result = NULL;

  tether_connection_store_load_async (store, NULL, result_cb, &result);
  tether_connection_store_load_finish (store, wait_for (&result), error);
  g_assert_true (tether_connection_store_get_loaded (store));
  return g_steal_pointer (&store);
}

void
wait_until_gone (gpointer *pointer)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*pointer != NULL && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_null (*pointer);
}

gboolean
save_store (TetherConnectionStore  *store,
            GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tether_connection_store_save_async (store, NULL, result_cb, &result);
  return tether_connection_store_save_finish (store, wait_for (&result), error);
}

char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

void
write_file (GFile      *file,
            const char *contents)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_file_peek_path (parent), 0700);
  g_file_set_contents (g_file_peek_path (file), contents, -1, &error);
  g_assert_no_error (error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @file's folder, sorted. */
GStrv
list_folder (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GDir) dir = g_dir_open (g_file_peek_path (parent), 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}


TetherConnection *
make_http (const char *name)
{
  static const char * const headers[] = { "X-Api-Key: abc", "Accept-Language: zh-CN", NULL };
  TetherConnection *connection = tether_connection_new ();

  tether_connection_set_name (connection, name);
  tether_connection_set_transport (connection, TETHER_TRANSPORT_HTTP);
  tether_connection_set_url (connection, "http://localhost:8000/mcp");
  tether_connection_set_headers (connection, headers);
  tether_connection_set_auth_mode (connection, TETHER_AUTH_MODE_OAUTH);
  tether_connection_set_client_id (connection, "client-123");
  tether_connection_set_scopes (connection, "user read:tools");
  tether_connection_set_cimd_url (connection, "https://example.com/tether.json");
  tether_connection_set_era (connection, TETHER_PROTOCOL_ERA_MODERN);
  tether_connection_set_timeout_seconds (connection, 120);
  return connection;
}

TetherConnection *
make_stdio (const char *name)
{
  static const char * const arguments[] = { "-y", "@modelcontextprotocol/server-everything",
                                            "two words", "", NULL };
  static const char * const environment[] = { "PORT=0", "EMPTY=", "QUOTE=\"x=y\"", NULL };
  TetherConnection *connection = tether_connection_new ();

  tether_connection_set_name (connection, name);
  tether_connection_set_transport (connection, TETHER_TRANSPORT_STDIO);
  tether_connection_set_command (connection, "npx");
  tether_connection_set_arguments (connection, arguments);
  tether_connection_set_environment (connection, environment);
  tether_connection_set_working_directory (connection, "/tmp");
  tether_connection_set_auth_mode (connection, TETHER_AUTH_MODE_NONE);
  tether_connection_set_era (connection, TETHER_PROTOCOL_ERA_LEGACY);
  return connection;
}

/* Every property, by its GParamSpec, so a property added later is compared too. */
void
assert_same_settings (TetherConnection *a,
                      TetherConnection *b,
                      gboolean          same_id)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;
      const char *name = g_param_spec_get_name (pspecs[i]);

      if (!same_id && g_str_equal (name, "id"))
        continue;

      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (a), name, &va);
      g_object_get_property (G_OBJECT (b), name, &vb);

      if (pspecs[i]->value_type == G_TYPE_STRV)
        {
          if (!g_strv_equal (g_value_get_boxed (&va), g_value_get_boxed (&vb)))
            g_error ("Property “%s” differs", name);
        }
      else if (g_param_values_cmp (pspecs[i], &va, &vb) != 0)
        {
          g_autofree char *sa = g_strdup_value_contents (&va);
          g_autofree char *sb = g_strdup_value_contents (&vb);

          g_error ("Property “%s” differs: %s and %s", name, sa, sb);
        }
    }
}

TetherConnection *
item (TetherConnectionStore *store,
      guint                  position)
{
  /* The store keeps a reference; tests only look. */
  TetherConnection *connection = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (connection);
  g_object_unref (connection);
  return connection;
}

