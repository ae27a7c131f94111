/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Helpers shared by the OAuth and MCP halves of the demo server: form and query encoding,
 * HTTP header checks, JSON responses and the per-request log notes. */

#define DEMO_SERVER_ERROR (demo_server_error_quark ())

typedef enum {
  DEMO_SERVER_ERROR_INVALID_INPUT,  /* malformed form, JSON or parameter from the client */
  DEMO_SERVER_ERROR_UPSTREAM,       /* GitHub answered something we cannot use */
} DemoServerError;

GQuark      demo_server_error_quark        (void);

/* Lowercase hex SHA-256 of @secret: how tokens and codes are keyed in memory, so lookups
 * never compare the secret itself. */
char       *demo_util_secret_digest        (const char   *secret);
/* Compares two strings in time that depends only on their lengths. */
gboolean    demo_util_secure_equal         (const char   *a,
                                            const char   *b);

/* application/x-www-form-urlencoded (also a URL query). Refuses repeated names (RFC 6749
 * §3.1), bad percent escapes and values that are not UTF-8. Keys and values are strings. */
GHashTable *demo_util_parse_form           (const char   *data,
                                            gsize         length,
                                            GError      **error);
/* Percent-encodes everything but RFC 3986 unreserved characters. */
char       *demo_util_form_escape          (const char   *value);
/* Appends name=value pairs (NULL-terminated list; a NULL value skips its pair) to the query of
 * @uri, keeping any query it already has. */
char       *demo_util_append_query         (const char   *uri,
                                            const char   *first_name,
                                            ...) G_GNUC_NULL_TERMINATED;

/* Space-separated scope list -> NULL-terminated vector without duplicates; NULL when a scope
 * token has characters RFC 6749 §3.3 does not allow. "" gives an empty vector. */
char      **demo_util_split_scopes         (const char   *scope);
gboolean    demo_util_strv_is_subset       (const char * const *subset,
                                            const char * const *set);

/* Is the media type of a Content-Type value @type (parameters and case ignored)? */
gboolean    demo_util_media_type_is        (const char   *header_value,
                                            const char   *type);
/* Does an Accept value name @type explicitly (not through a wildcard)? */
gboolean    demo_util_accept_names         (const char   *accept,
                                            const char   *type);
/* Does an Accept value allow @type at all (explicitly or through type/star or star/star)? A
 * missing header allows everything. */
gboolean    demo_util_accept_allows        (const char   *accept,
                                            const char   *type);

/* Request body as a NUL-terminated buffer (owned by the message). */
const char *demo_util_request_body         (SoupServerMessage *msg,
                                            gsize             *length);

void        demo_util_respond_json         (SoupServerMessage *msg,
                                            guint              status,
                                            JsonNode          *node);
void        demo_util_respond_json_object  (SoupServerMessage *msg,
                                            guint              status,
                                            JsonObject        *object);
/* An OAuth error document (RFC 6749 §5.2) with Cache-Control: no-store. */
void        demo_util_respond_oauth_error  (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *error_code,
                                            const char        *description);
void        demo_util_respond_text         (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *text);
char       *demo_util_json_to_string       (JsonNode          *node,
                                            gsize             *length);

/* Notes for the one-line request log (never tokens, codes or secrets). */
void        demo_util_note_detail          (SoupServerMessage *msg,
                                            const char        *detail);
void        demo_util_note_client          (SoupServerMessage *msg,
                                            const char        *client_id);
/* The error the request ended with: an OAuth error code or a JSON-RPC error number. The
 * first one noted stays (a batch may hold several). */
void        demo_util_note_error           (SoupServerMessage *msg,
                                            const char        *error);
const char *demo_util_get_detail           (SoupServerMessage *msg);
const char *demo_util_get_client           (SoupServerMessage *msg);
const char *demo_util_get_error            (SoupServerMessage *msg);
/* @text fit for one log line: control characters become '?', and it is cut after
 * @max_length bytes (with "…"). Invalid UTF-8 ends it. */
char       *demo_util_log_safe             (const char        *text,
                                            gsize              max_length);

G_END_DECLS
