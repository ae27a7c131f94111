/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-client.h"

/*
 * McpClient against real servers (tests/peers, installed with npm; the tests skip when they
 * are missing): the reference server @modelcontextprotocol/server-everything (2025 era) over
 * stdio and Streamable HTTP, and tests/integration/modern-server.mjs on the official SDK v2
 * (2026-07-28) over stdio.
 */

G_BEGIN_DECLS

typedef struct
{
  McpClient  *client;
  GPtrArray  *sent;       /* McpMessage */
  GPtrArray  *received;   /* McpMessage */
  GPtrArray  *progress;   /* char *: "token progress/total" */
  GPtrArray  *log_levels; /* char * */
  GPtrArray  *updated;    /* char *: resource URIs */
  GPtrArray  *server_requests; /* char *: methods seen */
  gboolean    closed;
  char       *sampling_reply;
  JsonObject *elicitation_content;
  char       *root_uri;
  gboolean    claim_nothing;
  GError     *connect_error;
  GPtrArray  *logs;       /* char *: the client's ::log lines */
  GSubprocess *http_server;
  char       *http_url;
} Fixture;

void
fixture_set_up (Fixture       *f,
                gconstpointer  data);

void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data);

/* Iterates the main context until *slot is set; fails the test after @seconds. */
GAsyncResult *
wait_for (GAsyncResult **slot,
          guint          seconds);

gboolean
wait_until (gboolean (*predicate) (Fixture *f),
            Fixture  *f,
            guint     seconds);

/* Starts server-everything over stdio and connects; FALSE (and the test skipped) when the
 * peer is missing. */
gboolean
fixture_connect (Fixture *f,
                 McpEra   era,
                 gboolean sampling,
                 gboolean elicitation,
                 gboolean roots);

/* The 2026-07-28 peer (official SDK v2) over stdio. */
gboolean
fixture_connect_modern (Fixture *f,
                        McpEra   era,
                        gboolean elicitation);

/* tests/integration/session-server.mjs (2025 era, sessions, 404 for a forgotten one) over
 * Streamable HTTP on a port of its own, then connects. */
gboolean
fixture_connect_http (Fixture *f);

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data);

JsonObject *
call_tool (Fixture                 *f,
           const char              *name,
           const char              *arguments_json,
           const McpRequestOptions *options,
           GCancellable            *cancellable,
           GError                 **error);

const char *
first_text (JsonObject *result);

McpMessage *
find_sent (Fixture    *f,
           const char *method);

guint
count_sent (Fixture    *f,
            const char *method);

G_END_DECLS
