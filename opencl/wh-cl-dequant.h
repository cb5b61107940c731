/* wh-cl-dequant.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* Weight storage types, numbered as ggml numbers them (GGUF tensor types),
 * and NF4, Whetstone's own (QLoRA's 4-bit NormalFloat, never in a GGUF
 * file): rows in blocks of 64, each an f32 absmax and 32 bytes of 4-bit
 * indices into the NF4 table, the last block of a row possibly short. */
typedef enum
{
  WH_CL_DTYPE_F32  = 0,
  WH_CL_DTYPE_F16  = 1,
  WH_CL_DTYPE_Q4_0 = 2,
  WH_CL_DTYPE_Q8_0 = 8,
  WH_CL_DTYPE_Q4_K = 12,
  WH_CL_DTYPE_Q6_K = 14,
  WH_CL_DTYPE_BF16 = 30,
  WH_CL_DTYPE_NF4  = 1024,
} WhClDType;

/* Whether the dequantisers read @ggml_type, a GGUF tensor type (NF4 is
 * not one). */
gboolean    wh_cl_dtype_is_supported (guint32     ggml_type);
const char *wh_cl_dtype_to_string    (WhClDType   type);
/* Elements per block (1 for f32/f16/bf16, 32 for q4_0/q8_0, 64 for nf4,
 * 256 for K). */
gsize       wh_cl_dtype_block_size   (WhClDType   type);
/* Bytes per block. */
gsize       wh_cl_dtype_block_bytes  (WhClDType   type);
/* Bytes of a row of @n elements (@n a multiple of the block size, or any
 * @n for nf4, whose last block may be short). */
gsize       wh_cl_dtype_row_bytes    (WhClDType   type,
                                      gsize       n);

/* out (n_rows, row_len) f32 = rows [first_row, first_row + n_rows) of the
 * matrix of @type in @src, which starts at byte @src_offset and has rows
 * of @row_len elements (a multiple of the block size). */
gboolean    wh_cl_dequantize_rows    (WhClContext *ctx,
                                      WhClBuffer  *out,
                                      WhClBuffer  *src,
                                      gsize        src_offset,
                                      WhClDType    type,
                                      gsize        first_row,
                                      gsize        n_rows,
                                      gsize        row_len,
                                      GError     **error);

/* out (n_ids, row_len) f32 = rows ids[i] of the matrix of @type in @src:
 * an embedding lookup from a compact table.  @ids holds n_ids gint32; an
 * id outside [0, n_rows) gives a zero row. */
gboolean    wh_cl_dequantize_gather  (WhClContext *ctx,
                                      WhClBuffer  *out,
                                      WhClBuffer  *src,
                                      gsize        src_offset,
                                      WhClDType    type,
                                      gsize        n_rows,
                                      gsize        row_len,
                                      WhClBuffer  *ids,
                                      gsize        n_ids,
                                      GError     **error);

G_END_DECLS
