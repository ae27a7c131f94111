/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tether-connection-store-private.h"

/* Several changes within this delay make a single write. */
#define SAVE_DELAY_MS 400

typedef enum {
  STATE_NEW,        /* nothing read yet: writing would overwrite what is on disk */
  STATE_LOADING,
  STATE_LOADED,     /* saves go to the file */
  STATE_READ_ONLY,  /* the file could not be read nor moved aside: never written */
} State;

struct _TetherConnectionStore
{
  GObject        parent_instance;

  GFile         *file;
  GPtrArray     *connections;      /* of TetherConnection, owned */
  JsonObject    *unknown_members;  /* top-level members of the file this version does not know */
  State          state;
  char          *load_error;
  GCancellable  *cancellable;      /* background work: secret copies */

  guint64        change_serial;    /* bumped by every change */
  guint64        saved_serial;     /* the change that the file on disk has */
  guint          save_timeout_id;
  gboolean       write_in_flight;
  GPtrArray     *save_waiters;     /* GTasks of save_async, for the next write */
};

static void tether_connection_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TetherConnectionStore, tether_connection_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tether_connection_store_list_model_init))

G_DEFINE_QUARK (tether-connection-store-error-quark, tether_connection_store_error)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LOADED,
  PROP_LOAD_ERROR,
  PROP_DIRTY,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connection_notify_cb (TetherConnectionStore *self);
static void start_write (TetherConnectionStore *self);

/* ---- GListModel ------------------------------------------------------------------------ */

static GType
tether_connection_store_get_item_type (GListModel *model)
{
  return TETHER_TYPE_CONNECTION;
}

static guint
tether_connection_store_get_n_items (GListModel *model)
{
  return TETHER_CONNECTION_STORE (model)->connections->len;
}

static gpointer
tether_connection_store_get_item (GListModel *model,
                                  guint       position)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (model);

  if (position >= self->connections->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->connections, position));
}

static void
tether_connection_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tether_connection_store_get_item_type;
  iface->get_n_items = tether_connection_store_get_n_items;
  iface->get_item = tether_connection_store_get_item;
}

/* ---- Loading --------------------------------------------------------------------------- */

static void
set_dirty (TetherConnectionStore *self)
{
  gboolean was_dirty = self->change_serial != self->saved_serial;

  self->change_serial++;
  if (!was_dirty)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  TetherConnectionStore *self = user_data;

  self->save_timeout_id = 0;
  start_write (self);
  return G_SOURCE_REMOVE;
}

/* A write a moment from now, unless the file may not be written yet (or ever). */
static void
schedule_save (TetherConnectionStore *self)
{
  if (self->state != STATE_LOADED || self->write_in_flight)
    return;  /* after the load, or after the write under way */

  g_clear_handle_id (&self->save_timeout_id, g_source_remove);
  self->save_timeout_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
changed (TetherConnectionStore *self)
{
  set_dirty (self);
  schedule_save (self);
}

static void
watch_connection (TetherConnectionStore *self,
                  TetherConnection      *connection)
{
  g_signal_connect_object (connection, "notify", G_CALLBACK (connection_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
unwatch_connection (TetherConnectionStore *self,
                    TetherConnection      *connection)
{
  g_signal_handlers_disconnect_by_func (connection, connection_notify_cb, self);
}

static void
connection_notify_cb (TetherConnectionStore *self)
{
  changed (self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  TetherConnectionStoreContents *contents;

  contents = tether_connection_store_read_file (task_data, cancellable, &error);
  if (contents == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, contents, tether_connection_store_contents_free);
}

static void
load_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TetherConnectionStoreContents *result;
  guint n_loaded;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      /* Cancelled: as if it never started, so a later load can try again. */
      self->state = STATE_NEW;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Connections added while loading stay after the saved ones. */
  n_loaded = result->connections->len;
  for (guint i = 0; i < n_loaded; i++)
    {
      TetherConnection *connection = g_ptr_array_index (result->connections, i);

      g_ptr_array_insert (self->connections, i, g_object_ref (connection));
      watch_connection (self, connection);
    }
  g_clear_pointer (&self->unknown_members, json_object_unref);
  self->unknown_members = g_steal_pointer (&result->unknown_members);
  self->state = result->writable ? STATE_LOADED : STATE_READ_ONLY;

  g_clear_pointer (&self->load_error, g_free);
  if (result->problem != NULL)
    self->load_error = g_strdup (result->problem->message);

  if (n_loaded > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n_loaded);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);

  if (self->change_serial != self->saved_serial)
    schedule_save (self);

  if (result->problem != NULL)
    g_task_return_error (task, g_steal_pointer (&result->problem));
  else
    g_task_return_boolean (task, TRUE);
  tether_connection_store_contents_free (result);
}

void
tether_connection_store_load_async (TetherConnectionStore *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;

  g_return_if_fail (TETHER_IS_CONNECTION_STORE (self));
  g_return_if_fail (self->state == STATE_NEW);

  self->state = STATE_LOADING;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_store_load_async);

  thread_task = g_task_new (self, cancellable, load_cb, g_steal_pointer (&task));
  g_task_set_task_data (thread_task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (thread_task, load_thread);
}

gboolean
tether_connection_store_load_finish (TetherConnectionStore  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Saving ---------------------------------------------------------------------------- */

typedef struct
{
  GFile     *file;
  GBytes    *contents;
  guint64    serial;   /* the change the contents reflect */
  GPtrArray *waiters;  /* save_async tasks answered by this write */
} WriteOp;

static void
write_op_free (gpointer data)
{
  WriteOp *op = data;

  g_clear_object (&op->file);
  g_clear_pointer (&op->contents, g_bytes_unref);
  g_clear_pointer (&op->waiters, g_ptr_array_unref);
  g_free (op);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteOp *op = task_data;
  g_autoptr(GError) error = NULL;

  if (!tether_connection_store_write_file (op->file, op->contents, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
write_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (source);
  WriteOp *op = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reported = NULL;

  self->write_in_flight = FALSE;

  if (g_task_propagate_boolean (G_TASK (res), &error))
    {
      gboolean was_dirty = self->change_serial != self->saved_serial;

      self->saved_serial = op->serial;
      if (was_dirty && self->change_serial == self->saved_serial)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
    }
  else
    {
      reported = g_error_new (TETHER_CONNECTION_STORE_ERROR, TETHER_CONNECTION_STORE_ERROR_WRITE,
                              _("Your connections could not be saved to “%s”: %s"),
                              g_file_peek_path (op->file), error->message);
    }

  for (guint i = 0; i < op->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (op->waiters, i);

      if (reported != NULL)
        g_task_return_error (waiter, g_error_copy (reported));
      else
        g_task_return_boolean (waiter, TRUE);
    }

  /* Someone asked for a save while this one was under way, or things changed since. */
  if (self->save_waiters->len > 0)
    start_write (self);
  else if (reported != NULL && op->waiters->len == 0)
    g_signal_emit (self, signals[SIGNAL_ERROR], 0, reported);
  else if (self->change_serial != self->saved_serial && reported == NULL)
    schedule_save (self);
}

static void
start_write (TetherConnectionStore *self)
{
  g_autoptr(GTask) task = NULL;
  WriteOp *op;

  g_assert (!self->write_in_flight);
  g_assert (self->state == STATE_LOADED);

  g_clear_handle_id (&self->save_timeout_id, g_source_remove);

  op = g_new0 (WriteOp, 1);
  op->file = g_object_ref (self->file);
  op->contents = tether_connection_store_serialize (self->connections, self->unknown_members);
  op->serial = self->change_serial;
  op->waiters = g_steal_pointer (&self->save_waiters);
  self->save_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  self->write_in_flight = TRUE;
  /* Not cancellable: a write that was started is finished, so the file stays whole. */
  task = g_task_new (self, NULL, write_cb, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, op, write_op_free);
  g_task_run_in_thread (task, write_thread);
}

void
tether_connection_store_save_async (TetherConnectionStore *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TETHER_IS_CONNECTION_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tether_connection_store_save_async);

  if (self->state == STATE_NEW || self->state == STATE_LOADING)
    {
      g_task_return_new_error (task, TETHER_CONNECTION_STORE_ERROR,
                               TETHER_CONNECTION_STORE_ERROR_NOT_LOADED,
                               "The connections are saved only once “%s” has been read",
                               g_file_peek_path (self->file));
      return;
    }
  if (self->state == STATE_READ_ONLY)
    {
      g_task_return_new_error (task, TETHER_CONNECTION_STORE_ERROR,
                               TETHER_CONNECTION_STORE_ERROR_READ,
                               _("Your connections are not saved, so that “%s”, which could "
                                 "not be read, is not overwritten"),
                               g_file_peek_path (self->file));
      return;
    }

  g_ptr_array_add (self->save_waiters, g_steal_pointer (&task));
  if (!self->write_in_flight)
    start_write (self);
}

gboolean
tether_connection_store_save_finish (TetherConnectionStore  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Changes --------------------------------------------------------------------------- */

void
tether_connection_store_insert (TetherConnectionStore *self,
                                guint                  position,
                                TetherConnection      *connection)
{
  g_return_if_fail (TETHER_IS_CONNECTION_STORE (self));
  g_return_if_fail (TETHER_IS_CONNECTION (connection));
  g_return_if_fail (!tether_connection_store_find (self, connection, NULL));

  position = MIN (position, self->connections->len);
  g_ptr_array_insert (self->connections, position, g_object_ref (connection));
  watch_connection (self, connection);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  changed (self);
}

guint
tether_connection_store_add (TetherConnectionStore *self,
                             TetherConnection      *connection)
{
  guint position;

  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), 0);

  position = self->connections->len;
  tether_connection_store_insert (self, position, connection);
  return position;
}

gboolean
tether_connection_store_find (TetherConnectionStore *self,
                              TetherConnection      *connection,
                              guint                 *position)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), FALSE);

  return g_ptr_array_find (self->connections, connection, position);
}

gboolean
tether_connection_store_remove (TetherConnectionStore *self,
                                TetherConnection      *connection,
                                guint                 *position)
{
  guint found;

  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), FALSE);
  g_return_val_if_fail (TETHER_IS_CONNECTION (connection), FALSE);

  if (!g_ptr_array_find (self->connections, connection, &found))
    return FALSE;

  unwatch_connection (self, connection);
  g_ptr_array_remove_index (self->connections, found);
  g_list_model_items_changed (G_LIST_MODEL (self), found, 1, 0);
  changed (self);

  if (position != NULL)
    *position = found;
  return TRUE;
}

static void
copy_secrets_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without them the copy still works; it asks for a token like a new connection does. */
  if (!tether_connection_copy_secrets_finish (TETHER_CONNECTION (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Secrets of “%s” were not copied: %s",
             tether_connection_get_id (TETHER_CONNECTION (source)), error->message);
}

TetherConnection *
tether_connection_store_duplicate (TetherConnectionStore *self,
                                   TetherConnection      *connection,
                                   guint                 *position)
{
  g_autoptr(TetherConnection) copy = NULL;
  g_autofree char *name = NULL;
  guint found;

  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), NULL);
  g_return_val_if_fail (TETHER_IS_CONNECTION (connection), NULL);

  /* Right after the original; at the end for one that was removed meanwhile. */
  if (g_ptr_array_find (self->connections, connection, &found))
    found++;
  else
    found = self->connections->len;

  copy = tether_connection_new ();
  tether_connection_assign (copy, connection);
  /* Translators: the name of a duplicated connection; %s is the original's name. */
  name = g_strdup_printf (_("%s (copy)"), tether_connection_get_name (connection));
  tether_connection_set_name (copy, name);

  tether_connection_store_insert (self, found, copy);
  tether_connection_copy_secrets_async (connection, copy, self->cancellable,
                                        copy_secrets_cb, NULL);
  if (position != NULL)
    *position = found;
  return copy;
}

gboolean
tether_connection_store_update (TetherConnectionStore *self,
                                TetherConnection      *edited)
{
  TetherConnection *stored;
  guint position;

  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), FALSE);
  g_return_val_if_fail (TETHER_IS_CONNECTION (edited), FALSE);

  stored = tether_connection_store_lookup (self, tether_connection_get_id (edited));
  if (stored == NULL)
    return FALSE;
  if (stored == edited)
    return TRUE;

  tether_connection_assign (stored, edited);  /* its notifications schedule the save */
  /* Views that read a row only when it is bound redraw it; a selection keeps the same item. */
  if (g_ptr_array_find (self->connections, stored, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  return TRUE;
}

TetherConnection *
tether_connection_store_lookup (TetherConnectionStore *self,
                                const char            *id)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      TetherConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_strcmp0 (tether_connection_get_id (connection), id) == 0)
        return connection;
    }
  return NULL;
}

/* ---- Object ---------------------------------------------------------------------------- */

GFile *
tether_connection_store_get_file (TetherConnectionStore *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), NULL);
  return self->file;
}

gboolean
tether_connection_store_get_loaded (TetherConnectionStore *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), FALSE);
  return self->state == STATE_LOADED || self->state == STATE_READ_ONLY;
}

const char *
tether_connection_store_get_load_error (TetherConnectionStore *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), NULL);
  return self->load_error;
}

gboolean
tether_connection_store_get_dirty (TetherConnectionStore *self)
{
  g_return_val_if_fail (TETHER_IS_CONNECTION_STORE (self), FALSE);
  return self->change_serial != self->saved_serial;
}

TetherConnectionStore *
tether_connection_store_new (GFile *file)
{
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  return g_object_new (TETHER_TYPE_CONNECTION_STORE, "file", file, NULL);
}

static void
tether_connection_store_constructed (GObject *object)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (object);

  G_OBJECT_CLASS (tether_connection_store_parent_class)->constructed (object);

  if (self->file == NULL)
    self->file = g_file_new_build_filename (g_get_user_config_dir (), "tether",
                                            "connections.json", NULL);
}

static void
tether_connection_store_dispose (GObject *object)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->save_timeout_id, g_source_remove);

  /* A change still waiting for its delayed save is written now rather than lost. (No write
   * can be under way here: its task holds a reference.) */
  if (self->state == STATE_LOADED && self->change_serial != self->saved_serial
      && !self->write_in_flight)
    {
      g_autoptr(GBytes) contents = NULL;
      g_autoptr(GError) error = NULL;

      contents = tether_connection_store_serialize (self->connections, self->unknown_members);
      if (tether_connection_store_write_file (self->file, contents, NULL, &error))
        self->saved_serial = self->change_serial;
      else
        g_warning ("Your connections could not be saved to “%s”: %s",
                   g_file_peek_path (self->file), error->message);
    }

  for (guint i = 0; i < self->connections->len; i++)
    unwatch_connection (self, g_ptr_array_index (self->connections, i));
  g_ptr_array_set_size (self->connections, 0);

  G_OBJECT_CLASS (tether_connection_store_parent_class)->dispose (object);
}

static void
tether_connection_store_finalize (GObject *object)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->unknown_members, json_object_unref);
  g_clear_pointer (&self->save_waiters, g_ptr_array_unref);
  g_free (self->load_error);

  G_OBJECT_CLASS (tether_connection_store_parent_class)->finalize (object);
}

static void
tether_connection_store_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, tether_connection_store_get_loaded (self));
      break;
    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, tether_connection_store_get_dirty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_store_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TetherConnectionStore *self = TETHER_CONNECTION_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tether_connection_store_class_init (TetherConnectionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tether_connection_store_constructed;
  object_class->dispose = tether_connection_store_dispose;
  object_class->finalize = tether_connection_store_finalize;
  object_class->get_property = tether_connection_store_get_property;
  object_class->set_property = tether_connection_store_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_string ("load-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A background save failed (its message is written for the person); the connections are
   * still in memory and the next change tries again. */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tether_connection_store_init (TetherConnectionStore *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->save_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}
