/* wh-trainer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-trainer.h"

/* A training run as the app sees it.  The run itself is one job on the
 * device's compute thread (DESIGN.md, Threads); between its steps it
 * waits while paused and lets other jobs on the device through.  What it
 * reports reaches the main context in batches, one idle at a time, so a
 * fast run never floods the UI; the trainer object is only ever touched
 * on the main context. */

/* Shared by the main context and the compute thread, under its mutex. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           mutex;
  GMainContext    *main_context;
  GWeakRef         trainer;
  GCancellable    *cancellable;
  gboolean         pause;         /* asked for */
  WhTrainerState   thread_state;  /* as the thread last said */
  GArray          *pending;       /* of WhTrainProgress, not yet delivered */
  gboolean         idle_queued;
  /* The job's own */
  WhRecipe        *recipe;        /* NULL: from the latest checkpoint */
  char            *run_dir;
} Shared;

struct _WhTrainer
{
  GObject          parent_instance;

  WhDevice        *device;
  Shared          *shared;        /* of the current run */
  WhTrainerState   state;
  char            *run_dir;
  GError          *error;
  GArray          *history;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_RUN_DIR,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (WhTrainerState, wh_trainer_state,
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_PREPARING, "preparing"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_PAUSED, "paused"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_FINISHED, "finished"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_CANCELLED, "cancelled"),
                    G_DEFINE_ENUM_VALUE (WH_TRAINER_STATE_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (WhTrainer, wh_trainer, G_TYPE_OBJECT)

static Shared *
shared_ref (Shared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

static void
shared_unref (gpointer data)
{
  Shared *shared = data;

  if (!g_atomic_ref_count_dec (&shared->ref))
    return;
  g_mutex_clear (&shared->mutex);
  g_main_context_unref (shared->main_context);
  g_weak_ref_clear (&shared->trainer);
  g_object_unref (shared->cancellable);
  g_array_unref (shared->pending);
  if (shared->recipe != NULL)
    {
      wh_recipe_clear (shared->recipe);
      g_free (shared->recipe);
    }
  g_free (shared->run_dir);
  g_free (shared);
}

static gboolean
is_active (WhTrainerState state)
{
  return state == WH_TRAINER_STATE_PREPARING || state == WH_TRAINER_STATE_RUNNING ||
         state == WH_TRAINER_STATE_PAUSED;
}

static void
set_state (WhTrainer      *self,
           WhTrainerState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* On the main context: what the thread reported since the last time. */
static void
deliver (WhTrainer *self,
         Shared    *shared)
{
  g_autoptr(GArray) batch = NULL;
  WhTrainerState thread_state;

  g_mutex_lock (&shared->mutex);
  batch = g_steal_pointer (&shared->pending);
  shared->pending = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));
  g_array_set_clear_func (shared->pending, wh_train_progress_clear);
  shared->idle_queued = FALSE;
  thread_state = shared->thread_state;
  g_mutex_unlock (&shared->mutex);

  if (self->shared != shared)
    return;  /* from a run before this one */

  if (batch->len > 0)
    {
      /* The history takes the checkpoint strings over. */
      g_array_set_clear_func (batch, NULL);
      g_array_append_vals (self->history, batch->data, batch->len);
    }
  if (is_active (self->state) && is_active (thread_state))
    set_state (self, thread_state);
  if (batch->len > 0)
    g_signal_emit (self, signals[PROGRESS], 0);
}

static gboolean
deliver_idle (gpointer data)
{
  Shared *shared = data;
  g_autoptr(WhTrainer) self = g_weak_ref_get (&shared->trainer);

  if (self != NULL)
    deliver (self, shared);
  else
    {
      g_mutex_lock (&shared->mutex);
      shared->idle_queued = FALSE;
      g_mutex_unlock (&shared->mutex);
    }
  return G_SOURCE_REMOVE;
}

/* On the compute thread, with the mutex held. */
static void
queue_delivery (Shared *shared)
{
  g_autoptr(GSource) source = NULL;

  if (shared->idle_queued)
    return;
  shared->idle_queued = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, deliver_idle, shared_ref (shared), shared_unref);
  g_source_set_static_name (source, "[whetstone] training progress");
  g_source_attach (source, shared->main_context);
}

static void
on_progress (const WhTrainProgress *p,
             gpointer               user_data)
{
  Shared *shared = user_data;
  WhTrainProgress copy = *p;

  copy.checkpoint = g_strdup (p->checkpoint);
  g_mutex_lock (&shared->mutex);
  g_array_append_val (shared->pending, copy);
  queue_delivery (shared);
  g_mutex_unlock (&shared->mutex);
}

static void
report_state (Shared         *shared,
              WhTrainerState  state)
{
  g_mutex_lock (&shared->mutex);
  if (shared->thread_state != state)
    {
      shared->thread_state = state;
      queue_delivery (shared);
    }
  g_mutex_unlock (&shared->mutex);
}

static gboolean
pause_asked (Shared *shared)
{
  gboolean pause;

  g_mutex_lock (&shared->mutex);
  pause = shared->pause && !g_cancellable_is_cancelled (shared->cancellable);
  g_mutex_unlock (&shared->mutex);
  return pause;
}

/* Between two steps: other jobs on the device go first, and a pause
 * waits here, still serving them. */
static void
between_steps (gpointer user_data)
{
  Shared *shared = user_data;

  wh_device_run_pending (0);
  if (pause_asked (shared))
    {
      report_state (shared, WH_TRAINER_STATE_PAUSED);
      while (pause_asked (shared))
        wh_device_run_pending (100 * G_TIME_SPAN_MILLISECOND);
    }
  report_state (shared, WH_TRAINER_STATE_RUNNING);
}

static gboolean
run_job (WhClContext   *ctx,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Shared *shared = data;
  WhTrainCallbacks callbacks = { on_progress, between_steps, shared };

  if (shared->recipe != NULL)
    return wh_train_run (ctx, shared->recipe, shared->run_dir, &callbacks, cancellable, error);
  return wh_train_resume (ctx, shared->run_dir, &callbacks, cancellable, error);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Shared *shared = user_data;
  g_autoptr(WhTrainer) self = g_weak_ref_get (&shared->trainer);
  g_autoptr(GError) error = NULL;
  gboolean ok = wh_device_run_finish (WH_DEVICE (object), result, &error);

  if (self != NULL && self->shared == shared)
    {
      deliver (self, shared);
      g_clear_error (&self->error);
      if (ok)
        set_state (self, WH_TRAINER_STATE_FINISHED);
      else
        {
          gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

          self->error = g_steal_pointer (&error);
          set_state (self, cancelled ? WH_TRAINER_STATE_CANCELLED : WH_TRAINER_STATE_FAILED);
        }
    }
  shared_unref (shared);
}

static gboolean
start (WhTrainer       *self,
       const WhRecipe  *recipe,
       const char      *run_dir,
       GError         **error)
{
  Shared *shared;

  if (is_active (self->state))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("A training run is already under way"));
      return FALSE;
    }

  shared = g_new0 (Shared, 1);
  g_atomic_ref_count_init (&shared->ref);
  g_mutex_init (&shared->mutex);
  shared->main_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&shared->trainer, self);
  shared->cancellable = g_cancellable_new ();
  shared->thread_state = WH_TRAINER_STATE_PREPARING;
  shared->pending = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));
  g_array_set_clear_func (shared->pending, wh_train_progress_clear);
  shared->run_dir = g_strdup (run_dir);
  if (recipe != NULL)
    {
      shared->recipe = g_new0 (WhRecipe, 1);
      wh_recipe_copy (shared->recipe, recipe);
    }

  g_clear_pointer (&self->shared, shared_unref);
  self->shared = shared;
  g_clear_error (&self->error);
  g_array_set_size (self->history, 0);
  if (g_strcmp0 (self->run_dir, run_dir) != 0)
    {
      g_free (self->run_dir);
      self->run_dir = g_strdup (run_dir);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_DIR]);
    }
  set_state (self, WH_TRAINER_STATE_PREPARING);

  wh_device_run_async (self->device, run_job, shared_ref (shared), shared_unref, shared->cancellable,
                       run_done_cb, shared_ref (shared));
  return TRUE;
}

/**
 * wh_trainer_start:
 * @run_dir: the run folder (see wh_train_run())
 *
 * Starts a run of @recipe on the trainer's device.  Progress comes as
 * the ::progress signal and the state as notify::state, on the thread
 * default main context of the caller.
 */
gboolean
wh_trainer_start (WhTrainer       *self,
                  const WhRecipe  *recipe,
                  const char      *run_dir,
                  GError         **error)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), FALSE);
  g_return_val_if_fail (recipe != NULL && run_dir != NULL, FALSE);

  return start (self, recipe, run_dir, error);
}

/**
 * wh_trainer_start_from_checkpoint:
 *
 * Continues the run in @run_dir from its latest checkpoint (see
 * wh_train_resume()).
 */
gboolean
wh_trainer_start_from_checkpoint (WhTrainer   *self,
                                  const char  *run_dir,
                                  GError     **error)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), FALSE);
  g_return_val_if_fail (run_dir != NULL, FALSE);

  return start (self, NULL, run_dir, error);
}

static void
set_pause (WhTrainer *self,
           gboolean   pause)
{
  if (!is_active (self->state))
    return;
  g_mutex_lock (&self->shared->mutex);
  self->shared->pause = pause;
  g_mutex_unlock (&self->shared->mutex);
}

/* Takes effect at the end of the step under way. */
void
wh_trainer_pause (WhTrainer *self)
{
  g_return_if_fail (WH_IS_TRAINER (self));

  set_pause (self, TRUE);
}

void
wh_trainer_resume (WhTrainer *self)
{
  g_return_if_fail (WH_IS_TRAINER (self));

  set_pause (self, FALSE);
}

void
wh_trainer_stop (WhTrainer *self)
{
  g_return_if_fail (WH_IS_TRAINER (self));

  if (is_active (self->state))
    g_cancellable_cancel (self->shared->cancellable);
}

WhTrainerState
wh_trainer_get_state (WhTrainer *self)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), WH_TRAINER_STATE_IDLE);

  return self->state;
}

const char *
wh_trainer_get_run_dir (WhTrainer *self)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), NULL);

  return self->run_dir;
}

const GError *
wh_trainer_get_error (WhTrainer *self)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), NULL);

  return self->error;
}

const WhTrainProgress *
wh_trainer_get_progress (WhTrainer *self)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), NULL);

  if (self->history->len == 0)
    return NULL;
  return &g_array_index (self->history, WhTrainProgress, self->history->len - 1);
}

GArray *
wh_trainer_get_history (WhTrainer *self)
{
  g_return_val_if_fail (WH_IS_TRAINER (self), NULL);

  return self->history;
}

WhTrainer *
wh_trainer_new (WhDevice *device)
{
  WhTrainer *self;

  g_return_val_if_fail (WH_IS_DEVICE (device), NULL);

  self = g_object_new (WH_TYPE_TRAINER, NULL);
  self->device = g_object_ref (device);
  return self;
}

static void
wh_trainer_dispose (GObject *object)
{
  WhTrainer *self = WH_TRAINER (object);

  /* A run outliving its trainer stops at its next step, checkpointed. */
  if (self->shared != NULL && is_active (self->state))
    g_cancellable_cancel (self->shared->cancellable);
  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (wh_trainer_parent_class)->dispose (object);
}

static void
wh_trainer_finalize (GObject *object)
{
  WhTrainer *self = WH_TRAINER (object);

  g_clear_pointer (&self->history, g_array_unref);
  g_clear_error (&self->error);
  g_free (self->run_dir);

  G_OBJECT_CLASS (wh_trainer_parent_class)->finalize (object);
}

static void
wh_trainer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WhTrainer *self = WH_TRAINER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_RUN_DIR:
      g_value_set_string (value, self->run_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_trainer_class_init (WhTrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wh_trainer_dispose;
  object_class->finalize = wh_trainer_finalize;
  object_class->get_property = wh_trainer_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       WH_TYPE_TRAINER_STATE, WH_TRAINER_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUN_DIR] =
    g_param_spec_string ("run-dir", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhTrainer::progress:
   *
   * New steps are in the history; wh_trainer_get_progress() is the latest.
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wh_trainer_init (WhTrainer *self)
{
  self->history = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));
  g_array_set_clear_func (self->history, wh_train_progress_clear);
}
