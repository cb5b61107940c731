/* wh-tokenizer.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-chat-template.h"
#include "wh-gguf.h"

G_BEGIN_DECLS

/* Tokenizers that agree token for token with Hugging Face tokenizers and
 * llama.cpp: byte-level BPE with a pre-tokenizer regex (GPT-2, Llama 3,
 * Qwen2…) and SentencePiece-style BPE with byte fallback (Llama 2,
 * Mistral, Phi-3…), plus added and special tokens. */

#define WH_TOKENIZER_ERROR (wh_tokenizer_error_quark ())

typedef enum
{
  WH_TOKENIZER_ERROR_OPEN,         /* file missing or unreadable */
  WH_TOKENIZER_ERROR_PARSE,        /* not valid JSON / GGUF */
  WH_TOKENIZER_ERROR_INVALID,      /* valid syntax, wrong content (names the key) */
  WH_TOKENIZER_ERROR_UNSUPPORTED,  /* a model type or option Whetstone does not handle */
  WH_TOKENIZER_ERROR_INPUT,        /* text to encode is not UTF-8 */
} WhTokenizerError;

typedef enum
{
  WH_TOKENIZER_KIND_BYTE_LEVEL_BPE,
  WH_TOKENIZER_KIND_SENTENCEPIECE_BPE,
} WhTokenizerKind;

typedef enum
{
  WH_ENCODE_NONE          = 0,
  WH_ENCODE_ADD_SPECIAL   = 1 << 0, /* BOS/EOS as the tokenizer's post-processor adds them */
  WH_ENCODE_PARSE_SPECIAL = 1 << 1, /* match special tokens written in the text */
} WhEncodeFlags;

typedef enum
{
  WH_DECODE_NONE         = 0,
  WH_DECODE_SKIP_SPECIAL = 1 << 0, /* leave out control tokens (BOS, EOS, <|im_start|>…) */
  WH_DECODE_CONTINUE     = 1 << 1, /* the ids continue a text: keep a leading space */
} WhDecodeFlags;

typedef struct _WhTokenizer WhTokenizer;

GQuark          wh_tokenizer_error_quark      (void);

/* @path is a model folder (tokenizer.json and its companions), a
 * tokenizer.json file, or a .gguf file. */
WhTokenizer    *wh_tokenizer_new_from_file    (const char      *path,
                                               GError         **error);
WhTokenizer    *wh_tokenizer_new_from_gguf    (WhGguf          *gguf,
                                               GError         **error);
WhTokenizer    *wh_tokenizer_ref              (WhTokenizer     *self);
void            wh_tokenizer_unref            (WhTokenizer     *self);

WhTokenizerKind wh_tokenizer_get_kind         (WhTokenizer     *self);
guint           wh_tokenizer_get_vocab_size   (WhTokenizer     *self);
/* -1 when the model has none. */
gint32          wh_tokenizer_get_bos          (WhTokenizer     *self);
gint32          wh_tokenizer_get_eos          (WhTokenizer     *self);
gint32          wh_tokenizer_get_pad          (WhTokenizer     *self);
/* EOS, end-of-turn and generation_config.json's eos_token_id list. */
const gint32   *wh_tokenizer_get_stop_ids     (WhTokenizer     *self,
                                               gsize           *n_ids);
gboolean        wh_tokenizer_is_special       (WhTokenizer     *self,
                                               gint32           id);
/* The token's text as stored in the vocabulary, or NULL. */
const char     *wh_tokenizer_get_token_text   (WhTokenizer     *self,
                                               gint32           id);
/* -1 when absent. */
gint32          wh_tokenizer_lookup           (WhTokenizer     *self,
                                               const char      *token_text);
/* The Jinja chat template the files carry, or NULL. */
const char     *wh_tokenizer_get_chat_template (WhTokenizer    *self);
/* A template for the tokenizer's own chat template (family detected,
 * BOS/EOS texts filled in), or NULL with an error. */
WhChatTemplate *wh_tokenizer_dup_chat_template (WhTokenizer    *self,
                                                GError        **error);

/* Appends the ids of @text (@length bytes, -1 for NUL-terminated) to
 * @ids (a GArray of gint32).  Fails only on text that is not UTF-8. */
gboolean        wh_tokenizer_encode           (WhTokenizer     *self,
                                               const char      *text,
                                               gssize           length,
                                               WhEncodeFlags    flags,
                                               GArray          *ids,
                                               GError         **error);
/* Encodes rendered chat segments as one text, parsing special tokens in
 * markup segments only.  @mask (a GArray of guint8, may be NULL) gets 1
 * for each token that overlaps an assistant segment. */
gboolean        wh_tokenizer_encode_segments  (WhTokenizer     *self,
                                               GPtrArray       *segments,
                                               GArray          *ids,
                                               GArray          *mask,
                                               GError         **error);
/* Renders @messages with @tmpl and encodes them: the ids (appended), the
 * assistant mask (may be NULL) and the rendered text (may be NULL).  With
 * @add_generation_prompt, the text is the exact prompt for generation. */
gboolean        wh_tokenizer_encode_chat      (WhTokenizer          *self,
                                               WhChatTemplate       *tmpl,
                                               const WhChatMessage  *messages,
                                               gsize                 n_messages,
                                               gboolean              add_generation_prompt,
                                               GArray               *ids,
                                               GArray               *mask,
                                               char                **text,
                                               GError              **error);
/* The text of @ids; invalid UTF-8 in the result becomes U+FFFD. */
char           *wh_tokenizer_decode           (WhTokenizer     *self,
                                               const gint32    *ids,
                                               gsize            n_ids,
                                               WhDecodeFlags    flags);

/* Streaming decoder: text comes out only in whole UTF-8 characters. */
typedef struct _WhTokenStream WhTokenStream;

WhTokenStream  *wh_token_stream_new           (WhTokenizer     *tokenizer,
                                               WhDecodeFlags    flags);
void            wh_token_stream_free          (WhTokenStream   *stream);
/* Appends the newly complete text to @out. */
void            wh_token_stream_push          (WhTokenStream   *stream,
                                               gint32           id,
                                               GString         *out);
/* Appends what is still held (as U+FFFD if incomplete). */
void            wh_token_stream_flush         (WhTokenStream   *stream,
                                               GString         *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhTokenizer, wh_tokenizer_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhTokenStream, wh_token_stream_free)

G_END_DECLS
