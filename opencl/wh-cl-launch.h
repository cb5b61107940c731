/* wh-cl-launch.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"
#include "wh-cl-ops.h"

G_BEGIN_DECLS

/* Helpers the host wrappers of kernels share.  Each check fails with
 * WH_CL_ERROR_INVALID_ARGUMENT, naming the operand where there is one. */

gboolean _wh_cl_invalid             (GError       **error,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* Sizes: products without overflow, within the kernels' 32-bit index. */
gboolean _wh_cl_check_index         (const char    *op,
                                     gsize          n,
                                     GError       **error);
gboolean _wh_cl_check_count         (const char    *op,
                                     gsize          a,
                                     gsize          b,
                                     gsize          c,
                                     gsize         *n,
                                     GError       **error);

/* Buffers: big enough for what the kernel touches. */
gboolean _wh_cl_check_buffer_floats (WhClBuffer    *buffer,
                                     const char    *name,
                                     gsize          n,
                                     GError       **error);
gboolean _wh_cl_check_floats_2d     (WhClBuffer    *buffer,
                                     const char    *name,
                                     gsize          a,
                                     gsize          b,
                                     GError       **error);
gboolean _wh_cl_check_buffer_ints   (WhClBuffer    *buffer,
                                     const char    *name,
                                     gsize          n,
                                     GError       **error);
gboolean _wh_cl_check_buffer_bytes  (WhClBuffer    *buffer,
                                     const char    *name,
                                     gsize          offset,
                                     gsize          n_bytes,
                                     GError       **error);

/* Work-group sizes. */
gboolean _wh_cl_group_limit         (WhClContext   *ctx,
                                     cl_kernel      kernel,
                                     const char    *kernel_name,
                                     gsize          cap,
                                     gsize         *limit,
                                     GError       **error);
gboolean _wh_cl_group_size          (WhClContext   *ctx,
                                     cl_kernel      kernel,
                                     const char    *kernel_name,
                                     gsize          want,
                                     gsize          cap,
                                     gsize         *size,
                                     GError       **error);

/* Launches. */
gboolean _wh_cl_launch_1d           (WhClContext   *ctx,
                                     cl_kernel      kernel,
                                     const char    *kernel_name,
                                     gsize          n,
                                     GError       **error);
gboolean _wh_cl_launch_groups       (WhClContext   *ctx,
                                     cl_kernel      kernel,
                                     const char    *kernel_name,
                                     gsize          n_groups,
                                     gsize          local,
                                     GError       **error);
gboolean _wh_cl_launch_2d           (WhClContext   *ctx,
                                     cl_kernel      kernel,
                                     const char    *kernel_name,
                                     gsize          n_groups_x,
                                     gsize          local_x,
                                     gsize          n_groups_y,
                                     gsize          local_y,
                                     GError       **error);

/* RoPE forward and backward: ops.cl's rope_rotate_half_f32 and
 * rope_interleaved_f32 turn @x in place, back by the same angle when
 * @backward. */
gboolean _wh_cl_launch_rope         (WhClContext   *ctx,
                                     gboolean       backward,
                                     WhClBuffer    *x,
                                     WhClBuffer    *inv_freq,
                                     WhClBuffer    *positions,
                                     gsize          n_tokens,
                                     gsize          n_heads,
                                     gsize          head_dim,
                                     gsize          pos0,
                                     WhClRopeStyle  style,
                                     GError       **error);

/* Sets a kernel's arguments in order, stopping at the first failure so
 * that the status reported is the one that failed. */
#define WH_CL_SET_ARG(status, kernel, i, value)                              \
  G_STMT_START {                                                             \
    if ((status) == CL_SUCCESS)                                              \
      (status) = clSetKernelArg ((kernel), (i), sizeof (value), &(value));   \
  } G_STMT_END

/* The same for a __local argument of @bytes. */
#define WH_CL_SET_LOCAL_ARG(status, kernel, i, bytes)                        \
  G_STMT_START {                                                             \
    if ((status) == CL_SUCCESS)                                              \
      (status) = clSetKernelArg ((kernel), (i), (bytes), NULL);              \
  } G_STMT_END

G_END_DECLS
