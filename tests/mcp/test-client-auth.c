/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mcp-client.h"
#include "mcp-headless-authorizer.h"
#include "mcp-http-transport.h"
#include "mcp-oauth.h"
#include "mcp-sse-transport.h"
#include "mcp-token-store.h"

/*
 * McpClient with an McpOAuth against tether-demo-server (a real MCP server that is its own
 * authorization server, approving at once with --auto-approve): the first request signs in
 * through the headless authorizer, an expired token is refreshed without the caller noticing, a
 * tool needing another scope steps up after 403 insufficient_scope.
 */

typedef struct
{
  GSubprocess *server;
  char        *base;
  GMainLoop   *loop;
  GAsyncResult *result;
} Fixture;

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
  g_main_loop_quit (f->loop);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  g_clear_object (&f->result);
  g_main_loop_run (f->loop);
  return f->result;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_server (Fixture    *f,
              const char *ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  const char *argv[] = { DEMO_SERVER, "--port", "0", "--auto-approve", "--host", "127.0.0.1",
                         "--token-ttl", ttl, NULL };

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      const char *at;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      at = strstr (line, "Listening on ");
      if (at != NULL)
        {
          f->base = g_strdup (g_strstrip (line + (at - line) + strlen ("Listening on ")));
          break;
        }
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->loop = g_main_loop_new (NULL, FALSE);
  start_server (f, data != NULL ? data : "3600");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  g_clear_object (&f->result);
  g_free (f->base);
  g_main_loop_unref (f->loop);
}

static McpOAuth *
new_oauth (const char *url)
{
  McpOAuth *oauth = mcp_oauth_new (url, NULL);
  g_autoptr(McpHeadlessAuthorizer) authorizer = mcp_headless_authorizer_new (NULL);
  g_autoptr(McpTokenStore) store = mcp_token_store_new (MCP_TOKEN_STORE_BACKEND_MEMORY);

  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));
  mcp_oauth_set_token_store (oauth, store);
  return oauth;
}

static McpClient *
connect_client (Fixture    *f,
                McpOAuth   *oauth,
                gboolean    sse)
{
  g_autofree char *url = g_strconcat (f->base, sse ? "/sse" : "/mcp", NULL);
  g_autoptr(McpTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  McpClient *client;

  if (sse)
    transport = MCP_TRANSPORT (mcp_sse_transport_new (url));
  else
    transport = MCP_TRANSPORT (mcp_http_transport_new (url));
  client = mcp_client_new (transport);
  mcp_client_set_oauth (client, oauth);
  g_assert_true (mcp_client_get_oauth (client) == oauth);
  mcp_client_connect_async (client, NULL, on_result, f);
  mcp_client_connect_finish (client, wait_result (f), &error);
  g_assert_no_error (error);
  return client;
}

static JsonObject *
call_tool (Fixture    *f,
           McpClient  *client,
           const char *name,
           GError    **error)
{
  mcp_client_call_tool_async (client, name, NULL, NULL, NULL, on_result, f);
  return mcp_client_call_tool_finish (client, wait_result (f), error);
}

static void
close_client (Fixture   *f,
              McpClient *client)
{
  mcp_client_close_async (client, NULL, on_result, f);
  mcp_client_close_finish (client, wait_result (f), NULL);
}

static void
assert_tool_succeeds (Fixture    *f,
                      McpClient  *client,
                      const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = call_tool (f, client, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_false (json_object_get_boolean_member_with_default (result, "isError", FALSE));
}

static void
test_signs_in_on_connect (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/mcp", NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (url);
  g_autoptr(McpClient) client = NULL;

  g_assert_false (mcp_oauth_get_authorized (oauth));
  client = connect_client (f, oauth, FALSE);
  g_assert_true (mcp_oauth_get_authorized (oauth));
  assert_tool_succeeds (f, client, "get_user_profile");
  close_client (f, client);
}

static void
test_without_oauth_is_unauthorized (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/mcp", NULL);
  g_autoptr(McpHttpTransport) transport = mcp_http_transport_new (url);
  g_autoptr(McpClient) client = mcp_client_new (MCP_TRANSPORT (transport));
  g_autoptr(GError) error = NULL;

  mcp_client_connect_async (client, NULL, on_result, f);
  g_assert_false (mcp_client_connect_finish (client, wait_result (f), &error));
  g_assert_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
}

static void
test_refresh_is_transparent (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/mcp", NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (url);
  g_autoptr(McpClient) client = connect_client (f, oauth, FALSE);

  assert_tool_succeeds (f, client, "get_user_profile");
  /* The token lives 2 s. */
  g_usleep (3 * G_USEC_PER_SEC);
  assert_tool_succeeds (f, client, "get_user_profile");
  close_client (f, client);
}

static void
test_step_up_on_forbidden (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/mcp", NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (url);
  g_autoptr(McpClient) client = connect_client (f, oauth, FALSE);
  const char *granted;

  assert_tool_succeeds (f, client, "get_user_profile");
  assert_tool_succeeds (f, client, "admin_stats");
  granted = mcp_oauth_get_granted_scope (oauth);
  g_assert_nonnull (granted);
  g_assert_nonnull (strstr (granted, "admin"));
  close_client (f, client);
}

typedef struct
{
  Fixture *f;
  guint    done;
  guint    succeeded;
} Concurrent;

static void
on_concurrent_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Concurrent *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;

  reply = mcp_client_call_tool_finish (MCP_CLIENT (source), result, &error);
  g_assert_no_error (error);
  if (reply != NULL)
    c->succeeded++;
  if (++c->done == 3)
    g_main_loop_quit (c->f->loop);
}

static void
test_concurrent_requests_share_sign_in (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/mcp", NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (url);
  g_autoptr(McpClient) client = connect_client (f, oauth, FALSE);
  Concurrent c = { f, 0, 0 };

  /* All three carry the expired token; one refresh serves them all. */
  g_usleep (3 * G_USEC_PER_SEC);
  for (guint i = 0; i < 3; i++)
    mcp_client_call_tool_async (client, "get_user_profile", NULL, NULL, NULL,
                                on_concurrent_result, &c);
  g_main_loop_run (f->loop);
  g_assert_cmpuint (c.succeeded, ==, 3);
  close_client (f, client);
}

static void
test_sse_signs_in (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->base, "/sse", NULL);
  g_autoptr(McpOAuth) oauth = new_oauth (url);
  g_autoptr(McpClient) client = connect_client (f, oauth, TRUE);

  assert_tool_succeeds (f, client, "get_user_profile");
  close_client (f, client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client-auth/signs-in-on-connect", Fixture, NULL, fixture_setup,
              test_signs_in_on_connect, fixture_teardown);
  g_test_add ("/client-auth/without-oauth-is-unauthorized", Fixture, NULL, fixture_setup,
              test_without_oauth_is_unauthorized, fixture_teardown);
  g_test_add ("/client-auth/refresh-is-transparent", Fixture, "2", fixture_setup,
              test_refresh_is_transparent, fixture_teardown);
  g_test_add ("/client-auth/step-up-on-forbidden", Fixture, NULL, fixture_setup,
              test_step_up_on_forbidden, fixture_teardown);
  g_test_add ("/client-auth/concurrent-requests-share-sign-in", Fixture, "2", fixture_setup,
              test_concurrent_requests_share_sign_in, fixture_teardown);
  g_test_add ("/client-auth/sse-signs-in", Fixture, NULL, fixture_setup, test_sse_signs_in,
              fixture_teardown);

  return g_test_run ();
}
