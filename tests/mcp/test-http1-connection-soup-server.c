/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of McpHttp1Connection (src/mcp/mcp-http1-connection.c and mcp-http1-body-stream.c)
 * against a SoupServer in the same process: plain and chunked answers, a 401 with its
 * challenges, https with an untrusted certificate, and McpHttpTransport's fast path
 * answering a redirect. */

#include "config.h"

#include <string.h>

#include "http1-test-util.h"

/* ------------------------------------------------------------------------------------------ */
/* Against SoupServer                                                                         */

static void
soup_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);

  soup_message_headers_replace (response_headers, "DPoP-Nonce", "nonce-1");
  if (g_strcmp0 (path, "/chunked") == 0)
    {
      SoupMessageBody *response_body = soup_server_message_get_response_body (msg);

      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response_headers, "application/json", NULL);
      soup_message_body_append (response_body, SOUP_MEMORY_COPY, "[", 1);
      soup_message_body_append_bytes (response_body, body);
      soup_message_body_append (response_body, SOUP_MEMORY_COPY, "]", 1);
      soup_message_body_complete (response_body);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  if (g_strcmp0 (path, "/denied") == 0)
    {
      soup_message_headers_append (response_headers, "WWW-Authenticate", "Bearer error=\"x\"");
      soup_message_headers_append (response_headers, "WWW-Authenticate", "DPoP algs=\"ES256\"");
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, "Who Are You");
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
count_got_headers (SoupMessage *msg,
                   gpointer     user_data)
{
  (*(guint *) user_data)++;
}

static void
test_soup_server (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(McpHttp1Connection) conn = NULL;
  g_autoslist(GUri) uris = NULL;
  Result r = { 0 };

  soup_server_add_handler (server, NULL, soup_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_ref (uris->data);
  uri = g_uri_parse_relative (base, "/plain", SOUP_HTTP_URI_FLAGS, NULL);
  conn = mcp_http1_connection_new (uri);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", uri);
      g_autoptr(GBytes) body = g_bytes_new_static ("{\"echo\":true}", 13);
      guint got_headers = 0;

      g_signal_connect (msg, "got-headers", G_CALLBACK (count_got_headers), &got_headers);
      r.done = FALSE;
      mcp_http1_connection_send_async (conn, msg, body, "application/json", NULL, on_sent, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      assert_body (&r, "{\"echo\":true}");
      g_assert_cmpuint (got_headers, ==, 1);
      g_assert_true (mcp_http_has_content_type (msg, "application/json"));
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "DPoP-Nonce"), ==, "nonce-1");
      result_clear (&r);
    }

  {
    g_autoptr(GUri) chunked = g_uri_parse_relative (base, "/chunked", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(SoupMessage) msg = request (conn, "POST", chunked, "{\"x\":2}", &r);

    assert_body (&r, "[{\"x\":2}]");
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (msg)),
                     ==, SOUP_ENCODING_CHUNKED);
    result_clear (&r);
  }
  {
    g_autoptr(GUri) denied = g_uri_parse_relative (base, "/denied", SOUP_HTTP_URI_FLAGS, NULL);
    g_autoptr(SoupMessage) msg = request (conn, "POST", denied, "{}", &r);
    g_auto(GStrv) challenges = mcp_http_collect_www_authenticate (msg);
    g_autoptr(GError) status_error = NULL;

    g_assert_no_error (r.error);
    g_assert_cmpuint (r.status, ==, 401);
    g_assert_cmpstr (r.reason, ==, "Who Are You");
    g_assert_cmpuint (g_strv_length (challenges), ==, 2);
    g_assert_cmpstr (challenges[0], ==, "Bearer error=\"x\"");
    g_assert_cmpstr (challenges[1], ==, "DPoP algs=\"ES256\"");
    status_error = mcp_http_status_error_for (r.status, r.reason, "POST", "u", NULL);
    g_assert_error (status_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_UNAUTHORIZED);
    result_clear (&r);
  }

  soup_server_disconnect (server);
}

/* ------------------------------------------------------------------------------------------ */
/* https                                                                                      */

/* A self-signed certificate for 127.0.0.1 (valid for a hundred years), made for this test. */
static const char test_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkDCCATagAwIBAgIUW6Glcory0G7FbF4Ler/x4jMkY54wCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjA4MjEyMVoYDzIxMjYxMTAy\n"
  "MDgyMTIxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQzihqIsuL+lAHau7vGNK49n/iUhT65EHwsPRmPleIUM8ptgNNQD9nQ\n"
  "jXS5a7wWJUP1OtTJoFbcXgqzUtV5xe5yo2QwYjAdBgNVHQ4EFgQUzu7YCzt3s7gW\n"
  "2Qg5ahAiM//VWkswHwYDVR0jBBgwFoAUzu7YCzt3s7gW2Qg5ahAiM//VWkswDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
  "IQCyhPvsdt2e8dhj9FW1OTJ21ombTHUQA9yD7yY3EGhfagIgNk3gcTZS7I7+kxrV\n"
  "MqNDWAV7yGDxuD+jHa68nsAi144=\n"
  "-----END CERTIFICATE-----\n";
static const char test_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgErKAeBbGjyLTnycI\n"
  "hbT+v3Lgaze6zHUnIwD/4Jq/akehRANCAAQzihqIsuL+lAHau7vGNK49n/iUhT65\n"
  "EHwsPRmPleIUM8ptgNNQD9nQjXS5a7wWJUP1OtTJoFbcXgqzUtV5xe5y\n"
  "-----END PRIVATE KEY-----\n";

static void
count_requests (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  (*(guint *) user_data)++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static void
test_https_untrusted (void)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(McpHttp1Connection) conn = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *pem = g_strconcat (test_cert_pem, test_key_pem, NULL);
  guint n_requests = 0;
  Result r = { 0 };

  cert = g_tls_certificate_new_from_pem (pem, -1, &error);
  if (cert == NULL)
    {
      g_test_skip ("No TLS backend");
      return;
    }
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, count_requests, &n_requests, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = g_uri_ref (uris->data);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  conn = mcp_http1_connection_new (uri);

  /* the certificate is nobody's: the default database must refuse it, and nothing is sent */
  msg = request (conn, "POST", uri, "{}", &r);
  g_assert_error (r.error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_cmpuint (n_requests, ==, 0);
  result_clear (&r);
  soup_server_disconnect (server);
}

/* ------------------------------------------------------------------------------------------ */
/* In McpHttpTransport                                                                        */

typedef struct {
  guint n_mcp;      /* POSTs to /mcp */
  guint n_real;     /* POSTs to /real */
} RedirectCounts;

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RedirectCounts *counts = user_data;
  const char *answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}";

  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (g_strcmp0 (path, "/mcp") == 0)
    {
      counts->n_mcp++;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", "/real");
      soup_server_message_set_status (msg, SOUP_STATUS_TEMPORARY_REDIRECT, NULL);
      return;
    }
  counts->n_real++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                    strlen (answer));
}

typedef struct {
  gboolean  done;
  GError   *error;
  guint     n_messages;
} SendResult;

static void
on_transport_message (McpTransport *transport,
                      McpMessage   *message,
                      gpointer      user_data)
{
  ((SendResult *) user_data)->n_messages++;
}

static void
on_transport_opened (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SendResult *sr = user_data;

  mcp_transport_open_finish (MCP_TRANSPORT (source), result, &sr->error);
  sr->done = TRUE;
}

static void
on_transport_sent (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SendResult *sr = user_data;

  mcp_transport_send_finish (MCP_TRANSPORT (source), result, &sr->error);
  sr->done = TRUE;
}

/* Sends one request through @transport; returns the error. */
static GError *
transport_round_trip (McpHttpTransport *transport)
{
  g_autoptr(McpMessage) message = mcp_message_new_request_int (1, "ping", NULL);
  SendResult sr = { 0 };

  mcp_transport_open_async (MCP_TRANSPORT (transport), NULL, on_transport_opened, &sr);
  while (!sr.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sr.error);

  sr.done = FALSE;
  mcp_transport_send_async (MCP_TRANSPORT (transport), message, NULL, on_transport_sent, &sr);
  while (!sr.done)
    g_main_context_iteration (NULL, TRUE);
  return sr.error;
}

static void
test_transport_redirect (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *real_url = NULL;
  RedirectCounts counts = { 0 };
  McpHttpTransport *transports[3];

  soup_server_add_handler (server, NULL, redirect_handler, &counts, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/mcp", g_uri_get_port (uris->data));
  real_url = g_strdup_printf ("http://127.0.0.1:%d/real", g_uri_get_port (uris->data));

  /* The fast path and libsoup (a session of the caller's) answer a 307 to a POST alike: an
   * error, the POST not sent again. */
  transports[0] = mcp_http_transport_new (url);
  transports[1] = mcp_http_transport_new_with_session (url, session);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) send_error = NULL;

      counts.n_mcp = counts.n_real = 0;
      send_error = transport_round_trip (transports[i]);
      g_assert_error (send_error, MCP_TRANSPORT_ERROR, MCP_TRANSPORT_ERROR_HTTP_STATUS);
      g_assert_nonnull (strstr (send_error->message, "HTTP 307 Temporary Redirect from POST"));
      g_assert_cmpuint (counts.n_mcp, ==, 1);
      g_assert_cmpuint (counts.n_real, ==, 0);
      g_object_unref (transports[i]);
    }

  /* and the answer of a plain POST arrives as a message */
  transports[2] = mcp_http_transport_new (real_url);
  {
    SendResult sr = { 0 };
    g_autoptr(GError) send_error = NULL;

    g_signal_connect (transports[2], "message", G_CALLBACK (on_transport_message), &sr);
    send_error = transport_round_trip (transports[2]);
    g_assert_no_error (send_error);
    g_assert_cmpuint (sr.n_messages, ==, 1);
    g_assert_cmpuint (counts.n_real, ==, 1);
    g_signal_handlers_disconnect_by_data (transports[2], &sr);
  }
  g_object_unref (transports[2]);
  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http1-connection/soup-server", test_soup_server);
  g_test_add_func ("/http1-connection/https-untrusted", test_https_untrusted);
  g_test_add_func ("/http1-connection/transport-redirect", test_transport_redirect);

  return g_test_run ();
}
