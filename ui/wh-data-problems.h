/* wh-data-problems.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-dataset.h"

G_BEGIN_DECLS

#define WH_TYPE_DATA_PROBLEMS (wh_data_problems_get_type ())

G_DECLARE_FINAL_TYPE (WhDataProblems, wh_data_problems, WH, DATA_PROBLEMS, AdwPreferencesGroup)

/* Lists the problems of @dataset, imported from @file, whose rows it
 * shows when asked; hidden when there are none.  @dataset: (nullable):
 * none, hidden. */
void wh_data_problems_set_dataset (WhDataProblems *self,
                                   WhDataset      *dataset,
                                   GFile          *file);

G_END_DECLS
