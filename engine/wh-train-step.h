/* wh-train-step.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-adapter.h"
#include "wh-cl-adamw.h"

G_BEGIN_DECLS

/* One LoRA training step on the device: forward with a checkpoint at
 * each layer's input, the loss through the LM head in vocabulary chunks
 * (full logits are never held), backward layer by layer (recomputing each
 * layer from its checkpoint), gradients of A and B through the rank-r
 * intermediates (frozen weights never get one), and AdamW over the
 * adapter.  Sequences are accumulated one at a time; the loss of an
 * optimizer step is the mean over all of its target tokens. */

typedef struct _WhTrainStep WhTrainStep;

/* @adapter must be set on @model (wh_model_set_adapter()); its A and B
 * are trained in place. */
WhTrainStep *wh_train_step_new         (WhModel               *model,
                                        WhAdapter             *adapter,
                                        gsize                  max_tokens,
                                        GError               **error);
void         wh_train_step_free        (WhTrainStep           *step);

gboolean     wh_train_step_zero_grad   (WhTrainStep           *step,
                                        GError               **error);
/* Adds the gradients of one sequence: @targets[t] is the token that
 * should follow position t, or negative to ignore it.  @scale is
 * 1 / (target tokens of the whole optimizer step).  @loss_sum gets the
 * sum of this sequence's per-token losses. */
gboolean     wh_train_step_accumulate  (WhTrainStep           *step,
                                        const gint32          *ids,
                                        const gint32          *targets,
                                        gsize                  n_tokens,
                                        float                  scale,
                                        double                *loss_sum,
                                        GError               **error);
/* The loss of one sequence without gradients (validation): @loss_sum
 * gets the sum of its per-token losses. */
gboolean     wh_train_step_loss        (WhTrainStep           *step,
                                        const gint32          *ids,
                                        const gint32          *targets,
                                        gsize                  n_tokens,
                                        double                *loss_sum,
                                        GError               **error);
/* Clips by global norm (max_norm ≤ 0: no clipping), then one AdamW step
 * (@t counts from 1).  @grad_norm gets the norm before clipping. */
gboolean     wh_train_step_optimize    (WhTrainStep           *step,
                                        const WhClAdamwParams *params,
                                        guint                  t,
                                        double                 max_norm,
                                        float                 *grad_norm,
                                        GError               **error);

/* The gradient of lora_A (@b FALSE) or lora_B of one projection. */
WhClBuffer  *wh_train_step_get_grad    (WhTrainStep           *step,
                                        guint                  layer,
                                        WhLoraTarget           target,
                                        gboolean               b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhTrainStep, wh_train_step_free)

G_END_DECLS
