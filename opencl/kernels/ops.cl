// SPDX-License-Identifier: GPL-3.0-or-later
//
// The element-wise and row-wise forward ops of a Llama-family decoder, in
// f32, as Hugging Face transformers computes them.  Buffers are row-major;
// every kernel has a plain-C twin in wh-ref-ops.c.
//
// Row-wise kernels (rmsnorm, softmax_rows) run one work-group per row; the
// host picks a power-of-two group size and passes a __local scratch of that
// many floats.  Element-wise kernels run one work-item per element and
// check the bound, since the global size is rounded up to the group size.
// The reductions over a work-group (group_sum, group_max) are common.cl's,
// the prelude of every program.

// out (n_tokens, dim) = table (n_rows, dim) rows ids[t]; an id outside
// [0, n_rows) gives a zero row.  One work-item per output element; the
// table offset is 64-bit, as a large vocabulary's table may need.
__kernel void
embedding_f32 (__global float       *out,    /* (n_tokens, dim) */
               __global const float *table,  /* (n_rows, dim) */
               __global const int   *ids,    /* (n_tokens) */
               const uint            n_rows,
               const uint            dim,
               const uint            n)      /* n_tokens * dim */
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const uint t = i / dim;
  const uint j = i - t * dim;
  const int id = ids[t];

  out[i] = (id >= 0 && (uint) id < n_rows) ? table[(ulong) id * dim + j] : 0.0f;
}

// RMSNorm (Llama):  out = x * rsqrt(mean(x²) + eps) * weight.
// The mean of squares is accumulated in f32 like torch's, strided over the
// group then reduced as a tree.  out may be x: every element is read and
// written by the same work-item, after the reduction's barriers.
__kernel void
rmsnorm_f32 (__global float       *out,     /* (rows, dim) */
             __global const float *x,       /* (rows, dim) */
             __global const float *weight,  /* (dim) */
             const uint            dim,
             const float           eps,
             __local float        *scratch) /* (local size) */
{
  const uint lid = get_local_id (0);
  const uint wg = get_local_size (0);
  const size_t row = (size_t) get_group_id (0) * dim;
  float ss = 0.0f;

  for (uint j = lid; j < dim; j += wg)
    {
      const float v = x[row + j];
      ss += v * v;
    }
  ss = group_sum (scratch, ss);

  const float r = rsqrt (ss / (float) dim + eps);

  for (uint j = lid; j < dim; j += wg)
    out[row + j] = x[row + j] * r * weight[j];
}

// Rotary position embedding, in place on x (n_tokens, n_heads, head_dim);
// token t is at position pos0 + t, or positions[t] when given (packed
// sequences each start again at 0).  One work-item per rotated pair
// (n = n_tokens * n_heads * head_dim / 2), turned by common.cl's
// rope_turn(); sign = -1 turns back by the same angle, which is the
// backward (backward.cl).
//
// rotate-half (Hugging Face):  pair (i, i + d/2)
//   out[i]       = x[i] cos - x[i + d/2] sin
//   out[i + d/2] = x[i + d/2] cos + x[i] sin
__kernel void
rope_rotate_half_f32 (__global float       *x,         /* (n_tokens, n_heads, head_dim) */
                      __global const float *inv_freq,  /* (head_dim / 2) */
                      __global const int   *positions, /* (n_tokens), or NULL: pos0 + t */
                      const uint            n_heads,
                      const uint            n_pairs,   /* head_dim / 2 */
                      const uint            pos0,
                      const uint            n,
                      const float           sign)      /* 1, or -1 to turn back (backward) */
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const uint th = i / n_pairs;            // token * n_heads + head
  const uint p = i - th * n_pairs;
  __global float *v = x + (size_t) th * 2 * n_pairs;

  rope_turn (v + p, v + p + n_pairs, inv_freq, positions, p, th / n_heads, pos0, sign);
}

// interleaved (GGUF / Meta, llama.cpp's NORM mode):  pair (2i, 2i + 1)
//   out[2i]     = x[2i] cos - x[2i + 1] sin
//   out[2i + 1] = x[2i + 1] cos + x[2i] sin
__kernel void
rope_interleaved_f32 (__global float       *x,         /* (n_tokens, n_heads, head_dim) */
                      __global const float *inv_freq,  /* (head_dim / 2) */
                      __global const int   *positions, /* (n_tokens), or NULL: pos0 + t */
                      const uint            n_heads,
                      const uint            n_pairs,   /* head_dim / 2 */
                      const uint            pos0,
                      const uint            n,
                      const float           sign)      /* 1, or -1 to turn back (backward) */
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const uint th = i / n_pairs;
  const uint p = i - th * n_pairs;
  __global float *v = x + (size_t) i * 2;

  rope_turn (v, v + 1, inv_freq, positions, p, th / n_heads, pos0, sign);
}

// y (n) += x (n)
__kernel void
add_f32 (__global float       *y,
         __global const float *x,
         const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  y[i] += x[i];
}

// x (rows, cols) += bias (cols), broadcast over rows; n = rows * cols.
__kernel void
add_bias_f32 (__global float       *x,
              __global const float *bias,
              const uint            cols,
              const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  x[i] += bias[i % cols];
}

// Each row of x (rows, cols), in place:  x = exp(x - max) / Σ exp(x - max).
// Subtracting the row's maximum keeps exp() ≤ 1, so large logits do not
// overflow.  One work-group per row, three strided passes.
__kernel void
softmax_rows_f32 (__global float *x,        /* (rows, cols) */
                  const uint      cols,
                  __local float  *scratch)  /* (local size) */
{
  const uint lid = get_local_id (0);
  const uint wg = get_local_size (0);
  __global float *row = x + (size_t) get_group_id (0) * cols;
  float m = -INFINITY;
  float sum = 0.0f;

  for (uint j = lid; j < cols; j += wg)
    m = fmax (m, row[j]);
  m = group_max (scratch, m);

  for (uint j = lid; j < cols; j += wg)
    sum += exp (row[j] - m);
  sum = group_sum (scratch, sum);

  for (uint j = lid; j < cols; j += wg)
    row[j] = exp (row[j] - m) / sum;
}
