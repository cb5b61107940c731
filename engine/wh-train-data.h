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
  GArray *seg;       /* gint32, the example of each token; NULL: not packed */
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

/* Sequence packing: @sequences (not packed) combined into sequences of
 * at most @max_len tokens, first-fit in order of decreasing length (ties
 * in their order), each holding its examples in the order they are
 * packed, with their token ranges in seg (0, 1, …).  Deterministic; the
 * result holds copies, and every sequence exactly once. */
GPtrArray *wh_train_data_pack     (GPtrArray        *sequences,
                                   gsize             max_len);

G_END_DECLS
