/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Pretty JSON for people to read: two-space indentation, members in the order they came,
 * arrays and objects that fit in TETHER_JSON_PRINTER_INLINE_WIDTH columns on one line, and
 * numbers written so that they read back as the same value (1e20 stays 1e+20; JsonGenerator
 * would write 1e+20.0, which is not JSON). GTK-free: it runs in worker threads. */

#define TETHER_JSON_PRINTER_INLINE_WIDTH 64

/* Appends @node to @out. Strings longer than @max_string_bytes (0: no limit) are cut at a
 * character boundary and end in "…" and the size left out; @shortened (may be NULL) is set
 * when that happened. Text that is not UTF-8 is repaired with U+FFFD so the output always is. */
void  tether_json_printer_append_pretty (GString  *out,
                                        JsonNode *node,
                                        gsize     max_string_bytes,
                                        gboolean *shortened);

/* One line, as on the wire: no spaces, no limit on strings. */
void  tether_json_printer_append_compact (GString  *out,
                                         JsonNode *node);

/* The shortest text that reads back as @number, always with a fraction or exponent
 * ("1.0", "0.1", "1e+20"); non-finite numbers, which JSON cannot carry, become "null". */
void  tether_json_printer_append_double (GString *out,
                                        double   number);

/* Checks, without parsing, that @text is a JSON object or array whose brackets nest at
 * most @max_depth deep: json-glib's parser recurses once per level, so deeper input must
 * not reach it from a worker thread's stack. */
gboolean tether_json_printer_looks_like_container (const char *text,
                                                  gsize       length,
                                                  guint       max_depth);

G_END_DECLS
