/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TetherConnection, continued: its secrets, which live in the keyring, never in the file. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tether-connection.h"

/* The "kind" attribute of a keyring item: the enum's nick. */
static const char *
kind_nick (TetherSecretKind kind)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TETHER_TYPE_SECRET_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  g_return_val_if_fail (value != NULL, "unknown");
  return value->value_nick;
}

static const SecretSchema secret_schema = {
  TETHER_CONNECTION_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* Secrets that could not reach a keyring: kept for this process only, keyed "id\nkind". */
static GMutex memory_lock;
static GHashTable *memory_secrets;

static char *
memory_key (const char       *id,
            TetherSecretKind  kind)
{
  return g_strdup_printf ("%s\n%s", id, kind_nick (kind));
}

static void
memory_put (const char       *id,
            TetherSecretKind  kind,
            const char       *secret)
{
  g_mutex_lock (&memory_lock);
  if (memory_secrets == NULL)
    memory_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) secret_password_free);
  if (secret != NULL)
    g_hash_table_replace (memory_secrets, memory_key (id, kind), g_strdup (secret));
  else if (memory_secrets != NULL)
    {
      g_autofree char *key = memory_key (id, kind);
      g_hash_table_remove (memory_secrets, key);
    }
  g_mutex_unlock (&memory_lock);
}

static char *
memory_get (const char       *id,
            TetherSecretKind  kind)
{
  g_autofree char *key = memory_key (id, kind);
  char *secret = NULL;

  g_mutex_lock (&memory_lock);
  if (memory_secrets != NULL)
    secret = g_strdup (g_hash_table_lookup (memory_secrets, key));
  g_mutex_unlock (&memory_lock);
  return secret;
}

static gboolean
memory_remove (const char       *id,
               TetherSecretKind  kind)
{
  g_autofree char *key = memory_key (id, kind);
  gboolean removed = FALSE;

  g_mutex_lock (&memory_lock);
  if (memory_secrets != NULL)
    removed = g_hash_table_remove (memory_secrets, key);
  g_mutex_unlock (&memory_lock);
  return removed;
}

typedef struct
{
  TetherSecretKind  kind;
  char             *secret;  /* only while storing, for the in-memory fallback */
  gboolean          persistent;
  gboolean          removed_from_memory;
} SecretOp;

static void
secret_op_free (gpointer data)
{
  SecretOp *op = data;

  if (op->secret != NULL)
    secret_password_free (op->secret);
  g_free (op);
}

static void
set_secret_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TetherConnection *self = g_task_get_source_object (task);
  SecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      memory_remove (tether_connection_get_id (self), op->kind);
      op->persistent = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No Secret Service (or a locked one that refused): keep it for this session. */
  g_debug ("Keeping a %s in memory only: %s",
           kind_nick (op->kind), error->message);
  memory_put (tether_connection_get_id (self), op->kind, op->secret);
  op->persistent = FALSE;
  g_task_return_boolean (task, TRUE);
}

void
tether_connection_set_secret_async (TetherConnection    *self,
                                    TetherSecretKind     kind,
                                    const char          *secret,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  const char *name;
  SecretOp *op;

  g_return_if_fail (TETHER_IS_CONNECTION (self));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_set_secret_async);
  op = g_new0 (SecretOp, 1);
  op->kind = kind;
  op->secret = g_strdup (secret);
  g_task_set_task_data (task, op, secret_op_free);

  /* The label is what Passwords and Keys shows; the attributes are what finds the item. */
  name = tether_connection_get_name (self);
  if (*name == '\0')
    name = tether_connection_get_id (self);
  /* Translators: the label of a keyring item; %s is the name of a saved server. */
  if (kind == TETHER_SECRET_KIND_BEARER_TOKEN)
    label = g_strdup_printf (_("Tether bearer token for “%s”"), name);
  else
    label = g_strdup_printf (_("Tether client secret for “%s”"), name);

  secret_password_store (&secret_schema, SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, set_secret_cb, g_steal_pointer (&task),
                         "connection", tether_connection_get_id (self),
                         "kind", kind_nick (kind),
                         NULL);
}

gboolean
tether_connection_set_secret_finish (TetherConnection  *self,
                                     GAsyncResult      *result,
                                     gboolean          *persistent,
                                     GError           **error)
{
  SecretOp *op;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (persistent != NULL)
    *persistent = op->persistent;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_secret_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
tether_connection_lookup_secret_async (TetherConnection    *self,
                                       TetherSecretKind     kind,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *in_memory;

  g_return_if_fail (TETHER_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_lookup_secret_async);

  in_memory = memory_get (tether_connection_get_id (self), kind);
  if (in_memory != NULL)
    {
      g_task_return_pointer (task, in_memory, (GDestroyNotify) secret_password_free);
      return;
    }

  secret_password_lookup (&secret_schema, cancellable, lookup_secret_cb, g_steal_pointer (&task),
                          "connection", tether_connection_get_id (self),
                          "kind", kind_nick (kind),
                          NULL);
}

char *
tether_connection_lookup_secret_finish (TetherConnection  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  /* Without a keyring, forgetting the in-memory copy was all there was to do. */
  if (error != NULL && !(op->removed_from_memory
                         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tether_connection_clear_secret_async (TetherConnection    *self,
                                      TetherSecretKind     kind,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SecretOp *op;

  g_return_if_fail (TETHER_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_clear_secret_async);
  op = g_new0 (SecretOp, 1);
  op->kind = kind;
  op->removed_from_memory = memory_remove (tether_connection_get_id (self), kind);
  g_task_set_task_data (task, op, secret_op_free);

  secret_password_clear (&secret_schema, cancellable, clear_secret_cb, g_steal_pointer (&task),
                         "connection", tether_connection_get_id (self),
                         "kind", kind_nick (kind),
                         NULL);
}

gboolean
tether_connection_clear_secret_finish (TetherConnection  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tether_connection_clear_secrets_async (TetherConnection    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *id;
  SecretOp *op;

  g_return_if_fail (TETHER_IS_CONNECTION (self));

  id = tether_connection_get_id (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_clear_secrets_async);
  op = g_new0 (SecretOp, 1);
  op->removed_from_memory = memory_remove (id, TETHER_SECRET_KIND_BEARER_TOKEN);
  op->removed_from_memory |= memory_remove (id, TETHER_SECRET_KIND_CLIENT_SECRET);
  g_task_set_task_data (task, op, secret_op_free);

  /* Only the connection attribute: every kind matches. */
  secret_password_clear (&secret_schema, cancellable, clear_secret_cb, g_steal_pointer (&task),
                         "connection", tether_connection_get_id (self),
                         NULL);
}

gboolean
tether_connection_clear_secrets_finish (TetherConnection  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Copying: look up each kind in turn and store what exists under the other id. */
typedef struct
{
  TetherConnection *to;
  guint             kind;  /* the TetherSecretKind being copied */
} CopyOp;

static void
copy_op_free (gpointer data)
{
  CopyOp *op = data;

  g_clear_object (&op->to);
  g_free (op);
}

static void copy_next_kind (GTask *task);

static void
copy_set_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!tether_connection_set_secret_finish (TETHER_CONNECTION (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  op->kind++;
  copy_next_kind (g_steal_pointer (&task));
}

static void
copy_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  char *secret;

  secret = tether_connection_lookup_secret_finish (TETHER_CONNECTION (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (secret == NULL)
    {
      op->kind++;
      copy_next_kind (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  tether_connection_set_secret_async (op->to, op->kind, secret, cancellable,
                                      copy_set_cb, g_steal_pointer (&task));
  secret_password_free (secret);
}

static void
copy_next_kind (GTask *task)
{
  CopyOp *op = g_task_get_task_data (task);

  if (op->kind > TETHER_SECRET_KIND_CLIENT_SECRET)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  tether_connection_lookup_secret_async (g_task_get_source_object (task), op->kind,
                                         g_task_get_cancellable (task), copy_lookup_cb, task);
}

void
tether_connection_copy_secrets_async (TetherConnection    *self,
                                      TetherConnection    *to,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  CopyOp *op;

  g_return_if_fail (TETHER_IS_CONNECTION (self));
  g_return_if_fail (TETHER_IS_CONNECTION (to));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_copy_secrets_async);
  op = g_new0 (CopyOp, 1);
  op->to = g_object_ref (to);
  op->kind = TETHER_SECRET_KIND_BEARER_TOKEN;
  g_task_set_task_data (task, op, copy_op_free);

  copy_next_kind (task);
}

gboolean
tether_connection_copy_secrets_finish (TetherConnection  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
