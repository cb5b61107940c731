/* wh-cl-matvec.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-dequant.h"

G_BEGIN_DECLS

/* Products of a few activation rows with a weight matrix kept in its
 * compact type, dequantising on the fly: what decoding one token at a time
 * needs, where reading the weights once is the whole cost.
 *
 * out (n, rows) = x (n, cols) · Wᵀ, W being (rows, cols) of @type in @w
 * (starting at byte 0), n at most WH_CL_MATVEC_MAX_ROWS.  @out_ld is the
 * row stride of @out in elements (≥ rows). */

#define WH_CL_MATVEC_MAX_ROWS 8

gboolean wh_cl_matvec (WhClContext  *ctx,
                       WhClBuffer   *out,
                       gsize         out_ld,
                       WhClBuffer   *x,
                       gsize         n,
                       WhClBuffer   *w,
                       WhClDType     type,
                       gsize         rows,
                       gsize         cols,
                       GError      **error);

G_END_DECLS
