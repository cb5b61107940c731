/* wh-run-folder.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-recipe.h"
#include "wh-tokenizer.h"
#include "wh-train-run.h"

G_BEGIN_DECLS

/* What a run folder holds, read by those who use a run rather than
 * train it (the playground, the exporters, the Start screen): its
 * checkpoints and result, its history, the template its examples were
 * rendered with, and copies of its adapters. */

typedef struct
{
  char     *name;        /* the folder's name: "epoch-2", "step-300" */
  char     *path;
  guint     step;        /* optimizer steps done */
  guint     epoch;       /* from an "epoch-N" name; 0 for the others */
  guint     in_epoch;    /* the epoch it was saved in; 0 when not known */
  gboolean  is_adapter;  /* a PEFT adapter; else the whole model (full fine-tuning) */
  gboolean  is_result;   /* the run's final adapter/ or model/, not a checkpoint */
} WhRunCheckpoint;

void             wh_run_checkpoint_free          (WhRunCheckpoint  *checkpoint);

/* The whole checkpoints of @run_dir (of WhRunCheckpoint), by step; none
 * (and no error) when the run has not saved one yet.  Folders a crash
 * left half-written are not listed. */
GPtrArray       *wh_run_folder_list_checkpoints  (const char       *run_dir,
                                                  GError          **error);
/* The run's result once it finished: the adapter/ (or, in full
 * fine-tuning, the model/) it wrote in @output_dir, the recipe's, or in
 * @run_dir when that is NULL; named after its folder, with the steps of
 * the run's latest checkpoint.  NULL while there is none. */
WhRunCheckpoint *wh_run_folder_find_result       (const char       *run_dir,
                                                  const char       *output_dir);
/* Every step of metrics.jsonl, in order (of WhTrainProgress, whose
 * checkpoint member the array frees): what training reported, but the
 * device memory, which it does not keep, and the time left.  A line cut
 * short by a crash is passed over; none (and no error) before the first
 * step. */
GArray          *wh_run_folder_read_metrics      (const char       *run_dir,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
/* The same, with each checkpoint of the run on the step that wrote it,
 * as WhTrainer's history has them. */
GArray          *wh_run_folder_read_history      (const char       *run_dir,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
/* adapter_config.json and adapter_model.safetensors are both there. */
gboolean         wh_run_folder_is_adapter        (const char       *dir);
/* The chat template the run renders its examples with, as training
 * chooses it: the one @recipe names, else the tokenizer's.  NULL with no
 * error when the run trains on plain text, or the model has none. */
WhChatTemplate  *wh_run_folder_dup_chat_template (const WhRecipe    *recipe,
                                                  WhTokenizer       *tokenizer,
                                                  GError           **error);

/* The system prompt every example of the run's training copy
 * (dataset/train.jsonl) opens with, as far as its first 64 examples
 * show; NULL when they have none or differ.  The playground asks with it
 * when the recipe sets none, as the examples were trained with it. */
char            *wh_run_folder_dup_shared_system_prompt (const char *run_dir);

/* Copies the PEFT adapter in @src (its adapter_config.json and
 * adapter_model.safetensors, not the training state beside them) to the
 * folder @dest, whose parent must exist.  The files are written into a
 * hidden sibling of @dest, synced, and renamed into place, so @dest is
 * either whole or not there.  An existing @dest that is not an empty
 * folder fails with G_IO_ERROR_EXISTS unless @replace. */
gboolean         wh_adapter_folder_copy          (const char       *src,
                                                  const char       *dest,
                                                  gboolean          replace,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhRunCheckpoint, wh_run_checkpoint_free)

G_END_DECLS
