/* test-trainer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-trainer.h"
#include "wh-test-cl.h"

/* WhTrainer drives a real run on the device's compute thread: states in
 * order, progress on the main context, pause and resume between steps
 * with other device work let through, stop with a checkpoint, and a
 * continued run from it. */

#define TIMEOUT_S 120

typedef gboolean (*Condition) (gpointer data);

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_until (Condition condition,
               gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_S, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for the trainer");
  g_source_remove (id);
}

typedef struct
{
  WhTrainer *trainer;
  GArray    *states;     /* WhTrainerState, as notified */
  guint      pause_at;   /* steps */
  gboolean   job_done;
  gboolean   job_done_running;
} Watch;

static void
on_state (WhTrainer  *trainer,
          GParamSpec *pspec,
          Watch      *w)
{
  WhTrainerState state = wh_trainer_get_state (trainer);

  g_array_append_val (w->states, state);
}

static void
on_progress (WhTrainer *trainer,
             Watch     *w)
{
  const WhTrainProgress *p = wh_trainer_get_progress (trainer);

  g_assert_nonnull (p);
  if (w->pause_at > 0 && p->step >= w->pause_at)
    {
      w->pause_at = 0;
      wh_trainer_pause (trainer);
    }
}

static gboolean
small_job (WhClContext   *ctx,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(WhClBuffer) buf = wh_cl_buffer_new (ctx, 1024, error);

  return buf != NULL;
}

static void
small_job_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Watch *w = user_data;

  g_assert_true (wh_device_run_finish (WH_DEVICE (object), result, NULL));
  w->job_done = TRUE;
  w->job_done_running = wh_trainer_get_state (w->trainer) == WH_TRAINER_STATE_PAUSED ||
                        wh_trainer_get_state (w->trainer) == WH_TRAINER_STATE_RUNNING;
}

static gboolean
is_state (gpointer data)
{
  Watch *w = data;

  return w->states->len > 0 &&
         g_array_index (w->states, WhTrainerState, w->states->len - 1) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (w->trainer), "wanted"));
}

static void
wait_for_state (Watch          *w,
                WhTrainerState  state)
{
  g_object_set_data (G_OBJECT (w->trainer), "wanted", GUINT_TO_POINTER (state));
  iterate_until (is_state, w);
}

static gboolean
job_finished (gpointer data)
{
  return ((Watch *) data)->job_done;
}

static void
test_pause_stop_continue (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autoptr(WhClDeviceInfo) info = NULL;
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(WhTrainer) trainer = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (WhTrainerState));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *data = NULL, *run = NULL, *adapter = NULL;
  Watch w = { 0 };
  WhRecipe recipe;
  guint paused_steps, stopped_at;

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (info = wh_test_cl_device ());
  device = wh_device_new (info);
  trainer = wh_trainer_new (device);

  dir = g_dir_make_tmp ("whetstone-trainer-XXXXXX", NULL);
  data = g_build_filename (dir, "data.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  for (guint i = 0; i < 24; i++)
    g_string_append_printf (text, "{\"text\": \"Story %u: the dog ran to the park and found %u sticks.\"}\n", i, i % 5);
  g_assert_true (g_file_set_contents (data, text->str, -1, NULL));

  wh_recipe_init (&recipe);
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.epochs = 3;
  recipe.grad_accum = 1;
  recipe.max_seq_len = 32;
  recipe.lora_r = 4;
  recipe.lora_dropout = 0;
  recipe.val_fraction = 0.1;

  w.trainer = trainer;
  w.states = states;
  w.pause_at = 3;
  g_signal_connect (trainer, "notify::state", G_CALLBACK (on_state), &w);
  g_signal_connect (trainer, "progress", G_CALLBACK (on_progress), &w);

  g_assert_true (wh_trainer_start (trainer, &recipe, run, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wh_trainer_get_state (trainer), ==, WH_TRAINER_STATE_PREPARING);
  g_assert_false (wh_trainer_start (trainer, &recipe, run, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  wait_for_state (&w, WH_TRAINER_STATE_PAUSED);
  g_assert_cmpint (g_array_index (states, WhTrainerState, 0), ==, WH_TRAINER_STATE_PREPARING);
  g_assert_cmpint (g_array_index (states, WhTrainerState, 1), ==, WH_TRAINER_STATE_RUNNING);

  /* Paused: no steps, yet other work on the device goes through. */
  paused_steps = wh_trainer_get_history (trainer)->len;
  g_assert_cmpuint (paused_steps, >=, 3);
  wh_device_run_async (device, small_job, NULL, NULL, NULL, small_job_cb, &w);
  iterate_until (job_finished, &w);
  g_assert_true (w.job_done_running);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (wh_trainer_get_history (trainer)->len, ==, paused_steps);
  g_assert_cmpint (wh_trainer_get_state (trainer), ==, WH_TRAINER_STATE_PAUSED);

  /* Stopped while paused: a checkpoint of the steps so far. */
  wh_trainer_stop (trainer);
  wait_for_state (&w, WH_TRAINER_STATE_CANCELLED);
  g_assert_error (wh_trainer_get_error (trainer), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  stopped_at = wh_trainer_get_progress (trainer)->step;
  {
    g_autofree char *name = g_strdup_printf ("step-%u", stopped_at);
    g_autofree char *ckpt = g_build_filename (run, "checkpoints", name, "adapter_model.safetensors", NULL);

    g_assert_true (g_file_test (ckpt, G_FILE_TEST_EXISTS));
    g_test_message ("%s", wh_trainer_get_error (trainer)->message);
    g_assert_nonnull (strstr (wh_trainer_get_error (trainer)->message, name));
  }

  /* Continued from it, to the end; the history starts after it. */
  g_assert_true (wh_trainer_start_from_checkpoint (trainer, run, &error));
  g_assert_no_error (error);
  wait_for_state (&w, WH_TRAINER_STATE_FINISHED);
  g_assert_null (wh_trainer_get_error (trainer));
  g_assert_cmpuint (g_array_index (wh_trainer_get_history (trainer), WhTrainProgress, 0).step, ==, stopped_at + 1);
  g_assert_cmpuint (wh_trainer_get_progress (trainer)->step, ==, wh_trainer_get_progress (trainer)->total_steps);
  adapter = g_build_filename (run, "adapter", "adapter_model.safetensors", NULL);
  g_assert_true (g_file_test (adapter, G_FILE_TEST_EXISTS));

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

/* A run that cannot start fails with the reason, on the main context. */
static void
test_failure (void)
{
  g_autoptr(WhClDeviceInfo) info = NULL;
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(WhTrainer) trainer = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (WhTrainerState));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whetstone-trainer-XXXXXX", NULL);
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  Watch w = { 0 };
  WhRecipe recipe;

  WH_TEST_REQUIRE (info = wh_test_cl_device ());
  device = wh_device_new (info);
  trainer = wh_trainer_new (device);
  w.trainer = trainer;
  w.states = states;
  g_signal_connect (trainer, "notify::state", G_CALLBACK (on_state), &w);

  wh_recipe_init (&recipe);
  recipe.model = g_build_filename (dir, "no-such-model", NULL);
  recipe.dataset_path = g_build_filename (dir, "no-such-data.jsonl", NULL);
  g_assert_true (wh_trainer_start (trainer, &recipe, run, &error));
  wait_for_state (&w, WH_TRAINER_STATE_FAILED);
  g_assert_nonnull (wh_trainer_get_error (trainer));
  g_assert_nonnull (strstr (wh_trainer_get_error (trainer)->message, "no-such-model"));
  g_assert_null (wh_trainer_get_progress (trainer));

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/trainer/pause-stop-continue", test_pause_stop_continue);
  g_test_add_func ("/trainer/failure", test_failure);
  return g_test_run ();
}
