/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web view of TetherSignInDialog: where it may go, what the address bar says about it, and
 * what happens when a page cannot be shown. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mcp-authorizer.h"
#include "tether-sign-in-dialog-private.h"

/* ---- Address bar ------------------------------------------------------------------------ */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* host[:port]/path of @uri: what a person needs to see where they are, without the query. */
static char *
shown_address (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  g_autoptr(GString) text = g_string_new (NULL);

  if (host == NULL)
    return g_uri_to_string_partial (uri, G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  if (strchr (host, ':') != NULL)
    g_string_append_printf (text, "[%s]", host);
  else
    g_string_append (text, host);
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (text, ":%d", g_uri_get_port (uri));
  if (g_strcmp0 (path, "/") != 0)
    g_string_append (text, path);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_security (TetherSignInDialog *self)
{
  const char *uri = self->web_view != NULL ? webkit_web_view_get_uri (self->web_view) : NULL;
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL) : NULL;
  GTlsCertificate *certificate = NULL;
  GTlsCertificateFlags errors = 0;
  const char *icon, *text;
  gboolean alarming = FALSE;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->security_icon), FALSE);
      return;
    }
  if (webkit_web_view_get_tls_info (self->web_view, &certificate, &errors) && errors == 0)
    {
      icon = "channel-secure-symbolic";
      text = _("Secure connection");
    }
  else if (g_ascii_strcasecmp (g_uri_get_scheme (parsed), "http") == 0
           && host_is_loopback (g_uri_get_host (parsed)))
    {
      /* A server on this computer: nothing crosses the network, so nothing to warn about. */
      icon = "computer-symbolic";
      text = _("Not encrypted: a server on this computer");
    }
  else
    {
      icon = "channel-insecure-symbolic";
      text = _("Not encrypted");
      alarming = TRUE;
    }
  gtk_image_set_from_icon_name (self->security_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->security_icon), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->security_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (alarming)
    gtk_widget_add_css_class (GTK_WIDGET (self->security_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->security_icon), "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->security_icon), TRUE);
}

static void
uri_changed_cb (WebKitWebView      *view,
                GParamSpec         *pspec,
                TetherSignInDialog *self)
{
  const char *uri = webkit_web_view_get_uri (view);
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL) : NULL;
  g_autofree char *shown = parsed != NULL ? shown_address (parsed) : NULL;
  g_autofree char *full = uri != NULL ? mcp_authorizer_dup_uri_without_query (uri) : NULL;

  gtk_label_set_text (self->address_label, shown != NULL ? shown : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->address_label), full);
  /* The lock follows the page that is committed, not one merely requested. */
  gtk_widget_set_visible (GTK_WIDGET (self->security_icon), FALSE);
}

static void
load_changed_cb (WebKitWebView      *view,
                 WebKitLoadEvent     event,
                 TetherSignInDialog *self)
{
  if (event == WEBKIT_LOAD_COMMITTED || event == WEBKIT_LOAD_FINISHED)
    update_security (self);
}

static void
loading_changed_cb (WebKitWebView      *view,
                    GParamSpec         *pspec,
                    TetherSignInDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), webkit_web_view_is_loading (view));
}

static void
progress_changed_cb (WebKitWebView      *view,
                     GParamSpec         *pspec,
                     TetherSignInDialog *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 webkit_web_view_get_estimated_load_progress (view));
}

char *
tether_sign_in_dialog_dup_address (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL) : NULL;

  if (parsed == NULL)
    return g_strdup (uri != NULL ? uri : "");
  return shown_address (parsed);
}

/* ---- Where the view may go ------------------------------------------------------------- */

gboolean
tether_sign_in_dialog_is_web_uri (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

/* Documents that are no navigation anywhere: an empty frame, or one filled by its parent. */
static gboolean
is_local_document (const char *uri)
{
  return g_strcmp0 (uri, "about:blank") == 0 || g_strcmp0 (uri, "about:srcdoc") == 0;
}

static gboolean
decide_navigation (TetherSignInDialog     *self,
                   WebKitPolicyDecision   *decision)
{
  WebKitNavigationAction *action =
    webkit_navigation_policy_decision_get_navigation_action (
      WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (self->done)
    {
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  /* The answer: never load it (nothing there but, at most, our own listener), take it. */
  if (mcp_authorizer_uri_matches_redirect (uri, self->redirect_uri))
    {
      webkit_policy_decision_ignore (decision);
      tether_sign_in_dialog_reach_redirect (self, uri);
      return TRUE;
    }
  if (!tether_sign_in_dialog_is_web_uri (uri) && !is_local_document (uri))
    {
      g_autofree char *shown = mcp_authorizer_dup_uri_without_query (uri);

      g_debug ("Not following a link to %s: only web pages are shown", shown);
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  return FALSE;
}

static gboolean
decide_policy_cb (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  TetherSignInDialog       *self)
{
  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      return decide_navigation (self, decision);

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      /* A download has no place in a sign-in. */
      if (!webkit_response_policy_decision_is_mime_type_supported (
            WEBKIT_RESPONSE_POLICY_DECISION (decision)))
        {
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    default:
      return FALSE;
    }
}

/* A page that asks for a new window (target="_blank", window.open) goes on in this one; an
 * empty window for a script to fill would only blank the sign-in page. */
static GtkWidget *
create_cb (WebKitWebView          *view,
           WebKitNavigationAction *action,
           TetherSignInDialog     *self)
{
  WebKitURIRequest *request = webkit_navigation_action_get_request (action);

  if (tether_sign_in_dialog_is_web_uri (webkit_uri_request_get_uri (request)))
    webkit_web_view_load_request (view, request);
  return NULL;
}

static gboolean
load_failed_cb (WebKitWebView      *view,
                WebKitLoadEvent     event,
                const char         *failing_uri,
                GError             *error,
                TetherSignInDialog *self)
{
  g_autofree char *where = NULL;
  g_autofree char *description = NULL;

  /* Our own decisions (the redirect, a refused scheme or download) and stopped loads. */
  if (self->done
      || g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED)
      || g_error_matches (error, WEBKIT_POLICY_ERROR,
                          WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return TRUE;

  where = tether_sign_in_dialog_dup_address (failing_uri);
  /* TRANSLATORS: the first %s is an address such as “github.com/login”, the second what
   * went wrong. */
  description = g_strdup_printf (_("%s could not be loaded: %s"), where, error->message);
  tether_sign_in_dialog_show_error (self, failing_uri, "network-error-symbolic",
                                    _("Could Not Load the Page"), description);
  return TRUE;
}

static char *
describe_tls_errors (GTlsCertificateFlags errors)
{
  g_autoptr(GString) text = g_string_new (NULL);
  static const struct { GTlsCertificateFlags flag; const char *text; } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("its certificate is not issued by a trusted authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("its certificate belongs to another site") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("its certificate is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("its certificate has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("its certificate has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("its certificate uses an insecure algorithm") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (errors & reasons[i].flag)
      {
        if (text->len > 0)
          g_string_append (text, "; ");
        g_string_append (text, _(reasons[i].text));
      }
  if (text->len == 0)
    g_string_append (text, _("its certificate could not be checked"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Refused, never bypassed: a sign-in over a connection one cannot trust gives away the login. */
static gboolean
load_failed_with_tls_errors_cb (WebKitWebView        *view,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                TetherSignInDialog   *self)
{
  g_autofree char *where = tether_sign_in_dialog_dup_address (failing_uri);
  g_autofree char *reasons = describe_tls_errors (errors);
  g_autofree char *description = NULL;

  /* TRANSLATORS: the first %s is an address such as “github.com/login”, the second the
   * reasons, such as “its certificate has expired”. */
  description = g_strdup_printf (_("The identity of %s cannot be verified: %s. Signing in over "
                                   "this connection could give your login away."),
                                 where, reasons);
  tether_sign_in_dialog_show_error (self, failing_uri, "channel-insecure-symbolic",
                                    _("Connection Not Secure"), description);
  return TRUE;
}

static void
web_process_terminated_cb (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason,
                           TetherSignInDialog                *self)
{
  if (self->done)
    return;
  tether_sign_in_dialog_show_error (self, webkit_web_view_get_uri (view),
                                    "dialog-warning-symbolic", _("The Page Stopped Working"),
                                    reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT
                                    ? _("The page used too much memory.")
                                    : _("The process showing the page ended unexpectedly."));
}

/* ---- The web view's lifetime --------------------------------------------------------------- */

void
tether_sign_in_dialog_create_web_view (TetherSignInDialog *self)
{
  WebKitSettings *settings;

  if (self->network_session == NULL)
    self->network_session = webkit_network_session_new_ephemeral ();
  /* Never allow what WebKit calls "ignore" for TLS errors: FAIL is also its default. */
  webkit_network_session_set_tls_errors_policy (self->network_session,
                                                WEBKIT_TLS_ERRORS_POLICY_FAIL);
  self->web_context = webkit_web_context_new ();
  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "web-context", self->web_context,
                                 "network-session", self->network_session,
                                 "hexpand", TRUE,
                                 "vexpand", TRUE,
                                 NULL);
  g_object_ref_sink (self->web_view);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign-in page"), -1);

  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, FALSE);

  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb),
                           self, 0);
  g_signal_connect_object (self->web_view, "create", G_CALLBACK (create_cb), self, 0);
  g_signal_connect_object (self->web_view, "load-failed", G_CALLBACK (load_failed_cb), self, 0);
  g_signal_connect_object (self->web_view, "load-failed-with-tls-errors",
                           G_CALLBACK (load_failed_with_tls_errors_cb), self, 0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (web_process_terminated_cb), self, 0);
  g_signal_connect_object (self->web_view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (self->web_view, "notify::uri", G_CALLBACK (uri_changed_cb), self, 0);
  g_signal_connect_object (self->web_view, "notify::is-loading",
                           G_CALLBACK (loading_changed_cb), self, 0);
  g_signal_connect_object (self->web_view, "notify::estimated-load-progress",
                           G_CALLBACK (progress_changed_cb), self, 0);

  gtk_overlay_set_child (self->web_overlay, GTK_WIDGET (self->web_view));
}

/* Ends the web process (the context is ours alone) and, for an ephemeral session, every
 * cookie the sign-in left. */
void
tether_sign_in_dialog_destroy_web_view (TetherSignInDialog *self)
{
  if (self->web_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->web_view, self);
      webkit_web_view_stop_loading (self->web_view);
      if (gtk_widget_get_parent (GTK_WIDGET (self->web_view)) != NULL)
        gtk_overlay_set_child (self->web_overlay, NULL);
      g_clear_object (&self->web_view);
    }
  g_clear_object (&self->web_context);
  g_clear_object (&self->network_session);
}
