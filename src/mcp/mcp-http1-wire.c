/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http1-wire.c: the bytes of HTTP/1.1 for McpHttp1Connection. The request is written
 * whole; the response head is parsed here, strictly (RFC 9112 §2-5: no obs-fold, no bare CR,
 * no NUL, names that are tokens), line by line straight into the SoupMessageHeaders, cut out
 * of the read buffer in place. Values that are no UTF-8 are made valid as libsoup does. */

#include "config.h"

#include "mcp-http1-wire-private.h"

#include "mcp-http-common-private.h"

#include <string.h>

static void
append_header (const char *name,
               const char *value,
               gpointer    user_data)
{
  GString *out = user_data;

  /* the framing is ours */
  if (g_ascii_strcasecmp (name, "Host") == 0 ||
      g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Transfer-Encoding") == 0 ||
      g_ascii_strcasecmp (name, "Connection") == 0 ||
      g_ascii_strcasecmp (name, "Content-Type") == 0)
    return;
  g_string_append (out, name);
  g_string_append (out, ": ");
  g_string_append (out, value);
  g_string_append (out, "\r\n");
}

GBytes *
mcp_http1_wire_build_request (SoupMessage *msg,
                              const char  *host_header,
                              GBytes      *body,
                              const char  *content_type)
{
  GUri *uri = soup_message_get_uri (msg);
  const char *method = soup_message_get_method (msg);
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  gsize body_size = body != NULL ? g_bytes_get_size (body) : 0;
  GString *out = g_string_sized_new (512 + body_size);

  g_string_append (out, method);
  g_string_append_c (out, ' ');
  g_string_append (out, (path != NULL && *path != '\0') ? path : "/");
  if (query != NULL)
    {
      g_string_append_c (out, '?');
      g_string_append (out, query);
    }
  g_string_append (out, " HTTP/1.1\r\nHost: ");
  g_string_append (out, host_header);
  g_string_append (out, "\r\n");
  if (soup_message_headers_get_one (headers, "User-Agent") == NULL)
    g_string_append (out, "User-Agent: " MCP_HTTP_USER_AGENT "\r\n");
  soup_message_headers_foreach (headers, append_header, out);
  if (content_type != NULL)
    {
      g_string_append (out, "Content-Type: ");
      g_string_append (out, content_type);
      g_string_append (out, "\r\n");
    }
  if (body != NULL || strcmp (method, "POST") == 0)
    {
      char digits[24];
      gsize i = sizeof digits;
      gsize n = body_size;

      /* no printf for one number on every request */
      do
        digits[--i] = (char) ('0' + n % 10);
      while ((n /= 10) > 0);
      g_string_append (out, "Content-Length: ");
      g_string_append_len (out, digits + i, (gssize) (sizeof digits - i));
      g_string_append (out, "\r\n");
    }
  g_string_append (out, "\r\n");
  if (body_size > 0)
    g_string_append_len (out, g_bytes_get_data (body, NULL), (gssize) body_size);

  return g_string_free_to_bytes (out);
}

gsize
mcp_http1_wire_find_head_end (const guint8 *data,
                              gsize         len,
                              gsize        *searched)
{
  const guint8 *p = data + (*searched > 3 ? *searched - 3 : 0);
  const guint8 *end = data + len;

  /* from one LF to the next: the blank line is an LF with CR LF CR before it */
  while (p < end && (p = memchr (p, '\n', (gsize) (end - p))) != NULL)
    {
      if (p - data >= 3 && p[-1] == '\r' && p[-2] == '\n' && p[-3] == '\r')
        return (gsize) (p - data) + 1;
      p++;
    }
  *searched = len;
  return 0;
}

static gboolean bad_head (GError    **error,
                          const char *format,
                          ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad_head (GError    **error,
          const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (MCP_HTTP1_CONNECTION_ERROR,
                                                MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* At most @max bytes of @line, for an error message: what is not plain ASCII shows as '?'. */
static char *
shown_text (const char *line,
            gsize       len,
            gsize       max)
{
  char *shown = g_strndup (line, MIN (len, max));

  return g_strcanon (shown, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                            "0123456789 ./-_:;,()=\"'", '?');
}

/* tchar of RFC 9110 §5.6.2 */
static gboolean
is_token_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The status line (RFC 9112 §4): HTTP/1.x, three digits, and an optional reason phrase. */
static gboolean
parse_status_line (char             *line,
                   gsize             len,
                   SoupHTTPVersion  *version,
                   guint            *status,
                   char            **reason_phrase,
                   GError          **error)
{
  const char *reason;

  if (len < 12 || memcmp (line, "HTTP/1.", 7) != 0 || !g_ascii_isdigit (line[7]) ||
      line[8] != ' ' || !g_ascii_isdigit (line[9]) || !g_ascii_isdigit (line[10]) ||
      !g_ascii_isdigit (line[11]) || (len > 12 && line[12] != ' '))
    {
      g_autofree char *shown = shown_text (line, len, 80);

      return bad_head (error, "Expected an HTTP/1.x response, got “%s”", shown);
    }

  /* HTTP/1.1 or a later 1.x is read as 1.1 */
  *version = line[7] == '0' ? SOUP_HTTP_1_0 : SOUP_HTTP_1_1;
  *status = (guint) ((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
  reason = len > 13 ? line + 13 : "";
  line[len] = '\0';
  if (g_utf8_validate (reason, -1, NULL))
    *reason_phrase = g_strdup (reason);
  else
    *reason_phrase = g_utf8_make_valid (reason, -1);
  return TRUE;
}

/* One field line (RFC 9112 §5): a token, a colon, the value between optional whitespace.
 * The name and the value are cut out of @line with NULs. */
static gboolean
parse_field_line (char                *line,
                  gsize                len,
                  SoupMessageHeaders  *headers,
                  GError             **error)
{
  char *value;
  char *end = line + len;
  gsize name_len = 0;

  while (name_len < len && is_token_char ((guchar) line[name_len]))
    name_len++;
  if (name_len == 0 || name_len == len || line[name_len] != ':')
    {
      g_autofree char *shown = shown_text (line, len, 40);

      if (line[0] == ' ' || line[0] == '\t')
        return bad_head (error, "Expected one response header per line, got a folded line");
      return bad_head (error, "Expected a response header “name: value”, got “%s”", shown);
    }

  line[name_len] = '\0';
  value = line + name_len + 1;
  while (value < end && (*value == ' ' || *value == '\t'))
    value++;
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *end = '\0';

  /* what libsoup does: header values are text */
  if (g_utf8_validate (value, end - value, NULL))
    soup_message_headers_append (headers, line, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, end - value);

      soup_message_headers_append (headers, line, valid);
    }
  return TRUE;
}

static gboolean
parse_lines (char                *data,
             gsize                end,
             SoupMessageHeaders  *headers,
             SoupHTTPVersion     *version,
             guint               *status,
             char               **reason_phrase,
             GError             **error)
{
  char *p = data;
  char *limit = data + end;
  guint n_fields = 0;
  gboolean first = TRUE;

  while (p < limit)
    {
      char *nl = memchr (p, '\n', (gsize) (limit - p));
      gsize len;

      if (nl == NULL)
        return bad_head (error, "Expected a response head ending in an empty line");
      /* CRLF, or a bare LF (RFC 9112 §2.2); a bare CR anywhere is refused */
      len = (gsize) (nl - p);
      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > MCP_HTTP1_MAX_HEAD_LINE)
        return bad_head (error, "Expected response header lines of at most %d bytes, got one "
                               "of %" G_GSIZE_FORMAT, MCP_HTTP1_MAX_HEAD_LINE, len);
      if (memchr (p, '\r', len) != NULL)
        return bad_head (error, "Expected CRLF line ends in the response head, got a bare CR");
      /* RFC 9110 §5.5 */
      if (memchr (p, '\0', len) != NULL)
        return bad_head (error, "Expected text in the response head, got a NUL byte");

      if (first)
        {
          if (!parse_status_line (p, len, version, status, reason_phrase, error))
            return FALSE;
          first = FALSE;
        }
      else if (len == 0)
        return TRUE;
      else if (++n_fields > MCP_HTTP1_MAX_HEADERS)
        return bad_head (error, "Expected at most %d response headers, got more",
                         MCP_HTTP1_MAX_HEADERS);
      else if (!parse_field_line (p, len, headers, error))
        return FALSE;
      p = nl + 1;
    }

  return bad_head (error, "Expected a response head ending in an empty line");
}

gboolean
mcp_http1_wire_parse_head (char                *data,
                           gsize                end,
                           SoupMessageHeaders  *headers,
                           SoupHTTPVersion     *version,
                           guint               *status,
                           char               **reason_phrase,
                           GError             **error)
{
  *reason_phrase = NULL;
  if (parse_lines (data, end, headers, version, status, reason_phrase, error))
    return TRUE;
  g_clear_pointer (reason_phrase, g_free);
  return FALSE;
}

gboolean
mcp_http1_wire_body_framing (SoupMessageHeaders  *headers,
                             guint                status,
                             gboolean             is_head,
                             McpHttp1Framing     *framing,
                             guint64             *length,
                             GError             **error)
{
  const char *te = soup_message_headers_get_list (headers, "Transfer-Encoding");
  const char *cl = soup_message_headers_get_list (headers, "Content-Length");
  const char *encoding = soup_message_headers_get_list (headers, "Content-Encoding");

  *length = 0;
  if (is_head || status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    {
      *framing = MCP_HTTP1_FRAMING_NONE;
      return TRUE;
    }

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "identity") != 0)
    {
      /* we never send Accept-Encoding */
      g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                   "Expected a body without content coding, got Content-Encoding “%.40s”",
                   encoding);
      return FALSE;
    }

  if (te != NULL)
    {
      g_autofree char *coding = g_strstrip (g_ascii_strdown (te, -1));

      if (strcmp (coding, "chunked") != 0)
        {
          g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                       "Expected Transfer-Encoding “chunked”, got “%.40s”", te);
          return FALSE;
        }
      *framing = MCP_HTTP1_FRAMING_CHUNKED;
      return TRUE;
    }

  if (cl != NULL)
    {
      g_auto(GStrv) values = g_strsplit (cl, ",", -1);
      gboolean have = FALSE;

      /* repeated values must all agree (RFC 9110 §8.6) */
      for (guint i = 0; values[i] != NULL; i++)
        {
          const char *v = g_strstrip (values[i]);
          guint64 n = 0;
          gsize j = 0;

          for (; v[j] != '\0' && g_ascii_isdigit (v[j]) && j < 19; j++)
            n = n * 10 + (guint64) (v[j] - '0');
          if (j == 0 || v[j] != '\0' || (have && n != *length))
            {
              g_set_error (error, MCP_HTTP1_CONNECTION_ERROR,
                           MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                           "Expected a Content-Length of decimal digits, got “%.40s”", cl);
              return FALSE;
            }
          *length = n;
          have = TRUE;
        }
      *framing = MCP_HTTP1_FRAMING_LENGTH;
      return TRUE;
    }

  *framing = MCP_HTTP1_FRAMING_UNTIL_CLOSE;
  return TRUE;
}
