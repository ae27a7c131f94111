/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tether-application.h"
#include "tether-web-authorizer.h"

struct _TetherWebAuthorizer
{
  GObject             parent_instance;

  char               *server_name;
  GtkWindow          *transient_for;      /* weak */
  guint               timeout;

  McpRedirectListener *listener;

  /* The sign-in under way */
  GTask              *pending;
  TetherSignInDialog *dialog;
  char               *pending_redirect;
  guint               timeout_id;
  GSource            *cancelled_source;
};

static void authorizer_iface_init (McpAuthorizerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TetherWebAuthorizer, tether_web_authorizer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MCP_TYPE_AUTHORIZER, authorizer_iface_init))

G_DEFINE_QUARK (tether-web-authorizer-error-quark, tether_web_authorizer_error)

enum {
  PROP_0,
  PROP_SERVER_NAME,
  PROP_TRANSIENT_FOR,
  PROP_TIMEOUT,
  PROP_PORT,
  PROP_CALLBACK_REQUESTS,
  PROP_DIALOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Ending the sign-in ------------------------------------------------------------------ */

static void
close_dialog (TetherWebAuthorizer *self)
{
  g_autoptr(TetherSignInDialog) dialog = g_steal_pointer (&self->dialog);

  if (dialog == NULL)
    return;
  g_signal_handlers_disconnect_by_data (dialog, self);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALOG]);
}

/* Completes the sign-in under way with @uri, or with @error when @uri is NULL. */
static void
finish (TetherWebAuthorizer *self,
        const char          *uri,
        GError              *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancelled_source != NULL)
    {
      g_source_destroy (self->cancelled_source);
      g_clear_pointer (&self->cancelled_source, g_source_unref);
    }
  g_clear_pointer (&self->pending_redirect, g_free);
  close_dialog (self);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (uri != NULL)
    g_task_return_pointer (task, g_strdup (uri), g_free);
  else
    g_task_return_error (task, error);
}

static void
redirect_reached_cb (TetherSignInDialog  *dialog,
                     const char          *uri,
                     TetherWebAuthorizer *self)
{
  g_debug ("The sign-in view reached the redirect URI");
  finish (self, uri, NULL);
}

static void
dialog_cancelled_cb (TetherSignInDialog  *dialog,
                     TetherWebAuthorizer *self)
{
  finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The sign-in was cancelled"));
}

static gboolean
timed_out_cb (gpointer user_data)
{
  TetherWebAuthorizer *self = user_data;
  g_autofree char *where = mcp_authorizer_dup_uri_without_query (self->pending_redirect);
  guint seconds = self->timeout;

  self->timeout_id = 0;
  finish (self, NULL,
          g_error_new (TETHER_WEB_AUTHORIZER_ERROR, TETHER_WEB_AUTHORIZER_ERROR_TIMED_OUT,
                       "Expected the sign-in to end at %s within %u:%02u minutes; it did not, "
                       "so it was given up", where, seconds / 60, seconds % 60));
  return G_SOURCE_REMOVE;
}

static gboolean
cancellable_cancelled_cb (GCancellable *cancellable,
                          gpointer      user_data)
{
  TetherWebAuthorizer *self = user_data;

  finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The sign-in was cancelled"));
  return G_SOURCE_REMOVE;
}

/* ---- The loopback listener --------------------------------------------------------------- */

static void
arrived_cb (McpRedirectListener *listener,
            SoupServerMessage   *msg,
            GHashTable          *query,
            TetherWebAuthorizer *self)
{
  const char *redirect_uri = mcp_redirect_listener_get_redirect_uri (listener);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autofree char *reached = NULL;

  if (self->pending == NULL || g_strcmp0 (self->pending_redirect, redirect_uri) != 0
      || query == NULL
      || (!g_hash_table_contains (query, "code") && !g_hash_table_contains (query, "error")))
    {
      mcp_redirect_listener_answer (msg, SOUP_STATUS_BAD_REQUEST, _("No Sign-In Is Waiting"),
                                    _("Tether did not expect this page. Start signing in "
                                      "from Tether."));
      return;
    }

  reached = g_strconcat (redirect_uri, "?", raw_query, NULL);
  mcp_redirect_listener_answer (msg, SOUP_STATUS_OK, _("Back to Tether"),
                                _("Signing in is done here. You can close this tab and return "
                                  "to Tether."));
  g_debug ("The browser reached the redirect URI");
  finish (self, reached, NULL);
}

static void
listener_notify_cb (McpRedirectListener *listener,
                    GParamSpec          *pspec,
                    TetherWebAuthorizer *self)
{
  if (g_str_equal (pspec->name, "port"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  else if (g_str_equal (pspec->name, "requests"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALLBACK_REQUESTS]);
}

static char *
web_prepare (McpAuthorizer  *authorizer,
             const char     *registered,
             GError        **error)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (authorizer);
  g_autofree char *note = NULL;
  const char *redirect_uri;

  /* A sign-in under way keeps its listener. */
  if (self->pending != NULL && mcp_redirect_listener_is_listening (self->listener))
    return g_strdup (mcp_redirect_listener_get_redirect_uri (self->listener));

  redirect_uri = mcp_redirect_listener_listen (self->listener, registered, &note, error);
  if (note != NULL)
    g_debug ("%s", note);
  return g_strdup (redirect_uri);
}

/* ---- The sign-in ------------------------------------------------------------------------- */

char *
tether_web_authorizer_dup_session_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "tether", "web-session", NULL);
}

static gboolean
remember_sign_in (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TETHER_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "remember-sign-in"))
    return FALSE;
  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_boolean (settings, "remember-sign-in");
}

static WebKitNetworkSession *
create_network_session (void)
{
  g_autofree char *base = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *cookies = NULL;
  WebKitNetworkSession *session;

  if (!remember_sign_in ())
    return webkit_network_session_new_ephemeral ();

  base = tether_web_authorizer_dup_session_dir ();
  data_dir = g_build_filename (base, "data", NULL);
  cache_dir = g_build_filename (base, "cache", NULL);
  cookies = g_build_filename (data_dir, "cookies.sqlite", NULL);
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    g_warning ("Could not create %s: %s", data_dir, g_strerror (errno));
  session = webkit_network_session_new (data_dir, cache_dir);
  webkit_cookie_manager_set_persistent_storage (webkit_network_session_get_cookie_manager (session),
                                                cookies, WEBKIT_COOKIE_PERSISTENT_STORAGE_SQLITE);
  return session;
}

static GtkWindow *
choose_parent (TetherWebAuthorizer *self)
{
  GApplication *application = g_application_get_default ();

  if (self->transient_for != NULL)
    return self->transient_for;
  if (GTK_IS_APPLICATION (application))
    return gtk_application_get_active_window (GTK_APPLICATION (application));
  return NULL;
}

static void
web_authorize_async (McpAuthorizer       *authorizer,
                     const char          *authorization_url,
                     const char          *redirect_uri,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (authorizer);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(WebKitNetworkSession) session = NULL;

  g_task_set_source_tag (task, web_authorize_async);

  if (self->pending != NULL)
    {
      g_task_return_new_error (task, TETHER_WEB_AUTHORIZER_ERROR,
                               TETHER_WEB_AUTHORIZER_ERROR_BUSY,
                               "Expected no other sign-in to be open, but one is");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->pending = g_steal_pointer (&task);
  self->pending_redirect = g_strdup (redirect_uri);
  if (cancellable != NULL)
    {
      self->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancelled_source, G_SOURCE_FUNC (cancellable_cancelled_cb),
                             self, NULL);
      g_source_attach (self->cancelled_source, g_main_context_get_thread_default ());
    }
  if (self->timeout > 0)
    self->timeout_id = g_timeout_add_seconds (self->timeout, timed_out_cb, self);

  session = create_network_session ();
  /* A reference of ours besides GTK's, which goes when the window is destroyed. */
  self->dialog = g_object_ref (tether_sign_in_dialog_new (choose_parent (self),
                                                          self->server_name,
                                                          authorization_url, redirect_uri,
                                                          session));
  /* The browser can only hand the answer back to a listener of ours. */
  tether_sign_in_dialog_set_browser_fallback (self->dialog,
                                              g_strcmp0 (redirect_uri,
                                                         mcp_redirect_listener_get_redirect_uri (
                                                           self->listener)) == 0);
  g_signal_connect (self->dialog, "redirect-reached", G_CALLBACK (redirect_reached_cb), self);
  g_signal_connect (self->dialog, "cancelled", G_CALLBACK (dialog_cancelled_cb), self);
  gtk_window_present (GTK_WINDOW (self->dialog));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALOG]);
}

static char *
web_authorize_finish (McpAuthorizer  *authorizer,
                      GAsyncResult   *result,
                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, authorizer), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
authorizer_iface_init (McpAuthorizerInterface *iface)
{
  iface->prepare = web_prepare;
  iface->authorize_async = web_authorize_async;
  iface->authorize_finish = web_authorize_finish;
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
tether_web_authorizer_dispose (GObject *object)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (object);

  finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The sign-in was abandoned"));
  mcp_redirect_listener_stop (self->listener);
  g_clear_weak_pointer (&self->transient_for);
  G_OBJECT_CLASS (tether_web_authorizer_parent_class)->dispose (object);
}

static void
tether_web_authorizer_finalize (GObject *object)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (object);

  g_free (self->server_name);
  g_clear_object (&self->listener);
  G_OBJECT_CLASS (tether_web_authorizer_parent_class)->finalize (object);
}

static void
tether_web_authorizer_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_SERVER_NAME:
      g_value_set_string (value, self->server_name);
      break;
    case PROP_TRANSIENT_FOR:
      g_value_set_object (value, self->transient_for);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_PORT:
      g_value_set_uint (value, mcp_redirect_listener_get_port (self->listener));
      break;
    case PROP_CALLBACK_REQUESTS:
      g_value_set_uint (value, mcp_redirect_listener_get_requests (self->listener));
      break;
    case PROP_DIALOG:
      g_value_set_object (value, self->dialog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_web_authorizer_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TetherWebAuthorizer *self = TETHER_WEB_AUTHORIZER (object);

  switch (prop_id)
    {
    case PROP_SERVER_NAME:
      tether_web_authorizer_set_server_name (self, g_value_get_string (value));
      break;
    case PROP_TRANSIENT_FOR:
      tether_web_authorizer_set_transient_for (self, g_value_get_object (value));
      break;
    case PROP_TIMEOUT:
      tether_web_authorizer_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_web_authorizer_class_init (TetherWebAuthorizerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tether_web_authorizer_dispose;
  object_class->finalize = tether_web_authorizer_finalize;
  object_class->get_property = tether_web_authorizer_get_property;
  object_class->set_property = tether_web_authorizer_set_property;

  properties[PROP_SERVER_NAME] =
    g_param_spec_string ("server-name", NULL, NULL, NULL, rw);
  properties[PROP_TRANSIENT_FOR] =
    g_param_spec_object ("transient-for", NULL, NULL, GTK_TYPE_WINDOW, rw);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, TETHER_WEB_AUTHORIZER_DEFAULT_TIMEOUT,
                       rw);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_CALLBACK_REQUESTS] =
    g_param_spec_uint ("callback-requests", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_DIALOG] =
    g_param_spec_object ("dialog", NULL, NULL, TETHER_TYPE_SIGN_IN_DIALOG, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tether_web_authorizer_init (TetherWebAuthorizer *self)
{
  self->timeout = TETHER_WEB_AUTHORIZER_DEFAULT_TIMEOUT;
  self->listener = mcp_redirect_listener_new ();
  g_signal_connect (self->listener, "arrived", G_CALLBACK (arrived_cb), self);
  g_signal_connect (self->listener, "notify", G_CALLBACK (listener_notify_cb), self);
}

TetherWebAuthorizer *
tether_web_authorizer_new (void)
{
  return g_object_new (TETHER_TYPE_WEB_AUTHORIZER, NULL);
}

void
tether_web_authorizer_set_server_name (TetherWebAuthorizer *self,
                                       const char          *name)
{
  g_return_if_fail (TETHER_IS_WEB_AUTHORIZER (self));

  if (g_strcmp0 (self->server_name, name) == 0)
    return;
  g_free (self->server_name);
  self->server_name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_NAME]);
}

const char *
tether_web_authorizer_get_server_name (TetherWebAuthorizer *self)
{
  g_return_val_if_fail (TETHER_IS_WEB_AUTHORIZER (self), NULL);

  return self->server_name;
}

void
tether_web_authorizer_set_transient_for (TetherWebAuthorizer *self,
                                         GtkWindow           *parent)
{
  g_return_if_fail (TETHER_IS_WEB_AUTHORIZER (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  if (g_set_weak_pointer (&self->transient_for, parent))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSIENT_FOR]);
}

void
tether_web_authorizer_set_timeout (TetherWebAuthorizer *self,
                                   guint                seconds)
{
  g_return_if_fail (TETHER_IS_WEB_AUTHORIZER (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
tether_web_authorizer_get_timeout (TetherWebAuthorizer *self)
{
  g_return_val_if_fail (TETHER_IS_WEB_AUTHORIZER (self), 0);

  return self->timeout;
}

guint
tether_web_authorizer_get_port (TetherWebAuthorizer *self)
{
  g_return_val_if_fail (TETHER_IS_WEB_AUTHORIZER (self), 0);

  return mcp_redirect_listener_get_port (self->listener);
}

guint
tether_web_authorizer_get_callback_requests (TetherWebAuthorizer *self)
{
  g_return_val_if_fail (TETHER_IS_WEB_AUTHORIZER (self), 0);

  return mcp_redirect_listener_get_requests (self->listener);
}

TetherSignInDialog *
tether_web_authorizer_get_dialog (TetherWebAuthorizer *self)
{
  g_return_val_if_fail (TETHER_IS_WEB_AUTHORIZER (self), NULL);

  return self->dialog;
}
