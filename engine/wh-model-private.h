/* wh-model-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-adapter.h"
#include "wh-model.h"

G_BEGIN_DECLS

/* Tokens run through the layers at once; longer prompts go in batches. */
#define WH_MODEL_MAX_BATCH 256

typedef struct
{
  WhWeight attn_norm;
  WhWeight ffn_norm;
  WhWeight wq, wk, wv, wo;
  WhWeight bq, bk, bv, bo;   /* buffer NULL when absent */
  WhWeight w_gate, w_up, w_down;
} WhLayer;

struct _WhModel
{
  WhClContext   *ctx;
  char          *path;
  WhModelConfig  config;
  WhTokenizer   *tokenizer;

  WhWeight       embed;        /* (vocab, hidden), any type */
  WhWeight       output;       /* (vocab, hidden); shares embed's buffer when tied */
  WhWeight       final_norm;
  WhLayer       *layers;
  WhClDType      quant;        /* projections quantised to this on load; f32: as stored */
  WhClBuffer    *inv_freq;     /* head_dim / 2 */
  guint64        weight_bytes;

  /* Dequantisation scratch, f32, sized for the largest layer matrix. */
  WhClBuffer    *scratch;
  gsize          scratch_floats;

  gsize          n_ctx;
  WhClBuffer   **k_cache;      /* per layer: (n_ctx, n_kv_heads, head_dim) */
  WhClBuffer   **v_cache;

  /* Activations for up to act_tokens tokens */
  gsize          act_tokens;
  WhClBuffer    *ids;
  WhClBuffer    *x, *h, *q, *k, *v, *attn, *gate, *up;
  gsize          logit_rows;
  WhClBuffer    *logits;
  WhClBuffer    *stage_in, *stage_out;   /* processors: matvec chunks */

  /* The LoRA adapter in use (not owned) and its (batch, r) intermediate */
  WhAdapter     *adapter;
  WhClBuffer    *lora_tmp;
};

gboolean _wh_model_alloc_activations (WhModel  *model,
                                      gsize     n_tokens,
                                      gsize     n_logits,
                                      GError  **error);
void     _wh_model_free_activations  (WhModel  *model);
/* Refuses, with the numbers, a model of @weight_bytes (and its cache and
 * activations) that the device cannot hold, before anything is made. */
gboolean _wh_model_check_fits        (WhModel  *model,
                                      guint64   weight_bytes,
                                      GError  **error);
/* The KV cache for model->n_ctx positions. */
gboolean _wh_model_alloc_cache       (WhModel  *model,
                                      GError  **error);

G_END_DECLS
