/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-pkce.h"

#include "demo-auth-pages.h"
#include "demo-auth-server-private.h"
#include "demo-util.h"

/* The authorization endpoint (RFC 6749 §4.1.1 with PKCE, RFC 7636, and RFC 8707 resources),
 * the offline consent form's answer and the GitHub callback. Errors that concern the client's
 * identity or redirect URI are shown as a page (RFC 6749 §4.1.2.1: never redirect to an
 * unverified URI); all others go back to the client's redirect URI. */

#define DEMO_USER_NAME_MAX 39  /* as GitHub logins */

static void
respond_page_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *title,
                    const char        *message)
{
  demo_auth_pages_respond (msg, status, demo_auth_pages_render_error (title, message));
}

static void
respond_redirect (SoupServerMessage *msg,
                  const char        *uri)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, uri);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

static void
redirect_with_error (DemoAuthServer        *self,
                     SoupServerMessage     *msg,
                     const DemoAuthRequest *request,
                     const char            *error_code,
                     const char            *description)
{
  g_autofree char *uri =
    demo_auth_server_build_error_redirect (self, request, error_code, description);

  demo_util_note_error (msg, error_code);
  respond_redirect (msg, uri);
}

static void
redirect_with_new_code (DemoAuthServer        *self,
                        SoupServerMessage     *msg,
                        const DemoAuthRequest *request,
                        const char            *user,
                        const char            *github_token)
{
  g_autofree char *code = demo_auth_server_issue_code (self, request, user, github_token);
  g_autofree char *uri = demo_auth_server_build_success_redirect (self, request, code);

  respond_redirect (msg, uri);
  explicit_bzero (code, strlen (code));
}

static gboolean
code_challenge_is_valid (const char *challenge)
{
  /* BASE64URL(SHA-256) without padding is always 43 characters. */
  if (strlen (challenge) != 43)
    return FALSE;
  for (const char *p = challenge; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static GHashTable *
read_parameters (SoupServerMessage *msg,
                 GError           **error)
{
  const char *data;
  gsize length;

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      data = demo_util_request_body (msg, &length);
    }
  else
    {
      data = g_uri_get_query (soup_server_message_get_uri (msg));
      length = data != NULL ? strlen (data) : 0;
    }
  return demo_util_parse_form (data, length, error);
}

/* Checks an authorization request. On failure answers (page or error redirect) and returns
 * NULL. */
static DemoAuthRequest *
parse_authorization_request (DemoAuthServer    *self,
                             SoupServerMessage *msg,
                             GHashTable        *params)
{
  g_autoptr(DemoAuthRequest) request = g_new0 (DemoAuthRequest, 1);
  const char *client_id = g_hash_table_lookup (params, "client_id");
  const char *redirect_uri = g_hash_table_lookup (params, "redirect_uri");
  const char *response_type = g_hash_table_lookup (params, "response_type");
  const char *challenge = g_hash_table_lookup (params, "code_challenge");
  const char *method = g_hash_table_lookup (params, "code_challenge_method");
  const char *scope = g_hash_table_lookup (params, "scope");
  const char *resource = g_hash_table_lookup (params, "resource");
  DemoAuthClient *client;

  client = demo_auth_server_lookup_client (self, client_id);
  if (client == NULL)
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Unknown application",
                          client_id == NULL
                          ? "The request names no client_id."
                          : "The client_id is not registered with this server.");
      return NULL;
    }
  demo_util_note_client (msg, client->client_id);

  if (redirect_uri != NULL)
    {
      /* Exact string match against the registration (no port or path leeway). */
      if (!g_strv_contains ((const char * const *) client->redirect_uris, redirect_uri))
        {
          respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Unexpected redirect address",
                              "The redirect_uri is not one the application registered.");
          return NULL;
        }
      request->redirect_uri = g_strdup (redirect_uri);
      request->redirect_uri_explicit = TRUE;
    }
  else if (client->redirect_uris[0] != NULL && client->redirect_uris[1] == NULL)
    {
      request->redirect_uri = g_strdup (client->redirect_uris[0]);
    }
  else
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing redirect address",
                          "The application registered several redirect URIs and the request "
                          "names none.");
      return NULL;
    }

  request->client_id = g_strdup (client->client_id);
  request->state = g_strdup (g_hash_table_lookup (params, "state"));

  /* From here on the redirect URI is trusted: errors go back to the client. */
  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_with_error (self, msg, request, "unsupported_response_type",
                           "response_type must be “code”");
      return NULL;
    }
  if (challenge == NULL)
    {
      redirect_with_error (self, msg, request, "invalid_request",
                           "code_challenge is required (PKCE with S256)");
      return NULL;
    }
  /* A missing method means "plain" (RFC 7636 §4.3), which is refused as well. */
  if (g_strcmp0 (method, "S256") != 0)
    {
      redirect_with_error (self, msg, request, "invalid_request",
                           "code_challenge_method must be “S256”; “plain” is not supported");
      return NULL;
    }
  if (!code_challenge_is_valid (challenge))
    {
      redirect_with_error (self, msg, request, "invalid_request",
                           "code_challenge must be 43 base64url characters (an S256 digest)");
      return NULL;
    }
  request->code_challenge = g_strdup (challenge);

  request->scopes = demo_util_split_scopes (scope);
  if (request->scopes != NULL && request->scopes[0] == NULL)
    {
      g_strfreev (request->scopes);
      request->scopes = client->scopes != NULL
                        ? g_strdupv (client->scopes) : g_strsplit (DEMO_SCOPE_USER, " ", -1);
    }
  /* The registered scope is only the default: MCP clients register with the scope of the
   * first challenge and must still be able to step up after a 403 insufficient_scope. The
   * person sees every scope on the consent page. */
  if (request->scopes == NULL
      || !demo_util_strv_is_subset ((const char * const *) request->scopes,
                                    demo_auth_server_supported_scopes ()))
    {
      redirect_with_error (self, msg, request, "invalid_scope",
                           "scope may only contain “user” and “admin”");
      return NULL;
    }

  if (resource != NULL && !demo_auth_server_resource_is_valid (self, resource))
    {
      redirect_with_error (self, msg, request, "invalid_target",
                           "resource does not name this server (expected its origin, /mcp or "
                           "/sse)");
      return NULL;
    }
  request->resource = g_strdup (resource);

  return g_steal_pointer (&request);
}

static char *
add_transaction (DemoAuthServer           *self,
                 DemoAuthTransactionKind   kind,
                 const DemoAuthRequest    *request,
                 char                    **out_cookie)
{
  DemoAuthTransaction *transaction = g_new0 (DemoAuthTransaction, 1);
  char *id = mcp_pkce_random_string (32);

  transaction->kind = kind;
  transaction->request = demo_auth_request_copy (request);
  transaction->expires_at =
    g_get_monotonic_time () + (gint64) DEMO_AUTH_TRANSACTION_LIFETIME_S * G_USEC_PER_SEC;
  if (out_cookie != NULL)
    {
      transaction->cookie = mcp_pkce_random_string (32);
      *out_cookie = g_strdup (transaction->cookie);
    }
  g_hash_table_insert (self->transactions, demo_util_secret_digest (id), transaction);
  return id;
}

/* Cookie name per transaction, so two sign-ins in one browser do not overwrite each other. */
static char *
cookie_name_for (const char *transaction_id)
{
  return g_strdup_printf ("%s_%.8s", DEMO_AUTH_COOKIE_NAME, transaction_id);
}

static void
show_consent_page (DemoAuthServer        *self,
                   SoupServerMessage     *msg,
                   const DemoAuthRequest *request,
                   const char            *transaction_id,
                   const char            *user_name,
                   const char            *problem,
                   guint                  status)
{
  DemoAuthClient *client = demo_auth_server_lookup_client (self, request->client_id);
  DemoConsentPage page = {
    .issuer = self->issuer,
    .client_name = client != NULL ? client->client_name : NULL,
    .client_id = request->client_id,
    .redirect_uri = request->redirect_uri,
    .scopes = (const char * const *) request->scopes,
    .transaction = transaction_id,
    .user_name = user_name,
    .problem = problem,
  };

  demo_auth_pages_respond (msg, status, demo_auth_pages_render_consent (&page));
}

void
demo_auth_server_handle_authorize (DemoAuthServer    *self,
                                   SoupServerMessage *msg)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(DemoAuthRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *method = soup_server_message_get_method (msg);

  demo_util_note_detail (msg, "authorize");
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, POST");
      demo_util_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
      return;
    }

  params = read_parameters (msg, &error);
  if (params == NULL)
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed request", error->message);
      return;
    }
  request = parse_authorization_request (self, msg, params);
  if (request == NULL)
    return;

  if (g_hash_table_size (self->transactions) >= DEMO_AUTH_MAX_TRANSACTIONS)
    {
      redirect_with_error (self, msg, request, "temporarily_unavailable",
                           "Too many sign-ins in progress; try again later");
      return;
    }

  if (self->github != NULL)
    {
      /* The GitHub state is our transaction id: unguessable and single-use. */
      g_autofree char *state = add_transaction (self, DEMO_AUTH_TRANSACTION_GITHUB, request, NULL);
      g_autofree char *url = demo_github_build_authorize_url (self->github, state);

      demo_util_note_detail (msg, "authorize via=github");
      respond_redirect (msg, url);
    }
  else if (self->auto_approve)
    {
      demo_util_note_detail (msg, "authorize auto-approved");
      redirect_with_new_code (self, msg, request, "demo", NULL);
    }
  else
    {
      g_autofree char *cookie = NULL;
      g_autofree char *id = add_transaction (self, DEMO_AUTH_TRANSACTION_CONSENT, request,
                                             &cookie);
      g_autofree char *name = cookie_name_for (id);
      g_autofree char *set_cookie =
        g_strdup_printf ("%s=%s; Path=/authorize; Max-Age=%d; HttpOnly; SameSite=Strict",
                         name, cookie, DEMO_AUTH_TRANSACTION_LIFETIME_S);

      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "Set-Cookie", set_cookie);
      show_consent_page (self, msg, request, id, NULL, NULL, SOUP_STATUS_OK);
      explicit_bzero (cookie, strlen (cookie));
      explicit_bzero (set_cookie, strlen (set_cookie));
    }
}

/* The value of cookie @name in the request's Cookie headers, or NULL. */
static char *
find_cookie (SoupServerMessage *msg,
             const char        *name)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *list = soup_message_headers_get_list (headers, "Cookie");
  g_auto(GStrv) parts = NULL;
  gsize name_len = strlen (name);

  if (list == NULL)
    return NULL;
  /* Several Cookie headers are joined with ", " by get_list(); split on both. */
  parts = g_strsplit_set (list, ";,", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];

      while (*part == ' ')
        part++;
      if (strncmp (part, name, name_len) == 0 && part[name_len] == '=')
        return g_strdup (part + name_len + 1);
    }
  return NULL;
}

static gboolean
user_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > DEMO_USER_NAME_MAX || name[0] == '-')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

void
demo_auth_server_handle_decision (DemoAuthServer    *self,
                                  SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DemoAuthRequest) request = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *cookie_name = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *user_name = NULL;
  const char *transaction_id, *action, *content_type, *body;
  DemoAuthTransaction *transaction;
  gsize length;

  demo_util_note_detail (msg, "consent");
  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "POST");
      demo_util_respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
      return;
    }
  content_type = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                               "Content-Type");
  body = demo_util_request_body (msg, &length);
  if (!demo_util_media_type_is (content_type, "application/x-www-form-urlencoded")
      || (form = demo_util_parse_form (body, length, &error)) == NULL)
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed form",
                          error != NULL ? error->message : "Expected a form submission.");
      return;
    }

  transaction_id = g_hash_table_lookup (form, "transaction");
  action = g_hash_table_lookup (form, "action");
  if (transaction_id != NULL)
    {
      digest = demo_util_secret_digest (transaction_id);
      transaction = g_hash_table_lookup (self->transactions, digest);
    }
  else
    transaction = NULL;

  if (transaction == NULL || transaction->kind != DEMO_AUTH_TRANSACTION_CONSENT
      || transaction->expires_at <= g_get_monotonic_time ())
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Sign-in expired",
                          "This sign-in request is unknown, expired or already answered. "
                          "Start again from the application.");
      return;
    }
  demo_util_note_client (msg, transaction->request->client_id);

  /* The form only counts when it comes from the browser the page was shown to. */
  cookie_name = cookie_name_for (transaction_id);
  cookie = find_cookie (msg, cookie_name);
  if (!demo_util_secure_equal (cookie, transaction->cookie))
    {
      respond_page_error (msg, SOUP_STATUS_FORBIDDEN, "Sign-in refused",
                          "This answer did not come from the browser that opened the sign-in "
                          "page (its cookie is missing or wrong).");
      return;
    }

  if (g_strcmp0 (action, "deny") == 0)
    {
      request = g_steal_pointer (&transaction->request);
      g_hash_table_remove (self->transactions, digest);
      demo_util_note_detail (msg, "consent denied");
      redirect_with_error (self, msg, request, "access_denied",
                           "The person denied the request");
      return;
    }
  if (g_strcmp0 (action, "approve") != 0)
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed form",
                          "Expected action “approve” or “deny”.");
      return;
    }

  user_name = g_strstrip (g_strdup (g_hash_table_lookup (form, "username") != NULL
                                    ? g_hash_table_lookup (form, "username") : ""));
  if (!user_name_is_valid (user_name))
    {
      /* Ask again; the transaction stays valid. */
      show_consent_page (self, msg, transaction->request, transaction_id, user_name,
                         "Enter a user name of 1 to 39 letters, digits or hyphens "
                         "(not starting with a hyphen).", SOUP_STATUS_BAD_REQUEST);
      return;
    }

  request = g_steal_pointer (&transaction->request);
  g_hash_table_remove (self->transactions, digest);
  demo_util_note_detail (msg, "consent approved");
  redirect_with_new_code (self, msg, request, user_name, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* GitHub mode                                                                              */

typedef struct
{
  DemoAuthServer    *self;
  SoupServerMessage *msg;
  DemoAuthRequest   *request;
} GithubCallback;

static void
github_callback_free (GithubCallback *data)
{
  g_object_unref (data->self);
  g_object_unref (data->msg);
  demo_auth_request_free (data->request);
  g_free (data);
}

static void
github_exchange_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GithubCallback *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *github_token = NULL;

  github_token = demo_github_exchange_code_finish (DEMO_GITHUB (source), result, &error);
  if (github_token == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        demo_util_respond_text (data->msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                "The server is shutting down\n");
      else
        {
          /* On the request's own log line; GitHub's answer holds no secret of ours. */
          g_autofree char *detail =
            g_strdup_printf ("github-callback (code exchange failed: %s)", error->message);

          demo_util_note_detail (data->msg, detail);
          redirect_with_error (data->self, data->msg, data->request, "server_error",
                               "The server could not exchange GitHub's code for a token");
        }
    }
  else
    {
      /* The GitHub login is only read later, by get_user_profile, as the reference does. */
      redirect_with_new_code (data->self, data->msg, data->request, "github", github_token);
      explicit_bzero (github_token, strlen (github_token));
    }

  soup_server_message_unpause (data->msg);
  github_callback_free (data);
}

void
demo_auth_server_handle_github_callback (DemoAuthServer    *self,
                                         SoupServerMessage *msg)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  const char *state, *code, *github_error;
  DemoAuthTransaction *transaction;
  GithubCallback *data;

  demo_util_note_detail (msg, "github-callback");
  if (self->github == NULL)
    {
      respond_page_error (msg, SOUP_STATUS_NOT_FOUND, "Not found",
                          "GitHub sign-in is not enabled on this server.");
      return;
    }

  params = read_parameters (msg, &error);
  if (params == NULL)
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Malformed request", error->message);
      return;
    }
  state = g_hash_table_lookup (params, "state");
  code = g_hash_table_lookup (params, "code");
  github_error = g_hash_table_lookup (params, "error");

  transaction = NULL;
  if (state != NULL)
    {
      digest = demo_util_secret_digest (state);
      transaction = g_hash_table_lookup (self->transactions, digest);
    }
  if (transaction == NULL || transaction->kind != DEMO_AUTH_TRANSACTION_GITHUB
      || transaction->expires_at <= g_get_monotonic_time ())
    {
      respond_page_error (msg, SOUP_STATUS_BAD_REQUEST, "Sign-in expired",
                          "GitHub sent back an unknown or expired state. Start again from the "
                          "application.");
      return;
    }

  data = g_new0 (GithubCallback, 1);
  data->self = g_object_ref (self);
  data->msg = g_object_ref (msg);
  data->request = g_steal_pointer (&transaction->request);
  g_hash_table_remove (self->transactions, digest);
  demo_util_note_client (msg, data->request->client_id);

  if (github_error != NULL || code == NULL)
    {
      redirect_with_error (self, msg, data->request, "access_denied",
                           "GitHub sign-in was refused or cancelled");
      github_callback_free (data);
      return;
    }

  soup_server_message_pause (msg);
  demo_github_exchange_code_async (self->github, code, self->cancellable,
                                   github_exchange_cb, data);
}
