/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-sign-in-dialog.h"

G_BEGIN_DECLS

struct _TetherSignInDialog
{
  AdwWindow             parent_instance;

  char                 *server_name;
  char                 *authorization_url;
  char                 *redirect_uri;
  WebKitNetworkSession *network_session;   /* NULL once the view is gone */
  WebKitWebContext     *web_context;       /* ours alone: its web process dies with it */
  WebKitWebView        *web_view;          /* NULL once the view is gone */
  TetherSignInPage      page;
  char                 *failed_uri;        /* what Retry loads again */
  char                 *reached_uri;       /* the redirect, until ::redirect-reached */
  guint                 reached_idle_id;
  gboolean              done;              /* ::redirect-reached or ::cancelled emitted */
  gboolean              opening_browser;
  gboolean              browser_fallback;  /* "Open in Browser Instead" can work */

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkButton            *browser_button;
  GtkWidget            *address_bar;
  GtkImage             *security_icon;
  GtkLabel             *address_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkOverlay           *web_overlay;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *error_page;
  GtkButton            *reopen_button;
};

/* tether-sign-in-dialog.c */
void     tether_sign_in_dialog_show_error       (TetherSignInDialog *self,
                                                 const char         *failed_uri,
                                                 const char         *icon_name,
                                                 const char         *title,
                                                 const char         *description);
/* Takes @uri as the answer; ::redirect-reached follows from the main loop. */
void     tether_sign_in_dialog_reach_redirect   (TetherSignInDialog *self,
                                                 const char         *uri);

/* tether-sign-in-dialog-web.c: the web view, where it may go, and what it shows. */
void     tether_sign_in_dialog_create_web_view  (TetherSignInDialog *self);
void     tether_sign_in_dialog_destroy_web_view (TetherSignInDialog *self);
gboolean tether_sign_in_dialog_is_web_uri       (const char         *uri);
/* host[:port]/path of @uri, for people: no query (an authorization request's state is there). */
char    *tether_sign_in_dialog_dup_address      (const char         *uri);

G_END_DECLS
