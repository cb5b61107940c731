/* wh-model-config.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-gguf.h"

G_BEGIN_DECLS

/* The shape and numerics of a Llama-family model, from a Hugging Face
 * config.json or from GGUF metadata. */

#define WH_MODEL_ERROR (wh_model_error_quark ())

typedef enum
{
  WH_MODEL_ERROR_OPEN,         /* missing or unreadable file */
  WH_MODEL_ERROR_CONFIG,       /* config without a required key, or a wrong value: names the key */
  WH_MODEL_ERROR_UNSUPPORTED,  /* an architecture or option Whetstone does not run */
  WH_MODEL_ERROR_WEIGHTS,      /* missing, misshapen or damaged weights: names the tensor */
  WH_MODEL_ERROR_MEMORY,       /* does not fit the device: gives the numbers */
} WhModelError;

typedef enum
{
  WH_MODEL_ARCH_LLAMA,         /* Llama, Mistral, SmolLM, TinyLlama */
  WH_MODEL_ARCH_QWEN2,         /* Llama with q/k/v biases */
} WhModelArch;

typedef enum
{
  WH_ROPE_SCALING_NONE,
  WH_ROPE_SCALING_LINEAR,
  WH_ROPE_SCALING_LLAMA3,
} WhRopeScaling;

typedef struct
{
  WhModelArch    arch;
  char          *architecture;        /* "LlamaForCausalLM", or GGUF's "llama" */
  guint          vocab_size;
  guint          hidden_size;
  guint          intermediate_size;
  guint          n_layers;
  guint          n_heads;
  guint          n_kv_heads;
  guint          head_dim;
  guint          max_position_embeddings;
  double         rms_norm_eps;
  double         rope_theta;
  WhRopeScaling  rope_scaling;
  double         rope_factor;
  double         rope_low_freq_factor;     /* llama3 */
  double         rope_high_freq_factor;    /* llama3 */
  guint          rope_original_max_position; /* llama3 */
  gboolean       tie_word_embeddings;
  gboolean       attention_bias;      /* q/k/v (and for Llama also o) projections have biases */
  gboolean       o_proj_bias;
} WhModelConfig;

GQuark   wh_model_error_quark            (void);

/* Reads config.json; unknown keys are ignored, missing required ones are
 * errors naming the key. */
gboolean wh_model_config_load_json       (WhModelConfig        *config,
                                          const char           *path,
                                          GError              **error);
/* Reads the general.architecture and <arch>.* keys. */
gboolean wh_model_config_load_gguf       (WhModelConfig        *config,
                                          WhGguf               *gguf,
                                          GError              **error);
void     wh_model_config_clear           (WhModelConfig        *config);

/* The rotary frequencies of the head_dim / 2 pairs, scaling applied as
 * transformers applies it. */
void     wh_model_config_rope_inv_freq   (const WhModelConfig  *config,
                                          float                *inv_freq);
/* Parameters, counting tied embeddings once. */
guint64  wh_model_config_n_params        (const WhModelConfig  *config);

G_END_DECLS
