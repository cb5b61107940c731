// SPDX-License-Identifier: GPL-3.0-or-later
//
// Causal self-attention with grouped-query heads over a KV cache, f32:
//
//   out[t, h] = Σ_j softmax_j(q[t, h] · k[j, g] · scale) v[j, g],
//   j = 0 … pos0 + t,   g = h / group,   group = n_heads / n_kv_heads
//
// q and out are (n_tokens, n_heads, head_dim); the caches are (n_ctx,
// n_kv_heads, head_dim) and hold every position up to pos0 + n_tokens - 1.
//
// Design: one work-group per (head, token), walking the keys in tiles of
// as many keys as the group has work-items, with an online softmax (the
// running maximum m and denominator l rescale what was accumulated when a
// larger score turns up, as in FlashAttention).  Local memory is O(head_dim
// + group size) whatever the context length: the query, the output
// accumulator and one tile of probabilities.  Per tile:
//
//   1. work-item i scores key base + i (a dot product over head_dim);
//   2. every work-item reads the tile's scores to find the new maximum
//      (a broadcast read of local memory, cheaper than a tree here);
//   3. work-item i turns its score into p = exp(s - m_new), and every
//      work-item adds the tile's p to its copy of l;
//   4. work-item i owns output dims i, i + size, …: acc[d] = acc[d] ·
//      exp(m_old - m_new) + Σ p_j v[j, d]; consecutive work-items read
//      consecutive floats of a value row.
//
// Keys past pos0 + t are never read, so the cache's unused tail may hold
// anything.  The scores are f32 throughout, as Hugging Face computes them
// in f32 (softmax with dtype=float32); exp() is the accurate built-in.
//
// Decoding a single token gives only n_heads work-groups; splitting the
// keys across groups as well (flash-decoding) is the next step should a
// large GPU need more parallelism than that.

__kernel void
attention_causal_f32 (__global float       *out,         /* (n_tokens, n_heads, head_dim) */
                      __global const float *q,           /* (n_tokens, n_heads, head_dim) */
                      __global const float *k_cache,     /* (n_ctx, n_kv_heads, head_dim) */
                      __global const float *v_cache,     /* (n_ctx, n_kv_heads, head_dim) */
                      const uint            n_heads,
                      const uint            n_kv_heads,
                      const uint            head_dim,
                      const uint            group,       /* n_heads / n_kv_heads */
                      const uint            pos0,
                      const float           scale,
                      __local float        *q_l,         /* (head_dim) */
                      __local float        *acc,         /* (head_dim) */
                      __local float        *p)           /* (local size) */
{
  const uint lid = get_local_id (0);
  const uint wg = get_local_size (0);
  const uint h = get_group_id (0);
  const uint t = get_group_id (1);
  const uint n_keys = pos0 + t + 1;
  const size_t kv_stride = (size_t) n_kv_heads * head_dim;
  const size_t qo = ((size_t) t * n_heads + h) * head_dim;
  __global const float *k_head = k_cache + (size_t) (h / group) * head_dim;
  __global const float *v_head = v_cache + (size_t) (h / group) * head_dim;
  float m = -INFINITY;
  float l = 0.0f;

  for (uint d = lid; d < head_dim; d += wg)
    {
      q_l[d] = q[qo + d];
      acc[d] = 0.0f;
    }
  barrier (CLK_LOCAL_MEM_FENCE);

  for (uint base = 0; base < n_keys; base += wg)
    {
      const uint n_valid = min (wg, n_keys - base);
      float s = -INFINITY;

      if (lid < n_valid)
        {
          __global const float *k = k_head + (base + lid) * kv_stride;
          float dot = 0.0f;

          for (uint d = 0; d < head_dim; d++)
            dot += q_l[d] * k[d];
          s = dot * scale;
        }
      p[lid] = s;
      barrier (CLK_LOCAL_MEM_FENCE);

      float m_new = m;
      for (uint j = 0; j < n_valid; j++)
        m_new = fmax (m_new, p[j]);
      const float corr = exp (m - m_new);  // 0 on the first tile
      barrier (CLK_LOCAL_MEM_FENCE);

      p[lid] = lid < n_valid ? exp (s - m_new) : 0.0f;
      barrier (CLK_LOCAL_MEM_FENCE);

      float tile_sum = 0.0f;
      for (uint j = 0; j < n_valid; j++)
        tile_sum += p[j];
      l = l * corr + tile_sum;

      for (uint d = lid; d < head_dim; d += wg)
        {
          __global const float *v = v_head + base * kv_stride + d;
          float a = acc[d] * corr;

          for (uint j = 0; j < n_valid; j++)
            a += p[j] * v[j * kv_stride];
          acc[d] = a;
        }
      m = m_new;
      barrier (CLK_LOCAL_MEM_FENCE);  // p is rewritten by the next tile
    }

  for (uint d = lid; d < head_dim; d += wg)
    out[qo + d] = acc[d] / l;
}
