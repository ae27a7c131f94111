/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "mcp-loopback-authorizer.h"
#include "mcp-oauth.h"

#include "oauth-test-util.h"

/* The loopback authorizer with a "browser" that is a script: it hands the URL to the test,
 * which then plays the browser (follows every redirect). */

static char *
wait_for_file (const char *path)
{
  char *contents = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_file_get_contents (path, &contents, NULL, NULL) || *contents == '\0')
    {
      g_clear_pointer (&contents, g_free);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return contents;
}

static void
browser_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);
  gboolean *done = user_data;

  g_assert_nonnull (body);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "Signed in"));
  *done = TRUE;
}

static void
test_loopback_authorizer (void)
{
  g_autoptr(TestAs) as = test_as_new ();
  g_autofree char *url = test_as_mcp_url (as);
  g_autoptr(McpOAuth) oauth = mcp_oauth_new (url, NULL);
  g_autoptr(McpLoopbackAuthorizer) authorizer = mcp_loopback_authorizer_new ();
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(SoupMessage) visit = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tether-browser-XXXXXX", &error);
  g_autofree char *script = g_build_filename (dir, "browser", NULL);
  g_autofree char *out = g_build_filename (dir, "opened", NULL);
  g_autofree char *script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s'\n", out);
  g_autofree char *browser_env = g_strdup_printf ("/nonexistent/browser %%s:%s", script);
  g_autofree char *opened = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expected_redirect = NULL;
  gboolean visited = FALSE;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_setenv ("BROWSER", browser_env, TRUE);
  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));

  mcp_oauth_authorize_async (oauth, NULL, NULL, done_cb, &result);
  opened = wait_for_file (out);
  g_assert_true (g_str_has_prefix (opened, as->base));
  expected_redirect = g_strdup_printf ("http://127.0.0.1:%u/callback",
                                       mcp_loopback_authorizer_get_port (authorizer));
  g_assert_cmpuint (mcp_loopback_authorizer_get_port (authorizer), >, 0);

  visit = soup_message_new (SOUP_METHOD_GET, opened);
  soup_session_send_and_read_async (browser, visit, G_PRIORITY_DEFAULT, NULL, browser_done_cb,
                                    &visited);
  token = mcp_oauth_authorize_finish (oauth, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  while (!visited)
    g_main_context_iteration (NULL, TRUE);

  /* The registration carries the loopback redirect URI the browser came back to. */
  g_assert_cmpuint (as->registrations, ==, 1);
  g_assert_cmpuint (as->token_requests, ==, 1);
  g_assert_nonnull (strstr (opened, "redirect_uri="));
  {
    g_autofree char *escaped = g_uri_escape_string (expected_redirect, NULL, FALSE);

    g_assert_nonnull (strstr (opened, escaped));
  }

  g_unsetenv ("BROWSER");
  g_unlink (out);
  g_unlink (script);
  g_rmdir (dir);
}

static void
test_loopback_authorizer_cancel (void)
{
  g_autoptr(McpLoopbackAuthorizer) authorizer = mcp_loopback_authorizer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *again = NULL;
  g_autofree char *reached = NULL;
  guint port;

  mcp_loopback_authorizer_set_open_browser (authorizer, FALSE);
  redirect = mcp_authorizer_prepare (MCP_AUTHORIZER (authorizer), NULL, &error);
  g_assert_no_error (error);
  port = mcp_loopback_authorizer_get_port (authorizer);
  /* Asked for the same registered URI again, it keeps the port. */
  again = mcp_authorizer_prepare (MCP_AUTHORIZER (authorizer), redirect, &error);
  g_assert_cmpstr (again, ==, redirect);
  g_assert_cmpuint (mcp_loopback_authorizer_get_port (authorizer), ==, port);

  mcp_authorizer_authorize_async (MCP_AUTHORIZER (authorizer), "http://127.0.0.1:9/authorize",
                                  redirect, cancellable, done_cb, &result);
  g_cancellable_cancel (cancellable);
  reached = mcp_authorizer_authorize_finish (MCP_AUTHORIZER (authorizer), wait_for (&result),
                                             &error);
  g_assert_null (reached);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/oauth/loopback-authorizer-opens-browser-and-catches-redirect",
                   test_loopback_authorizer);
  g_test_add_func ("/mcp/oauth/loopback-authorizer-cancel", test_loopback_authorizer_cancel);

  return g_test_run ();
}
