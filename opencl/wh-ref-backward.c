/* wh-ref-backward.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "wh-ref-backward.h"

/* Backward of wh_ref_rmsnorm(); per row, r = 1/sqrt(mean(x²) + eps),
 * g = dy · weight:
 *   dx (rows, dim) += r·g − x · r³ · Σ(g·x) / dim
 *   dweight (dim)  += Σ_rows dy · x · r        (when not NULL) */
void
wh_ref_rmsnorm_backward (float       *dx,
                         float       *dweight,
                         const float *dy,
                         const float *x,
                         const float *weight,
                         gsize        rows,
                         gsize        dim,
                         float        eps)
{
  g_autofree double *dw = dweight != NULL ? g_new0 (double, dim) : NULL;

  for (gsize r = 0; r < rows; r++)
    {
      const float *xr = x + r * dim;
      const float *dyr = dy + r * dim;
      double ss = 0.0, gx = 0.0, rs, c;

      for (gsize j = 0; j < dim; j++)
        {
          ss += (double) xr[j] * xr[j];
          gx += (double) dyr[j] * weight[j] * xr[j];
        }
      rs = 1.0 / sqrt (ss / dim + eps);
      c = gx * rs * rs * rs / dim;

      for (gsize j = 0; j < dim; j++)
        dx[r * dim + j] += rs * dyr[j] * weight[j] - c * xr[j];

      if (dw != NULL)
        for (gsize j = 0; j < dim; j++)
          dw[j] += (double) dyr[j] * xr[j] * rs;
    }

  if (dw != NULL)
    for (gsize j = 0; j < dim; j++)
      dweight[j] += dw[j];
}

/* Backward of wh_ref_rope(): turns each pair of dx (n_tokens, n_heads,
 * head_dim) by minus the forward's angle, in place. */
void
wh_ref_rope_backward (float         *dx,
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
        float *v = dx + (t * n_heads + h) * head_dim;

        for (gsize i = 0; i < half; i++)
          {
            float angle = (float) (pos0 + t) * inv_freq[i];
            double c = cos (angle);
            double s = sin (angle);
            gsize ia = style == WH_CL_ROPE_INTERLEAVED ? 2 * i : i;
            gsize ib = style == WH_CL_ROPE_INTERLEAVED ? 2 * i + 1 : i + half;
            double a = v[ia];
            double b = v[ib];

            v[ia] = a * c + b * s;
            v[ib] = b * c - a * s;
          }
      }
}

/* dtable (n_rows, dim) row ids[t] += dy (n_tokens, dim) row t, tokens in
 * order (in f32, as the kernel adds); ids outside [0, n_rows) skipped. */
void
wh_ref_embedding_backward (float        *dtable,
                           gsize         n_rows,
                           const float  *dy,
                           const gint32 *ids,
                           gsize         n_tokens,
                           gsize         dim)
{
  for (gsize t = 0; t < n_tokens; t++)
    {
      if (ids[t] < 0 || (gsize) ids[t] >= n_rows)
        continue;

      for (gsize j = 0; j < dim; j++)
        dtable[(gsize) ids[t] * dim + j] += dy[t * dim + j];
    }
}

/* log Σ_j exp(z_j) of one row, stably. */
static double
logsumexp (const float *z,
           gsize        n)
{
  double max = -INFINITY, sum = 0.0;

  for (gsize j = 0; j < n; j++)
    max = MAX (max, z[j]);
  for (gsize j = 0; j < n; j++)
    sum += exp (z[j] - max);

  return max + log (sum);
}

/* losses (rows), written: logsumexp(z) − z[target] of each row of
 * logits (rows, vocab), 0 where the target is negative.  Returns the sum
 * of the losses, in double. */
double
wh_ref_cross_entropy (float        *losses,
                      const float  *logits,
                      const gint32 *targets,
                      gsize         rows,
                      gsize         vocab)
{
  double total = 0.0;

  for (gsize r = 0; r < rows; r++)
    {
      const float *z = logits + r * vocab;
      double loss = 0.0;

      if (targets[r] >= 0)
        loss = logsumexp (z, vocab) - z[targets[r]];
      if (losses != NULL)
        losses[r] = loss;
      total += loss;
    }

  return total;
}

/* dlogits (rows, vocab), written: the gradient of scale · Σ losses,
 * (softmax(z) − onehot(target)) · scale, 0 on rows whose target is
 * negative. */
void
wh_ref_cross_entropy_backward (float        *dlogits,
                               const float  *logits,
                               const gint32 *targets,
                               gsize         rows,
                               gsize         vocab,
                               float         scale)
{
  for (gsize r = 0; r < rows; r++)
    {
      const float *z = logits + r * vocab;
      float *dz = dlogits + r * vocab;
      double lse;

      if (targets[r] < 0)
        {
          for (gsize j = 0; j < vocab; j++)
            dz[j] = 0.0f;
          continue;
        }

      lse = logsumexp (z, vocab);
      for (gsize j = 0; j < vocab; j++)
        dz[j] = (exp (z[j] - lse) - ((gsize) targets[r] == j ? 1.0 : 0.0)) * scale;
    }
}

/* y (n) += a · x (n) */
void
wh_ref_add_scaled (float       *y,
                   float        a,
                   const float *x,
                   gsize        n)
{
  for (gsize i = 0; i < n; i++)
    y[i] += (double) a * x[i];
}

static guint32
dropout_hash (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

/* Inverted dropout with probability @p of zeroing each element, the
 * survivors scaled by 1 / (1 − p); element i survives when the hash of
 * (@seed, i) is at or above p · 2³².  @y may be @x. */
void
wh_ref_dropout (const float *x,
                float       *y,
                gsize        n,
                guint32      seed,
                float        p)
{
  guint32 threshold = wh_ref_dropout_threshold (p);
  float scale = 1.0f / (1.0f - p);

  for (gsize i = 0; i < n; i++)
    y[i] = dropout_hash ((guint32) i ^ dropout_hash (seed)) >= threshold ? x[i] * scale : 0.0f;
}

guint32
wh_ref_dropout_threshold (float p)
{
  return (guint32) MIN ((double) p * 4294967296.0, 4294967295.0);
}

/* Σ x² over x (n), in double. */
double
wh_ref_sum_squares (const float *x,
                    gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];

  return sum;
}
