/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the files of McpStdioTransport: mcp-stdio-transport.c (the transport's life),
 * mcp-stdio-transport-child.c (starting and stopping the process), mcp-stdio-transport-writer.c
 * (writing stdin) and mcp-stdio-transport-reader.c (reading stdout and stderr). */

#include "mcp-stdio-transport.h"

G_BEGIN_DECLS

typedef enum {
  STATE_NEW,
  STATE_OPEN,
  STATE_CLOSING,
  STATE_CLOSED,
} State;

typedef struct {
  McpStdioTransport *self;  /* NULL once the transport is disposed */
} Link;

typedef struct {
  GInputStream *stream;
  GByteArray   *line;        /* the part of a line seen so far */
  gboolean      discarding;  /* stderr only: skipping the rest of an overlong line */
  gboolean      eof;
  gboolean      paused;      /* stdout only: waiting for a worker-thread parse */
} LineReader;

typedef struct {
  GBytes     *line;     /* kept until parsed, for the excerpt of a malformed line */
  McpMessage *message;
  char       *warning;  /* set instead of message for a malformed line */
  gboolean    done;
} InboundLine;

struct _McpStdioTransport
{
  GObject        parent_instance;

  char         **argv;
  char         **environment;
  char          *working_directory;
  guint64        max_message_size;

  State          state;
  Link          *link;
  GSubprocess   *process;
  GOutputStream *stdin_pipe;
  GCancellable  *cancellable;       /* writes, worker-thread parses, waiting for the exit */
  GCancellable  *read_cancellable;  /* reads of both pipes */

  LineReader     out;
  LineReader     err;
  GQueue         inbound;           /* InboundLine, oldest first */
  guint          parses_in_flight;
  gboolean       stdout_done;       /* stdout at its end and every line emitted */

  GQueue         sends;             /* GTask, not yet written */
  gboolean       writing;
  gboolean       stdin_shutdown;    /* close stdin once the queued sends are written */
  gboolean       stdin_closed;

  gboolean       exited;
  char          *exit_description;
  gboolean       terminating;       /* the stdin/SIGTERM/SIGKILL sequence was started */
  guint          drain_timeout_id;

  GPtrArray     *close_tasks;
};

G_GNUC_INTERNAL
void mcp_stdio_transport_start_reading   (McpStdioTransport *self);
G_GNUC_INTERNAL
void mcp_stdio_transport_clear_inbound   (McpStdioTransport *self);
/* Checks whether the child is gone for good (exited, pipes drained) and ends the transport. */
G_GNUC_INTERNAL
void mcp_stdio_transport_check_peer_gone (McpStdioTransport *self);
/* Ends the transport: ::closed with @error (NULL after a requested close). */
G_GNUC_INTERNAL
void mcp_stdio_transport_finish          (McpStdioTransport *self,
                                          const GError      *error);

/* mcp-stdio-transport-child.c */

/* Ignores SIGPIPE in this process, unless someone set it up already; the children get the
 * default back. Called once, from class_init. */
G_GNUC_INTERNAL
void     mcp_stdio_transport_ignore_sigpipe    (void);
/* Starts the command with pipes for stdin, stdout and stderr and watches for its exit;
 * MCP_TRANSPORT_ERROR_CONNECT when it cannot start. */
G_GNUC_INTERNAL
gboolean mcp_stdio_transport_spawn             (McpStdioTransport  *self,
                                                GError            **error);
/* Stops the process, once: wait, SIGTERM, wait, SIGKILL. */
G_GNUC_INTERNAL
void     mcp_stdio_transport_terminate_process (McpStdioTransport  *self);

/* mcp-stdio-transport-writer.c */

/* Writes the queued sends, one at a time, then closes stdin when that is wanted. */
G_GNUC_INTERNAL
void mcp_stdio_transport_write_next            (McpStdioTransport *self);
/* Closes stdin once stdin_shutdown is set and nothing is queued or being written. */
G_GNUC_INTERNAL
void mcp_stdio_transport_close_stdin_when_idle (McpStdioTransport *self);
/* Fails every queued send with MCP_TRANSPORT_ERROR_CLOSED. */
G_GNUC_INTERNAL
void mcp_stdio_transport_fail_queued_sends     (McpStdioTransport *self);

/* Pending I/O holds a Link, not the transport: the transport clears link->self in dispose. */
static inline Link *
link_ref (Link *link)
{
  return g_rc_box_acquire (link);
}

static inline void
link_unref (Link *link)
{
  g_rc_box_release (link);
}

/* Drops the callback's reference on @link and returns a strong reference on the transport,
 * or NULL when it is gone. */
static inline McpStdioTransport *
link_take (Link *link)
{
  McpStdioTransport *self = link->self ? g_object_ref (link->self) : NULL;

  link_unref (link);
  return self;
}

G_END_DECLS
