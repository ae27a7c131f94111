/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a form needs to know about one schema node, once $ref, allOf and the nullable forms
 * of anyOf/oneOf/type have been looked through. */
typedef enum
{
  TETHER_JSON_SCHEMA_KIND_ANY,          /* {} or true: any JSON value */
  TETHER_JSON_SCHEMA_KIND_NULL,         /* only null */
  TETHER_JSON_SCHEMA_KIND_BOOLEAN,
  TETHER_JSON_SCHEMA_KIND_INTEGER,
  TETHER_JSON_SCHEMA_KIND_NUMBER,
  TETHER_JSON_SCHEMA_KIND_STRING,
  TETHER_JSON_SCHEMA_KIND_ENUM,         /* enum, or anyOf/oneOf of {const, title} */
  TETHER_JSON_SCHEMA_KIND_CONST,
  TETHER_JSON_SCHEMA_KIND_ARRAY,
  TETHER_JSON_SCHEMA_KIND_OBJECT,
  TETHER_JSON_SCHEMA_KIND_VARIANTS,     /* anyOf/oneOf of different shapes */
  TETHER_JSON_SCHEMA_KIND_UNSUPPORTED,  /* edited as raw JSON; see get_unsupported_reason() */
} TetherJsonSchemaKind;

#define TETHER_JSON_SCHEMA_ERROR (tether_json_schema_error_quark ())

typedef enum
{
  TETHER_JSON_SCHEMA_ERROR_TYPE,
  TETHER_JSON_SCHEMA_ERROR_REQUIRED,
  TETHER_JSON_SCHEMA_ERROR_LENGTH,
  TETHER_JSON_SCHEMA_ERROR_PATTERN,
  TETHER_JSON_SCHEMA_ERROR_FORMAT,
  TETHER_JSON_SCHEMA_ERROR_RANGE,
  TETHER_JSON_SCHEMA_ERROR_MULTIPLE_OF,
  TETHER_JSON_SCHEMA_ERROR_ENUM,
  TETHER_JSON_SCHEMA_ERROR_ITEMS,
  TETHER_JSON_SCHEMA_ERROR_PROPERTIES,
  TETHER_JSON_SCHEMA_ERROR_VARIANT,
  TETHER_JSON_SCHEMA_ERROR_NOT_ALLOWED,
} TetherJsonSchemaError;

#define TETHER_TYPE_JSON_SCHEMA (tether_json_schema_get_type ())
G_DECLARE_FINAL_TYPE (TetherJsonSchema, tether_json_schema, TETHER, JSON_SCHEMA, GObject)

GQuark                tether_json_schema_error_quark          (void);

TetherJsonSchema     *tether_json_schema_new                  (JsonObject        *document);

TetherJsonSchemaKind  tether_json_schema_get_kind             (TetherJsonSchema  *self);
gboolean              tether_json_schema_get_nullable         (TetherJsonSchema  *self);
const char           *tether_json_schema_get_unsupported_reason (TetherJsonSchema *self);
gconstpointer         tether_json_schema_get_identity         (TetherJsonSchema  *self);

const char           *tether_json_schema_get_title            (TetherJsonSchema  *self);
const char           *tether_json_schema_get_description      (TetherJsonSchema  *self);
JsonNode             *tether_json_schema_get_default          (TetherJsonSchema  *self);
JsonNode             *tether_json_schema_build_default        (TetherJsonSchema  *self);
const char           *tether_json_schema_get_format           (TetherJsonSchema  *self);
const char           *tether_json_schema_get_string           (TetherJsonSchema  *self,
                                                               const char        *keyword);
gboolean              tether_json_schema_get_number           (TetherJsonSchema  *self,
                                                               const char        *keyword,
                                                               double            *value);
gboolean              tether_json_schema_get_count            (TetherJsonSchema  *self,
                                                               const char        *keyword,
                                                               guint             *value);
gboolean              tether_json_schema_get_flag             (TetherJsonSchema  *self,
                                                               const char        *keyword);
gboolean              tether_json_schema_prefers_multiline    (TetherJsonSchema  *self,
                                                               const char        *property_name);

const char * const   *tether_json_schema_get_property_names   (TetherJsonSchema  *self);
TetherJsonSchema     *tether_json_schema_get_property         (TetherJsonSchema  *self,
                                                               const char        *name);
gboolean              tether_json_schema_is_required          (TetherJsonSchema  *self,
                                                               const char        *name);
gboolean              tether_json_schema_allows_additional    (TetherJsonSchema  *self);
TetherJsonSchema     *tether_json_schema_get_additional       (TetherJsonSchema  *self);

TetherJsonSchema     *tether_json_schema_get_items            (TetherJsonSchema  *self);

guint                 tether_json_schema_get_n_choices        (TetherJsonSchema  *self);
JsonNode             *tether_json_schema_get_choice_value     (TetherJsonSchema  *self,
                                                               guint              index);
char                 *tether_json_schema_dup_choice_label     (TetherJsonSchema  *self,
                                                               guint              index);
int                   tether_json_schema_find_choice          (TetherJsonSchema  *self,
                                                               JsonNode          *value);
JsonNode             *tether_json_schema_get_const            (TetherJsonSchema  *self);

guint                 tether_json_schema_get_n_variants       (TetherJsonSchema  *self);
TetherJsonSchema     *tether_json_schema_get_variant          (TetherJsonSchema  *self,
                                                               guint              index);
char                 *tether_json_schema_dup_variant_label    (TetherJsonSchema  *self,
                                                               guint              index);
int                   tether_json_schema_match_variant        (TetherJsonSchema  *self,
                                                               JsonNode          *value);

gboolean              tether_json_schema_validate             (TetherJsonSchema  *self,
                                                               JsonNode          *value,
                                                               char             **path,
                                                               GError           **error);
gboolean              tether_json_schema_check_format         (const char        *format,
                                                               const char        *text,
                                                               GError           **error);

char                 *tether_json_schema_describe_value       (JsonNode          *value);
gboolean              tether_json_schema_values_equal         (JsonNode          *a,
                                                               JsonNode          *b);
void                  tether_json_schema_append_path_member   (GString           *path,
                                                               const char        *name);
void                  tether_json_schema_append_path_index    (GString           *path,
                                                               guint              index);

G_END_DECLS
