/* wh-data-preview.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-dataset.h"

G_BEGIN_DECLS

#define WH_TYPE_DATA_PREVIEW (wh_data_preview_get_type ())

G_DECLARE_FINAL_TYPE (WhDataPreview, wh_data_preview, WH, DATA_PREVIEW, AdwPreferencesGroup)

/* Shows the first examples of @dataset; hidden when there are none.
 * @dataset: (nullable): none. */
void wh_data_preview_set_dataset (WhDataPreview *self,
                                  WhDataset     *dataset);

G_END_DECLS
