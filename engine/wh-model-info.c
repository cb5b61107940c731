/* wh-model-info.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-gguf.h"
#include "wh-adapter.h"
#include "wh-model-info.h"
#include "wh-model.h"
#include "wh-safetensors.h"

#define LORA_RANK 16

static void
add_dtype (GPtrArray  *names,
           const char *name)
{
  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
    g_ptr_array_add (names, (gpointer) name);
}

static char *
join (GPtrArray *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (const char *) g_ptr_array_index (names, i));
  return g_string_free (out, FALSE);
}

gboolean
wh_model_info_load (WhModelInfo  *info,
                    const char   *path,
                    GError      **error)
{
  g_autoptr(GPtrArray) dtypes = g_ptr_array_new ();

  memset (info, 0, sizeof *info);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *config = g_build_filename (path, "config.json", NULL);
      g_autofree char *tokenizer = g_build_filename (path, "tokenizer.json", NULL);
      g_autoptr(WhSafetensors) st = NULL;

      if (!wh_model_config_load_json (&info->config, config, error) ||
          !(st = wh_safetensors_open (path, error)))
        return FALSE;
      for (gsize i = 0; i < wh_safetensors_get_n_tensors (st); i++)
        {
          const WhSafetensorsTensor *t = wh_safetensors_get_tensor (st, i);

          info->weight_bytes += t->n_bytes;
          add_dtype (dtypes, t->dtype >= 0 ? wh_cl_dtype_to_string (t->dtype) : t->dtype_name);
        }
      if (g_file_test (tokenizer, G_FILE_TEST_EXISTS) &&
          !(info->tokenizer = wh_tokenizer_new_from_file (path, error)))
        return FALSE;
      info->format = g_strdup ("safetensors");
    }
  else
    {
      g_autoptr(WhGguf) gguf = wh_gguf_open (path, error);

      if (gguf == NULL || !wh_model_config_load_gguf (&info->config, gguf, error))
        return FALSE;
      for (gsize i = 0; i < wh_gguf_get_n_tensors (gguf); i++)
        {
          const WhGgufTensorInfo *t = wh_gguf_get_tensor (gguf, i);

          info->weight_bytes += t->n_bytes;
          add_dtype (dtypes, wh_cl_dtype_is_supported (t->type) ? wh_cl_dtype_to_string (t->type) : "?");
        }
      if (wh_gguf_has_key (gguf, "tokenizer.ggml.model") &&
          !(info->tokenizer = wh_tokenizer_new_from_gguf (gguf, error)))
        return FALSE;
      info->format = g_strdup ("gguf");
    }

  info->dtypes = join (dtypes);
  info->n_params = wh_model_config_n_params (&info->config);
  if (info->tokenizer != NULL && wh_tokenizer_get_chat_template (info->tokenizer) != NULL)
    {
      WhChatFamily family = wh_chat_family_detect (wh_tokenizer_get_chat_template (info->tokenizer));

      if (family != WH_CHAT_FAMILY_UNKNOWN)
        info->template_family = g_strdup (wh_chat_family_to_string (family));
    }
  return TRUE;
}

void
wh_model_info_clear (WhModelInfo *info)
{
  wh_model_config_clear (&info->config);
  g_clear_pointer (&info->format, g_free);
  g_clear_pointer (&info->dtypes, g_free);
  g_clear_pointer (&info->template_family, g_free);
  g_clear_pointer (&info->tokenizer, wh_tokenizer_unref);
}

void
wh_model_info_free (WhModelInfo *info)
{
  if (info == NULL)
    return;
  wh_model_info_clear (info);
  g_free (info);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WhModelInfo *info = g_new0 (WhModelInfo, 1);
  const char *path = task_data;
  GError *error = NULL;

  if (!wh_model_info_load (info, path, &error))
    {
      wh_model_info_free (info);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, info, (GDestroyNotify) wh_model_info_free);
}

/**
 * wh_model_info_load_async:
 *
 * See wh-model-info.h.  The task has no source object: it keeps nothing
 * of the caller's alive, and a caller that may be gone cancels it.
 */
void
wh_model_info_load_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wh_model_info_load_async);
  g_task_set_name (task, "[whetstone-model-info]");
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_worker);
}

WhModelInfo *
wh_model_info_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint64
kv_bytes (const WhModelConfig *c,
          gsize                seq_len)
{
  return 2ull * c->n_layers * seq_len * c->n_kv_heads * c->head_dim * sizeof (float);
}

static guint64
largest_matrix_floats (const WhModelConfig *c)
{
  return (guint64) c->intermediate_size * c->hidden_size;
}

void
wh_model_info_estimate_inference (const WhModelInfo *info,
                                  gsize              seq_len,
                                  WhMemoryEstimate  *e)
{
  const WhModelConfig *c = &info->config;
  gsize batch = MIN (seq_len, 256);

  memset (e, 0, sizeof *e);
  e->weights = info->weight_bytes + largest_matrix_floats (c) * sizeof (float);
  e->kv_cache = kv_bytes (c, seq_len);
  e->activations = (guint64) batch * (4ull * c->hidden_size + 3ull * c->n_heads * c->head_dim +
                                      2ull * c->intermediate_size) * sizeof (float) +
                   (guint64) c->vocab_size * sizeof (float);
  e->total = e->weights + e->kv_cache + e->activations;
}

/* Activations kept for backward: one layer's (recomputed layer by layer),
 * the checkpoints between layers, attention scores, and the LM head's
 * chunked logits. */
static guint64
training_activations (const WhModelConfig *c,
                      gsize                seq_len)
{
  guint64 q = (guint64) c->n_heads * c->head_dim, kv = (guint64) c->n_kv_heads * c->head_dim;
  guint64 layer_acts = (guint64) seq_len * (8ull * c->hidden_size + 4ull * q + 2ull * kv +
                                           4ull * c->intermediate_size) +
                       (guint64) c->n_heads * seq_len * seq_len;

  return (layer_acts + (guint64) c->n_layers * seq_len * c->hidden_size +
          (guint64) MIN (seq_len, 1024) * c->vocab_size) * sizeof (float);
}

/**
 * wh_model_info_estimate_training:
 * @full: every weight trained (else a LoRA of @rank on @targets)
 * @targets: a bit per WhLoraTarget
 *
 * Device memory for a training run with sequences of @seq_len tokens,
 * one at a time, with per-layer checkpointing: the weights as stored plus
 * a dequantisation scratch (or, in full fine-tuning, every weight in f32
 * with its gradient and two AdamW moments), the adapter with its
 * gradients and moments, and the activations.
 */
void
wh_model_info_estimate_training (const WhModelInfo *info,
                                 gboolean           full,
                                 guint              rank,
                                 guint              targets,
                                 gsize              seq_len,
                                 WhMemoryEstimate  *e)
{
  const WhModelConfig *c = &info->config;
  guint64 q = (guint64) c->n_heads * c->head_dim, kv = (guint64) c->n_kv_heads * c->head_dim;
  /* in + out of each projection, in WhLoraTarget order */
  const guint64 sides[WH_LORA_N_TARGETS] = {
    c->hidden_size + q, c->hidden_size + kv, c->hidden_size + kv, q + c->hidden_size,
    c->hidden_size + c->intermediate_size, c->hidden_size + c->intermediate_size,
    c->intermediate_size + c->hidden_size,
  };
  guint64 per_layer = 0;

  memset (e, 0, sizeof *e);
  e->activations = training_activations (c, seq_len);
  if (full)
    {
      /* weights, gradients, two moments */
      e->weights = info->n_params * 4 * sizeof (float);
    }
  else
    {
      for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
        if (targets & (1u << t))
          per_layer += (guint64) rank * sides[t];
      e->weights = info->weight_bytes + largest_matrix_floats (c) * sizeof (float);
      e->adapter = per_layer * c->n_layers * 4 * sizeof (float);
    }
  e->total = e->weights + e->adapter + e->activations;
}

/* Device memory to train a rank-16 LoRA on all seven projections. */
void
wh_model_info_estimate_lora (const WhModelInfo *info,
                             gsize              seq_len,
                             WhMemoryEstimate  *e)
{
  wh_model_info_estimate_training (info, FALSE, LORA_RANK, (1u << WH_LORA_N_TARGETS) - 1, seq_len, e);
}

/* The weights' bytes once wh_model_load_quantized() has quantised the
 * projections to @quant: a model stored in f32, f16 or bf16 (judged from
 * its bytes per parameter) has them replaced; one already in block types
 * (a quantised GGUF) stays as it is. */
static guint64
quantized_weight_bytes (const WhModelInfo *info,
                        WhClDType          quant)
{
  const WhModelConfig *c = &info->config;
  gsize q = (gsize) c->n_heads * c->head_dim, kv = (gsize) c->n_kv_heads * c->head_dim;
  const gsize shapes[][2] = {
    { q, c->hidden_size }, { kv, c->hidden_size }, { kv, c->hidden_size }, { c->hidden_size, q },
    { c->intermediate_size, c->hidden_size }, { c->intermediate_size, c->hidden_size },
    { c->hidden_size, c->intermediate_size },
  };
  guint64 elem, stored = 0, held = 0;
  WhClDType type;

  if (info->n_params == 0 || (info->dtypes != NULL && strchr (info->dtypes, 'q') != NULL))
    return info->weight_bytes;
  elem = info->weight_bytes / info->n_params >= 3 ? 4 : 2;
  type = elem == 4 ? WH_CL_DTYPE_F32 : WH_CL_DTYPE_F16;
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      gsize rows = shapes[i][0], cols = shapes[i][1];
      WhClDType to = wh_model_quantized_type (type, cols, quant);

      stored += (guint64) rows * cols * elem;
      held += to == type ? (guint64) rows * cols * elem : (guint64) rows * wh_cl_dtype_row_bytes (to, cols);
    }
  stored *= c->n_layers;
  held *= c->n_layers;
  return stored <= info->weight_bytes ? info->weight_bytes - stored + held : info->weight_bytes;
}

/**
 * wh_model_info_estimate_inference_quantized:
 * @quant: what the projections are quantised to (nf4, q4_0 or q8_0); f32
 *   to hold them as stored
 *
 * As wh_model_info_estimate_inference(), with the weights as
 * wh_model_load_quantized() holds them.
 */
void
wh_model_info_estimate_inference_quantized (const WhModelInfo *info,
                                            WhClDType          quant,
                                            gsize              seq_len,
                                            WhMemoryEstimate  *e)
{
  WhModelInfo quantized = *info;   /* shallow, only read */

  if (quant != WH_CL_DTYPE_F32)
    quantized.weight_bytes = quantized_weight_bytes (info, quant);
  wh_model_info_estimate_inference (&quantized, seq_len, e);
}

/**
 * wh_model_info_estimate_qlora:
 * @quant: what the projections are quantised to (nf4, q4_0 or q8_0)
 *
 * As wh_model_info_estimate_training() for a LoRA, with the weights as
 * wh_model_load_quantized() holds them.
 */
void
wh_model_info_estimate_qlora (const WhModelInfo *info,
                              WhClDType          quant,
                              guint              rank,
                              guint              targets,
                              gsize              seq_len,
                              WhMemoryEstimate  *e)
{
  WhModelInfo quantized = *info;   /* shallow, only read */

  quantized.weight_bytes = quantized_weight_bytes (info, quant);
  wh_model_info_estimate_training (&quantized, FALSE, rank, targets, seq_len, e);
}
