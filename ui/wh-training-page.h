/* wh-training-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-run-list.h"
#include "wh-trainer.h"

G_BEGIN_DECLS

#define WH_TYPE_TRAINING_PAGE (wh_training_page_get_type ())

G_DECLARE_FINAL_TYPE (WhTrainingPage, wh_training_page, WH, TRAINING_PAGE, AdwBin)

GtkWidget  *wh_training_page_new                 (void);
/* @trainer: (nullable): the run to show; the page follows its signals,
 * and keeps the computer from suspending while it trains. */
void        wh_training_page_set_trainer         (WhTrainingPage  *self,
                                                  WhTrainer       *trainer);
WhTrainer  *wh_training_page_get_trainer         (WhTrainingPage  *self);
/* Shows the run @info describes as it was left, without a trainer:
 * finished, or stopped and offered for resuming (by the page's ::resume)
 * when it can be.  @history: its steps (of WhTrainProgress), as
 * wh_run_folder_read_history() reads them; copied.  Setting a trainer
 * shows the trainer's run again. */
void        wh_training_page_show_run            (WhTrainingPage  *self,
                                                  const WhRunInfo *info,
                                                  GArray          *history);
/* The folder of the run shown, or NULL. */
const char *wh_training_page_get_run_dir         (WhTrainingPage  *self);
/* Preparing, running or paused: closing the window would stop it. */
gboolean    wh_training_page_is_busy             (WhTrainingPage  *self);
/* Sends a desktop notification that the run finished (or failed) when
 * it has and the page's window is not the active one.  The page does so
 * itself when the run ends; calling it again replaces the notification. */
void        wh_training_page_notify_if_unfocused (WhTrainingPage  *self);

G_END_DECLS
