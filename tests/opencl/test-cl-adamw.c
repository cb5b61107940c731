/* test-cl-adamw.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The optimizer step against two oracles: a plain-C reference of the same
 * f32 operations on random data, and five steps of clip_grad_norm_ plus
 * torch.optim.AdamW written by PyTorch into tests/reference/adamw/ (see
 * make-fixtures.py there).  Then the sum of squares behind the gradient
 * norm: the same bits on every run, and close to a double-precision sum. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "wh-test-cl.h"

static WhClContext *ctx;

/* ---- helpers ---------------------------------------------------------- */

/* Distance in units in the last place: how many floats lie between. */
static guint32
ulp_distance (float a,
              float b)
{
  gint32 ia, ib;

  memcpy (&ia, &a, sizeof ia);
  memcpy (&ib, &b, sizeof ib);
  if (ia < 0)
    ia = G_MININT32 - ia;
  if (ib < 0)
    ib = G_MININT32 - ib;

  return ia > ib ? (guint32) ia - (guint32) ib : (guint32) ib - (guint32) ia;
}

typedef struct
{
  guint32 ulps;     /* the largest distance */
  double  rel;      /* the largest |got - want| / |want| */
} Mismatch;

static Mismatch
compare (const float *got,
         const float *want,
         gsize        n)
{
  Mismatch r = { 0, 0.0 };

  for (gsize i = 0; i < n; i++)
    {
      double d = fabs ((double) got[i] - want[i]);

      g_assert_true (isfinite (got[i]));
      r.ulps = MAX (r.ulps, ulp_distance (got[i], want[i]));
      r.rel = MAX (r.rel, want[i] != 0.0f ? d / fabs (want[i]) : d > 0.0 ? INFINITY : 0.0);
    }

  return r;
}

/* ---- the plain-C reference ------------------------------------------- */

/* torch.optim.AdamW's single-tensor step (torch/optim/adamw.py), written
 * out independently of wh-cl-adamw.c: every operation rounds to f32, and
 * the two that torch's vectorised CPU kernels fuse use fmaf(). */
static void
ref_adamw_step (float                 *p,  /* (n) */
                const float           *g,  /* (n) */
                float                 *m,  /* (n) */
                float                 *v,  /* (n) */
                gsize                  n,
                const WhClAdamwParams *hp,
                guint                  t)
{
  const double bias_correction1 = 1.0 - pow (hp->beta1, t);
  const double bias_correction2 = 1.0 - pow (hp->beta2, t);
  const double step_size = hp->lr / bias_correction1;
  const float decay = 1.0 - hp->lr * hp->weight_decay;
  const float w1 = 1.0 - hp->beta1;
  const float beta2 = hp->beta2;
  const float w2 = 1.0 - hp->beta2;
  const float bc2_sqrt = sqrt (bias_correction2);
  const float eps = hp->eps;
  const float neg_step = -step_size;

  for (gsize i = 0; i < n; i++)
    {
      float d, denom;

      p[i] = p[i] * decay;                                    /* param.mul_ */
      d = g[i] - m[i];                                        /* exp_avg.lerp_ */
      m[i] = w1 < 0.5f ? fmaf (w1, d, m[i]) : fmaf (w1 - 1.0f, d, g[i]);
      v[i] = fmaf (w2 * g[i], g[i], v[i] * beta2);            /* mul_, addcmul_ */
      denom = sqrtf (v[i]) / bc2_sqrt + eps;
      p[i] = p[i] + (neg_step * m[i]) / denom;                /* addcdiv_ */
    }
}

/* ---- AdamW against the reference ------------------------------------- */

static void
test_step_reference (void)
{
  static const struct {
    gsize           n;
    WhClAdamwParams hp;
  } cases[] = {
    { 4099, { 1e-3, 0.9, 0.999, 1e-8, 0.01 } },
    { 777,  { 3e-4, 0.9, 0.95, 1e-6, 0.1 } },
    { 65,   { 1e-2, 0.3, 0.99, 1e-8, 0.0 } },   /* the other branch of lerp */
    { 1,    { 1e-3, 0.9, 0.999, 1e-8, 0.01 } },
  };
  const guint n_steps = 6;

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n = cases[c].n;
      const WhClAdamwParams *hp = &cases[c].hp;
      g_autofree float *p = g_new (float, n);
      g_autofree float *g = g_new (float, n);
      g_autofree float *m = g_new0 (float, n);
      g_autofree float *v = g_new0 (float, n);
      g_autofree float *got = g_new (float, n);
      g_autoptr(WhClBuffer) bp = NULL, bg = NULL, bm = NULL, bv = NULL;
      Mismatch worst = { 0, 0.0 };

      wh_test_fill_random (p, n, 100 + c);
      bp = wh_test_upload_floats (ctx, p, n);
      bm = wh_test_upload_floats (ctx, m, n);
      bv = wh_test_upload_floats (ctx, v, n);

      for (guint t = 1; t <= n_steps; t++)
        {
          g_autoptr(GError) error = NULL;
          Mismatch mp, mm, mv;

          /* Gradients of changing size, with some exact zeros. */
          wh_test_fill_random (g, n, 1000 * c + t);
          for (gsize i = 0; i < n; i++)
            g[i] = i % 17 == 3 ? 0.0f : g[i] * ldexpf (1.0f, (int) (i % 9) - 6);
          g_clear_pointer (&bg, wh_cl_buffer_free);
          bg = wh_test_upload_floats (ctx, g, n);

          ref_adamw_step (p, g, m, v, n, hp, t);
          wh_cl_adamw_step (ctx, bp, bg, bm, bv, n, hp, t, &error);
          g_assert_no_error (error);

          wh_test_download_floats (bp, got, n);
          mp = compare (got, p, n);
          wh_test_download_floats (bm, got, n);
          mm = compare (got, m, n);
          wh_test_download_floats (bv, got, n);
          mv = compare (got, v, n);

          worst.ulps = MAX (worst.ulps, MAX (mp.ulps, MAX (mm.ulps, mv.ulps)));
          worst.rel = MAX (worst.rel, MAX (mp.rel, MAX (mm.rel, mv.rel)));
        }

      g_test_message ("n %" G_GSIZE_FORMAT ", beta1 %g: at most %u ulp, relative %.3g from the reference",
                      n, hp->beta1, worst.ulps, worst.rel);
      g_assert_cmpuint (worst.ulps, <=, 1);
    }
}

/* ---- AdamW against PyTorch -------------------------------------------- */

static char *
fixture_path (const char *name)
{
  const char *env = g_getenv ("WH_REFERENCE_DIR");

  if (env != NULL)
    return g_build_filename (env, "adamw", name, NULL);
  return g_test_build_filename (G_TEST_DIST, "reference", "adamw", name, NULL);
}

static float *
section (GBytes     *bytes,
         JsonObject *object,
         const char *key,
         gsize       n)
{
  gsize offset = json_object_get_int_member (object, key);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  float *out = g_new (float, n);

  g_assert_cmpuint (offset + n * sizeof (float), <=, g_bytes_get_size (bytes));
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;

      memcpy (&bits, data + offset + i * sizeof bits, sizeof bits);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&out[i], &bits, sizeof bits);
    }

  return out;
}

#define N_TENSORS 3

static void
test_pytorch (void)
{
  g_autofree char *json_path = fixture_path ("fixtures.json");
  g_autofree char *bin_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *initial = NULL;
  g_autofree float *got = NULL;
  g_autofree float *zeros = NULL;
  WhClBuffer *param[N_TENSORS], *grad[N_TENSORS], *m[N_TENSORS], *v[N_TENSORS];
  gsize counts[N_TENSORS], offsets[N_TENSORS];
  WhClAdamwParams hp;
  JsonObject *root;
  JsonArray *shapes, *steps;
  char *contents = NULL;
  gsize length = 0, n;
  double max_norm;
  double worst_rel = 0.0, worst_norm = 0.0;
  guint32 worst_ulps = 0;

  WH_TEST_REQUIRE (ctx);

  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  bin_path = fixture_path (json_object_get_string_member (root, "file"));
  g_file_get_contents (bin_path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, length);

  hp.lr = json_object_get_double_member (root, "lr");
  hp.beta1 = json_object_get_double_member (root, "beta1");
  hp.beta2 = json_object_get_double_member (root, "beta2");
  hp.eps = json_object_get_double_member (root, "eps");
  hp.weight_decay = json_object_get_double_member (root, "weight_decay");
  max_norm = json_object_get_double_member (root, "max_norm");
  n = json_object_get_int_member (root, "n");

  shapes = json_object_get_array_member (root, "shapes");
  g_assert_cmpuint (json_array_get_length (shapes), ==, N_TENSORS);
  for (guint k = 0, offset = 0; k < N_TENSORS; k++)
    {
      JsonArray *shape = json_array_get_array_element (shapes, k);

      counts[k] = 1;
      for (guint d = 0; d < json_array_get_length (shape); d++)
        counts[k] *= json_array_get_int_element (shape, d);
      offsets[k] = offset;
      offset += counts[k];
    }
  g_assert_cmpuint (offsets[N_TENSORS - 1] + counts[N_TENSORS - 1], ==, n);

  initial = section (bytes, root, "initial_param_offset", n);
  zeros = g_new0 (float, n);
  got = g_new (float, n);
  for (guint k = 0; k < N_TENSORS; k++)
    {
      param[k] = wh_test_upload_floats (ctx, initial + offsets[k], counts[k]);
      m[k] = wh_test_upload_floats (ctx, zeros, counts[k]);
      v[k] = wh_test_upload_floats (ctx, zeros, counts[k]);
      grad[k] = NULL;
    }

  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 5);
  for (guint s = 0; s < json_array_get_length (steps); s++)
    {
      JsonObject *step = json_array_get_object_element (steps, s);
      guint t = json_object_get_int_member (step, "step");
      g_autofree float *g = section (bytes, step, "grad_offset", n);
      float torch_norm = json_object_get_double_member (step, "total_norm");
      float torch_coef = json_object_get_double_member (step, "clip_coef");
      const char *names[] = { "param", "exp_avg", "exp_avg_sq" };
      WhClBuffer **buffers[] = { param, m, v };
      float norm;

      g_assert_cmpuint (t, ==, s + 1);
      for (guint k = 0; k < N_TENSORS; k++)
        {
          g_clear_pointer (&grad[k], wh_cl_buffer_free);
          grad[k] = wh_test_upload_floats (ctx, g + offsets[k], counts[k]);
        }

      wh_cl_clip_grad_norm (ctx, grad, counts, N_TENSORS, max_norm, &norm, &error);
      g_assert_no_error (error);
      worst_norm = MAX (worst_norm, fabs ((double) norm - torch_norm) / torch_norm);
      g_assert_cmpfloat (fabs ((double) norm - torch_norm), <=, 1e-6 * torch_norm);
      /* torch's coefficient from torch's norm: the formula, bit for bit. */
      g_assert_cmpfloat (wh_cl_clip_coef (torch_norm, max_norm), ==, torch_coef);

      for (guint k = 0; k < N_TENSORS; k++)
        {
          wh_cl_adamw_step (ctx, param[k], grad[k], m[k], v[k], counts[k], &hp, t, &error);
          g_assert_no_error (error);
        }

      for (guint b = 0; b < G_N_ELEMENTS (names); b++)
        {
          g_autofree char *key = g_strconcat (names[b], "_offset", NULL);
          g_autofree float *want = section (bytes, step, key, n);
          Mismatch r;

          for (guint k = 0; k < N_TENSORS; k++)
            wh_test_download_floats (buffers[b][k], got + offsets[k], counts[k]);
          r = compare (got, want, n);
          g_test_message ("step %u %s: at most %u ulp, relative %.3g from torch",
                          t, names[b], r.ulps, r.rel);
          worst_ulps = MAX (worst_ulps, r.ulps);
          worst_rel = MAX (worst_rel, r.rel);
          g_assert_cmpfloat (r.rel, <=, 1e-6);
        }
    }

  g_test_message ("against torch 2.5.1: norm within %.3g, state within %u ulp, relative %.3g",
                  worst_norm, worst_ulps, worst_rel);

  for (guint k = 0; k < N_TENSORS; k++)
    {
      wh_cl_buffer_free (param[k]);
      wh_cl_buffer_free (grad[k]);
      wh_cl_buffer_free (m[k]);
      wh_cl_buffer_free (v[k]);
    }
}

/* ---- the sum of squares and scaling ------------------------------------ */

static void
test_sum_of_squares (void)
{
  /* Empty, one element, around the chunk of 1024, and enough chunks
   * (about 3000) for the second pass to loop. */
  static const gsize sizes[] = { 0, 1, 1000, 1023, 1024, 1025, 70001, 3000000 };
  WhClBuffer *buffers[G_N_ELEMENTS (sizes)];
  gsize counts[G_N_ELEMENTS (sizes)];
  g_autoptr(GError) error = NULL;
  double want = 0.0;
  float first, second, one;

  WH_TEST_REQUIRE (ctx);

  for (guint b = 0; b < G_N_ELEMENTS (sizes); b++)
    {
      g_autofree float *x = g_new (float, sizes[b]);

      wh_test_fill_random (x, sizes[b], 500 + b);
      for (gsize i = 0; i < sizes[b]; i++)
        {
          x[i] *= (float) (b + 1);
          want += (double) x[i] * x[i];
        }
      buffers[b] = wh_test_upload_floats (ctx, x, sizes[b]);
      counts[b] = sizes[b];
    }

  wh_cl_sum_of_squares (ctx, buffers, counts, G_N_ELEMENTS (sizes), &first, &error);
  g_assert_no_error (error);
  wh_cl_sum_of_squares (ctx, buffers, counts, G_N_ELEMENTS (sizes), &second, &error);
  g_assert_no_error (error);

  g_test_message ("sum of squares %.9g, double %.9g: relative %.3g",
                  first, want, fabs (first - want) / want);
  g_assert_cmpmem (&first, sizeof first, &second, sizeof second);
  g_assert_cmpfloat (fabs (first - want), <=, 1e-6 * want);

  /* A single small buffer: the tree of one chunk. */
  wh_cl_sum_of_squares (ctx, &buffers[2], &counts[2], 1, &one, &error);
  g_assert_no_error (error);
  want = 0.0;
  {
    g_autofree float *x = g_new (float, counts[2]);

    wh_test_download_floats (buffers[2], x, counts[2]);
    for (gsize i = 0; i < counts[2]; i++)
      want += (double) x[i] * x[i];
  }
  g_assert_cmpfloat (fabs (one - want), <=, 1e-6 * want);

  /* Nothing at all sums to zero. */
  wh_cl_sum_of_squares (ctx, NULL, NULL, 0, &one, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (one, ==, 0.0f);

  for (guint b = 0; b < G_N_ELEMENTS (sizes); b++)
    wh_cl_buffer_free (buffers[b]);
}

static void
test_scale (void)
{
  const gsize n = 1001;
  const float a = 0.3712f;
  g_autofree float *x = g_new (float, n + 1);
  g_autofree float *got = g_new (float, n + 1);
  g_autoptr(WhClBuffer) bx = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (x, n + 1, 77);
  bx = wh_test_upload_floats (ctx, x, n + 1);
  wh_cl_scale (ctx, bx, n, a, &error);
  g_assert_no_error (error);
  wh_test_download_floats (bx, got, n + 1);

  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (got[i], ==, a * x[i]);
  g_assert_cmpfloat (got[n], ==, x[n]);   /* past the end: untouched */
}

static void
test_clip (void)
{
  const gsize n = 300;
  g_autofree float *x = g_new (float, n);
  g_autofree float *got = g_new (float, n);
  g_autoptr(WhClBuffer) bx = NULL;
  g_autoptr(GError) error = NULL;
  double sum = 0.0;
  float norm, coef;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (x, n, 31);
  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * x[i];
  bx = wh_test_upload_floats (ctx, x, n);

  /* Under the limit: untouched. */
  wh_cl_clip_grad_norm (ctx, &bx, &n, 1, 1e3, &norm, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (norm, sqrt (sum), 1e-6 * sqrt (sum));
  wh_test_download_floats (bx, got, n);
  g_assert_cmpmem (got, n * sizeof (float), x, n * sizeof (float));

  /* Over it: scaled to max_norm / (norm + 1e-6). */
  wh_cl_clip_grad_norm (ctx, &bx, &n, 1, 0.5, &norm, &error);
  g_assert_no_error (error);
  coef = wh_cl_clip_coef (norm, 0.5);
  g_assert_cmpfloat (coef, <, 1.0f);
  wh_test_download_floats (bx, got, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (got[i], ==, coef * x[i]);

  g_assert_cmpfloat (wh_cl_clip_coef (0.25f, 1.0), ==, 1.0f);
  g_assert_cmpfloat (wh_cl_clip_coef (0.0f, 1.0), ==, 1.0f);
  g_assert_cmpfloat_with_epsilon (wh_cl_clip_coef (4.0f, 1.0), 0.25f, 1e-7);
}

static void
test_too_small_buffer (void)
{
  const WhClAdamwParams hp = { 1e-3, 0.9, 0.999, 1e-8, 0.01 };
  const gsize count = 9;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhClBuffer) a = NULL;
  float sum;

  WH_TEST_REQUIRE (ctx);

  a = wh_cl_buffer_new (ctx, 8 * sizeof (float), &error);
  g_assert_no_error (error);

  g_assert_false (wh_cl_adamw_step (ctx, a, a, a, a, 9, &hp, 1, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (wh_cl_scale (ctx, a, 9, 2.0f, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (wh_cl_sum_of_squares (ctx, &a, &count, 1, &sum, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/adamw/reference", test_step_reference);
  g_test_add_func ("/whetstone/cl/adamw/pytorch", test_pytorch);
  g_test_add_func ("/whetstone/cl/adamw/sum-of-squares", test_sum_of_squares);
  g_test_add_func ("/whetstone/cl/adamw/scale", test_scale);
  g_test_add_func ("/whetstone/cl/adamw/clip", test_clip);
  g_test_add_func ("/whetstone/cl/adamw/too-small-buffer", test_too_small_buffer);

  return wh_test_cl_run (&ctx);
}
