/* wh-test-cl.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl.h"

G_BEGIN_DECLS

/* The device every kernel test runs on: WHETSTONE_DEVICE's, else the
 * default (PoCL's CPU device in CI).  NULL only where this machine
 * genuinely has no OpenCL device; tests then skip, saying so. */
WhClDeviceInfo *wh_test_cl_device       (void);
WhClContext    *wh_test_cl_context_new  (void);
void            wh_test_fill_random     (float   *data,
                                         gsize    n,
                                         guint32  seed);

#define WH_TEST_REQUIRE(ptr)                                              \
  G_STMT_START {                                                          \
    if ((ptr) == NULL)                                                    \
      {                                                                   \
        g_test_skip ("this machine has no OpenCL device (install pocl-opencl-icd)"); \
        return;                                                           \
      }                                                                   \
  } G_STMT_END

G_END_DECLS
