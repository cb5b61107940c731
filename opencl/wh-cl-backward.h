/* wh-cl-backward.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-buffer.h"
#include "wh-cl-ops.h"

G_BEGIN_DECLS

/* The backward operations of training, on f32 buffers laid out row-major:
 * the gradients of the forward ops in wh-cl-ops.h, the fused and chunked
 * LM-head cross-entropy, and the reductions of the optimizer step.  Each
 * has a plain-C twin in wh-ref-backward.h that the tests use as the
 * oracle.  Sizes are checked against the buffers; a mismatch is
 * WH_CL_ERROR_INVALID_ARGUMENT naming the operand.
 *
 * Gradients accumulate (+=), so that contributions from several paths
 * (the residual stream, micro-batches) add up; the caller zeroes them.
 * Every result is deterministic: no atomics, fixed reduction orders. */

/* Floats per row of the cross-entropy statistics: { m, s, z_target }. */
#define WH_CL_CE_STATS 3

/* Backward of wh_cl_rmsnorm().  Per row, with r = 1/sqrt(mean(x²) + eps)
 * and g = dy · weight:
 *   dx      (rows, dim) += r·g − x · r³ · Σ(g·x) / dim
 *   dweight (dim)       += Σ over rows of dy · x · r   (skipped when NULL)
 * @dweight, for full fine-tuning, costs a second kernel and a temporary
 * buffer of @rows floats. */
gboolean wh_cl_rmsnorm_backward   (WhClContext    *ctx,
                                   WhClBuffer     *dx,
                                   WhClBuffer     *dweight,
                                   WhClBuffer     *dy,
                                   WhClBuffer     *x,
                                   WhClBuffer     *weight,
                                   gsize           rows,
                                   gsize           dim,
                                   float           eps,
                                   GError        **error);

/* Backward of wh_cl_rope(), same arguments: turns each pair of
 * dx (n_tokens, n_heads, head_dim) back by the forward's angle, in place
 * (a rotation's gradient is its transpose). */
gboolean wh_cl_rope_backward      (WhClContext    *ctx,
                                   WhClBuffer     *dx,
                                   WhClBuffer     *inv_freq,
                                   gsize           n_tokens,
                                   gsize           n_heads,
                                   gsize           head_dim,
                                   gsize           pos0,
                                   WhClRopeStyle   style,
                                   GError        **error);

/* Backward of wh_cl_rope_positions(), same arguments. */
gboolean wh_cl_rope_backward_positions (WhClContext    *ctx,
                                        WhClBuffer     *dx,
                                        WhClBuffer     *inv_freq,
                                        WhClBuffer     *positions,
                                        gsize           n_tokens,
                                        gsize           n_heads,
                                        gsize           head_dim,
                                        WhClRopeStyle   style,
                                        GError        **error);

/* Backward of wh_cl_embedding(): dtable (n_rows, dim) row ids[t] += dy
 * (n_tokens, dim) row t, for every token in order; repeated ids add up,
 * ids outside [0, n_rows) are skipped. */
gboolean wh_cl_embedding_backward (WhClContext    *ctx,
                                   WhClBuffer     *dtable,
                                   gsize           n_rows,
                                   WhClBuffer     *dy,
                                   WhClBuffer     *ids,
                                   gsize           n_tokens,
                                   gsize           dim,
                                   GError        **error);

/* Cross-entropy of logits (rows, vocab) against @targets (rows gint32),
 * seen one chunk of columns [v0, v0 + n_cols) at a time, so that the full
 * logits are never held:
 *
 *   for each chunk:  logits chunk = GEMM;  wh_cl_ce_chunk_stats ()
 *   wh_cl_ce_finish ()                          per-row losses
 *   for each chunk:  logits chunk = GEMM;  wh_cl_ce_chunk_grad ()
 *                    dlogits chunk → GEMMs for dh and the head's gradient
 *
 * @stats (rows, WH_CL_CE_STATS) holds each row's running max, sum of
 * exponentials and target logit.  The chunk at v0 = 0 starts them afresh,
 * so a pass must begin there; the other chunks may come in any order.
 * A row whose target is negative (−1, or PyTorch's −100) is ignored; other
 * targets must be below vocab (callers validate on the host). */
gboolean wh_cl_ce_chunk_stats     (WhClContext    *ctx,
                                   WhClBuffer     *stats,
                                   WhClBuffer     *logits,
                                   WhClBuffer     *targets,
                                   gsize           rows,
                                   gsize           n_cols,
                                   gsize           v0,
                                   GError        **error);

/* losses (rows), written: logsumexp(z) − z[target], 0 on ignored rows.
 * The mean loss is the host's sum of these (in double) over the number of
 * non-negative targets, which the host knows: it uploaded them. */
gboolean wh_cl_ce_finish          (WhClContext    *ctx,
                                   WhClBuffer     *losses,
                                   WhClBuffer     *stats,
                                   WhClBuffer     *targets,
                                   gsize           rows,
                                   GError        **error);

/* dlogits (rows, n_cols), written, may be @logits: the gradient of
 * scale · Σ losses for the chunk at v0, (softmax(z) − onehot(target)) ·
 * scale from the final @stats; 0 on ignored rows.  @scale is 1 / the
 * number of counted targets in the optimizer step, so that micro-batches
 * add up to the gradient of the step's mean loss. */
gboolean wh_cl_ce_chunk_grad      (WhClContext    *ctx,
                                   WhClBuffer     *dlogits,
                                   WhClBuffer     *logits,
                                   WhClBuffer     *stats,
                                   WhClBuffer     *targets,
                                   gsize           rows,
                                   gsize           n_cols,
                                   gsize           v0,
                                   float           scale,
                                   GError        **error);

/* y (n) += a · x (n). */
gboolean wh_cl_dropout            (WhClContext    *ctx,
                                   WhClBuffer     *x,
                                   WhClBuffer     *y,
                                   gsize           n,
                                   guint32         seed,
                                   float           p,
                                   GError        **error);
gboolean wh_cl_add_scaled         (WhClContext    *ctx,
                                   WhClBuffer     *y,
                                   float           a,
                                   WhClBuffer     *x,
                                   gsize           n,
                                   GError        **error);

/* out[0] = Σ x² over x (n), written: a gradient's squared norm.  Two
 * passes of a fixed shape (per device), so the same input gives the same
 * bits every run; the partial sums use a temporary buffer. */
gboolean wh_cl_sum_squares        (WhClContext    *ctx,
                                   WhClBuffer     *out,
                                   WhClBuffer     *x,
                                   gsize           n,
                                   GError        **error);

G_END_DECLS
