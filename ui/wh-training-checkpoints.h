/* wh-training-checkpoints.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-train-run.h"

G_BEGIN_DECLS

#define WH_TYPE_TRAINING_CHECKPOINTS (wh_training_checkpoints_get_type ())

G_DECLARE_FINAL_TYPE (WhTrainingCheckpoints, wh_training_checkpoints, WH, TRAINING_CHECKPOINTS, AdwPreferencesGroup)

/* Lists the checkpoint that the step @p wrote (p->checkpoint), after
 * those of earlier steps. */
void    wh_training_checkpoints_add         (WhTrainingCheckpoints *self,
                                             const WhTrainProgress *p);
/* Forgets those of @step and later ones. */
void    wh_training_checkpoints_remove_from (WhTrainingCheckpoints *self,
                                             guint                  step);
guint   wh_training_checkpoints_get_n       (WhTrainingCheckpoints *self);
/* Their folder names, in order. */
char  **wh_training_checkpoints_dup_names   (WhTrainingCheckpoints *self);

G_END_DECLS
