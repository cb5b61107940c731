/* test-train-step.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "wh-safetensors.h"
#include "wh-train-step.h"
#include "wh-test-cl.h"

/* A LoRA training step against PyTorch (tests/reference/training): the
 * loss and every gradient of A and B for a fixed masked batch, and the
 * adapter after three AdamW steps with clipping. */

/* One context for every case: making one costs PoCL seconds. */
static WhClContext *test_ctx;

static char *
fixture (const char *model,
         const char *name)
{
  return g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "training", model, name, NULL);
}

typedef struct
{
  GArray   *ids[2];
  GArray   *targets[2];
  guint     n_targets;
  gboolean  packed;      /* both sequences in one, as sequence packing does */
} Batch;

static void
read_batch (const char *model,
            Batch      *batch)
{
  g_autofree char *path = fixture (model, "batch.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  batch->n_targets = json_object_get_int_member (root, "n_target_tokens");
  for (guint s = 0; s < 2; s++)
    {
      JsonArray *ids = json_array_get_array_element (json_object_get_array_member (root, "input_ids"), s);
      JsonArray *targets = json_array_get_array_element (json_object_get_array_member (root, "targets"), s);

      batch->ids[s] = g_array_new (FALSE, FALSE, sizeof (gint32));
      batch->targets[s] = g_array_new (FALSE, FALSE, sizeof (gint32));
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          gint32 id = json_array_get_int_element (ids, i);
          gint32 target = json_array_get_int_element (targets, i);

          g_array_append_val (batch->ids[s], id);
          g_array_append_val (batch->targets[s], target);
        }
    }
}

static void
batch_clear (Batch *batch)
{
  for (guint s = 0; s < 2; s++)
    {
      g_array_unref (batch->ids[s]);
      g_array_unref (batch->targets[s]);
    }
}

/* loss.json's "loss", or with @group its member's "loss". */
static double
read_loss_of (const char *model,
              const char *group)
{
  g_autofree char *path = fixture (model, "loss.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  if (group != NULL)
    root = json_object_get_object_member (root, group);
  return json_object_get_double_member (root, "loss");
}

static double
read_loss (const char *model)
{
  return read_loss_of (model, NULL);
}

/* Both sequences of @batch packed into one: their gradients must be
 * those of the two apart, which PyTorch computed. */
static double
accumulate_packed (WhTrainStep *step,
                   Batch       *batch)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) seg = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  double loss = 0;

  for (gint32 s = 0; s < 2; s++)
    {
      g_array_append_vals (ids, batch->ids[s]->data, batch->ids[s]->len);
      g_array_append_vals (targets, batch->targets[s]->data, batch->targets[s]->len);
      for (guint t = 0; t < batch->ids[s]->len; t++)
        g_array_append_val (seg, s);
    }
  g_assert_true (wh_train_step_accumulate_packed (step, (const gint32 *) (gpointer) ids->data,
                                                  (const gint32 *) (gpointer) targets->data,
                                                  (const gint32 *) (gpointer) seg->data, ids->len,
                                                  1.0f / batch->n_targets, &loss, &error));
  g_assert_no_error (error);
  return loss / batch->n_targets;
}

/* zero_grad, then both sequences of the batch; returns the mean loss. */
static double
accumulate_batch (WhTrainStep *step,
                  Batch       *batch)
{
  g_autoptr(GError) error = NULL;
  double loss = 0;

  g_assert_true (wh_train_step_zero_grad (step, &error));
  if (batch->packed)
    return accumulate_packed (step, batch);
  for (guint s = 0; s < 2; s++)
    {
      double part = 0;

      g_assert_true (wh_train_step_accumulate (step, (const gint32 *) (gpointer) batch->ids[s]->data,
                                               (const gint32 *) (gpointer) batch->targets[s]->data,
                                               batch->ids[s]->len, 1.0f / batch->n_targets, &part, &error));
      g_assert_no_error (error);
      loss += part;
    }
  return loss / batch->n_targets;
}

static char *
reference_model (const char *name)
{
  return g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "models", name, NULL);
}

static float *
read_buffer (WhClBuffer *buffer,
             gsize       n)
{
  g_autoptr(GError) error = NULL;
  float *data = g_new (float, n);

  g_assert_nonnull (buffer);
  g_assert_true (wh_cl_buffer_read (buffer, 0, data, n * sizeof (float), &error));
  g_assert_no_error (error);
  return data;
}

/* The reference model @name and a full fine-tuning step for it. */
static WhTrainStep *
new_full_step (WhClContext  *ctx,
               const char   *name,
               WhModel     **model)
{
  g_autofree char *base = reference_model (name);
  g_autoptr(GError) error = NULL;
  WhTrainStep *step;

  *model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  step = wh_train_step_new_full (*model, 64, &error);
  g_assert_no_error (error);
  return step;
}

/* The names of the tensors in a safetensors file. */
static GPtrArray *
tensor_names (const char *path)
{
  g_autoptr(WhSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  st = wh_safetensors_open (path, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < wh_safetensors_get_n_tensors (st); i++)
    g_ptr_array_add (names, g_strdup (wh_safetensors_get_tensor (st, i)->name));
  return names;
}

/* The logits of the batch's first sequence. */
static float *
first_logits (WhModel *model,
              Batch   *batch)
{
  g_autoptr(GError) error = NULL;
  gsize n = batch->ids[0]->len;
  float *logits = g_new (float, n * wh_model_get_config (model)->vocab_size);

  g_assert_true (wh_model_forward (model, (const gint32 *) (gpointer) batch->ids[0]->data, n, 0, logits, n, &error));
  g_assert_no_error (error);
  return logits;
}

/* max |got − want| / max |want| over one tensor. */
static double
relative_error (const float *got,
                const float *want,
                gsize        n)
{
  double diff = 0, scale = 0;

  for (gsize i = 0; i < n; i++)
    {
      diff = MAX (diff, fabs ((double) got[i] - want[i]));
      scale = MAX (scale, fabs (want[i]));
    }
  return scale > 0 ? diff / scale : diff;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static const char *const parents[] = { "self_attn", "self_attn", "self_attn", "self_attn", "mlp", "mlp", "mlp" };

static void
compare_tensors (WhSafetensors *st,
                 guint          n_layers,
                 GPtrArray     *buffers,   /* (layer × target × {A, B}) WhClBuffer */
                 double         tolerance,
                 gboolean       relative)
{
  guint k = 0;
  double worst = 0;

  for (guint l = 0; l < n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      for (guint b = 0; b < 2; b++, k++)
        {
          g_autofree char *name = g_strdup_printf ("base_model.model.model.layers.%u.%s.%s.lora_%c.weight", l,
                                                   parents[t], wh_lora_target_name (t), b ? 'B' : 'A');
          const WhSafetensorsTensor *ref = wh_safetensors_find (st, name);
          WhClBuffer *buf = g_ptr_array_index (buffers, k);
          g_autofree float *got = NULL;
          double err;

          g_assert_nonnull (ref);
          g_assert_cmpint (ref->dtype, ==, WH_CL_DTYPE_F32);
          got = g_new (float, ref->n_elements);
          g_assert_true (wh_cl_buffer_read (buf, 0, got, ref->n_elements * sizeof (float), NULL));
          if (relative)
            err = relative_error (got, (const float *) ref->data, ref->n_elements);
          else
            {
              err = 0;
              for (gsize i = 0; i < ref->n_elements; i++)
                err = MAX (err, fabs ((double) got[i] - ((const float *) ref->data)[i]));
            }
          if (err > tolerance)
            g_error ("%s: error %.3g > %.3g", name, err, tolerance);
          worst = MAX (worst, err);
        }
  g_test_message ("worst %s error of the %u LoRA tensors: %.2g", relative ? "relative" : "absolute", k, worst);
}

typedef struct
{
  const char *name;
  gboolean    packed;
} LoraCase;

static const LoraCase lora_llama = { "llama-gqa", FALSE };
static const LoraCase lora_llama_packed = { "llama-gqa", TRUE };
static const LoraCase lora_qwen2 = { "qwen2", FALSE };
static const LoraCase lora_qwen2_packed = { "qwen2", TRUE };

static void
check_model (gconstpointer data)
{
  const LoraCase *lc = data;
  const char *name = lc->name;
  g_autofree char *base = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "models", name, NULL);
  g_autofree char *initial = fixture (name, "initial-adapter");
  g_autofree char *grads_path = fixture (name, "grads.safetensors");
  g_autofree char *after = fixture (name, "after-3-steps");
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhSafetensors) grads = NULL;
  g_autoptr(WhSafetensors) after_st = NULL;
  g_autoptr(GPtrArray) grad_buffers = g_ptr_array_new ();
  g_autoptr(GPtrArray) param_buffers = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  WhClAdamwParams adam = { 1e-3, 0.9, 0.999, 1e-8, 0.0 };
  Batch batch;
  double loss;
  guint n_layers;

  WH_TEST_REQUIRE (ctx);
  read_batch (name, &batch);
  batch.packed = lc->packed;

  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, initial, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  step = wh_train_step_new (model, adapter, 64, &error);
  g_assert_no_error (error);
  n_layers = wh_model_get_config (model)->n_layers;

  /* Loss and gradients of the batch. */
  loss = accumulate_batch (step, &batch);
  g_test_message ("%s: loss %.7f, PyTorch %.7f", name, loss, read_loss (name));
  g_assert_cmpfloat (fabs (loss - read_loss (name)), <=, 1e-5);

  for (guint l = 0; l < n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        g_ptr_array_add (grad_buffers, wh_train_step_get_grad (step, l, t, FALSE));
        g_ptr_array_add (grad_buffers, wh_train_step_get_grad (step, l, t, TRUE));
        g_ptr_array_add (param_buffers, wh_adapter_get_pair (adapter, l, t)->a);
        g_ptr_array_add (param_buffers, wh_adapter_get_pair (adapter, l, t)->b);
      }
  grads = wh_safetensors_open (grads_path, &error);
  g_assert_no_error (error);
  compare_tensors (grads, n_layers, grad_buffers, 1e-3, TRUE);

  /* Three AdamW steps with clipping at 1.0 on the same batch. */
  for (guint k = 1; k <= 3; k++)
    {
      float norm;

      if (k > 1)
        accumulate_batch (step, &batch);
      g_assert_true (wh_train_step_optimize (step, &adam, k, 1.0, &norm, &error));
      g_assert_no_error (error);
      g_test_message ("%s: step %u, gradient norm %.6f", name, k, norm);
    }
  {
    g_autofree char *weights = g_build_filename (after, "adapter_model.safetensors", NULL);

    after_st = wh_safetensors_open (weights, &error);
    g_assert_no_error (error);
    compare_tensors (after_st, n_layers, param_buffers, 1e-5, FALSE);
  }

  /* Saved in PEFT's format, the trained adapter loads back the same. */
  {
    g_autofree char *dir = g_dir_make_tmp ("whetstone-adapter-XXXXXX", NULL);
    g_autoptr(WhAdapter) reloaded = NULL;
    g_autofree float *want = first_logits (model, &batch);
    g_autofree float *got = NULL;
    gsize n = batch.ids[0]->len * wh_model_get_config (model)->vocab_size;

    g_assert_true (wh_adapter_save (adapter, dir, base, &error));
    g_assert_no_error (error);
    reloaded = wh_adapter_load (model, dir, &error);
    g_assert_no_error (error);
    g_assert_true (wh_model_set_adapter (model, reloaded, &error));
    got = first_logits (model, &batch);
    g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));
    remove_dir (dir);
    g_assert_true (wh_model_set_adapter (model, adapter, &error));
  }

  batch_clear (&batch);
}

/* A new adapter starts as PEFT's: B zero, so the model is unchanged. */
static void
test_new_adapter (void)
{
  g_autofree char *base = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "models", "llama-gqa", NULL);
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 ids[] = { 1, 5, 9, 17, 33, 65 };
  float plain[6 * 128], adapted[6 * 128];
  g_autofree float *a = NULL;
  const WhLoraPair *pair;
  double bound = 1.0 / sqrt (64.0), max = 0;

  WH_TEST_REQUIRE (ctx);
  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_forward (model, ids, 6, 0, plain, 6, &error));

  adapter = wh_adapter_new (model, 8, 16, 0.05, FALSE, (1u << WH_LORA_N_TARGETS) - 1, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (wh_adapter_get_scale (adapter), ==, 2.0f);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  g_assert_true (wh_model_forward (model, ids, 6, 0, adapted, 6, &error));
  g_assert_cmpmem (plain, sizeof plain, adapted, sizeof adapted);

  pair = wh_adapter_get_pair (adapter, 0, WH_LORA_Q_PROJ);
  a = g_new (float, 8 * 64);
  g_assert_true (wh_cl_buffer_read (pair->a, 0, a, 8 * 64 * sizeof (float), &error));
  for (guint i = 0; i < 8 * 64; i++)
    max = MAX (max, fabs (a[i]));
  g_assert_cmpfloat (max, <=, bound);
  g_assert_cmpfloat (max, >, bound / 2);
}

/* Full fine-tuning against PyTorch: the loss of the plain model and the
 * gradient of every weight (tests/reference/training, full-grads). */
typedef struct
{
  const char *model;
  double      grad_tolerance;   /* relative, per tensor */
  double      loss_tolerance;
  gboolean    packed;
} FullCase;

/* The f32 model against the fixture's tolerances; compact ones (made f32
 * for training) against the same gradients, loosely: their weights are
 * the f32 ones rounded. */
static const FullCase full_f32 = { "llama-gqa", 1e-3, 1e-5, FALSE };
static const FullCase full_f32_packed = { "llama-gqa", 1e-3, 1e-5, TRUE };
static const FullCase full_f16 = { "llama-gqa-f16", 1e-2, 1e-3, FALSE };
static const FullCase full_q8_0 = { "llama-gqa-gguf-q8_0/llama-gqa-q8_0.gguf", 1e-1, 1e-2, FALSE };

static void
test_full_grads (gconstpointer data)
{
  const FullCase *fc = data;
  g_autofree char *grads_path = fixture ("llama-gqa", "full-grads.safetensors");
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhSafetensors) grads = NULL;
  g_autoptr(GError) error = NULL;
  double loss, worst = 0;
  Batch batch;

  WH_TEST_REQUIRE (ctx);
  read_batch ("llama-gqa", &batch);
  batch.packed = fc->packed;
  step = new_full_step (ctx, fc->model, &model);

  loss = accumulate_batch (step, &batch);
  g_test_message ("%s: full fine-tuning loss %.7f, PyTorch (f32 weights) %.7f", fc->model, loss,
                  read_loss_of ("llama-gqa", "full_finetune"));
  g_assert_cmpfloat (fabs (loss - read_loss_of ("llama-gqa", "full_finetune")), <=, fc->loss_tolerance);

  grads = wh_safetensors_open (grads_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_safetensors_get_n_tensors (grads), ==, 21);
  for (gsize i = 0; i < wh_safetensors_get_n_tensors (grads); i++)
    {
      const WhSafetensorsTensor *ref = wh_safetensors_get_tensor (grads, i);
      g_autofree float *got = NULL;
      double err;

      if (wh_train_step_get_weight_grad (step, ref->name) == NULL)
        g_error ("the step does not train %s", ref->name);
      got = read_buffer (wh_train_step_get_weight_grad (step, ref->name), ref->n_elements);
      err = relative_error (got, (const float *) ref->data, ref->n_elements);
      g_test_message ("%s: relative error %.2g", ref->name, err);
      if (err > fc->grad_tolerance)
        g_error ("%s: %s: error %.3g > %.3g", fc->model, ref->name, err, fc->grad_tolerance);
      worst = MAX (worst, err);
    }
  g_test_message ("%s: worst full fine-tuning gradient error %.2g", fc->model, worst);
  batch_clear (&batch);
}

static double
batch_loss (WhTrainStep *step,
            Batch       *batch)
{
  g_autoptr(GError) error = NULL;
  double loss = 0;

  for (guint s = 0; s < 2; s++)
    {
      double part = 0;

      g_assert_true (wh_train_step_loss (step, (const gint32 *) (gpointer) batch->ids[s]->data,
                                         (const gint32 *) (gpointer) batch->targets[s]->data,
                                         batch->ids[s]->len, &part, &error));
      g_assert_no_error (error);
      loss += part;
    }
  return loss / batch->n_targets;
}

static gboolean
in_batch (Batch  *batch,
          gsize   id)
{
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < batch->ids[s]->len; i++)
      if ((gsize) g_array_index (batch->ids[s], gint32, i) == id)
        return TRUE;
  return FALSE;
}

/* Central differences for the weights that have no PyTorch fixture:
 * embeddings tied to the LM head (both gradients add up) and Qwen2's
 * q/k/v biases.  Each weight's largest gradient element is checked. */
static void
test_full_finite_differences (gconstpointer data)
{
  const char *const *names = data;
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GError) error = NULL;
  Batch batch;

  WH_TEST_REQUIRE (ctx);
  read_batch ("llama-gqa", &batch);
  step = new_full_step (ctx, names[0], &model);
  accumulate_batch (step, &batch);

  for (guint k = 1; names[k] != NULL; k++)
    {
      WhClBuffer *w = wh_train_step_get_weight (step, names[k]);
      gsize n = w != NULL ? w->size / sizeof (float) : 0;
      g_autofree float *grad = read_buffer (wh_train_step_get_weight_grad (step, names[k]), n);
      g_autofree float *values = read_buffer (w, n);
      const float h = 1e-2f;
      gsize hidden = wh_model_get_config (model)->hidden_size;
      gboolean embed = strstr (names[k], "embed") != NULL;
      /* Embeddings: a row the batch reads, which the LM head also
       * reaches when tied. */
      gsize at = embed ? g_array_index (batch.ids[0], gint32, 1) * hidden : 0;
      double plus, minus, fd;
      float v;

      for (gsize i = 0; i < n; i++)
        if (fabsf (grad[i]) > fabsf (grad[at]) && (!embed || in_batch (&batch, i / hidden)))
          at = i;
      v = values[at] + h;
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &v, sizeof v, &error));
      plus = batch_loss (step, &batch);
      v = values[at] - h;
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &v, sizeof v, &error));
      minus = batch_loss (step, &batch);
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &values[at], sizeof v, &error));
      fd = (plus - minus) / (2.0 * h);
      g_test_message ("%s: %s[%" G_GSIZE_FORMAT "] gradient %.6g, central difference %.6g",
                      names[0], names[k], at, grad[at], fd);
      g_assert_cmpfloat (fabs (fd - grad[at]), <=, 1e-4 + 1e-2 * fabs (grad[at]));
    }
  batch_clear (&batch);
}

/* LoRA dropout: with a fixed seed the loss is a function of the adapter,
 * whose gradient is the analytic one (central differences on the largest
 * A and B entries of a projection fed by the hidden state and of one fed
 * by the MLP's intermediate); the same seed gives the same loss, another
 * seed another, and validation (loss()) ignores dropout. */
static void
test_lora_dropout (void)
{
  WhClContext *ctx = test_ctx;
  g_autofree char *base = reference_model ("llama-gqa");
  g_autofree char *initial = fixture ("llama-gqa", "initial-adapter");
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const names[] = {
    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
    "base_model.model.model.layers.1.mlp.down_proj.lora_A.weight",
    "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight",
  };
  double plain, dropped, again, other;
  Batch batch;

  WH_TEST_REQUIRE (ctx);
  read_batch ("llama-gqa", &batch);
  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, initial, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  step = wh_train_step_new (model, adapter, 64, &error);
  g_assert_no_error (error);

  plain = accumulate_batch (step, &batch);
  wh_train_step_set_dropout (step, 0.3f, 77);
  dropped = accumulate_batch (step, &batch);
  again = accumulate_batch (step, &batch);
  wh_train_step_set_dropout (step, 0.3f, 78);
  other = accumulate_batch (step, &batch);
  g_test_message ("loss without dropout %.7f, with %.7f (seed 77) and %.7f (seed 78)", plain, dropped, other);
  g_assert_cmpfloat (dropped, ==, again);
  g_assert_cmpfloat (dropped, !=, plain);
  g_assert_cmpfloat (dropped, !=, other);
  g_assert_cmpfloat (fabs (batch_loss (step, &batch) - plain), <=, 1e-6);

  wh_train_step_set_dropout (step, 0.3f, 77);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      WhClBuffer *w = wh_train_step_get_weight (step, names[k]);
      gsize n = w->size / sizeof (float);
      g_autofree float *grad = NULL, *values = NULL;
      const float h = 1e-2f;
      double plus, minus, fd;
      gsize at = 0;
      float v;

      /* The gradients at the adapter as it is, not as the last
       * difference left it. */
      accumulate_batch (step, &batch);
      grad = read_buffer (wh_train_step_get_weight_grad (step, names[k]), n);
      values = read_buffer (w, n);
      for (gsize i = 0; i < n; i++)
        if (fabsf (grad[i]) > fabsf (grad[at]))
          at = i;
      v = values[at] + h;
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &v, sizeof v, &error));
      plus = accumulate_batch (step, &batch);
      v = values[at] - h;
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &v, sizeof v, &error));
      minus = accumulate_batch (step, &batch);
      g_assert_true (wh_cl_buffer_write (w, at * sizeof (float), &values[at], sizeof v, &error));
      fd = (plus - minus) / (2.0 * h);
      g_test_message ("%s[%" G_GSIZE_FORMAT "]: gradient %.6g, central difference %.6g", names[k], at, grad[at], fd);
      g_assert_cmpfloat (fabs (grad[at]), >, 0);
      g_assert_cmpfloat (fabs (fd - grad[at]), <=, 1e-4 + 1e-2 * fabs (grad[at]));
    }
  batch_clear (&batch);
}

static const char *const tied_weights[] = { "llama-tied", "model.embed_tokens.weight", "model.norm.weight", NULL };
static const char *const qwen2_weights[] = { "qwen2", "model.layers.0.self_attn.q_proj.bias",
                                              "model.layers.1.self_attn.k_proj.bias",
                                              "model.layers.0.self_attn.v_proj.bias", NULL };

static void
optimizer_step (WhTrainStep *step,
                Batch       *batch,
                guint        t)
{
  WhClAdamwParams adam = { 1e-3, 0.9, 0.999, 1e-8, 0.01 };
  g_autoptr(GError) error = NULL;

  accumulate_batch (step, batch);
  g_assert_true (wh_train_step_optimize (step, &adam, t, 1.0, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_same_tensors (WhTrainStep        *a,
                     WhTrainStep        *b,
                     const char * const *names,
                     gsize               n_names)
{
  for (gsize i = 0; i < n_names; i++)
    {
      WhClBuffer *wa = wh_train_step_get_weight (a, names[i]);
      WhClBuffer *wb = wh_train_step_get_weight (b, names[i]);
      gsize n;
      g_autofree float *va = NULL;
      g_autofree float *vb = NULL;

      g_assert_nonnull (wa);
      g_assert_nonnull (wb);
      n = wa->size / sizeof (float);
      va = read_buffer (wa, n);
      vb = read_buffer (wb, n);
      if (memcmp (va, vb, n * sizeof (float)) != 0)
        g_error ("%s differs after resuming", names[i]);
    }
}

/* Saves @step's model in @dir as f32, loads it back and checks that it
 * gives the same logits bit for bit. */
static WhModel *
save_and_reload (WhTrainStep *step,
                 WhModel     *model,
                 Batch       *batch,
                 const char  *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhModel) saved = NULL;
  g_autofree float *want = NULL;
  g_autofree float *got = NULL;
  gsize n = batch->ids[0]->len * wh_model_get_config (model)->vocab_size;

  g_assert_true (wh_train_step_save_model (step, dir, WH_CL_DTYPE_F32, &error));
  g_assert_no_error (error);
  saved = wh_model_load (test_ctx, dir, 64, &error);
  g_assert_no_error (error);
  want = first_logits (model, batch);
  got = first_logits (saved, batch);
  g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));
  return g_steal_pointer (&saved);
}

/* A trained model saved as a Hugging Face folder loads back with the same
 * logits; optimizer state saved beside it resumes bit for bit. */
static void
test_full_save_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whetstone-full-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "optimizer.safetensors", NULL);
  g_autofree char *grads_path = fixture ("llama-gqa", "full-grads.safetensors");
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhModel) saved = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhTrainStep) resumed = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  Batch batch;

  WH_TEST_REQUIRE (ctx);
  read_batch ("llama-gqa", &batch);
  step = new_full_step (ctx, "llama-gqa", &model);
  optimizer_step (step, &batch, 1);
  optimizer_step (step, &batch, 2);

  g_assert_false (wh_train_step_save_model (step, dir, WH_CL_DTYPE_Q8_0, &error));
  g_assert_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* In f16, as the demo model ships: the logits move by the rounding
   * only. */
  {
    g_autofree char *dir16 = g_build_filename (dir, "f16", NULL);
    g_autoptr(WhModel) half = NULL;
    g_autofree float *want = first_logits (model, &batch);
    g_autofree float *got = NULL;
    g_autofree char *dtypes = NULL;
    gsize n = batch.ids[0]->len * wh_model_get_config (model)->vocab_size;

    g_assert_true (wh_train_step_save_model (step, dir16, WH_CL_DTYPE_F16, &error));
    g_assert_no_error (error);
    half = wh_model_load (ctx, dir16, 64, &error);
    g_assert_no_error (error);
    dtypes = wh_model_dup_dtypes (half);
    g_assert_cmpstr (dtypes, ==, "f16");
    got = first_logits (half, &batch);
    g_assert_cmpfloat (relative_error (got, want, n), <, 1e-2);
    remove_dir (dir16);
  }

  saved = save_and_reload (step, model, &batch, dir);
  g_assert_true (wh_train_step_save_state (step, state, &error));
  g_assert_no_error (error);

  resumed = wh_train_step_new_full (saved, 64, &error);
  g_assert_no_error (error);
  g_assert_true (wh_train_step_load_state (resumed, state, &error));
  g_assert_no_error (error);
  optimizer_step (step, &batch, 3);
  optimizer_step (resumed, &batch, 3);
  names = tensor_names (grads_path);
  assert_same_tensors (step, resumed, (const char * const *) names->pdata, names->len);

  remove_dir (dir);
  batch_clear (&batch);
}

/* A model read from GGUF (quantised, q and k rows permuted) is saved as a
 * Hugging Face folder with a config.json written from its config. */
static void
test_full_save_gguf (void)
{
  g_autofree char *dir = g_dir_make_tmp ("whetstone-full-XXXXXX", NULL);
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhModel) saved = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  Batch batch;

  WH_TEST_REQUIRE (test_ctx);
  read_batch ("llama-gqa", &batch);
  step = new_full_step (test_ctx, full_q8_0.model, &model);
  optimizer_step (step, &batch, 1);
  saved = save_and_reload (step, model, &batch, dir);
  remove_dir (dir);
  batch_clear (&batch);
}

/* LoRA: two steps, adapter and optimizer state saved, a third step from
 * them gives the same bits as a third step of the original run; a state
 * of another shape is refused, naming the tensor. */
static void
test_lora_resume (void)
{
  g_autofree char *base = reference_model ("llama-gqa");
  g_autofree char *initial = fixture ("llama-gqa", "initial-adapter");
  g_autofree char *dir = g_dir_make_tmp ("whetstone-resume-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "optimizer.safetensors", NULL);
  g_autofree char *weights = g_build_filename (dir, "adapter_model.safetensors", NULL);
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(WhAdapter) reloaded = NULL;
  g_autoptr(WhAdapter) other = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(WhTrainStep) resumed = NULL;
  g_autoptr(WhTrainStep) wrong = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) error = NULL;
  Batch batch;

  WH_TEST_REQUIRE (ctx);
  read_batch ("llama-gqa", &batch);
  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, initial, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  step = wh_train_step_new (model, adapter, 64, &error);
  g_assert_no_error (error);
  optimizer_step (step, &batch, 1);
  optimizer_step (step, &batch, 2);
  g_assert_true (wh_adapter_save (adapter, dir, base, &error));
  g_assert_true (wh_train_step_save_state (step, state, &error));
  g_assert_no_error (error);

  reloaded = wh_adapter_load (model, dir, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, reloaded, &error));
  resumed = wh_train_step_new (model, reloaded, 64, &error);
  g_assert_no_error (error);
  g_assert_true (wh_train_step_load_state (resumed, state, &error));
  g_assert_no_error (error);
  optimizer_step (resumed, &batch, 3);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  optimizer_step (step, &batch, 3);

  names = tensor_names (weights);
  g_assert_cmpuint (names->len, ==, 28);
  assert_same_tensors (step, resumed, (const char * const *) names->pdata, names->len);

  /* Rank 8 instead of 4: every tensor has another shape. */
  other = wh_adapter_new (model, 8, 16, 0.0, FALSE, (1u << WH_LORA_N_TARGETS) - 1, 7, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, other, &error));
  wrong = wh_train_step_new (model, other, 64, &error);
  g_assert_no_error (error);
  g_assert_false (wh_train_step_load_state (wrong, state, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "lora_A.weight.exp_avg"));
  g_assert_true (wh_model_set_adapter (model, NULL, NULL));

  remove_dir (dir);
  batch_clear (&batch);
}

/* A real model: a few full fine-tuning steps on three short texts lower
 * their loss. */
static void
test_full_stories (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *path = root != NULL ? g_build_filename (root, "models", "stories260K", "hf", NULL) : NULL;
  const char *texts[] = {
    "The cat sat on the mat and looked at the moon.",
    "Tom and Sue went to the shop to buy red apples.",
    "The little dog ran fast to catch the blue ball.",
  };
  WhClContext *ctx = test_ctx;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seqs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  WhClAdamwParams adam = { 3e-3, 0.9, 0.999, 1e-8, 0.0 };
  guint n_targets = 0;
  double first = 0, last = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the shared test data has no models/stories260K/hf (set WH_TESTDATA_DIR)");
      return;
    }
  WH_TEST_REQUIRE (ctx);
  model = wh_model_load (ctx, path, 64, &error);
  g_assert_no_error (error);
  step = wh_train_step_new_full (model, 64, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      g_assert_true (wh_tokenizer_encode (wh_model_get_tokenizer (model), texts[i], -1, WH_ENCODE_ADD_SPECIAL,
                                          ids, &error));
      g_assert_cmpuint (ids->len, <=, 64);
      n_targets += ids->len - 1;
      g_ptr_array_add (seqs, ids);
    }

  for (guint t = 1; t <= 6; t++)
    {
      double loss = 0;

      g_assert_true (wh_train_step_zero_grad (step, &error));
      for (guint i = 0; i < seqs->len; i++)
        {
          GArray *ids = g_ptr_array_index (seqs, i);
          g_autofree gint32 *targets = g_new (gint32, ids->len);
          double part;

          for (guint k = 0; k < ids->len; k++)
            targets[k] = k + 1 < ids->len ? g_array_index (ids, gint32, k + 1) : -100;
          g_assert_true (wh_train_step_accumulate (step, (const gint32 *) (gpointer) ids->data, targets, ids->len,
                                                   1.0f / n_targets, &part, &error));
          g_assert_no_error (error);
          loss += part / n_targets;
        }
      g_test_message ("stories260K full fine-tuning: step %u, loss %.4f", t, loss);
      if (t == 1)
        first = loss;
      last = loss;
      g_assert_true (wh_train_step_optimize (step, &adam, t, 1.0, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpfloat (last, <, first - 0.1);
}

static void
test_full_estimate (void)
{
  WhModelConfig c = { 0 };

  /* Llama-3-8B-like: 8.0e9 parameters × 16 bytes, plus activations. */
  c.vocab_size = 128256;
  c.hidden_size = 4096;
  c.intermediate_size = 14336;
  c.n_layers = 32;
  c.n_heads = 32;
  c.n_kv_heads = 8;
  c.head_dim = 128;
  g_assert_cmpuint (wh_train_step_estimate_full_memory (&c, 1024), >, 16 * wh_model_config_n_params (&c));
  g_assert_cmpuint (wh_train_step_estimate_full_memory (&c, 1024), <, 17 * wh_model_config_n_params (&c));
  g_assert_cmpuint (wh_train_step_estimate_full_memory (&c, 2048), >, wh_train_step_estimate_full_memory (&c, 1024));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/train-step/llama-gqa", &lora_llama, check_model);
  g_test_add_data_func ("/train-step/qwen2", &lora_qwen2, check_model);
  g_test_add_data_func ("/train-step/packed/llama-gqa", &lora_llama_packed, check_model);
  g_test_add_data_func ("/train-step/packed/qwen2", &lora_qwen2_packed, check_model);
  g_test_add_func ("/train-step/new-adapter", test_new_adapter);
  g_test_add_func ("/train-step/lora-resume", test_lora_resume);
  g_test_add_func ("/train-step/lora-dropout", test_lora_dropout);
  g_test_add_data_func ("/train-step/full/grads", &full_f32, test_full_grads);
  g_test_add_data_func ("/train-step/packed/full-grads", &full_f32_packed, test_full_grads);
  g_test_add_data_func ("/train-step/full/grads-f16", &full_f16, test_full_grads);
  g_test_add_data_func ("/train-step/full/grads-gguf-q8_0", &full_q8_0, test_full_grads);
  g_test_add_data_func ("/train-step/full/tied", tied_weights, test_full_finite_differences);
  g_test_add_data_func ("/train-step/full/qwen2-bias", qwen2_weights, test_full_finite_differences);
  g_test_add_func ("/train-step/full/save-resume", test_full_save_resume);
  g_test_add_func ("/train-step/full/save-gguf", test_full_save_gguf);
  g_test_add_func ("/train-step/full/stories260K", test_full_stories);
  g_test_add_func ("/train-step/full/estimate", test_full_estimate);

  return wh_test_cl_run (&test_ctx);
}
