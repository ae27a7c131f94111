/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpStdioTransport: the child process — starting it, noticing its exit, stopping it. */
#include "config.h"

#include <signal.h>

#include "mcp-stdio-transport-private.h"

#define TERMINATE_GRACE_MS  2000

static gboolean sigpipe_ignored_by_us;

static char *
describe_exit (GSubprocess *process)
{
  if (g_subprocess_get_if_exited (process))
    return g_strdup_printf ("The server process exited with status %d",
                            g_subprocess_get_exit_status (process));
  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("The server process was killed by signal %d",
                            g_subprocess_get_term_sig (process));
  return g_strdup ("The server process stopped");
}

/* Stopping the child: wait, SIGTERM, wait, SIGKILL. Independent of the transport, so that it
 * finishes even when the transport is dropped meanwhile. */

typedef struct {
  GSubprocess *process;
  Link        *link;
  guint        timeout_id;
  gboolean     sent_term;
} Termination;

static void
log_through_link (Link        *link,
                  McpLogLevel  level,
                  const char  *text)
{
  if (link->self != NULL && link->self->state != STATE_CLOSED)
    mcp_transport_emit_log (MCP_TRANSPORT (link->self), level, "%s", text);
}

static gboolean
on_termination_timeout (gpointer user_data)
{
  Termination *termination = user_data;

  if (!termination->sent_term)
    {
      log_through_link (termination->link, MCP_LOG_INFO,
                        "The server process did not exit within 2 s; sending SIGTERM");
      g_subprocess_send_signal (termination->process, SIGTERM);
      termination->sent_term = TRUE;
      return G_SOURCE_CONTINUE;
    }

  log_through_link (termination->link, MCP_LOG_WARNING,
                    "The server process did not exit within 2 s of SIGTERM; killing it");
  g_subprocess_force_exit (termination->process);
  termination->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

static void
on_termination_exited (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Termination *termination = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_clear_handle_id (&termination->timeout_id, g_source_remove);
  g_object_unref (termination->process);
  link_unref (termination->link);
  g_free (termination);
}

void
mcp_stdio_transport_terminate_process (McpStdioTransport *self)
{
  Termination *termination;

  if (self->terminating || self->process == NULL || self->exited)
    return;

  self->terminating = TRUE;
  termination = g_new0 (Termination, 1);
  termination->process = g_object_ref (self->process);
  termination->link = link_ref (self->link);
  termination->timeout_id = g_timeout_add (TERMINATE_GRACE_MS, on_termination_timeout,
                                           termination);
  g_subprocess_wait_async (self->process, NULL, on_termination_exited, termination);
}

/* The exit */

static void
on_process_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(McpStdioTransport) self = link_take (user_data);
  GSubprocess *process = G_SUBPROCESS (source);

  if (!g_subprocess_wait_finish (process, result, NULL))
    return;
  if (self == NULL || self->state == STATE_CLOSED || process != self->process)
    return;

  self->exited = TRUE;
  self->exit_description = describe_exit (process);

  if (self->state == STATE_CLOSING)
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO, "%s", self->exit_description);
      mcp_stdio_transport_finish (self, NULL);
      return;
    }

  mcp_stdio_transport_check_peer_gone (self);
}

/* Spawning */

static void
restore_sigpipe_in_child (gpointer user_data)
{
  /* Runs between fork and exec: only async-signal-safe calls. */
  signal (SIGPIPE, SIG_DFL);
}

gboolean
mcp_stdio_transport_spawn (McpStdioTransport  *self,
                           GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) local_error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        | G_SUBPROCESS_FLAGS_SEARCH_PATH_FROM_ENVP);

  for (guint i = 0; self->environment != NULL && self->environment[i] != NULL; i++)
    {
      const char *entry = self->environment[i];
      const char *equals = strchr (entry, '=');

      if (equals == NULL)
        g_subprocess_launcher_unsetenv (launcher, entry);
      else if (equals != entry)
        {
          g_autofree char *name = g_strndup (entry, equals - entry);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
    }

  if (self->working_directory != NULL && self->working_directory[0] != '\0')
    g_subprocess_launcher_set_cwd (launcher, self->working_directory);

  if (sigpipe_ignored_by_us)
    g_subprocess_launcher_set_child_setup (launcher, restore_sigpipe_in_child, NULL, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) self->argv,
                                                &local_error);
  if (self->process == NULL)
    {
      g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                   "Could not start the server command “%s”: %s",
                   self->argv[0], local_error->message);
      return FALSE;
    }

  self->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (self->process));
  self->out.stream = g_object_ref (g_subprocess_get_stdout_pipe (self->process));
  self->err.stream = g_object_ref (g_subprocess_get_stderr_pipe (self->process));

  g_subprocess_wait_async (self->process, self->cancellable, on_process_exited,
                           link_ref (self->link));
  return TRUE;
}

void
mcp_stdio_transport_ignore_sigpipe (void)
{
  struct sigaction action;

  /* A write to a pipe whose reader is gone raises SIGPIPE, whose default action ends the whole
   * client. Ignored, the write fails with EPIPE instead and is reported as an error. */
  if (sigaction (SIGPIPE, NULL, &action) == 0
      && !(action.sa_flags & SA_SIGINFO)
      && action.sa_handler == SIG_DFL)
    {
      signal (SIGPIPE, SIG_IGN);
      sigpipe_ignored_by_us = TRUE;
    }
}
