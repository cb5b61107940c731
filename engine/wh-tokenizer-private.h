/* wh-tokenizer-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "wh-regex.h"
#include "wh-tokenizer.h"

G_BEGIN_DECLS

/* Token types, numbered as GGUF's tokenizer.ggml.token_type. */
typedef enum
{
  WH_TOKEN_NORMAL       = 1,
  WH_TOKEN_UNKNOWN      = 2,
  WH_TOKEN_CONTROL      = 3,
  WH_TOKEN_USER_DEFINED = 4,
  WH_TOKEN_UNUSED       = 5,
  WH_TOKEN_BYTE         = 6,
} WhTokenType;

/* A token matched in the text before the model runs. */
typedef struct
{
  char     *content;
  gsize     length;
  gint32    id;
  gboolean  special;      /* matched only with WH_ENCODE_PARSE_SPECIAL */
  gboolean  lstrip;
  gboolean  rstrip;
  gboolean  single_word;
} WhAddedToken;

/* One pre-tokenizer step: splits every piece further. */
typedef enum
{
  WH_SPLIT_ISOLATED,
  WH_SPLIT_REMOVED,
  WH_SPLIT_MERGED_WITH_PREVIOUS,
  WH_SPLIT_MERGED_WITH_NEXT,
  WH_SPLIT_CONTIGUOUS,
} WhSplitBehavior;

typedef struct
{
  WhRegex         *regex;
  WhSplitBehavior  behavior;
  gboolean         invert;
} WhPreStep;

/* Merges: (left id, right id) → (rank, merged id), open addressing. */
typedef struct
{
  guint64 *keys;
  guint64 *values;
  gsize    mask;
  gsize    n_items;
} WhMergeTable;

void     wh_merge_table_init   (WhMergeTable *table,
                                gsize         expected);
void     wh_merge_table_clear  (WhMergeTable *table);
/* Keeps the first (lowest-rank) entry for a pair. */
void     wh_merge_table_insert (WhMergeTable *table,
                                gint32        left,
                                gint32        right,
                                guint32       rank,
                                gint32        merged);
gboolean wh_merge_table_lookup (const WhMergeTable *table,
                                gint32        left,
                                gint32        right,
                                guint32      *rank,
                                gint32       *merged);

typedef struct
{
  guint    n;
  gint32  *ids;
  guint32 *lens;
} WhBpeCacheEntry;

/* The piece cache is cut into shards, each with its own lock and on its
 * own cache line, so that threads encoding with one tokenizer seldom
 * wait for each other. */
#define WH_BPE_CACHE_SHARDS 16

typedef struct
{
  GMutex      lock;
  GHashTable *table;      /* piece → WhBpeCacheEntry */
  guint8      pad[64 - sizeof (GMutex) - sizeof (GHashTable *)];
} WhBpeCacheShard;

GArray  *wh_bpe_scratch_new    (void);

/* Runs BPE over the initial symbols @ids (each @lens bytes long, both
 * arrays of @n and rewritten in place); returns the number of symbols
 * left.  @scratch is reused between calls. */
gsize    wh_bpe_merge          (const WhMergeTable *table,
                                gint32       *ids,
                                guint32      *lens,
                                gsize         n,
                                GArray       *scratch);

struct _WhTokenizer
{
  gint             ref_count;
  WhTokenizerKind  kind;
  char            *source;          /* display name, for messages */

  /* Vocabulary */
  guint            n_vocab;
  char           **tokens;          /* NUL-terminated, in @chunk */
  guint32         *token_lens;
  guint8          *token_types;     /* WhTokenType */
  GStringChunk    *chunk;
  GHashTable      *token_to_id;     /* char* → GINT_TO_POINTER (id + 1) */
  WhMergeTable     merges;
  gboolean         ignore_merges;
  gboolean         byte_fallback;
  gboolean         fuse_unk;

  /* Byte-level: byte ↔ code point */
  gunichar         byte_to_cp[256];
  GHashTable      *cp_to_byte;      /* code point → byte + 1 */
  gint32           byte_ids[256];   /* single-byte token (byte-level char or <0xXX>) */

  /* Normalisation and pre-tokenisation */
  gboolean         nfc;
  gboolean         spm_prepend_always;  /* legacy normaliser: Prepend("▁") */
  gboolean         spm_prepend_first;   /* Metaspace prepend_scheme "first" */
  gboolean         spm_split;           /* Metaspace split */
  gboolean         spm_words;           /* no token has ▁ inside: words are independent */
  gboolean         byte_level_prefix_space;
  gboolean         decode_strip_space;  /* the decoder drops the first space */
  GArray          *pre_steps;       /* WhPreStep */

  /* Added tokens, by first byte, longest first */
  GPtrArray       *added;           /* WhAddedToken */
  GPtrArray       *added_by_byte[256];

  /* Special ids and rules */
  gint32           bos, eos, unk, pad;
  GArray          *prefix_ids;      /* added by WH_ENCODE_ADD_SPECIAL */
  GArray          *suffix_ids;
  GArray          *stop_ids;
  char            *chat_template;

  /* Piece → ids cache for BPE */
  WhBpeCacheShard  cache[WH_BPE_CACHE_SHARDS];
};

WhTokenizer *_wh_tokenizer_new            (WhTokenizerKind  kind,
                                           const char      *source);
/* Sets the vocabulary: @n tokens, texts of @lens bytes.  Texts with an
 * embedded NUL are kept but cannot be looked up. */
void         _wh_tokenizer_set_vocab      (WhTokenizer     *self,
                                           guint            n);
void         _wh_tokenizer_set_token      (WhTokenizer     *self,
                                           guint            id,
                                           const char      *text,
                                           gsize            length,
                                           WhTokenType      type);
void         _wh_tokenizer_add_added      (WhTokenizer     *self,
                                           const WhAddedToken *token);
gboolean     _wh_tokenizer_add_pre_regex  (WhTokenizer     *self,
                                           const char      *pattern,
                                           WhSplitBehavior  behavior,
                                           gboolean         invert,
                                           GError         **error);
/* Finishes loading: byte tables, added-token index, stop ids.  Fails on
 * inconsistent data, naming @self->source. */
gboolean     _wh_tokenizer_finish         (WhTokenizer     *self,
                                           GError         **error);
gint32       _wh_tokenizer_find           (WhTokenizer     *self,
                                           const char      *text,
                                           gsize            length);
void         _wh_tokenizer_add_stop_id    (WhTokenizer     *self,
                                           gint32           id);

/* The GPT-2 pre-tokenizer pattern, used by ByteLevel(use_regex). */
extern const char *const wh_gpt2_pattern;

/* Turns text fragments into tokens, tracking byte offsets into the
 * original text when @offsets (guint32 pairs) is given. */
typedef struct _WhEncoder WhEncoder;

WhEncoder   *_wh_encoder_new              (WhTokenizer     *tok,
                                           GArray          *ids,
                                           GArray          *offsets);
void         _wh_encoder_free             (WhEncoder       *encoder);
void         _wh_encoder_add_token        (WhEncoder       *encoder,
                                           gint32           id,
                                           gsize            start,
                                           gsize            end);
/* Encodes [start, end) of @text, which holds no added token. */
void         _wh_encoder_add_text         (WhEncoder       *encoder,
                                           const char      *text,
                                           gsize            start,
                                           gsize            end);

/* A JSON file's root, or NULL: with @optional, also (without an error)
 * when the file does not exist. */
JsonNode    *_wh_tokenizer_read_json      (const char      *path,
                                           gboolean         optional,
                                           GError         **error);
gboolean     _wh_tokenizer_load_companions (WhTokenizer    *tok,
                                            const char     *dir,
                                            GError        **error);

WhTokenizer *_wh_tokenizer_load_json      (const char      *path,
                                           GError         **error);

G_END_DECLS
