/* wh-model-config-gguf.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The model description from the GGUF keys llama.cpp writes, held to the
 * same checks as config.json's. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "wh-model-config-private.h"

typedef struct
{
  WhGguf     *gguf;
  const char *arch;
  char       *file;    /* display name */
} GgufCtx;

/* The errors of wh_gguf_get_*() name the file and the key; they become
 * CONFIG errors. */
static gboolean
gguf_failed (GgufCtx     *ctx,
             const char  *key,
             GError      *gguf_error,
             GError     **error)
{
  if (g_error_matches (gguf_error, WH_GGUF_ERROR, WH_GGUF_ERROR_MISSING_KEY))
    g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                 _("“%s” has no “%s”, which Whetstone needs to build the model; "
                   "the file may be incomplete or damaged"),
                 ctx->file, key);
  else
    g_set_error_literal (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG, gguf_error->message);
  return FALSE;
}

/* <arch>.@suffix, a positive integer up to @max; absent keys keep *@value
 * when not @required. */
static gboolean
gguf_count (GgufCtx     *ctx,
            const char  *suffix,
            gboolean     required,
            guint        max,
            guint       *value,
            GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", ctx->arch, suffix);
  g_autoptr(GError) local_error = NULL;
  gint64 v;

  if (!required && !wh_gguf_has_key (ctx->gguf, key))
    return TRUE;

  if (!wh_gguf_get_int (ctx->gguf, key, &v, &local_error))
    return gguf_failed (ctx, key, local_error, error);

  if (v <= 0 || v > max)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("In “%s”, “%s” is %lld; Whetstone needs a value from 1 to %u"),
                   ctx->file, key, (long long) v, max);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

static gboolean
gguf_positive (GgufCtx     *ctx,
               const char  *suffix,
               gboolean     required,
               double      *value,
               GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", ctx->arch, suffix);
  g_autoptr(GError) local_error = NULL;
  double v;

  if (!required && !wh_gguf_has_key (ctx->gguf, key))
    return TRUE;

  if (!wh_gguf_get_float (ctx->gguf, key, &v, &local_error))
    return gguf_failed (ctx, key, local_error, error);

  if (!(v > 0) || !isfinite (v))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("In “%s”, “%s” is %g; Whetstone needs a positive number"), ctx->file, key, v);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

/* The llama3 factors of convert_hf_to_gguf.py (LlamaModel), for the
 * frequencies of @c: 1 above the high-frequency wavelength, rope_factor
 * below the low one, interpolated between. */
static double
llama3_gguf_factor (const WhModelConfig *c,
                    guint                i)
{
  double freq = 1.0 / pow (c->rope_theta, (double) (2 * i) / c->head_dim);
  double wavelen = 2 * G_PI / freq;
  double old_len = c->rope_original_max_position;
  double low_wavelen = old_len / c->rope_low_freq_factor;
  double high_wavelen = old_len / c->rope_high_freq_factor;
  double smooth;

  if (wavelen < high_wavelen)
    return 1.0;
  if (wavelen > low_wavelen)
    return c->rope_factor;

  smooth = (old_len / wavelen - c->rope_low_freq_factor) / (c->rope_high_freq_factor - c->rope_low_freq_factor);
  return 1.0 / ((1.0 - smooth) / c->rope_factor + smooth);
}

/* llama.cpp stores llama3 RoPE scaling not as keys but as the tensor
 * rope_freqs.weight, the divisor of each frequency, computed by its
 * converter with factor from the config and low_freq_factor 1,
 * high_freq_factor 4 and original context 8192 (Llama 3.1 and 3.2; the
 * converter looks for the last one where no config has it, so always
 * uses 8192).  Those parameters are recovered here and checked against
 * every factor in the tensor; anything else is refused. */
static gboolean
read_rope_freqs (GgufCtx        *ctx,
                 WhModelConfig  *c,
                 GError        **error)
{
  const WhGgufTensorInfo *info = wh_gguf_find_tensor (ctx->gguf, "rope_freqs.weight");
  g_autofree float *factors = NULL;
  const guint8 *data;
  guint n = c->head_dim / 2;
  float max_factor = 0;

  if (info == NULL)
    return TRUE;

  if (info->type != 0 || info->n_dims != 1 || info->dims[0] != n)
    goto unsupported;

  data = wh_gguf_get_data (ctx->gguf, NULL) + info->offset;
  factors = g_new (float, n);
  for (guint i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, data + 4 * i, sizeof bits);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&factors[i], &bits, sizeof bits);
      if (!(factors[i] >= 1.0f) || !isfinite (factors[i]))
        goto unsupported;
      max_factor = MAX (max_factor, factors[i]);
    }

  if (max_factor == 1.0f)
    return TRUE;

  c->rope_scaling = WH_ROPE_SCALING_LLAMA3;
  c->rope_factor = max_factor;
  c->rope_low_freq_factor = 1.0;
  c->rope_high_freq_factor = 4.0;
  c->rope_original_max_position = 8192;

  /* The converter computed the frequencies in float32: allow for that. */
  for (guint i = 0; i < n; i++)
    if (fabs (factors[i] - llama3_gguf_factor (c, i)) > 1e-4 * factors[i])
      goto unsupported;

  return TRUE;

unsupported:
  g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
               _("“%s” scales its rotary embeddings with per-frequency factors (the tensor "
                 "“rope_freqs.weight”) that are not Llama 3’s; Whetstone cannot compute them"),
               ctx->file);
  return FALSE;
}

static gboolean
gguf_rope (GgufCtx        *ctx,
           WhModelConfig  *c,
           GError        **error)
{
  g_autofree char *type_key = g_strdup_printf ("%s.rope.scaling.type", ctx->arch);
  g_autofree char *old_key = g_strdup_printf ("%s.rope.scale_linear", ctx->arch);
  g_autofree char *dims_key = g_strdup_printf ("%s.rope.dimension_count", ctx->arch);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *type = NULL;

  c->rope_theta = 10000.0;
  if (!gguf_positive (ctx, "rope.freq_base", FALSE, &c->rope_theta, error))
    return FALSE;

  if (wh_gguf_has_key (ctx->gguf, dims_key))
    {
      guint dims = 0;

      if (!gguf_count (ctx, "rope.dimension_count", TRUE, MAX_WIDTH, &dims, error))
        return FALSE;
      if (dims != c->head_dim)
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                       _("“%s” applies rotary embeddings to %u of the %u dimensions of each head, "
                         "which Whetstone does not support"),
                       ctx->file, dims, c->head_dim);
          return FALSE;
        }
    }

  c->rope_scaling = WH_ROPE_SCALING_NONE;

  if (wh_gguf_has_key (ctx->gguf, type_key))
    {
      type = wh_gguf_dup_string (ctx->gguf, type_key, &local_error);
      if (type == NULL)
        return gguf_failed (ctx, type_key, local_error, error);
    }
  else if (wh_gguf_has_key (ctx->gguf, old_key))
    {
      /* Before rope.scaling.type: a linear factor, 1 for none. */
      if (!gguf_positive (ctx, "rope.scale_linear", TRUE, &c->rope_factor, error))
        return FALSE;
      if (c->rope_factor != 1.0)
        c->rope_scaling = WH_ROPE_SCALING_LINEAR;
    }

  if (type != NULL && g_str_equal (type, "linear"))
    {
      c->rope_scaling = WH_ROPE_SCALING_LINEAR;
      if (!gguf_positive (ctx, "rope.scaling.factor", TRUE, &c->rope_factor, error) ||
          !gguf_count (ctx, "rope.scaling.original_context_length", FALSE, MAX_POSITIONS,
                       &c->rope_original_max_position, error))
        return FALSE;
    }
  else if (type != NULL && !g_str_equal (type, "none"))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” asks for “%s” RoPE scaling, which Whetstone does not support "
                     "(it supports linear and llama3 scaling)"),
                   ctx->file, type);
      return FALSE;
    }

  if (c->rope_scaling == WH_ROPE_SCALING_NONE)
    return read_rope_freqs (ctx, c, error);
  return TRUE;
}

static gboolean
parse_gguf_config (GgufCtx        *ctx,
                   WhModelConfig  *c,
                   GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *vocab_key = NULL;
  g_autofree char *value_length_key = NULL;
  g_autofree char *arch = NULL;

  arch = wh_gguf_dup_string (ctx->gguf, "general.architecture", &local_error);
  if (arch == NULL)
    return gguf_failed (ctx, "general.architecture", local_error, error);

  if (g_str_equal (arch, "llama"))
    c->arch = WH_MODEL_ARCH_LLAMA;
  else if (g_str_equal (arch, "qwen2"))
    c->arch = WH_MODEL_ARCH_QWEN2;
  else
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” holds a “%s” model, which Whetstone cannot run; "
                     "it runs “llama” and “qwen2” models (Llama, Mistral, Qwen2, SmolLM, TinyLlama…)"),
                   ctx->file, arch);
      return FALSE;
    }
  ctx->arch = arch;
  c->architecture = g_strdup (arch);

  vocab_key = g_strdup_printf ("%s.vocab_size", arch);
  if (wh_gguf_has_key (ctx->gguf, vocab_key))
    {
      if (!gguf_count (ctx, "vocab_size", TRUE, MAX_VOCAB, &c->vocab_size, error))
        return FALSE;
    }
  else
    {
      WhGgufType item_type;
      gsize length;

      if (!wh_gguf_has_key (ctx->gguf, "tokenizer.ggml.tokens"))
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                       _("“%s” has neither “%s” nor a vocabulary (“tokenizer.ggml.tokens”), "
                         "so the vocabulary size is unknown"),
                       ctx->file, vocab_key);
          return FALSE;
        }
      if (!wh_gguf_get_array_info (ctx->gguf, "tokenizer.ggml.tokens", &item_type, &length, &local_error))
        return gguf_failed (ctx, "tokenizer.ggml.tokens", local_error, error);
      if (length == 0 || length > MAX_VOCAB)
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                       _("In “%s”, the vocabulary (“tokenizer.ggml.tokens”) has %zu tokens; "
                         "Whetstone needs 1 to %u"),
                       ctx->file, length, MAX_VOCAB);
          return FALSE;
        }
      c->vocab_size = length;
    }

  if (!gguf_count (ctx, "embedding_length", TRUE, MAX_WIDTH, &c->hidden_size, error) ||
      !gguf_count (ctx, "feed_forward_length", TRUE, MAX_WIDTH, &c->intermediate_size, error) ||
      !gguf_count (ctx, "block_count", TRUE, MAX_COUNT, &c->n_layers, error) ||
      !gguf_count (ctx, "attention.head_count", TRUE, MAX_COUNT, &c->n_heads, error) ||
      !gguf_count (ctx, "context_length", TRUE, MAX_POSITIONS, &c->max_position_embeddings, error) ||
      !gguf_positive (ctx, "attention.layer_norm_rms_epsilon", TRUE, &c->rms_norm_eps, error))
    return FALSE;

  c->n_kv_heads = c->n_heads;
  if (!gguf_count (ctx, "attention.head_count_kv", FALSE, MAX_COUNT, &c->n_kv_heads, error))
    return FALSE;

  c->head_dim = 0;
  if (!gguf_count (ctx, "attention.key_length", FALSE, MAX_WIDTH, &c->head_dim, error))
    return FALSE;
  if (c->head_dim == 0)
    {
      if (c->hidden_size % c->n_heads != 0)
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                       _("In “%s”, %s.embedding_length (%u) is not a multiple of "
                         "%s.attention.head_count (%u), and no %s.attention.key_length is given"),
                       ctx->file, arch, c->hidden_size, arch, c->n_heads, arch);
          return FALSE;
        }
      c->head_dim = c->hidden_size / c->n_heads;
    }

  value_length_key = g_strdup_printf ("%s.attention.value_length", arch);
  if (wh_gguf_has_key (ctx->gguf, value_length_key))
    {
      guint value_length = 0;

      if (!gguf_count (ctx, "attention.value_length", TRUE, MAX_WIDTH, &value_length, error))
        return FALSE;
      if (value_length != c->head_dim)
        {
          g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                       _("“%s” has keys of %u and values of %u dimensions per head; "
                         "Whetstone needs them equal"),
                       ctx->file, c->head_dim, value_length);
          return FALSE;
        }
    }

  if (!gguf_rope (ctx, c, error))
    return FALSE;

  /* llama.cpp leaves out output.weight when the embeddings are tied. */
  c->tie_word_embeddings = wh_gguf_find_tensor (ctx->gguf, "output.weight") == NULL;

  if (c->arch == WH_MODEL_ARCH_QWEN2)
    {
      c->attention_bias = TRUE;
      c->o_proj_bias = FALSE;
    }
  else
    {
      c->attention_bias = wh_gguf_find_tensor (ctx->gguf, "blk.0.attn_q.bias") != NULL;
      c->o_proj_bias = wh_gguf_find_tensor (ctx->gguf, "blk.0.attn_output.bias") != NULL;
    }

  if (wh_gguf_find_tensor (ctx->gguf, "blk.0.ffn_up.bias") != NULL)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” has biases in its MLP layers, which Whetstone does not support"),
                   ctx->file);
      return FALSE;
    }

  return _wh_model_config_validate (c, ctx->file, error);
}

/**
 * wh_model_config_load_gguf:
 * @config: (out caller-allocates): where to put the config; overwritten
 *   on success without being cleared first
 * @gguf: an open GGUF file
 * @error: return location for a #GError
 *
 * Reads general.architecture ("llama" or "qwen2") and the <arch>.* keys.
 * Tied embeddings are recognised by the absence of output.weight.
 *
 * Returns: %TRUE on success
 */
gboolean
wh_model_config_load_gguf (WhModelConfig  *config,
                           WhGguf         *gguf,
                           GError        **error)
{
  WhModelConfig c = { 0 };
  GgufCtx ctx = { 0 };
  gboolean ok;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ctx.gguf = gguf;
  ctx.file = g_filename_display_basename (wh_gguf_get_path (gguf));

  ok = parse_gguf_config (&ctx, &c, error);
  g_free (ctx.file);

  if (!ok)
    {
      wh_model_config_clear (&c);
      return FALSE;
    }

  *config = c;
  return TRUE;
}
