/* test-cl-attention-train.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Training attention (wh-cl-attention-train.h): the kernels against the
 * double-precision references, the reference backward against finite
 * differences of the reference forward, the forward against the
 * inference kernel, and packed sequences against separate ones.
 *
 * Tolerances are on wh_ref_normalized_error (‖got − want‖ / ‖want‖):
 *   - TOL_FORWARD: out and lse, f32 scores with an online softmax, as
 *     test-cl-ops.c's attention;
 *   - TOL_BACKWARD: the gradients go through two more f32 dot products
 *     (dP and delta) and the difference dP − delta, which cancels;
 *   - TOL_GRADCHECK: central differences with a step of 1e-2 on f32
 *     inputs: O(h²) truncation plus the f32 rounding of out. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-test-cl.h"

#define TOL_FORWARD   1e-5
#define TOL_BACKWARD  1e-4
#define TOL_GRADCHECK 1e-3

static WhClContext *ctx;

/* A buffer of n floats full of NaN: what the op does not write shows. */
static WhClBuffer *
poisoned (gsize n)
{
  g_autofree float *nan = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    nan[i] = NAN;
  return wh_test_upload_floats (ctx, nan, n);
}

/* Contiguous packed sequences of 1 … 40 tokens, ids counting up. */
static void
fill_segments (gint32  *seg,
               gsize    n_tokens,
               guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint32 id = 0;

  for (gsize t = 0; t < n_tokens;)
    {
      gsize len = g_rand_int_range (rand, 1, 41);

      for (gsize i = 0; i < len && t < n_tokens; i++)
        seg[t++] = id;
      id++;
    }
}

typedef struct
{
  gsize n_tokens;
  gsize n_heads;
  gsize n_kv_heads;
  gsize head_dim;
  gboolean packed;
} Case;

/* Everything one shape needs, on the host and the device. */
typedef struct
{
  gsize n_q, n_kv, n_rows;
  float scale;
  float *q, *k, *v, *dout;
  gint32 *seg;   /* NULL: one sequence */
  WhClBuffer *b_q, *b_k, *b_v, *b_dout, *b_seg;
} Inputs;

static void
inputs_init (Inputs       *in,
             const Case   *c,
             const gint32 *seg,
             guint32       seed)
{
  in->n_q = c->n_tokens * c->n_heads * c->head_dim;
  in->n_kv = c->n_tokens * c->n_kv_heads * c->head_dim;
  in->n_rows = c->n_heads * c->n_tokens;
  in->scale = 1.0f / sqrtf (c->head_dim);
  in->q = g_new (float, in->n_q);
  in->k = g_new (float, in->n_kv);
  in->v = g_new (float, in->n_kv);
  in->dout = g_new (float, in->n_q);
  in->seg = seg != NULL ? g_memdup2 (seg, c->n_tokens * sizeof (gint32)) : NULL;

  wh_test_fill_random (in->q, in->n_q, seed);
  wh_test_fill_random (in->k, in->n_kv, seed + 1);
  wh_test_fill_random (in->v, in->n_kv, seed + 2);
  wh_test_fill_random (in->dout, in->n_q, seed + 3);
  /* Spread the scores so that the softmax is far from uniform. */
  for (gsize i = 0; i < in->n_q; i++)
    in->q[i] *= 3.0f;

  in->b_q = wh_test_upload_floats (ctx, in->q, in->n_q);
  in->b_k = wh_test_upload_floats (ctx, in->k, in->n_kv);
  in->b_v = wh_test_upload_floats (ctx, in->v, in->n_kv);
  in->b_dout = wh_test_upload_floats (ctx, in->dout, in->n_q);
  in->b_seg = seg != NULL ? wh_test_upload (ctx, seg, c->n_tokens * sizeof (gint32)) : NULL;
}

static void
inputs_clear (Inputs *in)
{
  g_clear_pointer (&in->q, g_free);
  g_clear_pointer (&in->k, g_free);
  g_clear_pointer (&in->v, g_free);
  g_clear_pointer (&in->dout, g_free);
  g_clear_pointer (&in->seg, g_free);
  g_clear_pointer (&in->b_q, wh_cl_buffer_free);
  g_clear_pointer (&in->b_k, wh_cl_buffer_free);
  g_clear_pointer (&in->b_v, wh_cl_buffer_free);
  g_clear_pointer (&in->b_dout, wh_cl_buffer_free);
  g_clear_pointer (&in->b_seg, wh_cl_buffer_free);
}

/* The device forward of @in into fresh buffers *@b_out and *@b_lse, read
 * back into @out and @lse. */
static void
run_forward (const Case    *c,
             const Inputs  *in,
             WhClBuffer   **b_out,
             WhClBuffer   **b_lse,
             float         *out,
             float         *lse)
{
  g_autoptr(GError) error = NULL;

  *b_out = poisoned (in->n_q);
  *b_lse = poisoned (in->n_rows);
  wh_cl_attention_train_forward (ctx, *b_out, *b_lse, in->b_q, in->b_k, in->b_v, in->b_seg,
                                 c->n_tokens, c->n_heads, c->n_kv_heads, c->head_dim, in->scale,
                                 &error);
  g_assert_no_error (error);
  wh_test_download_floats (*b_out, out, in->n_q);
  wh_test_download_floats (*b_lse, lse, in->n_rows);
}

/* The device gradients of @in, from the forward's @b_out and @b_lse. */
static void
run_backward (const Case   *c,
              const Inputs *in,
              WhClBuffer   *b_out,
              WhClBuffer   *b_lse,
              float        *dq,
              float        *dk,
              float        *dv)
{
  g_autoptr(WhClBuffer) b_dq = poisoned (in->n_q);
  g_autoptr(WhClBuffer) b_dk = poisoned (in->n_kv);
  g_autoptr(WhClBuffer) b_dv = poisoned (in->n_kv);
  g_autoptr(WhClBuffer) b_delta = poisoned (in->n_rows);
  g_autoptr(GError) error = NULL;

  wh_cl_attention_backward (ctx, b_dq, b_dk, b_dv, b_delta, in->b_dout, in->b_q, in->b_k, in->b_v,
                            b_out, b_lse, in->b_seg, c->n_tokens, c->n_heads, c->n_kv_heads,
                            c->head_dim, in->scale, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_dq, dq, in->n_q);
  wh_test_download_floats (b_dk, dk, in->n_kv);
  wh_test_download_floats (b_dv, dv, in->n_kv);
}

/* A gradient against its reference.  With one token to see, a query's
 * softmax is constant and its dq exactly zero; a relative error means
 * nothing there, so all-zero references take an absolute bound, the
 * rounding of dP - delta (each a sum of head_dim products of size 1). */
static void
assert_gradient_close (const char  *what,
                       const float *got,
                       const float *want,
                       gsize        n)
{
  gboolean all_zero = TRUE;

  for (gsize i = 0; i < n && all_zero; i++)
    all_zero = want[i] == 0.0f;

  if (!all_zero)
    {
      wh_test_assert_close (what, got, want, n, TOL_BACKWARD);
      return;
    }

  for (gsize i = 0; i < n; i++)
    if (!(fabsf (got[i]) <= 1e-5f))
      g_error ("%s[%" G_GSIZE_FORMAT "] = %g where the gradient is zero", what, i, got[i]);
}

static void
check_case (const Case *c,
            guint32     seed)
{
  Inputs in = { 0 };
  g_autofree gint32 *seg = NULL;
  g_autofree float *want_out = NULL, *want_lse = NULL, *got_out = NULL, *got_lse = NULL;
  g_autofree float *want_dq = NULL, *want_dk = NULL, *want_dv = NULL;
  g_autofree float *got_dq = NULL, *got_dk = NULL, *got_dv = NULL;
  g_autofree float *again_dq = NULL, *again_dk = NULL, *again_dv = NULL;
  g_autoptr(WhClBuffer) b_out = NULL, b_lse = NULL;
  g_autoptr(GError) error = NULL;

  if (c->packed)
    {
      seg = g_new (gint32, c->n_tokens);
      fill_segments (seg, c->n_tokens, seed);
    }
  inputs_init (&in, c, seg, seed);

  g_test_message ("T %" G_GSIZE_FORMAT " H %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT
                  " D %" G_GSIZE_FORMAT "%s", c->n_tokens, c->n_heads, c->n_kv_heads,
                  c->head_dim, c->packed ? " packed" : "");

  /* Forward. */
  want_out = g_new (float, in.n_q);
  want_lse = g_new (float, in.n_rows);
  got_out = g_new (float, in.n_q);
  got_lse = g_new (float, in.n_rows);
  wh_ref_attention_train_forward (want_out, want_lse, in.q, in.k, in.v, in.seg, c->n_tokens,
                                  c->n_heads, c->n_kv_heads, c->head_dim, in.scale);

  run_forward (c, &in, &b_out, &b_lse, got_out, got_lse);
  wh_test_assert_close ("out", got_out, want_out, in.n_q, TOL_FORWARD);
  wh_test_assert_close ("lse", got_lse, want_lse, in.n_rows, TOL_FORWARD);

  /* One sequence: the inference kernel's answer from an exactly full cache. */
  if (!c->packed)
    {
      g_autofree float *infer = g_new (float, in.n_q);
      g_autoptr(WhClBuffer) b_infer = poisoned (in.n_q);

      wh_cl_attention (ctx, b_infer, in.b_q, in.b_k, in.b_v, c->n_tokens, c->n_tokens,
                       c->n_heads, c->n_kv_heads, c->head_dim, 0, in.scale, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_infer, infer, in.n_q);
      wh_test_assert_close ("out vs inference", got_out, infer, in.n_q, TOL_FORWARD);
    }

  /* Backward, from the device's own out and lse as in training. */
  want_dq = g_new (float, in.n_q);
  want_dk = g_new (float, in.n_kv);
  want_dv = g_new (float, in.n_kv);
  wh_ref_attention_backward (want_dq, want_dk, want_dv, in.dout, in.q, in.k, in.v, in.seg,
                             c->n_tokens, c->n_heads, c->n_kv_heads, c->head_dim, in.scale);

  got_dq = g_new (float, in.n_q);
  got_dk = g_new (float, in.n_kv);
  got_dv = g_new (float, in.n_kv);
  run_backward (c, &in, b_out, b_lse, got_dq, got_dk, got_dv);
  assert_gradient_close ("dq", got_dq, want_dq, in.n_q);
  assert_gradient_close ("dk", got_dk, want_dk, in.n_kv);
  assert_gradient_close ("dv", got_dv, want_dv, in.n_kv);

  /* No atomics: a second run gives the same bits. */
  again_dq = g_new (float, in.n_q);
  again_dk = g_new (float, in.n_kv);
  again_dv = g_new (float, in.n_kv);
  run_backward (c, &in, b_out, b_lse, again_dq, again_dk, again_dv);
  g_assert_cmpmem (again_dq, in.n_q * sizeof (float), got_dq, in.n_q * sizeof (float));
  g_assert_cmpmem (again_dk, in.n_kv * sizeof (float), got_dk, in.n_kv * sizeof (float));
  g_assert_cmpmem (again_dv, in.n_kv * sizeof (float), got_dv, in.n_kv * sizeof (float));

  inputs_clear (&in);
}

static void
test_kernels (gconstpointer data)
{
  static const gsize tokens[] = { 1, 5, 64, 130 };
  static const gsize head_dims[] = { 8, 64 };
  static const struct { gsize n_heads, n_kv_heads; } heads[] = { { 4, 4 }, { 8, 2 }, { 8, 1 } };
  guint32 seed = 1000;

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
    for (guint d = 0; d < G_N_ELEMENTS (head_dims); d++)
      for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
        for (guint packed = 0; packed < 2; packed++)
          {
            Case c = { tokens[t], heads[h].n_heads, heads[h].n_kv_heads, head_dims[d], packed };

            check_case (&c, seed);
            seed += 10;
          }
}

/* Sequence ids need not be contiguous: the mask is seg[s] == seg[t]. */
static void
test_interleaved_segments (gconstpointer data)
{
  const Case c = { 37, 4, 2, 16, TRUE };
  gint32 seg[37];
  Inputs in = { 0 };
  float want_out[37 * 4 * 16], want_lse[4 * 37], got_out[37 * 4 * 16], got_lse[4 * 37];
  float want_dq[37 * 4 * 16], want_dk[37 * 2 * 16], want_dv[37 * 2 * 16];
  float got_dq[37 * 4 * 16], got_dk[37 * 2 * 16], got_dv[37 * 2 * 16];
  g_autoptr(WhClBuffer) b_out = NULL, b_lse = NULL;

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (gsize t = 0; t < c.n_tokens; t++)
    seg[t] = (t * 7 + t / 5) % 3;
  inputs_init (&in, &c, seg, 77);

  wh_ref_attention_train_forward (want_out, want_lse, in.q, in.k, in.v, in.seg, c.n_tokens,
                                  c.n_heads, c.n_kv_heads, c.head_dim, in.scale);
  run_forward (&c, &in, &b_out, &b_lse, got_out, got_lse);
  wh_test_assert_close ("out", got_out, want_out, in.n_q, TOL_FORWARD);
  wh_test_assert_close ("lse", got_lse, want_lse, in.n_rows, TOL_FORWARD);

  wh_ref_attention_backward (want_dq, want_dk, want_dv, in.dout, in.q, in.k, in.v, in.seg,
                             c.n_tokens, c.n_heads, c.n_kv_heads, c.head_dim, in.scale);
  run_backward (&c, &in, b_out, b_lse, got_dq, got_dk, got_dv);
  wh_test_assert_close ("dq", got_dq, want_dq, in.n_q, TOL_BACKWARD);
  wh_test_assert_close ("dk", got_dk, want_dk, in.n_kv, TOL_BACKWARD);
  wh_test_assert_close ("dv", got_dv, want_dv, in.n_kv, TOL_BACKWARD);

  inputs_clear (&in);
}

/* Packed sequences give, token for token, what each sequence gives alone:
 * the packed kernels against the unpacked references run per sequence
 * (wh_ref_attention for the forward: an oracle that knows nothing of
 * segments). */
static void
test_packing_isolates (gconstpointer data)
{
  static const gsize lengths[] = { 3, 1, 7, 5, 17 };
  const Case c = { 33, 4, 2, 8, TRUE };
  gint32 seg[33];
  Inputs in = { 0 };
  float want_out[33 * 4 * 8], got_out[33 * 4 * 8], got_lse[4 * 33];
  float want_dq[33 * 4 * 8], want_dk[33 * 2 * 8], want_dv[33 * 2 * 8];
  float got_dq[33 * 4 * 8], got_dk[33 * 2 * 8], got_dv[33 * 2 * 8];
  g_autoptr(WhClBuffer) b_out = NULL, b_lse = NULL;
  gsize t0 = 0;

  if (!wh_test_cl_use_path (ctx, data))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    for (gsize j = 0; j < lengths[i]; j++)
      seg[t0++] = 10 + i;
  g_assert_cmpuint (t0, ==, c.n_tokens);
  inputs_init (&in, &c, seg, 91);

  t0 = 0;
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      gsize q_off = t0 * c.n_heads * c.head_dim, kv_off = t0 * c.n_kv_heads * c.head_dim;

      wh_ref_attention (want_out + q_off, in.q + q_off, in.k + kv_off, in.v + kv_off,
                        lengths[i], c.n_heads, c.n_kv_heads, c.head_dim, 0, in.scale);
      wh_ref_attention_backward (want_dq + q_off, want_dk + kv_off, want_dv + kv_off,
                                 in.dout + q_off, in.q + q_off, in.k + kv_off, in.v + kv_off,
                                 NULL, lengths[i], c.n_heads, c.n_kv_heads, c.head_dim, in.scale);
      t0 += lengths[i];
    }

  run_forward (&c, &in, &b_out, &b_lse, got_out, got_lse);
  wh_test_assert_close ("out", got_out, want_out, in.n_q, TOL_FORWARD);

  run_backward (&c, &in, b_out, b_lse, got_dq, got_dk, got_dv);
  wh_test_assert_close ("dq", got_dq, want_dq, in.n_q, TOL_BACKWARD);
  wh_test_assert_close ("dk", got_dk, want_dk, in.n_kv, TOL_BACKWARD);
  wh_test_assert_close ("dv", got_dv, want_dv, in.n_kv, TOL_BACKWARD);

  /* The first token of each sequence sees only itself: out = v, lse = score. */
  t0 = 0;
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      for (gsize h = 0; h < c.n_heads; h++)
        {
          const float *vh = in.v + (t0 * c.n_kv_heads + h / 2) * c.head_dim;
          const float *oh = got_out + (t0 * c.n_heads + h) * c.head_dim;

          for (gsize d = 0; d < c.head_dim; d++)
            g_assert_cmpfloat_with_epsilon (oh[d], vh[d], 1e-6);
        }
      t0 += lengths[i];
    }

  inputs_clear (&in);
}

/* L = Σ G ⊙ out, in double, out from the reference forward. */
static double
loss (const Case   *c,
      const Inputs *in,
      const float  *g)
{
  g_autofree float *out = g_new (float, in->n_q);
  g_autofree float *lse = g_new (float, in->n_rows);
  double l = 0.0;

  wh_ref_attention_train_forward (out, lse, in->q, in->k, in->v, in->seg, c->n_tokens,
                                  c->n_heads, c->n_kv_heads, c->head_dim, in->scale);
  for (gsize i = 0; i < in->n_q; i++)
    l += (double) g[i] * out[i];

  return l;
}

/* The central difference of loss() in each element of @x, into @num.  The
 * step actually taken is measured on the stored f32 values. */
static void
numeric_gradient (const Case   *c,
                  const Inputs *in,
                  float        *x,
                  gsize         n,
                  double       *num)
{
  const float h = 1e-2f;

  for (gsize i = 0; i < n; i++)
    {
      float saved = x[i];
      float plus = saved + h;
      float minus = saved - h;
      double lp, lm;

      x[i] = plus;
      lp = loss (c, in, in->dout);
      x[i] = minus;
      lm = loss (c, in, in->dout);
      x[i] = saved;
      num[i] = (lp - lm) / ((double) plus - (double) minus);
    }
}

static void
assert_gradient (const char   *what,
                 const float  *analytic,
                 const double *num,
                 gsize         n)
{
  double diff = 0.0, norm = 0.0, err;

  for (gsize i = 0; i < n; i++)
    {
      diff += (analytic[i] - num[i]) * (analytic[i] - num[i]);
      norm += num[i] * num[i];
    }
  err = sqrt (diff / MAX (norm, 1e-300));

  g_test_message ("%s: relative error %.3g against finite differences", what, err);
  if (!(err <= TOL_GRADCHECK))
    g_error ("%s: relative error %g against finite differences exceeds %g", what, err, TOL_GRADCHECK);
}

static void
test_gradient_check (void)
{
  static const gint32 seg6[] = { 0, 0, 0, 1, 1, 2 };
  static const struct { Case c; const gint32 *seg; } cases[] = {
    { { 4, 2, 1, 4, FALSE }, NULL },
    { { 6, 4, 2, 3, TRUE }, seg6 },
    { { 5, 3, 3, 2, FALSE }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i].c;
      Inputs in = { 0 };
      g_autofree float *dq = NULL, *dk = NULL, *dv = NULL;
      g_autofree double *num = NULL;

      /* Host only: the device buffers are not needed. */
      in.n_q = c->n_tokens * c->n_heads * c->head_dim;
      in.n_kv = c->n_tokens * c->n_kv_heads * c->head_dim;
      in.n_rows = c->n_heads * c->n_tokens;
      in.scale = 1.0f / sqrtf (c->head_dim);
      in.q = g_new (float, in.n_q);
      in.k = g_new (float, in.n_kv);
      in.v = g_new (float, in.n_kv);
      in.dout = g_new (float, in.n_q);   /* G */
      in.seg = cases[i].seg != NULL ? g_memdup2 (cases[i].seg, c->n_tokens * sizeof (gint32)) : NULL;
      wh_test_fill_random (in.q, in.n_q, 50 + i);
      wh_test_fill_random (in.k, in.n_kv, 60 + i);
      wh_test_fill_random (in.v, in.n_kv, 70 + i);
      wh_test_fill_random (in.dout, in.n_q, 80 + i);
      for (gsize j = 0; j < in.n_q; j++)
        in.q[j] *= 3.0f;

      dq = g_new (float, in.n_q);
      dk = g_new (float, in.n_kv);
      dv = g_new (float, in.n_kv);
      wh_ref_attention_backward (dq, dk, dv, in.dout, in.q, in.k, in.v, in.seg, c->n_tokens,
                                 c->n_heads, c->n_kv_heads, c->head_dim, in.scale);

      num = g_new (double, MAX (in.n_q, in.n_kv));
      numeric_gradient (c, &in, in.q, in.n_q, num);
      assert_gradient ("dq", dq, num, in.n_q);
      numeric_gradient (c, &in, in.k, in.n_kv, num);
      assert_gradient ("dk", dk, num, in.n_kv);
      numeric_gradient (c, &in, in.v, in.n_kv, num);
      assert_gradient ("dv", dv, num, in.n_kv);

      inputs_clear (&in);
    }
}

static void
test_bad_arguments (gconstpointer data)
{
  g_autoptr(WhClBuffer) big = NULL, small = NULL;
  g_autoptr(GError) error = NULL;
  WhClBuffer *b;
  WhClBuffer *s;

  if (!wh_test_cl_use_path (ctx, data))
    return;

  /* q, out, dout, dq (4, 4, 16); k, v, dk, dv (4, 2, 16); lse, delta (4, 4); seg (4). */
  big = poisoned (4096);
  small = poisoned (3);
  b = big;
  s = small;

#define FWD(out, lse, q, k, v, seg) \
  wh_cl_attention_train_forward (ctx, out, lse, q, k, v, seg, 4, 4, 2, 16, 0.25f, &error)
#define BWD(dq, dk, dv, delta, dout, q, k, v, out, lse, seg) \
  wh_cl_attention_backward (ctx, dq, dk, dv, delta, dout, q, k, v, out, lse, seg, 4, 4, 2, 16, 0.25f, &error)

  wh_test_assert_invalid (FWD (s, b, b, b, b, NULL), &error, "out");
  wh_test_assert_invalid (FWD (b, s, b, b, b, NULL), &error, "lse");
  wh_test_assert_invalid (FWD (b, b, s, b, b, NULL), &error, "q");
  wh_test_assert_invalid (FWD (b, b, b, s, b, NULL), &error, "k");
  wh_test_assert_invalid (FWD (b, b, b, b, s, NULL), &error, "v");
  wh_test_assert_invalid (FWD (b, b, b, b, b, s), &error, "seg");

  wh_test_assert_invalid (BWD (s, b, b, b, b, b, b, b, b, b, NULL), &error, "dq");
  wh_test_assert_invalid (BWD (b, s, b, b, b, b, b, b, b, b, NULL), &error, "dk");
  wh_test_assert_invalid (BWD (b, b, s, b, b, b, b, b, b, b, NULL), &error, "dv");
  wh_test_assert_invalid (BWD (b, b, b, s, b, b, b, b, b, b, NULL), &error, "delta");
  wh_test_assert_invalid (BWD (b, b, b, b, s, b, b, b, b, b, NULL), &error, "dout");
  wh_test_assert_invalid (BWD (b, b, b, b, b, s, b, b, b, b, NULL), &error, "q");
  wh_test_assert_invalid (BWD (b, b, b, b, b, b, s, b, b, b, NULL), &error, "k");
  wh_test_assert_invalid (BWD (b, b, b, b, b, b, b, s, b, b, NULL), &error, "v");
  wh_test_assert_invalid (BWD (b, b, b, b, b, b, b, b, s, b, NULL), &error, "out");
  wh_test_assert_invalid (BWD (b, b, b, b, b, b, b, b, b, s, NULL), &error, "lse");
  wh_test_assert_invalid (BWD (b, b, b, b, b, b, b, b, b, b, s), &error, "seg");

#undef FWD
#undef BWD

  /* Query heads come in whole groups per KV head; heads are not empty. */
  wh_test_assert_invalid (wh_cl_attention_train_forward (ctx, b, b, b, b, b, NULL, 4, 6, 4, 16, 0.25f, &error),
                          &error, NULL);
  wh_test_assert_invalid (wh_cl_attention_train_forward (ctx, b, b, b, b, b, NULL, 4, 4, 0, 16, 0.25f, &error),
                          &error, NULL);
  wh_test_assert_invalid (wh_cl_attention_train_forward (ctx, b, b, b, b, b, NULL, 4, 4, 2, 0, 0.25f, &error),
                          &error, NULL);
  wh_test_assert_invalid (wh_cl_attention_backward (ctx, b, b, b, b, b, b, b, b, b, b, NULL, 4, 6, 4, 16,
                                                    0.25f, &error),
                          &error, NULL);
  /* Past the kernels' 32-bit indices. */
  wh_test_assert_invalid (wh_cl_attention_train_forward (ctx, b, b, b, b, b, NULL, G_MAXSIZE / 4, 1, 1, 8,
                                                         1.0f, &error),
                          &error, NULL);

  /* Nothing to do is not an error. */
  g_assert_true (wh_cl_attention_train_forward (ctx, b, b, b, b, b, NULL, 0, 4, 2, 16, 0.25f, &error));
  g_assert_no_error (error);
  g_assert_true (wh_cl_attention_backward (ctx, b, b, b, b, b, b, b, b, b, b, NULL, 0, 4, 2, 16,
                                           0.25f, &error));
  g_assert_no_error (error);
}

static const WhTestPathTest tests[] = {
  { "kernels", test_kernels },
  { "interleaved-segments", test_interleaved_segments },
  { "packing-isolates", test_packing_isolates },
  { "bad-arguments", test_bad_arguments },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  wh_test_cl_add_paths ("/whetstone/cl/attention-train", tests, G_N_ELEMENTS (tests));
  /* The reference against central differences: no device. */
  g_test_add_func ("/whetstone/cl/attention-train/gradient-check", test_gradient_check);

  return wh_test_cl_run (&ctx);
}
