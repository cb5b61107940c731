// SPDX-License-Identifier: GPL-3.0-or-later
//
// Backward kernels of training, in f32, each the reverse of a forward op in
// ops.cl, plus the fused, chunked LM-head cross-entropy and the reductions
// of the optimizer step.  Every kernel has a plain-C twin in
// wh-ref-backward.c.
//
// Gradients accumulate (+=) unless a comment says "written"; the caller
// zeroes them.  Nothing here uses atomics: where several contributions
// land on one element (dweight over rows, repeated embedding ids), a
// single work-item owns that element and adds them in a fixed order, so
// every result is deterministic run to run.
//
// Row-wise kernels run one work-group per row; the host picks a
// power-of-two group size and passes a __local scratch of that many floats.
// Element-wise kernels run one work-item per element and check the bound,
// since the global size is rounded up to the group size.  The reductions
// over a work-group (group_sum, group_max) are common.cl's, the prelude of
// every program.

// ---------------------------------------------------------------------------
// RMSNorm.  Forward, per row:  y = x · r · w,  r = (mean(x²) + eps)^-½.
// With g = dy · w, and ∂r/∂x_k = −r³ x_k / dim:
//
//   dx_j = r g_j − x_j r³ Σ_k g_k x_k / dim
//   dw_j = Σ_rows dy_j x_j r
//
// rmsnorm_bwd_f32 runs one work-group per row: two reductions (Σx², Σgx),
// then dx += … strided over the row.  Where the weight's gradient is
// wanted it also stores r per row in rstd, for rmsnorm_bwd_weight_f32.

__kernel void
rmsnorm_bwd_f32 (__global float       *dx,      /* (rows, dim), accumulated */
                 __global float       *rstd,    /* (rows), written; may be NULL */
                 __global const float *dy,      /* (rows, dim) */
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
  float gx = 0.0f;

  for (uint j = lid; j < dim; j += wg)
    {
      const float v = x[row + j];
      ss += v * v;
      gx += dy[row + j] * weight[j] * v;
    }
  ss = group_sum (scratch, ss);
  gx = group_sum (scratch, gx);

  const float r = rsqrt (ss / (float) dim + eps);
  const float c = gx * r * r * r / (float) dim;

  for (uint j = lid; j < dim; j += wg)
    dx[row + j] += r * dy[row + j] * weight[j] - c * x[row + j];

  if (rstd != 0 && lid == 0)
    rstd[get_group_id (0)] = r;
}

// dweight (dim) += Σ_t dy[t] · x[t] · rstd[t].  One work-item per column
// sums the rows in order: neighbouring items read neighbouring addresses.
__kernel void
rmsnorm_bwd_weight_f32 (__global float       *dweight,  /* (dim), accumulated */
                        __global const float *dy,       /* (rows, dim) */
                        __global const float *x,        /* (rows, dim) */
                        __global const float *rstd,     /* (rows) */
                        const uint            rows,
                        const uint            dim)
{
  const uint j = get_global_id (0);
  float acc = 0.0f;

  if (j >= dim)
    return;

  for (uint t = 0; t < rows; t++)
    {
      const size_t i = (size_t) t * dim + j;
      acc += dy[i] * x[i] * rstd[t];
    }
  dweight[j] += acc;
}

// ---------------------------------------------------------------------------
// RoPE.  The forward turns each pair (a, b) by the angle θ = pos · inv_freq;
// a rotation is orthogonal, so its gradient is the turn by −θ:
//
//   da = dy_a cos θ + dy_b sin θ
//   db = dy_b cos θ − dy_a sin θ
//
// That is the forward's rotation by −θ: wh_cl_rope_backward() runs ops.cl's
// rope_*_f32 kernels with sign = −1, so forward and backward turn by the
// same θ.

// ---------------------------------------------------------------------------
// Embedding.  Forward out[t] = table[ids[t]], so
//
//   dtable[ids[t]] += dy[t]   for every token t
//
// Repeated ids add into one row.  Rather than atomics (no float atomics in
// OpenCL 1.2, and their order would vary), one work-item owns column d of
// the whole table and walks the tokens in order: O(n_tokens · dim) work,
// race-free and deterministic.  Ids outside [0, n_rows) are skipped, as
// the forward gives them a zero row.
__kernel void
embedding_bwd_f32 (__global float       *dtable,  /* (n_rows, dim), accumulated */
                   __global const float *dy,      /* (n_tokens, dim) */
                   __global const int   *ids,     /* (n_tokens) */
                   const uint            n_rows,
                   const uint            n_tokens,
                   const uint            dim)
{
  const uint d = get_global_id (0);

  if (d >= dim)
    return;

  for (uint t = 0; t < n_tokens; t++)
    {
      const int id = ids[t];

      if (id >= 0 && (uint) id < n_rows)
        dtable[(ulong) id * dim + d] += dy[(size_t) t * dim + d];
    }
}

// ---------------------------------------------------------------------------
// Cross-entropy over a vocabulary seen one chunk of logits at a time.
//
// The LM head's logits z (rows, vocab) are never whole: the engine forms a
// chunk (rows, n_cols) of columns v0 … v0 + n_cols − 1 by GEMM, feeds it to
// ce_chunk_stats_f32, and moves on.  Per row the stats hold (online
// softmax, as in flash attention):
//
//   stats[r] = { m, s, zt }   m  = max_j z_j
//                             s  = Σ_j exp(z_j − m)
//                             zt = z_target (0 until its chunk is seen)
//
// merged chunk by chunk:  m' = max(m, m_c),
//                         s' = s · exp(m − m') + s_c · exp(m_c − m').
// Then loss_r = m + log s − zt (ce_finish_f32), and a second pass over the
// chunks gives dlogits = (softmax − onehot(target)) · scale
// (ce_chunk_grad_f32).  A row whose target is negative (−1, or PyTorch's
// −100) is ignored: loss 0, gradient 0.

// One work-group per row.  Each work-item runs an online max/sum over its
// strided columns in one read of the chunk; the group then merges them.
// The chunk at v0 = 0 starts the stats afresh; later ones merge into them.
__kernel void
ce_chunk_stats_f32 (__global float       *stats,    /* (rows, 3) */
                    __global const float *logits,   /* (rows, n_cols) */
                    __global const int   *targets,  /* (rows) */
                    const uint            n_cols,
                    const uint            v0,
                    __local float        *scratch)  /* (local size) */
{
  const uint lid = get_local_id (0);
  const uint wg = get_local_size (0);
  const uint r = get_group_id (0);
  __global const float *z = logits + (size_t) r * n_cols;
  float m = -INFINITY;
  float s = 0.0f;

  for (uint j = lid; j < n_cols; j += wg)
    {
      const float v = z[j];

      if (v > m)
        {
          s = s * exp (m - v) + 1.0f;
          m = v;
        }
      else
        s += exp (v - m);
    }

  const float mc = group_max (scratch, m);
  const float sc = group_sum (scratch, s > 0.0f ? s * exp (m - mc) : 0.0f);

  if (lid != 0)
    return;

  __global float *st = stats + (size_t) r * 3;
  const int target = targets[r];
  const long col = (long) target - (long) v0;
  float zt = v0 == 0 ? 0.0f : st[2];

  if (target >= 0 && col >= 0 && col < (long) n_cols)
    zt = z[col];

  if (v0 == 0)
    {
      st[0] = mc;
      st[1] = sc;
    }
  else
    {
      const float mo = st[0];
      const float so = st[1];
      const float mn = fmax (mo, mc);

      st[0] = mn;
      st[1] = (so > 0.0f ? so * exp (mo - mn) : 0.0f) + (sc > 0.0f ? sc * exp (mc - mn) : 0.0f);
    }
  st[2] = zt;
}

// losses (rows), written:  loss_r = m + log s − z_target, 0 where the
// target is negative.  One work-item per row.
__kernel void
ce_finish_f32 (__global float       *losses,   /* (rows) */
               __global const float *stats,    /* (rows, 3) */
               __global const int   *targets,  /* (rows) */
               const uint            rows)
{
  const uint r = get_global_id (0);

  if (r >= rows)
    return;

  __global const float *st = stats + (size_t) r * 3;

  losses[r] = targets[r] < 0 ? 0.0f : st[0] + log (st[1]) - st[2];
}

// dlogits (rows, n_cols), written; may be logits:
//   dz_j = (exp(z_j − m) / s − [v0 + j = target]) · scale
// and 0 on rows whose target is negative.  One work-item per element
// (n = rows * n_cols), which reads and writes only its own element.
__kernel void
ce_chunk_grad_f32 (__global float       *dlogits,  /* (rows, n_cols) */
                   __global const float *logits,   /* (rows, n_cols) */
                   __global const float *stats,    /* (rows, 3) */
                   __global const int   *targets,  /* (rows) */
                   const uint            n_cols,
                   const uint            v0,
                   const float           scale,
                   const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  const uint r = i / n_cols;
  const uint j = i - r * n_cols;
  const int target = targets[r];

  if (target < 0)
    {
      dlogits[i] = 0.0f;
      return;
    }

  __global const float *st = stats + (size_t) r * 3;
  const float p = exp (logits[i] - st[0]) / st[1];
  const float onehot = (long) target == (long) v0 + (long) j ? 1.0f : 0.0f;

  dlogits[i] = (p - onehot) * scale;
}

// ---------------------------------------------------------------------------
// Optimizer-step helpers.

// y (n) += a · x (n)
__kernel void
add_scaled_f32 (__global float       *y,
                __global const float *x,
                const float           a,
                const uint            n)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  y[i] += a * x[i];
}

// LoRA dropout: y[i] = x[i] · scale where the hash of (seed, i) is at or
// above threshold (p · 2³²), else 0.  The mask is a function of the seed
// and the index alone, so backward (and a recomputed forward) sees the
// same one; y may be x.
static inline uint
dropout_hash (uint x)
{
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

__kernel void
dropout_f32 (__global const float *x,
             __global float       *y,
             const uint            n,
             const uint            seed,
             const uint            threshold,
             const float           scale)
{
  const uint i = get_global_id (0);

  if (i >= n)
    return;

  y[i] = dropout_hash (i ^ dropout_hash (seed)) >= threshold ? x[i] * scale : 0.0f;
}

// Σ x², in two passes of fixed shape so the sum is the same every run:
// the host launches a fixed number of groups of a fixed size; group g
// sums x² over the elements i ≡ g·wg + lid (mod global size) into
// partials[g]; one group then sums the partials (sum_squares_final_f32).
__kernel void
sum_squares_partial_f32 (__global float       *partials,  /* (n_groups), written */
                         __global const float *x,         /* (n) */
                         const ulong           n,
                         __local float        *scratch)   /* (local size) */
{
  const size_t stride = get_global_size (0);
  float acc = 0.0f;

  for (size_t i = get_global_id (0); i < n; i += stride)
    acc += x[i] * x[i];

  acc = group_sum (scratch, acc);
  if (get_local_id (0) == 0)
    partials[get_group_id (0)] = acc;
}

// out[0] = Σ partials (n_partials), written; one work-group.
__kernel void
sum_squares_final_f32 (__global float       *out,       /* (1) */
                       __global const float *partials,  /* (n_partials) */
                       const uint            n_partials,
                       __local float        *scratch)   /* (local size) */
{
  const uint lid = get_local_id (0);
  float acc = 0.0f;

  for (uint i = lid; i < n_partials; i += get_local_size (0))
    acc += partials[i];

  acc = group_sum (scratch, acc);
  if (lid == 0)
    out[0] = acc;
}
