/* test-cl-swiglu.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pattern every op follows (STYLE.md): the kernel against the plain-C
 * reference, forward and backward, and the reference's backward against
 * finite differences of its forward. */

#include "config.h"

#include <math.h>

#include "wh-test-cl.h"

static WhClContext *ctx;

static void
test_forward (void)
{
  /* Not multiples of the work-group size, and large enough for several. */
  static const gsize sizes[] = { 1, 63, 64, 65, 1000, 4099 };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree float *gate = g_new (float, n);
      g_autofree float *up = g_new (float, n);
      g_autofree float *want = g_new (float, n + 1);
      g_autofree float *got = g_new (float, n + 1);
      g_autoptr(WhClBuffer) dgate = NULL, dup = NULL, dout = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (gate, n, 10 + s);
      wh_test_fill_random (up, n, 20 + s);
      for (gsize i = 0; i < n; i++)
        gate[i] *= 8.0f;   /* reach both tails of the sigmoid */
      wh_ref_swiglu_forward (want, gate, up, n);
      want[n] = 0.0f;     /* the element past the end stays untouched */

      dgate = wh_test_upload_floats (ctx, gate, n);
      dup = wh_test_upload_floats (ctx, up, n);
      dout = wh_cl_buffer_new (ctx, (n + 1) * sizeof (float), &error);
      g_assert_no_error (error);

      wh_cl_swiglu_forward (ctx, dout, dgate, dup, n, &error);
      g_assert_no_error (error);
      wh_test_download_floats (dout, got, n + 1);

      g_assert_cmpfloat (wh_ref_normalized_error (got, want, n + 1), <, 1e-6);
    }
}

static void
test_backward (void)
{
  const gsize n = 777;
  g_autofree float *gate = g_new (float, n);
  g_autofree float *up = g_new (float, n);
  g_autofree float *dy = g_new (float, n);
  g_autofree float *want_dg = g_new (float, n);
  g_autofree float *want_du = g_new (float, n);
  g_autofree float *got_dg = g_new (float, n);
  g_autofree float *got_du = g_new (float, n);
  g_autoptr(WhClBuffer) b_gate = NULL, b_up = NULL, b_dy = NULL, b_dg = NULL, b_du = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (gate, n, 1);
  wh_test_fill_random (up, n, 2);
  wh_test_fill_random (dy, n, 3);
  for (gsize i = 0; i < n; i++)
    gate[i] *= 6.0f;

  /* Gradients accumulate: start from non-zero values. */
  wh_test_fill_random (want_dg, n, 4);
  wh_test_fill_random (want_du, n, 5);
  b_dg = wh_test_upload_floats (ctx, want_dg, n);
  b_du = wh_test_upload_floats (ctx, want_du, n);
  wh_ref_swiglu_backward (want_dg, want_du, dy, gate, up, n);

  b_gate = wh_test_upload_floats (ctx, gate, n);
  b_up = wh_test_upload_floats (ctx, up, n);
  b_dy = wh_test_upload_floats (ctx, dy, n);

  wh_cl_swiglu_backward (ctx, b_dg, b_du, b_dy, b_gate, b_up, n, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_dg, got_dg, n);
  wh_test_download_floats (b_du, got_du, n);

  g_assert_cmpfloat (wh_ref_normalized_error (got_dg, want_dg, n), <, 1e-6);
  g_assert_cmpfloat (wh_ref_normalized_error (got_du, want_du, n), <, 1e-6);
}

/* L = Σ dy·swiglu(gate, up): its gradient is what the backward adds. */
static double
loss (const float *gate,
      const float *up,
      const float *dy,
      gsize        n)
{
  g_autofree float *out = g_new (float, n);
  double l = 0.0;

  wh_ref_swiglu_forward (out, gate, up, n);
  for (gsize i = 0; i < n; i++)
    l += (double) dy[i] * out[i];

  return l;
}

static void
test_gradient_check (void)
{
  const gsize n = 64;
  const float h = 1e-2f;
  g_autofree float *gate = g_new (float, n);
  g_autofree float *up = g_new (float, n);
  g_autofree float *dy = g_new (float, n);
  g_autofree float *dg = g_new0 (float, n);
  g_autofree float *du = g_new0 (float, n);

  wh_test_fill_random (gate, n, 7);
  wh_test_fill_random (up, n, 8);
  wh_test_fill_random (dy, n, 9);
  for (gsize i = 0; i < n; i++)
    gate[i] *= 4.0f;

  wh_ref_swiglu_backward (dg, du, dy, gate, up, n);

  for (gsize i = 0; i < n; i++)
    {
      float saved = gate[i];
      double lp, lm, num;

      gate[i] = saved + h;
      lp = loss (gate, up, dy, n);
      gate[i] = saved - h;
      lm = loss (gate, up, dy, n);
      gate[i] = saved;
      num = (lp - lm) / (2.0 * h);
      g_assert_cmpfloat_with_epsilon (dg[i], num, 1e-3 * MAX (1.0, fabs (num)));

      saved = up[i];
      up[i] = saved + h;
      lp = loss (gate, up, dy, n);
      up[i] = saved - h;
      lm = loss (gate, up, dy, n);
      up[i] = saved;
      num = (lp - lm) / (2.0 * h);
      g_assert_cmpfloat_with_epsilon (du[i], num, 1e-3 * MAX (1.0, fabs (num)));
    }
}

static void
test_too_small_buffer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClBuffer) a = NULL;

  WH_TEST_REQUIRE (ctx);

  a = wh_cl_buffer_new (ctx, 8 * sizeof (float), &error);
  g_assert_no_error (error);

  g_assert_false (wh_cl_swiglu_forward (ctx, a, a, a, 9, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/swiglu/forward", test_forward);
  g_test_add_func ("/whetstone/cl/swiglu/backward", test_backward);
  g_test_add_func ("/whetstone/cl/swiglu/gradient-check", test_gradient_check);
  g_test_add_func ("/whetstone/cl/swiglu/too-small-buffer", test_too_small_buffer);

  return wh_test_cl_run (&ctx);
}
