/* wh-playground-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-device.h"
#include "wh-trainer.h"

G_BEGIN_DECLS

#define WH_TYPE_PLAYGROUND_PAGE (wh_playground_page_get_type ())

G_DECLARE_FINAL_TYPE (WhPlaygroundPage, wh_playground_page, WH, PLAYGROUND_PAGE, AdwBin)

GtkWidget   *wh_playground_page_new           (void);
/* @device: (nullable): where the answers are generated; the training
 * run's own, so that they come between its steps. */
void         wh_playground_page_set_device    (WhPlaygroundPage *self,
                                               WhDevice         *device);
WhDevice    *wh_playground_page_get_device    (WhPlaygroundPage *self);
/* @trainer: (nullable): a run to follow: its folder, and its checkpoints
 * as they are saved. */
void         wh_playground_page_set_trainer   (WhPlaygroundPage *self,
                                               WhTrainer        *trainer);
/* @run_dir: (nullable): a run folder to try, with or without a trainer;
 * its recipe.json names the model and the template. */
void         wh_playground_page_set_run_dir   (WhPlaygroundPage *self,
                                               const char       *run_dir);
const char  *wh_playground_page_get_run_dir   (WhPlaygroundPage *self);
/* Reads the run's recipe and checkpoints again. */
void         wh_playground_page_reload        (WhPlaygroundPage *self);
/* Multi-turn conversations, where the run has a chat template. */
void         wh_playground_page_set_chat_mode (WhPlaygroundPage *self,
                                               gboolean          chat_mode);
gboolean     wh_playground_page_get_chat_mode (WhPlaygroundPage *self);
/* There is something to try: a device, a run that got as far as
 * training, and a checkpoint of it, its final adapter, or a run still
 * under way. */
gboolean     wh_playground_page_get_ready     (WhPlaygroundPage *self);
/* Answers are being generated. */
gboolean     wh_playground_page_get_busy      (WhPlaygroundPage *self);

G_END_DECLS
