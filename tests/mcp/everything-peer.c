/* SPDX-License-Identifier: GPL-3.0-or-later */
/* everything-peer.c: server-everything from tests/peers as a real HTTP peer of a test. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "everything-peer.h"

static void
peer_child_setup (gpointer user_data)
{
  /* Own process group, so teardown can stop node and anything it started; and die with
   * this test process if an assertion aborts it before teardown runs. */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint16
pick_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
peer_start (Peer       *peer,
            const char *mode)
{
  g_autofree char *program = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *node = NULL;
  gint64 deadline;
  guint16 port;

  program = g_test_build_filename (G_TEST_DIST, "peers", "node_modules", ".bin",
                                   "mcp-server-everything", NULL);
  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("server-everything is not installed in tests/peers (npm ci there)");
      return FALSE;
    }
  node = g_find_program_in_path ("node");
  if (node == NULL)
    {
      g_test_skip ("node is not installed");
      return FALSE;
    }

  port = pick_free_port ();
  port_text = g_strdup_printf ("%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "PORT", port_text, TRUE);
  /* the server's chatter goes to stderr; stdout carries TAP */
  g_subprocess_launcher_take_stdout_fd (launcher, dup (STDERR_FILENO));
  g_subprocess_launcher_set_child_setup (launcher, peer_child_setup, NULL, NULL);
  peer->process = g_subprocess_launcher_spawn (launcher, &error, program, mode, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;

      g_assert_nonnull (g_subprocess_get_identifier (peer->process));
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }

  peer->base_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return TRUE;
}

void
peer_stop (Peer *peer)
{
  const char *id;
  gint64 deadline;

  if (peer->process == NULL)
    return;

  id = g_subprocess_get_identifier (peer->process);
  if (id != NULL)
    {
      pid_t pid = (pid_t) g_ascii_strtoll (id, NULL, 10);

      kill (-pid, SIGTERM);
      deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      while (g_subprocess_get_identifier (peer->process) != NULL &&
             g_get_monotonic_time () < deadline)
        g_usleep (20 * 1000);
      if (g_subprocess_get_identifier (peer->process) != NULL)
        kill (-pid, SIGKILL);
    }
  g_subprocess_wait (peer->process, NULL, NULL);
  g_clear_object (&peer->process);
  g_clear_pointer (&peer->base_url, g_free);
}
