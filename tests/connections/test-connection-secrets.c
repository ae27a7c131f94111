/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "connection-test-util.h"
#include "test-files.h"

static gboolean
set_secret (TetherConnection *connection,
            TetherSecretKind  kind,
            const char       *secret,
            gboolean         *persistent)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  tether_connection_set_secret_async (connection, kind, secret, NULL, result_cb, &result);
  ok = tether_connection_set_secret_finish (connection, wait_for (&result), persistent, &error);
  g_assert_no_error (error);
  return ok;
}

static char *
lookup_secret (TetherConnection *connection,
               TetherSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  tether_connection_lookup_secret_async (connection, kind, NULL, result_cb, &result);
  secret = tether_connection_lookup_secret_finish (connection, wait_for (&result), &error);
  g_assert_no_error (error);
  return secret;
}

static void
clear_secret (TetherConnection *connection,
              TetherSecretKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tether_connection_clear_secret_async (connection, kind, NULL, result_cb, &result);
  g_assert_true (tether_connection_clear_secret_finish (connection, wait_for (&result), &error));
  g_assert_no_error (error);
}

/* Binary-safe: a file may hold NUL bytes before the secret. */
static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Every file below the test's folder, read whole, must not contain @secret. */
static void
assert_not_in_files (const char *folder,
                     const char *secret)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_not_in_files (path, secret);
          continue;
        }
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (contains_bytes (contents, length, secret))
        g_error ("The secret was written to %s", path);
    }
}

static void
test_secrets_in_keyring_not_in_file (void)
{
  g_autoptr(GFile) file = test_file ("secrets");
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) connection = make_http ("With secrets");
  g_autoptr(TetherConnection) other = make_http ("Other");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *token = g_strdup_printf ("tok-%s", uuid);
  g_autofree char *client_secret = g_strdup_printf ("cs-%s", uuid);
  g_autofree char *read_token = NULL;
  g_autofree char *read_secret = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *contents = NULL;
  gboolean persistent = FALSE;

  tether_connection_set_auth_mode (connection, TETHER_AUTH_MODE_BEARER);
  store = load_store (file, &error);
  tether_connection_store_add (store, connection);
  tether_connection_store_add (store, other);

  g_assert_true (set_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN, token, &persistent));
  g_assert_true (persistent);  /* a real keyring answered */
  g_assert_true (set_secret (connection, TETHER_SECRET_KIND_CLIENT_SECRET, client_secret,
                             &persistent));
  g_assert_true (persistent);
  g_assert_true (save_store (store, &error));
  g_assert_no_error (error);

  read_token = lookup_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  read_secret = lookup_secret (connection, TETHER_SECRET_KIND_CLIENT_SECRET);
  other_token = lookup_secret (other, TETHER_SECRET_KIND_BEARER_TOKEN);
  g_assert_cmpstr (read_token, ==, token);
  g_assert_cmpstr (read_secret, ==, client_secret);
  g_assert_null (other_token);

  /* The file has the connection, but neither secret. */
  contents = read_file (file);
  g_assert_nonnull (strstr (contents, tether_connection_get_id (connection)));
  assert_not_in_files (g_file_peek_path (parent), token);
  assert_not_in_files (g_file_peek_path (parent), client_secret);
}

static void
test_secrets_clear (void)
{
  g_autoptr(TetherConnection) connection = make_http ("Clear");
  g_autofree char *after_one = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *after_all = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  set_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN, "token-1", NULL);
  set_secret (connection, TETHER_SECRET_KIND_CLIENT_SECRET, "secret-1", NULL);

  clear_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  after_one = lookup_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  kept = lookup_secret (connection, TETHER_SECRET_KIND_CLIENT_SECRET);
  g_assert_null (after_one);
  g_assert_cmpstr (kept, ==, "secret-1");

  tether_connection_clear_secrets_async (connection, NULL, result_cb, &result);
  g_assert_true (tether_connection_clear_secrets_finish (connection, wait_for (&result), &error));
  g_assert_no_error (error);
  after_all = lookup_secret (connection, TETHER_SECRET_KIND_CLIENT_SECRET);
  g_assert_null (after_all);
}

static void
test_secrets_follow_duplicate (void)
{
  g_autoptr(GFile) file = test_file ("secrets-duplicate");
  g_autoptr(TetherConnectionStore) store = NULL;
  g_autoptr(TetherConnection) connection = make_http ("Original");
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *original = NULL;
  TetherConnection *copy;
  gint64 deadline;

  store = load_store (file, &error);
  tether_connection_store_add (store, connection);
  set_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN, "duplicated-token", NULL);

  copy = tether_connection_store_duplicate (store, connection, NULL);

  /* Copied in the background. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (copied == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      copied = lookup_secret (copy, TETHER_SECRET_KIND_BEARER_TOKEN);
    }
  g_assert_cmpstr (copied, ==, "duplicated-token");

  /* Separate items: clearing the copy's leaves the original's. */
  clear_secret (copy, TETHER_SECRET_KIND_BEARER_TOKEN);
  original = lookup_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  g_assert_cmpstr (original, ==, "duplicated-token");
}

static void
test_secrets_without_keyring_stay_in_memory (void)
{
  g_autoptr(TetherConnection) connection = make_http ("No keyring");
  g_autofree char *found = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean persistent = TRUE;

  /* This run has no session bus: the secret is kept for the session, and says so. */
  g_assert_true (set_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN, "in-memory",
                             &persistent));
  g_assert_false (persistent);
  found = lookup_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  g_assert_cmpstr (found, ==, "in-memory");

  clear_secret (connection, TETHER_SECRET_KIND_BEARER_TOKEN);
  /* Gone from memory; the keyring it would ask next is not there, and says so. */
  tether_connection_lookup_secret_async (connection, TETHER_SECRET_KIND_BEARER_TOKEN, NULL,
                                         result_cb, &result);
  gone = tether_connection_lookup_secret_finish (connection, wait_for (&result), &error);
  g_assert_null (gone);
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything asks GLib for the configuration folder. */
  config_home = g_dir_make_tmp ("tether-connection-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  /* run-with-keyring.sh gives a real Secret Service; without it, the memory fallback. */
  if (g_getenv ("TETHER_TEST_KEYRING") != NULL)
    {
      g_test_add_func ("/connections/secrets/in-keyring-not-in-file",
                       test_secrets_in_keyring_not_in_file);
      g_test_add_func ("/connections/secrets/clear-one-and-all", test_secrets_clear);
      g_test_add_func ("/connections/secrets/follow-a-duplicate", test_secrets_follow_duplicate);
    }
  else
    g_test_add_func ("/connections/secrets/without-keyring-stay-in-memory",
                     test_secrets_without_keyring_stay_in_memory);

  status = g_test_run ();
  test_files_remove_tree (config_home);
  g_free (config_home);
  return status;
}

