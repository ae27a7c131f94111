/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tether-connection-private.h"

struct _TetherConnection
{
  GObject            parent_instance;

  char              *id;
  char              *name;
  TetherTransport    transport;
  char              *url;
  char              *command;
  GStrv              arguments;
  GStrv              environment;
  char              *working_directory;
  GStrv              headers;
  TetherAuthMode     auth_mode;
  char              *client_id;
  char              *scopes;
  char              *cimd_url;
  TetherProtocolEra  era;
  guint              timeout_seconds;

  /* Members of the saved entry this version does not know (written by a newer Tether):
   * written back unchanged, so a round trip through an older version loses nothing. */
  JsonObject        *unknown_members;
};

G_DEFINE_FINAL_TYPE (TetherConnection, tether_connection, G_TYPE_OBJECT)

G_DEFINE_QUARK (tether-connection-error-quark, tether_connection_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TRANSPORT,
  PROP_URL,
  PROP_COMMAND,
  PROP_ARGUMENTS,
  PROP_ENVIRONMENT,
  PROP_WORKING_DIRECTORY,
  PROP_HEADERS,
  PROP_AUTH_MODE,
  PROP_CLIENT_ID,
  PROP_SCOPES,
  PROP_CIMD_URL,
  PROP_ERA,
  PROP_TIMEOUT_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
register_enum (gsize            *type_id,
               const char       *name,
               const GEnumValue *values)
{
  if (g_once_init_enter (type_id))
    g_once_init_leave (type_id, g_enum_register_static (name, values));
  return *type_id;
}

GType
tether_transport_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { TETHER_TRANSPORT_HTTP, "TETHER_TRANSPORT_HTTP", "http" },
    { TETHER_TRANSPORT_SSE, "TETHER_TRANSPORT_SSE", "sse" },
    { TETHER_TRANSPORT_STDIO, "TETHER_TRANSPORT_STDIO", "stdio" },
    { 0, NULL, NULL },
  };

  return register_enum (&type_id, "TetherTransport", values);
}

GType
tether_auth_mode_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { TETHER_AUTH_MODE_OAUTH, "TETHER_AUTH_MODE_OAUTH", "oauth" },
    { TETHER_AUTH_MODE_BEARER, "TETHER_AUTH_MODE_BEARER", "bearer" },
    { TETHER_AUTH_MODE_NONE, "TETHER_AUTH_MODE_NONE", "none" },
    { 0, NULL, NULL },
  };

  return register_enum (&type_id, "TetherAuthMode", values);
}

GType
tether_protocol_era_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { TETHER_PROTOCOL_ERA_AUTO, "TETHER_PROTOCOL_ERA_AUTO", "auto" },
    { TETHER_PROTOCOL_ERA_LEGACY, "TETHER_PROTOCOL_ERA_LEGACY", "legacy" },
    { TETHER_PROTOCOL_ERA_MODERN, "TETHER_PROTOCOL_ERA_MODERN", "modern" },
    { 0, NULL, NULL },
  };

  return register_enum (&type_id, "TetherProtocolEra", values);
}

GType
tether_secret_kind_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { TETHER_SECRET_KIND_BEARER_TOKEN, "TETHER_SECRET_KIND_BEARER_TOKEN", "bearer-token" },
    { TETHER_SECRET_KIND_CLIENT_SECRET, "TETHER_SECRET_KIND_CLIENT_SECRET", "client-secret" },
    { 0, NULL, NULL },
  };

  return register_enum (&type_id, "TetherSecretKind", values);
}

/* Strings are stored NULL-free: an unset string property reads as "". */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_strv (GStrv              *field,
          const char * const *value)
{
  static const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;
  if (*field != NULL && g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

static void
tether_connection_finalize (GObject *object)
{
  TetherConnection *self = TETHER_CONNECTION (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->url);
  g_free (self->command);
  g_strfreev (self->arguments);
  g_strfreev (self->environment);
  g_free (self->working_directory);
  g_strfreev (self->headers);
  g_free (self->client_id);
  g_free (self->scopes);
  g_free (self->cimd_url);
  g_clear_pointer (&self->unknown_members, json_object_unref);

  G_OBJECT_CLASS (tether_connection_parent_class)->finalize (object);
}

static void
tether_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TetherConnection *self = TETHER_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TRANSPORT:
      g_value_set_enum (value, self->transport);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_COMMAND:
      g_value_set_string (value, self->command);
      break;
    case PROP_ARGUMENTS:
      g_value_set_boxed (value, self->arguments);
      break;
    case PROP_ENVIRONMENT:
      g_value_set_boxed (value, self->environment);
      break;
    case PROP_WORKING_DIRECTORY:
      g_value_set_string (value, self->working_directory);
      break;
    case PROP_HEADERS:
      g_value_set_boxed (value, self->headers);
      break;
    case PROP_AUTH_MODE:
      g_value_set_enum (value, self->auth_mode);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_SCOPES:
      g_value_set_string (value, self->scopes);
      break;
    case PROP_CIMD_URL:
      g_value_set_string (value, self->cimd_url);
      break;
    case PROP_ERA:
      g_value_set_enum (value, self->era);
      break;
    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TetherConnection *self = TETHER_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Construct-only: a fresh connection gets a new random id. */
      if (g_value_get_string (value) != NULL && *g_value_get_string (value) != '\0')
        self->id = g_value_dup_string (value);
      else
        self->id = g_uuid_string_random ();
      break;
    case PROP_NAME:
      tether_connection_set_name (self, g_value_get_string (value));
      break;
    case PROP_TRANSPORT:
      tether_connection_set_transport (self, g_value_get_enum (value));
      break;
    case PROP_URL:
      tether_connection_set_url (self, g_value_get_string (value));
      break;
    case PROP_COMMAND:
      tether_connection_set_command (self, g_value_get_string (value));
      break;
    case PROP_ARGUMENTS:
      tether_connection_set_arguments (self, g_value_get_boxed (value));
      break;
    case PROP_ENVIRONMENT:
      tether_connection_set_environment (self, g_value_get_boxed (value));
      break;
    case PROP_WORKING_DIRECTORY:
      tether_connection_set_working_directory (self, g_value_get_string (value));
      break;
    case PROP_HEADERS:
      tether_connection_set_headers (self, g_value_get_boxed (value));
      break;
    case PROP_AUTH_MODE:
      tether_connection_set_auth_mode (self, g_value_get_enum (value));
      break;
    case PROP_CLIENT_ID:
      tether_connection_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_SCOPES:
      tether_connection_set_scopes (self, g_value_get_string (value));
      break;
    case PROP_CIMD_URL:
      tether_connection_set_cimd_url (self, g_value_get_string (value));
      break;
    case PROP_ERA:
      tether_connection_set_era (self, g_value_get_enum (value));
      break;
    case PROP_TIMEOUT_SECONDS:
      tether_connection_set_timeout_seconds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_class_init (TetherConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tether_connection_finalize;
  object_class->get_property = tether_connection_get_property;
  object_class->set_property = tether_connection_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", rw);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL,
                       TETHER_TYPE_TRANSPORT, TETHER_TRANSPORT_HTTP, rw);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, "", rw);
  properties[PROP_COMMAND] = g_param_spec_string ("command", NULL, NULL, "", rw);
  properties[PROP_ARGUMENTS] = g_param_spec_boxed ("arguments", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ENVIRONMENT] =
    g_param_spec_boxed ("environment", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_WORKING_DIRECTORY] =
    g_param_spec_string ("working-directory", NULL, NULL, "", rw);
  properties[PROP_HEADERS] = g_param_spec_boxed ("headers", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_AUTH_MODE] =
    g_param_spec_enum ("auth-mode", NULL, NULL,
                       TETHER_TYPE_AUTH_MODE, TETHER_AUTH_MODE_OAUTH, rw);
  properties[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, "", rw);
  properties[PROP_SCOPES] = g_param_spec_string ("scopes", NULL, NULL, "", rw);
  properties[PROP_CIMD_URL] = g_param_spec_string ("cimd-url", NULL, NULL, "", rw);
  properties[PROP_ERA] =
    g_param_spec_enum ("era", NULL, NULL,
                       TETHER_TYPE_PROTOCOL_ERA, TETHER_PROTOCOL_ERA_AUTO, rw);
  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL,
                       1, TETHER_CONNECTION_MAX_TIMEOUT, TETHER_CONNECTION_DEFAULT_TIMEOUT, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tether_connection_init (TetherConnection *self)
{
  static const char * const empty[] = { NULL };

  self->name = g_strdup ("");
  self->url = g_strdup ("");
  self->command = g_strdup ("");
  self->arguments = g_strdupv ((char **) empty);
  self->environment = g_strdupv ((char **) empty);
  self->working_directory = g_strdup ("");
  self->headers = g_strdupv ((char **) empty);
  self->client_id = g_strdup ("");
  self->scopes = g_strdup ("");
  self->cimd_url = g_strdup ("");
  self->transport = TETHER_TRANSPORT_HTTP;
  self->auth_mode = TETHER_AUTH_MODE_OAUTH;
  self->era = TETHER_PROTOCOL_ERA_AUTO;
  self->timeout_seconds = TETHER_CONNECTION_DEFAULT_TIMEOUT;
}

TetherConnection *
tether_connection_new (void)
{
  return g_object_new (TETHER_TYPE_CONNECTION, NULL);
}

TetherConnection *
tether_connection_new_with_id (const char *id)
{
  return g_object_new (TETHER_TYPE_CONNECTION, "id", id, NULL);
}

/* A deep copy with the same id: what the add-server dialog edits and hands back. */
TetherConnection *
tether_connection_copy (TetherConnection *self)
{
  TetherConnection *copy;

  g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);

  copy = tether_connection_new_with_id (self->id);
  tether_connection_assign (copy, self);
  return copy;
}

/* Takes every setting of @from except the id, notifying what changed. */
void
tether_connection_assign (TetherConnection *self,
                          TetherConnection *from)
{
  g_return_if_fail (TETHER_IS_CONNECTION (self));
  g_return_if_fail (TETHER_IS_CONNECTION (from));

  if (self == from)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  tether_connection_set_name (self, from->name);
  tether_connection_set_transport (self, from->transport);
  tether_connection_set_url (self, from->url);
  tether_connection_set_command (self, from->command);
  tether_connection_set_arguments (self, (const char * const *) from->arguments);
  tether_connection_set_environment (self, (const char * const *) from->environment);
  tether_connection_set_working_directory (self, from->working_directory);
  tether_connection_set_headers (self, (const char * const *) from->headers);
  tether_connection_set_auth_mode (self, from->auth_mode);
  tether_connection_set_client_id (self, from->client_id);
  tether_connection_set_scopes (self, from->scopes);
  tether_connection_set_cimd_url (self, from->cimd_url);
  tether_connection_set_era (self, from->era);
  tether_connection_set_timeout_seconds (self, from->timeout_seconds);
  g_clear_pointer (&self->unknown_members, json_object_unref);
  if (from->unknown_members != NULL)
    self->unknown_members = json_object_ref (from->unknown_members);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Members of a saved entry this version does not know (see tether-connection-json.c). */
JsonObject *
tether_connection_get_unknown_members (TetherConnection *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);
  return self->unknown_members;
}

void
tether_connection_take_unknown_members (TetherConnection *self,
                                        JsonObject       *members)
{
  g_return_if_fail (TETHER_IS_CONNECTION (self));
  g_clear_pointer (&self->unknown_members, json_object_unref);
  self->unknown_members = members;
}

/* ---- Accessors ------------------------------------------------------------------------- */

#define DEFINE_STRING_ACCESSORS(field, PROP)                                          \
  const char *                                                                        \
  tether_connection_get_##field (TetherConnection *self)                              \
  {                                                                                   \
    g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);                         \
    return self->field;                                                               \
  }                                                                                   \
                                                                                      \
  void                                                                                \
  tether_connection_set_##field (TetherConnection *self,                              \
                                 const char       *value)                             \
  {                                                                                   \
    g_return_if_fail (TETHER_IS_CONNECTION (self));                                   \
    if (set_string (&self->field, value))                                             \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                   \
  }

#define DEFINE_STRV_ACCESSORS(field, PROP)                                            \
  const char * const *                                                                \
  tether_connection_get_##field (TetherConnection *self)                              \
  {                                                                                   \
    g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);                         \
    return (const char * const *) self->field;                                        \
  }                                                                                   \
                                                                                      \
  void                                                                                \
  tether_connection_set_##field (TetherConnection   *self,                            \
                                 const char * const *value)                           \
  {                                                                                   \
    g_return_if_fail (TETHER_IS_CONNECTION (self));                                   \
    if (set_strv (&self->field, value))                                               \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                   \
  }

#define DEFINE_VALUE_ACCESSORS(field, Type, PROP)                                     \
  Type                                                                                \
  tether_connection_get_##field (TetherConnection *self)                              \
  {                                                                                   \
    g_return_val_if_fail (TETHER_IS_CONNECTION (self), 0);                            \
    return self->field;                                                               \
  }                                                                                   \
                                                                                      \
  void                                                                                \
  tether_connection_set_##field (TetherConnection *self,                              \
                                 Type              value)                             \
  {                                                                                   \
    g_return_if_fail (TETHER_IS_CONNECTION (self));                                   \
    if (self->field == value)                                                         \
      return;                                                                         \
    self->field = value;                                                              \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);                     \
  }

const char *
tether_connection_get_id (TetherConnection *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION (self), NULL);
  return self->id;
}

DEFINE_STRING_ACCESSORS (name, PROP_NAME)
DEFINE_STRING_ACCESSORS (url, PROP_URL)
DEFINE_STRING_ACCESSORS (command, PROP_COMMAND)
DEFINE_STRING_ACCESSORS (working_directory, PROP_WORKING_DIRECTORY)
DEFINE_STRING_ACCESSORS (client_id, PROP_CLIENT_ID)
DEFINE_STRING_ACCESSORS (scopes, PROP_SCOPES)
DEFINE_STRING_ACCESSORS (cimd_url, PROP_CIMD_URL)
DEFINE_STRV_ACCESSORS (arguments, PROP_ARGUMENTS)
DEFINE_STRV_ACCESSORS (environment, PROP_ENVIRONMENT)
DEFINE_STRV_ACCESSORS (headers, PROP_HEADERS)
DEFINE_VALUE_ACCESSORS (transport, TetherTransport, PROP_TRANSPORT)
DEFINE_VALUE_ACCESSORS (auth_mode, TetherAuthMode, PROP_AUTH_MODE)
DEFINE_VALUE_ACCESSORS (era, TetherProtocolEra, PROP_ERA)

guint
tether_connection_get_timeout_seconds (TetherConnection *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION (self), TETHER_CONNECTION_DEFAULT_TIMEOUT);
  return self->timeout_seconds;
}

void
tether_connection_set_timeout_seconds (TetherConnection *self,
                                       guint             seconds)
{
  g_return_if_fail (TETHER_IS_CONNECTION (self));

  seconds = CLAMP (seconds, 1, TETHER_CONNECTION_MAX_TIMEOUT);
  if (self->timeout_seconds == seconds)
    return;
  self->timeout_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_SECONDS]);
}
