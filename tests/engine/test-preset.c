/* test-preset.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-preset.h"

/* The shipped presets load, and their sample datasets import with no
 * errors and enough examples; bad preset keys are named. */

static void
test_builtin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = wh_preset_list_builtin (&error);
  const char *ids[] = { "brand-voice", "custom", "support-chatbot", "text-to-sql" };

  g_assert_no_error (error);
  g_assert_cmpuint (presets->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < presets->len; i++)
    {
      WhPreset *preset = g_ptr_array_index (presets, i);
      g_autoptr(WhDataset) ds = NULL;
      WhDatasetOptions options;
      const WhDatasetStats *st;

      const WhRecipe *r = &preset->recipe;

      g_assert_cmpstr (preset->id, ==, ids[i]);
      g_assert_nonnull (r->name);
      g_assert_nonnull (r->description);
      g_assert_nonnull (r->dataset_path);

      wh_dataset_options_init (&options);
      options.format = r->dataset_format;
      options.columns = (const char * const *) r->dataset_columns;
      options.system_prompt = r->system_prompt;
      options.text_prompt = NULL;
      options.val_fraction = r->val_fraction;
      ds = wh_dataset_import (r->dataset_path, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      st = wh_dataset_get_stats (ds);
      g_test_message ("%s: %" G_GUINT64_FORMAT " examples, %u warnings", preset->id, st->examples,
                      wh_dataset_get_problems (ds)->len);
      g_assert_cmpuint (st->examples, >=, 60);
      g_assert_cmpuint (st->excluded, ==, 0);
      for (guint p = 0; p < wh_dataset_get_problems (ds)->len; p++)
        g_assert_cmpint (((WhProblem *) g_ptr_array_index (wh_dataset_get_problems (ds), p))->severity, !=,
                         WH_PROBLEM_ERROR);
      g_assert_cmpuint (wh_preset_auto_epochs (st->train_examples), >=, 1);
    }
}

static void
test_auto_epochs (void)
{
  g_assert_cmpuint (wh_preset_auto_epochs (10), ==, 10);
  g_assert_cmpuint (wh_preset_auto_epochs (2), ==, 25);
  g_assert_cmpuint (wh_preset_auto_epochs (60), ==, 3);
  g_assert_cmpuint (wh_preset_auto_epochs (5000), ==, 3);
  g_assert_cmpuint (wh_preset_auto_epochs (10000), ==, 2);
  g_assert_cmpuint (wh_preset_auto_epochs (100000), ==, 1);
}

static void
test_bad_keys (void)
{
  static const struct { const char *json; const char *mentions; } cases[] = {
    { "{\"name\": \"x\", \"epochs\": 3}", "epochs" },
    { "{\"name\": \"x\", \"train\": {\"learning_rat\": 1}}", "train.learning_rat" },
    { "{\"name\": \"x\", \"method\": \"magic\"}", "method" },
    { "{\"name\": \"x\", \"template\": \"klingon\"}", "template" },
    { "{\"description\": \"no name\"}", "name" },
    { "{\"name\": \"x\", \"train\": {\"epochs\": \"many\"}}", "train.epochs" },
  };
  g_autofree char *dir = g_dir_make_tmp ("whetstone-preset-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WhPreset preset;

      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      g_assert_false (wh_preset_load (&preset, path, &error));
      wh_preset_clear (&preset);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/preset/builtin", test_builtin);
  g_test_add_func ("/preset/auto-epochs", test_auto_epochs);
  g_test_add_func ("/preset/bad-keys", test_bad_keys);

  return g_test_run ();
}
