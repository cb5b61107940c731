/* wh-window-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-device.h"
#include "wh-goal-page.h"
#include "wh-model-page.h"
#include "wh-playground-page.h"
#include "wh-start-page.h"
#include "wh-trainer.h"
#include "wh-training-page.h"
#include "wh-window.h"

G_BEGIN_DECLS

/* The window is split by concern: wh-window.c holds the steps and their
 * navigation, wh-window-device.c the search for the device to train on,
 * and wh-window-runs.c the runs: training, resuming and opening them. */

/* The steps of a fine-tune, in order: the pages of main_stack. */
typedef enum
{
  STEP_START,
  STEP_MODEL,
  STEP_DATA,
  STEP_GOAL,
  STEP_TRAINING,
  STEP_PLAYGROUND,
  N_STEPS
} Step;

struct _WhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  WhClDeviceInfo       *device;
  WhWindowDeviceState   device_state;
  GtkWidget            *data_page;      /* a WhDataPage, or NULL */
  WhDevice             *compute;        /* the device's compute thread, once a run is trained or tried */
  WhTrainer            *trainer;
  gboolean              close_after_stop;
  WhRecipe              recipe;         /* built when leaving the Goal step */
  gboolean              has_recipe;
  gboolean              from_start;     /* the Training step came from the Start one */
  GCancellable         *open_cancellable; /* of the run being opened */
  char                 *welcome_text;   /* hidden while runs are listed */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkStack             *main_stack;
  WhModelPage          *model_page;
  AdwBin               *data_bin;
  WhGoalPage           *goal_page;
  WhTrainingPage       *training_page;
  WhPlaygroundPage     *playground_page;
  AdwStatusPage        *welcome_page;
  WhStartPage          *start_page;
  GtkStack             *device_stack;
  GtkSpinner           *device_spinner;
  AdwActionRow         *device_row;
  GtkImage             *device_icon;
  AdwActionRow         *problem_row;
};

/* wh-window.c */
void      _wh_window_set_step                (WhWindow   *self,
                                              Step        step);
void      _wh_window_update_actions          (WhWindow   *self);
void      _wh_window_notify_device_state     (WhWindow   *self);
/* A toast with @message as it is, not as markup. */
void      _wh_window_toast                   (WhWindow   *self,
                                              const char *message);

/* wh-window-device.c */
/* Looks for the device on a worker thread, the one the settings name
 * first. */
void      _wh_window_discover_device         (WhWindow   *self);
/* Another device chosen in Preferences. */
void      _wh_window_device_setting_cb       (WhWindow   *self);

/* wh-window-runs.c */
/* Follows the runs folder of the settings, and the Start and Training
 * steps' requests to open and resume runs. */
void      _wh_window_init_runs               (WhWindow   *self);
/* The device's compute thread, started on first use; the Try It step
 * answers on it too. */
gboolean  _wh_window_ensure_compute          (WhWindow   *self,
                                              GError    **error);
/* Trains the recipe built at the Goal step, in a new run folder. */
gboolean  _wh_window_start_training          (WhWindow   *self,
                                              GError    **error);

G_END_DECLS
