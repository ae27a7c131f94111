/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mcp-headless-authorizer.h"
#include "mcp-oauth.h"

struct _McpHeadlessAuthorizer
{
  GObject      parent_instance;

  SoupSession *session;
  char        *redirect_uri;
  guint        max_redirects;
};

static void authorizer_iface_init (McpAuthorizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpHeadlessAuthorizer, mcp_headless_authorizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_AUTHORIZER, authorizer_iface_init))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_REDIRECT_URI,
  PROP_MAX_REDIRECTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char  *redirect_uri;
  char  *origin;       /* of the authorization URL: redirects within it are followed */
  char  *current;      /* the URL being fetched */
  guint  redirects;
} Walk;

static void
walk_free (gpointer data)
{
  Walk *walk = data;

  g_free (walk->redirect_uri);
  g_free (walk->origin);
  g_free (walk->current);
  g_free (walk);
}

static void fetch (GTask *task);

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpHeadlessAuthorizer *self = g_task_get_source_object (task);
  Walk *walk = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  g_autofree char *shown = mcp_authorizer_dup_uri_without_query (walk->current);
  g_autofree char *next = NULL;
  g_autofree char *next_origin = NULL;
  const char *location;
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                                 "Could not fetch the authorization page %s: %s",
                                 shown, error->message);
      return;
    }

  status = soup_message_get_status (message);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                           "Location");
  if (!SOUP_STATUS_IS_REDIRECTION (status) || location == NULL)
    {
      const char *type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (message), NULL);

      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected %s to redirect to %s, got HTTP %u%s%s: this "
                               "authorization server needs a person, sign in with a browser",
                               shown, walk->redirect_uri, status,
                               type != NULL ? " with " : "", type != NULL ? type : "");
      return;
    }

  next = g_uri_resolve_relative (walk->current, location, G_URI_FLAGS_ENCODED, &error);
  if (next == NULL)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected a URL in the Location header from %s, got one that "
                               "does not parse (%s)", shown, error->message);
      return;
    }

  if (mcp_authorizer_uri_matches_redirect (next, walk->redirect_uri))
    {
      g_task_return_pointer (task, g_steal_pointer (&next), g_free);
      return;
    }

  next_origin = mcp_oauth_discovery_dup_origin (next);
  if (next_origin == NULL || g_ascii_strcasecmp (next_origin, walk->origin) != 0)
    {
      g_autofree char *next_shown = mcp_authorizer_dup_uri_without_query (next);

      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected a redirect within %s or to %s, got one to %s: this "
                               "authorization server sends people elsewhere (to sign in), use "
                               "a browser", walk->origin, walk->redirect_uri, next_shown);
      return;
    }
  if (++walk->redirects > self->max_redirects)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected a redirect to %s within %u redirects, the authorization "
                               "server kept redirecting (last from %s)",
                               walk->redirect_uri, self->max_redirects, shown);
      return;
    }

  g_free (walk->current);
  walk->current = g_steal_pointer (&next);
  fetch (g_steal_pointer (&task));
}

static void
fetch (GTask *task)
{
  McpHeadlessAuthorizer *self = g_task_get_source_object (task);
  Walk *walk = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, walk->current);

  if (message == NULL)
    {
      g_autofree char *shown = mcp_authorizer_dup_uri_without_query (walk->current);

      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected an http(s) authorization URL, got “%s”", shown);
      g_object_unref (task);
      return;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), fetch_cb, task);
}

static char *
headless_prepare (McpAuthorizer  *authorizer,
                  const char     *registered,
                  GError        **error)
{
  McpHeadlessAuthorizer *self = MCP_HEADLESS_AUTHORIZER (authorizer);

  /* Nothing listens: any registered URI works as well as ours, and keeps the registration. */
  if (registered != NULL)
    return g_strdup (registered);
  return g_strdup (self->redirect_uri);
}

static void
headless_authorize_async (McpAuthorizer       *authorizer,
                          const char          *authorization_url,
                          const char          *redirect_uri,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (authorizer, cancellable, callback, user_data);
  Walk *walk = g_new0 (Walk, 1);

  g_task_set_source_tag (task, headless_authorize_async);
  g_task_set_task_data (task, walk, walk_free);
  walk->redirect_uri = g_strdup (redirect_uri);
  walk->current = g_strdup (authorization_url);
  walk->origin = mcp_oauth_discovery_dup_origin (authorization_url);
  if (walk->origin == NULL)
    {
      g_autofree char *shown = mcp_authorizer_dup_uri_without_query (authorization_url);

      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_AUTHORIZATION_FAILED,
                               "Expected an http(s) authorization URL, got “%s”", shown);
      return;
    }
  fetch (g_steal_pointer (&task));
}

static char *
headless_authorize_finish (McpAuthorizer  *authorizer,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, authorizer), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
authorizer_iface_init (McpAuthorizerInterface *iface)
{
  iface->prepare = headless_prepare;
  iface->authorize_async = headless_authorize_async;
  iface->authorize_finish = headless_authorize_finish;
}

static void
mcp_headless_authorizer_constructed (GObject *object)
{
  McpHeadlessAuthorizer *self = MCP_HEADLESS_AUTHORIZER (object);

  G_OBJECT_CLASS (mcp_headless_authorizer_parent_class)->constructed (object);

  if (self->session == NULL)
    {
      g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();

      self->session = soup_session_new ();
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (jar));
    }
}

static void
mcp_headless_authorizer_finalize (GObject *object)
{
  McpHeadlessAuthorizer *self = MCP_HEADLESS_AUTHORIZER (object);

  g_clear_object (&self->session);
  g_free (self->redirect_uri);
  G_OBJECT_CLASS (mcp_headless_authorizer_parent_class)->finalize (object);
}

static void
mcp_headless_authorizer_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  McpHeadlessAuthorizer *self = MCP_HEADLESS_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;
    case PROP_MAX_REDIRECTS:
      g_value_set_uint (value, self->max_redirects);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_headless_authorizer_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  McpHeadlessAuthorizer *self = MCP_HEADLESS_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_REDIRECT_URI:
      mcp_headless_authorizer_set_redirect_uri (self, g_value_get_string (value));
      break;
    case PROP_MAX_REDIRECTS:
      mcp_headless_authorizer_set_max_redirects (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_headless_authorizer_class_init (McpHeadlessAuthorizerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = mcp_headless_authorizer_constructed;
  object_class->finalize = mcp_headless_authorizer_finalize;
  object_class->get_property = mcp_headless_authorizer_get_property;
  object_class->set_property = mcp_headless_authorizer_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL, MCP_HEADLESS_AUTHORIZER_DEFAULT_REDIRECT_URI,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_REDIRECTS] =
    g_param_spec_uint ("max-redirects", NULL, NULL, 0, 100,
                       MCP_HEADLESS_AUTHORIZER_DEFAULT_MAX_REDIRECTS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mcp_headless_authorizer_init (McpHeadlessAuthorizer *self)
{
  self->redirect_uri = g_strdup (MCP_HEADLESS_AUTHORIZER_DEFAULT_REDIRECT_URI);
  self->max_redirects = MCP_HEADLESS_AUTHORIZER_DEFAULT_MAX_REDIRECTS;
}

McpHeadlessAuthorizer *
mcp_headless_authorizer_new (SoupSession *session)
{
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (MCP_TYPE_HEADLESS_AUTHORIZER, "session", session, NULL);
}

void
mcp_headless_authorizer_set_redirect_uri (McpHeadlessAuthorizer *self,
                                          const char            *uri)
{
  g_return_if_fail (MCP_IS_HEADLESS_AUTHORIZER (self));

  if (uri == NULL)
    uri = MCP_HEADLESS_AUTHORIZER_DEFAULT_REDIRECT_URI;
  if (g_strcmp0 (self->redirect_uri, uri) != 0)
    {
      g_free (self->redirect_uri);
      self->redirect_uri = g_strdup (uri);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDIRECT_URI]);
    }
}

const char *
mcp_headless_authorizer_get_redirect_uri (McpHeadlessAuthorizer *self)
{
  g_return_val_if_fail (MCP_IS_HEADLESS_AUTHORIZER (self), NULL);
  return self->redirect_uri;
}

void
mcp_headless_authorizer_set_max_redirects (McpHeadlessAuthorizer *self,
                                           guint                  max)
{
  g_return_if_fail (MCP_IS_HEADLESS_AUTHORIZER (self));

  if (self->max_redirects != max)
    {
      self->max_redirects = max;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_REDIRECTS]);
    }
}
