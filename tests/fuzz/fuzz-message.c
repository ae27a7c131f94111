/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for src/mcp/mcp-message.c. Any input must either parse, or fail with an
 * MCP_MESSAGE_ERROR; whatever parses must serialise to text that parses back to an equal
 * message and serialises to the same text again. Anything else aborts, which the fuzzer
 * reports as a crash. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp-message.h"

int LLVMFuzzerInitialize (int    *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
fail (const char *what,
      const char *detail)
{
  fprintf (stderr, "fuzz-message: %s\n%s\n", what, detail != NULL ? detail : "");
  abort ();
}

static void
check_error (const GError *error)
{
  if (error == NULL)
    fail ("parsing failed without a GError", NULL);
  if (error->domain != MCP_MESSAGE_ERROR)
    fail ("parsing failed with an error outside MCP_MESSAGE_ERROR", error->message);
  if (error->message == NULL || error->message[0] == '\0')
    fail ("parsing failed with an empty error message", NULL);
  if (!g_utf8_validate (error->message, -1, NULL))
    fail ("parsing failed with an error message that is not UTF-8", NULL);
}

static void
check_round_trip (McpMessage *message)
{
  g_autoptr(McpMessage) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  text = mcp_message_to_string (message, &length);
  if (text == NULL || strlen (text) != length)
    fail ("to_string() gave no text or a wrong length", text);

  reparsed = mcp_message_parse (text, length, &error);
  if (reparsed == NULL)
    fail (error != NULL ? error->message : "reparse failed without an error", text);

  if (mcp_message_get_kind (reparsed) != mcp_message_get_kind (message))
    fail ("round trip changed the kind", text);
  if (g_strcmp0 (mcp_message_get_method (reparsed), mcp_message_get_method (message)) != 0)
    fail ("round trip changed the method", text);
  if (g_strcmp0 (mcp_message_get_id_key (reparsed), mcp_message_get_id_key (message)) != 0)
    fail ("round trip changed the id", text);
  if (!mcp_message_equal (message, reparsed))
    fail ("round trip changed the message", text);

  again = mcp_message_to_string (reparsed, NULL);
  if (strcmp (text, again) != 0)
    fail ("serialising the reparsed message gave other text", again);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or warning from GLib means a precondition failed on fuzzer input. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(McpMessage) message = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) batch_error = NULL;

  if (size > G_MAXSSIZE)
    return 0;

  message = mcp_message_parse (size > 0 ? text : NULL, (gssize) size, &error);
  if (message != NULL)
    check_round_trip (message);
  else
    check_error (error);

  batch = mcp_message_parse_batch (size > 0 ? text : NULL, (gssize) size, &batch_error);
  if (batch != NULL)
    {
      if (batch->len == 0)
        fail ("parse_batch() returned an empty array", NULL);
      for (guint k = 0; k < batch->len; k++)
        check_round_trip (g_ptr_array_index (batch, k));
      /* A lone message is a batch of one, and the same message. */
      if (message != NULL && (batch->len != 1 || !mcp_message_equal (message,
                                                                     g_ptr_array_index (batch, 0))))
        fail ("parse() and parse_batch() disagree on a single message", NULL);
    }
  else
    {
      check_error (batch_error);
      if (message != NULL)
        fail ("parse() accepted what parse_batch() refused", batch_error->message);
    }

  return 0;
}
