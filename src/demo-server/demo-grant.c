/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "demo-grant.h"

G_DEFINE_BOXED_TYPE (DemoGrant, demo_grant, demo_grant_ref, demo_grant_unref)

static void
demo_grant_clear (DemoGrant *self)
{
  g_free (self->client_id);
  g_free (self->user);
  g_strfreev (self->scopes);
  g_free (self->resource);
  if (self->github_token != NULL)
    {
      explicit_bzero (self->github_token, strlen (self->github_token));
      g_free (self->github_token);
    }
}

DemoGrant *
demo_grant_new (const char         *client_id,
                const char         *user,
                const char * const *scopes,
                const char         *resource,
                const char         *github_token,
                gint64              expires_at,
                guint64             family)
{
  DemoGrant *self;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_atomic_rc_box_new0 (DemoGrant);
  self->client_id = g_strdup (client_id);
  self->user = g_strdup (user);
  self->scopes = scopes != NULL ? g_strdupv ((char **) scopes) : g_new0 (char *, 1);
  self->resource = g_strdup (resource);
  self->github_token = g_strdup (github_token);
  self->expires_at = expires_at;
  self->family = family;
  return self;
}

DemoGrant *
demo_grant_ref (DemoGrant *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
demo_grant_unref (DemoGrant *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) demo_grant_clear);
}

gboolean
demo_grant_has_scope (const DemoGrant *self,
                      const char      *scope)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->scopes, scope);
}

gboolean
demo_grant_is_expired (const DemoGrant *self,
                       gint64           now)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->expires_at != 0 && now >= self->expires_at;
}
