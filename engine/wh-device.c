/* wh-device.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One compute thread per device (DESIGN.md, Threads).  The thread opens the
 * device's OpenCL context on its first job and is the only one to touch it;
 * work reaches it as jobs on a queue, run in the order they were queued, and
 * each job's result returns to the main context of whoever queued it (GTask
 * does the crossing).  A job cancelled before it starts never runs. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-device.h"

struct _WhDevice
{
  GObject         parent_instance;

  WhClDeviceInfo *info;
  GThread        *thread;
  GAsyncQueue    *jobs;     /* of Job; a Job with no task stops the thread */
};

/* What the compute thread owns: it may outlive the WhDevice by the time
 * it takes to see the stop job. */
typedef struct
{
  GAsyncQueue    *jobs;
  WhClDeviceInfo *info;
} ThreadState;

typedef struct
{
  GTask          *task;
  WhDeviceJobFunc func;
  gpointer        data;
  GDestroyNotify  data_destroy;
} Job;

G_DEFINE_FINAL_TYPE (WhDevice, wh_device, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  if (job->data_destroy != NULL)
    job->data_destroy (job->data);
  g_clear_object (&job->task);
  g_free (job);
}

/* The compute thread's state and context, for wh_device_run_pending(). */
typedef struct
{
  ThreadState *state;
  WhClContext *ctx;
} Current;

static GPrivate current_key;

/* Runs @job; returns FALSE for the job that stops the thread. */
static gboolean
run_job (ThreadState  *state,
         WhClContext **ctx,
         GError      **open_error,
         Job          *job)
{
  GCancellable *cancellable;
  GError *error = NULL;

  if (job->task == NULL)
    {
      job_free (job);
      return FALSE;
    }

  cancellable = g_task_get_cancellable (job->task);

  if (*ctx == NULL && *open_error == NULL)
    {
      Current *current = g_private_get (&current_key);

      *ctx = wh_cl_context_new (state->info, open_error);
      current->ctx = *ctx;
    }

  if (*ctx == NULL)
    g_task_return_error (job->task, g_error_copy (*open_error));
  else if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    g_task_return_error (job->task, error);
  else if (job->func (*ctx, job->data, cancellable, &error))
    g_task_return_boolean (job->task, TRUE);
  else
    {
      if (error == NULL)
        g_critical ("A device job failed without saying why");
      g_task_return_error (job->task, error ? error :
                           g_error_new_literal (WH_CL_ERROR, WH_CL_ERROR_FAILED,
                                                _("Work on the device failed.")));
    }

  job_free (job);
  return TRUE;
}

static gpointer
compute_thread (gpointer user_data)
{
  ThreadState *state = user_data;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) open_error = NULL;
  Current current = { state, NULL };

  g_private_set (&current_key, &current);
  while (run_job (state, &ctx, &open_error, g_async_queue_pop (state->jobs)))
    ;
  g_private_set (&current_key, NULL);

  g_clear_pointer (&ctx, wh_cl_context_free);
  g_async_queue_unref (state->jobs);
  wh_cl_device_info_free (state->info);
  g_free (state);

  return NULL;
}

/**
 * wh_device_run_pending:
 * @timeout_us: how long to wait for a first job, in microseconds
 *
 * From inside a job only, on the compute thread: runs the jobs queued
 * since, so that a long job (a training run) lets others (a playground
 * request) through between its steps.  Waits up to @timeout_us for one
 * when none is queued.
 *
 * Returns: the number of jobs run
 */
guint
wh_device_run_pending (guint64 timeout_us)
{
  Current *current = g_private_get (&current_key);
  guint n = 0;
  Job *job;

  g_return_val_if_fail (current != NULL && current->ctx != NULL, 0);

  for (job = g_async_queue_timeout_pop (current->state->jobs, timeout_us);
       job != NULL;
       job = g_async_queue_try_pop (current->state->jobs))
    {
      g_autoptr(GError) open_error = NULL;
      WhClContext *ctx = current->ctx;

      /* The stop job waits for the job that called us to return. */
      if (job->task == NULL)
        {
          g_async_queue_push_front (current->state->jobs, job);
          break;
        }
      run_job (current->state, &ctx, &open_error, job);
      n++;
    }
  return n;
}

static void
wh_device_finalize (GObject *object)
{
  WhDevice *self = (WhDevice *) object;

  /* Jobs hold a reference to the device through their task's source
   * object, so no job is left.  The last reference may be dropped on the
   * compute thread itself, when it frees a finished task: then it cannot
   * wait for itself, and ends on its own. */
  g_async_queue_push (self->jobs, g_new0 (Job, 1));
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);

  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->info, wh_cl_device_info_free);

  G_OBJECT_CLASS (wh_device_parent_class)->finalize (object);
}

static void
wh_device_class_init (WhDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wh_device_finalize;
}

static void
wh_device_init (WhDevice *self)
{
  self->jobs = g_async_queue_new ();
}

/**
 * wh_device_new:
 * @info: the device to drive
 *
 * Starts the device's compute thread.  The OpenCL context opens with the
 * first job, and an error opening it fails every job.
 *
 * Returns: (transfer full): a new #WhDevice
 */
WhDevice *
wh_device_new (const WhClDeviceInfo *info)
{
  WhDevice *self;
  ThreadState *state;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (WH_TYPE_DEVICE, NULL);
  self->info = wh_cl_device_info_copy (info);

  state = g_new0 (ThreadState, 1);
  state->jobs = g_async_queue_ref (self->jobs);
  state->info = wh_cl_device_info_copy (info);
  self->thread = g_thread_new ("wh-compute", compute_thread, state);

  return self;
}

const WhClDeviceInfo *
wh_device_get_info (WhDevice *self)
{
  g_return_val_if_fail (WH_IS_DEVICE (self), NULL);
  return self->info;
}

/**
 * wh_device_run_async:
 * @func: the job, run on the compute thread
 * @data: (nullable): passed to @func
 * @data_destroy: (nullable): frees @data once the job is done, on the compute thread
 *
 * Queues a job after every job queued before it.
 */
void
wh_device_run_async (WhDevice            *self,
                     WhDeviceJobFunc      func,
                     gpointer             data,
                     GDestroyNotify       data_destroy,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Job *job;

  g_return_if_fail (WH_IS_DEVICE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (Job, 1);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, wh_device_run_async);
  /* A job cancelled while it runs says itself how it stopped (a training
   * run names its checkpoint). */
  g_task_set_check_cancellable (job->task, FALSE);
  job->func = func;
  job->data = data;
  job->data_destroy = data_destroy;

  g_async_queue_push (self->jobs, job);
}

gboolean
wh_device_run_finish (WhDevice      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (WH_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_sync_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * wh_device_run_sync:
 *
 * Runs a job and waits for it, for command-line tools and tests: a
 * private main context turns while it runs, so the caller's default main
 * context sees nothing of it.
 */
gboolean
wh_device_run_sync (WhDevice      *self,
                    WhDeviceJobFunc func,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WH_IS_DEVICE (self), FALSE);

  g_main_context_push_thread_default (context);
  wh_device_run_async (self, func, data, NULL, cancellable, run_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return wh_device_run_finish (self, result, error);
}
