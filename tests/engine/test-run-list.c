/* test-run-list.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>
#include <utime.h>

#include "wh-run-list.h"
#include "wh-train-run.h"
#include "wh-test-files.h"

/* The runs of a runs folder, made here as training writes them: a
 * finished one, one stopped with a line of metrics.jsonl cut short, one
 * stopped before training, and folders that are not runs, which are
 * neither listed nor deleted. */

#define RECIPE_JSON(name, model, extra) \
  "{\n  \"name\": \"" name "\",\n  \"description\": \"A test run\",\n  \"model\": \"" model "\",\n" \
  "  \"dataset\": {\"path\": \"/data/examples.jsonl\", \"format\": \"jsonl\"},\n" \
  "  \"method\": \"lora\"" extra "\n}\n"

#define METRICS_LINE(step, epoch, loss, val) \
  "{\"step\": " #step ", \"epoch\": " #epoch ", \"loss\": " #loss ", \"val_loss\": " #val ", " \
  "\"lr\": 0.0002, \"grad_norm\": 1.5, \"tokens_per_second\": 100.0}\n"

static char *
make_path (const char *dir,
           const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  return g_steal_pointer (&path);
}

static void
write_at (const char *dir,
          const char *relative,
          const char *text)
{
  g_autofree char *path = make_path (dir, relative);

  wh_test_write_text (path, text);
}

static void
write_checkpoint (const char *run,
                  const char *name,
                  guint       step)
{
  g_autofree char *relative = g_build_filename ("checkpoints", name, "trainer_state.json", NULL);
  g_autofree char *state = g_strdup_printf ("{\"step\": %u, \"epoch\": 1, \"next_example\": 0, "
                                            "\"tokens\": 100, \"elapsed_seconds\": 1.5}\n", step);
  g_autofree char *adapter = g_build_filename ("checkpoints", name, "adapter_model.safetensors", NULL);

  write_at (run, relative, state);
  write_at (run, adapter, "weights");
}

/* Sets the modification time of @relative in @run (the folder itself
 * when NULL) to @seconds ago. */
static void
age (const char *run,
     const char *relative,
     gint64      seconds)
{
  g_autofree char *path = relative != NULL ? g_build_filename (run, relative, NULL) : g_strdup (run);
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

typedef struct
{
  char *runs;
  char *finished;
  char *stopped;
  char *incomplete;
} Fixture;

/* Finished two days ago: two epochs, a checkpoint each, the adapter. */
static void
make_finished (Fixture *f)
{
  f->finished = g_build_filename (f->runs, "brand-voice-20260101-100000", NULL);
  write_at (f->finished, "recipe.json",
            RECIPE_JSON ("Brand voice", "/home/me/.cache/huggingface/hub/models--HuggingFaceTB--SmolLM2-135M/snapshots/abc123", ""));
  write_at (f->finished, "dataset/train.jsonl", "{}\n");
  write_at (f->finished, "dataset/val.jsonl", "{}\n");
  write_at (f->finished, "metrics.jsonl",
            METRICS_LINE (1, 1, 2.5, null)
            METRICS_LINE (2, 1, 2.25, 2.4)
            METRICS_LINE (3, 2, 2.0, null)
            METRICS_LINE (4, 2, 1.75, 2.1));
  write_checkpoint (f->finished, "epoch-1", 2);
  write_checkpoint (f->finished, "epoch-2", 4);
  write_at (f->finished, "adapter/adapter_model.safetensors", "weights");
  write_at (f->finished, "adapter/adapter_config.json", "{}");
  write_at (f->finished, "exports/Modelfile", "FROM x\n");
  age (f->finished, "metrics.jsonl", 2 * 86400);
  age (f->finished, "checkpoints/epoch-2", 2 * 86400);
  age (f->finished, "adapter", 2 * 86400);
  age (f->finished, NULL, 2 * 86400);
}

/* Killed an hour ago during step 4: the line being written is cut short,
 * a checkpoint half-written, the latest whole one at step 2. */
static void
make_stopped (Fixture *f)
{
  f->stopped = g_build_filename (f->runs, "support-chatbot-20260102-090000", NULL);
  write_at (f->stopped, "recipe.json", RECIPE_JSON ("Support chatbot", "/models/stories260K-f32.gguf", ""));
  write_at (f->stopped, "dataset/train.jsonl", "{}\n");
  write_at (f->stopped, "metrics.jsonl",
            METRICS_LINE (1, 1, 3.5, null)
            METRICS_LINE (2, 1, 3.25, 3.0)
            METRICS_LINE (3, 1, 3.125, null)
            "{\"step\": 4, \"epoch\": 1, \"loss\": 3.0");
  write_checkpoint (f->stopped, "step-2", 2);
  write_at (f->stopped, "checkpoints/.step-4.partial/adapter_model.safetensors", "half");
  age (f->stopped, "metrics.jsonl", 3600);
  age (f->stopped, "checkpoints/step-2", 3600);
  age (f->stopped, NULL, 3600);
}

/* Stopped while the examples were imported: no recipe.json yet. */
static void
make_incomplete (Fixture *f)
{
  f->incomplete = g_build_filename (f->runs, "custom-20260103-080000", NULL);
  write_at (f->incomplete, "dataset/train.jsonl", "{}\n");
  age (f->incomplete, "dataset", 60);
  age (f->incomplete, NULL, 60);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->runs = wh_test_make_dir ("whetstone-runs-XXXXXX");
  make_finished (f);
  make_stopped (f);
  make_incomplete (f);

  /* Not runs: a folder of something else, a file, another program's
   * recipe.json, and an empty folder. */
  write_at (f->runs, "photos/cat.jpg", "jpeg");
  write_at (f->runs, "notes.txt", "notes");
  write_at (f->runs, "cooking/recipe.json", "{\"name\": \"Bread\", \"flour\": 500}");
  write_at (f->runs, "cooking/dataset/ingredients.csv", "flour\n");
  g_assert_cmpint (g_mkdir (g_build_filename (f->runs, "empty", NULL), 0755), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wh_test_remove_dir (f->runs);
  g_free (f->runs);
  g_free (f->finished);
  g_free (f->stopped);
  g_free (f->incomplete);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = wh_run_list (f->runs, NULL, &error);
  const WhRunInfo *run;

  g_assert_no_error (error);
  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 3);

  /* The most recently written first. */
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->path, ==, f->incomplete);
  g_assert_cmpstr (run->id, ==, "custom-20260103-080000");
  g_assert_cmpint (run->state, ==, WH_RUN_STATE_INCOMPLETE);
  g_assert_false (wh_run_info_can_resume (run));
  g_assert_null (run->name);
  g_assert_null (run->model);
  g_assert_cmpuint (run->step, ==, 0);
  g_assert_true (isnan (run->loss));
  g_assert_null (run->checkpoint);

  run = g_ptr_array_index (runs, 1);
  g_assert_cmpstr (run->path, ==, f->stopped);
  g_assert_cmpint (run->state, ==, WH_RUN_STATE_STOPPED);
  g_assert_true (wh_run_info_can_resume (run));
  g_assert_cmpstr (run->name, ==, "Support chatbot");
  g_assert_cmpstr (run->model, ==, "/models/stories260K-f32.gguf");
  g_assert_cmpstr (run->model_name, ==, "stories260K-f32");
  /* The torn line is passed over. */
  g_assert_cmpuint (run->step, ==, 3);
  g_assert_cmpfloat_with_epsilon (run->loss, 3.125, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->val_loss, 3.0, 1e-9);
  g_assert_true (g_str_has_suffix (run->checkpoint, "/checkpoints/step-2"));
  g_assert_cmpuint (run->checkpoint_step, ==, 2);
  g_assert_null (run->result);

  run = g_ptr_array_index (runs, 2);
  g_assert_cmpstr (run->path, ==, f->finished);
  g_assert_cmpint (run->state, ==, WH_RUN_STATE_FINISHED);
  g_assert_false (wh_run_info_can_resume (run));
  g_assert_cmpstr (run->name, ==, "Brand voice");
  g_assert_cmpstr (run->description, ==, "A test run");
  g_assert_cmpstr (run->method, ==, "lora");
  g_assert_cmpstr (run->model_name, ==, "HuggingFaceTB/SmolLM2-135M");
  g_assert_cmpuint (run->step, ==, 4);
  g_assert_cmpuint (run->epoch, ==, 2);
  g_assert_cmpfloat_with_epsilon (run->loss, 1.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (run->val_loss, 2.1, 1e-9);
  g_assert_true (g_str_has_suffix (run->checkpoint, "/checkpoints/epoch-2"));
  g_assert_cmpuint (run->checkpoint_step, ==, 4);
  g_assert_true (g_str_has_suffix (run->result, "/adapter"));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    GTimeSpan ago = g_date_time_difference (now, run->modified);

    g_assert_cmpint (ago / G_TIME_SPAN_SECOND, >=, 2 * 86400 - 5);
    g_assert_cmpint (ago / G_TIME_SPAN_SECOND, <=, 2 * 86400 + 60);
  }
}

/* The result in the recipe's output_dir, and a full fine-tune's model. */
static void
test_result_elsewhere (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->runs, "photos", "out", NULL);
  g_autofree char *text = g_strdup_printf (RECIPE_JSON ("Custom", "/m", ",\n  \"output_dir\": \"%s\""), out);
  g_autofree char *run = g_build_filename (f->runs, "custom-20260104-000000", NULL);
  g_autoptr(WhRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  write_at (run, "recipe.json", text);
  info = wh_run_info_read (run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, WH_RUN_STATE_STOPPED);
  g_assert_true (isnan (info->val_loss));
  g_clear_pointer (&info, wh_run_info_free);

  write_at (out, "model/config.json", "{}");
  write_at (out, "model/model.safetensors", "weights");
  info = wh_run_info_read (run, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, WH_RUN_STATE_FINISHED);
  g_assert_true (g_str_has_suffix (info->result, "/photos/out/model"));
}

static void
test_not_runs (Fixture       *f,
               gconstpointer  data)
{
  static const char * const names[] = { "photos", "cooking", "empty", "missing" };
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->runs, "notes.txt", NULL);
  g_autofree char *link = g_build_filename (f->runs, "link-to-run", NULL);
  g_autoptr(GPtrArray) runs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->runs, names[i], NULL);

      g_assert_null (wh_run_info_read (path, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      g_assert_false (wh_run_delete (path, NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  {
    g_autofree char *cat = g_build_filename (f->runs, "photos", "cat.jpg", NULL);
    g_autofree char *recipe = g_build_filename (f->runs, "cooking", "recipe.json", NULL);

    g_assert_true (g_file_test (cat, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (recipe, G_FILE_TEST_IS_REGULAR));
  }

  g_assert_null (wh_run_info_read (file, &error));
  wh_test_assert_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, "not a run folder", NULL);

  /* A link to a run is not a run folder: deleting it would delete what it
   * points to. */
  g_assert_cmpint (symlink (f->stopped, link), ==, 0);
  g_assert_false (wh_run_delete (link, NULL, &error));
  wh_test_assert_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, NULL);
  g_assert_true (g_file_test (f->stopped, G_FILE_TEST_IS_DIR));
  runs = wh_run_list (f->runs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 3);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *notes = g_build_filename (f->stopped, "notes.txt", NULL);
  g_autofree char *temp = NULL;

  /* A file training did not write keeps the run from being deleted. */
  wh_test_write_text (notes, "mine");
  g_assert_false (wh_run_delete (f->stopped, NULL, &error));
  wh_test_assert_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "notes.txt", NULL);
  g_assert_true (g_file_test (notes, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_unlink (notes), ==, 0);

  /* What an atomic write left behind goes with the run; a link inside is
   * removed, not followed. */
  temp = g_build_filename (f->stopped, "recipe.json.Ab12Cd", NULL);
  wh_test_write_text (temp, "{");
  {
    g_autofree char *inner = g_build_filename (f->stopped, "dataset", "photos", NULL);
    g_autofree char *target = g_build_filename (f->runs, "photos", NULL);

    g_assert_cmpint (symlink (target, inner), ==, 0);
  }
  g_assert_true (wh_run_delete (f->stopped, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (f->stopped, G_FILE_TEST_EXISTS));
  {
    g_autofree char *cat = g_build_filename (f->runs, "photos", "cat.jpg", NULL);

    g_assert_true (g_file_test (cat, G_FILE_TEST_IS_REGULAR));
  }

  g_assert_true (wh_run_delete (f->incomplete, NULL, &error));
  g_assert_no_error (error);

  runs = wh_run_list (f->runs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpstr (((WhRunInfo *) g_ptr_array_index (runs, 0))->path, ==, f->finished);

  /* Nothing hidden is left behind. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->runs, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (name[0] == '.');
  }
}

/* A run some process is training holds its run.lock: it reads as
 * active, cannot be resumed, locked again or deleted, and can once the
 * lock is dropped (the lock file goes with it). */
static void
test_active (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhRunInfo) before = NULL;
  g_autoptr(WhRunInfo) during = NULL;
  g_autoptr(WhRunInfo) after = NULL;
  int fd;

  before = wh_run_info_read (f->stopped, &error);
  g_assert_no_error (error);
  g_assert_false (before->active);
  g_assert_true (wh_run_info_can_resume (before));

  fd = wh_train_run_lock (f->stopped, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  during = wh_run_info_read (f->stopped, &error);
  g_assert_no_error (error);
  g_assert_true (during->active);
  g_assert_false (wh_run_info_can_resume (during));
  g_assert_cmpint (wh_train_run_lock (f->stopped, &error), ==, -1);
  wh_test_assert_error (&error, G_IO_ERROR, G_IO_ERROR_BUSY, "another Whetstone process", NULL);
  g_assert_false (wh_run_delete (f->stopped, NULL, &error));
  wh_test_assert_error (&error, G_IO_ERROR, G_IO_ERROR_BUSY, "being trained", NULL);
  g_assert_true (g_file_test (f->stopped, G_FILE_TEST_IS_DIR));

  wh_train_run_unlock (fd);
  after = wh_run_info_read (f->stopped, &error);
  g_assert_no_error (error);
  g_assert_false (after->active);
  g_assert_true (wh_run_delete (f->stopped, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (f->stopped, G_FILE_TEST_EXISTS));
}

/* A run of the built-in demo model says so rather than naming its
 * folder. */
static void
test_demo_model_name (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *run = g_build_filename (f->runs, "demo-run", NULL);
  g_autoptr(WhRunInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("WHETSTONE_DEMO_MODEL", "/opt/whetstone/demo/model", TRUE);
  write_at (run, "recipe.json", RECIPE_JSON ("Brand voice", "/opt/whetstone/demo/model", ""));
  info = wh_run_info_read (run, &error);
  g_unsetenv ("WHETSTONE_DEMO_MODEL");
  g_assert_no_error (error);
  g_assert_cmpstr (info->model_name, ==, "Demo model");
}

static void
test_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = wh_run_list ("/nonexistent/whetstone/runs", NULL, &error);
  g_autofree char *dir = wh_run_dup_default_dir ();

  g_assert_no_error (error);
  g_assert_nonnull (runs);
  g_assert_cmpuint (runs->len, ==, 0);
  g_assert_true (g_str_has_suffix (dir, "/whetstone/runs"));
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (wh_run_list (f->runs, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/whetstone/run-list/list", Fixture, NULL, fixture_set_up, test_list, fixture_tear_down);
  g_test_add ("/whetstone/run-list/result-elsewhere", Fixture, NULL, fixture_set_up, test_result_elsewhere,
              fixture_tear_down);
  g_test_add ("/whetstone/run-list/not-runs", Fixture, NULL, fixture_set_up, test_not_runs, fixture_tear_down);
  g_test_add ("/whetstone/run-list/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);
  g_test_add ("/whetstone/run-list/active", Fixture, NULL, fixture_set_up, test_active, fixture_tear_down);
  g_test_add ("/whetstone/run-list/demo-model-name", Fixture, NULL, fixture_set_up, test_demo_model_name,
              fixture_tear_down);
  g_test_add ("/whetstone/run-list/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add_func ("/whetstone/run-list/missing-folder", test_missing_folder);

  return g_test_run ();
}
