/* wh-train-run.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-model-info.h"
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

/* Frees the checkpoint string of a copy that owns it: the clear
 * function of an array of them. */
void     wh_train_progress_clear (gpointer progress);

typedef void (*WhTrainProgressFunc) (const WhTrainProgress *progress,
                                     gpointer               user_data);
/* Called on the training thread before each optimizer step: it may wait
 * there (a pause) and run other work on the device (a playground
 * request). */
typedef void (*WhTrainIdleFunc)     (gpointer               user_data);

typedef struct
{
  WhTrainProgressFunc progress;       /* after each step */
  WhTrainIdleFunc     between_steps;
  gpointer            user_data;
} WhTrainCallbacks;

/* Learning rate at optimizer step @step (0-based) as transformers'
 * get_{constant,linear,cosine}_schedule_with_warmup computes it. */
double   wh_train_learning_rate (const WhRecipe  *recipe,
                                 guint            step,
                                 guint            total_steps);

/* @run_dir is created if needed; it receives recipe.json (the values
 * used), dataset/, metrics.jsonl, checkpoints/epoch-N/ (and step-N/ every
 * train.save_every_steps) and, unless the recipe names an output_dir,
 * adapter/.  When @cancellable is cancelled, the run writes a checkpoint
 * of the steps done since the last one (step-N/) and fails with
 * G_IO_ERROR_CANCELLED. */
gboolean wh_train_run           (WhClContext            *ctx,
                                 const WhRecipe         *recipe,
                                 const char             *run_dir,
                                 const WhTrainCallbacks *callbacks,
                                 GCancellable           *cancellable,
                                 GError                **error);
/* Continues the run in @run_dir from its latest checkpoint (from the
 * start when it stopped before the first), with its own copy of the
 * recipe and the data: the losses that follow are those the run would
 * have had if it had never stopped. */
gboolean wh_train_resume        (WhClContext            *ctx,
                                 const char             *run_dir,
                                 const WhTrainCallbacks *callbacks,
                                 GCancellable           *cancellable,
                                 GError                **error);

/* What the run holds its base model's projections in: the recipe's quant
 * for QLoRA, f32 (as stored) for the other methods; for
 * wh_model_load_quantized(). */
WhClDType wh_train_load_type     (const WhRecipe       *recipe);

/* The device memory a run of @recipe needs for sequences of @seq_len
 * tokens on the model @info describes, by its method: LoRA, QLoRA with
 * the recipe's quant, or full fine-tuning. */
void     wh_train_estimate_memory (const WhModelInfo    *info,
                                   const WhRecipe       *recipe,
                                   gsize                 seq_len,
                                   WhMemoryEstimate     *estimate);

/* While a run trains, its process holds an exclusive lock on
 * RUN_DIR/run.lock (flock(2); the system drops it when the process ends,
 * however it ends), so that no second process trains, resumes or deletes
 * the same run. */
#define WH_TRAIN_RUN_LOCK_FILE "run.lock"

/* Takes the lock: a file descriptor to pass to wh_train_run_unlock(), or
 * -1 with G_IO_ERROR_BUSY when another process holds it. */
int      wh_train_run_lock      (const char             *run_dir,
                                 GError                **error);
void     wh_train_run_unlock    (int                     fd);
/* Whether some process is training the run in @run_dir right now. */
gboolean wh_train_run_is_active (const char             *run_dir);

G_END_DECLS
