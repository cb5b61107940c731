/* wh-cl-adamw.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The optimizer on the device: AdamW as torch.optim.AdamW, and clipping by
 * the global gradient norm as torch.nn.utils.clip_grad_norm_.  The
 * arithmetic, operation by operation, is in kernels/adamw.cl. */

#include "config.h"

#include <math.h>

#include "wh-cl-adamw.h"
#include "wh-cl-error.h"
#include "wh-cl-launch.h"

/* The shape of the sum-of-squares reduction; kernels/adamw.cl has the same. */
#define SUMSQ_LOCAL    64
#define SUMSQ_PER_ITEM 16
#define SUMSQ_CHUNK    (SUMSQ_LOCAL * SUMSQ_PER_ITEM)

/**
 * wh_cl_adamw_step:
 * @param: (n) floats, updated
 * @grad: (n) floats, the gradient (already clipped)
 * @exp_avg: (n) floats, the first moment m, updated; zero before step 1
 * @exp_avg_sq: (n) floats, the second moment v, updated; zero before step 1
 * @params: the hyperparameters
 * @step: the number of this step, counting from 1
 *
 * One AdamW update of @param, as torch.optim.AdamW (amsgrad off, not
 * maximising) computes it on the CPU: the same operations in the same order
 * in f32, with the scalar factors worked out in double like torch's Python
 * floats.
 */
gboolean
wh_cl_adamw_step (WhClContext            *ctx,
                  WhClBuffer             *param,
                  WhClBuffer             *grad,
                  WhClBuffer             *exp_avg,
                  WhClBuffer             *exp_avg_sq,
                  gsize                   n,
                  const WhClAdamwParams  *params,
                  guint                   step,
                  GError                **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_float decay, one_minus_beta1, beta2, one_minus_beta2;
  cl_float bias_correction2_sqrt, eps, neg_step_size;
  double bias_correction1, bias_correction2;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && param != NULL && grad != NULL, FALSE);
  g_return_val_if_fail (exp_avg != NULL && exp_avg_sq != NULL && params != NULL, FALSE);
  g_return_val_if_fail (step >= 1, FALSE);

  if (!_wh_cl_check_index ("AdamW", n, error) ||
      !_wh_cl_check_buffer_floats (param, "param", n, error) ||
      !_wh_cl_check_buffer_floats (grad, "grad", n, error) ||
      !_wh_cl_check_buffer_floats (exp_avg, "exp_avg", n, error) ||
      !_wh_cl_check_buffer_floats (exp_avg_sq, "exp_avg_sq", n, error))
    return FALSE;

  /* torch/optim/adamw.py, _single_tensor_adamw: Python floats, then each
   * kernel rounds its scalar to f32.  "beta ** step" is C's pow() on the
   * step as a float, and "bias_correction2 ** 0.5" is pow() too. */
  bias_correction1 = 1.0 - pow (params->beta1, (double) step);
  bias_correction2 = 1.0 - pow (params->beta2, (double) step);
  decay = 1.0 - params->lr * params->weight_decay;
  one_minus_beta1 = 1.0 - params->beta1;
  beta2 = params->beta2;
  one_minus_beta2 = 1.0 - params->beta2;
  bias_correction2_sqrt = pow (bias_correction2, 0.5);
  eps = params->eps;
  neg_step_size = -(params->lr / bias_correction1);

  if (!(kernel = wh_cl_context_get_kernel (ctx, "adamw", "adamw_step_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, param->mem);
  WH_CL_SET_ARG (status, kernel, 1, grad->mem);
  WH_CL_SET_ARG (status, kernel, 2, exp_avg->mem);
  WH_CL_SET_ARG (status, kernel, 3, exp_avg_sq->mem);
  WH_CL_SET_ARG (status, kernel, 4, n32);
  WH_CL_SET_ARG (status, kernel, 5, decay);
  WH_CL_SET_ARG (status, kernel, 6, one_minus_beta1);
  WH_CL_SET_ARG (status, kernel, 7, beta2);
  WH_CL_SET_ARG (status, kernel, 8, one_minus_beta2);
  WH_CL_SET_ARG (status, kernel, 9, bias_correction2_sqrt);
  WH_CL_SET_ARG (status, kernel, 10, eps);
  WH_CL_SET_ARG (status, kernel, 11, neg_step_size);
  if (!wh_cl_check (status, "adamw_step_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "adamw_step_f32", n, error);
}

/**
 * wh_cl_scale:
 * @x: (n) floats, scaled in place
 *
 * x = a·x.
 */
gboolean
wh_cl_scale (WhClContext  *ctx,
             WhClBuffer   *x,
             gsize         n,
             float         a,
             GError      **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_float a32 = a;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && x != NULL, FALSE);

  if (!_wh_cl_check_index ("Scaling", n, error) ||
      !_wh_cl_check_buffer_floats (x, "x", n, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "adamw", "scale_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, x->mem);
  WH_CL_SET_ARG (status, kernel, 1, n32);
  WH_CL_SET_ARG (status, kernel, 2, a32);
  if (!wh_cl_check (status, "scale_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "scale_f32", n, error);
}

/**
 * wh_cl_sum_of_squares:
 * @buffers: (array length=n_buffers): the buffers
 * @counts: (array length=n_buffers): how many floats of each to take
 * @sum: (out): Σ x² over all of them
 *
 * Adds the squares of the first @counts[i] floats of every @buffers[i] on
 * the device, in f32, and reads the sum back.  The order of the additions
 * is fixed (chunks of 1024 elements, each a tree over 64 work-items, then
 * one work-group over the chunks' sums), so the same data always give the
 * same bits, on any device that rounds as IEEE 754 says.
 */
gboolean
wh_cl_sum_of_squares (WhClContext         *ctx,
                      WhClBuffer * const  *buffers,
                      const gsize         *counts,
                      guint                n_buffers,
                      float               *sum,
                      GError             **error)
{
  g_autoptr(WhClBuffer) partials = NULL;
  cl_kernel partial_kernel, final_kernel;
  gsize n_partials = 0;
  cl_uint first = 0;
  cl_uint n_partials32;
  cl_int status = CL_SUCCESS;
  float result;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (n_buffers == 0 || (buffers != NULL && counts != NULL), FALSE);
  g_return_val_if_fail (sum != NULL, FALSE);

  for (guint b = 0; b < n_buffers; b++)
    {
      g_return_val_if_fail (buffers[b] != NULL, FALSE);
      if (!_wh_cl_check_index ("Sum of squares", counts[b], error) ||
          !_wh_cl_check_buffer_floats (buffers[b], "buffers[]", counts[b], error))
        return FALSE;
      n_partials += (counts[b] + SUMSQ_CHUNK - 1) / SUMSQ_CHUNK;
    }

  *sum = 0.0f;
  if (n_partials == 0)
    return TRUE;

  if (wh_cl_context_get_device (ctx)->max_work_group_size < SUMSQ_LOCAL)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   "The device runs at most %" G_GSIZE_FORMAT " work-items together; "
                   "the gradient norm needs %d",
                   wh_cl_context_get_device (ctx)->max_work_group_size, SUMSQ_LOCAL);
      return FALSE;
    }

  if (!(partial_kernel = wh_cl_context_get_kernel (ctx, "adamw", "sum_squares_partial_f32", error)) ||
      !(final_kernel = wh_cl_context_get_kernel (ctx, "adamw", "sum_partials_f32", error)))
    return FALSE;

  /* (n_partials) chunk sums, then the total. */
  if (!(partials = wh_cl_buffer_new (ctx, (n_partials + 1) * sizeof (float), error)))
    return FALSE;

  for (guint b = 0; b < n_buffers; b++)
    {
      cl_uint n32 = counts[b];
      gsize n_groups = (counts[b] + SUMSQ_CHUNK - 1) / SUMSQ_CHUNK;

      if (n_groups == 0)
        continue;

      WH_CL_SET_ARG (status, partial_kernel, 0, buffers[b]->mem);
      WH_CL_SET_ARG (status, partial_kernel, 1, n32);
      WH_CL_SET_ARG (status, partial_kernel, 2, partials->mem);
      WH_CL_SET_ARG (status, partial_kernel, 3, first);
      if (!wh_cl_check (status, "sum_squares_partial_f32", error) ||
          !_wh_cl_launch_groups (ctx, partial_kernel, "sum_squares_partial_f32", n_groups,
                                SUMSQ_LOCAL, error))
        return FALSE;
      first += n_groups;
    }

  n_partials32 = n_partials;
  WH_CL_SET_ARG (status, final_kernel, 0, partials->mem);
  WH_CL_SET_ARG (status, final_kernel, 1, n_partials32);
  if (!wh_cl_check (status, "sum_partials_f32", error) ||
      !_wh_cl_launch_groups (ctx, final_kernel, "sum_partials_f32", 1, SUMSQ_LOCAL, error) ||
      !wh_cl_buffer_read (partials, n_partials * sizeof (float), &result, sizeof result, error))
    return FALSE;

  *sum = result;
  return TRUE;
}

/**
 * wh_cl_clip_coef:
 * @total_norm: the global norm of the gradients
 * @max_norm: the largest norm to allow
 *
 * The factor torch.nn.utils.clip_grad_norm_ multiplies the gradients by:
 * min(1, max_norm / (total_norm + 1e-6)), in f32 as torch computes it on
 * a 0-d tensor (Python's float / tensor being reciprocal() * float).
 *
 * Returns: the factor, 1 where no clipping is needed
 */
float
wh_cl_clip_coef (float  total_norm,
                 double max_norm)
{
  float reciprocal = 1.0f / (total_norm + 1e-6f);
  float coef = reciprocal * (float) max_norm;

  return coef < 1.0f ? coef : 1.0f;
}

/**
 * wh_cl_clip_grad_norm:
 * @grads: (array length=n_grads): the gradient buffers, scaled in place
 * @counts: (array length=n_grads): how many floats of each are gradients
 * @max_norm: the largest global norm to allow
 * @total_norm: (out) (optional): the global norm before clipping
 *
 * Clips the gradients by their global L2 norm, as
 * torch.nn.utils.clip_grad_norm_ (@grads, @max_norm) does: the norm of all
 * of them together, then every gradient times wh_cl_clip_coef().  The norm
 * comes from wh_cl_sum_of_squares(), so it is deterministic; it may differ
 * from torch's in the last bit or two, torch adding in another order.
 */
gboolean
wh_cl_clip_grad_norm (WhClContext         *ctx,
                      WhClBuffer * const  *grads,
                      const gsize         *counts,
                      guint                n_grads,
                      double               max_norm,
                      float               *total_norm,
                      GError             **error)
{
  float sum, norm, coef;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (n_grads == 0 || (grads != NULL && counts != NULL), FALSE);

  if (!wh_cl_sum_of_squares (ctx, grads, counts, n_grads, &sum, error))
    return FALSE;

  norm = sqrtf (sum);
  if (total_norm != NULL)
    *total_norm = norm;

  /* Multiplying by 1 changes nothing, so unclipped steps skip the pass. */
  coef = wh_cl_clip_coef (norm, max_norm);
  if (coef == 1.0f)
    return TRUE;

  for (guint i = 0; i < n_grads; i++)
    if (!wh_cl_scale (ctx, grads[i], counts[i], coef, error))
      return FALSE;

  return TRUE;
}
