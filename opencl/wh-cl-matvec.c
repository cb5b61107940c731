/* wh-cl-matvec.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Host side of kernels/matvec.cl: out (n, rows) = x (n, cols) · Wᵀ with W
 * in its compact type, for the few rows of x that decoding one token at a
 * time multiplies.  The reference is wh_ref_dequantize_row() followed by a
 * dot product. */

#include "config.h"

#include "wh-cl-error.h"
#include "wh-cl-launch.h"
#include "wh-cl-matvec.h"

/* Work-items per group.  A GPU wants a few SIMD widths' worth streaming
 * each row.  PoCL's CPU device runs a group as a loop on one core, and
 * each barrier splits that loop: on a 2048 × 8192 q8_0 matrix groups of 2
 * and 4 ran in 1.1–1.3 ms, of 8 in 1.1–2 ms, of 64 in 4–9 ms. */
#define MATVEC_GROUP_GPU 64
#define MATVEC_GROUP_CPU 2

/* Elements a work-item decodes at a time (kernels/matvec.cl, UNIT_F and
 * UNIT_Q). */
#define UNIT_FLOAT 8
#define UNIT_BLOCK 32

/* The kernels' type suffix: matvec_row_<suffix> for one row of x,
 * matvec_rows_<suffix> for up to WH_CL_MATVEC_MAX_ROWS. */
static const char *
kernel_suffix (WhClDType type)
{
  switch (type)
    {
    case WH_CL_DTYPE_F32:  return "f32";
    case WH_CL_DTYPE_F16:  return "f16";
    case WH_CL_DTYPE_BF16: return "bf16";
    case WH_CL_DTYPE_Q8_0: return "q8_0";
    case WH_CL_DTYPE_Q4_0: return "q4_0";
    case WH_CL_DTYPE_Q4_K: return "q4_k";
    case WH_CL_DTYPE_Q6_K: return "q6_k";
    case WH_CL_DTYPE_NF4:  /* dequantised for a GEMM instead */
    default:               return NULL;
    }
}

/* The group's shape: @width work-items along a row (a power of two, no
 * more than the row has units) and @height rows. */
static gboolean
group_shape (WhClContext  *ctx,
             cl_kernel     kernel,
             const char   *name,
             gsize         units,
             gsize         rows,
             gsize        *width,
             gsize        *height,
             GError      **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  gsize group, limit;

  group = device->kind == WH_CL_DEVICE_KIND_CPU ? MATVEC_GROUP_CPU : MATVEC_GROUP_GPU;
  if (!_wh_cl_group_limit (ctx, kernel, name, group, &limit, error))
    return FALSE;

  *width = 1;
  while (*width < units && *width * 2 <= limit)
    *width *= 2;

  *height = 1;
  while (*height < rows && *width * *height * 2 <= limit)
    *height *= 2;

  return TRUE;
}

/**
 * wh_cl_matvec:
 * @out: (n, out_ld) floats; columns [0, rows) of each row are written
 * @x: (n, cols) floats
 * @n: rows of @x, at most %WH_CL_MATVEC_MAX_ROWS
 * @w: (rows, cols) of @type, wh_cl_dtype_row_bytes (type, cols) bytes a
 *   row, from byte 0
 * @cols: a multiple of @type's block size
 *
 * out = x · Wᵀ, each weight decoded as wh_cl_dequantize_rows() decodes it.
 */
gboolean
wh_cl_matvec (WhClContext  *ctx,
              WhClBuffer   *out,
              gsize         out_ld,
              WhClBuffer   *x,
              gsize         n,
              WhClBuffer   *w,
              WhClDType     type,
              gsize         rows,
              gsize         cols,
              GError      **error)
{
  const char *suffix = kernel_suffix (type);
  char name[32];
  gsize block_size, row_bytes, w_bytes, x_count, out_count, unit, units;
  gsize width, height;
  cl_kernel kernel;
  cl_uint out_ld32, n32, cols32, rows32;
  cl_ulong row_bytes64;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && out != NULL && x != NULL && w != NULL, FALSE);

  if (suffix == NULL)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   "Weights of type %s (ggml type %u) cannot be multiplied; "
                   "supported are f32, f16, bf16, q8_0, q4_0, q4_K and q6_K",
                   wh_cl_dtype_to_string (type), (guint) type);
      return FALSE;
    }

  if (n > WH_CL_MATVEC_MAX_ROWS)
    return _wh_cl_invalid (error, "Matvec of n = %" G_GSIZE_FORMAT " rows of “x” exceeds its limit "
                    "of %d; use a GEMM", n, WH_CL_MATVEC_MAX_ROWS);

  block_size = wh_cl_dtype_block_size (type);
  if (cols % block_size != 0)
    return _wh_cl_invalid (error, "Rows of “w” of %" G_GSIZE_FORMAT " elements are not whole %s "
                    "blocks of %" G_GSIZE_FORMAT " elements",
                    cols, wh_cl_dtype_to_string (type), block_size);

  if (out_ld < rows)
    return _wh_cl_invalid (error, "Row stride %" G_GSIZE_FORMAT " of “out” is less than its %"
                    G_GSIZE_FORMAT " columns", out_ld, rows);

  /* The kernel indexes x and out in 32 bits and W's rows in 64.  out
   * holds (n - 1) · out_ld + rows floats: its last row may be short. */
  row_bytes = wh_cl_dtype_row_bytes (type, cols);
  out_count = 0;
  if (!g_size_checked_mul (&x_count, n, cols) || x_count > G_MAXUINT32)
    return _wh_cl_invalid (error, "“x” of %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " elements "
                    "exceeds the kernel's 32-bit index", n, cols);
  if (n > 0 && (!g_size_checked_mul (&out_count, n - 1, out_ld) ||
                !g_size_checked_add (&out_count, out_count, rows) ||
                out_count > G_MAXUINT32))
    return _wh_cl_invalid (error, "“out” of %" G_GSIZE_FORMAT " rows of stride %" G_GSIZE_FORMAT
                    " exceeds the kernel's 32-bit index", n, out_ld);
  if (!g_size_checked_mul (&w_bytes, rows, row_bytes) || w_bytes > w->size)
    return _wh_cl_invalid (error, "Buffer “w” of %" G_GSIZE_FORMAT " bytes is too small for %"
                    G_GSIZE_FORMAT " rows of %" G_GSIZE_FORMAT " %s elements",
                    w->size, rows, cols, wh_cl_dtype_to_string (type));

  if (!_wh_cl_check_buffer_floats (x, "x", x_count, error) ||
      !_wh_cl_check_buffer_floats (out, "out", out_count, error))
    return FALSE;

  if (n == 0 || rows == 0)
    return TRUE;

  g_snprintf (name, sizeof name, "matvec_%s_%s", n == 1 ? "row" : "rows", suffix);
  if (!(kernel = wh_cl_context_get_kernel (ctx, "matvec", name, error)))
    return FALSE;

  unit = block_size == 1 ? UNIT_FLOAT : UNIT_BLOCK;
  units = cols / unit + (cols % unit != 0);
  if (!group_shape (ctx, kernel, name, units, rows, &width, &height, error))
    return FALSE;

  out_ld32 = MIN (out_ld, G_MAXUINT32);  /* past 32 bits only where n = 1: never used */
  n32 = n;
  row_bytes64 = row_bytes;
  cols32 = cols;
  rows32 = rows;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, out_ld32);
  WH_CL_SET_ARG (status, kernel, 2, x->mem);
  WH_CL_SET_ARG (status, kernel, 3, n32);
  WH_CL_SET_ARG (status, kernel, 4, w->mem);
  WH_CL_SET_ARG (status, kernel, 5, row_bytes64);
  WH_CL_SET_ARG (status, kernel, 6, cols32);
  WH_CL_SET_ARG (status, kernel, 7, rows32);
  WH_CL_SET_LOCAL_ARG (status, kernel, 8, width * height * n * sizeof (float));
  if (!wh_cl_check (status, name, error))
    return FALSE;

  return _wh_cl_launch_2d (ctx, kernel, name, 1, width, (rows + height - 1) / height, height,
                           error);
}
