/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <libsoup/soup.h>
#include <string.h>

#include "mcp-oauth.h"
#include "mcp-token-exchange.h"

#define SUBJECT_TOKEN "eyJhbGciOiJFUzI1NiJ9.person-id-token.signature"
#define IDP_SECRET    "idp:s3cret"
#define ID_JAG        "eyJ0eXAiOiJvYXV0aC1pZC1qYWcrand0In0.id-jag.signature"

/* An identity provider's token endpoint on loopback that records what it was sent. */
typedef struct
{
  SoupServer *server;
  char       *base;
  char       *endpoint;
  guint       status;
  char       *answer;
  guint       requests;
  GHashTable *form;           /* the last request's fields */
  char       *authorization;  /* its Authorization header */
  char       *content_type;
} Idp;

static void
idp_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Idp *idp = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *text = g_strndup (body->data, body->length);

  if (!g_str_equal (path, "/token") || g_strcmp0 (soup_server_message_get_method (msg), "POST"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  idp->requests++;
  g_clear_pointer (&idp->form, g_hash_table_unref);
  idp->form = soup_form_decode (text);
  g_free (idp->authorization);
  idp->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (idp->content_type);
  idp->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  soup_server_message_set_status (msg, idp->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, idp->answer,
                                    strlen (idp->answer));
}

static Idp *
idp_new (void)
{
  Idp *idp = g_new0 (Idp, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  idp->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (idp->server, NULL, idp_handler, idp, NULL);
  soup_server_listen_local (idp->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (idp->server);
  idp->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  idp->endpoint = g_strconcat (idp->base, "/token", NULL);
  idp->status = SOUP_STATUS_OK;
  idp->answer = g_strdup ("{\"access_token\":\"" ID_JAG "\",\"issued_token_type\":"
                          "\"urn:ietf:params:oauth:token-type:id-jag\",\"token_type\":\"N_A\"}");
  return idp;
}

static void
idp_free (Idp *idp)
{
  soup_server_disconnect (idp->server);
  g_object_unref (idp->server);
  g_free (idp->base);
  g_free (idp->endpoint);
  g_free (idp->answer);
  g_clear_pointer (&idp->form, g_hash_table_unref);
  g_free (idp->authorization);
  g_free (idp->content_type);
  g_free (idp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Idp, idp_free)

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
exchange (McpTokenExchange  *exchange,
          const char        *audience,
          const char        *resource,
          const char        *scope,
          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  mcp_token_exchange_request_async (exchange, audience, resource, scope, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return mcp_token_exchange_request_finish (exchange, result, error);
}

static void
assert_field (GHashTable *form,
              const char *name,
              const char *expected)
{
  g_assert_nonnull (form);
  g_assert_cmpstr (g_hash_table_lookup (form, name), ==, expected);
}

static void
test_form_carries_rfc8693_fields (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  mcp_token_exchange_set_client_credentials (te, "idp-client", NULL);
  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", "https://mcp.example.com/mcp", "read write",
                    &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, ID_JAG);
  g_assert_cmpuint (idp->requests, ==, 1);
  g_assert_cmpstr (idp->content_type, ==, "application/x-www-form-urlencoded");
  assert_field (idp->form, "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
  assert_field (idp->form, "subject_token", SUBJECT_TOKEN);
  assert_field (idp->form, "subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
  assert_field (idp->form, "requested_token_type", "urn:ietf:params:oauth:token-type:id-jag");
  assert_field (idp->form, "audience", "https://as.example.com");
  assert_field (idp->form, "resource", "https://mcp.example.com/mcp");
  assert_field (idp->form, "scope", "read write");
  assert_field (idp->form, "client_id", "idp-client");
  g_assert_null (idp->authorization);
}

static void
test_optional_fields_left_out (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, ID_JAG);
  g_assert_false (g_hash_table_contains (idp->form, "resource"));
  g_assert_false (g_hash_table_contains (idp->form, "scope"));
  g_assert_false (g_hash_table_contains (idp->form, "client_id"));
}

static void
test_secret_goes_in_basic_auth (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  /* RFC 6749 §2.3.1: "idp-client" ":" form-encoded "idp:s3cret", base64. */
  g_autofree char *expected = g_strconcat ("Basic ", "aWRwLWNsaWVudDppZHAlM0FzM2NyZXQ=", NULL);

  mcp_token_exchange_set_client_credentials (te, "idp-client", IDP_SECRET);
  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (idp->authorization, ==, expected);
  g_assert_false (g_hash_table_contains (idp->form, "client_secret"));
  g_assert_false (g_hash_table_contains (idp->form, "client_id"));
}

static void
assert_no_secrets (const char *message)
{
  g_assert_null (strstr (message, SUBJECT_TOKEN));
  g_assert_null (strstr (message, "person-id-token"));
  g_assert_null (strstr (message, IDP_SECRET));
  g_assert_null (strstr (message, ID_JAG));
}

static void
test_error_names_idp_answer_without_secrets (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  idp->status = SOUP_STATUS_BAD_REQUEST;
  g_free (idp->answer);
  idp->answer = g_strdup ("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid ID "
                          "token\"}");
  mcp_token_exchange_set_client_credentials (te, "idp-client", IDP_SECRET);
  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_nonnull (strstr (error->message, "Invalid ID token"));
  g_assert_nonnull (strstr (error->message, idp->endpoint));
  g_assert_nonnull (strstr (error->message, "400"));
  assert_no_secrets (error->message);
}

static void
test_wrong_issued_token_type_is_refused (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_free (idp->answer);
  idp->answer = g_strdup ("{\"access_token\":\"" ID_JAG "\",\"issued_token_type\":"
                          "\"urn:ietf:params:oauth:token-type:access_token\","
                          "\"token_type\":\"Bearer\"}");
  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "urn:ietf:params:oauth:token-type:id-jag"));
  g_assert_nonnull (strstr (error->message, "urn:ietf:params:oauth:token-type:access_token"));
  assert_no_secrets (error->message);

  /* RFC 8693 §2.2.1 requires issued_token_type: an answer without it is no ID-JAG either. */
  g_clear_error (&error);
  g_free (idp->answer);
  idp->answer = g_strdup ("{\"access_token\":\"" ID_JAG "\",\"token_type\":\"N_A\"}");
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED);
  assert_no_secrets (error->message);
}

static void
test_insecure_endpoint_is_refused (void)
{
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new ("http://idp.example.com/token", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  mcp_token_exchange_set_subject_token (te, SUBJECT_TOKEN, NULL);
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "http://idp.example.com/token"));
}

static void
test_without_subject_token_fails (void)
{
  g_autoptr(Idp) idp = idp_new ();
  g_autoptr(McpTokenExchange) te = mcp_token_exchange_new (idp->endpoint, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_false (mcp_token_exchange_has_subject_token (te));
  token = exchange (te, "https://as.example.com", NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY);
  g_assert_cmpuint (idp->requests, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/token-exchange/form-carries-the-rfc8693-fields",
                   test_form_carries_rfc8693_fields);
  g_test_add_func ("/mcp/token-exchange/optional-fields-are-left-out",
                   test_optional_fields_left_out);
  g_test_add_func ("/mcp/token-exchange/client-secret-goes-in-basic-auth-not-the-form",
                   test_secret_goes_in_basic_auth);
  g_test_add_func ("/mcp/token-exchange/error-names-the-idp-answer-without-secrets",
                   test_error_names_idp_answer_without_secrets);
  g_test_add_func ("/mcp/token-exchange/other-issued-token-type-is-refused",
                   test_wrong_issued_token_type_is_refused);
  g_test_add_func ("/mcp/token-exchange/insecure-endpoint-is-refused",
                   test_insecure_endpoint_is_refused);
  g_test_add_func ("/mcp/token-exchange/without-subject-token-nothing-is-sent",
                   test_without_subject_token_fails);

  return g_test_run ();
}
