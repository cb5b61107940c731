/* wh-cl-gemm.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

typedef enum
{
  WH_CL_NO_TRANS,
  WH_CL_TRANS,
} WhClTranspose;

/* One matrix operand: a buffer, the element offset of its first element,
 * and its leading dimension (row stride, in elements, row-major). */
typedef struct
{
  WhClBuffer *buffer;
  gsize       offset;
  gsize       ld;
} WhClMatrix;

/* Where a context's products (and training attention) run.  The
 * buffers of PoCL's CPU device are host memory, so there the host's BLAS
 * does them in place, several times faster than CLBlast and the OpenCL
 * kernels; WHETSTONE_GEMM=clblast in the environment keeps those.  Every
 * other device uses CLBlast. */
typedef enum
{
  WH_CL_GEMM_PATH_CLBLAST,
  WH_CL_GEMM_PATH_HOST_BLAS,
} WhClGemmPath;

WhClGemmPath wh_cl_gemm_get_path    (WhClContext       *ctx);
gboolean     wh_cl_gemm_set_path    (WhClContext       *ctx,
                                     WhClGemmPath       path,
                                     GError           **error);
const char  *wh_cl_gemm_path_to_string (WhClGemmPath    path);

gboolean wh_cl_gemm                 (WhClContext       *ctx,
                                     WhClTranspose      trans_a,
                                     WhClTranspose      trans_b,
                                     gsize              m,
                                     gsize              n,
                                     gsize              k,
                                     float              alpha,
                                     const WhClMatrix  *a,
                                     const WhClMatrix  *b,
                                     float              beta,
                                     const WhClMatrix  *c,
                                     GError           **error);
gboolean wh_cl_gemm_strided_batched (WhClContext       *ctx,
                                     WhClTranspose      trans_a,
                                     WhClTranspose      trans_b,
                                     gsize              m,
                                     gsize              n,
                                     gsize              k,
                                     float              alpha,
                                     const WhClMatrix  *a,
                                     gsize              a_stride,
                                     const WhClMatrix  *b,
                                     gsize              b_stride,
                                     float              beta,
                                     const WhClMatrix  *c,
                                     gsize              c_stride,
                                     gsize              batch,
                                     GError           **error);

G_END_DECLS
