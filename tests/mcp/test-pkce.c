/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-pkce.h"

/* RFC 7636 Appendix B. */
static void
test_rfc7636_example (void)
{
  g_autofree char *challenge =
    mcp_pkce_challenge_s256 ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_verifier_shape (void)
{
  g_autofree char *verifier = mcp_pkce_generate_verifier ();

  g_assert_cmpuint (strlen (verifier), ==, 43);
  g_assert_true (mcp_pkce_verifier_is_valid (verifier));
  g_assert_false (mcp_pkce_verifier_is_valid ("short"));
  g_assert_false (mcp_pkce_verifier_is_valid ("dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk"));
  g_assert_false (mcp_pkce_verifier_is_valid (NULL));
}

static void
test_random_strings_differ (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      char *s = mcp_pkce_random_string (16);

      g_assert_cmpuint (strlen (s), ==, 22);
      g_assert_false (g_hash_table_contains (seen, s));
      g_hash_table_add (seen, s);
    }
}

static void
test_base64url (void)
{
  const guint8 data[] = { 0xfb, 0xff, 0xfe, 0x00 };
  g_autofree char *one = mcp_pkce_base64url_encode (data, 1);
  g_autofree char *three = mcp_pkce_base64url_encode (data, 3);
  g_autofree char *four = mcp_pkce_base64url_encode (data, 4);

  g_assert_cmpstr (one, ==, "-w");
  g_assert_cmpstr (three, ==, "-__-");
  g_assert_cmpstr (four, ==, "-__-AA");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/pkce/s256-matches-rfc7636-example", test_rfc7636_example);
  g_test_add_func ("/mcp/pkce/verifier-has-the-rfc-shape", test_verifier_shape);
  g_test_add_func ("/mcp/pkce/random-strings-never-repeat", test_random_strings_differ);
  g_test_add_func ("/mcp/pkce/base64url-has-no-padding-or-plus-slash", test_base64url);

  return g_test_run ();
}
