/* wh-cli-bench-data.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wh-cli.h"
#include "wh-dataset.h"

/* `whetstone-cli bench data`: imports, checks and tokenizes a generated
 * chat dataset (JSON Lines), reporting seconds and peak memory.  Two sizes
 * show that memory follows the number of examples, not the file. */

static const char *const subjects[] = {
  "my order", "the invoice", "a refund", "the app", "my password", "the delivery", "my account",
  "the subscription", "a discount code", "the warranty", "the update", "my bank card",
};
static const char *const verbs[] = {
  "change", "cancel", "find", "reset", "track", "renew", "download", "share", "pause", "check",
};
static const char *const openers[] = {
  "Of course.", "Happy to help.", "Sure thing.", "Thanks for asking.", "Good question.",
};
static const char *const steps[] = {
  "open Settings", "tap Account", "choose the item in the list", "press Save", "sign in again",
  "wait a minute and refresh", "check your e-mail for a link", "select the last month",
};

static void
write_example (GString *out,
               GRand   *rand,
               guint    index)
{
  const char *subject = subjects[g_rand_int_range (rand, 0, G_N_ELEMENTS (subjects))];
  const char *verb = verbs[g_rand_int_range (rand, 0, G_N_ELEMENTS (verbs))];
  guint n_steps = g_rand_int_range (rand, 1, 5);

  g_string_append_printf (out,
                          "{\"messages\": [{\"role\": \"system\", \"content\": \"You are the support assistant of a shop.\"}, "
                          "{\"role\": \"user\", \"content\": \"How do I %s %s? (ticket %u)\"}, "
                          "{\"role\": \"assistant\", \"content\": \"%s To %s %s,",
                          verb, subject, index, openers[g_rand_int_range (rand, 0, G_N_ELEMENTS (openers))], verb, subject);
  for (guint s = 0; s < n_steps; s++)
    g_string_append_printf (out, " %s%s", steps[g_rand_int_range (rand, 0, G_N_ELEMENTS (steps))],
                            s + 1 < n_steps ? ", then" : ".");
  g_string_append (out, "\"}]}\n");
}

static char *
generate (guint    n,
          GError **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) out = g_string_new (NULL);
  char *path = NULL;
  int fd = g_file_open_tmp ("whetstone-bench-XXXXXX.jsonl", &path, error);

  if (fd < 0)
    return NULL;
  close (fd);
  for (guint i = 0; i < n; i++)
    write_example (out, rand, i);
  if (!g_file_set_contents (path, out->str, out->len, error))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

static gsize
peak_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtoul (line + 6, NULL, 10) : 0;
}

/* Resets the peak so that each run measures its own. */
static void
reset_peak (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

int
wh_cli_bench_data (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autofree char *model = NULL;
  int examples = 100000;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Count tokens with this tokenizer (folder, tokenizer.json or .gguf)"), N_("PATH") },
    { "examples", 'n', 0, G_OPTION_ARG_INT, &examples, N_("Examples to generate (default 100000)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };
  guint sizes[2];
  g_autoptr(JsonBuilder) b = json_builder_new ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Measures importing, checking and tokenizing a generated chat dataset."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  examples = CLAMP (examples, 10, 10000000);
  sizes[0] = examples / 10;
  sizes[1] = examples;

  if (model != NULL)
    {
      if (!(tok = wh_tokenizer_new_from_file (model, &error)))
        return wh_cli_fail (error);
      tmpl = wh_chat_template_new (WH_CHAT_FAMILY_CHATML, NULL, NULL);
    }

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = generate (sizes[i], &error);
      g_autoptr(WhDataset) ds = NULL;
      WhDatasetOptions options;
      GStatBuf st;
      gsize before;

      if (path == NULL)
        return wh_cli_fail (error);
      g_stat (path, &st);

      wh_dataset_options_init (&options);
      options.tokenizer = tok;
      options.chat_template = tmpl;
      reset_peak ();
      before = peak_kib ();
      ds = wh_dataset_import (path, &options, NULL, NULL, NULL, &error);
      g_unlink (path);
      if (ds == NULL)
        return wh_cli_fail (error);

      if (json)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "examples");
          json_builder_add_int_value (b, wh_dataset_get_stats (ds)->examples);
          json_builder_set_member_name (b, "bytes");
          json_builder_add_int_value (b, st.st_size);
          json_builder_set_member_name (b, "seconds");
          json_builder_add_double_value (b, wh_dataset_get_stats (ds)->seconds);
          json_builder_set_member_name (b, "peak_rss_kib");
          json_builder_add_int_value (b, peak_kib ());
          json_builder_set_member_name (b, "peak_rss_growth_kib");
          json_builder_add_int_value (b, peak_kib () - before);
          json_builder_end_object (b);
        }
      else
        g_print ("%u %s (%.1f MB%s): %.2f s, %s %.1f MiB (+%.1f MiB %s)\n",
                 sizes[i], _("examples"), st.st_size / 1e6, tok != NULL ? _(", tokenized") : "",
                 wh_dataset_get_stats (ds)->seconds, _("peak memory"), peak_kib () / 1024.0,
                 (peak_kib () - before) / 1024.0, _("while importing"));
    }
  json_builder_end_array (b);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      wh_cli_print_json (root);
    }
  return WH_CLI_EXIT_OK;
}
