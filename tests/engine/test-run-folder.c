/* test-run-folder.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wh-run-folder.h"

/* A run folder as its users read it: the checkpoints listed in order,
 * the result and the history of a run that is over, the template chosen
 * as training chooses it, and an adapter copied out whole or not at
 * all. */

static char *tmp_dir;

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
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

static char *
make_dir (const char *first,
          ...)
{
  va_list args;
  g_autofree char *relative = NULL;
  char *path;

  va_start (args, first);
  relative = g_build_filename_valist (first, &args);
  va_end (args);
  path = g_build_filename (tmp_dir, relative, NULL);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  return path;
}

/* A checkpoint as the trainer writes one: @weights tells it apart. */
static char *
make_checkpoint (const char *run,
                 const char *name,
                 int         step,
                 gboolean    adapter,
                 const char *weights)
{
  char *dir = make_dir (run, "checkpoints", name, NULL);
  g_autofree char *config = g_build_filename (dir, adapter ? "adapter_config.json" : "config.json", NULL);
  g_autofree char *model = g_build_filename (dir, adapter ? "adapter_model.safetensors" : "model.safetensors", NULL);
  g_autofree char *optimizer = g_build_filename (dir, "optimizer.safetensors", NULL);

  write_text (config, "{\"peft_type\": \"LORA\"}");
  write_text (model, weights);
  write_text (optimizer, "moments");
  if (step >= 0)
    {
      g_autofree char *state = g_build_filename (dir, "trainer_state.json", NULL);
      g_autofree char *text = g_strdup_printf ("{\"step\": %d, \"epoch\": 2, \"next_example\": 0}", step);

      write_text (state, text);
    }
  return dir;
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *run = make_dir ("list", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  static const struct {
    const char *name;
    guint       step;
    guint       epoch;
    guint       in_epoch;
    gboolean    is_adapter;
  } expected[] = {
    { "step-2", 2, 0, 2, TRUE },
    { "epoch-1", 4, 1, 1, TRUE },
    { "step-6", 6, 0, 0, TRUE },
    { "epoch-2", 8, 2, 2, FALSE },
    { "step-10", 10, 0, 2, TRUE },
  };

  /* No checkpoints/ yet: none, and no error. */
  list = wh_run_folder_list_checkpoints (run, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  a = make_checkpoint ("list", "epoch-1", 4, TRUE, "a");
  b = make_checkpoint ("list", "step-10", 10, TRUE, "b");
  c = make_checkpoint ("list", "step-2", 2, TRUE, "c");
  /* Full fine-tuning: the whole model. */
  d = make_checkpoint ("list", "epoch-2", 8, FALSE, "d");
  /* From a run stopped before the state was written by older builds:
   * the name says the step. */
  e = make_checkpoint ("list", "step-6", -1, TRUE, "e");
  /* Half-written, and not a checkpoint at all. */
  g_free (make_checkpoint ("list", ".epoch-3.partial", 12, TRUE, "f"));
  g_free (make_dir ("list", "checkpoints", "notes", NULL));

  list = wh_run_folder_list_checkpoints (run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < list->len; i++)
    {
      WhRunCheckpoint *checkpoint = g_ptr_array_index (list, i);
      g_autofree char *path = g_build_filename (run, "checkpoints", expected[i].name, NULL);

      g_assert_cmpstr (checkpoint->name, ==, expected[i].name);
      g_assert_cmpstr (checkpoint->path, ==, path);
      g_assert_cmpuint (checkpoint->step, ==, expected[i].step);
      g_assert_cmpuint (checkpoint->epoch, ==, expected[i].epoch);
      g_assert_cmpuint (checkpoint->in_epoch, ==, expected[i].in_epoch);
      g_assert_cmpint (checkpoint->is_adapter, ==, expected[i].is_adapter);
      g_assert_true (wh_run_folder_is_adapter (path) == expected[i].is_adapter);
    }
}

static void
assert_adapter_copy (const char *dest,
                     const char *weights)
{
  g_autofree char *config = g_build_filename (dest, "adapter_config.json", NULL);
  g_autofree char *model = g_build_filename (dest, "adapter_model.safetensors", NULL);
  g_autofree char *text = read_text (model);

  g_assert_true (wh_run_folder_is_adapter (dest));
  g_assert_cmpstr (text, ==, weights);
  /* The adapter only, not the training state. */
  g_assert_cmpuint (count_entries (dest), ==, 2);
}

/* Two epochs of two steps, the second one's line from before the run's
 * length was written, a line cut short, a checkpoint each epoch and the
 * adapter at the end. */
static void
test_history (void)
{
  g_autofree char *run = make_dir ("history", NULL);
  g_autofree char *metrics = g_build_filename (run, "metrics.jsonl", NULL);
  g_autofree char *epoch_1 = NULL, *epoch_2 = NULL, *adapter = NULL, *weights = NULL, *config = NULL;
  g_autoptr(GArray) history = NULL;
  g_autoptr(WhRunCheckpoint) result = NULL;
  g_autoptr(GError) error = NULL;
  const WhTrainProgress *p;

  /* Nothing yet: no steps, no result. */
  history = wh_run_folder_read_history (run, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 0);
  g_clear_pointer (&history, g_array_unref);
  g_assert_null (wh_run_folder_find_result (run, NULL));

  write_text (metrics,
              "{\"step\": 1, \"epoch\": 1, \"loss\": 2.5, \"val_loss\": null, \"lr\": 0.0002, \"grad_norm\": 1.5, "
              "\"tokens_per_second\": 100.0, \"total_steps\": 4, \"epochs\": 2, \"elapsed_seconds\": 1.5}\n"
              "{\"step\": 2, \"epoch\": 1, \"loss\": 2.25, \"val_loss\": 2.4, \"lr\": 0.0001, \"grad_norm\": 1.25, "
              "\"tokens_per_second\": 110.0}\n"
              "{\"step\": 3, \"epoch\": 2, \"loss\": 2.0, \"val_loss\": null, \"lr\": 0.0001, \"grad_norm\": 1.0, "
              "\"tokens_per_second\": 120.0, \"total_steps\": 4, \"epochs\": 2, \"elapsed_seconds\": 4.5}\n"
              "{\"step\": 4, \"epoch\": 2, \"loss\": 1.75, \"val_loss\": 2.1, \"lr\": 0.0, \"grad_norm\": 0.5, "
              "\"tokens_per_second\": 130.0, \"total_steps\": 4, \"epochs\": 2, \"elapsed_seconds\": 6.0}\n"
              "{\"step\": 5, \"epoch\": 2, \"loss\": 1.");
  epoch_1 = make_checkpoint ("history", "epoch-1", 2, TRUE, "a");
  epoch_2 = make_checkpoint ("history", "epoch-2", 4, TRUE, "b");

  history = wh_run_folder_read_history (run, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  for (guint i = 0; i < history->len; i++)
    {
      p = &g_array_index (history, WhTrainProgress, i);
      g_assert_cmpuint (p->step, ==, i + 1);
      g_assert_cmpuint (p->epoch, ==, i / 2 + 1);
      g_assert_cmpuint (p->total_steps, ==, 4);
      g_assert_cmpuint (p->n_epochs, ==, 2);
      g_assert_cmpfloat (p->loss, ==, 2.5 - 0.25 * i);
      g_assert_cmpfloat (p->tokens_per_second, ==, 100 + 10 * i);
      g_assert_true (isnan (p->eta));
    }
  p = &g_array_index (history, WhTrainProgress, 0);
  g_assert_true (isnan (p->val_loss));
  g_assert_null (p->checkpoint);
  g_assert_cmpfloat (p->elapsed, ==, 1.5);
  g_assert_cmpfloat (p->learning_rate, ==, 0.0002);
  p = &g_array_index (history, WhTrainProgress, 1);
  g_assert_cmpfloat (p->val_loss, ==, 2.4);
  g_assert_cmpfloat (p->grad_norm, ==, 1.25);
  g_assert_true (isnan (p->elapsed));
  g_assert_cmpstr (p->checkpoint, ==, epoch_1);
  p = &g_array_index (history, WhTrainProgress, 3);
  g_assert_cmpstr (p->checkpoint, ==, epoch_2);
  g_assert_cmpfloat (p->elapsed, ==, 6.0);

  /* Without the checkpoints, the metrics alone. */
  g_clear_pointer (&history, g_array_unref);
  history = wh_run_folder_read_metrics (run, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 4);
  g_assert_null (g_array_index (history, WhTrainProgress, 3).checkpoint);

  /* The adapter, half written and then whole; then written elsewhere. */
  adapter = make_dir ("history", "adapter", NULL);
  weights = g_build_filename (adapter, "adapter_model.safetensors", NULL);
  config = g_build_filename (adapter, "adapter_config.json", NULL);
  write_text (weights, "c");
  g_assert_null (wh_run_folder_find_result (run, NULL));
  write_text (config, "{\"peft_type\": \"LORA\"}");
  result = wh_run_folder_find_result (run, NULL);
  g_assert_nonnull (result);
  g_assert_cmpstr (result->name, ==, "adapter");
  g_assert_cmpstr (result->path, ==, adapter);
  g_assert_cmpuint (result->step, ==, 4);
  g_assert_true (result->is_adapter);
  g_assert_true (result->is_result);
  g_clear_pointer (&result, wh_run_checkpoint_free);
  {
    g_autofree char *out = make_dir ("history-out", NULL);
    g_autofree char *model = make_dir ("history-out", "model", NULL);
    g_autofree char *file = g_build_filename (model, "model.safetensors", NULL);

    g_assert_null (wh_run_folder_find_result (run, out));
    write_text (file, "d");
    result = wh_run_folder_find_result (run, out);
    g_assert_nonnull (result);
    g_assert_cmpstr (result->name, ==, "model");
    g_assert_cmpstr (result->path, ==, model);
    g_assert_false (result->is_adapter);
    g_assert_true (result->is_result);
  }
}

static void
test_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = make_checkpoint ("copy-run", "epoch-1", 3, TRUE, "first");
  g_autofree char *second = make_checkpoint ("copy-run", "epoch-2", 6, TRUE, "second");
  g_autofree char *full = make_checkpoint ("copy-run", "epoch-3", 9, FALSE, "full");
  g_autofree char *out = make_dir ("copy-out", NULL);
  g_autofree char *dest = g_build_filename (out, "my-adapter", NULL);
  g_autofree char *empty = make_dir ("copy-out", "empty", NULL);
  g_autofree char *file = g_build_filename (out, "a-file", NULL);
  g_autofree char *nowhere = g_build_filename (out, "no-such-folder", "adapter", NULL);
  g_autofree char *kept = NULL;

  /* A new folder. */
  g_assert_true (wh_adapter_folder_copy (first, dest, FALSE, &error));
  g_assert_no_error (error);
  assert_adapter_copy (dest, "first");

  /* An existing one is left alone unless replacing was asked for. */
  g_assert_false (wh_adapter_folder_copy (second, dest, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  assert_adapter_copy (dest, "first");
  g_assert_true (wh_adapter_folder_copy (second, dest, TRUE, &error));
  g_assert_no_error (error);
  assert_adapter_copy (dest, "second");

  /* An empty folder is there to be filled. */
  g_assert_true (wh_adapter_folder_copy (first, empty, FALSE, &error));
  g_assert_no_error (error);
  assert_adapter_copy (empty, "first");

  /* A file in the way, likewise. */
  write_text (file, "mine");
  g_assert_false (wh_adapter_folder_copy (first, file, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  kept = read_text (file);
  g_assert_cmpstr (kept, ==, "mine");
  g_assert_true (wh_adapter_folder_copy (first, file, TRUE, &error));
  g_assert_no_error (error);
  assert_adapter_copy (file, "first");

  /* Nothing half-done is left beside them. */
  g_assert_cmpuint (count_entries (out), ==, 3);

  /* What cannot be done says why, and changes nothing. */
  g_assert_false (wh_adapter_folder_copy (full, dest, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (wh_adapter_folder_copy (first, nowhere, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Replacing the checkpoint, or its run, would delete the adapter. */
  g_assert_false (wh_adapter_folder_copy (first, first, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  {
    g_autofree char *run = g_build_filename (tmp_dir, "copy-run", NULL);

    g_assert_false (wh_adapter_folder_copy (first, run, TRUE, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
  }
  assert_adapter_copy (dest, "second");
  g_assert_cmpuint (count_entries (out), ==, 3);
  g_assert_true (wh_run_folder_is_adapter (first));
}

static void
test_template (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "tokenizers", "bytelevel-qwen2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = wh_tokenizer_new_from_file (dir, &error);
  g_autoptr(WhChatTemplate) tmpl = NULL;
  WhRecipe recipe;

  g_assert_no_error (error);
  wh_recipe_init (&recipe);

  /* Named by the recipe. */
  g_free (recipe.template);
  recipe.template = g_strdup ("chatml");
  recipe.dataset_format = WH_DATASET_FORMAT_OPENAI;
  tmpl = wh_run_folder_dup_chat_template (&recipe, tok, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tmpl);
  g_assert_cmpint (wh_chat_template_get_family (tmpl), ==, WH_CHAT_FAMILY_CHATML);
  g_clear_pointer (&tmpl, wh_chat_template_free);

  /* Plain text trains without one. */
  recipe.dataset_format = WH_DATASET_FORMAT_TEXT;
  g_assert_null (wh_run_folder_dup_chat_template (&recipe, tok, &error));
  g_assert_no_error (error);

  /* “auto” with a tokenizer that has none: none. */
  recipe.dataset_format = WH_DATASET_FORMAT_OPENAI;
  g_free (recipe.template);
  recipe.template = g_strdup ("auto");
  g_assert_null (wh_run_folder_dup_chat_template (&recipe, tok, &error));
  g_assert_no_error (error);

  /* A name that is no family. */
  g_free (recipe.template);
  recipe.template = g_strdup ("no-such-family");
  g_assert_null (wh_run_folder_dup_chat_template (&recipe, tok, &error));
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY);

  wh_recipe_clear (&recipe);
}

/* The playground's system prompt when the recipe sets none: the one the
 * training examples share, and none when they differ or have none. */
static void
test_shared_system_prompt (void)
{
  static const struct { const char *name; const char *lines; const char *expected; } cases[] = {
    { "shared",
      "{\"line\":1,\"messages\":[{\"role\":\"system\",\"content\":\"You help with Kestrel.\"},"
      "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n"
      "{\"line\":2,\"messages\":[{\"role\":\"system\",\"content\":\"You help with Kestrel.\"},"
      "{\"role\":\"user\",\"content\":\"Bye\"},{\"role\":\"assistant\",\"content\":\"See you\"}]}\n",
      "You help with Kestrel." },
    { "differ",
      "{\"messages\":[{\"role\":\"system\",\"content\":\"A\"},{\"role\":\"user\",\"content\":\"Hi\"}]}\n"
      "{\"messages\":[{\"role\":\"system\",\"content\":\"B\"},{\"role\":\"user\",\"content\":\"Hi\"}]}\n",
      NULL },
    { "some-without",
      "{\"messages\":[{\"role\":\"system\",\"content\":\"A\"},{\"role\":\"user\",\"content\":\"Hi\"}]}\n"
      "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}\n",
      NULL },
    { "text", "{\"text\":\"Once upon a time\"}\n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *run = make_dir ("system-prompt", cases[i].name, "dataset", NULL);
      g_autofree char *train = g_build_filename (run, "train.jsonl", NULL);
      g_autofree char *run_dir = g_path_get_dirname (run);
      g_autofree char *shared = NULL;

      write_text (train, cases[i].lines);
      shared = wh_run_folder_dup_shared_system_prompt (run_dir);
      g_assert_cmpstr (shared, ==, cases[i].expected);
    }

  /* No copy of the examples yet */
  {
    g_autofree char *run = make_dir ("system-prompt", "empty", NULL);

    g_assert_null (wh_run_folder_dup_shared_system_prompt (run));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmp_dir = g_dir_make_tmp ("whetstone-run-folder-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/whetstone/run-folder/list", test_list);
  g_test_add_func ("/whetstone/run-folder/history", test_history);
  g_test_add_func ("/whetstone/run-folder/copy", test_copy);
  g_test_add_func ("/whetstone/run-folder/template", test_template);
  g_test_add_func ("/whetstone/run-folder/shared-system-prompt", test_shared_system_prompt);

  status = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
