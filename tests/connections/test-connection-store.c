/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "connection-test-util.h"
#include "test-files.h"

static void
test_missing_file_is_empty (void)
{
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) expected = g_file_new_build_filename (config_home, "tether",
                                                         "connections.json", NULL);

  /* No file argument: the default place, below $XDG_CONFIG_HOME. */
  store = load_store (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (tether_connection_store_get_file (store), expected));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (tether_connection_store_get_load_error (store));
  g_assert_false (tether_connection_store_get_dirty (store));
  g_assert_cmpint (g_list_model_get_item_type (G_LIST_MODEL (store)), ==, TETHER_TYPE_CONNECTION);
  /* Reading creates nothing. */
  g_assert_false (g_file_query_exists (expected, NULL));
}

static void
test_round_trip (void)
{
  g_autoptr(GFile) file = test_file ("round-trip");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnectionStore) reloaded = NULL;
  g_autoptr(TetherConnection) a = make_http ("Reference server");
  g_autoptr(TetherConnection) b = make_stdio ("Everything “quoted” 服务器");
  g_autoptr(TetherConnection) c = tether_connection_new ();
  g_autoptr(GError) error = NULL;

  tether_connection_set_name (c, "Legacy SSE");
  tether_connection_set_transport (c, TETHER_TRANSPORT_SSE);
  tether_connection_set_url (c, "https://example.com/sse");
  tether_connection_set_auth_mode (c, TETHER_AUTH_MODE_BEARER);

  store = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tether_connection_store_add (store, a), ==, 0);
  g_assert_cmpuint (tether_connection_store_add (store, b), ==, 1);
  g_assert_cmpuint (tether_connection_store_add (store, c), ==, 2);
  g_assert_true (tether_connection_store_get_dirty (store));
  g_assert_true (save_store (store, &error));
  g_assert_no_error (error);
  g_assert_false (tether_connection_store_get_dirty (store));

  reloaded = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 3);
  assert_same_settings (item (reloaded, 0), a, TRUE);
  assert_same_settings (item (reloaded, 1), b, TRUE);
  assert_same_settings (item (reloaded, 2), c, TRUE);
  g_assert_true (tether_connection_store_lookup (reloaded, tether_connection_get_id (b))
                 == item (reloaded, 1));

  /* Readable by a person: members in a stable order, id and name first. */
  {
    g_autofree char *contents = read_file (file);
    const char *id = strstr (contents, "\"id\"");
    const char *name = strstr (contents, "\"name\"");
    const char *timeout = strstr (contents, "\"timeout-seconds\"");

    g_test_message ("%s", contents);
    g_assert_true (id != NULL && name != NULL && timeout != NULL);
    g_assert_true (id < name && name < timeout);
    g_assert_true (g_str_has_suffix (contents, "}\n"));
  }
}

typedef struct
{
  const char *path;
  gint        stop;
  guint       reads;
  guint       bad_reads;
  char       *first_bad;
} Reader;

/* Reads the file as fast as it can while the main thread saves, and parses every read. */
static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;

  while (!g_atomic_int_get (&reader->stop))
    {
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!g_file_get_contents (reader->path, &contents, &length, NULL))
        {
          /* The file never disappears once written. */
          reader->bad_reads++;
          continue;
        }
      reader->reads++;
      if (!json_parser_load_from_data (parser, contents, (gssize) length, NULL)
          || json_parser_get_root (parser) == NULL
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          reader->bad_reads++;
          if (reader->first_bad == NULL)
            reader->first_bad = g_steal_pointer (&contents);
        }
    }
  return NULL;
}

static void
test_atomic_write (void)
{
  g_autoptr(GFile) file = test_file ("atomic");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) first = make_http ("first");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  Reader reader = { g_file_peek_path (file), 0, 0, 0, NULL };
  GThread *thread;
  GStatBuf st;
  JsonObject *root;

  store = load_store (file, &error);
  g_assert_no_error (error);
  tether_connection_store_add (store, first);
  g_assert_true (save_store (store, &error));

  thread = g_thread_new ("reader", reader_thread, &reader);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(TetherConnection) connection = make_stdio ("a fairly long name to make the "
                                                           "file grow with every save");

      tether_connection_store_add (store, connection);
      g_assert_true (save_store (store, &error));
      g_assert_no_error (error);
    }
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (thread);

  g_assert_cmpuint (reader.reads, >, 0);
  if (reader.bad_reads > 0)
    g_error ("%u of %u reads saw a partial file, e.g. “%s”", reader.bad_reads, reader.reads,
             reader.first_bad != NULL ? reader.first_bad : "(missing)");

  /* No temporary file is left beside it; the previous version is kept as a backup. */
  names = list_folder (file);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "connections.json");
  g_assert_cmpstr (names[1], ==, "connections.json~");

  contents = read_file (file);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==,
                   TETHER_CONNECTION_STORE_FORMAT_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "connections")),
                    ==, 41);

  /* Custom headers may hold API keys: only the owner may read the file. */
  g_assert_cmpint (g_stat (g_file_peek_path (file), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_free (reader.first_bad);
}

static void
test_corrupt_file_kept_aside (void)
{
  static const char garbage[] = "{ \"version\": 1, \"connections\": [ {\"id\": \"x\", ";
  g_autoptr(GFile) file = test_file ("corrupt");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) connection = make_http ("after the damage");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) aside = NULL;
  g_autofree char *aside_contents = NULL;
  g_autofree char *aside_contents_after = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) names_after = NULL;

  write_file (file, garbage);

  store = load_store (file, &error);
  g_assert_error (error, TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Moved aside under a name that says what it is, never deleted. */
  names = list_folder (file);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "connections.json.corrupt-"));
  aside = g_file_get_child (parent, names[0]);
  aside_contents = read_file (aside);
  g_assert_cmpstr (aside_contents, ==, garbage);

  /* The message says what happened and where the file is. */
  g_assert_nonnull (strstr (error->message, "Your saved connections could not be read"));
  g_assert_nonnull (strstr (error->message, g_file_peek_path (aside)));
  g_assert_cmpstr (tether_connection_store_get_load_error (store), ==, error->message);

  /* Saving afterwards writes a new file and leaves the old one alone. */
  tether_connection_store_add (store, connection);
  g_clear_error (&error);
  g_assert_true (save_store (store, &error));
  g_assert_no_error (error);
  names_after = list_folder (file);
  g_assert_cmpuint (g_strv_length (names_after), ==, 2);
  g_assert_cmpstr (names_after[0], ==, "connections.json");
  g_assert_cmpstr (names_after[1], ==, names[0]);
  aside_contents_after = read_file (aside);
  g_assert_cmpstr (aside_contents_after, ==, garbage);
}

static void
test_invalid_entry_kept_aside (void)
{
  g_autoptr(GFile) file = test_file ("invalid-entry");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  /* Valid JSON, but the second connection's timeout is a string: taking the first alone and
   * saving would lose the second, so the whole file is kept. */
  write_file (file,
              "{\"version\": 1, \"connections\": ["
              "{\"id\": \"a\", \"name\": \"A\", \"transport\": \"http\"},"
              "{\"id\": \"b\", \"name\": \"B\", \"timeout-seconds\": \"60\"}]}");

  store = load_store (file, &error);
  g_assert_error (error, TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "connection 2"));
  g_assert_nonnull (strstr (error->message, "timeout-seconds"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  names = list_folder (file);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "connections.json.corrupt-"));
}

static void
test_unknown_fields_kept (void)
{
  g_autoptr(GFile) file = test_file ("future");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  TetherConnection *connection;
  JsonObject *root, *saved;

  write_file (file,
              "{\"version\": 7, \"sync\": {\"account\": \"someone\"}, \"connections\": [{"
              "\"id\": \"4f1c\", \"name\": \"From the future\", \"transport\": \"sse\","
              "\"url\": \"https://example.com/sse\", \"era\": \"legacy\","
              "\"timeout-seconds\": 30, \"color\": \"teal\", \"tags\": [1, 2]}]}");

  store = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_null (tether_connection_store_get_load_error (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  connection = item (store, 0);
  g_assert_cmpstr (tether_connection_get_id (connection), ==, "4f1c");
  g_assert_cmpstr (tether_connection_get_name (connection), ==, "From the future");
  g_assert_cmpint (tether_connection_get_transport (connection), ==, TETHER_TRANSPORT_SSE);
  g_assert_cmpint (tether_connection_get_era (connection), ==, TETHER_PROTOCOL_ERA_LEGACY);
  g_assert_cmpuint (tether_connection_get_timeout_seconds (connection), ==, 30);
  /* Absent members take their defaults. */
  g_assert_cmpint (tether_connection_get_auth_mode (connection), ==, TETHER_AUTH_MODE_OAUTH);
  g_assert_cmpuint (g_strv_length ((GStrv) tether_connection_get_headers (connection)), ==, 0);

  /* A change is saved without losing what this version did not understand. */
  tether_connection_set_name (connection, "Renamed");
  g_assert_true (save_store (store, &error));
  contents = read_file (file);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "sync"),
                                                  "account"), ==, "someone");
  saved = json_array_get_object_element (json_object_get_array_member (root, "connections"), 0);
  g_assert_cmpstr (json_object_get_string_member (saved, "name"), ==, "Renamed");
  g_assert_cmpstr (json_object_get_string_member (saved, "color"), ==, "teal");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (saved, "tags")), ==, 2);
}

typedef struct
{
  guint position, removed, added, calls;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  record->position = position;
  record->removed = removed;
  record->added = added;
  record->calls++;
}

static void
test_duplicate_remove_undo (void)
{
  g_autoptr(GFile) file = test_file ("duplicate");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnectionStore) reloaded = NULL;
  g_autoptr(TetherConnection) a = make_http ("A");
  g_autoptr(TetherConnection) b = make_stdio ("B");
  g_autoptr(TetherConnection) c = make_http ("C");
  g_autoptr(TetherConnection) removed = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };
  TetherConnection *copy;
  guint position = 99;

  store = load_store (file, &error);
  g_assert_no_error (error);
  tether_connection_store_add (store, a);
  tether_connection_store_add (store, b);
  tether_connection_store_add (store, c);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &record);

  copy = tether_connection_store_duplicate (store, b, &position);
  g_assert_cmpuint (position, ==, 2);
  g_assert_true (item (store, 2) == copy);
  g_assert_cmpuint (record.position, ==, 2);
  g_assert_cmpuint (record.added, ==, 1);
  g_assert_cmpstr (tether_connection_get_name (copy), ==, "B (copy)");
  g_assert_cmpstr (tether_connection_get_id (copy), !=, tether_connection_get_id (b));
  tether_connection_set_name (copy, "B");
  assert_same_settings (copy, b, FALSE);
  tether_connection_set_name (copy, "B (copy)");

  /* Remove tells where it was, so Undo puts it back there. */
  removed = g_object_ref (item (store, 1));
  g_assert_true (tether_connection_store_remove (store, removed, &position));
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpuint (record.position, ==, 1);
  g_assert_cmpuint (record.removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_null (tether_connection_store_lookup (store, tether_connection_get_id (b)));
  g_assert_false (tether_connection_store_remove (store, removed, NULL));

  tether_connection_store_insert (store, position, removed);
  g_assert_cmpuint (record.position, ==, 1);
  g_assert_cmpuint (record.added, ==, 1);

  /* Past the end appends. */
  g_assert_true (tether_connection_store_remove (store, c, &position));
  tether_connection_store_insert (store, 100, c);
  g_assert_true (item (store, 3) == c);

  g_assert_true (save_store (store, &error));
  reloaded = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 4);
  g_assert_cmpstr (tether_connection_get_name (item (reloaded, 0)), ==, "A");
  g_assert_cmpstr (tether_connection_get_name (item (reloaded, 1)), ==, "B");
  g_assert_cmpstr (tether_connection_get_id (item (reloaded, 1)), ==, tether_connection_get_id (b));
  g_assert_cmpstr (tether_connection_get_name (item (reloaded, 2)), ==, "B (copy)");
  g_assert_cmpstr (tether_connection_get_name (item (reloaded, 3)), ==, "C");
}

static void
test_update_keeps_object (void)
{
  g_autoptr(GFile) file = test_file ("update");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) original = make_http ("Before");
  g_autoptr(TetherConnection) edited = NULL;
  g_autoptr(TetherConnection) stranger = make_http ("Not stored");
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };

  store = load_store (file, &error);
  tether_connection_store_add (store, original);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &record);

  edited = tether_connection_copy (original);
  g_assert_cmpstr (tether_connection_get_id (edited), ==, tether_connection_get_id (original));
  tether_connection_set_name (edited, "After");
  tether_connection_set_transport (edited, TETHER_TRANSPORT_SSE);
  g_assert_cmpstr (tether_connection_get_name (original), ==, "Before");

  g_assert_true (tether_connection_store_update (store, edited));
  g_assert_true (item (store, 0) == original);
  g_assert_cmpstr (tether_connection_get_name (original), ==, "After");
  g_assert_cmpint (tether_connection_get_transport (original), ==, TETHER_TRANSPORT_SSE);
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.removed, ==, 1);
  g_assert_cmpuint (record.added, ==, 1);

  g_assert_false (tether_connection_store_update (store, stranger));
}

static void
dirty_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *changes)
{
  (*changes)++;
}

static void
test_changes_saved_by_themselves (void)
{
  g_autoptr(GFile) file = test_file ("debounce");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnectionStore) reloaded = NULL;
  g_autoptr(TetherConnection) connection = make_http ("Debounced");
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint dirty_changes = 0;

  store = load_store (file, &error);
  g_signal_connect (store, "notify::dirty", G_CALLBACK (dirty_notify_cb), &dirty_changes);

  tether_connection_store_add (store, connection);
  /* A change to a stored connection's property counts too. */
  tether_connection_set_url (connection, "http://127.0.0.1:9/mcp");
  g_assert_true (tether_connection_store_get_dirty (store));
  g_assert_false (g_file_query_exists (file, NULL));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (tether_connection_store_get_dirty (store) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tether_connection_store_get_dirty (store));
  /* Dirty once, clean once: the two changes made one write. */
  g_assert_cmpuint (dirty_changes, ==, 2);

  reloaded = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_cmpstr (tether_connection_get_url (item (reloaded, 0)), ==, "http://127.0.0.1:9/mcp");
}

static void
test_pending_change_written_on_dispose (void)
{
  g_autoptr(GFile) file = test_file ("dispose");
  g_autoptr(TetherConnectionStore) reloaded = NULL;
  g_autoptr(TetherConnection) connection = make_stdio ("Not lost at exit");
  g_autoptr(GError) error = NULL;
  TetherConnectionStore *store;

  store = load_store (file, &error);
  tether_connection_store_add (store, connection);
  g_assert_true (tether_connection_store_get_dirty (store));
  /* The loading thread's task may still hold the store for a moment after its callback ran;
   * wait until the last reference is really gone. */
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  wait_until_gone ((gpointer *) &store);

  reloaded = load_store (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  assert_same_settings (item (reloaded, 0), connection, TRUE);
}

static void
test_unreadable_file_never_overwritten (void)
{
  g_autoptr(GFile) file = test_file ("unreadable");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) connection = make_http ("Kept in memory");
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be: reading fails, and not because it is missing.
   * (Permissions would not do: the tests may run as root.) */
  g_mkdir_with_parents (g_file_peek_path (file), 0700);

  store = load_store (file, &error);
  g_assert_error (error, TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "could not be read"));

  tether_connection_store_add (store, connection);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_clear_error (&error);
  g_assert_false (save_store (store, &error));
  g_assert_error (error, TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_READ);
  g_assert_true (g_file_test (g_file_peek_path (file), G_FILE_TEST_IS_DIR));
}

static void
test_save_before_load_refused (void)
{
  g_autoptr(GFile) file = test_file ("not-loaded");
  g_autoptr(TetherConnectionStore) store = tether_connection_store_new (file);
  g_autoptr(TetherConnection) connection = make_http ("Early");
  g_autoptr(GError) error = NULL;

  write_file (file, "{\"version\": 1, \"connections\": []}");
  tether_connection_store_add (store, connection);
  g_assert_false (save_store (store, &error));
  g_assert_error (error, TETHER_CONNECTION_STORE_ERROR,
                  TETHER_CONNECTION_STORE_ERROR_NOT_LOADED);
  g_clear_object (&store);

  /* Not even at dispose: the file on disk was never read. */
  {
    g_autofree char *contents = read_file (file);
    g_assert_cmpstr (contents, ==, "{\"version\": 1, \"connections\": []}");
  }
}

static void
test_added_while_loading_comes_after (void)
{
  g_autoptr(GFile) file = test_file ("while-loading");
  g_autoptr(TetherConnectionStore) store = tether_connection_store_new (file);
  g_autoptr(TetherConnection) early = make_http ("Early");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  write_file (file,
              "{\"version\": 1, \"connections\": [{\"id\": \"saved\", \"name\": \"Saved\"}]}");
  tether_connection_store_load_async (store, NULL, result_cb, &result);
  tether_connection_store_add (store, early);
  g_assert_true (tether_connection_store_load_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpstr (tether_connection_get_name (item (store, 0)), ==, "Saved");
  g_assert_true (item (store, 1) == early);
  g_assert_true (save_store (store, &error));
  g_assert_no_error (error);
}

/* ---- Connection ------------------------------------------------------------------------ */

static void
test_connection_json_rejects_unknown_values (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\": \"a\", \"transport\": \"carrier-pigeon\"}",
                                               NULL);
  g_autoptr(JsonNode) strings = json_from_string ("{\"id\": \"a\", \"headers\": [\"A: b\", 3]}",
                                                  NULL);
  g_autoptr(TetherConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = tether_connection_new_from_json (json_node_get_object (node), &error);
  g_assert_null (connection);
  g_assert_error (error, TETHER_CONNECTION_ERROR, TETHER_CONNECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "carrier-pigeon"));
  g_clear_error (&error);

  connection = tether_connection_new_from_json (json_node_get_object (strings), &error);
  g_assert_null (connection);
  g_assert_nonnull (strstr (error->message,
                            "“headers” item 2 should be a string, found a number"));
}

static void
test_connection_defaults (void)
{
  g_autoptr(TetherConnection) a = tether_connection_new ();
  g_autoptr(TetherConnection) b = tether_connection_new ();

  g_assert_true (g_uuid_string_is_valid (tether_connection_get_id (a)));
  g_assert_cmpstr (tether_connection_get_id (a), !=, tether_connection_get_id (b));
  g_assert_cmpstr (tether_connection_get_url (a), ==, "");
  g_assert_cmpuint (tether_connection_get_timeout_seconds (a), ==,
                    TETHER_CONNECTION_DEFAULT_TIMEOUT);
  tether_connection_set_timeout_seconds (a, 0);
  g_assert_cmpuint (tether_connection_get_timeout_seconds (a), ==, 1);
  tether_connection_set_timeout_seconds (a, 100000);
  g_assert_cmpuint (tether_connection_get_timeout_seconds (a), ==, TETHER_CONNECTION_MAX_TIMEOUT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything asks GLib for the configuration folder. */
  config_home = g_dir_make_tmp ("tether-connection-store-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connections/store/missing-file-is-an-empty-list", test_missing_file_is_empty);
  g_test_add_func ("/connections/store/round-trip-keeps-settings-and-order", test_round_trip);
  g_test_add_func ("/connections/store/file-is-always-whole", test_atomic_write);
  g_test_add_func ("/connections/store/corrupt-file-is-kept-aside", test_corrupt_file_kept_aside);
  g_test_add_func ("/connections/store/invalid-entry-keeps-whole-file-aside",
                   test_invalid_entry_kept_aside);
  g_test_add_func ("/connections/store/unknown-fields-are-kept", test_unknown_fields_kept);
  g_test_add_func ("/connections/store/duplicate-remove-and-undo", test_duplicate_remove_undo);
  g_test_add_func ("/connections/store/update-keeps-the-object", test_update_keeps_object);
  g_test_add_func ("/connections/store/changes-are-saved-by-themselves",
                   test_changes_saved_by_themselves);
  g_test_add_func ("/connections/store/pending-change-written-on-dispose",
                   test_pending_change_written_on_dispose);
  g_test_add_func ("/connections/store/unreadable-file-is-never-overwritten",
                   test_unreadable_file_never_overwritten);
  g_test_add_func ("/connections/store/no-save-before-load", test_save_before_load_refused);
  g_test_add_func ("/connections/store/added-while-loading-comes-after",
                   test_added_while_loading_comes_after);
  g_test_add_func ("/connections/connection/json-rejects-unknown-values",
                   test_connection_json_rejects_unknown_values);
  g_test_add_func ("/connections/connection/defaults-and-limits", test_connection_defaults);

  status = g_test_run ();
  test_files_remove_tree (config_home);
  g_free (config_home);
  return status;
}

