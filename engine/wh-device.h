/* wh-device.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-cl.h"

G_BEGIN_DECLS

#define WH_TYPE_DEVICE (wh_device_get_type ())

G_DECLARE_FINAL_TYPE (WhDevice, wh_device, WH, DEVICE, GObject)

/* A job runs on the device's compute thread, the only thread that touches
 * @ctx.  It returns FALSE with @error set to fail. */
typedef gboolean (*WhDeviceJobFunc) (WhClContext   *ctx,
                                     gpointer       data,
                                     GCancellable  *cancellable,
                                     GError       **error);

WhDevice             *wh_device_new        (const WhClDeviceInfo  *info);
const WhClDeviceInfo *wh_device_get_info   (WhDevice              *self);
void                  wh_device_run_async  (WhDevice              *self,
                                            WhDeviceJobFunc        func,
                                            gpointer               data,
                                            GDestroyNotify         data_destroy,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
gboolean              wh_device_run_finish (WhDevice              *self,
                                            GAsyncResult          *result,
                                            GError               **error);
gboolean              wh_device_run_sync   (WhDevice              *self,
                                            WhDeviceJobFunc        func,
                                            gpointer               data,
                                            GCancellable          *cancellable,
                                            GError               **error);

guint                 wh_device_run_pending (guint64               timeout_us);

G_END_DECLS
