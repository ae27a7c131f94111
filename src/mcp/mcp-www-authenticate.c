/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-www-authenticate.h"

typedef struct
{
  char       *scheme;
  char       *token68;
  GHashTable *params; /* lower-case name -> unquoted value */
} Challenge;

struct _McpWwwAuthenticate
{
  GObject    parent_instance;
  GPtrArray *challenges;
};

G_DEFINE_FINAL_TYPE (McpWwwAuthenticate, mcp_www_authenticate, G_TYPE_OBJECT)

G_DEFINE_QUARK (mcp-www-authenticate-error-quark, mcp_www_authenticate_error)

static void
challenge_free (gpointer data)
{
  Challenge *c = data;

  g_free (c->scheme);
  g_free (c->token68);
  g_hash_table_unref (c->params);
  g_free (c);
}

static Challenge *
challenge_new (const char *scheme,
               gsize       len)
{
  Challenge *c = g_new0 (Challenge, 1);

  c->scheme = g_strndup (scheme, len);
  c->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return c;
}

static void
mcp_www_authenticate_finalize (GObject *object)
{
  McpWwwAuthenticate *self = MCP_WWW_AUTHENTICATE (object);

  g_ptr_array_unref (self->challenges);
  G_OBJECT_CLASS (mcp_www_authenticate_parent_class)->finalize (object);
}

static void
mcp_www_authenticate_class_init (McpWwwAuthenticateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_www_authenticate_finalize;
}

static void
mcp_www_authenticate_init (McpWwwAuthenticate *self)
{
  self->challenges = g_ptr_array_new_with_free_func (challenge_free);
}

/* RFC 9110 §5.6.2 */
static gboolean
is_tchar (char ch)
{
  return g_ascii_isalnum (ch) || (ch != '\0' && strchr ("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* RFC 9110 §11.2 */
static gboolean
is_token68_char (char ch)
{
  return g_ascii_isalnum (ch) || (ch != '\0' && strchr ("-._~+/", ch) != NULL);
}

static gsize
skip_ows (const char *s,
          gsize       p)
{
  while (s[p] == ' ' || s[p] == '\t')
    p++;
  return p;
}

static gsize
token_end (const char *s,
           gsize       p)
{
  while (is_tchar (s[p]))
    p++;
  return p;
}

/* A token68 at @p running to the end of the element (a comma or the end). */
static gboolean
match_token68 (const char *s,
               gsize       p,
               gsize      *end)
{
  gsize q = p;

  while (is_token68_char (s[q]))
    q++;
  if (q == p)
    return FALSE;
  while (s[q] == '=')
    q++;
  *end = q;
  q = skip_ows (s, q);
  return s[q] == '\0' || s[q] == ',';
}

/* Does an auth-param (token BWS "=") start at @p? */
static gboolean
looks_like_param (const char *s,
                  gsize       p)
{
  gsize q = token_end (s, p);

  if (q == p)
    return FALSE;
  q = skip_ows (s, q);
  return s[q] == '=';
}

static char *
describe_char (char ch)
{
  if (ch == '\0')
    return g_strdup ("the end of the header");
  if (g_ascii_isprint (ch))
    return g_strdup_printf ("“%c”", ch);
  return g_strdup_printf ("byte 0x%02x", (guint) (guchar) ch);
}

static gboolean
syntax_error (GError    **error,
              const char *s,
              gsize       p,
              const char *expected)
{
  g_autofree char *got = describe_char (s[p]);

  g_set_error (error, MCP_WWW_AUTHENTICATE_ERROR, MCP_WWW_AUTHENTICATE_ERROR_SYNTAX,
               "Malformed WWW-Authenticate header: expected %s at offset %" G_GSIZE_FORMAT
               ", got %s", expected, p, got);
  return FALSE;
}

static gboolean
parse_quoted (const char  *s,
              gsize       *p,
              char       **value,
              GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize q = *p + 1; /* past the opening quote */

  for (;;)
    {
      char ch = s[q];

      if (ch == '\0')
        return syntax_error (error, s, q, "a closing quote");
      if (ch == '"')
        break;
      if (ch == '\\')
        {
          q++;
          if (s[q] == '\0')
            return syntax_error (error, s, q, "an escaped character after “\\”");
          ch = s[q];
        }
      else if ((guchar) ch < 0x20 && ch != '\t')
        return syntax_error (error, s, q, "a quoted-string character");
      g_string_append_c (out, ch);
      q++;
    }

  *p = q + 1;
  *value = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

static gboolean
parse_params (const char  *s,
              gsize       *pp,
              Challenge   *c,
              GError     **error)
{
  gsize p = *pp;

  for (;;)
    {
      gsize name_end = token_end (s, p);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (name_end == p)
        return syntax_error (error, s, p, "a parameter name");
      name = g_ascii_strdown (s + p, name_end - p);
      p = skip_ows (s, name_end);
      if (s[p] != '=')
        return syntax_error (error, s, p, "“=” after a parameter name");
      p = skip_ows (s, p + 1);
      if (s[p] == '"')
        {
          if (!parse_quoted (s, &p, &value, error))
            return FALSE;
        }
      else
        {
          gsize value_end = token_end (s, p);

          if (value_end == p)
            return syntax_error (error, s, p, "a parameter value (token or quoted string)");
          value = g_strndup (s + p, value_end - p);
          p = value_end;
        }

      /* RFC 9110: a parameter name occurs once per challenge; keep the first. */
      if (!g_hash_table_contains (c->params, name))
        g_hash_table_insert (c->params, g_steal_pointer (&name), g_steal_pointer (&value));

      p = skip_ows (s, p);
      if (s[p] == '\0')
        break;
      if (s[p] != ',')
        return syntax_error (error, s, p, "“,” or the end after a parameter");

      /* Skip the comma(s); another parameter, or the next challenge? */
      {
        gsize q = p;

        while (s[q] == ',' || s[q] == ' ' || s[q] == '\t')
          q++;
        if (!looks_like_param (s, q))
          break; /* the caller sees the comma and starts a new challenge */
        p = q;
      }
    }

  *pp = p;
  return TRUE;
}

static gboolean
parse_one (McpWwwAuthenticate  *self,
           const char          *s,
           GError             **error)
{
  gsize p = 0;

  for (;;)
    {
      gsize scheme_end;
      Challenge *c;

      /* Empty list elements are allowed (RFC 9110 §5.6.1). */
      while (s[p] == ',' || s[p] == ' ' || s[p] == '\t')
        p++;
      if (s[p] == '\0')
        return TRUE;

      scheme_end = token_end (s, p);
      if (scheme_end == p)
        return syntax_error (error, s, p, "an authentication scheme");
      c = challenge_new (s + p, scheme_end - p);
      g_ptr_array_add (self->challenges, c);
      p = scheme_end;

      if (s[p] == ' ' || s[p] == '\t')
        {
          gsize end;

          p = skip_ows (s, p);
          if (s[p] == '\0' || s[p] == ',')
            continue;
          /* token68 wins when the whole element has its shape ("abc==") */
          if (match_token68 (s, p, &end))
            {
              c->token68 = g_strndup (s + p, end - p);
              p = skip_ows (s, end);
              continue;
            }
          if (!parse_params (s, &p, c, error))
            return FALSE;
        }
      else if (s[p] != '\0' && s[p] != ',')
        return syntax_error (error, s, p, "a space or “,” after the scheme");
    }
}

McpWwwAuthenticate *
mcp_www_authenticate_parse (const char * const  *header_values,
                            GError             **error)
{
  g_autoptr(McpWwwAuthenticate) self = NULL;

  g_return_val_if_fail (header_values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MCP_TYPE_WWW_AUTHENTICATE, NULL);
  for (guint i = 0; header_values[i] != NULL; i++)
    {
      if (!parse_one (self, header_values[i], error))
        return NULL;
    }

  if (self->challenges->len == 0)
    {
      g_set_error (error, MCP_WWW_AUTHENTICATE_ERROR, MCP_WWW_AUTHENTICATE_ERROR_SYNTAX,
                   "Malformed WWW-Authenticate header: expected at least one challenge, "
                   "got an empty value");
      return NULL;
    }

  return g_steal_pointer (&self);
}

McpWwwAuthenticate *
mcp_www_authenticate_parse_string (const char  *header_value,
                                   GError     **error)
{
  const char *values[] = { header_value, NULL };

  g_return_val_if_fail (header_value != NULL, NULL);
  return mcp_www_authenticate_parse (values, error);
}

static Challenge *
get_challenge (McpWwwAuthenticate *self,
               guint               index)
{
  g_return_val_if_fail (MCP_IS_WWW_AUTHENTICATE (self), NULL);
  g_return_val_if_fail (index < self->challenges->len, NULL);
  return g_ptr_array_index (self->challenges, index);
}

guint
mcp_www_authenticate_get_n_challenges (McpWwwAuthenticate *self)
{
  g_return_val_if_fail (MCP_IS_WWW_AUTHENTICATE (self), 0);
  return self->challenges->len;
}

const char *
mcp_www_authenticate_get_scheme (McpWwwAuthenticate *self,
                                 guint               index)
{
  Challenge *c = get_challenge (self, index);

  return c ? c->scheme : NULL;
}

const char *
mcp_www_authenticate_get_param (McpWwwAuthenticate *self,
                                guint               index,
                                const char         *name)
{
  Challenge *c = get_challenge (self, index);
  g_autofree char *lower = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  if (c == NULL)
    return NULL;
  lower = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (c->params, lower);
}

const char *
mcp_www_authenticate_get_token68 (McpWwwAuthenticate *self,
                                  guint               index)
{
  Challenge *c = get_challenge (self, index);

  return c ? c->token68 : NULL;
}

int
mcp_www_authenticate_find_scheme (McpWwwAuthenticate *self,
                                  const char         *scheme)
{
  g_return_val_if_fail (MCP_IS_WWW_AUTHENTICATE (self), -1);
  g_return_val_if_fail (scheme != NULL, -1);

  for (guint i = 0; i < self->challenges->len; i++)
    {
      Challenge *c = g_ptr_array_index (self->challenges, i);

      if (g_ascii_strcasecmp (c->scheme, scheme) == 0)
        return (int) i;
    }
  return -1;
}

const char *
mcp_www_authenticate_get_bearer_param (McpWwwAuthenticate *self,
                                       const char         *name)
{
  int index = mcp_www_authenticate_find_scheme (self, "Bearer");

  if (index < 0)
    return NULL;
  return mcp_www_authenticate_get_param (self, (guint) index, name);
}
