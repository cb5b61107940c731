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

/* One training step on the device: forward with a checkpoint at each
 * layer's input, the loss through the LM head in vocabulary chunks (full
 * logits are never held), backward layer by layer (recomputing each layer
 * from its checkpoint), and AdamW.  With LoRA, the gradients of A and B
 * come through the rank-r intermediates and frozen weights never get one;
 * in full fine-tuning every weight of the model is an f32 buffer that gets
 * a gradient and is updated in place.  Sequences are accumulated one at a
 * time; the loss of an optimizer step is the mean over all of its target
 * tokens. */

typedef struct _WhTrainStep WhTrainStep;

/* @adapter must be set on @model (wh_model_set_adapter()); its A and B
 * are trained in place. */
WhTrainStep *wh_train_step_new                  (WhModel                *model,
                                                 WhAdapter              *adapter,
                                                 gsize                   max_tokens,
                                                 GError                **error);
/* Full fine-tuning of @model (which must have no adapter): its weights
 * become f32 where they are not (so a quantised model is dequantised), and
 * every one of them is trained, tied embeddings getting the gradients of
 * both their uses.  Fails with WH_MODEL_ERROR_MEMORY, giving the numbers,
 * when the device cannot hold it. */
WhTrainStep *wh_train_step_new_full             (WhModel                *model,
                                                 gsize                   max_tokens,
                                                 GError                **error);
/* Device bytes full fine-tuning of @config needs for sequences of up to
 * @max_tokens: weights, gradients and both AdamW moments in f32, and the
 * step's activations. */
gsize        wh_train_step_estimate_full_memory (const WhModelConfig    *config,
                                                 gsize                   max_tokens);
void         wh_train_step_free                 (WhTrainStep            *step);

gboolean     wh_train_step_zero_grad            (WhTrainStep            *step,
                                                 GError                **error);
/* Adds the gradients of one sequence: @targets[t] is the token that
 * should follow position t, or negative to ignore it.  @scale is
 * 1 / (target tokens of the whole optimizer step).  @loss_sum gets the
 * sum of this sequence's per-token losses. */
gboolean     wh_train_step_accumulate           (WhTrainStep            *step,
                                                 const gint32           *ids,
                                                 const gint32           *targets,
                                                 gsize                   n_tokens,
                                                 float                   scale,
                                                 double                 *loss_sum,
                                                 GError                **error);
/* The same for several sequences packed into one: @seg[t] is the
 * sequence token t belongs to (non-decreasing).  A token attends only to
 * earlier tokens of its own sequence and its position counts from that
 * sequence's first token, so the gradients are those of accumulating the
 * sequences one by one.  Each sequence's last token should have no
 * target.  @seg NULL: one sequence, as wh_train_step_accumulate(). */
gboolean     wh_train_step_accumulate_packed    (WhTrainStep            *step,
                                                 const gint32           *ids,
                                                 const gint32           *targets,
                                                 const gint32           *seg,
                                                 gsize                   n_tokens,
                                                 float                   scale,
                                                 double                 *loss_sum,
                                                 GError                **error);
/* LoRA dropout on the adapters' inputs in the accumulates that follow
 * (@p 0: none); @seed picks the masks. */
void         wh_train_step_set_dropout (WhTrainStep           *step,
                                        float                  p,
                                        guint32                seed);
/* The loss of one sequence without gradients (validation): @loss_sum
 * gets the sum of its per-token losses. */
gboolean     wh_train_step_loss                 (WhTrainStep            *step,
                                                 const gint32           *ids,
                                                 const gint32           *targets,
                                                 gsize                   n_tokens,
                                                 double                 *loss_sum,
                                                 GError                **error);
/* Clips by global norm (max_norm ≤ 0: no clipping), then one AdamW step
 * (@t counts from 1).  @grad_norm gets the norm before clipping. */
gboolean     wh_train_step_optimize             (WhTrainStep            *step,
                                                 const WhClAdamwParams  *params,
                                                 guint                   t,
                                                 double                  max_norm,
                                                 float                  *grad_norm,
                                                 GError                **error);

/* The gradient of lora_A (@b FALSE) or lora_B of one projection. */
WhClBuffer  *wh_train_step_get_grad             (WhTrainStep            *step,
                                                 guint                   layer,
                                                 WhLoraTarget            target,
                                                 gboolean                b);

/* The gradient of a trained tensor by its file name: a Hugging Face
 * name ("model.layers.0.self_attn.q_proj.weight") in full fine-tuning, a
 * PEFT name (as in adapter_model.safetensors) with LoRA.  NULL when the
 * step does not train it. */
WhClBuffer  *wh_train_step_get_weight_grad      (WhTrainStep            *step,
                                                 const char             *name);
/* The f32 values of the same tensor (the adapter's or the model's). */
WhClBuffer  *wh_train_step_get_weight           (WhTrainStep            *step,
                                                 const char             *name);

/* Writes every AdamW moment (exp_avg and exp_avg_sq of each trained
 * tensor) as one safetensors file, atomically.  With the trained weights
 * (the adapter, or the model from wh_train_step_save_model()) and the
 * step count, this is all an exact resume needs. */
gboolean     wh_train_step_save_state           (WhTrainStep            *step,
                                                 const char             *path,
                                                 GError                **error);
/* Reads what wh_train_step_save_state() wrote, into a step training the
 * same tensors; a missing or misshapen tensor is an error naming it and
 * the file. */
gboolean     wh_train_step_load_state           (WhTrainStep            *step,
                                                 const char             *path,
                                                 GError                **error);

/* Full fine-tuning: writes the trained model as a Hugging Face folder in
 * @dir (created if needed): model.safetensors with @dtype (f32 or f16)
 * tensors under transformers' names, config.json, and the tokenizer
 * files of the model's folder.  Each file is written atomically. */
gboolean     wh_train_step_save_model           (WhTrainStep            *step,
                                                 const char             *dir,
                                                 WhClDType               dtype,
                                                 GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhTrainStep, wh_train_step_free)

G_END_DECLS
