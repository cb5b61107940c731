/* wh-cl-host-attention.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Training attention on a CPU device through the host's BLAS: the same
 * math as attention_train.cl (read it first), on the buffers' own memory
 * (wh-cl-host-gemm.c).  The OpenCL kernels are tiled for a GPU's local
 * memory and, compiled for a CPU, spend most of a small model's step;
 * here each block of query rows becomes a few BLAS products over the keys
 * it may see, with the softmax between them in plain C.
 *
 * A block of ROW_BLOCK query rows of one head holds its scores against
 * keys 0 … r1 - 1 (r1 the block's end: nothing later is visible), so the
 * scratch is ROW_BLOCK × n_tokens floats, twice for the backward; nothing
 * T² is kept, and as in the kernels the backward recomputes the
 * probabilities from q, k and the saved lse.  Sums run in a fixed order:
 * the results are the same bits run to run. */

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "wh-cl-error.h"
#include "wh-cl-host-attention.h"
#include "wh-cl-host-gemm.h"

#define ROW_BLOCK 128

typedef struct
{
  const WhClHostAttentionShape *shape;
  const gint32                 *seg;
  gsize                         q_ld;   /* floats between tokens of q, out, dout, dq */
  gsize                         kv_ld;  /* of k, v, dk, dv */
} Dims;

static inline gboolean
visible (const gint32 *seg,
         gsize         t,
         gsize         s)
{
  return s <= t && (seg == NULL || seg[s] == seg[t]);
}

static inline gsize
kv_head (const Dims *d,
         gsize       h)
{
  return h / (d->shape->n_heads / d->shape->n_kv_heads);
}

/* s (r1 - r0, r1) = scale · q[r0 … r1 - 1, h] · k[0 … r1 - 1, g]ᵀ */
static void
scores (float       *s,
        const float *q,
        const float *k,
        const Dims  *d,
        gsize        h,
        gsize        r0,
        gsize        r1)
{
  gsize hd = d->shape->head_dim;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               r1 - r0, r1, hd,
               d->shape->scale,
               q + r0 * d->q_ld + h * hd, d->q_ld,
               k + kv_head (d, h) * hd, d->kv_ld,
               0.0f, s, r1);
}

static void
forward (float       *out,
         float       *lse,
         const float *q,
         const float *k,
         const float *v,
         const Dims  *d,
         float       *s)
{
  gsize n_tokens = d->shape->n_tokens, hd = d->shape->head_dim;

  for (gsize h = 0; h < d->shape->n_heads; h++)
    for (gsize r0 = 0; r0 < n_tokens; r0 += ROW_BLOCK)
      {
        gsize r1 = MIN (r0 + ROW_BLOCK, n_tokens);

        scores (s, q, k, d, h, r0, r1);

        for (gsize t = r0; t < r1; t++)
          {
            float *row = s + (t - r0) * r1;
            float max = -INFINITY, sum = 0.0f, inv;

            for (gsize j = 0; j <= t; j++)
              if (visible (d->seg, t, j))
                max = MAX (max, row[j]);

            /* s = t is always visible: max is finite. */
            for (gsize j = 0; j < r1; j++)
              {
                row[j] = visible (d->seg, t, j) ? expf (row[j] - max) : 0.0f;
                sum += row[j];
              }

            inv = 1.0f / sum;
            for (gsize j = 0; j <= t; j++)
              row[j] *= inv;
            lse[h * n_tokens + t] = max + logf (sum);
          }

        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                     r1 - r0, hd, r1,
                     1.0f,
                     s, r1,
                     v + kv_head (d, h) * hd, d->kv_ld,
                     0.0f, out + r0 * d->q_ld + h * hd, d->q_ld);
      }
}

static void
backward (float       *dq,
          float       *dk,
          float       *dv,
          float       *delta,
          const float *dout,
          const float *q,
          const float *k,
          const float *v,
          const float *out,
          const float *lse,
          const Dims  *d,
          float       *p,
          float       *ds)
{
  gsize n_tokens = d->shape->n_tokens, hd = d->shape->head_dim;
  float scale = d->shape->scale;

  memset (dk, 0, n_tokens * d->kv_ld * sizeof (float));
  memset (dv, 0, n_tokens * d->kv_ld * sizeof (float));

  for (gsize h = 0; h < d->shape->n_heads; h++)
    for (gsize t = 0; t < n_tokens; t++)
      {
        const float *o = out + t * d->q_ld + h * hd, *g = dout + t * d->q_ld + h * hd;
        float sum = 0.0f;

        for (gsize i = 0; i < hd; i++)
          sum += o[i] * g[i];
        delta[h * n_tokens + t] = sum;
      }

  for (gsize h = 0; h < d->shape->n_heads; h++)
    for (gsize r0 = 0; r0 < n_tokens; r0 += ROW_BLOCK)
      {
        gsize r1 = MIN (r0 + ROW_BLOCK, n_tokens);
        gsize g = kv_head (d, h);

        scores (p, q, k, d, h, r0, r1);

        /* ds = dout · vᵀ = dP */
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                     r1 - r0, r1, hd,
                     1.0f,
                     dout + r0 * d->q_ld + h * hd, d->q_ld,
                     v + g * hd, d->kv_ld,
                     0.0f, ds, r1);

        for (gsize t = r0; t < r1; t++)
          {
            float *prow = p + (t - r0) * r1, *drow = ds + (t - r0) * r1;
            float row_lse = lse[h * n_tokens + t], row_delta = delta[h * n_tokens + t];

            for (gsize j = 0; j < r1; j++)
              {
                prow[j] = visible (d->seg, t, j) ? expf (prow[j] - row_lse) : 0.0f;
                drow[j] = prow[j] * (drow[j] - row_delta);
              }
          }

        /* dq = scale · dS · k */
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                     r1 - r0, hd, r1,
                     scale,
                     ds, r1,
                     k + g * hd, d->kv_ld,
                     0.0f, dq + r0 * d->q_ld + h * hd, d->q_ld);
        /* dk += scale · dSᵀ · q */
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
                     r1, hd, r1 - r0,
                     scale,
                     ds, r1,
                     q + r0 * d->q_ld + h * hd, d->q_ld,
                     1.0f, dk + g * hd, d->kv_ld);
        /* dv += Pᵀ · dout */
        cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
                     r1, hd, r1 - r0,
                     1.0f,
                     p, r1,
                     dout + r0 * d->q_ld + h * hd, d->q_ld,
                     1.0f, dv + g * hd, d->kv_ld);
      }
}

static void
dims_init (Dims                         *d,
           const WhClHostAttentionShape *shape,
           const gint32                 *seg)
{
  d->shape = shape;
  d->seg = seg;
  d->q_ld = shape->n_heads * shape->head_dim;
  d->kv_ld = shape->n_kv_heads * shape->head_dim;
}

gboolean
_wh_cl_host_attention_forward (WhClContext                  *ctx,
                               WhClBuffer                   *out,
                               WhClBuffer                   *lse,
                               WhClBuffer                   *q,
                               WhClBuffer                   *k,
                               WhClBuffer                   *v,
                               WhClBuffer                   *seg,
                               const WhClHostAttentionShape *shape,
                               GError                      **error)
{
  WhClHostMap map = { 0 };
  g_autofree float *s = g_new (float, MIN (ROW_BLOCK, shape->n_tokens) * shape->n_tokens);
  float *p_out, *p_lse, *p_q, *p_k, *p_v;
  gint32 *p_seg = NULL;
  Dims d;

  if ((p_out = _wh_cl_host_map (ctx, &map, out, error)) == NULL ||
      (p_lse = _wh_cl_host_map (ctx, &map, lse, error)) == NULL ||
      (p_q = _wh_cl_host_map (ctx, &map, q, error)) == NULL ||
      (p_k = _wh_cl_host_map (ctx, &map, k, error)) == NULL ||
      (p_v = _wh_cl_host_map (ctx, &map, v, error)) == NULL ||
      (seg != NULL && (p_seg = _wh_cl_host_map (ctx, &map, seg, error)) == NULL))
    {
      _wh_cl_host_unmap_all (ctx, &map, NULL);
      return FALSE;
    }

  dims_init (&d, shape, p_seg);
  forward (p_out, p_lse, p_q, p_k, p_v, &d, s);

  return _wh_cl_host_unmap_all (ctx, &map, error);
}

gboolean
_wh_cl_host_attention_backward (WhClContext                  *ctx,
                                WhClBuffer                   *dq,
                                WhClBuffer                   *dk,
                                WhClBuffer                   *dv,
                                WhClBuffer                   *delta,
                                WhClBuffer                   *dout,
                                WhClBuffer                   *q,
                                WhClBuffer                   *k,
                                WhClBuffer                   *v,
                                WhClBuffer                   *out,
                                WhClBuffer                   *lse,
                                WhClBuffer                   *seg,
                                const WhClHostAttentionShape *shape,
                                GError                      **error)
{
  WhClHostMap map = { 0 };
  gsize scratch = MIN (ROW_BLOCK, shape->n_tokens) * shape->n_tokens;
  g_autofree float *p = g_new (float, scratch);
  g_autofree float *ds = g_new (float, scratch);
  float *p_dq, *p_dk, *p_dv, *p_delta, *p_dout, *p_q, *p_k, *p_v, *p_out, *p_lse;
  gint32 *p_seg = NULL;
  Dims d;

  if ((p_dq = _wh_cl_host_map (ctx, &map, dq, error)) == NULL ||
      (p_dk = _wh_cl_host_map (ctx, &map, dk, error)) == NULL ||
      (p_dv = _wh_cl_host_map (ctx, &map, dv, error)) == NULL ||
      (p_delta = _wh_cl_host_map (ctx, &map, delta, error)) == NULL ||
      (p_dout = _wh_cl_host_map (ctx, &map, dout, error)) == NULL ||
      (p_q = _wh_cl_host_map (ctx, &map, q, error)) == NULL ||
      (p_k = _wh_cl_host_map (ctx, &map, k, error)) == NULL ||
      (p_v = _wh_cl_host_map (ctx, &map, v, error)) == NULL ||
      (p_out = _wh_cl_host_map (ctx, &map, out, error)) == NULL ||
      (p_lse = _wh_cl_host_map (ctx, &map, lse, error)) == NULL ||
      (seg != NULL && (p_seg = _wh_cl_host_map (ctx, &map, seg, error)) == NULL))
    {
      _wh_cl_host_unmap_all (ctx, &map, NULL);
      return FALSE;
    }

  dims_init (&d, shape, p_seg);
  backward (p_dq, p_dk, p_dv, p_delta, p_dout, p_q, p_k, p_v, p_out, p_lse, &d, p, ds);

  return _wh_cl_host_unmap_all (ctx, &map, error);
}
