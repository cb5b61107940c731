/* wh-cl-dequant.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Host side of kernels/dequant.cl: weights as a GGUF file stores them,
 * decoded to f32 on the device, a range of rows at a time or gathered by
 * id (an embedding lookup).  wh-ref-dequant.c is the reference. */

#include "config.h"

#include "wh-cl-dequant.h"
#include "wh-cl-error.h"
#include "wh-cl-launch.h"

/* Work-items per work-group along a row. */
#define DEQUANT_LOCAL 64

typedef struct
{
  WhClDType   type;
  const char *name;
  gsize       block_size;    /* elements */
  gsize       block_bytes;
  const char *dequant_kernel;
  const char *gather_kernel;
} DTypeInfo;

static const DTypeInfo dtypes[] = {
  { WH_CL_DTYPE_F32,  "f32",  1,   4,   "dequant_f32_f32",  "gather_f32_f32" },
  { WH_CL_DTYPE_F16,  "f16",  1,   2,   "dequant_f16_f32",  "gather_f16_f32" },
  { WH_CL_DTYPE_Q4_0, "q4_0", 32,  18,  "dequant_q4_0_f32", "gather_q4_0_f32" },
  { WH_CL_DTYPE_Q8_0, "q8_0", 32,  34,  "dequant_q8_0_f32", "gather_q8_0_f32" },
  { WH_CL_DTYPE_Q4_K, "q4_K", 256, 144, "dequant_q4_k_f32", "gather_q4_k_f32" },
  { WH_CL_DTYPE_Q6_K, "q6_K", 256, 210, "dequant_q6_k_f32", "gather_q6_k_f32" },
  { WH_CL_DTYPE_BF16, "bf16", 1,   2,   "dequant_bf16_f32", "gather_bf16_f32" },
  { WH_CL_DTYPE_NF4,  "nf4",  64,  36,  "dequant_nf4_f32",  "gather_nf4_f32" },
};

/* ggml's names of the types it defines (ggml.h, enum ggml_type), so that a
 * model in a format Whetstone cannot read is named in the error. */
static const char * const ggml_type_names[] = {
  [0] = "f32", [1] = "f16", [2] = "q4_0", [3] = "q4_1",
  [6] = "q5_0", [7] = "q5_1", [8] = "q8_0", [9] = "q8_1",
  [10] = "q2_K", [11] = "q3_K", [12] = "q4_K", [13] = "q5_K",
  [14] = "q6_K", [15] = "q8_K", [16] = "iq2_xxs", [17] = "iq2_xs",
  [18] = "iq3_xxs", [19] = "iq1_s", [20] = "iq4_nl", [21] = "iq3_s",
  [22] = "iq2_s", [23] = "iq4_xs", [24] = "i8", [25] = "i16",
  [26] = "i32", [27] = "i64", [28] = "f64", [29] = "iq1_m",
  [30] = "bf16", [34] = "tq1_0", [35] = "tq2_0", [39] = "mxfp4",
};

static const DTypeInfo *
lookup (guint32 ggml_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if ((guint32) dtypes[i].type == ggml_type)
      return &dtypes[i];

  return NULL;
}

/**
 * wh_cl_dtype_is_supported:
 * @ggml_type: a GGUF tensor type
 *
 * Returns: whether the dequantisers here read @ggml_type.
 */
gboolean
wh_cl_dtype_is_supported (guint32 ggml_type)
{
  return ggml_type != WH_CL_DTYPE_NF4 && lookup (ggml_type) != NULL;
}

/**
 * wh_cl_dtype_to_string:
 *
 * Returns: ggml's name of @type ("q4_K", "bf16", …), for any type ggml
 *   defines, supported here or not; "nf4" for NF4; "unknown" for others.
 */
const char *
wh_cl_dtype_to_string (WhClDType type)
{
  if (type == WH_CL_DTYPE_NF4)
    return "nf4";
  if ((guint) type < G_N_ELEMENTS (ggml_type_names) && ggml_type_names[type] != NULL)
    return ggml_type_names[type];

  return "unknown";
}

gsize
wh_cl_dtype_block_size (WhClDType type)
{
  const DTypeInfo *info = lookup (type);

  g_return_val_if_fail (info != NULL, 0);

  return info->block_size;
}

gsize
wh_cl_dtype_block_bytes (WhClDType type)
{
  const DTypeInfo *info = lookup (type);

  g_return_val_if_fail (info != NULL, 0);

  return info->block_bytes;
}

gsize
wh_cl_dtype_row_bytes (WhClDType type,
                       gsize     n)
{
  const DTypeInfo *info = lookup (type);

  g_return_val_if_fail (info != NULL, 0);
  if (type == WH_CL_DTYPE_NF4)
    return (n + info->block_size - 1) / info->block_size * info->block_bytes;
  g_return_val_if_fail (n % info->block_size == 0, 0);

  return n / info->block_size * info->block_bytes;
}

/* The checks the two entry points share: a type the kernels know, rows of
 * whole blocks, and sizes the kernels' indices hold.  Sets *info and
 * *row_bytes. */
static gboolean
check_layout (WhClDType         type,
              gsize             row_len,
              const DTypeInfo **info,
              gsize            *row_bytes,
              GError          **error)
{
  if (!(*info = lookup (type)))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   "Weights of type %s (ggml type %u) cannot be dequantized; "
                   "supported are f32, f16, bf16, q8_0, q4_0, q4_K, q6_K and nf4",
                   wh_cl_dtype_to_string (type), (guint) type);
      return FALSE;
    }

  if (type != WH_CL_DTYPE_NF4 && row_len % (*info)->block_size != 0)
    return _wh_cl_invalid (error, "Rows of %" G_GSIZE_FORMAT " elements are not whole %s "
                           "blocks of %" G_GSIZE_FORMAT " elements",
                           row_len, (*info)->name, (*info)->block_size);

  if (row_len > G_MAXUINT32)
    return _wh_cl_invalid (error, "Rows of %" G_GSIZE_FORMAT " elements exceed the kernel's "
                           "32-bit index", row_len);

  *row_bytes = wh_cl_dtype_row_bytes (type, row_len);
  return TRUE;
}

/* Rows [first_row, end_row) of @row_bytes each, from @src_offset, must lie
 * inside @src. */
static gboolean
check_src_rows (WhClBuffer  *src,
                gsize        src_offset,
                const char  *type_name,
                gsize        row_bytes,
                gsize        first_row,
                gsize        end_row,
                GError     **error)
{
  gsize span, need;

  if (!g_size_checked_mul (&span, end_row, row_bytes) ||
      !g_size_checked_add (&need, span, src_offset) ||
      need > src->size)
    return _wh_cl_invalid (error, "Rows [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ") of %s, %"
                           G_GSIZE_FORMAT " bytes each from offset %" G_GSIZE_FORMAT ", lie "
                           "past the end of buffer “src” (%" G_GSIZE_FORMAT " bytes)",
                           first_row, end_row, type_name, row_bytes, src_offset, src->size);

  return TRUE;
}

static gboolean
check_out (WhClBuffer  *out,
           gsize        n_rows,
           gsize        row_len,
           GError     **error)
{
  gsize n;

  if (n_rows > G_MAXUINT32 || !g_size_checked_mul (&n, n_rows, row_len))
    return _wh_cl_invalid (error, "%" G_GSIZE_FORMAT " rows of %" G_GSIZE_FORMAT " elements "
                           "are too many for one launch", n_rows, row_len);

  return _wh_cl_check_buffer_floats (out, "out", n, error);
}

/* One work-item per output element: (row_len padded to the work-group,
 * n_rows). */
static gboolean
launch_rows (WhClContext *ctx,
             cl_kernel    kernel,
             const char  *kernel_name,
             gsize        row_len,
             gsize        n_rows,
             GError     **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  gsize local = MIN (DEQUANT_LOCAL, device->max_work_group_size);

  if (row_len == 0 || n_rows == 0)
    return TRUE;

  return _wh_cl_launch_2d (ctx, kernel, kernel_name, (row_len + local - 1) / local, local,
                           n_rows, 1, error);
}

/**
 * wh_cl_dequantize_rows:
 * @out: (n_rows, row_len) floats, written
 * @src: the matrix, rows of wh_cl_dtype_row_bytes (type, row_len) bytes
 *   from byte @src_offset
 *
 * Decodes rows [first_row, first_row + n_rows) to f32.  See
 * wh_ref_dequantize_row().
 */
gboolean
wh_cl_dequantize_rows (WhClContext  *ctx,
                       WhClBuffer   *out,
                       WhClBuffer   *src,
                       gsize         src_offset,
                       WhClDType     type,
                       gsize         first_row,
                       gsize         n_rows,
                       gsize         row_len,
                       GError      **error)
{
  const DTypeInfo *info;
  gsize row_bytes, end_row;
  cl_kernel kernel;
  cl_ulong offset64, row_bytes64;
  cl_uint row_len32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && out != NULL && src != NULL, FALSE);

  if (!check_layout (type, row_len, &info, &row_bytes, error))
    return FALSE;

  if (!g_size_checked_add (&end_row, first_row, n_rows))
    return _wh_cl_invalid (error, "%" G_GSIZE_FORMAT " rows from row %" G_GSIZE_FORMAT
                           " overflow the row index", n_rows, first_row);

  if (!check_src_rows (src, src_offset, info->name, row_bytes, first_row, end_row, error) ||
      !check_out (out, n_rows, row_len, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "dequant", info->dequant_kernel, error)))
    return FALSE;

  offset64 = src_offset + first_row * row_bytes;
  row_bytes64 = row_bytes;
  row_len32 = row_len;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, src->mem);
  WH_CL_SET_ARG (status, kernel, 2, offset64);
  WH_CL_SET_ARG (status, kernel, 3, row_bytes64);
  WH_CL_SET_ARG (status, kernel, 4, row_len32);
  if (!wh_cl_check (status, info->dequant_kernel, error))
    return FALSE;

  return launch_rows (ctx, kernel, info->dequant_kernel, row_len, n_rows, error);
}

/**
 * wh_cl_dequantize_gather:
 * @out: (n_ids, row_len) floats, written
 * @src: the matrix, (n_rows) rows of wh_cl_dtype_row_bytes (type, row_len)
 *   bytes from byte @src_offset
 * @ids: (n_ids) gint32
 *
 * out[i] = row ids[i] decoded to f32, or zeros where ids[i] is outside
 * [0, n_rows).
 */
gboolean
wh_cl_dequantize_gather (WhClContext  *ctx,
                         WhClBuffer   *out,
                         WhClBuffer   *src,
                         gsize         src_offset,
                         WhClDType     type,
                         gsize         n_rows,
                         gsize         row_len,
                         WhClBuffer   *ids,
                         gsize         n_ids,
                         GError      **error)
{
  const DTypeInfo *info;
  gsize row_bytes;
  cl_kernel kernel;
  cl_ulong offset64, row_bytes64;
  cl_uint row_len32, n_rows32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && out != NULL && src != NULL && ids != NULL, FALSE);

  if (!check_layout (type, row_len, &info, &row_bytes, error) ||
      !check_src_rows (src, src_offset, info->name, row_bytes, 0, n_rows, error) ||
      !check_out (out, n_ids, row_len, error))
    return FALSE;

  if (!_wh_cl_check_buffer_ints (ids, "ids", n_ids, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "dequant", info->gather_kernel, error)))
    return FALSE;

  offset64 = src_offset;
  row_bytes64 = row_bytes;
  row_len32 = row_len;
  /* ids are gint32: rows past G_MAXINT32 cannot be asked for anyway. */
  n_rows32 = MIN (n_rows, (gsize) G_MAXUINT32);
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, src->mem);
  WH_CL_SET_ARG (status, kernel, 2, offset64);
  WH_CL_SET_ARG (status, kernel, 3, row_bytes64);
  WH_CL_SET_ARG (status, kernel, 4, row_len32);
  WH_CL_SET_ARG (status, kernel, 5, n_rows32);
  WH_CL_SET_ARG (status, kernel, 6, ids->mem);
  if (!wh_cl_check (status, info->gather_kernel, error))
    return FALSE;

  return launch_rows (ctx, kernel, info->gather_kernel, row_len, n_ids, error);
}
