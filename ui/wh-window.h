/* wh-window.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-cl-device.h"
#include "wh-recipe.h"

G_BEGIN_DECLS

/* Where the window is in finding the OpenCL device it will train on. */
typedef enum
{
  WH_WINDOW_DEVICE_STATE_SEARCHING,
  WH_WINDOW_DEVICE_STATE_FOUND,
  WH_WINDOW_DEVICE_STATE_MISSING,
  WH_WINDOW_DEVICE_STATE_FAILED,
} WhWindowDeviceState;

#define WH_TYPE_WINDOW_DEVICE_STATE (wh_window_device_state_get_type ())
#define WH_TYPE_WINDOW              (wh_window_get_type ())

GType wh_window_device_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (WhWindow, wh_window, WH, WINDOW, AdwApplicationWindow)

WhWindow             *wh_window_new                 (GtkApplication *application);
WhWindowDeviceState   wh_window_get_device_state    (WhWindow       *self);
const WhClDeviceInfo *wh_window_get_device          (WhWindow       *self);
const WhRecipe       *wh_window_get_recipe          (WhWindow       *self);
void                  wh_window_present_preferences (WhWindow       *self);

G_END_DECLS
