/* test-demo-model.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-chat-template.h"
#include "wh-model.h"
#include "wh-preset.h"
#include "wh-train-data.h"
#include "wh-train-run.h"
#include "wh-train-step.h"
#include "wh-test-cl.h"

/* The built-in demo model (data/demo): it predicts held-out text its
 * corpus generator wrote with another seed (data/demo/heldout.jsonl, never
 * trained on) far better than chance, and a short LoRA run on a sample
 * dataset lowers the validation loss. */

/* Measured on the shipped model: see data/demo/README.md.  Chance is the
 * vocabulary size, 2048.  heldout.jsonl holds the first stage's kinds
 * (stories and short chats), heldout-domain.jsonl the second stage's
 * (shop writing, cooking, app support, SQL). */
#define HELDOUT_PERPLEXITY_BOUND        3.0
#define HELDOUT_DOMAIN_PERPLEXITY_BOUND 1.6

static char *
demo_model (void)
{
  char *dir = wh_demo_model_dup_dir ();

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("The demo model is not built (%s): run make demo-model", dir);
      g_clear_pointer (&dir, g_free);
    }
  return dir;
}

/* The perplexity of the demo model on data/demo/@name, every token
 * counted. */
static void
check_perplexity (const char *name,
                  double      bound)
{
  g_autofree char *dir = demo_model ();
  g_autofree char *heldout = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autoptr(GPtrArray) seqs = NULL;
  g_autoptr(GError) error = NULL;
  WhRecipe recipe;
  double sum = 0, perplexity;
  guint64 count = 0;

  if (dir == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  heldout = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "demo", name, NULL);

  model = wh_model_load (ctx, dir, 1024, &error);
  g_assert_no_error (error);
  tmpl = wh_tokenizer_dup_chat_template (wh_model_get_tokenizer (model), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tmpl);

  wh_recipe_init (&recipe);
  recipe.train_on_all = TRUE;
  recipe.max_seq_len = 1024;
  seqs = wh_train_data_read (heldout, wh_model_get_tokenizer (model), tmpl, &recipe, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seqs->len, >, 10);

  step = wh_train_step_new_full (model, 1024, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < seqs->len; i++)
    {
      WhTrainSequence *s = g_ptr_array_index (seqs, i);
      double part;

      g_assert_true (wh_train_step_loss (step, (const gint32 *) (gpointer) s->ids->data,
                                         (const gint32 *) (gpointer) s->targets->data, s->ids->len, &part, &error));
      g_assert_no_error (error);
      sum += part;
      count += s->n_targets;
    }
  perplexity = exp (sum / count);
  g_test_message ("%s: perplexity %.3f over %" G_GUINT64_FORMAT " tokens (chance: 2048)", name, perplexity, count);
  g_assert_cmpfloat (perplexity, <, bound);
  wh_recipe_clear (&recipe);
}

static void
test_heldout_perplexity (void)
{
  check_perplexity ("heldout.jsonl", HELDOUT_PERPLEXITY_BOUND);
}

static void
test_heldout_domain_perplexity (void)
{
  check_perplexity ("heldout-domain.jsonl", HELDOUT_DOMAIN_PERPLEXITY_BOUND);
}

/* The first @n records of a CSV file, header included, cut at a record
 * boundary (quoted fields may hold line breaks). */
static char *
csv_head (const char *path,
          guint       n)
{
  g_autofree char *contents = NULL;
  gboolean quoted = FALSE;
  guint records = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (char *c = contents; *c != '\0'; c++)
    {
      if (*c == '"')
        quoted = !quoted;
      else if (*c == '\n' && !quoted && ++records == n + 1)
        return g_strndup (contents, c + 1 - contents);
    }
  return g_steal_pointer (&contents);
}

typedef struct
{
  double first_val;
  double last_val;
} Seen;

static void
on_progress (const WhTrainProgress *p,
             gpointer               user_data)
{
  Seen *seen = user_data;

  if (!isnan (p->val_loss))
    {
      if (isnan (seen->first_val))
        seen->first_val = p->val_loss;
      seen->last_val = p->val_loss;
    }
}

static void
test_lora_brand_voice (void)
{
  g_autofree char *dir = demo_model ();
  g_autofree char *preset = NULL, *sample = NULL, *head = NULL, *tmp = NULL, *data = NULL, *run = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  WhTrainCallbacks callbacks;
  WhRecipe recipe;
  Seen seen = { NAN, NAN };

  if (dir == NULL)
    return;
  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());

  /* The preset as a user picks it, on a few of its sample's rows. */
  preset = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "presets", "brand-voice.json", NULL);
  sample = g_build_filename (g_getenv ("WHETSTONE_DATA_DIR"), "samples", "brand-voice.csv", NULL);
  tmp = g_dir_make_tmp ("whetstone-demo-XXXXXX", NULL);
  data = g_build_filename (tmp, "brand-voice.csv", NULL);
  run = g_build_filename (tmp, "run", NULL);
  head = csv_head (sample, 20);
  g_assert_true (g_file_set_contents (data, head, -1, NULL));

  g_assert_true (wh_recipe_load (&recipe, preset, &error));
  g_assert_no_error (error);
  g_free (recipe.dataset_path);
  recipe.dataset_path = g_strdup (data);
  g_clear_pointer (&recipe.model, g_free);   /* the demo model */
  recipe.epochs = 2;
  recipe.grad_accum = 2;
  recipe.warmup_steps = 2;
  recipe.val_fraction = 0.2;
  recipe.eval_every_steps = 4;

  callbacks = (WhTrainCallbacks) { on_progress, NULL, &seen };
  g_assert_true (wh_train_run (ctx, &recipe, run, &callbacks, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("validation loss %.4f → %.4f", seen.first_val, seen.last_val);
  g_assert_cmpfloat (seen.last_val, <, seen.first_val);

  /* The preset's "auto" learning rate, as the run's recipe records it:
   * the demo model is 256 wide. */
  {
    g_autofree char *saved = g_build_filename (run, "recipe.json", NULL);
    WhRecipe used;

    g_assert_true (wh_recipe_load (&used, saved, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (used.learning_rate, wh_recipe_auto_learning_rate (WH_METHOD_LORA, 256), 1e-12);
    wh_recipe_clear (&used);
  }

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/demo-model/heldout-perplexity", test_heldout_perplexity);
  g_test_add_func ("/demo-model/heldout-domain-perplexity", test_heldout_domain_perplexity);
  g_test_add_func ("/demo-model/lora-brand-voice", test_lora_brand_voice);
  return g_test_run ();
}
