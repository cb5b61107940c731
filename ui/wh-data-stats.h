/* wh-data-stats.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-dataset.h"

G_BEGIN_DECLS

#define WH_TYPE_DATA_STATS (wh_data_stats_get_type ())

G_DECLARE_FINAL_TYPE (WhDataStats, wh_data_stats, WH, DATA_STATS, AdwPreferencesGroup)

/* Shows the statistics of @dataset; hidden without one.  Without token
 * counts, @counts_tokens says whether they are to come (a tokenizer is
 * set) or need a model chosen first. */
void wh_data_stats_set_dataset (WhDataStats *self,
                                WhDataset   *dataset,
                                gboolean     counts_tokens);

G_END_DECLS
