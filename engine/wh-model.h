/* wh-model.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-cl.h"
#include "wh-model-config.h"
#include "wh-tokenizer.h"

G_BEGIN_DECLS

/* A Llama-family model on one OpenCL device: frozen weights in their
 * compact type (f32, f16, bf16, q8_0, q4_0, q4_K, q6_K), dequantised per
 * matrix into one reusable f32 scratch before each product, and a KV cache
 * for one sequence.  All calls run on the device's compute thread (the
 * context's owner). */

typedef struct _WhModel WhModel;

/* One weight matrix (rows × cols, row-major: rows are output features) or
 * vector (rows = 1). */
typedef struct
{
  WhClBuffer *buffer;
  WhClDType   type;
  gsize       rows;
  gsize       cols;
} WhWeight;

typedef struct
{
  guint64 weights;       /* the model's tensors as stored on the device */
  guint64 scratch;       /* the dequantisation scratch */
  guint64 activations;   /* per-token buffers, for the largest batch */
  guint64 kv_cache;
} WhModelMemory;

/* @path: a Hugging Face model folder or a .gguf file.  @n_ctx: positions
 * the KV cache holds (0: the model's context, at most 4096). */
WhModel              *wh_model_load             (WhClContext          *ctx,
                                                 const char           *path,
                                                 gsize                 n_ctx,
                                                 GError              **error);
/* The same, for QLoRA: the seven projection matrices of every layer are
 * quantised on the host to @quant (nf4, q4_0 or q8_0) as they load, so
 * that only the compact form reaches the device; those already in a block
 * type (a quantised GGUF) stay as they are, and so do those whose rows are
 * not whole q4_0/q8_0 blocks (see wh_model_quantized_type()).  Embeddings,
 * the LM head and norms load as wh_model_load() loads them.  @quant f32:
 * exactly wh_model_load(). */
WhModel              *wh_model_load_quantized   (WhClContext          *ctx,
                                                 const char           *path,
                                                 gsize                 n_ctx,
                                                 WhClDType             quant,
                                                 GError              **error);
/* The type wh_model_load_quantized() holds a projection matrix of @stored
 * type with rows of @cols elements in: @quant for f32, f16 and bf16 ones
 * (whose rows are whole blocks of it, any length for nf4), else @stored. */
WhClDType             wh_model_quantized_type   (WhClDType             stored,
                                                 gsize                 cols,
                                                 WhClDType             quant);
/* A model of the given shape with random weights stored as @type (f32,
 * f16, bf16, q8_0 or q4_0) and no tokenizer: for benchmarks. */
WhModel              *wh_model_new_random       (WhClContext          *ctx,
                                                 const WhModelConfig  *config,
                                                 WhClDType             type,
                                                 guint64               seed,
                                                 gsize                 n_ctx,
                                                 GError              **error);
void                  wh_model_free             (WhModel              *model);

const WhModelConfig  *wh_model_get_config       (WhModel              *model);
WhTokenizer          *wh_model_get_tokenizer    (WhModel              *model);
const char           *wh_model_get_path         (WhModel              *model);
gsize                 wh_model_get_n_ctx        (WhModel              *model);
void                  wh_model_get_memory       (WhModel              *model,
                                                 WhModelMemory        *memory);
/* The storage types of the weight matrices, e.g. "q4_K, q6_K, f32". */
char                 *wh_model_dup_dtypes       (WhModel              *model);

/* Runs @n_tokens ids at positions [pos0, pos0 + n_tokens) of the cache,
 * which must already hold positions [0, pos0).  With @logits non-NULL,
 * writes the logits of the last @n_logits positions there (n_logits ×
 * vocab floats). */
gboolean              wh_model_forward          (WhModel              *model,
                                                 const gint32         *ids,
                                                 gsize                 n_tokens,
                                                 gsize                 pos0,
                                                 float                *logits,
                                                 gsize                 n_logits,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhModel, wh_model_free)

G_END_DECLS
