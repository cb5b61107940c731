/* wh-cli-bench-tokenize.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "wh-cli.h"
#include "wh-tokenizer.h"

/* `whetstone-cli bench tokenize`: encoding speed on one core, in MB of
 * UTF-8 per second, with the text cut into paragraphs as a dataset's rows
 * would be.  The first pass meets every word for the first time; later
 * passes show the steady state of a long import.  Resident memory is read
 * before and after, to show it follows the vocabulary, not the text. */

#define DEFAULT_CORPUS "/usr/share/common-licenses"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
read_default_corpus (GString  *out,
                     GError  **error)
{
  g_autoptr(GDir) dir = g_dir_open (DEFAULT_CORPUS, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      g_prefix_error (error, _("No text to measure with (give --file): "));
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (DEFAULT_CORPUS, (const char *) g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      gsize length;

      /* Plain files only, and only the English ones that are UTF-8. */
      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
          !g_file_get_contents (path, &contents, &length, NULL) ||
          !g_utf8_validate_len (contents, length, NULL))
        continue;
      g_string_append_len (out, contents, length);
      g_string_append (out, "\n\n");
    }

  return TRUE;
}

static gsize
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtoul (line + 6, NULL, 10) : 0;
}

/* Encodes every paragraph once; returns seconds and counts tokens. */
static double
encode_pass (WhTokenizer  *tok,
             GPtrArray    *paragraphs,
             gsize        *n_tokens)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint32), 4096);
  gint64 start = g_get_monotonic_time ();

  *n_tokens = 0;
  for (guint i = 0; i < paragraphs->len; i++)
    {
      const char *p = g_ptr_array_index (paragraphs, i);

      g_array_set_size (ids, 0);
      wh_tokenizer_encode (tok, p, -1, WH_ENCODE_NONE, ids, NULL);
      *n_tokens += ids->len;
    }

  return (g_get_monotonic_time () - start) / 1e6;
}

int
wh_cli_bench_tokenize (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(GString) corpus = g_string_new (NULL);
  g_autoptr(GPtrArray) paragraphs = g_ptr_array_new ();
  g_auto(GStrv) parts = NULL;
  g_autofree char *model = NULL;
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  int passes = 5;
  gsize rss_before, rss_loaded, rss_after, n_tokens = 0;
  double load_s, cold_s, warm_s = 0, mb;
  gint64 t0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
      N_("A model folder, a tokenizer.json or a .gguf file"), N_("PATH") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
      N_("English text to encode (default: the licence texts in " DEFAULT_CORPUS ")"), N_("FILE") },
    { "passes", 'n', 0, G_OPTION_ARG_INT, &passes, N_("Passes after the first (default 5)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Measures how fast a tokenizer encodes English text on one core."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (model == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give the tokenizer with --model PATH"));
      return WH_CLI_EXIT_USAGE;
    }
  passes = CLAMP (passes, 1, 1000);

  if (file != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (file, &contents, &length, &error))
        return wh_cli_fail (error);
      g_string_append_len (corpus, contents, length);
    }
  else if (!read_default_corpus (corpus, &error))
    return wh_cli_fail (error);

  parts = g_strsplit (corpus->str, "\n\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (paragraphs, parts[i]);
  mb = corpus->len / 1e6;

  rss_before = resident_kib ();
  t0 = g_get_monotonic_time ();
  if (!(tok = wh_tokenizer_new_from_file (model, &error)))
    return wh_cli_fail (error);
  load_s = (g_get_monotonic_time () - t0) / 1e6;
  rss_loaded = resident_kib ();

  cold_s = encode_pass (tok, paragraphs, &n_tokens);
  for (int i = 0; i < passes; i++)
    warm_s += encode_pass (tok, paragraphs, &n_tokens);
  warm_s /= passes;
  rss_after = resident_kib ();

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, model);
      json_builder_set_member_name (b, "text_bytes");
      json_builder_add_int_value (b, corpus->len);
      json_builder_set_member_name (b, "tokens");
      json_builder_add_int_value (b, n_tokens);
      json_builder_set_member_name (b, "load_seconds");
      json_builder_add_double_value (b, load_s);
      json_builder_set_member_name (b, "first_pass_mb_per_s");
      json_builder_add_double_value (b, mb / cold_s);
      json_builder_set_member_name (b, "steady_mb_per_s");
      json_builder_add_double_value (b, mb / warm_s);
      json_builder_set_member_name (b, "tokenizer_rss_kib");
      json_builder_add_int_value (b, rss_loaded - rss_before);
      json_builder_set_member_name (b, "encoding_rss_growth_kib");
      json_builder_add_int_value (b, rss_after - rss_loaded);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      wh_cli_print_json (root);
      return WH_CLI_EXIT_OK;
    }

  g_print ("%s: %s (%s, %u %s)\n", _("Tokenizer"), model,
           wh_tokenizer_get_kind (tok) == WH_TOKENIZER_KIND_BYTE_LEVEL_BPE ? "byte-level BPE" : "SentencePiece BPE",
           wh_tokenizer_get_vocab_size (tok), _("tokens"));
  g_print ("%s: %.2f MB, %u %s, %" G_GSIZE_FORMAT " %s (%.2f %s)\n", _("Text"), mb,
           paragraphs->len, _("paragraphs"), n_tokens, _("tokens"),
           (double) corpus->len / MAX (n_tokens, 1), _("bytes per token"));
  g_print ("%s: %.2f s, %.1f MiB\n", _("Loading"), load_s, (rss_loaded - rss_before) / 1024.0);
  g_print ("%s: %.1f MB/s\n", _("First pass"), mb / cold_s);
  g_print ("%s: %.1f MB/s (%.2f M %s)\n", _("Steady state"), mb / warm_s,
           n_tokens / warm_s / 1e6, _("tokens/s"));
  g_print ("%s: %+.1f MiB\n", _("Memory growth while encoding"), ((gssize) rss_after - (gssize) rss_loaded) / 1024.0);

  return WH_CLI_EXIT_OK;
}
