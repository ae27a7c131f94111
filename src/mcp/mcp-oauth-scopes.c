/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuth: which scopes to ask for. */
#include "config.h"

#include "mcp-oauth.h"

static char *
join_scopes (const char * const *scopes)
{
  if (scopes == NULL || scopes[0] == NULL)
    return NULL;
  return g_strjoinv (" ", (char **) scopes);
}


static void
add_scopes (GPtrArray  *scopes,
            const char *list)
{
  g_auto(GStrv) parts = NULL;

  if (list == NULL)
    return;
  parts = g_strsplit_set (list, " \t", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      if (*parts[i] == '\0')
        continue;
      for (guint j = 0; j < scopes->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (scopes, j), parts[i]);
      if (!seen)
        g_ptr_array_add (scopes, g_strdup (parts[i]));
    }
}

char *
mcp_oauth_scope_union (const char *a,
                       const char *b)
{
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);

  add_scopes (scopes, a);
  add_scopes (scopes, b);
  if (scopes->len == 0)
    return NULL;
  g_ptr_array_add (scopes, NULL);
  return g_strjoinv (" ", (char **) scopes->pdata);
}

char *
mcp_oauth_choose_scope (const char         *challenge_scope,
                        const char * const *scopes_supported,
                        const char * const *as_scopes_supported)
{
  g_autofree char *base = NULL;

  if (challenge_scope != NULL && *challenge_scope != '\0')
    base = g_strdup (challenge_scope);
  else
    base = join_scopes (scopes_supported);
  /* Refresh tokens: ask for offline_access only where the authorization server offers it. */
  if (as_scopes_supported != NULL && g_strv_contains (as_scopes_supported, "offline_access"))
    return mcp_oauth_scope_union (base, "offline_access");
  return mcp_oauth_scope_union (base, NULL);
}
