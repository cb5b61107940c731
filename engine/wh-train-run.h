/* wh-train-run.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-recipe.h"
#include "wh-cl.h"

G_BEGIN_DECLS

/* A LoRA training run from a recipe, on the calling thread (the device's
 * compute thread in the app; the command line's own thread in
 * whetstone-cli): dataset import into the run folder, tokenisation with
 * the model's chat template and assistant mask, shuffled epochs,
 * gradient accumulation, warm-up and schedule, clipping and AdamW,
 * validation loss, metrics.jsonl, a PEFT checkpoint per epoch and the
 * final adapter.  Everything the run writes is written atomically. */

typedef struct
{
  guint   step;            /* optimizer steps done */
  guint   total_steps;
  guint   epoch;           /* 1-based */
  guint   n_epochs;
  double  loss;            /* mean over the step's target tokens */
  double  val_loss;        /* NAN when not measured at this step */
  double  learning_rate;
  double  grad_norm;
  double  tokens_per_second;
  double  elapsed;         /* seconds */
  double  eta;             /* seconds */
  guint64 device_memory;
  guint64 device_memory_peak;
  const char *checkpoint;  /* the folder written at this step, or NULL */
} WhTrainProgress;

typedef void (*WhTrainProgressFunc) (const WhTrainProgress *progress,
                                     gpointer               user_data);

/* Learning rate at optimizer step @step (0-based) as transformers'
 * get_{constant,linear,cosine}_schedule_with_warmup computes it. */
double   wh_train_learning_rate (const WhRecipe  *recipe,
                                 guint            step,
                                 guint            total_steps);

/* @run_dir is created if needed; it receives recipe.json (the values
 * used), dataset/, metrics.jsonl, checkpoints/epoch-N/ and, unless the
 * recipe names an output_dir, adapter/. */
gboolean wh_train_run           (WhClContext          *ctx,
                                 const WhRecipe       *recipe,
                                 const char           *run_dir,
                                 WhTrainProgressFunc   func,
                                 gpointer              user_data,
                                 GCancellable         *cancellable,
                                 GError              **error);

G_END_DECLS
