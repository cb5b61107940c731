/* wh-ref.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "wh-ref.h"

/* C (m, n) = alpha * op(A) (m, k) · op(B) (k, n) + beta * C, row-major.
 * op(A) is A (m, k) with leading dimension lda, or A^T where A is (k, m).
 * Accumulates in double so the reference is not the weaker side. */
void
wh_ref_gemm (gboolean     trans_a,
             gboolean     trans_b,
             gsize        m,
             gsize        n,
             gsize        k,
             float        alpha,
             const float *a,
             gsize        lda,
             const float *b,
             gsize        ldb,
             float        beta,
             float       *c,
             gsize        ldc)
{
  for (gsize i = 0; i < m; i++)
    for (gsize j = 0; j < n; j++)
      {
        double acc = 0.0;

        for (gsize p = 0; p < k; p++)
          {
            float av = trans_a ? a[p * lda + i] : a[i * lda + p];
            float bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
            acc += (double) av * (double) bv;
          }

        /* BLAS semantics: beta == 0 ignores whatever C held, NaN included. */
        c[i * ldc + j] = alpha * acc + (beta == 0.0f ? 0.0f : beta * c[i * ldc + j]);
      }
}

/* out (n) = silu(gate) * up */
void
wh_ref_swiglu_forward (float       *out,
                       const float *gate,
                       const float *up,
                       gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      double g = gate[i];
      double s = 1.0 / (1.0 + exp (-g));
      out[i] = g * s * up[i];
    }
}

/* dgate (n) += dout * up * s * (1 + g (1 - s)); dup (n) += dout * g * s */
void
wh_ref_swiglu_backward (float       *dgate,
                        float       *dup,
                        const float *dout,
                        const float *gate,
                        const float *up,
                        gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      double g = gate[i];
      double s = 1.0 / (1.0 + exp (-g));
      dgate[i] += dout[i] * up[i] * s * (1.0 + g * (1.0 - s));
      dup[i] += dout[i] * g * s;
    }
}

/* ‖got − want‖₂ / max(‖want‖₂, tiny): one number that does not depend on
 * the scale of the data, as llm.c and ggml's backend tests compare. */
double
wh_ref_normalized_error (const float *got,
                         const float *want,
                         gsize        n)
{
  double diff = 0.0;
  double norm = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double d = (double) got[i] - (double) want[i];
      diff += d * d;
      norm += (double) want[i] * want[i];
    }

  if (isnan (diff))
    return INFINITY;

  return sqrt (diff) / MAX (sqrt (norm), 1e-30);
}
