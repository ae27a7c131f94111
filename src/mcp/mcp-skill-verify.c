/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-frontmatter.h"
#include "mcp-skill-verify.h"

/*
 * What a host checks before it uses a skill's files (SEP-2640, "Integrity and
 * verification"): the entry is well-formed, each file read has the size and SHA-256 digest
 * the entry lists, and SKILL.md's frontmatter is the entry's frontmatter. Nothing here does
 * I/O, so the rules can be tested on their own; mcp-client-skills.c does the reading.
 */

G_DEFINE_QUARK (mcp-skill-error-quark, mcp_skill_error)

#define DIGEST_PREFIX "sha256:"
#define SKILL_MD "SKILL.md"

/* How much of a value a message shows. */
#define MAX_SHOWN_VALUE 80

gboolean
mcp_skill_error_is_verification (const GError *error)
{
  return error != NULL && error->domain == MCP_SKILL_ERROR &&
         (error->code == MCP_SKILL_ERROR_SIZE_MISMATCH ||
          error->code == MCP_SKILL_ERROR_DIGEST_MISMATCH ||
          error->code == MCP_SKILL_ERROR_FRONTMATTER_INVALID ||
          error->code == MCP_SKILL_ERROR_FRONTMATTER_MISMATCH);
}

/* Entries */

static gboolean
is_digest (const char *digest)
{
  if (!g_str_has_prefix (digest, DIGEST_PREFIX) || strlen (digest) != strlen (DIGEST_PREFIX) + 64)
    return FALSE;
  for (const char *c = digest + strlen (DIGEST_PREFIX); *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(*c >= 'a' && *c <= 'f'))
      return FALSE;
  return TRUE;
}

/* A path below a directory: not empty, no empty, "." or ".." segment. */
static gboolean
is_relative_path (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    if (segments[i][0] == '\0' || g_str_equal (segments[i], ".") ||
        g_str_equal (segments[i], ".."))
      return FALSE;
  return path[0] != '\0';
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
node_description (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return "a string";
      if (type == G_TYPE_BOOLEAN)
        return "a boolean";
      return "a number";
    }
  return json_node_type_name (node);
}

static gboolean
validate_resource (const char  *skill_uri,
                   const char  *directory,
                   guint        index,
                   JsonNode    *node,
                   GHashTable  *seen,
                   GError     **error)
{
  JsonObject *resource;
  JsonNode *size;
  const char *uri;
  const char *digest;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected resources[%u] to be an object {uri, digest, size}, got %s",
                   skill_uri, index, node_description (node));
      return FALSE;
    }
  resource = json_node_get_object (node);
  uri = string_member (resource, "uri");
  if (uri == NULL || uri[0] == '\0')
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected resources[%u] to have a “uri” string, got %s", skill_uri,
                   index, node_description (json_object_get_member (resource, "uri")));
      return FALSE;
    }
  if (g_strcmp0 (uri, skill_uri) != 0 &&
      (!g_str_has_prefix (uri, directory) || !is_relative_path (uri + strlen (directory))))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected every resource inside the skill's directory %s, got %s",
                   skill_uri, directory, uri);
      return FALSE;
    }
  if (!g_hash_table_add (seen, (gpointer) uri))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected each file listed once in resources, got %s twice",
                   skill_uri, uri);
      return FALSE;
    }
  digest = string_member (resource, "digest");
  if (digest == NULL || !is_digest (digest))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected the digest of %s to be “sha256:” and 64 lowercase hex "
                   "digits, got %s%s%s", skill_uri, uri, digest != NULL ? "“" : "",
                   digest != NULL ? digest : node_description (json_object_get_member (resource,
                                                                                      "digest")),
                   digest != NULL ? "”" : "");
      return FALSE;
    }
  size = json_object_get_member (resource, "size");
  if (size == NULL || !JSON_NODE_HOLDS_VALUE (size) ||
      json_node_get_value_type (size) != G_TYPE_INT64 || json_node_get_int (size) < 0)
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected the size of %s to be a byte count (an integer ≥ 0), "
                   "got %s", skill_uri, uri, node_description (size));
      return FALSE;
    }
  return TRUE;
}

gboolean
mcp_skill_entry_validate (JsonObject  *entry,
                          GError     **error)
{
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *directory = NULL;
  JsonNode *frontmatter;
  JsonNode *resources;
  const char *uri;
  JsonArray *array;

  g_return_val_if_fail (entry != NULL, FALSE);

  uri = string_member (entry, "uri");
  if (uri == NULL || !g_str_has_suffix (uri, "/" SKILL_MD))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Expected a skill entry's “uri” to be the URI of its SKILL.md, got %s%s%s",
                   uri != NULL ? "“" : "",
                   uri != NULL ? uri : node_description (json_object_get_member (entry, "uri")),
                   uri != NULL ? "”" : "");
      return FALSE;
    }
  frontmatter = json_object_get_member (entry, "frontmatter");
  if (frontmatter == NULL || !JSON_NODE_HOLDS_OBJECT (frontmatter))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected “frontmatter” to be an object, got %s", uri,
                   node_description (frontmatter));
      return FALSE;
    }

  resources = json_object_get_member (entry, "resources");
  if (resources != NULL && g_strcmp0 (string_member (entry, "resources"), "dynamic") == 0)
    return TRUE;
  if (resources == NULL || !JSON_NODE_HOLDS_ARRAY (resources))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected “resources” to be an array of {uri, digest, size} or "
                   "“dynamic”, got %s", uri, node_description (resources));
      return FALSE;
    }

  directory = g_strndup (uri, strlen (uri) - strlen (SKILL_MD));
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  array = json_node_get_array (resources);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!validate_resource (uri, directory, i, json_array_get_element (array, i), seen, error))
      return FALSE;
  if (!g_hash_table_contains (seen, uri))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY,
                   "Skill %s: expected “resources” to list SKILL.md itself (its digest and "
                   "size), got %u other file%s", uri, json_array_get_length (array),
                   json_array_get_length (array) == 1 ? "" : "s");
      return FALSE;
    }
  return TRUE;
}

/* Files */

/* Strict standard base64 (RFC 4648 §4): g_base64_decode() skips what it does not know. */
static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize padding = 0;

  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < len - 2)
            return FALSE;
          padding++;
        }
      else if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
find_content (JsonObject  *read_result,
              const char  *uri,
              GError     **error)
{
  JsonNode *contents = json_object_get_member (read_result, "contents");
  JsonArray *array;
  guint n;

  if (contents == NULL || !JSON_NODE_HOLDS_ARRAY (contents))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_MISSING_CONTENT,
                   "%s: expected resources/read to return a “contents” array, got %s", uri,
                   node_description (contents));
      return NULL;
    }
  array = json_node_get_array (contents);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (item) &&
          g_strcmp0 (string_member (json_node_get_object (item), "uri"), uri) == 0)
        return json_node_get_object (item);
    }
  /* A single content item is the file, whatever URI spelling the server chose. */
  if (n == 1 && JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return json_array_get_object_element (array, 0);

  g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_MISSING_CONTENT,
               "%s: expected resources/read to return that file's content, got %u content "
               "item%s, none for that URI", uri, n, n == 1 ? "" : "s");
  return NULL;
}

static char *
shorten (const char *text)
{
  const char *end;

  if (strlen (text) <= MAX_SHOWN_VALUE)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + MAX_SHOWN_VALUE);
  return g_strdup_printf ("%.*s…", (int) (end != NULL ? end - text : 0), text);
}

JsonObject *
mcp_skill_file_from_read_result (const char  *uri,
                                 JsonObject  *read_result,
                                 GBytes     **bytes,
                                 GError     **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *digest = NULL;
  JsonObject *content;
  JsonObject *file;
  const char *text;
  const char *blob;
  const char *mime_type;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (read_result != NULL, NULL);

  content = find_content (read_result, uri, error);
  if (content == NULL)
    return NULL;
  text = string_member (content, "text");
  blob = string_member (content, "blob");
  if (text != NULL)
    data = g_bytes_new (text, strlen (text));
  else if (blob != NULL && is_base64 (blob))
    {
      gsize len = 0;
      guchar *decoded = g_base64_decode (blob, &len);

      data = g_bytes_new_take (decoded, len);
    }
  else
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_MISSING_CONTENT,
                   blob != NULL ? "%s: expected the content's “blob” to be base64, got other "
                                  "characters"
                                : "%s: expected the content to have a “text” or a “blob”, got "
                                  "neither", uri);
      return NULL;
    }
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  digest = g_strconcat (DIGEST_PREFIX, hex, NULL);

  file = json_object_new ();
  json_object_set_string_member (file, "uri", uri);
  mime_type = string_member (content, "mimeType");
  if (mime_type != NULL)
    json_object_set_string_member (file, "mimeType", mime_type);
  json_object_set_int_member (file, "size", (gint64) g_bytes_get_size (data));
  json_object_set_string_member (file, "digest", digest);
  if (text != NULL)
    json_object_set_string_member (file, "text", text);
  else
    json_object_set_string_member (file, "blob", blob);
  if (bytes != NULL)
    *bytes = g_steal_pointer (&data);
  return file;
}

JsonObject *
mcp_skill_verify_file (JsonObject  *resource,
                       JsonObject  *read_result,
                       GBytes     **bytes,
                       GError     **error)
{
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GBytes) data = NULL;
  const char *uri;
  const char *expected_digest;
  const char *digest;
  gint64 expected_size;
  gint64 size;

  g_return_val_if_fail (resource != NULL, NULL);
  g_return_val_if_fail (read_result != NULL, NULL);

  uri = string_member (resource, "uri");
  expected_digest = string_member (resource, "digest");
  g_return_val_if_fail (uri != NULL && expected_digest != NULL, NULL);
  expected_size = json_object_get_int_member_with_default (resource, "size", -1);

  file = mcp_skill_file_from_read_result (uri, read_result, &data, error);
  if (file == NULL)
    return NULL;

  /* Size first: a length that differs fails the file whatever its digest (SEP-2640). */
  size = json_object_get_int_member (file, "size");
  if (size != expected_size)
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_SIZE_MISMATCH,
                   "%s: the skill entry lists %" G_GINT64_FORMAT " bytes, the server sent %"
                   G_GINT64_FORMAT, uri, expected_size, size);
      return NULL;
    }
  digest = json_object_get_string_member (file, "digest");
  if (!g_str_equal (digest, expected_digest))
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_DIGEST_MISMATCH,
                   "%s: the skill entry lists digest %s, the content the server sent has %s",
                   uri, expected_digest, digest);
      return NULL;
    }

  if (bytes != NULL)
    *bytes = g_steal_pointer (&data);
  return g_steal_pointer (&file);
}

/* Frontmatter */

gboolean
mcp_skill_json_equal (JsonNode *a,
                      JsonNode *b)
{
  JsonNodeType type_a = a != NULL ? json_node_get_node_type (a) : JSON_NODE_NULL;
  JsonNodeType type_b = b != NULL ? json_node_get_node_type (b) : JSON_NODE_NULL;

  if (type_a != type_b)
    return FALSE;
  switch (type_a)
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object_a = json_node_get_object (a);
        JsonObject *object_b = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        if (json_object_get_size (object_a) != json_object_get_size (object_b))
          return FALSE;
        json_object_iter_init (&iter, object_a);
        while (json_object_iter_next (&iter, &name, &value))
          if (!json_object_has_member (object_b, name) ||
              !mcp_skill_json_equal (value, json_object_get_member (object_b, name)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array_a = json_node_get_array (a);
        JsonArray *array_b = json_node_get_array (b);
        guint n = json_array_get_length (array_a);

        if (n != json_array_get_length (array_b))
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!mcp_skill_json_equal (json_array_get_element (array_a, i),
                                     json_array_get_element (array_b, i)))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_VALUE:
    default:
      {
        GType value_a = json_node_get_value_type (a);
        GType value_b = json_node_get_value_type (b);
        gboolean number_a = value_a == G_TYPE_INT64 || value_a == G_TYPE_DOUBLE;
        gboolean number_b = value_b == G_TYPE_INT64 || value_b == G_TYPE_DOUBLE;

        if (value_a == G_TYPE_INT64 && value_b == G_TYPE_INT64)
          return json_node_get_int (a) == json_node_get_int (b);
        if (number_a && number_b)
          return json_node_get_double (a) == json_node_get_double (b);
        if (value_a != value_b)
          return FALSE;
        if (value_a == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        if (value_a == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return FALSE;
      }
    }
}

static char *
show_value (JsonNode *node)
{
  g_autofree char *json = NULL;

  if (node == NULL)
    return g_strdup ("no such field");
  json = json_to_string (node, FALSE);
  return shorten (json);
}

static void
note_field (GPtrArray  *differing,
            const char *name,
            JsonObject *file,
            JsonObject *entry)
{
  for (guint i = 0; i < differing->len; i++)
    if (g_str_equal (differing->pdata[i], name))
      return;
  if (!mcp_skill_json_equal (json_object_get_member (file, name),
                             json_object_get_member (entry, name)))
    g_ptr_array_add (differing, (gpointer) name);
}

gboolean
mcp_skill_verify_frontmatter (JsonObject  *expected,
                              const char  *text,
                              gssize       length,
                              const char  *uri,
                              GError     **error)
{
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) differing = g_ptr_array_new ();
  g_autofree char *file_value = NULL;
  g_autofree char *entry_value = NULL;
  g_autoptr(GList) file_names = NULL;
  g_autoptr(GList) entry_names = NULL;
  const char *first;

  g_return_val_if_fail (expected != NULL, FALSE);
  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  file = mcp_frontmatter_parse (text, length, NULL, &local_error);
  if (file == NULL)
    {
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_INVALID, "%s: %s", uri,
                   local_error->message);
      return FALSE;
    }

  /* In the order the fields are written: the file's, then any the entry adds. */
  file_names = json_object_get_members (file);
  entry_names = json_object_get_members (expected);
  for (GList *l = file_names; l != NULL; l = l->next)
    note_field (differing, l->data, file, expected);
  for (GList *l = entry_names; l != NULL; l = l->next)
    note_field (differing, l->data, file, expected);
  if (differing->len == 0)
    return TRUE;

  first = differing->pdata[0];
  file_value = show_value (json_object_get_member (file, first));
  entry_value = show_value (json_object_get_member (expected, first));
  if (differing->len == 1)
    g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_MISMATCH,
                 "%s: frontmatter field “%s” differs: the skill entry has %s, the file has %s",
                 uri, first, entry_value, file_value);
  else
    {
      g_autoptr(GString) others = g_string_new (NULL);

      for (guint i = 1; i < differing->len; i++)
        g_string_append_printf (others, "%s“%s”", i > 1 ? ", " : "",
                                (const char *) differing->pdata[i]);
      g_set_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_MISMATCH,
                   "%s: frontmatter field “%s” differs: the skill entry has %s, the file has "
                   "%s (and %s differ%s too)", uri, first, entry_value, file_value,
                   others->str, differing->len == 2 ? "s" : "");
    }
  return FALSE;
}
