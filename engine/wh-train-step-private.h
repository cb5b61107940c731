/* wh-train-step-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-model-private.h"
#include "wh-train-step.h"

G_BEGIN_DECLS

/* Vocabulary columns of the LM head done at once. */
#define WH_TRAIN_LM_CHUNK 4096

/* One trained tensor: the parameter (a buffer of the adapter or the
 * model, not owned), and its gradient and AdamW moments (owned by the
 * step), all f32 of n floats. */
typedef struct
{
  char       *name;            /* PEFT or Hugging Face tensor name */
  WhClBuffer *param;
  WhClBuffer *grad;
  WhClBuffer *m, *v;           /* exp_avg, exp_avg_sq */
  gsize       n;
  guint64     shape[2];
  guint       n_dims;
} WhTrainParam;

/* Full fine-tuning: every weight of one layer.  bias[t] is NULL where the
 * projection has none. */
typedef struct
{
  WhTrainParam *w[WH_LORA_N_TARGETS];
  WhTrainParam *bias[WH_LORA_N_TARGETS];
  WhTrainParam *attn_norm, *ffn_norm;
} WhTrainFullLayer;

/* One layer's activations, recomputed for backward. */
typedef struct
{
  WhClBuffer *h1, *q, *k, *v, *attn, *lse, *x2, *h2, *g, *u, *s;
  WhClBuffer *mid[WH_LORA_N_TARGETS];   /* (T, r) */
} WhTrainActs;

struct _WhTrainStep
{
  WhModel           *model;
  WhClContext       *ctx;
  gsize              max_tokens;

  /* Every trained tensor, in a fixed order (the optimizer's). */
  GPtrArray         *params;
  GHashTable        *by_name;

  /* LoRA: adapter NULL in full fine-tuning */
  WhAdapter         *adapter;
  guint              rank;
  float              lora_scale;
  WhTrainParam     *(*lora)[WH_LORA_N_TARGETS][2];   /* n_layers × targets × {A, B} */
  float              dropout;         /* on the adapter's input, in accumulate() only */
  guint32            dropout_seed;
  gboolean           training;        /* in accumulate(), not in loss() */
  WhClBuffer        *xdrop;           /* (T, max in) the dropped-out input, then dm·A */

  /* Full fine-tuning: NULL with an adapter */
  WhTrainFullLayer  *full;
  WhTrainParam      *embed, *final_norm, *output;    /* output NULL when tied */
  WhClBuffer        *ones;                            /* (T) for bias gradients */

  WhClBuffer        *ids, *targets;
  WhClBuffer        *seg, *positions;  /* (T) ints, of a packed sequence */
  gboolean           packed;          /* the sequence in hand is packed */
  WhClBuffer       **ckpt;            /* n_layers + 1, (T, hidden) */
  WhTrainActs        acts;
  /* Backward scratch */
  WhClBuffer        *dx, *dh, *dx2, *dq, *dk, *dv, *dattn, *dg, *du, *ds, *dmid, *delta;
  /* LM head */
  WhClBuffer        *hf, *logits, *stats, *losses;
  GPtrArray         *owned;           /* every buffer above, for freeing */
};

WhTrainStep  *_wh_train_step_alloc      (WhModel      *model,
                                         WhAdapter    *adapter,
                                         gsize         max_tokens);
WhClBuffer   *_wh_train_step_buffer     (WhTrainStep  *step,
                                         gsize         floats,
                                         GError      **error);
/* Adds a trained tensor of @rows × @cols (@rows 0: a vector of @cols)
 * whose values live in @param. */
WhTrainParam *_wh_train_step_add_param  (WhTrainStep  *step,
                                         const char   *name,
                                         WhClBuffer   *param,
                                         gsize         rows,
                                         gsize         cols,
                                         GError      **error);
/* The activation and scratch buffers for @step->max_tokens tokens. */
gboolean      _wh_train_step_alloc_acts (WhTrainStep  *step,
                                         GError      **error);

G_END_DECLS
