/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mcp-http-transport-headers.c: the headers the 2026-07-28 era adds to each POST.
 *
 * Mcp-Method repeats the JSON-RPC method; Mcp-Name the tool or prompt name, or the resource
 * URI; Mcp-Param-* headers, which the client passes in, carry values of the params. A value
 * that is not plain visible ASCII goes in the Base64 sentinel form "=?base64?…?=". */

#include "config.h"

#include "mcp-http-transport-private.h"

#include <string.h>

char *
mcp_http_transport_encode_header_value (const char *value)
{
  gsize len;
  gboolean plain;

  g_return_val_if_fail (value != NULL, NULL);

  len = strlen (value);
  plain = mcp_http_header_value_is_valid (value);
  /* Leading or trailing whitespace would be trimmed by HTTP itself. */
  if (plain && len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1])))
    plain = FALSE;
  /* A plain value that looks encoded must be encoded, or it would be misread. */
  if (plain && g_str_has_prefix (value, "=?base64?") && g_str_has_suffix (value, "?="))
    plain = FALSE;

  if (plain)
    return g_strdup (value);
  else
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) value, len);
      return g_strconcat ("=?base64?", b64, "?=", NULL);
    }
}

gboolean
mcp_http_transport_add_modern_headers (SoupMessage  *msg,
                                       McpMessage   *message,
                                       GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char *method = mcp_message_get_method (message);
  JsonObject *params = mcp_message_get_params (message);
  const char *name = NULL;

  if (method == NULL)
    return TRUE;

  if (!mcp_http_header_value_is_valid (method))
    {
      g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                   "The method name “%s” cannot be sent in an Mcp-Method header", method);
      return FALSE;
    }
  soup_message_headers_replace (headers, "Mcp-Method", method);

  if (params != NULL &&
      (g_str_equal (method, "tools/call") || g_str_equal (method, "prompts/get")))
    name = json_object_get_string_member_with_default (params, "name", NULL);
  else if (params != NULL && g_str_equal (method, "resources/read"))
    name = json_object_get_string_member_with_default (params, "uri", NULL);

  if (name != NULL)
    {
      g_autofree char *encoded = mcp_http_transport_encode_header_value (name);
      soup_message_headers_replace (headers, "Mcp-Name", encoded);
    }

  return TRUE;
}

gboolean
mcp_http_transport_add_extra_headers (SoupMessage  *msg,
                                      GHashTable   *extra,
                                      GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GHashTableIter iter;
  gpointer key, value;

  if (extra == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, extra);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;

      if (!mcp_http_header_name_is_valid (name) || value == NULL)
        {
          g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                       "“%s” is not a header name that can be sent", name);
          return FALSE;
        }

      if (g_ascii_strncasecmp (name, "Mcp-Param-", strlen ("Mcp-Param-")) == 0)
        {
          g_autofree char *encoded = mcp_http_transport_encode_header_value (value);
          soup_message_headers_replace (headers, name, encoded);
        }
      else if (mcp_http_header_value_is_valid (value))
        soup_message_headers_replace (headers, name, value);
      else
        {
          g_set_error (error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_FAILED,
                       "The value of header %s has characters a header cannot carry", name);
          return FALSE;
        }
    }

  return TRUE;
}
