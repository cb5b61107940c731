/* wh-cl-context-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-context.h"
#include "wh-cl-gemm.h"

G_BEGIN_DECLS

struct _WhClContext
{
  WhClDeviceInfo   *device;
  cl_context        context;
  cl_command_queue  queue;

  char             *cache_key;   /* device + driver, see wh_cl_device_info_dup_cache_key() */
  char             *cache_dir;   /* $XDG_CACHE_HOME/whetstone */

  GHashTable       *programs;    /* program name → cl_program */
  GHashTable       *kernels;     /* "program:kernel" → cl_kernel */
  guint             n_compiled;  /* programs compiled from source */
  guint             n_cache_hits;/* programs loaded from the binary cache */

  WhClGemmPath      gemm_path;

  guint64           mem_in_use;  /* bytes in live WhClBuffers */
  guint64           mem_peak;
};

void _wh_cl_context_account_alloc (WhClContext *ctx,
                                   guint64      bytes);
void _wh_cl_context_account_free  (WhClContext *ctx,
                                   guint64      bytes);

G_END_DECLS
