/* wh-preferences-window.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_PREFERENCES_WINDOW (wh_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (WhPreferencesWindow, wh_preferences_window, WH, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Edits @settings, the app's: the training device and the runs folder. */
GtkWidget *wh_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
