/* test-cl-ops.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The decoder's forward ops (wh-cl-ops.h) against their plain-C references
 * (wh-ref-ops.h), over awkward shapes, and their size checks.
 *
 * Tolerances are on wh_ref_normalized_error (‖got − want‖ / ‖want‖) of f32
 * kernels against double references:
 *   - TOL_EXACT: copies (embedding) are bit-exact;
 *   - TOL_F32: element- and row-wise ops, a few f32 ulp per element;
 *   - TOL_ATTENTION: attention, whose f32 scores carry the rounding of a
 *     head_dim-long dot product, scaled by the score's size through exp(),
 *     and an online softmax that sums in a different order. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-test-cl.h"

#define TOL_EXACT     0.0
#define TOL_F32       1e-6
#define TOL_ATTENTION 1e-5

static WhClContext *ctx;

static void
test_embedding (void)
{
  static const struct { gsize n_rows, n_tokens, dim; } cases[] = {
    { 37, 5, 13 },
    { 100, 1, 64 },
    { 50, 9, 100 },
  };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n_rows = cases[c].n_rows, n_tokens = cases[c].n_tokens, dim = cases[c].dim;
      gsize n = n_tokens * dim;
      g_autofree float *table = g_new (float, n_rows * dim);
      g_autofree gint32 *ids = g_new (gint32, n_tokens);
      g_autofree float *want = g_new0 (float, n + 1);
      g_autofree float *got = g_new (float, n + 1);
      g_autoptr(WhClBuffer) b_table = NULL, b_ids = NULL, b_out = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (c);
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (table, n_rows * dim, 100 + c);
      for (gsize t = 0; t < n_tokens; t++)
        ids[t] = g_rand_int_range (rand, 0, n_rows);
      /* Out of range on both sides gives zero rows. */
      if (n_tokens > 2)
        {
          ids[0] = -1;
          ids[1] = n_rows;
          ids[2] = n_rows - 1;
        }
      wh_ref_embedding (want, table, n_rows, ids, n_tokens, dim);

      b_table = wh_test_upload_floats (ctx, table, n_rows * dim);
      b_ids = wh_test_upload (ctx, ids, n_tokens * sizeof (gint32));
      b_out = wh_test_zeros (ctx, n + 1);
      wh_cl_embedding (ctx, b_out, b_table, n_rows, b_ids, n_tokens, dim, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_out, got, n + 1);

      wh_test_assert_close (NULL, got, want, n + 1, TOL_EXACT);
    }
}

static void
test_rmsnorm (void)
{
  static const gsize dims[] = { 1, 7, 64, 100, 1000, 4099 };
  static const gsize rows_list[] = { 1, 3 };

  WH_TEST_REQUIRE (ctx);

  for (guint d = 0; d < G_N_ELEMENTS (dims); d++)
    for (guint r = 0; r < G_N_ELEMENTS (rows_list); r++)
      {
        gsize dim = dims[d], rows = rows_list[r], n = rows * dim;
        g_autofree float *x = g_new (float, n);
        g_autofree float *weight = g_new (float, dim);
        g_autofree float *want = g_new0 (float, n + 1);
        g_autofree float *got = g_new (float, n + 1);
        g_autoptr(WhClBuffer) b_x = NULL, b_w = NULL, b_out = NULL;
        g_autoptr(GError) error = NULL;

        wh_test_fill_scaled (x, n, 200 + d * 10 + r, 5.0f, 0.5f);
        wh_test_fill_scaled (weight, dim, 300 + d, 0.5f, 1.0f);
        wh_ref_rmsnorm (want, x, weight, rows, dim, 1e-5f);

        b_x = wh_test_upload_floats (ctx, x, n);
        b_w = wh_test_upload_floats (ctx, weight, dim);
        b_out = wh_test_zeros (ctx, n + 1);
        wh_cl_rmsnorm (ctx, b_out, b_x, b_w, rows, dim, 1e-5f, &error);
        g_assert_no_error (error);
        wh_test_download_floats (b_out, got, n + 1);
        wh_test_assert_close (NULL, got, want, n + 1, TOL_F32);

        /* In place. */
        wh_cl_rmsnorm (ctx, b_x, b_x, b_w, rows, dim, 1e-5f, &error);
        g_assert_no_error (error);
        wh_test_download_floats (b_x, got, n);
        wh_test_assert_close (NULL, got, want, n, TOL_F32);
      }
}

static void
test_rope (void)
{
  static const gsize head_dims[] = { 8, 64, 128 };
  static const struct { gsize n_tokens, n_heads, pos0; double theta; } cases[] = {
    { 1, 4, 0, 10000.0 },      /* the first token: no rotation */
    { 5, 3, 17, 10000.0 },
    { 2, 2, 4000, 500000.0 },
    { 1, 8, 8191, 10000.0 },   /* decode far into the context */
  };
  static const WhClRopeStyle styles[] = { WH_CL_ROPE_ROTATE_HALF, WH_CL_ROPE_INTERLEAVED };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
    for (guint h = 0; h < G_N_ELEMENTS (head_dims); h++)
      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          gsize head_dim = head_dims[h];
          gsize n = cases[c].n_tokens * cases[c].n_heads * head_dim;
          g_autofree float *x = g_new (float, n);
          g_autofree float *inv_freq = g_new (float, head_dim / 2);
          g_autofree float *want = g_new (float, n);
          g_autofree float *got = g_new (float, n);
          g_autoptr(WhClBuffer) b_x = NULL, b_f = NULL;
          g_autoptr(GError) error = NULL;

          wh_test_fill_random (x, n, 400 + c * 10 + h);
          wh_ref_rope_inv_freq (inv_freq, head_dim, cases[c].theta);
          b_x = wh_test_upload_floats (ctx, x, n);
          b_f = wh_test_upload_floats (ctx, inv_freq, head_dim / 2);

          memcpy (want, x, n * sizeof (float));
          wh_ref_rope (want, inv_freq, cases[c].n_tokens, cases[c].n_heads, head_dim,
                       cases[c].pos0, styles[s]);

          wh_cl_rope (ctx, b_x, b_f, cases[c].n_tokens, cases[c].n_heads, head_dim,
                      cases[c].pos0, styles[s], &error);
          g_assert_no_error (error);
          wh_test_download_floats (b_x, got, n);

          wh_test_assert_close (NULL, got, want, n, TOL_F32);
        }
}

/* Packed sequences: each token at its own position, as the reference
 * turns it token by token. */
static void
test_rope_positions (void)
{
  static const gint32 positions[] = { 0, 1, 2, 0, 1, 0, 4999, 5000 };
  static const WhClRopeStyle styles[] = { WH_CL_ROPE_ROTATE_HALF, WH_CL_ROPE_INTERLEAVED };
  const gsize n_tokens = G_N_ELEMENTS (positions), n_heads = 3, head_dim = 64;
  const gsize row = n_heads * head_dim, n = n_tokens * row;

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
    {
      g_autofree float *x = g_new (float, n);
      g_autofree float *want = g_new (float, n);
      g_autofree float *got = g_new (float, n);
      float inv_freq[32];
      g_autoptr(WhClBuffer) b_x = NULL, b_f = NULL, b_pos = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (x, n, 470 + s);
      wh_ref_rope_inv_freq (inv_freq, head_dim, 10000.0);
      memcpy (want, x, n * sizeof (float));
      for (gsize t = 0; t < n_tokens; t++)
        wh_ref_rope (want + t * row, inv_freq, 1, n_heads, head_dim, positions[t], styles[s]);

      b_x = wh_test_upload_floats (ctx, x, n);
      b_f = wh_test_upload_floats (ctx, inv_freq, head_dim / 2);
      b_pos = wh_test_upload (ctx, positions, sizeof positions);
      wh_cl_rope_positions (ctx, b_x, b_f, b_pos, n_tokens, n_heads, head_dim, styles[s], &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_x, got, n);
      wh_test_assert_close (NULL, got, want, n, TOL_F32);

      /* Too few positions for the tokens is refused. */
      g_clear_pointer (&b_pos, wh_cl_buffer_free);
      b_pos = wh_test_upload (ctx, positions, sizeof positions - sizeof positions[0]);
      wh_test_assert_invalid (wh_cl_rope_positions (ctx, b_x, b_f, b_pos, n_tokens, n_heads, head_dim,
                                                    styles[s], &error), &error, "positions");
    }
}

/* The two styles pair different elements: the same input must not give
 * the same output (guards against both calling one kernel). */
static void
test_rope_styles_differ (void)
{
  const gsize head_dim = 8, n = 2 * head_dim;
  float x[16], inv_freq[4], a[16], b[16];
  g_autoptr(WhClBuffer) b_x = NULL, b_f = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (x, n, 9);
  wh_ref_rope_inv_freq (inv_freq, head_dim, 10000.0);
  b_f = wh_test_upload_floats (ctx, inv_freq, head_dim / 2);

  b_x = wh_test_upload_floats (ctx, x, n);
  wh_cl_rope (ctx, b_x, b_f, 2, 1, head_dim, 3, WH_CL_ROPE_ROTATE_HALF, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_x, a, n);

  g_clear_pointer (&b_x, wh_cl_buffer_free);
  b_x = wh_test_upload_floats (ctx, x, n);
  wh_cl_rope (ctx, b_x, b_f, 2, 1, head_dim, 3, WH_CL_ROPE_INTERLEAVED, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_x, b, n);

  g_assert_cmpfloat (wh_ref_normalized_error (a, b, n), >, 1e-2);
}

typedef struct
{
  gsize n_heads;
  gsize n_kv_heads;
  gsize head_dim;
  gsize n_tokens;
  gsize pos0;
  gsize n_ctx;
  float q_scale;   /* spreads the scores: large ones test the softmax's max */
} AttentionCase;

static void
check_attention (const AttentionCase *c,
                 guint32              seed)
{
  gsize n_q = c->n_tokens * c->n_heads * c->head_dim;
  gsize n_kv = c->n_ctx * c->n_kv_heads * c->head_dim;
  gsize n_used = (c->pos0 + c->n_tokens) * c->n_kv_heads * c->head_dim;
  float scale = 1.0f / sqrtf (c->head_dim);
  g_autofree float *q = g_new (float, n_q);
  g_autofree float *k = g_new (float, n_kv);
  g_autofree float *v = g_new (float, n_kv);
  g_autofree float *want = g_new0 (float, n_q + 1);
  g_autofree float *got = g_new (float, n_q + 1);
  g_autoptr(WhClBuffer) b_q = NULL, b_k = NULL, b_v = NULL, b_out = NULL;
  g_autoptr(GError) error = NULL;

  wh_test_fill_scaled (q, n_q, seed, c->q_scale, 0.0f);
  wh_test_fill_random (k, n_used, seed + 1);
  wh_test_fill_random (v, n_used, seed + 2);
  /* Positions past pos0 + n_tokens must never be read. */
  for (gsize i = n_used; i < n_kv; i++)
    k[i] = v[i] = NAN;

  wh_ref_attention (want, q, k, v, c->n_tokens, c->n_heads, c->n_kv_heads, c->head_dim,
                    c->pos0, scale);

  b_q = wh_test_upload_floats (ctx, q, n_q);
  b_k = wh_test_upload_floats (ctx, k, n_kv);
  b_v = wh_test_upload_floats (ctx, v, n_kv);
  b_out = wh_test_zeros (ctx, n_q + 1);
  wh_cl_attention (ctx, b_out, b_q, b_k, b_v, c->n_ctx, c->n_tokens, c->n_heads,
                   c->n_kv_heads, c->head_dim, c->pos0, scale, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_out, got, n_q + 1);

  wh_test_assert_close (NULL, got, want, n_q + 1, TOL_ATTENTION);
}

static void
test_attention (void)
{
  static const AttentionCase cases[] = {
    /* heads kv  dim  tokens  pos0  n_ctx  q_scale */
    { 8, 8, 64, 5, 0, 16, 1.0f },        /* prefill, multi-head */
    { 8, 4, 64, 3, 7, 32, 1.0f },        /* GQA, continuing a cached prefix */
    { 8, 1, 128, 1, 100, 256, 1.0f },    /* MQA, single-token decode */
    { 4, 2, 8, 6, 0, 6, 1.0f },          /* tiny heads, cache exactly full */
    { 2, 1, 256, 2, 130, 200, 1.0f },    /* head_dim 256, a partial key tile */
    { 8, 8, 64, 4, 3, 40, 400.0f },      /* scores in the hundreds */
    { 8, 4, 128, 1, 8191, 8192, 1.0f },  /* the last position of an 8192 context */
  };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    check_attention (&cases[c], 500 + 10 * c);
}

/* Prefilling n tokens at once equals feeding them one at a time. */
static void
test_attention_incremental (void)
{
  const gsize n_heads = 4, n_kv_heads = 2, head_dim = 16, n_tokens = 5, n_ctx = 8;
  const gsize row = n_heads * head_dim;
  const float scale = 0.25f;
  float q[5 * 4 * 16], k[8 * 2 * 16], v[8 * 2 * 16], all[5 * 4 * 16], one[5 * 4 * 16];
  g_autoptr(WhClBuffer) b_q = NULL, b_k = NULL, b_v = NULL, b_out = NULL, b_q1 = NULL, b_out1 = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (q, G_N_ELEMENTS (q), 601);
  wh_test_fill_random (k, G_N_ELEMENTS (k), 602);
  wh_test_fill_random (v, G_N_ELEMENTS (v), 603);
  b_q = wh_test_upload_floats (ctx, q, G_N_ELEMENTS (q));
  b_k = wh_test_upload_floats (ctx, k, G_N_ELEMENTS (k));
  b_v = wh_test_upload_floats (ctx, v, G_N_ELEMENTS (v));
  b_out = wh_test_zeros (ctx, G_N_ELEMENTS (all));
  b_q1 = wh_test_zeros (ctx, row);
  b_out1 = wh_test_zeros (ctx, row);

  wh_cl_attention (ctx, b_out, b_q, b_k, b_v, n_ctx, n_tokens, n_heads, n_kv_heads, head_dim,
                   0, scale, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_out, all, G_N_ELEMENTS (all));

  for (gsize t = 0; t < n_tokens; t++)
    {
      wh_cl_copy (ctx, b_q1, 0, b_q, t * row * sizeof (float), row * sizeof (float), &error);
      g_assert_no_error (error);
      wh_cl_attention (ctx, b_out1, b_q1, b_k, b_v, n_ctx, 1, n_heads, n_kv_heads, head_dim,
                       t, scale, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_out1, one + t * row, row);
    }

  wh_test_assert_close (NULL, one, all, G_N_ELEMENTS (all), TOL_F32);
}

static void
test_add (void)
{
  static const gsize sizes[] = { 1, 63, 64, 65, 1000 };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree float *y = g_new (float, n);
      g_autofree float *x = g_new (float, n);
      g_autofree float *got = g_new (float, n);
      g_autoptr(WhClBuffer) b_y = NULL, b_x = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (y, n, 700 + s);
      wh_test_fill_random (x, n, 710 + s);
      b_y = wh_test_upload_floats (ctx, y, n);
      b_x = wh_test_upload_floats (ctx, x, n);
      wh_ref_add (y, x, n);

      wh_cl_add (ctx, b_y, b_x, n, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_y, got, n);

      wh_test_assert_close (NULL, got, y, n, TOL_F32);
    }
}

static void
test_add_bias (void)
{
  static const struct { gsize rows, cols; } cases[] = { { 1, 1 }, { 3, 100 }, { 7, 64 } };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize rows = cases[c].rows, cols = cases[c].cols, n = rows * cols;
      g_autofree float *x = g_new (float, n);
      g_autofree float *bias = g_new (float, cols);
      g_autofree float *got = g_new (float, n);
      g_autoptr(WhClBuffer) b_x = NULL, b_b = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (x, n, 800 + c);
      wh_test_fill_random (bias, cols, 810 + c);
      b_x = wh_test_upload_floats (ctx, x, n);
      b_b = wh_test_upload_floats (ctx, bias, cols);
      wh_ref_add_bias (x, bias, rows, cols);

      wh_cl_add_bias (ctx, b_x, b_b, rows, cols, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_x, got, n);

      wh_test_assert_close (NULL, got, x, n, TOL_F32);
    }
}

static void
check_softmax (float *x,
               gsize  rows,
               gsize  cols)
{
  gsize n = rows * cols;
  g_autofree float *got = g_new (float, n);
  g_autoptr(WhClBuffer) b_x = wh_test_upload_floats (ctx, x, n);
  g_autoptr(GError) error = NULL;

  wh_ref_softmax_rows (x, rows, cols);
  wh_cl_softmax_rows (ctx, b_x, rows, cols, &error);
  g_assert_no_error (error);
  wh_test_download_floats (b_x, got, n);

  for (gsize r = 0; r < rows; r++)
    {
      double sum = 0.0;

      for (gsize j = 0; j < cols; j++)
        {
          g_assert_true (isfinite (got[r * cols + j]));
          sum += got[r * cols + j];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }
  wh_test_assert_close (NULL, got, x, n, TOL_F32);
}

static void
test_softmax_rows (void)
{
  static const gsize cols_list[] = { 1, 7, 64, 100, 1000, 4099 };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cols_list); c++)
    {
      gsize rows = 3, cols = cols_list[c];
      g_autofree float *x = g_new (float, rows * cols);

      wh_test_fill_scaled (x, rows * cols, 900 + c, 4.0f, 0.0f);
      check_softmax (x, rows, cols);
    }
}

/* exp(x) overflows f32 past 88 and underflows below -103: only the
 * subtracted maximum keeps these rows finite. */
static void
test_softmax_rows_large (void)
{
  const gsize rows = 3, cols = 300;
  g_autofree float *x = g_new (float, rows * cols);

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_scaled (x, cols, 950, 100.0f, 1000.0f);               /* 900 … 1100 */
  wh_test_fill_scaled (x + cols, cols, 951, 20.0f, -1000.0f);        /* all far below 0 */
  wh_test_fill_scaled (x + 2 * cols, cols, 952, 0.0f, 3.0e38f);      /* equal, near FLT_MAX */
  check_softmax (x, rows, cols);
}

static void
test_copy (void)
{
  float src[32], dst[32], want[32];
  g_autoptr(WhClBuffer) b_src = NULL, b_dst = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  wh_test_fill_random (src, 32, 1000);
  memset (want, 0, sizeof want);
  memcpy (want + 20, src + 3, 10 * sizeof (float));
  b_src = wh_test_upload_floats (ctx, src, 32);
  b_dst = wh_test_zeros (ctx, 32);

  g_assert_true (wh_cl_copy (ctx, b_dst, 20 * sizeof (float), b_src, 3 * sizeof (float),
                             10 * sizeof (float), &error));
  g_assert_no_error (error);
  wh_test_download_floats (b_dst, dst, 32);
  g_assert_cmpmem (dst, sizeof dst, want, sizeof want);

  /* Within one buffer, apart. */
  memcpy (want, want + 20, 10 * sizeof (float));
  g_assert_true (wh_cl_copy (ctx, b_dst, 0, b_dst, 20 * sizeof (float), 10 * sizeof (float), &error));
  g_assert_no_error (error);
  wh_test_download_floats (b_dst, dst, 32);
  g_assert_cmpmem (dst, sizeof dst, want, sizeof want);

  g_assert_true (wh_cl_copy (ctx, b_dst, 0, b_src, 0, 0, &error));
  g_assert_no_error (error);

  wh_test_assert_invalid (wh_cl_copy (ctx, b_dst, 0, b_src, 4, 32 * sizeof (float), &error), &error, "src");
  wh_test_assert_invalid (wh_cl_copy (ctx, b_dst, 4, b_src, 0, 32 * sizeof (float), &error), &error, "dst");
  wh_test_assert_invalid (wh_cl_copy (ctx, b_dst, G_MAXSIZE, b_src, 0, 4, &error), &error, "dst");
  wh_test_assert_invalid (wh_cl_copy (ctx, b_dst, 0, b_src, 8, G_MAXSIZE - 4, &error), &error, "src");
  wh_test_assert_invalid (wh_cl_copy (ctx, b_dst, 0, b_dst, 8, 16, &error), &error, NULL);
}

static void
test_too_small (void)
{
  g_autoptr(WhClBuffer) big = NULL, small = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  big = wh_test_zeros (ctx, 4096);
  small = wh_test_zeros (ctx, 8);

  /* embedding: out (4, 16), table (10, 16), ids (4) */
  wh_test_assert_invalid (wh_cl_embedding (ctx, small, big, 10, big, 4, 16, &error), &error, "out");
  wh_test_assert_invalid (wh_cl_embedding (ctx, big, small, 10, big, 4, 16, &error), &error, "table");
  wh_test_assert_invalid (wh_cl_embedding (ctx, big, big, 10, small, 9, 16, &error), &error, "ids");

  /* rmsnorm: (4, 16) */
  wh_test_assert_invalid (wh_cl_rmsnorm (ctx, small, big, big, 4, 16, 1e-5f, &error), &error, "out");
  wh_test_assert_invalid (wh_cl_rmsnorm (ctx, big, small, big, 4, 16, 1e-5f, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_rmsnorm (ctx, big, big, small, 4, 16, 1e-5f, &error), &error, "weight");

  /* rope: x (2, 2, 32), inv_freq (16) */
  wh_test_assert_invalid (wh_cl_rope (ctx, small, big, 2, 2, 32, 0, WH_CL_ROPE_ROTATE_HALF, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_rope (ctx, big, small, 2, 2, 32, 0, WH_CL_ROPE_INTERLEAVED, &error), &error, "inv_freq");

  /* attention: q, out (2, 4, 16), caches (8, 2, 16) */
  wh_test_assert_invalid (wh_cl_attention (ctx, small, big, big, big, 8, 2, 4, 2, 16, 0, 0.25f, &error), &error, "out");
  wh_test_assert_invalid (wh_cl_attention (ctx, big, small, big, big, 8, 2, 4, 2, 16, 0, 0.25f, &error), &error, "q");
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, small, big, 8, 2, 4, 2, 16, 0, 0.25f, &error), &error, "k_cache");
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, big, small, 8, 2, 4, 2, 16, 0, 0.25f, &error), &error, "v_cache");

  wh_test_assert_invalid (wh_cl_add (ctx, small, big, 9, &error), &error, "y");
  wh_test_assert_invalid (wh_cl_add (ctx, big, small, 9, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_add_bias (ctx, small, big, 3, 3, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_add_bias (ctx, big, small, 2, 9, &error), &error, "bias");
  wh_test_assert_invalid (wh_cl_softmax_rows (ctx, small, 3, 3, &error), &error, "x");
}

static void
test_bad_shapes (void)
{
  g_autoptr(WhClBuffer) big = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  big = wh_test_zeros (ctx, 4096);

  /* Sizes whose products overflow gsize or the kernels' 32-bit index. */
  wh_test_assert_invalid (wh_cl_rmsnorm (ctx, big, big, big, G_MAXSIZE / 2, 4, 1e-5f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_softmax_rows (ctx, big, G_MAXUINT32, 2, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_embedding (ctx, big, big, G_MAXSIZE / 2, big, 1, 16, &error), &error, "table");
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, big, big, G_MAXSIZE / 4, 1, 1, 1, 8, 0, 1.0f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_add (ctx, big, big, G_MAXSIZE, &error), &error, NULL);

  /* RoPE rotates pairs. */
  wh_test_assert_invalid (wh_cl_rope (ctx, big, big, 1, 1, 7, 0, WH_CL_ROPE_ROTATE_HALF, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_rope (ctx, big, big, 2, 1, 8, G_MAXUINT32, WH_CL_ROPE_ROTATE_HALF, &error), &error, NULL);

  /* Query heads come in whole groups per KV head. */
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, big, big, 8, 1, 6, 4, 16, 0, 0.25f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, big, big, 8, 1, 4, 0, 16, 0, 0.25f, &error), &error, NULL);
  /* The new tokens must fit in the cache. */
  wh_test_assert_invalid (wh_cl_attention (ctx, big, big, big, big, 8, 2, 4, 2, 16, 7, 0.25f, &error), &error, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/ops/embedding", test_embedding);
  g_test_add_func ("/whetstone/cl/ops/rmsnorm", test_rmsnorm);
  g_test_add_func ("/whetstone/cl/ops/rope", test_rope);
  g_test_add_func ("/whetstone/cl/ops/rope-styles-differ", test_rope_styles_differ);
  g_test_add_func ("/whetstone/cl/ops/rope-positions", test_rope_positions);
  g_test_add_func ("/whetstone/cl/ops/attention", test_attention);
  g_test_add_func ("/whetstone/cl/ops/attention-incremental", test_attention_incremental);
  g_test_add_func ("/whetstone/cl/ops/add", test_add);
  g_test_add_func ("/whetstone/cl/ops/add-bias", test_add_bias);
  g_test_add_func ("/whetstone/cl/ops/softmax-rows", test_softmax_rows);
  g_test_add_func ("/whetstone/cl/ops/softmax-rows-large", test_softmax_rows_large);
  g_test_add_func ("/whetstone/cl/ops/copy", test_copy);
  g_test_add_func ("/whetstone/cl/ops/too-small", test_too_small);
  g_test_add_func ("/whetstone/cl/ops/bad-shapes", test_bad_shapes);

  return wh_test_cl_run (&ctx);
}
