/* wh-model-info.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-cl-dequant.h"
#include "wh-model-config.h"
#include "wh-tokenizer.h"

G_BEGIN_DECLS

/* What a model file holds and what it needs, read without loading the
 * weights: for `whetstone-cli inspect` and the Model screen. */

typedef struct
{
  WhModelConfig   config;
  char           *format;          /* "safetensors" or "gguf" */
  guint64         n_params;
  guint64         weight_bytes;    /* as stored, which is what the device holds */
  char           *dtypes;          /* storage types of the weights, e.g. "bf16" or "q4_K, q6_K, f32" */
  WhTokenizer    *tokenizer;       /* NULL when the model has none */
  char           *template_family; /* NULL when none is recognised */
} WhModelInfo;

typedef struct
{
  guint64 weights;
  guint64 kv_cache;
  guint64 activations;
  guint64 adapter;        /* LoRA parameters, gradients and AdamW state */
  guint64 total;
} WhMemoryEstimate;

gboolean wh_model_info_load          (WhModelInfo        *info,
                                      const char         *path,
                                      GError            **error);
void     wh_model_info_clear         (WhModelInfo        *info);
/* The same, on a worker thread: a new WhModelInfo, to free with
 * wh_model_info_free(). */
void         wh_model_info_load_async  (const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
WhModelInfo *wh_model_info_load_finish (GAsyncResult        *result,
                                        GError             **error);
void         wh_model_info_free        (WhModelInfo         *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WhModelInfo, wh_model_info_clear)

/* Device memory to generate with a context of @seq_len tokens. */
void     wh_model_info_estimate_inference (const WhModelInfo *info,
                                           gsize              seq_len,
                                           WhMemoryEstimate  *estimate);
/* The same with the projections quantised to @quant as
 * wh_model_load_quantized() holds them (f32: as stored). */
void     wh_model_info_estimate_inference_quantized (const WhModelInfo *info,
                                                     WhClDType          quant,
                                                     gsize              seq_len,
                                                     WhMemoryEstimate  *estimate);
/* Device memory to train a rank-16 LoRA on all seven projections with
 * sequences of @seq_len tokens, batch 1, per-layer checkpointing. */
void     wh_model_info_estimate_lora      (const WhModelInfo *info,
                                           gsize              seq_len,
                                           WhMemoryEstimate  *estimate);
void     wh_model_info_estimate_training  (const WhModelInfo *info,
                                           gboolean           full,
                                           guint              rank,
                                           guint              targets,
                                           gsize              seq_len,
                                           WhMemoryEstimate  *estimate);
/* The same for QLoRA: a LoRA on the weights with their projections
 * quantised to @quant. */
void     wh_model_info_estimate_qlora     (const WhModelInfo *info,
                                           WhClDType          quant,
                                           guint              rank,
                                           guint              targets,
                                           gsize              seq_len,
                                           WhMemoryEstimate  *estimate);

G_END_DECLS
