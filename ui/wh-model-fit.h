/* wh-model-fit.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "wh-cl-device.h"
#include "wh-dataset.h"
#include "wh-model-info.h"
#include "wh-recipe.h"

G_BEGIN_DECLS

/* Whether training a model fits the device, in the words the Model and
 * Goal screens use. */

typedef enum
{
  WH_MODEL_FIT_UNKNOWN,      /* no device to compare with */
  WH_MODEL_FIT_COMFORTABLE,
  WH_MODEL_FIT_TIGHT,        /* fits, with little to spare */
  WH_MODEL_FIT_TOO_BIG,
} WhModelFit;

/* The engine's estimate (the one a run checks before it starts) for
 * @recipe trained with @method instead of its own. */
void        wh_model_fit_estimate (const WhModelInfo    *info,
                                   const WhRecipe       *recipe,
                                   WhMethod              method,
                                   WhMemoryEstimate     *estimate);
WhModelFit  wh_model_fit_check    (guint64               needed,
                                   const WhClDeviceInfo *device);
/* "your graphics card" or "this computer’s memory" */
gboolean    wh_model_fit_is_card  (const WhClDeviceInfo *device);
/* Rough seconds to train @tokens tokens once through @info on @device
 * (0 when there is no way to tell). */
double      wh_model_fit_seconds  (const WhModelInfo    *info,
                                   const WhClDeviceInfo *device,
                                   guint64               tokens);
/* "about 25 minutes" */
char       *wh_model_fit_format_duration (double         seconds);

/* What a screen says of the fit: a title, a subtitle, an icon. */
typedef struct
{
  char       *title;
  char       *subtitle;    /* NULL: none */
  const char *icon_name;
  const char *style;       /* the icon's style class, NULL: none */
  gboolean    too_big;
  gboolean    qlora_fits;  /* too big as it is, not with QLoRA */
} WhModelFitWords;

void        wh_model_fit_words_clear     (WhModelFitWords      *words);
/* The Model screen: whether @info trains on @device with LoRA, or
 * QLoRA, at the default length of the examples. */
void        wh_model_fit_describe_model  (const WhModelInfo    *info,
                                          const WhClDeviceInfo *device,
                                          WhModelFitWords      *words);
/* The Goal screen: the memory @recipe needs on @device, and, when it
 * fits, how long it takes for the examples @stats (nullable) counts. */
void        wh_model_fit_describe_recipe (const WhModelInfo    *info,
                                          const WhRecipe       *recipe,
                                          const WhClDeviceInfo *device,
                                          const WhDatasetStats *stats,
                                          WhModelFitWords      *words);
/* Shows @icon_name in @icon with @style, and no other state's style. */
void        wh_model_fit_set_icon        (GtkImage             *icon,
                                          const char           *icon_name,
                                          const char           *style);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WhModelFitWords, wh_model_fit_words_clear)

G_END_DECLS
