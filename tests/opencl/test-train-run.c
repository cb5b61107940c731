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

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
test_stories_lora (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *run = NULL;
  g_autofree char *adapter_dir = NULL;
  g_autofree char *metrics = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  static const char *names[] = { "Tom", "Lily", "Ben", "Sue", "Max", "Mia" };
  static const char *things[] = { "a red ball", "a big kite", "a little cat", "a blue car", "a soft hat" };
  static const char *places[] = { "the park", "the garden", "the beach", "the forest" };
  WhRecipe recipe;
  Seen seen = { 0 };
  g_auto(GStrv) lines = NULL;

  if (model == NULL || !g_file_test (model, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  dir = g_dir_make_tmp ("whetstone-train-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  for (guint i = 0; i < 120; i++)
    {
      const char *n = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];

      g_string_append_printf (text, "{\"text\": \"%s went to %s. %s found %s. %s was very happy and said thank you.\"}\n",
                              n, places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))], n,
                              things[g_rand_int_range (rand, 0, G_N_ELEMENTS (things))], n);
    }
  g_assert_true (g_file_set_contents (data, text->str, -1, NULL));

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

  g_assert_true (wh_train_run (ctx, &recipe, run, on_progress, &seen, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("first loss %.4f, final validation loss %.4f, %u steps", seen.first_loss, seen.last_val, seen.steps);
  g_assert_cmpfloat (seen.last_val, <, 0.5 * seen.first_loss);
  g_assert_cmpuint (seen.checkpoints, ==, 1);

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
  {
    g_autofree char *copy = g_build_filename (run, "recipe.json", NULL);
    WhRecipe reread;

    g_assert_true (wh_recipe_load (&reread, copy, &error));
    g_assert_cmpuint (reread.epochs, ==, 1);
    wh_recipe_clear (&reread);
  }

  wh_recipe_clear (&recipe);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/train-run/stories260K-lora", test_stories_lora);
  return g_test_run ();
}
