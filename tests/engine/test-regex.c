/* test-regex.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wh-regex.h"

/* The pre-tokenizer regex engine.  Expected splits follow Oniguruma's
 * (and PCRE's) leftmost-first semantics, worked out by hand for each
 * case; the tokenizer suites check the engine against real tokenizers. */

static char *
all_matches (const char *pattern,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhRegex) regex = wh_regex_new (pattern, &error);
  g_autoptr(GArray) scratch = wh_regex_scratch_new ();
  g_autofree gunichar *cps = NULL;
  g_autofree guint8 *types = NULL;
  GString *out = g_string_new (NULL);
  glong n;
  WhRegexText view;
  gsize from = 0, start, end;

  g_assert_no_error (error);
  cps = g_utf8_to_ucs4_fast (text, -1, &n);
  types = g_new (guint8, MAX (n, 1));
  for (glong i = 0; i < n; i++)
    types[i] = g_unichar_type (cps[i]);
  view.cps = cps;
  view.types = types;
  view.n = n;

  while (wh_regex_search (regex, &view, from, scratch, &start, &end))
    {
      g_autofree char *piece = g_ucs4_to_utf8 (cps + start, end - start, NULL, NULL, NULL);

      g_string_append_printf (out, "[%s]", piece);
      from = end;
    }

  return g_string_free (out, FALSE);
}

#define GPT2 "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"
#define LLAMA3 "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

static void
test_matches (void)
{
  static const struct
  {
    const char *pattern;
    const char *text;
    const char *expected;
  } cases[] = {
    { "a+", "caaab aa", "[aaa][aa]" },
    { "a+?", "aaa", "[a][a][a]" },
    { "a{2}", "aaaaa", "[aa][aa]" },
    { "a{2,}", "a aaaa", "[aaaa]" },
    { "a{1,3}", "aaaaaaa", "[aaa][aaa][a]" },
    { "x(?:ab)+y", "xabababy xy", "[xabababy]" },
    { "(?:ab)*c", "ababc c", "[ababc][c]" },
    { "a|ab", "ab", "[a]" },
    { "ab|a", "ab", "[ab]" },
    { "\\s+(?!\\S)", "a   b", "[  ]" },
    { "\\s+(?!\\S)|\\s+", "a   b", "[  ][ ]" },
    { "a(?=b)", "ac ab", "[a]" },
    { "\\d+", "x12٣4y", "[12٣4]" },
    { "\\w+", "naïve_x, 42", "[naïve_x][42]" },
    { "[^a-c]+", "abcxyzab", "[xyz]" },
    { "[\\p{L}\\d]+", "ab12 ?é", "[ab12][é]" },
    { "\\p{Lu}\\p{Ll}+", "Hello WORLD World", "[Hello][World]" },
    { "\\P{L}+", "ab12 ?é", "[12 ?]" },
    { "\\pN+", "x123", "[123]" },
    { "\\p{Han}+", "日本語のテキスト", "[日本語]" },
    { "^a", "aaa", "[a]" },
    { "a$", "aaa", "[a]" },
    { "\\x41\\x{1F600}", "A😀", "[A😀]" },
    { "\\u00e9", "café", "[é]" },
    { ".+", "ab\ncd", "[ab][cd]" },
    { "(?i:ab)", "AB aB ab", "[AB][aB][ab]" },
    { "(?i:'s|'ll)", "'S 'Ll", "['S]['Ll]" },
    { "[\\[\\]]", "a[b]", "[[][]]" },
    { "a{", "a{", "[a{]" },
    { "\\$\\+", "$+", "[$+]" },
    { GPT2, "Hello world!  It's 2024.", "[Hello][ world][!][ ][ It]['s][ 2024][.]" },
    { GPT2, "I'M ok", "[I]['][M][ ok]" },
    { LLAMA3, "I'M ok\n\n  x", "[I]['M][ ok][\n\n][ ][ x]" },
    { LLAMA3, "12345", "[123][45]" },
    { LLAMA3, "a...\r\nb", "[a][...\r\n][b]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = all_matches (cases[i].pattern, cases[i].text);

      g_test_message ("/%s/ on “%s”", cases[i].pattern, cases[i].text);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_errors (void)
{
  static const struct
  {
    const char *pattern;
    int         code;
  } cases[] = {
    { "(a", WH_REGEX_ERROR_SYNTAX },
    { "a)", WH_REGEX_ERROR_SYNTAX },
    { "[abc", WH_REGEX_ERROR_SYNTAX },
    { "[z-a]", WH_REGEX_ERROR_SYNTAX },
    { "*a", WH_REGEX_ERROR_SYNTAX },
    { "a{3,1}", WH_REGEX_ERROR_SYNTAX },
    { "\\p{Nope}", WH_REGEX_ERROR_UNSUPPORTED },
    { "(?<=a)b", WH_REGEX_ERROR_UNSUPPORTED },
    { "a++", WH_REGEX_ERROR_UNSUPPORTED },
    { "(a?)*", WH_REGEX_ERROR_UNSUPPORTED },
    { "\\k", WH_REGEX_ERROR_UNSUPPORTED },
    { "a{100000}", WH_REGEX_ERROR_UNSUPPORTED },
    { "\\x{110000}", WH_REGEX_ERROR_SYNTAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WhRegex) regex = wh_regex_new (cases[i].pattern, &error);

      g_assert_null (regex);
      g_assert_error (error, WH_REGEX_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].pattern));
    }
}

/* Long runs stay linear: one backtracking frame per repeat, not per
 * character. */
static void
test_long_runs (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *got = NULL;

  for (int i = 0; i < 200000; i++)
    g_string_append_c (text, ' ');
  g_string_append (text, "x");
  got = all_matches (GPT2, text->str);
  g_assert_cmpuint (strlen (got), ==, 199999 + 2 + 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regex/matches", test_matches);
  g_test_add_func ("/regex/errors", test_errors);
  g_test_add_func ("/regex/long-runs", test_long_runs);

  return g_test_run ();
}
