/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The HTML the authorization server shows to a person: the sign-in and consent form of offline
 * mode and plain error pages. Every value is HTML-escaped; the pages carry no script. */

typedef struct
{
  const char         *issuer;
  const char         *client_name;   /* may be NULL: the client id is shown instead */
  const char         *client_id;
  const char         *redirect_uri;
  const char * const *scopes;
  const char         *transaction;   /* the hidden form field binding the POST to this page */
  const char         *user_name;     /* prefilled value, may be NULL */
  const char         *problem;       /* shown above the form after a bad submission, or NULL */
} DemoConsentPage;

char *demo_auth_pages_render_consent (const DemoConsentPage *page);
char *demo_auth_pages_render_error   (const char            *title,
                                      const char            *message);

/* Sets an HTML page as the response, with headers that keep it out of frames and caches. */
void  demo_auth_pages_respond        (SoupServerMessage     *msg,
                                      guint                  status,
                                      char                  *html);

G_END_DECLS
