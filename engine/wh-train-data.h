/* wh-train-data.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-recipe.h"

G_BEGIN_DECLS

/* The training data of a run: the run folder's copy of a split
 * (dataset/train.jsonl or val.jsonl, as wh_dataset_import() wrote it),
 * tokenised with the model's chat template and its assistant mask. */

typedef struct
{
  GArray *ids;       /* gint32 */
  GArray *targets;   /* gint32, -1 where nothing is learned */
  guint   n_targets;
} WhTrainSequence;

void       wh_train_sequence_free (gpointer          sequence);

/* Sequences with nothing to learn are left out.  @tmpl NULL: plain text,
 * every token learned, then the end of text. */
GPtrArray *wh_train_data_read     (const char       *path,
                                   WhTokenizer      *tokenizer,
                                   WhChatTemplate   *tmpl,
                                   const WhRecipe   *recipe,
                                   GError          **error);

G_END_DECLS
