/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The small pieces of the demo server that need no socket: form and query encoding, scope
 * lists, header checks, SSE event ids, the consent page's escaping and the PNG encoder. */
#include "config.h"

#include <string.h>

#include "demo-auth-pages.h"
#include "demo-mcp-stream.h"
#include "demo-png.h"
#include "demo-util.h"

static void
test_form_decodes_plus_and_percent (void)
{
  static const char form[] = "a=1+2&b=%E2%9C%93&c=&d&&e=x%3Dy%26z";
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) fields = demo_util_parse_form (form, strlen (form), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 5);
  g_assert_cmpstr (g_hash_table_lookup (fields, "a"), ==, "1 2");
  g_assert_cmpstr (g_hash_table_lookup (fields, "b"), ==, "✓");
  g_assert_cmpstr (g_hash_table_lookup (fields, "c"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (fields, "d"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (fields, "e"), ==, "x=y&z");
}

static void
test_form_refuses_repeats_bad_escapes_and_bad_utf8 (void)
{
  static const char * const bad[] = { "a=1&a=2", "a=%zz", "a=%C3%28", "a=%00", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) fields = demo_util_parse_form (bad[i], strlen (bad[i]), &error);

      g_assert_null (fields);
      g_assert_error (error, DEMO_SERVER_ERROR, DEMO_SERVER_ERROR_INVALID_INPUT);
    }
}

static void
test_append_query_keeps_existing_query_and_skips_null (void)
{
  g_autofree char *plain = demo_util_append_query ("http://127.0.0.1:9/cb", "code", "a b",
                                                   "state", NULL, "iss", "http://x:1", NULL);
  g_autofree char *with_query = demo_util_append_query ("http://127.0.0.1:9/cb?app=1",
                                                        "code", "c", NULL);

  g_assert_cmpstr (plain, ==, "http://127.0.0.1:9/cb?code=a%20b&iss=http%3A%2F%2Fx%3A1");
  g_assert_cmpstr (with_query, ==, "http://127.0.0.1:9/cb?app=1&code=c");
}

static void
test_scopes_split_dedupe_and_validate (void)
{
  g_auto(GStrv) scopes = demo_util_split_scopes ("  user admin user ");
  g_auto(GStrv) empty = demo_util_split_scopes ("");
  g_auto(GStrv) quoted = demo_util_split_scopes ("user \"admin\"");
  const char * const supported[] = { "user", "admin", NULL };
  const char * const wider[] = { "user", "root", NULL };

  g_assert_cmpuint (g_strv_length (scopes), ==, 2);
  g_assert_cmpstr (scopes[0], ==, "user");
  g_assert_cmpstr (scopes[1], ==, "admin");
  g_assert_nonnull (empty);
  g_assert_null (empty[0]);
  g_assert_null (quoted);
  g_assert_true (demo_util_strv_is_subset ((const char * const *) scopes, supported));
  g_assert_false (demo_util_strv_is_subset (wider, supported));
}

static void
test_accept_and_content_type (void)
{
  g_assert_true (demo_util_accept_names ("application/json, text/event-stream",
                                         "text/event-stream"));
  g_assert_false (demo_util_accept_names ("*/*", "text/event-stream"));
  g_assert_false (demo_util_accept_names ("text/event-stream;q=0", "text/event-stream"));
  g_assert_true (demo_util_accept_allows ("*/*", "application/json"));
  g_assert_true (demo_util_accept_allows ("application/*", "application/json"));
  g_assert_true (demo_util_accept_allows (NULL, "application/json"));
  g_assert_false (demo_util_accept_allows ("text/html", "application/json"));
  g_assert_false (demo_util_accept_allows ("app/*", "application/json"));

  g_assert_true (demo_util_media_type_is ("Application/JSON; charset=utf-8", "application/json"));
  g_assert_false (demo_util_media_type_is ("application/json-seq", "application/json"));
  g_assert_false (demo_util_media_type_is (NULL, "application/json"));
}

static void
test_secure_equal (void)
{
  g_assert_true (demo_util_secure_equal ("abc", "abc"));
  g_assert_false (demo_util_secure_equal ("abc", "abd"));
  g_assert_false (demo_util_secure_equal ("abc", "abcd"));
  g_assert_false (demo_util_secure_equal (NULL, "abc"));
}

static void
test_event_ids_parse_strictly (void)
{
  static const char * const bad[] = { "", "x-1", "3-", "3-1x", "-1", "3", "99999999999-1", NULL };
  guint number = 0;
  guint64 seq = 0;

  g_assert_true (demo_mcp_stream_parse_event_id ("3-17", &number, &seq));
  g_assert_cmpuint (number, ==, 3);
  g_assert_cmpuint (seq, ==, 17);
  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_false (demo_mcp_stream_parse_event_id (bad[i], &number, &seq));
  g_assert_false (demo_mcp_stream_parse_event_id (NULL, &number, &seq));
}

static void
test_consent_page_escapes_everything (void)
{
  const char * const scopes[] = { "user", "<b>", NULL };
  DemoConsentPage page = {
    .issuer = "http://localhost:1",
    .client_name = "<img src=x onerror=alert(1)>",
    .client_id = "id\"&",
    .redirect_uri = "http://127.0.0.1:9/cb?a=1&b=<2>",
    .scopes = scopes,
    .transaction = "t\"x",
    .user_name = "'><script>",
    .problem = "<em>bad</em>",
  };
  g_autofree char *html = demo_auth_pages_render_consent (&page);

  g_assert_null (strstr (html, "<img"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<b>"));
  g_assert_null (strstr (html, "<em>"));
  g_assert_nonnull (strstr (html, "&lt;img src=x onerror=alert(1)&gt;"));
  g_assert_nonnull (strstr (html, "name=\"transaction\" value=\"t&quot;x\""));
  g_assert_nonnull (strstr (html, "id&quot;&amp;"));
  g_assert_nonnull (strstr (html, "value=\"approve\""));
  g_assert_nonnull (strstr (html, "value=\"deny\""));
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_log_safe_keeps_one_line (void)
{
  g_autofree char *plain = demo_util_log_safe ("tools/call(echo)", 200);
  g_autofree char *controls = demo_util_log_safe ("a\nb\r\x1b[31mc\td", 200);
  g_autofree char *unicode = demo_util_log_safe ("h\xc3\xa9llo \xe2\x9c\x93", 200);
  g_autofree char *cut = demo_util_log_safe ("abcdefghij", 4);
  g_autofree char *invalid = demo_util_log_safe ("ab\xff\ncd", 200);

  g_assert_cmpstr (plain, ==, "tools/call(echo)");
  g_assert_cmpstr (controls, ==, "a?b??[31mc?d");
  g_assert_cmpstr (unicode, ==, "h\xc3\xa9llo \xe2\x9c\x93");
  g_assert_cmpstr (cut, ==, "abcd\xe2\x80\xa6");
  g_assert_cmpstr (invalid, ==, "ab?\xe2\x80\xa6");
  g_assert_null (demo_util_log_safe (NULL, 10));
}

static void
test_png_is_well_formed (void)
{
  g_autoptr(GBytes) png = demo_png_render_identicon (42, 8);
  g_autoptr(GBytes) other = demo_png_render_identicon (43, 8);
  g_autoptr(GBytes) again = demo_png_render_identicon (42, 8);
  gsize size;
  const guint8 *data = g_bytes_get_data (png, &size);
  gsize offset = 8;
  guint n_chunks = 0;

  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  /* IHDR: 56×56 (5 cells and a one-cell margin, 8 px each), 8-bit RGB. */
  g_assert_cmpuint (read_be32 (data + 8), ==, 13);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (read_be32 (data + 16), ==, 56);
  g_assert_cmpuint (read_be32 (data + 20), ==, 56);
  g_assert_cmpuint (data[24], ==, 8);
  g_assert_cmpuint (data[25], ==, 2);

  while (offset + 12 <= size)
    {
      guint32 length = read_be32 (data + offset);

      n_chunks++;
      if (memcmp (data + offset + 4, "IEND", 4) == 0)
        {
          g_assert_cmpuint (offset + 12 + length, ==, size);
          break;
        }
      offset += 12 + length;
    }
  g_assert_cmpuint (n_chunks, ==, 3);
  g_assert_true (g_bytes_equal (png, again));
  g_assert_false (g_bytes_equal (png, other));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-server/util/form-decodes-plus-and-percent",
                   test_form_decodes_plus_and_percent);
  g_test_add_func ("/demo-server/util/form-refuses-repeats-bad-escapes-and-bad-utf8",
                   test_form_refuses_repeats_bad_escapes_and_bad_utf8);
  g_test_add_func ("/demo-server/util/append-query-keeps-existing-query-and-skips-null",
                   test_append_query_keeps_existing_query_and_skips_null);
  g_test_add_func ("/demo-server/util/scopes-split-dedupe-and-validate",
                   test_scopes_split_dedupe_and_validate);
  g_test_add_func ("/demo-server/util/accept-and-content-type", test_accept_and_content_type);
  g_test_add_func ("/demo-server/util/secure-equal", test_secure_equal);
  g_test_add_func ("/demo-server/stream/event-ids-parse-strictly",
                   test_event_ids_parse_strictly);
  g_test_add_func ("/demo-server/pages/consent-page-escapes-everything",
                   test_consent_page_escapes_everything);
  g_test_add_func ("/demo-server/util/log-safe-keeps-one-line", test_log_safe_keeps_one_line);
  g_test_add_func ("/demo-server/png/identicon-is-well-formed", test_png_is_well_formed);

  return g_test_run ();
}
