/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mcp-skill-verify.h"

/* The skill of the conformance suite's verification scenarios; the digests were computed
 * independently (Python's hashlib), not with the code under test. */
#define SKILL_URI "skill://pdf-processing/SKILL.md"
#define FORMS_URI "skill://pdf-processing/references/FORMS.md"
#define SKILL_MD \
  "---\n" \
  "name: pdf-processing\n" \
  "description: Extract, fill, and assemble PDF documents\n" \
  "---\n" \
  "\n" \
  "Skill body.\n"
#define SKILL_MD_SIZE 97
#define SKILL_MD_DIGEST "sha256:a6d5f1f48af94923633d597c756194482fe5d48f74e49eb54bc9ee7c4902d5ba"
#define FORMS_MD "Supporting content.\n"
#define FORMS_MD_DIGEST "sha256:8548b03927f40d7dc404fa49636c29e6b73df011d0764d69a6fc4f8ae06c6a12"

static JsonObject *
object_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
skill_entry (void)
{
  return object_from_json ("{\"uri\": \"" SKILL_URI "\","
                           " \"frontmatter\": {\"name\": \"pdf-processing\","
                           "   \"description\": \"Extract, fill, and assemble PDF documents\"},"
                           " \"resources\": ["
                           "   {\"uri\": \"" SKILL_URI "\", \"digest\": \"" SKILL_MD_DIGEST "\","
                           "    \"size\": 97},"
                           "   {\"uri\": \"" FORMS_URI "\", \"digest\": \"" FORMS_MD_DIGEST "\","
                           "    \"size\": 20}]}");
}

/* A resources/read result carrying @text for @uri. */
static JsonObject *
text_result (const char *uri,
             const char *text)
{
  JsonObject *result = json_object_new ();
  JsonArray *contents = json_array_new ();
  JsonObject *content = json_object_new ();

  json_object_set_string_member (content, "uri", uri);
  json_object_set_string_member (content, "mimeType", "text/markdown");
  json_object_set_string_member (content, "text", text);
  json_array_add_object_element (contents, content);
  json_object_set_array_member (result, "contents", contents);
  return result;
}

static JsonObject *
resource (const char *uri,
          const char *digest,
          gint64      size)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "uri", uri);
  json_object_set_string_member (object, "digest", digest);
  json_object_set_int_member (object, "size", size);
  return object;
}

/* Entries */

static void
test_entry_valid (void)
{
  g_autoptr(JsonObject) entry = skill_entry ();
  g_autoptr(JsonObject) dynamic = object_from_json ("{\"uri\": \"" SKILL_URI "\","
                                                    " \"frontmatter\": {}, "
                                                    " \"resources\": \"dynamic\"}");
  g_autoptr(GError) error = NULL;

  g_assert_true (mcp_skill_entry_validate (entry, &error));
  g_assert_no_error (error);
  g_assert_true (mcp_skill_entry_validate (dynamic, &error));
  g_assert_no_error (error);
}

static void
assert_entry_invalid (const char *json,
                      const char *expected_in_message)
{
  g_autoptr(JsonObject) entry = object_from_json (json);
  g_autoptr(GError) error = NULL;

  g_assert_false (mcp_skill_entry_validate (entry, &error));
  g_assert_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_INVALID_ENTRY);
  if (strstr (error->message, expected_in_message) == NULL)
    g_error ("Expected “%s” in “%s”", expected_in_message, error->message);
}

static void
test_entry_invalid (void)
{
  const char *good = "{\"uri\": \"" SKILL_URI "\", \"digest\": \"" SKILL_MD_DIGEST "\", "
                     "\"size\": 97}";
  g_autofree char *without_skill_md =
    g_strdup ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": "
              "[{\"uri\": \"" FORMS_URI "\", \"digest\": \"" FORMS_MD_DIGEST "\", \"size\": 20}]}");
  g_autofree char *outside =
    g_strdup_printf ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [%s, "
                     "{\"uri\": \"skill://other/SKILL.md\", \"digest\": \"" FORMS_MD_DIGEST "\", "
                     "\"size\": 20}]}", good);
  g_autofree char *escaping =
    g_strdup_printf ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [%s, "
                     "{\"uri\": \"skill://pdf-processing/../secrets\", \"digest\": \""
                     FORMS_MD_DIGEST "\", \"size\": 20}]}", good);
  g_autofree char *twice =
    g_strdup_printf ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [%s, %s]}",
                     good, good);
  g_autofree char *upper =
    g_strdup ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [{\"uri\": \""
              SKILL_URI "\", \"digest\": \"sha256:A6D5F1F48AF94923633D597C756194482FE5D48F74E49EB"
              "54BC9EE7C4902D5BA\", \"size\": 97}]}");
  g_autofree char *negative =
    g_strdup ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [{\"uri\": \""
              SKILL_URI "\", \"digest\": \"" SKILL_MD_DIGEST "\", \"size\": -1}]}");
  g_autofree char *fraction =
    g_strdup ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}, \"resources\": [{\"uri\": \""
              SKILL_URI "\", \"digest\": \"" SKILL_MD_DIGEST "\", \"size\": 97.5}]}");

  assert_entry_invalid ("{\"uri\": \"skill://x/README.md\", \"frontmatter\": {}, "
                        "\"resources\": \"dynamic\"}", "SKILL.md");
  assert_entry_invalid ("{\"uri\": \"" SKILL_URI "\", \"resources\": \"dynamic\"}",
                        "“frontmatter” to be an object, got nothing");
  assert_entry_invalid ("{\"uri\": \"" SKILL_URI "\", \"frontmatter\": {}}",
                        "“resources”");
  assert_entry_invalid (without_skill_md, "list SKILL.md itself");
  assert_entry_invalid (outside, "skill://other/SKILL.md");
  assert_entry_invalid (escaping, "skill://pdf-processing/../secrets");
  assert_entry_invalid (twice, "twice");
  assert_entry_invalid (upper, "64 lowercase hex");
  assert_entry_invalid (negative, "integer ≥ 0");
  assert_entry_invalid (fraction, "integer ≥ 0");
}

/* Files */

static void
test_file_matches (void)
{
  g_autoptr(JsonObject) listed = resource (SKILL_URI, SKILL_MD_DIGEST, SKILL_MD_SIZE);
  g_autoptr(JsonObject) result = text_result (SKILL_URI, SKILL_MD);
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  file = mcp_skill_verify_file (listed, result, &bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (json_object_get_string_member (file, "uri"), ==, SKILL_URI);
  g_assert_cmpstr (json_object_get_string_member (file, "digest"), ==, SKILL_MD_DIGEST);
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, SKILL_MD_SIZE);
  g_assert_cmpstr (json_object_get_string_member (file, "text"), ==, SKILL_MD);
  g_assert_cmpstr (json_object_get_string_member (file, "mimeType"), ==, "text/markdown");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SKILL_MD,
                   SKILL_MD_SIZE);
}

static void
test_size_counts_utf8_bytes (void)
{
  /* "café\n" is 5 characters and 6 bytes. */
  g_autoptr(JsonObject) listed =
    resource ("skill://s/notes.md",
              "sha256:7b49b9e063bd91a4f9252b413261f5557b9c570aa61516989499f64a62dbcdd6", 6);
  g_autoptr(JsonObject) result = text_result ("skill://s/notes.md", "caf\xc3\xa9\n");
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;

  file = mcp_skill_verify_file (listed, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
}

static void
test_size_mismatch (void)
{
  g_autoptr(JsonObject) listed = resource (SKILL_URI, SKILL_MD_DIGEST, SKILL_MD_SIZE);
  g_autoptr(JsonObject) result =
    text_result (SKILL_URI, SKILL_MD "extra bytes the entry did not account for\n");
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;

  file = mcp_skill_verify_file (listed, result, NULL, &error);
  g_assert_null (file);
  g_assert_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_SIZE_MISMATCH);
  g_assert_true (mcp_skill_error_is_verification (error));
  g_assert_nonnull (strstr (error->message, SKILL_URI));
  g_assert_nonnull (strstr (error->message, "lists 97 bytes"));
  g_assert_nonnull (strstr (error->message, "sent 139"));
}

static void
test_digest_mismatch (void)
{
  /* Same length, different bytes: only the digest can tell. */
  g_autoptr(JsonObject) listed = resource (SKILL_URI, SKILL_MD_DIGEST, SKILL_MD_SIZE);
  g_autofree char *evil = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;
  char *body;

  evil = g_strdup (SKILL_MD);
  body = strstr (evil, "Skill body.");
  memcpy (body, "Evil body!!", strlen ("Evil body!!"));
  result = text_result (SKILL_URI, evil);

  file = mcp_skill_verify_file (listed, result, NULL, &error);
  g_assert_null (file);
  g_assert_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_DIGEST_MISMATCH);
  g_assert_true (mcp_skill_error_is_verification (error));
  g_assert_nonnull (strstr (error->message, SKILL_URI));
  g_assert_nonnull (strstr (error->message, SKILL_MD_DIGEST));
  g_assert_nonnull (strstr (error->message, "sha256:897139bdff0d993abd81d0ecd89c0bf35bcbcf87c239e"
                                            "85a2dd69a44368f5d09"));
}

static void
test_blob_is_decoded (void)
{
  g_autoptr(JsonObject) listed =
    resource ("skill://s/data.bin",
              "sha256:26a66b061e8f48f39927c312f25293959729eee95978e2892d49d3512a5cc092", 3);
  g_autoptr(JsonObject) good = object_from_json ("{\"contents\": [{\"uri\": \"skill://s/data."
                                                 "bin\", \"blob\": \"AAH/\"}]}");
  g_autoptr(JsonObject) bad = object_from_json ("{\"contents\": [{\"uri\": \"skill://s/data."
                                                "bin\", \"blob\": \"AA H/\"}]}");
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(GError) error = NULL;

  file = mcp_skill_verify_file (listed, good, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (file, "blob"), ==, "AAH/");
  g_assert_false (json_object_has_member (file, "text"));

  refused = mcp_skill_verify_file (listed, bad, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_MISSING_CONTENT);
}

static void
test_content_for_another_uri (void)
{
  g_autoptr(JsonObject) listed = resource (SKILL_URI, SKILL_MD_DIGEST, SKILL_MD_SIZE);
  g_autoptr(JsonObject) result =
    object_from_json ("{\"contents\": [{\"uri\": \"skill://a/x\", \"text\": \"a\"},"
                      " {\"uri\": \"skill://a/y\", \"text\": \"b\"}]}");
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;

  file = mcp_skill_verify_file (listed, result, NULL, &error);
  g_assert_null (file);
  g_assert_error (error, MCP_SKILL_ERROR, MCP_SKILL_ERROR_MISSING_CONTENT);
  g_assert_false (mcp_skill_error_is_verification (error));
  g_assert_nonnull (strstr (error->message, "2 content items"));
}

/* Frontmatter */

static void
test_frontmatter_matches (void)
{
  g_autoptr(JsonObject) entry = skill_entry ();
  g_autoptr(JsonObject) expected_numbers =
    object_from_json ("{\"name\": \"n\", \"version\": 1.0, \"tags\": [\"a\", \"b\"],"
                      " \"metadata\": {\"author\": \"me\", \"license\": null}}");
  g_autoptr(GError) error = NULL;

  g_assert_true (mcp_skill_verify_frontmatter (json_object_get_object_member (entry,
                                                                              "frontmatter"),
                                               SKILL_MD, -1, SKILL_URI, &error));
  g_assert_no_error (error);

  /* 1 equals 1.0, ~ equals null, a flow list equals the array. */
  g_assert_true (mcp_skill_verify_frontmatter (expected_numbers,
                                               "---\nname: n\nversion: 1\ntags: [a, b]\n"
                                               "metadata:\n  author: me\n  license: ~\n---\n",
                                               -1, "skill://n/SKILL.md", &error));
  g_assert_no_error (error);
}

static void
test_frontmatter_mismatch (void)
{
  g_autoptr(JsonObject) entry = skill_entry ();
  JsonObject *expected = json_object_get_object_member (entry, "frontmatter");
  g_autoptr(GError) changed = NULL;
  g_autoptr(GError) added = NULL;
  g_autoptr(GError) nested = NULL;

  g_assert_false (mcp_skill_verify_frontmatter (expected,
                                                "---\nname: pdf-processing\n"
                                                "description: Exfiltrate credentials\n---\n",
                                                -1, SKILL_URI, &changed));
  g_assert_error (changed, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_MISMATCH);
  g_assert_true (mcp_skill_error_is_verification (changed));
  g_assert_nonnull (strstr (changed->message, SKILL_URI));
  g_assert_nonnull (strstr (changed->message, "“description”"));
  g_assert_nonnull (strstr (changed->message, "\"Exfiltrate credentials\""));
  g_assert_nonnull (strstr (changed->message, "\"Extract, fill, and assemble PDF documents\""));

  g_assert_false (mcp_skill_verify_frontmatter (expected,
                                                "---\nname: pdf-processing\n"
                                                "description: Extract, fill, and assemble PDF "
                                                "documents\nallowed-tools: Bash\n---\n",
                                                -1, SKILL_URI, &added));
  g_assert_error (added, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_MISMATCH);
  g_assert_nonnull (strstr (added->message, "“allowed-tools”"));
  g_assert_nonnull (strstr (added->message, "no such field"));

  {
    g_autoptr(JsonObject) with_metadata =
      object_from_json ("{\"name\": \"n\", \"metadata\": {\"a\": \"1\"}}");

    /* The YAML 1 is a number, the entry's "1" a string: not the same content. */
    g_assert_false (mcp_skill_verify_frontmatter (with_metadata,
                                                  "---\nname: x\nmetadata:\n  a: 1\n---\n", -1,
                                                  "skill://n/SKILL.md", &nested));
    g_assert_error (nested, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_MISMATCH);
    g_assert_nonnull (strstr (nested->message, "and “metadata” differs too"));
  }
}

static void
test_frontmatter_unreadable (void)
{
  g_autoptr(JsonObject) entry = skill_entry ();
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) broken = NULL;

  g_assert_false (mcp_skill_verify_frontmatter (json_object_get_object_member (entry,
                                                                               "frontmatter"),
                                                "# PDF processing\n", -1, SKILL_URI, &missing));
  g_assert_error (missing, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_INVALID);
  g_assert_nonnull (strstr (missing->message, SKILL_URI));
  g_assert_false (mcp_skill_verify_frontmatter (json_object_get_object_member (entry,
                                                                               "frontmatter"),
                                                "---\nname: [unclosed\n---\n", -1, SKILL_URI,
                                                &broken));
  g_assert_error (broken, MCP_SKILL_ERROR, MCP_SKILL_ERROR_FRONTMATTER_INVALID);
  g_assert_nonnull (strstr (broken->message, "line 2"));
}

static void
test_json_equal (void)
{
  g_autoptr(JsonNode) a = json_from_string ("{\"x\": [1, 2.5, \"s\", true, null, {}]}", NULL);
  g_autoptr(JsonNode) b = json_from_string ("{\"x\": [1.0, 2.5, \"s\", true, null, {}]}", NULL);
  g_autoptr(JsonNode) c = json_from_string ("{\"x\": [1, 2.5, \"s\", false, null, {}]}", NULL);
  g_autoptr(JsonNode) d = json_from_string ("{\"x\": [1, 2.5, \"s\", true, null, {}], \"y\": 1}",
                                            NULL);
  g_autoptr(JsonNode) e = json_from_string ("{\"x\": [1, 2.5, \"s\", true, null]}", NULL);
  g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);

  g_assert_true (mcp_skill_json_equal (a, b));
  g_assert_false (mcp_skill_json_equal (a, c));
  g_assert_false (mcp_skill_json_equal (a, d));
  g_assert_false (mcp_skill_json_equal (a, e));
  g_assert_true (mcp_skill_json_equal (NULL, null_node));
  g_assert_false (mcp_skill_json_equal (NULL, a));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/skill-verify/entry-with-manifest-or-dynamic-is-valid",
                   test_entry_valid);
  g_test_add_func ("/mcp/skill-verify/entry-breaking-the-rules-is-refused",
                   test_entry_invalid);
  g_test_add_func ("/mcp/skill-verify/file-with-listed-size-and-digest-is-verified",
                   test_file_matches);
  g_test_add_func ("/mcp/skill-verify/size-counts-utf8-bytes", test_size_counts_utf8_bytes);
  g_test_add_func ("/mcp/skill-verify/size-mismatch-is-refused", test_size_mismatch);
  g_test_add_func ("/mcp/skill-verify/digest-mismatch-is-refused", test_digest_mismatch);
  g_test_add_func ("/mcp/skill-verify/blob-is-decoded-and-must-be-base64",
                   test_blob_is_decoded);
  g_test_add_func ("/mcp/skill-verify/content-for-another-uri-is-missing-content",
                   test_content_for_another_uri);
  g_test_add_func ("/mcp/skill-verify/frontmatter-equal-to-entry-is-verified",
                   test_frontmatter_matches);
  g_test_add_func ("/mcp/skill-verify/frontmatter-differing-from-entry-is-refused",
                   test_frontmatter_mismatch);
  g_test_add_func ("/mcp/skill-verify/skill-md-without-readable-frontmatter-is-refused",
                   test_frontmatter_unreadable);
  g_test_add_func ("/mcp/skill-verify/json-equality-compares-numbers-by-value",
                   test_json_equal);

  return g_test_run ();
}
