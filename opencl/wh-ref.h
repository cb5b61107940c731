/* wh-ref.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plain-C references of the device ops: slow, obvious, and the oracle the
 * tests hold each kernel to.  Shapes are row-major. */

void wh_ref_gemm             (gboolean     trans_a,
                              gboolean     trans_b,
                              gsize        m,
                              gsize        n,
                              gsize        k,
                              float        alpha,
                              const float *a,
                              gsize        lda,
                              const float *b,
                              gsize        ldb,
                              float        beta,
                              float       *c,
                              gsize        ldc);
void wh_ref_swiglu_forward   (float       *out,
                              const float *gate,
                              const float *up,
                              gsize        n);
void wh_ref_swiglu_backward  (float       *dgate,
                              float       *dup,
                              const float *dout,
                              const float *gate,
                              const float *up,
                              gsize        n);
double wh_ref_normalized_error (const float *got,
                                const float *want,
                                gsize        n);

G_END_DECLS
