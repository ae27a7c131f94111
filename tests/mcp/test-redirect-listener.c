/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-redirect-listener.h"

typedef struct
{
  guint  arrivals;
  char  *last_code;
} Arrivals;

static void
arrived_cb (McpRedirectListener *listener,
            SoupServerMessage   *msg,
            GHashTable          *query,
            Arrivals            *arrivals)
{
  arrivals->arrivals++;
  g_free (arrivals->last_code);
  arrivals->last_code = g_strdup (query != NULL ? g_hash_table_lookup (query, "code") : NULL);
  mcp_redirect_listener_answer (msg, SOUP_STATUS_OK, "Done <here>", "Close & return");
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* GETs @uri from a browser-like client; returns the status, the body in @body_out. */
static guint
visit (const char  *uri,
       char       **body_out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (body_out != NULL)
    *body_out = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

static void
test_arrival (void)
{
  g_autoptr(McpRedirectListener) listener = mcp_redirect_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *other = NULL;
  g_autofree char *page = NULL;
  Arrivals arrivals = { 0 };
  const char *redirect;

  g_signal_connect (listener, "arrived", G_CALLBACK (arrived_cb), &arrivals);
  g_assert_false (mcp_redirect_listener_is_listening (listener));
  g_assert_null (mcp_redirect_listener_get_redirect_uri (listener));

  redirect = mcp_redirect_listener_listen (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mcp_redirect_listener_get_port (listener), >, 0);
  uri = g_strdup_printf ("http://127.0.0.1:%u/callback", mcp_redirect_listener_get_port (listener));
  g_assert_cmpstr (redirect, ==, uri);

  /* Another path: 404, counted, not handed on. */
  other = g_strdup_printf ("http://127.0.0.1:%u/favicon.ico",
                           mcp_redirect_listener_get_port (listener));
  g_assert_cmpuint (visit (other, NULL), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (arrivals.arrivals, ==, 0);
  g_assert_cmpuint (mcp_redirect_listener_get_requests (listener), ==, 1);

  {
    g_autofree char *with_query = g_strconcat (uri, "?code=abc&state=xyz", NULL);

    g_assert_cmpuint (visit (with_query, &page), ==, SOUP_STATUS_OK);
  }
  g_assert_cmpuint (arrivals.arrivals, ==, 1);
  g_assert_cmpstr (arrivals.last_code, ==, "abc");
  g_assert_cmpuint (mcp_redirect_listener_get_requests (listener), ==, 2);
  /* The page is escaped HTML. */
  g_assert_nonnull (strstr (page, "<h1>Done &lt;here&gt;</h1>"));
  g_assert_nonnull (strstr (page, "Close &amp; return"));

  mcp_redirect_listener_stop (listener);
  g_assert_false (mcp_redirect_listener_is_listening (listener));
  g_assert_cmpuint (mcp_redirect_listener_get_port (listener), ==, 0);
  g_free (arrivals.last_code);
}

static void
test_registered_port (void)
{
  g_autoptr(McpRedirectListener) listener = mcp_redirect_listener_new ();
  g_autoptr(McpRedirectListener) squatter = mcp_redirect_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *registered = NULL;
  g_autofree char *note = NULL;
  guint port;

  g_assert_nonnull (mcp_redirect_listener_listen (listener, NULL, NULL, &error));
  g_assert_no_error (error);
  port = mcp_redirect_listener_get_port (listener);
  registered = g_strdup (mcp_redirect_listener_get_redirect_uri (listener));

  /* Listening already on a fitting port: nothing changes. */
  g_assert_cmpstr (mcp_redirect_listener_listen (listener, registered, NULL, &error), ==,
                   registered);
  g_assert_cmpstr (mcp_redirect_listener_listen (listener, "https://example.com/cb", NULL,
                                                 &error), ==, registered);

  /* Listening, but a redirect URI of ours on another (free) port was registered: moves there. */
  {
    g_autoptr(McpRedirectListener) other = mcp_redirect_listener_new ();
    g_autofree char *elsewhere = NULL;

    g_assert_nonnull (mcp_redirect_listener_listen (other, NULL, NULL, &error));
    elsewhere = g_strdup (mcp_redirect_listener_get_redirect_uri (other));
    mcp_redirect_listener_stop (other);
    g_assert_cmpstr (mcp_redirect_listener_listen (listener, elsewhere, NULL, &error), ==,
                     elsewhere);
    g_assert_no_error (error);
    g_assert_cmpuint (mcp_redirect_listener_get_port (listener), !=, port);
  }

  /* After a stop, the registered port is taken again when free. */
  mcp_redirect_listener_stop (listener);
  g_assert_cmpstr (mcp_redirect_listener_listen (listener, registered, &note, &error), ==,
                   registered);
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_cmpuint (mcp_redirect_listener_get_port (listener), ==, port);

  /* When someone else holds it, another port, and a note saying why. */
  mcp_redirect_listener_stop (listener);
  g_assert_nonnull (mcp_redirect_listener_listen (squatter, registered, NULL, &error));
  g_assert_cmpuint (mcp_redirect_listener_get_port (squatter), ==, port);
  g_assert_nonnull (mcp_redirect_listener_listen (listener, registered, &note, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mcp_redirect_listener_get_port (listener), !=, port);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "registered port"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mcp/redirect-listener/arrival", test_arrival);
  g_test_add_func ("/mcp/redirect-listener/registered-port", test_registered_port);
  return g_test_run ();
}
