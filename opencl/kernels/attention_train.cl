// SPDX-License-Identifier: GPL-3.0-or-later
//
// Causal grouped-query self-attention for training, f32, over whole
// sequences (no cache), forward and backward in the FlashAttention-2 way:
//
//   S[t, s] = q[t, h] · k[s, g] · scale       g = h / group
//   P[t, s] = softmax_s S[t, s]               over the keys t may see
//   out[t, h] = Σ_s P[t, s] v[s, g]
//   lse[h, t] = log Σ_s exp S[t, s]
//
// Token t sees key s when s ≤ t and, for packed batches, seg[s] == seg[t]
// (seg == NULL: one sequence).  s = t is always visible, so no row is
// empty and every lse is finite.
//
// The forward saves only lse, O(T·H); the backward recomputes P from q,
// k and lse instead of storing the T² probabilities:
//
//   delta[h, t] = Σ_d dout[t, h, d] · out[t, h, d]   ( = Σ_s P dP )
//   dP[t, s]    = dout[t, h] · v[s, g]
//   dS[t, s]    = P[t, s] · (dP[t, s] − delta[h, t])
//   dq[t, h]    = scale · Σ_s dS[t, s] k[s, g]
//   dk[s, g]    = scale · Σ_{h ∈ g} Σ_t dS[t, s] q[t, h]
//   dv[s, g]    =         Σ_{h ∈ g} Σ_t P[t, s] dout[t, h]
//
// Layouts: q, out, dout, dq (T, H, D); k, v, dk, dv (T, Hkv, D); lse and
// delta (H, T); seg (T) int.
//
// Design: everything works on square tiles of `tile` tokens, staged in
// local memory so that each key (or query) row read from global memory
// serves a whole tile.  A work-group of any size walks the tile's
// elements in strided loops, so the host can pick the tile from the
// device's local memory and the work-group size from its limits
// independently.  Rows of tiles that feed dot products are padded to
// head_dim + 1 floats, which spreads a column of them over the banks of a
// GPU's local memory.
//
//   forward      one group per (head, query tile): online softmax over the
//                key tiles up to the diagonal, as in attention.cl;
//   delta        one work-item per (token, head);
//   dk, dv       one group per (KV head, key tile): loops over the query
//                heads of the group and the query tiles from the diagonal
//                on, accumulating in local memory;
//   dq           one group per (head, query tile): loops over key tiles.
//
// Each gradient element is owned by one work-item that sums in a fixed
// order: no atomics, and the results are deterministic run to run.
// Masked scores are -INFINITY (forward) or give P = 0 (backward) rather
// than being skipped, so a packed batch costs as much as an unpacked one.

#define NO_SCORE (-INFINITY)

static inline bool
visible (__global const int *seg,
         const uint          t,
         const uint          s)
{
  return s <= t && (seg == 0 || seg[s] == seg[t]);
}

// dst (tile, ld) = rows row0 … row0 + n_rows - 1 of src (stride floats
// apart), zero past n_rows.
static inline void
load_rows (__local float        *dst,
           const uint            ld,
           __global const float *src,
           const size_t          stride,
           const uint            row0,
           const uint            n_rows,
           const uint            tile,
           const uint            head_dim)
{
  const uint lid = get_local_id (0);
  const uint wg = get_local_size (0);

  for (uint idx = lid; idx < tile * head_dim; idx += wg)
    {
      const uint r = idx / head_dim;
      const uint d = idx % head_dim;

      dst[r * ld + d] = r < n_rows ? src[(size_t) (row0 + r) * stride + d] : 0.0f;
    }
}

// load_rows() of the same rows of two tensors: (q, dout) or (k, v).
static inline void
load_row_pair (__local float        *a_l,
               __local float        *b_l,
               const uint            ld,
               __global const float *a,
               __global const float *b,
               const size_t          stride,
               const uint            row0,
               const uint            n_rows,
               const uint            tile,
               const uint            head_dim)
{
  load_rows (a_l, ld, a, stride, row0, n_rows, tile, head_dim);
  load_rows (b_l, ld, b, stride, row0, n_rows, tile, head_dim);
}

// dst (n) = 0.
static inline void
zero_local (__local float *dst,
            const uint     n)
{
  for (uint idx = get_local_id (0); idx < n; idx += get_local_size (0))
    dst[idx] = 0.0f;
}

// lse_l, delta_l (n_rows) = lse, delta (H, T) at row0 … row0 + n_rows - 1
// of head h.
static inline void
load_row_stats (__local float        *lse_l,
                __local float        *delta_l,
                __global const float *lse,
                __global const float *delta,
                const uint            h,
                const uint            n_tokens,
                const uint            row0,
                const uint            n_rows)
{
  for (uint i = get_local_id (0); i < n_rows; i += get_local_size (0))
    {
      lse_l[i] = lse[(size_t) h * n_tokens + row0 + i];
      delta_l[i] = delta[(size_t) h * n_tokens + row0 + i];
    }
}

// dst rows row0 … row0 + n_rows - 1 (stride floats apart) = factor · src
// (n_rows, head_dim).
static inline void
store_rows (__global float      *dst,
            const size_t         stride,
            const uint           row0,
            const uint           n_rows,
            __local const float *src,
            const uint           head_dim,
            const float          factor)
{
  for (uint idx = get_local_id (0); idx < n_rows * head_dim; idx += get_local_size (0))
    {
      const uint r = idx / head_dim;
      const uint d = idx % head_dim;

      dst[(size_t) (row0 + r) * stride + d] = src[idx] * factor;
    }
}

static inline float
dot_rows (__local const float *a,
          __local const float *b,
          const uint           head_dim)
{
  float sum = 0.0f;

  for (uint d = 0; d < head_dim; d++)
    sum += a[d] * b[d];
  return sum;
}

// The backward's view of one (query tile, key tile): with the tiles of
// q, dout, k and v staged (rows ld floats apart) and the query rows' lse
// and delta,
//   P  = exp(S − lse)     dS = P ⊙ (dP − delta)
// into p (when not NULL) and ds, (tile, tile), zero where masked or past
// the nq queries or nk keys.
static inline void
tile_probs_grads (__local float       *p,
                  __local float       *ds,
                  __local const float *q_l,
                  __local const float *do_l,
                  __local const float *k_l,
                  __local const float *v_l,
                  __local const float *lse_l,
                  __local const float *delta_l,
                  __global const int  *seg,
                  const uint           q0,
                  const uint           nq,
                  const uint           k0,
                  const uint           nk,
                  const uint           tile,
                  const uint           head_dim,
                  const float          scale)
{
  const uint ld = head_dim + 1;

  for (uint idx = get_local_id (0); idx < tile * tile; idx += get_local_size (0))
    {
      const uint i = idx / tile;
      const uint j = idx % tile;
      float pij = 0.0f;
      float dsij = 0.0f;

      if (i < nq && j < nk && visible (seg, q0 + i, k0 + j))
        {
          const float s = dot_rows (q_l + i * ld, k_l + j * ld, head_dim) * scale;
          const float dp = dot_rows (do_l + i * ld, v_l + j * ld, head_dim);

          pij = exp (s - lse_l[i]);
          dsij = pij * (dp - delta_l[i]);
        }
      if (p != 0)
        p[idx] = pij;
      ds[idx] = dsij;
    }
}

// The arguments every tiled kernel takes after its buffers, in the order
// run_tiled() of wh-cl-attention-train.c sets them; its __local tiles
// follow.
#define TILED_ARGS                                                            \
  __global const int   *seg,        /* (T) or NULL */                         \
  const uint            n_tokens,                                             \
  const uint            n_heads,                                              \
  const uint            n_kv_heads,                                           \
  const uint            head_dim,                                             \
  const uint            group,      /* H / Hkv */                             \
  const uint            tile,                                                 \
  const float           scale

// The inputs both backward kernels read, after the gradients they write.
#define BACKWARD_INPUTS                                                       \
  __global const float *q,          /* (T, H, D) */                           \
  __global const float *k,          /* (T, Hkv, D) */                         \
  __global const float *v,          /* (T, Hkv, D) */                         \
  __global const float *dout,       /* (T, H, D) */                           \
  __global const float *lse,        /* (H, T) */                              \
  __global const float *delta       /* (H, T) */

// What every tiled kernel derives from its arguments: the padded stride ld
// of its staged tiles, and the strides of rows of q and of k.
#define TILED_PROLOGUE                                                        \
  const uint lid = get_local_id (0);                                          \
  const uint wg = get_local_size (0);                                         \
  const uint ld = head_dim + 1;                                               \
  const size_t q_stride = (size_t) n_heads * head_dim;                        \
  const size_t kv_stride = (size_t) n_kv_heads * head_dim

__kernel void
attention_train_fwd_f32 (__global float       *out,       /* (T, H, D) */
                         __global float       *lse,       /* (H, T) */
                         __global const float *q,         /* (T, H, D) */
                         __global const float *k,         /* (T, Hkv, D) */
                         __global const float *v,         /* (T, Hkv, D) */
                         TILED_ARGS,
                         __local float        *q_l,       /* (tile, D + 1) */
                         __local float        *k_l,       /* (tile, D + 1) */
                         __local float        *v_l,       /* (tile, D + 1) */
                         __local float        *acc,       /* (tile, D) */
                         __local float        *p,         /* (tile, tile) */
                         __local float        *stats)     /* (3, tile): m, l, corr */
{
  TILED_PROLOGUE;
  const uint h = get_group_id (0);
  const uint q0 = get_group_id (1) * tile;
  const uint nq = min (tile, n_tokens - q0);
  __global const float *k_head = k + (size_t) (h / group) * head_dim;
  __global const float *v_head = v + (size_t) (h / group) * head_dim;
  __local float *m = stats;
  __local float *l = stats + tile;
  __local float *corr = stats + 2 * tile;

  load_rows (q_l, ld, q + (size_t) h * head_dim, q_stride, q0, nq, tile, head_dim);
  zero_local (acc, tile * head_dim);
  for (uint i = lid; i < tile; i += wg)
    {
      m[i] = NO_SCORE;
      l[i] = 0.0f;
    }

  // Keys past the tile's last query are never visible.
  for (uint k0 = 0; k0 < q0 + nq; k0 += tile)
    {
      const uint nk = min (tile, q0 + nq - k0);

      load_row_pair (k_l, v_l, ld, k_head, v_head, kv_stride, k0, nk, tile, head_dim);
      barrier (CLK_LOCAL_MEM_FENCE);

      for (uint idx = lid; idx < tile * tile; idx += wg)
        {
          const uint i = idx / tile;
          const uint j = idx % tile;
          float s = NO_SCORE;

          if (i < nq && j < nk && visible (seg, q0 + i, k0 + j))
            s = dot_rows (q_l + i * ld, k_l + j * ld, head_dim) * scale;
          p[idx] = s;
        }
      barrier (CLK_LOCAL_MEM_FENCE);

      // Online softmax, one work-item per query row.  A row with nothing
      // visible yet keeps m = -inf, and its p must be 0, not exp(NaN).
      for (uint i = lid; i < tile; i += wg)
        {
          __local float *row = p + i * tile;
          const float m_old = m[i];
          float m_new = m_old;
          float sum = 0.0f;

          for (uint j = 0; j < nk; j++)
            m_new = fmax (m_new, row[j]);
          for (uint j = 0; j < tile; j++)
            {
              const float e = row[j] == NO_SCORE ? 0.0f : exp (row[j] - m_new);

              row[j] = e;
              sum += e;
            }
          corr[i] = m_old == NO_SCORE ? 0.0f : exp (m_old - m_new);
          l[i] = l[i] * corr[i] + sum;
          m[i] = m_new;
        }
      barrier (CLK_LOCAL_MEM_FENCE);

      for (uint idx = lid; idx < tile * head_dim; idx += wg)
        {
          const uint i = idx / head_dim;
          const uint d = idx % head_dim;
          __local const float *row = p + i * tile;
          float a = acc[idx] * corr[i];

          for (uint j = 0; j < nk; j++)
            a += row[j] * v_l[j * ld + d];
          acc[idx] = a;
        }
      barrier (CLK_LOCAL_MEM_FENCE);  // k_l, v_l and p are rewritten
    }

  for (uint idx = lid; idx < nq * head_dim; idx += wg)
    {
      const uint i = idx / head_dim;
      const uint d = idx % head_dim;

      out[(size_t) (q0 + i) * q_stride + (size_t) h * head_dim + d] = acc[idx] / l[i];
    }
  for (uint i = lid; i < nq; i += wg)
    lse[(size_t) h * n_tokens + q0 + i] = m[i] + log (l[i]);
}

__kernel void
attention_train_delta_f32 (__global float       *delta,     /* (H, T) */
                           __global const float *out,       /* (T, H, D) */
                           __global const float *dout,      /* (T, H, D) */
                           const uint            n_tokens,
                           const uint            n_heads,
                           const uint            head_dim)
{
  const uint row = get_global_id (0);  // t · H + h

  if (row >= n_tokens * n_heads)
    return;

  __global const float *o = out + (size_t) row * head_dim;
  __global const float *g = dout + (size_t) row * head_dim;
  float sum = 0.0f;

  for (uint d = 0; d < head_dim; d++)
    sum += g[d] * o[d];
  delta[(size_t) (row % n_heads) * n_tokens + row / n_heads] = sum;
}

__kernel void
attention_train_bwd_dkv_f32 (__global float       *dk,        /* (T, Hkv, D) */
                             __global float       *dv,        /* (T, Hkv, D) */
                             BACKWARD_INPUTS,
                             TILED_ARGS,
                             __local float        *k_l,       /* (tile, D + 1) */
                             __local float        *v_l,       /* (tile, D + 1) */
                             __local float        *q_l,       /* (tile, D + 1) */
                             __local float        *do_l,      /* (tile, D + 1) */
                             __local float        *dk_acc,    /* (tile, D) */
                             __local float        *dv_acc,    /* (tile, D) */
                             __local float        *p,         /* (tile, tile) */
                             __local float        *ds,        /* (tile, tile) */
                             __local float        *rows)      /* (2, tile): lse, delta */
{
  TILED_PROLOGUE;
  const uint g = get_group_id (0);
  const uint k0 = get_group_id (1) * tile;
  const uint nk = min (tile, n_tokens - k0);
  __local float *lse_l = rows;
  __local float *delta_l = rows + tile;

  load_row_pair (k_l, v_l, ld, k + (size_t) g * head_dim, v + (size_t) g * head_dim, kv_stride,
                 k0, nk, tile, head_dim);
  zero_local (dk_acc, tile * head_dim);
  zero_local (dv_acc, tile * head_dim);

  for (uint h = g * group; h < (g + 1) * group; h++)
    {
      __global const float *q_head = q + (size_t) h * head_dim;
      __global const float *do_head = dout + (size_t) h * head_dim;

      // Queries before k0 see none of these keys.
      for (uint q0 = k0; q0 < n_tokens; q0 += tile)
        {
          const uint nq = min (tile, n_tokens - q0);

          load_row_pair (q_l, do_l, ld, q_head, do_head, q_stride, q0, nq, tile, head_dim);
          load_row_stats (lse_l, delta_l, lse, delta, h, n_tokens, q0, nq);
          barrier (CLK_LOCAL_MEM_FENCE);

          tile_probs_grads (p, ds, q_l, do_l, k_l, v_l, lse_l, delta_l, seg,
                            q0, nq, k0, nk, tile, head_dim, scale);
          barrier (CLK_LOCAL_MEM_FENCE);

          for (uint idx = lid; idx < tile * head_dim; idx += wg)
            {
              const uint j = idx / head_dim;
              const uint d = idx % head_dim;
              float a_k = dk_acc[idx];
              float a_v = dv_acc[idx];

              for (uint i = 0; i < nq; i++)
                {
                  a_v += p[i * tile + j] * do_l[i * ld + d];
                  a_k += ds[i * tile + j] * q_l[i * ld + d];
                }
              dk_acc[idx] = a_k;
              dv_acc[idx] = a_v;
            }
          barrier (CLK_LOCAL_MEM_FENCE);  // q_l, do_l, p and ds are rewritten
        }
    }

  store_rows (dk + (size_t) g * head_dim, kv_stride, k0, nk, dk_acc, head_dim, scale);
  store_rows (dv + (size_t) g * head_dim, kv_stride, k0, nk, dv_acc, head_dim, 1.0f);
}

__kernel void
attention_train_bwd_dq_f32 (__global float       *dq,        /* (T, H, D) */
                            BACKWARD_INPUTS,
                            TILED_ARGS,
                            __local float        *q_l,       /* (tile, D + 1) */
                            __local float        *do_l,      /* (tile, D + 1) */
                            __local float        *k_l,       /* (tile, D + 1) */
                            __local float        *v_l,       /* (tile, D + 1) */
                            __local float        *dq_acc,    /* (tile, D) */
                            __local float        *ds,        /* (tile, tile) */
                            __local float        *rows)      /* (2, tile): lse, delta */
{
  TILED_PROLOGUE;
  const uint h = get_group_id (0);
  const uint q0 = get_group_id (1) * tile;
  const uint nq = min (tile, n_tokens - q0);
  __global const float *k_head = k + (size_t) (h / group) * head_dim;
  __global const float *v_head = v + (size_t) (h / group) * head_dim;
  __local float *lse_l = rows;
  __local float *delta_l = rows + tile;

  load_row_pair (q_l, do_l, ld, q + (size_t) h * head_dim, dout + (size_t) h * head_dim, q_stride,
                 q0, nq, tile, head_dim);
  zero_local (dq_acc, tile * head_dim);
  load_row_stats (lse_l, delta_l, lse, delta, h, n_tokens, q0, nq);

  for (uint k0 = 0; k0 < q0 + nq; k0 += tile)
    {
      const uint nk = min (tile, q0 + nq - k0);

      load_row_pair (k_l, v_l, ld, k_head, v_head, kv_stride, k0, nk, tile, head_dim);
      barrier (CLK_LOCAL_MEM_FENCE);

      tile_probs_grads (0, ds, q_l, do_l, k_l, v_l, lse_l, delta_l, seg,
                        q0, nq, k0, nk, tile, head_dim, scale);
      barrier (CLK_LOCAL_MEM_FENCE);

      for (uint idx = lid; idx < tile * head_dim; idx += wg)
        {
          const uint i = idx / head_dim;
          const uint d = idx % head_dim;
          __local const float *row = ds + i * tile;
          float a = dq_acc[idx];

          for (uint j = 0; j < nk; j++)
            a += row[j] * k_l[j * ld + d];
          dq_acc[idx] = a;
        }
      barrier (CLK_LOCAL_MEM_FENCE);  // k_l, v_l and ds are rewritten
    }

  store_rows (dq + (size_t) h * head_dim, q_stride, q0, nq, dq_acc, head_dim, scale);
}
