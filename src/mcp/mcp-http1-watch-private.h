/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* How McpHttp1Connection waits for input on its connections (mcp-http1-watch.c). */

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called with the task handed to mcp_http1_watch_wait_readable(), which it takes. */
typedef void (*McpHttp1ReadyFunc) (GTask *task);

/* The main context requests are made in: the thread-default one, else the global default. */
G_GNUC_INTERNAL
GMainContext *mcp_http1_watch_context       (void);

/* Calls @ready with @task (taken) once @io may be readable or @task's cancellable was
 * cancelled, from the main context the connection is used in. */
G_GNUC_INTERNAL
void          mcp_http1_watch_wait_readable (GIOStream         *io,
                                             GTask             *task,
                                             McpHttp1ReadyFunc  ready);

/* Stops watching @io (before it is closed, or handed on). */
G_GNUC_INTERNAL
void          mcp_http1_watch_drop          (GIOStream         *io);

/* Whether nothing came on @io since its watch last handed input to a reader (FALSE when
 * unknown, and for TLS connections). */
G_GNUC_INTERNAL
gboolean      mcp_http1_watch_quiet         (GIOStream         *io);

G_END_DECLS
