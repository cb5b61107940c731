/* wh-cl-launch.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* Helpers the host wrappers of kernels share. */

gboolean _wh_cl_check_buffer_floats (WhClBuffer  *buffer,
                                     const char  *name,
                                     gsize        n,
                                     GError     **error);
gboolean _wh_cl_launch_1d           (WhClContext *ctx,
                                     cl_kernel    kernel,
                                     const char  *kernel_name,
                                     gsize        n,
                                     GError     **error);

/* Sets a kernel's arguments in order, stopping at the first failure so
 * that the status reported is the one that failed. */
#define WH_CL_SET_ARG(status, kernel, i, value)                              \
  G_STMT_START {                                                             \
    if ((status) == CL_SUCCESS)                                              \
      (status) = clSetKernelArg ((kernel), (i), sizeof (value), &(value));   \
  } G_STMT_END

G_END_DECLS
