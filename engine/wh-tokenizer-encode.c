/* wh-tokenizer-encode.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-tokenizer-private.h"

/* Text fragments → ids (wh-tokenizer-added.c cuts the text into
 * fragments at added tokens first).  Each fragment is normalised,
 * pre-tokenised into pieces, and each piece becomes tokens by BPE.  Pieces
 * go through a bounded cache: English repeats its words. */

#define CACHE_MAX_ENTRIES 65536
#define CACHE_MAX_PIECE   48
#define SPACE_MARK        "\xe2\x96\x81"   /* U+2581 ▁ */
#define SPACE_MARK_LEN    3

struct _WhEncoder
{
  WhTokenizer *tok;
  GArray      *ids;        /* gint32, output */
  GArray      *offsets;    /* guint32 pairs, output; NULL when not tracked */
  GArray      *bpe_scratch;
  GArray      *regex_scratch;
  GString     *norm;       /* the normalised fragment */
  GArray      *map;        /* norm byte → original byte, when tracking */
  GArray      *cps;        /* gunichar */
  GArray      *types;      /* guint8 */
  GArray      *cp_bytes;   /* guint32: byte offset of each code point in norm, plus the end */
  GArray      *pieces;     /* guint32 pairs: code point ranges */
  GArray      *pieces_next;
  GArray      *sym_ids;    /* gint32 */
  GArray      *sym_lens;   /* guint32 */
};

typedef WhEncoder Encoder;

WhEncoder *
_wh_encoder_new (WhTokenizer *tok,
                 GArray      *ids,
                 GArray      *offsets)
{
  WhEncoder *e = g_new0 (WhEncoder, 1);

  e->tok = tok;
  e->ids = ids;
  e->offsets = offsets;
  e->bpe_scratch = wh_bpe_scratch_new ();
  e->regex_scratch = wh_regex_scratch_new ();
  e->norm = g_string_new (NULL);
  e->map = offsets != NULL ? g_array_new (FALSE, FALSE, sizeof (guint32)) : NULL;
  e->cps = g_array_new (FALSE, FALSE, sizeof (gunichar));
  e->types = g_array_new (FALSE, FALSE, sizeof (guint8));
  e->cp_bytes = g_array_new (FALSE, FALSE, sizeof (guint32));
  e->pieces = g_array_new (FALSE, FALSE, sizeof (guint32) * 2);
  e->pieces_next = g_array_new (FALSE, FALSE, sizeof (guint32) * 2);
  e->sym_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  e->sym_lens = g_array_new (FALSE, FALSE, sizeof (guint32));

  return e;
}

void
_wh_encoder_free (WhEncoder *e)
{
  g_array_unref (e->bpe_scratch);
  g_array_unref (e->regex_scratch);
  g_string_free (e->norm, TRUE);
  if (e->map != NULL)
    g_array_unref (e->map);
  g_array_unref (e->cps);
  g_array_unref (e->types);
  g_array_unref (e->cp_bytes);
  g_array_unref (e->pieces);
  g_array_unref (e->pieces_next);
  g_array_unref (e->sym_ids);
  g_array_unref (e->sym_lens);
  g_free (e);
}

/* Appends one token covering norm bytes [a, b). */
static void
emit (Encoder *e,
      gint32   id,
      gsize    a,
      gsize    b)
{
  g_array_append_val (e->ids, id);
  if (e->offsets != NULL)
    {
      guint32 span[2] = { g_array_index (e->map, guint32, a),
                          g_array_index (e->map, guint32, b) };

      g_array_append_vals (e->offsets, span, 2);
    }
}

void
_wh_encoder_add_token (Encoder *e,
          gint32   id,
          gsize    start,
          gsize    end)
{
  g_array_append_val (e->ids, id);
  if (e->offsets != NULL)
    {
      guint32 span[2] = { start, end };

      g_array_append_vals (e->offsets, span, 2);
    }
}

/* Normalisation */

static void
norm_append (Encoder    *e,
             const char *bytes,
             gsize       length,
             guint32     orig)
{
  g_string_append_len (e->norm, bytes, length);
  if (e->map != NULL)
    for (gsize i = 0; i < length; i++)
      g_array_append_val (e->map, orig);
}

static gboolean
is_starter (gunichar cp)
{
  /* Hangul vowels and trailing consonants compose with what precedes. */
  if (cp >= 0x1160 && cp <= 0x11FF)
    return FALSE;
  return g_unichar_combining_class (cp) == 0;
}

/* NFC, run by run (a starter and what follows it), so that every
 * normalised byte maps back to the run it came from. */
static void
normalize_nfc (Encoder    *e,
               const char *text,
               gsize       start,
               gsize       end)
{
  gsize run = start;

  while (run < end)
    {
      const char *p = text + run;
      gsize next = run + (g_utf8_next_char (p) - p);
      gboolean ascii = (guchar) *p < 0x80;

      while (next < end)
        {
          gunichar cp = g_utf8_get_char (text + next);

          if (is_starter (cp))
            break;
          ascii = FALSE;
          next = g_utf8_next_char (text + next) - text;
        }

      if (ascii || next - run == 1)
        norm_append (e, text + run, next - run, run);
      else
        {
          g_autofree char *nfc = g_utf8_normalize (text + run, next - run, G_NORMALIZE_NFC);

          if (nfc != NULL)
            {
              gsize len = strlen (nfc);

              g_string_append_len (e->norm, nfc, len);
              if (e->map != NULL)
                for (gsize i = 0; i < len; i++)
                  {
                    guint32 orig = run;
                    g_array_append_val (e->map, orig);
                  }
            }
          else
            norm_append (e, text + run, next - run, run);
        }
      run = next;
    }
}

static void
map_finish (Encoder *e,
            guint32  end)
{
  if (e->map != NULL)
    g_array_append_val (e->map, end);
}

/* Pre-tokenisation */

static void
decode_norm (Encoder *e)
{
  const char *p = e->norm->str;
  const char *end = p + e->norm->len;

  g_array_set_size (e->cps, 0);
  g_array_set_size (e->types, 0);
  g_array_set_size (e->cp_bytes, 0);

  while (p < end)
    {
      gunichar cp = g_utf8_get_char (p);
      guint8 type = (guint8) g_unichar_type (cp);
      guint32 at = p - e->norm->str;

      g_array_append_val (e->cps, cp);
      g_array_append_val (e->types, type);
      g_array_append_val (e->cp_bytes, at);
      p = g_utf8_next_char (p);
    }
  {
    guint32 at = e->norm->len;
    g_array_append_val (e->cp_bytes, at);
  }
}

static void
push_piece (GArray  *pieces,
            guint32  start,
            guint32  end)
{
  guint32 span[2] = { start, end };

  if (end > start)
    g_array_append_vals (pieces, span, 1);
}

typedef struct
{
  guint32  start, end;
  gboolean is_match;
} Span;

static void
split_piece (Encoder         *e,
             const WhPreStep *step,
             guint32          start,
             guint32          end,
             GArray          *out)
{
  WhRegexText view;
  Span spans[64];
  GArray *many = NULL;
  Span *list = spans;
  gsize n = 0, cap = G_N_ELEMENTS (spans);
  gsize from = 0, ms, me;
  gboolean prev_match = FALSE;

  view.cps = &g_array_index (e->cps, gunichar, start);
  view.types = &g_array_index (e->types, guint8, start);
  view.n = end - start;

#define ADD_SPAN(a, b, m) G_STMT_START {                                 \
    if (n == cap)                                                        \
      {                                                                  \
        if (many == NULL)                                                \
          {                                                              \
            many = g_array_sized_new (FALSE, FALSE, sizeof (Span), cap * 2); \
            g_array_append_vals (many, spans, n);                        \
          }                                                              \
        g_array_set_size (many, cap * 2);                                \
        cap *= 2;                                                        \
        list = (Span *) (gpointer) many->data;                           \
      }                                                                  \
    list[n].start = start + (a);                                         \
    list[n].end = start + (b);                                           \
    list[n].is_match = (m) != step->invert;                              \
    n++;                                                                 \
  } G_STMT_END

  while (from < view.n && wh_regex_search (step->regex, &view, from, e->regex_scratch, &ms, &me))
    {
      if (ms > from)
        ADD_SPAN (from, ms, FALSE);
      ADD_SPAN (ms, me, TRUE);
      from = me;
    }
  if (from < view.n)
    ADD_SPAN (from, view.n, FALSE);
#undef ADD_SPAN

  switch (step->behavior)
    {
    case WH_SPLIT_ISOLATED:
      for (gsize i = 0; i < n; i++)
        push_piece (out, list[i].start, list[i].end);
      break;

    case WH_SPLIT_REMOVED:
      for (gsize i = 0; i < n; i++)
        if (!list[i].is_match)
          push_piece (out, list[i].start, list[i].end);
      break;

    case WH_SPLIT_MERGED_WITH_PREVIOUS:
      {
        guint base = out->len;

        for (gsize i = 0; i < n; i++)
          {
            if (list[i].is_match && !prev_match && out->len > base)
              g_array_index (out, guint32, (out->len - 1) * 2 + 1) = list[i].end;
            else
              push_piece (out, list[i].start, list[i].end);
            prev_match = list[i].is_match;
          }
      }
      break;

    case WH_SPLIT_MERGED_WITH_NEXT:
      {
        /* Walk backwards, extending the following piece. */
        guint base = out->len;
        guint count;

        for (gsize i = n; i-- > 0;)
          {
            if (list[i].is_match && !prev_match && out->len > base)
              g_array_index (out, guint32, (out->len - 1) * 2) = list[i].start;
            else
              push_piece (out, list[i].start, list[i].end);
            prev_match = list[i].is_match;
          }
        count = out->len - base;
        for (guint i = 0; i < count / 2; i++)
          {
            guint32 *a = &g_array_index (out, guint32, (base + i) * 2);
            guint32 *b = &g_array_index (out, guint32, (base + count - 1 - i) * 2);
            guint32 t0 = a[0], t1 = a[1];

            a[0] = b[0];
            a[1] = b[1];
            b[0] = t0;
            b[1] = t1;
          }
      }
      break;

    case WH_SPLIT_CONTIGUOUS:
      {
        guint base = out->len;

        for (gsize i = 0; i < n; i++)
          {
            if (list[i].is_match == prev_match && out->len > base)
              g_array_index (out, guint32, (out->len - 1) * 2 + 1) = list[i].end;
            else
              push_piece (out, list[i].start, list[i].end);
            prev_match = list[i].is_match;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (many != NULL)
    g_array_unref (many);
}

static void
pre_tokenize (Encoder *e)
{
  WhTokenizer *tok = e->tok;

  g_array_set_size (e->pieces, 0);
  push_piece (e->pieces, 0, e->cps->len);

  for (guint s = 0; s < tok->pre_steps->len; s++)
    {
      const WhPreStep *step = &g_array_index (tok->pre_steps, WhPreStep, s);
      GArray *tmp;

      g_array_set_size (e->pieces_next, 0);
      for (guint i = 0; i < e->pieces->len; i++)
        split_piece (e, step,
                     g_array_index (e->pieces, guint32, 2 * i),
                     g_array_index (e->pieces, guint32, 2 * i + 1),
                     e->pieces_next);
      tmp = e->pieces;
      e->pieces = e->pieces_next;
      e->pieces_next = tmp;
    }
}

/* Models */

static void
emit_symbols (Encoder *e,
              gsize    n,
              gsize    base)
{
  WhTokenizer *tok = e->tok;
  gboolean prev_unk = FALSE;
  gsize at = base;

  for (gsize i = 0; i < n; i++)
    {
      gint32 id = g_array_index (e->sym_ids, gint32, i);
      guint32 len = g_array_index (e->sym_lens, guint32, i);

      if (id < 0)
        id = tok->unk;
      if (id >= 0)
        {
          gboolean is_unk = id == tok->unk;

          if (is_unk && prev_unk && tok->fuse_unk)
            {
              if (e->offsets != NULL)
                g_array_index (e->offsets, guint32, e->offsets->len - 1) =
                  g_array_index (e->map, guint32, at + len);
            }
          else
            emit (e, id, at, at + len);
          prev_unk = is_unk;
        }
      at += len;
    }
}

/* Initial symbols of a byte-level piece: one per byte, or the whole piece
 * when merges are ignored for words in the vocabulary (Llama 3). */
static void
symbols_byte_level (Encoder      *e,
                    const guchar *bytes,
                    gsize         len)
{
  WhTokenizer *tok = e->tok;

  if (tok->ignore_merges)
    {
      g_autoptr(GString) mapped = g_string_sized_new (len * 2);
      gint32 whole;

      for (gsize i = 0; i < len; i++)
        g_string_append_unichar (mapped, tok->byte_to_cp[bytes[i]]);
      whole = _wh_tokenizer_find (tok, mapped->str, mapped->len);
      if (whole >= 0)
        {
          guint32 l = len;

          g_array_append_val (e->sym_ids, whole);
          g_array_append_val (e->sym_lens, l);
          return;
        }
    }

  for (gsize i = 0; i < len; i++)
    {
      guint32 one = 1;

      g_array_append_val (e->sym_ids, tok->byte_ids[bytes[i]]);
      g_array_append_val (e->sym_lens, one);
    }
}

/* Initial symbols of a SentencePiece piece: one per character, or its
 * bytes (<0xXX>) when the character is not in the vocabulary. */
static void
symbols_sentencepiece (Encoder    *e,
                       const char *p,
                       const char *end)
{
  WhTokenizer *tok = e->tok;

  while (p < end)
    {
      const char *next = g_utf8_next_char (p);
      guint32 len = next - p;
      gint32 id = _wh_tokenizer_find (tok, p, len);

      if (id >= 0 || !tok->byte_fallback)
        {
          g_array_append_val (e->sym_ids, id);
          g_array_append_val (e->sym_lens, len);
        }
      else
        for (guint32 i = 0; i < len; i++)
          {
            guint32 one = 1;

            id = tok->byte_ids[(guchar) p[i]];
            g_array_append_val (e->sym_ids, id);
            g_array_append_val (e->sym_lens, one);
          }
      p = next;
    }
}

/* A piece's shard of the cache: a cheap mix of its length and two of
 * its bytes spreads the pieces well enough. */
static inline WhBpeCacheShard *
cache_shard (WhTokenizer *tok,
             const char  *bytes,
             gsize        len)
{
  guint32 h = (guint32) len * 0x9E3779B1u;

  if (len > 0)
    h ^= (guchar) bytes[len - 1] * 0x85EBCA6Bu ^ (guchar) bytes[len / 2] * 0xC2B2AE35u;
  return &tok->cache[(h >> 16) % WH_BPE_CACHE_SHARDS];
}

/* One piece through BPE, with a bounded cache of recent pieces. */
static void
bpe_piece (Encoder *e,
           gsize    a,
           gsize    b)
{
  WhTokenizer *tok = e->tok;
  const char *bytes = e->norm->str + a;
  gsize len = b - a;
  gsize n;
  char key_buf[CACHE_MAX_PIECE + 1];
  gboolean cacheable = len <= CACHE_MAX_PIECE;
  WhBpeCacheShard *shard = cacheable ? cache_shard (tok, bytes, len) : NULL;

  g_array_set_size (e->sym_ids, 0);
  g_array_set_size (e->sym_lens, 0);

  if (cacheable)
    {
      WhBpeCacheEntry *hit;

      memcpy (key_buf, bytes, len);
      key_buf[len] = '\0';
      g_mutex_lock (&shard->lock);
      hit = g_hash_table_lookup (shard->table, key_buf);
      if (hit != NULL)
        {
          g_array_append_vals (e->sym_ids, hit->ids, hit->n);
          g_array_append_vals (e->sym_lens, hit->lens, hit->n);
        }
      g_mutex_unlock (&shard->lock);
      if (hit != NULL)
        {
          emit_symbols (e, e->sym_ids->len, a);
          return;
        }
    }

  if (tok->kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    symbols_byte_level (e, (const guchar *) bytes, len);
  else
    symbols_sentencepiece (e, bytes, bytes + len);

  n = wh_bpe_merge (&tok->merges,
                    (gint32 *) (gpointer) e->sym_ids->data,
                    (guint32 *) (gpointer) e->sym_lens->data,
                    e->sym_ids->len, e->bpe_scratch);

  if (cacheable)
    {
      WhBpeCacheEntry *entry = g_new (WhBpeCacheEntry, 1);

      entry->n = n;
      entry->ids = g_memdup2 (e->sym_ids->data, n * sizeof (gint32));
      entry->lens = g_memdup2 (e->sym_lens->data, n * sizeof (guint32));
      g_mutex_lock (&shard->lock);
      if (g_hash_table_size (shard->table) >= CACHE_MAX_ENTRIES / WH_BPE_CACHE_SHARDS)
        g_hash_table_remove_all (shard->table);
      g_hash_table_replace (shard->table, g_strdup (key_buf), entry);
      g_mutex_unlock (&shard->lock);
    }

  emit_symbols (e, n, a);
}

static void
encode_byte_level (Encoder    *e,
                   const char *text,
                   gsize       start,
                   gsize       end)
{
  WhTokenizer *tok = e->tok;

  g_string_truncate (e->norm, 0);
  if (e->map != NULL)
    g_array_set_size (e->map, 0);

  if (tok->byte_level_prefix_space && text[start] != ' ')
    norm_append (e, " ", 1, start);
  if (tok->nfc)
    normalize_nfc (e, text, start, end);
  else
    norm_append (e, text + start, end - start, 0);
  if (e->map != NULL && !tok->nfc)
    {
      /* Identity, shifted to the fragment. */
      guint first = tok->byte_level_prefix_space && text[start] != ' ' ? 1 : 0;

      for (guint i = first; i < e->map->len; i++)
        g_array_index (e->map, guint32, i) = start + (i - first);
    }
  map_finish (e, end);

  decode_norm (e);
  pre_tokenize (e);

  for (guint i = 0; i < e->pieces->len; i++)
    {
      guint32 cs = g_array_index (e->pieces, guint32, 2 * i);
      guint32 ce = g_array_index (e->pieces, guint32, 2 * i + 1);

      bpe_piece (e,
                 g_array_index (e->cp_bytes, guint32, cs),
                 g_array_index (e->cp_bytes, guint32, ce));
    }
}

static void
encode_sentencepiece (Encoder    *e,
                      const char *text,
                      gsize       start,
                      gsize       end)
{
  WhTokenizer *tok = e->tok;
  gboolean prepend;
  gsize piece;

  g_string_truncate (e->norm, 0);
  if (e->map != NULL)
    g_array_set_size (e->map, 0);

  /* Metaspace's "first" scheme: only at the start of the text, and not
   * when the text already starts with a space. */
  prepend = tok->spm_prepend_always ||
            (tok->spm_prepend_first && start == 0 && text[start] != ' ' &&
             !(end - start >= SPACE_MARK_LEN && memcmp (text + start, SPACE_MARK, SPACE_MARK_LEN) == 0));
  if (prepend)
    norm_append (e, SPACE_MARK, SPACE_MARK_LEN, start);

  for (gsize i = start; i < end; i++)
    {
      if (text[i] == ' ')
        norm_append (e, SPACE_MARK, SPACE_MARK_LEN, i);
      else
        {
          gsize j = i;

          while (j < end && text[j] != ' ')
            j++;
          if (e->map != NULL)
            for (gsize k = i; k < j; k++)
              {
                guint32 orig = k;
                g_array_append_val (e->map, orig);
              }
          g_string_append_len (e->norm, text + i, j - i);
          i = j - 1;
        }
    }
  map_finish (e, end);

  piece = 0;
  if (tok->spm_split)
    {
      /* Metaspace split: each piece starts at a ▁. */
      for (gsize i = SPACE_MARK_LEN; i + SPACE_MARK_LEN <= e->norm->len; i++)
        if (memcmp (e->norm->str + i, SPACE_MARK, SPACE_MARK_LEN) == 0)
          {
            bpe_piece (e, piece, i);
            piece = i;
            i += SPACE_MARK_LEN - 1;
          }
    }
  else if (tok->spm_words)
    {
      /* No token has a ▁ after another character, so no merge crosses
       * the start of a word: words can go through BPE (and the cache)
       * one by one with the same result. */
      for (gsize i = 1; i + SPACE_MARK_LEN <= e->norm->len; i++)
        if (memcmp (e->norm->str + i, SPACE_MARK, SPACE_MARK_LEN) == 0)
          {
            if (i >= SPACE_MARK_LEN && memcmp (e->norm->str + i - SPACE_MARK_LEN, SPACE_MARK, SPACE_MARK_LEN) == 0)
              {
                i += SPACE_MARK_LEN - 1;
                continue;
              }
            bpe_piece (e, piece, i);
            piece = i;
            i += SPACE_MARK_LEN - 1;
          }
    }
  if (piece < e->norm->len)
    bpe_piece (e, piece, e->norm->len);
}

void
_wh_encoder_add_text (Encoder    *e,
             const char *text,
             gsize       start,
             gsize       end)
{
  if (end <= start)
    return;
  if (e->tok->kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    encode_byte_level (e, text, start, end);
  else
    encode_sentencepiece (e, text, start, end);
}
