/* test-cl-matvec.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* wh_cl_matvec() against dequantise-then-multiply on the host: every type,
 * n = 1, 3 and 8 rows of x, rows of W from one to more than a group holds,
 * rows of one block to many, an output stride wider than the output; then
 * the size checks.
 *
 * The reference decodes W with wh_ref_dequantize_row(), which the kernels
 * of dequant.cl match bit for bit, and takes each dot product in double.
 * The kernel decodes each weight to the same float and sums the products
 * in f32 in another order, so the tolerance is that of an f32 dot product:
 * a normalised error (‖got − want‖ / ‖want‖) of TOL_MATVEC. */

#include "config.h"

#include <string.h>

#include "wh-test-cl.h"

#define TOL_MATVEC 1e-5

/* What the kernel must leave alone: out's columns past rows. */
#define SENTINEL 1234.5f

static WhClContext *ctx;

/* W (rows, cols) of @type: random f32 in [-1, 1) rounded by the reference
 * quantisers where they exist, else random blocks (any quants, any scale
 * bytes) with d and dmin set to the finite f16 sizes real weights have. */
static guint8 *
random_weights (WhClDType type,
                gsize     rows,
                gsize     cols,
                guint32   seed)
{
  gsize row_bytes = wh_cl_dtype_row_bytes (type, cols);
  g_autofree float *f = NULL;
  guint8 *data;

  if (!wh_ref_can_quantize (type))
    {
      g_assert_true (type == WH_CL_DTYPE_Q4_K || type == WH_CL_DTYPE_Q6_K);
      return wh_test_random_blocks (type, rows, cols, seed);
    }

  data = g_malloc (MAX (rows * row_bytes, 1));
  f = g_new (float, MAX (cols, 1));
  for (gsize r = 0; r < rows; r++)
    {
      wh_test_fill_random (f, cols, seed + r);
      wh_ref_quantize_row (type, f, data + r * row_bytes, cols);
    }

  return data;
}

/* want (n, ld) = x (n, cols) · Wᵀ, W decoded by the reference; columns
 * past rows hold SENTINEL, as out's must. */
static void
reference (float       *want,
           gsize        ld,
           const float *x,
           gsize        n,
           const float *w,
           gsize        rows,
           gsize        cols)
{
  for (gsize i = 0; i < n; i++)
    for (gsize r = 0; r < ld; r++)
      {
        double sum = 0.0;

        if (r >= rows)
          {
            want[i * ld + r] = SENTINEL;
            continue;
          }
        for (gsize j = 0; j < cols; j++)
          sum += (double) x[i * cols + j] * w[r * cols + j];
        want[i * ld + r] = sum;
      }
}

static void
check_type (gconstpointer data)
{
  const WhClDType type = GPOINTER_TO_INT (data);
  const gsize block_size = wh_cl_dtype_block_size (type);
  /* Rows of one K block, of two, and of a model's 4096 + 256; for the
   * float types also rows no multiple of the kernel's 8 per load, and for
   * q8_0 and q4_0 an odd number of blocks. */
  const gsize all_cols[] = { 256, 512, 4096 + 256, block_size == 1 ? 259 : 3 * 32 };
  const gsize all_rows[] = { 1, 7, 300 };
  const gsize all_n[] = { 1, 3, 8 };
  guint32 seed = 100 * type;

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (all_cols); c++)
    for (guint r = 0; r < G_N_ELEMENTS (all_rows); r++)
      {
        gsize cols = all_cols[c], rows = all_rows[r];
        g_autofree guint8 *w = NULL;
        g_autofree float *w_f32 = NULL;
        g_autoptr(WhClBuffer) w_dev = NULL;
        gsize row_bytes;

        if (cols % block_size != 0)
          continue;

        row_bytes = wh_cl_dtype_row_bytes (type, cols);
        w_f32 = g_new (float, rows * cols);

        w = random_weights (type, rows, cols, seed++);
        for (gsize i = 0; i < rows; i++)
          wh_ref_dequantize_row (type, w + i * row_bytes, w_f32 + i * cols, cols);
        w_dev = wh_test_upload (ctx, w, rows * row_bytes);

        for (guint k = 0; k < G_N_ELEMENTS (all_n); k++)
          {
            gsize n = all_n[k], ld = rows + 5;
            g_autofree float *x = g_new (float, n * cols);
            g_autofree float *got = g_new (float, n * ld);
            g_autofree float *want = g_new (float, n * ld);
            g_autoptr(WhClBuffer) x_dev = NULL, out_dev = NULL;
            g_autoptr(GError) error = NULL;
            double err;

            wh_test_fill_random (x, n * cols, seed++);
            reference (want, ld, x, n, w_f32, rows, cols);
            x_dev = wh_test_upload (ctx, x, n * cols * sizeof (float));
            for (gsize i = 0; i < n * ld; i++)
              got[i] = SENTINEL;
            out_dev = wh_test_upload (ctx, got, n * ld * sizeof (float));

            g_assert_true (wh_cl_matvec (ctx, out_dev, ld, x_dev, n, w_dev, type, rows, cols,
                                         &error));
            g_assert_no_error (error);
            wh_test_download (out_dev, got, n * ld * sizeof (float));

            /* Columns past rows untouched; the rest packed to (n, rows). */
            for (gsize i = 0; i < n; i++)
              {
                for (gsize j = rows; j < ld; j++)
                  g_assert_cmpfloat (got[i * ld + j], ==, SENTINEL);
                memmove (got + i * rows, got + i * ld, rows * sizeof (float));
                memmove (want + i * rows, want + i * ld, rows * sizeof (float));
              }

            err = wh_ref_normalized_error (got, want, n * rows);
            if (!(err <= TOL_MATVEC))
              g_error ("%s, n = %" G_GSIZE_FORMAT ", rows = %" G_GSIZE_FORMAT ", cols = %"
                       G_GSIZE_FORMAT ": normalised error %g exceeds %g",
                       wh_cl_dtype_to_string (type), n, rows, cols, err, TOL_MATVEC);
            g_test_message ("%s, n = %" G_GSIZE_FORMAT ", rows = %" G_GSIZE_FORMAT ", cols = %"
                            G_GSIZE_FORMAT ": normalised error %.3g",
                            wh_cl_dtype_to_string (type), n, rows, cols, err);
          }
      }
}

/* All rows of x at once agree with one row at a time: the rows do not mix.
 * (n = 1 has its own kernel, which a device may round differently.) */
static void
test_rows_independent (void)
{
  const WhClDType type = WH_CL_DTYPE_Q4_K;
  const gsize n = WH_CL_MATVEC_MAX_ROWS, rows = 33, cols = 1024;
  g_autofree guint8 *w = random_weights (type, rows, cols, 7);
  g_autofree float *x = g_new (float, n * cols);
  g_autofree float *all = g_new (float, n * rows);
  g_autofree float *one = g_new (float, rows);
  g_autoptr(WhClBuffer) w_dev = NULL, x_dev = NULL, out_dev = NULL, row_dev = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (x, n * cols, 8);
  w_dev = wh_test_upload (ctx, w, rows * wh_cl_dtype_row_bytes (type, cols));
  x_dev = wh_test_upload (ctx, x, n * cols * sizeof (float));
  out_dev = wh_test_buffer_new (ctx, n * rows * sizeof (float));

  g_assert_true (wh_cl_matvec (ctx, out_dev, rows, x_dev, n, w_dev, type, rows, cols, &error));
  g_assert_no_error (error);
  wh_test_download (out_dev, all, n * rows * sizeof (float));

  for (gsize i = 0; i < n; i++)
    {
      g_clear_pointer (&row_dev, wh_cl_buffer_free);
      row_dev = wh_test_upload (ctx, x + i * cols, cols * sizeof (float));
      g_assert_true (wh_cl_matvec (ctx, out_dev, rows, row_dev, 1, w_dev, type, rows, cols,
                                   &error));
      g_assert_no_error (error);
      wh_test_download (out_dev, one, rows * sizeof (float));
      g_assert_cmpfloat (wh_ref_normalized_error (one, all + i * rows, rows), <=, 1e-6);
    }
}

static void
test_errors (void)
{
  const WhClDType type = WH_CL_DTYPE_Q8_0;
  const gsize n = 3, rows = 4, cols = 64, ld = 6;
  const gsize row_bytes = wh_cl_dtype_row_bytes (type, cols);
  const gsize out_floats = (n - 1) * ld + rows;
  g_autoptr(WhClBuffer) w = NULL, w_short = NULL, x = NULL, x_short = NULL;
  g_autoptr(WhClBuffer) out = NULL, out_short = NULL, big = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  /* Exactly the sizes needed, and one short of them. */
  w = wh_test_buffer_new (ctx, rows * row_bytes);
  w_short = wh_test_buffer_new (ctx, rows * row_bytes - 1);
  x = wh_test_buffer_new (ctx, n * cols * sizeof (float));
  x_short = wh_test_buffer_new (ctx, (n * cols - 1) * sizeof (float));
  out = wh_test_buffer_new (ctx, out_floats * sizeof (float));
  out_short = wh_test_buffer_new (ctx, (out_floats - 1) * sizeof (float));
  big = wh_test_buffer_new (ctx, 64 * 1024);

  g_assert_true (wh_cl_matvec (ctx, out, ld, x, n, w, type, rows, cols, &error));
  g_assert_no_error (error);

  /* Buffers too small, each named. */
  wh_test_assert_refused (wh_cl_matvec (ctx, out, ld, x, n, w_short, type, rows, cols, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“w”");
  wh_test_assert_refused (wh_cl_matvec (ctx, out, ld, x_short, n, w, type, rows, cols, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“x”");
  wh_test_assert_refused (wh_cl_matvec (ctx, out_short, ld, x, n, w, type, rows, cols, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");
  wh_test_assert_refused (wh_cl_matvec (ctx, out, rows - 1, x, n, w, type, rows, cols, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");

  /* More rows of x than the kernel keeps accumulators for. */
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, WH_CL_MATVEC_MAX_ROWS + 1, big, type, 1, 32,
                                        &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "n = 9");

  /* Rows that are not whole blocks. */
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 1, big, type, 1, 48, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q8_0 blocks of 32");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 1, big, WH_CL_DTYPE_Q4_K, 1, 64, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q4_K blocks of 256");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 1, big, WH_CL_DTYPE_Q6_K, 1, 128 + 256, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "q6_K blocks of 256");

  /* Types there is no kernel for, named as ggml names them. */
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 1, big, 3, 1, 32, &error),
                          &error, WH_CL_ERROR_UNSUPPORTED, "q4_1");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 1, big, 77, 1, 32, &error),
                          &error, WH_CL_ERROR_UNSUPPORTED, "77");

  /* Sizes whose products overflow, or pass the kernel's 32-bit indices. */
  wh_test_assert_refused (wh_cl_matvec (ctx, big, 1000, big, 1, big, type, 1000, 3200, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“w”");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, (gsize) G_MAXUINT32 + 1, big, 1, big, type,
                                        (gsize) G_MAXUINT32 + 1, 32, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 8, big, type, 1, G_MAXSIZE / 64 * 32, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“x”");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, ld, big, 2, big, type, 1, (gsize) G_MAXUINT32 / 32 * 32,
                                        &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“x”");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, G_MAXSIZE / 2, big, 3, big, type, 1, 32, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");
  wh_test_assert_refused (wh_cl_matvec (ctx, big, G_MAXUINT32, big, 2, big, type, 1, 32, &error),
                          &error, WH_CL_ERROR_INVALID_ARGUMENT, "“out”");

  /* Nothing to do is not an error. */
  g_assert_true (wh_cl_matvec (ctx, out, ld, x, 0, w, type, rows, cols, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_matvec (ctx, out, ld, x, n, w, type, 0, cols, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_context_finish (ctx, &error));
  g_assert_no_error (error);
}

/* Rows of no elements: empty sums, zeros. */
static void
test_empty_rows (void)
{
  const gsize n = 2, rows = 5;
  g_autoptr(WhClBuffer) w = NULL, x = NULL, out = NULL;
  g_autoptr(GError) error = NULL;
  float got[2 * 5];

  WH_TEST_REQUIRE (ctx);

  w = wh_test_buffer_new (ctx, 4);
  x = wh_test_buffer_new (ctx, 4);
  for (gsize i = 0; i < n * rows; i++)
    got[i] = SENTINEL;
  out = wh_test_upload (ctx, got, sizeof got);

  g_assert_true (wh_cl_matvec (ctx, out, rows, x, n, w, WH_CL_DTYPE_Q4_K, rows, 0, &error));
  g_assert_no_error (error);
  wh_test_download (out, got, sizeof got);
  for (gsize i = 0; i < n * rows; i++)
    g_assert_cmpfloat (got[i], ==, 0.0f);
}

int
main (int   argc,
      char *argv[])
{
  static const WhClDType types[] = {
    WH_CL_DTYPE_F32, WH_CL_DTYPE_F16, WH_CL_DTYPE_BF16, WH_CL_DTYPE_Q8_0,
    WH_CL_DTYPE_Q4_0, WH_CL_DTYPE_Q4_K, WH_CL_DTYPE_Q6_K,
  };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whetstone/cl/matvec/%s",
                                               wh_cl_dtype_to_string (types[i]));

      g_test_add_data_func (path, GINT_TO_POINTER (types[i]), check_type);
    }
  g_test_add_func ("/whetstone/cl/matvec/rows-independent", test_rows_independent);
  g_test_add_func ("/whetstone/cl/matvec/errors", test_errors);
  g_test_add_func ("/whetstone/cl/matvec/empty-rows", test_empty_rows);

  return wh_test_cl_run (&ctx);
}
