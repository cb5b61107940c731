/* test-sampler.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "wh-generate.h"

/* Sampling on host logits: each filter against its definition. */

#define VOCAB 6

static gint32
sample (const WhSamplerParams *params,
        const float           *logits_in,
        const gint32          *history,
        gsize                  n_history)
{
  g_autoptr(WhSampler) sampler = wh_sampler_new (params, VOCAB);
  float logits[VOCAB];

  memcpy (logits, logits_in, sizeof logits);
  return wh_sampler_sample (sampler, logits, history, n_history);
}

static void
test_greedy (void)
{
  WhSamplerParams p;
  const float logits[VOCAB] = { 0.1f, 2.0f, -1.0f, 2.0f, 0.5f, 1.9f };

  wh_sampler_params_init (&p);
  /* The first of equal maxima, as argmax does. */
  g_assert_cmpint (sample (&p, logits, NULL, 0), ==, 1);

  /* The repetition penalty divides positive logits once per distinct token. */
  p.repetition_penalty = 2.0;
  {
    const gint32 history[] = { 1, 1, 3 };

    g_assert_cmpint (sample (&p, logits, history, G_N_ELEMENTS (history)), ==, 5);
  }
}

/* Counts over many draws: only allowed tokens appear, roughly in
 * proportion. */
static void
count_draws (const WhSamplerParams *params,
             const float           *logits_in,
             guint                  draws,
             guint                 *counts)
{
  g_autoptr(WhSampler) sampler = wh_sampler_new (params, VOCAB);

  memset (counts, 0, VOCAB * sizeof (guint));
  for (guint i = 0; i < draws; i++)
    {
      float logits[VOCAB];

      memcpy (logits, logits_in, sizeof logits);
      counts[wh_sampler_sample (sampler, logits, NULL, 0)]++;
    }
}

static void
test_filters (void)
{
  /* Probabilities at temperature 1: softmax of these. */
  const float logits[VOCAB] = { 3.0f, 2.0f, 1.0f, 0.0f, -1.0f, -2.0f };
  double probs[VOCAB], total = 0;
  guint counts[VOCAB];
  WhSamplerParams p;

  for (guint i = 0; i < VOCAB; i++)
    total += probs[i] = exp (logits[i]);
  for (guint i = 0; i < VOCAB; i++)
    probs[i] /= total;

  wh_sampler_params_init (&p);
  p.temperature = 1.0;
  p.seed = 42;

  count_draws (&p, logits, 20000, counts);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat (fabs (counts[i] / 20000.0 - probs[i]), <, 0.02);

  p.top_k = 2;
  count_draws (&p, logits, 4000, counts);
  g_assert_cmpuint (counts[0] + counts[1], ==, 4000);
  g_assert_cmpuint (counts[1], >, 0);

  /* top_p 0.8: p0 ≈ 0.64 < 0.8, p0 + p1 ≈ 0.88 ≥ 0.8: two tokens. */
  p.top_k = 0;
  p.top_p = 0.8;
  count_draws (&p, logits, 4000, counts);
  g_assert_cmpuint (counts[0] + counts[1], ==, 4000);

  /* min_p 0.3: p1 / p0 = e⁻¹ ≈ 0.37 kept, p2 / p0 ≈ 0.14 dropped. */
  p.top_p = 1.0;
  p.min_p = 0.3;
  count_draws (&p, logits, 4000, counts);
  g_assert_cmpuint (counts[0] + counts[1], ==, 4000);

  /* Low temperature sharpens towards the maximum. */
  p.min_p = 0;
  p.temperature = 0.05;
  count_draws (&p, logits, 1000, counts);
  g_assert_cmpuint (counts[0], ==, 1000);
}

static void
test_seed (void)
{
  const float logits[VOCAB] = { 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.0f };
  WhSamplerParams p;
  gint32 a[50], b[50], c[50];

  wh_sampler_params_init (&p);
  p.temperature = 1.0;
  p.seed = 7;
  {
    g_autoptr(WhSampler) s1 = wh_sampler_new (&p, VOCAB);
    g_autoptr(WhSampler) s2 = wh_sampler_new (&p, VOCAB);

    for (guint i = 0; i < 50; i++)
      {
        float l1[VOCAB], l2[VOCAB];

        memcpy (l1, logits, sizeof l1);
        memcpy (l2, logits, sizeof l2);
        a[i] = wh_sampler_sample (s1, l1, NULL, 0);
        b[i] = wh_sampler_sample (s2, l2, NULL, 0);
      }
  }
  p.seed = 8;
  {
    g_autoptr(WhSampler) s3 = wh_sampler_new (&p, VOCAB);

    for (guint i = 0; i < 50; i++)
      {
        float l3[VOCAB];

        memcpy (l3, logits, sizeof l3);
        c[i] = wh_sampler_sample (s3, l3, NULL, 0);
      }
  }
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_true (memcmp (a, c, sizeof a) != 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sampler/greedy", test_greedy);
  g_test_add_func ("/sampler/filters", test_filters);
  g_test_add_func ("/sampler/seed", test_seed);

  return g_test_run ();
}
