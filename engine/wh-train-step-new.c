/* wh-train-step-new.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Building a training step: its buffers, its trained tensors (with their
 * gradients and AdamW moments) and the activations it keeps; and reading
 * them back by name.  The step itself is in wh-train-step.c. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-train-step-private.h"

#define LM_CHUNK WH_TRAIN_LM_CHUNK

static const char *const parents[] = { "self_attn", "self_attn", "self_attn", "self_attn", "mlp", "mlp", "mlp" };

WhClBuffer *
_wh_train_step_buffer (WhTrainStep  *ts,
                       gsize         floats,
                       GError      **error)
{
  WhClBuffer *b = wh_cl_buffer_new (ts->ctx, MAX (floats, 1) * sizeof (float), error);

  if (b != NULL)
    g_ptr_array_add (ts->owned, b);
  return b;
}

#define alloc _wh_train_step_buffer

static void
param_free (gpointer data)
{
  WhTrainParam *p = data;

  g_free (p->name);
  g_free (p);
}

WhTrainParam *
_wh_train_step_add_param (WhTrainStep  *ts,
                          const char   *name,
                          WhClBuffer   *param,
                          gsize         rows,
                          gsize         cols,
                          GError      **error)
{
  WhTrainParam *p = g_new0 (WhTrainParam, 1);

  p->name = g_strdup (name);
  p->param = param;
  p->n = MAX (rows, 1) * cols;
  p->n_dims = rows > 0 ? 2 : 1;
  p->shape[0] = rows > 0 ? rows : cols;
  p->shape[1] = cols;
  g_ptr_array_add (ts->params, p);
  g_hash_table_insert (ts->by_name, p->name, p);
  if (!(p->grad = alloc (ts, p->n, error)) || !(p->m = alloc (ts, p->n, error)) || !(p->v = alloc (ts, p->n, error)))
    return NULL;
  return p;
}

void
wh_train_step_free (WhTrainStep *ts)
{
  if (ts == NULL)
    return;
  g_ptr_array_unref (ts->owned);
  g_hash_table_unref (ts->by_name);
  g_ptr_array_unref (ts->params);
  g_free (ts->lora);
  g_free (ts->full);
  g_free (ts->ckpt);
  g_free (ts);
}

static void
target_dims (const WhModelConfig *c,
             WhLoraTarget         t,
             gsize               *out,
             gsize               *in)
{
  gsize q = (gsize) c->n_heads * c->head_dim, kv = (gsize) c->n_kv_heads * c->head_dim;
  const gsize outs[] = { q, kv, kv, c->hidden_size, c->intermediate_size, c->intermediate_size, c->hidden_size };
  const gsize ins[] = { c->hidden_size, c->hidden_size, c->hidden_size, q, c->hidden_size, c->hidden_size,
                        c->intermediate_size };

  *out = outs[t];
  *in = ins[t];
}

WhTrainStep *
_wh_train_step_alloc (WhModel    *model,
                      WhAdapter  *adapter,
                      gsize       max_tokens)
{
  WhTrainStep *ts = g_new0 (WhTrainStep, 1);

  ts->model = model;
  ts->ctx = model->ctx;
  ts->adapter = adapter;
  ts->max_tokens = max_tokens;
  ts->owned = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_cl_buffer_free);
  ts->params = g_ptr_array_new_with_free_func (param_free);
  ts->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  ts->ckpt = g_new0 (WhClBuffer *, model->config.n_layers + 1);
  return ts;
}

gboolean
_wh_train_step_alloc_acts (WhTrainStep  *ts,
                           GError      **error)
{
  const WhModelConfig *c = &ts->model->config;
  gsize T = ts->max_tokens, D = c->hidden_size, I = c->intermediate_size;
  gsize Q = (gsize) c->n_heads * c->head_dim, KV = (gsize) c->n_kv_heads * c->head_dim;
  WhTrainActs *a = &ts->acts;

  for (guint l = 0; l <= c->n_layers; l++)
    if (!(ts->ckpt[l] = alloc (ts, T * D, error)))
      return FALSE;

  if (!(ts->ids = alloc (ts, T, error)) || !(ts->targets = alloc (ts, T, error)) ||
      !(ts->seg = alloc (ts, T, error)) || !(ts->positions = alloc (ts, T, error)) ||
      !(a->h1 = alloc (ts, T * D, error)) || !(a->q = alloc (ts, T * Q, error)) ||
      !(a->k = alloc (ts, T * KV, error)) || !(a->v = alloc (ts, T * KV, error)) ||
      !(a->attn = alloc (ts, T * Q, error)) || !(a->lse = alloc (ts, (gsize) c->n_heads * T, error)) ||
      !(a->x2 = alloc (ts, T * D, error)) || !(a->h2 = alloc (ts, T * D, error)) ||
      !(a->g = alloc (ts, T * I, error)) || !(a->u = alloc (ts, T * I, error)) ||
      !(a->s = alloc (ts, T * I, error)) ||
      !(ts->dx = alloc (ts, T * D, error)) || !(ts->dh = alloc (ts, T * D, error)) ||
      !(ts->dx2 = alloc (ts, T * D, error)) || !(ts->dq = alloc (ts, T * Q, error)) ||
      !(ts->dk = alloc (ts, T * KV, error)) || !(ts->dv = alloc (ts, T * KV, error)) ||
      !(ts->dattn = alloc (ts, T * Q, error)) || !(ts->dg = alloc (ts, T * I, error)) ||
      !(ts->du = alloc (ts, T * I, error)) || !(ts->ds = alloc (ts, T * I, error)) ||
      !(ts->delta = alloc (ts, (gsize) c->n_heads * T, error)) ||
      !(ts->hf = alloc (ts, T * D, error)) || !(ts->logits = alloc (ts, T * LM_CHUNK, error)) ||
      !(ts->stats = alloc (ts, T * WH_CL_CE_STATS, error)) || !(ts->losses = alloc (ts, T, error)))
    return FALSE;
  if (ts->adapter != NULL)
    {
      if (!(ts->dmid = alloc (ts, T * ts->rank, error)) || !(ts->xdrop = alloc (ts, T * MAX (D, MAX (Q, I)), error)))
        return FALSE;
      for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
        if (!(a->mid[t] = alloc (ts, T * ts->rank, error)))
          return FALSE;
    }
  return TRUE;
}

WhTrainStep *
wh_train_step_new (WhModel    *model,
                   WhAdapter  *adapter,
                   gsize       max_tokens,
                   GError    **error)
{
  g_autoptr(WhTrainStep) ts = NULL;
  const WhModelConfig *c = &model->config;

  g_return_val_if_fail (adapter != NULL && model->adapter == adapter, NULL);

  ts = _wh_train_step_alloc (model, adapter, max_tokens);
  ts->rank = wh_adapter_get_rank (adapter);
  ts->lora_scale = wh_adapter_get_scale (adapter);
  ts->lora = g_malloc0_n (c->n_layers, sizeof *ts->lora);

  for (guint l = 0; l < c->n_layers; l++)
    for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
      {
        const WhLoraPair *pair = wh_adapter_get_pair (adapter, l, t);
        gsize out, in;

        if (pair == NULL)
          continue;
        target_dims (c, t, &out, &in);
        for (guint b = 0; b < 2; b++)
          {
            g_autofree char *name = g_strdup_printf ("base_model.model.model.layers.%u.%s.%s.lora_%c.weight", l,
                                                     parents[t], wh_lora_target_name (t), b ? 'B' : 'A');

            if (!(ts->lora[l][t][b] = _wh_train_step_add_param (ts, name, b ? pair->b : pair->a,
                                                                b ? out : ts->rank, b ? ts->rank : in, error)))
              return NULL;
          }
      }

  if (!_wh_train_step_alloc_acts (ts, error))
    return NULL;

  /* Scratch for dequantised frozen weights, as the model sizes it. */
  if (model->scratch == NULL)
    {
      model->scratch_floats = (gsize) LM_CHUNK * c->hidden_size;
      if (!(model->scratch = wh_cl_buffer_new (ts->ctx, model->scratch_floats * sizeof (float), error)))
        return NULL;
    }

  return g_steal_pointer (&ts);
}

gboolean
wh_train_step_zero_grad (WhTrainStep  *ts,
                         GError      **error)
{
  for (guint i = 0; i < ts->params->len; i++)
    {
      WhTrainParam *p = g_ptr_array_index (ts->params, i);

      if (!wh_cl_buffer_fill_zero (p->grad, error))
        return FALSE;
    }
  return TRUE;
}

WhClBuffer *
wh_train_step_get_grad (WhTrainStep  *ts,
                        guint         layer,
                        WhLoraTarget  target,
                        gboolean      b)
{
  WhTrainParam *p;

  g_return_val_if_fail (ts->lora != NULL && layer < ts->model->config.n_layers, NULL);
  p = ts->lora[layer][target][b ? 1 : 0];
  return p != NULL ? p->grad : NULL;
}

WhClBuffer *
wh_train_step_get_weight_grad (WhTrainStep  *ts,
                               const char   *name)
{
  WhTrainParam *p = g_hash_table_lookup (ts->by_name, name);

  return p != NULL ? p->grad : NULL;
}

WhClBuffer *
wh_train_step_get_weight (WhTrainStep  *ts,
                          const char   *name)
{
  WhTrainParam *p = g_hash_table_lookup (ts->by_name, name);

  return p != NULL ? p->param : NULL;
}
