/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "demo-auth-server.h"
#include "demo-github.h"
#include "demo-mcp-server.h"
#include "demo-util.h"

/* tether-demo-server: the python-sdk simple-auth example (its GitHub version) rebuilt with
 * libsoup, runnable offline. One HTTP server on 127.0.0.1 is both the MCP server and its own
 * OAuth authorization server. This file is the front door: options, the listening socket,
 * request policy (Host, Origin, CORS, body size), routing and the one-line request log. */

#define MAX_REQUEST_BODY (16 * 1024 * 1024)

typedef struct
{
  DemoAuthServer *auth;
  DemoMcpServer  *mcp;
  guint           port;
} FrontDoor;

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
host_is_ours (const char *host,
              guint       port)
{
  g_autofree char *localhost = g_strdup_printf ("localhost:%u", port);
  g_autofree char *loopback = g_strdup_printf ("127.0.0.1:%u", port);

  return host != NULL
         && (g_ascii_strcasecmp (host, localhost) == 0 || g_str_equal (host, loopback));
}

/* Web pages on loopback origins (an inspector on another port) may call in; others may not
 * (the MCP specification asks servers to check Origin against DNS rebinding). */
static gboolean
origin_is_allowed (const char *origin)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (origin == NULL)
    return TRUE;
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  return host != NULL && (g_ascii_strcasecmp (host, "localhost") == 0
                          || g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
                          || g_str_equal (host, "[::1]"));
}

/* Runs after the headers, before the body: refuse early what will be refused anyway. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FrontDoor *front = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin = soup_message_headers_get_one (request, "Origin");

  if (!host_is_ours (soup_message_headers_get_one (request, "Host"), front->port))
    {
      soup_server_message_set_status (msg, 421, "Misdirected Request");
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Unexpected Host header\n", 23);
      return;
    }
  if (!origin_is_allowed (origin))
    {
      demo_util_respond_text (msg, SOUP_STATUS_FORBIDDEN, "Origin not allowed\n");
      return;
    }
  if (origin != NULL)
    {
      soup_message_headers_replace (response, "Access-Control-Allow-Origin", origin);
      soup_message_headers_replace (response, "Vary", "Origin");
      soup_message_headers_replace (response, "Access-Control-Expose-Headers",
                                    "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate");
    }
  if (g_str_equal (soup_server_message_get_method (msg), "OPTIONS"))
    {
      soup_message_headers_replace (response, "Access-Control-Allow-Methods",
                                    "GET, POST, DELETE, OPTIONS");
      soup_message_headers_replace (response, "Access-Control-Allow-Headers",
                                    "Authorization, Content-Type, Accept, Mcp-Session-Id, "
                                    "MCP-Protocol-Version, Last-Event-ID");
      soup_message_headers_replace (response, "Access-Control-Max-Age", "600");
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  if (soup_message_headers_get_encoding (request) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (request) > MAX_REQUEST_BODY)
    {
      demo_util_respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                              "Request body over 16 MiB\n");
      return;
    }
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FrontDoor *front = user_data;

  if (demo_mcp_server_handle_request (front->mcp, msg, path))
    return;
  if (demo_auth_server_handle_request (front->auth, msg, path))
    return;
  if (g_str_equal (path, "/"))
    {
      demo_util_respond_text (msg, SOUP_STATUS_OK,
                              "tether-demo-server: MCP at /mcp (Streamable HTTP) and /sse "
                              "(HTTP+SSE); OAuth metadata at "
                              "/.well-known/oauth-authorization-server\n");
      return;
    }
  demo_util_respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
}

static void
request_started (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "demo-start", start, g_free);
}

/* One line per request; never the query (codes, states) nor any header value. What the
 * client chose (JSON-RPC method and tool names) is made safe for one line. */
static void
log_request (SoupServerMessage *msg,
             gboolean           aborted)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), "demo-start");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = demo_util_log_safe (demo_util_get_detail (msg), 200);
  g_autofree char *error = demo_util_log_safe (demo_util_get_error (msg), 40);
  const char *client = demo_util_get_client (msg);
  double ms = start != NULL ? (g_get_monotonic_time () - *start) / 1000.0 : 0;
  g_autofree char *outcome = NULL;

  if (uri == NULL)
    return;  /* not even a request line */
  method = demo_util_log_safe (soup_server_message_get_method (msg), 20);
  path = demo_util_log_safe (g_uri_get_path (uri), 200);
  /* libsoup reports an aborted response as 500; the client hanging up is what happened. */
  outcome = aborted ? g_strdup ("closed-by-client")
                    : g_strdup_printf ("%u", soup_server_message_get_status (msg));
  g_printerr ("tether-demo-server: %s %s %s %.1fms%s%s%s%s%s%s\n",
              method, path, outcome, ms,
              detail != NULL ? " " : "", detail != NULL ? detail : "",
              error != NULL ? " error=" : "", error != NULL ? error : "",
              client != NULL ? " client=" : "", client != NULL ? client : "");
}

static void
request_finished (SoupServer        *server,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  log_request (msg, FALSE);
}

static void
request_aborted (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  log_request (msg, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(DemoGithub) github = NULL;
  g_autoptr(DemoAuthServer) auth = NULL;
  g_autoptr(DemoMcpServer) mcp = NULL;
  g_autofree char *host = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *callback_url = NULL;
  GSList *uris;
  guint sigint_source, sigterm_source;
  FrontDoor front = { 0 };
  gboolean auto_approve = FALSE;
  gboolean version = FALSE;
  int port = 8000;
  int token_ttl = 3600;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (default 8000; 0 picks a free one)", "PORT" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      "Host name in the issuer and resource URLs: localhost (default) or 127.0.0.1", "NAME" },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &token_ttl,
      "Access token lifetime in seconds (default 3600)", "SECONDS" },
    { "auto-approve", 0, 0, G_OPTION_ARG_NONE, &auto_approve,
      "Approve every authorization at once as user “demo” (no sign-in page)", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "An MCP server that is its own OAuth authorization server, as the python-sdk simple-auth\n"
    "example. Sign-in is offline (a consent page) unless " DEMO_GITHUB_ENV_CLIENT_ID " and\n"
    DEMO_GITHUB_ENV_CLIENT_SECRET " are set, which delegates it to GitHub.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tether-demo-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("tether-demo-server %s\n", VERSION);
      return 0;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("tether-demo-server: --port must be from 0 to 65535, got %d\n", port);
      return 2;
    }
  if (token_ttl < 1)
    {
      g_printerr ("tether-demo-server: --token-ttl must be at least 1 second, got %d\n",
                  token_ttl);
      return 2;
    }
  if (host == NULL)
    host = g_strdup ("localhost");
  if (!g_str_equal (host, "localhost") && !g_str_equal (host, "127.0.0.1"))
    {
      g_printerr ("tether-demo-server: --host must be “localhost” or “127.0.0.1”, got “%s” "
                  "(the server listens on 127.0.0.1 only)\n", host);
      return 2;
    }

  server = soup_server_new ("server-header", "tether-demo-server/" VERSION " ", NULL);
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("tether-demo-server: cannot listen on 127.0.0.1:%d: %s\n", port,
                  error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  front.port = (guint) (uris != NULL ? g_uri_get_port (uris->data) : port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  base_url = g_strdup_printf ("http://%s:%u", host, front.port);
  callback_url = g_strdup_printf ("%s/github/callback", base_url);
  github = demo_github_new_from_environment (callback_url);
  auth = demo_auth_server_new (base_url, token_ttl, auto_approve, github);
  mcp = demo_mcp_server_new (auth, github, base_url);
  front.auth = auth;
  front.mcp = mcp;

  soup_server_add_early_handler (server, NULL, early_handler, &front, NULL);
  soup_server_add_handler (server, NULL, handler, &front, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started), NULL);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_finished), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_aborted), NULL);

  /* Tests read this line to learn the port. */
  g_print ("Listening on http://127.0.0.1:%u\n", front.port);
  fflush (stdout);
  g_printerr ("tether-demo-server: issuer %s, MCP at %s/mcp and %s/sse; sign-in %s; "
              "access tokens live %d s\n", base_url, base_url, base_url,
              github != NULL ? "through GitHub"
                             : auto_approve ? "auto-approved as “demo”" : "on the consent page",
              token_ttl);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_source = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_source = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);

  demo_mcp_server_shutdown (mcp);
  soup_server_disconnect (server);
  return 0;
}
