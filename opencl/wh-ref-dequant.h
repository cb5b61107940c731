/* wh-ref-dequant.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-dequant.h"

G_BEGIN_DECLS

/* Plain-C twins of wh-cl-dequant.h: the ggml weight formats decoded one
 * element at a time, in the same float arithmetic as ggml's
 * dequantize_row_*(), so that the kernels can be held to them bit for bit.
 * Blocks are read byte by byte (little-endian, as GGUF stores them) and
 * need no alignment. */

float    wh_ref_f16_to_f32      (guint16       h);
guint16  wh_ref_f32_to_f16      (float         f);
float    wh_ref_bf16_to_f32     (guint16       h);
guint16  wh_ref_f32_to_bf16     (float         f);

/* dst (n) = the @n elements of @type at @src; @n a multiple of the block
 * size (any @n for nf4). */
void     wh_ref_dequantize_row  (WhClDType     type,
                                 const void   *src,
                                 float        *dst,
                                 gsize         n);

/* TRUE for the types wh_ref_quantize_row() can write: f32, f16, bf16,
 * q8_0, q4_0 and nf4. */
gboolean wh_ref_can_quantize    (WhClDType     type);
/* dst (wh_cl_dtype_row_bytes (type, n) bytes) = @src (n) rounded to
 * nearest, as ggml's reference quantisers (quantize_row_q8_0_ref,
 * quantize_row_q4_0_ref) and conversions do; nf4 to the nearest level of
 * absmax-scaled blocks of 64, as QLoRA does (any @n: the last block may
 * be short). */
void     wh_ref_quantize_row    (WhClDType     type,
                                 const float  *src,
                                 void         *dst,
                                 gsize         n);

G_END_DECLS
