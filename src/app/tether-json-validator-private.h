/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tether-json-validator.h"

G_BEGIN_DECLS

/* Shared by the files of the validator: tether-json-validator.c (the walk, $ref, the
 * combinators), tether-json-validator-keywords.c (type, number, string, array and object
 * keywords) and tether-json-validator-values.c (comparing and describing JSON values). */

typedef struct
{
  JsonNode   *root;     /* the whole schema document, for $ref */
  GHashTable *regexes;  /* pattern -> GRegex */
  GString    *path;     /* where in the instance we are: "$.items[2]" */
  guint       depth;
} Validator;

/* Values */
gboolean     tether_json_value_get_number       (JsonNode    *node,
                                                 double      *number);
gboolean     tether_json_value_is_integer       (JsonNode    *node);
gboolean     tether_json_value_is_string        (JsonNode    *node);
gboolean     tether_json_value_is_boolean       (JsonNode    *node);
gboolean     tether_json_value_equal            (JsonNode    *a,
                                                 JsonNode    *b);
char        *tether_json_value_format_number    (double       number);
char        *tether_json_value_quote            (JsonNode    *node);
char        *tether_json_value_describe         (JsonNode    *node);
const char  *tether_json_value_describe_type    (const char  *type);

/* The walk */
gboolean     tether_json_validator_check        (Validator   *v,
                                                 JsonNode    *schema,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_mismatch     (Validator   *v,
                                                 GError     **error,
                                                 const char  *format,
                                                 ...) G_GNUC_PRINTF (3, 4);
gboolean     tether_json_validator_schema_problem (GError    **error,
                                                   const char *format,
                                                   ...) G_GNUC_PRINTF (2, 3);
gboolean     tether_json_validator_is_schema_problem (const GError *error);
gsize        tether_json_validator_push_member  (Validator   *v,
                                                 const char  *name);
gsize        tether_json_validator_push_index   (Validator   *v,
                                                 guint        index);
void         tether_json_validator_pop          (Validator   *v,
                                                 gsize        saved);

/* Keywords: each checks what applies to the instance's type and passes the rest. */
gboolean     tether_json_validator_check_type   (Validator   *v,
                                                 JsonNode    *type,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_check_enum   (Validator   *v,
                                                 JsonNode    *allowed,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_check_number (Validator   *v,
                                                 JsonObject  *schema,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_check_string (Validator   *v,
                                                 JsonObject  *schema,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_check_array  (Validator   *v,
                                                 JsonObject  *schema,
                                                 JsonNode    *instance,
                                                 GError     **error);
gboolean     tether_json_validator_check_object (Validator   *v,
                                                 JsonObject  *schema,
                                                 JsonNode    *instance,
                                                 GError     **error);

G_END_DECLS
