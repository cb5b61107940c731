/* wh-cl-device.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "wh-cl-device.h"
#include "wh-cl-error.h"

#ifndef CL_DEVICE_HALF_FP_CONFIG
# define CL_DEVICE_HALF_FP_CONFIG 0x1033
#endif

static char *
dup_platform_string (cl_platform_id   platform,
                     cl_platform_info param)
{
  size_t size = 0;
  char *s;

  if (clGetPlatformInfo (platform, param, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");

  s = g_malloc0 (size + 1);
  if (clGetPlatformInfo (platform, param, size, s, NULL) != CL_SUCCESS)
    s[0] = '\0';

  return g_strstrip (s);
}

static char *
dup_device_string (cl_device_id   device,
                   cl_device_info param)
{
  size_t size = 0;
  char *s;

  if (clGetDeviceInfo (device, param, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");

  s = g_malloc0 (size + 1);
  if (clGetDeviceInfo (device, param, size, s, NULL) != CL_SUCCESS)
    s[0] = '\0';

  return g_strstrip (s);
}

#define DEVICE_SCALAR(device, param, type, fallback)                         \
  ({ type _v = (fallback);                                                   \
     if (clGetDeviceInfo ((device), (param), sizeof _v, &_v, NULL) != CL_SUCCESS) \
       _v = (fallback);                                                      \
     _v; })

static WhClDeviceInfo *
device_info_new (cl_platform_id platform,
                 cl_device_id   device)
{
  WhClDeviceInfo *info = g_new0 (WhClDeviceInfo, 1);
  cl_device_type type;
  cl_bool unified;
  g_autofree char *extensions = NULL;

  info->platform_id = platform;
  info->device_id = device;
  info->platform_name = dup_platform_string (platform, CL_PLATFORM_NAME);
  info->platform_version = dup_platform_string (platform, CL_PLATFORM_VERSION);
  info->name = dup_device_string (device, CL_DEVICE_NAME);
  info->vendor = dup_device_string (device, CL_DEVICE_VENDOR);
  info->driver_version = dup_device_string (device, CL_DRIVER_VERSION);
  info->device_version = dup_device_string (device, CL_DEVICE_VERSION);
  info->opencl_c_version = dup_device_string (device, CL_DEVICE_OPENCL_C_VERSION);
  extensions = dup_device_string (device, CL_DEVICE_EXTENSIONS);

  info->global_mem_size = DEVICE_SCALAR (device, CL_DEVICE_GLOBAL_MEM_SIZE, cl_ulong, 0);
  info->max_alloc_size = DEVICE_SCALAR (device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, cl_ulong, 0);
  info->local_mem_size = DEVICE_SCALAR (device, CL_DEVICE_LOCAL_MEM_SIZE, cl_ulong, 0);
  info->compute_units = DEVICE_SCALAR (device, CL_DEVICE_MAX_COMPUTE_UNITS, cl_uint, 0);
  info->max_work_group_size = DEVICE_SCALAR (device, CL_DEVICE_MAX_WORK_GROUP_SIZE, size_t, 1);
  info->has_fp16 = strstr (extensions, "cl_khr_fp16") != NULL;
  info->is_pocl = strstr (info->platform_name, "Portable Computing Language") != NULL ||
                  strstr (info->device_version, "PoCL") != NULL;

  type = DEVICE_SCALAR (device, CL_DEVICE_TYPE, cl_device_type, CL_DEVICE_TYPE_DEFAULT);
  unified = DEVICE_SCALAR (device, CL_DEVICE_HOST_UNIFIED_MEMORY, cl_bool, CL_FALSE);

  if (type & CL_DEVICE_TYPE_GPU)
    info->kind = unified ? WH_CL_DEVICE_KIND_GPU_INTEGRATED : WH_CL_DEVICE_KIND_GPU_DISCRETE;
  else if (type & CL_DEVICE_TYPE_ACCELERATOR)
    info->kind = WH_CL_DEVICE_KIND_ACCELERATOR;
  else if (type & CL_DEVICE_TYPE_CPU)
    info->kind = WH_CL_DEVICE_KIND_CPU;
  else
    info->kind = WH_CL_DEVICE_KIND_OTHER;

  return info;
}

/**
 * wh_cl_enumerate_devices:
 *
 * Lists every device of every OpenCL platform.  A machine with no OpenCL
 * platform at all is an error with advice, not an empty list; a platform
 * that exposes no device is skipped.
 *
 * Returns: (transfer full): a #GPtrArray of #WhClDeviceInfo
 */
GPtrArray *
wh_cl_enumerate_devices (GError **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree cl_platform_id *platforms = NULL;
  cl_uint n_platforms = 0;
  cl_int status;

  status = clGetPlatformIDs (0, NULL, &n_platforms);
  if (status == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (status == CL_SUCCESS && n_platforms == 0))
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE,
                   _("No OpenCL driver is installed. Install your graphics card’s OpenCL driver, "
                     "or the “pocl-opencl-icd” package to train on the processor."));
      return NULL;
    }
  if (!wh_cl_check (status, _("Listing OpenCL platforms"), error))
    return NULL;

  platforms = g_new0 (cl_platform_id, n_platforms);
  if (!wh_cl_check (clGetPlatformIDs (n_platforms, platforms, NULL), _("Listing OpenCL platforms"), error))
    return NULL;

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_cl_device_info_free);

  for (cl_uint p = 0; p < n_platforms; p++)
    {
      g_autofree cl_device_id *ids = NULL;
      cl_uint n_ids = 0;

      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n_ids) != CL_SUCCESS || n_ids == 0)
        continue;

      ids = g_new0 (cl_device_id, n_ids);
      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, n_ids, ids, NULL) != CL_SUCCESS)
        continue;

      for (cl_uint d = 0; d < n_ids; d++)
        {
          WhClDeviceInfo *info = device_info_new (platforms[p], ids[d]);

          info->index = devices->len;
          g_ptr_array_add (devices, info);
        }
    }

  if (devices->len == 0)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE,
                   _("OpenCL is installed but no device is available. Check that your graphics "
                     "driver is loaded, or install the “pocl-opencl-icd” package to train on the processor."));
      return NULL;
    }

  return g_steal_pointer (&devices);
}

static int
kind_rank (WhClDeviceKind kind)
{
  switch (kind)
    {
    case WH_CL_DEVICE_KIND_GPU_DISCRETE:   return 0;
    case WH_CL_DEVICE_KIND_GPU_INTEGRATED: return 1;
    case WH_CL_DEVICE_KIND_ACCELERATOR:    return 2;
    case WH_CL_DEVICE_KIND_CPU:            return 3;
    case WH_CL_DEVICE_KIND_OTHER:
    default:                               return 4;
    }
}

/**
 * wh_cl_default_device_index:
 * @devices: what wh_cl_enumerate_devices() returned
 *
 * The device Whetstone uses unless told otherwise: the GPU with the most
 * memory, discrete before integrated, then accelerators, then the CPU.
 *
 * Returns: an index into @devices
 */
guint
wh_cl_default_device_index (GPtrArray *devices)
{
  guint best = 0;

  g_return_val_if_fail (devices != NULL && devices->len > 0, 0);

  for (guint i = 1; i < devices->len; i++)
    {
      const WhClDeviceInfo *a = g_ptr_array_index (devices, i);
      const WhClDeviceInfo *b = g_ptr_array_index (devices, best);
      int ra = kind_rank (a->kind);
      int rb = kind_rank (b->kind);

      if (ra < rb || (ra == rb && a->global_mem_size > b->global_mem_size))
        best = i;
    }

  return best;
}

/**
 * wh_cl_select_device:
 * @devices: what wh_cl_enumerate_devices() returned
 * @spec: (nullable): a device index, or a case-insensitive substring of the
 *   device, vendor or platform name; %NULL or "" reads `WHETSTONE_DEVICE`,
 *   and without it picks the default device
 *
 * Returns: (transfer none): a device borrowed from @devices, or %NULL with
 *   @error set when @spec matches none
 */
WhClDeviceInfo *
wh_cl_select_device (GPtrArray   *devices,
                     const char  *spec,
                     GError     **error)
{
  g_autofree char *needle = NULL;
  g_autofree char *label = NULL;
  gboolean from_env = FALSE;
  char *end = NULL;
  guint64 index;

  g_return_val_if_fail (devices != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (devices->len == 0)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE, _("No OpenCL device is available."));
      return NULL;
    }

  if (spec == NULL || spec[0] == '\0')
    {
      spec = g_getenv ("WHETSTONE_DEVICE");
      from_env = TRUE;
    }

  if (spec == NULL || spec[0] == '\0')
    return g_ptr_array_index (devices, wh_cl_default_device_index (devices));

  /* Messages say where the choice came from, so that a stale environment
   * variable is easy to find. */
  label = from_env ? g_strdup_printf ("WHETSTONE_DEVICE=“%s”", spec) : g_strdup_printf ("“%s”", spec);

  index = g_ascii_strtoull (spec, &end, 10);
  if (end != spec && *end == '\0')
    {
      if (index < devices->len)
        return g_ptr_array_index (devices, index);

      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE,
                   /* Translators: %s is a quoted device number */
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s names no device: this computer has %u OpenCL device, numbered "
                                "from 0 (“whetstone-cli devices” lists it).",
                                "%s names no device: this computer has %u OpenCL devices, numbered "
                                "from 0 (“whetstone-cli devices” lists them).",
                                devices->len),
                   label, devices->len);
      return NULL;
    }

  needle = g_utf8_casefold (spec, -1);

  for (guint i = 0; i < devices->len; i++)
    {
      WhClDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *hay = g_strdup_printf ("%s\n%s\n%s", info->name, info->vendor, info->platform_name);
      g_autofree char *folded = g_utf8_casefold (hay, -1);

      if (strstr (folded, needle) != NULL)
        return info;
    }

  g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE,
               /* Translators: %s is the quoted text the user gave */
               _("No OpenCL device matches %s. “whetstone-cli devices” lists the devices "
                 "of this computer; give a number or part of a name."),
               label);
  return NULL;
}

WhClDeviceInfo *
wh_cl_device_info_copy (const WhClDeviceInfo *info)
{
  WhClDeviceInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->platform_name = g_strdup (info->platform_name);
  copy->platform_version = g_strdup (info->platform_version);
  copy->name = g_strdup (info->name);
  copy->vendor = g_strdup (info->vendor);
  copy->driver_version = g_strdup (info->driver_version);
  copy->device_version = g_strdup (info->device_version);
  copy->opencl_c_version = g_strdup (info->opencl_c_version);

  return copy;
}

void
wh_cl_device_info_free (WhClDeviceInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->platform_name);
  g_free (info->platform_version);
  g_free (info->name);
  g_free (info->vendor);
  g_free (info->driver_version);
  g_free (info->device_version);
  g_free (info->opencl_c_version);
  g_free (info);
}

const char *
wh_cl_device_kind_to_string (WhClDeviceKind kind)
{
  switch (kind)
    {
    case WH_CL_DEVICE_KIND_GPU_DISCRETE:   return "gpu";
    case WH_CL_DEVICE_KIND_GPU_INTEGRATED: return "integrated-gpu";
    case WH_CL_DEVICE_KIND_ACCELERATOR:    return "accelerator";
    case WH_CL_DEVICE_KIND_CPU:            return "cpu";
    case WH_CL_DEVICE_KIND_OTHER:
    default:                               return "other";
    }
}

/**
 * wh_cl_device_info_dup_summary:
 *
 * Returns: (transfer full): one line for people, such as
 *   "Radeon RX 7800 XT (graphics card, 16.0 GB)"
 */
char *
wh_cl_device_info_dup_summary (const WhClDeviceInfo *info)
{
  g_autofree char *mem = NULL;
  const char *kind;

  g_return_val_if_fail (info != NULL, NULL);

  mem = g_format_size (info->global_mem_size);

  switch (info->kind)
    {
    case WH_CL_DEVICE_KIND_GPU_DISCRETE:   kind = _("graphics card"); break;
    case WH_CL_DEVICE_KIND_GPU_INTEGRATED: kind = _("integrated graphics"); break;
    case WH_CL_DEVICE_KIND_ACCELERATOR:    kind = _("accelerator"); break;
    case WH_CL_DEVICE_KIND_CPU:            kind = info->is_pocl ? _("processor, PoCL") : _("processor"); break;
    case WH_CL_DEVICE_KIND_OTHER:
    default:                               kind = _("other device"); break;
    }

  /* Translators: device name (kind, memory size) */
  return g_strdup_printf (_("%s (%s, %s)"), info->name, kind, mem);
}

/**
 * wh_cl_device_info_dup_cache_key:
 *
 * A key that changes whenever compiled code or tuned parameters for this
 * device may no longer be valid: another device, driver or platform.
 *
 * Returns: (transfer full): a hex string safe for file names
 */
char *
wh_cl_device_info_dup_cache_key (const WhClDeviceInfo *info)
{
  g_autofree char *ident = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  ident = g_strdup_printf ("%s\n%s\n%s\n%s\n%s\n%s",
                           info->platform_name, info->platform_version,
                           info->name, info->vendor,
                           info->driver_version, info->device_version);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, ident, -1);
}
