/* wh-preferences-window-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-preferences-window.h"

G_BEGIN_DECLS

/* Whether the devices are still being enumerated. */
gboolean      _wh_preferences_window_get_loading     (WhPreferencesWindow *self);
AdwComboRow  *_wh_preferences_window_get_device_row  (WhPreferencesWindow *self);
AdwActionRow *_wh_preferences_window_get_runs_row    (WhPreferencesWindow *self);

G_END_DECLS
