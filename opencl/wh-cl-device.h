/* wh-cl-device.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-types.h"

G_BEGIN_DECLS

typedef enum
{
  WH_CL_DEVICE_KIND_GPU_DISCRETE,
  WH_CL_DEVICE_KIND_GPU_INTEGRATED,
  WH_CL_DEVICE_KIND_ACCELERATOR,
  WH_CL_DEVICE_KIND_CPU,
  WH_CL_DEVICE_KIND_OTHER,
} WhClDeviceKind;

/* What a person (or a script) needs to know about one OpenCL device.
 * Strings are owned by the struct; the ids stay valid for the process. */
typedef struct
{
  guint           index;              /* position in the enumeration, stable for a given set of drivers */
  cl_platform_id  platform_id;
  cl_device_id    device_id;

  char           *platform_name;
  char           *platform_version;
  char           *name;
  char           *vendor;
  char           *driver_version;
  char           *device_version;     /* "OpenCL 3.0 …" */
  char           *opencl_c_version;   /* "OpenCL C 1.2 …" */

  WhClDeviceKind  kind;
  guint64         global_mem_size;    /* bytes */
  guint64         max_alloc_size;     /* bytes, largest single buffer */
  guint64         local_mem_size;     /* bytes */
  guint           compute_units;
  gsize           max_work_group_size;
  gboolean        has_fp16;
  gboolean        is_pocl;
} WhClDeviceInfo;

GPtrArray      *wh_cl_enumerate_devices        (GError              **error);
guint           wh_cl_default_device_index     (GPtrArray            *devices);
WhClDeviceInfo *wh_cl_select_device            (GPtrArray            *devices,
                                                const char           *spec,
                                                GError              **error);
WhClDeviceInfo *wh_cl_device_info_copy         (const WhClDeviceInfo *info);
void            wh_cl_device_info_free         (WhClDeviceInfo       *info);
const char     *wh_cl_device_kind_to_string    (WhClDeviceKind        kind);
char           *wh_cl_device_info_dup_summary  (const WhClDeviceInfo *info);
char           *wh_cl_device_info_dup_cache_key (const WhClDeviceInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhClDeviceInfo, wh_cl_device_info_free)

G_END_DECLS
