/* wh-cl-gemm.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Single-precision GEMM through CLBlast.  Row-major, as everything in
 * Whetstone: C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C. */

#include "config.h"

#include <clblast_c.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-gemm.h"

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
