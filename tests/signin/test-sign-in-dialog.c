/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherWebAuthorizer and TetherSignInDialog against a small authorization server in this
 * process, with real WebKit web processes under Xvfb. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-ui.h"
#include "tether-application.h"
#include "tether-web-authorizer.h"
#include "test-files.h"

#define TEST_BROWSER_USER_AGENT "TetherTestBrowser/1.0"
#define STATE "xyz"
#define CODE "abc"

/* Made for these tests only (openssl req -x509, EC P-256, CN and SAN 127.0.0.1, 100 years):
 * trusted by nobody, which is the point. */
static const char untrusted_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkTCCATagAwIBAgIUZsUbW0ZX1zAEq0YsrOMhCmSdX1QwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjA0MzU1N1oYDzIxMjYxMTAy\n"
  "MDQzNTU3WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAARf/utlGhogPJqHgCGYN2riFYKDdCiIP8yrch1JRNjxZJpFbNJeiW3E\n"
  "BVnA0S07NkVmQAWgxjf6FMabMtr2sG22o2QwYjAdBgNVHQ4EFgQUZ7YHRkmMVHNl\n"
  "BpRlJHt6ZYNJBXcwHwYDVR0jBBgwFoAUZ7YHRkmMVHNlBpRlJHt6ZYNJBXcwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC\n"
  "IQCazuvEavzbH6TpRMPuZlG4p8Vu8Ctj3v5oWyK3FAjmgAIhALjS2nxqrR92r/k/\n"
  "9IBA3DbPj0ct7xSGcw1BE1lrafee\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8NXo++6r1mV5RZoq\n"
  "Jr4+m4nGO2hudWbQJm45rMyAY1WhRANCAARf/utlGhogPJqHgCGYN2riFYKDdCiI\n"
  "P8yrch1JRNjxZJpFbNJeiW3EBVnA0S07NkVmQAWgxjf6FMabMtr2sG22\n"
  "-----END PRIVATE KEY-----\n";

static char *test_home;      /* XDG_*_HOME of this run */
static char *browser_log;    /* what the "system browser" was asked to open */

/* ---- The authorization server ------------------------------------------------------------ */

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

static char *
answer_location (AuthServer *as,
                 const char *redirect_uri,
                 const char *state,
                 gboolean    approved)
{
  g_autofree char *iss = g_uri_escape_string (as->base, NULL, FALSE);
  g_autofree char *escaped_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);

  if (approved)
    return g_strdup_printf ("%s?code=" CODE "&state=%s&iss=%s", redirect_uri, escaped_state,
                            iss);
  return g_strdup_printf ("%s?error=access_denied&error_description=The%%20person%%20declined"
                          "&state=%s&iss=%s", redirect_uri, escaped_state, iss);
}

static void
redirect_to (SoupServerMessage *msg,
             const char        *location)
{
  soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                location);
}

static void
authorize_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  AuthServer *as = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *cookie = soup_message_headers_get_one (request_headers, "Cookie");
  const char *agent = soup_message_headers_get_one (request_headers, "User-Agent");
  const char *redirect_uri = query != NULL ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  g_autofree char *escaped_redirect = NULL;
  g_autofree char *escaped_state = NULL;
  g_autofree char *query_redirect = NULL;
  g_autofree char *query_state = NULL;
  char *page;

  as->authorize_requests++;
  as->cookie_seen = cookie != NULL && strstr (cookie, "tether_test_login=yes") != NULL;
  if (redirect_uri == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  if (as->mode == AS_IMMEDIATE
      || (agent != NULL && g_str_has_prefix (agent, TEST_BROWSER_USER_AGENT)))
    {
      g_autofree char *location = answer_location (as, redirect_uri, state, TRUE);

      redirect_to (msg, location);
      return;
    }

  escaped_redirect = g_markup_escape_text (redirect_uri, -1);
  escaped_state = g_markup_escape_text (state != NULL ? state : "", -1);
  query_redirect = g_uri_escape_string (redirect_uri, NULL, FALSE);
  query_state = g_uri_escape_string (state != NULL ? state : "", NULL, FALSE);
  page = g_strdup_printf (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Test sign-in</title></head>"
    "<body style=\"font-family: sans-serif; margin: 2em\">"
    "<h1>Authorize Tether?</h1>"
    "<p>The test authorization server asks whether Tether may use your account.</p>"
    "<form method=\"post\" action=\"/approve\">"
    "<input type=\"hidden\" name=\"redirect_uri\" value=\"%s\">"
    "<input type=\"hidden\" name=\"state\" value=\"%s\">"
    "<button id=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button> "
    "<button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"
    "</form>"
    "<p><a id=\"new-window\" target=\"_blank\" "
    "href=\"/approve?decision=approve&amp;redirect_uri=%s&amp;state=%s\">"
    "Approve in a new window</a></p>"
    "</body></html>", escaped_redirect, escaped_state, query_redirect, query_state);
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                               "tether_test_login=yes; Max-Age=3600; Path=/");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, page,
                                    strlen (page));
}

static void
approve_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AuthServer *as = user_data;
  g_autoptr(GHashTable) form = NULL;
  GHashTable *fields = query;
  const char *redirect_uri, *decision;
  g_autofree char *location = NULL;

  as->approve_requests++;
  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      form = soup_form_decode (text);
      fields = form;
    }
  redirect_uri = fields != NULL ? g_hash_table_lookup (fields, "redirect_uri") : NULL;
  decision = fields != NULL ? g_hash_table_lookup (fields, "decision") : NULL;
  if (redirect_uri == NULL || decision == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  location = answer_location (as, redirect_uri, g_hash_table_lookup (fields, "state"),
                              g_str_equal (decision, "approve"));
  redirect_to (msg, location);
}

/* Serves on 127.0.0.1:@port (0: the kernel picks), over TLS with the untrusted certificate
 * when @tls. */
static void
auth_server_start (AuthServer *as,
                   AsMode      mode,
                   guint       port,
                   gboolean    tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GTlsCertificate) certificate = NULL;
  GSList *uris;

  memset (as, 0, sizeof *as);
  as->mode = mode;
  if (tls)
    {
      certificate = g_tls_certificate_new_from_pem (untrusted_pem, -1, &error);
      g_assert_no_error (error);
    }
  as->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (as->server, "/authorize", authorize_handler, as, NULL);
  soup_server_add_handler (as->server, "/approve", approve_handler, as, NULL);
  soup_server_listen (as->server, address, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (as->server);
  g_assert_nonnull (uris);
  as->base = g_strdup_printf ("%s://127.0.0.1:%d", tls ? "https" : "http",
                              g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
auth_server_stop (AuthServer *as)
{
  if (as->server != NULL)
    soup_server_disconnect (as->server);
  g_clear_object (&as->server);
  g_clear_pointer (&as->base, g_free);
}

static char *
authorization_url (AuthServer *as,
                   const char *redirect_uri)
{
  g_autofree char *escaped = g_uri_escape_string (redirect_uri, NULL, FALSE);

  return g_strdup_printf ("%s/authorize?response_type=code&client_id=test-client"
                          "&redirect_uri=%s&state=" STATE "&code_challenge=abcdefgh"
                          "&code_challenge_method=S256", as->base, escaped);
}

/* ---- Waiting ----------------------------------------------------------------------------- */

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition    condition,
          gpointer     data,
          guint        seconds,
          const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static void
spin (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * 1000;
  guint tick = g_timeout_add (10, wake, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* ---- The sign-in under test -------------------------------------------------------------- */

typedef struct
{
  AuthServer           as;
  TetherWebAuthorizer *authorizer;
  char                 *redirect_uri;
  TetherSignInDialog   *dialog;      /* weak */
  gboolean              done;
  char                 *result;
  GError               *error;
} Fixture;

static gboolean fatal_log_handler (const char     *log_domain,
                                   GLogLevelFlags  log_level,
                                   const char     *message,
                                   gpointer        user_data);

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* GLib forgets the handler before each test. */
  g_test_log_set_fatal_handler (fatal_log_handler, NULL);

  f->authorizer = tether_web_authorizer_new ();
  tether_web_authorizer_set_server_name (f->authorizer, "Test Server");
  f->redirect_uri = mcp_authorizer_prepare (MCP_AUTHORIZER (f->authorizer), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->redirect_uri);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->authorizer), (gpointer *) &f->authorizer);
  g_object_unref (f->authorizer);
  g_assert_null (f->authorizer);
  auth_server_stop (&f->as);
  g_free (f->redirect_uri);
  g_free (f->result);
  g_clear_error (&f->error);
}

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_false (f->done);
  f->result = mcp_authorizer_authorize_finish (MCP_AUTHORIZER (source), result, &f->error);
  f->done = TRUE;
}

static TetherSignInDialog *
start_sign_in (Fixture      *f,
               GCancellable *cancellable)
{
  g_autofree char *url = authorization_url (&f->as, f->redirect_uri);

  f->done = FALSE;
  g_clear_pointer (&f->result, g_free);
  g_clear_error (&f->error);
  mcp_authorizer_authorize_async (MCP_AUTHORIZER (f->authorizer), url, f->redirect_uri,
                                  cancellable, authorized_cb, f);
  f->dialog = tether_web_authorizer_get_dialog (f->authorizer);
  g_assert_nonnull (f->dialog);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dialog)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->dialog)), ==, "Sign in to Test Server");
  return f->dialog;
}

static gboolean
fixture_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
wait_for_result (Fixture *f)
{
  wait_for (fixture_done, f, 60, "the sign-in to complete");
}

static gboolean
page_is_loaded (gpointer data)
{
  Fixture *f = data;
  WebKitWebView *view = f->dialog != NULL ? tether_sign_in_dialog_get_web_view (f->dialog) : NULL;

  return f->done
         || (view != NULL && !webkit_web_view_is_loading (view)
             && webkit_web_view_get_uri (view) != NULL
             && g_str_has_prefix (webkit_web_view_get_uri (view), f->as.base));
}

static void
wait_for_page (Fixture *f)
{
  wait_for (page_is_loaded, f, 60, "the authorization page to load");
  g_assert_false (f->done);
  g_assert_cmpint (tether_sign_in_dialog_get_page (f->dialog), ==, TETHER_SIGN_IN_PAGE_WEB);
}

typedef struct
{
  gboolean  done;
  char     *value;
  GError   *error;
} Script;

static void
script_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Script *script = user_data;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source),
                                                                          result, &script->error);

  if (value != NULL)
    script->value = jsc_value_to_string (value);
  script->done = TRUE;
}

static gboolean
script_done (gpointer data)
{
  return ((Script *) data)->done;
}

/* Runs @code in the page (AT-SPI cannot reach page content) and returns its value as text. */
static char *
run_in_page (Fixture    *f,
             const char *code)
{
  Script script = { 0, };

  webkit_web_view_evaluate_javascript (tether_sign_in_dialog_get_web_view (f->dialog), code, -1,
                                       NULL, NULL, NULL, script_cb, &script);
  wait_for (script_done, &script, 30, code);
  g_assert_no_error (script.error);
  return script.value;
}

static gboolean
dialog_finalized (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

/* The dialog is destroyed, released and not among the toplevels. */
static void
assert_dialog_gone (Fixture *f)
{
  g_autoptr(GListModel) toplevels = NULL;

  g_assert_null (tether_web_authorizer_get_dialog (f->authorizer));
  wait_for (dialog_finalized, f, 10, "the dialog to be finalized");
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      g_assert_false (TETHER_IS_SIGN_IN_DIALOG (window));
    }
}

/* ---- WebKit's processes ------------------------------------------------------------------ */

/* Processes below this one whose name starts with "WebKit" (web and network processes, also
 * those inside the bubblewrap sandbox). */
static guint
count_webkit_processes (void)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) webkit = g_ptr_array_new ();
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      const char *close_paren, *open_paren;
      int pid, ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      open_paren = strchr (stat, '(');
      close_paren = strrchr (stat, ')');
      if (open_paren == NULL || close_paren == NULL
          || sscanf (close_paren + 2, "%*c %d", &ppid) != 1)
        continue;
      pid = atoi (name);
      g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
      if (g_str_has_prefix (open_paren + 1, "WebKit"))
        g_ptr_array_add (webkit, GINT_TO_POINTER (pid));
    }
  for (guint i = 0; i < webkit->len; i++)
    {
      int pid = GPOINTER_TO_INT (g_ptr_array_index (webkit, i));

      for (guint depth = 0; pid > 1 && depth < 16; depth++)
        {
          pid = GPOINTER_TO_INT (g_hash_table_lookup (parents, GINT_TO_POINTER (pid)));
          if (pid == getpid ())
            {
              count++;
              break;
            }
        }
    }
  return count;
}

static gboolean
no_webkit_processes (gpointer data)
{
  return count_webkit_processes () == 0;
}

static void
assert_webkit_processes_gone (void)
{
  wait_for (no_webkit_processes, NULL, 20, "WebKit's processes to exit");
}

/* ---- Driving the dialog as assistive technology would ------------------------------------- */

/* Buttons, entries and the like that have no accessible name. */
static void
collect_unnamed_controls (GtkWidget *widget,
                          GPtrArray *found)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if ((role == GTK_ACCESSIBLE_ROLE_BUTTON || role == GTK_ACCESSIBLE_ROLE_TEXT_BOX
       || role == GTK_ACCESSIBLE_ROLE_CHECKBOX || role == GTK_ACCESSIBLE_ROLE_SWITCH
       || role == GTK_ACCESSIBLE_ROLE_LINK || role == GTK_ACCESSIBLE_ROLE_PROGRESS_BAR)
      && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_ptr_array_add (found, widget);
  /* The web view is named; what is inside it is WebKit's (the page, and its own helpers). */
  if (WEBKIT_IS_WEB_VIEW (widget))
    {
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed_controls (child, found);
}

static void
assert_every_control_named (gpointer dialog)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_unnamed_controls (GTK_WIDGET (dialog), found);
  for (guint i = 0; i < found->len; i++)
    g_printerr ("# unnamed: %s\n", G_OBJECT_TYPE_NAME (g_ptr_array_index (found, i)));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
collect_status_pages (GtkWidget *widget,
                      GPtrArray *found)
{
  if (ADW_IS_STATUS_PAGE (widget) && gtk_widget_is_drawable (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_status_pages (child, found);
}

/* The status page on screen, for what it says. */
static AdwStatusPage *
shown_status_page (gpointer dialog)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_status_pages (GTK_WIDGET (dialog), found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* ---- Checks on the result ----------------------------------------------------------------- */

static GHashTable *
result_query (Fixture *f)
{
  const char *query;

  g_assert_no_error (f->error);
  g_assert_nonnull (f->result);
  g_assert_true (mcp_authorizer_uri_matches_redirect (f->result, f->redirect_uri));
  query = strchr (f->result, '?');
  g_assert_nonnull (query);
  return soup_form_decode (query + 1);
}

static void
assert_code_delivered (Fixture *f)
{
  g_autoptr(GHashTable) query = result_query (f);

  g_assert_cmpstr (g_hash_table_lookup (query, "code"), ==, CODE);
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (query, "iss"), ==, f->as.base);
}

/* ---- The cases ---------------------------------------------------------------------------- */

static void
test_form_post_redirect_is_never_loaded (Fixture       *f,
                                         gconstpointer  data)
{
  TetherSignInDialog *dialog;
  g_autofree char *title = NULL;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_true (g_str_has_prefix (f->redirect_uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->redirect_uri, "/callback"));
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);

  title = run_in_page (f, "document.title");
  g_assert_cmpstr (title, ==, "Test sign-in");
  g_assert_cmpuint (f->as.authorize_requests, ==, 1);
  /* The web processes exist while the dialog is open... */
  g_assert_cmpuint (count_webkit_processes (), >, 0);
  /* ...and a person sees where they are. */
  test_ui_find_visible (dialog, "Cancel");
  test_ui_find_visible (dialog, "Open in Browser Instead");
  assert_every_control_named (dialog);
  test_ui_save_screenshot (dialog, "sign-in-form.png", 500);

  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.approve_requests, ==, 1);
  /* The policy decision kept the redirect from ever being requested. */
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_immediate_redirect_is_never_loaded (Fixture       *f,
                                         gconstpointer  data)
{
  auth_server_start (&f->as, AS_IMMEDIATE, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.authorize_requests, ==, 1);
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_error_redirect_is_delivered (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GHashTable) query = NULL;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('deny').click(); 'clicked'"));
  wait_for_result (f);

  /* An answer, not a failure: the flow reads error= and says what the server meant. */
  query = result_query (f);
  g_assert_cmpstr (g_hash_table_lookup (query, "error"), ==, "access_denied");
  g_assert_cmpstr (g_hash_table_lookup (query, "error_description"), ==, "The person declined");
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, STATE);
  g_assert_false (g_hash_table_contains (query, "code"));
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
}

static void
test_new_window_opens_in_the_same_view (Fixture       *f,
                                        gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('new-window').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (f->as.approve_requests, ==, 1);
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 0);
  assert_dialog_gone (f);
}

static gboolean
page_left_authorize (gpointer data)
{
  Fixture *f = data;
  WebKitWebView *view = tether_sign_in_dialog_get_web_view (f->dialog);

  return view == NULL || webkit_web_view_is_loading (view)
         || strstr (webkit_web_view_get_uri (view), "/authorize") == NULL;
}

static void
test_other_schemes_are_ignored (Fixture       *f,
                                gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, NULL);
  wait_for_page (f);
  g_free (run_in_page (f, "location.href = 'tether-test-scheme:elsewhere'; 'went'"));
  g_free (run_in_page (f, "location.href = 'file:///etc/hostname'; 'went'"));
  spin (500);
  /* Nowhere else, and no error page: the page is still the one it was. */
  g_assert_false (page_left_authorize (f));
  g_assert_cmpint (tether_sign_in_dialog_get_page (f->dialog), ==, TETHER_SIGN_IN_PAGE_WEB);
  g_assert_false (f->done);

  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);
  assert_code_delivered (f);
}

static void
test_cancel_button_cancels (Fixture       *f,
                            gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_click (dialog, "Cancel");
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f->result);
  assert_dialog_gone (f);
  assert_webkit_processes_gone ();
}

static void
test_escape_cancels (Fixture       *f,
                     gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_press_key (dialog, GDK_KEY_Escape);
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dialog_gone (f);
}

static void
test_cancellable_closes_the_dialog (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  start_sign_in (f, cancellable);
  wait_for_page (f);
  g_cancellable_cancel (cancellable);
  wait_for_result (f);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dialog_gone (f);
}

static void
test_timeout_gives_up (Fixture       *f,
                       gconstpointer  data)
{
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  tether_web_authorizer_set_timeout (f->authorizer, 2);
  start_sign_in (f, NULL);
  wait_for_result (f);

  g_assert_error (f->error, TETHER_WEB_AUTHORIZER_ERROR, TETHER_WEB_AUTHORIZER_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (f->error->message, f->redirect_uri));
  assert_dialog_gone (f);
}

static gboolean
error_page_shown (gpointer data)
{
  Fixture *f = data;

  return f->done || tether_sign_in_dialog_get_page (f->dialog) == TETHER_SIGN_IN_PAGE_ERROR;
}

static void
test_tls_errors_are_refused (Fixture       *f,
                             gconstpointer  data)
{
  TetherSignInDialog *dialog;
  AdwStatusPage *status;

  auth_server_start (&f->as, AS_FORM, 0, TRUE);
  dialog = start_sign_in (f, NULL);
  wait_for (error_page_shown, f, 60, "the TLS error page");
  g_assert_false (f->done);

  status = shown_status_page (dialog);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Connection Not Secure");
  g_assert_nonnull (strstr (adw_status_page_get_description (status),
                            "not issued by a trusted authority"));
  /* Never bypassed: no request got through the handshake. */
  g_assert_cmpuint (f->as.authorize_requests, ==, 0);
  test_ui_find_visible (dialog, "Retry");
  test_ui_save_screenshot (dialog, "sign-in-tls-error.png", 500);

  test_ui_click (dialog, "Cancel");
  wait_for_result (f);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->as.authorize_requests, ==, 0);
  assert_dialog_gone (f);
}

static void
test_load_failure_then_retry (Fixture       *f,
                              gconstpointer  data)
{
  TetherSignInDialog *dialog;
  AdwStatusPage *status;
  g_autofree char *where = NULL;
  g_autoptr(GUri) base = NULL;
  guint port;

  /* A port nothing listens on, for now. */
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  base = g_uri_parse (f->as.base, G_URI_FLAGS_NONE, NULL);
  port = g_uri_get_port (base);
  soup_server_disconnect (f->as.server);
  g_clear_object (&f->as.server);

  dialog = start_sign_in (f, NULL);
  wait_for (error_page_shown, f, 60, "the error page");
  g_assert_false (f->done);
  status = shown_status_page (dialog);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Could Not Load the Page");
  where = g_strdup_printf ("127.0.0.1:%u/authorize", port);
  g_assert_nonnull (strstr (adw_status_page_get_description (status), where));
  test_ui_save_screenshot (dialog, "sign-in-load-error.png", 500);

  /* The server comes up; Retry finds it. */
  auth_server_stop (&f->as);
  auth_server_start (&f->as, AS_FORM, port, FALSE);
  test_ui_click (dialog, "Retry");
  wait_for_page (f);
  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);

  assert_code_delivered (f);
  assert_dialog_gone (f);
}

static void
test_stopped_page_can_be_retried (Fixture       *f,
                                  gconstpointer  data)
{
  TetherSignInDialog *dialog;

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  webkit_web_view_terminate_web_process (tether_sign_in_dialog_get_web_view (dialog));
  wait_for (error_page_shown, f, 30, "the error page");
  g_assert_cmpstr (adw_status_page_get_title (shown_status_page (dialog)), ==,
                   "The Page Stopped Working");

  test_ui_click (dialog, "Retry");
  wait_for_page (f);
  g_assert_cmpuint (f->as.authorize_requests, ==, 2);
  g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
  wait_for_result (f);
  assert_code_delivered (f);
  assert_dialog_gone (f);
}

static gboolean
browser_was_asked (gpointer data)
{
  return g_file_test (browser_log, G_FILE_TEST_EXISTS);
}

static gboolean
browser_page_shown (gpointer data)
{
  Fixture *f = data;

  return f->done || tether_sign_in_dialog_get_page (f->dialog) == TETHER_SIGN_IN_PAGE_BROWSER;
}

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
} BrowserVisit;

static void
browser_visit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BrowserVisit *visit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  visit->status = soup_message_get_status (soup_session_get_async_result_message (
                                             SOUP_SESSION (source), result));
  visit->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  visit->done = TRUE;
}

static gboolean
visit_done (gpointer data)
{
  return ((BrowserVisit *) data)->done;
}

static void
test_open_in_browser_delivers_through_the_listener (Fixture       *f,
                                                    gconstpointer  data)
{
  TetherSignInDialog *dialog;
  g_autofree char *opened = NULL;
  g_autoptr(SoupSession) browser = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  BrowserVisit visit = { 0, };

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  dialog = start_sign_in (f, NULL);
  wait_for_page (f);
  test_ui_click (dialog, "Open in Browser Instead");
  wait_for (browser_page_shown, f, 30, "the “Continue in your browser” page");
  g_assert_false (f->done);
  /* The embedded view, and its web process, are gone. */
  g_assert_null (tether_sign_in_dialog_get_web_view (dialog));
  assert_webkit_processes_gone ();
  g_assert_cmpstr (adw_status_page_get_title (shown_status_page (dialog)), ==,
                   "Continue in Your Browser");
  test_ui_find_visible (dialog, "Open the Browser Again");
  test_ui_find_visible (dialog, "Cancel");
  test_ui_save_screenshot (dialog, "sign-in-browser.png", 500);

  /* The desktop's default browser (ours records what it was given) got the authorization URL. */
  wait_for (browser_was_asked, NULL, 30, "the browser to be started");
  g_assert_true (g_file_get_contents (browser_log, &opened, NULL, NULL));
  g_strchomp (opened);
  g_assert_true (g_str_has_prefix (opened, f->as.base));
  g_assert_nonnull (strstr (opened, "/authorize?"));

  /* The browser goes there; the server redirects it to the listener. */
  browser = soup_session_new_with_options ("user-agent", TEST_BROWSER_USER_AGENT, NULL);
  msg = soup_message_new ("GET", opened);
  soup_session_send_and_read_async (browser, msg, G_PRIORITY_DEFAULT, NULL, browser_visit_cb,
                                    &visit);
  wait_for (visit_done, &visit, 30, "the browser's visit");
  wait_for_result (f);

  assert_code_delivered (f);
  g_assert_cmpuint (visit.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (visit.body, "close this tab"));
  g_assert_cmpuint (tether_web_authorizer_get_callback_requests (f->authorizer), ==, 1);
  assert_dialog_gone (f);
  g_free (visit.body);
  g_unlink (browser_log);
}

/* Twice in a row; returns whether the second visit to /authorize carried the first's cookie. */
static gboolean
sign_in_twice (Fixture *f)
{
  for (int i = 0; i < 2; i++)
    {
      start_sign_in (f, NULL);
      wait_for_page (f);
      g_free (run_in_page (f, "document.getElementById('approve').click(); 'clicked'"));
      wait_for_result (f);
      assert_code_delivered (f);
      assert_dialog_gone (f);
      if (i == 0)
        g_assert_false (f->as.cookie_seen);
      assert_webkit_processes_gone ();
    }
  return f->as.cookie_seen;
}

static void
test_ephemeral_session_forgets (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *session_dir = tether_web_authorizer_dup_session_dir ();

  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_false (sign_in_twice (f));
  g_assert_false (g_file_test (session_dir, G_FILE_TEST_EXISTS));
}

static void
test_remember_sign_in_keeps_cookies (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (TETHER_SETTINGS_SCHEMA_ID);
  g_autofree char *session_dir = tether_web_authorizer_dup_session_dir ();
  g_autofree char *cookies = g_build_filename (session_dir, "data", "cookies.sqlite", NULL);

  g_assert_true (g_str_has_prefix (session_dir, test_home));
  g_settings_set_boolean (settings, "remember-sign-in", TRUE);
  auth_server_start (&f->as, AS_FORM, 0, FALSE);
  g_assert_true (sign_in_twice (f));
  g_assert_true (g_file_test (cookies, G_FILE_TEST_IS_REGULAR));
  g_settings_reset (settings, "remember-sign-in");
}

/* ---- The run ------------------------------------------------------------------------------ */

/* The desktop's default web browser, for this run: this program with --browser URL, which
 * writes URL to $TETHER_TEST_BROWSER_LOG (the test then plays the browser itself). */
static void
install_test_browser (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *applications = g_build_filename (test_home, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (test_home, "config", NULL);
  g_autofree char *desktop_path = g_build_filename (applications, "tether-test-browser.desktop",
                                                    NULL);
  g_autofree char *mimeapps_path = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *desktop = NULL;
  g_autoptr(GError) error = NULL;
  static const char mimeapps[] =
    "[Default Applications]\n"
    "x-scheme-handler/http=tether-test-browser.desktop\n"
    "x-scheme-handler/https=tether-test-browser.desktop\n";

  g_assert_nonnull (self);
  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                             "Exec=\"%s\" --browser %%u\n"
                             "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n"
                             "NoDisplay=true\n", self);
  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_file_set_contents (desktop_path, desktop, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps_path, mimeapps, -1, &error);
  g_assert_no_error (error);
}

/* GL is off in these tests (GDK_DEBUG=gl-disable: the same pixels everywhere, no Mesa in the
 * sanitized process), and WebKit says so once, as a warning without a log domain; every other
 * warning stays fatal. GLib hands the message to the domain's handler, then asks the test's
 * fatal handler whether to abort. */
static gboolean
is_expected_warning (GLogLevelFlags  log_level,
                     const char     *message)
{
  return (log_level & G_LOG_LEVEL_WARNING) && message != NULL
         && g_str_has_prefix (message, "Disabled hardware acceleration because GTK failed to "
                                       "initialize GL: GL support disabled via GDK_DEBUG");
}

static gboolean
fatal_log_handler (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return !is_expected_warning (log_level, message);
}

static void
no_domain_log_handler (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  if (is_expected_warning (log_level, message))
    g_test_message ("Expected warning: %s", message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}


int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Started as the desktop's browser by the open-in-browser case. */
  if (argc == 3 && g_str_equal (argv[1], "--browser"))
    {
      const char *log = g_getenv ("TETHER_TEST_BROWSER_LOG");
      g_autofree char *line = g_strconcat (argv[2], "\n", NULL);

      return log != NULL && g_file_set_contents (log, line, -1, NULL) ? 0 : 1;
    }

  /* Before GTK, GIO or WebKit read them: settings, data, cookies and the default browser of
   * this run live in a folder of its own. */
  test_home = g_dir_make_tmp ("tether-sign-in-test-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const struct { const char *variable, *folder; } homes[] = {
      { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
      { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (homes); i++)
      {
        g_autofree char *path = g_build_filename (test_home, homes[i].folder, NULL);

        g_setenv (homes[i].variable, path, TRUE);
      }
  }
  browser_log = g_build_filename (test_home, "browser.log", NULL);
  g_setenv ("TETHER_TEST_BROWSER_LOG", browser_log, TRUE);
  install_test_browser ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Warnings come flagged fatal (g_test_init): the handler must take that flag too. */
  g_log_set_handler (NULL, G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, no_domain_log_handler, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sign-in/form-post-redirect-is-never-loaded", test_form_post_redirect_is_never_loaded);
  ADD ("/sign-in/immediate-redirect-is-never-loaded", test_immediate_redirect_is_never_loaded);
  ADD ("/sign-in/error-redirect-is-delivered-as-a-uri", test_error_redirect_is_delivered);
  ADD ("/sign-in/new-window-opens-in-the-same-view", test_new_window_opens_in_the_same_view);
  ADD ("/sign-in/other-schemes-are-ignored", test_other_schemes_are_ignored);
  ADD ("/sign-in/cancel-button-cancels", test_cancel_button_cancels);
  ADD ("/sign-in/escape-cancels", test_escape_cancels);
  ADD ("/sign-in/cancellable-closes-the-dialog", test_cancellable_closes_the_dialog);
  ADD ("/sign-in/timeout-gives-up", test_timeout_gives_up);
  ADD ("/sign-in/tls-errors-are-refused", test_tls_errors_are_refused);
  ADD ("/sign-in/load-failure-then-retry", test_load_failure_then_retry);
  ADD ("/sign-in/stopped-page-can-be-retried", test_stopped_page_can_be_retried);
  ADD ("/sign-in/open-in-browser-delivers-through-the-listener",
       test_open_in_browser_delivers_through_the_listener);
  ADD ("/sign-in/ephemeral-session-forgets", test_ephemeral_session_forgets);
  ADD ("/sign-in/remember-sign-in-keeps-cookies", test_remember_sign_in_keeps_cookies);
#undef ADD

  status = g_test_run ();
  test_files_remove_tree (test_home);
  g_free (test_home);
  g_free (browser_log);
  return status;
}
