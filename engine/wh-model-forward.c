/* wh-model-forward.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wh-model-private.h"

/* The decoder, token batch by token batch:
 *
 *   x = embed(ids)
 *   per layer:  h = rmsnorm(x);  q, k, v = h·Wqᵀ, h·Wkᵀ, h·Wvᵀ (+ biases)
 *               rope(q, k);  cache ← k, v;  x += attention(q, cache)·Woᵀ
 *               h = rmsnorm(x);  x += (silu(h·Wgᵀ) ⊙ h·Wuᵀ)·Wdᵀ
 *   logits = rmsnorm(x)·Woutᵀ   (only for the positions asked for)
 *
 * Compact weights are dequantised into the scratch right before their
 * product, in row chunks when the matrix is larger than the scratch. */

static void
free_buffer (WhClBuffer **buffer)
{
  g_clear_pointer (buffer, wh_cl_buffer_free);
}

void
_wh_model_free_activations (WhModel *model)
{
  WhClBuffer **bufs[] = { &model->ids, &model->x, &model->h, &model->q, &model->k, &model->v,
                          &model->attn, &model->gate, &model->up, &model->logits,
                          &model->stage_in, &model->stage_out };

  for (guint i = 0; i < G_N_ELEMENTS (bufs); i++)
    free_buffer (bufs[i]);
  model->act_tokens = 0;
  model->logit_rows = 0;
}

gboolean
_wh_model_alloc_activations (WhModel  *model,
                             gsize     n_tokens,
                             gsize     n_logits,
                             GError  **error)
{
  const WhModelConfig *c = &model->config;
  gsize q_dim = (gsize) c->n_heads * c->head_dim;
  gsize kv_dim = (gsize) c->n_kv_heads * c->head_dim;

  if (n_tokens > model->act_tokens)
    {
      WhClBuffer *logits = model->logits;
      gsize logit_rows = model->logit_rows;

      model->logits = NULL;
      _wh_model_free_activations (model);
      model->logits = logits;
      model->logit_rows = logit_rows;

      if (!(model->ids = wh_cl_buffer_new (model->ctx, n_tokens * sizeof (gint32), error)) ||
          !(model->x = wh_cl_buffer_new (model->ctx, n_tokens * c->hidden_size * sizeof (float), error)) ||
          !(model->h = wh_cl_buffer_new (model->ctx, n_tokens * c->hidden_size * sizeof (float), error)) ||
          !(model->q = wh_cl_buffer_new (model->ctx, n_tokens * q_dim * sizeof (float), error)) ||
          !(model->k = wh_cl_buffer_new (model->ctx, n_tokens * kv_dim * sizeof (float), error)) ||
          !(model->v = wh_cl_buffer_new (model->ctx, n_tokens * kv_dim * sizeof (float), error)) ||
          !(model->attn = wh_cl_buffer_new (model->ctx, n_tokens * q_dim * sizeof (float), error)) ||
          !(model->gate = wh_cl_buffer_new (model->ctx, n_tokens * c->intermediate_size * sizeof (float), error)) ||
          !(model->up = wh_cl_buffer_new (model->ctx, n_tokens * c->intermediate_size * sizeof (float), error)))
        return FALSE;
      model->act_tokens = n_tokens;

      /* Processors: staging for products in chunks of matvec rows. */
      if (n_tokens > WH_CL_MATVEC_MAX_ROWS &&
          wh_cl_context_get_device (model->ctx)->kind == WH_CL_DEVICE_KIND_CPU)
        {
          gsize widest = MAX (MAX (c->hidden_size, c->intermediate_size), MAX (q_dim, c->vocab_size));

          if (!(model->stage_in = wh_cl_buffer_new (model->ctx, WH_CL_MATVEC_MAX_ROWS * widest * sizeof (float), error)) ||
              !(model->stage_out = wh_cl_buffer_new (model->ctx, WH_CL_MATVEC_MAX_ROWS * widest * sizeof (float), error)))
            return FALSE;
        }
    }

  if (n_logits > model->logit_rows)
    {
      free_buffer (&model->logits);
      if (!(model->logits = wh_cl_buffer_new (model->ctx, n_logits * c->vocab_size * sizeof (float), error)))
        return FALSE;
      model->logit_rows = n_logits;
    }

  return TRUE;
}

static const WhWeight *
output_weight (WhModel *model)
{
  return model->output.buffer != NULL ? &model->output : &model->embed;
}

/* out (n, w.rows) = in (n, w.cols) · wᵀ (+ bias), @in and @out starting at
 * element offsets. */
static const WhLoraPair *
lora (WhModel      *model,
      guint         layer,
      WhLoraTarget  target)
{
  return model->adapter != NULL ? wh_adapter_get_pair (model->adapter, layer, target) : NULL;
}

/* out += scale · (in · Aᵀ) · Bᵀ, through the rank-r intermediate. */
static gboolean
add_lora (WhModel           *model,
          WhClBuffer        *out,
          gsize              out_offset,
          gsize              out_ld,
          WhClBuffer        *in,
          gsize              in_offset,
          gsize              n,
          const WhWeight    *w,
          const WhLoraPair  *pair,
          GError           **error)
{
  guint r = wh_adapter_get_rank (model->adapter);
  WhClMatrix x = { in, in_offset, w->cols };
  WhClMatrix a = { pair->a, 0, w->cols };
  WhClMatrix t = { model->lora_tmp, 0, r };
  WhClMatrix b = { pair->b, 0, r };
  WhClMatrix c = { out, out_offset, out_ld };

  return wh_cl_gemm (model->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, r, w->cols, 1.0f, &x, &a, 0.0f, &t, error) &&
         wh_cl_gemm (model->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, w->rows, r,
                     wh_adapter_get_scale (model->adapter), &t, &b, 1.0f, &c, error);
}

static gboolean
linear (WhModel           *model,
        WhClBuffer        *out,
        gsize              out_offset,
        gsize              out_ld,
        WhClBuffer        *in,
        gsize              in_offset,
        gsize              n,
        const WhWeight    *w,
        const WhWeight    *bias,
        const WhLoraPair  *pair,
        GError           **error)
{
  WhClMatrix a = { in, in_offset, w->cols };
  /* The matvec kernels read the ggml types; nf4 (QLoRA) is dequantised. */
  gboolean matvec = w->type != WH_CL_DTYPE_NF4;

  /* Decoding: a few rows against the compact weights, read once.  On a
   * processor this also beats dequantising for a GEMM at prompt sizes, in
   * chunks of rows staged through small buffers. */
  if (matvec && n <= WH_CL_MATVEC_MAX_ROWS && in_offset == 0 && out_offset == 0)
    {
      if (!wh_cl_matvec (model->ctx, out, out_ld, in, n, w->buffer, w->type, w->rows, w->cols, error))
        return FALSE;
    }
  else if (matvec && model->stage_in != NULL && out_ld == w->rows && w->type != WH_CL_DTYPE_F32)
    {
      for (gsize r0 = 0; r0 < n; r0 += WH_CL_MATVEC_MAX_ROWS)
        {
          gsize nr = MIN (WH_CL_MATVEC_MAX_ROWS, n - r0);

          if (!wh_cl_copy (model->ctx, model->stage_in, 0, in, (in_offset + r0 * w->cols) * sizeof (float),
                           nr * w->cols * sizeof (float), error) ||
              !wh_cl_matvec (model->ctx, model->stage_out, w->rows, model->stage_in, nr,
                             w->buffer, w->type, w->rows, w->cols, error) ||
              !wh_cl_copy (model->ctx, out, (out_offset + r0 * out_ld) * sizeof (float), model->stage_out, 0,
                           nr * w->rows * sizeof (float), error))
            return FALSE;
        }
    }
  else if (w->type == WH_CL_DTYPE_F32)
    {
      WhClMatrix b = { w->buffer, 0, w->cols };
      WhClMatrix c = { out, out_offset, out_ld };

      if (!wh_cl_gemm (model->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, w->rows, w->cols,
                       1.0f, &a, &b, 0.0f, &c, error))
        return FALSE;
    }
  else
    {
      gsize chunk = MAX (model->scratch_floats / w->cols, 1);

      for (gsize r0 = 0; r0 < w->rows; r0 += chunk)
        {
          gsize nr = MIN (chunk, w->rows - r0);
          WhClMatrix b = { model->scratch, 0, w->cols };
          WhClMatrix c = { out, out_offset + r0, out_ld };

          if (!wh_cl_dequantize_rows (model->ctx, model->scratch, w->buffer, 0, w->type,
                                      r0, nr, w->cols, error) ||
              !wh_cl_gemm (model->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, nr, w->cols,
                           1.0f, &a, &b, 0.0f, &c, error))
            return FALSE;
        }
    }

  if (pair != NULL &&
      !add_lora (model, out, out_offset, out_ld, in, in_offset, n, w, pair, error))
    return FALSE;

  if (bias != NULL && bias->buffer != NULL)
    {
      if (out_offset != 0 || out_ld != w->rows)
        g_return_val_if_reached (FALSE);
      return wh_cl_add_bias (model->ctx, out, bias->buffer, n, w->rows, error);
    }
  return TRUE;
}

static gboolean
run_layer (WhModel  *model,
           guint     index,
           gsize     n,
           gsize     pos0,
           GError  **error)
{
  const WhModelConfig *c = &model->config;
  const WhLayer *l = &model->layers[index];
  WhClContext *ctx = model->ctx;
  gsize q_dim = (gsize) c->n_heads * c->head_dim;
  gsize kv_dim = (gsize) c->n_kv_heads * c->head_dim;
  gsize kv_bytes = n * kv_dim * sizeof (float);
  gsize kv_at = pos0 * kv_dim * sizeof (float);
  float eps = c->rms_norm_eps;

  return wh_cl_rmsnorm (ctx, model->h, model->x, l->attn_norm.buffer, n, c->hidden_size, eps, error) &&
         linear (model, model->q, 0, q_dim, model->h, 0, n, &l->wq, &l->bq, lora (model, index, WH_LORA_Q_PROJ), error) &&
         linear (model, model->k, 0, kv_dim, model->h, 0, n, &l->wk, &l->bk, lora (model, index, WH_LORA_K_PROJ), error) &&
         linear (model, model->v, 0, kv_dim, model->h, 0, n, &l->wv, &l->bv, lora (model, index, WH_LORA_V_PROJ), error) &&
         wh_cl_rope (ctx, model->q, model->inv_freq, n, c->n_heads, c->head_dim, pos0, WH_CL_ROPE_ROTATE_HALF, error) &&
         wh_cl_rope (ctx, model->k, model->inv_freq, n, c->n_kv_heads, c->head_dim, pos0, WH_CL_ROPE_ROTATE_HALF, error) &&
         wh_cl_copy (ctx, model->k_cache[index], kv_at, model->k, 0, kv_bytes, error) &&
         wh_cl_copy (ctx, model->v_cache[index], kv_at, model->v, 0, kv_bytes, error) &&
         wh_cl_attention (ctx, model->attn, model->q, model->k_cache[index], model->v_cache[index],
                          model->n_ctx, n, c->n_heads, c->n_kv_heads, c->head_dim, pos0,
                          1.0f / sqrtf ((float) c->head_dim), error) &&
         linear (model, model->h, 0, c->hidden_size, model->attn, 0, n, &l->wo, &l->bo, lora (model, index, WH_LORA_O_PROJ), error) &&
         wh_cl_add (ctx, model->x, model->h, n * c->hidden_size, error) &&
         wh_cl_rmsnorm (ctx, model->h, model->x, l->ffn_norm.buffer, n, c->hidden_size, eps, error) &&
         linear (model, model->gate, 0, c->intermediate_size, model->h, 0, n, &l->w_gate, NULL, lora (model, index, WH_LORA_GATE_PROJ), error) &&
         linear (model, model->up, 0, c->intermediate_size, model->h, 0, n, &l->w_up, NULL, lora (model, index, WH_LORA_UP_PROJ), error) &&
         wh_cl_swiglu_forward (ctx, model->gate, model->gate, model->up, n * c->intermediate_size, error) &&
         linear (model, model->h, 0, c->hidden_size, model->gate, 0, n, &l->w_down, NULL, lora (model, index, WH_LORA_DOWN_PROJ), error) &&
         wh_cl_add (ctx, model->x, model->h, n * c->hidden_size, error);
}

static gboolean
run_batch (WhModel       *model,
           const gint32  *ids,
           gsize          n,
           gsize          pos0,
           float         *logits,
           gsize          n_logits,
           GError       **error)
{
  const WhModelConfig *c = &model->config;
  const WhWeight *out_w = output_weight (model);
  gsize first = n - n_logits;

  if (!_wh_model_alloc_activations (model, n, n_logits, error) ||
      !wh_cl_buffer_write (model->ids, 0, ids, n * sizeof (gint32), error))
    return FALSE;

  if (model->embed.type == WH_CL_DTYPE_F32)
    {
      if (!wh_cl_embedding (model->ctx, model->x, model->embed.buffer, c->vocab_size, model->ids, n,
                            c->hidden_size, error))
        return FALSE;
    }
  else if (!wh_cl_dequantize_gather (model->ctx, model->x, model->embed.buffer, 0, model->embed.type,
                                     c->vocab_size, c->hidden_size, model->ids, n, error))
    return FALSE;

  for (guint i = 0; i < c->n_layers; i++)
    if (!run_layer (model, i, n, pos0, error))
      return FALSE;

  if (n_logits == 0)
    return TRUE;

  /* Only the rows asked for, moved to the start of h and normalised
   * there. */
  return wh_cl_copy (model->ctx, model->h, 0, model->x, first * c->hidden_size * sizeof (float),
                     n_logits * c->hidden_size * sizeof (float), error) &&
         wh_cl_rmsnorm (model->ctx, model->h, model->h, model->final_norm.buffer, n_logits, c->hidden_size,
                        c->rms_norm_eps, error) &&
         linear (model, model->logits, 0, c->vocab_size, model->h, 0, n_logits,
                 out_w, NULL, NULL, error) &&
         wh_cl_buffer_read (model->logits, 0, logits, n_logits * c->vocab_size * sizeof (float), error);
}

gboolean
wh_model_forward (WhModel       *model,
                  const gint32  *ids,
                  gsize          n_tokens,
                  gsize          pos0,
                  float         *logits,
                  gsize          n_logits,
                  GError       **error)
{
  const WhModelConfig *c;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (ids != NULL || n_tokens == 0, FALSE);
  g_return_val_if_fail (logits != NULL || n_logits == 0, FALSE);
  g_return_val_if_fail (n_logits <= n_tokens, FALSE);

  c = &model->config;
  if (pos0 + n_tokens > model->n_ctx)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY,
                   _("The text is longer than the model’s context here (%" G_GSIZE_FORMAT " tokens, at most %" G_GSIZE_FORMAT ")"),
                   pos0 + n_tokens, model->n_ctx);
      return FALSE;
    }
  for (gsize i = 0; i < n_tokens; i++)
    if (ids[i] < 0 || (guint) ids[i] >= c->vocab_size)
      {
        g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                     _("Token id %d is outside the model’s vocabulary of %u"), ids[i], c->vocab_size);
        return FALSE;
      }

  /* Long inputs go through in batches; only the last batches produce the
   * logits asked for. */
  for (gsize done = 0; done < n_tokens;)
    {
      gsize n = MIN (WH_MODEL_MAX_BATCH, n_tokens - done);
      gsize remaining_after = n_tokens - done - n;
      gsize want = n_logits > remaining_after ? MIN (n, n_logits - remaining_after) : 0;
      float *dst = want > 0 ? logits + (n_logits - remaining_after - want) * c->vocab_size : NULL;

      if (!run_batch (model, ids + done, n, pos0 + done, dst, want, error))
        return FALSE;
      done += n;
    }

  return wh_cl_context_finish (model->ctx, error);
}
