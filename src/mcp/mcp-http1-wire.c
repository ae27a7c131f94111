/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http1-wire.c: the bytes of HTTP/1.1 for McpHttp1Connection. The request is written
 * whole; the response head is checked here (line length, header count, obs-fold) and parsed
 * by libsoup's soup_headers_parse_response(), so its headers read exactly as libsoup's own. */

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
    g_string_append_printf (out, "Content-Type: %s\r\n", content_type);
  if (body != NULL || strcmp (method, "POST") == 0)
    g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_size);
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
  gsize from = *searched > 3 ? *searched - 3 : 0;

  for (gsize i = from; i + 3 < len; i++)
    if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
      return i + 4;
  *searched = len;
  return 0;
}

/* At most MCP_HTTP1_MAX_HEADERS fields of at most MCP_HTTP1_MAX_HEAD_LINE bytes each, and no
 * obs-fold (RFC 9112 §5.2 lets a client refuse it). */
static gboolean
check_head (const char  *head,
            gsize        len,
            GError     **error)
{
  const char *p = head;
  const char *end = head + len;
  guint n_lines = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      gsize line_len = nl != NULL ? (gsize) (nl - p) : (gsize) (end - p);

      if (line_len > MCP_HTTP1_MAX_HEAD_LINE)
        {
          g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                       "Expected response header lines of at most %d bytes, got one of %"
                       G_GSIZE_FORMAT, MCP_HTTP1_MAX_HEAD_LINE, line_len);
          return FALSE;
        }
      if (n_lines > 0 && line_len > 0 && (*p == ' ' || *p == '\t'))
        {
          g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                       "Expected one response header per line, got a folded line");
          return FALSE;
        }
      /* the status line, the fields and the blank line */
      if (++n_lines > MCP_HTTP1_MAX_HEADERS + 2)
        {
          g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                       "Expected at most %d response headers, got more",
                       MCP_HTTP1_MAX_HEADERS);
          return FALSE;
        }
      if (nl == NULL)
        break;
      p = nl + 1;
    }
  return TRUE;
}

gboolean
mcp_http1_wire_parse_head (const char          *data,
                           gsize                end,
                           SoupMessageHeaders  *headers,
                           SoupHTTPVersion     *version,
                           guint               *status,
                           char               **reason_phrase,
                           GError             **error)
{
  if (!check_head (data, end, error))
    return FALSE;

  /* libsoup wants the head without its blank line */
  if (!soup_headers_parse_response (data, (int) (end - 2), headers, version, status,
                                    reason_phrase))
    {
      g_autofree char *line = g_strndup (data, strcspn (data, "\r\n"));

      g_strcanon (line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789 ./-_:;,()", '?');
      g_set_error (error, MCP_HTTP1_CONNECTION_ERROR, MCP_HTTP1_CONNECTION_ERROR_BAD_RESPONSE,
                   "Expected an HTTP/1.x response, got “%.80s”", line);
      return FALSE;
    }
  return TRUE;
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
