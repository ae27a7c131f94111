/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libsecret/secret.h>
#include <string.h>

#include "mcp-pkce.h"
#include "mcp-token-store.h"
#include "mcp-transport.h"

/* Runs under tests/mcp/run-with-keyring.sh: a private D-Bus session with gnome-keyring, and
 * HOME and the XDG directories in a temporary directory (TETHER_TEST_KEYRING=1). */

static const SecretSchema schema = {
  MCP_TOKEN_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
save (McpTokenStore *store,
      McpTokenKind   kind,
      const char    *server,
      const char    *issuer,
      const char    *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mcp_token_store_save_async (store, kind, server, issuer, secret, NULL, done_cb, &result);
  g_assert_true (mcp_token_store_save_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup (McpTokenStore  *store,
        McpTokenKind    kind,
        const char     *server,
        const char     *issuer,
        char          **issuer_out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  mcp_token_store_lookup_async (store, kind, server, issuer, NULL, done_cb, &result);
  secret = mcp_token_store_lookup_finish (store, wait_for (&result), issuer_out, &error);
  g_assert_no_error (error);
  return secret;
}

static gboolean
delete (McpTokenStore *store,
        McpTokenKind   kind,
        const char    *server,
        const char    *issuer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean any;

  mcp_token_store_delete_async (store, kind, server, issuer, NULL, done_cb, &result);
  any = mcp_token_store_delete_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  return any;
}

/* The behaviour every backend shares. */
static void
exercise (McpTokenStore *store,
          const char    *server,
          const char    *secret)
{
  g_autofree char *found = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *other = NULL;
  g_autofree char *client = NULL;
  g_autofree char *missing = NULL;

  save (store, MCP_TOKEN_KIND_TOKEN, server, "https://as-one.example", "first");
  save (store, MCP_TOKEN_KIND_TOKEN, server, "https://as-one.example", secret);
  save (store, MCP_TOKEN_KIND_CLIENT, server, "https://as-one.example", "client-record");

  /* Replaced, not added; any issuer finds it and says which. */
  found = lookup (store, MCP_TOKEN_KIND_TOKEN, server, NULL, &issuer);
  g_assert_cmpstr (found, ==, secret);
  g_assert_cmpstr (issuer, ==, "https://as-one.example");
  /* Per issuer: another issuer finds nothing. */
  other = lookup (store, MCP_TOKEN_KIND_TOKEN, server, "https://as-two.example", NULL);
  g_assert_null (other);
  /* Kinds are apart. */
  client = lookup (store, MCP_TOKEN_KIND_CLIENT, server, "https://as-one.example", NULL);
  g_assert_cmpstr (client, ==, "client-record");

  g_assert_true (delete (store, MCP_TOKEN_KIND_TOKEN, server, NULL));
  missing = lookup (store, MCP_TOKEN_KIND_TOKEN, server, NULL, NULL);
  g_assert_null (missing);
  g_assert_false (delete (store, MCP_TOKEN_KIND_TOKEN, server, NULL));
  /* The registration stayed. */
  g_clear_pointer (&client, g_free);
  client = lookup (store, MCP_TOKEN_KIND_CLIENT, server, NULL, NULL);
  g_assert_cmpstr (client, ==, "client-record");
  g_assert_true (delete (store, MCP_TOKEN_KIND_CLIENT, server, "https://as-one.example"));
}

static void
test_memory_backend (void)
{
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);
  g_autofree char *secret = mcp_pkce_random_string (24);

  g_assert_false (mcp_token_store_get_persistent (store));
  exercise (store, "http://127.0.0.1:1/mcp", secret);
}

/* Does any regular file under @dir contain @needle? */
static gboolean
tree_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &length, NULL)
               && g_strstr_len (contents, length, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_secret_service (void)
{
  g_autoptr(McpTokenStore) store = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *in_keyring = NULL;
  g_autoptr(GError) error = NULL;
  const char *server = "https://mcp.example.com/mcp";
  const char *dirs[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", NULL };

  if (g_strcmp0 (g_getenv ("TETHER_TEST_KEYRING"), "1") != 0)
    {
      g_test_skip ("Needs tests/mcp/run-with-keyring.sh (a private gnome-keyring)");
      return;
    }

  store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE);
  secret = mcp_pkce_random_string (24);
  exercise (store, server, secret);
  g_assert_true (mcp_token_store_get_persistent (store));

  /* Stored again, it is in the keyring itself (seen through libsecret directly) ... */
  save (store, MCP_TOKEN_KIND_TOKEN, server, "https://as-one.example", secret);
  in_keyring = secret_password_lookup_sync (&schema, NULL, &error, "server", server,
                                            "issuer", "https://as-one.example",
                                            "kind", "token", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (in_keyring, ==, secret);

  /* ... and in no plain file under HOME or the XDG directories. */
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      const char *dir = g_getenv (dirs[i]);

      g_assert_nonnull (dir);
      g_assert_false (tree_contains (dir, secret));
    }
  g_assert_true (delete (store, MCP_TOKEN_KIND_TOKEN, server, NULL));
}

static void
count_log (McpTokenStore *store,
           McpLogLevel    level,
           const char    *text,
           guint         *count)
{
  g_assert_cmpint (level, ==, MCP_LOG_WARNING);
  g_assert_nonnull (strstr (text, "kept in memory"));
  (*count)++;
}

static void
test_fallback_to_memory (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(McpTokenStore) store = NULL;
      g_autofree char *secret = mcp_pkce_random_string (24);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(McpTokenStore) strict = NULL;
      guint logged = 0;

      /* No session bus here: nothing can reach a Secret Service. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tether-test-bus", TRUE);
      g_unsetenv ("DISPLAY");

      store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_AUTO);
      g_signal_connect (store, "log", G_CALLBACK (count_log), &logged);
      g_assert_true (mcp_token_store_get_persistent (store));
      exercise (store, "http://127.0.0.1:2/mcp", secret);
      g_assert_false (mcp_token_store_get_persistent (store));
      g_assert_cmpuint (logged, ==, 1);

      /* Asked for the Secret Service explicitly, the store says it is not there. */
      strict = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE);
      mcp_token_store_save_async (strict, MCP_TOKEN_KIND_TOKEN, "s", "i", "x", NULL, done_cb,
                                  &result);
      g_assert_false (mcp_token_store_save_finish (strict, wait_for (&result), &error));
      g_assert_nonnull (error);
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* Said through ::log only (counted once above): the library prints nothing itself. */
  g_test_trap_assert_stderr_unmatched ("*kept in memory*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/token-store/memory-backend-stores-looks-up-deletes",
                   test_memory_backend);
  g_test_add_func ("/mcp/token-store/secret-service-keeps-secrets-out-of-files",
                   test_secret_service);
  g_test_add_func ("/mcp/token-store/without-secret-service-falls-back-to-memory",
                   test_fallback_to_memory);

  return g_test_run ();
}
