/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "demo-auth-pages.h"

static const char page_style[] =
  "body{font-family:system-ui,sans-serif;background:#f6f5f4;color:#241f31;margin:0}"
  "main{max-width:26rem;margin:3rem auto;background:#fff;border:1px solid #deddda;"
  "border-radius:12px;padding:1.5rem 2rem}"
  "h1{font-size:1.3rem;margin-top:0}"
  "label{display:block;font-weight:600;margin:1rem 0 .3rem}"
  "input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;"
  "border:1px solid #c0bfbc;border-radius:6px}"
  "ul{padding-left:1.2rem}"
  ".buttons{display:flex;gap:.75rem;margin-top:1.5rem}"
  "button{flex:1;padding:.6rem;font-size:1rem;border-radius:6px;border:1px solid #c0bfbc;"
  "background:#fff;cursor:pointer}"
  "button.approve{background:#3584e4;border-color:#1c71d8;color:#fff}"
  ".problem{background:#fbe9e7;border:1px solid #e01b24;border-radius:6px;padding:.5rem}"
  ".small{color:#5e5c64;font-size:.85rem;word-break:break-all}";

static const char *
describe_scope (const char *scope)
{
  if (g_str_equal (scope, "user"))
    return "Read your profile";
  if (g_str_equal (scope, "admin"))
    return "See the server's statistics (administrator)";
  return NULL;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static void
append_head (GString    *out,
             const char *title)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width\"><title>");
  append_escaped (out, title);
  g_string_append_printf (out, "</title><style>%s</style></head><body><main>", page_style);
}

char *
demo_auth_pages_render_consent (const DemoConsentPage *page)
{
  GString *out = g_string_new (NULL);
  const char *shown_name = page->client_name != NULL && *page->client_name != '\0'
                           ? page->client_name : page->client_id;

  append_head (out, "Sign in – Tether demo server");
  g_string_append (out, "<h1>Sign in to the Tether demo server</h1><p><strong>");
  append_escaped (out, shown_name);
  g_string_append (out, "</strong> wants to use this server on your behalf.</p>");

  if (page->problem != NULL)
    {
      g_string_append (out, "<p class=\"problem\" role=\"alert\">");
      append_escaped (out, page->problem);
      g_string_append (out, "</p>");
    }

  g_string_append (out, "<p>It asks for:</p><ul>");
  for (guint i = 0; page->scopes != NULL && page->scopes[i] != NULL; i++)
    {
      const char *description = describe_scope (page->scopes[i]);

      g_string_append (out, "<li><code>");
      append_escaped (out, page->scopes[i]);
      g_string_append (out, "</code>");
      if (description != NULL)
        {
          g_string_append (out, " – ");
          append_escaped (out, description);
        }
      g_string_append (out, "</li>");
    }
  g_string_append (out, "</ul>");

  g_string_append (out, "<form method=\"post\" action=\"/authorize/decision\">"
                        "<input type=\"hidden\" name=\"transaction\" value=\"");
  append_escaped (out, page->transaction);
  g_string_append (out, "\"><label for=\"username\">User name</label>"
                        "<input type=\"text\" id=\"username\" name=\"username\" "
                        "autocomplete=\"username\" maxlength=\"39\" required autofocus value=\"");
  append_escaped (out, page->user_name != NULL ? page->user_name : "");
  g_string_append (out, "\"><div class=\"buttons\">"
                        "<button type=\"submit\" name=\"action\" value=\"deny\" "
                        "formnovalidate>Deny</button>"
                        "<button type=\"submit\" name=\"action\" value=\"approve\" "
                        "class=\"approve\">Authorize</button></div></form>");

  g_string_append (out, "<p class=\"small\">Client ID: ");
  append_escaped (out, page->client_id);
  g_string_append (out, "<br>You will be sent back to: ");
  append_escaped (out, page->redirect_uri);
  g_string_append (out, "<br>Authorization server: ");
  append_escaped (out, page->issuer);
  g_string_append (out, "</p></main></body></html>\n");

  return g_string_free (out, FALSE);
}

char *
demo_auth_pages_render_error (const char *title,
                              const char *message)
{
  GString *out = g_string_new (NULL);

  append_head (out, title);
  g_string_append (out, "<h1>");
  append_escaped (out, title);
  g_string_append (out, "</h1><p>");
  append_escaped (out, message);
  g_string_append (out, "</p></main></body></html>\n");
  return g_string_free (out, FALSE);
}

void
demo_auth_pages_respond (SoupServerMessage *msg,
                         guint              status,
                         char              *html)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  /* No form-action: browsers apply it to the redirect that follows the POST, and that goes to
   * the client's redirect URI on another origin. */
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; "
                                "frame-ancestors 'none'; base-uri 'none'");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    html, strlen (html));
}
