/* wh-cli-model.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "wh-adapter.h"
#include "wh-cli.h"
#include "wh-preset.h"
#include "wh-generate.h"
#include "wh-model-info.h"

/* `whetstone-cli inspect`, `generate` and `score`: a model without the
 * window. */

static void
json_member_int (JsonBuilder *b,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
json_member_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
json_member_estimate (JsonBuilder            *b,
                      const char             *name,
                      const WhMemoryEstimate *e)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_member_int (b, "weights_bytes", e->weights);
  json_member_int (b, "kv_cache_bytes", e->kv_cache);
  json_member_int (b, "adapter_bytes", e->adapter);
  json_member_int (b, "activations_bytes", e->activations);
  json_member_int (b, "total_bytes", e->total);
  json_builder_end_object (b);
}

/* "Label:" padded to a column, counting characters rather than bytes. */
static void
print_row (const char *label,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
print_row (const char *label,
           const char *format,
           ...)
{
  g_autofree char *value = NULL;
  glong pad = 22 - g_utf8_strlen (label, -1);
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s%*s %s\n", label, (int) MAX (pad, 0), "", value);
}

int
wh_cli_inspect (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  gboolean json = FALSE;
  int seq_len = 1024;
  WhModelInfo info;
  WhMemoryEstimate infer, lora;
  const WhModelConfig *c;
  const char *tok_kind;
  const GOptionEntry entries[] = {
    { "seq-len", 's', 0, G_OPTION_ARG_INT, &seq_len, N_("Sequence length for the memory estimates (default 1024)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("MODEL"));
  g_option_context_set_summary (context, _("Describes a model folder or .gguf file and the device memory it needs."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one model: whetstone-cli inspect MODEL"));
      return WH_CLI_EXIT_USAGE;
    }
  model = g_strdup (argv[1]);
  seq_len = CLAMP (seq_len, 1, 1 << 20);

  if (!wh_model_info_load (&info, model, &error))
    return wh_cli_fail (error);
  c = &info.config;
  wh_model_info_estimate_inference (&info, seq_len, &infer);
  wh_model_info_estimate_lora (&info, seq_len, &lora);
  tok_kind = info.tokenizer == NULL ? NULL
           : wh_tokenizer_get_kind (info.tokenizer) == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE ? "byte-level BPE"
           : "SentencePiece BPE";

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_member_string (b, "architecture", c->architecture);
      json_member_string (b, "format", info.format);
      json_member_int (b, "parameters", info.n_params);
      json_member_int (b, "layers", c->n_layers);
      json_member_int (b, "hidden_size", c->hidden_size);
      json_member_int (b, "intermediate_size", c->intermediate_size);
      json_member_int (b, "heads", c->n_heads);
      json_member_int (b, "kv_heads", c->n_kv_heads);
      json_member_int (b, "head_dim", c->head_dim);
      json_member_int (b, "vocab_size", c->vocab_size);
      json_member_int (b, "context", c->max_position_embeddings);
      json_member_string (b, "dtypes", info.dtypes);
      json_member_int (b, "weights_bytes", info.weight_bytes);
      json_member_string (b, "tokenizer", tok_kind);
      json_member_string (b, "chat_template", info.template_family);
      json_member_int (b, "seq_len", seq_len);
      json_member_estimate (b, "inference", &infer);
      json_member_estimate (b, "lora_training", &lora);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
    }
  else
    {
      g_autofree char *w = g_format_size_full (info.weight_bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *i = g_format_size_full (infer.total, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *l = g_format_size_full (lora.total, G_FORMAT_SIZE_IEC_UNITS);

      print_row (_("Architecture:"), "%s (%s)", c->architecture, info.format);
      print_row (_("Parameters:"), "%.1f M", info.n_params / 1e6);
      print_row (_("Layers × width:"), "%u × %u, %s %u", c->n_layers, c->hidden_size,
                 _("feed-forward"), c->intermediate_size);
      print_row (_("Attention heads:"), "%u (%u key/value), %s %u", c->n_heads, c->n_kv_heads,
                 _("head size"), c->head_dim);
      print_row (_("Context:"), "%u %s", c->max_position_embeddings, _("tokens"));
      print_row (_("Weights:"), "%s, %s", info.dtypes, w);
      print_row (_("Tokenizer:"), "%s, %u %s", tok_kind ? tok_kind : _("none"), c->vocab_size, _("tokens"));
      print_row (_("Chat template:"), "%s", info.template_family ? info.template_family : _("not recognised"));
      print_row (_("Memory to generate:"), "%s (%s %d)", i, _("context"), seq_len);
      print_row (_("Memory for LoRA:"), "%s (%s %d)", l, _("sequences of"), seq_len);
    }

  wh_model_info_clear (&info);
  return WH_CLI_EXIT_OK;
}

/* Without --model: the built-in demo model, when it is installed. */
static char *
dup_demo_model (void)
{
  g_autofree char *dir = wh_demo_model_dup_dir ();

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("whetstone-cli: %s\n", _("Give --model PATH (the built-in demo model is not installed)"));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

static WhModel *
open_model (const char    *device_spec,
            const char    *path,
            gsize          n_ctx,
            WhClContext  **ctx_out,
            GError       **error)
{
  g_autoptr(WhClDeviceInfo) device = NULL;
  WhClContext *ctx;
  WhModel *model;

  if (!(device = wh_cli_open_device (device_spec, error)) ||
      !(ctx = wh_cl_context_new (device, error)))
    return NULL;
  if (!(model = wh_model_load (ctx, path, n_ctx, error)))
    {
      wh_cl_context_free (ctx);
      return NULL;
    }
  *ctx_out = ctx;
  return model;
}

static void
print_piece (const char *text,
             gpointer    user_data)
{
  fputs (text, stdout);
  fflush (stdout);
}

int
wh_cli_generate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *system = NULL;
  g_autofree char *adapter = NULL;
  g_autofree char *device_spec = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) lora = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean chat = FALSE, json = FALSE;
  int max_tokens = 128, top_k = 0;
  double temperature = 0.0, top_p = 1.0, min_p = 0.0, rep = 1.0;
  gint64 seed = 0;
  WhGenerateOptions options;
  WhGenerateStats stats;
  WhTokenizer *tok;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("A model folder or .gguf file (default: the built-in demo model)"), N_("PATH") },
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("The text to continue"), N_("TEXT") },
    { "chat", 0, 0, G_OPTION_ARG_NONE, &chat, N_("Send the prompt as a user turn with the model’s chat template"), NULL },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("A system prompt before the user turn (implies --chat)"), N_("TEXT") },
    { "adapter", 'a', 0, G_OPTION_ARG_FILENAME, &adapter, N_("A LoRA adapter folder (PEFT format) to apply"), N_("DIR") },
    { "max-tokens", 'n', 0, G_OPTION_ARG_INT, &max_tokens, N_("Tokens to generate at most (default 128)"), N_("N") },
    { "temperature", 't', 0, G_OPTION_ARG_DOUBLE, &temperature, N_("0 for greedy (default), higher for more variety"), N_("T") },
    { "top-k", 0, 0, G_OPTION_ARG_INT, &top_k, N_("Sample among the K likeliest tokens"), N_("K") },
    { "top-p", 0, 0, G_OPTION_ARG_DOUBLE, &top_p, N_("Sample among the likeliest tokens holding this probability"), N_("P") },
    { "min-p", 0, 0, G_OPTION_ARG_DOUBLE, &min_p, N_("Drop tokens less likely than this fraction of the likeliest"), N_("P") },
    { "repetition-penalty", 0, 0, G_OPTION_ARG_DOUBLE, &rep, N_("Penalise tokens already present (1 = off)"), N_("R") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed for sampling"), N_("S") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Continues a prompt with a model, streaming the text."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (model_path == NULL && !(model_path = dup_demo_model ()))
    return WH_CLI_EXIT_USAGE;
  if (prompt == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give --prompt TEXT"));
      return WH_CLI_EXIT_USAGE;
    }
  if (!(model = open_model (device_spec, model_path, 0, &ctx, &error)))
    return wh_cli_fail (error);
  if (adapter != NULL &&
      (!(lora = wh_adapter_load (model, adapter, &error)) || !wh_model_set_adapter (model, lora, &error)))
    return wh_cli_fail (error);
  if ((tok = wh_model_get_tokenizer (model)) == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("This model has no tokenizer"));
      return WH_CLI_EXIT_FAILED;
    }

  if (chat || system != NULL)
    {
      WhChatMessage messages[] = {
        { WH_CHAT_ROLE_SYSTEM, system, FALSE },
        { WH_CHAT_ROLE_USER, prompt, FALSE },
      };
      guint first = system != NULL ? 0 : 1;

      chat = TRUE;
      if (!(tmpl = wh_tokenizer_dup_chat_template (tok, &error)) ||
          !wh_tokenizer_encode_chat (tok, tmpl, messages + first, G_N_ELEMENTS (messages) - first, TRUE,
                                     ids, NULL, NULL, &error))
        return wh_cli_fail (error);
    }
  else if (!wh_tokenizer_encode (tok, prompt, -1, WH_ENCODE_ADD_SPECIAL, ids, &error))
    return wh_cli_fail (error);

  wh_generate_options_init (&options);
  options.max_tokens = MAX (max_tokens, 0);
  options.sampler.temperature = temperature;
  options.sampler.top_k = MAX (top_k, 0);
  options.sampler.top_p = top_p;
  options.sampler.min_p = min_p;
  options.sampler.repetition_penalty = rep;
  options.sampler.seed = seed;
  if (tmpl != NULL)
    options.stop_strings = wh_chat_template_get_stop_strings (tmpl);

  if (!json && !chat)
    print_piece (prompt, NULL);
  if (!wh_model_generate (model, (const gint32 *) (gpointer) ids->data, ids->len, &options,
                          json ? NULL : print_piece, NULL, NULL, text, NULL, &stats, &error))
    return wh_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_member_string (b, "text", text->str);
      json_member_int (b, "prompt_tokens", stats.prompt_tokens);
      json_member_int (b, "generated_tokens", stats.generated_tokens);
      json_builder_set_member_name (b, "stopped");
      json_builder_add_boolean_value (b, stats.stopped);
      json_builder_set_member_name (b, "prompt_tokens_per_second");
      json_builder_add_double_value (b, stats.prompt_tokens / MAX (stats.prompt_seconds, 1e-9));
      json_builder_set_member_name (b, "tokens_per_second");
      json_builder_add_double_value (b, stats.generated_tokens / MAX (stats.generate_seconds, 1e-9));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
    }
  else
    g_print ("\n");

  g_clear_pointer (&model, wh_model_free);
  return WH_CLI_EXIT_OK;
}

static gboolean
write_logits (const char   *path,
              const float  *logits,
              gsize         n,
              GError      **error)
{
  GString *out = g_string_new ("[");

  for (gsize i = 0; i < n; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (out, i > 0 ? ", " : "");
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.9g", logits[i]));
    }
  g_string_append (out, "]\n");
  return g_file_set_contents (path, out->str, out->len, error) && (g_string_free (out, TRUE), TRUE);
}

int
wh_cli_score (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *text_arg = NULL;
  g_autofree char *file = NULL;
  g_autofree char *last_logits = NULL;
  g_autofree char *device_spec = NULL;
  g_autofree char *input = NULL;
  g_autofree char *adapter = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhAdapter) lora = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree float *logits = NULL;
  gboolean json = FALSE;
  double nll = 0;
  gsize n_pred, vocab;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("A model folder or .gguf file (default: the built-in demo model)"), N_("PATH") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text_arg, N_("The text to score"), N_("TEXT") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the text from a file"), N_("FILE") },
    { "last-logits", 0, 0, G_OPTION_ARG_FILENAME, &last_logits, N_("Write the logits of the last position as a JSON array"), N_("FILE") },
    { "adapter", 'a', 0, G_OPTION_ARG_FILENAME, &adapter, N_("A LoRA adapter folder (PEFT format) to apply"), N_("DIR") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("How well a model predicts a text: mean cross-entropy per token and perplexity."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (model_path == NULL && !(model_path = dup_demo_model ()))
    return WH_CLI_EXIT_USAGE;
  if ((text_arg == NULL) == (file == NULL))
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one of --text or --file"));
      return WH_CLI_EXIT_USAGE;
    }
  if (text_arg != NULL)
    input = g_strdup (text_arg);
  else if (!g_file_get_contents (file, &input, NULL, &error))
    return wh_cli_fail (error);

  if (!(model = open_model (device_spec, model_path, 0, &ctx, &error)))
    return wh_cli_fail (error);
  if (adapter != NULL &&
      (!(lora = wh_adapter_load (model, adapter, &error)) || !wh_model_set_adapter (model, lora, &error)))
    return wh_cli_fail (error);
  if (wh_model_get_tokenizer (model) == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("This model has no tokenizer"));
      return WH_CLI_EXIT_FAILED;
    }
  if (!wh_tokenizer_encode (wh_model_get_tokenizer (model), input, -1, WH_ENCODE_ADD_SPECIAL, ids, &error))
    return wh_cli_fail (error);
  if (ids->len < 2)
    {
      g_printerr ("whetstone-cli: %s\n", _("The text is too short to score (it needs at least two tokens)"));
      return WH_CLI_EXIT_FAILED;
    }

  vocab = wh_model_get_config (model)->vocab_size;
  n_pred = ids->len - 1;
  logits = g_new (float, (gsize) ids->len * vocab);
  if (!wh_model_forward (model, (const gint32 *) (gpointer) ids->data, ids->len, 0, logits, ids->len, &error))
    return wh_cli_fail (error);

  for (gsize t = 0; t < n_pred; t++)
    {
      const float *row = logits + t * vocab;
      float max = row[0];
      double sum = 0;

      for (gsize i = 1; i < vocab; i++)
        max = MAX (max, row[i]);
      for (gsize i = 0; i < vocab; i++)
        sum += exp ((double) row[i] - max);
      nll += log (sum) + max - row[g_array_index (ids, gint32, t + 1)];
    }
  nll /= n_pred;

  if (last_logits != NULL &&
      !write_logits (last_logits, logits + (gsize) (ids->len - 1) * vocab, vocab, &error))
    return wh_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_member_int (b, "tokens", n_pred);
      json_builder_set_member_name (b, "cross_entropy");
      json_builder_add_double_value (b, nll);
      json_builder_set_member_name (b, "perplexity");
      json_builder_add_double_value (b, exp (nll));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
    }
  else
    {
      g_print ("%s: %" G_GSIZE_FORMAT "\n", _("Predicted tokens"), n_pred);
      g_print ("%s: %.4f %s\n", _("Cross-entropy"), nll, _("nats per token"));
      g_print ("%s: %.3f\n", _("Perplexity"), exp (nll));
    }

  g_clear_pointer (&model, wh_model_free);
  return WH_CLI_EXIT_OK;
}
