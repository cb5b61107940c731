/* wh-goal-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-cl-device.h"
#include "wh-dataset.h"
#include "wh-model-info.h"
#include "wh-recipe.h"

G_BEGIN_DECLS

/* How long to train: the three plain choices of the Goal screen. */
typedef enum
{
  WH_GOAL_LENGTH_SHORT,
  WH_GOAL_LENGTH_NORMAL,
  WH_GOAL_LENGTH_THOROUGH,
} WhGoalLength;

/* How closely to imitate the examples. */
typedef enum
{
  WH_GOAL_CLOSENESS_LOOSELY,
  WH_GOAL_CLOSENESS_BALANCED,
  WH_GOAL_CLOSENESS_CLOSELY,
} WhGoalCloseness;

#define WH_TYPE_GOAL_PAGE (wh_goal_page_get_type ())

G_DECLARE_FINAL_TYPE (WhGoalPage, wh_goal_page, WH, GOAL_PAGE, AdwBin)

GtkWidget  *wh_goal_page_new               (void);
const char *wh_goal_page_get_preset_id     (WhGoalPage            *self);
void        wh_goal_page_set_preset_id     (WhGoalPage            *self,
                                            const char            *preset_id);
gboolean    wh_goal_page_get_ready         (WhGoalPage            *self);
void        wh_goal_page_set_model_info    (WhGoalPage            *self,
                                            const WhModelInfo     *info);
void        wh_goal_page_set_dataset_stats (WhGoalPage            *self,
                                            const WhDatasetStats  *stats);
void        wh_goal_page_set_device        (WhGoalPage            *self,
                                            const WhClDeviceInfo  *device);
gboolean    wh_goal_page_build_recipe      (WhGoalPage            *self,
                                            WhRecipe              *out,
                                            GError               **error);

G_END_DECLS
