/* wh-cli-train.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>

#include "wh-cli.h"
#include "wh-train-run.h"

/* `whetstone-cli train RECIPE`: a LoRA run on the command line, a progress
 * line per step (or one JSON object per step with --json).  Ctrl-C stops
 * after the current step; the checkpoints written so far stay. */

typedef struct
{
  gboolean json;
  gboolean terminal;
} Printer;

static void
on_progress (const WhTrainProgress *p,
             gpointer               user_data)
{
  Printer *printer = user_data;

  if (printer->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
#define INT(k, v) json_builder_set_member_name (b, k); json_builder_add_int_value (b, v)
#define DBL(k, v) json_builder_set_member_name (b, k); json_builder_add_double_value (b, v)
      INT ("step", p->step);
      INT ("total_steps", p->total_steps);
      INT ("epoch", p->epoch);
      DBL ("loss", p->loss);
      json_builder_set_member_name (b, "val_loss");
      if (isnan (p->val_loss))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, p->val_loss);
      DBL ("learning_rate", p->learning_rate);
      DBL ("grad_norm", p->grad_norm);
      DBL ("tokens_per_second", p->tokens_per_second);
      DBL ("eta_seconds", p->eta);
      INT ("device_memory", p->device_memory);
#undef INT
#undef DBL
      json_builder_set_member_name (b, "checkpoint");
      if (p->checkpoint != NULL)
        json_builder_add_string_value (b, p->checkpoint);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
      return;
    }

  g_print ("%s%s %u/%u  %s %u  %s %.4f%s  %.0f %s  %s %.0f s",
           printer->terminal ? "\r" : "", _("step"), p->step, p->total_steps, _("epoch"), p->epoch,
           _("loss"), p->loss, "", p->tokens_per_second, _("tokens/s"), _("ETA"), p->eta);
  if (!isnan (p->val_loss))
    g_print ("  %s %.4f", _("validation"), p->val_loss);
  if (p->checkpoint != NULL || !printer->terminal)
    g_print ("\n");
  if (p->checkpoint != NULL)
    g_print ("  %s %s\n", _("checkpoint"), p->checkpoint);
  fflush (stdout);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

int
wh_cli_train (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *run_dir = NULL;
  g_autofree char *device_spec = NULL;
  gboolean json = FALSE;
  WhRecipe recipe;
  Printer printer;
  guint sigint;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "run-dir", 'o', 0, G_OPTION_ARG_FILENAME, &run_dir, N_("Folder for the run (default: a new one under ~/.local/share/whetstone/runs)"), N_("DIR") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per step"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("RECIPE"));
  g_option_context_set_summary (context, _("Fine-tunes a model with LoRA as a recipe file says."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one recipe: whetstone-cli train RECIPE"));
      return WH_CLI_EXIT_USAGE;
    }

  if (!wh_recipe_load (&recipe, argv[1], &error))
    return wh_cli_fail (error);
  if (device_spec == NULL)
    device_spec = g_strdup (recipe.device);
  if (run_dir == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

      run_dir = g_build_filename (g_get_user_data_dir (), "whetstone", "runs", stamp, NULL);
    }

  if (!(device = wh_cli_open_device (device_spec, &error)) || !(ctx = wh_cl_context_new (device, &error)))
    {
      wh_recipe_clear (&recipe);
      return wh_cli_fail (error);
    }

  printer.json = json;
  printer.terminal = wh_cli_is_terminal () && !json;
  if (!json)
    g_print ("%s: %s\n", _("Run folder"), run_dir);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  ok = wh_train_run (ctx, &recipe, run_dir, on_progress, &printer, cancellable, &error);
  g_source_remove (sigint);
  wh_recipe_clear (&recipe);

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr ("\n%s\n", _("Stopped; the checkpoints written so far are kept."));
          return WH_CLI_EXIT_FAILED;
        }
      return wh_cli_fail (error);
    }
  if (!json)
    g_print ("\n%s %s\n", _("Done. The adapter is in"), run_dir);
  return WH_CLI_EXIT_OK;
}
