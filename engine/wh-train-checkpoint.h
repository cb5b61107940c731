/* wh-train-checkpoint.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-adapter.h"
#include "wh-train-step.h"

G_BEGIN_DECLS

/* A checkpoint is a folder of the run's checkpoints/: the PEFT adapter
 * (adapter_config.json, adapter_model.safetensors) or, in full
 * fine-tuning, the model as a Hugging Face folder, the AdamW moments
 * (optimizer.safetensors) and trainer_state.json, written in a hidden
 * folder beside it and renamed into place, so a checkpoint that is there
 * is whole.  With these and the run's recipe.json and dataset/, a run
 * resumes exactly where it was: the order of an epoch's examples depends
 * only on the seed and the epoch. */

typedef struct
{
  guint   step;          /* optimizer steps done */
  guint   epoch;         /* the epoch of the next step, 1-based */
  guint   next_example;  /* where in that epoch's order the next step starts */
  guint64 tokens;        /* tokens trained on so far */
  double  elapsed;       /* seconds of training so far */
} WhTrainState;

char     *wh_train_checkpoint_write       (const char          *run_dir,
                                           const char          *name,
                                           WhAdapter           *adapter,
                                           WhTrainStep         *step,
                                           const char          *base_model,
                                           const WhTrainState  *state,
                                           GError             **error);
/* The checkpoint with the most steps, or NULL (and no error) when the
 * run has none. */
char     *wh_train_checkpoint_find_latest (const char          *run_dir,
                                           WhTrainState        *state,
                                           GError             **error);
gboolean  wh_train_checkpoint_read_state  (const char          *checkpoint,
                                           WhTrainState        *state,
                                           GError             **error);
/* Drops the lines of metrics.jsonl after @step (and a line cut short by
 * a crash), atomically. */
gboolean  wh_train_metrics_truncate       (const char          *path,
                                           guint                step,
                                           GError             **error);

G_END_DECLS
