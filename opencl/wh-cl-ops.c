/* wh-cl-ops.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-cl-error.h"
#include "wh-cl-launch.h"
#include "wh-cl-ops.h"

/* Largest work-group of the row-wise kernels (rmsnorm, softmax_rows) and
 * of attention: enough to stream a 4096-wide row on a GPU, and a size that
 * PoCL's CPU device runs as a vectorised loop. */
#define ROW_GROUP_MAX       256
#define ATTENTION_GROUP_MAX 64

/**
 * wh_cl_embedding:
 * @out: (n_tokens, dim) floats, written
 * @table: (n_rows, dim) floats
 * @ids: (n_tokens) gint32
 *
 * See wh_ref_embedding().
 */
gboolean
wh_cl_embedding (WhClContext  *ctx,
                 WhClBuffer   *out,
                 WhClBuffer   *table,
                 gsize         n_rows,
                 WhClBuffer   *ids,
                 gsize         n_tokens,
                 gsize         dim,
                 GError      **error)
{
  cl_kernel kernel;
  cl_uint n_rows32, dim32, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && out != NULL && table != NULL && ids != NULL, FALSE);

  /* Only the output is indexed in 32 bits; the table row offset is 64-bit. */
  if (!_wh_cl_check_count ("Embedding", n_tokens, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n, error) ||
      !_wh_cl_check_floats_2d (table, "table", n_rows, dim, error) ||
      !_wh_cl_check_buffer_ints (ids, "ids", n_tokens, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "embedding_f32", error)))
    return FALSE;

  /* Every non-negative gint32 is below G_MAXUINT32, so clamping keeps the
   * kernel's bound check exact. */
  n_rows32 = MIN (n_rows, G_MAXUINT32);
  dim32 = dim;
  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, table->mem);
  WH_CL_SET_ARG (status, kernel, 2, ids->mem);
  WH_CL_SET_ARG (status, kernel, 3, n_rows32);
  WH_CL_SET_ARG (status, kernel, 4, dim32);
  WH_CL_SET_ARG (status, kernel, 5, n32);
  if (!wh_cl_check (status, "embedding_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "embedding_f32", n, error);
}

/**
 * wh_cl_rmsnorm:
 * @out: (rows, dim) floats, written; may be @x
 * @x: (rows, dim) floats
 * @weight: (dim) floats
 *
 * See wh_ref_rmsnorm().
 */
gboolean
wh_cl_rmsnorm (WhClContext  *ctx,
               WhClBuffer   *out,
               WhClBuffer   *x,
               WhClBuffer   *weight,
               gsize         rows,
               gsize         dim,
               float         eps,
               GError      **error)
{
  cl_kernel kernel;
  cl_uint dim32;
  cl_int status = CL_SUCCESS;
  gsize n, local;

  g_return_val_if_fail (ctx != NULL && out != NULL && x != NULL && weight != NULL, FALSE);

  if (!_wh_cl_check_count ("RMSNorm", rows, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (weight, "weight", dim, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "rmsnorm_f32", error)) ||
      !_wh_cl_group_size (ctx, kernel, "rmsnorm_f32", dim, ROW_GROUP_MAX, &local, error))
    return FALSE;

  dim32 = dim;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, x->mem);
  WH_CL_SET_ARG (status, kernel, 2, weight->mem);
  WH_CL_SET_ARG (status, kernel, 3, dim32);
  WH_CL_SET_ARG (status, kernel, 4, eps);
  WH_CL_SET_LOCAL_ARG (status, kernel, 5, local * sizeof (float));
  if (!wh_cl_check (status, "rmsnorm_f32", error))
    return FALSE;

  return _wh_cl_launch_groups (ctx, kernel, "rmsnorm_f32", rows, local, error);
}

/**
 * wh_cl_rope:
 * @x: (n_tokens, n_heads, head_dim) floats, rotated in place
 * @inv_freq: (head_dim / 2) floats
 *
 * See wh_ref_rope().
 */
gboolean
wh_cl_rope (WhClContext    *ctx,
            WhClBuffer     *x,
            WhClBuffer     *inv_freq,
            gsize           n_tokens,
            gsize           n_heads,
            gsize           head_dim,
            gsize           pos0,
            WhClRopeStyle   style,
            GError        **error)
{
  g_return_val_if_fail (ctx != NULL && x != NULL && inv_freq != NULL, FALSE);

  return _wh_cl_launch_rope (ctx, FALSE, x, inv_freq, NULL,
                             n_tokens, n_heads, head_dim, pos0, style, error);
}

/**
 * wh_cl_rope_positions:
 * @positions: (n_tokens) gint32, the position of each token
 *
 * As wh_cl_rope(), token t at @positions[t] instead of pos0 + t.
 */
gboolean
wh_cl_rope_positions (WhClContext    *ctx,
                      WhClBuffer     *x,
                      WhClBuffer     *inv_freq,
                      WhClBuffer     *positions,
                      gsize           n_tokens,
                      gsize           n_heads,
                      gsize           head_dim,
                      WhClRopeStyle   style,
                      GError        **error)
{
  g_return_val_if_fail (ctx != NULL && x != NULL && inv_freq != NULL && positions != NULL, FALSE);

  return _wh_cl_launch_rope (ctx, FALSE, x, inv_freq, positions,
                             n_tokens, n_heads, head_dim, 0, style, error);
}

/**
 * wh_cl_attention:
 * @out: (n_tokens, n_heads, head_dim) floats, written
 * @q: (n_tokens, n_heads, head_dim) floats
 * @k_cache: (n_ctx, n_kv_heads, head_dim) floats
 * @v_cache: (n_ctx, n_kv_heads, head_dim) floats
 *
 * See wh_ref_attention() and the design notes in attention.cl.
 */
gboolean
wh_cl_attention (WhClContext  *ctx,
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
                 GError      **error)
{
  const WhClDeviceInfo *device;
  cl_kernel kernel;
  cl_uint n_heads32, n_kv_heads32, head_dim32, group32, pos032;
  cl_int status = CL_SUCCESS;
  gsize n_q, n_kv, local, local_bytes;

  g_return_val_if_fail (ctx != NULL && out != NULL && q != NULL, FALSE);
  g_return_val_if_fail (k_cache != NULL && v_cache != NULL, FALSE);

  if (n_kv_heads == 0 || n_heads % n_kv_heads != 0)
    return _wh_cl_invalid (error, "Attention needs n_heads a multiple of n_kv_heads");

  if (pos0 > n_ctx || n_tokens > n_ctx - pos0)
    return _wh_cl_invalid (error, "Attention positions pos0 + n_tokens exceed n_ctx");

  if (!_wh_cl_check_count ("Attention", n_tokens, n_heads, head_dim, &n_q, error) ||
      !_wh_cl_check_count ("Attention", n_ctx, n_kv_heads, head_dim, &n_kv, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n_q, error) ||
      !_wh_cl_check_buffer_floats (q, "q", n_q, error) ||
      !_wh_cl_check_buffer_floats (k_cache, "k_cache", n_kv, error) ||
      !_wh_cl_check_buffer_floats (v_cache, "v_cache", n_kv, error))
    return FALSE;

  if (n_q == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "attention", "attention_causal_f32", error)) ||
      !_wh_cl_group_size (ctx, kernel, "attention_causal_f32", pos0 + n_tokens,
                          ATTENTION_GROUP_MAX, &local, error))
    return FALSE;

  device = wh_cl_context_get_device (ctx);
  local_bytes = (2 * head_dim + local) * sizeof (float);
  if (local_bytes > device->local_mem_size)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   "Attention with head_dim %" G_GSIZE_FORMAT " needs %" G_GSIZE_FORMAT
                   " bytes of local memory; the device has %" G_GUINT64_FORMAT,
                   head_dim, local_bytes, device->local_mem_size);
      return FALSE;
    }

  n_heads32 = n_heads;
  n_kv_heads32 = n_kv_heads;
  head_dim32 = head_dim;
  group32 = n_heads / n_kv_heads;
  pos032 = pos0;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, q->mem);
  WH_CL_SET_ARG (status, kernel, 2, k_cache->mem);
  WH_CL_SET_ARG (status, kernel, 3, v_cache->mem);
  WH_CL_SET_ARG (status, kernel, 4, n_heads32);
  WH_CL_SET_ARG (status, kernel, 5, n_kv_heads32);
  WH_CL_SET_ARG (status, kernel, 6, head_dim32);
  WH_CL_SET_ARG (status, kernel, 7, group32);
  WH_CL_SET_ARG (status, kernel, 8, pos032);
  WH_CL_SET_ARG (status, kernel, 9, scale);
  WH_CL_SET_LOCAL_ARG (status, kernel, 10, head_dim * sizeof (float));
  WH_CL_SET_LOCAL_ARG (status, kernel, 11, head_dim * sizeof (float));
  WH_CL_SET_LOCAL_ARG (status, kernel, 12, local * sizeof (float));
  if (!wh_cl_check (status, "attention_causal_f32", error))
    return FALSE;

  return _wh_cl_launch_2d (ctx, kernel, "attention_causal_f32", n_heads, local, n_tokens, 1, error);
}

/**
 * wh_cl_add:
 * @y: (n) floats, accumulated into
 * @x: (n) floats
 */
gboolean
wh_cl_add (WhClContext  *ctx,
           WhClBuffer   *y,
           WhClBuffer   *x,
           gsize         n,
           GError      **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && y != NULL && x != NULL, FALSE);

  if (!_wh_cl_check_index ("Add", n, error) ||
      !_wh_cl_check_buffer_floats (y, "y", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "add_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, y->mem);
  WH_CL_SET_ARG (status, kernel, 1, x->mem);
  WH_CL_SET_ARG (status, kernel, 2, n32);
  if (!wh_cl_check (status, "add_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "add_f32", n, error);
}

/**
 * wh_cl_add_bias:
 * @x: (rows, cols) floats, accumulated into
 * @bias: (cols) floats
 */
gboolean
wh_cl_add_bias (WhClContext  *ctx,
                WhClBuffer   *x,
                WhClBuffer   *bias,
                gsize         rows,
                gsize         cols,
                GError      **error)
{
  cl_kernel kernel;
  cl_uint cols32, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && x != NULL && bias != NULL, FALSE);

  if (!_wh_cl_check_count ("Bias", rows, cols, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (bias, "bias", cols, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "add_bias_f32", error)))
    return FALSE;

  cols32 = cols;
  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, bias->mem);
  WH_CL_SET_ARG (status, kernel, 2, cols32);
  WH_CL_SET_ARG (status, kernel, 3, n32);
  if (!wh_cl_check (status, "add_bias_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "add_bias_f32", n, error);
}

/**
 * wh_cl_softmax_rows:
 * @x: (rows, cols) floats, replaced by their softmax row by row
 *
 * See wh_ref_softmax_rows().
 */
gboolean
wh_cl_softmax_rows (WhClContext  *ctx,
                    WhClBuffer   *x,
                    gsize         rows,
                    gsize         cols,
                    GError      **error)
{
  cl_kernel kernel;
  cl_uint cols32;
  cl_int status = CL_SUCCESS;
  gsize n, local;

  g_return_val_if_fail (ctx != NULL && x != NULL, FALSE);

  if (!_wh_cl_check_count ("Softmax", rows, cols, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "softmax_rows_f32", error)) ||
      !_wh_cl_group_size (ctx, kernel, "softmax_rows_f32", cols, ROW_GROUP_MAX, &local, error))
    return FALSE;

  cols32 = cols;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, cols32);
  WH_CL_SET_LOCAL_ARG (status, kernel, 2, local * sizeof (float));
  if (!wh_cl_check (status, "softmax_rows_f32", error))
    return FALSE;

  return _wh_cl_launch_groups (ctx, kernel, "softmax_rows_f32", rows, local, error);
}

/**
 * wh_cl_copy:
 * @dst: written from @dst_offset
 * @src: read from @src_offset
 *
 * Enqueues the copy; regions of one buffer must not overlap.
 */
gboolean
wh_cl_copy (WhClContext  *ctx,
            WhClBuffer   *dst,
            gsize         dst_offset,
            WhClBuffer   *src,
            gsize         src_offset,
            gsize         n_bytes,
            GError      **error)
{
  g_return_val_if_fail (ctx != NULL && dst != NULL && src != NULL, FALSE);

  if (!_wh_cl_check_buffer_bytes (src, "src", src_offset, n_bytes, error) ||
      !_wh_cl_check_buffer_bytes (dst, "dst", dst_offset, n_bytes, error))
    return FALSE;

  if (n_bytes == 0)
    return TRUE;

  if (src->mem == dst->mem &&
      src_offset < dst_offset + n_bytes && dst_offset < src_offset + n_bytes)
    return _wh_cl_invalid (error, "Copy between overlapping regions of one buffer");

  return wh_cl_check (clEnqueueCopyBuffer (wh_cl_context_get_queue (ctx), src->mem, dst->mem,
                                           src_offset, dst_offset, n_bytes, 0, NULL, NULL),
                      "clEnqueueCopyBuffer", error);
}
