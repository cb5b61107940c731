/* wh-recipe.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-dataset.h"

G_BEGIN_DECLS

/* A recipe: everything a training run needs, as a JSON file that the app
 * and `whetstone-cli train` both run.  Unknown keys and wrong types are
 * errors naming the key; absent keys take defaults, and the run's copy of
 * the recipe records the values chosen. */

#define WH_RECIPE_ERROR (wh_recipe_error_quark ())

typedef enum
{
  WH_RECIPE_ERROR_OPEN,
  WH_RECIPE_ERROR_INVALID,   /* names the key */
  WH_RECIPE_ERROR_WRITE,
} WhRecipeError;

typedef enum
{
  WH_METHOD_LORA,
  WH_METHOD_QLORA,
  WH_METHOD_FULL,
} WhMethod;

typedef enum
{
  WH_SCHEDULE_CONSTANT,
  WH_SCHEDULE_LINEAR,
  WH_SCHEDULE_COSINE,
} WhSchedule;

typedef enum
{
  WH_QUANT_NF4,
  WH_QUANT_Q4_0,
  WH_QUANT_Q8_0,
} WhQuant;

typedef struct
{
  char            *path;            /* the recipe file, NULL if built in memory */
  char            *name;
  char            *description;
  char            *model;           /* resolved against the recipe's folder; NULL: the built-in demo model */
  char            *dataset_path;    /* resolved likewise */
  WhDatasetFormat  dataset_format;
  char           **dataset_columns; /* "column=role" */
  char            *text_prompt;
  char            *template;        /* "auto" or a family name */
  char            *system_prompt;
  gboolean         train_on_all;    /* FALSE: assistant turns only */
  WhMethod         method;
  WhQuant          quant;           /* QLoRA */
  /* LoRA */
  guint            lora_r;
  double           lora_alpha;
  double           lora_dropout;
  guint            lora_targets;    /* bit per WhLoraTarget */
  gboolean         use_rslora;
  char            *init_adapter;
  /* Training */
  guint            epochs;          /* 0: auto */
  guint            max_steps;       /* 0: by epochs */
  double           learning_rate;   /* 0: auto, from the model's width */
  WhSchedule       schedule;
  guint            warmup_steps;
  double           weight_decay;
  guint            batch_size;
  guint            grad_accum;
  guint            max_seq_len;
  gboolean         packing;         /* examples packed into sequences of max_seq_len,
                                     * each attending only to itself; batch_size
                                     * then counts packed sequences */
  gboolean         shuffle;
  guint64          seed;
  double           grad_clip;
  guint            save_every_steps; /* 0: a checkpoint at each epoch end only */
  /* Evaluation */
  double           val_fraction;
  guint            eval_every_steps; /* 0: at each epoch end only */
  char            *output_dir;
  char            *device;
} WhRecipe;

GQuark      wh_recipe_error_quark   (void);

void        wh_recipe_init          (WhRecipe        *recipe);
gboolean    wh_recipe_load          (WhRecipe        *recipe,
                                     const char      *path,
                                     GError         **error);
gboolean    wh_recipe_load_from_data (WhRecipe       *recipe,
                                      const char     *json,
                                      const char     *base_dir,
                                      GError        **error);
void        wh_recipe_clear         (WhRecipe        *recipe);
void        wh_recipe_copy          (WhRecipe        *dst,
                                     const WhRecipe  *src);

/* Every key with its value, paths absolute: the run's copy. */
JsonNode   *wh_recipe_to_json       (const WhRecipe  *recipe);
/* Written atomically (temporary file, sync, rename). */
gboolean    wh_recipe_save          (const WhRecipe  *recipe,
                                     const char      *path,
                                     GError         **error);

/* The peak learning rate "auto" stands for: the rate fine-tuning practice
 * uses for models 4096 wide (7–8B), scaled by 4096 / @hidden_size. */
double      wh_recipe_auto_learning_rate (WhMethod     method,
                                          guint        hidden_size);
/* @recipe's peak learning rate on a model @hidden_size wide (0: not
 * known): its own, or the "auto" one. */
double      wh_recipe_get_learning_rate  (const WhRecipe *recipe,
                                          guint           hidden_size);

const char *wh_method_to_string     (WhMethod         method);
const char *wh_schedule_to_string   (WhSchedule       schedule);

G_END_DECLS
