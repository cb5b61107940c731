/* wh-cli-validate.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "wh-cli.h"
#include "wh-dataset.h"
#include "wh-recipe.h"

/* `whetstone-cli validate`: the dataset doctor on the command line.
 * Exit status 0 when there is something to train on, 1 when not, 2 when
 * the file cannot be read as a dataset. */

#define EXIT_UNREADABLE 2

static void
print_human (WhDataset  *ds,
             const char *path)
{
  const WhDatasetStats *st = wh_dataset_get_stats (ds);
  GPtrArray *problems = wh_dataset_get_problems (ds);
  guint errors = 0, warnings = 0;

  g_print ("%s: %s (%s)\n", _("Dataset"), path, wh_file_kind_to_string (wh_dataset_get_kind (ds)));
  g_print ("%s: %s\n", _("Format"), wh_dataset_format_to_string (wh_dataset_get_format (ds)));
  g_print ("  %s\n", wh_dataset_get_reason (ds));
  g_print ("%s: %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " %s, %" G_GUINT64_FORMAT " %s); %" G_GUINT64_FORMAT " %s\n",
           _("Examples"), st->examples, st->train_examples, _("training"), st->val_examples, _("validation"),
           st->excluded, _("rows left out"));
  g_print ("%s: %" G_GUINT64_FORMAT "\n", _("Turns"), st->turns);
  if (st->tokens > 0)
    {
      guint peak = 1;

      g_print ("%s: %" G_GUINT64_FORMAT " (%s %u, %s %u, p95 %u, %s %u)\n", _("Tokens"), st->tokens,
               _("shortest"), st->tokens_min, _("median"), st->tokens_median, st->tokens_p95,
               _("longest"), st->tokens_max);
      g_print ("%s: %" G_GUINT64_FORMAT "\n", _("Tokens trained on per epoch"), st->train_tokens);
      for (guint i = 0; i < G_N_ELEMENTS (st->histogram); i++)
        peak = MAX (peak, st->histogram[i]);
      g_print ("%s:\n", _("Lengths in tokens"));
      for (guint i = 0; i < G_N_ELEMENTS (st->histogram); i++)
        {
          g_autofree char *bar = g_strnfill ((st->histogram[i] * 40 + peak - 1) / peak, '#');

          if (st->histogram_bin * i > st->tokens_max)
            break;
          g_print ("  %6u–%-6u %6u %s\n", st->histogram_bin * i, st->histogram_bin * (i + 1) - 1,
                   st->histogram[i], bar);
        }
    }

  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *p = g_ptr_array_index (problems, i);

      if (p->severity == WH_PROBLEM_ERROR)
        errors++;
      else
        warnings++;
    }
  g_print ("\n%s: %u %s, %u %s\n", _("Problems"), errors, _("errors (rows left out)"), warnings, _("warnings"));
  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *p = g_ptr_array_index (problems, i);

      if (p->line > 0)
        g_print ("  %-7s %s %" G_GUINT64_FORMAT ": [%s] %s\n", p->severity == WH_PROBLEM_ERROR ? _("error") : _("warning"),
                 _("line"), p->line, wh_problem_category_to_string (p->category), p->message);
      else
        g_print ("  %-7s [%s] %s\n", p->severity == WH_PROBLEM_ERROR ? _("error") : _("warning"),
                 wh_problem_category_to_string (p->category), p->message);
      g_print ("          → %s\n", p->fix);
    }
  for (guint c = 0; c < WH_PROBLEM_N_CATEGORIES; c++)
    if (st->problem_counts[c] > 200)
      g_print ("  … %s %u %s “%s”\n", _("and"), st->problem_counts[c] - 200, _("more of"),
               wh_problem_category_to_string (c));
}

static JsonNode *
to_json (WhDataset  *ds,
         const char *path)
{
  const WhDatasetStats *st = wh_dataset_get_stats (ds);
  GPtrArray *problems = wh_dataset_get_problems (ds);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, wh_file_kind_to_string (wh_dataset_get_kind (ds)));
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, wh_dataset_format_to_string (wh_dataset_get_format (ds)));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, wh_dataset_get_reason (ds));
  json_builder_set_member_name (b, "usable");
  json_builder_add_boolean_value (b, wh_dataset_is_usable (ds));
#define INT(name, value) json_builder_set_member_name (b, name); json_builder_add_int_value (b, value)
  INT ("rows", st->rows);
  INT ("examples", st->examples);
  INT ("train_examples", st->train_examples);
  INT ("val_examples", st->val_examples);
  INT ("excluded", st->excluded);
  INT ("turns", st->turns);
  INT ("tokens", st->tokens);
  INT ("train_tokens_per_epoch", st->train_tokens);
  INT ("tokens_min", st->tokens_min);
  INT ("tokens_median", st->tokens_median);
  INT ("tokens_p95", st->tokens_p95);
  INT ("tokens_max", st->tokens_max);
  INT ("histogram_bin", st->histogram_bin);
#undef INT
  json_builder_set_member_name (b, "histogram");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (st->histogram); i++)
    json_builder_add_int_value (b, st->histogram[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "problem_counts");
  json_builder_begin_object (b);
  for (guint c = 0; c < WH_PROBLEM_N_CATEGORIES; c++)
    {
      json_builder_set_member_name (b, wh_problem_category_to_string (c));
      json_builder_add_int_value (b, st->problem_counts[c]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *p = g_ptr_array_index (problems, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, wh_problem_category_to_string (p->category));
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, p->severity == WH_PROBLEM_ERROR ? "error" : "warning");
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, p->line);
      json_builder_set_member_name (b, "column");
      json_builder_add_int_value (b, p->column);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, p->message);
      json_builder_set_member_name (b, "fix");
      json_builder_add_string_value (b, p->fix);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
wh_cli_validate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WhTokenizer) tok = NULL;
  g_autoptr(WhChatTemplate) tmpl = NULL;
  g_autoptr(WhDataset) ds = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *model = NULL;
  g_autofree char *preset = NULL;
  g_auto(GStrv) columns = NULL;
  gboolean json = FALSE;
  int max_seq_len = 0;
  double val_fraction = 0.1;
  WhRecipe recipe;
  WhDatasetOptions options;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Read the rows as this format: openai, sharegpt, alpaca, prompt-completion, text, preference"), N_("FORMAT") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("Count tokens with this model’s tokenizer and template"), N_("PATH") },
    { "preset", 'p', 0, G_OPTION_ARG_FILENAME, &preset, N_("A preset recipe (system prompt, length, columns)"), N_("FILE") },
    { "max-seq-len", 'n', 0, G_OPTION_ARG_INT, &max_seq_len, N_("Longest example allowed, in tokens"), N_("N") },
    { "columns", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &columns, N_("Map a CSV column to a role, e.g. question=user (repeatable)"), N_("COLUMN=ROLE") },
    { "val-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &val_fraction, N_("Part kept for validation (default 0.1)"), N_("F") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for scripts"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DATASET"));
  g_option_context_set_summary (context,
                                _("Checks a dataset file: its format, its statistics and every problem, with the line "
                                  "and a fix. Exit status 0 when there is something to train on, 1 when not, 2 when "
                                  "the file cannot be read."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wh_cli_parse (context, &argc, &argv))
    return WH_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("whetstone-cli: %s\n", _("Give one dataset file: whetstone-cli validate DATASET"));
      return WH_CLI_EXIT_USAGE;
    }

  wh_recipe_init (&recipe);
  if (preset != NULL && !wh_recipe_load (&recipe, preset, &error))
    return wh_cli_fail (error);
  wh_dataset_options_init (&options);
  options.val_fraction = val_fraction;
  options.format = recipe.dataset_format;
  if (format_name != NULL && !wh_dataset_format_from_string (format_name, &options.format, &error))
    return wh_cli_fail (error);
  options.system_prompt = recipe.system_prompt;
  options.text_prompt = recipe.text_prompt;
  options.max_seq_len = max_seq_len > 0 ? (gsize) max_seq_len : preset != NULL ? recipe.max_seq_len : 0;
  options.columns = columns != NULL ? (const char * const *) columns : (const char * const *) recipe.dataset_columns;

  if (model != NULL)
    {
      if (!(tok = wh_tokenizer_new_from_file (model, &error)))
        return wh_cli_fail (error);
      options.tokenizer = tok;
      if (g_strcmp0 (recipe.template, "auto") != 0)
        {
          WhChatFamily family;

          if (!wh_chat_family_from_string (recipe.template, &family, &error))
            return wh_cli_fail (error);
          tmpl = wh_chat_template_new (family,
                                       wh_tokenizer_get_token_text (tok, wh_tokenizer_get_bos (tok)),
                                       wh_tokenizer_get_token_text (tok, wh_tokenizer_get_eos (tok)));
        }
      else if (wh_tokenizer_get_chat_template (tok) != NULL)
        {
          if (!(tmpl = wh_tokenizer_dup_chat_template (tok, &error)))
            return wh_cli_fail (error);
        }
      options.chat_template = tmpl;
    }

  ds = wh_dataset_import (argv[1], &options, NULL, NULL, NULL, &error);
  wh_recipe_clear (&recipe);
  if (ds == NULL)
    {
      g_printerr ("whetstone-cli: %s\n", error->message);
      return EXIT_UNREADABLE;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = to_json (ds, argv[1]);
      wh_cli_print_json (root);
    }
  else
    print_human (ds, argv[1]);

  return wh_dataset_is_usable (ds) ? WH_CLI_EXIT_OK : WH_CLI_EXIT_FAILED;
}
