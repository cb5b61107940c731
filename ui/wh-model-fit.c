/* wh-model-fit.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wh-model-fit.h"
#include "wh-train-run.h"

/* Training needs some room the estimate does not count: the driver's own
 * buffers, the display, fragmentation. */
#define COMFORTABLE_SHARE 0.80
#define TIGHT_SHARE       0.95

void
wh_model_fit_estimate (const WhModelInfo *info,
                       const WhRecipe    *recipe,
                       WhMethod           method,
                       WhMemoryEstimate  *estimate)
{
  WhRecipe as_method;

  g_return_if_fail (info != NULL && recipe != NULL && estimate != NULL);

  /* A shallow copy, only read: nothing of it is freed. */
  as_method = *recipe;
  as_method.method = method;
  wh_train_estimate_memory (info, &as_method, recipe->max_seq_len, estimate);
}

WhModelFit
wh_model_fit_check (guint64               needed,
                    const WhClDeviceInfo *device)
{
  if (device == NULL || device->global_mem_size == 0)
    return WH_MODEL_FIT_UNKNOWN;
  if (needed <= device->global_mem_size * COMFORTABLE_SHARE)
    return WH_MODEL_FIT_COMFORTABLE;
  if (needed <= device->global_mem_size * TIGHT_SHARE)
    return WH_MODEL_FIT_TIGHT;
  return WH_MODEL_FIT_TOO_BIG;
}

gboolean
wh_model_fit_is_card (const WhClDeviceInfo *device)
{
  return device != NULL && device->kind != WH_CL_DEVICE_KIND_CPU && device->kind != WH_CL_DEVICE_KIND_OTHER;
}

double
wh_model_fit_seconds (const WhModelInfo    *info,
                      const WhClDeviceInfo *device,
                      guint64               tokens)
{
  double gflops_per_unit;
  double flops;

  if (info == NULL || device == NULL || device->compute_units == 0 || tokens == 0)
    return 0;

  /* A rough guess until the first steps measure it: a forward pass costs
   * 2 FLOPs per parameter and token, the backward pass to the inputs 2
   * more, and recomputing each layer's activations 2 more.  What a
   * compute unit sustains through OpenCL differs by maker: an NVIDIA SM or
   * an AMD CU does far more than an Intel EU or a processor thread. */
  if (device->kind == WH_CL_DEVICE_KIND_CPU)
    gflops_per_unit = 5;
  else if (device->vendor != NULL && strstr (device->vendor, "Intel") != NULL)
    gflops_per_unit = 8;
  else
    gflops_per_unit = 60;

  flops = 6.0 * (double) info->n_params * (double) tokens;

  return flops / (gflops_per_unit * 1e9 * device->compute_units);
}

char *
wh_model_fit_format_duration (double seconds)
{
  if (seconds < 60)
    return g_strdup (_("less than a minute"));

  if (seconds < 90 * 60)
    {
      guint minutes = (guint) round (seconds / 60);

      return g_strdup_printf (ngettext ("about %u minute", "about %u minutes", minutes), minutes);
    }

  if (seconds < 48 * 3600)
    {
      guint hours = (guint) round (seconds / 3600);

      return g_strdup_printf (ngettext ("about %u hour", "about %u hours", hours), hours);
    }

  {
    guint days = (guint) round (seconds / 86400);

    return g_strdup_printf (ngettext ("about %u day", "about %u days", days), days);
  }
}
