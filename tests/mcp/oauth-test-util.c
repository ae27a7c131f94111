/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-headless-authorizer.h"

#include "oauth-test-util.h"

void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

guint
post_mcp (SoupSession  *session,
          McpOAuth     *oauth,
          const char   *url,
          const char   *token,
          char       ***www_authenticate)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;
  /* An initialize: the SDK example server answers it; the test server takes anything. */
  static const char request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_static (request, strlen (request)));
  if (token != NULL)
    {
      const char *scheme = oauth != NULL ? mcp_oauth_get_token_type (oauth) : "Bearer";
      g_autofree char *header = g_strconcat (scheme, " ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    header);
      if (g_strcmp0 (scheme, "DPoP") == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *proof = mcp_oauth_create_dpop_proof (oauth, SOUP_METHOD_POST, url,
                                                                &error);

          g_assert_no_error (error);
          soup_message_headers_replace (soup_message_get_request_headers (message), "DPoP",
                                        proof);
        }
    }
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, done_cb, &result);
  body = soup_session_send_and_read_finish (session, wait_for (&result), NULL);
  g_assert_nonnull (body);

  if (oauth != NULL)
    mcp_oauth_set_dpop_nonce (oauth, soup_message_headers_get_one (
      soup_message_get_response_headers (message), "DPoP-Nonce"));
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0)
      g_strv_builder_add (builder, value);
  if (www_authenticate != NULL)
    *www_authenticate = g_strv_builder_end (builder);
  return soup_message_get_status (message);
}

char *
get_access_token (McpOAuth *oauth)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  mcp_oauth_get_access_token_async (oauth, NULL, done_cb, &result);
  token = mcp_oauth_get_access_token_finish (oauth, wait_for (&result), &error);
  g_assert_no_error (error);
  return token;
}

/* Calls /mcp until it answers 200; returns the token that worked. */
char *
call_with_oauth (McpOAuth    *oauth,
                 const char  *url,
                 GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = get_access_token (oauth);

  for (guint attempt = 0;; attempt++)
    {
      g_auto(GStrv) challenge = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      guint status = post_mcp (session, oauth, url, token, &challenge);
      char *next;

      if (status == SOUP_STATUS_OK)
        return g_steal_pointer (&token);
      g_assert_true (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN);
      mcp_oauth_handle_challenge_async (oauth, status, (const char * const *) challenge, token,
                                        attempt, NULL, done_cb, &result);
      next = mcp_oauth_handle_challenge_finish (oauth, wait_for (&result), error);
      if (next == NULL)
        return NULL;
      g_free (token);
      token = next;
    }
}

McpOAuth *
new_oauth (TestAs        *as,
           McpTokenStore *store)
{
  g_autofree char *url = test_as_mcp_url (as);
  McpOAuth *oauth = mcp_oauth_new (url, NULL);
  g_autoptr(McpHeadlessAuthorizer) authorizer = mcp_headless_authorizer_new (NULL);

  mcp_oauth_set_authorizer (oauth, MCP_AUTHORIZER (authorizer));
  mcp_oauth_set_token_store (oauth, store);
  return oauth;
}

void
expect_failure (TestAs      *as,
                McpOAuth    *oauth,
                GQuark       domain,
                int          code,
                const char  *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = test_as_mcp_url (as);
  g_autofree char *token = call_with_oauth (oauth, url, &error);

  g_assert_null (token);
  g_assert_error (error, domain, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("Expected “%s” in the message “%s”", in_message, error->message);
  g_assert_false (mcp_oauth_get_authorized (oauth));
}
