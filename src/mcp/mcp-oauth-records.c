/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the authorization server says, parsed and stored: token and registration records. */
#include "config.h"

#include <string.h>

#include "mcp-oauth-private.h"

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

void
mcp_oauth_tokens_free (McpOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;
  free_secret (tokens->access_token);
  free_secret (tokens->refresh_token);
  g_free (tokens->token_type);
  g_free (tokens->scope);
  g_free (tokens->issuer);
  g_free (tokens->client_id);
  g_free (tokens->requested_scope);
  g_clear_object (&tokens->dpop);
  g_free (tokens);
}

void
mcp_oauth_client_free (McpOAuthClient *client)
{
  if (client == NULL)
    return;
  free_secret (client->client_secret);
  g_free (client->client_id);
  g_free (client->auth_method);
  g_free (client->issuer);
  g_strfreev (client->redirect_uris);
  g_free (client);
}

gboolean
mcp_oauth_tokens_expired (const McpOAuthTokens *tokens,
                          gint64                now,
                          gint64                margin)
{
  g_return_val_if_fail (tokens != NULL, TRUE);

  return tokens->expires_at > 0 && now + margin >= tokens->expires_at;
}

void
mcp_oauth_form_append (GString    *form,
                       const char *name,
                       const char *value)
{
  g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", escaped_name, escaped_value);
}

GHashTable *
mcp_oauth_parse_redirect_query (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;

  if (uri == NULL)
    return NULL;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_query (parsed) == NULL)
    return NULL;
  return soup_form_decode (g_uri_get_query (parsed));
}

/* Reading answers */

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An integer member written as a JSON number or a numeric string; -1 when absent or not one. */
static gint64
json_integer (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64) json_node_get_double (node);
    case G_TYPE_STRING:
      if (g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
        return value;
      return -1;
    default:
      return -1;
    }
}

/* The string elements of array @member; NULL when absent or not an array. */
static char **
json_strv (JsonObject *object,
           const char *member)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* The answer as a JSON object: from JSON, or from a form-encoded body (strings only). */
static JsonObject *
parse_answer (const char *content_type,
              GBytes     *body)
{
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = g_strndup (data != NULL ? data : "", size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (content_type != NULL && g_ascii_strcasecmp (content_type,
                                                  "application/x-www-form-urlencoded") == 0)
    {
      g_autoptr(GHashTable) form = soup_form_decode (text);
      JsonObject *object = json_object_new ();
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &name, &value))
        json_object_set_string_member (object, name, value);
      if (g_hash_table_size (form) > 0)
        explicit_bzero (text, strlen (text));
      return object;
    }

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  explicit_bzero (text, strlen (text));
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static char *
describe_oauth_error (JsonObject *answer)
{
  const char *code = answer != NULL ? json_string (answer, "error") : NULL;
  const char *description = answer != NULL ? json_string (answer, "error_description") : NULL;

  if (code == NULL)
    return g_strdup ("no OAuth error code");
  if (description != NULL)
    return g_strdup_printf ("“%s”: %s", code, description);
  return g_strdup_printf ("“%s”", code);
}

McpOAuthTokens *
mcp_oauth_tokens_parse_response (guint        status,
                                 const char  *content_type,
                                 GBytes      *body,
                                 gint64       now,
                                 const char  *endpoint,
                                 const char  *grant,
                                 GError     **error)
{
  g_autoptr(JsonObject) answer = parse_answer (content_type, body);
  g_autoptr(McpOAuthTokens) tokens = NULL;
  const char *access_token, *token_type;
  gint64 expires_in;

  if (status != SOUP_STATUS_OK || answer == NULL || json_string (answer, "error") != NULL)
    {
      g_autofree char *what = describe_oauth_error (answer);

      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected tokens from %s for the %s grant, got HTTP %u with %s%s",
                   endpoint, grant, status,
                   answer != NULL ? "error " : "a body that is neither JSON nor a form",
                   answer != NULL ? what : "");
      return NULL;
    }

  access_token = json_string (answer, "access_token");
  if (access_token == NULL || *access_token == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected an access_token from %s for the %s grant, got an answer without "
                   "one", endpoint, grant);
      return NULL;
    }
  token_type = json_string (answer, "token_type");
  if (token_type != NULL && g_ascii_strcasecmp (token_type, "bearer") != 0
      && g_ascii_strcasecmp (token_type, "dpop") != 0)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_TOKEN_REQUEST_FAILED,
                   "Expected token_type Bearer or DPoP from %s, got “%s”", endpoint, token_type);
      return NULL;
    }

  tokens = g_new0 (McpOAuthTokens, 1);
  tokens->access_token = g_strdup (access_token);
  tokens->token_type = g_strdup (token_type != NULL ? token_type : "Bearer");
  tokens->refresh_token = g_strdup (json_string (answer, "refresh_token"));
  tokens->scope = g_strdup (json_string (answer, "scope"));
  expires_in = json_integer (answer, "expires_in");
  if (expires_in >= 0)
    tokens->expires_at = now + expires_in;
  return g_steal_pointer (&tokens);
}

McpOAuthClient *
mcp_oauth_client_parse_registration (guint        status,
                                     GBytes      *body,
                                     const char  *endpoint,
                                     const char  *issuer,
                                     GError     **error)
{
  g_autoptr(JsonObject) answer = parse_answer ("application/json", body);
  g_autoptr(McpOAuthClient) client = NULL;
  const char *client_id;
  gint64 expires_at;

  if ((status != SOUP_STATUS_CREATED && status != SOUP_STATUS_OK) || answer == NULL
      || json_string (answer, "error") != NULL)
    {
      g_autofree char *what = describe_oauth_error (answer);

      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_REGISTRATION_FAILED,
                   "Expected a client registration from %s, got HTTP %u with %s%s",
                   endpoint, status, answer != NULL ? "error " : "a body that is not JSON",
                   answer != NULL ? what : "");
      return NULL;
    }
  client_id = json_string (answer, "client_id");
  if (client_id == NULL || *client_id == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_REGISTRATION_FAILED,
                   "Expected a client_id in the registration answer from %s, got none",
                   endpoint);
      return NULL;
    }

  client = g_new0 (McpOAuthClient, 1);
  client->client_id = g_strdup (client_id);
  client->client_secret = g_strdup (json_string (answer, "client_secret"));
  client->auth_method = g_strdup (json_string (answer, "token_endpoint_auth_method"));
  client->issuer = g_strdup (issuer);
  client->registered = TRUE;
  expires_at = json_integer (answer, "client_secret_expires_at");
  client->secret_expires_at = expires_at > 0 ? expires_at : 0;
  client->redirect_uris = json_strv (answer, "redirect_uris");
  return g_steal_pointer (&client);
}

McpOAuthClient *
mcp_oauth_client_copy (const McpOAuthClient *client)
{
  McpOAuthClient *copy = g_new0 (McpOAuthClient, 1);

  copy->client_id = g_strdup (client->client_id);
  copy->client_secret = g_strdup (client->client_secret);
  copy->auth_method = g_strdup (client->auth_method);
  copy->issuer = g_strdup (client->issuer);
  copy->redirect_uris = g_strdupv (client->redirect_uris);
  copy->secret_expires_at = client->secret_expires_at;
  copy->registered = client->registered;
  return copy;
}

gboolean
mcp_oauth_client_has_redirect_uri (const McpOAuthClient *client,
                                   const char           *redirect_uri)
{
  return client != NULL && client->redirect_uris != NULL && redirect_uri != NULL
         && g_strv_contains ((const char * const *) client->redirect_uris, redirect_uri);
}

const char *
mcp_oauth_choose_secret_auth_method (McpOAuthDiscovery *discovery)
{
  g_auto(GStrv) methods = NULL;

  if (discovery != NULL)
    methods = mcp_oauth_discovery_dup_server_strv (discovery,
                                                   "token_endpoint_auth_methods_supported");
  if (methods == NULL || g_strv_contains ((const char * const *) methods, "client_secret_basic"))
    return "client_secret_basic";
  if (g_strv_contains ((const char * const *) methods, "client_secret_post"))
    return "client_secret_post";
  return "client_secret_basic";
}

/* Records (JSON strings kept in the token store) */

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static JsonObject *
string_to_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static void
set_optional (JsonObject *object,
              const char *member,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

char *
mcp_oauth_tokens_to_json (const McpOAuthTokens *tokens)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (tokens != NULL, NULL);

  json_object_set_int_member (object, "version", 1);
  set_optional (object, "access_token", tokens->access_token);
  set_optional (object, "token_type", tokens->token_type);
  set_optional (object, "refresh_token", tokens->refresh_token);
  json_object_set_int_member (object, "expires_at", tokens->expires_at);
  set_optional (object, "scope", tokens->scope);
  set_optional (object, "issuer", tokens->issuer);
  set_optional (object, "client_id", tokens->client_id);
  set_optional (object, "requested_scope", tokens->requested_scope);
  /* The key a DPoP token is bound to goes where the token goes (the keyring). */
  if (tokens->dpop != NULL)
    set_optional (object, "dpop_key", mcp_dpop_get_key_pem (tokens->dpop));
  return object_to_string (object);
}

McpOAuthTokens *
mcp_oauth_tokens_from_json (const char *json)
{
  g_autoptr(JsonObject) object = string_to_object (json);
  McpOAuthTokens *tokens;
  gint64 expires_at;

  if (object == NULL || json_string (object, "access_token") == NULL)
    return NULL;
  tokens = g_new0 (McpOAuthTokens, 1);
  tokens->access_token = g_strdup (json_string (object, "access_token"));
  tokens->token_type = g_strdup (json_string (object, "token_type"));
  tokens->refresh_token = g_strdup (json_string (object, "refresh_token"));
  expires_at = json_integer (object, "expires_at");
  tokens->expires_at = expires_at > 0 ? expires_at : 0;
  tokens->scope = g_strdup (json_string (object, "scope"));
  tokens->issuer = g_strdup (json_string (object, "issuer"));
  tokens->client_id = g_strdup (json_string (object, "client_id"));
  tokens->requested_scope = g_strdup (json_string (object, "requested_scope"));
  if (json_string (object, "dpop_key") != NULL)
    {
      g_autoptr(GError) error = NULL;

      tokens->dpop = mcp_dpop_new_from_pem (json_string (object, "dpop_key"), &error);
      if (tokens->dpop == NULL)
        g_debug ("The stored DPoP key is unusable: %s", error->message);
    }
  return tokens;
}

char *
mcp_oauth_client_to_json (const McpOAuthClient *client)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) uris = json_array_new ();

  g_return_val_if_fail (client != NULL, NULL);

  json_object_set_int_member (object, "version", 1);
  set_optional (object, "client_id", client->client_id);
  set_optional (object, "client_secret", client->client_secret);
  set_optional (object, "token_endpoint_auth_method", client->auth_method);
  set_optional (object, "issuer", client->issuer);
  json_object_set_int_member (object, "client_secret_expires_at", client->secret_expires_at);
  for (guint i = 0; client->redirect_uris != NULL && client->redirect_uris[i] != NULL; i++)
    json_array_add_string_element (uris, client->redirect_uris[i]);
  json_object_set_array_member (object, "redirect_uris", json_array_ref (uris));
  return object_to_string (object);
}

McpOAuthClient *
mcp_oauth_client_from_json (const char *json)
{
  g_autoptr(JsonObject) object = string_to_object (json);
  McpOAuthClient *client;
  gint64 expires_at;

  if (object == NULL || json_string (object, "client_id") == NULL)
    return NULL;
  client = g_new0 (McpOAuthClient, 1);
  client->client_id = g_strdup (json_string (object, "client_id"));
  client->client_secret = g_strdup (json_string (object, "client_secret"));
  client->auth_method = g_strdup (json_string (object, "token_endpoint_auth_method"));
  client->issuer = g_strdup (json_string (object, "issuer"));
  expires_at = json_integer (object, "client_secret_expires_at");
  client->secret_expires_at = expires_at > 0 ? expires_at : 0;
  client->registered = TRUE;
  client->redirect_uris = json_strv (object, "redirect_uris");
  return client;
}
