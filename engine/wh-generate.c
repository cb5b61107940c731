/* wh-generate.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wh-generate.h"

struct _WhSampler
{
  WhSamplerParams params;
  guint           vocab_size;
  GRand          *rand;
  gint32         *order;     /* vocab_size scratch */
  double         *probs;
};

void
wh_sampler_params_init (WhSamplerParams *params)
{
  memset (params, 0, sizeof *params);
  params->temperature = 0.0;
  params->top_p = 1.0;
  params->repetition_penalty = 1.0;
}

void
wh_generate_options_init (WhGenerateOptions *options)
{
  memset (options, 0, sizeof *options);
  wh_sampler_params_init (&options->sampler);
  options->max_tokens = 256;
}

WhSampler *
wh_sampler_new (const WhSamplerParams *params,
                guint                  vocab_size)
{
  WhSampler *sampler = g_new0 (WhSampler, 1);

  sampler->params = *params;
  sampler->vocab_size = vocab_size;
  sampler->rand = g_rand_new_with_seed_array ((const guint32 *) &params->seed, 2);
  sampler->order = g_new (gint32, vocab_size);
  sampler->probs = g_new (double, vocab_size);
  return sampler;
}

void
wh_sampler_free (WhSampler *sampler)
{
  if (sampler == NULL)
    return;
  g_rand_free (sampler->rand);
  g_free (sampler->order);
  g_free (sampler->probs);
  g_free (sampler);
}

static const float *sort_logits;

static int
by_logit_desc (const void *a,
               const void *b)
{
  float x = sort_logits[*(const gint32 *) a];
  float y = sort_logits[*(const gint32 *) b];

  if (x != y)
    return x > y ? -1 : 1;
  return *(const gint32 *) a - *(const gint32 *) b;
}

gint32
wh_sampler_sample (WhSampler     *sampler,
                   float         *logits,
                   const gint32  *history,
                   gsize          n_history)
{
  const WhSamplerParams *p = &sampler->params;
  guint n = sampler->vocab_size;
  guint kept;
  double total = 0, r, acc = 0;

  /* Repetition penalty, as CTRL and transformers apply it: once per
   * distinct token seen. */
  if (p->repetition_penalty > 0 && p->repetition_penalty != 1.0)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      for (gsize i = 0; i < n_history; i++)
        {
          gint32 id = history[i];

          if (id < 0 || (guint) id >= n || !g_hash_table_add (seen, GINT_TO_POINTER (id + 1)))
            continue;
          logits[id] = logits[id] > 0 ? logits[id] / p->repetition_penalty
                                      : logits[id] * p->repetition_penalty;
        }
    }

  if (p->temperature <= 0)
    {
      gint32 best = 0;

      for (guint i = 1; i < n; i++)
        if (logits[i] > logits[best])
          best = i;
      return best;
    }

  for (guint i = 0; i < n; i++)
    {
      logits[i] /= p->temperature;
      sampler->order[i] = i;
    }
  /* One sampler per thread at a time: the static is only read in qsort. */
  sort_logits = logits;
  qsort (sampler->order, n, sizeof (gint32), by_logit_desc);
  sort_logits = NULL;

  kept = p->top_k > 0 ? MIN (p->top_k, n) : n;
  for (guint i = 0; i < kept; i++)
    {
      sampler->probs[i] = exp ((double) logits[sampler->order[i]] - logits[sampler->order[0]]);
      total += sampler->probs[i];
    }

  if (p->top_p < 1.0)
    {
      double cumulative = 0;
      guint keep = 0;

      /* Keep the smallest prefix whose mass reaches top_p (at least one). */
      while (keep < kept)
        {
          cumulative += sampler->probs[keep] / total;
          keep++;
          if (cumulative >= p->top_p)
            break;
        }
      kept = keep;
      total = 0;
      for (guint i = 0; i < kept; i++)
        total += sampler->probs[i];
    }

  if (p->min_p > 0)
    {
      double threshold = p->min_p * sampler->probs[0];
      guint keep = 1;

      while (keep < kept && sampler->probs[keep] >= threshold)
        keep++;
      kept = keep;
      total = 0;
      for (guint i = 0; i < kept; i++)
        total += sampler->probs[i];
    }

  r = g_rand_double (sampler->rand) * total;
  for (guint i = 0; i < kept; i++)
    {
      acc += sampler->probs[i];
      if (r < acc)
        return sampler->order[i];
    }
  return sampler->order[kept - 1];
}

/* The length of the longest suffix of @text that begins one of the stop
 * strings: text that must wait before it is shown. */
static gsize
held_back (const char          *text,
           gsize                len,
           const char * const  *stops)
{
  gsize hold = 0;

  for (guint s = 0; stops != NULL && stops[s] != NULL; s++)
    {
      gsize sl = strlen (stops[s]);

      for (gsize k = MIN (sl - 1, len); k > hold; k--)
        if (memcmp (text + len - k, stops[s], k) == 0)
          {
            hold = k;
            break;
          }
    }
  return hold;
}

static gboolean
is_stop_id (WhTokenizer *tok,
            gint32       id)
{
  gsize n;
  const gint32 *stops;

  if (tok == NULL)
    return FALSE;
  stops = wh_tokenizer_get_stop_ids (tok, &n);
  for (gsize i = 0; i < n; i++)
    if (stops[i] == id)
      return TRUE;
  return FALSE;
}

gboolean
wh_model_generate (WhModel                 *model,
                   const gint32            *prompt,
                   gsize                    n_prompt,
                   const WhGenerateOptions *options,
                   WhGenerateFunc           func,
                   gpointer                 user_data,
                   GCancellable            *cancellable,
                   GString                 *text,
                   GArray                  *ids,
                   WhGenerateStats         *stats,
                   GError                 **error)
{
  const WhModelConfig *c = wh_model_get_config (model);
  WhTokenizer *tok = wh_model_get_tokenizer (model);
  g_autoptr(WhSampler) sampler = NULL;
  g_autoptr(WhTokenStream) stream = NULL;
  g_autoptr(GArray) history = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree float *logits = g_new (float, c->vocab_size);
  WhGenerateStats local_stats = { 0 };
  gsize shown = 0;
  gint64 t0;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (prompt != NULL && n_prompt > 0, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  sampler = wh_sampler_new (&options->sampler, c->vocab_size);
  if (tok != NULL)
    stream = wh_token_stream_new (tok, WH_DECODE_SKIP_SPECIAL | WH_DECODE_CONTINUE);
  g_array_append_vals (history, prompt, n_prompt);

  t0 = g_get_monotonic_time ();
  if (!wh_model_forward (model, prompt, n_prompt, 0, logits, 1, error))
    return FALSE;
  stats->prompt_tokens = n_prompt;
  stats->prompt_seconds = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (gsize step = 0; step < options->max_tokens; step++)
    {
      gint32 id;
      gsize pos = n_prompt + step;
      gboolean stop = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      id = wh_sampler_sample (sampler, logits, (const gint32 *) (gpointer) history->data, history->len);
      if (is_stop_id (tok, id))
        {
          stats->stopped = TRUE;
          break;
        }
      g_array_append_val (history, id);
      if (ids != NULL)
        g_array_append_val (ids, id);
      stats->generated_tokens++;

      if (stream != NULL)
        {
          gsize before = all->len;
          const char *found = NULL;

          wh_token_stream_push (stream, id, all);
          for (guint s = 0; options->stop_strings != NULL && options->stop_strings[s] != NULL; s++)
            {
              const char *hit = g_strstr_len (all->str + (before > 64 ? before - 64 : 0),
                                              -1, options->stop_strings[s]);

              if (hit != NULL && (found == NULL || hit < found))
                found = hit;
            }
          if (found != NULL)
            {
              g_string_truncate (all, found - all->str);
              stop = TRUE;
              stats->stopped = TRUE;
            }
          else
            {
              gsize hold = held_back (all->str, all->len, options->stop_strings);
              gsize ready = all->len - hold;

              if (ready > shown && func != NULL)
                {
                  g_autofree char *piece = g_strndup (all->str + shown, ready - shown);
                  func (piece, user_data);
                }
              shown = MAX (shown, ready);
            }
        }

      if (stop || step + 1 == options->max_tokens)
        break;
      if (pos + 1 > wh_model_get_n_ctx (model))
        break;
      if (!wh_model_forward (model, &id, 1, pos, logits, 1, error))
        return FALSE;
    }

  if (stream != NULL)
    {
      wh_token_stream_flush (stream, all);
      if (all->len > shown && func != NULL)
        func (all->str + shown, user_data);
    }
  stats->generate_seconds = (g_get_monotonic_time () - t0) / 1e6;

  if (text != NULL)
    g_string_append_len (text, all->str, all->len);
  return TRUE;
}
