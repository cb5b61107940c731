/* test-tokenizer.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "wh-tokenizer.h"

/* The tokenizer against the project's own fixtures in
 * tests/reference/tokenizers/, whose expected ids and texts come from
 * Hugging Face tokenizers (see the README there). */

static const char *fixtures[] = {
  "bytelevel-llama3", "bytelevel-qwen2", "bytelevel-gpt2",
  "metaspace", "spm-legacy", "added-tokens",
};

static char *
reference_path (const char *first,
                ...)
{
  const char *root = g_getenv ("WH_REFERENCE_DIR");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  g_ptr_array_add (parts, (gpointer) "tokenizers");
  g_ptr_array_add (parts, (gpointer) first);
  va_start (args, first);
  for (const char *p = va_arg (args, const char *); p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  return g_build_filenamev ((char **) parts->pdata);
}

static GArray *
ids_from_json (JsonArray *array)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint32 id = json_array_get_int_element (array, i);
      g_array_append_val (ids, id);
    }
  return ids;
}

static void
assert_ids (GArray     *got,
            GArray     *expected,
            const char *what,
            const char *text)
{
  if (got->len != expected->len ||
      memcmp (got->data, expected->data, got->len * sizeof (gint32)) != 0)
    {
      GString *msg = g_string_new (NULL);

      g_string_append_printf (msg, "%s of “%s”:\n  expected", what, text);
      for (guint i = 0; i < expected->len; i++)
        g_string_append_printf (msg, " %d", g_array_index (expected, gint32, i));
      g_string_append (msg, "\n  got     ");
      for (guint i = 0; i < got->len; i++)
        g_string_append_printf (msg, " %d", g_array_index (got, gint32, i));
      g_error ("%s", msg->str);
    }
}

static GArray *
encode (WhTokenizer   *tok,
        const char    *text,
        WhEncodeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  g_assert_true (wh_tokenizer_encode (tok, text, -1, flags, ids, &error));
  g_assert_no_error (error);
  return ids;
}

static char *
decode (WhTokenizer   *tok,
        GArray        *ids,
        WhDecodeFlags  flags)
{
  return wh_tokenizer_decode (tok, (const gint32 *) (gpointer) ids->data, ids->len, flags);
}

/* Decoding one token at a time gives the same text, and never half a
 * character. */
static void
check_stream (WhTokenizer *tok,
              GArray      *ids,
              const char  *expected)
{
  g_autoptr(WhTokenStream) stream = wh_token_stream_new (tok, WH_DECODE_NONE);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      wh_token_stream_push (stream, g_array_index (ids, gint32, i), out);
      g_assert_true (g_utf8_validate (out->str, out->len, NULL));
    }
  wh_token_stream_flush (stream, out);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = reference_path (name, NULL);
  g_autofree char *cases_path = reference_path (name, "cases.json", NULL);
  g_autofree char *json_path = reference_path (name, "tokenizer.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(WhTokenizer) from_file = NULL;
  JsonArray *cases;

  g_assert_true (json_parser_load_from_file (parser, cases_path, &error));
  g_assert_no_error (error);

  tok = wh_tokenizer_new_from_file (dir, &error);
  g_assert_no_error (error);
  from_file = wh_tokenizer_new_from_file (json_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wh_tokenizer_get_vocab_size (tok), ==, wh_tokenizer_get_vocab_size (from_file));

  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >, 30);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *text = json_object_get_string_member (c, "text");
      g_autoptr(GArray) want = ids_from_json (json_object_get_array_member (c, "ids"));
      g_autoptr(GArray) want_special = ids_from_json (json_object_get_array_member (c, "ids_with_special"));
      g_autoptr(GArray) want_plain = ids_from_json (json_object_get_array_member (c, "ids_no_special_parsing"));
      g_autoptr(GArray) got = encode (tok, text, WH_ENCODE_PARSE_SPECIAL);
      g_autoptr(GArray) got_special = encode (tok, text, WH_ENCODE_PARSE_SPECIAL | WH_ENCODE_ADD_SPECIAL);
      g_autoptr(GArray) got_plain = encode (tok, text, WH_ENCODE_NONE);
      g_autofree char *decoded = NULL;
      g_autofree char *decoded_skip = NULL;
      g_autofree char *decoded_with = NULL;

      assert_ids (got, want, "ids", text);
      assert_ids (got_special, want_special, "ids with special tokens", text);
      assert_ids (got_plain, want_plain, "ids without parsing special tokens", text);

      decoded = decode (tok, want, WH_DECODE_NONE);
      decoded_skip = decode (tok, want, WH_DECODE_SKIP_SPECIAL);
      decoded_with = decode (tok, want_special, WH_DECODE_NONE);
      g_assert_cmpstr (decoded, ==, json_object_get_string_member (c, "decoded"));
      g_assert_cmpstr (decoded_skip, ==, json_object_get_string_member (c, "decoded_skip_special"));
      g_assert_cmpstr (decoded_with, ==, json_object_get_string_member (c, "decoded_with_special"));
      check_stream (tok, want, decoded);
    }
}

static void
test_bad_files (void)
{
  static const struct
  {
    const char *file;
    int         code;
    const char *mentions;
  } cases[] = {
    { "truncated.json", WH_TOKENIZER_ERROR_PARSE, "truncated.json" },
    { "not-json.json", WH_TOKENIZER_ERROR_PARSE, "not-json.json" },
    { "unknown-model.json", WH_TOKENIZER_ERROR_UNSUPPORTED, "Unigram" },
    { "wordpiece.json", WH_TOKENIZER_ERROR_UNSUPPORTED, "WordPiece" },
    { "missing-merge-token.json", WH_TOKENIZER_ERROR_INVALID, "model.merges" },
    { "no-such-file.json", WH_TOKENIZER_ERROR_OPEN, "no-such-file.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = reference_path ("bad", cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(WhTokenizer) tok = wh_tokenizer_new_from_file (path, &error);

      g_assert_null (tok);
      g_assert_error (error, WH_TOKENIZER_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].file, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

/* A folder without tokenizer.json, and a tokenizer.json whose content is
 * wrong in ways the reference files do not cover. */
static void
test_bad_content (void)
{
  static const struct
  {
    const char *json;
    int         code;
    const char *mentions;
  } cases[] = {
    { "[1, 2, 3]", WH_TOKENIZER_ERROR_INVALID, "not a JSON object" },
    { "{}", WH_TOKENIZER_ERROR_INVALID, "“model”" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}", WH_TOKENIZER_ERROR_INVALID, "model.merges" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -4}, \"merges\": []}}", WH_TOKENIZER_ERROR_INVALID, "“a”" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 0}, \"merges\": []}, \"decoder\": {\"type\": \"ByteLevel\"}}",
      WH_TOKENIZER_ERROR_INVALID, "id 0" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a\"]}, \"decoder\": {\"type\": \"ByteLevel\"}}",
      WH_TOKENIZER_ERROR_INVALID, "model.merges[0]" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(a\"}, \"behavior\": \"Isolated\"}, \"decoder\": {\"type\": \"ByteLevel\"}}",
      WH_TOKENIZER_ERROR_UNSUPPORTED, "(a" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"normalizer\": {\"type\": \"Lowercase\"}, \"decoder\": {\"type\": \"ByteLevel\"}}",
      WH_TOKENIZER_ERROR_UNSUPPORTED, "Lowercase" },
    { "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": []}, \"added_tokens\": [{\"id\": 0, \"content\": \"b\"}], \"decoder\": {\"type\": \"ByteLevel\"}}",
      WH_TOKENIZER_ERROR_INVALID, "“b”" },
  };
  g_autofree char *dir = g_dir_make_tmp ("whetstone-tok-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tokenizer.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) none = wh_tokenizer_new_from_file (dir, &error);

  g_assert_null (none);
  g_assert_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "tokenizer.json"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(WhTokenizer) tok = NULL;

      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      tok = wh_tokenizer_new_from_file (path, &local_error);
      g_assert_null (tok);
      g_assert_error (local_error, WH_TOKENIZER_ERROR, cases[i].code);
      g_test_message ("case %u: %s", i, local_error->message);
      g_assert_nonnull (strstr (local_error->message, cases[i].mentions));
      g_assert_nonnull (strstr (local_error->message, "tokenizer.json"));
    }

  g_unlink (path);
  g_rmdir (dir);
}

static WhTokenizer *
load_fixture (const char *name)
{
  g_autofree char *dir = reference_path (name, NULL);
  g_autoptr(GError) error = NULL;
  WhTokenizer *tok = wh_tokenizer_new_from_file (dir, &error);

  g_assert_no_error (error);
  return tok;
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* The companion files decide BOS/EOS and the stop ids. */
static void
test_companion_files (void)
{
  g_autofree char *source = reference_path ("spm-legacy", "tokenizer.json", NULL);
  g_autofree char *json = NULL;
  g_autofree char *dir = g_dir_make_tmp ("whetstone-tok-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(GArray) ids = NULL;
  const gint32 *stops;
  gsize n_stops;
  g_autofree char *jinja = NULL;

  g_assert_true (g_file_get_contents (source, &json, NULL, NULL));
  write_file (dir, "tokenizer.json", json);
  write_file (dir, "tokenizer_config.json",
              "{\"bos_token\": {\"content\": \"<s>\"}, \"eos_token\": \"</s>\","
              " \"add_bos_token\": false, \"add_eos_token\": true}");
  write_file (dir, "generation_config.json", "{\"eos_token_id\": [2, 0]}");
  write_file (dir, "chat_template.jinja", "{% for m in messages %}<|im_start|>{{ m.content }}{% endfor %}");

  tok = wh_tokenizer_new_from_file (dir, &error);
  g_assert_no_error (error);

  /* add_bos_token false drops the post-processor's <s>; add_eos_token adds </s>. */
  ids = encode (tok, "Hi", WH_ENCODE_ADD_SPECIAL);
  g_assert_cmpint (g_array_index (ids, gint32, 0), !=, wh_tokenizer_get_bos (tok));
  g_assert_cmpint (g_array_index (ids, gint32, ids->len - 1), ==, wh_tokenizer_get_eos (tok));

  stops = wh_tokenizer_get_stop_ids (tok, &n_stops);
  g_assert_cmpuint (n_stops, ==, 2);
  g_assert_cmpint (stops[0], ==, wh_tokenizer_get_eos (tok));
  g_assert_cmpint (stops[1], ==, 0);

  g_assert_nonnull (strstr (wh_tokenizer_get_chat_template (tok), "<|im_start|>"));

  /* A damaged companion names itself. */
  write_file (dir, "generation_config.json", "{\"eos_token_id\": [2,");
  g_clear_pointer (&tok, wh_tokenizer_unref);
  tok = wh_tokenizer_new_from_file (dir, &error);
  g_assert_null (tok);
  g_assert_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "generation_config.json"));

  for (const char *const *name = (const char *const[]) { "tokenizer.json", "tokenizer_config.json",
                                                         "generation_config.json", "chat_template.jinja", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(WhTokenizer) tok = load_fixture ("bytelevel-qwen2");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;

  g_assert_false (wh_tokenizer_encode (tok, "abc\xff" "def", -1, WH_ENCODE_NONE, ids, &error));
  g_assert_error (error, WH_TOKENIZER_ERROR, WH_TOKENIZER_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "byte 3"));
  g_assert_cmpuint (ids->len, ==, 0);
}

/* Special tokens from the text only when asked; a dataset quoting
 * “<|im_end|>” must not end the turn. */
static void
test_special_parsing (void)
{
  g_autoptr(WhTokenizer) tok = load_fixture ("bytelevel-qwen2");
  gint32 im_end = wh_tokenizer_lookup (tok, "<|im_end|>");
  g_autoptr(GArray) parsed = encode (tok, "say <|im_end|> now", WH_ENCODE_PARSE_SPECIAL);
  g_autoptr(GArray) plain = encode (tok, "say <|im_end|> now", WH_ENCODE_NONE);
  gboolean found = FALSE;
  gsize n_stop;
  const gint32 *stops = wh_tokenizer_get_stop_ids (tok, &n_stop);

  g_assert_cmpint (im_end, >=, 0);
  for (guint i = 0; i < parsed->len; i++)
    found |= g_array_index (parsed, gint32, i) == im_end;
  g_assert_true (found);
  for (guint i = 0; i < plain->len; i++)
    g_assert_cmpint (g_array_index (plain, gint32, i), !=, im_end);

  /* Qwen2's stop ids: its EOS (<|im_end|>) and <|endoftext|>. */
  g_assert_cmpint (wh_tokenizer_get_eos (tok), ==, im_end);
  g_assert_cmpuint (n_stop, >=, 2);
  g_assert_cmpint (stops[0], ==, im_end);
  g_assert_cmpint (wh_tokenizer_get_pad (tok), ==, wh_tokenizer_lookup (tok, "<|endoftext|>"));
  g_assert_cmpint (wh_tokenizer_get_bos (tok), ==, -1);
}

static void
test_stream_holds_partial_characters (void)
{
  g_autoptr(WhTokenizer) tok = load_fixture ("metaspace");
  g_autoptr(GArray) ids = encode (tok, "日本", WH_ENCODE_NONE);
  g_autoptr(WhTokenStream) stream = wh_token_stream_new (tok, WH_DECODE_NONE);
  g_autoptr(GString) out = g_string_new (NULL);
  guint pushed = 0;

  /* Byte fallback: three <0xXX> tokens per character (after ▁). */
  g_assert_cmpuint (ids->len, >=, 6);
  for (; pushed < ids->len; pushed++)
    {
      wh_token_stream_push (stream, g_array_index (ids, gint32, pushed), out);
      g_assert_true (g_utf8_validate (out->str, out->len, NULL));
      g_assert_true (out->len == 0 || g_str_equal (out->str, "日") || g_str_equal (out->str, "日本"));
    }
  g_assert_cmpstr (out->str, ==, "日本");

  /* A character cut off at the end becomes U+FFFD when flushed. */
  g_string_truncate (out, 0);
  {
    g_autoptr(WhTokenStream) cut = wh_token_stream_new (tok, WH_DECODE_NONE);

    for (guint i = 0; i + 1 < ids->len; i++)
      wh_token_stream_push (cut, g_array_index (ids, gint32, i), out);
    g_assert_cmpstr (out->str, ==, "日");
    wh_token_stream_flush (cut, out);
    g_assert_cmpstr (out->str, ==, "日\xef\xbf\xbd");
  }
}

/* Tokens that straddle the space between markup and content make that
 * space come and go; compare without spaces. */
static char *
without_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
assert_same_words (const char *got,
                   const char *want)
{
  g_autofree char *a = without_spaces (got);
  g_autofree char *b = without_spaces (want);

  g_assert_cmpstr (a, ==, b);
}

static GArray *
masked_ids (GArray *ids,
            GArray *mask)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint32));

  g_assert_cmpuint (ids->len, ==, mask->len);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (mask, guint8, i))
      g_array_append_val (out, g_array_index (ids, gint32, i));
  return out;
}

/* A rendered conversation encodes as its joined text would, except that
 * special tokens come only from the template; the mask covers the
 * assistant's words and its end-of-turn token. */
static void
check_chat (const char   *fixture,
            WhChatFamily  family,
            const char   *end_of_turn)
{
  g_autoptr(WhTokenizer) tok = load_fixture (fixture);
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autoptr(GError) error = NULL;
  const WhChatMessage plain[] = {
    { WH_CHAT_ROLE_USER, "How do I sharpen a knife?", FALSE },
    { WH_CHAT_ROLE_ASSISTANT, "Use a whetstone, at 20 degrees.", TRUE },
    { WH_CHAT_ROLE_USER, "And then?", FALSE },
    { WH_CHAT_ROLE_ASSISTANT, "Hone it.", TRUE },
  };
  const WhChatMessage quoting[] = {
    { WH_CHAT_ROLE_USER, "Print </s> and <|im_end|> literally", FALSE },
    { WH_CHAT_ROLE_ASSISTANT, "Here: </s> <|im_end|>", TRUE },
  };
  gint32 eot = wh_tokenizer_lookup (tok, end_of_turn);

  g_assert_cmpint (eot, >=, 0);
  tmpl = wh_chat_template_new (family,
                               wh_tokenizer_get_token_text (tok, wh_tokenizer_get_bos (tok)),
                               wh_tokenizer_get_token_text (tok, wh_tokenizer_get_eos (tok)));

  {
    g_autoptr(GPtrArray) segments = wh_chat_template_render (tmpl, plain, G_N_ELEMENTS (plain), FALSE, &error);
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
    g_autoptr(GArray) mask = g_array_new (FALSE, FALSE, sizeof (guint8));
    g_autofree char *joined = NULL;
    g_autoptr(GArray) expected = NULL;
    g_autoptr(GArray) learned = NULL;
    g_autofree char *learned_text = NULL;
    g_autofree char *want = NULL;

    g_assert_no_error (error);
    g_assert_true (wh_tokenizer_encode_segments (tok, segments, ids, mask, &error));
    g_assert_no_error (error);
    joined = wh_chat_segments_join (segments);
    expected = encode (tok, joined, WH_ENCODE_PARSE_SPECIAL);
    assert_ids (ids, expected, "rendered conversation", joined);

    learned = masked_ids (ids, mask);
    learned_text = decode (tok, learned, WH_DECODE_NONE);
    want = g_strconcat (plain[1].content, end_of_turn, plain[3].content, end_of_turn, NULL);
    assert_same_words (learned_text, want);
  }

  {
    g_autoptr(GPtrArray) segments = wh_chat_template_render (tmpl, quoting, G_N_ELEMENTS (quoting), FALSE, &error);
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
    g_autoptr(GArray) mask = g_array_new (FALSE, FALSE, sizeof (guint8));
    g_autoptr(GArray) learned = NULL;
    g_autofree char *learned_text = NULL;
    g_autofree char *want = NULL;
    guint n_eot = 0, n_eot_learned = 0;

    g_assert_no_error (error);
    g_assert_true (wh_tokenizer_encode_segments (tok, segments, ids, mask, &error));
    for (guint i = 0; i < ids->len; i++)
      if (g_array_index (ids, gint32, i) == eot)
        {
          n_eot++;
          n_eot_learned += g_array_index (mask, guint8, i);
        }
    /* Only the template's end-of-turn tokens are special ids. */
    g_assert_cmpuint (n_eot_learned, ==, 1);
    g_assert_cmpuint (n_eot, <=, 2);

    learned = masked_ids (ids, mask);
    learned_text = decode (tok, learned, WH_DECODE_NONE);
    want = g_strconcat (quoting[1].content, end_of_turn, NULL);
    assert_same_words (learned_text, want);
  }
}

static void
test_chat_chatml (void)
{
  check_chat ("bytelevel-qwen2", WH_CHAT_FAMILY_CHATML, "<|im_end|>");
}

static void
test_chat_llama2 (void)
{
  check_chat ("spm-legacy", WH_CHAT_FAMILY_LLAMA2, "</s>");
}

/* The playground's prompt: the conversation so far and the assistant's
 * header, nothing learned from. */
static void
test_chat_generation_prompt (void)
{
  g_autoptr(WhTokenizer) tok = load_fixture ("bytelevel-qwen2");
  g_autoptr(WhChatTemplate) tmpl = wh_chat_template_new (WH_CHAT_FAMILY_CHATML, NULL, "<|im_end|>");
  const WhChatMessage messages[] = {
    { WH_CHAT_ROLE_SYSTEM, "Answer in French.", FALSE },
    { WH_CHAT_ROLE_USER, "Good morning!", FALSE },
  };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) mask = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (wh_tokenizer_encode_chat (tok, tmpl, messages, G_N_ELEMENTS (messages), TRUE,
                                           ids, mask, &text, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "<|im_start|>system\nAnswer in French.<|im_end|>\n"
                   "<|im_start|>user\nGood morning!<|im_end|>\n"
                   "<|im_start|>assistant\n");
  expected = encode (tok, text, WH_ENCODE_PARSE_SPECIAL);
  assert_ids (ids, expected, "generation prompt", text);
  for (guint i = 0; i < mask->len; i++)
    g_assert_cmpuint (g_array_index (mask, guint8, i), ==, 0);

  /* A conversation the family cannot render is an error, not ids. */
  g_array_set_size (ids, 0);
  g_assert_false (wh_tokenizer_encode_chat (tok, tmpl, messages, 0, TRUE, ids, mask, NULL, &error));
  g_assert_error (error, WH_CHAT_TEMPLATE_ERROR, WH_CHAT_TEMPLATE_ERROR_CONVERSATION);
  g_assert_cmpuint (ids->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tokenizer/fixture/%s", fixtures[i]);

      g_test_add_data_func (path, fixtures[i], test_fixture);
    }
  g_test_add_func ("/tokenizer/bad-files", test_bad_files);
  g_test_add_func ("/tokenizer/bad-content", test_bad_content);
  g_test_add_func ("/tokenizer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/tokenizer/companion-files", test_companion_files);
  g_test_add_func ("/tokenizer/special-parsing", test_special_parsing);
  g_test_add_func ("/tokenizer/stream", test_stream_holds_partial_characters);
  g_test_add_func ("/tokenizer/chat/chatml", test_chat_chatml);
  g_test_add_func ("/tokenizer/chat/llama2", test_chat_llama2);
  g_test_add_func ("/tokenizer/chat/generation-prompt", test_chat_generation_prompt);

  return g_test_run ();
}
