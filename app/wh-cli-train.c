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
#include <string.h>

#include "wh-cli.h"
#include "wh-preset.h"
#include "wh-run-folder.h"
#include "wh-run-list.h"
#include "wh-train-run.h"
#include "wh-trainer.h"

/* `whetstone-cli train RECIPE`: a LoRA run on the command line, a progress
 * line per step (or one JSON object per step with --json).  Ctrl-C stops
 * after the current step with a checkpoint, which --resume continues. */

typedef struct
{
  gboolean json;
  gboolean terminal;
} Printer;

static void
print_progress (const WhTrainProgress *p,
                Printer               *printer)
{

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

typedef struct
{
  GMainLoop *loop;
  WhTrainer *trainer;
  Printer    printer;
  guint      printed;    /* steps of the history printed */
} Session;

static void
on_trainer_progress (WhTrainer *trainer,
                     Session   *session)
{
  GArray *history = wh_trainer_get_history (trainer);

  for (; session->printed < history->len; session->printed++)
    print_progress (&g_array_index (history, WhTrainProgress, session->printed), &session->printer);
}

static void
on_trainer_state (WhTrainer  *trainer,
                  GParamSpec *pspec,
                  Session    *session)
{
  switch (wh_trainer_get_state (trainer))
    {
    case WH_TRAINER_STATE_FINISHED:
    case WH_TRAINER_STATE_CANCELLED:
    case WH_TRAINER_STATE_FAILED:
      g_main_loop_quit (session->loop);
      break;

    case WH_TRAINER_STATE_IDLE:
    case WH_TRAINER_STATE_PREPARING:
    case WH_TRAINER_STATE_RUNNING:
    case WH_TRAINER_STATE_PAUSED:
    default:
      break;
    }
}

/* What the run will need of the device, from the model's metadata; the
 * run itself refuses to start when it would not fit. */
static void
print_memory_estimate (const WhRecipe       *recipe,
                       const WhClDeviceInfo *device)
{
  g_autofree char *model = recipe->model != NULL ? g_strdup (recipe->model) : wh_demo_model_dup_dir ();
  g_autofree char *need = NULL, *have = NULL;
  WhModelInfo info = { 0 };
  WhMemoryEstimate e;

  if (!wh_model_info_load (&info, model, NULL))
    return;
  wh_train_estimate_memory (&info, recipe, recipe->max_seq_len, &e);
  need = g_format_size (e.total);
  have = g_format_size (device->global_mem_size);
  g_print (_("Device memory: about %s of %s’s %s (%s, sequences up to %u tokens)\n"),
           need, device->name, have, wh_method_to_string (recipe->method), recipe->max_seq_len);
  wh_model_info_clear (&info);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Session *session = user_data;

  if (!session->printer.json)
    g_printerr ("\n%s\n", _("Stopping after this step…"));
  wh_trainer_stop (session->trainer);
  return G_SOURCE_CONTINUE;
}

/* The newest run folder made from the recipe @stem, or NULL. */
static char *
find_latest_run (const char *runs,
                 const char *stem)
{
  g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
  g_autofree char *prefix = g_strconcat (stem, "-", NULL);
  g_autofree char *best = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && (best == NULL || strcmp (name, best) > 0))
      {
        g_free (best);
        best = g_strdup (name);
      }
  return best != NULL ? g_build_filename (runs, best, NULL) : NULL;
}

static char *
recipe_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

int
wh_cli_train (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClDeviceInfo) device_info = NULL;
  g_autoptr(WhDevice) device = NULL;
  g_autoptr(WhTrainer) trainer = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *run_dir = NULL;
  g_autofree char *device_spec = NULL;
  /* Where the app keeps its runs, so that this one shows in its Start screen. */
  g_autofree char *runs = wh_run_dup_runs_dir (NULL);
  g_autofree char *stem = NULL;
  gboolean json = FALSE, resume = FALSE, from_run_dir;
  WhRecipe recipe;
  Session session = { 0 };
  const GError *failure;
  guint sigint;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "run-dir", 'o', 0, G_OPTION_ARG_FILENAME, &run_dir, N_("Folder for the run (default: a new one under ~/.local/share/whetstone/runs)"), N_("DIR") },
    { "resume", 'r', 0, G_OPTION_ARG_NONE, &resume, N_("Continue the latest run of this recipe (or the run folder given) from its latest checkpoint"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device (number or part of a name)"), N_("DEVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per step"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("RECIPE"));
  g_option_context_set_summary (context, _("Fine-tunes a model with LoRA as a recipe file says.\n\n"
                                           "Ctrl-C stops after the current step and writes a checkpoint; "
                                           "--resume continues from it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one recipe: whetstone-cli train RECIPE"));
      return WH_CLI_EXIT_USAGE;
    }

  /* A run folder in place of the recipe: resume it. */
  from_run_dir = g_file_test (argv[1], G_FILE_TEST_IS_DIR);
  if (from_run_dir)
    {
      g_autofree char *copy = g_build_filename (argv[1], "recipe.json", NULL);

      resume = TRUE;
      g_free (run_dir);
      run_dir = g_strdup (argv[1]);
      if (!wh_recipe_load (&recipe, copy, &error))
        return wh_cli_fail (error);
    }
  else if (!wh_recipe_load (&recipe, argv[1], &error))
    return wh_cli_fail (error);

  stem = recipe_stem (argv[1]);
  if (run_dir == NULL && resume)
    {
      run_dir = find_latest_run (runs, stem);
      if (run_dir == NULL)
        {
          wh_recipe_clear (&recipe);
          g_printerr ("whetstone-cli: %s\n", _("No earlier run of this recipe to resume; give its folder with --run-dir"));
          return WH_CLI_EXIT_FAILED;
        }
    }
  if (run_dir == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      g_autofree char *name = g_strdup_printf ("%s-%s", stem, stamp);

      run_dir = g_build_filename (runs, name, NULL);
    }
  if (device_spec == NULL)
    device_spec = g_strdup (recipe.device);

  if (!(device_info = wh_cli_open_device (device_spec, &error)))
    {
      wh_recipe_clear (&recipe);
      return wh_cli_fail (error);
    }
  device = wh_device_new (device_info);
  trainer = wh_trainer_new (device);
  loop = g_main_loop_new (NULL, FALSE);

  session.loop = loop;
  session.trainer = trainer;
  session.printer.json = json;
  session.printer.terminal = wh_cli_is_terminal () && !json;
  g_signal_connect (trainer, "progress", G_CALLBACK (on_trainer_progress), &session);
  g_signal_connect (trainer, "notify::state", G_CALLBACK (on_trainer_state), &session);

  if (!json)
    {
      g_print ("%s: %s\n", resume ? _("Resuming the run in") : _("Run folder"), run_dir);
      if (!resume)
        print_memory_estimate (&recipe, device_info);
    }
  ok = resume ? wh_trainer_start_from_checkpoint (trainer, run_dir, &error)
              : wh_trainer_start (trainer, &recipe, run_dir, &error);
  wh_recipe_clear (&recipe);
  if (!ok)
    return wh_cli_fail (error);

  sigint = g_unix_signal_add (SIGINT, on_interrupt, &session);
  g_main_loop_run (loop);
  g_source_remove (sigint);

  failure = wh_trainer_get_error (trainer);
  switch (wh_trainer_get_state (trainer))
    {
    case WH_TRAINER_STATE_FINISHED:
      if (!json)
        {
          g_autoptr(WhRunCheckpoint) result = wh_run_folder_find_result (run_dir, NULL);

          g_print ("\n%s %s\n", _("Done. The result is in"), result != NULL ? result->path : run_dir);
        }
      return WH_CLI_EXIT_OK;

    case WH_TRAINER_STATE_CANCELLED:
      g_printerr ("\n%s. %s\n", failure->message, _("Continue with whetstone-cli train --resume."));
      return WH_CLI_EXIT_FAILED;

    case WH_TRAINER_STATE_IDLE:
    case WH_TRAINER_STATE_PREPARING:
    case WH_TRAINER_STATE_RUNNING:
    case WH_TRAINER_STATE_PAUSED:
    case WH_TRAINER_STATE_FAILED:
    default:
      return wh_cli_fail ((GError *) failure);
    }
}
