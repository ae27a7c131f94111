/* SPDX-License-Identifier: GPL-3.0-or-later */
/* McpOAuthDiscovery: a run — protected resource metadata, then the authorization server's,
 * trying each candidate URL in turn (see mcp-oauth-discovery.h for the order). */
#include "config.h"

#include <string.h>

#include "mcp-oauth.h"
#include "mcp-oauth-discovery-private.h"

/* Metadata documents are small; anything bigger is not one. */
#define MAX_METADATA_SIZE (1024 * 1024)

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
  mcp_oauth_discovery_log (self, MCP_LOG_INFO,
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
      g_autofree char *origin = mcp_oauth_discovery_split_origin (self->server_url, NULL);

      /* No resource metadata at all: a 2025-03-26 server, its own authorization server. */
      mcp_oauth_discovery_log (self, MCP_LOG_INFO,
                               "No protected resource metadata for %s (last: %s); trying the "
                               "2025-03-26 discovery at %s",
                               self->server_url, run->last_problem, origin);
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
  const char *resource = mcp_oauth_discovery_object_get_string (document, "resource");
  g_auto(GStrv) servers = mcp_oauth_discovery_object_dup_strv (document, "authorization_servers");

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
  self->resource_scopes = mcp_oauth_discovery_object_dup_strv (document, "scopes_supported");
  mcp_oauth_discovery_log (self, MCP_LOG_INFO, "Protected resource metadata at %s: resource %s, "
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
  const char *issuer = mcp_oauth_discovery_object_get_string (document, "issuer");
  gboolean matches = g_strcmp0 (issuer, run->issuer) == 0;

  /* In the 2025-03-26 fallback nobody named an issuer: the location is our guess, the MCP
   * server's origin, and that server is its own authorization server. Its document may name
   * the issuer it is with a path ("origin/", "origin/oauth") on that same origin; that issuer
   * is then the one (for RFC 9207 iss and registrations kept per issuer). Another origin is
   * refused. With protected resource metadata the issuer came from there, and the exact
   * comparison of RFC 8414 §3.3 stands. */
  if (!matches && self->legacy && issuer != NULL && strpbrk (issuer, "?#") == NULL)
    {
      g_autofree char *origin = mcp_oauth_discovery_dup_origin (issuer);

      matches = g_strcmp0 (origin, run->issuer) == 0;
      if (matches)
        {
          g_free (self->issuer);
          self->issuer = g_strdup (issuer);
        }
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
  self->authorization_endpoint =
    g_strdup (mcp_oauth_discovery_object_get_string (document, "authorization_endpoint"));
  self->token_endpoint =
    g_strdup (mcp_oauth_discovery_object_get_string (document, "token_endpoint"));
  self->registration_endpoint =
    g_strdup (mcp_oauth_discovery_object_get_string (document, "registration_endpoint"));
  mcp_oauth_discovery_log (self, MCP_LOG_INFO, "Authorization server metadata at %s (issuer %s)",
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
      mcp_oauth_discovery_log (self, MCP_LOG_DEBUG, "No metadata: %s", problem);
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
  mcp_oauth_discovery_log (self, MCP_LOG_DEBUG, "GET %s", url);
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

  mcp_oauth_discovery_clear_results (self);
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
