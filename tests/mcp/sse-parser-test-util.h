/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-sse-parser.h"

/* Helpers shared by the tests of McpSseParser (tests/mcp/test-sse-parser*.c). check_stream()
 * checks a stream against its expected transcript fed whole, one byte at a time, cut at every
 * single point, and, for short streams, cut at every pair of points: the parser must not care
 * where the network splits the bytes. */

G_BEGIN_DECLS

/* An McpSseParser::event handler that appends the event's transcript line to @out. */
void
on_event (McpSseParser *parser,
          McpSseEvent  *event,
          GString      *out);

/* Feeds @input cut at the ascending offsets @cuts, then ends the stream.
 * Returns the transcript: events, retry signals, the first error (by code,
 * since the sizes in its message depend on where the chunk ended), and the
 * last event ID at the end. */
char *
run_chunks (const char  *input,
            gsize        len,
            gsize        max_event_size,
            const gsize *cuts,
            guint        n_cuts);

/* Checks that @input (@len bytes) gives the transcript @expected whole, one byte at a time and
 * cut at every point. */
void
check_stream_sized (const char *input,
                    gsize       len,
                    gsize       max_event_size,
                    const char *expected);

void
check_stream (const char *input,
              const char *expected);

G_END_DECLS
