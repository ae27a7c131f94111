/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-sign-in-dialog-private.h"

G_DEFINE_FINAL_TYPE (TetherSignInDialog, tether_sign_in_dialog, ADW_TYPE_WINDOW)

G_DEFINE_ENUM_TYPE (TetherSignInPage, tether_sign_in_page,
                    G_DEFINE_ENUM_VALUE (TETHER_SIGN_IN_PAGE_WEB, "web"),
                    G_DEFINE_ENUM_VALUE (TETHER_SIGN_IN_PAGE_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (TETHER_SIGN_IN_PAGE_BROWSER, "browser"))

enum {
  PROP_0,
  PROP_SERVER_NAME,
  PROP_AUTHORIZATION_URL,
  PROP_REDIRECT_URI,
  PROP_NETWORK_SESSION,
  PROP_PAGE,
  N_PROPS
};

enum {
  SIGNAL_REDIRECT_REACHED,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *const page_names[] = { "web", "error", "browser" };

static void
set_page (TetherSignInDialog *self,
          TetherSignInPage    page)
{
  gtk_stack_set_visible_child_name (self->stack, page_names[page]);
  gtk_widget_set_visible (self->address_bar, page == TETHER_SIGN_IN_PAGE_WEB);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_button),
                          self->browser_fallback && page != TETHER_SIGN_IN_PAGE_BROWSER);
  if (self->page == page)
    return;
  self->page = page;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
emit_cancelled (TetherSignInDialog *self)
{
  if (self->done)
    return;
  self->done = TRUE;
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

/* ---- The answer ------------------------------------------------------------------------- */

static gboolean
emit_redirect_reached (gpointer user_data)
{
  TetherSignInDialog *self = user_data;
  g_autofree char *uri = g_steal_pointer (&self->reached_uri);

  self->reached_idle_id = 0;
  g_signal_emit (self, signals[SIGNAL_REDIRECT_REACHED], 0, uri);
  return G_SOURCE_REMOVE;
}

void
tether_sign_in_dialog_reach_redirect (TetherSignInDialog *self,
                                      const char         *uri)
{
  self->done = TRUE;
  self->reached_uri = g_strdup (uri);
  /* Not from inside WebKit's signal: the handler will destroy the view. */
  self->reached_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, emit_redirect_reached,
                                           g_object_ref (self), g_object_unref);
}

/* ---- What the dialog shows --------------------------------------------------------------- */

void
tether_sign_in_dialog_show_error (TetherSignInDialog *self,
                                  const char         *failed_uri,
                                  const char         *icon_name,
                                  const char         *title,
                                  const char         *description)
{
  g_autofree char *markup = g_markup_escape_text (description, -1);

  g_free (self->failed_uri);
  self->failed_uri = g_strdup (failed_uri);
  adw_status_page_set_icon_name (self->error_page, icon_name);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, markup);
  set_page (self, TETHER_SIGN_IN_PAGE_ERROR);
}

/* ---- Actions -------------------------------------------------------------------------------- */

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (widget);
  g_autofree char *uri = g_steal_pointer (&self->failed_uri);

  if (self->web_view == NULL)
    return;
  set_page (self, TETHER_SIGN_IN_PAGE_WEB);
  webkit_web_view_load_uri (self->web_view,
                            uri != NULL && tether_sign_in_dialog_is_web_uri (uri)
                            ? uri : self->authorization_url);
}

static void
browser_shown_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TetherSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->opening_browser = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.open-in-browser",
                                 self->browser_fallback);
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (self->done)
        return;
      /* TRANSLATORS: %s says why, from the system. */
      text = g_strdup_printf (_("Could not open a web browser: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
      return;
    }
  if (self->done)
    return;
  /* The browser has it now: the embedded view and its web process are no longer needed. */
  tether_sign_in_dialog_destroy_web_view (self);
  set_page (self, TETHER_SIGN_IN_PAGE_BROWSER);
}

static void
open_in_browser_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (widget);

  if (self->opening_browser || self->done)
    return;
  self->opening_browser = TRUE;
  gtk_widget_action_set_enabled (widget, "sign-in.open-in-browser", FALSE);
  /* From the start: the pages seen so far belong to the embedded view's cookies. */
  gtk_show_uri_full (GTK_WINDOW (self), self->authorization_url, GDK_CURRENT_TIME, NULL,
                     browser_shown_cb, g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------------------------- */

static gboolean
tether_sign_in_dialog_close_request (GtkWindow *window)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (window);

  emit_cancelled (self);
  return GTK_WINDOW_CLASS (tether_sign_in_dialog_parent_class)->close_request (window);
}

static void
tether_sign_in_dialog_constructed (GObject *object)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (object);
  g_autofree char *title = NULL;

  G_OBJECT_CLASS (tether_sign_in_dialog_parent_class)->constructed (object);

  if (self->server_name == NULL || *self->server_name == '\0')
    {
      g_free (self->server_name);
      self->server_name = tether_sign_in_dialog_dup_address (self->authorization_url);
    }
  /* TRANSLATORS: %s is the name of an MCP server, such as “GitHub”. */
  title = g_strdup_printf (_("Sign in to %s"), self->server_name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  tether_sign_in_dialog_create_web_view (self);
  set_page (self, TETHER_SIGN_IN_PAGE_WEB);
  if (self->authorization_url != NULL
      && tether_sign_in_dialog_is_web_uri (self->authorization_url))
    webkit_web_view_load_uri (self->web_view, self->authorization_url);
  else
    tether_sign_in_dialog_show_error (self, NULL, "dialog-warning-symbolic",
                                      _("Could Not Load the Page"),
                                      _("The authorization server gave no web address to sign "
                                        "in at."));
}

static void
tether_sign_in_dialog_dispose (GObject *object)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (object);

  /* Destroyed (its parent went away, say) with the answer still on its way: deliver it now.
   * Gone without an answer: that is a cancellation. */
  if (self->reached_idle_id != 0)
    {
      g_autoptr(TetherSignInDialog) keep = g_object_ref (self);

      g_clear_handle_id (&self->reached_idle_id, g_source_remove);
      emit_redirect_reached (self);
    }
  emit_cancelled (self);
  tether_sign_in_dialog_destroy_web_view (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TETHER_TYPE_SIGN_IN_DIALOG);
  G_OBJECT_CLASS (tether_sign_in_dialog_parent_class)->dispose (object);
}

static void
tether_sign_in_dialog_finalize (GObject *object)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (object);

  g_free (self->server_name);
  g_free (self->authorization_url);
  g_free (self->redirect_uri);
  g_free (self->failed_uri);
  g_free (self->reached_uri);
  G_OBJECT_CLASS (tether_sign_in_dialog_parent_class)->finalize (object);
}

static void
tether_sign_in_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVER_NAME:
      g_value_set_string (value, self->server_name);
      break;
    case PROP_AUTHORIZATION_URL:
      g_value_set_string (value, self->authorization_url);
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;
    case PROP_NETWORK_SESSION:
      g_value_set_object (value, self->network_session);
      break;
    case PROP_PAGE:
      g_value_set_enum (value, self->page);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_sign_in_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TetherSignInDialog *self = TETHER_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVER_NAME:
      self->server_name = g_value_dup_string (value);
      break;
    case PROP_AUTHORIZATION_URL:
      self->authorization_url = g_value_dup_string (value);
      break;
    case PROP_REDIRECT_URI:
      self->redirect_uri = g_value_dup_string (value);
      break;
    case PROP_NETWORK_SESSION:
      self->network_session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_sign_in_dialog_class_init (TetherSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tether_sign_in_dialog_constructed;
  object_class->dispose = tether_sign_in_dialog_dispose;
  object_class->finalize = tether_sign_in_dialog_finalize;
  object_class->get_property = tether_sign_in_dialog_get_property;
  object_class->set_property = tether_sign_in_dialog_set_property;
  window_class->close_request = tether_sign_in_dialog_close_request;

  properties[PROP_SERVER_NAME] =
    g_param_spec_string ("server-name", NULL, NULL, NULL, construct);
  properties[PROP_AUTHORIZATION_URL] =
    g_param_spec_string ("authorization-url", NULL, NULL, NULL, construct);
  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL, NULL, construct);
  properties[PROP_NETWORK_SESSION] =
    g_param_spec_object ("network-session", NULL, NULL, WEBKIT_TYPE_NETWORK_SESSION, construct);
  properties[PROP_PAGE] =
    g_param_spec_enum ("page", NULL, NULL, TETHER_TYPE_SIGN_IN_PAGE, TETHER_SIGN_IN_PAGE_WEB,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REDIRECT_REACHED] =
    g_signal_new ("redirect-reached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/tether-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, browser_button);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, address_bar);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, security_icon);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, address_label);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, web_overlay);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, TetherSignInDialog, reopen_button);

  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "sign-in.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "sign-in.open-in-browser", NULL,
                                   open_in_browser_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-in.cancel", NULL);
}

static void
tether_sign_in_dialog_init (TetherSignInDialog *self)
{
  self->browser_fallback = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

TetherSignInDialog *
tether_sign_in_dialog_new (GtkWindow            *parent,
                           const char           *server_name,
                           const char           *authorization_url,
                           const char           *redirect_uri,
                           WebKitNetworkSession *session)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (authorization_url != NULL, NULL);
  g_return_val_if_fail (redirect_uri != NULL, NULL);
  g_return_val_if_fail (session == NULL || WEBKIT_IS_NETWORK_SESSION (session), NULL);

  return g_object_new (TETHER_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       "server-name", server_name,
                       "authorization-url", authorization_url,
                       "redirect-uri", redirect_uri,
                       "network-session", session,
                       NULL);
}

const char *
tether_sign_in_dialog_get_redirect_uri (TetherSignInDialog *self)
{
  g_return_val_if_fail (TETHER_IS_SIGN_IN_DIALOG (self), NULL);

  return self->redirect_uri;
}

const char *
tether_sign_in_dialog_get_authorization_url (TetherSignInDialog *self)
{
  g_return_val_if_fail (TETHER_IS_SIGN_IN_DIALOG (self), NULL);

  return self->authorization_url;
}

TetherSignInPage
tether_sign_in_dialog_get_page (TetherSignInDialog *self)
{
  g_return_val_if_fail (TETHER_IS_SIGN_IN_DIALOG (self), TETHER_SIGN_IN_PAGE_WEB);

  return self->page;
}

WebKitWebView *
tether_sign_in_dialog_get_web_view (TetherSignInDialog *self)
{
  g_return_val_if_fail (TETHER_IS_SIGN_IN_DIALOG (self), NULL);

  return self->web_view;
}

void
tether_sign_in_dialog_set_browser_fallback (TetherSignInDialog *self,
                                            gboolean            allowed)
{
  g_return_if_fail (TETHER_IS_SIGN_IN_DIALOG (self));

  self->browser_fallback = allowed;
  gtk_widget_set_visible (GTK_WIDGET (self->browser_button),
                          allowed && self->page != TETHER_SIGN_IN_PAGE_BROWSER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.open-in-browser",
                                 allowed && !self->opening_browser);
}
