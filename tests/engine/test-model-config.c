/* test-model-config.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Model configs from config.json (written here for every variant and every
 * missing key, and the shared test data's) and from GGUF metadata (written
 * here, and the shared test data's); rotary frequencies against the ones
 * transformers computes (tests/reference/rope); parameter counts against
 * the published ones. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "wh-model-config.h"
#include "wh-test-files.h"

#define assert_error(error, code, ...) \
  wh_test_assert_error ((error), WH_MODEL_ERROR, (code), __VA_ARGS__)

static char *tmp_dir;

static const char llama_config[] =
  "{\n"
  "  \"architectures\": [\"LlamaForCausalLM\"],\n"
  "  \"model_type\": \"llama\",\n"
  "  \"vocab_size\": 32000,\n"
  "  \"hidden_size\": 2048,\n"
  "  \"intermediate_size\": 5632,\n"
  "  \"num_hidden_layers\": 22,\n"
  "  \"num_attention_heads\": 32,\n"
  "  \"num_key_value_heads\": 4,\n"
  "  \"max_position_embeddings\": 2048,\n"
  "  \"rms_norm_eps\": 1e-05,\n"
  "  \"rope_theta\": 10000.0,\n"
  "  \"rope_scaling\": null,\n"
  "  \"hidden_act\": \"silu\",\n"
  "  \"tie_word_embeddings\": false,\n"
  "  \"torch_dtype\": \"bfloat16\"\n"
  "}\n";

static const char qwen2_config[] =
  "{\n"
  "  \"architectures\": [\"Qwen2ForCausalLM\"],\n"
  "  \"model_type\": \"qwen2\",\n"
  "  \"vocab_size\": 151936,\n"
  "  \"hidden_size\": 896,\n"
  "  \"intermediate_size\": 4864,\n"
  "  \"num_hidden_layers\": 24,\n"
  "  \"num_attention_heads\": 14,\n"
  "  \"num_key_value_heads\": 2,\n"
  "  \"max_position_embeddings\": 32768,\n"
  "  \"max_window_layers\": 24,\n"
  "  \"rms_norm_eps\": 1e-06,\n"
  "  \"rope_theta\": 1000000.0,\n"
  "  \"sliding_window\": 32768,\n"
  "  \"use_sliding_window\": false,\n"
  "  \"tie_word_embeddings\": true\n"
  "}\n";

static const char llama32_config[] =
  "{\n"
  "  \"architectures\": [\"LlamaForCausalLM\"],\n"
  "  \"vocab_size\": 128256,\n"
  "  \"hidden_size\": 2048,\n"
  "  \"intermediate_size\": 8192,\n"
  "  \"num_hidden_layers\": 16,\n"
  "  \"num_attention_heads\": 32,\n"
  "  \"num_key_value_heads\": 8,\n"
  "  \"head_dim\": 64,\n"
  "  \"max_position_embeddings\": 131072,\n"
  "  \"rms_norm_eps\": 1e-05,\n"
  "  \"rope_theta\": 500000.0,\n"
  "  \"rope_scaling\": {\n"
  "    \"factor\": 32.0,\n"
  "    \"high_freq_factor\": 4.0,\n"
  "    \"low_freq_factor\": 1.0,\n"
  "    \"original_max_position_embeddings\": 8192,\n"
  "    \"rope_type\": \"llama3\"\n"
  "  },\n"
  "  \"attention_bias\": false,\n"
  "  \"mlp_bias\": false,\n"
  "  \"tie_word_embeddings\": true\n"
  "}\n";

/* Helpers */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* @base with the member @key ("a" or "a.b") set to the JSON @value, or
 * removed when @value is NULL. */
static char *
edit_json (const char *base,
           const char *key,
           const char *value)
{
  g_autoptr(JsonNode) root = parse_json (base);
  g_auto(GStrv) path = g_strsplit (key, ".", 2);
  JsonObject *object = json_node_get_object (root);
  const char *name = path[0];

  if (path[1] != NULL)
    {
      object = json_object_get_object_member (object, path[0]);
      name = path[1];
    }

  if (value == NULL)
    json_object_remove_member (object, name);
  else
    json_object_set_member (object, name, parse_json (value));

  return json_to_string (root, TRUE);
}

static gboolean
load_text (const char     *text,
           WhModelConfig  *config,
           GError        **error)
{
  g_autofree char *path = g_build_filename (tmp_dir, "config.json", NULL);

  wh_test_write_text (path, text);
  return wh_model_config_load_json (config, path, error);
}

static void
load_ok (const char    *text,
         WhModelConfig *config)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (load_text (text, config, &error));
  g_assert_no_error (error);
}

/* Loads @base with @key set to @value as for edit_json(). */
static void
load_edited (const char    *base,
             const char    *key,
             const char    *value,
             WhModelConfig *config)
{
  g_autofree char *text = edit_json (base, key, value);

  load_ok (text, config);
}

/* Loads @text, which must fail with @code and a message naming config.json
 * and @part. */
static void
assert_load_fails (const char *text,
                   int         code,
                   const char *part)
{
  g_autoptr(GError) error = NULL;
  WhModelConfig config = { 0 };

  g_assert_false (load_text (text, &config, &error));
  g_assert_null (config.architecture);
  assert_error (&error, code, "config.json", part, NULL);
}

/* An edit of llama_config that must fail, with a message naming @part. */
typedef struct
{
  const char *key;
  const char *value;
  const char *part;
} EditCase;

static void
assert_edits_fail (const EditCase *cases,
                   guint           n_cases,
                   int             code)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *text = edit_json (llama_config, cases[i].key, cases[i].value);

      g_test_message ("%s: %s", cases[i].key, cases[i].value);
      assert_load_fails (text, code, cases[i].part);
    }
}

/* Checks the fields that the tests check all together: all but the name
 * of the architecture, the parameters of RoPE scaling and o_proj_bias. */
static void
assert_shape (const WhModelConfig *c,
              const WhModelConfig *expected)
{
  g_assert_cmpint (c->arch, ==, expected->arch);
  g_assert_cmpuint (c->vocab_size, ==, expected->vocab_size);
  g_assert_cmpuint (c->hidden_size, ==, expected->hidden_size);
  g_assert_cmpuint (c->intermediate_size, ==, expected->intermediate_size);
  g_assert_cmpuint (c->n_layers, ==, expected->n_layers);
  g_assert_cmpuint (c->n_heads, ==, expected->n_heads);
  g_assert_cmpuint (c->n_kv_heads, ==, expected->n_kv_heads);
  g_assert_cmpuint (c->head_dim, ==, expected->head_dim);
  g_assert_cmpuint (c->max_position_embeddings, ==, expected->max_position_embeddings);
  g_assert_cmpfloat (c->rms_norm_eps, ==, expected->rms_norm_eps);
  g_assert_cmpfloat (c->rope_theta, ==, expected->rope_theta);
  g_assert_cmpint (c->rope_scaling, ==, expected->rope_scaling);
  g_assert_cmpint (c->tie_word_embeddings, ==, expected->tie_word_embeddings);
  g_assert_cmpint (c->attention_bias, ==, expected->attention_bias);
}

/* The shared test data's models/stories260K/hf/config.json. */
static const WhModelConfig stories260K_config = {
  .arch = WH_MODEL_ARCH_LLAMA,
  .vocab_size = 512, .hidden_size = 64, .intermediate_size = 172,
  .n_layers = 5, .n_heads = 8, .n_kv_heads = 4, .head_dim = 8, .max_position_embeddings = 512,
  .rms_norm_eps = 1e-5, .rope_theta = 10000.0, .rope_scaling = WH_ROPE_SCALING_NONE,
  .tie_word_embeddings = TRUE, .attention_bias = FALSE,
};

/* config.json */

static void
test_llama (void)
{
  WhModelConfig c = { 0 };

  /* TinyLlama-1.1B: GQA, head_dim from hidden_size. */
  load_ok (llama_config, &c);
  g_assert_cmpstr (c.architecture, ==, "LlamaForCausalLM");
  assert_shape (&c, &(WhModelConfig) {
    .arch = WH_MODEL_ARCH_LLAMA,
    .vocab_size = 32000, .hidden_size = 2048, .intermediate_size = 5632,
    .n_layers = 22, .n_heads = 32, .n_kv_heads = 4, .head_dim = 64, .max_position_embeddings = 2048,
    .rms_norm_eps = 1e-5, .rope_theta = 10000.0, .rope_scaling = WH_ROPE_SCALING_NONE,
    .tie_word_embeddings = FALSE, .attention_bias = FALSE,
  });
  g_assert_false (c.o_proj_bias);
  /* As published for TinyLlama-1.1B. */
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 1100048384);
  wh_model_config_clear (&c);
  g_assert_null (c.architecture);
}

static void
test_defaults (void)
{
  WhModelConfig c = { 0 };

  /* num_key_value_heads, absent or null: the number of heads. */
  for (guint k = 0; k < 2; k++)
    {
      load_edited (llama_config, "num_key_value_heads", k == 0 ? NULL : "null", &c);
      g_assert_cmpuint (c.n_kv_heads, ==, 32);
      wh_model_config_clear (&c);
    }

  /* rope_theta: 10000. */
  load_edited (llama_config, "rope_theta", NULL, &c);
  g_assert_cmpfloat (c.rope_theta, ==, 10000.0);
  wh_model_config_clear (&c);
  load_edited (llama_config, "rope_theta", "500000", &c);
  g_assert_cmpfloat (c.rope_theta, ==, 500000.0);
  wh_model_config_clear (&c);

  /* tie_word_embeddings: false for Llama. */
  load_edited (llama_config, "tie_word_embeddings", NULL, &c);
  g_assert_false (c.tie_word_embeddings);
  wh_model_config_clear (&c);

  load_edited (llama_config, "head_dim", "null", &c);
  g_assert_cmpuint (c.head_dim, ==, 64);
  wh_model_config_clear (&c);

  /* model_type where architectures is absent. */
  load_edited (llama_config, "architectures", NULL, &c);
  g_assert_cmpint (c.arch, ==, WH_MODEL_ARCH_LLAMA);
  g_assert_cmpstr (c.architecture, ==, "llama");
  wh_model_config_clear (&c);
}

static void
test_variants (void)
{
  WhModelConfig c = { 0 };
  g_autofree char *mistral = NULL;
  guint64 n_untied;

  load_ok (llama_config, &c);
  n_untied = wh_model_config_n_params (&c);
  wh_model_config_clear (&c);

  load_edited (llama_config, "tie_word_embeddings", "true", &c);
  g_assert_true (c.tie_word_embeddings);
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, n_untied - 32000 * 2048);
  wh_model_config_clear (&c);

  /* Llama's attention_bias puts biases on q, k, v and o. */
  load_edited (llama_config, "attention_bias", "true", &c);
  g_assert_true (c.attention_bias);
  g_assert_true (c.o_proj_bias);
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, n_untied + 22 * (2048 + 256 + 256 + 2048));
  wh_model_config_clear (&c);

  /* Mistral-Nemo: head_dim 128 where hidden_size / heads is 160, and a
   * sliding window, accepted and ignored. */
  {
    g_autofree char *a = edit_json (llama_config, "architectures", "[\"MistralForCausalLM\"]");
    g_autofree char *b = edit_json (a, "hidden_size", "5120");
    g_autofree char *d = edit_json (b, "head_dim", "128");

    mistral = edit_json (d, "sliding_window", "4096");
  }
  load_ok (mistral, &c);
  g_assert_cmpint (c.arch, ==, WH_MODEL_ARCH_LLAMA);
  g_assert_cmpstr (c.architecture, ==, "MistralForCausalLM");
  g_assert_cmpuint (c.head_dim, ==, 128);
  g_assert_cmpuint (c.hidden_size, ==, 5120);
  wh_model_config_clear (&c);

  /* Qwen2-0.5B: q/k/v biases, no o bias, tied. */
  load_ok (qwen2_config, &c);
  g_assert_cmpint (c.arch, ==, WH_MODEL_ARCH_QWEN2);
  g_assert_cmpstr (c.architecture, ==, "Qwen2ForCausalLM");
  g_assert_cmpuint (c.head_dim, ==, 64);
  g_assert_cmpuint (c.n_kv_heads, ==, 2);
  g_assert_cmpfloat (c.rope_theta, ==, 1e6);
  g_assert_cmpfloat (c.rms_norm_eps, ==, 1e-6);
  g_assert_true (c.attention_bias);
  g_assert_false (c.o_proj_bias);
  g_assert_true (c.tie_word_embeddings);
  /* As published for Qwen2-0.5B. */
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 494032768);
  wh_model_config_clear (&c);

  /* Qwen2Config's tie_word_embeddings defaults to false. */
  load_edited (qwen2_config, "tie_word_embeddings", NULL, &c);
  g_assert_false (c.tie_word_embeddings);
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 494032768 + 151936ull * 896);
  wh_model_config_clear (&c);

  /* head_dim, as later transformers read it for Qwen2 too. */
  load_edited (qwen2_config, "head_dim", "128", &c);
  g_assert_cmpuint (c.head_dim, ==, 128);
  g_assert_true (c.attention_bias);
  g_assert_cmpuint (wh_model_config_n_params (&c), ==,
                    494032768 + 24ull * (2 * 896 * (14 * 64) + 2 * 896 * (2 * 64) + 14 * 64 + 2 * 2 * 64));
  wh_model_config_clear (&c);
}

static void
test_rope_scaling (void)
{
  WhModelConfig c = { 0 };
  WhModelConfig d = { 0 };
  g_autofree char *params = NULL;
  g_autofree char *params_default = NULL;
  g_autofree char *params_linear = NULL;
  float a[64], b[64];

  load_edited (llama_config, "rope_scaling", "{\"type\": \"linear\", \"factor\": 4}", &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_LINEAR);
  g_assert_cmpfloat (c.rope_factor, ==, 4.0);
  wh_model_config_clear (&c);

  load_edited (llama_config, "rope_scaling", "{\"rope_type\": \"linear\", \"factor\": 2.5}", &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_LINEAR);
  g_assert_cmpfloat (c.rope_factor, ==, 2.5);
  wh_model_config_clear (&c);

  load_edited (llama_config, "rope_scaling", "{\"rope_type\": \"default\"}", &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_NONE);
  wh_model_config_clear (&c);

  /* Llama 3.2 1B. */
  load_ok (llama32_config, &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_LLAMA3);
  g_assert_cmpfloat (c.rope_factor, ==, 32.0);
  g_assert_cmpfloat (c.rope_low_freq_factor, ==, 1.0);
  g_assert_cmpfloat (c.rope_high_freq_factor, ==, 4.0);
  g_assert_cmpuint (c.rope_original_max_position, ==, 8192);
  g_assert_cmpfloat (c.rope_theta, ==, 500000.0);
  g_assert_true (c.tie_word_embeddings);
  /* As published for Llama-3.2-1B. */
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 1235814400);

  /* The transformers 5 form: rope_parameters, rope_theta inside it. */
  {
    g_autofree char *no_scaling = edit_json (llama32_config, "rope_scaling", NULL);
    g_autofree char *no_theta = edit_json (no_scaling, "rope_theta", NULL);

    params = edit_json (no_theta, "rope_parameters",
                        "{\"rope_type\": \"llama3\", \"rope_theta\": 500000.0, \"factor\": 32.0,"
                        " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                        " \"original_max_position_embeddings\": 8192}");
    params_default = edit_json (no_theta, "rope_parameters", "{\"rope_type\": \"default\", \"rope_theta\": 250000}");
    params_linear = edit_json (no_theta, "rope_parameters", "{\"rope_type\": \"linear\", \"factor\": 8}");
  }
  load_ok (params, &d);
  g_assert_cmpint (d.rope_scaling, ==, WH_ROPE_SCALING_LLAMA3);
  g_assert_cmpfloat (d.rope_theta, ==, 500000.0);
  g_assert_cmpfloat (d.rope_factor, ==, 32.0);
  g_assert_cmpuint (d.rope_original_max_position, ==, 8192);
  wh_model_config_rope_inv_freq (&c, a);
  wh_model_config_rope_inv_freq (&d, b);
  g_assert_cmpmem (a, 32 * sizeof (float), b, 32 * sizeof (float));
  wh_model_config_clear (&c);
  wh_model_config_clear (&d);

  load_ok (params_default, &d);
  g_assert_cmpint (d.rope_scaling, ==, WH_ROPE_SCALING_NONE);
  g_assert_cmpfloat (d.rope_theta, ==, 250000.0);
  wh_model_config_clear (&d);

  /* Keyed by layer type. */
  {
    g_autofree char *no_theta = edit_json (llama_config, "rope_theta", NULL);
    g_autofree char *by_layer = edit_json (no_theta, "rope_parameters",
                                           "{\"full_attention\": {\"rope_type\": \"linear\", \"factor\": 2,"
                                           " \"rope_theta\": 1000000},"
                                           " \"sliding_attention\": {\"rope_type\": \"default\","
                                           " \"rope_theta\": 10000}}");
    g_autofree char *by_layer_yarn = edit_json (no_theta, "rope_parameters",
                                                "{\"full_attention\": {\"rope_type\": \"yarn\", \"factor\": 2}}");

    load_ok (by_layer, &d);
    g_assert_cmpint (d.rope_scaling, ==, WH_ROPE_SCALING_LINEAR);
    g_assert_cmpfloat (d.rope_factor, ==, 2.0);
    g_assert_cmpfloat (d.rope_theta, ==, 1e6);
    wh_model_config_clear (&d);
    assert_load_fails (by_layer_yarn, WH_MODEL_ERROR_UNSUPPORTED, "yarn");
  }

  load_ok (params_linear, &d);
  g_assert_cmpint (d.rope_scaling, ==, WH_ROPE_SCALING_LINEAR);
  g_assert_cmpfloat (d.rope_theta, ==, 10000.0);
  g_assert_cmpfloat (d.rope_factor, ==, 8.0);
  wh_model_config_clear (&d);
}

static const char *required_keys[] = {
  "vocab_size",
  "hidden_size",
  "intermediate_size",
  "num_hidden_layers",
  "num_attention_heads",
  "max_position_embeddings",
  "rms_norm_eps",
};

static void
test_missing_keys (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (required_keys); i++)
    {
      g_autofree char *missing = edit_json (llama_config, required_keys[i], NULL);
      g_autofree char *null = edit_json (llama_config, required_keys[i], "null");
      g_autofree char *string = edit_json (llama_config, required_keys[i], "\"64\"");
      g_autofree char *negative = edit_json (llama_config, required_keys[i], "-1");
      g_autofree char *quoted = g_strdup_printf ("“%s”", required_keys[i]);

      assert_load_fails (missing, WH_MODEL_ERROR_CONFIG, quoted);
      assert_load_fails (null, WH_MODEL_ERROR_CONFIG, quoted);
      assert_load_fails (string, WH_MODEL_ERROR_CONFIG, quoted);
      assert_load_fails (negative, WH_MODEL_ERROR_CONFIG, quoted);

      /* Sizes must be whole numbers; rms_norm_eps may be anything positive. */
      if (!g_str_equal (required_keys[i], "rms_norm_eps"))
        {
          g_autofree char *fraction = edit_json (llama_config, required_keys[i], "64.5");
          g_autofree char *zero = edit_json (llama_config, required_keys[i], "0");

          assert_load_fails (fraction, WH_MODEL_ERROR_CONFIG, quoted);
          assert_load_fails (zero, WH_MODEL_ERROR_CONFIG, quoted);
        }
    }

  /* Neither architectures nor model_type. */
  {
    g_autofree char *a = edit_json (llama_config, "architectures", NULL);
    g_autofree char *b = edit_json (a, "model_type", NULL);

    assert_load_fails (b, WH_MODEL_ERROR_CONFIG, "“architectures”");
  }
}

static void
test_wrong_values (void)
{
  static const EditCase cases[] = {
    { "architectures", "\"LlamaForCausalLM\"", "“architectures”" },
    { "architectures", "[]", "“architectures”" },
    { "architectures", "[1]", "“architectures”" },
    { "num_key_value_heads", "\"4\"", "“num_key_value_heads”" },
    { "num_key_value_heads", "0", "“num_key_value_heads”" },
    { "num_key_value_heads", "5", "key/value heads" },
    { "head_dim", "63", "63" },
    { "head_dim", "\"64\"", "“head_dim”" },
    { "hidden_size", "2050", "head_dim" },
    { "hidden_size", "1099511627776", "“hidden_size”" },
    { "rope_theta", "\"10000\"", "“rope_theta”" },
    { "rope_theta", "0", "“rope_theta”" },
    { "tie_word_embeddings", "\"yes\"", "“tie_word_embeddings”" },
    { "attention_bias", "1", "“attention_bias”" },
    { "rope_scaling", "[1]", "“rope_scaling”" },
    { "rope_scaling", "{\"rope_type\": \"linear\"}", "“rope_scaling.factor”" },
    { "rope_scaling", "{\"rope_type\": 3, \"factor\": 2}", "“rope_scaling.rope_type”" },
    { "rope_scaling", "{\"rope_type\": \"linear\", \"factor\": \"2\"}", "“rope_scaling.factor”" },
    { "rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8, \"high_freq_factor\": 4,"
                      " \"original_max_position_embeddings\": 8192}", "“rope_scaling.low_freq_factor”" },
    { "rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 1,"
                      " \"original_max_position_embeddings\": 8192}", "“rope_scaling.high_freq_factor”" },
    { "rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 1,"
                      " \"high_freq_factor\": 4}", "“rope_scaling.original_max_position_embeddings”" },
    { "rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 4,"
                      " \"high_freq_factor\": 4, \"original_max_position_embeddings\": 8192}", "high_freq_factor" },
    { "rope_parameters", "{\"rope_type\": \"default\", \"rope_theta\": -1}", "“rope_parameters.rope_theta”" },
  };

  assert_edits_fail (cases, G_N_ELEMENTS (cases), WH_MODEL_ERROR_CONFIG);
}

static void
test_unsupported (void)
{
  static const EditCase cases[] = {
    { "architectures", "[\"GPT2LMHeadModel\"]", "GPT2LMHeadModel" },
    { "architectures", "[\"LlamaForSequenceClassification\"]", "LlamaForSequenceClassification" },
    { "architectures", "[\"Qwen3ForCausalLM\"]", "Qwen3ForCausalLM" },
    { "rope_scaling", "{\"rope_type\": \"yarn\", \"factor\": 4.0}", "“yarn”" },
    { "rope_scaling", "{\"type\": \"dynamic\", \"factor\": 2.0}", "“dynamic”" },
    { "rope_scaling", "{\"rope_type\": \"longrope\", \"long_factor\": [1], \"short_factor\": [1]}", "“longrope”" },
    { "rope_scaling", "{\"type\": \"su\"}", "“su”" },
    { "rope_parameters", "{\"rope_type\": \"yarn\", \"factor\": 4.0}", "“yarn”" },
    { "mlp_bias", "true", "mlp_bias" },
    { "hidden_act", "\"gelu\"", "“gelu”" },
    { "partial_rotary_factor", "0.5", "partial_rotary_factor" },
    { "quantization_config", "{\"quant_method\": \"awq\", \"bits\": 4}", "awq" },
  };

  assert_edits_fail (cases, G_N_ELEMENTS (cases), WH_MODEL_ERROR_UNSUPPORTED);

  /* The message lists what runs. */
  {
    g_autofree char *text = edit_json (llama_config, "architectures", "[\"GemmaForCausalLM\"]");
    g_autoptr(GError) error = NULL;
    WhModelConfig c = { 0 };

    g_assert_false (load_text (text, &c, &error));
    assert_error (&error, WH_MODEL_ERROR_UNSUPPORTED, "GemmaForCausalLM", "LlamaForCausalLM",
                  "MistralForCausalLM", "Qwen2ForCausalLM", NULL);
  }

  /* model_type alone, unknown. */
  {
    g_autofree char *a = edit_json (llama_config, "architectures", NULL);
    g_autofree char *b = edit_json (a, "model_type", "\"gemma\"");

    assert_load_fails (b, WH_MODEL_ERROR_UNSUPPORTED, "gemma");
  }

  /* What is accepted besides. */
  {
    g_autofree char *a = edit_json (llama_config, "mlp_bias", "false");
    g_autofree char *b = edit_json (a, "partial_rotary_factor", "1.0");
    g_autofree char *d = edit_json (b, "hidden_act", "\"swish\"");
    WhModelConfig c = { 0 };

    load_ok (d, &c);
    wh_model_config_clear (&c);
  }
}

static void
test_open_errors (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "missing", "config.json", NULL);
  g_autoptr(GError) error = NULL;
  WhModelConfig c = { 0 };

  g_assert_false (wh_model_config_load_json (&c, missing, &error));
  assert_error (&error, WH_MODEL_ERROR_OPEN, "config.json", NULL);

  assert_load_fails ("{\"vocab_size\": ", WH_MODEL_ERROR_CONFIG, "JSON");
  assert_load_fails ("[1, 2]", WH_MODEL_ERROR_CONFIG, "JSON object");
  assert_load_fails ("", WH_MODEL_ERROR_CONFIG, "JSON object");
}

static void
test_stories260K_json (void)
{
  g_autofree char *path = wh_test_find_data ("models/stories260K/hf/config.json");
  g_autoptr(GError) error = NULL;
  WhModelConfig c = { 0 };

  if (path == NULL)
    return;

  g_assert_true (wh_model_config_load_json (&c, path, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (c.architecture, ==, "LlamaForCausalLM");
  assert_shape (&c, &stories260K_config);
  /* The model's name: 260K parameters (the safetensors test counts them
   * in the file). */
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 260032);

  wh_model_config_clear (&c);
}

/* Rotary frequencies against transformers */

/* PyTorch's scalar kernels agree with ours bit for bit under glibc; allow
 * for other C libraries' powf.  Its AVX2/AVX-512 kernels take powers with
 * SLEEF (1 ULP), which can make inv_freq differ by 2 ULP. */
#define SCALAR_RTOL 1e-7
#define SIMD_RTOL   2.5e-7

static void
compare_inv_freq (const char *name,
                  const float *ours,
                  JsonArray   *theirs,
                  guint        n,
                  double       rtol,
                  guint       *n_exact)
{
  g_assert_cmpuint (json_array_get_length (theirs), ==, n);

  for (guint i = 0; i < n; i++)
    {
      float expected = json_array_get_double_element (theirs, i);
      double error = fabs ((double) ours[i] - expected) / expected;

      if (error > rtol)
        g_error ("%s: inv_freq[%u] is %.9g, transformers gives %.9g (relative error %.3g > %.3g)",
                 name, i, ours[i], expected, error, rtol);
      if (ours[i] == expected)
        (*n_exact)++;
    }
}

static void
test_inv_freq (void)
{
  const char *reference = g_getenv ("WH_REFERENCE_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *cases;
  guint n_values = 0, n_exact = 0, n_exact_simd = 0;

  g_assert_nonnull (reference);
  path = g_build_filename (reference, "rope", "inv_freq.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 5);

  for (guint k = 0; k < json_array_get_length (cases); k++)
    {
      JsonObject *tcase = json_array_get_object_element (cases, k);
      const char *name = json_object_get_string_member (tcase, "name");
      g_autofree char *text = json_to_string (json_object_get_member (tcase, "config"), TRUE);
      g_autofree float *ours = NULL;
      WhModelConfig c = { 0 };

      load_ok (text, &c);
      ours = g_new (float, c.head_dim / 2);
      wh_model_config_rope_inv_freq (&c, ours);

      compare_inv_freq (name, ours, json_object_get_array_member (tcase, "inv_freq"),
                        c.head_dim / 2, SCALAR_RTOL, &n_exact);
      compare_inv_freq (name, ours, json_object_get_array_member (tcase, "inv_freq_simd"),
                        c.head_dim / 2, SIMD_RTOL, &n_exact_simd);
      n_values += c.head_dim / 2;

      wh_model_config_clear (&c);
    }

  g_test_message ("%u of %u frequencies bit-identical to PyTorch's scalar kernels, %u to its SIMD kernels",
                  n_exact, n_values, n_exact_simd);
}

/* Independently of the fixtures: the unscaled frequencies are
 * theta^(-2i/d) to float precision, linear scaling divides them, llama3
 * leaves the high ones alone and divides the low ones by the factor. */
static void
test_inv_freq_shape (void)
{
  WhModelConfig c = { 0 };
  float base[32], scaled[32];

  load_ok (llama32_config, &c);

  c.rope_scaling = WH_ROPE_SCALING_NONE;
  wh_model_config_rope_inv_freq (&c, base);
  for (guint i = 0; i < 32; i++)
    g_assert_cmpfloat_with_epsilon (base[i] / pow (500000.0, -(double) (2 * i) / 64), 1.0, 3e-7);

  c.rope_scaling = WH_ROPE_SCALING_LINEAR;
  c.rope_factor = 4.0;
  wh_model_config_rope_inv_freq (&c, scaled);
  for (guint i = 0; i < 32; i++)
    g_assert_cmpfloat_with_epsilon (scaled[i] * 4.0 / base[i], 1.0, 2e-7);

  c.rope_scaling = WH_ROPE_SCALING_LLAMA3;
  c.rope_factor = 32.0;
  wh_model_config_rope_inv_freq (&c, scaled);
  for (guint i = 0; i < 32; i++)
    {
      double wavelen = 2 * G_PI / base[i];

      if (wavelen < 8192 / 4.0)
        g_assert_cmpfloat (scaled[i], ==, base[i]);
      else if (wavelen > 8192 / 1.0)
        g_assert_cmpfloat_with_epsilon (scaled[i] * 32.0 / base[i], 1.0, 2e-7);
      else
        g_assert_true (scaled[i] < base[i] && scaled[i] > base[i] / 32);
    }

  wh_model_config_clear (&c);
}

/* GGUF */

/* A small GGUF writer: keys, then f32 tensors. */
typedef struct
{
  GByteArray *kvs;
  guint       n_kvs;
  GByteArray *infos;
  GByteArray *data;
  guint       n_tensors;
} GgufWriter;

static void
put_uint (GByteArray *b,
          guint       width,
          guint64     value)
{
  for (guint i = 0; i < width; i++)
    {
      guint8 byte = value >> (8 * i);

      g_byte_array_append (b, &byte, 1);
    }
}

static void
put_string (GByteArray *b,
            const char *s)
{
  put_uint (b, 8, strlen (s));
  g_byte_array_append (b, (const guint8 *) s, strlen (s));
}

static void
put_f32 (GByteArray *b,
         float       value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  put_uint (b, 4, bits);
}

/* A key and its type; the value follows. */
static void
gguf_key (GgufWriter *w,
          const char *key,
          WhGgufType  type)
{
  put_string (w->kvs, key);
  put_uint (w->kvs, 4, type);
  w->n_kvs++;
}

static void
gguf_u32 (GgufWriter *w,
          const char *key,
          guint32     value)
{
  gguf_key (w, key, WH_GGUF_TYPE_UINT32);
  put_uint (w->kvs, 4, value);
}

static void
gguf_f32 (GgufWriter *w,
          const char *key,
          float       value)
{
  gguf_key (w, key, WH_GGUF_TYPE_FLOAT32);
  put_f32 (w->kvs, value);
}

static void
gguf_str (GgufWriter *w,
          const char *key,
          const char *value)
{
  gguf_key (w, key, WH_GGUF_TYPE_STRING);
  put_string (w->kvs, value);
}

/* tokenizer.ggml.tokens with @n tokens. */
static void
gguf_tokens (GgufWriter *w,
             guint       n)
{
  gguf_key (w, "tokenizer.ggml.tokens", WH_GGUF_TYPE_ARRAY);
  put_uint (w->kvs, 4, WH_GGUF_TYPE_STRING);
  put_uint (w->kvs, 8, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *token = g_strdup_printf ("t%u", i);

      put_string (w->kvs, token);
    }
}

/* A one-dimensional f32 tensor. */
static void
gguf_tensor (GgufWriter  *w,
             const char  *name,
             const float *values,
             guint        n)
{
  while (w->data->len % 32 != 0)
    put_uint (w->data, 1, 0);

  put_string (w->infos, name);
  put_uint (w->infos, 4, 1);
  put_uint (w->infos, 8, n);
  put_uint (w->infos, 4, 0);
  put_uint (w->infos, 8, w->data->len);
  for (guint i = 0; i < n; i++)
    put_f32 (w->data, values != NULL ? values[i] : 0.5f);
  w->n_tensors++;
}

static void
gguf_writer_init (GgufWriter *w)
{
  w->kvs = g_byte_array_new ();
  w->infos = g_byte_array_new ();
  w->data = g_byte_array_new ();
  w->n_kvs = 0;
  w->n_tensors = 0;
}

/* Writes the file and opens it; frees the writer's buffers. */
static WhGguf *
gguf_writer_finish (GgufWriter *w)
{
  g_autofree char *path = g_build_filename (tmp_dir, "model.gguf", NULL);
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  WhGguf *gguf;

  g_byte_array_append (b, (const guint8 *) "GGUF", 4);
  put_uint (b, 4, 3);
  put_uint (b, 8, w->n_tensors);
  put_uint (b, 8, w->n_kvs);
  g_byte_array_append (b, w->kvs->data, w->kvs->len);
  g_byte_array_append (b, w->infos->data, w->infos->len);
  while (b->len % 32 != 0)
    put_uint (b, 1, 0);
  g_byte_array_append (b, w->data->data, w->data->len);

  g_clear_pointer (&w->kvs, g_byte_array_unref);
  g_clear_pointer (&w->infos, g_byte_array_unref);
  g_clear_pointer (&w->data, g_byte_array_unref);

  wh_test_write_file (path, b->data, b->len);
  gguf = wh_gguf_open (path, &error);
  g_assert_no_error (error);
  return gguf;
}

/* What a GGUF file may leave out or change. */
typedef enum
{
  OMIT_NONE = 0,
  OMIT_ARCH = 1 << 0,
  OMIT_EMBEDDING = 1 << 1,
  OMIT_FFN = 1 << 2,
  OMIT_BLOCKS = 1 << 3,
  OMIT_HEADS = 1 << 4,
  OMIT_CONTEXT = 1 << 5,
  OMIT_EPS = 1 << 6,
  OMIT_VOCAB = 1 << 7,   /* both <arch>.vocab_size and the tokens */
  OMIT_OUTPUT = 1 << 8,  /* tied */
  WITH_VOCAB_KEY = 1 << 9,
  WITH_KV_AND_KEY_LENGTH = 1 << 10,
  WITH_BIASES = 1 << 11,
} GgufVariant;

/* Adds keys for @arch. */
typedef void (*GgufExtraKvs) (GgufWriter *w,
                              const char *arch);

/* A Qwen2-0.5B-shaped (or llama) file without weights but for a few
 * marker tensors; @extra_kvs adds keys, @rope_freqs a rope_freqs.weight. */
static WhGguf *
make_gguf (const char   *arch,
           guint         variant,
           GgufExtraKvs  extra_kvs,
           const float  *rope_freqs)
{
  GgufWriter w;
  g_autofree char *k_embedding = g_strdup_printf ("%s.embedding_length", arch);
  g_autofree char *k_ffn = g_strdup_printf ("%s.feed_forward_length", arch);
  g_autofree char *k_blocks = g_strdup_printf ("%s.block_count", arch);
  g_autofree char *k_heads = g_strdup_printf ("%s.attention.head_count", arch);
  g_autofree char *k_kv = g_strdup_printf ("%s.attention.head_count_kv", arch);
  g_autofree char *k_key_length = g_strdup_printf ("%s.attention.key_length", arch);
  g_autofree char *k_context = g_strdup_printf ("%s.context_length", arch);
  g_autofree char *k_eps = g_strdup_printf ("%s.attention.layer_norm_rms_epsilon", arch);
  g_autofree char *k_base = g_strdup_printf ("%s.rope.freq_base", arch);
  g_autofree char *k_vocab = g_strdup_printf ("%s.vocab_size", arch);

  gguf_writer_init (&w);
  if (!(variant & OMIT_ARCH))
    gguf_str (&w, "general.architecture", arch);
  gguf_str (&w, "general.name", "test");
  if (!(variant & OMIT_EMBEDDING))
    gguf_u32 (&w, k_embedding, 896);
  if (!(variant & OMIT_FFN))
    gguf_u32 (&w, k_ffn, 4864);
  if (!(variant & OMIT_BLOCKS))
    gguf_u32 (&w, k_blocks, 24);
  if (!(variant & OMIT_HEADS))
    gguf_u32 (&w, k_heads, 14);
  if (variant & WITH_KV_AND_KEY_LENGTH)
    {
      gguf_u32 (&w, k_kv, 2);
      gguf_u32 (&w, k_key_length, 128);
    }
  if (!(variant & OMIT_CONTEXT))
    gguf_u32 (&w, k_context, 32768);
  if (!(variant & OMIT_EPS))
    gguf_f32 (&w, k_eps, 1e-6f);
  gguf_f32 (&w, k_base, 1000000.0f);
  if (variant & WITH_VOCAB_KEY)
    gguf_u32 (&w, k_vocab, 151936);
  if (!(variant & OMIT_VOCAB))
    gguf_tokens (&w, 300);
  if (extra_kvs != NULL)
    extra_kvs (&w, arch);

  gguf_tensor (&w, "token_embd.weight", NULL, 4);
  if (!(variant & OMIT_OUTPUT))
    gguf_tensor (&w, "output.weight", NULL, 4);
  if (variant & WITH_BIASES)
    {
      gguf_tensor (&w, "blk.0.attn_q.bias", NULL, 4);
      gguf_tensor (&w, "blk.0.attn_output.bias", NULL, 4);
    }
  if (rope_freqs != NULL)
    gguf_tensor (&w, "rope_freqs.weight", rope_freqs, 32);

  return gguf_writer_finish (&w);
}

/* Loads the file make_gguf() makes, which must succeed. */
static void
load_gguf_ok (const char    *arch,
              guint          variant,
              GgufExtraKvs   extra_kvs,
              const float   *rope_freqs,
              WhModelConfig *config)
{
  g_autoptr(WhGguf) gguf = make_gguf (arch, variant, extra_kvs, rope_freqs);
  g_autoptr(GError) error = NULL;

  g_assert_true (wh_model_config_load_gguf (config, gguf, &error));
  g_assert_no_error (error);
}

/* Loads the file make_gguf() makes, which must fail with *@error set. */
static void
load_gguf_fails (const char    *arch,
                 guint          variant,
                 GgufExtraKvs   extra_kvs,
                 const float   *rope_freqs,
                 GError       **error)
{
  g_autoptr(WhGguf) gguf = make_gguf (arch, variant, extra_kvs, rope_freqs);
  WhModelConfig c = { 0 };

  g_assert_false (wh_model_config_load_gguf (&c, gguf, error));
  g_assert_null (c.architecture);
}

static void
test_gguf_written (void)
{
  WhModelConfig c = { 0 };

  load_gguf_ok ("qwen2", OMIT_NONE, NULL, NULL, &c);
  g_assert_cmpstr (c.architecture, ==, "qwen2");
  assert_shape (&c, &(WhModelConfig) {
    .arch = WH_MODEL_ARCH_QWEN2,
    .vocab_size = 300 /* from the tokens */, .hidden_size = 896, .intermediate_size = 4864,
    .n_layers = 24, .n_heads = 14, .n_kv_heads = 14, .head_dim = 64, .max_position_embeddings = 32768,
    .rms_norm_eps = 1e-6f, .rope_theta = 1e6, .rope_scaling = WH_ROPE_SCALING_NONE,
    .tie_word_embeddings = FALSE, .attention_bias = TRUE,
  });
  g_assert_false (c.o_proj_bias);
  wh_model_config_clear (&c);

  load_gguf_ok ("qwen2", WITH_VOCAB_KEY | WITH_KV_AND_KEY_LENGTH | OMIT_OUTPUT, NULL, NULL, &c);
  g_assert_cmpuint (c.vocab_size, ==, 151936);
  g_assert_cmpuint (c.n_kv_heads, ==, 2);
  g_assert_cmpuint (c.head_dim, ==, 128);
  g_assert_true (c.tie_word_embeddings);
  wh_model_config_clear (&c);

  load_gguf_ok ("llama", WITH_BIASES, NULL, NULL, &c);
  g_assert_cmpint (c.arch, ==, WH_MODEL_ARCH_LLAMA);
  g_assert_true (c.attention_bias);
  g_assert_true (c.o_proj_bias);
  wh_model_config_clear (&c);

  load_gguf_ok ("llama", OMIT_NONE, NULL, NULL, &c);
  g_assert_false (c.attention_bias);
  g_assert_false (c.o_proj_bias);
  wh_model_config_clear (&c);
}

static void
test_gguf_missing_keys (void)
{
  static const struct
  {
    guint       variant;
    const char *part;
  } cases[] = {
    { OMIT_ARCH, "general.architecture" },
    { OMIT_EMBEDDING, "qwen2.embedding_length" },
    { OMIT_FFN, "qwen2.feed_forward_length" },
    { OMIT_BLOCKS, "qwen2.block_count" },
    { OMIT_HEADS, "qwen2.attention.head_count" },
    { OMIT_CONTEXT, "qwen2.context_length" },
    { OMIT_EPS, "qwen2.attention.layer_norm_rms_epsilon" },
    { OMIT_VOCAB, "qwen2.vocab_size" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      load_gguf_fails ("qwen2", cases[i].variant, NULL, NULL, &error);
      assert_error (&error, WH_MODEL_ERROR_CONFIG, "model.gguf", cases[i].part, NULL);
    }
}

static void
add_linear (GgufWriter *w,
            const char *arch)
{
  g_autofree char *type = g_strdup_printf ("%s.rope.scaling.type", arch);
  g_autofree char *factor = g_strdup_printf ("%s.rope.scaling.factor", arch);
  g_autofree char *original = g_strdup_printf ("%s.rope.scaling.original_context_length", arch);

  gguf_str (w, type, "linear");
  gguf_f32 (w, factor, 4.0f);
  gguf_u32 (w, original, 4096);
}

static void
add_linear_without_factor (GgufWriter *w,
                           const char *arch)
{
  g_autofree char *type = g_strdup_printf ("%s.rope.scaling.type", arch);

  gguf_str (w, type, "linear");
}

static void
add_yarn (GgufWriter *w,
          const char *arch)
{
  g_autofree char *type = g_strdup_printf ("%s.rope.scaling.type", arch);
  g_autofree char *factor = g_strdup_printf ("%s.rope.scaling.factor", arch);

  gguf_str (w, type, "yarn");
  gguf_f32 (w, factor, 4.0f);
}

static void
add_none (GgufWriter *w,
          const char *arch)
{
  g_autofree char *type = g_strdup_printf ("%s.rope.scaling.type", arch);

  gguf_str (w, type, "none");
}

static void
add_partial_rotary (GgufWriter *w,
                    const char *arch)
{
  g_autofree char *dims = g_strdup_printf ("%s.rope.dimension_count", arch);

  gguf_u32 (w, dims, 32);
}

static void
add_full_rotary (GgufWriter *w,
                 const char *arch)
{
  g_autofree char *dims = g_strdup_printf ("%s.rope.dimension_count", arch);

  gguf_u32 (w, dims, 64);
}

static void
add_wrong_type (GgufWriter *w,
                const char *arch)
{
  g_autofree char *key = g_strdup_printf ("%s.attention.head_count_kv", arch);

  gguf_str (w, key, "two");
}

/* rope_freqs.weight as llama.cpp's convert_hf_to_gguf.py writes it for a
 * llama3 rope_scaling: the frequencies in float32, the factors in double,
 * stored as float32.  head_dim 64, rope_theta 1e6 (the test files'). */
static void
make_rope_freqs (double  factor,
                 double  low_freq_factor,
                 double  high_freq_factor,
                 double  old_context_len,
                 float  *out)
{
  for (guint i = 0; i < 32; i++)
    {
      float freq = 1.0f / powf (1000000.0f, (float) (2 * i) / 64.0f);
      double wavelen = 2 * G_PI / freq;
      double low_wavelen = old_context_len / low_freq_factor;
      double high_wavelen = old_context_len / high_freq_factor;

      if (wavelen < high_wavelen)
        out[i] = 1;
      else if (wavelen > low_wavelen)
        out[i] = factor;
      else
        {
          double smooth = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor);

          out[i] = 1 / ((1 - smooth) / factor + smooth);
        }
    }
}

static void
test_gguf_rope (void)
{
  g_autoptr(GError) error = NULL;
  WhModelConfig c = { 0 };
  float freqs[32];

  load_gguf_ok ("llama", OMIT_NONE, add_linear, NULL, &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_LINEAR);
  g_assert_cmpfloat (c.rope_factor, ==, 4.0);
  g_assert_cmpuint (c.rope_original_max_position, ==, 4096);
  wh_model_config_clear (&c);

  load_gguf_ok ("llama", OMIT_NONE, add_none, NULL, &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_NONE);
  wh_model_config_clear (&c);

  load_gguf_ok ("llama", OMIT_NONE, add_full_rotary, NULL, &c);
  wh_model_config_clear (&c);

  /* Llama 3.x: rope_freqs.weight. */
  for (guint k = 0; k < 2; k++)
    {
      double factor = k == 0 ? 8.0 : 32.0;

      make_rope_freqs (factor, 1.0, 4.0, 8192, freqs);
      load_gguf_ok ("llama", OMIT_NONE, NULL, freqs, &c);
      g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_LLAMA3);
      g_assert_cmpfloat (c.rope_factor, ==, factor);
      g_assert_cmpfloat (c.rope_low_freq_factor, ==, 1.0);
      g_assert_cmpfloat (c.rope_high_freq_factor, ==, 4.0);
      g_assert_cmpuint (c.rope_original_max_position, ==, 8192);
      wh_model_config_clear (&c);
    }

  /* All ones: no scaling. */
  for (guint i = 0; i < 32; i++)
    freqs[i] = 1;
  load_gguf_ok ("llama", OMIT_NONE, NULL, freqs, &c);
  g_assert_cmpint (c.rope_scaling, ==, WH_ROPE_SCALING_NONE);
  wh_model_config_clear (&c);

  /* Factors of other parameters, or not factors at all. */
  for (guint k = 0; k < 3; k++)
    {
      if (k == 0)
        make_rope_freqs (8.0, 1.0, 4.0, 4096, freqs);
      else if (k == 1)
        make_rope_freqs (8.0, 2.0, 4.0, 8192, freqs);
      else
        for (guint i = 0; i < 32; i++)
          freqs[i] = i == 3 ? 0.5f : 2.0f;

      load_gguf_fails ("llama", OMIT_NONE, NULL, freqs, &error);
      assert_error (&error, WH_MODEL_ERROR_UNSUPPORTED, "model.gguf", "rope_freqs.weight", NULL);
    }

  load_gguf_fails ("llama", OMIT_NONE, add_yarn, NULL, &error);
  assert_error (&error, WH_MODEL_ERROR_UNSUPPORTED, "model.gguf", "“yarn”", NULL);

  load_gguf_fails ("llama", OMIT_NONE, add_linear_without_factor, NULL, &error);
  assert_error (&error, WH_MODEL_ERROR_CONFIG, "model.gguf", "llama.rope.scaling.factor", NULL);

  load_gguf_fails ("llama", OMIT_NONE, add_partial_rotary, NULL, &error);
  assert_error (&error, WH_MODEL_ERROR_UNSUPPORTED, "model.gguf", "32", NULL);

  load_gguf_fails ("llama", OMIT_NONE, add_wrong_type, NULL, &error);
  assert_error (&error, WH_MODEL_ERROR_CONFIG, "llama.attention.head_count_kv", NULL);

  load_gguf_fails ("gemma2", OMIT_NONE, NULL, NULL, &error);
  assert_error (&error, WH_MODEL_ERROR_UNSUPPORTED, "model.gguf", "gemma2", "llama", "qwen2", NULL);
}

static void
test_stories260K_gguf (void)
{
  g_autofree char *path = wh_test_find_data ("models/stories260K/stories260K-f32.gguf");
  g_autofree char *dir = NULL;
  g_autofree char *json_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhGguf) gguf = NULL;
  WhModelConfig c = { 0 };
  WhModelConfig hf = { 0 };
  WhModelConfig expected = stories260K_config;
  float a[4], b[4];

  if (path == NULL)
    return;
  dir = g_path_get_dirname (path);
  json_path = g_build_filename (dir, "hf", "config.json", NULL);

  gguf = wh_gguf_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (wh_model_config_load_gguf (&c, gguf, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (c.architecture, ==, "llama");
  /* config.json's, but for these. */
  /* The file says 128 (see the test data's README). */
  expected.max_position_embeddings = 128;
  expected.rms_norm_eps = 1e-5f;
  /* The file has output.weight, a copy of the embeddings. */
  expected.tie_word_embeddings = FALSE;
  assert_shape (&c, &expected);
  g_assert_cmpuint (wh_model_config_n_params (&c), ==, 260032 + 512 * 64);

  if (g_file_test (json_path, G_FILE_TEST_IS_REGULAR))
    {
      g_assert_true (wh_model_config_load_json (&hf, json_path, &error));
      g_assert_no_error (error);
      wh_model_config_rope_inv_freq (&c, a);
      wh_model_config_rope_inv_freq (&hf, b);
      g_assert_cmpmem (a, sizeof a, b, sizeof b);
      wh_model_config_clear (&hf);
    }

  wh_model_config_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tmp_dir = wh_test_make_dir ("test-model-config-XXXXXX");

  g_test_add_func ("/whetstone/model-config/llama", test_llama);
  g_test_add_func ("/whetstone/model-config/defaults", test_defaults);
  g_test_add_func ("/whetstone/model-config/variants", test_variants);
  g_test_add_func ("/whetstone/model-config/rope-scaling", test_rope_scaling);
  g_test_add_func ("/whetstone/model-config/missing-keys", test_missing_keys);
  g_test_add_func ("/whetstone/model-config/wrong-values", test_wrong_values);
  g_test_add_func ("/whetstone/model-config/unsupported", test_unsupported);
  g_test_add_func ("/whetstone/model-config/open-errors", test_open_errors);
  g_test_add_func ("/whetstone/model-config/stories260K", test_stories260K_json);
  g_test_add_func ("/whetstone/model-config/inv-freq", test_inv_freq);
  g_test_add_func ("/whetstone/model-config/inv-freq-shape", test_inv_freq_shape);
  g_test_add_func ("/whetstone/model-config/gguf", test_gguf_written);
  g_test_add_func ("/whetstone/model-config/gguf-missing-keys", test_gguf_missing_keys);
  g_test_add_func ("/whetstone/model-config/gguf-rope", test_gguf_rope);
  g_test_add_func ("/whetstone/model-config/gguf-stories260K", test_stories260K_gguf);

  status = g_test_run ();

  wh_test_remove_dir (tmp_dir);
  g_free (tmp_dir);

  return status;
}
