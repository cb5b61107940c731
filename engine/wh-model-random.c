/* wh-model-random.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Models of a given shape with random weights, for the benchmarks: they
 * go through the same memory check and cache as loaded models. */

#include "config.h"

#include <math.h>

#include "wh-model-private.h"
#include "wh-ref-dequant.h"

/* Random weights: uniform in ±scale, made row chunk by row chunk so that
 * host memory stays small, quantised on the host. */
static guint64
xorshift (guint64 *state)
{
  guint64 x = *state;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *state = x;
}

static gboolean
random_weight (WhModel   *model,
               gsize      rows,
               gsize      cols,
               WhClDType  type,
               float      scale,
               float      offset,
               guint64   *state,
               WhWeight  *weight,
               GError   **error)
{
  gsize row_bytes = wh_cl_dtype_row_bytes (type, cols);
  gsize chunk = MAX ((gsize) (1 << 20) / cols, 1);
  g_autofree float *values = g_new (float, chunk * cols);
  g_autofree guint8 *packed = g_malloc (chunk * row_bytes);

  weight->buffer = wh_cl_buffer_new (model->ctx, rows * row_bytes, error);
  if (weight->buffer == NULL)
    return FALSE;
  weight->type = type;
  weight->rows = rows;
  weight->cols = cols;
  model->weight_bytes += rows * row_bytes;

  for (gsize r0 = 0; r0 < rows; r0 += chunk)
    {
      gsize nr = MIN (chunk, rows - r0);

      for (gsize i = 0; i < nr * cols; i++)
        values[i] = offset + scale * ((xorshift (state) >> 11) * (2.0 / 9007199254740992.0) - 1.0);
      for (gsize r = 0; r < nr; r++)
        wh_ref_quantize_row (type, values + r * cols, packed + r * row_bytes, cols);
      if (!wh_cl_buffer_write (weight->buffer, r0 * row_bytes, packed, nr * row_bytes, error))
        return FALSE;
    }
  return TRUE;
}

WhModel *
wh_model_new_random (WhClContext          *ctx,
                     const WhModelConfig  *config,
                     WhClDType             type,
                     guint64               seed,
                     gsize                 n_ctx,
                     GError              **error)
{
  g_autoptr(WhModel) model = NULL;
  const WhModelConfig *c;
  guint64 state = seed * 2654435761u + 88172645463325252ull;
  gsize q_rows, kv_rows;
  float s;
  g_autofree float *inv_freq = NULL;
  guint64 stored;

  g_return_val_if_fail (ctx != NULL && config != NULL, NULL);
  g_return_val_if_fail (wh_ref_can_quantize (type), NULL);

  model = g_new0 (WhModel, 1);
  model->ctx = ctx;
  model->path = g_strdup ("random");
  model->config = *config;
  model->config.architecture = g_strdup (config->architecture ? config->architecture : "LlamaForCausalLM");
  model->n_ctx = n_ctx;
  c = &model->config;
  q_rows = (gsize) c->n_heads * c->head_dim;
  kv_rows = (gsize) c->n_kv_heads * c->head_dim;
  s = 0.02f * sqrtf (3.0f);

  stored = wh_cl_dtype_row_bytes (type, c->hidden_size) *
           ((guint64) c->n_layers * (2 * q_rows + 2 * kv_rows + 2 * c->intermediate_size) +
            (c->tie_word_embeddings ? 1 : 2) * (guint64) c->vocab_size) +
           wh_cl_dtype_row_bytes (type, c->intermediate_size) * (guint64) c->n_layers * c->hidden_size;
  if (!_wh_model_check_fits (model, stored, error))
    return NULL;

  model->layers = g_new0 (WhLayer, c->n_layers);
  for (guint i = 0; i < c->n_layers; i++)
    {
      WhLayer *l = &model->layers[i];

      if (!random_weight (model, 1, c->hidden_size, WH_CL_DTYPE_F32, 0.1f, 1.0f, &state, &l->attn_norm, error) ||
          !random_weight (model, 1, c->hidden_size, WH_CL_DTYPE_F32, 0.1f, 1.0f, &state, &l->ffn_norm, error) ||
          !random_weight (model, q_rows, c->hidden_size, type, s, 0, &state, &l->wq, error) ||
          !random_weight (model, kv_rows, c->hidden_size, type, s, 0, &state, &l->wk, error) ||
          !random_weight (model, kv_rows, c->hidden_size, type, s, 0, &state, &l->wv, error) ||
          !random_weight (model, c->hidden_size, q_rows, type, s, 0, &state, &l->wo, error) ||
          !random_weight (model, c->intermediate_size, c->hidden_size, type, s, 0, &state, &l->w_gate, error) ||
          !random_weight (model, c->intermediate_size, c->hidden_size, type, s, 0, &state, &l->w_up, error) ||
          !random_weight (model, c->hidden_size, c->intermediate_size, type, s, 0, &state, &l->w_down, error))
        return NULL;
    }
  if (!random_weight (model, c->vocab_size, c->hidden_size, type, s, 0, &state, &model->embed, error) ||
      !random_weight (model, 1, c->hidden_size, WH_CL_DTYPE_F32, 0.1f, 1.0f, &state, &model->final_norm, error))
    return NULL;
  if (!c->tie_word_embeddings &&
      !random_weight (model, c->vocab_size, c->hidden_size, type, s, 0, &state, &model->output, error))
    return NULL;

  inv_freq = g_new (float, c->head_dim / 2);
  wh_model_config_rope_inv_freq (c, inv_freq);
  model->inv_freq = wh_cl_buffer_new (ctx, c->head_dim / 2 * sizeof (float), error);
  if (model->inv_freq == NULL ||
      !wh_cl_buffer_write (model->inv_freq, 0, inv_freq, c->head_dim / 2 * sizeof (float), error))
    return NULL;

  if (type != WH_CL_DTYPE_F32)
    {
      model->scratch_floats = MAX ((gsize) c->intermediate_size * c->hidden_size, (gsize) c->hidden_size * 256);
      if (!(model->scratch = wh_cl_buffer_new (ctx, model->scratch_floats * sizeof (float), error)))
        return NULL;
    }

  if (!_wh_model_alloc_cache (model, error))
    return NULL;
  return g_steal_pointer (&model);
}
