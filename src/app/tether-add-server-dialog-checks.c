/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherAddServerDialog, continued: what counts as valid input. Each check returns NULL when
 * the text is fine, else a message for the person. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tether-add-server-dialog-private.h"

char *
tether_add_server_check_url (const char *text,
                             gboolean    https_only)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || strpbrk (text, " \t\r\n") != NULL)
    return g_strdup (https_only
                     ? _("Enter a full address, such as https://example.com/client.json")
                     : _("Enter a full address, such as https://example.com/mcp"));

  scheme = g_uri_get_scheme (uri);
  if (https_only && g_ascii_strcasecmp (scheme, "https") != 0)
    return g_strdup (_("The address must start with https://"));
  if (!https_only && g_ascii_strcasecmp (scheme, "http") != 0
      && g_ascii_strcasecmp (scheme, "https") != 0)
    return g_strdup (_("The address must start with http:// or https://"));
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup (_("The address has no host name"));
  if (https_only && (*g_uri_get_path (uri) == '\0' || g_str_equal (g_uri_get_path (uri), "/")))
    return g_strdup (_("The address must name a document, not just a host"));
  return NULL;
}

/* RFC 9110 token characters. */
static gboolean
is_token (const char *start,
          gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = start[i];

      if (!g_ascii_isalnum (c) && strchr ("!#$%&'*+-.^_`|~", c) == NULL)
        return FALSE;
    }
  return TRUE;
}

char *
tether_add_server_check_header (const char *line)
{
  const char *colon = strchr (line, ':');
  const char *v;

  if (colon == NULL)
    return g_strdup_printf (_("“%s” is not a header: write it as Name: value"), line);
  if (!is_token (line, colon - line))
    return g_strdup_printf (_("“%.*s” is not a valid header name: use letters, digits and "
                              "- only"),
                            (int) (colon - line), line);
  for (v = colon + 1; *v != '\0'; v++)
    if (((guchar) *v < 0x20 && *v != '\t') || *v == 0x7f)
      return g_strdup_printf (_("The value of “%.*s” contains a control character"),
                              (int) (colon - line), line);
  return NULL;
}

char *
tether_add_server_check_variable (const char *line)
{
  const char *equals = strchr (line, '=');

  if (equals == NULL || equals == line)
    return g_strdup_printf (_("“%s” is not a variable: write it as NAME=value"), line);
  if (!g_ascii_isalpha (line[0]) && line[0] != '_')
    return g_strdup_printf (_("“%.*s” is not a valid variable name: start it with a letter "
                              "or _"),
                            (int) (equals - line), line);
  for (const char *p = line; p < equals; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return g_strdup_printf (_("“%.*s” is not a valid variable name: use letters, digits "
                                "and _ only"),
                              (int) (equals - line), line);
  return NULL;
}

gboolean
tether_add_server_parse_arguments (const char  *text,
                                   GStrv       *argv,
                                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *argv = NULL;
  if (!g_shell_parse_argv (text, NULL, argv, &local_error))
    {
      if (g_error_matches (local_error, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
