/* test-cl-program.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "wh-test-cl.h"

static const char *good_source =
  "__kernel void twice_f32 (__global float *x) { x[get_global_id (0)] *= 2.0f; }\n";

static void
test_cache_second_build (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(WhClContext) first = NULL;
  g_autoptr(WhClContext) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *programs_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  WH_TEST_REQUIRE (device);

  /* A fresh cache (G_TEST_OPTION_ISOLATE_DIRS): the first build compiles… */
  first = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wh_cl_context_get_program (first, "swiglu", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wh_cl_context_get_n_compiled (first), ==, 1);
  g_assert_cmpuint (wh_cl_context_get_n_cache_hits (first), ==, 0);

  /* …once per context, whatever the number of requests… */
  g_assert_nonnull (wh_cl_context_get_kernel (first, "swiglu", "swiglu_fwd_f32", &error));
  g_assert_nonnull (wh_cl_context_get_kernel (first, "swiglu", "swiglu_bwd_f32", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wh_cl_context_get_n_compiled (first), ==, 1);

  /* …and leaves a binary on disk… */
  programs_dir = g_build_filename (wh_cl_context_get_cache_dir (first), "programs", NULL);
  dir = g_dir_open (programs_dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  /* …which the next context, as in the next start of the app, reads
   * instead of compiling. */
  second = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wh_cl_context_get_kernel (second, "swiglu", "swiglu_fwd_f32", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wh_cl_context_get_n_compiled (second), ==, 0);
  g_assert_cmpuint (wh_cl_context_get_n_cache_hits (second), ==, 1);
}

static void
test_cache_damaged_file (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(WhClContext) first = NULL;
  g_autoptr(WhClContext) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *programs_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  cl_program program;

  WH_TEST_REQUIRE (device);

  first = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  program = wh_cl_context_build_program (first, "twice", good_source, NULL, &error);
  g_assert_no_error (error);
  clReleaseProgram (program);

  /* Garbage in place of the cached binary: rebuilt from source, no error. */
  programs_dir = g_build_filename (wh_cl_context_get_cache_dir (first), "programs", NULL);
  dir = g_dir_open (programs_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (programs_dir, name, NULL);
      g_file_set_contents (path, "not a binary", -1, &error);
      g_assert_no_error (error);
    }

  second = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  program = wh_cl_context_build_program (second, "twice", good_source, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (program);
  clReleaseProgram (program);
  g_assert_cmpuint (wh_cl_context_get_n_compiled (second), ==, 1);
}

static void
test_build_error_has_log (void)
{
  g_autoptr(WhClContext) ctx = wh_test_cl_context_new ();
  g_autoptr(GError) error = NULL;
  cl_program program;

  WH_TEST_REQUIRE (ctx);

  program = wh_cl_context_build_program (ctx, "broken",
                                         "__kernel void broken_f32 (__global float *x) {\n"
                                         "  x[0] = undeclared_identifier;\n"
                                         "}\n",
                                         NULL, &error);
  g_assert_null (program);
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_BUILD_FAILED);
  g_assert_nonnull (strstr (error->message, "broken"));
  /* The compiler's own words are in the message. */
  g_assert_nonnull (strstr (error->message, "undeclared_identifier"));
}

static void
test_missing_program (void)
{
  g_autoptr(WhClContext) ctx = wh_test_cl_context_new ();
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  g_assert_null (wh_cl_context_get_kernel (ctx, "no-such-program", "x", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (wh_cl_context_get_kernel (ctx, "swiglu", "no_such_kernel_f32", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/program/cache-second-build", test_cache_second_build);
  g_test_add_func ("/whetstone/cl/program/cache-damaged-file", test_cache_damaged_file);
  g_test_add_func ("/whetstone/cl/program/build-error-has-log", test_build_error_has_log);
  g_test_add_func ("/whetstone/cl/program/missing-program", test_missing_program);

  return g_test_run ();
}
