/* wh-tokenizer-gguf.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "wh-tokenizer-private.h"

/* Tokenizers from GGUF metadata (tokenizer.ggml.*).  GGUF stores no
 * pre-tokenizer patterns, only a name (tokenizer.ggml.pre) for the
 * pre-tokenizer of the Hugging Face tokenizer it was converted from; the
 * table below gives the patterns of those tokenizer.json files. */

#define P_GPT2 "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"
#define P_LLAMA3 "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define P_QWEN2 "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define P_CJK "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+"

static const struct
{
  const char *names;          /* space-separated tokenizer.ggml.pre values */
  const char *patterns[6];
} pre_table[] = {
  { "default",
    { "[\\p{P}\\$\\+<=>\\^~\\|]+", P_GPT2, "\\p{N}+", "[0-9][0-9][0-9]" } },
  { "llama3 llama-v3 llama-bpe falcon3 dbrx smaug-bpe",
    { P_LLAMA3 } },
  { "qwen2 stablelm2 megrez hunyuan deepseek-r1-qwen",
    { P_QWEN2 } },
  { "deepseek-llm",
    { "[\r\n]",
      "\\s?[A-Za-z\\x{00B5}\\x{00C0}-\\x{00D6}\\x{00D8}-\\x{00F6}\\x{00F8}-\\x{01BA}\\x{01BC}-\\x{01BF}\\x{01C4}-\\x{0293}\\x{0295}-\\x{02AF}\\x{0370}-\\x{0373}\\x{0376}\\x{0377}\\x{037B}-\\x{037D}\\x{037F}\\x{0386}\\x{0388}-\\x{038A}\\x{038C}\\x{038E}-\\x{03A1}\\x{03A3}-\\x{03F5}\\x{03F7}-\\x{0481}\\x{048A}-\\x{052F}\\x{0531}-\\x{0556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}\\x{212A}-\\x{212D}\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+",
      "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+",
      "\\s+$",
      P_CJK,
      "\\p{N}+" } },
  { "deepseek-coder",
    { "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", P_CJK, "\\p{N}" } },
  { "falcon",
    { "[\\p{P}\\$\\+<=>\\^~\\|`]+", P_GPT2, "[0-9][0-9][0-9]" } },
  { "starcoder refact command-r smollm codeshell exaone minerva-7b",
    { "\\p{N}", P_GPT2 } },
  { "gpt-2 gpt2 mpt olmo jais phi-2 roberta-bpe",
    { P_GPT2 } },
  { "gpt-4o llama4",
    { "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" } },
  { "tekken",
    { "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" } },
};

static gboolean
name_in_list (const char *name,
              const char *list)
{
  g_auto(GStrv) names = g_strsplit (list, " ", -1);

  return g_strv_contains ((const char * const *) names, name);
}

static gboolean
fail (GError     **error,
      WhTokenizer *tok,
      int          code,
      const char  *what)
{
  g_set_error (error, WH_TOKENIZER_ERROR, code,
               _("Cannot use the tokenizer in “%s”: %s"), tok->source, what);
  return FALSE;
}

static gboolean
setup_pre_tokenizer (WhTokenizer  *tok,
                     WhGguf       *gguf,
                     GError      **error)
{
  g_autofree char *pre = NULL;

  if (wh_gguf_has_key (gguf, "tokenizer.ggml.pre"))
    {
      pre = wh_gguf_dup_string (gguf, "tokenizer.ggml.pre", error);
      if (pre == NULL)
        return FALSE;
    }
  else
    pre = g_strdup ("default");

  for (guint i = 0; i < G_N_ELEMENTS (pre_table); i++)
    {
      if (!name_in_list (pre, pre_table[i].names))
        continue;
      for (guint p = 0; p < G_N_ELEMENTS (pre_table[i].patterns) && pre_table[i].patterns[p]; p++)
        if (!_wh_tokenizer_add_pre_regex (tok, pre_table[i].patterns[p], WH_SPLIT_ISOLATED, FALSE, error))
          return FALSE;
      return TRUE;
    }

  {
    g_autofree char *what = g_strdup_printf (_("its pre-tokenizer “%s” is not one Whetstone knows; use the model’s Hugging Face folder instead"), pre);
    return fail (error, tok, WH_TOKENIZER_ERROR_UNSUPPORTED, what);
  }
}

static gboolean
load_merges (WhTokenizer  *tok,
             WhGguf       *gguf,
             GError      **error)
{
  const WhGgufString *merges;
  gsize n;

  if (!wh_gguf_get_string_array (gguf, "tokenizer.ggml.merges", &merges, &n, error))
    return FALSE;

  wh_merge_table_init (&tok->merges, n);
  for (gsize i = 0; i < n; i++)
    {
      const char *text = merges[i].data;
      const char *space = memchr (text, ' ', merges[i].length);
      gsize left_len, right_len;
      g_autofree char *joined = NULL;
      gint32 l, r, m;

      if (space == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("merge %" G_GSIZE_FORMAT " is not two tokens separated by a space"), i);
          return fail (error, tok, WH_TOKENIZER_ERROR_INVALID, what);
        }
      left_len = space - text;
      right_len = merges[i].length - left_len - 1;
      joined = g_malloc (left_len + right_len + 1);
      memcpy (joined, text, left_len);
      memcpy (joined + left_len, space + 1, right_len);
      l = _wh_tokenizer_find (tok, text, left_len);
      r = _wh_tokenizer_find (tok, space + 1, right_len);
      m = _wh_tokenizer_find (tok, joined, left_len + right_len);
      if (l < 0 || r < 0 || m < 0)
        {
          g_autofree char *what = g_strdup_printf (_("merge %" G_GSIZE_FORMAT " uses a token that is not in the vocabulary; the file is damaged or incomplete"), i);
          return fail (error, tok, WH_TOKENIZER_ERROR_INVALID, what);
        }
      wh_merge_table_insert (&tok->merges, l, r, i, m);
    }

  return TRUE;
}

typedef struct
{
  float  score;
  gint32 id;
} Scored;

static int
compare_scores (const void *a,
                const void *b)
{
  const Scored *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

/* SentencePiece BPE merges the pair whose merged piece scores highest;
 * equal scores go left first.  That is a merge table whose rank is the
 * dense rank of the merged piece's score. */
static void
merges_from_scores (WhTokenizer *tok,
                    const float *scores)
{
  g_autofree Scored *order = g_new (Scored, tok->n_vocab);
  g_autofree guint32 *rank = g_new0 (guint32, tok->n_vocab);
  guint32 r = 0;

  for (guint i = 0; i < tok->n_vocab; i++)
    {
      order[i].score = scores[i];
      order[i].id = i;
    }
  qsort (order, tok->n_vocab, sizeof (Scored), compare_scores);
  for (guint i = 0; i < tok->n_vocab; i++)
    {
      if (i > 0 && order[i].score != order[i - 1].score)
        r++;
      rank[order[i].id] = r;
    }

  wh_merge_table_init (&tok->merges, tok->n_vocab * 4);
  for (guint i = 0; i < tok->n_vocab; i++)
    {
      gint32 id = order[i].id;
      const char *text = tok->tokens[id];
      gsize len = tok->token_lens[id];

      if (tok->token_types[id] != WH_TOKEN_NORMAL && tok->token_types[id] != WH_TOKEN_USER_DEFINED)
        continue;

      for (const char *split = g_utf8_next_char (text); split < text + len; split = g_utf8_next_char (split))
        {
          gint32 l = _wh_tokenizer_find (tok, text, split - text);
          gint32 rr = _wh_tokenizer_find (tok, split, text + len - split);

          if (l >= 0 && rr >= 0)
            wh_merge_table_insert (&tok->merges, l, rr, rank[id], id);
        }
    }
}

static gint32
optional_id (WhGguf     *gguf,
             const char *key)
{
  guint32 value;

  if (wh_gguf_has_key (gguf, key) && wh_gguf_get_uint32 (gguf, key, &value, NULL))
    return (gint32) value;
  return -1;
}

static gboolean
optional_bool (WhGguf     *gguf,
               const char *key,
               gboolean    fallback)
{
  gboolean value;

  if (wh_gguf_has_key (gguf, key) && wh_gguf_get_bool (gguf, key, &value, NULL))
    return value;
  return fallback;
}

WhTokenizer *
wh_tokenizer_new_from_gguf (WhGguf  *gguf,
                            GError **error)
{
  g_autoptr(WhTokenizer) tok = NULL;
  g_autofree char *display = NULL;
  g_autofree char *model = NULL;
  g_autofree gint64 *types = NULL;
  g_autofree float *scores = NULL;
  const WhGgufString *tokens;
  gsize n_tokens, n_types = 0, n_scores = 0;
  WhTokenizerKind kind;
  gboolean add_bos, add_eos;

  g_return_val_if_fail (gguf != NULL, NULL);

  display = g_filename_display_name (wh_gguf_get_path (gguf));
  model = wh_gguf_dup_string (gguf, "tokenizer.ggml.model", error);
  if (model == NULL)
    return NULL;

  if (g_str_equal (model, "gpt2"))
    kind = WH_TOKENIZER_KIND_BYTE_LEVEL_BPE;
  else if (g_str_equal (model, "llama"))
    kind = WH_TOKENIZER_KIND_SENTENCEPIECE_BPE;
  else
    {
      g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_UNSUPPORTED,
                   _("Cannot use the tokenizer in “%s”: its type “%s” is not supported; Whetstone handles BPE tokenizers (“gpt2” and “llama”)"),
                   display, model);
      return NULL;
    }

  tok = _wh_tokenizer_new (kind, display);

  if (!wh_gguf_get_string_array (gguf, "tokenizer.ggml.tokens", &tokens, &n_tokens, error))
    return NULL;
  if (n_tokens == 0 || n_tokens > G_MAXINT32)
    {
      fail (error, tok, WH_TOKENIZER_ERROR_INVALID, _("its vocabulary is empty or too large"));
      return NULL;
    }
  if (wh_gguf_has_key (gguf, "tokenizer.ggml.token_type") &&
      !wh_gguf_get_int_array (gguf, "tokenizer.ggml.token_type", &types, &n_types, error))
    return NULL;
  if (wh_gguf_has_key (gguf, "tokenizer.ggml.scores") &&
      !wh_gguf_get_float_array (gguf, "tokenizer.ggml.scores", &scores, &n_scores, error))
    return NULL;
  if ((types != NULL && n_types != n_tokens) || (scores != NULL && n_scores != n_tokens))
    {
      fail (error, tok, WH_TOKENIZER_ERROR_INVALID,
            _("its token types or scores do not match the number of tokens"));
      return NULL;
    }

  _wh_tokenizer_set_vocab (tok, n_tokens);
  for (gsize i = 0; i < n_tokens; i++)
    {
      WhTokenType type = types != NULL ? (WhTokenType) types[i] : WH_TOKEN_NORMAL;

      if (type < WH_TOKEN_NORMAL || type > WH_TOKEN_BYTE)
        type = WH_TOKEN_NORMAL;
      _wh_tokenizer_set_token (tok, i, tokens[i].data, tokens[i].length, type);

      if (type == WH_TOKEN_CONTROL || type == WH_TOKEN_USER_DEFINED || type == WH_TOKEN_UNKNOWN)
        {
          WhAddedToken added = { 0 };

          added.content = (char *) tokens[i].data;
          added.length = tokens[i].length;
          added.id = i;
          added.special = type != WH_TOKEN_USER_DEFINED;
          if (added.length > 0 && memchr (added.content, '\0', added.length) == NULL)
            _wh_tokenizer_add_added (tok, &added);
        }
    }

  if (kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    {
      if (!setup_pre_tokenizer (tok, gguf, error) || !load_merges (tok, gguf, error))
        return NULL;
      add_bos = FALSE;
    }
  else
    {
      if (scores == NULL)
        {
          fail (error, tok, WH_TOKENIZER_ERROR_INVALID,
                _("a SentencePiece vocabulary needs tokenizer.ggml.scores"));
          return NULL;
        }
      merges_from_scores (tok, scores);
      tok->byte_fallback = TRUE;
      tok->spm_prepend_always = optional_bool (gguf, "tokenizer.ggml.add_space_prefix", TRUE);
      tok->decode_strip_space = tok->spm_prepend_always;
      add_bos = TRUE;
      if (optional_bool (gguf, "tokenizer.ggml.remove_extra_whitespaces", FALSE))
        {
          fail (error, tok, WH_TOKENIZER_ERROR_UNSUPPORTED,
                _("it asks to remove extra whitespace, which Whetstone does not do yet"));
          return NULL;
        }
    }

  tok->bos = optional_id (gguf, "tokenizer.ggml.bos_token_id");
  tok->eos = optional_id (gguf, "tokenizer.ggml.eos_token_id");
  tok->unk = optional_id (gguf, "tokenizer.ggml.unknown_token_id");
  tok->pad = optional_id (gguf, "tokenizer.ggml.padding_token_id");
  if (tok->bos >= (gint32) n_tokens || tok->eos >= (gint32) n_tokens ||
      tok->unk >= (gint32) n_tokens || tok->pad >= (gint32) n_tokens)
    {
      fail (error, tok, WH_TOKENIZER_ERROR_INVALID, _("a special token id is outside the vocabulary"));
      return NULL;
    }

  add_bos = optional_bool (gguf, "tokenizer.ggml.add_bos_token", add_bos);
  add_eos = optional_bool (gguf, "tokenizer.ggml.add_eos_token", FALSE);
  if (add_bos && tok->bos >= 0)
    g_array_append_val (tok->prefix_ids, tok->bos);
  if (add_eos && tok->eos >= 0)
    g_array_append_val (tok->suffix_ids, tok->eos);

  _wh_tokenizer_add_stop_id (tok, optional_id (gguf, "tokenizer.ggml.eot_token_id"));
  _wh_tokenizer_add_stop_id (tok, optional_id (gguf, "tokenizer.ggml.eom_token_id"));

  if (wh_gguf_has_key (gguf, "tokenizer.chat_template"))
    {
      tok->chat_template = wh_gguf_dup_string (gguf, "tokenizer.chat_template", error);
      if (tok->chat_template == NULL)
        return NULL;
    }

  if (!_wh_tokenizer_finish (tok, error))
    return NULL;

  return g_steal_pointer (&tok);
}

WhTokenizer *
wh_tokenizer_new_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      json = g_build_filename (path, "tokenizer.json", NULL);
      if (!g_file_test (json, G_FILE_TEST_EXISTS))
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_OPEN,
                       _("The folder “%s” has no tokenizer.json; choose a Hugging Face model folder or a .gguf file"),
                       display);
          return NULL;
        }
      return _wh_tokenizer_load_json (json, error);
    }

  if (g_str_has_suffix (path, ".gguf"))
    {
      g_autoptr(WhGguf) gguf = wh_gguf_open (path, error);

      return gguf != NULL ? wh_tokenizer_new_from_gguf (gguf, error) : NULL;
    }

  return _wh_tokenizer_load_json (path, error);
}
