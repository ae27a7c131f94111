/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mcp-oauth.h"

#include "oauth-test-server.h"

/*
 * Driving McpOAuth against a TestAs (oauth-test-server.h) as McpClient will: send, and on
 * 401/403 ask McpOAuth, then retry.
 */

G_BEGIN_DECLS

void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data);

/* Iterates the main context until *slot is set. */
GAsyncResult *
wait_for (GAsyncResult **slot);

guint
post_mcp (SoupSession  *session,
          McpOAuth     *oauth,
          const char   *url,
          const char   *token,
          char       ***www_authenticate);

char *
get_access_token (McpOAuth *oauth);

/* Calls /mcp until it answers 200; returns the token that worked. */
char *
call_with_oauth (McpOAuth    *oauth,
                 const char  *url,
                 GError     **error);

/* An McpOAuth for @as's /mcp with the headless authorizer and @store (may be NULL). */
McpOAuth *
new_oauth (TestAs        *as,
           McpTokenStore *store);

/* Signing in fails with @domain @code, @in_message (if not NULL) in the message. */
void
expect_failure (TestAs      *as,
                McpOAuth    *oauth,
                GQuark       domain,
                int          code,
                const char  *in_message);

G_END_DECLS
