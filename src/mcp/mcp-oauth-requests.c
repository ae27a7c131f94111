/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Requests to the authorization server: the token endpoint and dynamic client registration. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"

#define CLIENT_ASSERTION_TYPE "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

typedef struct
{
  SoupSession *session;
  char        *endpoint;
  char        *issuer;
  char        *client_id;
  char        *client_secret;
  char        *auth_method;
  McpJwt      *assertion_key;
  McpDpop     *dpop;
  char        *grant;
  char        *form;
  gboolean     nonce_retried;
} TokenRequest;

typedef struct
{
  McpOAuthTokens *tokens;
  char           *dpop_nonce;
} TokenResult;

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
token_request_free (gpointer data)
{
  TokenRequest *request = data;

  g_clear_object (&request->session);
  g_free (request->endpoint);
  g_free (request->issuer);
  g_free (request->client_id);
  free_secret (request->client_secret);
  g_free (request->auth_method);
  g_clear_object (&request->assertion_key);
  g_clear_object (&request->dpop);
  g_free (request->grant);
  free_secret (request->form);
  g_free (request);
}

static void
token_result_free (gpointer data)
{
  TokenResult *result = data;

  mcp_oauth_tokens_free (result->tokens);
  g_free (result->dpop_nonce);
  g_free (result);
}

/* RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and encoded. */
static char *
basic_authorization (const char *client_id,
                     const char *client_secret)
{
  g_autofree char *id = g_uri_escape_string (client_id, NULL, FALSE);
  g_autofree char *secret = g_uri_escape_string (client_secret, NULL, FALSE);
  g_autofree char *joined = g_strconcat (id, ":", secret, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) joined, strlen (joined));
  char *header = g_strconcat ("Basic ", encoded, NULL);

  explicit_bzero (secret, strlen (secret));
  explicit_bzero (joined, strlen (joined));
  explicit_bzero (encoded, strlen (encoded));
  return header;
}

static void token_request_send (GTask *task);

static void
token_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenRequest *request = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  SoupMessageHeaders *headers;
  const char *nonce;
  TokenResult *answer;
  McpOAuthTokens *tokens;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                                 "Could not reach the token endpoint %s: %s",
                                 request->endpoint, error->message);
      return;
    }

  /* mcp_dpop_apply() has taken a new nonce already; this one decides about a retry. */
  headers = soup_message_get_response_headers (message);
  nonce = soup_message_headers_get_one (headers, "DPoP-Nonce");

  tokens = mcp_oauth_tokens_parse_response (soup_message_get_status (message),
                                            soup_message_headers_get_content_type (headers, NULL),
                                            body, g_get_real_time () / G_USEC_PER_SEC,
                                            request->endpoint, request->grant, &error);
  if (tokens == NULL)
    {
      /* RFC 9449 §8: the server wants a nonce in the proof; try once more with it. */
      if (request->dpop != NULL && nonce != NULL && !request->nonce_retried
          && soup_message_get_status (message) == SOUP_STATUS_BAD_REQUEST
          && strstr (error->message, "use_dpop_nonce") != NULL)
        {
          request->nonce_retried = TRUE;
          token_request_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* RFC 9449 §5: a DPoP token is bound to the key that signed the proof. */
  if (g_ascii_strcasecmp (tokens->token_type, "DPoP") == 0)
    {
      if (request->dpop == NULL)
        {
          mcp_oauth_tokens_free (tokens);
          g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                                   "Expected a Bearer token from %s for a request without a "
                                   "DPoP proof, got a DPoP-bound one", request->endpoint);
          return;
        }
      tokens->dpop = g_object_ref (request->dpop);
    }

  answer = g_new0 (TokenResult, 1);
  answer->tokens = tokens;
  if (request->dpop != NULL)
    answer->dpop_nonce = g_strdup (mcp_dpop_get_nonce (request->dpop,
                                                       MCP_DPOP_SERVER_AUTHORIZATION,
                                                       request->endpoint));
  g_task_return_pointer (task, answer, token_result_free);
}

static void
token_request_send (GTask *task)
{
  TokenRequest *request = g_task_get_task_data (task);
  g_autoptr(GString) body = g_string_new (request->form);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *method = request->auth_method != NULL ? request->auth_method : "none";
  gboolean basic = FALSE;

  if (g_str_equal (method, "client_secret_basic") && request->client_secret != NULL)
    basic = TRUE;
  else if (g_str_equal (method, "private_key_jwt") && request->assertion_key != NULL)
    {
      g_autofree char *assertion =
        mcp_jwt_create_client_assertion (request->assertion_key, request->client_id,
                                         request->issuer, &error);

      if (assertion == NULL)
        {
          g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                                   "Could not sign the client assertion for %s: %s",
                                   request->endpoint, error->message);
          g_object_unref (task);
          return;
        }
      mcp_oauth_form_append (body, "client_id", request->client_id);
      mcp_oauth_form_append (body, "client_assertion_type", CLIENT_ASSERTION_TYPE);
      mcp_oauth_form_append (body, "client_assertion", assertion);
    }
  else
    {
      /* The JWT bearer grant may go without a client (RFC 7523 §3.1). */
      if (request->client_id != NULL)
        mcp_oauth_form_append (body, "client_id", request->client_id);
      if (g_str_equal (method, "client_secret_post") && request->client_secret != NULL)
        mcp_oauth_form_append (body, "client_secret", request->client_secret);
    }

  message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, request->endpoint,
                                                g_strndup (body->str, body->len));
  explicit_bzero (body->str, body->len);
  if (message == NULL)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                               "Expected an http(s) token endpoint, got “%s”", request->endpoint);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (basic)
    {
      g_autofree char *authorization = basic_authorization (request->client_id,
                                                            request->client_secret);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));
    }
  /* A fresh proof for each attempt, with the server's latest nonce. */
  if (request->dpop != NULL && !mcp_dpop_apply (request->dpop, message, NULL, &error))
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                               "Could not sign the DPoP proof for %s: %s",
                               request->endpoint, error->message);
      g_object_unref (task);
      return;
    }

  soup_session_send_and_read_async (request->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), token_request_cb, task);
}

void
mcp_oauth_token_request_async (SoupSession          *session,
                               const char           *endpoint,
                               const char           *issuer,
                               const McpOAuthClient *client,
                               McpJwt               *assertion_key,
                               McpDpop              *dpop,
                               const char           *grant,
                               const char           *form,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  TokenRequest *request;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (endpoint != NULL && client != NULL && grant != NULL && form != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_oauth_token_request_async);

  request = g_new0 (TokenRequest, 1);
  request->session = g_object_ref (session);
  request->endpoint = g_strdup (endpoint);
  request->issuer = g_strdup (issuer);
  request->client_id = g_strdup (client->client_id);
  request->client_secret = g_strdup (client->client_secret);
  request->auth_method = g_strdup (client->auth_method);
  request->assertion_key = assertion_key != NULL ? g_object_ref (assertion_key) : NULL;
  request->dpop = dpop != NULL ? g_object_ref (dpop) : NULL;
  request->grant = g_strdup (grant);
  request->form = g_strdup (form);
  g_task_set_task_data (task, request, token_request_free);

  token_request_send (g_steal_pointer (&task));
}

McpOAuthTokens *
mcp_oauth_token_request_finish (GAsyncResult  *result,
                                char         **dpop_nonce,
                                GError       **error)
{
  TokenResult *answer;
  McpOAuthTokens *tokens;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (dpop_nonce != NULL)
    *dpop_nonce = NULL;
  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;
  tokens = g_steal_pointer (&answer->tokens);
  if (dpop_nonce != NULL)
    *dpop_nonce = g_steal_pointer (&answer->dpop_nonce);
  token_result_free (answer);
  return tokens;
}

/* Dynamic Client Registration */

typedef struct
{
  char *endpoint;
  char *issuer;
} Registration;

static void
registration_free (gpointer data)
{
  Registration *registration = data;

  g_free (registration->endpoint);
  g_free (registration->issuer);
  g_free (registration);
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Registration *registration = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  McpOAuthClient *client;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_REGISTRATION_FAILED,
                                 "Could not reach the registration endpoint %s: %s",
                                 registration->endpoint, error->message);
      return;
    }
  client = mcp_oauth_client_parse_registration (soup_message_get_status (message), body,
                                                registration->endpoint, registration->issuer,
                                                &error);
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, (GDestroyNotify) mcp_oauth_client_free);
}

void
mcp_oauth_register_async (SoupSession         *session,
                          const char          *endpoint,
                          const char          *issuer,
                          const char          *redirect_uri,
                          const char          *scope,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Registration *registration;
  char *text;
  gsize length = 0;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (endpoint != NULL && redirect_uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_oauth_register_async);
  registration = g_new0 (Registration, 1);
  registration->endpoint = g_strdup (endpoint);
  registration->issuer = g_strdup (issuer);
  g_task_set_task_data (task, registration, registration_free);

  /* RFC 7591 §2 client metadata of a native public client (RFC 8252). */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_name");
  json_builder_add_string_value (builder, "Tether");
  json_builder_set_member_name (builder, "redirect_uris");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, redirect_uri);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "grant_types");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "authorization_code");
  json_builder_add_string_value (builder, "refresh_token");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "response_types");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "code");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "token_endpoint_auth_method");
  json_builder_add_string_value (builder, "none");
  json_builder_set_member_name (builder, "application_type");
  json_builder_add_string_value (builder, "native");
  if (scope != NULL)
    {
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, scope);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  message = soup_message_new (SOUP_METHOD_POST, endpoint);
  if (message == NULL)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_REGISTRATION_FAILED,
                               "Expected an http(s) registration endpoint, got “%s”", endpoint);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                                    register_cb, g_steal_pointer (&task));
}

McpOAuthClient *
mcp_oauth_register_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
