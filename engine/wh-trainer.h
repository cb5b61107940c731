/* wh-trainer.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-device.h"
#include "wh-train-run.h"

G_BEGIN_DECLS

typedef enum
{
  WH_TRAINER_STATE_IDLE,
  WH_TRAINER_STATE_PREPARING,  /* loading the model, importing the data */
  WH_TRAINER_STATE_RUNNING,
  WH_TRAINER_STATE_PAUSED,
  WH_TRAINER_STATE_FINISHED,
  WH_TRAINER_STATE_CANCELLED,  /* stopped; the checkpoints are kept */
  WH_TRAINER_STATE_FAILED,
} WhTrainerState;

#define WH_TYPE_TRAINER_STATE (wh_trainer_state_get_type ())
#define WH_TYPE_TRAINER (wh_trainer_get_type ())

GType wh_trainer_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (WhTrainer, wh_trainer, WH, TRAINER, GObject)

WhTrainer             *wh_trainer_new                   (WhDevice        *device);
WhTrainerState         wh_trainer_get_state             (WhTrainer       *self);
const char            *wh_trainer_get_run_dir           (WhTrainer       *self);
/* Why the run failed (state FAILED), or how it stopped (CANCELLED). */
const GError          *wh_trainer_get_error             (WhTrainer       *self);
/* The latest step, or NULL before the first. */
const WhTrainProgress *wh_trainer_get_progress          (WhTrainer       *self);
/* Every step so far, in order (of WhTrainProgress). */
GArray                *wh_trainer_get_history           (WhTrainer       *self);

gboolean               wh_trainer_start                 (WhTrainer       *self,
                                                         const WhRecipe  *recipe,
                                                         const char      *run_dir,
                                                         GError         **error);
gboolean               wh_trainer_start_from_checkpoint (WhTrainer       *self,
                                                         const char      *run_dir,
                                                         GError         **error);
void                   wh_trainer_pause                 (WhTrainer       *self);
void                   wh_trainer_resume                (WhTrainer       *self);
/* Writes a checkpoint of the steps since the last one, then stops. */
void                   wh_trainer_stop                  (WhTrainer       *self);

G_END_DECLS
