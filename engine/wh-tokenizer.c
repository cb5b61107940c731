/* wh-tokenizer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wh-tokenizer-private.h"

/* Encoding follows Hugging Face tokenizers: added tokens are split out
 * first; each remaining fragment is normalised, pre-tokenised into pieces
 * and run through BPE.  Offsets into the original text are tracked when
 * asked, for the assistant mask of chat segments. */

G_DEFINE_QUARK (wh-tokenizer-error-quark, wh_tokenizer_error)

const char *const wh_gpt2_pattern =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

static void
cache_entry_free (gpointer data)
{
  WhBpeCacheEntry *entry = data;

  g_free (entry->ids);
  g_free (entry->lens);
  g_free (entry);
}

static void
added_token_free (gpointer data)
{
  WhAddedToken *token = data;

  g_free (token->content);
  g_free (token);
}

WhTokenizer *
_wh_tokenizer_new (WhTokenizerKind  kind,
                   const char      *source)
{
  WhTokenizer *self = g_new0 (WhTokenizer, 1);

  self->ref_count = 1;
  self->kind = kind;
  self->source = g_strdup (source);
  self->chunk = g_string_chunk_new (1 << 16);
  self->token_to_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->cp_to_byte = g_hash_table_new (NULL, NULL);
  self->pre_steps = g_array_new (FALSE, TRUE, sizeof (WhPreStep));
  self->added = g_ptr_array_new_with_free_func (added_token_free);
  self->prefix_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->suffix_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->stop_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  self->bos = self->eos = self->unk = self->pad = -1;
  self->fuse_unk = TRUE;
  for (guint i = 0; i < WH_BPE_CACHE_SHARDS; i++)
    {
      g_mutex_init (&self->cache[i].lock);
      self->cache[i].table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
    }

  return self;
}

WhTokenizer *
wh_tokenizer_ref (WhTokenizer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
wh_tokenizer_unref (WhTokenizer *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  for (guint i = 0; i < self->pre_steps->len; i++)
    wh_regex_free (g_array_index (self->pre_steps, WhPreStep, i).regex);
  for (guint b = 0; b < 256; b++)
    if (self->added_by_byte[b] != NULL)
      g_ptr_array_unref (self->added_by_byte[b]);
  g_array_unref (self->pre_steps);
  g_ptr_array_unref (self->added);
  g_array_unref (self->prefix_ids);
  g_array_unref (self->suffix_ids);
  g_array_unref (self->stop_ids);
  g_hash_table_unref (self->token_to_id);
  g_hash_table_unref (self->cp_to_byte);
  for (guint i = 0; i < WH_BPE_CACHE_SHARDS; i++)
    {
      g_hash_table_unref (self->cache[i].table);
      g_mutex_clear (&self->cache[i].lock);
    }
  wh_merge_table_clear (&self->merges);
  g_string_chunk_free (self->chunk);
  g_free (self->tokens);
  g_free (self->token_lens);
  g_free (self->token_types);
  g_free (self->chat_template);
  g_free (self->source);
  g_free (self);
}

void
_wh_tokenizer_set_vocab (WhTokenizer *self,
                         guint        n)
{
  g_return_if_fail (self->tokens == NULL);

  self->n_vocab = n;
  self->tokens = g_new0 (char *, n);
  self->token_lens = g_new0 (guint32, n);
  self->token_types = g_new0 (guint8, n);
}

void
_wh_tokenizer_set_token (WhTokenizer *self,
                         guint        id,
                         const char  *text,
                         gsize        length,
                         WhTokenType  type)
{
  g_return_if_fail (id < self->n_vocab);

  self->tokens[id] = g_string_chunk_insert_len (self->chunk, text, length);
  self->token_lens[id] = length;
  self->token_types[id] = type;

  /* The first id wins for duplicated texts, as in the reference readers. */
  if (memchr (text, '\0', length) == NULL &&
      !g_hash_table_contains (self->token_to_id, self->tokens[id]))
    g_hash_table_insert (self->token_to_id, self->tokens[id], GINT_TO_POINTER (id + 1));
}

gint32
_wh_tokenizer_find (WhTokenizer *self,
                    const char  *text,
                    gsize        length)
{
  char stack_buf[128];
  g_autofree char *heap_buf = NULL;
  char *key;
  gpointer value;

  if (length < sizeof stack_buf)
    key = stack_buf;
  else
    key = heap_buf = g_malloc (length + 1);
  memcpy (key, text, length);
  key[length] = '\0';

  value = g_hash_table_lookup (self->token_to_id, key);
  return value != NULL ? GPOINTER_TO_INT (value) - 1 : -1;
}

void
_wh_tokenizer_add_added (WhTokenizer        *self,
                         const WhAddedToken *token)
{
  WhAddedToken *copy = g_new (WhAddedToken, 1);

  *copy = *token;
  copy->content = g_strndup (token->content, token->length);
  g_ptr_array_add (self->added, copy);
}

gboolean
_wh_tokenizer_add_pre_regex (WhTokenizer      *self,
                             const char       *pattern,
                             WhSplitBehavior   behavior,
                             gboolean          invert,
                             GError          **error)
{
  WhPreStep step = { 0 };
  g_autoptr(GError) local_error = NULL;

  step.regex = wh_regex_new (pattern, &local_error);
  if (step.regex == NULL)
    {
      g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_UNSUPPORTED,
                   _("The pre-tokenizer of “%s” cannot be used: %s"),
                   self->source, local_error->message);
      return FALSE;
    }
  step.behavior = behavior;
  step.invert = invert;
  g_array_append_val (self->pre_steps, step);
  return TRUE;
}

void
_wh_tokenizer_add_stop_id (WhTokenizer *self,
                           gint32       id)
{
  if (id < 0 || (guint) id >= self->n_vocab)
    return;
  for (guint i = 0; i < self->stop_ids->len; i++)
    if (g_array_index (self->stop_ids, gint32, i) == id)
      return;
  g_array_append_val (self->stop_ids, id);
}

/* GPT-2's reversible map from bytes to printable code points. */
static void
init_byte_map (WhTokenizer *self)
{
  guint next = 256;

  for (guint b = 0; b < 256; b++)
    {
      gboolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);

      self->byte_to_cp[b] = printable ? b : next++;
      g_hash_table_insert (self->cp_to_byte, GUINT_TO_POINTER (self->byte_to_cp[b]),
                           GUINT_TO_POINTER (b + 1));
    }
}

static gint
compare_added_by_length (gconstpointer a,
                         gconstpointer b)
{
  const WhAddedToken *x = *(const WhAddedToken * const *) a;
  const WhAddedToken *y = *(const WhAddedToken * const *) b;

  return (x->length < y->length) - (x->length > y->length);
}

gboolean
_wh_tokenizer_finish (WhTokenizer  *self,
                      GError      **error)
{
  if (self->n_vocab == 0)
    {
      g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INVALID,
                   _("“%s” has an empty vocabulary"), self->source);
      return FALSE;
    }

  for (guint b = 0; b < 256; b++)
    self->byte_ids[b] = -1;

  if (self->kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    {
      init_byte_map (self);
      for (guint b = 0; b < 256; b++)
        {
          char buf[8];
          gint len = g_unichar_to_utf8 (self->byte_to_cp[b], buf);

          self->byte_ids[b] = _wh_tokenizer_find (self, buf, len);
        }
    }
  else
    {
      for (guint b = 0; b < 256; b++)
        {
          char buf[8];

          g_snprintf (buf, sizeof buf, "<0x%02X>", b);
          self->byte_ids[b] = _wh_tokenizer_find (self, buf, 6);
        }
    }

  if (self->kind == WH_TOKENIZER_KIND_SENTENCEPIECE_BPE)
    {
      self->spm_words = TRUE;
      for (guint id = 0; id < self->n_vocab && self->spm_words; id++)
        {
          const char *text = self->tokens[id];
          const char *mark;

          if (text == NULL || self->token_types[id] == WH_TOKEN_CONTROL ||
              self->token_types[id] == WH_TOKEN_BYTE)
            continue;
          /* A ▁ after something other than ▁ joins two words. */
          for (mark = strstr (text, "\xe2\x96\x81"); mark != NULL; mark = strstr (mark + 3, "\xe2\x96\x81"))
            if (mark > text && !(mark - text >= 3 && memcmp (mark - 3, "\xe2\x96\x81", 3) == 0))
              {
                self->spm_words = FALSE;
                break;
              }
        }
    }

  for (guint i = 0; i < self->added->len; i++)
    {
      WhAddedToken *token = g_ptr_array_index (self->added, i);
      guint8 first;

      if (token->length == 0)
        continue;
      if (token->id < 0 || (guint) token->id >= self->n_vocab)
        {
          g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INVALID,
                       _("“%s” gives the added token “%s” the id %d, outside the vocabulary of %u tokens"),
                       self->source, token->content, token->id, self->n_vocab);
          return FALSE;
        }
      first = (guint8) token->content[0];
      if (self->added_by_byte[first] == NULL)
        self->added_by_byte[first] = g_ptr_array_new ();
      g_ptr_array_add (self->added_by_byte[first], token);
    }
  for (guint b = 0; b < 256; b++)
    if (self->added_by_byte[b] != NULL)
      g_ptr_array_sort (self->added_by_byte[b], compare_added_by_length);

  _wh_tokenizer_add_stop_id (self, self->eos);

  return TRUE;
}

/* Accessors */

WhTokenizerKind
wh_tokenizer_get_kind (WhTokenizer *self)
{
  return self->kind;
}

guint
wh_tokenizer_get_vocab_size (WhTokenizer *self)
{
  return self->n_vocab;
}

gint32
wh_tokenizer_get_bos (WhTokenizer *self)
{
  return self->bos;
}

gint32
wh_tokenizer_get_eos (WhTokenizer *self)
{
  return self->eos;
}

gint32
wh_tokenizer_get_pad (WhTokenizer *self)
{
  return self->pad;
}

const gint32 *
wh_tokenizer_get_stop_ids (WhTokenizer *self,
                           gsize       *n_ids)
{
  *n_ids = self->stop_ids->len;
  return (const gint32 *) (gpointer) self->stop_ids->data;
}

gboolean
wh_tokenizer_is_special (WhTokenizer *self,
                         gint32       id)
{
  if (id < 0 || (guint) id >= self->n_vocab)
    return FALSE;
  return self->token_types[id] == WH_TOKEN_CONTROL ||
         self->token_types[id] == WH_TOKEN_UNKNOWN;
}

const char *
wh_tokenizer_get_token_text (WhTokenizer *self,
                             gint32       id)
{
  if (id < 0 || (guint) id >= self->n_vocab)
    return NULL;
  return self->tokens[id];
}

gint32
wh_tokenizer_lookup (WhTokenizer *self,
                     const char  *token_text)
{
  return _wh_tokenizer_find (self, token_text, strlen (token_text));
}

const char *
wh_tokenizer_get_chat_template (WhTokenizer *self)
{
  return self->chat_template;
}

WhChatTemplate *
wh_tokenizer_dup_chat_template (WhTokenizer  *self,
                                GError      **error)
{
  if (self->chat_template == NULL)
    {
      g_set_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_UNKNOWN_FAMILY,
                   _("“%s” has no chat template; choose a template family (in a recipe, \"template\": \"chatml\"; with whetstone-cli, --family chatml)"),
                   self->source);
      return NULL;
    }

  return wh_chat_template_new_from_jinja (self->chat_template,
                                          wh_tokenizer_get_token_text (self, self->bos),
                                          wh_tokenizer_get_token_text (self, self->eos),
                                          error);
}
