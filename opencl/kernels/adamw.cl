// SPDX-License-Identifier: GPL-3.0-or-later
//
// The optimizer step: AdamW, and the global-norm gradient clipping that
// precedes it.
//
// AdamW as torch.optim.AdamW computes it (torch 2.5, _single_tensor_adamw,
// amsgrad off), operation for operation in f32, step t counted from 1:
//
//   p  = p * (1 - lr*wd)                        decoupled weight decay
//   m  = lerp(m, g, 1 - beta1)                  exp_avg
//   v  = v * beta2 + (1 - beta2) * g * g        exp_avg_sq (mul_, addcmul_)
//   denom = sqrt(v) / sqrt(1 - beta2^t) + eps
//   p  = p + (-lr / (1 - beta1^t)) * m / denom  addcdiv_
//
// The host computes the scalar factors in double, as torch does with Python
// floats, and passes them rounded to f32, as torch's kernels take them.
// The rounding of each operation then decides the last bit, so
// contraction is off and the two fused operations of torch's vectorised CPU
// kernels are spelled out:  lerp is fma(w, g - m, m) for w < 0.5, else
// fma(w - 1, g - m, g);  addcmul is fma((1 - beta2) * g, g, v * beta2).

#pragma OPENCL FP_CONTRACT OFF

// The reduction's shape is fixed, whatever the device, so that a sum depends
// on the data alone.  wh-cl-adamw.c has the same numbers.
#define SUMSQ_LOCAL    64
#define SUMSQ_PER_ITEM 16
#define SUMSQ_CHUNK    (SUMSQ_LOCAL * SUMSQ_PER_ITEM)

__kernel void
adamw_step_f32 (__global float       *p,               /* (n) */
                __global const float *g,               /* (n) */
                __global float       *m,               /* (n) exp_avg */
                __global float       *v,               /* (n) exp_avg_sq */
                const uint            n,
                const float           decay,           /* 1 - lr*wd */
                const float           one_minus_beta1,
                const float           beta2,
                const float           one_minus_beta2,
                const float           bias_correction2_sqrt,
                const float           eps,
                const float           neg_step_size)   /* -lr / (1 - beta1^t) */
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const float gi = g[i];
  const float mi = m[i];
  const float d = gi - mi;
  const float m_new = one_minus_beta1 < 0.5f
                      ? fma (one_minus_beta1, d, mi)
                      : fma (one_minus_beta1 - 1.0f, d, gi);
  const float v_new = fma (one_minus_beta2 * gi, gi, v[i] * beta2);
  const float denom = sqrt (v_new) / bias_correction2_sqrt + eps;
  const float pi = p[i] * decay;

  p[i] = pi + (neg_step_size * m_new) / denom;
  m[i] = m_new;
  v[i] = v_new;
}

// x = a * x
__kernel void
scale_f32 (__global float *x,   /* (n) */
           const uint      n,
           const float     a)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  x[i] = a * x[i];
}

// The trees over the work-group are common.cl's group_sum, whose shape is
// the group's: SUMSQ_LOCAL items, as reqd_work_group_size fixes it.

// Pass 1 of the sum of squares.  Work-group k owns x[k*CHUNK, (k+1)*CHUNK):
// each work-item adds the squares of its PER_ITEM elements, LOCAL apart (so
// that neighbouring work-items read neighbouring floats), in order, then the
// group adds the work-items' sums in a tree and writes partials[first + k].
__kernel __attribute__((reqd_work_group_size (SUMSQ_LOCAL, 1, 1))) void
sum_squares_partial_f32 (__global const float *x,          /* (n) */
                         const uint            n,
                         __global float       *partials,   /* (first + ceil(n / CHUNK)) */
                         const uint            first)
{
  __local float scratch[SUMSQ_LOCAL];
  const uint lid = get_local_id (0);
  const ulong base = (ulong) get_group_id (0) * SUMSQ_CHUNK + lid;
  float s = 0.0f;

  for (uint k = 0; k < SUMSQ_PER_ITEM; k++)
    {
      const ulong i = base + k * SUMSQ_LOCAL;

      if (i < n)
        {
          const float xi = x[i];
          s += xi * xi;
        }
    }

  s = group_sum (scratch, s);
  if (lid == 0)
    partials[first + get_group_id (0)] = s;
}

// Pass 2: one work-group adds the n partials and writes the total after
// them.  Work-item l takes partials l, l + LOCAL, … with compensated (Kahan)
// summation, since a large model leaves it thousands of them; then the tree.
__kernel __attribute__((reqd_work_group_size (SUMSQ_LOCAL, 1, 1))) void
sum_partials_f32 (__global float *partials,  /* (n + 1): n sums, then the total */
                  const uint      n)
{
  __local float scratch[SUMSQ_LOCAL];
  const uint lid = get_local_id (0);
  float s = 0.0f;
  float c = 0.0f;

  for (uint i = lid; i < n; i += SUMSQ_LOCAL)
    {
      const float y = partials[i] - c;
      const float t = s + y;

      c = (t - s) - y;
      s = t;
    }

  s = group_sum (scratch, s);
  if (lid == 0)
    partials[n] = s;
}
