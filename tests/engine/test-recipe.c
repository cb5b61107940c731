/* test-recipe.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-adapter.h"
#include "wh-recipe.h"

/* Recipes: defaults, every key read, errors naming the key, and the
 * run's copy reading back to the same recipe. */

static void
test_defaults (void)
{
  WhRecipe r;
  g_autoptr(GError) error = NULL;

  wh_recipe_init (&r);
  g_assert_true (wh_recipe_load_from_data (&r, "{\"dataset\": \"data.jsonl\"}", "/tmp", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r.dataset_path, ==, "/tmp/data.jsonl");
  g_assert_cmpint (r.method, ==, WH_METHOD_LORA);
  g_assert_cmpuint (r.lora_r, ==, 16);
  g_assert_cmpuint (r.lora_targets, ==, (1u << WH_LORA_N_TARGETS) - 1);
  g_assert_cmpuint (r.epochs, ==, 0);
  g_assert_cmpfloat (r.learning_rate, ==, 0);
  g_assert_cmpint (r.schedule, ==, WH_SCHEDULE_COSINE);
  g_assert_cmpfloat (r.grad_clip, ==, 1.0);
  wh_recipe_clear (&r);
}

static void
test_round_trip (void)
{
  const char *json =
    "{\"name\": \"t\", \"model\": \"/models/m\", \"dataset\": {\"path\": \"d.csv\", \"format\": \"columns\","
    " \"columns\": {\"q\": \"user\", \"a\": \"assistant\"}}, \"template\": \"chatml\", \"system_prompt\": \"Be kind.\","
    " \"train_on\": \"all\", \"method\": \"qlora\", \"quant\": \"q4_0\","
    " \"lora\": {\"r\": 8, \"alpha\": 16, \"dropout\": 0, \"targets\": [\"q_proj\", \"v_proj\"], \"use_rslora\": true},"
    " \"train\": {\"epochs\": 2, \"learning_rate\": 0.001, \"schedule\": \"linear\", \"warmup_steps\": 5,"
    " \"weight_decay\": 0.01, \"batch_size\": 2, \"grad_accum\": 3, \"max_seq_len\": 256, \"packing\": true,"
    " \"shuffle\": false, \"seed\": 7, \"grad_clip\": 0.5}, \"eval\": {\"val_fraction\": 0.2, \"every_steps\": 50},"
    " \"output_dir\": \"out\", \"device\": \"0\"}";
  WhRecipe a, b;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whetstone-recipe-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "recipe.json", NULL);

  wh_recipe_init (&a);
  g_assert_true (wh_recipe_load_from_data (&a, json, "/base", &error));
  g_assert_no_error (error);
  g_assert_cmpint (a.method, ==, WH_METHOD_QLORA);
  g_assert_cmpint (a.quant, ==, WH_QUANT_Q4_0);
  g_assert_cmpuint (a.lora_targets, ==, (1u << WH_LORA_Q_PROJ) | (1u << WH_LORA_V_PROJ));
  g_assert_true (a.train_on_all);
  g_assert_cmpstr (a.output_dir, ==, "/base/out");

  node = wh_recipe_to_json (&a);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  wh_recipe_init (&b);
  g_assert_true (wh_recipe_load_from_data (&b, text, "/elsewhere", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (b.model, ==, a.model);
  g_assert_cmpstr (b.dataset_path, ==, a.dataset_path);
  g_assert_cmpstrv (b.dataset_columns, a.dataset_columns);
  g_assert_cmpstr (b.system_prompt, ==, a.system_prompt);
  g_assert_cmpuint (b.lora_r, ==, a.lora_r);
  g_assert_cmpuint (b.lora_targets, ==, a.lora_targets);
  g_assert_true (b.use_rslora);
  g_assert_cmpuint (b.epochs, ==, 2);
  g_assert_cmpfloat (b.learning_rate, ==, a.learning_rate);
  g_assert_cmpint (b.schedule, ==, WH_SCHEDULE_LINEAR);
  g_assert_cmpuint (b.grad_accum, ==, 3);
  g_assert_true (b.packing);
  g_assert_false (b.shuffle);
  g_assert_cmpuint (b.seed, ==, 7);
  g_assert_cmpfloat (b.val_fraction, ==, 0.2);
  g_assert_cmpuint (b.eval_every_steps, ==, 50);

  g_assert_true (wh_recipe_save (&b, saved, &error));
  wh_recipe_clear (&b);
  g_assert_true (wh_recipe_load (&b, saved, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (b.grad_clip, ==, 0.5);
  wh_recipe_clear (&a);
  wh_recipe_clear (&b);
  g_unlink (saved);
  g_rmdir (dir);
}

static void
test_errors (void)
{
  static const struct { const char *json; const char *mentions; } cases[] = {
    { "{\"epocs\": 3}", "epocs" },
    { "{\"lora\": {\"r\": \"16\"}}", "lora.r" },
    { "{\"lora\": {\"r\": 0}}", "lora.r" },
    { "{\"lora\": {\"targets\": [\"lm_head\"]}}", "lora.targets" },
    { "{\"train\": {\"learning_rate\": -1}}", "train.learning_rate" },
    { "{\"train\": {\"learning_rate\": \"fast\"}}", "train.learning_rate" },
    { "{\"train\": {\"schedule\": \"exponential\"}}", "train.schedule" },
    { "{\"train\": {\"packing\": \"yes\"}}", "train.packing" },
    { "{\"eval\": {\"val_fraction\": 0.9}}", "eval.val_fraction" },
    { "{\"dataset\": {\"columns\": {\"q\": 1}}}", "dataset.columns.q" },
    { "{\"dataset\": {\"format\": \"xlsx\"}}", "dataset.format" },
    { "{\"method\": \"dpo\"}", "method" },
    { "[1]", "(top)" },
    { "{\"name\": ", "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WhRecipe r;

      wh_recipe_init (&r);
      g_assert_false (wh_recipe_load_from_data (&r, cases[i].json, "/tmp", &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      wh_recipe_clear (&r);
    }
}

static void
test_auto_learning_rate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *train;
  WhRecipe r;

  wh_recipe_init (&r);
  g_assert_true (wh_recipe_load_from_data (&r, "{\"train\": {\"learning_rate\": \"auto\"}}", "/tmp", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (r.learning_rate, ==, 0);
  node = wh_recipe_to_json (&r);
  train = json_object_get_object_member (json_node_get_object (node), "train");
  g_assert_cmpstr (json_object_get_string_member (train, "learning_rate"), ==, "auto");
  /* "auto" resolves by the width; a rate of its own is kept, whatever the width */
  g_assert_cmpfloat_with_epsilon (wh_recipe_get_learning_rate (&r, 256), 3.2e-3, 1e-12);
  r.learning_rate = 1e-3;
  g_assert_cmpfloat (wh_recipe_get_learning_rate (&r, 256), ==, 1e-3);
  wh_recipe_clear (&r);

  /* LoRA: 2e-4 at 4096 wide, inversely with the width, within [1e-4, 5e-3] */
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_LORA, 4096), 2e-4, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_QLORA, 2048), 4e-4, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_LORA, 256), 3.2e-3, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_LORA, 64), 5e-3, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_LORA, 16384), 1e-4, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_LORA, 0), 2e-4, 1e-12);
  /* Full fine-tuning: ten times smaller */
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_FULL, 4096), 2e-5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wh_recipe_auto_learning_rate (WH_METHOD_FULL, 256), 3.2e-4, 1e-12);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/recipe/defaults", test_defaults);
  g_test_add_func ("/recipe/round-trip", test_round_trip);
  g_test_add_func ("/recipe/errors", test_errors);
  g_test_add_func ("/recipe/auto-learning-rate", test_auto_learning_rate);

  return g_test_run ();
}
