/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the tests of TetherJsonSchema (test-json-schema-*.c): parsing, and checking what
 * validation says about a value. */
#pragma once

#include "tether-json-schema.h"

G_BEGIN_DECLS

JsonNode *parse (const char *text);
TetherJsonSchema *schema_from (const char *text);
void assert_valid (TetherJsonSchema *schema,
                   const char       *value_text);
void assert_invalid (TetherJsonSchema *schema,
                     const char       *value_text,
                     const char       *expected_path,
                     int               expected_code,
                     const char       *expected_message);

G_END_DECLS
