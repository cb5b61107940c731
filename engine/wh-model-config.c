/* wh-model-config.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The model description, read as transformers reads it (LlamaConfig,
 * MistralConfig, Qwen2Config of transformers 4.46, and the
 * `rope_parameters` form of transformers 5); wh-model-config-gguf.c reads
 * it from the GGUF keys llama.cpp writes.  What Whetstone cannot compute
 * exactly is refused here rather than approximated later. */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "wh-json.h"
#include "wh-model-config-private.h"

typedef struct
{
  const char  *name;
  WhModelArch  arch;
} KnownArch;

/* config.json's architectures[0].  SmolLM and TinyLlama are
 * LlamaForCausalLM. */
static const KnownArch hf_architectures[] = {
  { "LlamaForCausalLM",   WH_MODEL_ARCH_LLAMA },
  { "MistralForCausalLM", WH_MODEL_ARCH_LLAMA },
  { "Qwen2ForCausalLM",   WH_MODEL_ARCH_QWEN2 },
};

/* config.json's model_type, where architectures is absent. */
static const KnownArch hf_model_types[] = {
  { "llama",   WH_MODEL_ARCH_LLAMA },
  { "mistral", WH_MODEL_ARCH_LLAMA },
  { "qwen2",   WH_MODEL_ARCH_QWEN2 },
};

G_DEFINE_QUARK (wh-model-error-quark, wh_model_error)

static const KnownArch *
lookup_arch (const KnownArch *table,
             gsize            n,
             const char      *name)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (table[i].name, name))
      return &table[i];
  return NULL;
}

/* Checks that hold whatever the source. */
gboolean
_wh_model_config_validate (WhModelConfig  *c,
                           const char     *file,
                           GError        **error)
{
  if (c->n_heads % c->n_kv_heads != 0)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("“%s” gives %u attention heads and %u key/value heads, but the number of "
                     "attention heads must be a multiple of the number of key/value heads"),
                   file, c->n_heads, c->n_kv_heads);
      return FALSE;
    }

  if (c->head_dim % 2 != 0)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("“%s” gives attention heads of %u dimensions, but rotary embeddings need "
                     "an even number"),
                   file, c->head_dim);
      return FALSE;
    }

  if (c->rope_scaling == WH_ROPE_SCALING_LLAMA3 && !(c->rope_high_freq_factor > c->rope_low_freq_factor))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("“%s” gives a llama3 RoPE high_freq_factor (%g) that is not above its "
                     "low_freq_factor (%g)"),
                   file, c->rope_high_freq_factor, c->rope_low_freq_factor);
      return FALSE;
    }

  return TRUE;
}

/* config.json */

typedef struct
{
  const char *file;    /* display name */
} JsonCtx;

static gboolean
missing_key (JsonCtx     *ctx,
             const char  *key,
             GError     **error)
{
  g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
               _("“%s” has no “%s”, which Whetstone needs to build the model; "
                 "the file may be incomplete or not a model configuration"),
               ctx->file, key);
  return FALSE;
}

static gboolean
wrong_value (JsonCtx     *ctx,
             const char  *key,
             const char  *expected,
             GError     **error)
{
  g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
               _("In “%s”, “%s” should be %s"), ctx->file, key, expected);
  return FALSE;
}

/* The member @name of @object, NULL when absent or null: transformers
 * treats an explicit null as the default. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* A positive whole number up to @max; @key names it in messages (with its
 * parent, "rope_scaling.original_max_position_embeddings"). */
static gboolean
read_count (JsonCtx     *ctx,
            JsonObject  *object,
            const char  *name,
            const char  *key,
            gboolean     required,
            guint        max,
            guint       *value,
            GError     **error)
{
  JsonNode *node = get_member (object, name);
  gint64 v;

  if (node == NULL)
    return required ? missing_key (ctx, key, error) : TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_value (ctx, key, _("a whole number"), error);

  v = json_node_get_int (node);
  if (v <= 0)
    return wrong_value (ctx, key, _("a positive whole number"), error);
  if (v > max)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("In “%s”, “%s” is %lld, more than Whetstone supports (%u)"),
                   ctx->file, key, (long long) v, max);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

/* A positive number. */
static gboolean
read_positive (JsonCtx     *ctx,
               JsonObject  *object,
               const char  *name,
               const char  *key,
               gboolean     required,
               double      *value,
               GError     **error)
{
  JsonNode *node = get_member (object, name);
  double v;

  if (node == NULL)
    return required ? missing_key (ctx, key, error) : TRUE;

  if (!node_is_number (node))
    return wrong_value (ctx, key, _("a number"), error);

  v = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                       : json_node_get_double (node);
  if (!(v > 0) || !isfinite (v))
    return wrong_value (ctx, key, _("a positive number"), error);

  *value = v;
  return TRUE;
}

static gboolean
read_bool (JsonCtx     *ctx,
           JsonObject  *object,
           const char  *name,
           gboolean    *value,
           GError     **error)
{
  JsonNode *node = get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_value (ctx, name, _("true or false"), error);

  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_architecture (JsonCtx        *ctx,
                   JsonObject     *root,
                   WhModelConfig  *c,
                   GError        **error)
{
  JsonNode *node = get_member (root, "architectures");
  const KnownArch *known = NULL;
  const char *name = NULL;

  if (node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      JsonNode *first = array != NULL && json_array_get_length (array) > 0
                        ? json_array_get_element (array, 0) : NULL;

      if (first == NULL || !JSON_NODE_HOLDS_VALUE (first) ||
          json_node_get_value_type (first) != G_TYPE_STRING)
        return wrong_value (ctx, "architectures", _("a list of architecture names"), error);

      name = json_node_get_string (first);
      known = lookup_arch (hf_architectures, G_N_ELEMENTS (hf_architectures), name);
    }
  else if ((node = get_member (root, "model_type")) != NULL)
    {
      name = wh_json_get_string (root, "model_type");
      if (name == NULL)
        return wrong_value (ctx, "model_type", _("a string"), error);
      known = lookup_arch (hf_model_types, G_N_ELEMENTS (hf_model_types), name);
    }
  else
    return missing_key (ctx, "architectures", error);

  if (known == NULL)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” describes a %s model, which Whetstone cannot run; it runs "
                     "LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM models "
                     "(Llama, Mistral, Qwen2, SmolLM, TinyLlama and their fine-tunes)"),
                   ctx->file, name);
      return FALSE;
    }

  c->arch = known->arch;
  c->architecture = g_strdup (name);
  return TRUE;
}

/* rope_scaling (transformers 4) or rope_parameters (transformers 5, which
 * also moves rope_theta into it); both name the type "rope_type", or in
 * older files "type". */
static gboolean
read_rope (JsonCtx        *ctx,
           JsonObject     *root,
           WhModelConfig  *c,
           GError        **error)
{
  const char *parent = "rope_parameters";
  JsonNode *node = get_member (root, parent);
  g_autofree char *type_key = NULL;
  JsonObject *rope;
  const char *type;

  c->rope_theta = 10000.0;
  if (!read_positive (ctx, root, "rope_theta", "rope_theta", FALSE, &c->rope_theta, error))
    return FALSE;

  if (node == NULL)
    {
      parent = "rope_scaling";
      node = get_member (root, parent);
    }
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_value (ctx, parent, _("an object"), error);
  rope = json_node_get_object (node);

  /* transformers 5 keys rope_parameters by layer type for models that mix
   * attention types; the full-attention layers are the ones that matter
   * (see the note on sliding windows below). */
  if (g_str_equal (parent, "rope_parameters") && wh_json_get_object (rope, "full_attention") != NULL)
    {
      parent = "rope_parameters.full_attention";
      rope = wh_json_get_object (rope, "full_attention");
    }

  if (g_str_has_prefix (parent, "rope_parameters"))
    {
      g_autofree char *key = g_strdup_printf ("%s.rope_theta", parent);

      if (!read_positive (ctx, rope, "rope_theta", key, FALSE, &c->rope_theta, error))
        return FALSE;
    }

  type_key = g_strdup_printf ("%s.rope_type", parent);
  type = "default";
  if (get_member (rope, "rope_type") != NULL || get_member (rope, "type") != NULL)
    {
      type = wh_json_get_string (rope, get_member (rope, "rope_type") != NULL ? "rope_type" : "type");
      if (type == NULL)
        return wrong_value (ctx, type_key, _("a string"), error);
    }

  if (g_str_equal (type, "default"))
    c->rope_scaling = WH_ROPE_SCALING_NONE;
  else if (g_str_equal (type, "linear"))
    c->rope_scaling = WH_ROPE_SCALING_LINEAR;
  else if (g_str_equal (type, "llama3"))
    c->rope_scaling = WH_ROPE_SCALING_LLAMA3;
  else
    {
      /* dynamic, yarn, longrope (once "su"), and whatever comes next. */
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” asks for “%s” RoPE scaling, which Whetstone does not support "
                     "(it supports linear and llama3 scaling)"),
                   ctx->file, type);
      return FALSE;
    }

  if (c->rope_scaling != WH_ROPE_SCALING_NONE)
    {
      g_autofree char *factor_key = g_strdup_printf ("%s.factor", parent);

      if (!read_positive (ctx, rope, "factor", factor_key, TRUE, &c->rope_factor, error))
        return FALSE;
    }

  if (c->rope_scaling == WH_ROPE_SCALING_LLAMA3)
    {
      g_autofree char *low_key = g_strdup_printf ("%s.low_freq_factor", parent);
      g_autofree char *high_key = g_strdup_printf ("%s.high_freq_factor", parent);
      g_autofree char *orig_key = g_strdup_printf ("%s.original_max_position_embeddings", parent);

      if (!read_positive (ctx, rope, "low_freq_factor", low_key, TRUE, &c->rope_low_freq_factor, error) ||
          !read_positive (ctx, rope, "high_freq_factor", high_key, TRUE, &c->rope_high_freq_factor, error) ||
          !read_count (ctx, rope, "original_max_position_embeddings", orig_key, TRUE, MAX_POSITIONS,
                       &c->rope_original_max_position, error))
        return FALSE;
    }

  return TRUE;
}

/* What Llama-family configs may ask for that Whetstone does not compute. */
static gboolean
refuse_unsupported (JsonCtx     *ctx,
                    JsonObject  *root,
                    GError     **error)
{
  const char *act = wh_json_get_string (root, "hidden_act");
  JsonObject *quant = wh_json_get_object (root, "quantization_config");
  JsonNode *partial = get_member (root, "partial_rotary_factor");
  gboolean mlp_bias = FALSE;

  if (act != NULL && !g_str_equal (act, "silu") && !g_str_equal (act, "swish"))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” asks for the activation “%s”; Whetstone computes only SiLU (“silu”)"),
                   ctx->file, act);
      return FALSE;
    }

  if (!read_bool (ctx, root, "mlp_bias", &mlp_bias, error))
    return FALSE;
  if (mlp_bias)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” asks for biases in the MLP layers (“mlp_bias”), which Whetstone does not support"),
                   ctx->file);
      return FALSE;
    }

  if (partial != NULL && (!node_is_number (partial) || json_node_get_double (partial) != 1.0))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” asks for rotary embeddings on part of each head (“partial_rotary_factor”), "
                     "which Whetstone does not support"),
                   ctx->file);
      return FALSE;
    }

  if (quant != NULL)
    {
      const char *method = wh_json_get_string (quant, "quant_method");

      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_UNSUPPORTED,
                   _("“%s” describes a model quantized with %s, whose weights Whetstone cannot read; "
                     "use the unquantized model or a GGUF file"),
                   ctx->file, method != NULL ? method : _("an unknown method"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_json_config (JsonCtx        *ctx,
                   JsonObject     *root,
                   WhModelConfig  *c,
                   GError        **error)
{
  if (!read_architecture (ctx, root, c, error) ||
      !refuse_unsupported (ctx, root, error))
    return FALSE;

  if (!read_count (ctx, root, "vocab_size", "vocab_size", TRUE, MAX_VOCAB, &c->vocab_size, error) ||
      !read_count (ctx, root, "hidden_size", "hidden_size", TRUE, MAX_WIDTH, &c->hidden_size, error) ||
      !read_count (ctx, root, "intermediate_size", "intermediate_size", TRUE, MAX_WIDTH,
                   &c->intermediate_size, error) ||
      !read_count (ctx, root, "num_hidden_layers", "num_hidden_layers", TRUE, MAX_COUNT, &c->n_layers, error) ||
      !read_count (ctx, root, "num_attention_heads", "num_attention_heads", TRUE, MAX_COUNT, &c->n_heads, error) ||
      !read_count (ctx, root, "max_position_embeddings", "max_position_embeddings", TRUE, MAX_POSITIONS,
                   &c->max_position_embeddings, error) ||
      !read_positive (ctx, root, "rms_norm_eps", "rms_norm_eps", TRUE, &c->rms_norm_eps, error))
    return FALSE;

  c->n_kv_heads = c->n_heads;
  if (!read_count (ctx, root, "num_key_value_heads", "num_key_value_heads", FALSE, MAX_COUNT,
                   &c->n_kv_heads, error))
    return FALSE;

  /* head_dim: LlamaConfig since 4.44, MistralConfig, and Qwen2 in later
   * transformers (4.46's Qwen2Attention still split hidden_size, while its
   * rotary embedding read head_dim). */
  if (get_member (root, "head_dim") != NULL)
    {
      if (!read_count (ctx, root, "head_dim", "head_dim", TRUE, MAX_WIDTH, &c->head_dim, error))
        return FALSE;
    }
  else if (c->hidden_size % c->n_heads != 0)
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("In “%s”, hidden_size (%u) is not a multiple of num_attention_heads (%u), "
                     "and no head_dim is given"),
                   ctx->file, c->hidden_size, c->n_heads);
      return FALSE;
    }
  else
    c->head_dim = c->hidden_size / c->n_heads;

  if (!read_rope (ctx, root, c, error))
    return FALSE;

  c->tie_word_embeddings = FALSE;
  if (!read_bool (ctx, root, "tie_word_embeddings", &c->tie_word_embeddings, error))
    return FALSE;

  if (c->arch == WH_MODEL_ARCH_QWEN2)
    {
      /* Qwen2Attention: q, k and v with biases, o without, whatever the
       * config says. */
      c->attention_bias = TRUE;
      c->o_proj_bias = FALSE;
    }
  else
    {
      /* LlamaAttention: attention_bias puts biases on all four. */
      if (!read_bool (ctx, root, "attention_bias", &c->attention_bias, error))
        return FALSE;
      c->o_proj_bias = c->attention_bias;
    }

  /* sliding_window (Mistral) and use_sliding_window (Qwen2) are read by
   * nobody: sliding-window attention differs from full attention only for
   * sequences longer than the window (4096 and more in released models),
   * longer than what Whetstone trains on. */

  return _wh_model_config_validate (c, ctx->file, error);
}

/**
 * wh_model_config_load_json:
 * @config: (out caller-allocates): where to put the config; overwritten
 *   on success without being cleared first
 * @path: a config.json
 * @error: return location for a #GError
 *
 * Reads a Hugging Face config.json.  A missing file gives
 * %WH_MODEL_ERROR_OPEN; a missing or ill-typed required key
 * %WH_MODEL_ERROR_CONFIG naming it; an architecture or option Whetstone
 * does not compute %WH_MODEL_ERROR_UNSUPPORTED.
 *
 * Returns: %TRUE on success
 */
gboolean
wh_model_config_load_json (WhModelConfig  *config,
                           const char     *path,
                           GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *file = NULL;
  WhModelConfig c = { 0 };
  JsonCtx ctx;
  JsonNode *root;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = g_filename_display_name (path);
  ctx.file = file;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      if (local_error->domain == JSON_PARSER_ERROR)
        g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                     _("“%s” is not valid JSON: %s"), file, local_error->message);
      else
        g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_OPEN,
                     _("“%s” cannot be read: %s"), file, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WH_MODEL_ERROR, WH_MODEL_ERROR_CONFIG,
                   _("“%s” is not a model configuration (a JSON object)"), file);
      return FALSE;
    }

  if (!parse_json_config (&ctx, json_node_get_object (root), &c, error))
    {
      wh_model_config_clear (&c);
      return FALSE;
    }

  *config = c;
  return TRUE;
}

void
wh_model_config_clear (WhModelConfig *config)
{
  g_return_if_fail (config != NULL);

  g_clear_pointer (&config->architecture, g_free);
}

/**
 * wh_model_config_rope_inv_freq:
 * @config: a config
 * @inv_freq: (out caller-allocates) (array): head_dim / 2 floats
 *
 * The rotary frequencies, computed in float32 with the same operations,
 * in the same order, as transformers' _compute_default_rope_parameters,
 * _compute_linear_scaling_rope_parameters and _compute_llama3_parameters
 * run by PyTorch on the CPU:
 *
 *   inv_freq[i] = 1 / base^(float(2i) / d)     base = float(rope_theta)
 *
 * with the exponent divided in float32 (torch.arange(…, dtype=int64).float()
 * / d) and the power taken by powf(), which PyTorch's scalar CPU kernel
 * calls.  With glibc the result is then bit-identical to PyTorch's scalar
 * kernels (ATEN_CPU_CAPABILITY=default).  PyTorch's AVX2/AVX-512 kernels
 * take the power with SLEEF's powf (1-ULP bound) instead: about one value
 * in a hundred then differs by 1 ULP in the power, at most 2 ULP (2.4e-7
 * relative) in inv_freq.  See tests/reference/rope/README.md.
 *
 * Scalars that transformers mixes into float32 tensor operations are
 * rounded to float32 first, as PyTorch does; "a / t" is computed as
 * reciprocal(t) * a, as Tensor.__rtruediv__ does.  This relies on
 * FLT_EVAL_METHOD 0 and no FMA contraction (GCC's default on x86-64
 * without -mfma).
 */
void
wh_model_config_rope_inv_freq (const WhModelConfig *config,
                               float               *inv_freq)
{
  guint d;
  float base;

  g_return_if_fail (config != NULL);
  g_return_if_fail (inv_freq != NULL);

  d = config->head_dim;
  base = (float) config->rope_theta;

  for (guint i = 0; i < d / 2; i++)
    inv_freq[i] = 1.0f / powf (base, (float) (2 * i) / (float) d);

  switch (config->rope_scaling)
    {
    case WH_ROPE_SCALING_NONE:
      break;

    case WH_ROPE_SCALING_LINEAR:
      /* inv_freq /= factor */
      for (guint i = 0; i < d / 2; i++)
        inv_freq[i] /= (float) config->rope_factor;
      break;

    case WH_ROPE_SCALING_LLAMA3:
      {
        /* Wavelengths above low_freq_wavelen are divided by factor, those
         * below high_freq_wavelen kept, those between interpolated:
         *   smooth = (old_context_len / wavelen - low) / (high - low)
         *   inv    = (1 - smooth) * inv / factor + smooth * inv */
        double old_len = config->rope_original_max_position;
        float factor = config->rope_factor;
        float low = config->rope_low_freq_factor;
        float low_wavelen = old_len / config->rope_low_freq_factor;
        float high_wavelen = old_len / config->rope_high_freq_factor;
        float span = config->rope_high_freq_factor - config->rope_low_freq_factor;
        float two_pi = 2 * G_PI;

        for (guint i = 0; i < d / 2; i++)
          {
            float inv = inv_freq[i];
            float wavelen = (1.0f / inv) * two_pi;
            float scaled = wavelen > low_wavelen ? inv / factor : inv;
            float smooth = ((1.0f / wavelen) * (float) old_len - low) / span;
            float smoothed = (1.0f - smooth) * scaled / factor + smooth * scaled;
            gboolean medium = !(wavelen < high_wavelen) && !(wavelen > low_wavelen);

            inv_freq[i] = medium ? smoothed : scaled;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * wh_model_config_n_params:
 * @config: a config
 *
 * Counts the embeddings, every layer's weights and biases and norms, the
 * final norm and, unless tied to the embeddings, the LM head.
 *
 * Returns: the number of parameters
 */
guint64
wh_model_config_n_params (const WhModelConfig *config)
{
  guint64 hidden, q_width, kv_width, layer, total;

  g_return_val_if_fail (config != NULL, 0);

  hidden = config->hidden_size;
  q_width = (guint64) config->n_heads * config->head_dim;
  kv_width = (guint64) config->n_kv_heads * config->head_dim;

  layer = hidden * q_width               /* q_proj */
          + 2 * hidden * kv_width        /* k_proj, v_proj */
          + q_width * hidden             /* o_proj */
          + 3 * hidden * config->intermediate_size  /* gate, up, down */
          + 2 * hidden;                  /* input and post-attention norms */
  if (config->attention_bias)
    layer += q_width + 2 * kv_width;
  if (config->o_proj_bias)
    layer += hidden;

  total = (guint64) config->vocab_size * hidden     /* embed_tokens */
          + config->n_layers * layer
          + hidden;                                 /* final norm */
  if (!config->tie_word_embeddings)
    total += (guint64) config->vocab_size * hidden; /* lm_head */

  return total;
}
