/* wh-cl-host-gemm.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-gemm.h"

G_BEGIN_DECLS

/* Private to the opencl layer, and built only with OpenBLAS (see
 * wh-cl-gemm.h).  The buffers a host computation maps, each once. */
typedef struct
{
  struct
  {
    WhClBuffer *buffer;
    void       *data;
  } items[16];
  guint n;
} WhClHostMap;

/* The memory of @buffer, mapped (blocking: every command queued before
 * has run) unless @map holds it already; NULL for a NULL @buffer or on
 * error. */
void    *_wh_cl_host_map            (WhClContext       *ctx,
                                     WhClHostMap       *map,
                                     WhClBuffer        *buffer,
                                     GError           **error);
/* Queues the unmaps of everything in @map and empties it. */
gboolean _wh_cl_host_unmap_all      (WhClContext       *ctx,
                                     WhClHostMap       *map,
                                     GError           **error);

/* GEMM through the host's BLAS on the buffers of PoCL's CPU device:
 * @batch products, strided as in wh_cl_gemm_strided_batched(). */
gboolean _wh_cl_host_gemm           (WhClContext       *ctx,
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
