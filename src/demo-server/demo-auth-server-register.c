/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-pkce.h"

#include "demo-auth-server-private.h"
#include "demo-util.h"

/* Dynamic client registration (RFC 7591): public clients (token_endpoint_auth_method
 * "none") and client_secret_post; redirect URIs are stored and later matched exactly. */

static gboolean
redirect_uri_is_acceptable (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (parsed == NULL || g_uri_get_fragment (parsed) != NULL)
    return FALSE;
  scheme = g_uri_get_scheme (parsed);
  /* http(s) needs a host; private-use schemes (RFC 8252 §7.1) are fine for native apps. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    return g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0';
  return g_ascii_strcasecmp (scheme, "javascript") != 0 && g_ascii_strcasecmp (scheme, "data") != 0
         && g_ascii_strcasecmp (scheme, "file") != 0;
}

/* Reads an optional array of strings; FALSE when present but not an array of strings. */
static gboolean
read_string_array (JsonObject   *object,
                   const char   *name,
                   char       ***out)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GPtrArray) values = NULL;
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      g_ptr_array_add (values, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (values, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static const char *
read_optional_string (JsonObject *object,
                      const char *name,
                      gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

static void
copy_member (JsonObject *object,
             const char *name,
             JsonNode   *node,
             gpointer    user_data)
{
  json_object_set_member (user_data, name, json_node_copy (node));
}

void
demo_auth_server_handle_register (DemoAuthServer    *self,
                                  SoupServerMessage *msg)
{
  static const char * const known_grants[] = { "authorization_code", "refresh_token", NULL };
  static const char * const default_grants[] = { "authorization_code", "refresh_token", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) redirect_uris = NULL;
  g_auto(GStrv) grant_types = NULL;
  g_auto(GStrv) response_types = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autoptr(JsonObject) response = NULL;
  const char *auth_method, *client_name, *scope, *body;
  DemoAuthClient *client;
  gboolean ok = TRUE;
  JsonObject *request;
  JsonNode *root;
  gsize length;

  if (!demo_auth_server_require_method (msg, demo_auth_post_methods))
    return;
  demo_util_note_detail (msg, "register");

  if (!demo_util_media_type_is (soup_message_headers_get_one (
                                  soup_server_message_get_request_headers (msg), "Content-Type"),
                                "application/json"))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                     "Expected a JSON body (Content-Type: application/json)");
      return;
    }

  body = demo_util_request_body (msg, &length);
  if (!json_parser_load_from_data (parser, body, length, &error)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                     "Expected the client metadata as a JSON object");
      return;
    }
  request = json_node_get_object (root);

  if (g_hash_table_size (self->clients) >= DEMO_AUTH_MAX_CLIENTS)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                     "temporarily_unavailable",
                                     "Too many registered clients; restart the demo server");
      return;
    }

  if (!read_string_array (request, "redirect_uris", &redirect_uris)
      || redirect_uris == NULL || redirect_uris[0] == NULL)
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_redirect_uri",
                                     "redirect_uris must be a non-empty array of strings");
      return;
    }
  for (guint i = 0; redirect_uris[i] != NULL; i++)
    if (!redirect_uri_is_acceptable (redirect_uris[i]))
      {
        g_autofree char *description =
          g_strdup_printf ("redirect_uris[%u] is not an absolute URI without a fragment", i);

        demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_redirect_uri",
                                       description);
        return;
      }

  auth_method = read_optional_string (request, "token_endpoint_auth_method", &ok);
  client_name = read_optional_string (request, "client_name", &ok);
  scope = read_optional_string (request, "scope", &ok);
  if (!ok || !read_string_array (request, "grant_types", &grant_types)
      || !read_string_array (request, "response_types", &response_types))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                     "token_endpoint_auth_method, client_name and scope must be "
                                     "strings; grant_types and response_types arrays of strings");
      return;
    }

  if (auth_method == NULL)
    auth_method = "client_secret_post";
  if (!g_str_equal (auth_method, "none") && !g_str_equal (auth_method, "client_secret_post"))
    {
      g_autofree char *description =
        g_strdup_printf ("token_endpoint_auth_method “%s” is not supported; "
                         "expected “none” or “client_secret_post”", auth_method);

      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                     description);
      return;
    }

  if (grant_types == NULL)
    grant_types = g_strdupv ((char **) default_grants);
  if (!demo_util_strv_is_subset ((const char * const *) grant_types, known_grants)
      || !g_strv_contains ((const char * const *) grant_types, "authorization_code"))
    {
      demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                     "grant_types must include “authorization_code” and may add "
                                     "“refresh_token”; nothing else is supported");
      return;
    }
  for (guint i = 0; response_types != NULL && response_types[i] != NULL; i++)
    if (!g_str_equal (response_types[i], "code"))
      {
        demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                       "response_types may only contain “code”");
        return;
      }

  if (scope != NULL)
    {
      scopes = demo_util_split_scopes (scope);
      if (scopes == NULL || !demo_util_strv_is_subset ((const char * const *) scopes,
                                                       demo_auth_server_supported_scopes ()))
        {
          demo_util_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_client_metadata",
                                         "scope may only contain “user” and “admin”");
          return;
        }
    }

  client = g_new0 (DemoAuthClient, 1);
  client->client_id = mcp_pkce_random_string (16);
  if (g_str_equal (auth_method, "client_secret_post"))
    client->client_secret = mcp_pkce_random_string (32);
  client->auth_method = g_strdup (auth_method);
  client->client_name = g_strdup (client_name);
  client->redirect_uris = g_steal_pointer (&redirect_uris);
  client->scopes = g_steal_pointer (&scopes);
  client->grant_types = g_strdupv (grant_types);
  client->issued_at = g_get_real_time () / G_USEC_PER_SEC;
  g_hash_table_insert (self->clients, client->client_id, client);

  /* The response repeats the metadata as registered, defaults filled in (RFC 7591 §3.2.1). */
  response = json_object_new ();
  json_object_foreach_member (request, copy_member, response);
  json_object_set_string_member (response, "client_id", client->client_id);
  json_object_set_int_member (response, "client_id_issued_at", client->issued_at);
  if (client->client_secret != NULL)
    {
      json_object_set_string_member (response, "client_secret", client->client_secret);
      json_object_set_int_member (response, "client_secret_expires_at", 0);
    }
  else
    json_object_remove_member (response, "client_secret");
  json_object_set_string_member (response, "token_endpoint_auth_method", client->auth_method);
  demo_auth_server_set_strv_member (response, "redirect_uris",
                                    (const char * const *) client->redirect_uris);
  demo_auth_server_set_strv_member (response, "grant_types",
                                    (const char * const *) client->grant_types);
  {
    static const char * const code_only[] = { "code", NULL };

    demo_auth_server_set_strv_member (response, "response_types", code_only);
  }

  demo_util_note_client (msg, client->client_id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  demo_util_respond_json_object (msg, SOUP_STATUS_CREATED, response);
}

