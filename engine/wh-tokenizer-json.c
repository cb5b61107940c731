/* wh-tokenizer-json.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wh-json.h"
#include "wh-tokenizer-private.h"

/* Hugging Face tokenizer.json, with tokenizer_config.json,
 * special_tokens_map.json, generation_config.json and chat_template.jinja
 * read from the same folder when present. */

#define MAX_VOCAB (16 * 1024 * 1024)

typedef struct
{
  WhTokenizer *tok;
  const char  *file;     /* display name of tokenizer.json */
  GError     **error;
} Loader;

static gboolean
invalid (Loader     *loader,
         int         code,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (Loader     *loader,
         int         code,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (loader->error, WH_TOKENIZER_ERROR, code,
               /* Translators: the first %s is a file name, the second what is wrong */
               _("Cannot use the tokenizer “%s”: %s"), loader->file, what);
  return FALSE;
}

static char *
escape_literal (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (strchr ("\\^$.|?*+()[]{}", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_behavior (Loader          *loader,
                const char      *name,
                WhSplitBehavior *behavior)
{
  static const struct { const char *name; WhSplitBehavior value; } names[] = {
    { "Isolated", WH_SPLIT_ISOLATED },
    { "Removed", WH_SPLIT_REMOVED },
    { "MergedWithPrevious", WH_SPLIT_MERGED_WITH_PREVIOUS },
    { "MergedWithNext", WH_SPLIT_MERGED_WITH_NEXT },
    { "Contiguous", WH_SPLIT_CONTIGUOUS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i].name) == 0)
      {
        *behavior = names[i].value;
        return TRUE;
      }

  return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                  _("the split behaviour “%s” is not supported"), name ? name : "");
}

static gboolean
add_step (Loader          *loader,
          const char      *pattern,
          WhSplitBehavior  behavior,
          gboolean         invert)
{
  return _wh_tokenizer_add_pre_regex (loader->tok, pattern, behavior, invert, loader->error);
}

static gboolean
parse_pre_tokenizer (Loader     *loader,
                     JsonObject *pre)
{
  WhTokenizer *tok = loader->tok;
  const char *type = wh_json_get_string (pre, "type");
  WhSplitBehavior behavior = WH_SPLIT_ISOLATED;

  if (g_strcmp0 (type, "Sequence") == 0)
    {
      JsonArray *list = wh_json_get_array (pre, "pretokenizers");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);

          if (!JSON_NODE_HOLDS_OBJECT (node) ||
              !parse_pre_tokenizer (loader, json_node_get_object (node)))
            return loader->error == NULL || *loader->error != NULL
                   ? FALSE
                   : invalid (loader, WH_TOKENIZER_ERROR_INVALID, _("pre_tokenizer.pretokenizers[%u] is not an object"), i);
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "ByteLevel") == 0)
    {
      if (tok->kind != WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
        return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                        _("a ByteLevel pre-tokenizer is combined with SentencePiece settings"));
      tok->byte_level_prefix_space = wh_json_get_bool (pre, "add_prefix_space", FALSE);
      if (wh_json_get_bool (pre, "use_regex", TRUE))
        return add_step (loader, wh_gpt2_pattern, WH_SPLIT_ISOLATED, FALSE);
      return TRUE;
    }

  if (g_strcmp0 (type, "Split") == 0)
    {
      JsonObject *pattern = wh_json_get_object (pre, "pattern");
      const char *regex = wh_json_get_string (pattern, "Regex");
      const char *literal = wh_json_get_string (pattern, "String");
      g_autofree char *escaped = NULL;

      if (!parse_behavior (loader, wh_json_get_string (pre, "behavior"), &behavior))
        return FALSE;
      if (regex == NULL && literal == NULL)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID, _("a Split pre-tokenizer has no pattern"));
      if (regex == NULL)
        regex = escaped = escape_literal (literal);
      return add_step (loader, regex, behavior, wh_json_get_bool (pre, "invert", FALSE));
    }

  if (g_strcmp0 (type, "Digits") == 0)
    return add_step (loader, wh_json_get_bool (pre, "individual_digits", FALSE) ? "\\p{N}" : "\\p{N}+",
                     WH_SPLIT_ISOLATED, FALSE);

  if (g_strcmp0 (type, "Punctuation") == 0)
    {
      const char *name = wh_json_get_string (pre, "behavior");

      if (name != NULL && !parse_behavior (loader, name, &behavior))
        return FALSE;
      return add_step (loader, "[\\p{P}!-/:-@\\[-`{-~]", behavior, FALSE);
    }

  if (g_strcmp0 (type, "Whitespace") == 0)
    return add_step (loader, "\\w+|[^\\w\\s]+", WH_SPLIT_REMOVED, TRUE);

  if (g_strcmp0 (type, "WhitespaceSplit") == 0)
    return add_step (loader, "\\s", WH_SPLIT_REMOVED, FALSE);

  if (g_strcmp0 (type, "Metaspace") == 0)
    {
      const char *replacement = wh_json_get_string (pre, "replacement");
      const char *scheme = wh_json_get_string (pre, "prepend_scheme");

      if (tok->kind != WH_TOKENIZER_KIND_SENTENCEPIECE_BPE)
        return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                        _("a Metaspace pre-tokenizer is combined with byte-level settings"));
      if (g_strcmp0 (replacement, "\xe2\x96\x81") != 0)
        return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                        _("the Metaspace replacement must be “▁”"));
      if (scheme == NULL)
        scheme = wh_json_get_bool (pre, "add_prefix_space", TRUE) ? "always" : "never";
      tok->spm_split = wh_json_get_bool (pre, "split", TRUE);
      if (g_str_equal (scheme, "first"))
        tok->spm_prepend_first = TRUE;
      else if (g_str_equal (scheme, "always"))
        tok->spm_prepend_always = TRUE;
      else if (!g_str_equal (scheme, "never"))
        return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                        _("the Metaspace prepend_scheme “%s” is not supported"), scheme);
      return TRUE;
    }

  return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                  _("the pre-tokenizer type “%s” is not supported"), type ? type : "");
}

/* Only the normalisers LLM tokenizers use: NFC, and SentencePiece's
 * Prepend("▁") + Replace(" ", "▁"). */
static gboolean
parse_normalizer (Loader     *loader,
                  JsonObject *norm)
{
  WhTokenizer *tok = loader->tok;
  const char *type = wh_json_get_string (norm, "type");

  if (g_strcmp0 (type, "Sequence") == 0)
    {
      JsonArray *list = wh_json_get_array (norm, "normalizers");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return invalid (loader, WH_TOKENIZER_ERROR_INVALID, _("normalizer.normalizers[%u] is not an object"), i);
          if (!parse_normalizer (loader, json_node_get_object (node)))
            return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "NFC") == 0 && tok->kind == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE)
    {
      tok->nfc = TRUE;
      return TRUE;
    }

  if (g_strcmp0 (type, "Prepend") == 0 && tok->kind == WH_TOKENIZER_KIND_SENTENCEPIECE_BPE &&
      g_strcmp0 (wh_json_get_string (norm, "prepend"), "\xe2\x96\x81") == 0)
    {
      tok->spm_prepend_always = TRUE;
      return TRUE;
    }

  if (g_strcmp0 (type, "Replace") == 0 && tok->kind == WH_TOKENIZER_KIND_SENTENCEPIECE_BPE &&
      g_strcmp0 (wh_json_get_string (wh_json_get_object (norm, "pattern"), "String"), " ") == 0 &&
      g_strcmp0 (wh_json_get_string (norm, "content"), "\xe2\x96\x81") == 0)
    return TRUE;

  return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                  _("the normalizer “%s” is not supported"), type ? type : "");
}

static gboolean
special_ids (Loader     *loader,
             JsonObject *specials,
             const char *name,
             GArray     *out)
{
  JsonArray *ids = wh_json_get_array (wh_json_get_object (specials, name), "ids");

  if (ids == NULL)
    return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                    _("post_processor.special_tokens has no ids for “%s”"), name);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      gint32 id = json_array_get_int_element (ids, i);
      g_array_append_val (out, id);
    }
  return TRUE;
}

static gboolean
parse_post_processor (Loader     *loader,
                      JsonObject *post)
{
  WhTokenizer *tok = loader->tok;
  const char *type = wh_json_get_string (post, "type");

  if (g_strcmp0 (type, "Sequence") == 0)
    {
      JsonArray *list = wh_json_get_array (post, "processors");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *node = json_array_get_element (list, i);

          if (JSON_NODE_HOLDS_OBJECT (node) &&
              !parse_post_processor (loader, json_node_get_object (node)))
            return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "ByteLevel") == 0)
    return TRUE;

  if (g_strcmp0 (type, "TemplateProcessing") == 0)
    {
      JsonArray *single = wh_json_get_array (post, "single");
      JsonObject *specials = wh_json_get_object (post, "special_tokens");
      gboolean seen_sequence = FALSE;

      g_array_set_size (tok->prefix_ids, 0);
      g_array_set_size (tok->suffix_ids, 0);
      for (guint i = 0; single != NULL && i < json_array_get_length (single); i++)
        {
          JsonObject *item = json_array_get_object_element (single, i);
          JsonObject *special = wh_json_get_object (item, "SpecialToken");

          if (wh_json_get_object (item, "Sequence") != NULL)
            seen_sequence = TRUE;
          else if (special != NULL)
            {
              if (!special_ids (loader, specials, wh_json_get_string (special, "id"),
                                seen_sequence ? tok->suffix_ids : tok->prefix_ids))
                return FALSE;
            }
        }
      return TRUE;
    }

  if (g_strcmp0 (type, "RobertaProcessing") == 0 || g_strcmp0 (type, "BertProcessing") == 0)
    {
      JsonArray *cls = wh_json_get_array (post, "cls");
      JsonArray *sep = wh_json_get_array (post, "sep");

      if (cls != NULL && json_array_get_length (cls) == 2)
        {
          gint32 id = json_array_get_int_element (cls, 1);
          g_array_append_val (tok->prefix_ids, id);
        }
      if (sep != NULL && json_array_get_length (sep) == 2)
        {
          gint32 id = json_array_get_int_element (sep, 1);
          g_array_append_val (tok->suffix_ids, id);
        }
      return TRUE;
    }

  return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                  _("the post-processor “%s” is not supported"), type ? type : "");
}

static gboolean
decoder_strips_space (JsonObject *decoder)
{
  const char *type = wh_json_get_string (decoder, "type");

  if (g_strcmp0 (type, "Sequence") == 0)
    {
      JsonArray *list = wh_json_get_array (decoder, "decoders");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        if (decoder_strips_space (json_array_get_object_element (list, i)))
          return TRUE;
      return FALSE;
    }

  if (g_strcmp0 (type, "Strip") == 0)
    return g_strcmp0 (wh_json_get_string (decoder, "content"), " ") == 0 &&
           json_object_get_int_member_with_default (decoder, "start", 0) >= 1;

  if (g_strcmp0 (type, "Metaspace") == 0)
    {
      const char *scheme = wh_json_get_string (decoder, "prepend_scheme");

      if (scheme != NULL)
        return !g_str_equal (scheme, "never");
      return wh_json_get_bool (decoder, "add_prefix_space", TRUE);
    }

  return FALSE;
}

static gboolean
json_mentions_type (JsonObject *object,
                    const char *list_member,
                    const char *type)
{
  JsonArray *list;

  if (object == NULL)
    return FALSE;
  if (g_strcmp0 (wh_json_get_string (object, "type"), type) == 0)
    return TRUE;
  list = wh_json_get_array (object, list_member);
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    if (json_mentions_type (json_array_get_object_element (list, i), list_member, type))
      return TRUE;
  return FALSE;
}

static gboolean
is_byte_token (const char *text)
{
  return strlen (text) == 6 && g_str_has_prefix (text, "<0x") && text[5] == '>' &&
         g_ascii_isxdigit (text[3]) && g_ascii_isxdigit (text[4]);
}

static gboolean
parse_merge (JsonNode    *node,
             char       **left,
             char       **right)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      const char *space = strchr (text, ' ');

      if (space == NULL || strchr (space + 1, ' ') != NULL)
        return FALSE;
      *left = g_strndup (text, space - text);
      *right = g_strdup (space + 1);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *pair = json_node_get_array (node);
      JsonNode *a, *b;

      if (json_array_get_length (pair) != 2)
        return FALSE;
      a = json_array_get_element (pair, 0);
      b = json_array_get_element (pair, 1);
      if (!JSON_NODE_HOLDS_VALUE (a) || json_node_get_value_type (a) != G_TYPE_STRING ||
          !JSON_NODE_HOLDS_VALUE (b) || json_node_get_value_type (b) != G_TYPE_STRING)
        return FALSE;
      *left = g_strdup (json_node_get_string (a));
      *right = g_strdup (json_node_get_string (b));
      return TRUE;
    }

  return FALSE;
}

static gboolean
parse_model (Loader     *loader,
             JsonObject *model,
             JsonArray  *added)
{
  WhTokenizer *tok = loader->tok;
  const char *type = wh_json_get_string (model, "type");
  JsonObject *vocab = wh_json_get_object (model, "vocab");
  JsonArray *merges = wh_json_get_array (model, "merges");
  g_autoptr(GList) keys = NULL;
  const char *unk;
  gint64 max_id = -1;

  if (g_strcmp0 (type, "BPE") != 0 && !(type == NULL && merges != NULL))
    return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                    _("the model type “%s” is not supported; Whetstone handles BPE tokenizers (Llama, Mistral, Qwen, Phi, Gemma, SmolLM…)"),
                    type ? type : "");
  if (vocab == NULL)
    return invalid (loader, WH_TOKENIZER_ERROR_INVALID, _("“model.vocab” is missing or not an object"));
  if (merges == NULL)
    return invalid (loader, WH_TOKENIZER_ERROR_INVALID, _("“model.merges” is missing or not a list"));
  if (g_strcmp0 (wh_json_get_string (model, "continuing_subword_prefix"), "") > 0 ||
      g_strcmp0 (wh_json_get_string (model, "end_of_word_suffix"), "") > 0)
    return invalid (loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                    _("BPE with word prefixes or suffixes is not supported"));

  keys = json_object_get_members (vocab);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (vocab, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) >= MAX_VOCAB)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("the id of “%s” in “model.vocab” is not a valid token id"), (const char *) l->data);
      max_id = MAX (max_id, json_node_get_int (node));
    }
  for (guint i = 0; added != NULL && i < json_array_get_length (added); i++)
    {
      JsonObject *token = json_array_get_object_element (added, i);
      gint64 id = token != NULL ? json_object_get_int_member_with_default (token, "id", -1) : -1;

      if (id < 0 || id >= MAX_VOCAB || wh_json_get_string (token, "content") == NULL)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("“added_tokens[%u]” needs an “id” and a “content”"), i);
      max_id = MAX (max_id, id);
    }

  _wh_tokenizer_set_vocab (tok, max_id + 1);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *text = l->data;
      gint64 id = json_object_get_int_member (vocab, text);
      WhTokenType type_of = WH_TOKEN_NORMAL;

      if (tok->tokens[id] != NULL)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("“model.vocab” gives the id %" G_GINT64_FORMAT " to both “%s” and “%s”"),
                        id, tok->tokens[id], text);
      if (tok->kind == WH_TOKENIZER_KIND_SENTENCEPIECE_BPE && is_byte_token (text))
        type_of = WH_TOKEN_BYTE;
      _wh_tokenizer_set_token (tok, id, text, strlen (text), type_of);
    }

  unk = wh_json_get_string (model, "unk_token");
  if (unk != NULL)
    {
      tok->unk = _wh_tokenizer_find (tok, unk, strlen (unk));
      if (tok->unk >= 0)
        tok->token_types[tok->unk] = WH_TOKEN_UNKNOWN;
    }
  tok->byte_fallback = wh_json_get_bool (model, "byte_fallback", FALSE);
  tok->fuse_unk = wh_json_get_bool (model, "fuse_unk", FALSE);
  tok->ignore_merges = wh_json_get_bool (model, "ignore_merges", FALSE);

  wh_merge_table_init (&tok->merges, json_array_get_length (merges));
  for (guint i = 0; i < json_array_get_length (merges); i++)
    {
      g_autofree char *left = NULL;
      g_autofree char *right = NULL;
      g_autofree char *joined = NULL;
      gint32 l, r, m;

      if (!parse_merge (json_array_get_element (merges, i), &left, &right))
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("“model.merges[%u]” is not a pair of tokens (\"a b\" or [\"a\", \"b\"])"), i);
      joined = g_strconcat (left, right, NULL);
      l = _wh_tokenizer_find (tok, left, strlen (left));
      r = _wh_tokenizer_find (tok, right, strlen (right));
      m = _wh_tokenizer_find (tok, joined, strlen (joined));
      if (l < 0 || r < 0 || m < 0)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("“model.merges[%u]” (“%s %s”) uses a token that is not in “model.vocab”; the file is damaged or incomplete"),
                        i, left, right);
      wh_merge_table_insert (&tok->merges, l, r, i, m);
    }

  return TRUE;
}

static gboolean
parse_added_tokens (Loader    *loader,
                    JsonArray *added)
{
  WhTokenizer *tok = loader->tok;

  for (guint i = 0; added != NULL && i < json_array_get_length (added); i++)
    {
      JsonObject *object = json_array_get_object_element (added, i);
      const char *content = wh_json_get_string (object, "content");
      WhAddedToken token = { 0 };

      token.content = (char *) content;
      token.length = strlen (content);
      token.id = json_object_get_int_member (object, "id");
      token.special = wh_json_get_bool (object, "special", FALSE);
      token.lstrip = wh_json_get_bool (object, "lstrip", FALSE);
      token.rstrip = wh_json_get_bool (object, "rstrip", FALSE);
      token.single_word = wh_json_get_bool (object, "single_word", FALSE);

      if (tok->tokens[token.id] != NULL && g_strcmp0 (tok->tokens[token.id], content) != 0)
        return invalid (loader, WH_TOKENIZER_ERROR_INVALID,
                        _("the added token “%s” has the id %d, which “model.vocab” gives to “%s”"),
                        content, token.id, tok->tokens[token.id]);
      _wh_tokenizer_set_token (tok, token.id, content, token.length,
                               token.special ? WH_TOKEN_CONTROL : WH_TOKEN_USER_DEFINED);
      _wh_tokenizer_add_added (tok, &token);
    }

  return TRUE;
}

WhTokenizer *
_wh_tokenizer_load_json (const char  *path,
                         GError     **error)
{
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;
  Loader loader = { NULL, display, &local_error };
  JsonObject *root, *model, *pre, *norm, *post, *decoder;
  JsonArray *added;
  gboolean byte_level;

  root_node = _wh_tokenizer_read_json (path, FALSE, error);
  if (root_node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INVALID,
                   _("Cannot use the tokenizer “%s”: it is not a JSON object"), display);
      return NULL;
    }

  root = json_node_get_object (root_node);
  model = wh_json_get_object (root, "model");
  pre = wh_json_get_object (root, "pre_tokenizer");
  norm = wh_json_get_object (root, "normalizer");
  post = wh_json_get_object (root, "post_processor");
  decoder = wh_json_get_object (root, "decoder");
  added = wh_json_get_array (root, "added_tokens");

  if (model == NULL)
    {
      g_set_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INVALID,
                   _("Cannot use the tokenizer “%s”: it has no “model” object"), display);
      return NULL;
    }

  byte_level = json_mentions_type (pre, "pretokenizers", "ByteLevel") ||
               json_mentions_type (decoder, "decoders", "ByteLevel");
  tok = _wh_tokenizer_new (byte_level ? WH_TOKENIZER_KIND_BYTE_LEVEL_BPE
                                      : WH_TOKENIZER_KIND_SENTENCEPIECE_BPE,
                           display);
  loader.tok = tok;

  if (!parse_model (&loader, model, added) ||
      !parse_added_tokens (&loader, added) ||
      (norm != NULL && !parse_normalizer (&loader, norm)) ||
      (pre != NULL && !parse_pre_tokenizer (&loader, pre)) ||
      (post != NULL && !parse_post_processor (&loader, post)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!byte_level)
    {
      if (tok->pre_steps->len > 0)
        {
          invalid (&loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                   _("SentencePiece-style BPE with a splitting pre-tokenizer is not supported"));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!tok->byte_fallback && tok->unk < 0)
        {
          invalid (&loader, WH_TOKENIZER_ERROR_UNSUPPORTED,
                   _("the tokenizer is neither byte-level nor SentencePiece-style (no ByteLevel, no byte fallback, no unknown token)"));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  tok->decode_strip_space = decoder_strips_space (decoder);

  if (!_wh_tokenizer_load_companions (tok, dir, &local_error) || !_wh_tokenizer_finish (tok, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&tok);
}
