/* wh-ref-ops.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-ref-ops.h"

/* out (n_tokens, dim) = table (n_rows, dim) rows ids[t]; an id outside
 * [0, n_rows) gives a zero row. */
void
wh_ref_embedding (float        *out,
                  const float  *table,
                  gsize         n_rows,
                  const gint32 *ids,
                  gsize         n_tokens,
                  gsize         dim)
{
  for (gsize t = 0; t < n_tokens; t++)
    {
      if (ids[t] >= 0 && (gsize) ids[t] < n_rows)
        memcpy (out + t * dim, table + (gsize) ids[t] * dim, dim * sizeof (float));
      else
        memset (out + t * dim, 0, dim * sizeof (float));
    }
}

/* out (rows, dim) = x / sqrt(mean(x²) + eps) * weight (dim); out may be x. */
void
wh_ref_rmsnorm (float       *out,
                const float *x,
                const float *weight,
                gsize        rows,
                gsize        dim,
                float        eps)
{
  for (gsize r = 0; r < rows; r++)
    {
      const float *xr = x + r * dim;
      float *outr = out + r * dim;
      double ss = 0.0;
      double scale;

      for (gsize j = 0; j < dim; j++)
        ss += (double) xr[j] * xr[j];
      scale = 1.0 / sqrt (ss / dim + eps);

      for (gsize j = 0; j < dim; j++)
        outr[j] = xr[j] * scale * weight[j];
    }
}

/* Rotates x (n_tokens, n_heads, head_dim) in place, token t at position
 * pos0 + t.  Pair i turns by the f32 angle position · inv_freq[i] (f32 as
 * Hugging Face forms it); the rotation itself is done in double.
 *   rotate-half:  pairs (i, i + head_dim/2)
 *   interleaved:  pairs (2i, 2i + 1) */
void
wh_ref_rope (float         *x,
             const float   *inv_freq,
             gsize          n_tokens,
             gsize          n_heads,
             gsize          head_dim,
             gsize          pos0,
             WhClRopeStyle  style)
{
  gsize half = head_dim / 2;

  for (gsize t = 0; t < n_tokens; t++)
    for (gsize h = 0; h < n_heads; h++)
      {
        float *v = x + (t * n_heads + h) * head_dim;

        for (gsize i = 0; i < half; i++)
          {
            float angle = (float) (pos0 + t) * inv_freq[i];
            double c = cos (angle);
            double s = sin (angle);
            gsize ia = style == WH_CL_ROPE_INTERLEAVED ? 2 * i : i;
            gsize ib = style == WH_CL_ROPE_INTERLEAVED ? 2 * i + 1 : i + half;
            double a = v[ia];
            double b = v[ib];

            v[ia] = a * c - b * s;
            v[ib] = b * c + a * s;
          }
      }
}

/* out (n_tokens, n_heads, head_dim) = softmax(q·kᵀ · scale) · v, causal:
 * query t (position pos0 + t) sees cache positions 0 … pos0 + t; head h
 * reads KV head h / (n_heads / n_kv_heads).  q is (n_tokens, n_heads,
 * head_dim), the caches (≥ pos0 + n_tokens, n_kv_heads, head_dim). */
void
wh_ref_attention (float       *out,
                  const float *q,
                  const float *k_cache,
                  const float *v_cache,
                  gsize        n_tokens,
                  gsize        n_heads,
                  gsize        n_kv_heads,
                  gsize        head_dim,
                  gsize        pos0,
                  float        scale)
{
  gsize group = n_heads / n_kv_heads;
  gsize kv_stride = n_kv_heads * head_dim;
  g_autofree double *scores = g_new (double, pos0 + n_tokens);
  g_autofree double *acc = g_new (double, head_dim);

  for (gsize t = 0; t < n_tokens; t++)
    for (gsize h = 0; h < n_heads; h++)
      {
        const float *qh = q + (t * n_heads + h) * head_dim;
        const float *k = k_cache + (h / group) * head_dim;
        const float *v = v_cache + (h / group) * head_dim;
        gsize n_keys = pos0 + t + 1;
        double max = -INFINITY;
        double sum = 0.0;

        for (gsize j = 0; j < n_keys; j++)
          {
            double dot = 0.0;

            for (gsize d = 0; d < head_dim; d++)
              dot += (double) qh[d] * k[j * kv_stride + d];
            scores[j] = dot * scale;
            max = MAX (max, scores[j]);
          }

        for (gsize j = 0; j < n_keys; j++)
          {
            scores[j] = exp (scores[j] - max);
            sum += scores[j];
          }

        for (gsize d = 0; d < head_dim; d++)
          acc[d] = 0.0;
        for (gsize j = 0; j < n_keys; j++)
          for (gsize d = 0; d < head_dim; d++)
            acc[d] += scores[j] / sum * v[j * kv_stride + d];

        for (gsize d = 0; d < head_dim; d++)
          out[(t * n_heads + h) * head_dim + d] = acc[d];
      }
}

/* y (n) += x (n) */
void
wh_ref_add (float       *y,
            const float *x,
            gsize        n)
{
  for (gsize i = 0; i < n; i++)
    y[i] += x[i];
}

/* x (rows, cols) += bias (cols) */
void
wh_ref_add_bias (float       *x,
                 const float *bias,
                 gsize        rows,
                 gsize        cols)
{
  for (gsize r = 0; r < rows; r++)
    for (gsize j = 0; j < cols; j++)
      x[r * cols + j] += bias[j];
}

/* Each row of x (rows, cols) = exp(x - max) / Σ exp(x - max), in place. */
void
wh_ref_softmax_rows (float *x,
                     gsize  rows,
                     gsize  cols)
{
  for (gsize r = 0; r < rows; r++)
    {
      float *row = x + r * cols;
      double max = -INFINITY;
      double sum = 0.0;

      for (gsize j = 0; j < cols; j++)
        max = MAX (max, row[j]);
      for (gsize j = 0; j < cols; j++)
        sum += exp (row[j] - max);
      for (gsize j = 0; j < cols; j++)
        row[j] = exp (row[j] - max) / sum;
    }
}

/* inv_freq (head_dim / 2) = 1 / theta^(2i / head_dim): Llama's default,
 * unscaled RoPE frequencies, in f32 as Hugging Face computes them. */
void
wh_ref_rope_inv_freq (float  *inv_freq,
                      gsize   head_dim,
                      double  theta)
{
  for (gsize i = 0; i < head_dim / 2; i++)
    inv_freq[i] = 1.0f / powf ((float) theta, (float) (2 * i) / (float) head_dim);
}
