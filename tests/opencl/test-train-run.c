/* test-train-run.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wh-adapter.h"
#include "wh-train-run.h"
#include "wh-test-cl.h"

/* A whole LoRA run on the real stories260K model (../shared): short
 * stories in a fixed pattern, which it learns, lowering the loss on the
 * held-out examples; the run folder holds what it should. */

typedef struct
{
  double first_loss;
  double last_val;
  guint  steps;
  guint  checkpoints;
} Seen;

static void
on_progress (const WhTrainProgress *p,
             gpointer               user_data)
{
  Seen *seen = user_data;

  if (p->step == 1)
    seen->first_loss = p->loss;
  if (!isnan (p->val_loss))
    seen->last_val = p->val_loss;
  seen->steps = p->step;
  seen->checkpoints += p->checkpoint != NULL;
}

static char *
stories_model (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      g_clear_pointer (&model, g_free);
    }
  return model;
}

/* Short stories in a fixed pattern, as JSONL text rows. */
static void
write_stories (const char *path,
               guint       n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  static const char *names[] = { "Tom", "Lily", "Ben", "Sue", "Max", "Mia" };
  static const char *things[] = { "a red ball", "a big kite", "a little cat", "a blue car", "a soft hat" };
  static const char *places[] = { "the park", "the garden", "the beach", "the forest" };

  for (guint i = 0; i < n; i++)
    {
      const char *who = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];

      g_string_append_printf (text, "{\"text\": \"%s went to %s. %s found %s. %s was very happy and said thank you.\"}\n",
                              who, places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))], who,
                              things[g_rand_int_range (rand, 0, G_N_ELEMENTS (things))], who);
    }
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
}

/* Lines of a text file. */
static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
test_stories_lora (gconstpointer test_data)
{
  gboolean packing = GPOINTER_TO_INT (test_data);
  g_autofree char *model = stories_model ();
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *run = NULL;
  g_autofree char *adapter_dir = NULL;
  g_autofree char *metrics = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  WhRecipe recipe;
  Seen seen = { 0 };
  g_auto(GStrv) lines = NULL;

  if (model == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  dir = g_dir_make_tmp ("whetstone-train-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  write_stories (data, 120);

  wh_recipe_init (&recipe);
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.epochs = 1;
  recipe.learning_rate = 3e-3;
  recipe.warmup_steps = 2;
  recipe.grad_accum = 4;
  recipe.max_seq_len = 64;
  recipe.lora_r = 8;
  recipe.lora_alpha = 16;
  recipe.lora_dropout = 0;
  recipe.packing = packing;
  if (packing)
    recipe.max_seq_len = 128;

  {
    WhTrainCallbacks callbacks = { on_progress, NULL, &seen };

    g_assert_true (wh_train_run (ctx, &recipe, run, &callbacks, NULL, &error));
  }
  g_assert_no_error (error);
  g_test_message ("first loss %.4f, final validation loss %.4f, %u steps", seen.first_loss, seen.last_val, seen.steps);
  g_assert_cmpfloat (seen.last_val, <, 0.5 * seen.first_loss);
  g_assert_cmpuint (seen.checkpoints, ==, 1);
  {
    g_autofree char *train = g_build_filename (run, "dataset", "train.jsonl", NULL);
    guint n_train = count_lines (train);

    /* A story is under 64 tokens, so at least two go in each sequence
     * of 128 when packed: half the steps or fewer.  Unpacked, a step is
     * four stories. */
    if (packing)
      g_assert_cmpuint (seen.steps, <=, (n_train + 7) / 8 + 1);
    else
      g_assert_cmpuint (seen.steps, ==, (n_train + 3) / 4);
  }

  /* The run folder: metrics for every step, the recipe used, the adapter. */
  metrics = g_build_filename (run, "metrics.jsonl", NULL);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (metrics, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, seen.steps + 1);
  }
  adapter_dir = g_build_filename (run, "adapter", "adapter_model.safetensors", NULL);
  g_assert_true (g_file_test (adapter_dir, G_FILE_TEST_EXISTS));
  /* lora.init_adapter: a new run starts from the trained adapter, so its
   * first loss is already low. */
  if (!packing)
    {
      g_autofree char *again = g_build_filename (dir, "run-again", NULL);
      WhTrainCallbacks callbacks;
      Seen seen_again = { 0 };

      callbacks = (WhTrainCallbacks) { on_progress, NULL, &seen_again };
      recipe.init_adapter = g_build_filename (run, "adapter", NULL);
      recipe.max_steps = 1;
      g_assert_true (wh_train_run (ctx, &recipe, again, &callbacks, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("from the adapter: first loss %.4f", seen_again.first_loss);
      g_assert_cmpfloat (seen_again.first_loss, <, 0.6 * seen.first_loss);
    }
  {
    g_autofree char *copy = g_build_filename (run, "recipe.json", NULL);
    WhRecipe reread;

    g_assert_true (wh_recipe_load (&reread, copy, &error));
    g_assert_cmpuint (reread.epochs, ==, 1);
    wh_recipe_clear (&reread);
  }

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

/* What a run reports, step by step, to compare runs bit for bit. */
typedef struct
{
  GArray       *losses;       /* double, by step */
  GArray       *val_losses;
  GCancellable *cancellable;
  guint         stop_after;   /* steps; 0: never */
  guint         steps;
} Record;

static void
record_progress (const WhTrainProgress *p,
                 gpointer               user_data)
{
  Record *rec = user_data;

  g_assert_cmpuint (p->step, ==, rec->losses->len + 1);
  g_array_append_val (rec->losses, p->loss);
  g_array_append_val (rec->val_losses, p->val_loss);
  rec->steps = p->step;
}

static void
record_between (gpointer user_data)
{
  Record *rec = user_data;

  if (rec->stop_after > 0 && rec->steps == rec->stop_after)
    g_cancellable_cancel (rec->cancellable);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *ca = NULL, *cb = NULL;
  gsize la, lb;

  g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
  g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
  g_assert_cmpmem (ca, la, cb, lb);
}

/* A run stopped twice (mid-epoch, then in the next epoch) and resumed
 * each time gives the same losses, the same validation losses and the
 * same adapter, bit for bit, as the run that never stopped. */
static void
resume_exact (WhMethod method)
{
  g_autofree char *model = stories_model ();
  g_autofree char *dir = NULL, *data = NULL, *whole = NULL, *parts = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) l1 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) v1 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) l2 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) v2 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) c1 = g_cancellable_new ();
  g_autoptr(GCancellable) c2 = g_cancellable_new ();
  g_autoptr(GCancellable) c3 = g_cancellable_new ();
  Record r1 = { l1, v1, NULL, 0, 0 };
  Record r2 = { l2, v2, c1, 7, 0 };
  WhTrainCallbacks cb1 = { record_progress, record_between, &r1 };
  WhTrainCallbacks cb2 = { record_progress, record_between, &r2 };
  WhRecipe recipe;

  if (model == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  dir = g_dir_make_tmp ("whetstone-resume-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  whole = g_build_filename (dir, "whole", NULL);
  parts = g_build_filename (dir, "parts", NULL);
  write_stories (data, 30);

  wh_recipe_init (&recipe);
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.epochs = 2;
  recipe.learning_rate = 3e-3;
  recipe.warmup_steps = 2;
  recipe.grad_accum = 2;
  recipe.max_seq_len = 48;
  recipe.lora_r = 4;
  recipe.lora_alpha = 8;
  recipe.lora_dropout = 0.1;   /* its masks must come back the same too */
  recipe.val_fraction = 0.2;
  recipe.eval_every_steps = 5;
  recipe.method = method;
  if (method == WH_METHOD_FULL)
    recipe.learning_rate = 1e-3;

  g_assert_true (wh_train_run (ctx, &recipe, whole, &cb1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r1.steps, >, 16);

  /* Stopped after step 7: a checkpoint of it. */
  g_assert_false (wh_train_run (ctx, &recipe, parts, &cb2, c1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (r2.steps, ==, 7);
  {
    g_autofree char *ckpt = g_build_filename (parts, "checkpoints", "step-7", "optimizer.safetensors", NULL);

    g_assert_true (g_file_test (ckpt, G_FILE_TEST_EXISTS));
  }

  /* Resumed, stopped again in the second epoch. */
  r2.cancellable = c2;
  r2.stop_after = r1.steps - 3;
  g_assert_false (wh_train_resume (ctx, parts, &cb2, c2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (r2.steps, ==, r1.steps - 3);

  r2.cancellable = c3;
  r2.stop_after = 0;
  g_assert_true (wh_train_resume (ctx, parts, &cb2, c3, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (l2->len, ==, l1->len);
  for (guint i = 0; i < l1->len; i++)
    {
      double a = g_array_index (v1, double, i), b = g_array_index (v2, double, i);

      g_assert_cmpfloat (g_array_index (l1, double, i), ==, g_array_index (l2, double, i));
      g_assert_true ((isnan (a) && isnan (b)) || a == b);
    }
  {
    const char *result = method == WH_METHOD_FULL ? "model" : "adapter";
    const char *file = method == WH_METHOD_FULL ? "model.safetensors" : "adapter_model.safetensors";
    g_autofree char *a = g_build_filename (whole, result, file, NULL);
    g_autofree char *b = g_build_filename (parts, result, file, NULL);
    g_autofree char *ma = g_build_filename (whole, "metrics.jsonl", NULL);
    g_autofree char *mb = g_build_filename (parts, "metrics.jsonl", NULL);
    g_autofree char *contents = NULL;
    g_auto(GStrv) la = NULL, lb = NULL;

    assert_same_file (a, b);
    /* The metrics continue the curve: one line per step, same losses
     * (the timings differ). */
    g_assert_true (g_file_get_contents (ma, &contents, NULL, NULL));
    la = g_strsplit (contents, "\n", -1);
    g_clear_pointer (&contents, g_free);
    g_assert_true (g_file_get_contents (mb, &contents, NULL, NULL));
    lb = g_strsplit (contents, "\n", -1);
    g_assert_cmpuint (g_strv_length (la), ==, g_strv_length (lb));
    for (guint i = 0; la[i] != NULL && la[i][0] != '\0'; i++)
      {
        char *ta = strstr (la[i], "\"tokens_per_second\""), *tb = strstr (lb[i], "\"tokens_per_second\"");

        g_assert_nonnull (ta);
        g_assert_nonnull (tb);
        g_assert_cmpmem (la[i], ta - la[i], lb[i], tb - lb[i]);
      }
  }

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

static void
test_resume_exact (void)
{
  resume_exact (WH_METHOD_LORA);
}

static void
test_resume_exact_full (void)
{
  resume_exact (WH_METHOD_FULL);
}

/* Full fine-tuning of stories260K on the same stories lowers the
 * validation loss too, and leaves a model that loads. */
static void
test_stories_full (void)
{
  g_autofree char *model = stories_model ();
  g_autofree char *dir = NULL, *data = NULL, *run = NULL, *out = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) trained = NULL;
  g_autoptr(GError) error = NULL;
  WhTrainCallbacks callbacks;
  WhRecipe recipe;
  Seen seen = { 0 };

  if (model == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  dir = g_dir_make_tmp ("whetstone-full-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  write_stories (data, 60);

  wh_recipe_init (&recipe);
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.method = WH_METHOD_FULL;
  recipe.epochs = 1;
  recipe.learning_rate = 2e-3;
  recipe.warmup_steps = 2;
  recipe.grad_accum = 2;
  recipe.max_seq_len = 48;
  callbacks = (WhTrainCallbacks) { on_progress, NULL, &seen };
  g_assert_true (wh_train_run (ctx, &recipe, run, &callbacks, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("full: first loss %.4f, final validation loss %.4f", seen.first_loss, seen.last_val);
  g_assert_cmpfloat (seen.last_val, <, 0.7 * seen.first_loss);

  out = g_build_filename (run, "model", NULL);
  trained = wh_model_load (ctx, out, 48, &error);
  g_assert_no_error (error);
  g_assert_nonnull (trained);

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

/* Resuming what is not a run, or a run whose checkpoint is damaged. */
static void
test_resume_errors (void)
{
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whetstone-resume-XXXXXX", NULL);

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  g_assert_false (wh_train_resume (ctx, dir, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  /* A run another process is training is left alone. */
  {
    g_autofree char *recipe = g_build_filename (dir, "recipe.json", NULL);
    int fd;

    g_assert_true (g_file_set_contents (recipe, "{\"dataset\": \"data.jsonl\"}", -1, NULL));
    fd = wh_train_run_lock (dir, &error);
    g_assert_no_error (error);
    g_assert_false (wh_train_resume (ctx, dir, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
    wh_train_run_unlock (fd);
  }
  wh_test_remove_tree (dir);
}

/* A run the device cannot hold is refused before anything is written,
 * with a sequence length that would fit. */
static void
test_refuses_too_big (void)
{
  g_autofree char *model = stories_model ();
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *data = NULL, *run = NULL;
  WhRecipe recipe;

  if (model == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  dir = g_dir_make_tmp ("whetstone-refuse-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  write_stories (data, 20);

  wh_recipe_init (&recipe);
  recipe.model = g_strdup (model);
  recipe.dataset_path = g_strdup (data);
  recipe.max_seq_len = 1 << 20;
  g_assert_false (wh_train_run (ctx, &recipe, run, NULL, NULL, &error));
  g_assert_error (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "train.max_seq_len"));
  g_assert_false (g_file_test (run, G_FILE_TEST_EXISTS));

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_data_func ("/train-run/stories260K-lora", GINT_TO_POINTER (FALSE), test_stories_lora);
  g_test_add_data_func ("/train-run/stories260K-lora-packed", GINT_TO_POINTER (TRUE), test_stories_lora);
  g_test_add_func ("/train-run/resume-exact", test_resume_exact);
  g_test_add_func ("/train-run/resume-exact-full", test_resume_exact_full);
  g_test_add_func ("/train-run/stories260K-full", test_stories_full);
  g_test_add_func ("/train-run/resume-errors", test_resume_errors);
  g_test_add_func ("/train-run/refuses-too-big", test_refuses_too_big);
  return g_test_run ();
}
