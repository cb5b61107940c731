/* test-device-thread.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The compute thread: jobs run in order, on one thread that is not the
 * caller's, and their results come back on the caller's main context. */

#include "config.h"

#include "wh-device.h"
#include "wh-test-cl.h"

typedef struct
{
  GThread  *thread;
  GArray   *order;
  guint     pending;
  gboolean  fail;
} Log;

typedef struct
{
  Log   *log;
  guint  id;
} JobData;

static gboolean
record_job (WhClContext   *ctx,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  JobData *job = data;
  g_autoptr(WhClBuffer) buffer = NULL;

  g_assert_nonnull (ctx);
  if (job->log->thread == NULL)
    job->log->thread = g_thread_self ();
  g_assert_true (job->log->thread == g_thread_self ());

  /* Real device work, so that the context is exercised here. */
  if (!(buffer = wh_cl_buffer_new (ctx, 4096, error)))
    return FALSE;

  g_array_append_val (job->log->order, job->id);

  if (job->log->fail && job->id == 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "job %u failed on purpose", job->id);
      return FALSE;
    }

  return TRUE;
}

static void
job_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Log *log = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* On the main context of the thread that queued the job. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));

  ok = wh_device_run_finish (WH_DEVICE (object), result, &error);
  if (ok)
    g_assert_no_error (error);
  else
    g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  log->pending--;
}

static void
test_jobs_in_order (void)
{
  g_autoptr(WhClDeviceInfo) info = wh_test_cl_device ();
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  Log log = { NULL, order, 0, TRUE };
  JobData jobs[6];

  WH_TEST_REQUIRE (info);

  device = wh_device_new (info);
  g_cancellable_cancel (cancelled);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i] = (JobData) { &log, i };
      log.pending++;
      /* Job 4 is cancelled before it is queued: it must never run. */
      wh_device_run_async (device, record_job, &jobs[i], NULL, i == 4 ? cancelled : NULL,
                           job_done, &log);
    }

  while (log.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (log.thread != g_thread_self ());
  g_assert_cmpuint (order->len, ==, 5);
  g_assert_cmpuint (g_array_index (order, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (order, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (order, guint, 2), ==, 2);
  g_assert_cmpuint (g_array_index (order, guint, 3), ==, 3);
  g_assert_cmpuint (g_array_index (order, guint, 4), ==, 5);
}

static void
test_run_sync_and_release (void)
{
  g_autoptr(WhClDeviceInfo) info = wh_test_cl_device ();
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  Log log = { NULL, order, 0, FALSE };
  JobData job = { &log, 7 };
  WhDevice *device;
  GWeakRef weak;
  WhDevice *still = NULL;

  WH_TEST_REQUIRE (info);

  device = wh_device_new (info);
  g_weak_ref_init (&weak, device);

  g_assert_true (wh_device_run_sync (device, record_job, &job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (order->len, ==, 1);

  /* Dropping the last reference stops the thread and frees everything.
   * The compute thread may hold the finished task (and so the device)
   * for a moment after the result arrives; the device goes when it lets
   * go, possibly on that thread. */
  g_object_unref (device);
  for (guint i = 0; i < 5000; i++)
    {
      still = g_weak_ref_get (&weak);
      if (still == NULL)
        break;
      g_object_unref (still);
      still = NULL;
      g_usleep (1000);
    }
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/engine/device/jobs-in-order", test_jobs_in_order);
  g_test_add_func ("/whetstone/engine/device/run-sync-and-release", test_run_sync_and_release);

  return g_test_run ();
}
