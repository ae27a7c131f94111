/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "demo-util.h"

G_DEFINE_QUARK (demo-server-error-quark, demo_server_error)

char *
demo_util_secret_digest (const char *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

gboolean
demo_util_secure_equal (const char *a,
                        const char *b)
{
  gsize len_a, len_b;
  guint8 diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  len_a = strlen (a);
  len_b = strlen (b);
  if (len_a != len_b)
    return FALSE;
  for (gsize i = 0; i < len_a; i++)
    diff |= (guint8) a[i] ^ (guint8) b[i];
  return diff == 0;
}

static char *
form_unescape (const char *start,
               gsize       len,
               GError    **error)
{
  g_autofree char *plus_free = g_strndup (start, len);
  g_autofree char *decoded = NULL;

  for (char *p = plus_free; *p != '\0'; p++)
    if (*p == '+')
      *p = ' ';

  /* NULL on a malformed escape or an escaped NUL. */
  decoded = g_uri_unescape_string (plus_free, NULL);
  if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
    {
      g_set_error (error, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_INVALID_INPUT,
                   "Expected percent-encoded UTF-8 in every form field, got a bad escape "
                   "or bytes that are not UTF-8");
      return NULL;
    }
  return g_steal_pointer (&decoded);
}

GHashTable *
demo_util_parse_form (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *p = data;
  const char *end = data + length;

  if (data == NULL)
    return g_steal_pointer (&form);

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp != NULL ? amp : end;
      const char *eq = memchr (p, '=', pair_end - p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pair_end == p)
        {
          p = pair_end + 1;
          continue;
        }

      name = form_unescape (p, (eq != NULL ? eq : pair_end) - p, error);
      if (name == NULL)
        return NULL;
      value = eq != NULL ? form_unescape (eq + 1, pair_end - eq - 1, error) : g_strdup ("");
      if (value == NULL)
        return NULL;

      if (g_hash_table_contains (form, name))
        {
          g_set_error (error, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_INVALID_INPUT,
                       "Parameter “%s” appears more than once; expected it at most once", name);
          return NULL;
        }
      g_hash_table_insert (form, g_steal_pointer (&name), g_steal_pointer (&value));
      p = pair_end + 1;
    }

  return g_steal_pointer (&form);
}

char *
demo_util_form_escape (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

char *
demo_util_append_query (const char *uri,
                        const char *first_name,
                        ...)
{
  GString *out;
  gboolean has_query;
  const char *name;
  va_list args;

  g_return_val_if_fail (uri != NULL, NULL);

  out = g_string_new (uri);
  has_query = strchr (uri, '?') != NULL;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *escaped = NULL;

      if (value == NULL)
        continue;
      escaped = demo_util_form_escape (value);
      if (has_query)
        {
          if (out->len > 0 && out->str[out->len - 1] != '?' && out->str[out->len - 1] != '&')
            g_string_append_c (out, '&');
        }
      else
        {
          g_string_append_c (out, '?');
          has_query = TRUE;
        }
      g_string_append_printf (out, "%s=%s", name, escaped);
    }
  va_end (args);

  return g_string_free (out, FALSE);
}

static gboolean
scope_token_is_valid (const char *token)
{
  if (*token == '\0')
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    {
      guchar ch = (guchar) *p;

      /* scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) */
      if (ch < 0x21 || ch == 0x22 || ch == 0x5c || ch > 0x7e)
        return FALSE;
    }
  return TRUE;
}

char **
demo_util_split_scopes (const char *scope)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  if (scope == NULL)
    scope = "";

  parts = g_strsplit (scope, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      if (parts[i][0] == '\0')
        continue;
      if (!scope_token_is_valid (parts[i]))
        return NULL;
      for (guint j = 0; j < out->len; j++)
        if (g_str_equal (out->pdata[j], parts[i]))
          seen = TRUE;
      if (!seen)
        g_ptr_array_add (out, g_strdup (parts[i]));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

gboolean
demo_util_strv_is_subset (const char * const *subset,
                          const char * const *set)
{
  if (subset == NULL)
    return TRUE;
  for (guint i = 0; subset[i] != NULL; i++)
    if (set == NULL || !g_strv_contains (set, subset[i]))
      return FALSE;
  return TRUE;
}

gboolean
demo_util_media_type_is (const char *header_value,
                         const char *type)
{
  gsize len;

  if (header_value == NULL)
    return FALSE;
  while (*header_value == ' ' || *header_value == '\t')
    header_value++;
  len = strlen (type);
  if (g_ascii_strncasecmp (header_value, type, len) != 0)
    return FALSE;
  header_value += len;
  while (*header_value == ' ' || *header_value == '\t')
    header_value++;
  return *header_value == '\0' || *header_value == ';';
}

/* Calls @func on the media range of each element of an Accept list (q=0 ranges skipped). */
static gboolean
accept_any (const char *accept,
            gboolean  (*func) (const char *range, const char *type),
            const char *type)
{
  g_auto(GStrv) items = g_strsplit (accept, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], ";", -1);
      g_autofree char *range = g_strstrip (g_strdup (parts[0]));
      gboolean refused = FALSE;

      for (guint j = 1; parts[j] != NULL; j++)
        {
          g_autofree char *param = g_strstrip (g_strdup (parts[j]));

          if (g_ascii_strncasecmp (param, "q=", 2) == 0 && g_ascii_strtod (param + 2, NULL) <= 0)
            refused = TRUE;
        }
      if (!refused && func (range, type))
        return TRUE;
    }
  return FALSE;
}

static gboolean
range_names (const char *range,
             const char *type)
{
  return g_ascii_strcasecmp (range, type) == 0;
}

static gboolean
range_allows (const char *range,
              const char *type)
{
  const char *slash = strchr (type, '/');

  if (g_ascii_strcasecmp (range, type) == 0 || g_str_equal (range, "*/*"))
    return TRUE;
  /* A "text/" range with a star allows "text/event-stream". */
  return slash != NULL && g_str_has_suffix (range, "/*")
         && strlen (range) == (gsize) (slash - type) + 2
         && g_ascii_strncasecmp (range, type, slash - type) == 0;
}

gboolean
demo_util_accept_names (const char *accept,
                        const char *type)
{
  return accept != NULL && accept_any (accept, range_names, type);
}

gboolean
demo_util_accept_allows (const char *accept,
                         const char *type)
{
  return accept == NULL || accept_any (accept, range_allows, type);
}

const char *
demo_util_request_body (SoupServerMessage *msg,
                        gsize             *length)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  G_GNUC_UNUSED g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  /* flatten() keeps a NUL after the data in body->data, which outlives @bytes. */
  *length = body->length;
  return body->data != NULL ? body->data : "";
}

char *
demo_util_json_to_string (JsonNode *node,
                          gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

void
demo_util_respond_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  gsize length = 0;
  char *text = demo_util_json_to_string (node, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
demo_util_respond_json_object (SoupServerMessage *msg,
                               guint              status,
                               JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  demo_util_respond_json (msg, status, node);
}

void
demo_util_respond_oauth_error (SoupServerMessage *msg,
                               guint              status,
                               const char        *error_code,
                               const char        *description)
{
  g_autoptr(JsonObject) object = json_object_new ();
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  json_object_set_string_member (object, "error", error_code);
  if (description != NULL)
    json_object_set_string_member (object, "error_description", description);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  demo_util_note_error (msg, error_code);
  demo_util_respond_json_object (msg, status, object);
}

void
demo_util_respond_text (SoupServerMessage *msg,
                        guint              status,
                        const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

void
demo_util_note_detail (SoupServerMessage *msg,
                       const char        *detail)
{
  g_object_set_data_full (G_OBJECT (msg), "demo-log-detail", g_strdup (detail), g_free);
}

void
demo_util_note_client (SoupServerMessage *msg,
                       const char        *client_id)
{
  g_object_set_data_full (G_OBJECT (msg), "demo-log-client", g_strdup (client_id), g_free);
}

void
demo_util_note_error (SoupServerMessage *msg,
                      const char        *error)
{
  if (g_object_get_data (G_OBJECT (msg), "demo-log-error") == NULL)
    g_object_set_data_full (G_OBJECT (msg), "demo-log-error", g_strdup (error), g_free);
}

const char *
demo_util_get_error (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "demo-log-error");
}

char *
demo_util_log_safe (const char *text,
                    gsize       max_length)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (MIN (strlen (text), max_length) + 4);
  for (p = text; *p != '\0' && out->len < max_length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (out, '?');
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

const char *
demo_util_get_detail (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "demo-log-detail");
}

const char *
demo_util_get_client (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "demo-log-client");
}
