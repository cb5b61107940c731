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

/* Largest work-group of the row-wise kernels, as in wh-cl-ops.c. */
#define ROW_GROUP_MAX 256

/* The fixed shape of wh_cl_sum_squares(): at most SUM_GROUPS groups of
 * SUM_GROUP_MAX items (or the device's limit).  Enough groups to fill a
 * GPU; few enough that one group sums the partials. */
#define SUM_GROUP_MAX 256
#define SUM_GROUPS    256

/* *n = a · b · c, failing where that overflows or passes the kernels'
 * 32-bit element index. */
static gboolean
check_count (const char  *op,
             gsize        a,
             gsize        b,
             gsize        c,
             gsize       *n,
             GError     **error)
{
  gsize ab;

  if (!g_size_checked_mul (&ab, a, b) || !g_size_checked_mul (n, ab, c))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "%s sizes %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " overflow",
                   op, a, b, c);
      return FALSE;
    }

  if (*n > G_MAXUINT32)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "%s over %" G_GSIZE_FORMAT " elements exceeds the kernel's 32-bit index", op, *n);
      return FALSE;
    }

  return TRUE;
}

/* The buffer holds @a · @b floats, without overflow. */
static gboolean
check_floats_2d (WhClBuffer  *buffer,
                 const char  *name,
                 gsize        a,
                 gsize        b,
                 GError     **error)
{
  gsize n;

  if (!g_size_checked_mul (&n, a, b))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "Buffer “%s” cannot hold %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " floats",
                   name, a, b);
      return FALSE;
    }

  return _wh_cl_check_buffer_floats (buffer, name, n, error);
}

static gboolean
check_buffer_ints (WhClBuffer  *buffer,
                   const char  *name,
                   gsize        n,
                   GError     **error)
{
  if (n > G_MAXSIZE / sizeof (gint32) || buffer->size < n * sizeof (gint32))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "Buffer “%s” of %" G_GSIZE_FORMAT " bytes is too small for %" G_GSIZE_FORMAT " ints",
                   name, buffer->size, n);
      return FALSE;
    }

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* The work-group size of a kernel whose items cooperate through local
 * memory: a power of two no larger than @want (rounded up to a power of
 * two), @cap, the device's limit or what @kernel allows. */
static gboolean
group_size (WhClContext  *ctx,
            cl_kernel     kernel,
            const char   *kernel_name,
            gsize         want,
            gsize         cap,
            gsize        *size,
            GError      **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  size_t kernel_max = 0;
  gsize limit;

  if (!wh_cl_check (clGetKernelWorkGroupInfo (kernel, device->device_id, CL_KERNEL_WORK_GROUP_SIZE,
                                              sizeof kernel_max, &kernel_max, NULL),
                    kernel_name, error))
    return FALSE;

  limit = MIN (MIN (cap, kernel_max), device->max_work_group_size);
  *size = 1;
  while (*size < want && *size * 2 <= limit)
    *size *= 2;

  return TRUE;
}

static gboolean
launch (WhClContext  *ctx,
        cl_kernel     kernel,
        const char   *kernel_name,
        gsize         global,
        gsize         local,
        GError      **error)
{
  size_t global_size = global, local_size = local;

  return wh_cl_check (clEnqueueNDRangeKernel (wh_cl_context_get_queue (ctx), kernel, 1,
                                              NULL, &global_size, &local_size, 0, NULL, NULL),
                      kernel_name, error);
}

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

  if (!check_count ("RMSNorm backward", rows, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (dx, "dx", n, error) ||
      (dweight != NULL && !_wh_cl_check_buffer_floats (dweight, "dweight", dim, error)) ||
      !_wh_cl_check_buffer_floats (dy, "dy", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (weight, "weight", dim, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "rmsnorm_bwd_f32", error)) ||
      !group_size (ctx, kernel, "rmsnorm_bwd_f32", dim, ROW_GROUP_MAX, &local, error))
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
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 7, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "rmsnorm_bwd_f32", error) ||
      !launch (ctx, kernel, "rmsnorm_bwd_f32", rows * local, local, error))
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
  const char *kernel_name;
  cl_kernel kernel;
  cl_uint n_heads32, half32, pos032, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && dx != NULL && inv_freq != NULL, FALSE);

  switch (style)
    {
    case WH_CL_ROPE_ROTATE_HALF:
      kernel_name = "rope_bwd_rotate_half_f32";
      break;
    case WH_CL_ROPE_INTERLEAVED:
      kernel_name = "rope_bwd_interleaved_f32";
      break;
    default:
      return invalid (error, "Unknown RoPE style");
    }

  if (head_dim % 2 != 0)
    return invalid (error, "RoPE needs an even head_dim");

  if (pos0 > G_MAXUINT32 || n_tokens > G_MAXUINT32 - pos0)
    return invalid (error, "RoPE positions pos0 + n_tokens exceed 32 bits");

  if (!check_count ("RoPE backward", n_tokens, n_heads, head_dim, &n, error) ||
      !_wh_cl_check_buffer_floats (dx, "dx", n, error) ||
      !_wh_cl_check_buffer_floats (inv_freq, "inv_freq", head_dim / 2, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", kernel_name, error)))
    return FALSE;

  n_heads32 = n_heads;
  half32 = head_dim / 2;
  pos032 = pos0;
  n32 = n / 2;
  WH_CL_SET_ARG (status, kernel, 0, dx->mem);
  WH_CL_SET_ARG (status, kernel, 1, inv_freq->mem);
  WH_CL_SET_ARG (status, kernel, 2, n_heads32);
  WH_CL_SET_ARG (status, kernel, 3, half32);
  WH_CL_SET_ARG (status, kernel, 4, pos032);
  WH_CL_SET_ARG (status, kernel, 5, n32);
  if (!wh_cl_check (status, kernel_name, error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, kernel_name, n / 2, error);
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
  if (!check_count ("Embedding backward", n_tokens, dim, 1, &n, error) ||
      !check_floats_2d (dtable, "dtable", n_rows, dim, error) ||
      !_wh_cl_check_buffer_floats (dy, "dy", n, error) ||
      !check_buffer_ints (ids, "ids", n_tokens, error))
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
    return invalid (error, "Cross-entropy columns v0 + n_cols exceed 31 bits");

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
    return invalid (error, "Cross-entropy chunk has no columns");

  if (!check_chunk (v0, n_cols, error) ||
      !check_count ("Cross-entropy", rows, n_cols, 1, &n, error) ||
      !check_floats_2d (stats, "stats", rows, WH_CL_CE_STATS, error) ||
      !_wh_cl_check_buffer_floats (logits, "logits", n, error) ||
      !check_buffer_ints (targets, "targets", rows, error))
    return FALSE;

  if (rows == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "backward", "ce_chunk_stats_f32", error)) ||
      !group_size (ctx, kernel, "ce_chunk_stats_f32", n_cols, ROW_GROUP_MAX, &local, error))
    return FALSE;

  n_cols32 = n_cols;
  v032 = v0;
  WH_CL_SET_ARG (status, kernel, 0, stats->mem);
  WH_CL_SET_ARG (status, kernel, 1, logits->mem);
  WH_CL_SET_ARG (status, kernel, 2, targets->mem);
  WH_CL_SET_ARG (status, kernel, 3, n_cols32);
  WH_CL_SET_ARG (status, kernel, 4, v032);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 5, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "ce_chunk_stats_f32", error))
    return FALSE;

  return launch (ctx, kernel, "ce_chunk_stats_f32", rows * local, local, error);
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

  if (!check_count ("Cross-entropy", rows, WH_CL_CE_STATS, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (losses, "losses", rows, error) ||
      !_wh_cl_check_buffer_floats (stats, "stats", n, error) ||
      !check_buffer_ints (targets, "targets", rows, error))
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
    return invalid (error, "Cross-entropy chunk has no columns");

  if (!check_chunk (v0, n_cols, error) ||
      !check_count ("Cross-entropy", rows, n_cols, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (dlogits, "dlogits", n, error) ||
      !_wh_cl_check_buffer_floats (logits, "logits", n, error) ||
      !check_floats_2d (stats, "stats", rows, WH_CL_CE_STATS, error) ||
      !check_buffer_ints (targets, "targets", rows, error))
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
  gsize n_checked;

  g_return_val_if_fail (ctx != NULL && y != NULL && x != NULL, FALSE);

  if (!check_count ("Add scaled", n, 1, 1, &n_checked, error) ||
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
      !group_size (ctx, partial, "sum_squares_partial_f32", SUM_GROUP_MAX, SUM_GROUP_MAX,
                   &local, error))
    return FALSE;

  n_groups = MIN (SUM_GROUPS, (n + local - 1) / local);
  if (!group_size (ctx, final, "sum_squares_final_f32", n_groups, SUM_GROUP_MAX,
                   &final_local, error))
    return FALSE;

  /* Released right after the enqueues: OpenCL keeps it until they ran. */
  if (!(partials = wh_cl_buffer_new (ctx, n_groups * sizeof (float), error)))
    return FALSE;

  n64 = n;
  WH_CL_SET_ARG (status, partial, 0, partials->mem);
  WH_CL_SET_ARG (status, partial, 1, x->mem);
  WH_CL_SET_ARG (status, partial, 2, n64);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (partial, 3, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "sum_squares_partial_f32", error) ||
      !launch (ctx, partial, "sum_squares_partial_f32", n_groups * local, local, error))
    return FALSE;

  n_groups32 = n_groups;
  WH_CL_SET_ARG (status, final, 0, out->mem);
  WH_CL_SET_ARG (status, final, 1, partials->mem);
  WH_CL_SET_ARG (status, final, 2, n_groups32);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (final, 3, final_local * sizeof (float), NULL);
  if (!wh_cl_check (status, "sum_squares_final_f32", error))
    return FALSE;

  return launch (ctx, final, "sum_squares_final_f32", final_local, final_local, error);
}
