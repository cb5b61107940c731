/* test-cl-gemm.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GEMM against the plain-C reference, through CLBlast and, on a CPU
 * device, through the host's BLAS: transposes, sizes that are multiples of
 * no tile, offsets and leading dimensions larger than the matrix, alpha and
 * beta, strided batches. */

#include "config.h"

#include <string.h>

#include "wh-test-cl.h"

static WhClContext *ctx;

typedef struct
{
  gboolean ta, tb;
  gsize    m, n, k;
  gsize    pad;     /* extra columns in every leading dimension */
  gsize    offset;  /* elements before each matrix */
  float    alpha, beta;
  gsize    batch;
} Case;

static void
run_case (const Case *tc)
{
  g_autoptr(GError) error = NULL;
  gsize ra = tc->ta ? tc->k : tc->m, ca = tc->ta ? tc->m : tc->k;
  gsize rb = tc->tb ? tc->n : tc->k, cb = tc->tb ? tc->k : tc->n;
  gsize lda = ca + tc->pad, ldb = cb + tc->pad, ldc = tc->n + tc->pad;
  gsize sa = ra * lda, sb = rb * ldb, sc = tc->m * ldc;
  gsize na = tc->offset + tc->batch * sa;
  gsize nb = tc->offset + tc->batch * sb;
  gsize nc = tc->offset + tc->batch * sc;
  g_autofree float *a = g_new (float, na);
  g_autofree float *b = g_new (float, nb);
  g_autofree float *c = g_new (float, nc);
  g_autofree float *want = g_new (float, nc);
  g_autoptr(WhClBuffer) da = NULL, db = NULL, dc = NULL;
  WhClMatrix ma, mb, mc;
  double err;

  wh_test_fill_random (a, na, 1);
  wh_test_fill_random (b, nb, 2);
  wh_test_fill_random (c, nc, 3);
  memcpy (want, c, nc * sizeof (float));

  for (gsize i = 0; i < tc->batch; i++)
    wh_ref_gemm (tc->ta, tc->tb, tc->m, tc->n, tc->k, tc->alpha,
                 a + tc->offset + i * sa, lda, b + tc->offset + i * sb, ldb,
                 tc->beta, want + tc->offset + i * sc, ldc);

  da = wh_cl_buffer_new (ctx, na * sizeof (float), &error);
  g_assert_no_error (error);
  db = wh_cl_buffer_new (ctx, nb * sizeof (float), &error);
  g_assert_no_error (error);
  dc = wh_cl_buffer_new (ctx, nc * sizeof (float), &error);
  g_assert_no_error (error);
  wh_cl_buffer_write (da, 0, a, na * sizeof (float), &error);
  g_assert_no_error (error);
  wh_cl_buffer_write (db, 0, b, nb * sizeof (float), &error);
  g_assert_no_error (error);
  wh_cl_buffer_write (dc, 0, c, nc * sizeof (float), &error);
  g_assert_no_error (error);

  ma = (WhClMatrix) { da, tc->offset, lda };
  mb = (WhClMatrix) { db, tc->offset, ldb };
  mc = (WhClMatrix) { dc, tc->offset, ldc };

  if (tc->batch == 1)
    wh_cl_gemm (ctx, tc->ta ? WH_CL_TRANS : WH_CL_NO_TRANS, tc->tb ? WH_CL_TRANS : WH_CL_NO_TRANS,
                tc->m, tc->n, tc->k, tc->alpha, &ma, &mb, tc->beta, &mc, &error);
  else
    wh_cl_gemm_strided_batched (ctx, tc->ta ? WH_CL_TRANS : WH_CL_NO_TRANS,
                                tc->tb ? WH_CL_TRANS : WH_CL_NO_TRANS,
                                tc->m, tc->n, tc->k, tc->alpha, &ma, sa, &mb, sb,
                                tc->beta, &mc, sc, tc->batch, &error);
  g_assert_no_error (error);

  wh_cl_buffer_read (dc, 0, c, nc * sizeof (float), &error);
  g_assert_no_error (error);

  /* Everything outside the matrices (offsets, padding) must be untouched,
   * so compare the whole buffer. */
  err = wh_ref_normalized_error (c, want, nc);
  if (err > 1e-5)
    g_error ("GEMM %s%s m=%zu n=%zu k=%zu pad=%zu off=%zu batch=%zu: normalised error %g",
             tc->ta ? "T" : "N", tc->tb ? "T" : "N", tc->m, tc->n, tc->k, tc->pad,
             tc->offset, tc->batch, err);

  for (gsize i = 0; i < tc->offset; i++)
    g_assert_cmpfloat (c[i], ==, want[i]);
}

static void
test_gemm_shapes (gconstpointer data)
{
  static const gsize sizes[] = { 1, 7, 33, 65, 257 };

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint t = 0; t < 4; t++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        /* m, n, k cycle through the sizes so no two are alike */
        Case tc = {
          .ta = t & 1, .tb = (t >> 1) & 1,
          .m = sizes[i], .n = sizes[(i + 1) % 5], .k = sizes[(i + 3) % 5],
          .alpha = 1.0f, .beta = 0.0f, .batch = 1,
        };
        run_case (&tc);
      }
}

static void
test_gemm_square_tiles (gconstpointer data)
{
  static const gsize sizes[] = { 16, 64, 128, 256 };

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Case tc = { FALSE, TRUE, sizes[i], sizes[i], sizes[i], 0, 0, 1.0f, 0.0f, 1 };
      run_case (&tc);
    }
}

static void
test_gemm_alpha_beta_ld_offset (gconstpointer data)
{
  const Case cases[] = {
    { FALSE, FALSE, 33, 17, 65, 3, 5, 0.5f, 1.0f, 1 },
    { TRUE, FALSE, 65, 33, 7, 1, 11, -2.0f, 0.25f, 1 },
    { FALSE, TRUE, 7, 257, 33, 9, 0, 1.0f, -1.0f, 1 },
    { TRUE, TRUE, 1, 65, 257, 2, 3, 0.125f, 2.0f, 1 },
  };

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);
}

static void
test_gemm_batched (gconstpointer data)
{
  const Case cases[] = {
    { FALSE, TRUE, 33, 33, 16, 0, 0, 0.125f, 0.0f, 8 },   /* attention scores, 8 heads */
    { FALSE, FALSE, 33, 16, 33, 0, 0, 1.0f, 0.0f, 8 },    /* probabilities × values */
    { TRUE, FALSE, 7, 65, 17, 3, 4, 1.0f, 1.0f, 3 },
    { FALSE, FALSE, 1, 1, 1, 0, 0, 1.0f, 0.0f, 5 },
  };

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);
}

static void
test_gemm_bad_arguments (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClBuffer) small = NULL;
  WhClMatrix m;

  if (!wh_test_cl_use_path (ctx, data))
    return;

  small = wh_cl_buffer_new (ctx, 16 * sizeof (float), &error);
  g_assert_no_error (error);
  m = (WhClMatrix) { small, 0, 64 };

  /* 64×64 operands in a buffer of 16 floats: refused, not read past. */
  g_assert_false (wh_cl_gemm (ctx, WH_CL_NO_TRANS, WH_CL_NO_TRANS, 64, 64, 64, 1.0f, &m, &m, 0.0f, &m, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
}

static const WhTestPathTest tests[] = {
  { "shapes", test_gemm_shapes },
  { "square-tiles", test_gemm_square_tiles },
  { "alpha-beta-ld-offset", test_gemm_alpha_beta_ld_offset },
  { "batched", test_gemm_batched },
  { "bad-arguments", test_gemm_bad_arguments },
};

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  wh_test_cl_add_paths ("/whetstone/cl/gemm", tests, G_N_ELEMENTS (tests));

  /* One context for all cases: CLBlast builds its kernels once. */
  ctx = wh_test_cl_context_new ();
  if (ctx == NULL)
    g_test_message ("no OpenCL device: every GEMM case is skipped");

  ret = g_test_run ();
  g_clear_pointer (&ctx, wh_cl_context_free);

  return ret;
}
