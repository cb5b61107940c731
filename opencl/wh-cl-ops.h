/* wh-cl-ops.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* The forward operations of a Llama-family decoder, on f32 buffers laid
 * out row-major.  Each has a plain-C twin in wh-ref-ops.h that the tests
 * use as the oracle.  Sizes are checked against the buffers; a mismatch is
 * WH_CL_ERROR_INVALID_ARGUMENT naming the operand. */

typedef enum
{
  WH_CL_ROPE_ROTATE_HALF,  /* Hugging Face: pairs (i, i + d/2) */
  WH_CL_ROPE_INTERLEAVED,  /* GGUF / Meta: pairs (2i, 2i + 1) */
} WhClRopeStyle;

/* out (n_tokens, dim) = table rows ids[t] of the f32 table (n_rows, dim);
 * @ids holds n_tokens gint32.  An id outside [0, n_rows) gives a zero row
 * (callers validate ids on the host first). */
gboolean wh_cl_embedding     (WhClContext  *ctx,
                              WhClBuffer   *out,
                              WhClBuffer   *table,
                              gsize         n_rows,
                              WhClBuffer   *ids,
                              gsize         n_tokens,
                              gsize         dim,
                              GError      **error);

/* out (rows, dim) = x / sqrt(mean(x²) + eps) * weight (dim); out may be x. */
gboolean wh_cl_rmsnorm       (WhClContext  *ctx,
                              WhClBuffer   *out,
                              WhClBuffer   *x,
                              WhClBuffer   *weight,
                              gsize         rows,
                              gsize         dim,
                              float         eps,
                              GError      **error);

/* Rotates x (n_tokens, n_heads, head_dim) in place; token t sits at
 * position pos0 + t; the angle of pair i is position * inv_freq[i], with
 * @inv_freq (head_dim / 2) floats computed on the host (RoPE scaling
 * included). */
gboolean wh_cl_rope          (WhClContext  *ctx,
                              WhClBuffer   *x,
                              WhClBuffer   *inv_freq,
                              gsize         n_tokens,
                              gsize         n_heads,
                              gsize         head_dim,
                              gsize         pos0,
                              WhClRopeStyle style,
                              GError      **error);

/* The same with each token's position given: token t at @positions[t]
 * ((n_tokens) gint32), as in packed sequences that each start at 0. */
gboolean wh_cl_rope_positions (WhClContext  *ctx,
                               WhClBuffer   *x,
                               WhClBuffer   *inv_freq,
                               WhClBuffer   *positions,
                               gsize         n_tokens,
                               gsize         n_heads,
                               gsize         head_dim,
                               WhClRopeStyle style,
                               GError      **error);

/* Causal attention with grouped-query heads over a KV cache.
 * q (n_tokens, n_heads, head_dim); k_cache and v_cache (n_ctx, n_kv_heads,
 * head_dim) hold positions [0, pos0 + n_tokens), the new tokens' keys and
 * values included.  Query t (position pos0 + t) attends to positions
 * 0 … pos0 + t; head h uses KV head h / (n_heads / n_kv_heads).
 * out (n_tokens, n_heads, head_dim) = softmax(q·kᵀ · scale) · v. */
gboolean wh_cl_attention     (WhClContext  *ctx,
                              WhClBuffer   *out,
                              WhClBuffer   *q,
                              WhClBuffer   *k_cache,
                              WhClBuffer   *v_cache,
                              gsize         n_ctx,
                              gsize         n_tokens,
                              gsize         n_heads,
                              gsize         n_kv_heads,
                              gsize         head_dim,
                              gsize         pos0,
                              float         scale,
                              GError      **error);

/* y (n) += x (n). */
gboolean wh_cl_add           (WhClContext  *ctx,
                              WhClBuffer   *y,
                              WhClBuffer   *x,
                              gsize         n,
                              GError      **error);

/* x (rows, cols) += bias (cols), row by row. */
gboolean wh_cl_add_bias      (WhClContext  *ctx,
                              WhClBuffer   *x,
                              WhClBuffer   *bias,
                              gsize         rows,
                              gsize         cols,
                              GError      **error);

/* x (rows, cols) = softmax of each row, in place. */
gboolean wh_cl_softmax_rows  (WhClContext  *ctx,
                              WhClBuffer   *x,
                              gsize         rows,
                              gsize         cols,
                              GError      **error);

/* Copies @n_bytes from @src at @src_offset to @dst at @dst_offset (bytes),
 * bounds checked: writing new keys and values into a KV cache. */
gboolean wh_cl_copy          (WhClContext  *ctx,
                              WhClBuffer   *dst,
                              gsize         dst_offset,
                              WhClBuffer   *src,
                              gsize         src_offset,
                              gsize         n_bytes,
                              GError      **error);

G_END_DECLS
