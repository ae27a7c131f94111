/* SPDX-License-Identifier: GPL-3.0-or-later */
/* server-everything from tests/peers, started by a test on a free port of 127.0.0.1. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GSubprocess *process;
  char        *base_url;  /* http://127.0.0.1:PORT */
} Peer;

/* Starts server-everything in @mode ("streamableHttp", "sse") and waits until it listens;
 * FALSE (the test skipped) when tests/peers or node is not installed. */
gboolean peer_start (Peer       *peer,
                     const char *mode);
/* Stops the server and everything it started; nothing when it never started. */
void     peer_stop  (Peer       *peer);

G_END_DECLS
