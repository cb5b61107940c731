/* wh-test-cl.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-test-cl.h"

WhClDeviceInfo *
wh_test_cl_device (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;

  devices = wh_cl_enumerate_devices (&error);
  if (g_error_matches (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE))
    {
      g_test_message ("no OpenCL device on this machine: %s", error->message);
      return NULL;
    }
  g_assert_no_error (error);

  info = wh_cl_select_device (devices, NULL, &error);
  g_assert_no_error (error);

  return wh_cl_device_info_copy (info);
}

WhClContext *
wh_test_cl_context_new (void)
{
  g_autoptr(WhClDeviceInfo) device = wh_test_cl_device ();
  g_autoptr(GError) error = NULL;
  WhClContext *ctx;

  if (device == NULL)
    return NULL;

  ctx = wh_cl_context_new (device, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx);

  return ctx;
}

void
wh_test_fill_random (float   *data,
                     gsize    n,
                     guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    data[i] = g_rand_double_range (rand, -1.0, 1.0);
}
