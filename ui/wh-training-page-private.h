/* wh-training-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-loss-chart.h"
#include "wh-training-checkpoints.h"
#include "wh-training-page.h"

G_BEGIN_DECLS

/* The page is split by concern: wh-training-page.c follows the trainer
 * and keeps the run as shown, wh-training-page-status.c says where the
 * run is, and wh-training-page-desktop.c asks the desktop to keep the
 * computer awake, to tell of a run that ended, and to open folders. */

struct _WhTrainingPage
{
  AdwBin           parent_instance;

  WhTrainer           *trainer;
  char                *run_dir;         /* shown without a trainer, or NULL */
  WhTrainerState       run_state;       /* of that run: finished or cancelled */
  gboolean             can_resume;      /* that run */
  gboolean             elsewhere;       /* that run is being trained by another process */
  WhTrainerState       state;           /* as last shown */
  gboolean             want_pause;      /* asked for, or paused */
  GArray              *history;         /* of WhTrainProgress, the run as shown */
  char                *history_run_dir;
  guint                n_seen;          /* of the trainer's history, copied */
  gboolean             restarted;       /* since the last copy */

  GtkApplication      *inhibit_app;
  guint                inhibit_cookie;
  GtkRoot             *root;            /* watched for its application */
  gulong               root_app_handler;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkLabel            *status_label;
  GtkLabel            *detail_label;
  GtkWidget           *error_box;
  GtkLabel            *error_label;
  GtkWidget           *hint_box;
  GtkLabel            *hint_label;
  GtkWidget           *run_box;
  WhLossChart         *chart;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkWidget           *controls_box;
  GtkWidget           *pause_button;
  AdwButtonContent    *pause_content;
  GtkLabel            *speed_label;
  GtkLabel            *elapsed_label;
  GtkLabel            *memory_label;
  WhTrainingCheckpoints *checkpoints_group;
};

/* wh-training-page.c */
gboolean               _wh_training_page_is_active             (WhTrainerState  state);
/* The trainer's, or that of the run shown without one. */
WhTrainerState         _wh_training_page_get_state             (WhTrainingPage *self);
/* Resume continues the run: the trainer's, or one shown without it. */
gboolean               _wh_training_page_can_resume            (WhTrainingPage *self);
/* The latest step shown, NULL before the first. */
const WhTrainProgress *_wh_training_page_get_latest            (WhTrainingPage *self);
void                   _wh_training_page_toast                 (WhTrainingPage *self,
                                                                const char     *message);

/* wh-training-page-status.c */
void                   _wh_training_page_update_status         (WhTrainingPage *self);
void                   _wh_training_page_update_numbers        (WhTrainingPage *self);
void                   _wh_training_page_update_hint           (WhTrainingPage *self);
void                   _wh_training_page_update_pause_button   (WhTrainingPage *self);

/* wh-training-page-desktop.c */
/* Keeps the computer from suspending while the run is active. */
void                   _wh_training_page_update_inhibit        (WhTrainingPage *self);
void                   _wh_training_page_withdraw_notification (WhTrainingPage *self);
/* In the file manager; a toast says why not. */
void                   _wh_training_page_open_folder           (WhTrainingPage *self,
                                                                const char     *path);

/* “45 seconds”, “3 minutes”, “1 hour 5 minutes”. */
char         *_wh_training_format_duration         (double          seconds);
/* “Less than a minute left”, “About 3 minutes left”. */
char         *_wh_training_format_time_left        (double          seconds);
/* The plain-language hint shown once the last two validation losses of
 * @history (of WhTrainProgress) are both above the lowest, naming the
 * first checkpoint at or after that lowest one; NULL otherwise. */
char         *_wh_training_memorising_hint         (GArray         *history);

WhLossChart  *_wh_training_page_get_chart          (WhTrainingPage *self);
const char   *_wh_training_page_get_status_text    (WhTrainingPage *self);
const char   *_wh_training_page_get_progress_text  (WhTrainingPage *self);
/* NULL while hidden. */
const char   *_wh_training_page_get_hint_text      (WhTrainingPage *self);
const char   *_wh_training_page_get_error_text     (WhTrainingPage *self);
GtkWidget    *_wh_training_page_get_pause_button   (WhTrainingPage *self);
/* The folder names of the checkpoints listed, in order. */
char        **_wh_training_page_dup_checkpoints    (WhTrainingPage *self);

G_END_DECLS
