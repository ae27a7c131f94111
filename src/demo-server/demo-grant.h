/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What an access token stands for: who signed in, through which client, with which scopes and
 * for which resource. Immutable and reference-counted; the fields are read-only. */
typedef struct _DemoGrant DemoGrant;

struct _DemoGrant
{
  char    *client_id;
  char    *user;          /* the signed-in person's login */
  char   **scopes;        /* never NULL */
  char    *resource;      /* RFC 8707 audience, or NULL when the client named none */
  char    *github_token;  /* the person's GitHub token in GitHub mode, else NULL */
  gint64   expires_at;    /* g_get_monotonic_time() units; 0 = never */
  guint64  family;        /* every token issued from one authorization shares this */
};

#define DEMO_TYPE_GRANT (demo_grant_get_type ())
GType      demo_grant_get_type     (void) G_GNUC_CONST;

DemoGrant *demo_grant_new          (const char         *client_id,
                                    const char         *user,
                                    const char * const *scopes,
                                    const char         *resource,
                                    const char         *github_token,
                                    gint64              expires_at,
                                    guint64             family);
DemoGrant *demo_grant_ref          (DemoGrant          *self);
void       demo_grant_unref        (DemoGrant          *self);
gboolean   demo_grant_has_scope    (const DemoGrant    *self,
                                    const char         *scope);
gboolean   demo_grant_is_expired   (const DemoGrant    *self,
                                    gint64              now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoGrant, demo_grant_unref)

G_END_DECLS
