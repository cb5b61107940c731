/* wh-data-recent.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_DATA_RECENT (wh_data_recent_get_type ())

G_DECLARE_FINAL_TYPE (WhDataRecent, wh_data_recent, WH, DATA_RECENT, AdwPreferencesGroup)

/* Lists the first few of @paths (newest first) that are still there as
 * files, with their folders and when they last changed; hidden when none
 * is.  A row activated emits ::activated with its file.  Call it again to
 * see files that went away since. */
void wh_data_recent_set_paths (WhDataRecent       *self,
                               const char * const *paths);

G_END_DECLS
