/* test-cl-device.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-test-cl.h"

static WhClDeviceInfo *
fake_device (guint          index,
             const char    *name,
             WhClDeviceKind kind,
             guint64        mem)
{
  WhClDeviceInfo *info = g_new0 (WhClDeviceInfo, 1);

  info->index = index;
  info->name = g_strdup (name);
  info->vendor = g_strdup ("Vendor");
  info->platform_name = g_strdup ("Platform");
  info->platform_version = g_strdup ("OpenCL 3.0");
  info->driver_version = g_strdup ("1.0");
  info->device_version = g_strdup ("OpenCL 3.0");
  info->opencl_c_version = g_strdup ("OpenCL C 1.2");
  info->kind = kind;
  info->global_mem_size = mem;
  return info;
}

static GPtrArray *
fake_devices (void)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_cl_device_info_free);

  g_ptr_array_add (devices, fake_device (0, "pthread-skylake", WH_CL_DEVICE_KIND_CPU, 64ull << 30));
  g_ptr_array_add (devices, fake_device (1, "Iris Xe", WH_CL_DEVICE_KIND_GPU_INTEGRATED, 16ull << 30));
  g_ptr_array_add (devices, fake_device (2, "Radeon RX 6600", WH_CL_DEVICE_KIND_GPU_DISCRETE, 8ull << 30));
  g_ptr_array_add (devices, fake_device (3, "GeForce RTX 4090", WH_CL_DEVICE_KIND_GPU_DISCRETE, 24ull << 30));
  return devices;
}

static void
test_default_ranking (void)
{
  g_autoptr(GPtrArray) devices = fake_devices ();

  /* Discrete GPU with the most memory, although the CPU has more. */
  g_assert_cmpuint (wh_cl_default_device_index (devices), ==, 3);

  g_ptr_array_remove_index (devices, 3);
  g_assert_cmpuint (wh_cl_default_device_index (devices), ==, 2);

  g_ptr_array_remove_index (devices, 2);
  g_assert_cmpuint (wh_cl_default_device_index (devices), ==, 1);

  g_ptr_array_remove_index (devices, 1);
  g_assert_cmpuint (wh_cl_default_device_index (devices), ==, 0);
}

static void
test_select (void)
{
  g_autoptr(GPtrArray) devices = fake_devices ();
  g_autoptr(GError) error = NULL;
  WhClDeviceInfo *info;

  g_unsetenv ("WHETSTONE_DEVICE");

  info = wh_cl_select_device (devices, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "GeForce RTX 4090");

  info = wh_cl_select_device (devices, "1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Iris Xe");

  info = wh_cl_select_device (devices, "radeon", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Radeon RX 6600");

  g_assert_null (wh_cl_select_device (devices, "7", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "whetstone-cli devices"));
  g_clear_error (&error);

  g_assert_null (wh_cl_select_device (devices, "voodoo", &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "voodoo"));
  g_clear_error (&error);

  /* The environment variable when nothing is given… */
  g_setenv ("WHETSTONE_DEVICE", "skylake", TRUE);
  info = wh_cl_select_device (devices, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "pthread-skylake");

  /* …but an explicit choice wins over it. */
  info = wh_cl_select_device (devices, "0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "pthread-skylake");
  info = wh_cl_select_device (devices, "iris", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->name, ==, "Iris Xe");

  /* A bad index from the environment says where it came from, too. */
  g_setenv ("WHETSTONE_DEVICE", "9", TRUE);
  g_assert_null (wh_cl_select_device (devices, NULL, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "WHETSTONE_DEVICE=“9”"));
  g_clear_error (&error);

  g_setenv ("WHETSTONE_DEVICE", "nonexistent", TRUE);
  g_assert_null (wh_cl_select_device (devices, NULL, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "WHETSTONE_DEVICE"));
  g_unsetenv ("WHETSTONE_DEVICE");
}

static void
test_enumerate_real (void)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = wh_cl_enumerate_devices (&error);
  if (g_error_matches (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 0);

  for (guint i = 0; i < devices->len; i++)
    {
      const WhClDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *summary = wh_cl_device_info_dup_summary (info);
      g_autofree char *key = wh_cl_device_info_dup_cache_key (info);
      g_autoptr(WhClDeviceInfo) copy = wh_cl_device_info_copy (info);
      g_autofree char *copy_key = wh_cl_device_info_dup_cache_key (copy);

      g_assert_cmpuint (info->index, ==, i);
      g_assert_cmpstr (info->name, !=, "");
      g_assert_cmpuint (info->global_mem_size, >, 0);
      g_assert_cmpuint (info->max_alloc_size, >, 0);
      g_assert_cmpuint (info->max_alloc_size, <=, info->global_mem_size);
      g_assert_cmpuint (info->compute_units, >, 0);
      g_assert_nonnull (strstr (summary, info->name));
      g_assert_cmpuint (strlen (key), ==, 64);
      g_assert_cmpstr (key, ==, copy_key);
      g_test_message ("%u: %s", i, summary);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/device/default-ranking", test_default_ranking);
  g_test_add_func ("/whetstone/cl/device/select", test_select);
  g_test_add_func ("/whetstone/cl/device/enumerate-real", test_enumerate_real);

  return g_test_run ();
}
