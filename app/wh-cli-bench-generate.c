/* wh-cli-bench-generate.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-cli.h"
#include "wh-generate.h"

/* `whetstone-cli bench generate`: prompt processing and generation speed
 * of a model file, or of random weights shaped like Llama-3.2-1B. */

static void
llama32_1b_config (WhModelConfig *c)
{
  memset (c, 0, sizeof *c);
  c->arch = WH_MODEL_ARCH_LLAMA;
  c->architecture = (char *) "LlamaForCausalLM";
  c->vocab_size = 128256;
  c->hidden_size = 2048;
  c->intermediate_size = 8192;
  c->n_layers = 16;
  c->n_heads = 32;
  c->n_kv_heads = 8;
  c->head_dim = 64;
  c->max_position_embeddings = 131072;
  c->rms_norm_eps = 1e-5;
  c->rope_theta = 500000;
  c->rope_scaling = WH_ROPE_SCALING_LLAMA3;
  c->rope_factor = 32;
  c->rope_low_freq_factor = 1;
  c->rope_high_freq_factor = 4;
  c->rope_original_max_position = 8192;
  c->tie_word_embeddings = TRUE;
}

static gboolean
parse_type (const char *name,
            WhClDType  *type)
{
  static const WhClDType types[] = { WH_CL_DTYPE_F32, WH_CL_DTYPE_F16, WH_CL_DTYPE_BF16,
                                     WH_CL_DTYPE_Q8_0, WH_CL_DTYPE_Q4_0 };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (name, wh_cl_dtype_to_string (types[i])) == 0)
      {
        *type = types[i];
        return TRUE;
      }
  return FALSE;
}

int
wh_cli_bench_generate (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *device_spec = NULL;
  g_autofree char *type_name = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(GArray) prompt = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree char *summary = NULL;
  gboolean random_1b = FALSE, json = FALSE;
  int n_prompt = 128, n_gen = 32;
  WhClDType type = WH_CL_DTYPE_BF16;
  WhGenerateOptions options;
  WhGenerateStats stats;
  WhModelMemory mem;
  const WhModelConfig *c;
  gint64 t0;
  double load_s;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("A model folder or .gguf file"), N_("PATH") },
    { "random-1b", 0, 0, G_OPTION_ARG_NONE, &random_1b, N_("Random weights shaped like Llama-3.2-1B instead"), NULL },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type_name, N_("Weight type of the random model: f32, f16, bf16 (default), q8_0, q4_0"), N_("TYPE") },
    { "prompt-tokens", 'p', 0, G_OPTION_ARG_INT, &n_prompt, N_("Prompt length (default 128)"), N_("N") },
    { "tokens", 'n', 0, G_OPTION_ARG_INT, &n_gen, N_("Tokens to generate (default 32)"), N_("N") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Measures prompt processing and generation speed on a device."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if ((model_path == NULL) == !random_1b)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give --model PATH or --random-1b"));
      return WH_CLI_EXIT_USAGE;
    }
  if (type_name != NULL && !parse_type (type_name, &type))
    {
      g_printerr ("whetstone-cli: %s\n", _("--type must be f32, f16, bf16, q8_0 or q4_0"));
      return WH_CLI_EXIT_USAGE;
    }
  n_prompt = CLAMP (n_prompt, 1, 8192);
  n_gen = CLAMP (n_gen, 1, 8192);

  if (!(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new (device, &error)))
    return wh_cli_fail (error);

  t0 = g_get_monotonic_time ();
  if (random_1b)
    {
      WhModelConfig config;

      llama32_1b_config (&config);
      model = wh_model_new_random (ctx, &config, type, 1, n_prompt + n_gen, &error);
    }
  else
    model = wh_model_load (ctx, model_path, n_prompt + n_gen, &error);
  if (model == NULL)
    return wh_cli_fail (error);
  load_s = (g_get_monotonic_time () - t0) / 1e6;
  c = wh_model_get_config (model);

  /* A fixed pseudo-random prompt inside the vocabulary. */
  for (int i = 0; i < n_prompt; i++)
    {
      gint32 id = (gint32) ((i * 2654435761u + 12345u) % c->vocab_size);
      g_array_append_val (prompt, id);
    }

  wh_generate_options_init (&options);
  options.max_tokens = n_gen;
  if (!wh_model_generate (model, (const gint32 *) (gpointer) prompt->data, prompt->len, &options,
                          NULL, NULL, NULL, NULL, NULL, &stats, &error))
    return wh_cli_fail (error);
  wh_model_get_memory (model, &mem);
  summary = wh_model_dup_dtypes (model);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, random_1b ? "random Llama-3.2-1B shape" : model_path);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, device->name);
      json_builder_set_member_name (b, "weights");
      json_builder_add_string_value (b, summary);
      json_builder_set_member_name (b, "prompt_tokens_per_second");
      json_builder_add_double_value (b, stats.prompt_tokens / MAX (stats.prompt_seconds, 1e-9));
      json_builder_set_member_name (b, "tokens_per_second");
      json_builder_add_double_value (b, stats.generated_tokens / MAX (stats.generate_seconds, 1e-9));
      json_builder_set_member_name (b, "weights_bytes");
      json_builder_add_int_value (b, mem.weights);
      json_builder_set_member_name (b, "scratch_bytes");
      json_builder_add_int_value (b, mem.scratch);
      json_builder_set_member_name (b, "activations_bytes");
      json_builder_add_int_value (b, mem.activations);
      json_builder_set_member_name (b, "kv_cache_bytes");
      json_builder_add_int_value (b, mem.kv_cache);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
      return WH_CLI_EXIT_OK;
    }

  {
    g_autofree char *w = g_format_size_full (mem.weights, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *s = g_format_size_full (mem.scratch, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *a = g_format_size_full (mem.activations, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *k = g_format_size_full (mem.kv_cache, G_FORMAT_SIZE_IEC_UNITS);

    g_print ("%s: %s (%s), %s\n", _("Model"), random_1b ? _("random weights, Llama-3.2-1B shape") : model_path,
             summary, device->name);
    g_print ("%s: %.1f s\n", _("Loading"), load_s);
    g_print ("%s: %" G_GSIZE_FORMAT " %s, %.1f %s\n", _("Prompt"), stats.prompt_tokens, _("tokens"),
             stats.prompt_tokens / MAX (stats.prompt_seconds, 1e-9), _("tokens/s"));
    g_print ("%s: %" G_GSIZE_FORMAT " %s, %.2f %s\n", _("Generation"), stats.generated_tokens, _("tokens"),
             stats.generated_tokens / MAX (stats.generate_seconds, 1e-9), _("tokens/s"));
    g_print ("%s: %s %s, %s %s, %s %s, %s %s\n", _("Device memory"), w, _("weights"), s, _("scratch"),
             a, _("activations"), k, _("KV cache"));
  }

  return WH_CLI_EXIT_OK;
}
