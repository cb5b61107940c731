/* wh-train-full.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wh-safetensors-writer.h"
#include "wh-train-step-private.h"

/* Full fine-tuning: every weight of the model is an f32 device buffer
 * that the forward reads and AdamW updates in place.  The step's forward
 * and backward are the LoRA step's; where the backward goes through a
 * product with a weight it also adds dW += dyᵀ·x (wh-train-step.c), and
 * the norms, the LM head and the embeddings get theirs beside the input
 * gradients.  Memory per parameter: 16 bytes (weight, gradient, two
 * moments), as for torch.optim.AdamW in f32. */

static const char *const parents[] = { "self_attn", "self_attn", "self_attn", "self_attn", "mlp", "mlp", "mlp" };

/* Activation floats of a step over @T tokens (wh-train-step.c). */
static guint64
activation_floats (const WhModelConfig *c,
                   guint64              T)
{
  guint64 D = c->hidden_size, I = c->intermediate_size, H = c->n_heads;
  guint64 Q = H * c->head_dim, KV = (guint64) c->n_kv_heads * c->head_dim;

  return (c->n_layers + 1) * T * D                     /* checkpoints */
         + T * (3 * D + 2 * Q + 2 * KV + H + 3 * I)    /* one layer's activations */
         + T * (3 * D + 2 * Q + 2 * KV + H + 3 * I)    /* their gradients */
         + T * (D + WH_TRAIN_LM_CHUNK + WH_CL_CE_STATS + 1)  /* LM head */
         + 3 * T;                                       /* ids, targets, ones */
}

gsize
wh_train_step_estimate_full_memory (const WhModelConfig *config,
                                    gsize                max_tokens)
{
  g_return_val_if_fail (config != NULL, 0);

  return (4 * wh_model_config_n_params (config) + activation_floats (config, max_tokens)) * sizeof (float);
}

static gboolean
check_fits (WhModel  *model,
            gsize     max_tokens,
            GError  **error)
{
  const WhModelConfig *c = &model->config;
  const WhClDeviceInfo *info = wh_cl_context_get_device (model->ctx);
  guint64 need = wh_train_step_estimate_full_memory (c, max_tokens);
  guint64 state = 4 * wh_model_config_n_params (c) * sizeof (float);
  /* The weights already on the device are replaced by their f32 copies. */
  guint64 extra = need - MIN (need, model->weight_bytes);
  guint64 free_bytes = info->global_mem_size - MIN (info->global_mem_size, wh_cl_context_get_mem_in_use (model->ctx));

  if (extra <= free_bytes)
    return TRUE;

  {
    g_autofree char *need_s = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *state_s = g_format_size_full (state, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *act_s = g_format_size_full (need - state, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *free_s = g_format_size_full (free_bytes + MIN (need, model->weight_bytes), G_FORMAT_SIZE_IEC_UNITS);

    g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_MEMORY,
                 _("Full fine-tuning of “%s” needs %s of device memory (weights, gradients and optimizer "
                   "state %s, activations %s) but %s has %s for it; train a LoRA adapter instead, or "
                   "use a smaller model"),
                 model->path, need_s, state_s, act_s, info->name, free_s);
    return FALSE;
  }
}

static gboolean
weight_make_f32 (WhModel   *model,
                 WhWeight  *w,
                 GError   **error)
{
  g_autoptr(WhClBuffer) f32 = NULL;

  if (w->buffer == NULL || w->type == WH_CL_DTYPE_F32)
    return TRUE;
  if (!(f32 = wh_cl_buffer_new (model->ctx, w->rows * w->cols * sizeof (float), error)) ||
      !wh_cl_dequantize_rows (model->ctx, f32, w->buffer, 0, w->type, 0, w->rows, w->cols, error) ||
      !wh_cl_context_finish (model->ctx, error))
    return FALSE;
  model->weight_bytes = model->weight_bytes - w->buffer->size + f32->size;
  wh_cl_buffer_free (w->buffer);
  w->buffer = g_steal_pointer (&f32);
  w->type = WH_CL_DTYPE_F32;
  return TRUE;
}

/* Replaces every compact weight matrix of @model by an f32 copy, to be
 * trained in place. */
static gboolean
make_f32 (WhModel  *model,
          GError  **error)
{
  for (guint i = 0; i < model->config.n_layers; i++)
    {
      WhLayer *l = &model->layers[i];
      WhWeight *ws[] = { &l->wq, &l->wk, &l->wv, &l->wo, &l->w_gate, &l->w_up, &l->w_down };

      for (guint j = 0; j < G_N_ELEMENTS (ws); j++)
        if (!weight_make_f32 (model, ws[j], error))
          return FALSE;
    }
  if (!weight_make_f32 (model, &model->embed, error) ||
      !weight_make_f32 (model, &model->output, error))
    return FALSE;
  if (model->output.buffer == NULL)
    model->output.type = model->embed.type;
  /* Nothing is dequantised any more. */
  g_clear_pointer (&model->scratch, wh_cl_buffer_free);
  model->scratch_floats = 0;
  return TRUE;
}

static WhTrainParam *
add_weight (WhTrainStep     *ts,
            const char      *name,
            const WhWeight  *w,
            GError         **error)
{
  return _wh_train_step_add_param (ts, name, w->buffer, w->rows > 1 ? w->rows : 0, w->cols, error);
}

WhTrainStep *
wh_train_step_new_full (WhModel  *model,
                        gsize     max_tokens,
                        GError  **error)
{
  g_autoptr(WhTrainStep) ts = NULL;
  const WhModelConfig *c;
  g_autofree float *ones = NULL;

  g_return_val_if_fail (model != NULL && max_tokens > 0, NULL);

  c = &model->config;
  if (model->adapter != NULL)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("Full fine-tuning trains the model itself; remove its LoRA adapter first"));
      return NULL;
    }
  if (!check_fits (model, max_tokens, error) ||
      !make_f32 (model, error))
    return NULL;

  ts = _wh_train_step_alloc (model, NULL, max_tokens);
  ts->full = g_new0 (WhTrainFullLayer, c->n_layers);

  if (!(ts->embed = add_weight (ts, "model.embed_tokens.weight", &model->embed, error)))
    return NULL;
  for (guint i = 0; i < c->n_layers; i++)
    {
      WhLayer *l = &model->layers[i];
      WhTrainFullLayer *f = &ts->full[i];
      const WhWeight *ws[] = { &l->wq, &l->wk, &l->wv, &l->wo, &l->w_gate, &l->w_up, &l->w_down };
      const WhWeight *bs[] = { &l->bq, &l->bk, &l->bv, &l->bo, NULL, NULL, NULL };
      g_autofree char *an = g_strdup_printf ("model.layers.%u.input_layernorm.weight", i);
      g_autofree char *fn = g_strdup_printf ("model.layers.%u.post_attention_layernorm.weight", i);

      if (!(f->attn_norm = add_weight (ts, an, &l->attn_norm, error)))
        return NULL;
      for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
        {
          g_autofree char *prefix = g_strdup_printf ("model.layers.%u.%s.%s", i, parents[t], wh_lora_target_name (t));
          g_autofree char *wn = g_strconcat (prefix, ".weight", NULL);
          g_autofree char *bn = g_strconcat (prefix, ".bias", NULL);

          if (t == WH_LORA_GATE_PROJ && !(f->ffn_norm = add_weight (ts, fn, &l->ffn_norm, error)))
            return NULL;
          if (!(f->w[t] = add_weight (ts, wn, ws[t], error)))
            return NULL;
          if (bs[t] != NULL && bs[t]->buffer != NULL && !(f->bias[t] = add_weight (ts, bn, bs[t], error)))
            return NULL;
        }
    }
  if (!(ts->final_norm = add_weight (ts, "model.norm.weight", &model->final_norm, error)))
    return NULL;
  if (model->output.buffer != NULL && !(ts->output = add_weight (ts, "lm_head.weight", &model->output, error)))
    return NULL;

  ones = g_new (float, max_tokens);
  for (gsize i = 0; i < max_tokens; i++)
    ones[i] = 1.0f;
  if (!(ts->ones = _wh_train_step_buffer (ts, max_tokens, error)) ||
      !wh_cl_buffer_write (ts->ones, 0, ones, max_tokens * sizeof (float), error) ||
      !_wh_train_step_alloc_acts (ts, error))
    return NULL;

  return g_steal_pointer (&ts);
}

static gboolean
write_file (const char   *path,
            const char   *contents,
            gsize         length,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_OPEN, _("Cannot write “%s”: %s"), display,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_int (JsonObject  *o,
         const char  *key,
         gint64       value)
{
  json_object_set_int_member (o, key, value);
}

/* config.json for a model that came from a GGUF file. */
static JsonObject *
config_from_model (const WhModelConfig *c)
{
  JsonObject *o = json_object_new ();
  JsonArray *arch = json_array_new ();
  gboolean qwen = c->arch == WH_MODEL_ARCH_QWEN2;

  json_array_add_string_element (arch, qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
  json_object_set_array_member (o, "architectures", arch);
  json_object_set_string_member (o, "model_type", qwen ? "qwen2" : "llama");
  add_int (o, "vocab_size", c->vocab_size);
  add_int (o, "hidden_size", c->hidden_size);
  add_int (o, "intermediate_size", c->intermediate_size);
  add_int (o, "num_hidden_layers", c->n_layers);
  add_int (o, "num_attention_heads", c->n_heads);
  add_int (o, "num_key_value_heads", c->n_kv_heads);
  add_int (o, "head_dim", c->head_dim);
  add_int (o, "max_position_embeddings", c->max_position_embeddings);
  json_object_set_double_member (o, "rms_norm_eps", c->rms_norm_eps);
  json_object_set_double_member (o, "rope_theta", c->rope_theta);
  json_object_set_boolean_member (o, "tie_word_embeddings", c->tie_word_embeddings);
  json_object_set_string_member (o, "hidden_act", "silu");
  if (!qwen)
    json_object_set_boolean_member (o, "attention_bias", c->attention_bias);
  if (c->rope_scaling == WH_ROPE_SCALING_NONE)
    json_object_set_null_member (o, "rope_scaling");
  else
    {
      JsonObject *r = json_object_new ();

      json_object_set_string_member (r, "rope_type", c->rope_scaling == WH_ROPE_SCALING_LINEAR ? "linear" : "llama3");
      json_object_set_double_member (r, "factor", c->rope_factor);
      if (c->rope_scaling == WH_ROPE_SCALING_LLAMA3)
        {
          json_object_set_double_member (r, "low_freq_factor", c->rope_low_freq_factor);
          json_object_set_double_member (r, "high_freq_factor", c->rope_high_freq_factor);
          add_int (r, "original_max_position_embeddings", c->rope_original_max_position);
        }
      json_object_set_object_member (o, "rope_scaling", r);
    }
  return o;
}

/* The source folder's config.json with torch_dtype set to what is
 * written; written from the model's config when it came from GGUF. */
static gboolean
write_config (WhModel     *model,
              const char  *dir,
              gboolean     f16,
              GError     **error)
{
  g_autofree char *src = g_build_filename (model->path, "config.json", NULL);
  g_autofree char *dst = g_build_filename (dir, "config.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize length;

  if (g_file_test (model->path, G_FILE_TEST_IS_DIR))
    {
      if (!json_parser_load_from_mapped_file (parser, src, error))
        return FALSE;
      root = json_node_copy (json_parser_get_root (parser));
    }
  else
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, config_from_model (&model->config));
    }
  json_object_set_string_member (json_node_get_object (root), "torch_dtype", f16 ? "float16" : "float32");
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  return write_file (dst, text, length, error);
}

static const char *const tokenizer_files[] = {
  "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
  "tokenizer.model", "chat_template.jinja",
};

gboolean
wh_train_step_save_model (WhTrainStep  *ts,
                          const char   *dir,
                          WhClDType     dtype,
                          GError      **error)
{
  WhModel *model;
  g_autoptr(WhSafetensorsWriter) writer = wh_safetensors_writer_new ();
  g_autofree char *weights = NULL;

  g_return_val_if_fail (ts != NULL && dir != NULL, FALSE);
  g_return_val_if_fail (ts->full != NULL, FALSE);

  model = ts->model;
  if (dtype != WH_CL_DTYPE_F32 && dtype != WH_CL_DTYPE_F16)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("A fully fine-tuned model is saved in f32 or f16 only"));
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create the folder “%s”: %s"),
                   display, g_strerror (saved));
      return FALSE;
    }

  if (!write_config (model, dir, dtype == WH_CL_DTYPE_F16, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tokenizer_files) && g_file_test (model->path, G_FILE_TEST_IS_DIR); i++)
    {
      g_autofree char *src = g_build_filename (model->path, tokenizer_files[i], NULL);
      g_autofree char *dst = g_build_filename (dir, tokenizer_files[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_test (src, G_FILE_TEST_EXISTS))
        continue;
      if (!g_file_get_contents (src, &contents, &length, error) ||
          !write_file (dst, contents, length, error))
        return FALSE;
    }

  /* The weights last, so that a folder with model.safetensors is whole. */
  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);
      g_autofree float *data = g_new (float, p->n);

      if (!wh_cl_buffer_read (p->param, 0, data, p->n * sizeof (float), error))
        return FALSE;
      if (dtype == WH_CL_DTYPE_F16)
        wh_safetensors_writer_add_f16 (writer, p->name, p->shape, p->n_dims, data);
      else
        wh_safetensors_writer_add_f32 (writer, p->name, p->shape, p->n_dims, data);
    }
  wh_safetensors_writer_set_metadata (writer, "format", "pt");
  weights = g_build_filename (dir, "model.safetensors", NULL);
  return wh_safetensors_writer_save (writer, weights, error);
}
