/* wh-adapter.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-model.h"

G_BEGIN_DECLS

/* A LoRA adapter in PEFT's format (adapter_config.json and
 * adapter_model.safetensors) on the device beside its base model:
 * y = W·x + scale · B·(A·x), scale = alpha / r (rsLoRA: alpha / √r). */

typedef enum
{
  WH_LORA_Q_PROJ,
  WH_LORA_K_PROJ,
  WH_LORA_V_PROJ,
  WH_LORA_O_PROJ,
  WH_LORA_GATE_PROJ,
  WH_LORA_UP_PROJ,
  WH_LORA_DOWN_PROJ,
  WH_LORA_N_TARGETS,
} WhLoraTarget;

typedef struct
{
  WhClBuffer *a;      /* (r, in) f32 */
  WhClBuffer *b;      /* (out, r) f32 */
} WhLoraPair;

typedef struct _WhAdapter WhAdapter;

const char *wh_lora_target_name   (WhLoraTarget  target);

/* Loads @dir for @model (shapes are checked against it). */
WhAdapter  *wh_adapter_load       (WhModel      *model,
                                   const char   *dir,
                                   GError      **error);
/* A new adapter for @model as PEFT initialises one: A Kaiming-uniform
 * (bound 1/√in), B zero, on the projections in @targets (bit per
 * WhLoraTarget). */
WhAdapter  *wh_adapter_new        (WhModel      *model,
                                   guint         rank,
                                   double        alpha,
                                   double        dropout,
                                   gboolean      rslora,
                                   guint         targets,
                                   guint64       seed,
                                   GError      **error);
/* Writes adapter_config.json and adapter_model.safetensors (f32, PEFT's
 * tensor names) into @dir, which must exist; each file atomically. */
gboolean    wh_adapter_save       (WhAdapter    *adapter,
                                   const char   *dir,
                                   const char   *base_model,
                                   GError      **error);
void        wh_adapter_free       (WhAdapter    *adapter);

guint       wh_adapter_get_rank   (WhAdapter    *adapter);
float       wh_adapter_get_scale  (WhAdapter    *adapter);
/* NULL when the adapter does not touch this projection of this layer. */
const WhLoraPair *wh_adapter_get_pair (WhAdapter    *adapter,
                                       guint         layer,
                                       WhLoraTarget  target);
guint64     wh_adapter_get_bytes  (WhAdapter    *adapter);

/* Applies @adapter (NULL: none) to every later forward pass; the model
 * does not own it. */
gboolean    wh_model_set_adapter  (WhModel      *model,
                                   WhAdapter    *adapter,
                                   GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhAdapter, wh_adapter_free)

G_END_DECLS
