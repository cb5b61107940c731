/* wh-dataset-batch.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wh-dataset-private.h"

/* The importing thread reads records into batches of items.  A full batch
 * goes to a queue; worker threads (and the importing thread, when it is
 * ahead) take batches from it and run the checks of each example alone,
 * tokenizing it above all.  The importing thread then commits the batches
 * in file order: their problems, the checks against earlier examples, the
 * split, the statistics and the copy.  The result is the same whatever the
 * number of threads, and only a few batches are ever under way. */

#define BATCH_ITEMS  256
#define BATCH_BYTES  (1 << 20)
#define MAX_THREADS  8

typedef struct
{
  WhDatasetItem items[BATCH_ITEMS];
  guint         n;
  gsize         bytes;
  gboolean      done;          /* under the lock */
} Batch;

struct _WhDatasetBatches
{
  WhDataset       *ds;
  WhDatasetCommit  commit;
  gboolean         copy;       /* make the lines of the copy */
  guint            n_threads;
  guint            max_pending;
  GPtrArray       *workers;    /* GThread */
  GAsyncQueue     *work;       /* Batch; the WhDatasetBatches itself stops a worker */
  GQueue           pending;    /* Batch, in file order; importing thread only */
  Batch           *filling;
  GMutex           lock;
  GCond            cond;
  gint             stop;       /* atomic: skip the work left */
};

void
_wh_dataset_item_clear (WhDatasetItem *item)
{
  g_clear_pointer (&item->example, _wh_example_free);
  g_clear_pointer (&item->problems, g_ptr_array_unref);
  g_clear_pointer (&item->copy, g_free);
}

static void
batch_free (Batch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    _wh_dataset_item_clear (&batch->items[i]);
  g_free (batch);
}

/* On any thread. */
static void
check_batch (WhDatasetBatches *self,
             Batch            *batch)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint i = 0; i < batch->n && !g_atomic_int_get (&self->stop); i++)
    {
      WhDatasetItem *item = &batch->items[i];

      if (item->example == NULL)
        continue;
      if (!_wh_dataset_check_example (self->ds, item, ids))
        g_clear_pointer (&item->example, _wh_example_free);
      else if (self->copy)
        item->copy = _wh_example_to_json_line (item->example);
    }

  g_mutex_lock (&self->lock);
  batch->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
worker (gpointer data)
{
  WhDatasetBatches *self = data;
  gpointer batch;

  while ((batch = g_async_queue_pop (self->work)) != self)
    check_batch (self, batch);
  return NULL;
}

static guint
thread_count (void)
{
  const char *env = g_getenv ("WH_DATASET_THREADS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 0;

  if (n == 0)
    n = MAX (2, g_get_num_processors ());
  return MIN (n, MAX_THREADS);
}

WhDatasetBatches *
_wh_dataset_batches_new (WhDataset       *ds,
                         WhDatasetCommit  commit)
{
  WhDatasetBatches *self = g_new0 (WhDatasetBatches, 1);
  guint n = thread_count ();

  self->ds = ds;
  self->commit = commit;
  self->copy = ds->train_out != NULL || ds->val_out != NULL;
  self->workers = g_ptr_array_new ();
  self->work = g_async_queue_new ();
  g_queue_init (&self->pending);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  /* The importing thread is one of them. */
  for (guint i = 1; i < n; i++)
    {
      GThread *thread = g_thread_try_new ("wh-dataset", worker, self, NULL);

      if (thread == NULL)
        break;
      g_ptr_array_add (self->workers, thread);
    }
  self->n_threads = self->workers->len + 1;
  self->max_pending = self->workers->len > 0 ? 2 * self->n_threads : 0;

  return self;
}

void
_wh_dataset_batches_free (WhDatasetBatches *self)
{
  Batch *batch;

  if (self == NULL)
    return;

  g_atomic_int_set (&self->stop, 1);
  for (guint i = 0; i < self->workers->len; i++)
    g_async_queue_push (self->work, self);
  for (guint i = 0; i < self->workers->len; i++)
    g_thread_join (g_ptr_array_index (self->workers, i));
  g_ptr_array_unref (self->workers);

  /* Batches still queued are pending too. */
  while ((batch = g_queue_pop_head (&self->pending)) != NULL)
    batch_free (batch);
  if (self->filling != NULL)
    batch_free (self->filling);
  g_async_queue_unref (self->work);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

guint
_wh_dataset_batches_get_threads (WhDatasetBatches *self)
{
  return self->n_threads;
}

WhDatasetItem *
_wh_dataset_batches_add (WhDatasetBatches *self,
                         gsize             bytes)
{
  WhDatasetItem *item;

  if (self->filling == NULL)
    self->filling = g_new0 (Batch, 1);
  g_assert (self->filling->n < BATCH_ITEMS);

  item = &self->filling->items[self->filling->n++];
  self->filling->bytes += bytes;
  return item;
}

static gboolean
commit_batch (WhDatasetBatches  *self,
              Batch             *batch,
              GError           **error)
{
  for (guint i = 0; i < batch->n; i++)
    {
      WhDatasetItem *item = &batch->items[i];

      if (item->problems != NULL)
        {
          gsize n;
          g_autofree gpointer *problems = g_ptr_array_steal (item->problems, &n);

          for (gsize p = 0; p < n; p++)
            _wh_dataset_keep_problem (self->ds, problems[p]);
        }
      if (!self->commit (self->ds, item, error))
        return FALSE;
      _wh_dataset_item_clear (item);
    }
  return TRUE;
}

/* Commits the batches at the head that are done; while more than @keep
 * are under way, helps with the oldest unchecked one or waits. */
static gboolean
drain (WhDatasetBatches  *self,
       guint              keep,
       GError           **error)
{
  for (;;)
    {
      Batch *head = g_queue_peek_head (&self->pending);
      Batch *other;
      gboolean done;

      if (head == NULL)
        return TRUE;

      g_mutex_lock (&self->lock);
      done = head->done;
      g_mutex_unlock (&self->lock);
      if (done)
        {
          gboolean ok;

          g_queue_pop_head (&self->pending);
          ok = commit_batch (self, head, error);
          batch_free (head);
          if (!ok)
            return FALSE;
          continue;
        }

      if (self->pending.length <= keep)
        return TRUE;
      if ((other = g_async_queue_try_pop (self->work)) != NULL)
        {
          check_batch (self, other);
          continue;
        }
      g_mutex_lock (&self->lock);
      while (!head->done)
        g_cond_wait (&self->cond, &self->lock);
      g_mutex_unlock (&self->lock);
    }
}

static void
submit (WhDatasetBatches *self)
{
  Batch *batch = g_steal_pointer (&self->filling);

  g_queue_push_tail (&self->pending, batch);
  g_async_queue_push (self->work, batch);
}

gboolean
_wh_dataset_batches_step (WhDatasetBatches  *self,
                          GError           **error)
{
  if (self->filling == NULL || (self->filling->n < BATCH_ITEMS && self->filling->bytes < BATCH_BYTES))
    return TRUE;
  submit (self);
  return drain (self, self->max_pending, error);
}

gboolean
_wh_dataset_batches_finish (WhDatasetBatches  *self,
                            GError           **error)
{
  if (self->filling != NULL)
    submit (self);
  return drain (self, 0, error);
}
