/* wh-model-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-cl-device.h"
#include "wh-model-info.h"

G_BEGIN_DECLS

#define WH_TYPE_MODEL_PAGE (wh_model_page_get_type ())

G_DECLARE_FINAL_TYPE (WhModelPage, wh_model_page, WH, MODEL_PAGE, AdwBin)

GtkWidget         *wh_model_page_new            (void);
const char        *wh_model_page_get_model_path (WhModelPage          *self);
void               wh_model_page_set_model_path (WhModelPage          *self,
                                                 const char           *model_path);
gboolean           wh_model_page_get_ready      (WhModelPage          *self);
gboolean           wh_model_page_get_scanning   (WhModelPage          *self);
const WhModelInfo *wh_model_page_get_model_info (WhModelPage          *self);
void               wh_model_page_set_device     (WhModelPage          *self,
                                                 const WhClDeviceInfo *device);
void               wh_model_page_rescan         (WhModelPage          *self);
void               wh_model_page_set_recent     (WhModelPage          *self,
                                                 const char * const   *paths);

G_END_DECLS
