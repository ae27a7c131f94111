/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-stdio-transport-private.h"

/*
 * Ending: the peer is gone when it has exited and both pipes reached their end (or a short
 * while after it exited, in case a grandchild keeps a pipe open). A peer that closes stdout
 * but keeps running is stopped the same way close() stops it.
 *
 * Pending I/O does not keep the transport alive: callbacks get a shared Link whose pointer is
 * cleared in dispose, and a transport dropped while its child runs still stops the child.
 */

#define EXIT_DRAIN_MS       1000

static void mcp_stdio_transport_iface_init (McpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpStdioTransport, mcp_stdio_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_TRANSPORT,
                                                      mcp_stdio_transport_iface_init))

enum {
  PROP_0,
  PROP_ARGV,
  PROP_ENVIRONMENT,
  PROP_WORKING_DIRECTORY,
  N_PROPS,
  PROP_MAX_MESSAGE_SIZE = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* Ending */

void
mcp_stdio_transport_finish (McpStdioTransport *self,
                            const GError      *error)
{
  G_GNUC_UNUSED g_autoptr(McpStdioTransport) hold = g_object_ref (self);
  g_autoptr(GPtrArray) close_tasks = NULL;

  if (self->state == STATE_CLOSED)
    return;

  self->state = STATE_CLOSED;
  g_cancellable_cancel (self->read_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  mcp_stdio_transport_clear_inbound (self);

  mcp_stdio_transport_fail_queued_sends (self);
  self->stdin_shutdown = TRUE;
  mcp_stdio_transport_close_stdin_when_idle (self);
  mcp_stdio_transport_terminate_process (self);
  g_clear_object (&self->process);

  mcp_transport_emit_closed (MCP_TRANSPORT (self), error);

  close_tasks = g_steal_pointer (&self->close_tasks);
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < close_tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (close_tasks, i), TRUE);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  McpStdioTransport *self = user_data;

  /* Not reading because a large line is being parsed: that is our backlog, not the pipe's. */
  if (self->out.paused)
    return G_SOURCE_CONTINUE;

  self->drain_timeout_id = 0;

  /* The child is gone but something (a grandchild) still holds a pipe open: stop reading. */
  g_cancellable_cancel (self->read_cancellable);
  self->err.eof = TRUE;
  if (!self->out.eof)
    {
      self->out.eof = TRUE;
      self->out.paused = FALSE;
      if (g_queue_is_empty (&self->inbound))
        self->stdout_done = TRUE;
    }
  mcp_stdio_transport_check_peer_gone (self);

  return G_SOURCE_REMOVE;
}

void
mcp_stdio_transport_check_peer_gone (McpStdioTransport *self)
{
  if (self->state != STATE_OPEN)
    return;

  if (self->exited)
    {
      if (self->stdout_done && self->err.eof)
        {
          g_autoptr(GError) error = g_error_new_literal (MCP_TRANSPORT_ERROR,
                                                         MCP_TRANSPORT_ERROR_CLOSED,
                                                         self->exit_description);
          mcp_stdio_transport_finish (self, error);
        }
      else if (self->drain_timeout_id == 0 && !(self->out.eof && self->err.eof))
        self->drain_timeout_id = g_timeout_add (EXIT_DRAIN_MS, on_drain_timeout, self);
    }
  else if (self->stdout_done && !self->terminating)
    {
      mcp_transport_emit_log (MCP_TRANSPORT (self), MCP_LOG_INFO,
                              "The server process closed its standard output; stopping it");
      self->stdin_shutdown = TRUE;
      mcp_stdio_transport_close_stdin_when_idle (self);
      mcp_stdio_transport_terminate_process (self);
    }
}

/* McpTransport */

static void
mcp_stdio_transport_open_async (McpTransport        *transport,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_stdio_transport_open_async);

  if (self->state != STATE_NEW)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                               "The stdio transport was already %s; it can be opened once",
                               self->state == STATE_CLOSED ? "closed" : "opened");
      return;
    }

  if (self->argv == NULL || self->argv[0] == NULL || self->argv[0][0] == '\0')
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_CONNECT,
                               "No command to start the server with: the argument list is empty");
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!mcp_stdio_transport_spawn (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->state = STATE_OPEN;
  mcp_stdio_transport_start_reading (self);

  g_task_return_boolean (task, TRUE);
}

static gboolean
mcp_stdio_transport_open_finish (McpTransport  *transport,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_stdio_transport_send_async (McpTransport        *transport,
                                McpMessage          *message,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  char *text;
  gsize len = 0;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_stdio_transport_send_async);

  if (self->state != STATE_OPEN)
    {
      g_task_return_new_error (task, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_NOT_OPEN,
                               "Cannot send: the stdio transport is %s",
                               self->state == STATE_NEW ? "not open yet" :
                               self->state == STATE_CLOSING ? "closing" : "closed");
      return;
    }

  /* One line: compact JSON (no raw newlines) and the delimiter. */
  text = mcp_message_to_string (message, &len);
  text = g_realloc (text, len + 1);
  text[len] = '\n';
  g_task_set_task_data (task, g_bytes_new_take (text, len + 1), (GDestroyNotify) g_bytes_unref);

  g_queue_push_tail (&self->sends, g_steal_pointer (&task));
  mcp_stdio_transport_write_next (self);
}

static gboolean
mcp_stdio_transport_send_finish (McpTransport  *transport,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_stdio_transport_close_async (McpTransport        *transport,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_stdio_transport_close_async);

  switch (self->state)
    {
    case STATE_NEW:
      self->state = STATE_CLOSED;
      mcp_transport_emit_closed (transport, NULL);
      g_task_return_boolean (task, TRUE);
      return;

    case STATE_CLOSED:
      g_task_return_boolean (task, TRUE);
      return;

    case STATE_CLOSING:
      g_ptr_array_add (self->close_tasks, g_steal_pointer (&task));
      return;

    case STATE_OPEN:
    default:
      break;
    }

  g_ptr_array_add (self->close_tasks, g_steal_pointer (&task));

  if (self->exited)
    {
      /* Only waiting for the pipes to drain: nobody wants their rest any more. */
      mcp_stdio_transport_finish (self, NULL);
      return;
    }

  /* Queued sends are still written; then stdin closes, which a well-behaved server takes as
   * the signal to exit. The termination sequence runs meanwhile. */
  self->state = STATE_CLOSING;
  self->stdin_shutdown = TRUE;
  mcp_stdio_transport_close_stdin_when_idle (self);
  mcp_stdio_transport_terminate_process (self);
}

static gboolean
mcp_stdio_transport_close_finish (McpTransport  *transport,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mcp_stdio_transport_iface_init (McpTransportInterface *iface)
{
  iface->open_async = mcp_stdio_transport_open_async;
  iface->open_finish = mcp_stdio_transport_open_finish;
  iface->send_async = mcp_stdio_transport_send_async;
  iface->send_finish = mcp_stdio_transport_send_finish;
  iface->close_async = mcp_stdio_transport_close_async;
  iface->close_finish = mcp_stdio_transport_close_finish;
}

/* GObject */

static void
mcp_stdio_transport_dispose (GObject *object)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (object);

  if (self->state == STATE_OPEN || self->state == STATE_CLOSING)
    {
      /* Dropped without close(): stop the child all the same, without signals. */
      self->state = STATE_CLOSED;
      g_cancellable_cancel (self->read_cancellable);
      g_cancellable_cancel (self->cancellable);
      self->stdin_shutdown = TRUE;
      mcp_stdio_transport_close_stdin_when_idle (self);
      mcp_stdio_transport_terminate_process (self);
    }

  if (self->link != NULL)
    {
      self->link->self = NULL;
      g_clear_pointer (&self->link, link_unref);
    }

  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  mcp_stdio_transport_clear_inbound (self);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (mcp_stdio_transport_parent_class)->dispose (object);
}

static void
mcp_stdio_transport_finalize (GObject *object)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (object);

  g_strfreev (self->argv);
  g_strfreev (self->environment);
  g_free (self->working_directory);
  g_free (self->exit_description);
  g_clear_object (&self->stdin_pipe);
  g_clear_object (&self->out.stream);
  g_clear_object (&self->err.stream);
  g_clear_pointer (&self->out.line, g_byte_array_unref);
  g_clear_pointer (&self->err.line, g_byte_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->read_cancellable);
  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (mcp_stdio_transport_parent_class)->finalize (object);
}

static void
mcp_stdio_transport_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      g_value_set_boxed (value, self->argv);
      break;

    case PROP_ENVIRONMENT:
      g_value_set_boxed (value, self->environment);
      break;

    case PROP_WORKING_DIRECTORY:
      g_value_set_string (value, self->working_directory);
      break;

    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_stdio_transport_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  McpStdioTransport *self = MCP_STDIO_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      g_strfreev (self->argv);
      self->argv = g_value_dup_boxed (value);
      break;

    case PROP_ENVIRONMENT:
      mcp_stdio_transport_set_environment (self, g_value_get_boxed (value));
      break;

    case PROP_WORKING_DIRECTORY:
      mcp_stdio_transport_set_working_directory (self, g_value_get_string (value));
      break;

    case PROP_MAX_MESSAGE_SIZE:
      if (self->max_message_size != g_value_get_uint64 (value))
        {
          self->max_message_size = g_value_get_uint64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_stdio_transport_class_init (McpStdioTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mcp_stdio_transport_dispose;
  object_class->finalize = mcp_stdio_transport_finalize;
  object_class->get_property = mcp_stdio_transport_get_property;
  object_class->set_property = mcp_stdio_transport_set_property;

  properties[PROP_ARGV] =
    g_param_spec_boxed ("argv", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENVIRONMENT] =
    g_param_spec_boxed ("environment", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WORKING_DIRECTORY] =
    g_param_spec_string ("working-directory", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_MAX_MESSAGE_SIZE, "max-message-size");

  mcp_stdio_transport_ignore_sigpipe ();
}

static void
mcp_stdio_transport_init (McpStdioTransport *self)
{
  self->max_message_size = MCP_TRANSPORT_DEFAULT_MAX_MESSAGE_SIZE;
  self->link = g_rc_box_new0 (Link);
  self->link->self = self;
  self->cancellable = g_cancellable_new ();
  self->read_cancellable = g_cancellable_new ();
  self->out.line = g_byte_array_new ();
  self->err.line = g_byte_array_new ();
  g_queue_init (&self->inbound);
  g_queue_init (&self->sends);
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

McpStdioTransport *
mcp_stdio_transport_new (const char * const *argv)
{
  g_return_val_if_fail (argv != NULL, NULL);

  return g_object_new (MCP_TYPE_STDIO_TRANSPORT, "argv", argv, NULL);
}

const char * const *
mcp_stdio_transport_get_argv (McpStdioTransport *self)
{
  g_return_val_if_fail (MCP_IS_STDIO_TRANSPORT (self), NULL);

  return (const char * const *) self->argv;
}

const char * const *
mcp_stdio_transport_get_environment (McpStdioTransport *self)
{
  g_return_val_if_fail (MCP_IS_STDIO_TRANSPORT (self), NULL);

  return (const char * const *) self->environment;
}

void
mcp_stdio_transport_set_environment (McpStdioTransport  *self,
                                     const char * const *environment)
{
  g_return_if_fail (MCP_IS_STDIO_TRANSPORT (self));

  if (environment == (const char * const *) self->environment)
    return;
  if (environment != NULL && self->environment != NULL
      && g_strv_equal (environment, (const char * const *) self->environment))
    return;

  g_strfreev (self->environment);
  self->environment = g_strdupv ((char **) environment);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENVIRONMENT]);
}

const char *
mcp_stdio_transport_get_working_directory (McpStdioTransport *self)
{
  g_return_val_if_fail (MCP_IS_STDIO_TRANSPORT (self), NULL);

  return self->working_directory;
}

void
mcp_stdio_transport_set_working_directory (McpStdioTransport *self,
                                           const char        *directory)
{
  g_return_if_fail (MCP_IS_STDIO_TRANSPORT (self));

  if (g_strcmp0 (self->working_directory, directory) == 0)
    return;

  g_free (self->working_directory);
  self->working_directory = g_strdup (directory);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKING_DIRECTORY]);
}

const char *
mcp_stdio_transport_get_identifier (McpStdioTransport *self)
{
  g_return_val_if_fail (MCP_IS_STDIO_TRANSPORT (self), NULL);

  if (self->process == NULL || self->exited)
    return NULL;

  return g_subprocess_get_identifier (self->process);
}
