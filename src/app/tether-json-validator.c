/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks a tool's structuredContent against its outputSchema. The result view runs it in a
 * worker thread, so it keeps to GLib and json-glib, and it has to survive any schema a server
 * sends: unknown keywords pass, broken ones are reported as TETHER_JSON_VALIDATOR_ERROR_SCHEMA,
 * and recursion is bounded so a $ref cycle ends in an error rather than a crash. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tether-json-validator-private.h"

/* How deep schema evaluation may nest (subschemas and $ref hops together). Instances from
 * the network are at most 256 levels deep; a schema that needs more than this is looping. */
#define MAX_DEPTH 512

G_DEFINE_QUARK (tether-json-validator-error-quark, tether_json_validator_error)

/* ---- Errors ------------------------------------------------------------------------------ */

gboolean
tether_json_validator_mismatch (Validator   *v,
                                GError     **error,
                                const char  *format,
                                ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* The path leads the message so that a person reads where before what. */
  g_set_error (error, TETHER_JSON_VALIDATOR_ERROR, TETHER_JSON_VALIDATOR_ERROR_MISMATCH,
               "%s: %s", v->path->str, problem);
  return FALSE;
}

gboolean
tether_json_validator_schema_problem (GError     **error,
                                      const char  *format,
                                      ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, TETHER_JSON_VALIDATOR_ERROR, TETHER_JSON_VALIDATOR_ERROR_SCHEMA,
                       problem);
  return FALSE;
}

gboolean
tether_json_validator_is_schema_problem (const GError *error)
{
  return g_error_matches (error, TETHER_JSON_VALIDATOR_ERROR,
                          TETHER_JSON_VALIDATOR_ERROR_SCHEMA);
}

/* ---- Paths ------------------------------------------------------------------------------- */

gsize
tether_json_validator_push_member (Validator  *v,
                                   const char *name)
{
  gsize saved = v->path->len;
  gboolean plain = g_ascii_isalpha (name[0]) || name[0] == '_' || name[0] == '$';

  for (const char *p = name; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || *p == '_' || *p == '$';

  if (plain)
    {
      g_string_append_printf (v->path, ".%s", name);
    }
  else
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), name);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *quoted = NULL;

      json_generator_set_root (generator, node);
      quoted = json_generator_to_data (generator, NULL);
      g_string_append_printf (v->path, "[%s]", quoted);
    }
  return saved;
}

gsize
tether_json_validator_push_index (Validator *v,
                                  guint      index)
{
  gsize saved = v->path->len;

  g_string_append_printf (v->path, "[%u]", index);
  return saved;
}

void
tether_json_validator_pop (Validator *v,
                           gsize      saved)
{
  g_string_truncate (v->path, saved);
}

/* ---- $ref -------------------------------------------------------------------------------- */

static char *
unescape_pointer_token (const char *token)
{
  g_autofree char *decoded = g_uri_unescape_string (token, NULL);
  GString *out;

  if (decoded == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = decoded; *p != '\0'; p++)
    {
      if (p[0] == '~' && (p[1] == '0' || p[1] == '1'))
        {
          g_string_append_c (out, p[1] == '0' ? '~' : '/');
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static JsonNode *
resolve_ref (Validator   *v,
             const char  *ref,
             GError     **error)
{
  g_auto(GStrv) tokens = NULL;
  JsonNode *node = v->root;

  if (ref[0] != '#')
    {
      tether_json_validator_schema_problem (error,
                                            _("$ref “%s” points outside the schema; only "
                                              "references within it (“#/…”) are supported"), ref);
      return NULL;
    }
  if (ref[1] == '\0')
    return v->root;
  if (ref[1] != '/')
    {
      tether_json_validator_schema_problem (error, _("$ref “%s” is not a JSON pointer (“#/…”)"),
                                            ref);
      return NULL;
    }

  tokens = g_strsplit (ref + 2, "/", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *token = unescape_pointer_token (tokens[i]);

      if (token != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), token))
        {
          node = json_object_get_member (json_node_get_object (node), token);
        }
      else if (token != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          guint64 index;

          if (!g_ascii_string_to_unsigned (token, 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (json_node_get_array (node)))
            node = NULL;
          else
            node = json_array_get_element (json_node_get_array (node), index);
        }
      else
        {
          node = NULL;
        }

      if (node == NULL)
        {
          tether_json_validator_schema_problem (error, _("$ref “%s” names nothing in the schema"),
                                                ref);
          return NULL;
        }
    }
  return node;
}

/* The length of the path that leads a mismatch message ("$.a[\"b: c\"][2]: ..."), read
 * back the way tether_json_validator_push_member() and _push_index() wrote it. */
static gsize
tether_json_validator_path_length (const GError *error)
{
  const char *p = error->message;

  if (*p != '$')
    return 0;
  p++;
  for (;;)
    {
      if (*p == '.')
        {
          p++;
          while (g_ascii_isalnum (*p) || *p == '_' || *p == '$')
            p++;
        }
      else if (p[0] == '[' && p[1] == '"')
        {
          p += 2;
          while (*p != '\0' && *p != '"')
            p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
          if (p[0] != '"' || p[1] != ']')
            break;
          p += 2;
        }
      else if (*p == '[')
        {
          p++;
          while (g_ascii_isdigit (*p))
            p++;
          if (*p != ']')
            break;
          p++;
        }
      else
        {
          break;
        }
    }
  return p - error->message;
}

static gboolean
check_combinators (Validator  *v,
                   JsonObject *schema,
                   JsonNode   *instance,
                   GError    **error)
{
  JsonNode *keyword;

  if ((keyword = json_object_get_member (schema, "allOf")) != NULL)
    {
      JsonArray *branches;

      if (!JSON_NODE_HOLDS_ARRAY (keyword))
        return tether_json_validator_schema_problem (error, _("“allOf” is not an array"));
      branches = json_node_get_array (keyword);
      for (guint i = 0; i < json_array_get_length (branches); i++)
        if (!tether_json_validator_check (v, json_array_get_element (branches, i), instance, error))
          return FALSE;
    }

  for (guint k = 0; k < 2; k++)
    {
      const char *combinator = k == 0 ? "anyOf" : "oneOf";
      g_autoptr(GError) best_error = NULL;
      JsonArray *branches;
      guint n, matches = 0, first_match = 0, second_match = 0;

      if ((keyword = json_object_get_member (schema, combinator)) == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (keyword))
        return tether_json_validator_schema_problem (error, _("“%s” is not an array"), combinator);
      branches = json_node_get_array (keyword);
      n = json_array_get_length (branches);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) local_error = NULL;

          if (tether_json_validator_check (v, json_array_get_element (branches, i), instance,
                                           &local_error))
            {
              if (matches == 0)
                first_match = i;
              else if (matches == 1)
                second_match = i;
              matches++;
              if (k == 0)
                break;
              continue;
            }
          if (tether_json_validator_is_schema_problem (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (best_error == NULL ||
              tether_json_validator_path_length (local_error) >
              tether_json_validator_path_length (best_error))
            {
              g_clear_error (&best_error);
              best_error = g_steal_pointer (&local_error);
            }
        }

      if (matches == 0)
        {
          if (best_error != NULL && tether_json_validator_path_length (best_error) > v->path->len)
            {
              g_propagate_error (error, g_steal_pointer (&best_error));
              return FALSE;
            }
          if (best_error != NULL && n == 1)
            {
              g_propagate_error (error, g_steal_pointer (&best_error));
              return FALSE;
            }
          return tether_json_validator_mismatch (v, error,
                                                 _("matches none of the %u alternatives in “%s”"),
                                                 n, combinator);
        }
      if (k == 1 && matches > 1)
        return tether_json_validator_mismatch (v, error,
                                               _("matches alternatives %u and %u in “oneOf”, "
                                                 "expected exactly one"), first_match + 1,
                                               second_match + 1);
    }

  if ((keyword = json_object_get_member (schema, "not")) != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (tether_json_validator_check (v, keyword, instance, &local_error))
        return tether_json_validator_mismatch (v, error, _("matches the schema under “not”"));
      if (tether_json_validator_is_schema_problem (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if ((keyword = json_object_get_member (schema, "if")) != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean condition = tether_json_validator_check (v, keyword, instance, &local_error);
      JsonNode *branch;

      if (tether_json_validator_is_schema_problem (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      branch = json_object_get_member (schema, condition ? "then" : "else");
      if (branch != NULL && !tether_json_validator_check (v, branch, instance, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tether_json_validator_check (Validator  *v,
                             JsonNode   *schema,
                             JsonNode   *instance,
                             GError    **error)
{
  JsonObject *object;
  JsonNode *keyword;
  gboolean ok = FALSE;

  if (tether_json_value_is_boolean (schema))
    {
      if (json_node_get_boolean (schema))
        return TRUE;
      return tether_json_validator_mismatch (v, error,
                                             _("no value is allowed here (the schema is false)"));
    }
  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return tether_json_validator_schema_problem (error,
                                                 _("a schema at %s is neither an object nor a "
                                                   "boolean"), v->path->str);

  if (v->depth >= MAX_DEPTH)
    return tether_json_validator_schema_problem (error,
                                                 _("the schema nests deeper than %u levels at %s; "
                                                   "is a $ref referring to itself?"), MAX_DEPTH,
                                                 v->path->str);
  v->depth++;

  object = json_node_get_object (schema);

  if ((keyword = json_object_get_member (object, "$ref")) != NULL)
    {
      JsonNode *target;

      if (!tether_json_value_is_string (keyword))
        {
          tether_json_validator_schema_problem (error, _("“$ref” is not a string"));
          goto out;
        }
      target = resolve_ref (v, json_node_get_string (keyword), error);
      if (target == NULL || !tether_json_validator_check (v, target, instance, error))
        goto out;
    }

  if ((keyword = json_object_get_member (object, "type")) != NULL &&
      !tether_json_validator_check_type (v, keyword, instance, error))
    goto out;
  if ((keyword = json_object_get_member (object, "const")) != NULL &&
      !tether_json_value_equal (keyword, instance))
    {
      g_autofree char *expected = tether_json_value_quote (keyword);
      g_autofree char *got = tether_json_value_quote (instance);

      tether_json_validator_mismatch (v, error, _("expected %s, got %s"), expected, got);
      goto out;
    }
  if ((keyword = json_object_get_member (object, "enum")) != NULL &&
      !tether_json_validator_check_enum (v, keyword, instance, error))
    goto out;

  if (!tether_json_validator_check_number (v, object, instance, error) ||
      !tether_json_validator_check_string (v, object, instance, error) ||
      !tether_json_validator_check_array (v, object, instance, error) ||
      !tether_json_validator_check_object (v, object, instance, error) ||
      !check_combinators (v, object, instance, error))
    goto out;

  ok = TRUE;

out:
  v->depth--;
  return ok;
}

gboolean
tether_json_validator_validate (JsonNode  *schema,
                                JsonNode  *instance,
                                char     **problem_path,
                                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  Validator v = { 0 };
  gboolean ok;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  v.root = schema;
  v.regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_regex_unref);
  v.path = g_string_new ("$");

  ok = tether_json_validator_check (&v, schema, instance, &local_error);

  if (!ok && problem_path != NULL)
    {
      if (local_error->code == TETHER_JSON_VALIDATOR_ERROR_MISMATCH)
        *problem_path = g_strndup (local_error->message,
                                   tether_json_validator_path_length (local_error));
      else
        *problem_path = NULL;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  g_hash_table_unref (v.regexes);
  g_string_free (v.path, TRUE);
  return ok;
}
