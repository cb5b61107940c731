/* wh-bpe.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wh-tokenizer-private.h"

/* The merge table maps a pair of token ids to the rank of their merge and
 * the id of the merged token.  Open addressing with linear probing; an
 * empty slot holds EMPTY_KEY. */

#define EMPTY_KEY G_MAXUINT64

static inline guint64
pair_key (gint32 left,
          gint32 right)
{
  return ((guint64) (guint32) left << 32) | (guint32) right;
}

static inline gsize
pair_hash (guint64 key)
{
  key ^= key >> 33;
  key *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  key ^= key >> 33;
  return (gsize) key;
}

void
wh_merge_table_init (WhMergeTable *table,
                     gsize         expected)
{
  gsize capacity = 16;

  while (capacity < expected * 2)
    capacity *= 2;

  table->keys = g_new (guint64, capacity);
  memset (table->keys, 0xff, capacity * sizeof (guint64));
  table->values = g_new0 (guint64, capacity);
  table->mask = capacity - 1;
  table->n_items = 0;
}

void
wh_merge_table_clear (WhMergeTable *table)
{
  g_clear_pointer (&table->keys, g_free);
  g_clear_pointer (&table->values, g_free);
  table->mask = 0;
  table->n_items = 0;
}

static void
grow (WhMergeTable *table)
{
  WhMergeTable bigger;
  gsize capacity = table->mask + 1;

  wh_merge_table_init (&bigger, capacity);
  for (gsize i = 0; i < capacity; i++)
    if (table->keys[i] != EMPTY_KEY)
      {
        gsize slot = pair_hash (table->keys[i]) & bigger.mask;

        while (bigger.keys[slot] != EMPTY_KEY)
          slot = (slot + 1) & bigger.mask;
        bigger.keys[slot] = table->keys[i];
        bigger.values[slot] = table->values[i];
        bigger.n_items++;
      }

  wh_merge_table_clear (table);
  *table = bigger;
}

void
wh_merge_table_insert (WhMergeTable *table,
                       gint32        left,
                       gint32        right,
                       guint32       rank,
                       gint32        merged)
{
  guint64 key = pair_key (left, right);
  gsize slot;

  if (table->keys == NULL)
    wh_merge_table_init (table, 16);
  if ((table->n_items + 1) * 2 > table->mask + 1)
    grow (table);

  slot = pair_hash (key) & table->mask;
  while (table->keys[slot] != EMPTY_KEY)
    {
      if (table->keys[slot] == key)
        return;
      slot = (slot + 1) & table->mask;
    }

  table->keys[slot] = key;
  table->values[slot] = ((guint64) rank << 32) | (guint32) merged;
  table->n_items++;
}

gboolean
wh_merge_table_lookup (const WhMergeTable *table,
                       gint32              left,
                       gint32              right,
                       guint32            *rank,
                       gint32             *merged)
{
  guint64 key = pair_key (left, right);
  gsize slot;

  if (table->keys == NULL)
    return FALSE;

  slot = pair_hash (key) & table->mask;
  for (;;)
    {
      guint64 k = table->keys[slot];

      if (k == key)
        {
          *rank = (guint32) (table->values[slot] >> 32);
          *merged = (gint32) (guint32) table->values[slot];
          return TRUE;
        }
      if (k == EMPTY_KEY)
        return FALSE;
      slot = (slot + 1) & table->mask;
    }
}

/* BPE: repeatedly merge the adjacent pair of lowest rank, the leftmost
 * among equals.  Symbols form a linked list; candidate pairs sit in a
 * binary heap ordered by (rank, position) and are checked for staleness
 * when they come out. */

typedef struct
{
  guint32 rank;
  guint32 left;       /* symbol index */
  gint32  left_id;    /* ids when queued, to detect stale entries */
  gint32  right_id;
  guint32 right;
  gint32  merged;
} Candidate;

typedef struct
{
  gint32 prev;
  gint32 next;
} Link;

static inline gboolean
candidate_before (const Candidate *a,
                  const Candidate *b)
{
  return a->rank < b->rank || (a->rank == b->rank && a->left < b->left);
}

static void
heap_push (GArray          *heap,
           const Candidate *c)
{
  Candidate *items;
  gsize i;

  g_array_append_val (heap, *c);
  items = (Candidate *) (gpointer) heap->data;
  i = heap->len - 1;
  while (i > 0)
    {
      gsize parent = (i - 1) / 2;
      Candidate tmp;

      if (!candidate_before (&items[i], &items[parent]))
        break;
      tmp = items[i];
      items[i] = items[parent];
      items[parent] = tmp;
      i = parent;
    }
}

static Candidate
heap_pop (GArray *heap)
{
  Candidate *items = (Candidate *) (gpointer) heap->data;
  Candidate top = items[0];
  gsize n = heap->len - 1;
  gsize i = 0;

  items[0] = items[n];
  g_array_set_size (heap, n);

  for (;;)
    {
      gsize l = 2 * i + 1, r = l + 1, best = i;
      Candidate tmp;

      if (l < n && candidate_before (&items[l], &items[best]))
        best = l;
      if (r < n && candidate_before (&items[r], &items[best]))
        best = r;
      if (best == i)
        break;
      tmp = items[i];
      items[i] = items[best];
      items[best] = tmp;
      i = best;
    }

  return top;
}

static inline void
try_pair (const WhMergeTable *table,
          GArray             *heap,
          const gint32       *ids,
          gint32              left,
          gint32              right)
{
  Candidate c;

  if (left < 0 || right < 0 || ids[left] < 0 || ids[right] < 0)
    return;
  if (!wh_merge_table_lookup (table, ids[left], ids[right], &c.rank, &c.merged))
    return;

  c.left = left;
  c.right = right;
  c.left_id = ids[left];
  c.right_id = ids[right];
  heap_push (heap, &c);
}

GArray *
wh_bpe_scratch_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Candidate));
}

gsize
wh_bpe_merge (const WhMergeTable *table,
              gint32             *ids,
              guint32            *lens,
              gsize               n,
              GArray             *scratch)
{
  g_autofree Link *links = NULL;
  gsize out = 0;

  if (n < 2)
    return n;

  g_array_set_size (scratch, 0);
  links = g_new (Link, n);
  for (gsize i = 0; i < n; i++)
    {
      links[i].prev = (gint32) i - 1;
      links[i].next = i + 1 < n ? (gint32) i + 1 : -1;
    }

  for (gsize i = 0; i + 1 < n; i++)
    try_pair (table, scratch, ids, i, i + 1);

  while (scratch->len > 0)
    {
      Candidate c = heap_pop (scratch);

      /* Stale: a side was merged away or changed since queued. */
      if (lens[c.left] == 0 || lens[c.right] == 0 ||
          links[c.left].next != (gint32) c.right ||
          ids[c.left] != c.left_id || ids[c.right] != c.right_id)
        continue;

      ids[c.left] = c.merged;
      lens[c.left] += lens[c.right];
      lens[c.right] = 0;
      links[c.left].next = links[c.right].next;
      if (links[c.right].next >= 0)
        links[links[c.right].next].prev = c.left;

      try_pair (table, scratch, ids, links[c.left].prev, c.left);
      try_pair (table, scratch, ids, c.left, links[c.left].next);
    }

  for (gsize i = 0; i < n; i++)
    if (lens[i] > 0)
      {
        ids[out] = ids[i];
        lens[out] = lens[i];
        out++;
      }

  return out;
}
