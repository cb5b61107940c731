/* wh-cl-backward.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-cl-backward.h"
#include "wh-cl-error.h"
#include "wh-cl-launch.h"
#include "wh-ref-backward.h"

/* Largest work-group of the row-wise kernels, as in wh-cl-ops.c. */
#define ROW_GROUP_MAX 256

/* The fixed shape of wh_cl_sum_squares(): at most SUM_GROUPS groups of
 * SUM_GROUP_MAX items (or the device's limit).  Enough groups to fill a
 * GPU; few enough that one group sums the partials. */
#define SUM_GROUP_MAX 256
#define SUM_GROUPS    256

/**
 * wh_cl_rmsnorm_backward:
 * @dx: (rows, dim) floats, accumulated into
 * @dweight: (nullable): (dim) floats, accumulated into
 * @dy: (rows, dim) floats, the gradient of wh_cl_rmsnorm()'s output
 * @x: (rows, dim) floats, the forward input
 * @weight: (dim) floats
 *
 * See wh_ref_rmsnorm_backward() and the math in backward.cl.
 */
gboolean
wh_cl_rmsnorm_backward (WhClContext  *ctx,
                        WhClBuffer   *dx,
                        WhClBuffer   *dweight,
                        WhClBuffer   *dy,
                        WhClBuffer   *x,
                        WhClBuffer   *weight,
                        gsize         rows,
                        gsize         dim,
                        float         eps,
                        GError      **error)
{
  g_autoptr(WhClBuffer) rstd = NULL;
  cl_kernel kernel;
  cl_mem rstd_mem = NULL;
  cl_uint rows32, dim32;
  cl_int status = CL_SUCCESS;
  gsize n, local;

  g_return_val_if_fail (ctx != NULL && dx != NULL && dy != NULL, FALSE);
  g_return_val_if_fail (x != NULL && weight != NULL, FALSE);

  if (!_wh_cl_check_count ("RMSNorm backward", rows, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (dx, "dx", n, error) ||
      (dweight != NULL && !_wh_cl_check_buffer_floats (dweight, "dweight", dim, error)) ||
      !_wh_cl_check_buffer_floats (dy, "dy", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (weight, "weight", dim, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "rmsnorm_bwd_f32", error)) ||
      !_wh_cl_group_size (ctx, kernel, "rmsnorm_bwd_f32", dim, ROW_GROUP_MAX, &local,
                          error))
    return FALSE;

  /* Released right after the enqueues: OpenCL keeps it until they ran. */
  if (dweight != NULL)
    {
      if (!(rstd = wh_cl_buffer_new (ctx, rows * sizeof (float), error)))
        return FALSE;
      rstd_mem = rstd->mem;
    }

  rows32 = rows;
  dim32 = dim;
  WH_CL_SET_ARG (status, kernel, 0, dx->mem);
  WH_CL_SET_ARG (status, kernel, 1, rstd_mem);
  WH_CL_SET_ARG (status, kernel, 2, dy->mem);
  WH_CL_SET_ARG (status, kernel, 3, x->mem);
  WH_CL_SET_ARG (status, kernel, 4, weight->mem);
  WH_CL_SET_ARG (status, kernel, 5, dim32);
  WH_CL_SET_ARG (status, kernel, 6, eps);
  WH_CL_SET_LOCAL_ARG (status, kernel, 7, local * sizeof (float));
  if (!wh_cl_check (status, "rmsnorm_bwd_f32", error) ||
      !_wh_cl_launch_groups (ctx, kernel, "rmsnorm_bwd_f32", rows, local, error))
    return FALSE;

  if (dweight == NULL)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "rmsnorm_bwd_weight_f32", error)))
    return FALSE;

  WH_CL_SET_ARG (status, kernel, 0, dweight->mem);
  WH_CL_SET_ARG (status, kernel, 1, dy->mem);
  WH_CL_SET_ARG (status, kernel, 2, x->mem);
  WH_CL_SET_ARG (status, kernel, 3, rstd_mem);
  WH_CL_SET_ARG (status, kernel, 4, rows32);
  WH_CL_SET_ARG (status, kernel, 5, dim32);
  if (!wh_cl_check (status, "rmsnorm_bwd_weight_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "rmsnorm_bwd_weight_f32", dim, error);
}

/**
 * wh_cl_rope_backward:
 * @dx: (n_tokens, n_heads, head_dim) floats, turned back in place
 * @inv_freq: (head_dim / 2) floats, as given to wh_cl_rope()
 *
 * See wh_ref_rope_backward().
 */
gboolean
wh_cl_rope_backward (WhClContext    *ctx,
                     WhClBuffer     *dx,
                     WhClBuffer     *inv_freq,
                     gsize           n_tokens,
                     gsize           n_heads,
                     gsize           head_dim,
                     gsize           pos0,
                     WhClRopeStyle   style,
                     GError        **error)
{
  g_return_val_if_fail (ctx != NULL && dx != NULL && inv_freq != NULL, FALSE);

  return _wh_cl_launch_rope (ctx, TRUE, dx, inv_freq, NULL,
                             n_tokens, n_heads, head_dim, pos0, style, error);
}

/**
 * wh_cl_rope_backward_positions:
 * @positions: (n_tokens) gint32, as given to wh_cl_rope_positions()
 *
 * Backward of wh_cl_rope_positions().
 */
gboolean
wh_cl_rope_backward_positions (WhClContext    *ctx,
                               WhClBuffer     *dx,
                               WhClBuffer     *inv_freq,
                               WhClBuffer     *positions,
                               gsize           n_tokens,
                               gsize           n_heads,
                               gsize           head_dim,
                               WhClRopeStyle   style,
                               GError        **error)
{
  g_return_val_if_fail (ctx != NULL && dx != NULL && inv_freq != NULL && positions != NULL, FALSE);

  return _wh_cl_launch_rope (ctx, TRUE, dx, inv_freq, positions,
                             n_tokens, n_heads, head_dim, 0, style, error);
}

/**
 * wh_cl_embedding_backward:
 * @dtable: (n_rows, dim) floats, accumulated into
 * @dy: (n_tokens, dim) floats
 * @ids: (n_tokens) gint32
 *
 * See wh_ref_embedding_backward().
 */
gboolean
wh_cl_embedding_backward (WhClContext  *ctx,
                          WhClBuffer   *dtable,
                          gsize         n_rows,
                          WhClBuffer   *dy,
                          WhClBuffer   *ids,
                          gsize         n_tokens,
                          gsize         dim,
                          GError      **error)
{
  cl_kernel kernel;
  cl_uint n_rows32, n_tokens32, dim32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && dtable != NULL && dy != NULL && ids != NULL, FALSE);

  /* dy is indexed in 32 bits; the table row offset is 64-bit. */
  if (!_wh_cl_check_count ("Embedding backward", n_tokens, dim, 1, &n, error) ||
      !_wh_cl_check_floats_2d (dtable, "dtable", n_rows, dim, error) ||
      !_wh_cl_check_buffer_floats (dy, "dy", n, error) ||
      !_wh_cl_check_buffer_ints (ids, "ids", n_tokens, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "embedding_bwd_f32", error)))
    return FALSE;

  /* Every non-negative gint32 is below G_MAXUINT32, so clamping keeps the
   * kernel's bound check exact. */
  n_rows32 = MIN (n_rows, G_MAXUINT32);
  n_tokens32 = n_tokens;
  dim32 = dim;
  WH_CL_SET_ARG (status, kernel, 0, dtable->mem);
  WH_CL_SET_ARG (status, kernel, 1, dy->mem);
  WH_CL_SET_ARG (status, kernel, 2, ids->mem);
  WH_CL_SET_ARG (status, kernel, 3, n_rows32);
  WH_CL_SET_ARG (status, kernel, 4, n_tokens32);
  WH_CL_SET_ARG (status, kernel, 5, dim32);
  if (!wh_cl_check (status, "embedding_bwd_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "embedding_bwd_f32", dim, error);
}

/* The chunk's columns [v0, v0 + n_cols) fit the kernels' 32-bit ints. */
static gboolean
check_chunk (gsize     v0,
             gsize     n_cols,
             GError  **error)
{
  if (v0 > G_MAXINT32 || n_cols > (gsize) G_MAXINT32 - v0)
    return _wh_cl_invalid (error, "Cross-entropy columns v0 + n_cols exceed 31 bits");

  return TRUE;
}

/**
 * wh_cl_ce_chunk_stats:
 * @stats: (rows, WH_CL_CE_STATS) floats, updated (set by the chunk at v0 = 0)
 * @logits: (rows, n_cols) floats, vocabulary columns [v0, v0 + n_cols)
 * @targets: (rows) gint32
 *
 * See wh_ref_cross_entropy() and the notes in backward.cl.
 */
gboolean
wh_cl_ce_chunk_stats (WhClContext  *ctx,
                      WhClBuffer   *stats,
                      WhClBuffer   *logits,
                      WhClBuffer   *targets,
                      gsize         rows,
                      gsize         n_cols,
                      gsize         v0,
                      GError      **error)
{
  cl_kernel kernel;
  cl_uint n_cols32, v032;
  cl_int status = CL_SUCCESS;
  gsize n, local;

  g_return_val_if_fail (ctx != NULL && stats != NULL && logits != NULL && targets != NULL, FALSE);

  if (n_cols == 0)
    return _wh_cl_invalid (error, "Cross-entropy chunk has no columns");

  if (!check_chunk (v0, n_cols, error) ||
      !_wh_cl_check_count ("Cross-entropy", rows, n_cols, 1, &n, error) ||
      !_wh_cl_check_floats_2d (stats, "stats", rows, WH_CL_CE_STATS, error) ||
      !_wh_cl_check_buffer_floats (logits, "logits", n, error) ||
      !_wh_cl_check_buffer_ints (targets, "targets", rows, error))
    return FALSE;

  if (rows == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "ce_chunk_stats_f32", error)) ||
      !_wh_cl_group_size (ctx, kernel, "ce_chunk_stats_f32", n_cols, ROW_GROUP_MAX, &local,
                          error))
    return FALSE;

  n_cols32 = n_cols;
  v032 = v0;
  WH_CL_SET_ARG (status, kernel, 0, stats->mem);
  WH_CL_SET_ARG (status, kernel, 1, logits->mem);
  WH_CL_SET_ARG (status, kernel, 2, targets->mem);
  WH_CL_SET_ARG (status, kernel, 3, n_cols32);
  WH_CL_SET_ARG (status, kernel, 4, v032);
  WH_CL_SET_LOCAL_ARG (status, kernel, 5, local * sizeof (float));
  if (!wh_cl_check (status, "ce_chunk_stats_f32", error))
    return FALSE;

  return _wh_cl_launch_groups (ctx, kernel, "ce_chunk_stats_f32", rows, local, error);
}

/**
 * wh_cl_ce_finish:
 * @losses: (rows) floats, written
 * @stats: (rows, WH_CL_CE_STATS) floats, after every chunk's stats
 * @targets: (rows) gint32
 *
 * See wh_ref_cross_entropy().
 */
gboolean
wh_cl_ce_finish (WhClContext  *ctx,
                 WhClBuffer   *losses,
                 WhClBuffer   *stats,
                 WhClBuffer   *targets,
                 gsize         rows,
                 GError      **error)
{
  cl_kernel kernel;
  cl_uint rows32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && losses != NULL && stats != NULL && targets != NULL, FALSE);

  if (!_wh_cl_check_count ("Cross-entropy", rows, WH_CL_CE_STATS, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (losses, "losses", rows, error) ||
      !_wh_cl_check_buffer_floats (stats, "stats", n, error) ||
      !_wh_cl_check_buffer_ints (targets, "targets", rows, error))
    return FALSE;

  if (rows == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "ce_finish_f32", error)))
    return FALSE;

  rows32 = rows;
  WH_CL_SET_ARG (status, kernel, 0, losses->mem);
  WH_CL_SET_ARG (status, kernel, 1, stats->mem);
  WH_CL_SET_ARG (status, kernel, 2, targets->mem);
  WH_CL_SET_ARG (status, kernel, 3, rows32);
  if (!wh_cl_check (status, "ce_finish_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "ce_finish_f32", rows, error);
}

/**
 * wh_cl_ce_chunk_grad:
 * @dlogits: (rows, n_cols) floats, written; may be @logits
 * @logits: (rows, n_cols) floats, vocabulary columns [v0, v0 + n_cols)
 * @stats: (rows, WH_CL_CE_STATS) floats, after every chunk's stats
 * @targets: (rows) gint32
 *
 * See wh_ref_cross_entropy_backward().
 */
gboolean
wh_cl_ce_chunk_grad (WhClContext  *ctx,
                     WhClBuffer   *dlogits,
                     WhClBuffer   *logits,
                     WhClBuffer   *stats,
                     WhClBuffer   *targets,
                     gsize         rows,
                     gsize         n_cols,
                     gsize         v0,
                     float         scale,
                     GError      **error)
{
  cl_kernel kernel;
  cl_uint n_cols32, v032, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && dlogits != NULL && logits != NULL, FALSE);
  g_return_val_if_fail (stats != NULL && targets != NULL, FALSE);

  if (n_cols == 0)
    return _wh_cl_invalid (error, "Cross-entropy chunk has no columns");

  if (!check_chunk (v0, n_cols, error) ||
      !_wh_cl_check_count ("Cross-entropy", rows, n_cols, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (dlogits, "dlogits", n, error) ||
      !_wh_cl_check_buffer_floats (logits, "logits", n, error) ||
      !_wh_cl_check_floats_2d (stats, "stats", rows, WH_CL_CE_STATS, error) ||
      !_wh_cl_check_buffer_ints (targets, "targets", rows, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "ce_chunk_grad_f32", error)))
    return FALSE;

  n_cols32 = n_cols;
  v032 = v0;
  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, dlogits->mem);
  WH_CL_SET_ARG (status, kernel, 1, logits->mem);
  WH_CL_SET_ARG (status, kernel, 2, stats->mem);
  WH_CL_SET_ARG (status, kernel, 3, targets->mem);
  WH_CL_SET_ARG (status, kernel, 4, n_cols32);
  WH_CL_SET_ARG (status, kernel, 5, v032);
  WH_CL_SET_ARG (status, kernel, 6, scale);
  WH_CL_SET_ARG (status, kernel, 7, n32);
  if (!wh_cl_check (status, "ce_chunk_grad_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "ce_chunk_grad_f32", n, error);
}

/**
 * wh_cl_add_scaled:
 * @y: (n) floats, accumulated into
 * @x: (n) floats
 */
gboolean
wh_cl_add_scaled (WhClContext  *ctx,
                  WhClBuffer   *y,
                  float         a,
                  WhClBuffer   *x,
                  gsize         n,
                  GError      **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && y != NULL && x != NULL, FALSE);

  if (!_wh_cl_check_index ("Add scaled", n, error) ||
      !_wh_cl_check_buffer_floats (y, "y", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "add_scaled_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, y->mem);
  WH_CL_SET_ARG (status, kernel, 1, x->mem);
  WH_CL_SET_ARG (status, kernel, 2, a);
  WH_CL_SET_ARG (status, kernel, 3, n32);
  if (!wh_cl_check (status, "add_scaled_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "add_scaled_f32", n, error);
}

/**
 * wh_cl_dropout:
 * @x: (n) floats
 * @y: (n) floats, written; may be @x
 * @p: the probability of zeroing an element, in [0, 1)
 *
 * See wh_ref_dropout(): the same mask for the same @seed, on any device.
 */
gboolean
wh_cl_dropout (WhClContext  *ctx,
               WhClBuffer   *x,
               WhClBuffer   *y,
               gsize         n,
               guint32       seed,
               float         p,
               GError      **error)
{
  cl_kernel kernel;
  cl_uint n32, threshold = wh_ref_dropout_threshold (p);
  float scale = 1.0f / (1.0f - p);
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && x != NULL && y != NULL, FALSE);

  if (!(p >= 0.0f && p < 1.0f))
    return _wh_cl_invalid (error, "Dropout: the probability %g is not in [0, 1)", p);
  if (!_wh_cl_check_index ("Dropout", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (y, "y", n, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "dropout_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, y->mem);
  WH_CL_SET_ARG (status, kernel, 2, n32);
  WH_CL_SET_ARG (status, kernel, 3, seed);
  WH_CL_SET_ARG (status, kernel, 4, threshold);
  WH_CL_SET_ARG (status, kernel, 5, scale);
  if (!wh_cl_check (status, "dropout_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "dropout_f32", n, error);
}

/**
 * wh_cl_sum_squares:
 * @out: (1) float, written
 * @x: (n) floats
 *
 * See wh_ref_sum_squares().  The shape of the two passes depends only on
 * the device and @n, so the result is reproducible bit for bit.
 */
gboolean
wh_cl_sum_squares (WhClContext  *ctx,
                   WhClBuffer   *out,
                   WhClBuffer   *x,
                   gsize         n,
                   GError      **error)
{
  g_autoptr(WhClBuffer) partials = NULL;
  cl_kernel partial, final;
  cl_ulong n64;
  cl_uint n_groups32;
  cl_int status = CL_SUCCESS;
  gsize local, final_local, n_groups;

  g_return_val_if_fail (ctx != NULL && out != NULL && x != NULL, FALSE);

  if (!_wh_cl_check_buffer_floats (out, "out", 1, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (n == 0)
    {
      const float zero = 0.0f;

      return wh_cl_check (clEnqueueFillBuffer (wh_cl_context_get_queue (ctx), out->mem, &zero,
                                               sizeof zero, 0, sizeof zero, 0, NULL, NULL),
                          "clEnqueueFillBuffer", error);
    }

  if (!(partial = wh_cl_context_get_kernel (ctx, "backward", "sum_squares_partial_f32", error)) ||
      !(final = wh_cl_context_get_kernel (ctx, "backward", "sum_squares_final_f32", error)) ||
      !_wh_cl_group_size (ctx, partial, "sum_squares_partial_f32", SUM_GROUP_MAX,
                          SUM_GROUP_MAX, &local, error))
    return FALSE;

  n_groups = MIN (SUM_GROUPS, (n + local - 1) / local);
  if (!_wh_cl_group_size (ctx, final, "sum_squares_final_f32", n_groups, SUM_GROUP_MAX,
                          &final_local, error))
    return FALSE;

  /* Released right after the enqueues: OpenCL keeps it until they ran. */
  if (!(partials = wh_cl_buffer_new (ctx, n_groups * sizeof (float), error)))
    return FALSE;

  n64 = n;
  WH_CL_SET_ARG (status, partial, 0, partials->mem);
  WH_CL_SET_ARG (status, partial, 1, x->mem);
  WH_CL_SET_ARG (status, partial, 2, n64);
  WH_CL_SET_LOCAL_ARG (status, partial, 3, local * sizeof (float));
  if (!wh_cl_check (status, "sum_squares_partial_f32", error) ||
      !_wh_cl_launch_groups (ctx, partial, "sum_squares_partial_f32", n_groups, local, error))
    return FALSE;

  n_groups32 = n_groups;
  WH_CL_SET_ARG (status, final, 0, out->mem);
  WH_CL_SET_ARG (status, final, 1, partials->mem);
  WH_CL_SET_ARG (status, final, 2, n_groups32);
  WH_CL_SET_LOCAL_ARG (status, final, 3, final_local * sizeof (float));
  if (!wh_cl_check (status, "sum_squares_final_f32", error))
    return FALSE;

  return _wh_cl_launch_groups (ctx, final, "sum_squares_final_f32", 1, final_local, error);
}
