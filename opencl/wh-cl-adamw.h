/* wh-cl-adamw.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-cl-buffer.h"

G_BEGIN_DECLS

/* The hyperparameters of torch.optim.AdamW, as the Python floats it keeps. */
typedef struct
{
  double lr;
  double beta1;
  double beta2;
  double eps;
  double weight_decay;
} WhClAdamwParams;

gboolean wh_cl_adamw_step     (WhClContext            *ctx,
                               WhClBuffer             *param,
                               WhClBuffer             *grad,
                               WhClBuffer             *exp_avg,
                               WhClBuffer             *exp_avg_sq,
                               gsize                   n,
                               const WhClAdamwParams  *params,
                               guint                   step,
                               GError                **error);
gboolean wh_cl_sum_of_squares (WhClContext            *ctx,
                               WhClBuffer * const     *buffers,
                               const gsize            *counts,
                               guint                   n_buffers,
                               float                  *sum,
                               GError                **error);
gboolean wh_cl_scale          (WhClContext            *ctx,
                               WhClBuffer             *x,
                               gsize                   n,
                               float                   a,
                               GError                **error);
float    wh_cl_clip_coef      (float                   total_norm,
                               double                  max_norm);
gboolean wh_cl_clip_grad_norm (WhClContext            *ctx,
                               WhClBuffer * const     *grads,
                               const gsize            *counts,
                               guint                   n_grads,
                               double                  max_norm,
                               float                  *total_norm,
                               GError                **error);

G_END_DECLS
