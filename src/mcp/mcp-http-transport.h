/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mcp-dpop.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

/* Bodies above this size are parsed in a worker thread, so the main loop keeps running. */
#define MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE (1024 * 1024)

#define MCP_TYPE_HTTP_TRANSPORT (mcp_http_transport_get_type ())
G_DECLARE_FINAL_TYPE (McpHttpTransport, mcp_http_transport, MCP, HTTP_TRANSPORT, GObject)

/*
 * The Streamable HTTP transport (protocol revisions 2025-03-26 to 2026-07-28): every message
 * is one POST to the MCP endpoint, answered by 202, a JSON body or an SSE stream.
 *
 * Properties:
 *   "url"              (string, construct-only) the MCP endpoint;
 *   "session"          (SoupSession, construct-only) NULL: the transport makes its own;
 *   "headers"          (GStrv of "Name: value") extra headers sent on every request;
 *   "bearer-token"     (string, write-only) sent as "Authorization: Bearer" (as "DPoP" with
 *                      a proof after mcp_http_transport_set_dpop()); never logged;
 *   "protocol-version" (string) once set, sent as MCP-Protocol-Version on every request;
 *   "session-id"       (string, read-only) the MCP-Session-Id the server assigned;
 *   "modern"           (boolean) the 2026-07-28 era: POSTs carry Mcp-Method and Mcp-Name;
 *   "max-message-size" (guint64) larger bodies or events fail with TOO_LARGE.
 *
 * Server-initiated messages (2025 era) arrive on a GET stream that
 * mcp_http_transport_start_listening() opens; the client calls it after initialization.
 */

McpHttpTransport   *mcp_http_transport_new                        (const char          *url);
McpHttpTransport   *mcp_http_transport_new_with_session           (const char          *url,
                                                                   SoupSession         *session);

const char         *mcp_http_transport_get_url                    (McpHttpTransport    *self);
SoupSession        *mcp_http_transport_get_session                (McpHttpTransport    *self);

/* Sets (or with a NULL @value removes) one extra header sent on every request. */
void                mcp_http_transport_set_header                 (McpHttpTransport    *self,
                                                                   const char          *name,
                                                                   const char          *value);
void                mcp_http_transport_set_headers                (McpHttpTransport    *self,
                                                                   const char * const  *headers);
char              **mcp_http_transport_dup_headers                (McpHttpTransport    *self);

void                mcp_http_transport_set_bearer_token           (McpHttpTransport    *self,
                                                                   const char          *token);
/* The DPoP key (RFC 9449) the bearer token is bound to, or NULL for a plain bearer token.
 * With one, the token goes as "Authorization: DPoP" with a fresh proof on every request. */
void                mcp_http_transport_set_dpop                   (McpHttpTransport    *self,
                                                                   McpDpop             *dpop);

void                mcp_http_transport_set_protocol_version       (McpHttpTransport    *self,
                                                                   const char          *version);
const char         *mcp_http_transport_get_protocol_version       (McpHttpTransport    *self);

const char         *mcp_http_transport_get_session_id             (McpHttpTransport    *self);

void                mcp_http_transport_set_modern                 (McpHttpTransport    *self,
                                                                   gboolean             modern);
gboolean            mcp_http_transport_get_modern                 (McpHttpTransport    *self);

void                mcp_http_transport_set_max_message_size       (McpHttpTransport    *self,
                                                                   guint64              size);
guint64             mcp_http_transport_get_max_message_size       (McpHttpTransport    *self);

/* The WWW-Authenticate header values (one per header line) of the last 401 or 403 answer,
 * NULL-terminated; NULL when none came. Feed them to mcp_www_authenticate_parse(). */
const char * const *mcp_http_transport_get_last_www_authenticate  (McpHttpTransport    *self);

/* The HTTP status of the last answer to a POST (0 before any), for the client's era and
 * transport detection (400/404/405 on the first POST mean "try the legacy transport"). */
guint               mcp_http_transport_get_last_status            (McpHttpTransport    *self);

/* Opens the GET stream for server-initiated messages (2025 era); reconnects with
 * Last-Event-ID when it breaks, until close. A server without one (405, or 404) is fine. */
void                mcp_http_transport_start_listening            (McpHttpTransport    *self);
gboolean            mcp_http_transport_get_listening              (McpHttpTransport    *self);

/* As mcp_transport_send_async(), with extra headers for this one message: @headers maps a
 * header name to its plain value (both strings; may be NULL). Values of Mcp-Param-* headers
 * are encoded as the 2026-07-28 spec says (Base64 sentinel form when not plain ASCII);
 * other values must be header-safe already. */
void                mcp_http_transport_send_with_headers_async    (McpHttpTransport    *self,
                                                                   McpMessage          *message,
                                                                   GHashTable          *headers,
                                                                   GCancellable        *cancellable,
                                                                   GAsyncReadyCallback  callback,
                                                                   gpointer             user_data);
gboolean            mcp_http_transport_send_with_headers_finish   (McpHttpTransport    *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

/* The value as it goes into an Mcp-Name or Mcp-Param-* header: as is when it is plain
 * visible ASCII, else "=?base64?…?=" (newly allocated). */
char               *mcp_http_transport_encode_header_value        (const char          *value);

G_END_DECLS
