/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-loopback-authorizer.h"
#include "mcp-oauth.h"
#include "mcp-redirect-listener.h"
#include "mcp-transport.h"

struct _McpLoopbackAuthorizer
{
  GObject     parent_instance;

  McpRedirectListener *listener;
  gboolean    open_browser;
  GTask      *pending;           /* the authorize_async waiting for the browser */
  gulong      cancelled_id;
};

static void authorizer_iface_init (McpAuthorizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (McpLoopbackAuthorizer, mcp_loopback_authorizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_AUTHORIZER, authorizer_iface_init))

enum {
  PROP_0,
  PROP_PORT,
  PROP_OPEN_BROWSER,
  N_PROPS
};

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
log_text (McpLoopbackAuthorizer *self,
          McpLogLevel            level,
          const char            *text)
{
  g_debug ("%s", text);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, text);
}

static void
disconnect_pending (McpLoopbackAuthorizer *self)
{
  if (self->pending != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (self->pending), self->cancelled_id);
  self->cancelled_id = 0;
}

static void
arrived_cb (McpRedirectListener   *listener,
            SoupServerMessage     *msg,
            GHashTable            *query,
            McpLoopbackAuthorizer *self)
{
  g_autoptr(GTask) task = NULL;
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (self->pending == NULL
      || (query == NULL || (!g_hash_table_contains (query, "code")
                            && !g_hash_table_contains (query, "error"))))
    {
      mcp_redirect_listener_answer (msg, SOUP_STATUS_BAD_REQUEST, "No sign-in is waiting",
                                    "Tether did not expect this page.");
      return;
    }

  mcp_redirect_listener_answer (msg, SOUP_STATUS_OK, "Signed in",
                                "You can close this window and return to Tether.");
  disconnect_pending (self);
  task = g_steal_pointer (&self->pending);
  g_task_return_pointer (task,
                         g_strconcat (mcp_redirect_listener_get_redirect_uri (listener),
                                      raw_query != NULL ? "?" : "",
                                      raw_query != NULL ? raw_query : "", NULL),
                         g_free);
}

static void
port_notify_cb (McpRedirectListener   *listener,
                GParamSpec            *pspec,
                McpLoopbackAuthorizer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

static char *
loopback_prepare (McpAuthorizer  *authorizer,
                  const char     *registered,
                  GError        **error)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (authorizer);
  g_autofree char *note = NULL;
  const char *redirect_uri;

  /* A sign-in under way keeps its listener. */
  if (self->pending != NULL && mcp_redirect_listener_is_listening (self->listener))
    return g_strdup (mcp_redirect_listener_get_redirect_uri (self->listener));

  redirect_uri = mcp_redirect_listener_listen (self->listener, registered, &note, error);
  if (note != NULL)
    log_text (self, MCP_LOG_INFO, note);
  return g_strdup (redirect_uri);
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  McpLoopbackAuthorizer *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  /* Called from g_cancellable_cancel(); disconnecting here would deadlock. */
  self->cancelled_id = 0;
  if (task != NULL)
    g_task_return_error_if_cancelled (task);
}

static char **
browser_argv (const char  *command,
              const char  *uri,
              GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean substituted = FALSE;

  if (!g_shell_parse_argv (command, NULL, &argv, error))
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autoptr(GString) arg = g_string_new (NULL);

      for (const char *p = argv[i]; *p != '\0'; p++)
        {
          if (p[0] == '%' && p[1] == 's')
            {
              g_string_append (arg, uri);
              substituted = TRUE;
              p++;
            }
          else if (p[0] == '%' && p[1] == '%')
            {
              g_string_append_c (arg, '%');
              p++;
            }
          else
            g_string_append_c (arg, *p);
        }
      g_strv_builder_add (builder, arg->str);
    }
  if (!substituted)
    g_strv_builder_add (builder, uri);
  return g_strv_builder_end (builder);
}

gboolean
mcp_loopback_authorizer_spawn_browser (const char  *browser_env,
                                       const char  *uri,
                                       GError     **error)
{
  g_auto(GStrv) commands = NULL;
  g_autoptr(GError) last_error = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  if (browser_env == NULL || *browser_env == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "$BROWSER is not set");
      return FALSE;
    }
  commands = g_strsplit (browser_env, ":", -1);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_auto(GStrv) argv = NULL;

      if (*g_strstrip (commands[i]) == '\0')
        continue;
      g_clear_error (&last_error);
      argv = browser_argv (commands[i], uri, &last_error);
      if (argv != NULL
          && g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &last_error))
        return TRUE;
    }
  if (last_error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "$BROWSER names no command");
  else
    g_propagate_error (error, g_steal_pointer (&last_error));
  return FALSE;
}

static void
open_browser (McpLoopbackAuthorizer *self,
              const char            *uri)
{
  g_autoptr(GError) browser_error = NULL;
  g_autoptr(GError) desktop_error = NULL;
  g_autofree char *text = NULL;

  if (mcp_loopback_authorizer_spawn_browser (g_getenv ("BROWSER"), uri, &browser_error))
    return;
  if (g_app_info_launch_default_for_uri (uri, NULL, &desktop_error))
    return;
  text = g_strdup_printf ("Could not open a web browser (%s; %s). Open this address to sign "
                          "in: %s", browser_error->message, desktop_error->message, uri);
  log_text (self, MCP_LOG_WARNING, text);
}

static void
loopback_authorize_async (McpAuthorizer       *authorizer,
                          const char          *authorization_url,
                          const char          *redirect_uri,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (authorizer);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *listening;

  g_task_set_source_tag (task, loopback_authorize_async);

  listening = mcp_redirect_listener_get_redirect_uri (self->listener);
  if (listening == NULL || g_strcmp0 (redirect_uri, listening) != 0)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                               "Expected the redirect URI %s from prepare, got %s",
                               listening != NULL ? listening : "(none)", redirect_uri);
      return;
    }
  if (self->pending != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "Another sign-in is already waiting for the browser");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->pending = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self,
                                                NULL);
  if (self->open_browser && self->pending != NULL)
    open_browser (self, authorization_url);
}

static char *
loopback_authorize_finish (McpAuthorizer  *authorizer,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, authorizer), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
authorizer_iface_init (McpAuthorizerInterface *iface)
{
  iface->prepare = loopback_prepare;
  iface->authorize_async = loopback_authorize_async;
  iface->authorize_finish = loopback_authorize_finish;
}

static void
mcp_loopback_authorizer_dispose (GObject *object)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (object);

  if (self->pending != NULL)
    {
      g_autoptr(GTask) task = NULL;

      disconnect_pending (self);
      task = g_steal_pointer (&self->pending);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The sign-in was abandoned");
    }
  mcp_loopback_authorizer_stop (self);
  G_OBJECT_CLASS (mcp_loopback_authorizer_parent_class)->dispose (object);
}

static void
mcp_loopback_authorizer_finalize (GObject *object)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (object);

  g_clear_object (&self->listener);
  G_OBJECT_CLASS (mcp_loopback_authorizer_parent_class)->finalize (object);
}

static void
mcp_loopback_authorizer_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, mcp_redirect_listener_get_port (self->listener));
      break;
    case PROP_OPEN_BROWSER:
      g_value_set_boolean (value, self->open_browser);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_loopback_authorizer_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_OPEN_BROWSER:
      mcp_loopback_authorizer_set_open_browser (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_loopback_authorizer_class_init (McpLoopbackAuthorizerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mcp_loopback_authorizer_dispose;
  object_class->finalize = mcp_loopback_authorizer_finalize;
  object_class->get_property = mcp_loopback_authorizer_get_property;
  object_class->set_property = mcp_loopback_authorizer_set_property;

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN_BROWSER] =
    g_param_spec_boolean ("open-browser", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

static void
mcp_loopback_authorizer_init (McpLoopbackAuthorizer *self)
{
  self->open_browser = TRUE;
  self->listener = mcp_redirect_listener_new ();
  g_signal_connect (self->listener, "arrived", G_CALLBACK (arrived_cb), self);
  g_signal_connect (self->listener, "notify::port", G_CALLBACK (port_notify_cb), self);
}

McpLoopbackAuthorizer *
mcp_loopback_authorizer_new (void)
{
  return g_object_new (MCP_TYPE_LOOPBACK_AUTHORIZER, NULL);
}

guint
mcp_loopback_authorizer_get_port (McpLoopbackAuthorizer *self)
{
  g_return_val_if_fail (MCP_IS_LOOPBACK_AUTHORIZER (self), 0);
  return mcp_redirect_listener_get_port (self->listener);
}

void
mcp_loopback_authorizer_set_open_browser (McpLoopbackAuthorizer *self,
                                          gboolean               open)
{
  g_return_if_fail (MCP_IS_LOOPBACK_AUTHORIZER (self));

  open = !!open;
  if (self->open_browser != open)
    {
      self->open_browser = open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN_BROWSER]);
    }
}

void
mcp_loopback_authorizer_stop (McpLoopbackAuthorizer *self)
{
  g_return_if_fail (MCP_IS_LOOPBACK_AUTHORIZER (self));
  mcp_redirect_listener_stop (self->listener);
}
