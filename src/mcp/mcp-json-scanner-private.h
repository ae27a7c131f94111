/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The token layer of the strict JSON parser: mcp-json-scanner.c reads one token,
 * mcp-json-parser.c puts them together into a json-glib tree. */

#include "mcp-json-private.h"

G_BEGIN_DECLS

typedef struct
{
  const char *text;    /* valid UTF-8, not necessarily terminated */
  gsize       length;
  GString    *scratch; /* the string or member name read last, decoded */
} McpJsonScan;

/* Sets @error to "@format at line L, column C" for the byte @offset of the text. */
G_GNUC_INTERNAL
void      mcp_json_scan_error       (McpJsonScan      *scan,
                                     GError          **error,
                                     McpMessageError   code,
                                     gsize             offset,
                                     const char       *format,
                                     ...) G_GNUC_PRINTF (5, 6);

/* “x”, "the control character U+0009" or "the end of the text", for error messages. */
G_GNUC_INTERNAL
char     *mcp_json_describe_char_at (const char       *text,
                                     gsize             length,
                                     gsize             offset);

/* Each reads the token at *@pos and moves *@pos past it. */
G_GNUC_INTERNAL
gboolean  mcp_json_scan_string      (McpJsonScan      *scan,
                                     gsize            *pos,
                                     GError          **error);
G_GNUC_INTERNAL
JsonNode *mcp_json_scan_number      (McpJsonScan      *scan,
                                     gsize            *pos,
                                     GError          **error);
G_GNUC_INTERNAL
JsonNode *mcp_json_scan_word        (McpJsonScan      *scan,
                                     gsize            *pos,
                                     GError          **error);

G_END_DECLS
