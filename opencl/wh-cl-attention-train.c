/* wh-cl-attention-train.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "wh-cl-attention-train.h"
#include "wh-cl-context-private.h"
#include "wh-cl-error.h"
#include "wh-cl-host-attention.h"
#include "wh-cl-launch.h"

/* Tokens per tile, at most: 32 × 32 scores per step keep a work-group
 * busy, and the host halves it until the kernel's tiles fit the device's
 * local memory (head_dim 128 on a 48 KiB GPU: 16 forward, 8 for dk/dv). */
#define TILE_MAX  32
#define GROUP_MAX 64

/* What a kernel stages in local memory, in units of the tile size b:
 * tiles of b rows of head_dim + 1 floats (padded, feeding dot products),
 * of b rows of head_dim floats, of b × b floats, and vectors of b. */
typedef struct
{
  guint padded;
  guint plain;
  guint square;
  guint vectors;
} LocalLayout;

static const LocalLayout forward_layout = { 3, 1, 1, 3 };  /* q k v | acc | p | m l corr */
static const LocalLayout dkv_layout     = { 4, 2, 2, 2 };  /* k v q dout | dk dv | p ds | lse delta */
static const LocalLayout dq_layout      = { 4, 1, 1, 2 };  /* q dout k v | dq | ds | lse delta */

/* The sizes every kernel takes, and the host's BLAS on a CPU device. */
typedef WhClHostAttentionShape Shape;

/* The checks both directions share; *n_q and *n_kv are the element
 * counts of q and k. */
static gboolean
check_shapes (WhClBuffer   *q,
              WhClBuffer   *k,
              WhClBuffer   *v,
              WhClBuffer   *lse,
              WhClBuffer   *seg,
              const Shape  *shape,
              gsize        *n_q,
              gsize        *n_kv,
              GError      **error)
{
  gsize n_rows;

  if (shape->n_kv_heads == 0 || shape->n_heads % shape->n_kv_heads != 0)
    return _wh_cl_invalid (error, "Attention needs n_heads a multiple of n_kv_heads");

  if (shape->head_dim == 0)
    return _wh_cl_invalid (error, "Attention needs head_dim > 0");

  return _wh_cl_check_count ("Attention", shape->n_tokens, shape->n_heads, shape->head_dim,
                             n_q, error) &&
         _wh_cl_check_count ("Attention", shape->n_tokens, shape->n_kv_heads, shape->head_dim,
                             n_kv, error) &&
         _wh_cl_check_count ("Attention", shape->n_heads, shape->n_tokens, 1, &n_rows, error) &&
         _wh_cl_check_buffer_floats (q, "q", *n_q, error) &&
         _wh_cl_check_buffer_floats (k, "k", *n_kv, error) &&
         _wh_cl_check_buffer_floats (v, "v", *n_kv, error) &&
         _wh_cl_check_buffer_floats (lse, "lse", n_rows, error) &&
         (seg == NULL || _wh_cl_check_buffer_ints (seg, "seg", shape->n_tokens, error));
}

static guint64
local_bytes (const LocalLayout *layout,
             gsize              tile,
             gsize              head_dim)
{
  return sizeof (float) * (guint64) tile *
         ((guint64) layout->padded * (head_dim + 1) + (guint64) layout->plain * head_dim +
          (guint64) layout->square * tile + layout->vectors);
}

/* The tile: a power of two, no larger than n_tokens needs, halved until
 * @layout fits the device's local memory. */
static gboolean
choose_tile (WhClContext        *ctx,
             const LocalLayout  *layout,
             const Shape        *shape,
             gsize              *tile,
             GError            **error)
{
  const WhClDeviceInfo *device = wh_cl_context_get_device (ctx);
  gsize head_dim = shape->head_dim;

  *tile = TILE_MAX;
  while (*tile / 2 >= shape->n_tokens)
    *tile /= 2;
  while (*tile > 1 && local_bytes (layout, *tile, head_dim) > device->local_mem_size)
    *tile /= 2;

  if (local_bytes (layout, *tile, head_dim) > device->local_mem_size)
    {
      g_set_error (error, WH_CL_ERROR, WH_CL_ERROR_UNSUPPORTED,
                   "Training attention with head_dim %" G_GSIZE_FORMAT " needs %" G_GUINT64_FORMAT
                   " bytes of local memory; the device has %" G_GUINT64_FORMAT,
                   head_dim, local_bytes (layout, 1, head_dim), device->local_mem_size);
      return FALSE;
    }

  return TRUE;
}

/* Sets the shape arguments every tiled kernel takes, from @first on:
 * n_tokens, n_heads, n_kv_heads, head_dim, group, tile, scale. */
static void
set_shape_args (cl_int       *status,
                cl_kernel     kernel,
                cl_uint       first,
                const Shape  *shape,
                gsize         tile)
{
  cl_uint values[] = { shape->n_tokens, shape->n_heads, shape->n_kv_heads, shape->head_dim,
                       shape->n_heads / shape->n_kv_heads, tile };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    WH_CL_SET_ARG (*status, kernel, first + i, values[i]);
  WH_CL_SET_ARG (*status, kernel, first + G_N_ELEMENTS (values), shape->scale);
}

/* Sets the __local arguments of @layout from @first on, in its order:
 * padded tiles, plain tiles, squares, then one argument for the vectors. */
static void
set_local_args (cl_int            *status,
                cl_kernel          kernel,
                cl_uint            first,
                const LocalLayout *layout,
                gsize              tile,
                gsize              head_dim)
{
  cl_uint i = first;

  for (guint n = 0; n < layout->padded; n++, i++)
    WH_CL_SET_LOCAL_ARG (*status, kernel, i, tile * (head_dim + 1) * sizeof (float));
  for (guint n = 0; n < layout->plain; n++, i++)
    WH_CL_SET_LOCAL_ARG (*status, kernel, i, tile * head_dim * sizeof (float));
  for (guint n = 0; n < layout->square; n++, i++)
    WH_CL_SET_LOCAL_ARG (*status, kernel, i, tile * tile * sizeof (float));
  WH_CL_SET_LOCAL_ARG (*status, kernel, i, layout->vectors * tile * sizeof (float));
}

/* Runs a tiled kernel, whose arguments are its @n_buffers @buffers, @seg,
 * the shape and the __local tiles of @layout, as one work-group per
 * (@n_groups, tile of n_tokens).  The work-group size is a power of two up
 * to GROUP_MAX, the device's and the kernel's limits: the kernels accept
 * any size. */
static gboolean
run_tiled (WhClContext        *ctx,
           const char         *name,
           WhClBuffer * const *buffers,
           guint               n_buffers,
           WhClBuffer         *seg,
           const Shape        *shape,
           const LocalLayout  *layout,
           gsize               tile,
           gsize               n_groups,
           GError            **error)
{
  cl_kernel kernel;
  /* A NULL buffer argument reaches the kernel as a NULL pointer. */
  cl_mem seg_mem = seg != NULL ? seg->mem : NULL;
  cl_int status = CL_SUCCESS;
  gsize wg;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "attention_train", name, error)))
    return FALSE;

  for (guint i = 0; i < n_buffers; i++)
    WH_CL_SET_ARG (status, kernel, i, buffers[i]->mem);
  WH_CL_SET_ARG (status, kernel, n_buffers, seg_mem);
  set_shape_args (&status, kernel, n_buffers + 1, shape, tile);
  set_local_args (&status, kernel, n_buffers + 8, layout, tile, shape->head_dim);
  if (!wh_cl_check (status, name, error) ||
      !_wh_cl_group_size (ctx, kernel, name, tile * MAX (tile, shape->head_dim), GROUP_MAX,
                          &wg, error))
    return FALSE;

  return _wh_cl_launch_2d (ctx, kernel, name, n_groups, wg,
                           (shape->n_tokens + tile - 1) / tile, 1, error);
}

/**
 * wh_cl_attention_train_forward:
 * @out: (n_tokens, n_heads, head_dim) floats, written
 * @lse: (n_heads, n_tokens) floats, written: each query row's log-sum-exp
 *   of scaled scores, for wh_cl_attention_backward()
 * @q: (n_tokens, n_heads, head_dim) floats
 * @k: (n_tokens, n_kv_heads, head_dim) floats
 * @v: (n_tokens, n_kv_heads, head_dim) floats
 * @seg: (nullable): (n_tokens) gint32 sequence ids of packed sequences
 *
 * See wh_ref_attention_train_forward() and attention_train.cl.  Without
 * @seg, @out is wh_cl_attention()'s at pos0 = 0.
 */
gboolean
wh_cl_attention_train_forward (WhClContext  *ctx,
                               WhClBuffer   *out,
                               WhClBuffer   *lse,
                               WhClBuffer   *q,
                               WhClBuffer   *k,
                               WhClBuffer   *v,
                               WhClBuffer   *seg,
                               gsize         n_tokens,
                               gsize         n_heads,
                               gsize         n_kv_heads,
                               gsize         head_dim,
                               float         scale,
                               GError      **error)
{
  const Shape shape = { n_tokens, n_heads, n_kv_heads, head_dim, scale };
  WhClBuffer *buffers[] = { out, lse, q, k, v };
  gsize n_q, n_kv, tile;

  g_return_val_if_fail (ctx != NULL && out != NULL && lse != NULL, FALSE);
  g_return_val_if_fail (q != NULL && k != NULL && v != NULL, FALSE);

  if (!check_shapes (q, k, v, lse, seg, &shape, &n_q, &n_kv, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n_q, error))
    return FALSE;

  if (n_q == 0)
    return TRUE;

#if HAVE_OPENBLAS
  if (ctx->gemm_path == WH_CL_GEMM_PATH_HOST_BLAS)
    return _wh_cl_host_attention_forward (ctx, out, lse, q, k, v, seg, &shape, error);
#endif

  if (!choose_tile (ctx, &forward_layout, &shape, &tile, error))
    return FALSE;

  return run_tiled (ctx, "attention_train_fwd_f32", buffers, G_N_ELEMENTS (buffers), seg,
                    &shape, &forward_layout, tile, n_heads, error);
}

/* delta (n_heads, n_tokens) = rowsum(dout ⊙ out) */
static gboolean
attention_delta (WhClContext  *ctx,
                 WhClBuffer   *delta,
                 WhClBuffer   *out,
                 WhClBuffer   *dout,
                 const Shape  *shape,
                 GError      **error)
{
  const char *name = "attention_train_delta_f32";
  cl_kernel kernel;
  cl_uint n_tokens32 = shape->n_tokens, n_heads32 = shape->n_heads;
  cl_uint head_dim32 = shape->head_dim;
  cl_int status = CL_SUCCESS;

  if (!(kernel = wh_cl_context_get_kernel (ctx, "attention_train", name, error)))
    return FALSE;

  WH_CL_SET_ARG (status, kernel, 0, delta->mem);
  WH_CL_SET_ARG (status, kernel, 1, out->mem);
  WH_CL_SET_ARG (status, kernel, 2, dout->mem);
  WH_CL_SET_ARG (status, kernel, 3, n_tokens32);
  WH_CL_SET_ARG (status, kernel, 4, n_heads32);
  WH_CL_SET_ARG (status, kernel, 5, head_dim32);
  if (!wh_cl_check (status, name, error))
    return FALSE;

  return _wh_cl_launch_1d (ctx, kernel, name, shape->n_tokens * shape->n_heads, error);
}

/**
 * wh_cl_attention_backward:
 * @dq: (n_tokens, n_heads, head_dim) floats, overwritten
 * @dk: (n_tokens, n_kv_heads, head_dim) floats, overwritten
 * @dv: (n_tokens, n_kv_heads, head_dim) floats, overwritten
 * @delta: (n_heads, n_tokens) floats, scratch
 * @dout: (n_tokens, n_heads, head_dim) floats, the gradient of out
 * @q: (n_tokens, n_heads, head_dim) floats, the forward's input
 * @k: (n_tokens, n_kv_heads, head_dim) floats, the forward's input
 * @v: (n_tokens, n_kv_heads, head_dim) floats, the forward's input
 * @out: (n_tokens, n_heads, head_dim) floats, the forward's output
 * @lse: (n_heads, n_tokens) floats, the forward's log-sum-exp
 * @seg: (nullable): (n_tokens) gint32, as given to the forward
 *
 * Three kernels: delta = rowsum(dout ⊙ out), then dk and dv per (KV head,
 * key tile), then dq per (head, query tile); see attention_train.cl.  The
 * results are deterministic.  See wh_ref_attention_backward().
 */
gboolean
wh_cl_attention_backward (WhClContext  *ctx,
                          WhClBuffer   *dq,
                          WhClBuffer   *dk,
                          WhClBuffer   *dv,
                          WhClBuffer   *delta,
                          WhClBuffer   *dout,
                          WhClBuffer   *q,
                          WhClBuffer   *k,
                          WhClBuffer   *v,
                          WhClBuffer   *out,
                          WhClBuffer   *lse,
                          WhClBuffer   *seg,
                          gsize         n_tokens,
                          gsize         n_heads,
                          gsize         n_kv_heads,
                          gsize         head_dim,
                          float         scale,
                          GError      **error)
{
  const Shape shape = { n_tokens, n_heads, n_kv_heads, head_dim, scale };
  WhClBuffer *dkv_buffers[] = { dk, dv, q, k, v, dout, lse, delta };
  WhClBuffer *dq_buffers[] = { dq, q, k, v, dout, lse, delta };
  gsize n_q, n_kv, dkv_tile, dq_tile;

  g_return_val_if_fail (ctx != NULL && dq != NULL && dk != NULL && dv != NULL, FALSE);
  g_return_val_if_fail (delta != NULL && dout != NULL && out != NULL && lse != NULL, FALSE);
  g_return_val_if_fail (q != NULL && k != NULL && v != NULL, FALSE);

  if (!check_shapes (q, k, v, lse, seg, &shape, &n_q, &n_kv, error) ||
      !_wh_cl_check_buffer_floats (dq, "dq", n_q, error) ||
      !_wh_cl_check_buffer_floats (dk, "dk", n_kv, error) ||
      !_wh_cl_check_buffer_floats (dv, "dv", n_kv, error) ||
      !_wh_cl_check_buffer_floats (delta, "delta", n_heads * n_tokens, error) ||
      !_wh_cl_check_buffer_floats (dout, "dout", n_q, error) ||
      !_wh_cl_check_buffer_floats (out, "out", n_q, error))
    return FALSE;

  if (n_q == 0)
    return TRUE;

#if HAVE_OPENBLAS
  if (ctx->gemm_path == WH_CL_GEMM_PATH_HOST_BLAS)
    return _wh_cl_host_attention_backward (ctx, dq, dk, dv, delta, dout, q, k, v, out, lse, seg,
                                           &shape, error);
#endif

  if (!choose_tile (ctx, &dkv_layout, &shape, &dkv_tile, error) ||
      !choose_tile (ctx, &dq_layout, &shape, &dq_tile, error))
    return FALSE;

  return attention_delta (ctx, delta, out, dout, &shape, error) &&
         run_tiled (ctx, "attention_train_bwd_dkv_f32", dkv_buffers, G_N_ELEMENTS (dkv_buffers),
                    seg, &shape, &dkv_layout, dkv_tile, n_kv_heads, error) &&
         run_tiled (ctx, "attention_train_bwd_dq_f32", dq_buffers, G_N_ELEMENTS (dq_buffers),
                    seg, &shape, &dq_layout, dq_tile, n_heads, error);
}

/* ---------------------------------------------------------------------
 * Reference
 *
 * The tests' oracle: the same attention written the obvious way, one
 * query row at a time with the whole softmax in double.  Nothing here
 * runs in training.
 * --------------------------------------------------------------------- */

static inline gboolean
ref_visible (const gint32 *seg,
             gsize         t,
             gsize         s)
{
  return s <= t && (seg == NULL || seg[s] == seg[t]);
}

/* p (n_tokens) = the softmax of query row (t, h) over the keys it sees,
 * zero elsewhere; returns the row's log-sum-exp. */
static double
ref_probabilities (double       *p,
                   const float  *q,
                   const float  *k,
                   const gint32 *seg,
                   gsize         t,
                   gsize         h,
                   gsize         n_heads,
                   gsize         n_kv_heads,
                   gsize         head_dim,
                   float         scale)
{
  const float *qh = q + (t * n_heads + h) * head_dim;
  const float *kh = k + h / (n_heads / n_kv_heads) * head_dim;
  gsize kv_stride = n_kv_heads * head_dim;
  double max = -INFINITY;
  double sum = 0.0;

  for (gsize s = 0; s <= t; s++)
    {
      double dot = 0.0;

      p[s] = -INFINITY;
      if (!ref_visible (seg, t, s))
        continue;
      for (gsize d = 0; d < head_dim; d++)
        dot += (double) qh[d] * kh[s * kv_stride + d];
      p[s] = dot * scale;
      max = MAX (max, p[s]);
    }

  for (gsize s = 0; s <= t; s++)
    {
      p[s] = exp (p[s] - max);
      sum += p[s];
    }
  for (gsize s = 0; s <= t; s++)
    p[s] /= sum;

  return max + log (sum);
}

/**
 * wh_ref_attention_train_forward:
 * @out: (n_tokens, n_heads, head_dim) floats, written
 * @lse: (n_heads, n_tokens) floats, written
 * @seg: (nullable): (n_tokens) sequence ids
 *
 * See wh_cl_attention_train_forward().
 */
void
wh_ref_attention_train_forward (float        *out,
                                float        *lse,
                                const float  *q,
                                const float  *k,
                                const float  *v,
                                const gint32 *seg,
                                gsize         n_tokens,
                                gsize         n_heads,
                                gsize         n_kv_heads,
                                gsize         head_dim,
                                float         scale)
{
  gsize kv_stride = n_kv_heads * head_dim;
  g_autofree double *p = g_new (double, n_tokens);
  g_autofree double *acc = g_new (double, head_dim);

  for (gsize t = 0; t < n_tokens; t++)
    for (gsize h = 0; h < n_heads; h++)
      {
        const float *vh = v + h / (n_heads / n_kv_heads) * head_dim;

        lse[h * n_tokens + t] = ref_probabilities (p, q, k, seg, t, h, n_heads, n_kv_heads,
                                                   head_dim, scale);
        for (gsize d = 0; d < head_dim; d++)
          acc[d] = 0.0;
        for (gsize s = 0; s <= t; s++)
          for (gsize d = 0; d < head_dim; d++)
            acc[d] += p[s] * vh[s * kv_stride + d];
        for (gsize d = 0; d < head_dim; d++)
          out[(t * n_heads + h) * head_dim + d] = acc[d];
      }
}

/**
 * wh_ref_attention_backward:
 * @dq: (n_tokens, n_heads, head_dim) floats, overwritten
 * @dk: (n_tokens, n_kv_heads, head_dim) floats, overwritten
 * @dv: (n_tokens, n_kv_heads, head_dim) floats, overwritten
 * @dout: (n_tokens, n_heads, head_dim) floats
 * @seg: (nullable): (n_tokens) sequence ids
 *
 * The gradients of wh_ref_attention_train_forward()'s out, given dout:
 * for each query row, with P its softmax and dP = dout · vᵀ,
 * dS = P ⊙ (dP − Σ P ⊙ dP); dq = scale · dS · k, dk += scale · dSᵀ · q,
 * dv += Pᵀ · dout.  See wh_cl_attention_backward().
 */
void
wh_ref_attention_backward (float        *dq,
                           float        *dk,
                           float        *dv,
                           const float  *dout,
                           const float  *q,
                           const float  *k,
                           const float  *v,
                           const gint32 *seg,
                           gsize         n_tokens,
                           gsize         n_heads,
                           gsize         n_kv_heads,
                           gsize         head_dim,
                           float         scale)
{
  gsize group = n_heads / n_kv_heads;
  gsize kv_stride = n_kv_heads * head_dim;
  gsize n_q = n_tokens * n_heads * head_dim;
  gsize n_kv = n_tokens * kv_stride;
  g_autofree double *p = g_new (double, n_tokens);
  g_autofree double *dp = g_new (double, n_tokens);
  g_autofree double *gq = g_new0 (double, n_q);
  g_autofree double *gk = g_new0 (double, n_kv);
  g_autofree double *gv = g_new0 (double, n_kv);

  for (gsize t = 0; t < n_tokens; t++)
    for (gsize h = 0; h < n_heads; h++)
      {
        gsize row = (t * n_heads + h) * head_dim;
        gsize g = h / group;
        double delta = 0.0;

        ref_probabilities (p, q, k, seg, t, h, n_heads, n_kv_heads, head_dim, scale);

        for (gsize s = 0; s <= t; s++)
          {
            const float *vs = v + s * kv_stride + g * head_dim;

            dp[s] = 0.0;
            for (gsize d = 0; d < head_dim; d++)
              dp[s] += (double) dout[row + d] * vs[d];
            delta += p[s] * dp[s];
          }

        for (gsize s = 0; s <= t; s++)
          {
            gsize kv_row = s * kv_stride + g * head_dim;
            double ds = p[s] * (dp[s] - delta) * scale;

            if (p[s] == 0.0)  /* masked */
              continue;
            for (gsize d = 0; d < head_dim; d++)
              {
                gq[row + d] += ds * k[kv_row + d];
                gk[kv_row + d] += ds * q[row + d];
                gv[kv_row + d] += p[s] * dout[row + d];
              }
          }
      }

  for (gsize i = 0; i < n_q; i++)
    dq[i] = gq[i];
  for (gsize i = 0; i < n_kv; i++)
    {
      dk[i] = gk[i];
      dv[i] = gv[i];
    }
}
