/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mcp-oauth.h"
#include "mcp-token-exchange.h"

struct _McpTokenExchange
{
  GObject      parent_instance;

  SoupSession *session;
  char        *token_endpoint;
  char        *client_id;
  char        *client_secret;
  char        *subject_token;
  char        *subject_token_type;
  char        *requested_token_type;
};

G_DEFINE_FINAL_TYPE (McpTokenExchange, mcp_token_exchange, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN_ENDPOINT,
  PROP_SESSION,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_SUBJECT_TOKEN,
  PROP_SUBJECT_TOKEN_TYPE,
  PROP_REQUESTED_TOKEN_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
free_secret (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
replace_secret (char       **field,
                const char  *value)
{
  free_secret (*field);
  *field = g_strdup (value);
}

static void
mcp_token_exchange_finalize (GObject *object)
{
  McpTokenExchange *self = MCP_TOKEN_EXCHANGE (object);

  g_clear_object (&self->session);
  g_free (self->token_endpoint);
  g_free (self->client_id);
  free_secret (self->client_secret);
  free_secret (self->subject_token);
  g_free (self->subject_token_type);
  g_free (self->requested_token_type);
  G_OBJECT_CLASS (mcp_token_exchange_parent_class)->finalize (object);
}

static void
mcp_token_exchange_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  McpTokenExchange *self = MCP_TOKEN_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_TOKEN_ENDPOINT:
      g_value_set_string (value, self->token_endpoint);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_SUBJECT_TOKEN_TYPE:
      g_value_set_string (value, self->subject_token_type);
      break;
    case PROP_REQUESTED_TOKEN_TYPE:
      g_value_set_string (value, self->requested_token_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (McpTokenExchange  *self,
            char             **field,
            const char        *value,
            guint              prop_id)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
    }
}

static void
mcp_token_exchange_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  McpTokenExchange *self = MCP_TOKEN_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_TOKEN_ENDPOINT:
      self->token_endpoint = g_value_dup_string (value);
      break;
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_CLIENT_ID:
      set_string (self, &self->client_id, g_value_get_string (value), prop_id);
      break;
    case PROP_CLIENT_SECRET:
      replace_secret (&self->client_secret, g_value_get_string (value));
      break;
    case PROP_SUBJECT_TOKEN:
      replace_secret (&self->subject_token, g_value_get_string (value));
      break;
    case PROP_SUBJECT_TOKEN_TYPE:
      set_string (self, &self->subject_token_type, g_value_get_string (value), prop_id);
      break;
    case PROP_REQUESTED_TOKEN_TYPE:
      set_string (self, &self->requested_token_type, g_value_get_string (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_token_exchange_constructed (GObject *object)
{
  McpTokenExchange *self = MCP_TOKEN_EXCHANGE (object);

  G_OBJECT_CLASS (mcp_token_exchange_parent_class)->constructed (object);
  if (self->session == NULL)
    self->session = soup_session_new ();
}

static void
mcp_token_exchange_class_init (McpTokenExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags write_only = G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = mcp_token_exchange_constructed;
  object_class->finalize = mcp_token_exchange_finalize;
  object_class->get_property = mcp_token_exchange_get_property;
  object_class->set_property = mcp_token_exchange_set_property;

  properties[PROP_TOKEN_ENDPOINT] =
    g_param_spec_string ("token-endpoint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL, NULL, write_only);
  properties[PROP_SUBJECT_TOKEN] =
    g_param_spec_string ("subject-token", NULL, NULL, NULL, write_only);
  properties[PROP_SUBJECT_TOKEN_TYPE] =
    g_param_spec_string ("subject-token-type", NULL, NULL, MCP_TOKEN_TYPE_ID_TOKEN, rw);
  properties[PROP_REQUESTED_TOKEN_TYPE] =
    g_param_spec_string ("requested-token-type", NULL, NULL, MCP_TOKEN_TYPE_ID_JAG, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mcp_token_exchange_init (McpTokenExchange *self)
{
  self->subject_token_type = g_strdup (MCP_TOKEN_TYPE_ID_TOKEN);
  self->requested_token_type = g_strdup (MCP_TOKEN_TYPE_ID_JAG);
}

McpTokenExchange *
mcp_token_exchange_new (const char  *token_endpoint,
                        SoupSession *session)
{
  g_return_val_if_fail (token_endpoint != NULL, NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_TOKEN_EXCHANGE, "token-endpoint", token_endpoint,
                       "session", session, NULL);
}

const char *
mcp_token_exchange_get_token_endpoint (McpTokenExchange *self)
{
  g_return_val_if_fail (MCP_IS_TOKEN_EXCHANGE (self), NULL);
  return self->token_endpoint;
}

void
mcp_token_exchange_set_client_credentials (McpTokenExchange *self,
                                           const char       *client_id,
                                           const char       *client_secret)
{
  g_return_if_fail (MCP_IS_TOKEN_EXCHANGE (self));

  g_object_set (self, "client-id", client_id, "client-secret", client_secret, NULL);
}

void
mcp_token_exchange_set_subject_token (McpTokenExchange *self,
                                      const char       *token,
                                      const char       *token_type)
{
  g_return_if_fail (MCP_IS_TOKEN_EXCHANGE (self));

  g_object_set (self, "subject-token", token, "subject-token-type",
                token_type != NULL ? token_type : MCP_TOKEN_TYPE_ID_TOKEN, NULL);
}

void
mcp_token_exchange_set_requested_token_type (McpTokenExchange *self,
                                             const char       *token_type)
{
  g_return_if_fail (MCP_IS_TOKEN_EXCHANGE (self));
  g_return_if_fail (token_type != NULL);

  g_object_set (self, "requested-token-type", token_type, NULL);
}

gboolean
mcp_token_exchange_has_subject_token (McpTokenExchange *self)
{
  g_return_val_if_fail (MCP_IS_TOKEN_EXCHANGE (self), FALSE);
  return self->subject_token != NULL && *self->subject_token != '\0';
}

/* The request */

static void
form_append (GString    *form,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name, escaped);
  explicit_bzero (escaped, strlen (escaped));
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

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* RFC 8693 §2.2: the issued token, or an error naming what the IdP said (never a token). */
static char *
parse_answer (McpTokenExchange  *self,
              guint              status,
              GBytes            *body,
              GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *text = g_strndup (data != NULL ? data : "", size);
  JsonObject *answer = NULL;
  JsonNode *root;
  const char *token, *issued_type, *code, *description;

  if (json_parser_load_from_data (parser, text, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    answer = json_node_get_object (root);
  explicit_bzero (text, strlen (text));

  code = member_string (answer, "error");
  if (status != SOUP_STATUS_OK || answer == NULL || code != NULL)
    {
      description = member_string (answer, "error_description");
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected a token from the token exchange at %s, got HTTP %u with %s%s%s%s%s",
                   self->token_endpoint, status,
                   answer == NULL ? "a body that is not a JSON object"
                   : code != NULL ? "error “" : "no OAuth error code",
                   code != NULL ? code : "", code != NULL ? "”" : "",
                   description != NULL ? ": " : "", description != NULL ? description : "");
      return NULL;
    }
  token = member_string (answer, "access_token");
  if (token == NULL || *token == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected an access_token in the token exchange answer from %s, got none",
                   self->token_endpoint);
      return NULL;
    }
  issued_type = member_string (answer, "issued_token_type");
  if (g_strcmp0 (issued_type, self->requested_token_type) != 0)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected issued_token_type “%s” from the token exchange at %s, got %s%s%s",
                   self->requested_token_type, self->token_endpoint,
                   issued_type != NULL ? "“" : "none", issued_type != NULL ? issued_type : "",
                   issued_type != NULL ? "”" : "");
      return NULL;
    }
  return g_strdup (token);
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpTokenExchange *self = g_task_get_source_object (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  char *token;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                                 "Could not reach the identity provider's token endpoint %s: %s",
                                 self->token_endpoint, error->message);
      return;
    }
  token = parse_answer (self, soup_message_get_status (message), body, &error);
  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, token, free_secret);
}

void
mcp_token_exchange_request_async (McpTokenExchange    *self,
                                  const char          *audience,
                                  const char          *resource,
                                  const char          *scope,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) form = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (MCP_IS_TOKEN_EXCHANGE (self));
  g_return_if_fail (audience != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_token_exchange_request_async);

  if (!mcp_token_exchange_has_subject_token (self))
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_NO_CLIENT_IDENTITY,
                               "Expected a subject token (%s) to exchange at %s, got none",
                               self->subject_token_type, self->token_endpoint);
      return;
    }
  if (!mcp_oauth_discovery_url_is_secure (self->token_endpoint))
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_INSECURE_URL,
                               "Expected an https token endpoint for the token exchange (or "
                               "http on loopback), got %s", self->token_endpoint);
      return;
    }

  form = g_string_new (NULL);
  form_append (form, "grant_type", MCP_TOKEN_EXCHANGE_GRANT_TYPE);
  form_append (form, "requested_token_type", self->requested_token_type);
  form_append (form, "audience", audience);
  if (resource != NULL)
    form_append (form, "resource", resource);
  if (scope != NULL)
    form_append (form, "scope", scope);
  form_append (form, "subject_token", self->subject_token);
  form_append (form, "subject_token_type", self->subject_token_type);
  if (self->client_id != NULL && self->client_secret == NULL)
    form_append (form, "client_id", self->client_id);

  message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, self->token_endpoint,
                                                g_strndup (form->str, form->len));
  explicit_bzero (form->str, form->len);
  if (message == NULL)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                               "Expected an http(s) token endpoint for the token exchange, got "
                               "“%s”", self->token_endpoint);
      return;
    }
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->client_id != NULL && self->client_secret != NULL)
    {
      g_autofree char *authorization = basic_authorization (self->client_id,
                                                            self->client_secret);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));
    }
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    request_cb, g_steal_pointer (&task));
}

char *
mcp_token_exchange_request_finish (McpTokenExchange  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (MCP_IS_TOKEN_EXCHANGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
