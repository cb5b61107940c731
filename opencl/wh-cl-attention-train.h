/* wh-cl-attention-train.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* Causal grouped-query self-attention over whole training sequences (no
 * KV cache), forward and backward, FlashAttention-2 style: the forward
 * saves the log-sum-exp of each query row, O(n_tokens · n_heads), from
 * which the backward recomputes the probabilities; nothing T² is ever
 * stored.  The math and the kernels' design are in attention_train.cl.
 *
 * Shapes, all f32 row-major unless said otherwise:
 *   q, out, dout, dq      (n_tokens, n_heads, head_dim)
 *   k, v, dk, dv          (n_tokens, n_kv_heads, head_dim)
 *   lse, delta            (n_heads, n_tokens)
 *   seg                   (n_tokens) gint32, or NULL
 * Head h uses KV head h / (n_heads / n_kv_heads).  Token t attends to
 * tokens s ≤ t with seg[s] == seg[t]: @seg holds a sequence id per token,
 * so several sequences packed into one row never see each other; NULL
 * makes the whole row one sequence.  Llama's @scale is 1 / sqrt(head_dim).
 *
 * Sizes are checked against the buffers; a mismatch is
 * WH_CL_ERROR_INVALID_ARGUMENT naming the operand. */

/* out = softmax(q·kᵀ · scale, masked) · v; lse[h, t] = log Σ_s exp(score). */
gboolean wh_cl_attention_train_forward  (WhClContext  *ctx,
                                         WhClBuffer   *out,
                                         WhClBuffer   *lse,
                                         WhClBuffer   *q,
                                         WhClBuffer   *k,
                                         WhClBuffer   *v,
                                         WhClBuffer   *seg,
                                         gsize         n_tokens,
                                         gsize         n_heads,
                                         gsize         n_kv_heads,
                                         gsize         head_dim,
                                         float         scale,
                                         GError      **error);

/* The gradients of wh_cl_attention_train_forward() given dout, from its
 * inputs and its saved out and lse.  dq, dk and dv are overwritten, not
 * accumulated: they are activation gradients, each produced once.
 * @delta is scratch of (n_heads, n_tokens) floats. */
gboolean wh_cl_attention_backward       (WhClContext  *ctx,
                                         WhClBuffer   *dq,
                                         WhClBuffer   *dk,
                                         WhClBuffer   *dv,
                                         WhClBuffer   *delta,
                                         WhClBuffer   *dout,
                                         WhClBuffer   *q,
                                         WhClBuffer   *k,
                                         WhClBuffer   *v,
                                         WhClBuffer   *out,
                                         WhClBuffer   *lse,
                                         WhClBuffer   *seg,
                                         gsize         n_tokens,
                                         gsize         n_heads,
                                         gsize         n_kv_heads,
                                         gsize         head_dim,
                                         float         scale,
                                         GError      **error);

/* Reference: plain-C twins of the above, same shapes and masking,
 * accumulating in double.  They are the oracle of the kernel tests
 * (tests/opencl/test-cl-attention-train.c), not for use in training.
 * The reference backward recomputes the probabilities from q and k in
 * double and so needs neither out nor lse: it does not trust the
 * forward's saved statistics.  dq, dk and dv are overwritten. */
void     wh_ref_attention_train_forward (float        *out,
                                         float        *lse,
                                         const float  *q,
                                         const float  *k,
                                         const float  *v,
                                         const gint32 *seg,
                                         gsize         n_tokens,
                                         gsize         n_heads,
                                         gsize         n_kv_heads,
                                         gsize         head_dim,
                                         float         scale);
void     wh_ref_attention_backward      (float        *dq,
                                         float        *dk,
                                         float        *dv,
                                         const float  *dout,
                                         const float  *q,
                                         const float  *k,
                                         const float  *v,
                                         const gint32 *seg,
                                         gsize         n_tokens,
                                         gsize         n_heads,
                                         gsize         n_kv_heads,
                                         gsize         head_dim,
                                         float         scale);

G_END_DECLS
