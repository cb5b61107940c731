/* wh-cli-weights.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-cli.h"
#include "wh-model.h"
#include "wh-train-step.h"

/* Commands that write a model's weights.
 *
 * `whetstone-cli init-model`: a new model of the shape a config.json
 * gives, with random weights (σ 0.02, as transformers initialises Llama),
 * written as a Hugging Face folder with a tokenizer: the start of
 * pretraining, as the demo model's recipe does.
 *
 * `whetstone-cli convert`: a model (folder or GGUF) written again as a
 * Hugging Face folder in f32 or f16, as the demo model ships. */

static const char *const tokenizer_files[] = {
  "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
};

static gboolean
copy_tokenizer (const char  *from,
                const char  *to,
                GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (tokenizer_files); i++)
    {
      g_autofree char *src = g_build_filename (from, tokenizer_files[i], NULL);
      g_autofree char *dst = g_build_filename (to, tokenizer_files[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_test (src, G_FILE_TEST_EXISTS))
        continue;
      if (!g_file_get_contents (src, &contents, &len, error) ||
          !g_file_set_contents_full (dst, contents, len,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error))
        return FALSE;
    }
  return TRUE;
}

int
wh_cli_init_model (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autofree char *config_path = NULL, *tokenizer_dir = NULL, *out = NULL, *device_spec = NULL;
  gint64 seed = 0;
  WhModelConfig config = { 0 };
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The model’s config.json"), N_("FILE") },
    { "tokenizer", 't', 0, G_OPTION_ARG_FILENAME, &tokenizer_dir, N_("Folder with the tokenizer files (default: the config’s folder)"), N_("DIR") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 0)"), N_("N") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Folder to write the model to"), N_("DIR") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Writes a new model with random weights, to pretrain."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (config_path == NULL || out == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give --config FILE and --out DIR"));
      return WH_CLI_EXIT_USAGE;
    }
  if (tokenizer_dir == NULL)
    tokenizer_dir = g_path_get_dirname (config_path);

  if (!wh_model_config_load_json (&config, config_path, &error) ||
      !(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new (device, &error)) ||
      !(model = wh_model_new_random (ctx, &config, WH_CL_DTYPE_F32, seed, 16, &error)) ||
      !(step = wh_train_step_new_full (model, 16, &error)) ||
      !wh_train_step_save_model (step, out, WH_CL_DTYPE_F32, &error) ||
      !copy_tokenizer (tokenizer_dir, out, &error))
    {
      wh_model_config_clear (&config);
      return wh_cli_fail (error);
    }
  wh_model_config_clear (&config);
  g_print ("%s %s\n", _("Wrote"), out);
  return WH_CLI_EXIT_OK;
}

int
wh_cli_convert (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(WhModel) model = NULL;
  g_autoptr(WhTrainStep) step = NULL;
  g_autofree char *out = NULL, *dtype_name = NULL, *device_spec = NULL;
  WhClDType dtype;
  const GOptionEntry entries[] = {
    { "dtype", 't', 0, G_OPTION_ARG_STRING, &dtype_name, N_("f32 or f16 (default f16)"), N_("TYPE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Folder to write the model to"), N_("DIR") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { NULL }
  };

  context = g_option_context_new (_("MODEL"));
  g_option_context_set_summary (context, _("Writes a model as a Hugging Face folder in f32 or f16."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (argc != 2 || out == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one model and --out DIR"));
      return WH_CLI_EXIT_USAGE;
    }
  if (dtype_name == NULL || g_str_equal (dtype_name, "f16"))
    dtype = WH_CL_DTYPE_F16;
  else if (g_str_equal (dtype_name, "f32"))
    dtype = WH_CL_DTYPE_F32;
  else
    {
      g_printerr ("whetstone-cli: %s\n", _("--dtype is f32 or f16"));
      return WH_CLI_EXIT_USAGE;
    }

  if (!(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new (device, &error)) ||
      !(model = wh_model_load (ctx, argv[1], 16, &error)) ||
      !(step = wh_train_step_new_full (model, 16, &error)) ||
      !wh_train_step_save_model (step, out, dtype, &error))
    return wh_cli_fail (error);
  g_print ("%s %s\n", _("Wrote"), out);
  return WH_CLI_EXIT_OK;
}
