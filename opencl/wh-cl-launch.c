/* wh-cl-launch.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-launch.h"

/* Work-group size of element-wise kernels: a multiple of every vendor's
 * SIMD width, and small enough for any device. */
#define WH_CL_ELEMENTWISE_LOCAL 64

gboolean
_wh_cl_invalid (GError     **error,
                const char  *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT, message);

  return FALSE;
}

/* @n elements fit the kernels' 32-bit element index. */
gboolean
_wh_cl_check_index (const char  *op,
                    gsize        n,
                    GError     **error)
{
  if (n > G_MAXUINT32)
    return _wh_cl_invalid (error, "%s over %" G_GSIZE_FORMAT " elements exceeds the kernel's "
                           "32-bit index", op, n);

  return TRUE;
}

/* *n = a · b · c, failing where that overflows or passes the kernels'
 * 32-bit element index. */
gboolean
_wh_cl_check_count (const char  *op,
                    gsize        a,
                    gsize        b,
                    gsize        c,
                    gsize       *n,
                    GError     **error)
{
  gsize ab;

  if (!g_size_checked_mul (&ab, a, b) || !g_size_checked_mul (n, ab, c))
    return _wh_cl_invalid (error, "%s sizes %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " × %"
                           G_GSIZE_FORMAT " overflow", op, a, b, c);

  return _wh_cl_check_index (op, *n, error);
}

/* The buffer holds @n elements of @elem_size bytes, @what in messages. */
static gboolean
check_buffer_elements (WhClBuffer  *buffer,
                       const char  *name,
                       gsize        n,
                       gsize        elem_size,
                       const char  *what,
                       GError     **error)
{
  if (n > G_MAXSIZE / elem_size || buffer->size < n * elem_size)
    return _wh_cl_invalid (error, "Buffer “%s” of %" G_GSIZE_FORMAT " bytes is too small for %"
                           G_GSIZE_FORMAT " %s", name, buffer->size, n, what);

  return TRUE;
}

gboolean
_wh_cl_check_buffer_floats (WhClBuffer  *buffer,
                            const char  *name,
                            gsize        n,
                            GError     **error)
{
  return check_buffer_elements (buffer, name, n, sizeof (float), "floats", error);
}

/* The buffer holds @a · @b floats, without overflow. */
gboolean
_wh_cl_check_floats_2d (WhClBuffer  *buffer,
                        const char  *name,
                        gsize        a,
                        gsize        b,
                        GError     **error)
{
  gsize n;

  if (!g_size_checked_mul (&n, a, b))
    return _wh_cl_invalid (error, "Buffer “%s” cannot hold %" G_GSIZE_FORMAT " × %"
                           G_GSIZE_FORMAT " floats", name, a, b);

  return _wh_cl_check_buffer_floats (buffer, name, n, error);
}

gboolean
_wh_cl_check_buffer_ints (WhClBuffer  *buffer,
                          const char  *name,
                          gsize        n,
                          GError     **error)
{
  return check_buffer_elements (buffer, name, n, sizeof (gint32), "ints", error);
}

gboolean
_wh_cl_check_buffer_bytes (WhClBuffer  *buffer,
                           const char  *name,
                           gsize        offset,
                           gsize        n_bytes,
                           GError     **error)
{
  if (offset > buffer->size || n_bytes > buffer->size - offset)
    return _wh_cl_invalid (error, "Buffer “%s” of %" G_GSIZE_FORMAT " bytes is too small for %"
                           G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT,
                           name, buffer->size, n_bytes, offset);

  return TRUE;
}

/* *limit = the largest work-group @kernel may run on this device, and no
 * more than @cap. */
gboolean
_wh_cl_group_limit (WhClContext  *ctx,
                    cl_kernel     kernel,
                    const char   *kernel_name,
                    gsize         cap,
                    gsize        *limit,
                    GError      **error)
{
  size_t kernel_max = 0;

  if (!wh_cl_check (clGetKernelWorkGroupInfo (kernel, ctx->device->device_id,
                                              CL_KERNEL_WORK_GROUP_SIZE,
                                              sizeof kernel_max, &kernel_max, NULL),
                    kernel_name, error))
    return FALSE;

  *limit = MIN (MIN (cap, kernel_max), ctx->device->max_work_group_size);
  return TRUE;
}

/* The work-group size of a kernel whose items cooperate through local
 * memory: a power of two no larger than @want (rounded up to a power of
 * two), @cap, the device's limit or what @kernel allows. */
gboolean
_wh_cl_group_size (WhClContext  *ctx,
                   cl_kernel     kernel,
                   const char   *kernel_name,
                   gsize         want,
                   gsize         cap,
                   gsize        *size,
                   GError      **error)
{
  gsize limit;

  if (!_wh_cl_group_limit (ctx, kernel, kernel_name, cap, &limit, error))
    return FALSE;

  *size = 1;
  while (*size < want && *size * 2 <= limit)
    *size *= 2;

  return TRUE;
}

static gboolean
enqueue (WhClContext  *ctx,
         cl_kernel     kernel,
         const char   *kernel_name,
         cl_uint       work_dim,
         const size_t *global,
         const size_t *local,
         GError      **error)
{
  return wh_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, work_dim, NULL, global, local,
                                              0, NULL, NULL),
                      kernel_name, error);
}

/* One work-item per element of @n, the global size rounded up to the
 * group: the kernel checks the bound. */
gboolean
_wh_cl_launch_1d (WhClContext *ctx,
                  cl_kernel    kernel,
                  const char  *kernel_name,
                  gsize        n,
                  GError     **error)
{
  size_t local = MIN (WH_CL_ELEMENTWISE_LOCAL, ctx->device->max_work_group_size);
  size_t global = (n + local - 1) / local * local;

  if (n == 0)
    return TRUE;

  return enqueue (ctx, kernel, kernel_name, 1, &global, &local, error);
}

/* @n_groups work-groups of @local items, in one dimension. */
gboolean
_wh_cl_launch_groups (WhClContext  *ctx,
                      cl_kernel     kernel,
                      const char   *kernel_name,
                      gsize         n_groups,
                      gsize         local,
                      GError      **error)
{
  size_t global_size = n_groups * local, local_size = local;

  return enqueue (ctx, kernel, kernel_name, 1, &global_size, &local_size, error);
}

/* @n_groups_x × @n_groups_y work-groups of @local_x × @local_y items. */
gboolean
_wh_cl_launch_2d (WhClContext  *ctx,
                  cl_kernel     kernel,
                  const char   *kernel_name,
                  gsize         n_groups_x,
                  gsize         local_x,
                  gsize         n_groups_y,
                  gsize         local_y,
                  GError      **error)
{
  size_t global[2] = { n_groups_x * local_x, n_groups_y * local_y };
  size_t local[2] = { local_x, local_y };

  return enqueue (ctx, kernel, kernel_name, 2, global, local, error);
}

/* See wh_cl_rope() and wh_cl_rope_backward(): ops.cl's rope_*_f32 turn
 * @x in place, back by the same angle when @backward.  @positions
 * (nullable): each token's position, instead of pos0 + t. */
gboolean
_wh_cl_launch_rope (WhClContext    *ctx,
                    gboolean        backward,
                    WhClBuffer     *x,
                    WhClBuffer     *inv_freq,
                    WhClBuffer     *positions,
                    gsize           n_tokens,
                    gsize           n_heads,
                    gsize           head_dim,
                    gsize           pos0,
                    WhClRopeStyle   style,
                    GError        **error)
{
  char kernel_name[64];
  const char *pairs;
  cl_kernel kernel;
  cl_mem positions_mem = positions != NULL ? positions->mem : NULL;
  const char *op = backward ? "RoPE backward" : "RoPE";
  const char *x_name = backward ? "dx" : "x";
  cl_float sign = backward ? -1.0f : 1.0f;
  cl_uint n_heads32, half32, pos032, n32;
  cl_int status = CL_SUCCESS;
  gsize n;

  switch (style)
    {
    case WH_CL_ROPE_ROTATE_HALF:
      pairs = "rotate_half";
      break;
    case WH_CL_ROPE_INTERLEAVED:
      pairs = "interleaved";
      break;
    default:
      return _wh_cl_invalid (error, "Unknown RoPE style");
    }

  if (head_dim % 2 != 0)
    return _wh_cl_invalid (error, "RoPE needs an even head_dim");

  if (pos0 > G_MAXUINT32 || n_tokens > G_MAXUINT32 - pos0)
    return _wh_cl_invalid (error, "RoPE positions pos0 + n_tokens exceed 32 bits");

  if (!_wh_cl_check_count (op, n_tokens, n_heads, head_dim, &n, error) ||
      !_wh_cl_check_buffer_floats (x, x_name, n, error) ||
      !_wh_cl_check_buffer_floats (inv_freq, "inv_freq", head_dim / 2, error) ||
      (positions != NULL && !_wh_cl_check_buffer_ints (positions, "positions", n_tokens, error)))
    return FALSE;

  if (n == 0)
    return TRUE;

  g_snprintf (kernel_name, sizeof kernel_name, "rope_%s_f32", pairs);
  if (!(kernel = wh_cl_context_get_kernel (ctx, "ops", kernel_name, error)))
    return FALSE;

  n_heads32 = n_heads;
  half32 = head_dim / 2;
  pos032 = pos0;
  n32 = n / 2;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, inv_freq->mem);
  WH_CL_SET_ARG (status, kernel, 2, positions_mem);
  WH_CL_SET_ARG (status, kernel, 3, n_heads32);
  WH_CL_SET_ARG (status, kernel, 4, half32);
  WH_CL_SET_ARG (status, kernel, 5, pos032);
  WH_CL_SET_ARG (status, kernel, 6, n32);
  WH_CL_SET_ARG (status, kernel, 7, sign);
  if (!wh_cl_check (status, kernel_name, error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, kernel_name, n / 2, error);
}
