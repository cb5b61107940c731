/* test-cl-errors.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Failures come back as GErrors a person can act on, never as aborts. */

#include "config.h"

#include <clblast_c.h>

#include "wh-test-cl.h"

static void
test_allocation_too_large (void)
{
  g_autoptr(WhClContext) ctx = wh_test_cl_context_new ();
  g_autoptr(GError) error = NULL;
  const WhClDeviceInfo *device;
  WhClBuffer *buffer;

  WH_TEST_REQUIRE (ctx);
  device = wh_cl_context_get_device (ctx);

  /* Larger than the largest single allocation the device allows. */
  buffer = wh_cl_buffer_new (ctx, device->max_alloc_size + 1, &error);
  g_assert_null (buffer);
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY);
  g_assert_nonnull (strstr (error->message, device->name));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nothing was counted for the failed request. */
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 0);
}

static void
test_memory_accounting (void)
{
  g_autoptr(WhClContext) ctx = wh_test_cl_context_new ();
  g_autoptr(GError) error = NULL;
  WhClBuffer *a, *b;

  WH_TEST_REQUIRE (ctx);

  a = wh_cl_buffer_new (ctx, 1000, &error);
  g_assert_no_error (error);
  b = wh_cl_buffer_new (ctx, 4096, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 5096);
  g_assert_cmpuint (wh_cl_context_get_mem_peak (ctx), ==, 5096);

  wh_cl_buffer_free (b);
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 1000);
  g_assert_cmpuint (wh_cl_context_get_mem_peak (ctx), ==, 5096);

  wh_cl_context_reset_mem_peak (ctx);
  g_assert_cmpuint (wh_cl_context_get_mem_peak (ctx), ==, 1000);

  wh_cl_buffer_free (a);
  g_assert_cmpuint (wh_cl_context_get_mem_in_use (ctx), ==, 0);
}

static void
test_buffer_out_of_range (void)
{
  g_autoptr(WhClContext) ctx = wh_test_cl_context_new ();
  g_autoptr(WhClBuffer) buffer = NULL;
  g_autoptr(GError) error = NULL;
  guint8 bytes[32] = { 0 };

  WH_TEST_REQUIRE (ctx);

  buffer = wh_cl_buffer_new (ctx, 16, &error);
  g_assert_no_error (error);

  g_assert_false (wh_cl_buffer_write (buffer, 8, bytes, 16, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (wh_cl_buffer_read (buffer, G_MAXSIZE - 4, bytes, 8, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* New buffers read back as zeros. */
  g_assert_true (wh_cl_buffer_read (buffer, 0, bytes, 16, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpuint (bytes[i], ==, 0);
}

static const struct {
  int         status;
  WhClError   code;
  const char *fragment;
} status_cases[] = {
  { CL_MEM_OBJECT_ALLOCATION_FAILURE, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY, "ran out of memory" },
  { CL_OUT_OF_RESOURCES,              WH_CL_ERROR_OUT_OF_DEVICE_MEMORY, "smaller batch" },
  { CL_OUT_OF_HOST_MEMORY,            WH_CL_ERROR_OUT_OF_HOST_MEMORY,   "computer ran out of memory" },
  { CL_DEVICE_NOT_FOUND,              WH_CL_ERROR_NO_DEVICE,            "pocl-opencl-icd" },
  { CL_BUILD_PROGRAM_FAILURE,         WH_CL_ERROR_BUILD_FAILED,         "CL_BUILD_PROGRAM_FAILURE" },
  { CL_INVALID_KERNEL_ARGS,           WH_CL_ERROR_FAILED,               "CL_INVALID_KERNEL_ARGS" },
  { -9999,                            WH_CL_ERROR_FAILED,               "-9999" },
};

static void
test_status_messages (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (wh_cl_check (status_cases[i].status, "Testing", &error));
      g_assert_error (error, WH_CL_ERROR, status_cases[i].code);
      g_assert_nonnull (strstr (error->message, "Testing"));
      if (!strstr (error->message, status_cases[i].fragment))
        g_error ("“%s” lacks “%s”", error->message, status_cases[i].fragment);
    }

  g_assert_true (wh_cl_check (CL_SUCCESS, "Testing", NULL));
}

static void
test_clblast_status_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wh_clblast_check (CLBlastSuccess, "GEMM", NULL));

  g_assert_false (wh_clblast_check (CLBlastInsufficientMemoryTemp, "GEMM", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY);
  g_clear_error (&error);

  g_assert_false (wh_clblast_check (CLBlastInvalidLeadDimA, "GEMM", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "CLBlastInvalidLeadDimA"));
  g_clear_error (&error);

  /* OpenCL statuses pass through CLBlast unchanged. */
  g_assert_false (wh_clblast_check (CL_MEM_OBJECT_ALLOCATION_FAILURE, "GEMM", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_OUT_OF_DEVICE_MEMORY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/errors/allocation-too-large", test_allocation_too_large);
  g_test_add_func ("/whetstone/cl/errors/memory-accounting", test_memory_accounting);
  g_test_add_func ("/whetstone/cl/errors/buffer-out-of-range", test_buffer_out_of_range);
  g_test_add_func ("/whetstone/cl/errors/status-messages", test_status_messages);
  g_test_add_func ("/whetstone/cl/errors/clblast-status-messages", test_clblast_status_messages);

  return g_test_run ();
}
