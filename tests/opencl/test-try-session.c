/* test-try-session.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wh-train-run.h"
#include "wh-try-session.h"
#include "wh-test-cl.h"

/* Try It's compute-thread side on a real run: a QLoRA run of stories260K
 * is tried as it trains, its base model quantised to the run's quant
 * (not loaded in full precision beside the trainer's copy), answering
 * from the base model and with the run's adapter on. */

static WhClContext *test_ctx;

static char *
stories_path (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  char *path = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;

  if (path != NULL && !g_file_test (path, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&path, g_free);
  return path;
}

/* A few steps of @method on stories260K in DIR/run, whose recipe.json is
 * returned in @recipe. */
static void
train (const char *dir,
       const char *model_path,
       const char *method,
       WhRecipe   *recipe)
{
  g_autofree char *data = g_build_filename (dir, "stories.jsonl", NULL);
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autofree char *run_recipe = g_build_filename (run, "recipe.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  WhRecipe asked;

  for (guint i = 0; i < 8; i++)
    g_string_append (text, "{\"text\": \"Tom went to the park. He found a red ball and was happy.\"}\n");
  g_assert_true (g_file_set_contents (data, text->str, -1, NULL));

  json = g_strdup_printf ("{\"model\": \"%s\", \"dataset\": {\"path\": \"stories.jsonl\"},"
                          " \"method\": \"%s\", \"quant\": \"nf4\","
                          " \"lora\": {\"r\": 8, \"alpha\": 16, \"dropout\": 0},"
                          " \"train\": {\"epochs\": 1, \"max_steps\": 6, \"learning_rate\": 0.02,"
                          " \"warmup_steps\": 0, \"grad_accum\": 1, \"max_seq_len\": 32},"
                          " \"eval\": {\"val_fraction\": 0}}", model_path, method);
  wh_recipe_init (&asked);
  g_assert_true (wh_recipe_load_from_data (&asked, json, dir, &error));
  g_assert_no_error (error);
  g_assert_true (wh_train_run (test_ctx, &asked, run, NULL, NULL, &error));
  g_assert_no_error (error);
  wh_recipe_clear (&asked);

  /* As Try It reads it: the run's own copy. */
  wh_recipe_init (recipe);
  g_assert_true (wh_recipe_load (recipe, run_recipe, &error));
  g_assert_no_error (error);
}

static char *
answer (WhTrySession *session,
        const char   *checkpoint)
{
  const char *turns[] = { "Tom went to the", NULL };
  WhTryRequest request = { .checkpoint = checkpoint, .is_adapter = TRUE, .turns = turns };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  WhGenerateStats stats;

  wh_generate_options_init (&request.options);
  request.options.max_tokens = 12;
  request.options.sampler.temperature = 0;
  g_assert_true (wh_try_session_answer (session, test_ctx, &request, NULL, text, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.generated_tokens, >, 0);
  g_assert_cmpuint (text->len, >, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The base model loads as the run trains it: a QLoRA run's quantised to
 * its quant, a LoRA run's as stored. */
static void
test_base_as_trained (gconstpointer data)
{
  const char *method = data;
  g_autofree char *model_path = stories_path ();
  g_autofree char *dir = NULL, *base = NULL, *tuned = NULL, *adapter = NULL, *dtypes = NULL;
  g_autoptr(WhTrySession) session = NULL;
  gboolean qlora = g_str_equal (method, "qlora");
  WhRecipe recipe;

  if (model_path == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K/hf) is absent");
      return;
    }
  WH_TEST_REQUIRE (test_ctx);

  dir = g_dir_make_tmp ("whetstone-try-XXXXXX", NULL);
  train (dir, model_path, method, &recipe);
  g_assert_cmpint (recipe.method, ==, qlora ? WH_METHOD_QLORA : WH_METHOD_LORA);

  session = wh_try_session_new (&recipe);
  g_assert_null (wh_try_session_get_base (session));

  base = answer (session, NULL);
  g_assert_nonnull (wh_try_session_get_base (session));
  dtypes = wh_model_dup_dtypes (wh_try_session_get_base (session));
  g_test_message ("%s base: %s; answers “%s”", method, dtypes, base);
  g_assert_true ((strstr (dtypes, "nf4") != NULL) == qlora);

  adapter = g_build_filename (dir, "run", "adapter", NULL);
  tuned = answer (session, adapter);
  g_test_message ("with the adapter: “%s”", tuned);
  g_assert_cmpstr (tuned, !=, base);

  /* The adapter is off again for the base model's next answer. */
  g_free (base);
  base = answer (session, NULL);
  g_assert_cmpstr (tuned, !=, base);

  g_clear_pointer (&session, wh_try_session_unref);
  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

/* A device without room for the base model beside what it holds
 * already: refused before any weight loads, with the numbers. */
static void
test_no_room (void)
{
  g_autofree char *model_path = stories_path ();
  g_autofree char *json = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhClBuffer) held = NULL;
  g_autoptr(WhTrySession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(WhModelInfo) info = { 0 };
  const char *turns[] = { "Tom went to the", NULL };
  WhTryRequest request = { .turns = turns };
  g_autoptr(GString) text = g_string_new (NULL);
  WhGenerateStats stats;
  WhMemoryEstimate e;
  WhRecipe recipe;

  if (model_path == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K/hf) is absent");
      return;
    }
  WH_TEST_REQUIRE (device = wh_test_cl_device ());

  json = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"qlora\", \"quant\": \"nf4\","
                          " \"train\": {\"max_seq_len\": 32}}", model_path);
  wh_recipe_init (&recipe);
  g_assert_true (wh_recipe_load_from_data (&recipe, json, NULL, &error));
  g_assert_no_error (error);
  session = wh_try_session_new (&recipe);
  wh_generate_options_init (&request.options);
  request.options.max_tokens = 4;

  /* The device's memory: what the quantised base needs, less a little;
   * the trainer's buffers take the rest. */
  g_assert_true (wh_model_info_load (&info, model_path, &error));
  wh_model_info_estimate_inference_quantized (&info, WH_CL_DTYPE_NF4, 1024, &e);
  device->global_mem_size = e.total + 4096;
  ctx = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  held = wh_test_buffer_new (ctx, 8192);

  g_assert_false (wh_try_session_answer (session, ctx, &request, NULL, text, &stats, &error));
  g_assert_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, device->name));
  g_assert_nonnull (strstr (error->message, "training"));
  g_assert_null (wh_try_session_get_base (session));
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 8192);

  wh_recipe_clear (&recipe);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/try-session/qlora-stories260K", "qlora", test_base_as_trained);
  g_test_add_data_func ("/try-session/lora-stories260K", "lora", test_base_as_trained);
  g_test_add_func ("/try-session/no-room", test_no_room);

  return wh_test_cl_run (&test_ctx);
}
