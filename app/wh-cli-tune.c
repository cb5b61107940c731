/* wh-cli-tune.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-cli.h"

static void
tune_progress (const char *kernel,
               guint       done,
               guint       total,
               double      best_gflops,
               gpointer    user_data)
{
  g_printerr ("\r%-12s %s %u, %s %.1f GFLOP/s   ", kernel, _("configurations tried:"), done,
              _("best"), best_gflops);
}

static void
print_kernel (const char               *label,
              const WhClGemmTuneKernel *k,
              gboolean                  direct)
{
  g_print ("%s (%zu×%zu×%zu): %.1f → %.1f GFLOP/s, %u tried, %u rejected\n",
           label, k->m, k->n, k->k, k->default_gflops, k->best_gflops, k->n_tried, k->n_rejected);
  if (k->found)
    {
      g_autofree char *params = wh_cl_gemm_dup_params_string (k, direct);
      g_print ("  %s\n", params);
    }
  else
    g_print ("  %s\n", _("nothing beat the parameters already in force; they stay"));
}

static void
add_kernel_json (JsonBuilder              *b,
                 const char               *name,
                 const WhClGemmTuneKernel *k,
                 gboolean                  direct)
{
  g_autofree char *params = wh_cl_gemm_dup_params_string (k, direct);

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "m");
  json_builder_add_int_value (b, k->m);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, k->n);
  json_builder_set_member_name (b, "k");
  json_builder_add_int_value (b, k->k);
  json_builder_set_member_name (b, "baseline_gflops");
  json_builder_add_double_value (b, k->default_gflops);
  json_builder_set_member_name (b, "best_gflops");
  json_builder_add_double_value (b, k->best_gflops);
  json_builder_set_member_name (b, "tried");
  json_builder_add_int_value (b, k->n_tried);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, k->n_rejected);
  json_builder_set_member_name (b, "parameters");
  if (k->found)
    json_builder_add_string_value (b, params);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* Shared with `bench gemm`, which tunes first when nothing is cached. */
gboolean
wh_cli_run_tuning (WhClContext     *ctx,
                   double           budget,
                   gboolean         quiet,
                   WhClGemmTuning  *tuning,
                   GError         **error)
{
  WhClGemmTuneOptions options = { .budget_seconds = budget, .seed = 1 };
  gboolean ok;

  if (!quiet)
    g_printerr (_("Tuning matrix products for %s, for up to %.0f seconds. "
                  "This happens once per device and driver.\n"),
                wh_cl_context_get_device (ctx)->name, options.budget_seconds > 0 ? options.budget_seconds : 300.0);

  ok = wh_cl_gemm_tune (ctx, &options, quiet ? NULL : tune_progress, NULL, NULL, tuning, error);

  if (!quiet)
    g_printerr ("\n");

  return ok;
}

int
wh_cli_tune (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WhClDeviceInfo) device = NULL;
  g_autoptr(WhClContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_spec = NULL;
  g_autofree char *path = NULL;
  WhClGemmTuning tuning = { 0 };
  gboolean json = FALSE;
  double budget = 0;
  const GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device_spec, N_("Device to tune (number or part of a name)"), N_("DEVICE") },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, N_("Seconds the search may take (default 300)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Finds the fastest settings of the matrix-product kernels for a device "
                                  "and remembers them for this device and driver. Training uses them "
                                  "from then on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;

  if (!(device = wh_cli_open_device (device_spec, &error)) ||
      !(ctx = wh_cl_context_new_full (device, WH_CL_CONTEXT_FLAGS_UNTUNED, &error)) ||
      !wh_cli_run_tuning (ctx, budget, json, &tuning, &error))
    return wh_cli_fail (error);

  path = wh_cl_gemm_dup_tuning_path (ctx);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, device->name);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, tuning.seconds);
      json_builder_set_member_name (b, "cache");
      json_builder_add_string_value (b, path);
      add_kernel_json (b, "xgemm", &tuning.xgemm, FALSE);
      add_kernel_json (b, "xgemm_direct", &tuning.xgemm_direct, TRUE);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
    }
  else
    {
      print_kernel ("Xgemm", &tuning.xgemm, FALSE);
      print_kernel ("XgemmDirect", &tuning.xgemm_direct, TRUE);
      g_print (_("Took %.0f s; saved in %s\n"), tuning.seconds, path);
    }

  return WH_CLI_EXIT_OK;
}
