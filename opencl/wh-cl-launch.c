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
_wh_cl_check_buffer_floats (WhClBuffer  *buffer,
                            const char  *name,
                            gsize        n,
                            GError     **error)
{
  if (n > G_MAXSIZE / sizeof (float) || buffer->size < n * sizeof (float))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "Buffer “%s” of %" G_GSIZE_FORMAT " bytes is too small for %" G_GSIZE_FORMAT " floats",
                   name, buffer->size, n);
      return FALSE;
    }

  return TRUE;
}

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

  return wh_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, 1, NULL, &global, &local,
                                              0, NULL, NULL),
                      kernel_name, error);
}
