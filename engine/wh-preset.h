/* wh-preset.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-recipe.h"

G_BEGIN_DECLS

/* A preset turns a goal (brand voice, support chatbot, text to SQL,
 * custom) into the start of a recipe: the sample dataset, the template,
 * the system prompt, which turns train and the default hyperparameters.
 * Presets are recipe files in data/presets. */

typedef struct
{
  char     *id;              /* the file's basename without .json */
  WhRecipe  recipe;          /* name, description, dataset, template… */
} WhPreset;

gboolean    wh_preset_load          (WhPreset     *preset,
                                     const char   *path,
                                     GError      **error);
void        wh_preset_clear         (WhPreset     *preset);

/* Epochs as OpenAI's "auto" chooses them: 3, raised or lowered so that
 * examples × epochs stays within 100…25,000 (1 to 25 epochs). */
guint       wh_preset_auto_epochs   (guint64       n_examples);

/* The presets installed with the application (or, in a build tree, the
 * source's data/presets), sorted by file name. */
GPtrArray  *wh_preset_list_builtin  (GError      **error);
/* The folder they come from. */
char       *wh_preset_dup_builtin_dir (void);
char       *wh_demo_model_dup_dir     (void);

G_END_DECLS
