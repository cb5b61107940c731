/* wh-cl-host-gemm.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GEMM on PoCL's CPU device through the host's BLAS.  That device's
 * buffers are host memory, so mapping one hands back the memory itself: the
 * product runs in place, with no copy, on the same cores the device's own
 * kernels would use, only several times faster than CLBlast's OpenCL
 * kernels compiled for them.  The maps are blocking, which on an in-order
 * queue also waits for every command queued before; the unmaps are queued,
 * so the commands after run once the product is in memory. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <cblas.h>

#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-host-gemm.h"

/* Each buffer mapped once: mapping a buffer twice for writing is
 * undefined in OpenCL, and operands may be parts of one workspace. */
void *
_wh_cl_host_map (WhClContext  *ctx,
                 WhClHostMap  *map,
                 WhClBuffer   *buffer,
                 GError      **error)
{
  cl_int status = CL_SUCCESS;
  void *data;

  if (buffer == NULL)
    return NULL;

  for (guint i = 0; i < map->n; i++)
    if (map->items[i].buffer == buffer)
      return map->items[i].data;

  g_return_val_if_fail (map->n < G_N_ELEMENTS (map->items), NULL);

  /* Read and write for all: asking for less saves nothing when the map
   * is the memory itself. */
  data = clEnqueueMapBuffer (ctx->queue, buffer->mem, CL_TRUE,
                             CL_MAP_READ | CL_MAP_WRITE, 0, buffer->size,
                             0, NULL, NULL, &status);
  if (!wh_cl_check (status, _("Mapping a buffer for the host’s BLAS"), error))
    return NULL;

  map->items[map->n].buffer = buffer;
  map->items[map->n].data = data;
  map->n++;
  return data;
}

gboolean
_wh_cl_host_unmap_all (WhClContext  *ctx,
                       WhClHostMap  *map,
                       GError      **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < map->n; i++)
    {
      cl_int status = clEnqueueUnmapMemObject (ctx->queue, map->items[i].buffer->mem,
                                               map->items[i].data, 0, NULL, NULL);
      /* Unmap the rest even after a failure, and report the first. */
      if (ok && !wh_cl_check (status, _("Unmapping a buffer of the host’s BLAS"), error))
        ok = FALSE;
    }

  map->n = 0;
  return ok;
}

static CBLAS_TRANSPOSE
to_cblas (WhClTranspose t)
{
  return t == WH_CL_TRANS ? CblasTrans : CblasNoTrans;
}

/* Whether @batch matrices of @rows × @cols, @stride floats apart, fit in
 * @x's buffer.  CLBlast checks this of every operand; BLAS cannot. */
static gboolean
fits (const WhClMatrix *x,
      gsize             stride,
      gsize             batch,
      gsize             rows,
      gsize             cols)
{
  gsize last = x->offset + (batch - 1) * stride + (rows > 0 ? (rows - 1) * x->ld : 0) + cols;

  return last <= x->buffer->size / sizeof (float);
}

gboolean
_wh_cl_host_gemm (WhClContext       *ctx,
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
  WhClHostMap map = { 0 };
  float *pa, *pb, *pc;
  gboolean ta = trans_a == WH_CL_TRANS, tb = trans_b == WH_CL_TRANS;

  if (!fits (a, a_stride, batch, ta ? k : m, ta ? m : k) ||
      !fits (b, b_stride, batch, tb ? n : k, tb ? k : n) ||
      !fits (c, c_stride, batch, m, n))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT,
                   "GEMM of (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT
                   ") × %" G_GSIZE_FORMAT " reaches past the end of an operand’s buffer",
                   m, n, k, batch);
      return FALSE;
    }

  if ((pa = _wh_cl_host_map (ctx, &map, a->buffer, error)) == NULL ||
      (pb = _wh_cl_host_map (ctx, &map, b->buffer, error)) == NULL ||
      (pc = _wh_cl_host_map (ctx, &map, c->buffer, error)) == NULL)
    {
      _wh_cl_host_unmap_all (ctx, &map, NULL);
      return FALSE;
    }

  for (gsize i = 0; i < batch; i++)
    cblas_sgemm (CblasRowMajor, to_cblas (trans_a), to_cblas (trans_b),
                 m, n, k,
                 alpha,
                 pa + a->offset + i * a_stride, a->ld,
                 pb + b->offset + i * b_stride, b->ld,
                 beta,
                 pc + c->offset + i * c_stride, c->ld);

  return _wh_cl_host_unmap_all (ctx, &map, error);
}
