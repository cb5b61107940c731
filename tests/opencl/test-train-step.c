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

static char *
fixture (const char *model,
         const char *name)
{
  return g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "training", model, name, NULL);
}

typedef struct
{
  GArray *ids[2];
  GArray *targets[2];
  guint   n_targets;
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

static double
read_loss (const char *model)
{
  g_autofree char *path = fixture (model, "loss.json");
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "loss");
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
        }
}

static void
check_model (gconstpointer data)
{
  const char *name = data;
  g_autofree char *base = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "models", name, NULL);
  g_autofree char *initial = fixture (name, "initial-adapter");
  g_autofree char *grads_path = fixture (name, "grads.safetensors");
  g_autofree char *after = fixture (name, "after-3-steps");
  g_autoptr(WhClContext) ctx = NULL;
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
  double loss = 0;
  guint n_layers;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
  read_batch (name, &batch);

  model = wh_model_load (ctx, base, 64, &error);
  g_assert_no_error (error);
  adapter = wh_adapter_load (model, initial, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_set_adapter (model, adapter, &error));
  step = wh_train_step_new (model, adapter, 64, &error);
  g_assert_no_error (error);
  n_layers = wh_model_get_config (model)->n_layers;

  /* Loss and gradients of the batch. */
  g_assert_true (wh_train_step_zero_grad (step, &error));
  for (guint s = 0; s < 2; s++)
    {
      double part = 0;

      g_assert_true (wh_train_step_accumulate (step, (const gint32 *) (gpointer) batch.ids[s]->data,
                                               (const gint32 *) (gpointer) batch.targets[s]->data,
                                               batch.ids[s]->len, 1.0f / batch.n_targets, &part, &error));
      g_assert_no_error (error);
      loss += part;
    }
  loss /= batch.n_targets;
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
        {
          g_assert_true (wh_train_step_zero_grad (step, &error));
          for (guint s = 0; s < 2; s++)
            g_assert_true (wh_train_step_accumulate (step, (const gint32 *) (gpointer) batch.ids[s]->data,
                                                     (const gint32 *) (gpointer) batch.targets[s]->data,
                                                     batch.ids[s]->len, 1.0f / batch.n_targets, NULL, &error));
        }
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
    g_autofree float *want = g_new (float, batch.ids[0]->len * wh_model_get_config (model)->vocab_size);
    g_autofree float *got = g_new (float, batch.ids[0]->len * wh_model_get_config (model)->vocab_size);
    gsize n = batch.ids[0]->len * wh_model_get_config (model)->vocab_size;

    g_assert_true (wh_model_forward (model, (const gint32 *) (gpointer) batch.ids[0]->data, batch.ids[0]->len, 0,
                                     want, batch.ids[0]->len, &error));
    g_assert_true (wh_adapter_save (adapter, dir, base, &error));
    g_assert_no_error (error);
    reloaded = wh_adapter_load (model, dir, &error);
    g_assert_no_error (error);
    g_assert_true (wh_model_set_adapter (model, reloaded, &error));
    g_assert_true (wh_model_forward (model, (const gint32 *) (gpointer) batch.ids[0]->data, batch.ids[0]->len, 0,
                                     got, batch.ids[0]->len, &error));
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
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) adapter = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 ids[] = { 1, 5, 9, 17, 33, 65 };
  float plain[6 * 128], adapted[6 * 128];
  g_autofree float *a = NULL;
  const WhLoraPair *pair;
  double bound = 1.0 / sqrt (64.0), max = 0;

  WH_TEST_REQUIRE (ctx = wh_test_cl_context_new ());
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/train-step/llama-gqa", "llama-gqa", check_model);
  g_test_add_data_func ("/train-step/qwen2", "qwen2", check_model);
  g_test_add_func ("/train-step/new-adapter", test_new_adapter);

  return g_test_run ();
}
