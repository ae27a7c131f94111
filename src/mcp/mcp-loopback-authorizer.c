/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mcp-loopback-authorizer.h"
#include "mcp-oauth.h"
#include "mcp-transport.h"

struct _McpLoopbackAuthorizer
{
  GObject     parent_instance;

  SoupServer *server;
  guint       port;
  char       *redirect_uri;
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

static const char page_done[] =
  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Tether</title></head>"
  "<body style=\"font-family: sans-serif; text-align: center; margin-top: 4em\">"
  "<h1>Signed in</h1><p>You can close this window and return to Tether.</p></body></html>\n";

static const char page_unexpected[] =
  "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Tether</title></head>"
  "<body style=\"font-family: sans-serif; text-align: center; margin-top: 4em\">"
  "<h1>No sign-in is waiting</h1><p>Tether did not expect this page.</p></body></html>\n";

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
answer (SoupServerMessage *msg,
        guint              status,
        const char        *page)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  McpLoopbackAuthorizer *self = user_data;
  g_autoptr(GTask) task = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *reached = NULL;

  if (!g_str_equal (path, MCP_LOOPBACK_AUTHORIZER_PATH))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (self->pending == NULL
      || (query == NULL || (!g_hash_table_contains (query, "code")
                            && !g_hash_table_contains (query, "error"))))
    {
      answer (msg, SOUP_STATUS_BAD_REQUEST, page_unexpected);
      return;
    }

  reached = g_strdup_printf ("%s%s%s", self->redirect_uri,
                             g_uri_get_query (uri) != NULL ? "?" : "",
                             g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  answer (msg, SOUP_STATUS_OK, page_done);

  disconnect_pending (self);
  task = g_steal_pointer (&self->pending);
  g_task_return_pointer (task, g_steal_pointer (&reached), g_free);
}

static gboolean
listen_on (McpLoopbackAuthorizer  *self,
           guint                   port,
           GError                **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "Tether", NULL);
  GSList *uris;

  if (!soup_server_listen (server, address, 0, error))
    return FALSE;
  uris = soup_server_get_uris (server);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Listening on 127.0.0.1:%u gave no address", port);
      return FALSE;
    }
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  soup_server_add_handler (server, NULL, callback_handler, self, NULL);
  self->server = g_steal_pointer (&server);
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u" MCP_LOOPBACK_AUTHORIZER_PATH,
                                        self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  return TRUE;
}

/* The port of @registered when it is one of ours (http://127.0.0.1:PORT/callback), else 0. */
static guint
registered_port (const char *registered)
{
  g_autoptr(GUri) uri = NULL;

  if (registered == NULL)
    return 0;
  uri = g_uri_parse (registered, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
      || g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") != 0
      || g_strcmp0 (g_uri_get_path (uri), MCP_LOOPBACK_AUTHORIZER_PATH) != 0
      || g_uri_get_port (uri) <= 0)
    return 0;
  return g_uri_get_port (uri);
}

static char *
loopback_prepare (McpAuthorizer  *authorizer,
                  const char     *registered,
                  GError        **error)
{
  McpLoopbackAuthorizer *self = MCP_LOOPBACK_AUTHORIZER (authorizer);
  guint wanted = registered_port (registered);

  if (self->server != NULL && (wanted == 0 || wanted == self->port))
    return g_strdup (self->redirect_uri);
  if (self->server != NULL && self->pending != NULL)
    return g_strdup (self->redirect_uri);

  mcp_loopback_authorizer_stop (self);
  if (wanted != 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (listen_on (self, wanted, &local_error))
        return g_strdup (self->redirect_uri);
      /* Taken by now: a new port means a new registration with strict servers. */
      {
        g_autofree char *text = g_strdup_printf ("Could not listen on the registered port %u "
                                                 "again (%s); using another one", wanted,
                                                 local_error->message);
        log_text (self, MCP_LOG_INFO, text);
      }
    }
  if (!listen_on (self, 0, error))
    return NULL;
  return g_strdup (self->redirect_uri);
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

  g_task_set_source_tag (task, loopback_authorize_async);

  if (self->server == NULL || g_strcmp0 (redirect_uri, self->redirect_uri) != 0)
    {
      g_task_return_new_error (task, MCP_OAUTH_ERROR, MCP_OAUTH_ERROR_FAILED,
                               "Expected the redirect URI %s from prepare, got %s",
                               self->redirect_uri != NULL ? self->redirect_uri : "(none)",
                               redirect_uri);
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

  g_free (self->redirect_uri);
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
      g_value_set_uint (value, self->port);
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
  return self->port;
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

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->redirect_uri, g_free);
  self->port = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}
