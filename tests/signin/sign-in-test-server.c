/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The authorization server of the sign-in tests: see sign-in-test-server.h. */
#include "config.h"

#include <string.h>

#include "sign-in-test-server.h"

/* Made for these tests only (openssl req -x509, EC P-256, CN and SAN 127.0.0.1, 100 years):
 * trusted by nobody, which is the point. */
static const char untrusted_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkTCCATagAwIBAgIUZsUbW0ZX1zAEq0YsrOMhCmSdX1QwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjA0MzU1N1oYDzIxMjYxMTAy\n"
  "MDQzNTU3WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAARf/utlGhogPJqHgCGYN2riFYKDdCiIP8yrch1JRNjxZJpFbNJeiW3E\n"
  "BVnA0S07NkVmQAWgxjf6FMabMtr2sG22o2QwYjAdBgNVHQ4EFgQUZ7YHRkmMVHNl\n"
  "BpRlJHt6ZYNJBXcwHwYDVR0jBBgwFoAUZ7YHRkmMVHNlBpRlJHt6ZYNJBXcwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\n"
  "IQCazuvEavzbH6TpRMPuZlG4p8Vu8Ctj3v5oWyK3FAjmgAIhALjS2nxqrR92r/k/\n"
  "9IBA3DbPj0ct7xSGcw1BE1lrafee\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8NXo++6r1mV5RZoq\n"
  "Jr4+m4nGO2hudWbQJm45rMyAY1WhRANCAARf/utlGhogPJqHgCGYN2riFYKDdCiI\n"
  "P8yrch1JRNjxZJpFbNJeiW3EBVnA0S07NkVmQAWgxjf6FMabMtr2sG22\n"
  "-----END PRIVATE KEY-----\n";

static char *
answer_location (AuthServer *as,
                 const char *redirect_uri,
                 const char *state,
                 gboolean    approved)
{
  g_autofree char *iss = g_uri_escape_string (as->base, NULL, FALSE);
  g_autofree char *escaped_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);

  if (approved)
    return g_strdup_printf ("%s?code=" CODE "&state=%s&iss=%s", redirect_uri, escaped_state,
                            iss);
  return g_strdup_printf ("%s?error=access_denied&error_description=The%%20person%%20declined"
                          "&state=%s&iss=%s", redirect_uri, escaped_state, iss);
}

static void
redirect_to (SoupServerMessage *msg,
             const char        *location)
{
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                location);
}

static void
authorize_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  AuthServer *as = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *cookie = soup_message_headers_get_one (request_headers, "Cookie");
  const char *agent = soup_message_headers_get_one (request_headers, "User-Agent");
  const char *redirect_uri = query != NULL ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  g_autofree char *escaped_redirect = NULL;
  g_autofree char *escaped_state = NULL;
  g_autofree char *query_redirect = NULL;
  g_autofree char *query_state = NULL;
  char *page;

  as->authorize_requests++;
  as->cookie_seen = cookie != NULL && strstr (cookie, "tether_test_login=yes") != NULL;
  if (redirect_uri == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  if (as->mode == AS_IMMEDIATE
      || (agent != NULL && g_str_has_prefix (agent, TEST_BROWSER_USER_AGENT)))
    {
      g_autofree char *location = answer_location (as, redirect_uri, state, TRUE);

      redirect_to (msg, location);
      return;
    }

  escaped_redirect = g_markup_escape_text (redirect_uri, -1);
  escaped_state = g_markup_escape_text (state != NULL ? state : "", -1);
  query_redirect = g_uri_escape_string (redirect_uri, NULL, FALSE);
  query_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);
  page = g_strdup_printf (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Test sign-in</title></head>"
    "<body style=\"font-family: sans-serif; margin: 2em\">"
    "<h1>Authorize Tether?</h1>"
    "<p>The test authorization server asks whether Tether may use your account.</p>"
    "<form method=\"post\" action=\"/approve\">"
    "<input type=\"hidden\" name=\"redirect_uri\" value=\"%s\">"
    "<input type=\"hidden\" name=\"state\" value=\"%s\">"
    "<button id=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> "
    "<button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"
    "</form>"
    "<p><a id=\"new-window\" target=\"_blank\" "
    "href=\"/approve?decision=approve&amp;redirect_uri=%s&amp;state=%s\">"
    "Approve in a new window</a></p>"
    "</body></html>", escaped_redirect, escaped_state, query_redirect, query_state);
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                               "tether_test_login=yes; Max-Age=3600; Path=/");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page,
                                    strlen (page));
}

static void
approve_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AuthServer *as = user_data;
  g_autoptr(GHashTable) form = NULL;
  GHashTable *fields = query;
  const char *redirect_uri, *decision;
  g_autofree char *location = NULL;

  as->approve_requests++;
  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      form = soup_form_decode (text);
      fields = form;
    }
  redirect_uri = fields != NULL ? g_hash_table_lookup (fields, "redirect_uri") : NULL;
  decision = fields != NULL ? g_hash_table_lookup (fields, "decision") : NULL;
  if (redirect_uri == NULL || decision == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  location = answer_location (as, redirect_uri, g_hash_table_lookup (fields, "state"),
                              g_str_equal (decision, "approve"));
  redirect_to (msg, location);
}

/* Serves on 127.0.0.1:@port (0: the kernel picks), over TLS with the untrusted certificate
 * when @tls. */
void
auth_server_start (AuthServer *as,
                   AsMode      mode,
                   guint       port,
                   gboolean    tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GTlsCertificate) certificate = NULL;
  GSList *uris;

  memset (as, 0, sizeof *as);
  as->mode = mode;
  if (tls)
    {
      certificate = g_tls_certificate_new_from_pem (untrusted_pem, -1, &error);
      g_assert_no_error (error);
    }
  as->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (as->server, "/authorize", authorize_handler, as, NULL);
  soup_server_add_handler (as->server, "/approve", approve_handler, as, NULL);
  soup_server_listen (as->server, address, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (as->server);
  g_assert_nonnull (uris);
  as->base = g_strdup_printf ("%s://127.0.0.1:%d", tls ? "https" : "http",
                              g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

void
auth_server_stop (AuthServer *as)
{
  if (as->server != NULL)
    soup_server_disconnect (as->server);
  g_clear_object (&as->server);
  g_clear_pointer (&as->base, g_free);
}

char *
authorization_url (AuthServer *as,
                   const char *redirect_uri)
{
  g_autofree char *escaped = g_uri_escape_string (redirect_uri, NULL, FALSE);

  return g_strdup_printf ("%s/authorize?response_type=code&client_id=test-client"
                          "&redirect_uri=%s&state=" STATE "&code_challenge=abcdefgh"
                          "&code_challenge_method=S256", as->base, escaped);
}
