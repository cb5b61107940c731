/* test-cl-backward.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The backward ops (wh-cl-backward.h) against their plain-C references
 * (wh-ref-backward.h), and each reference's gradient against central
 * differences of its forward, as in test-cl-swiglu.c.
 *
 * Kernel tolerances are on wh_ref_normalized_error (‖got − want‖ /
 * ‖want‖) of f32 kernels against double references:
 *   - TOL_EXACT: the embedding scatter adds in the reference's order;
 *   - TOL_F32: element-wise ops and row reductions, a few f32 ulp;
 *   - TOL_REDUCE: long f32 reductions (RMSNorm's two row sums feeding a
 *     difference, the cross-entropy's online softmax, Σ x² of a million).
 * Gradient checks allow a relative error of TOL_GRAD per element, against
 * a floor of a hundredth of the largest gradient so that elements whose
 * gradient is near zero are not held to a relative bound. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-test-cl.h"

#define TOL_EXACT  0.0
#define TOL_F32    1e-6
#define TOL_REDUCE 1e-5
#define TOL_GRAD   1e-3

static WhClContext *ctx;

/* A scalar loss of the inputs a gradient check perturbs. */
typedef double (*LossFunc) (gconstpointer data);

/* Holds @grad, the analytic gradient of @loss w.r.t. @x (n), to central
 * differences in double.  The step is measured as stored in f32. */
static void
check_gradient (LossFunc       loss,
                gconstpointer  data,
                float         *x,
                const float   *grad,
                gsize          n,
                float          h)
{
  g_autofree double *num = g_new (double, n);
  double max = 0.0, worst = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      float saved = x[i];
      double xp, xm, lp, lm;

      x[i] = saved + h;
      xp = x[i];
      lp = loss (data);
      x[i] = saved - h;
      xm = x[i];
      lm = loss (data);
      x[i] = saved;

      num[i] = (lp - lm) / (xp - xm);
      max = MAX (max, fabs (num[i]));
    }

  g_assert_cmpfloat (max, >, 0.0);
  for (gsize i = 0; i < n; i++)
    {
      double err = fabs (grad[i] - num[i]) / MAX (fabs (num[i]), 1e-2 * max);

      worst = MAX (worst, err);
      if (!(err <= TOL_GRAD))
        g_error ("gradient %" G_GSIZE_FORMAT ": analytic %.8g, numeric %.8g (relative error %.3g)",
                 i, grad[i], num[i], err);
    }
  g_test_message ("gradient check: worst relative error %.3g", worst);
}

/* RMSNorm ---------------------------------------------------------------- */

static void
test_rmsnorm (void)
{
  static const gsize dims[] = { 1, 7, 64, 100, 1000, 4099 };
  static const gsize rows_list[] = { 1, 3 };

  WH_TEST_REQUIRE (ctx);

  for (guint d = 0; d < G_N_ELEMENTS (dims); d++)
    for (guint r = 0; r < G_N_ELEMENTS (rows_list); r++)
      for (guint with_dw = 0; with_dw < 2; with_dw++)
        {
          gsize dim = dims[d], rows = rows_list[r], n = rows * dim;
          guint32 seed = 100 + 20 * d + 2 * r + with_dw;
          g_autofree float *x = g_new (float, n);
          g_autofree float *weight = g_new (float, dim);
          g_autofree float *dy = g_new (float, n);
          g_autofree float *dx = g_new (float, n + 1);
          g_autofree float *dw = g_new (float, dim + 1);
          g_autofree float *got = g_new (float, n + 1);
          g_autoptr(WhClBuffer) b_x = NULL, b_w = NULL, b_dy = NULL, b_dx = NULL, b_dw = NULL;
          g_autoptr(GError) error = NULL;

          wh_test_fill_scaled (x, n, seed, 5.0f, 0.5f);
          wh_test_fill_scaled (weight, dim, seed + 1000, 0.5f, 1.0f);
          wh_test_fill_random (dy, n, seed + 2000);

          /* Gradients accumulate: start from non-zero values, and leave
           * the element past the end alone. */
          wh_test_fill_random (dx, n + 1, seed + 3000);
          wh_test_fill_random (dw, dim + 1, seed + 4000);
          b_dx = wh_test_upload_floats (ctx, dx, n + 1);
          b_dw = wh_test_upload_floats (ctx, dw, dim + 1);
          wh_ref_rmsnorm_backward (dx, with_dw ? dw : NULL, dy, x, weight, rows, dim, 1e-5f);

          b_x = wh_test_upload_floats (ctx, x, n);
          b_w = wh_test_upload_floats (ctx, weight, dim);
          b_dy = wh_test_upload_floats (ctx, dy, n);
          wh_cl_rmsnorm_backward (ctx, b_dx, with_dw ? b_dw : NULL, b_dy, b_x, b_w,
                                  rows, dim, 1e-5f, &error);
          g_assert_no_error (error);

          wh_test_download_floats (b_dx, got, n + 1);
          wh_test_assert_close (NULL, got, dx, n + 1, TOL_REDUCE);
          wh_test_download_floats (b_dw, got, dim + 1);
          wh_test_assert_close (NULL, got, dw, dim + 1, with_dw ? TOL_REDUCE : TOL_EXACT);
        }
}

typedef struct
{
  float       *x;       /* (rows, dim) */
  float       *weight;  /* (dim) */
  const float *dy;      /* (rows, dim) */
  gsize        rows;
  gsize        dim;
  float        eps;
} RmsnormLoss;

/* L = Σ dy · rmsnorm(x, weight) */
static double
rmsnorm_loss (gconstpointer data)
{
  const RmsnormLoss *l = data;
  gsize n = l->rows * l->dim;
  g_autofree float *out = g_new (float, n);
  double sum = 0.0;

  wh_ref_rmsnorm (out, l->x, l->weight, l->rows, l->dim, l->eps);
  for (gsize i = 0; i < n; i++)
    sum += (double) l->dy[i] * out[i];

  return sum;
}

static void
test_rmsnorm_gradient_check (void)
{
  const gsize rows = 3, dim = 8, n = rows * dim;
  float x[24], weight[8], dy[24], dx[24] = { 0 }, dw[8] = { 0 };
  RmsnormLoss l = { x, weight, dy, rows, dim, 1e-5f };

  wh_test_fill_scaled (x, n, 11, 2.0f, 0.3f);
  wh_test_fill_scaled (weight, dim, 12, 0.5f, 1.0f);
  wh_test_fill_random (dy, n, 13);

  wh_ref_rmsnorm_backward (dx, dw, dy, x, weight, rows, dim, l.eps);
  check_gradient (rmsnorm_loss, &l, x, dx, n, 1e-2f);
  check_gradient (rmsnorm_loss, &l, weight, dw, dim, 1e-2f);
}

/* RoPE ------------------------------------------------------------------- */

static const WhClRopeStyle rope_styles[] = { WH_CL_ROPE_ROTATE_HALF, WH_CL_ROPE_INTERLEAVED };

static void
test_rope (void)
{
  static const gsize head_dims[] = { 8, 64, 128 };
  static const struct { gsize n_tokens, n_heads, pos0; double theta; } cases[] = {
    { 1, 4, 0, 10000.0 },      /* the first token: no rotation */
    { 5, 3, 17, 10000.0 },
    { 2, 2, 4000, 500000.0 },
    { 3, 8, 8189, 10000.0 },   /* far into the context */
  };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (rope_styles); s++)
    for (guint h = 0; h < G_N_ELEMENTS (head_dims); h++)
      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          gsize head_dim = head_dims[h];
          gsize n_tokens = cases[c].n_tokens, n_heads = cases[c].n_heads, pos0 = cases[c].pos0;
          gsize n = n_tokens * n_heads * head_dim;
          g_autofree float *dy = g_new (float, n);
          g_autofree float *inv_freq = g_new (float, head_dim / 2);
          g_autofree float *want = g_new (float, n);
          g_autofree float *got = g_new (float, n);
          g_autoptr(WhClBuffer) b_dx = NULL, b_f = NULL;
          g_autoptr(GError) error = NULL;

          wh_test_fill_random (dy, n, 200 + c * 10 + h);
          wh_ref_rope_inv_freq (inv_freq, head_dim, cases[c].theta);
          b_f = wh_test_upload_floats (ctx, inv_freq, head_dim / 2);

          memcpy (want, dy, n * sizeof (float));
          wh_ref_rope_backward (want, inv_freq, n_tokens, n_heads, head_dim, pos0, rope_styles[s]);

          b_dx = wh_test_upload_floats (ctx, dy, n);
          wh_cl_rope_backward (ctx, b_dx, b_f, n_tokens, n_heads, head_dim, pos0,
                               rope_styles[s], &error);
          g_assert_no_error (error);
          wh_test_download_floats (b_dx, got, n);
          wh_test_assert_close (NULL, got, want, n, TOL_F32);

          /* The backward undoes the forward: rope then its backward is x. */
          wh_cl_rope (ctx, b_dx, b_f, n_tokens, n_heads, head_dim, pos0, rope_styles[s], &error);
          g_assert_no_error (error);
          wh_test_download_floats (b_dx, got, n);
          wh_test_assert_close (NULL, got, dy, n, TOL_F32);
        }
}

/* Packed sequences: each token turned back by its own position's angle,
 * as the reference does token by token. */
static void
test_rope_positions (void)
{
  static const gint32 positions[] = { 0, 1, 2, 3, 0, 1, 0, 777 };
  const gsize n_tokens = G_N_ELEMENTS (positions), n_heads = 2, head_dim = 32;
  const gsize row = n_heads * head_dim, n = n_tokens * row;

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (rope_styles); s++)
    {
      g_autofree float *dy = g_new (float, n);
      g_autofree float *want = g_new (float, n);
      g_autofree float *got = g_new (float, n);
      float inv_freq[16];
      g_autoptr(WhClBuffer) b_dx = NULL, b_f = NULL, b_pos = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (dy, n, 230 + s);
      wh_ref_rope_inv_freq (inv_freq, head_dim, 10000.0);
      memcpy (want, dy, n * sizeof (float));
      for (gsize t = 0; t < n_tokens; t++)
        wh_ref_rope_backward (want + t * row, inv_freq, 1, n_heads, head_dim, positions[t], rope_styles[s]);

      b_dx = wh_test_upload_floats (ctx, dy, n);
      b_f = wh_test_upload_floats (ctx, inv_freq, head_dim / 2);
      b_pos = wh_test_upload (ctx, positions, sizeof positions);
      wh_cl_rope_backward_positions (ctx, b_dx, b_f, b_pos, n_tokens, n_heads, head_dim, rope_styles[s], &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_dx, got, n);
      wh_test_assert_close (NULL, got, want, n, TOL_F32);
    }
}

typedef struct
{
  float         *x;         /* (n_tokens, n_heads, head_dim) */
  const float   *dy;
  const float   *inv_freq;
  gsize          n_tokens;
  gsize          n_heads;
  gsize          head_dim;
  gsize          pos0;
  WhClRopeStyle  style;
} RopeLoss;

/* L = Σ dy · rope(x) */
static double
rope_loss (gconstpointer data)
{
  const RopeLoss *l = data;
  gsize n = l->n_tokens * l->n_heads * l->head_dim;
  g_autofree float *out = g_memdup2 (l->x, n * sizeof (float));
  double sum = 0.0;

  wh_ref_rope (out, l->inv_freq, l->n_tokens, l->n_heads, l->head_dim, l->pos0, l->style);
  for (gsize i = 0; i < n; i++)
    sum += (double) l->dy[i] * out[i];

  return sum;
}

static void
test_rope_gradient_check (void)
{
  const gsize n_tokens = 3, n_heads = 2, head_dim = 8, n = n_tokens * n_heads * head_dim;
  float x[48], dy[48], dx[48], inv_freq[4];

  wh_test_fill_random (x, n, 21);
  wh_test_fill_random (dy, n, 22);
  wh_ref_rope_inv_freq (inv_freq, head_dim, 10000.0);

  for (guint s = 0; s < G_N_ELEMENTS (rope_styles); s++)
    {
      RopeLoss l = { x, dy, inv_freq, n_tokens, n_heads, head_dim, 5, rope_styles[s] };

      memcpy (dx, dy, sizeof dx);
      wh_ref_rope_backward (dx, inv_freq, n_tokens, n_heads, head_dim, l.pos0, l.style);
      check_gradient (rope_loss, &l, x, dx, n, 1e-2f);
    }
}

/* Embedding -------------------------------------------------------------- */

static void
test_embedding (void)
{
  static const struct { gsize n_rows, n_tokens, dim; } cases[] = {
    { 7, 50, 13 },      /* every row repeated */
    { 100, 1, 64 },
    { 50, 300, 100 },
    { 3, 2000, 5 },     /* long runs of one id */
  };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n_rows = cases[c].n_rows, n_tokens = cases[c].n_tokens, dim = cases[c].dim;
      gsize n = n_tokens * dim, n_table = n_rows * dim;
      g_autofree float *dy = g_new (float, n);
      g_autofree gint32 *ids = g_new (gint32, n_tokens);
      g_autofree float *want = g_new (float, n_table + 1);
      g_autofree float *got = g_new (float, n_table + 1);
      g_autoptr(WhClBuffer) b_dy = NULL, b_ids = NULL, b_dt = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (300 + c);
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (dy, n, 310 + c);
      for (gsize t = 0; t < n_tokens; t++)
        ids[t] = g_rand_int_range (rand, 0, n_rows);
      /* Out of range on both sides is skipped. */
      if (n_tokens > 2)
        {
          ids[0] = -1;
          ids[1] = n_rows;
          ids[2] = n_rows - 1;
        }

      wh_test_fill_random (want, n_table + 1, 320 + c);
      b_dt = wh_test_upload_floats (ctx, want, n_table + 1);
      wh_ref_embedding_backward (want, n_rows, dy, ids, n_tokens, dim);

      b_dy = wh_test_upload_floats (ctx, dy, n);
      b_ids = wh_test_upload (ctx, ids, n_tokens * sizeof (gint32));
      wh_cl_embedding_backward (ctx, b_dt, n_rows, b_dy, b_ids, n_tokens, dim, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_dt, got, n_table + 1);

      wh_test_assert_close (NULL, got, want, n_table + 1, TOL_EXACT);
    }
}

typedef struct
{
  float        *table;  /* (n_rows, dim) */
  const float  *dy;     /* (n_tokens, dim) */
  const gint32 *ids;
  gsize         n_rows;
  gsize         n_tokens;
  gsize         dim;
} EmbeddingLoss;

/* L = Σ dy · embedding(table, ids) */
static double
embedding_loss (gconstpointer data)
{
  const EmbeddingLoss *l = data;
  gsize n = l->n_tokens * l->dim;
  g_autofree float *out = g_new (float, n);
  double sum = 0.0;

  wh_ref_embedding (out, l->table, l->n_rows, l->ids, l->n_tokens, l->dim);
  for (gsize i = 0; i < n; i++)
    sum += (double) l->dy[i] * out[i];

  return sum;
}

static void
test_embedding_gradient_check (void)
{
  const gsize n_rows = 5, n_tokens = 8, dim = 3;
  const gint32 ids[8] = { 1, 3, 1, -1, 4, 5, 1, 3 };  /* repeats, and both out of range */
  float table[15], dy[24], dtable[15] = { 0 };
  EmbeddingLoss l = { table, dy, ids, n_rows, n_tokens, dim };

  wh_test_fill_random (table, n_rows * dim, 31);
  wh_test_fill_random (dy, n_tokens * dim, 32);

  wh_ref_embedding_backward (dtable, n_rows, dy, ids, n_tokens, dim);
  check_gradient (embedding_loss, &l, table, dtable, n_rows * dim, 1e-2f);

  /* Rows 0 and 2 are never looked up. */
  for (gsize j = 0; j < dim; j++)
    {
      g_assert_cmpfloat (dtable[0 * dim + j], ==, 0.0f);
      g_assert_cmpfloat (dtable[2 * dim + j], ==, 0.0f);
    }
}

/* Cross-entropy ---------------------------------------------------------- */

/* Runs the chunked cross-entropy on the device over logits (rows, vocab),
 * @chunk columns at a time, into @losses (rows) and @dlogits (rows, vocab).
 * @reverse visits the chunks after the first from the end; @in_place
 * writes each chunk's gradient over its logits. */
static void
device_cross_entropy (float        *losses,
                      float        *dlogits,
                      const float  *logits,
                      const gint32 *targets,
                      gsize         rows,
                      gsize         vocab,
                      gsize         chunk,
                      float         scale,
                      gboolean      reverse,
                      gboolean      in_place)
{
  gsize n_chunks = (vocab + chunk - 1) / chunk;
  g_autofree float *host = g_new (float, rows * chunk);
  g_autoptr(WhClBuffer) b_targets = wh_test_upload (ctx, targets, rows * sizeof (gint32));
  g_autoptr(WhClBuffer) b_stats = wh_test_zeros (ctx, rows * WH_CL_CE_STATS);
  g_autoptr(WhClBuffer) b_losses = wh_test_zeros (ctx, rows);
  g_autoptr(WhClBuffer) b_chunk = wh_test_zeros (ctx, rows * chunk);
  g_autoptr(WhClBuffer) b_dchunk = wh_test_zeros (ctx, rows * chunk);
  g_autoptr(GError) error = NULL;

  for (guint pass = 0; pass < 2; pass++)
    for (gsize k = 0; k < n_chunks; k++)
      {
        gsize c = (reverse && k > 0) ? n_chunks - k : k;
        gsize v0 = c * chunk, n_cols = MIN (chunk, vocab - v0);
        WhClBuffer *b_out = in_place ? b_chunk : b_dchunk;

        /* The engine's GEMM would write this chunk. */
        for (gsize r = 0; r < rows; r++)
          memcpy (host + r * n_cols, logits + r * vocab + v0, n_cols * sizeof (float));
        wh_cl_buffer_write (b_chunk, 0, host, rows * n_cols * sizeof (float), &error);
        g_assert_no_error (error);

        if (pass == 0)
          {
            wh_cl_ce_chunk_stats (ctx, b_stats, b_chunk, b_targets, rows, n_cols, v0, &error);
            g_assert_no_error (error);
            continue;
          }

        wh_cl_ce_chunk_grad (ctx, b_out, b_chunk, b_stats, b_targets, rows, n_cols, v0,
                             scale, &error);
        g_assert_no_error (error);
        wh_test_download_floats (b_out, host, rows * n_cols);
        for (gsize r = 0; r < rows; r++)
          memcpy (dlogits + r * vocab + v0, host + r * n_cols, n_cols * sizeof (float));

        if (k == 0)
          {
            wh_cl_ce_finish (ctx, b_losses, b_stats, b_targets, rows, &error);
            g_assert_no_error (error);
            wh_test_download_floats (b_losses, losses, rows);
          }
      }
}

static void
test_cross_entropy (void)
{
  static const struct { gsize rows, vocab; float scale, offset; } cases[] = {
    { 6, 50, 4.0f, 0.0f },
    { 5, 1000, 4.0f, 0.0f },
    { 3, 4099, 8.0f, 0.0f },
    { 4, 300, 100.0f, 1000.0f },   /* logits 900 … 1100: exp overflows without the max */
    { 4, 300, 20.0f, -1000.0f },   /* all far below 0 */
  };
  static const gsize chunks[] = { 1, 7, 64, 0 /* vocab */ };

  WH_TEST_REQUIRE (ctx);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize rows = cases[c].rows, vocab = cases[c].vocab, n = rows * vocab;
      g_autofree float *logits = g_new (float, n);
      g_autofree gint32 *targets = g_new (gint32, rows);
      g_autofree float *want_losses = g_new (float, rows);
      g_autofree float *want_dlogits = g_new (float, n);
      g_autofree float *first_losses = g_new (float, rows);
      g_autofree float *first_dlogits = g_new (float, n);
      g_autoptr(GRand) rand = g_rand_new_with_seed (400 + c);
      double want_total, count = 0;
      gboolean have_first = FALSE;
      float scale;

      wh_test_fill_scaled (logits, n, 410 + c, cases[c].scale, cases[c].offset);
      for (gsize r = 0; r < rows; r++)
        targets[r] = g_rand_int_range (rand, 0, vocab);
      /* Ignored rows, both spellings, and the vocabulary's ends. */
      targets[0] = -1;
      targets[1] = vocab - 1;
      targets[2] = rows > 3 ? -100 : 0;
      for (gsize r = 0; r < rows; r++)
        count += targets[r] >= 0;
      /* As if the step counted more targets than this micro-batch. */
      scale = 1.0f / (float) (count + 3);

      want_total = wh_ref_cross_entropy (want_losses, logits, targets, rows, vocab);
      wh_ref_cross_entropy_backward (want_dlogits, logits, targets, rows, vocab, scale);

      for (guint k = 0; k < G_N_ELEMENTS (chunks); k++)
        {
          gsize chunk = chunks[k] != 0 ? chunks[k] : vocab;
          g_autofree float *losses = g_new (float, rows);
          g_autofree float *dlogits = g_new (float, n);
          double total = 0.0;

          /* Chunks of one column only on the smaller vocabularies: a
           * launch per column is slow on PoCL. */
          if (chunk == 1 && vocab > 1000)
            continue;

          device_cross_entropy (losses, dlogits, logits, targets, rows, vocab, chunk, scale,
                                chunk == 7, chunk == 64);

          wh_test_assert_close (NULL, losses, want_losses, rows, TOL_REDUCE);
          wh_test_assert_close (NULL, dlogits, want_dlogits, n, TOL_REDUCE);
          for (gsize r = 0; r < rows; r++)
            {
              total += losses[r];
              if (targets[r] < 0)
                {
                  g_assert_cmpfloat (losses[r], ==, 0.0f);
                  for (gsize j = 0; j < vocab; j++)
                    g_assert_cmpfloat (dlogits[r * vocab + j], ==, 0.0f);
                }
            }
          g_assert_cmpfloat_with_epsilon (total / count, want_total / count,
                                          TOL_REDUCE * fabs (want_total / count));

          /* Every chunking gives the same result, to rounding. */
          if (!have_first)
            {
              memcpy (first_losses, losses, rows * sizeof (float));
              memcpy (first_dlogits, dlogits, n * sizeof (float));
              have_first = TRUE;
            }
          else
            {
              wh_test_assert_close (NULL, losses, first_losses, rows, TOL_F32);
              wh_test_assert_close (NULL, dlogits, first_dlogits, n, TOL_F32);
            }
        }
    }
}

typedef struct
{
  float        *logits;  /* (rows, vocab) */
  const gint32 *targets;
  gsize         rows;
  gsize         vocab;
  float         scale;
} CrossEntropyLoss;

/* L = scale · Σ losses */
static double
cross_entropy_loss (gconstpointer data)
{
  const CrossEntropyLoss *l = data;

  return l->scale * wh_ref_cross_entropy (NULL, l->logits, l->targets, l->rows, l->vocab);
}

static void
test_cross_entropy_gradient_check (void)
{
  const gsize rows = 4, vocab = 11;
  const gint32 targets[4] = { 3, -1, 0, 10 };
  float logits[44], dlogits[44];
  CrossEntropyLoss l = { logits, targets, rows, vocab, 1.0f / 3.0f };

  wh_test_fill_scaled (logits, rows * vocab, 41, 3.0f, 0.0f);

  wh_ref_cross_entropy_backward (dlogits, logits, targets, rows, vocab, l.scale);
  check_gradient (cross_entropy_loss, &l, logits, dlogits, rows * vocab, 1e-2f);
}

/* Optimizer-step helpers ------------------------------------------------- */

static void
test_add_scaled (void)
{
  static const gsize sizes[] = { 1, 63, 64, 65, 1000 };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree float *y = g_new (float, n + 1);
      g_autofree float *x = g_new (float, n);
      g_autofree float *got = g_new (float, n + 1);
      g_autoptr(WhClBuffer) b_y = NULL, b_x = NULL;
      g_autoptr(GError) error = NULL;

      wh_test_fill_random (y, n + 1, 500 + s);
      wh_test_fill_random (x, n, 510 + s);
      b_y = wh_test_upload_floats (ctx, y, n + 1);
      b_x = wh_test_upload_floats (ctx, x, n);
      wh_ref_add_scaled (y, -0.37f, x, n);

      wh_cl_add_scaled (ctx, b_y, -0.37f, b_x, n, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_y, got, n + 1);

      wh_test_assert_close (NULL, got, y, n + 1, TOL_F32);
    }
}

/* The device's mask is the reference's, bit for bit; about p of the
 * elements are zeroed and the rest scaled by 1 / (1 − p); another seed
 * gives another mask; in place works. */
static void
test_dropout (void)
{
  const gsize n = 20000;
  const float p = 0.25f;
  g_autofree float *x = g_new (float, n);
  g_autofree float *want = g_new (float, n);
  g_autofree float *got = g_new (float, n);
  g_autofree float *other = g_new (float, n);
  g_autoptr(WhClBuffer) b_x = NULL, b_y = NULL;
  g_autoptr(GError) error = NULL;
  gsize zeros = 0, differ = 0;

  WH_TEST_REQUIRE (ctx);

  for (gsize i = 0; i < n; i++)
    x[i] = 1.0f + (float) (i % 7);
  b_x = wh_test_upload_floats (ctx, x, n);
  b_y = wh_test_zeros (ctx, n);

  wh_ref_dropout (x, want, n, 1234, p);
  g_assert_true (wh_cl_dropout (ctx, b_x, b_y, n, 1234, p, &error));
  g_assert_no_error (error);
  wh_test_download_floats (b_y, got, n);
  g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));

  for (gsize i = 0; i < n; i++)
    {
      if (want[i] == 0.0f)
        zeros++;
      else
        g_assert_cmpfloat (want[i], ==, x[i] * (1.0f / (1.0f - p)));
    }
  g_assert_cmpfloat_with_epsilon ((double) zeros / n, p, 0.02);

  wh_ref_dropout (x, other, n, 1235, p);
  for (gsize i = 0; i < n; i++)
    differ += (other[i] == 0.0f) != (want[i] == 0.0f);
  g_assert_cmpuint (differ, >, n / 10);

  /* In place, and p = 0 keeps everything. */
  g_assert_true (wh_cl_dropout (ctx, b_x, b_x, n, 1234, p, &error));
  wh_test_download_floats (b_x, got, n);
  g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));
  wh_ref_dropout (x, other, n, 99, 0.0f);
  g_assert_cmpmem (other, n * sizeof (float), x, n * sizeof (float));

  g_assert_false (wh_cl_dropout (ctx, b_x, b_y, n, 1, 1.0f, &error));
  g_assert_error (error, WH_CL_ERROR, WH_CL_ERROR_INVALID_ARGUMENT);
}

static void
test_sum_squares (void)
{
  static const gsize sizes[] = { 0, 1, 63, 1000, 65537, (1 << 20) + 3 };

  WH_TEST_REQUIRE (ctx);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      g_autofree float *x = g_new (float, n + 1);
      g_autoptr(WhClBuffer) b_x = NULL, b_out = NULL;
      g_autoptr(GError) error = NULL;
      double want;
      float got, again;

      wh_test_fill_random (x, n + 1, 600 + s);
      x[n] = 1e6f;   /* past the end: must not count */
      want = wh_ref_sum_squares (x, n);

      b_x = wh_test_upload_floats (ctx, x, n + 1);
      b_out = wh_test_upload_floats (ctx, &x[n], 1);   /* stale contents are overwritten */

      wh_cl_sum_squares (ctx, b_out, b_x, n, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_out, &got, 1);
      g_assert_cmpfloat (fabs (got - want), <=, TOL_REDUCE * want);

      /* Deterministic: the same bits again. */
      wh_cl_sum_squares (ctx, b_out, b_x, n, &error);
      g_assert_no_error (error);
      wh_test_download_floats (b_out, &again, 1);
      g_assert_cmpmem (&got, sizeof got, &again, sizeof again);
    }
}

/* Argument checks -------------------------------------------------------- */

static void
test_too_small (void)
{
  g_autoptr(WhClBuffer) big = NULL, small = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  big = wh_test_zeros (ctx, 4096);
  small = wh_test_zeros (ctx, 8);

  /* rmsnorm backward: (4, 16) */
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, small, big, big, big, big, 4, 16, 1e-5f, &error), &error, "dx");
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, small, big, big, big, 4, 16, 1e-5f, &error), &error, "dweight");
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, NULL, small, big, big, 4, 16, 1e-5f, &error), &error, "dy");
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, NULL, big, small, big, 4, 16, 1e-5f, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, NULL, big, big, small, 4, 16, 1e-5f, &error), &error, "weight");

  /* rope backward: dx (2, 2, 32), inv_freq (16) */
  wh_test_assert_invalid (wh_cl_rope_backward (ctx, small, big, 2, 2, 32, 0, WH_CL_ROPE_ROTATE_HALF, &error), &error, "dx");
  wh_test_assert_invalid (wh_cl_rope_backward (ctx, big, small, 2, 2, 32, 0, WH_CL_ROPE_INTERLEAVED, &error), &error, "inv_freq");

  /* embedding backward: dtable (10, 16), dy (4, 16), ids (4) */
  wh_test_assert_invalid (wh_cl_embedding_backward (ctx, small, 10, big, big, 4, 16, &error), &error, "dtable");
  wh_test_assert_invalid (wh_cl_embedding_backward (ctx, big, 10, small, big, 4, 16, &error), &error, "dy");
  wh_test_assert_invalid (wh_cl_embedding_backward (ctx, big, 10, big, small, 9, 1, &error), &error, "ids");

  /* cross-entropy: stats (4, 3), logits chunk (4, 16), targets (4) */
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, small, big, big, 4, 16, 0, &error), &error, "stats");
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, big, small, big, 4, 16, 0, &error), &error, "logits");
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, big, big, small, 9, 1, 0, &error), &error, "targets");
  wh_test_assert_invalid (wh_cl_ce_finish (ctx, small, big, big, 9, &error), &error, "losses");
  wh_test_assert_invalid (wh_cl_ce_finish (ctx, big, small, big, 4, &error), &error, "stats");
  wh_test_assert_invalid (wh_cl_ce_finish (ctx, big, big, small, 9, &error), &error, "targets");
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, small, big, big, big, 4, 16, 0, 1.0f, &error), &error, "dlogits");
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, small, big, big, 4, 16, 0, 1.0f, &error), &error, "logits");
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, big, small, big, 4, 1, 0, 1.0f, &error), &error, "stats");
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, big, big, small, 9, 1, 0, 1.0f, &error), &error, "targets");

  wh_test_assert_invalid (wh_cl_add_scaled (ctx, small, 2.0f, big, 9, &error), &error, "y");
  wh_test_assert_invalid (wh_cl_add_scaled (ctx, big, 2.0f, small, 9, &error), &error, "x");
  wh_test_assert_invalid (wh_cl_sum_squares (ctx, big, small, 9, &error), &error, "x");
}

static void
test_bad_shapes (void)
{
  g_autoptr(WhClBuffer) big = NULL;
  g_autoptr(GError) error = NULL;

  WH_TEST_REQUIRE (ctx);

  big = wh_test_zeros (ctx, 4096);

  /* Products that overflow gsize or the kernels' 32-bit index. */
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, NULL, big, big, big, G_MAXSIZE / 2, 4, 1e-5f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_rmsnorm_backward (ctx, big, NULL, big, big, big, 1 << 16, 1 << 16, 1e-5f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_embedding_backward (ctx, big, 10, big, big, G_MAXSIZE / 2, 4, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_embedding_backward (ctx, big, G_MAXSIZE / 2, big, big, 1, 4, &error), &error, "dtable");
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, big, big, big, 1 << 16, 1 << 16, 0, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, big, big, big, 1 << 16, 1 << 16, 0, 1.0f, &error), &error, NULL);

  /* RoPE: odd head_dim, positions past 32 bits, an unknown style. */
  wh_test_assert_invalid (wh_cl_rope_backward (ctx, big, big, 1, 1, 7, 0, WH_CL_ROPE_ROTATE_HALF, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_rope_backward (ctx, big, big, 2, 1, 8, G_MAXUINT32, WH_CL_ROPE_ROTATE_HALF, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_rope_backward (ctx, big, big, 1, 1, 8, 0, (WhClRopeStyle) 7, &error), &error, NULL);

  /* Cross-entropy chunks: empty, or columns past 31 bits. */
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, big, big, big, 1, 0, 0, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, big, big, big, 1, 0, 0, 1.0f, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_ce_chunk_stats (ctx, big, big, big, 1, 4, G_MAXINT32, &error), &error, NULL);
  wh_test_assert_invalid (wh_cl_ce_chunk_grad (ctx, big, big, big, big, 1, 4, G_MAXINT32, 1.0f, &error), &error, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/whetstone/cl/backward/rmsnorm", test_rmsnorm);
  g_test_add_func ("/whetstone/cl/backward/rmsnorm-gradient-check", test_rmsnorm_gradient_check);
  g_test_add_func ("/whetstone/cl/backward/rope", test_rope);
  g_test_add_func ("/whetstone/cl/backward/rope-gradient-check", test_rope_gradient_check);
  g_test_add_func ("/whetstone/cl/backward/rope-positions", test_rope_positions);
  g_test_add_func ("/whetstone/cl/backward/embedding", test_embedding);
  g_test_add_func ("/whetstone/cl/backward/embedding-gradient-check", test_embedding_gradient_check);
  g_test_add_func ("/whetstone/cl/backward/cross-entropy", test_cross_entropy);
  g_test_add_func ("/whetstone/cl/backward/cross-entropy-gradient-check", test_cross_entropy_gradient_check);
  g_test_add_func ("/whetstone/cl/backward/add-scaled", test_add_scaled);
  g_test_add_func ("/whetstone/cl/backward/dropout", test_dropout);
  g_test_add_func ("/whetstone/cl/backward/sum-squares", test_sum_squares);
  g_test_add_func ("/whetstone/cl/backward/too-small", test_too_small);
  g_test_add_func ("/whetstone/cl/backward/bad-shapes", test_bad_shapes);

  return wh_test_cl_run (&ctx);
}
