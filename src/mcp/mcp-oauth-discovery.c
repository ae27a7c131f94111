/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-oauth.h"
#include "mcp-oauth-discovery.h"
#include "mcp-transport.h"

#define PRM_WELL_KNOWN "/.well-known/oauth-protected-resource"
#define OAUTH_WELL_KNOWN "/.well-known/oauth-authorization-server"
#define OIDC_WELL_KNOWN "/.well-known/openid-configuration"
/* Metadata documents are small; anything bigger is not one. */
#define MAX_METADATA_SIZE (1024 * 1024)

struct _McpOAuthDiscovery
{
  GObject      parent_instance;

  SoupSession *session;
  char        *server_url;

  char        *resource_metadata_url;
  char        *resource;
  char       **resource_scopes;
  char        *issuer;
  char        *server_metadata_url;
  JsonObject  *server_metadata;
  char        *authorization_endpoint;
  char        *token_endpoint;
  char        *registration_endpoint;
  gboolean     legacy;
};

G_DEFINE_FINAL_TYPE (McpOAuthDiscovery, mcp_oauth_discovery, G_TYPE_OBJECT)

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  PHASE_RESOURCE,
  PHASE_SERVER,
} Phase;

typedef struct
{
  Phase      phase;
  GPtrArray *candidates;  /* URLs still to try, in order */
  guint      next;
  char      *issuer;      /* the issuer whose metadata is being looked for */
  char      *last_problem;
  char      *current_url;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_clear_pointer (&run->candidates, g_ptr_array_unref);
  g_free (run->issuer);
  g_free (run->last_problem);
  g_free (run->current_url);
  g_free (run);
}

static void fetch_next (GTask *task);

static void
log_step (McpOAuthDiscovery *self,
          McpLogLevel        level,
          const char        *format,
          ...) G_GNUC_PRINTF (3, 4);

static void
log_step (McpOAuthDiscovery *self,
          McpLogLevel        level,
          const char        *format,
          ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s", text);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

static void
clear_results (McpOAuthDiscovery *self)
{
  g_clear_pointer (&self->resource_metadata_url, g_free);
  g_clear_pointer (&self->resource, g_free);
  g_clear_pointer (&self->resource_scopes, g_strfreev);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->server_metadata_url, g_free);
  g_clear_pointer (&self->server_metadata, json_object_unref);
  g_clear_pointer (&self->authorization_endpoint, g_free);
  g_clear_pointer (&self->token_endpoint, g_free);
  g_clear_pointer (&self->registration_endpoint, g_free);
  self->legacy = FALSE;
}

static void
mcp_oauth_discovery_finalize (GObject *object)
{
  McpOAuthDiscovery *self = MCP_OAUTH_DISCOVERY (object);

  clear_results (self);
  g_clear_object (&self->session);
  g_free (self->server_url);
  G_OBJECT_CLASS (mcp_oauth_discovery_parent_class)->finalize (object);
}

static void
mcp_oauth_discovery_class_init (McpOAuthDiscoveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mcp_oauth_discovery_finalize;

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

static void
mcp_oauth_discovery_init (McpOAuthDiscovery *self)
{
}

McpOAuthDiscovery *
mcp_oauth_discovery_new (SoupSession *session,
                         const char  *server_url)
{
  McpOAuthDiscovery *self;

  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (MCP_TYPE_OAUTH_DISCOVERY, NULL);
  self->session = session != NULL ? g_object_ref (session) : soup_session_new ();
  self->server_url = g_strdup (server_url);
  return self;
}

/* URL helpers */

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

static GUri *
parse_http_url (const char  *url,
                const char  *what,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got nothing", what);
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got “%s” (%s)",
                   what, url, local_error->message);
      return NULL;
    }
  if (!is_http_scheme (g_uri_get_scheme (uri)) || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected %s to be an absolute http(s) URL, got “%s”", what, url);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* Splits @url into its "scheme://authority" and the rest (path, query, fragment). */
static char *
split_origin (const char  *url,
              const char **rest)
{
  const char *sep = strstr (url, "://");
  const char *end;

  if (sep == NULL)
    return NULL;
  end = sep + 3;
  end += strcspn (end, "/?#");
  if (rest != NULL)
    *rest = end;
  return g_strndup (url, end - url);
}

char *
mcp_oauth_discovery_dup_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = parse_http_url (url, "a URL", NULL);
  if (uri == NULL)
    return NULL;
  return split_origin (url, NULL);
}

/* The path of @rest (up to "?" or "#") without a terminating "/", and its query if any. */
static char *
dup_path_and_query (const char  *rest,
                    char       **query)
{
  gsize path_len = strcspn (rest, "?#");

  while (path_len > 0 && rest[path_len - 1] == '/')
    path_len--;
  if (query != NULL)
    {
      *query = NULL;
      if (rest[strcspn (rest, "?#")] == '?')
        {
          const char *q = rest + strcspn (rest, "?#") + 1;

          *query = g_strndup (q, strcspn (q, "#"));
        }
    }
  return g_strndup (rest, path_len);
}

/* g_strv_builder_take() is newer than GLib 2.74. */
static void
builder_take (GStrvBuilder *builder,
              char         *value)
{
  g_strv_builder_add (builder, value);
  g_free (value);
}

char **
mcp_oauth_discovery_resource_metadata_urls (const char  *server_url,
                                            GError     **error)
{
  g_autoptr(GUri) uri = parse_http_url (server_url, "the server URL", error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  const char *rest = NULL;

  if (uri == NULL)
    return NULL;

  origin = split_origin (server_url, &rest);
  path = dup_path_and_query (rest, &query);
  builder = g_strv_builder_new ();
  /* RFC 9728 §3.1: the well-known string goes between the host and the path (and query). */
  if (*path != '\0' || query != NULL)
    {
      g_autofree char *path_based = g_strconcat (origin, PRM_WELL_KNOWN, path,
                                                 query != NULL ? "?" : "", query, NULL);

      g_strv_builder_add (builder, path_based);
    }
  builder_take (builder, g_strconcat (origin, PRM_WELL_KNOWN, NULL));
  return g_strv_builder_end (builder);
}

char **
mcp_oauth_discovery_server_metadata_urls (const char  *issuer,
                                          GError     **error)
{
  g_autoptr(GUri) uri = parse_http_url (issuer, "the issuer identifier", error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  const char *rest = NULL;

  if (uri == NULL)
    return NULL;
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected an issuer identifier without query or fragment (RFC 8414 §2), "
                   "got “%s”", issuer);
      return NULL;
    }

  origin = split_origin (issuer, &rest);
  path = dup_path_and_query (rest, NULL);
  builder = g_strv_builder_new ();
  if (*path != '\0')
    {
      /* RFC 8414 §3.1 path insertion, OpenID path insertion, OpenID path appending. */
      builder_take (builder, g_strconcat (origin, OAUTH_WELL_KNOWN, path, NULL));
      builder_take (builder, g_strconcat (origin, OIDC_WELL_KNOWN, path, NULL));
      builder_take (builder, g_strconcat (origin, path, OIDC_WELL_KNOWN, NULL));
    }
  else
    {
      builder_take (builder, g_strconcat (origin, OAUTH_WELL_KNOWN, NULL));
      builder_take (builder, g_strconcat (origin, OIDC_WELL_KNOWN, NULL));
    }
  return g_strv_builder_end (builder);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

gboolean
mcp_oauth_discovery_resource_covers (const char *resource,
                                     const char *server_url)
{
  g_autoptr(GUri) r = NULL;
  g_autoptr(GUri) s = NULL;
  g_autofree char *r_path = NULL;
  g_autofree char *s_path = NULL;
  gsize r_len;

  if (resource == NULL || server_url == NULL)
    return FALSE;
  r = parse_http_url (resource, "the resource", NULL);
  s = parse_http_url (server_url, "the server URL", NULL);
  if (r == NULL || s == NULL || g_uri_get_fragment (r) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (r), g_uri_get_scheme (s)) != 0
      || g_ascii_strcasecmp (g_uri_get_host (r), g_uri_get_host (s)) != 0
      || effective_port (r) != effective_port (s))
    return FALSE;
  if (g_uri_get_query (r) != NULL && g_strcmp0 (g_uri_get_query (r), g_uri_get_query (s)) != 0)
    return FALSE;

  r_path = dup_path_and_query (g_uri_get_path (r), NULL);
  s_path = dup_path_and_query (g_uri_get_path (s), NULL);
  r_len = strlen (r_path);
  if (r_len == 0)
    return TRUE;
  return strncmp (s_path, r_path, r_len) == 0 && (s_path[r_len] == '\0' || s_path[r_len] == '/');
}

static gboolean
host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  if (g_str_equal (host, "::1") || g_str_equal (host, "[::1]"))
    return TRUE;
  if (g_str_has_prefix (host, "127."))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      return address != NULL && g_inet_address_get_is_loopback (address);
    }
  return FALSE;
}

gboolean
mcp_oauth_discovery_url_is_secure (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
         && host_is_loopback (g_uri_get_host (uri));
}

/* JSON helpers */

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The strings of array @member (NULL when the member is absent or not an array). */
static char **
object_dup_strv (JsonObject *object,
                 const char *member)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
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

/* Fetching */

static JsonObject *
parse_document (GBytes  *body,
                char   **problem)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  if (size > MAX_METADATA_SIZE)
    {
      *problem = g_strdup_printf ("a %" G_GSIZE_FORMAT "-byte body, larger than any metadata",
                                  size);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, &error))
    {
      *problem = g_strdup_printf ("a body that is not JSON (%s)", error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *problem = g_strdup ("JSON that is not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
start_server_phase (GTask      *task,
                    const char *issuer)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = mcp_oauth_discovery_server_metadata_urls (issuer, &error);

  if (urls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_free (self->issuer);
  self->issuer = g_strdup (issuer);
  g_free (run->issuer);
  run->issuer = g_strdup (issuer);
  run->phase = PHASE_SERVER;
  g_ptr_array_set_size (run->candidates, 0);
  for (guint i = 0; urls[i] != NULL; i++)
    g_ptr_array_add (run->candidates, g_strdup (urls[i]));
  run->next = 0;
  fetch_next (task);
}

static void
use_fallback_endpoints (GTask *task)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);

  /* 2025-03-26 "Fallbacks for Servers without Metadata Discovery". */
  self->authorization_endpoint = g_strconcat (self->issuer, "/authorize", NULL);
  self->token_endpoint = g_strconcat (self->issuer, "/token", NULL);
  self->registration_endpoint = g_strconcat (self->issuer, "/register", NULL);
  log_step (self, MCP_LOG_INFO,
            "No authorization server metadata at %s: using %s, %s and %s",
            self->issuer, self->authorization_endpoint, self->token_endpoint,
            self->registration_endpoint);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
exhausted (GTask *task)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);

  if (run->phase == PHASE_RESOURCE)
    {
      g_autofree char *origin = split_origin (self->server_url, NULL);

      /* No resource metadata at all: a 2025-03-26 server, its own authorization server. */
      log_step (self, MCP_LOG_INFO,
                "No protected resource metadata for %s (last: %s); trying the 2025-03-26 "
                "discovery at %s", self->server_url, run->last_problem, origin);
      self->legacy = TRUE;
      self->resource = g_strdup (self->server_url);
      start_server_phase (task, origin);
      return;
    }

  if (self->legacy)
    {
      use_fallback_endpoints (task);
      return;
    }

  {
    g_autofree char *tried = NULL;

    g_ptr_array_add (run->candidates, NULL);
    tried = g_strjoinv (", ", (char **) run->candidates->pdata);
    g_ptr_array_remove_index (run->candidates, run->candidates->len - 1);
    g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                             "Expected authorization server metadata for issuer “%s” at one of "
                             "%s, got %s", run->issuer, tried, run->last_problem);
    g_object_unref (task);
  }
}

static gboolean
accept_resource_metadata (GTask      *task,
                          JsonObject *document,
                          GError    **error)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  const char *resource = object_get_string (document, "resource");
  g_auto(GStrv) servers = object_dup_strv (document, "authorization_servers");

  if (resource == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_RESOURCE_MISMATCH,
                   "Protected resource metadata at %s names no resource; expected “%s”",
                   run->current_url, self->server_url);
      return FALSE;
    }
  /* RFC 9728 §3.3: metadata for another resource must not be used. */
  if (!mcp_oauth_discovery_resource_covers (resource, self->server_url))
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_RESOURCE_MISMATCH,
                   "Protected resource metadata at %s is for resource “%s”, expected “%s” "
                   "(or a parent path of it on the same origin)",
                   run->current_url, resource, self->server_url);
      return FALSE;
    }
  if (servers == NULL || servers[0] == NULL)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                   "Expected protected resource metadata at %s to list authorization_servers, "
                   "got none", run->current_url);
      return FALSE;
    }

  self->resource_metadata_url = g_strdup (run->current_url);
  self->resource = g_strdup (resource);
  self->resource_scopes = object_dup_strv (document, "scopes_supported");
  log_step (self, MCP_LOG_INFO, "Protected resource metadata at %s: resource %s, "
            "authorization server %s", run->current_url, resource, servers[0]);
  start_server_phase (task, servers[0]);
  return TRUE;
}

static gboolean
accept_server_metadata (GTask      *task,
                        JsonObject *document,
                        GError    **error)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  const char *issuer = object_get_string (document, "issuer");
  gboolean matches = g_strcmp0 (issuer, run->issuer) == 0;

  /* In the 2025-03-26 fallback the issuer is our guess (the origin), so "origin/" is fine. */
  if (!matches && self->legacy && issuer != NULL)
    {
      g_autofree char *with_slash = g_strconcat (run->issuer, "/", NULL);

      matches = g_str_equal (issuer, with_slash);
    }
  if (!matches)
    {
      g_set_error (error, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_ISSUER_MISMATCH,
                   "Authorization server metadata at %s names issuer “%s”, expected “%s”",
                   run->current_url, issuer != NULL ? issuer : "(none)", run->issuer);
      return FALSE;
    }

  self->server_metadata_url = g_strdup (run->current_url);
  self->server_metadata = json_object_ref (document);
  self->authorization_endpoint = g_strdup (object_get_string (document, "authorization_endpoint"));
  self->token_endpoint = g_strdup (object_get_string (document, "token_endpoint"));
  self->registration_endpoint = g_strdup (object_get_string (document, "registration_endpoint"));
  log_step (self, MCP_LOG_INFO, "Authorization server metadata at %s (issuer %s)",
            run->current_url, issuer);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return TRUE;
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) document = NULL;
  g_autofree char *problem = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_DISCOVERY_FAILED,
                                 "Could not fetch %s: %s", run->current_url, error->message);
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK)
    problem = g_strdup_printf ("HTTP %u from %s", status, run->current_url);
  else
    {
      g_autofree char *why = NULL;

      document = parse_document (body, &why);
      if (document == NULL)
        problem = g_strdup_printf ("%s from %s", why, run->current_url);
    }

  if (document == NULL)
    {
      log_step (self, MCP_LOG_DEBUG, "No metadata: %s", problem);
      g_free (run->last_problem);
      run->last_problem = g_steal_pointer (&problem);
      fetch_next (task);
      return;
    }

  if (run->phase == PHASE_RESOURCE)
    {
      if (!accept_resource_metadata (task, document, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
        }
    }
  else if (!accept_server_metadata (task, document, &error))
    {
      /* A document that claims to be another server is a warning sign, not a miss. */
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
}

static void
fetch_next (GTask *task)
{
  McpOAuthDiscovery *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  const char *url;

  if (run->next >= run->candidates->len)
    {
      exhausted (task);
      return;
    }

  url = g_ptr_array_index (run->candidates, run->next++);
  g_free (run->current_url);
  run->current_url = g_strdup (url);
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_free (run->last_problem);
      run->last_problem = g_strdup_printf ("an unusable URL “%s”", url);
      fetch_next (task);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  log_step (self, MCP_LOG_DEBUG, "GET %s", url);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), fetch_cb, task);
}

void
mcp_oauth_discovery_run_async (McpOAuthDiscovery   *self,
                               const char          *resource_metadata_url,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) well_known = NULL;
  RunData *run;

  g_return_if_fail (MCP_IS_OAUTH_DISCOVERY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mcp_oauth_discovery_run_async);

  clear_results (self);
  well_known = mcp_oauth_discovery_resource_metadata_urls (self->server_url, &error);
  if (well_known == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_new0 (RunData, 1);
  run->phase = PHASE_RESOURCE;
  run->candidates = g_ptr_array_new_with_free_func (g_free);
  run->last_problem = g_strdup ("nothing");
  g_task_set_task_data (task, run, run_data_free);

  if (resource_metadata_url != NULL)
    g_ptr_array_add (run->candidates, g_strdup (resource_metadata_url));
  for (guint i = 0; well_known[i] != NULL; i++)
    if (g_strcmp0 (well_known[i], resource_metadata_url) != 0)
      g_ptr_array_add (run->candidates, g_strdup (well_known[i]));

  fetch_next (g_steal_pointer (&task));
}

gboolean
mcp_oauth_discovery_run_finish (McpOAuthDiscovery  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
mcp_oauth_discovery_get_server_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_url;
}

const char *
mcp_oauth_discovery_get_resource_metadata_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->resource_metadata_url;
}

const char *
mcp_oauth_discovery_get_resource (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->resource;
}

const char * const *
mcp_oauth_discovery_get_resource_scopes (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return (const char * const *) self->resource_scopes;
}

const char *
mcp_oauth_discovery_get_issuer (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->issuer;
}

const char *
mcp_oauth_discovery_get_server_metadata_url (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_metadata_url;
}

JsonObject *
mcp_oauth_discovery_get_server_metadata (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->server_metadata;
}

const char *
mcp_oauth_discovery_get_authorization_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->authorization_endpoint;
}

const char *
mcp_oauth_discovery_get_token_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->token_endpoint;
}

const char *
mcp_oauth_discovery_get_registration_endpoint (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return self->registration_endpoint;
}

gboolean
mcp_oauth_discovery_get_legacy (McpOAuthDiscovery *self)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), FALSE);
  return self->legacy;
}

const char *
mcp_oauth_discovery_get_server_string (McpOAuthDiscovery *self,
                                       const char        *member)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return object_get_string (self->server_metadata, member);
}

gboolean
mcp_oauth_discovery_get_server_boolean (McpOAuthDiscovery *self,
                                        const char        *member)
{
  JsonNode *node;

  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), FALSE);
  if (self->server_metadata == NULL)
    return FALSE;
  node = json_object_get_member (self->server_metadata, member);
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

char **
mcp_oauth_discovery_dup_server_strv (McpOAuthDiscovery *self,
                                     const char        *member)
{
  g_return_val_if_fail (MCP_IS_OAUTH_DISCOVERY (self), NULL);
  return object_dup_strv (self->server_metadata, member);
}

gboolean
mcp_oauth_discovery_server_lists (McpOAuthDiscovery *self,
                                  const char        *member,
                                  const char        *value)
{
  g_auto(GStrv) values = mcp_oauth_discovery_dup_server_strv (self, member);

  return values != NULL && g_strv_contains ((const char * const *) values, value);
}
