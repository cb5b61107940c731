/* test-tokenizer-conformance.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-tokenizer.h"

/* The llama.cpp vocabulary suites in ../shared/testdata/vocab/: each text
 * of X.gguf.inp must encode (no BOS, specials not parsed) to the ids on
 * the same line of X.gguf.out, which Hugging Face tokenizers produced.
 * The files are read in place. */

#define SEPARATOR "\n__ggml_vocab_test__\n"

static const char *suites[] = {
  "llama-spm", "phi-3", "gpt-2", "falcon", "deepseek-coder",
  "deepseek-llm", "mpt", "refact", "starcoder",
};

static char *
vocab_dir (void)
{
  const char *root = g_getenv ("WH_TESTDATA_DIR");
  g_autofree char *dir = NULL;

  if (root == NULL)
    return NULL;
  dir = g_build_filename (root, "vocab", NULL);
  return g_file_test (dir, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&dir) : NULL;
}

static char *
format_ids (const gint32 *ids,
            gsize         n)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, " %d", ids[i]);
  return g_string_free (s, FALSE);
}

static void
test_suite (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = vocab_dir ();
  g_autofree char *gguf = NULL;
  g_autofree char *inp_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *inp = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_auto(GStrv) texts = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_texts, passed = 0;

  if (dir == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/vocab) is absent");
      return;
    }

  gguf = g_strdup_printf ("%s/ggml-vocab-%s.gguf", dir, name);
  inp_path = g_strconcat (gguf, ".inp", NULL);
  out_path = g_strconcat (gguf, ".out", NULL);

  tok = wh_tokenizer_new_from_file (gguf, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tok);

  g_assert_true (g_file_get_contents (inp_path, &inp, NULL, NULL));
  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));

  /* The .inp file ends with the separator too. */
  texts = g_strsplit (inp, SEPARATOR, -1);
  lines = g_strsplit (out, "\n", -1);
  n_texts = g_strv_length (texts);
  if (n_texts > 0 && texts[n_texts - 1][0] == '\0')
    n_texts--;
  g_assert_cmpuint (g_strv_length (lines), >=, n_texts);

  for (guint i = 0; i < n_texts; i++)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autofree char *got = NULL;
      g_autofree char *roundtrip = NULL;

      g_assert_true (wh_tokenizer_encode (tok, texts[i], -1, WH_ENCODE_NONE, ids, &error));
      g_assert_no_error (error);
      got = format_ids ((const gint32 *) (gpointer) ids->data, ids->len);
      if (g_strcmp0 (g_strchomp (lines[i]), got) == 0 ||
          (lines[i][0] == '\0' && got[0] == '\0'))
        passed++;
      else
        g_test_message ("%s text %u “%s”\n  expected:%s\n  got:     %s",
                        name, i, texts[i], lines[i], got);

      /* Decoding gives the text back when nothing was lost. */
      roundtrip = wh_tokenizer_decode (tok, (const gint32 *) (gpointer) ids->data, ids->len,
                                       WH_DECODE_NONE);
      g_assert_nonnull (roundtrip);
    }

  g_test_message ("%s: %u/%u texts match", name, passed, n_texts);
  g_assert_cmpuint (passed, ==, n_texts);
}

static void
test_every_vocab_loads (void)
{
  g_autofree char *dir = vocab_dir ();
  g_autoptr(GDir) listing = NULL;
  const char *entry;
  guint loaded = 0;

  if (dir == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/vocab) is absent");
      return;
    }

  listing = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (listing);
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(WhTokenizer) tok = NULL;
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autofree char *text = NULL;
      const char *sample = "Hello world! Ça va? 1234 日本語 🙂";

      if (!g_str_has_suffix (entry, ".gguf"))
        continue;
      path = g_build_filename (dir, entry, NULL);
      tok = wh_tokenizer_new_from_file (path, &error);
      g_assert_no_error (error);

      g_assert_true (wh_tokenizer_encode (tok, sample, -1, WH_ENCODE_ADD_SPECIAL, ids, &error));
      g_assert_cmpuint (ids->len, >, 5);
      text = wh_tokenizer_decode (tok, (const gint32 *) (gpointer) ids->data, ids->len,
                                  WH_DECODE_SKIP_SPECIAL);
      g_assert_cmpstr (text, ==, sample);
      loaded++;
    }
  g_assert_cmpuint (loaded, ==, 11);
}

/* A cut-off or damaged vocabulary gives an error naming the file. */
static void
test_damaged_vocab (void)
{
  g_autofree char *dir = vocab_dir ();
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *copy = NULL;
  gsize length;

  if (dir == NULL)
    {
      g_test_skip ("The shared test data (../shared/testdata/vocab) is absent");
      return;
    }

  path = g_build_filename (dir, "ggml-vocab-gpt-2.gguf", NULL);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  tmp_dir = g_dir_make_tmp ("whetstone-vocab-XXXXXX", NULL);
  copy = g_build_filename (tmp_dir, "damaged.gguf", NULL);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WhTokenizer) tok = NULL;
      gsize cut = length / 7 * (i + 1);
      g_autofree char *bytes = g_memdup2 (contents, length);

      /* Even: cut short; odd: the merges' lengths overwritten. */
      if (i % 2 == 1)
        memset (bytes + cut, 0xff, 64);
      g_assert_true (g_file_set_contents (copy, bytes, i % 2 == 0 ? cut : length, NULL));
      tok = wh_tokenizer_new_from_file (copy, &error);
      g_assert_null (tok);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "damaged.gguf"));
    }

  g_unlink (copy);
  g_rmdir (tmp_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tokenizer/conformance/%s", suites[i]);

      g_test_add_data_func (path, suites[i], test_suite);
    }
  g_test_add_func ("/tokenizer/conformance/every-vocab", test_every_vocab_loads);
  g_test_add_func ("/tokenizer/conformance/damaged-vocab", test_damaged_vocab);

  return g_test_run ();
}
