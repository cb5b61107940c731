/* wh-cl-swiglu.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-cl-error.h"
#include "wh-cl-launch.h"
#include "wh-cl-swiglu.h"

/**
 * wh_cl_swiglu_forward:
 * @out: (n) floats, written
 * @gate: (n) floats
 * @up: (n) floats
 *
 * out = silu(gate) * up.  See wh_ref_swiglu_forward().
 */
gboolean
wh_cl_swiglu_forward (WhClContext  *ctx,
                      WhClBuffer   *out,
                      WhClBuffer   *gate,
                      WhClBuffer   *up,
                      gsize         n,
                      GError      **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && out != NULL && gate != NULL && up != NULL, FALSE);

  if (!_wh_cl_check_index ("SwiGLU", n, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n, error) ||
      !_wh_cl_check_buffer_floats (gate, "gate", n, error) ||
      !_wh_cl_check_buffer_floats (up, "up", n, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "swiglu", "swiglu_fwd_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, out->mem);
  WH_CL_SET_ARG (status, kernel, 1, gate->mem);
  WH_CL_SET_ARG (status, kernel, 2, up->mem);
  WH_CL_SET_ARG (status, kernel, 3, n32);
  if (!wh_cl_check (status, "swiglu_fwd_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "swiglu_fwd_f32", n, error);
}

/**
 * wh_cl_swiglu_backward:
 * @dgate: (n) floats, accumulated into
 * @dup: (n) floats, accumulated into
 * @dout: (n) floats
 * @gate: (n) floats, the forward input
 * @up: (n) floats, the forward input
 *
 * Adds the gradients of wh_cl_swiglu_forward() into @dgate and @dup.
 */
gboolean
wh_cl_swiglu_backward (WhClContext  *ctx,
                       WhClBuffer   *dgate,
                       WhClBuffer   *dup,
                       WhClBuffer   *dout,
                       WhClBuffer   *gate,
                       WhClBuffer   *up,
                       gsize         n,
                       GError      **error)
{
  cl_kernel kernel;
  cl_uint n32;
  cl_int status = CL_SUCCESS;

  g_return_val_if_fail (ctx != NULL && dgate != NULL && dup != NULL, FALSE);
  g_return_val_if_fail (dout != NULL && gate != NULL && up != NULL, FALSE);

  if (!_wh_cl_check_index ("SwiGLU", n, error) ||
      !_wh_cl_check_buffer_floats (dgate, "dgate", n, error) ||
      !_wh_cl_check_buffer_floats (dup, "dup", n, error) ||
      !_wh_cl_check_buffer_floats (dout, "dout", n, error) ||
      !_wh_cl_check_buffer_floats (gate, "gate", n, error) ||
      !_wh_cl_check_buffer_floats (up, "up", n, error))
    return FALSE;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "swiglu", "swiglu_bwd_f32", error)))
    return FALSE;

  n32 = n;
  WH_CL_SET_ARG (status, kernel, 0, dgate->mem);
  WH_CL_SET_ARG (status, kernel, 1, dup->mem);
  WH_CL_SET_ARG (status, kernel, 2, dout->mem);
  WH_CL_SET_ARG (status, kernel, 3, gate->mem);
  WH_CL_SET_ARG (status, kernel, 4, up->mem);
  WH_CL_SET_ARG (status, kernel, 5, n32);
  if (!wh_cl_check (status, "swiglu_bwd_f32", error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, "swiglu_bwd_f32", n, error);
}
