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

/* In words */

void
wh_model_fit_words_clear (WhModelFitWords *words)
{
  g_clear_pointer (&words->title, g_free);
  g_clear_pointer (&words->subtitle, g_free);
}

void
wh_model_fit_set_icon (GtkImage   *icon,
                       const char *icon_name,
                       const char *style)
{
  static const char * const styles[] = { "success", "warning", "error", NULL };

  g_return_if_fail (GTK_IS_IMAGE (icon));

  for (guint i = 0; styles[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), styles[i]);

  gtk_image_set_from_icon_name (icon, icon_name);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (icon), style);
}

static void
set_icon (WhModelFitWords *words,
          const char      *icon_name,
          const char      *style)
{
  words->icon_name = icon_name;
  words->style = style;
}

void
wh_model_fit_describe_model (const WhModelInfo    *info,
                             const WhClDeviceInfo *device,
                             WhModelFitWords      *words)
{
  WhMemoryEstimate lora;
  WhMemoryEstimate qlora;
  WhRecipe defaults;
  g_autofree char *lora_size = NULL;
  g_autofree char *qlora_size = NULL;
  g_autofree char *device_size = NULL;
  gboolean card;
  guint seq_len;

  g_return_if_fail (info != NULL && words != NULL);

  memset (words, 0, sizeof *words);

  wh_recipe_init (&defaults);
  seq_len = defaults.max_seq_len;
  defaults.max_seq_len = seq_len;
  wh_model_fit_estimate (info, &defaults, WH_METHOD_LORA, &lora);
  wh_model_fit_estimate (info, &defaults, WH_METHOD_QLORA, &qlora);
  wh_recipe_clear (&defaults);

  lora_size = g_format_size (lora.total);
  qlora_size = g_format_size (qlora.total);
  card = wh_model_fit_is_card (device);
  if (device != NULL)
    device_size = g_format_size (device->global_mem_size);

  switch (wh_model_fit_check (lora.total, device))
    {
    case WH_MODEL_FIT_COMFORTABLE:
      words->title = g_strdup (card ? _("Fits comfortably on your graphics card for LoRA")
                                    : _("Fits comfortably in this computer’s memory for LoRA"));
      set_icon (words, "emblem-ok-symbolic", "success");
      break;

    case WH_MODEL_FIT_TIGHT:
      words->title = g_strdup (card ? _("Fits on your graphics card for LoRA, with little memory to spare")
                                    : _("Fits in this computer’s memory for LoRA, with little to spare"));
      set_icon (words, "emblem-ok-symbolic", "success");
      break;

    case WH_MODEL_FIT_TOO_BIG:
      words->too_big = TRUE;
      words->qlora_fits = wh_model_fit_check (qlora.total, device) != WH_MODEL_FIT_TOO_BIG;
      if (words->qlora_fits)
        words->title = g_strdup_printf (card
                                        /* Translators: sizes, e.g. “Needs about 9.2 GB; your card has 8.0 GB: …” */
                                        ? _("Needs about %s; your card has %s: use QLoRA or shorter examples")
                                        : _("Needs about %s; this computer has %s: use QLoRA or shorter examples"),
                                        lora_size, device_size);
      else
        words->title = g_strdup_printf (card
                                        ? _("Needs about %s even with QLoRA; your card has %s: choose a smaller model")
                                        : _("Needs about %s even with QLoRA; this computer has %s: choose a smaller model"),
                                        qlora_size, device_size);
      set_icon (words, "dialog-warning-symbolic", "warning");
      break;

    case WH_MODEL_FIT_UNKNOWN:
    default:
      /* Translators: a size, e.g. “Needs about 3.1 GB of memory to train with LoRA” */
      words->title = g_strdup_printf (_("Needs about %s of memory to train with LoRA"), lora_size);
      set_icon (words, "dialog-information-symbolic", NULL);
      break;
    }

  /* Translators: “LoRA needs about 3.1 GB and QLoRA about 1.4 GB, for examples of up to 512 tokens” */
  words->subtitle = g_strdup_printf (ngettext ("LoRA needs about %s and QLoRA about %s, for examples of up to %u token",
                                               "LoRA needs about %s and QLoRA about %s, for examples of up to %u tokens",
                                               seq_len),
                                     lora_size, qlora_size, seq_len);
}

/* The tokens an epoch reads: every token of the training split, context
 * included. */
static guint64
tokens_per_epoch (const WhDatasetStats *stats)
{
  if (stats == NULL || stats->examples == 0)
    return 0;

  return stats->tokens * stats->train_examples / stats->examples;
}

void
wh_model_fit_describe_recipe (const WhModelInfo    *info,
                              const WhRecipe       *recipe,
                              const WhClDeviceInfo *device,
                              const WhDatasetStats *stats,
                              WhModelFitWords      *words)
{
  WhMemoryEstimate estimate;
  WhMemoryEstimate qlora;
  g_autofree char *needed = NULL;
  g_autofree char *available = NULL;
  gboolean card;
  guint64 tokens;

  g_return_if_fail (info != NULL && recipe != NULL && words != NULL);

  memset (words, 0, sizeof *words);

  wh_model_fit_estimate (info, recipe, recipe->method, &estimate);
  wh_model_fit_estimate (info, recipe, WH_METHOD_QLORA, &qlora);

  needed = g_format_size (estimate.total);
  card = wh_model_fit_is_card (device);
  if (device != NULL)
    available = g_format_size (device->global_mem_size);

  switch (wh_model_fit_check (estimate.total, device))
    {
    case WH_MODEL_FIT_COMFORTABLE:
      /* Translators: sizes, e.g. “Needs about 3.1 GB of your graphics card’s 8.0 GB” */
      words->title = g_strdup_printf (card ? _("Needs about %s of your graphics card’s %s")
                                           : _("Needs about %s of this computer’s %s"),
                                      needed, available);
      set_icon (words, "emblem-ok-symbolic", "success");
      break;

    case WH_MODEL_FIT_TIGHT:
      words->title = g_strdup_printf (card ? _("Needs about %s of your graphics card’s %s, with little to spare")
                                           : _("Needs about %s of this computer’s %s, with little to spare"),
                                      needed, available);
      set_icon (words, "emblem-ok-symbolic", "success");
      break;

    case WH_MODEL_FIT_TOO_BIG:
      words->too_big = TRUE;
      words->qlora_fits = recipe->method != WH_METHOD_QLORA &&
                          wh_model_fit_check (qlora.total, device) != WH_MODEL_FIT_TOO_BIG;
      words->title = g_strdup_printf (card ? _("Needs about %s, more than your graphics card’s %s")
                                           : _("Needs about %s, more than this computer’s %s"),
                                      needed, available);
      set_icon (words, "dialog-warning-symbolic", "warning");
      break;

    case WH_MODEL_FIT_UNKNOWN:
    default:
      /* Translators: a size, e.g. “Needs about 3.1 GB of memory” */
      words->title = g_strdup_printf (_("Needs about %s of memory"), needed);
      set_icon (words, "dialog-information-symbolic", NULL);
      break;
    }

  if (words->too_big)
    words->subtitle = g_strdup (words->qlora_fits ? _("Use QLoRA to keep the model in 4 bits, or shorter examples")
                                                  : _("Use shorter examples, or go back and choose a smaller model"));
  else if ((tokens = tokens_per_epoch (stats)) > 0)
    {
      double seconds = wh_model_fit_seconds (info, device, tokens * recipe->epochs);
      g_autofree char *n_tokens = g_strdup_printf ("%'" G_GUINT64_FORMAT, tokens);

      if (seconds > 0)
        {
          g_autofree char *duration = wh_model_fit_format_duration (seconds);

          /* Translators: the first %s is a duration such as “about 25 minutes”, the
           * second a number of tokens: “Training takes about 25 minutes for 3 epochs
           * of 40,000 tokens each, as a rough guess” */
          words->subtitle = g_strdup_printf (ngettext ("Training takes %s for %u epoch of %s tokens, as a rough guess",
                                                       "Training takes %s for %u epochs of %s tokens each, as a rough guess",
                                                       recipe->epochs),
                                             duration, recipe->epochs, n_tokens);
        }
    }
  else
    words->subtitle = g_strdup (_("How long training takes depends on your examples"));
}
