/* wh-goal-advanced.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-recipe.h"

G_BEGIN_DECLS

#define WH_TYPE_GOAL_ADVANCED (wh_goal_advanced_get_type ())

G_DECLARE_FINAL_TYPE (WhGoalAdvanced, wh_goal_advanced, WH, GOAL_ADVANCED, AdwExpanderRow)

/* The Goal step's Advanced section: a row for every recipe value the
 * user may change (each named as the recipe file's key), changing the
 * recipe it is given as the user edits them; ::changed after each. */
void wh_goal_advanced_set_recipe (WhGoalAdvanced *self,
                                  WhRecipe       *recipe);
void wh_goal_advanced_sync       (WhGoalAdvanced *self);
void wh_goal_advanced_commit     (WhGoalAdvanced *self);

G_END_DECLS
