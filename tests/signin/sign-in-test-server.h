/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the sign-in tests (test-sign-in-*.c): a small OAuth authorization server in the
 * test's own process, on loopback, that shows a consent form or redirects at once. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The test's own "system browser" says so; the server approves it without a form. */
#define TEST_BROWSER_USER_AGENT "TetherTestBrowser/1.0"
/* The state authorization_url() sends, and the code the server grants. */
#define STATE "xyz"
#define CODE "abc"

typedef enum
{
  AS_FORM,        /* /authorize shows a consent form; Approve and Deny POST to /approve */
  AS_IMMEDIATE,   /* /authorize answers 302 to the redirect URI at once (conformance mock) */
} AsMode;

typedef struct
{
  SoupServer *server;
  char       *base;                 /* http(s)://127.0.0.1:PORT */
  AsMode      mode;
  guint       authorize_requests;
  guint       approve_requests;
  gboolean    cookie_seen;          /* the last /authorize carried the login cookie */
} AuthServer;

/* Serves on 127.0.0.1:@port (0: the kernel picks), over TLS with a certificate nobody trusts
 * when @tls. */
void  auth_server_start (AuthServer *as,
                         AsMode      mode,
                         guint       port,
                         gboolean    tls);
void  auth_server_stop  (AuthServer *as);
/* The authorization request (code flow with PKCE, state STATE) for @redirect_uri. */
char *authorization_url (AuthServer *as,
                         const char *redirect_uri);

G_END_DECLS
