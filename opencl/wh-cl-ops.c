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
check_buffer_bytes (WhClBuffer  *buffer,
                    const char  *name,
                    gsize        offset,
                    gsize        n_bytes,
                    GError     **error)
{
  if (offset > buffer->size || n_bytes > buffer->size - offset)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "Buffer “%s” of %" G_GSIZE_FORMAT " bytes is too small for %" G_GSIZE_FORMAT
                   " bytes at offset %" G_GSIZE_FORMAT,
                   name, buffer->size, n_bytes, offset);
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
        cl_uint       work_dim,
        const size_t *global,
        const size_t *local,
        GError      **error)
{
  return wh_cl_check (clEnqueueNDRangeKernel (wh_cl_context_get_queue (ctx), kernel, work_dim,
                                              NULL, global, local, 0, NULL, NULL),
                      kernel_name, error);
}

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
  if (!check_count ("Embedding", n_tokens, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n, error) ||
      !check_floats_2d (table, "table", n_rows, dim, error) ||
      !check_buffer_ints (ids, "ids", n_tokens, error))
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
  gsize n, local, global;

  g_return_val_if_fail (ctx != NULL && out != NULL && x != NULL && weight != NULL, FALSE);

  if (!check_count ("RMSNorm", rows, dim, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (weight, "weight", dim, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "rmsnorm_f32", error)) ||
      !group_size (ctx, kernel, "rmsnorm_f32", dim, ROW_GROUP_MAX, &local, error))
    return FALSE;

  dim32 = dim;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, x->mem);
  WH_CL_SET_ARG (status, kernel, 2, weight->mem);
  WH_CL_SET_ARG (status, kernel, 3, dim32);
  WH_CL_SET_ARG (status, kernel, 4, eps);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 5, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "rmsnorm_f32", error))
    return FALSE;

  global = rows * local;
  return launch (ctx, kernel, "rmsnorm_f32", 1, &global, &local, error);
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
  const char *kernel_name;
  cl_kernel kernel;
  cl_uint n_heads32, half32, pos032, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  g_return_val_if_fail (ctx != NULL && x != NULL && inv_freq != NULL, FALSE);

  switch (style)
    {
    case WH_CL_ROPE_ROTATE_HALF:
      kernel_name = "rope_rotate_half_f32";
      break;
    case WH_CL_ROPE_INTERLEAVED:
      kernel_name = "rope_interleaved_f32";
      break;
    default:
      return invalid (error, "Unknown RoPE style");
    }

  if (head_dim % 2 != 0)
    return invalid (error, "RoPE needs an even head_dim");

  if (pos0 > G_MAXUINT32 || n_tokens > G_MAXUINT32 - pos0)
    return invalid (error, "RoPE positions pos0 + n_tokens exceed 32 bits");

  if (!check_count ("RoPE", n_tokens, n_heads, head_dim, &n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error) ||
      !_wh_cl_check_buffer_floats (inv_freq, "inv_freq", head_dim / 2, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", kernel_name, error)))
    return FALSE;

  n_heads32 = n_heads;
  half32 = head_dim / 2;
  pos032 = pos0;
  n32 = n / 2;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
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
  size_t global[2], local2[2];

  g_return_val_if_fail (ctx != NULL && out != NULL && q != NULL, FALSE);
  g_return_val_if_fail (k_cache != NULL && v_cache != NULL, FALSE);

  if (n_kv_heads == 0 || n_heads % n_kv_heads != 0)
    return invalid (error, "Attention needs n_heads a multiple of n_kv_heads");

  if (pos0 > n_ctx || n_tokens > n_ctx - pos0)
    return invalid (error, "Attention positions pos0 + n_tokens exceed n_ctx");

  if (!check_count ("Attention", n_tokens, n_heads, head_dim, &n_q, error) ||
      !check_count ("Attention", n_ctx, n_kv_heads, head_dim, &n_kv, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n_q, error) ||
      !_wh_cl_check_buffer_floats (q, "q", n_q, error) ||
      !_wh_cl_check_buffer_floats (k_cache, "k_cache", n_kv, error) ||
      !_wh_cl_check_buffer_floats (v_cache, "v_cache", n_kv, error))
    return FALSE;

  if (n_q == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "attention", "attention_causal_f32", error)) ||
      !group_size (ctx, kernel, "attention_causal_f32", pos0 + n_tokens, ATTENTION_GROUP_MAX,
                   &local, error))
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
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 10, head_dim * sizeof (float), NULL);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 11, head_dim * sizeof (float), NULL);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 12, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "attention_causal_f32", error))
    return FALSE;

  global[0] = n_heads * local;
  global[1] = n_tokens;
  local2[0] = local;
  local2[1] = 1;
  return launch (ctx, kernel, "attention_causal_f32", 2, global, local2, error);
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
  gsize n_checked;

  g_return_val_if_fail (ctx != NULL && y != NULL && x != NULL, FALSE);

  if (!check_count ("Add", n, 1, 1, &n_checked, error) ||
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

  if (!check_count ("Bias", rows, cols, 1, &n, error) ||
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
  gsize n, local, global;

  g_return_val_if_fail (ctx != NULL && x != NULL, FALSE);

  if (!check_count ("Softmax", rows, cols, 1, &n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (n == 0)
    return TRUE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", "softmax_rows_f32", error)) ||
      !group_size (ctx, kernel, "softmax_rows_f32", cols, ROW_GROUP_MAX, &local, error))
    return FALSE;

  cols32 = cols;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, cols32);
  if (status == CL_SUCCESS)
    status = clSetKernelArg (kernel, 2, local * sizeof (float), NULL);
  if (!wh_cl_check (status, "softmax_rows_f32", error))
    return FALSE;

  global = rows * local;
  return launch (ctx, kernel, "softmax_rows_f32", 1, &global, &local, error);
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

  if (!check_buffer_bytes (src, "src", src_offset, n_bytes, error) ||
      !check_buffer_bytes (dst, "dst", dst_offset, n_bytes, error))
    return FALSE;

  if (n_bytes == 0)
    return TRUE;

  if (src->mem == dst->mem &&
      src_offset < dst_offset + n_bytes && dst_offset < src_offset + n_bytes)
    return invalid (error, "Copy between overlapping regions of one buffer");

  return wh_cl_check (clEnqueueCopyBuffer (wh_cl_context_get_queue (ctx), src->mem, dst->mem,
                                           src_offset, dst_offset, n_bytes, 0, NULL, NULL),
                      "clEnqueueCopyBuffer", error);
}
