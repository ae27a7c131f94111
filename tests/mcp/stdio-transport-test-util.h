/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-stdio-transport.h"

/*
 * McpStdioTransport against real child processes, mostly tests/helpers/mcp-test-peer (its
 * options choose how it behaves). A Peer holds a transport and records what it emits.
 */

G_BEGIN_DECLS

/* ------------------------------------------------------------------------------------------ */
/* Waiting                                                                                    */

gboolean
wake_up (gpointer user_data);

/* Runs the main loop until @cond holds; fails the test after @seconds. */
#define WAIT_UNTIL(cond, seconds)                                                     \
  G_STMT_START {                                                                      \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (seconds) * G_USEC_PER_SEC; \
    guint wake_id_ = g_timeout_add (20, wake_up, NULL);                               \
    while (!(cond))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > deadline_)                                      \
          g_error ("Timed out after %d s waiting for %s", (int) (seconds), #cond);    \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
    g_source_remove (wake_id_);                                                       \
  } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* A transport and what it emitted                                                            */

typedef struct {
  McpLogLevel  level;
  char        *text;
} LogLine;

typedef struct {
  McpTransport *transport;
  GPtrArray    *messages;  /* McpMessage */
  GPtrArray    *logs;      /* LogLine */
  GError       *closed_error;
  guint         closed_count;
} Peer;

/* The path of the built tests/helpers/mcp-test-peer. */
char *
test_peer_path (void);

/* Takes @transport. */
Peer *
peer_new_for_transport (McpStdioTransport *transport);

/* A transport for mcp-test-peer with @args (NULL-terminated), not opened yet. */
Peer *
peer_new (const char *first_arg,
          ...);

void
peer_free (Peer *peer);

gboolean
peer_open (Peer    *peer,
           GError **error);

void
peer_open_ok (Peer *peer);

/* Closes and returns how long it took, in seconds. */
double
peer_close (Peer *peer);

gboolean
peer_send (Peer        *peer,
           McpMessage  *message,
           GError     **error);

McpMessage *
peer_message (Peer  *peer,
              guint  index);

/* Index of the first log line at @level containing @text, or -1. */
int
peer_find_log (Peer        *peer,
               McpLogLevel  level,
               const char  *text);

G_END_DECLS
