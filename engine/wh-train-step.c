/* wh-train-step.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wh-train-step-private.h"

/* Per layer, in the forward direction (LoRA on each projection P):
 *
 *   h1 = rms(x)·n1;   q, k, v = P(h1);   rope(q, k)
 *   a = attention(q, k, v);   x2 = x + P_o(a)
 *   h2 = rms(x2)·n2;   g, u = P_g(h2), P_u(h2);   s = silu(g)·u
 *   x' = x2 + P_d(s)
 *
 * with P(x) = x·Wᵀ (+ b) + c·(x·Aᵀ)·Bᵀ.  For y = P(x) and dy:
 *
 *   dB += c·dyᵀ·m      with m = x·Aᵀ, the rank-r intermediate
 *   dm  = c·dy·B;  dA += dmᵀ·x
 *   dx += dy·W + dm·A
 *
 * In full fine-tuning (wh-train-full.c) there is no A and B; instead
 *
 *   dW += dyᵀ·x,   db += Σ_t dy_t
 *
 * and the norms, the LM head and the embeddings get theirs too.
 *
 * Only layer inputs are kept (checkpoints); backward recomputes a layer's
 * forward from its input, then goes back through it. */

#define LM_CHUNK WH_TRAIN_LM_CHUNK

static const WhLoraPair *
lora_pair (WhTrainStep  *ts,
           guint         layer,
           WhLoraTarget  target)
{
  return ts->adapter != NULL ? wh_adapter_get_pair (ts->adapter, layer, target) : NULL;
}

/* Products with rows [row0, row0 + n_rows) of a frozen weight w (any
 * stored type), dequantised in chunks when compact:
 *   forward:   y (n, n_rows) = x·wᵀ
 *   backward:  dx (n, cols) (+)= dy (n, n_rows)·w */
static gboolean
frozen_product (WhTrainStep     *ts,
                const WhWeight  *w,
                gsize            row0,
                gsize            n_rows,
                WhClBuffer      *in,
                gsize            in_ld,
                WhClBuffer      *out,
                gsize            out_ld,
                gsize            n,
                gboolean         backward,
                float            beta,
                GError         **error)
{
  WhModel *m = ts->model;
  gsize chunk = w->type == WH_CL_DTYPE_F32 ? n_rows : MAX (m->scratch_floats / w->cols, 1);

  for (gsize r = 0; r < n_rows; r += chunk)
    {
      gsize nr = MIN (chunk, n_rows - r);
      WhClMatrix b;

      if (w->type == WH_CL_DTYPE_F32)
        b = (WhClMatrix) { w->buffer, (row0 + r) * w->cols, w->cols };
      else
        {
          b = (WhClMatrix) { m->scratch, 0, w->cols };
          if (!wh_cl_dequantize_rows (ts->ctx, m->scratch, w->buffer, 0, w->type, row0 + r, nr, w->cols, error))
            return FALSE;
        }

      if (!backward)
        {
          WhClMatrix a = { in, 0, in_ld };
          WhClMatrix c = { out, r, out_ld };

          if (!wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, nr, w->cols, 1.0f, &a, &b, 0.0f, &c, error))
            return FALSE;
        }
      else
        {
          WhClMatrix a = { in, r, in_ld };
          WhClMatrix c = { out, 0, out_ld };

          if (!wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, n, w->cols, nr, 1.0f, &a, &b,
                           r == 0 ? beta : 1.0f, &c, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* y (n, out) = x·Wᵀ + b + c·(x·Aᵀ)·Bᵀ, keeping x·Aᵀ in @mid. */
static gboolean
dropout_active (const WhTrainStep *ts)
{
  return ts->training && ts->dropout > 0.0f;
}

/* A mask per sequence (the step's seed), layer and projection, as PEFT
 * has one dropout module per adapted projection. */
static guint32
dropout_seed (const WhTrainStep *ts,
              guint              layer,
              WhLoraTarget       target)
{
  return ts->dropout_seed * 0x9e3779b1u + layer * WH_LORA_N_TARGETS + target;
}

static gboolean
projection (WhTrainStep      *ts,
            guint             layer,
            WhLoraTarget      target,
            const WhWeight   *w,
            const WhWeight   *bias,
            WhClBuffer       *x,
            WhClBuffer       *y,
            gsize             n,
            GError          **error)
{
  const WhLoraPair *pair = lora_pair (ts, layer, target);

  if (!frozen_product (ts, w, 0, w->rows, x, w->cols, y, w->rows, n, FALSE, 0.0f, error))
    return FALSE;
  if (pair != NULL)
    {
      WhClMatrix xm = { x, 0, w->cols };
      WhClMatrix am = { pair->a, 0, w->cols };
      WhClMatrix mm = { ts->acts.mid[target], 0, ts->rank };
      WhClMatrix bm = { pair->b, 0, ts->rank };
      WhClMatrix ym = { y, 0, w->rows };

      if (dropout_active (ts))
        {
          if (!wh_cl_dropout (ts->ctx, x, ts->xdrop, n * w->cols, dropout_seed (ts, layer, target),
                              ts->dropout, error))
            return FALSE;
          xm.buffer = ts->xdrop;
        }
      if (!wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, ts->rank, w->cols, 1.0f, &xm, &am, 0.0f, &mm, error) ||
          !wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_TRANS, n, w->rows, ts->rank, ts->lora_scale, &mm, &bm, 1.0f, &ym, error))
        return FALSE;
    }
  if (bias != NULL && bias->buffer != NULL)
    return wh_cl_add_bias (ts->ctx, y, bias->buffer, n, w->rows, error);
  return TRUE;
}

/* dW (rows, cols) += dyᵀ·x over @n tokens: the gradient of a trained
 * weight (full fine-tuning, and the LM head in row chunks). */
static gboolean
weight_grad (WhTrainStep  *ts,
             WhClBuffer   *dw,
             gsize         dw_offset,
             gsize         rows,
             gsize         cols,
             WhClBuffer   *dy,
             WhClBuffer   *x,
             gsize         n,
             GError      **error)
{
  WhClMatrix dym = { dy, 0, rows };
  WhClMatrix xm = { x, 0, cols };
  WhClMatrix dwm = { dw, dw_offset, cols };

  return wh_cl_gemm (ts->ctx, WH_CL_TRANS, WH_CL_NO_TRANS, rows, cols, n, 1.0f, &dym, &xm, 1.0f, &dwm, error);
}

/* Full fine-tuning: dW += dyᵀ·x, and db (rows) += Σ over tokens of dy,
 * as the product ones (1, n)·dy (n, rows). */
static gboolean
projection_weight_grads (WhTrainStep     *ts,
                         guint            layer,
                         WhLoraTarget     target,
                         const WhWeight  *w,
                         WhClBuffer      *x,
                         WhClBuffer      *dy,
                         gsize            n,
                         GError         **error)
{
  WhTrainParam *pb = ts->full[layer].bias[target];

  if (!weight_grad (ts, ts->full[layer].w[target]->grad, 0, w->rows, w->cols, dy, x, n, error))
    return FALSE;
  if (pb != NULL)
    {
      WhClMatrix onesm = { ts->ones, 0, n };
      WhClMatrix dym = { dy, 0, w->rows };
      WhClMatrix dbm = { pb->grad, 0, w->rows };

      return wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, 1, w->rows, n, 1.0f, &onesm, &dym,
                         1.0f, &dbm, error);
    }
  return TRUE;
}

/* Backward of projection(): the trained weights' gradients (LoRA or full),
 * and dx (+)= dy·W + dm·A. */
static gboolean
projection_backward (WhTrainStep     *ts,
                     guint            layer,
                     WhLoraTarget     target,
                     const WhWeight  *w,
                     WhClBuffer      *x,
                     WhClBuffer      *dy,
                     WhClBuffer      *dx,
                     gboolean         accumulate,
                     gsize            n,
                     GError         **error)
{
  const WhLoraPair *pair = lora_pair (ts, layer, target);

  if (!frozen_product (ts, w, 0, w->rows, dy, w->rows, dx, w->cols, n, TRUE, accumulate ? 1.0f : 0.0f, error))
    return FALSE;
  if (ts->full != NULL)
    return projection_weight_grads (ts, layer, target, w, x, dy, n, error);
  if (pair != NULL)
    {
      WhClMatrix dym = { dy, 0, w->rows };
      WhClMatrix mm = { ts->acts.mid[target], 0, ts->rank };
      WhClMatrix dbm = { ts->lora[layer][target][1]->grad, 0, ts->rank };
      WhClMatrix bm = { pair->b, 0, ts->rank };
      WhClMatrix dmm = { ts->dmid, 0, ts->rank };
      WhClMatrix xm = { x, 0, w->cols };
      WhClMatrix dam = { ts->lora[layer][target][0]->grad, 0, w->cols };
      WhClMatrix am = { pair->a, 0, w->cols };
      WhClMatrix dxm = { dx, 0, w->cols };

      guint32 seed = dropout_seed (ts, layer, target);
      gboolean dropped = dropout_active (ts);

      /* With dropout the adapter saw d(x), with d the same mask as in
       * forward: dA += dmᵀ·d(x) and dx += d(dm·A). */
      if (dropped)
        {
          if (!wh_cl_dropout (ts->ctx, x, ts->xdrop, n * w->cols, seed, ts->dropout, error))
            return FALSE;
          xm.buffer = ts->xdrop;
        }
      if (!wh_cl_gemm (ts->ctx, WH_CL_TRANS, WH_CL_NO_TRANS, w->rows, ts->rank, n, ts->lora_scale,
                       &dym, &mm, 1.0f, &dbm, error) ||
          !wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, n, ts->rank, w->rows, ts->lora_scale,
                       &dym, &bm, 0.0f, &dmm, error) ||
          !wh_cl_gemm (ts->ctx, WH_CL_TRANS, WH_CL_NO_TRANS, ts->rank, w->cols, n, 1.0f,
                       &dmm, &xm, 1.0f, &dam, error))
        return FALSE;
      if (!dropped)
        return wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, n, w->cols, ts->rank, 1.0f,
                           &dmm, &am, 1.0f, &dxm, error);
      {
        WhClMatrix tm = { ts->xdrop, 0, w->cols };

        if (!wh_cl_gemm (ts->ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, n, w->cols, ts->rank, 1.0f,
                         &dmm, &am, 0.0f, &tm, error) ||
            !wh_cl_dropout (ts->ctx, ts->xdrop, ts->xdrop, n * w->cols, seed, ts->dropout, error) ||
            !wh_cl_add_scaled (ts->ctx, dx, 1.0f, ts->xdrop, n * w->cols, error))
          return FALSE;
      }
    }
  return TRUE;
}

/* RoPE on @x (n, n_heads, head_dim), or its backward: positions from 0,
 * or those of a packed sequence's own tokens. */
static gboolean
rope (WhTrainStep  *ts,
      WhClBuffer   *x,
      guint         n_heads,
      gsize         n,
      gboolean      backward,
      GError      **error)
{
  WhModel *m = ts->model;
  guint d = m->config.head_dim;

  if (ts->packed)
    return backward
      ? wh_cl_rope_backward_positions (ts->ctx, x, m->inv_freq, ts->positions, n, n_heads, d, WH_CL_ROPE_ROTATE_HALF, error)
      : wh_cl_rope_positions (ts->ctx, x, m->inv_freq, ts->positions, n, n_heads, d, WH_CL_ROPE_ROTATE_HALF, error);
  return backward
    ? wh_cl_rope_backward (ts->ctx, x, m->inv_freq, n, n_heads, d, 0, WH_CL_ROPE_ROTATE_HALF, error)
    : wh_cl_rope (ts->ctx, x, m->inv_freq, n, n_heads, d, 0, WH_CL_ROPE_ROTATE_HALF, error);
}

/* The layer's forward from its checkpoint x into @x_out, keeping every
 * activation in ts->acts. */
static gboolean
layer_forward (WhTrainStep  *ts,
               guint         index,
               WhClBuffer   *x,
               WhClBuffer   *x_out,
               gsize         n,
               GError      **error)
{
  WhModel *m = ts->model;
  const WhModelConfig *c = &m->config;
  const WhLayer *l = &m->layers[index];
  WhTrainActs *a = &ts->acts;
  gsize D = c->hidden_size;
  float eps = c->rms_norm_eps;
  float scale = 1.0f / sqrtf ((float) c->head_dim);

  return wh_cl_rmsnorm (ts->ctx, a->h1, x, l->attn_norm.buffer, n, D, eps, error) &&
         projection (ts, index, WH_LORA_Q_PROJ, &l->wq, &l->bq, a->h1, a->q, n, error) &&
         projection (ts, index, WH_LORA_K_PROJ, &l->wk, &l->bk, a->h1, a->k, n, error) &&
         projection (ts, index, WH_LORA_V_PROJ, &l->wv, &l->bv, a->h1, a->v, n, error) &&
         rope (ts, a->q, c->n_heads, n, FALSE, error) &&
         rope (ts, a->k, c->n_kv_heads, n, FALSE, error) &&
         wh_cl_attention_train_forward (ts->ctx, a->attn, a->lse, a->q, a->k, a->v, ts->packed ? ts->seg : NULL, n,
                                        c->n_heads, c->n_kv_heads, c->head_dim, scale, error) &&
         projection (ts, index, WH_LORA_O_PROJ, &l->wo, &l->bo, a->attn, a->x2, n, error) &&
         wh_cl_add (ts->ctx, a->x2, x, n * D, error) &&
         wh_cl_rmsnorm (ts->ctx, a->h2, a->x2, l->ffn_norm.buffer, n, D, eps, error) &&
         projection (ts, index, WH_LORA_GATE_PROJ, &l->w_gate, NULL, a->h2, a->g, n, error) &&
         projection (ts, index, WH_LORA_UP_PROJ, &l->w_up, NULL, a->h2, a->u, n, error) &&
         wh_cl_swiglu_forward (ts->ctx, a->s, a->g, a->u, n * c->intermediate_size, error) &&
         projection (ts, index, WH_LORA_DOWN_PROJ, &l->w_down, NULL, a->s, x_out, n, error) &&
         wh_cl_add (ts->ctx, x_out, a->x2, n * D, error);
}

/* Given dx' in ts->dx, replaces it with dx for the layer's input.  The
 * activations in ts->acts must be this layer's. */
static gboolean
layer_backward (WhTrainStep  *ts,
                guint         index,
                WhClBuffer   *x,
                gsize         n,
                GError      **error)
{
  WhModel *m = ts->model;
  const WhModelConfig *c = &m->config;
  const WhLayer *l = &m->layers[index];
  WhTrainActs *a = &ts->acts;
  gsize D = c->hidden_size, I = c->intermediate_size;
  float eps = c->rms_norm_eps;
  float scale = 1.0f / sqrtf ((float) c->head_dim);

  /* dx2 = dx' (residual); down projection; SwiGLU; gate and up. */
  return wh_cl_copy (ts->ctx, ts->dx2, 0, ts->dx, 0, n * D * sizeof (float), error) &&
         projection_backward (ts, index, WH_LORA_DOWN_PROJ, &l->w_down, a->s, ts->dx, ts->ds, FALSE, n, error) &&
         wh_cl_buffer_fill_zero (ts->dg, error) && wh_cl_buffer_fill_zero (ts->du, error) &&
         wh_cl_swiglu_backward (ts->ctx, ts->dg, ts->du, ts->ds, a->g, a->u, n * I, error) &&
         projection_backward (ts, index, WH_LORA_GATE_PROJ, &l->w_gate, a->h2, ts->dg, ts->dh, FALSE, n, error) &&
         projection_backward (ts, index, WH_LORA_UP_PROJ, &l->w_up, a->h2, ts->du, ts->dh, TRUE, n, error) &&
         wh_cl_rmsnorm_backward (ts->ctx, ts->dx2, ts->full ? ts->full[index].ffn_norm->grad : NULL,
                                 ts->dh, a->x2, l->ffn_norm.buffer, n, D, eps, error) &&
         /* dx = dx2 (residual); attention output projection; attention. */
         wh_cl_copy (ts->ctx, ts->dx, 0, ts->dx2, 0, n * D * sizeof (float), error) &&
         projection_backward (ts, index, WH_LORA_O_PROJ, &l->wo, a->attn, ts->dx2, ts->dattn, FALSE, n, error) &&
         wh_cl_attention_backward (ts->ctx, ts->dq, ts->dk, ts->dv, ts->delta, ts->dattn, a->q, a->k, a->v,
                                   a->attn, a->lse, ts->packed ? ts->seg : NULL, n, c->n_heads, c->n_kv_heads,
                                   c->head_dim, scale, error) &&
         rope (ts, ts->dq, c->n_heads, n, TRUE, error) &&
         rope (ts, ts->dk, c->n_kv_heads, n, TRUE, error) &&
         projection_backward (ts, index, WH_LORA_Q_PROJ, &l->wq, a->h1, ts->dq, ts->dh, FALSE, n, error) &&
         projection_backward (ts, index, WH_LORA_K_PROJ, &l->wk, a->h1, ts->dk, ts->dh, TRUE, n, error) &&
         projection_backward (ts, index, WH_LORA_V_PROJ, &l->wv, a->h1, ts->dv, ts->dh, TRUE, n, error) &&
         wh_cl_rmsnorm_backward (ts->ctx, ts->dx, ts->full ? ts->full[index].attn_norm->grad : NULL,
                                 ts->dh, x, l->attn_norm.buffer, n, D, eps, error);
}

/* The loss and its gradient through the LM head, in vocabulary chunks:
 * fills ts->dx with d(loss)/d(last layer's output). */
static gboolean
head_loss (WhTrainStep  *ts,
           gsize         n,
           float         scale,
           gboolean      backward,
           double       *loss_sum,
           GError      **error)
{
  WhModel *m = ts->model;
  const WhModelConfig *c = &m->config;
  const WhWeight *w = m->output.buffer != NULL ? &m->output : &m->embed;
  WhClBuffer *x = ts->ckpt[c->n_layers];
  gsize D = c->hidden_size, V = c->vocab_size;
  g_autofree float *losses = g_new (float, n);

  if (!wh_cl_rmsnorm (ts->ctx, ts->hf, x, m->final_norm.buffer, n, D, c->rms_norm_eps, error))
    return FALSE;

  for (int pass = 0; pass < (backward ? 2 : 1); pass++)
    {
      if (pass == 1 && !wh_cl_buffer_fill_zero (ts->dh, error))
        return FALSE;
      for (gsize v0 = 0; v0 < V; v0 += LM_CHUNK)
        {
          gsize nv = MIN (LM_CHUNK, V - v0);

          if (!frozen_product (ts, w, v0, nv, ts->hf, D, ts->logits, nv, n, FALSE, 0.0f, error))
            return FALSE;
          if (pass == 0)
            {
              if (!wh_cl_ce_chunk_stats (ts->ctx, ts->stats, ts->logits, ts->targets, n, nv, v0, error))
                return FALSE;
            }
          else if (!wh_cl_ce_chunk_grad (ts->ctx, ts->logits, ts->logits, ts->stats, ts->targets, n, nv, v0, scale, error) ||
                   !frozen_product (ts, w, v0, nv, ts->logits, nv, ts->dh, D, n, TRUE, 1.0f, error) ||
                   (ts->full != NULL &&
                    !weight_grad (ts, (ts->output != NULL ? ts->output : ts->embed)->grad, v0 * D, nv, D,
                                  ts->logits, ts->hf, n, error)))
            return FALSE;
        }
      if (pass == 0 &&
          (!wh_cl_ce_finish (ts->ctx, ts->losses, ts->stats, ts->targets, n, error) ||
           !wh_cl_buffer_read (ts->losses, 0, losses, n * sizeof (float), error)))
        return FALSE;
    }

  *loss_sum = 0;
  for (gsize i = 0; i < n; i++)
    *loss_sum += losses[i];
  if (!backward)
    return TRUE;

  return wh_cl_buffer_fill_zero (ts->dx, error) &&
         wh_cl_rmsnorm_backward (ts->ctx, ts->dx, ts->full ? ts->final_norm->grad : NULL,
                                 ts->dh, x, m->final_norm.buffer, n, D, c->rms_norm_eps, error);
}

/* Uploads the sequence ids of a packed sequence, @seg, and each token's
 * position in its own sequence. */
static gboolean
upload_segments (WhTrainStep   *ts,
                 const gint32  *seg,
                 gsize          n,
                 GError       **error)
{
  g_autofree gint32 *positions = g_new (gint32, n);

  for (gsize t = 0; t < n; t++)
    {
      if (t > 0 && seg[t] < seg[t - 1])
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                       _("The sequences of a packed batch must follow one another (token %" G_GSIZE_FORMAT ")"), t);
          return FALSE;
        }
      positions[t] = t > 0 && seg[t] == seg[t - 1] ? positions[t - 1] + 1 : 0;
    }
  return wh_cl_buffer_write (ts->seg, 0, seg, n * sizeof (gint32), error) &&
         wh_cl_buffer_write (ts->positions, 0, positions, n * sizeof (gint32), error);
}

/* Uploads one sequence (a packed one when @seg is not NULL) and runs the
 * layers forward, keeping only each layer's input. */
static gboolean
forward (WhTrainStep   *ts,
         const gint32  *ids,
         const gint32  *targets,
         const gint32  *seg,
         gsize          n,
         GError       **error)
{
  WhModel *m = ts->model;
  const WhModelConfig *c = &m->config;

  g_return_val_if_fail (n > 0 && n <= ts->max_tokens, FALSE);

  ts->packed = seg != NULL;
  if (seg != NULL && !upload_segments (ts, seg, n, error))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    if (ids[i] < 0 || (guint) ids[i] >= c->vocab_size || targets[i] >= (gint32) c->vocab_size)
      {
        g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                     _("Token id %d is outside the model’s vocabulary of %u"),
                     ids[i] < 0 || (guint) ids[i] >= c->vocab_size ? ids[i] : targets[i], c->vocab_size);
        return FALSE;
      }

  if (!wh_cl_buffer_write (ts->ids, 0, ids, n * sizeof (gint32), error) ||
      !wh_cl_buffer_write (ts->targets, 0, targets, n * sizeof (gint32), error))
    return FALSE;

  if (m->embed.type == WH_CL_DTYPE_F32)
    {
      if (!wh_cl_embedding (ts->ctx, ts->ckpt[0], m->embed.buffer, c->vocab_size, ts->ids, n, c->hidden_size, error))
        return FALSE;
    }
  else if (!wh_cl_dequantize_gather (ts->ctx, ts->ckpt[0], m->embed.buffer, 0, m->embed.type, c->vocab_size,
                                     c->hidden_size, ts->ids, n, error))
    return FALSE;

  for (guint l = 0; l < c->n_layers; l++)
    if (!layer_forward (ts, l, ts->ckpt[l], ts->ckpt[l + 1], n, error))
      return FALSE;
  return TRUE;
}

/* After forward(): the loss, and the gradients back through the head
 * and the layers, recomputing each layer from its checkpoint. */
static gboolean
backward (WhTrainStep   *ts,
          gsize          n,
          float          scale,
          double        *loss_sum,
          GError       **error)
{
  const WhModelConfig *c = &ts->model->config;

  if (!head_loss (ts, n, scale, TRUE, loss_sum, error))
    return FALSE;
  for (guint l = c->n_layers; l-- > 0;)
    if (!layer_forward (ts, l, ts->ckpt[l], ts->hf, n, error) ||
        !layer_backward (ts, l, ts->ckpt[l], n, error))
      return FALSE;
  /* Tied embeddings get this on top of the LM head's gradient. */
  if (ts->full != NULL &&
      !wh_cl_embedding_backward (ts->ctx, ts->embed->grad, c->vocab_size, ts->dx, ts->ids, n, c->hidden_size, error))
    return FALSE;

  return wh_cl_context_finish (ts->ctx, error);
}

/**
 * wh_train_step_set_dropout:
 * @p: the probability of dropping each input of an adapter, in [0, 1)
 * @seed: picks the masks of the next accumulate()
 *
 * LoRA dropout as PEFT applies it, on the input of each adapted
 * projection during training (never in wh_train_step_loss()).  The masks
 * are a function of @seed, the layer and the projection, so the same seed
 * gives the same step.
 */
void
wh_train_step_set_dropout (WhTrainStep *ts,
                           float        p,
                           guint32      seed)
{
  g_return_if_fail (ts != NULL);
  g_return_if_fail (p >= 0.0f && p < 1.0f);

  ts->dropout = ts->adapter != NULL ? p : 0.0f;
  ts->dropout_seed = seed;
}

gboolean
wh_train_step_accumulate (WhTrainStep   *ts,
                          const gint32  *ids,
                          const gint32  *targets,
                          gsize          n,
                          float          scale,
                          double        *loss_sum,
                          GError       **error)
{
  return wh_train_step_accumulate_packed (ts, ids, targets, NULL, n, scale, loss_sum, error);
}

/**
 * wh_train_step_accumulate_packed:
 * @seg: (nullable): (n) the sequence id of each token, non-decreasing
 *
 * See wh-train-step.h.
 */
gboolean
wh_train_step_accumulate_packed (WhTrainStep   *ts,
                                 const gint32  *ids,
                                 const gint32  *targets,
                                 const gint32  *seg,
                                 gsize          n,
                                 float          scale,
                                 double        *loss_sum,
                                 GError       **error)
{
  double local_loss;
  gboolean ok;

  ts->training = TRUE;
  ok = forward (ts, ids, targets, seg, n, error) &&
       backward (ts, n, scale, loss_sum != NULL ? loss_sum : &local_loss, error);
  ts->training = FALSE;
  return ok;
}

gboolean
wh_train_step_loss (WhTrainStep   *ts,
                    const gint32  *ids,
                    const gint32  *targets,
                    gsize          n,
                    double        *loss_sum,
                    GError       **error)
{
  return forward (ts, ids, targets, NULL, n, error) &&
         head_loss (ts, n, 0.0f, FALSE, loss_sum, error);
}

gboolean
wh_train_step_optimize (WhTrainStep            *ts,
                        const WhClAdamwParams  *params,
                        guint                   t,
                        double                  max_norm,
                        float                  *grad_norm,
                        GError                **error)
{
  g_autofree WhClBuffer **grads = g_new (WhClBuffer *, ts->params->len);
  g_autofree gsize *counts = g_new (gsize, ts->params->len);
  float norm = 0;

  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);

      grads[i] = p->grad;
      counts[i] = p->n;
    }
  if (!wh_cl_clip_grad_norm (ts->ctx, grads, counts, ts->params->len,
                             max_norm > 0 ? max_norm : G_MAXFLOAT, &norm, error))
    return FALSE;
  if (grad_norm != NULL)
    *grad_norm = norm;

  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);

      if (!wh_cl_adamw_step (ts->ctx, p->param, p->grad, p->m, p->v, p->n, params, t, error))
        return FALSE;
    }
  return wh_cl_context_finish (ts->ctx, error);
}
