/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A JSON Schema validator for the keywords tools use in their output schemas: type (with
 * "integer" and arrays of types), properties, required, additionalProperties,
 * patternProperties, items/prefixItems, min/maxItems, uniqueItems, min/maxProperties, enum,
 * const, minimum/maximum and their exclusive forms, multipleOf, min/maxLength, pattern,
 * anyOf/oneOf/allOf/not and $ref to a JSON pointer in the same document ("#/$defs/x",
 * "#/definitions/x", "#"). Keywords it does not know (format, title, ...) are annotations and
 * pass. GTK-free: it runs in worker threads. */

#define TETHER_JSON_VALIDATOR_ERROR (tether_json_validator_error_quark ())

typedef enum
{
  TETHER_JSON_VALIDATOR_ERROR_MISMATCH, /* the instance does not match the schema */
  TETHER_JSON_VALIDATOR_ERROR_SCHEMA,   /* the schema itself cannot be used: bad $ref, bad
                                         * pattern, nested or recursive beyond reason */
} TetherJsonValidatorError;

GQuark   tether_json_validator_error_quark (void);

/* Checks @instance against @schema (an object or a boolean node). On a mismatch, returns FALSE
 * with @error's message naming the first problem and where it is, as in
 * "$.items[2].name: expected a string, got a number"; @problem_path, when not NULL, receives
 * that location ("$.items[2].name") on its own. */
gboolean tether_json_validator_validate     (JsonNode  *schema,
                                            JsonNode  *instance,
                                            char     **problem_path,
                                            GError   **error);

G_END_DECLS
