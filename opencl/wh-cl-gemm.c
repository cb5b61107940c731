/* wh-cl-gemm.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Single-precision GEMM through CLBlast, or on a CPU device through the
 * host's BLAS (wh-cl-host-gemm.c).  Row-major, as everything in Whetstone:
 * C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C. */

#include "config.h"

#include <clblast_c.h>
#include <glib/gi18n-lib.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-gemm.h"
#include "wh-cl-host-gemm.h"

static gboolean
host_blas_available (const WhClDeviceInfo *device)
{
#if HAVE_OPENBLAS
  /* PoCL's CPU device maps a buffer without copying it (measured); other
   * CPU drivers may copy the whole buffer at each map, so they keep
   * CLBlast until someone measures them. */
  return device->kind == WH_CL_DEVICE_KIND_CPU && device->is_pocl;
#else
  (void) device;
  return FALSE;
#endif
}

WhClGemmPath
wh_cl_gemm_get_path (WhClContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, WH_CL_GEMM_PATH_CLBLAST);
  return ctx->gemm_path;
}

/**
 * wh_cl_gemm_set_path:
 *
 * Chooses where @ctx's products run: the benchmark and the tests measure
 * and check both.  The host's BLAS needs a CPU device and a build with it.
 */
gboolean
wh_cl_gemm_set_path (WhClContext   *ctx,
                     WhClGemmPath   path,
                     GError       **error)
{
  g_return_val_if_fail (ctx != NULL, FALSE);

  if (path == WH_CL_GEMM_PATH_HOST_BLAS && !host_blas_available (ctx->device))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   _("“%s” cannot run products through the host’s BLAS: that needs PoCL’s CPU device and a Whetstone built with OpenBLAS"),
                   ctx->device->name);
      return FALSE;
    }

  ctx->gemm_path = path;
  return TRUE;
}

const char *
wh_cl_gemm_path_to_string (WhClGemmPath path)
{
  return path == WH_CL_GEMM_PATH_HOST_BLAS ? "host BLAS" : "CLBlast";
}

static CLBlastTranspose
to_clblast (WhClTranspose t)
{
  return t == WH_CL_TRANS ? CLBlastTransposeYes : CLBlastTransposeNo;
}

/**
 * wh_cl_gemm:
 * @a: op(A) is (m, k): A is (m, k), or (k, m) with @trans_a
 * @b: op(B) is (k, n): B is (k, n), or (n, k) with @trans_b
 * @c: (m, n)
 *
 * Queues the product; errors in the arguments come back at once, errors
 * of the device at the next wh_cl_context_finish().
 */
gboolean
wh_cl_gemm (WhClContext       *ctx,
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
            GError           **error)
{
  int status;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (a != NULL && a->buffer != NULL, FALSE);
  g_return_val_if_fail (b != NULL && b->buffer != NULL, FALSE);
  g_return_val_if_fail (c != NULL && c->buffer != NULL, FALSE);

  if (m == 0 || n == 0)
    return TRUE;

#if HAVE_OPENBLAS
  if (ctx->gemm_path == WH_CL_GEMM_PATH_HOST_BLAS)
    return _wh_cl_host_gemm (ctx, trans_a, trans_b, m, n, k, alpha,
                             a, 0, b, 0, beta, c, 0, 1, error);
#endif

  status = CLBlastSgemm (CLBlastLayoutRowMajor, to_clblast (trans_a), to_clblast (trans_b),
                         m, n, k,
                         alpha,
                         a->buffer->mem, a->offset, a->ld,
                         b->buffer->mem, b->offset, b->ld,
                         beta,
                         c->buffer->mem, c->offset, c->ld,
                         &ctx->queue, NULL);

  return wh_clblast_check (status, "GEMM", error);
}

/**
 * wh_cl_gemm_strided_batched:
 * @a_stride: elements between consecutive A matrices
 * @b_stride: elements between consecutive B matrices
 * @c_stride: elements between consecutive C matrices
 * @batch: how many products
 *
 * @batch independent products, the i-th reading A at a->offset + i·a_stride
 * and so on, in one launch: attention's per-head products.
 */
gboolean
wh_cl_gemm_strided_batched (WhClContext       *ctx,
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
                            GError           **error)
{
  int status;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (a != NULL && a->buffer != NULL, FALSE);
  g_return_val_if_fail (b != NULL && b->buffer != NULL, FALSE);
  g_return_val_if_fail (c != NULL && c->buffer != NULL, FALSE);

  if (m == 0 || n == 0 || batch == 0)
    return TRUE;

#if HAVE_OPENBLAS
  if (ctx->gemm_path == WH_CL_GEMM_PATH_HOST_BLAS)
    return _wh_cl_host_gemm (ctx, trans_a, trans_b, m, n, k, alpha,
                             a, a_stride, b, b_stride, beta, c, c_stride, batch, error);
#endif

  status = CLBlastSgemmStridedBatched (CLBlastLayoutRowMajor, to_clblast (trans_a), to_clblast (trans_b),
                                       m, n, k,
                                       alpha,
                                       a->buffer->mem, a->offset, a->ld, a_stride,
                                       b->buffer->mem, b->offset, b->ld, b_stride,
                                       beta,
                                       c->buffer->mem, c->offset, c->ld, c_stride,
                                       batch,
                                       &ctx->queue, NULL);

  return wh_clblast_check (status, "batched GEMM", error);
}
