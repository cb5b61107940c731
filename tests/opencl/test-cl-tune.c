/* test-cl-tune.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The tuning pass, cut to one candidate per kernel so that it fits in the
 * test suite: it must measure, keep only a configuration that computes the
 * right product, persist it, and have the next context apply it.  How much
 * faster tuning makes GEMM is measured by `whetstone-cli bench gemm`. */

#include "config.h"

#include <glib/gstdio.h>

#include "wh-test-cl.h"

static gboolean
gemm_is_right (WhClContext *ctx)
{
  const gsize m = 70, n = 45, k = 33;
  g_autofree float *a = g_new (float, m * k);
  g_autofree float *b = g_new (float, n * k);
  g_autofree float *c = g_new (float, m * n);
  g_autofree float *want = g_new (float, m * n);
  g_autoptr(WhClBuffer) da = NULL, db = NULL, dc = NULL;
  g_autoptr(GError) error = NULL;
  WhClMatrix ma, mb, mc;

  wh_test_fill_random (a, m * k, 1);
  wh_test_fill_random (b, n * k, 2);
  wh_ref_gemm (FALSE, TRUE, m, n, k, 1.0f, a, k, b, k, 0.0f, want, n);

  da = wh_cl_buffer_new (ctx, m * k * sizeof (float), &error);
  db = wh_cl_buffer_new (ctx, n * k * sizeof (float), &error);
  dc = wh_cl_buffer_new (ctx, m * n * sizeof (float), &error);
  g_assert_no_error (error);
  wh_cl_buffer_write (da, 0, a, m * k * sizeof (float), &error);
  wh_cl_buffer_write (db, 0, b, n * k * sizeof (float), &error);
  g_assert_no_error (error);

  ma = (WhClMatrix) { da, 0, k };
  mb = (WhClMatrix) { db, 0, k };
  mc = (WhClMatrix) { dc, 0, n };
  wh_cl_gemm (ctx, WH_CL_NO_TRANS, WH_CL_TRANS, m, n, k, 1.0f, &ma, &mb, 0.0f, &mc, &error);
  g_assert_no_error (error);
  wh_cl_buffer_read (dc, 0, c, m * n * sizeof (float), &error);
  g_assert_no_error (error);

  return wh_ref_normalized_error (c, want, m * n) < 1e-5;
}

static void
progress_cb (const char *kernel,
             guint       done,
             guint       total,
             double      best,
             gpointer    user_data)
{
  guint *calls = user_data;

  g_assert_true (g_str_equal (kernel, "Xgemm") || g_str_equal (kernel, "XgemmDirect"));
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpfloat (best, >, 0.0);
  (*calls)++;
}

static void
test_tune_and_reload (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhClContext) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = NULL;
  WhClGemmTuneOptions options = { .budget_seconds = 1, .max_candidates = 1, .seed = 3, .small = TRUE };
  WhClGemmTuning tuning = { 0 };
  guint calls = 0;

  WH_TEST_REQUIRE (device);

  ctx = wh_cl_context_new_full (device, WH_CL_CONTEXT_FLAGS_UNTUNED, &error);
  g_assert_no_error (error);
  g_assert_false (wh_cl_gemm_has_cached_tuning (ctx));

  g_assert_true (wh_cl_gemm_tune (ctx, &options, progress_cb, &calls, NULL, &tuning, &error));
  g_assert_no_error (error);

  /* One candidate of each kernel was built, checked and timed. */
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (tuning.xgemm.n_tried, ==, 1);
  g_assert_cmpuint (tuning.xgemm_direct.n_tried, ==, 1);
  g_assert_cmpuint (tuning.xgemm.n_rejected, ==, 0);
  g_assert_cmpfloat (tuning.xgemm.default_gflops, >, 0.0);
  g_assert_cmpfloat (tuning.xgemm.best_gflops, >=, tuning.xgemm.default_gflops);
  g_test_message ("Xgemm %.1f → %.1f GFLOP/s", tuning.xgemm.default_gflops, tuning.xgemm.best_gflops);

  /* Persisted, with the parameters when a candidate won. */
  g_assert_true (wh_cl_gemm_has_cached_tuning (ctx));
  path = wh_cl_gemm_dup_tuning_path (ctx);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_boolean (kf, "Xgemm", "override", NULL), ==, tuning.xgemm.found);
  if (tuning.xgemm.found)
    g_assert_cmpuint (g_key_file_get_uint64 (kf, "Xgemm", "MWG", NULL), ==, tuning.xgemm.params[6]);

  g_assert_true (gemm_is_right (ctx));

  /* A later context, as in the next start, applies the cache and still
   * computes the right product. */
  again = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  g_assert_true (gemm_is_right (again));
}

static void
test_damaged_cache (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  WH_TEST_REQUIRE (device);

  ctx = wh_cl_context_new_full (device, WH_CL_CONTEXT_FLAGS_UNTUNED, &error);
  g_assert_no_error (error);
  path = wh_cl_gemm_dup_tuning_path (ctx);
  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);

  /* A parameter of zero would divide by zero in the validity checks. */
  g_file_set_contents (path,
                       "[Xgemm]\noverride=true\nGEMMK=0\nKREG=1\nKWG=0\nKWI=2\nMDIMA=8\nMDIMC=8\n"
                       "MWG=64\nNDIMB=8\nNDIMC=8\nNWG=64\nSA=0\nSB=0\nSTRM=0\nSTRN=0\nVWM=4\nVWN=4\n",
                       -1, &error);
  g_assert_no_error (error);
  g_assert_false (wh_cl_gemm_apply_cached_tuning (ctx, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "whetstone-cli tune"));
  g_clear_error (&error);

  g_file_set_contents (path, "\x01\x02 not a key file", -1, &error);
  g_assert_no_error (error);
  g_assert_false (wh_cl_gemm_apply_cached_tuning (ctx, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED);
  g_clear_error (&error);

  /* A context still opens, with a warning, and computes right. */
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*Ignoring the GEMM tuning*");
  g_clear_pointer (&ctx, wh_cl_context_free);
  ctx = wh_cl_context_new (device, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_true (gemm_is_right (ctx));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/tune/damaged-cache", test_damaged_cache);
  g_test_add_func ("/whetstone/cl/tune/tune-and-reload", test_tune_and_reload);

  return g_test_run ();
}
