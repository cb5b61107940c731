/* test-train-qlora.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-model-info.h"
#include "wh-model-private.h"
#include "wh-train-run.h"
#include "wh-test-cl.h"

/* QLoRA against PyTorch (tests/reference/training/<model>/qlora): the
 * projections quantised to NF4 on load, byte for byte as the fixture
 * script's own NF4 does it, then the loss, every LoRA gradient and the
 * adapter after three AdamW steps, as PEFT computes them on the
 * dequantised weights.  Then loads in q8_0 and q4_0, the memory estimate,
 * and a whole run from a recipe on stories260K. */

static WhClContext *test_ctx;

static char *
reference_model (const char *name)
{
  return g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "models", name, NULL);
}

static WhModel *
load (const char *name,
      WhClDType   quant)
{
  g_autofree char *path = reference_model (name);
  g_autoptr(GError) error = NULL;
  WhModel *model = wh_model_load_quantized (test_ctx, path, 64, quant, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* A LoRA step on @model for the fixture's initial adapter of @name, which
 * *adapter holds. */
static WhTrainStep *
new_step (WhModel    *model,
          const char *name,
          WhAdapter **adapter)
{
  g_autofree char *initial = wh_test_training_fixture (name, "initial-adapter");
  g_autoptr(GError) error = NULL;
  WhTrainStep *step;

  *adapter = wh_adapter_load (model, initial, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, *adapter, &error));
  step = wh_train_step_new (model, *adapter, 64, &error);
  g_assert_no_error (error);
  return step;
}

/* The projection whose bytes the fixture holds is layer 0's down_proj,
 * rows of 96: a whole block of 64 and a short one of 32. */
static void
test_nf4_bytes (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = wh_test_training_fixture (name, "qlora/nf4-model.layers.0.mlp.down_proj.weight.bin");
  g_autofree char *loss_json = wh_test_training_fixture (name, "qlora/loss.json");
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *want = NULL;
  g_autofree guint8 *got = NULL;
  g_autofree char *dtypes = NULL;
  const WhWeight *w;
  gsize size;

  WH_TEST_REQUIRE (test_ctx);
  g_assert_true (g_file_get_contents (path, (char **) &want, &size, &error));
  g_assert_no_error (error);

  model = load (name, WH_CL_DTYPE_NF4);
  dtypes = wh_model_dup_dtypes (model);
  g_assert_cmpstr (dtypes, ==, "f32, nf4");

  w = &model->layers[0].w_down;
  g_assert_cmpint (w->type, ==, WH_CL_DTYPE_NF4);
  g_assert_cmpuint (w->rows, ==, wh_test_json_double (loss_json, "nf4_bytes/rows"));
  g_assert_cmpuint (w->cols, ==, wh_test_json_double (loss_json, "nf4_bytes/cols"));
  g_assert_cmpuint (wh_cl_dtype_row_bytes (w->type, w->cols), ==, wh_test_json_double (loss_json, "nf4_bytes/row_bytes"));
  g_assert_cmpuint (w->buffer->size, ==, size);
  got = g_malloc (size);
  wh_test_download (w->buffer, got, size);
  for (gsize k = 0; k < size; k++)
    if (got[k] != want[k])
      g_error ("%s: byte %" G_GSIZE_FORMAT " of the nf4 down_proj is 0x%02x, PyTorch's 0x%02x",
               name, k, got[k], want[k]);
}

/* The LoRA fixture's checks (test-train-step.c) on the NF4 model. */
static void
test_nf4_grads (gconstpointer data)
{
  const char *name = data;
  g_autofree char *batch_path = wh_test_training_fixture (name, "batch.json");
  g_autofree char *loss_json = wh_test_training_fixture (name, "qlora/loss.json");
  g_autofree char *grads = wh_test_training_fixture (name, "qlora/grads.safetensors");
  g_autofree char *after = wh_test_training_fixture (name, "qlora/after-3-steps/adapter_model.safetensors");
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GError) error = NULL;
  WhClAdamwParams adam = { 1e-3, 0.9, 0.999, 1e-8, 0.0 };
  WhTestBatch batch;
  double loss, want, worst;

  WH_TEST_REQUIRE (test_ctx);
  wh_test_batch_load (&batch, batch_path);
  model = load (name, WH_CL_DTYPE_NF4);
  step = new_step (model, name, &adapter);

  loss = wh_test_batch_accumulate (step, &batch);
  want = wh_test_json_double (loss_json, "loss");
  g_test_message ("%s: QLoRA loss %.7f, PyTorch %.7f (difference %.2g)", name, loss, want, fabs (loss - want));
  g_assert_cmpfloat (fabs (loss - want), <=, 1e-5);
  worst = wh_test_check_step_tensors (step, grads, TRUE, TRUE, 1e-3);
  g_test_message ("%s: worst relative LoRA gradient error %.2g", name, worst);

  for (guint k = 1; k <= 3; k++)
    {
      g_autofree char *step_loss = g_strdup_printf ("steps/%u/loss", k - 1);
      g_autofree char *step_norm = g_strdup_printf ("steps/%u/grad_norm_before_clip", k - 1);
      float norm;

      if (k > 1)
        loss = wh_test_batch_accumulate (step, &batch);
      g_assert_cmpfloat (fabs (loss - wh_test_json_double (loss_json, step_loss)), <=, 1e-5);
      g_assert_true (wh_train_step_optimize (step, &adam, k, 1.0, &norm, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (norm / wh_test_json_double (loss_json, step_norm) - 1), <=, 1e-4);
    }
  worst = wh_test_check_step_tensors (step, after, FALSE, FALSE, 1e-5);
  g_test_message ("%s: adapter after 3 steps, worst error %.2g", name, worst);

  wh_test_batch_clear (&batch);
}

/* Generation's path (wh_model_forward(): each NF4 projection dequantised
 * for a GEMM, for the prompt and for one token at a time) agrees with the
 * training step's on the same NF4 weights and adapter. */
static void
test_nf4_forward (void)
{
  g_autofree char *batch_path = wh_test_training_fixture ("llama-gqa", "batch.json");
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *logits = NULL;
  float last[128];
  WhTestBatch batch;
  const gint32 *ids, *targets;
  gsize n, vocab;
  double sum = 0, want = 0, diff = 0;

  WH_TEST_REQUIRE (test_ctx);
  wh_test_batch_load (&batch, batch_path);
  ids = (const gint32 *) (gpointer) ((GArray *) g_ptr_array_index (batch.ids, 0))->data;
  targets = (const gint32 *) (gpointer) ((GArray *) g_ptr_array_index (batch.targets, 0))->data;
  n = ((GArray *) g_ptr_array_index (batch.ids, 0))->len;
  model = load ("llama-gqa", WH_CL_DTYPE_NF4);
  step = new_step (model, "llama-gqa", &adapter);
  vocab = wh_model_get_config (model)->vocab_size;
  g_assert_cmpuint (vocab, ==, G_N_ELEMENTS (last));

  logits = g_new (float, n * vocab);
  g_assert_true (wh_model_forward (model, ids, n, 0, logits, n, &error));
  g_assert_no_error (error);
  for (gsize t = 0; t < n; t++)
    if (targets[t] >= 0)
      {
        const float *l = logits + t * vocab;
        double max = l[0], z = 0;

        for (gsize v = 1; v < vocab; v++)
          max = MAX (max, l[v]);
        for (gsize v = 0; v < vocab; v++)
          z += exp (l[v] - max);
        sum += max + log (z) - l[targets[t]];
      }
  g_assert_true (wh_train_step_loss (step, ids, targets, n, &want, &error));
  g_assert_no_error (error);
  g_test_message ("sequence 0: loss sum %.7f from the logits, %.7f from the step", sum, want);
  g_assert_cmpfloat (fabs (sum - want), <=, 1e-5 * fabs (want));

  g_assert_true (wh_model_forward (model, ids, n - 1, 0, NULL, 0, &error));
  g_assert_true (wh_model_forward (model, ids + n - 1, 1, n - 1, last, 1, &error));
  g_assert_no_error (error);
  for (gsize v = 0; v < vocab; v++)
    diff = MAX (diff, fabs (last[v] - logits[(n - 1) * vocab + v]));
  g_test_message ("last token alone vs in the sequence: %.2g", diff);
  g_assert_cmpfloat (diff, <=, 1e-4);

  wh_test_batch_clear (&batch);
}

/* A GGUF (llama: q and k rows permuted in the file) quantises to the same
 * NF4 rows as the Hugging Face folder, reordered: the same loss.  Tied
 * embeddings stay f32 and shared with the LM head. */
static void
test_nf4_gguf_tied (void)
{
  g_autofree char *batch_path = wh_test_training_fixture ("llama-gqa", "batch.json");
  g_autofree char *loss_json = wh_test_training_fixture ("llama-gqa", "qlora/loss.json");
  g_autoptr(WhModel) gguf = NULL;
  g_autoptr(WhModel) tied = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autofree char *dtypes = NULL;
  WhTestBatch batch;
  double loss;

  WH_TEST_REQUIRE (test_ctx);
  wh_test_batch_load (&batch, batch_path);
  gguf = load ("llama-gqa-gguf-f32/llama-gqa.gguf", WH_CL_DTYPE_NF4);
  dtypes = wh_model_dup_dtypes (gguf);
  g_assert_cmpstr (dtypes, ==, "f32, nf4");
  step = new_step (gguf, "llama-gqa", &adapter);
  loss = wh_test_batch_accumulate (step, &batch);
  g_test_message ("GGUF: QLoRA loss %.7f", loss);
  g_assert_cmpfloat (fabs (loss - wh_test_json_double (loss_json, "loss")), <=, 1e-5);

  tied = load ("llama-tied", WH_CL_DTYPE_NF4);
  g_assert_null (tied->output.buffer);
  g_assert_cmpint (tied->embed.type, ==, WH_CL_DTYPE_F32);
  g_assert_cmpint (tied->layers[1].wq.type, ==, WH_CL_DTYPE_NF4);

  wh_test_batch_clear (&batch);
}

/* The other block types QLoRA offers move the loss of the LoRA fixture
 * (f32 weights) by their rounding only; nf4, the coarsest, most. */
typedef struct
{
  WhClDType   quant;
  const char *dtypes;
  double      tolerance;
} QuantCase;

static const QuantCase quant_cases[] = {
  { WH_CL_DTYPE_Q8_0, "f32, q8_0", 1e-2 },
  { WH_CL_DTYPE_Q4_0, "f32, q4_0", 1e-1 },
  { WH_CL_DTYPE_NF4,  "f32, nf4",  1e-1 },
};

static void
test_quant_loss (void)
{
  g_autofree char *batch_path = wh_test_training_fixture ("llama-gqa", "batch.json");
  g_autofree char *loss_json = wh_test_training_fixture ("llama-gqa", "loss.json");
  double f32_loss = wh_test_json_double (loss_json, "loss");
  WhTestBatch batch;

  WH_TEST_REQUIRE (test_ctx);
  wh_test_batch_load (&batch, batch_path);
  for (guint i = 0; i < G_N_ELEMENTS (quant_cases); i++)
    {
      const QuantCase *qc = &quant_cases[i];
      g_autoptr(WhModel) model = load ("llama-gqa", qc->quant);
      g_autoptr(WhAdapter) adapter = NULL;
      g_autoptr(WhTrainStep) step = NULL;
      g_autofree char *dtypes = wh_model_dup_dtypes (model);
      double loss;

      g_assert_cmpstr (dtypes, ==, qc->dtypes);
      step = new_step (model, "llama-gqa", &adapter);
      loss = wh_test_batch_accumulate (step, &batch);
      g_test_message ("%s: loss %.6f, f32 %.6f", wh_cl_dtype_to_string (qc->quant), loss, f32_loss);
      g_assert_cmpfloat (fabs (loss - f32_loss), <=, qc->tolerance);
      g_assert_cmpfloat (loss, !=, f32_loss);
    }
  wh_test_batch_clear (&batch);
}

/* The QLoRA estimate counts the projections as they are held: for an f32
 * model far below the LoRA one, and what the loaded model takes; for a
 * model already in a block type, the LoRA estimate. */
static void
test_estimate (void)
{
  const guint all = (1u << WH_LORA_N_TARGETS) - 1;
  g_autofree char *f32_path = reference_model ("llama-gqa");
  g_autofree char *q8_path = reference_model ("llama-gqa-gguf-q8_0/llama-gqa-q8_0.gguf");
  g_auto(WhModelInfo) info = { 0 };
  g_auto(WhModelInfo) q8 = { 0 };
  g_autoptr(GError) error = NULL;
  WhMemoryEstimate lora, nf4, q8_0;
  WhModelMemory held;

  g_assert_true (wh_model_info_load (&info, f32_path, &error));
  g_assert_no_error (error);
  wh_model_info_estimate_training (&info, FALSE, 4, all, 64, &lora);
  wh_model_info_estimate_qlora (&info, WH_CL_DTYPE_NF4, 4, all, 64, &nf4);
  wh_model_info_estimate_qlora (&info, WH_CL_DTYPE_Q8_0, 4, all, 64, &q8_0);
  g_test_message ("llama-gqa weights: LoRA %" G_GUINT64_FORMAT ", q8_0 %" G_GUINT64_FORMAT
                  ", nf4 %" G_GUINT64_FORMAT " bytes", lora.weights, q8_0.weights, nf4.weights);
  g_assert_cmpuint (nf4.weights, <, lora.weights / 2);
  g_assert_cmpuint (nf4.weights, <, q8_0.weights);
  g_assert_cmpuint (q8_0.weights, <, lora.weights);
  g_assert_cmpuint (nf4.adapter, ==, lora.adapter);
  g_assert_cmpuint (nf4.activations, ==, lora.activations);

  if (test_ctx != NULL)
    {
      g_autoptr(WhModel) model = load ("llama-gqa", WH_CL_DTYPE_NF4);

      wh_model_get_memory (model, &held);
      g_assert_cmpfloat (fabs ((double) nf4.weights - (held.weights + held.scratch)), <=, 0.01 * nf4.weights);
    }

  /* Llama-3-8B-like in bf16. */
  {
    WhModelInfo big = { 0 };
    WhMemoryEstimate big_lora, big_nf4;

    big.config.vocab_size = 128256;
    big.config.hidden_size = 4096;
    big.config.intermediate_size = 14336;
    big.config.n_layers = 32;
    big.config.n_heads = 32;
    big.config.n_kv_heads = 8;
    big.config.head_dim = 128;
    big.n_params = wh_model_config_n_params (&big.config);
    big.weight_bytes = 2 * big.n_params;
    big.dtypes = (char *) "bf16";
    wh_model_info_estimate_training (&big, FALSE, 16, all, 1024, &big_lora);
    wh_model_info_estimate_qlora (&big, WH_CL_DTYPE_NF4, 16, all, 1024, &big_nf4);
    g_test_message ("8B: LoRA %.2f GB, QLoRA %.2f GB", big_lora.total / 1e9, big_nf4.total / 1e9);
    g_assert_cmpuint (big_nf4.total, <, big_lora.total / 2);
  }

  /* Already q8_0: nothing to quantise. */
  g_assert_true (wh_model_info_load (&q8, q8_path, &error));
  g_assert_no_error (error);
  wh_model_info_estimate_training (&q8, FALSE, 4, all, 64, &lora);
  wh_model_info_estimate_qlora (&q8, WH_CL_DTYPE_NF4, 4, all, 64, &nf4);
  g_assert_cmpuint (nf4.total, ==, lora.total);
}

static void
on_progress (const WhTrainProgress *p,
             gpointer               user_data)
{
  guint *steps = user_data;

  g_assert_true (isfinite (p->loss));
  *steps = p->step;
}

/* "method": "qlora" in a recipe: two steps on stories260K (NF4, whose
 * down_proj rows of 172 end in a short block), and an adapter that loads. */
static void
test_run_stories (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *model_path = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  g_autofree char *dir = NULL, *data = NULL, *run = NULL, *json = NULL, *adapter_dir = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  WhTrainCallbacks callbacks;
  WhRecipe recipe;
  guint steps = 0;

  if (model_path == NULL || !g_file_test (model_path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The shared test data (../shared/testdata/models/stories260K) is absent");
      return;
    }
  WH_TEST_REQUIRE (test_ctx);

  dir = g_dir_make_tmp ("whetstone-qlora-XXXXXX", NULL);
  data = g_build_filename (dir, "stories.jsonl", NULL);
  run = g_build_filename (dir, "run", NULL);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (text, "{\"text\": \"Tom went to the park %u times. He found a red ball and was happy.\"}\n", i + 1);
  g_assert_true (g_file_set_contents (data, text->str, -1, NULL));

  json = g_strdup_printf ("{\"model\": \"%s\", \"dataset\": {\"path\": \"stories.jsonl\"},"
                          " \"method\": \"qlora\", \"quant\": \"nf4\","
                          " \"lora\": {\"r\": 4, \"alpha\": 8, \"dropout\": 0},"
                          " \"train\": {\"epochs\": 1, \"max_steps\": 2, \"learning_rate\": 0.003,"
                          " \"warmup_steps\": 0, \"grad_accum\": 1, \"max_seq_len\": 32},"
                          " \"eval\": {\"val_fraction\": 0}}", model_path);
  wh_recipe_init (&recipe);
  g_assert_true (wh_recipe_load_from_data (&recipe, json, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpint (recipe.method, ==, WH_METHOD_QLORA);
  g_assert_cmpint (recipe.quant, ==, WH_QUANT_NF4);

  callbacks = (WhTrainCallbacks) { on_progress, NULL, &steps };
  g_assert_true (wh_train_run (test_ctx, &recipe, run, &callbacks, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (steps, ==, 2);

  adapter_dir = g_build_filename (run, "adapter", NULL);
  model = wh_model_load_quantized (test_ctx, model_path, 32, WH_CL_DTYPE_NF4, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, adapter_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (adapter);

  wh_recipe_clear (&recipe);
  wh_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/train-qlora/nf4-bytes/llama-gqa", "llama-gqa", test_nf4_bytes);
  g_test_add_data_func ("/train-qlora/nf4-bytes/qwen2", "qwen2", test_nf4_bytes);
  g_test_add_data_func ("/train-qlora/nf4-grads/llama-gqa", "llama-gqa", test_nf4_grads);
  g_test_add_data_func ("/train-qlora/nf4-grads/qwen2", "qwen2", test_nf4_grads);
  g_test_add_func ("/train-qlora/nf4-forward", test_nf4_forward);
  g_test_add_func ("/train-qlora/nf4-gguf-tied", test_nf4_gguf_tied);
  g_test_add_func ("/train-qlora/quant-loss", test_quant_loss);
  g_test_add_func ("/train-qlora/estimate", test_estimate);
  g_test_add_func ("/train-qlora/run-stories260K", test_run_stories);

  return wh_test_cl_run (&test_ctx);
}
