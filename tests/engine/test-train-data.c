/* test-train-data.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "wh-train-data.h"

/* A sequence of @len tokens numbered from @first, the last without a
 * target, as wh_train_data_read() makes them. */
static WhTrainSequence *
sequence (gint32 first,
          guint  len)
{
  WhTrainSequence *s = g_new0 (WhTrainSequence, 1);

  s->ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  s->targets = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint t = 0; t < len; t++)
    {
      gint32 id = first + t, target = t + 1 < len ? id + 1 : -1;

      g_array_append_val (s->ids, id);
      g_array_append_val (s->targets, target);
      s->n_targets += target >= 0;
    }
  return s;
}

/* Every example lands in exactly one pack, whole, with its own segment
 * id, and no pack is over the limit. */
static void
test_pack_whole (void)
{
  static const guint lengths[] = { 5, 9, 3, 10, 1, 7, 2, 9, 4, 6, 8, 10 };
  const gsize max_len = 12;
  g_autoptr(GPtrArray) seqs = g_ptr_array_new_with_free_func (wh_train_sequence_free);
  g_autoptr(GPtrArray) packs = NULL;
  guint seen[G_N_ELEMENTS (lengths)] = { 0 };
  guint n_targets = 0, packed_targets = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_ptr_array_add (seqs, sequence (1000 * (i + 1), lengths[i]));
      n_targets += ((WhTrainSequence *) g_ptr_array_index (seqs, i))->n_targets;
    }

  packs = wh_train_data_pack (seqs, max_len);
  /* 74 tokens need at least 7 packs of 12; first fit decreasing gets 7. */
  g_assert_cmpuint (packs->len, ==, 7);

  for (guint p = 0; p < packs->len; p++)
    {
      WhTrainSequence *pack = g_ptr_array_index (packs, p);
      const gint32 *ids = (const gint32 *) (gpointer) pack->ids->data;
      const gint32 *targets = (const gint32 *) (gpointer) pack->targets->data;
      const gint32 *seg = (const gint32 *) (gpointer) pack->seg->data;

      g_assert_cmpuint (pack->ids->len, <=, max_len);
      g_assert_cmpuint (pack->seg->len, ==, pack->ids->len);
      g_assert_cmpuint (pack->targets->len, ==, pack->ids->len);
      g_assert_cmpint (seg[0], ==, 0);
      packed_targets += pack->n_targets;

      for (guint t = 0; t < pack->ids->len;)
        {
          guint example = ids[t] / 1000 - 1, len = lengths[example];

          /* The example starts here and runs whole, in one segment; its
           * last token has no target, so nothing is learned across. */
          g_assert_cmpint (ids[t], ==, 1000 * (example + 1));
          g_assert_cmpuint (t + len, <=, pack->ids->len);
          for (guint k = 0; k < len; k++)
            {
              g_assert_cmpint (ids[t + k], ==, 1000 * (example + 1) + (gint32) k);
              g_assert_cmpint (seg[t + k], ==, seg[t]);
            }
          g_assert_cmpint (targets[t + len - 1], ==, -1);
          if (t > 0)
            g_assert_cmpint (seg[t], ==, seg[t - 1] + 1);
          seen[example]++;
          t += len;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    g_assert_cmpuint (seen[i], ==, 1);
  g_assert_cmpuint (packed_targets, ==, n_targets);
}

/* The same input packs the same way; an example as long as the limit
 * gets a pack of its own. */
static void
test_pack_deterministic (void)
{
  g_autoptr(GPtrArray) seqs = g_ptr_array_new_with_free_func (wh_train_sequence_free);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;

  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (seqs, sequence (1000 * (i + 1), 1 + (i * 7) % 16));
  g_ptr_array_add (seqs, sequence (99000, 16));

  a = wh_train_data_pack (seqs, 16);
  b = wh_train_data_pack (seqs, 16);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint p = 0; p < a->len; p++)
    {
      WhTrainSequence *x = g_ptr_array_index (a, p), *y = g_ptr_array_index (b, p);

      g_assert_cmpmem (x->ids->data, x->ids->len * sizeof (gint32), y->ids->data, y->ids->len * sizeof (gint32));
      g_assert_cmpmem (x->seg->data, x->seg->len * sizeof (gint32), y->seg->data, y->seg->len * sizeof (gint32));
    }

  /* Packing leaves its input as it was. */
  g_assert_null (((WhTrainSequence *) g_ptr_array_index (seqs, 0))->seg);
  g_assert_cmpuint (((WhTrainSequence *) g_ptr_array_index (seqs, 0))->ids->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/train-data/pack/whole", test_pack_whole);
  g_test_add_func ("/train-data/pack/deterministic", test_pack_deterministic);

  return g_test_run ();
}
