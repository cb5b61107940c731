/* wh-training-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-loss-chart.h"
#include "wh-training-page.h"

G_BEGIN_DECLS

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
