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

G_BEGIN_DECLS

/* What a run folder holds, read by those who use a run rather than
 * train it (the playground, the exporters): its checkpoints, the
 * template its examples were rendered with, and copies of its
 * adapters. */

typedef struct
{
  char     *name;        /* the folder's name: "epoch-2", "step-300" */
  char     *path;
  guint     step;        /* optimizer steps done */
  guint     epoch;       /* from an "epoch-N" name; 0 for the others */
  guint     in_epoch;    /* the epoch it was saved in; 0 when not known */
  gboolean  is_adapter;  /* a PEFT adapter; else the whole model (full fine-tuning) */
} WhRunCheckpoint;

void             wh_run_checkpoint_free          (WhRunCheckpoint  *checkpoint);

/* The whole checkpoints of @run_dir (of WhRunCheckpoint), by step; none
 * (and no error) when the run has not saved one yet.  Folders a crash
 * left half-written are not listed. */
GPtrArray       *wh_run_folder_list_checkpoints  (const char       *run_dir,
                                                  GError          **error);
/* adapter_config.json and adapter_model.safetensors are both there. */
gboolean         wh_run_folder_is_adapter        (const char       *dir);
/* The chat template the run renders its examples with, as training
 * chooses it: the one @recipe names, else the tokenizer's.  NULL with no
 * error when the run trains on plain text, or the model has none. */
WhChatTemplate  *wh_run_folder_dup_chat_template (const WhRecipe    *recipe,
                                                  WhTokenizer       *tokenizer,
                                                  GError           **error);

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
