/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the two HTTP transports have in common (mcp-http-common.c): McpHttpTransport
 * (Streamable HTTP) and McpSseTransport (HTTP+SSE) both send custom headers and a bearer
 * token, read bounded bodies, turn HTTP statuses into errors and parse large bodies in a
 * worker thread. McpEventStream, which reads their event streams, uses it too. */

#include <libsoup/soup.h>

#include "mcp-dpop.h"
#include "mcp-http-transport.h"
#include "mcp-transport.h"

G_BEGIN_DECLS

#define MCP_HTTP_USER_AGENT "Tether/" VERSION

/* How much one read of a response body asks for. */
#define MCP_HTTP_READ_CHUNK_SIZE (64 * 1024)

/* --- URLs and sessions -------------------------------------------------------------------- */

/* @url as a GUri when it is an http or https URL with a host, else NULL. @display_url gets
 * the text to show in messages either way: the URL without its password, or @url as given. */
G_GNUC_INTERNAL
GUri      *mcp_http_parse_url                 (const char           *url,
                                               char                **display_url);
/* The port of @uri (http or https), the scheme's default when it names none. */
G_GNUC_INTERNAL
int        mcp_http_effective_port            (GUri                 *uri);

/* Connects @from so that cancelling it cancels @to (which it keeps alive); returns the handler
 * id for g_cancellable_disconnect(). @from may be cancelled already: @to is then at once. */
G_GNUC_INTERNAL
gulong     mcp_http_forward_cancellation      (GCancellable         *from,
                                               GCancellable         *to);

/* Calls @func after @ms milliseconds, or at once when @cancellable is cancelled. */
G_GNUC_INTERNAL
void       mcp_http_schedule_delay            (guint                 ms,
                                               GCancellable         *cancellable,
                                               GCancellableSourceFunc func,
                                               gpointer              user_data);

/* --- Request headers ---------------------------------------------------------------------- */

/* An RFC 9110 token: what a header name must be. */
G_GNUC_INTERNAL
gboolean   mcp_http_header_name_is_valid      (const char           *name);
/* A value libsoup can put on the wire unchanged: visible ASCII, spaces and tabs. */
G_GNUC_INTERNAL
gboolean   mcp_http_header_value_is_valid     (const char           *value);

/* The custom headers of a transport: a GPtrArray of "Name: value" strings (g_free), one per
 * name, names compared without case. Setting one with a NULL @value removes it. A name or
 * value a header cannot carry is logged through @transport and ignored (FALSE). */
G_GNUC_INTERNAL
gboolean   mcp_http_headers_set               (GPtrArray            *headers,
                                               const char           *name,
                                               const char           *value,
                                               McpTransport         *transport);
/* Replaces them all with @lines ("Name: value" each; NULL for none). */
G_GNUC_INTERNAL
void       mcp_http_headers_set_all           (GPtrArray            *headers,
                                               const char * const   *lines,
                                               McpTransport         *transport);
G_GNUC_INTERNAL
char     **mcp_http_headers_dup               (GPtrArray            *headers);
/* Puts @headers, then the access token (unless NULL) on @msg: "Authorization: Bearer", or
 * with @dpop (the key the token is bound to) "Authorization: DPoP" and a fresh DPoP proof for
 * @msg (RFC 9449 §7). A bound token never goes as Bearer: when the proof cannot be made, the
 * request goes without the token (and the server's 401 says so). */
G_GNUC_INTERNAL
void       mcp_http_headers_apply             (GPtrArray            *headers,
                                               const char           *bearer_token,
                                               McpDpop              *dpop,
                                               SoupMessage          *msg);

/* Replaces the secret in @slot with a copy of @token (NULL or "" for none), wiping the old
 * one from memory first. Returns whether it changed. */
G_GNUC_INTERNAL
gboolean   mcp_http_replace_secret            (char                **slot,
                                               const char           *token);

/* --- Connection reuse -------------------------------------------------------------------- */

/* How long the transports' own sessions keep an idle connection ("idle-timeout"): less than
 * the keep-alive timeouts servers commonly use, so that the client closes first. */
#define MCP_HTTP_IDLE_TIMEOUT_SECONDS 1

/* Lets @msg (a POST) go on an idle kept-alive connection instead of a new one. libsoup never
 * re-sends a POST because of it: see the comment in mcp-http-common.c. */
G_GNUC_INTERNAL
void       mcp_http_allow_connection_reuse    (SoupMessage          *msg);

/* --- Responses ---------------------------------------------------------------------------- */

/* The reason phrase of the response, or the standard one for its status. */
G_GNUC_INTERNAL
const char *mcp_http_reason_phrase            (SoupMessage          *msg);
G_GNUC_INTERNAL
gboolean   mcp_http_has_content_type          (SoupMessage          *msg,
                                               const char           *type);
/* The WWW-Authenticate values of the response, one per header line, NULL-terminated; NULL
 * when there is none. */
G_GNUC_INTERNAL
char     **mcp_http_collect_www_authenticate  (SoupMessage          *msg);
/* "HTTP 500 Internal Server Error from POST https://…: <a one-line excerpt of @body>", as
 * MCP_TRANSPORT_ERROR_UNAUTHORIZED (401), _FORBIDDEN (403) or _HTTP_STATUS. @body may be
 * NULL. */
G_GNUC_INTERNAL
GError    *mcp_http_status_error              (SoupMessage          *msg,
                                               const char           *method,
                                               const char           *url,
                                               GBytes               *body);
/* The same for a response known by its @status and @reason_phrase (NULL or "" for the
 * standard phrase). */
G_GNUC_INTERNAL
GError    *mcp_http_status_error_for          (guint                 status,
                                               const char           *reason_phrase,
                                               const char           *method,
                                               const char           *url,
                                               GBytes               *body);

/* --- Bodies ------------------------------------------------------------------------------- */

/* Reads @stream to its end into a GBytes; over @limit bytes it fails with
 * MCP_TRANSPORT_ERROR_TOO_LARGE, or with @fail_over_limit FALSE returns the first @limit
 * bytes. */
G_GNUC_INTERNAL
void       mcp_http_read_body_async           (GInputStream         *stream,
                                               gsize                 limit,
                                               gboolean              fail_over_limit,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
G_GNUC_INTERNAL
GBytes    *mcp_http_read_body_finish          (GAsyncResult         *result,
                                               GError              **error);

/* mcp_message_parse_batch() of @bytes: in a worker thread when larger than
 * MCP_HTTP_TRANSPORT_THREADED_PARSE_SIZE, else right away (the callback still comes from the
 * main loop). The result is a GPtrArray of McpMessage. */
G_GNUC_INTERNAL
void       mcp_http_parse_messages_async      (GBytes               *bytes,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
G_GNUC_INTERNAL
GPtrArray *mcp_http_parse_messages_finish     (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
