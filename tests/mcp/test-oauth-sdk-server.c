/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "mcp-headless-authorizer.h"
#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* The TypeScript SDK's OAuth example server (a real, independent implementation). */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer user_data)
{
  /* The peer must not outlive a test that aborts. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

static void
test_sdk_example_server (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *peers = g_build_filename (srcdir != NULL ? srcdir : ".", "peers", NULL);
  g_autofree char *script = g_build_filename (peers, "node_modules", "@modelcontextprotocol",
                                              "sdk", "dist", "esm", "examples", "server",
                                              "simpleStreamableHttp.js", NULL);
  g_autofree char *bundled_node = g_build_filename (peers, "node_modules", ".bin", "node", NULL);
  g_autofree char *node = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(McpOAuth) oauth = NULL;
  g_autoptr(McpHeadlessAuthorizer) authorizer = mcp_headless_authorizer_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) initialize = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *mcp_port = NULL;
  g_autofree char *auth_port = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *issuer = NULL;
  gint64 deadline;
  guint port, as_port;
  static const char request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

  node = g_file_test (bundled_node, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (bundled_node)
                                                               : g_find_program_in_path ("node");
  if (node == NULL || !g_file_test (script, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Node.js or the SDK example server (tests/peers) is not installed");
      return;
    }

  port = free_port ();
  do
    as_port = free_port ();
  while (as_port == port);
  mcp_port = g_strdup_printf ("%u", port);
  auth_port = g_strdup_printf ("%u", as_port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "MCP_PORT", mcp_port, TRUE);
  g_subprocess_launcher_setenv (launcher, "MCP_AUTH_PORT", auth_port, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  peer = g_subprocess_launcher_spawn (launcher, &error, node, script, "--oauth", NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!port_answers (port) || !port_answers (as_port))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100000);
    }

  url = g_strdup_printf ("http://localhost:%u/mcp", port);
  oauth = mcp_oauth_new (url, NULL);
  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));
  /* Discovery (PRM + RFC 8414), registration, PKCE code flow, token exchange. */
  token = call_with_oauth (oauth, url, &error);
  if (error != NULL)
    g_subprocess_force_exit (peer);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  issuer = g_strdup_printf ("http://localhost:%u/", as_port);
  g_assert_cmpstr (mcp_oauth_discovery_get_issuer (mcp_oauth_get_discovery (oauth)), ==, issuer);

  /* A real MCP request with the token: initialize answers 200. */
  initialize = soup_message_new (SOUP_METHOD_POST, url);
  bearer = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (initialize), "Authorization",
                                bearer);
  soup_message_headers_replace (soup_message_get_request_headers (initialize), "Accept",
                                "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (initialize, "application/json",
                                            g_bytes_new_static (request, strlen (request)));
  soup_session_send_and_read_async (session, initialize, G_PRIORITY_DEFAULT, NULL, done_cb,
                                    &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (initialize), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "serverInfo"));

  g_subprocess_force_exit (peer);
  g_subprocess_wait (peer, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/sdk-example-server", test_sdk_example_server);

  return g_test_run ();
}
