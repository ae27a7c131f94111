/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "mcp-token-store.h"
#include "mcp-transport.h"

struct _McpTokenStore
{
  GObject               parent_instance;

  McpTokenStoreBackend  backend;
  gboolean              in_memory;  /* decided: memory only (asked for, or no Secret Service) */
  GHashTable           *memory;     /* key -> MemoryEntry */
  guint64               serial;
};

G_DEFINE_FINAL_TYPE (McpTokenStore, mcp_token_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_PERSISTENT,
  N_PROPS
};

enum {
  SIGNAL_LOG,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SecretSchema token_schema = {
  MCP_TOKEN_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "issuer", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

GType
mcp_token_kind_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MCP_TOKEN_KIND_TOKEN, "MCP_TOKEN_KIND_TOKEN", "token" },
        { MCP_TOKEN_KIND_CLIENT, "MCP_TOKEN_KIND_CLIENT", "client" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type_id, g_enum_register_static ("McpTokenKind", values));
    }
  return type_id;
}

GType
mcp_token_store_backend_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MCP_TOKEN_STORE_BACKEND_AUTO, "MCP_TOKEN_STORE_BACKEND_AUTO", "auto" },
        { MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE, "MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE",
          "secret-service" },
        { MCP_TOKEN_STORE_BACKEND_MEMORY, "MCP_TOKEN_STORE_BACKEND_MEMORY", "memory" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type_id, g_enum_register_static ("McpTokenStoreBackend", values));
    }
  return type_id;
}

static const char *
kind_name (McpTokenKind kind)
{
  return kind == MCP_TOKEN_KIND_CLIENT ? "client" : "token";
}

/* Memory backend */

typedef struct
{
  char    *issuer;
  char    *secret;
  guint64  serial;
} MemoryEntry;

static void
memory_entry_free (gpointer data)
{
  MemoryEntry *entry = data;

  if (entry->secret != NULL)
    explicit_bzero (entry->secret, strlen (entry->secret));
  g_free (entry->secret);
  g_free (entry->issuer);
  g_free (entry);
}

static char *
memory_key (McpTokenKind  kind,
            const char   *server,
            const char   *issuer)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s", kind_name (kind), server, issuer);
}

static gboolean
memory_key_matches (const char   *key,
                    McpTokenKind  kind,
                    const char   *server)
{
  g_autofree char *prefix = g_strdup_printf ("%s\x1f%s\x1f", kind_name (kind), server);

  return g_str_has_prefix (key, prefix);
}

static MemoryEntry *
memory_lookup (McpTokenStore *self,
               McpTokenKind   kind,
               const char    *server,
               const char    *issuer)
{
  GHashTableIter iter;
  gpointer key, value;
  MemoryEntry *best = NULL;

  if (issuer != NULL)
    {
      g_autofree char *k = memory_key (kind, server, issuer);

      return g_hash_table_lookup (self->memory, k);
    }
  g_hash_table_iter_init (&iter, self->memory);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MemoryEntry *entry = value;

      if (memory_key_matches (key, kind, server) && (best == NULL || entry->serial > best->serial))
        best = entry;
    }
  return best;
}

static gboolean
memory_delete (McpTokenStore *self,
               McpTokenKind   kind,
               const char    *server,
               const char    *issuer)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = FALSE;

  g_hash_table_iter_init (&iter, self->memory);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      MemoryEntry *entry = value;

      if (memory_key_matches (key, kind, server)
          && (issuer == NULL || g_str_equal (entry->issuer, issuer)))
        {
          g_hash_table_iter_remove (&iter);
          any = TRUE;
        }
    }
  return any;
}

/* Operations */

typedef enum {
  OP_SAVE,
  OP_LOOKUP,
  OP_DELETE,
} OpKind;

typedef struct
{
  OpKind        op;
  McpTokenKind  kind;
  char         *server;
  char         *issuer;
  char         *secret;
} Op;

typedef struct
{
  char *secret;
  char *issuer;
} LookupResult;

static void
op_free (gpointer data)
{
  Op *op = data;

  if (op->secret != NULL)
    explicit_bzero (op->secret, strlen (op->secret));
  g_free (op->secret);
  g_free (op->server);
  g_free (op->issuer);
  g_free (op);
}

static void
lookup_result_free (gpointer data)
{
  LookupResult *result = data;

  if (result->secret != NULL)
    explicit_bzero (result->secret, strlen (result->secret));
  g_free (result->secret);
  g_free (result->issuer);
  g_free (result);
}

static void
return_lookup (GTask      *task,
               const char *secret,
               const char *issuer)
{
  LookupResult *result;

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  result = g_new0 (LookupResult, 1);
  result->secret = g_strdup (secret);
  result->issuer = g_strdup (issuer);
  g_task_return_pointer (task, result, lookup_result_free);
}

static void
run_in_memory (GTask *task)
{
  McpTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  switch (op->op)
    {
    case OP_SAVE:
      {
        MemoryEntry *entry = g_new0 (MemoryEntry, 1);

        entry->issuer = g_strdup (op->issuer);
        entry->secret = g_strdup (op->secret);
        entry->serial = ++self->serial;
        g_hash_table_replace (self->memory, memory_key (op->kind, op->server, op->issuer), entry);
        g_task_return_boolean (task, TRUE);
      }
      break;

    case OP_LOOKUP:
      {
        MemoryEntry *entry = memory_lookup (self, op->kind, op->server, op->issuer);

        return_lookup (task, entry != NULL ? entry->secret : NULL,
                       entry != NULL ? entry->issuer : NULL);
      }
      break;

    case OP_DELETE:
      g_task_return_boolean (task, memory_delete (self, op->kind, op->server, op->issuer));
      break;

    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
op_attributes (Op *op)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "server", op->server);
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind_name (op->kind));
  if (op->issuer != NULL)
    g_hash_table_insert (attributes, (gpointer) "issuer", op->issuer);
  return attributes;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_service_store_finish (SECRET_SERVICE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean any = secret_service_clear_finish (SECRET_SERVICE (source), result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, any);
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);
  SecretItem *best = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    if (best == NULL || secret_item_get_modified (l->data) > secret_item_get_modified (best))
      best = l->data;

  if (best == NULL)
    return_lookup (task, NULL, NULL);
  else
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (best);
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (best);

      if (value == NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                 "The keyring item “%s” stayed locked",
                                 secret_item_get_label (best));
      else
        return_lookup (task, secret_value_get_text (value),
                       g_hash_table_lookup (attributes, "issuer"));
    }
  g_list_free_full (items, g_object_unref);
}

static void
run_in_service (GTask         *task,
                SecretService *service)
{
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GHashTable) attributes = op_attributes (op);

  switch (op->op)
    {
    case OP_SAVE:
      {
        g_autoptr(SecretValue) value = secret_value_new (op->secret, -1, "text/plain");
        g_autofree char *label = NULL;

        if (op->kind == MCP_TOKEN_KIND_CLIENT)
          label = g_strdup_printf ("Tether client registration at %s", op->issuer);
        else
          label = g_strdup_printf ("Tether sign-in for %s", op->server);
        secret_service_store (service, &token_schema, attributes, SECRET_COLLECTION_DEFAULT,
                              label, value, cancellable, store_cb, g_object_ref (task));
      }
      break;

    case OP_LOOKUP:
      secret_service_search (service, &token_schema, attributes,
                             SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                             cancellable, search_cb, g_object_ref (task));
      break;

    case OP_DELETE:
      secret_service_clear (service, &token_schema, attributes, cancellable, clear_cb,
                            g_object_ref (task));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
service_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  McpTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_finish (result, &error);

  if (service != NULL)
    {
      run_in_service (task, service);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || self->backend == MCP_TOKEN_STORE_BACKEND_SECRET_SERVICE)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!self->in_memory)
    {
      g_autofree char *text =
        g_strdup_printf ("No Secret Service is reachable (%s): sign-ins are kept in memory "
                         "and forgotten when this program ends", error->message);

      /* Said once, through ::log: the program decides how to show it. */
      self->in_memory = TRUE;
      g_signal_emit (self, signals[SIGNAL_LOG], 0, MCP_LOG_WARNING, text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
    }
  run_in_memory (task);
}

static void
start_op (McpTokenStore *self,
          Op            *op,
          GCancellable  *cancellable,
          gpointer       source_tag,
          GAsyncReadyCallback callback,
          gpointer       user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->in_memory)
    run_in_memory (task);
  else
    secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, service_cb,
                        g_steal_pointer (&task));
}

static Op *
op_new (OpKind        kind_of_op,
        McpTokenKind  kind,
        const char   *server,
        const char   *issuer,
        const char   *secret)
{
  Op *op = g_new0 (Op, 1);

  op->op = kind_of_op;
  op->kind = kind;
  op->server = g_strdup (server);
  op->issuer = g_strdup (issuer);
  op->secret = g_strdup (secret);
  return op;
}

/* GObject */

static void
mcp_token_store_finalize (GObject *object)
{
  McpTokenStore *self = MCP_TOKEN_STORE (object);

  g_hash_table_unref (self->memory);
  G_OBJECT_CLASS (mcp_token_store_parent_class)->finalize (object);
}

static void
mcp_token_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  McpTokenStore *self = MCP_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_enum (value, self->backend);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, mcp_token_store_get_persistent (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_token_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  McpTokenStore *self = MCP_TOKEN_STORE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_get_enum (value);
      self->in_memory = self->backend == MCP_TOKEN_STORE_BACKEND_MEMORY;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mcp_token_store_class_init (McpTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mcp_token_store_finalize;
  object_class->get_property = mcp_token_store_get_property;
  object_class->set_property = mcp_token_store_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_enum ("backend", NULL, NULL, MCP_TYPE_TOKEN_STORE_BACKEND,
                       MCP_TOKEN_STORE_BACKEND_AUTO,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MCP_TYPE_LOG_LEVEL, G_TYPE_STRING);
}

static void
mcp_token_store_init (McpTokenStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, memory_entry_free);
}

McpTokenStore *
mcp_token_store_new (McpTokenStoreBackend backend)
{
  return g_object_new (MCP_TYPE_TOKEN_STORE, "backend", backend, NULL);
}

McpTokenStoreBackend
mcp_token_store_get_backend (McpTokenStore *self)
{
  g_return_val_if_fail (MCP_IS_TOKEN_STORE (self), MCP_TOKEN_STORE_BACKEND_MEMORY);
  return self->backend;
}

gboolean
mcp_token_store_get_persistent (McpTokenStore *self)
{
  g_return_val_if_fail (MCP_IS_TOKEN_STORE (self), FALSE);
  return !self->in_memory;
}

void
mcp_token_store_save_async (McpTokenStore       *self,
                            McpTokenKind         kind,
                            const char          *server,
                            const char          *issuer,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && issuer != NULL && secret != NULL);

  start_op (self, op_new (OP_SAVE, kind, server, issuer, secret), cancellable,
            mcp_token_store_save_async, callback, user_data);
}

gboolean
mcp_token_store_save_finish (McpTokenStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mcp_token_store_lookup_async (McpTokenStore       *self,
                              McpTokenKind         kind,
                              const char          *server,
                              const char          *issuer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL);

  start_op (self, op_new (OP_LOOKUP, kind, server, issuer, NULL), cancellable,
            mcp_token_store_lookup_async, callback, user_data);
}

char *
mcp_token_store_lookup_finish (McpTokenStore  *self,
                               GAsyncResult   *result,
                               char          **issuer_out,
                               GError        **error)
{
  LookupResult *found;
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (issuer_out != NULL)
    *issuer_out = NULL;
  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;
  secret = g_steal_pointer (&found->secret);
  if (issuer_out != NULL)
    *issuer_out = g_steal_pointer (&found->issuer);
  lookup_result_free (found);
  return secret;
}

void
mcp_token_store_delete_async (McpTokenStore       *self,
                              McpTokenKind         kind,
                              const char          *server,
                              const char          *issuer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MCP_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL);

  start_op (self, op_new (OP_DELETE, kind, server, issuer, NULL), cancellable,
            mcp_token_store_delete_async, callback, user_data);
}

gboolean
mcp_token_store_delete_finish (McpTokenStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
