/* wh-cl-error.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-types.h"

G_BEGIN_DECLS

#define WH_CL_ERROR (wh_cl_error_quark ())

typedef enum
{
  WH_CL_ERROR_FAILED,
  WH_CL_ERROR_NO_DEVICE,
  WH_CL_ERROR_OUT_OF_DEVICE_MEMORY,
  WH_CL_ERROR_OUT_OF_HOST_MEMORY,
  WH_CL_ERROR_BUILD_FAILED,
  WH_CL_ERROR_INVALID_ARGUMENT,
  WH_CL_ERROR_UNSUPPORTED,
  WH_CL_ERROR_DEVICE_LOST,
} WhClError;

GQuark      wh_cl_error_quark         (void);
const char *wh_cl_status_name         (cl_int       status);
gboolean    wh_cl_check               (cl_int       status,
                                       const char  *what,
                                       GError     **error);
gboolean    wh_clblast_check          (int          status,
                                       const char  *what,
                                       GError     **error);

G_END_DECLS
