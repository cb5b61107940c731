/* wh-cli.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* whetstone-cli: the engine without the window, for scripts and for
 * people who prefer a terminal. */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "wh-cli.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "devices", wh_cli_devices, N_("List the OpenCL devices Whetstone can train on") },
  { "tune",    wh_cli_tune,    N_("Tune matrix products for a device, once") },
  { "train",   wh_cli_train,   N_("Fine-tune a model (LoRA or full) from a recipe") },
  { "init-model", wh_cli_init_model, N_("Write a new model with random weights, to pretrain") },
  { "convert", wh_cli_convert, N_("Write a model as a Hugging Face folder in f32 or f16") },
  { "validate", wh_cli_validate, N_("Check a dataset file: format, statistics, problems") },
  { "inspect", wh_cli_inspect, N_("Describe a model and the device memory it needs") },
  { "generate", wh_cli_generate, N_("Continue a prompt with a model") },
  { "score",   wh_cli_score,   N_("Measure how well a model predicts a text (perplexity)") },
  { "tokenize", wh_cli_tokenize, N_("Show the token ids of a text, or the text of ids") },
  { "template", wh_cli_template, N_("Render a conversation with a model’s chat template") },
  { "bench",   wh_cli_bench,   N_("Measure the speed of the engine (bench gemm, bench tokenize)") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: whetstone-cli [--version] [--help] COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("“whetstone-cli COMMAND --help” describes a command’s options."));
  fprintf (out, "%s\n", _("The device is chosen with --device or WHETSTONE_DEVICE (a number or part of a name)."));
}

gboolean
wh_cli_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("whetstone-cli: %s\n", error->message);
      g_printerr ("%s\n", _("Add --help to see the options."));
      return FALSE;
    }

  return TRUE;
}

int
wh_cli_fail (GError *error)
{
  g_printerr ("whetstone-cli: %s\n", error->message);
  return WH_CLI_EXIT_FAILED;
}

/**
 * wh_cli_open_device:
 * @spec: (nullable): --device's value
 *
 * Returns: (transfer full): the chosen device
 */
WhClDeviceInfo *
wh_cli_open_device (const char  *spec,
                    GError     **error)
{
  g_autoptr(GPtrArray) devices = wh_cl_enumerate_devices (error);
  WhClDeviceInfo *info;

  if (devices == NULL)
    return NULL;

  if (!(info = wh_cl_select_device (devices, spec, error)))
    return NULL;

  return wh_cl_device_info_copy (info);
}

void
wh_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

gboolean
wh_cli_is_terminal (void)
{
  return isatty (STDOUT_FILENO);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("whetstone-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return WH_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0)
    {
      g_print ("whetstone-cli %s\n", PACKAGE_VERSION);
      return WH_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return WH_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("whetstone-cli: unknown command “%s”.\n\n"), argv[1]);
  print_usage (stderr);
  return WH_CLI_EXIT_USAGE;
}
