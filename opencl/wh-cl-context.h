/* wh-cl-context.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-cl-device.h"

G_BEGIN_DECLS

/* One device's OpenCL state: context, in-order queue, compiled programs and
 * the memory accounting.  Owned by that device's compute thread; nothing
 * else may touch it (DESIGN.md, Threads). */
typedef struct _WhClContext WhClContext;

typedef enum
{
  WH_CL_CONTEXT_FLAGS_NONE    = 0,
  WH_CL_CONTEXT_FLAGS_UNTUNED = 1 << 0,  /* leave CLBlast's own parameters in force */
} WhClContextFlags;

WhClContext          *wh_cl_context_new              (const WhClDeviceInfo  *device,
                                                      GError               **error);
WhClContext          *wh_cl_context_new_full         (const WhClDeviceInfo  *device,
                                                      WhClContextFlags       flags,
                                                      GError               **error);
void                  wh_cl_context_free             (WhClContext           *ctx);
const WhClDeviceInfo *wh_cl_context_get_device       (WhClContext           *ctx);
cl_context            wh_cl_context_get_cl_context   (WhClContext           *ctx);
cl_command_queue      wh_cl_context_get_queue        (WhClContext           *ctx);
gboolean              wh_cl_context_finish           (WhClContext           *ctx,
                                                      GError               **error);
const char           *wh_cl_context_get_cache_dir    (WhClContext           *ctx);
const char           *wh_cl_context_get_cache_key    (WhClContext           *ctx);

guint64               wh_cl_context_get_mem_in_use   (WhClContext           *ctx);
guint64               wh_cl_context_get_mem_peak     (WhClContext           *ctx);
void                  wh_cl_context_reset_mem_peak   (WhClContext           *ctx);

cl_kernel             wh_cl_context_get_kernel       (WhClContext           *ctx,
                                                      const char            *program_name,
                                                      const char            *kernel_name,
                                                      GError               **error);
cl_program            wh_cl_context_get_program      (WhClContext           *ctx,
                                                      const char            *program_name,
                                                      GError               **error);
cl_program            wh_cl_context_build_program    (WhClContext           *ctx,
                                                      const char            *label,
                                                      const char            *source,
                                                      const char            *options,
                                                      GError               **error);
guint                 wh_cl_context_get_n_compiled   (WhClContext           *ctx);
guint                 wh_cl_context_get_n_cache_hits (WhClContext           *ctx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhClContext, wh_cl_context_free)

G_END_DECLS
