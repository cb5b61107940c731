/* test-dataset.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wh-dataset.h"
#include "wh-test-files.h"

/* Importing datasets: every format, every problem category with its line,
 * statistics, the split and the copy.  Files are written by the tests. */

static char *tmp_dir;

static char *
write_tmp (const char *name,
           const char *contents)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static WhDataset *
import_with (const char             *name,
             const char             *contents,
             const WhDatasetOptions *options)
{
  g_autofree char *path = write_tmp (name, contents);
  g_autoptr(GError) error = NULL;
  WhDataset *ds = wh_dataset_import (path, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

static WhDataset *
import (const char *name,
        const char *contents)
{
  return import_with (name, contents, NULL);
}

/* The problems of @category, as "line:severity" joined by spaces. */
static char *
problems_of (WhDataset         *ds,
             WhProblemCategory  category)
{
  GPtrArray *problems = wh_dataset_get_problems (ds);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *p = g_ptr_array_index (problems, i);

      if (p->category != category)
        continue;
      g_assert_nonnull (p->message);
      g_assert_nonnull (p->fix);
      g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ":%c", out->len > 0 ? " " : "", p->line,
                              p->severity == WH_PROBLEM_ERROR ? 'E' : 'W');
    }
  return g_string_free (out, FALSE);
}

#define CHAT(u, a) "{\"messages\": [{\"role\": \"user\", \"content\": \"" u "\"}, {\"role\": \"assistant\", \"content\": \"" a "\"}]}\n"

static void
test_openai_problems (void)
{
  const char *data =
    CHAT ("What is a whetstone?", "A stone for sharpening knives.")                                   /* 1 */
    CHAT ("How do I hold the knife?", "At about 20 degrees.")                                          /* 2 */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"broken\"},\n"                                 /* 3: broken JSON */
    "{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"x\"}]}\n" /* 4 */
    "{\"messages\": [{\"role\": \"assistant\", \"content\": \"hi\"}, {\"role\": \"user\", \"content\": \"x\"}]}\n"  /* 5 */
    CHAT ("Empty answer?", " ")                                                                         /* 6 */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Anyone?\"}]}\n"                              /* 7 */
    CHAT ("What is a whetstone?", "A stone for sharpening knives.")                                   /* 8: duplicate of 1 */
    CHAT ("how do I hold the knife", "At about 20 degrees!")                                          /* 9: near duplicate of 2 */
    CHAT ("Write to me", "Mail jane.doe@example.org any time.")                                       /* 10: personal data */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}], \"source\": \"web\"}\n" /* 11 */
    "{\"instruction\": \"Say hi\", \"output\": \"hi\"}\n"                                             /* 12: Alpaca row */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"1+1?\"}, {\"role\": \"assistant\", \"content\": \"3\", \"weight\": 0},"
    " {\"role\": \"user\", \"content\": \"Sure?\"}, {\"role\": \"assistant\", \"content\": \"2\"}]}\n" /* 13 */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"}, {\"role\": \"assistant\", \"content\": \"c\"}]}\n" /* 14 */
    "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"system\", \"content\": \"late\"}, {\"role\": \"assistant\", \"content\": \"c\"}]}\n"; /* 15 */
  g_autoptr(WhDataset) ds = import ("chat.jsonl", data);
  const WhDatasetStats *st = wh_dataset_get_stats (ds);
  struct { WhProblemCategory category; const char *expected; } checks[] = {
    { WH_PROBLEM_UNREADABLE, "3:E" },
    { WH_PROBLEM_UNKNOWN_ROLE, "4:E" },
    { WH_PROBLEM_ROLE_ORDER, "5:E 14:E 15:E" },
    { WH_PROBLEM_EMPTY_CONTENT, "6:E" },
    { WH_PROBLEM_NO_ASSISTANT, "7:E" },
    { WH_PROBLEM_DUPLICATE, "8:W" },
    { WH_PROBLEM_NEAR_DUPLICATE, "9:W" },
    { WH_PROBLEM_PERSONAL_DATA, "10:W" },
    { WH_PROBLEM_UNKNOWN_FIELD, "11:W" },
    { WH_PROBLEM_MIXED_FORMAT, "12:E" },
    { WH_PROBLEM_TOO_FEW, "0:W" },
  };

  g_assert_cmpint (wh_dataset_get_kind (ds), ==, WH_FILE_KIND_JSONL);
  g_assert_cmpint (wh_dataset_get_format (ds), ==, WH_DATASET_FORMAT_OPENAI);
  g_assert_nonnull (strstr (wh_dataset_get_reason (ds), "messages"));
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *got = problems_of (ds, checks[i].category);

      g_test_message ("%s: %s", wh_problem_category_to_string (checks[i].category), got);
      g_assert_cmpstr (got, ==, checks[i].expected);
    }
  g_assert_cmpuint (st->rows, ==, 15);
  g_assert_cmpuint (st->excluded, ==, 8);
  g_assert_cmpuint (st->examples, ==, 7);
  g_assert_true (wh_dataset_is_usable (ds));
}

static void
check_first_example (WhDataset       *ds,
                     WhDatasetFormat  format,
                     const char      *user,
                     const char      *assistant)
{
  GPtrArray *preview = wh_dataset_get_preview (ds);
  const WhExample *ex;
  const WhTurn *last;

  g_assert_cmpint (wh_dataset_get_format (ds), ==, format);
  g_assert_cmpuint (preview->len, >, 0);
  ex = g_ptr_array_index (preview, 0);
  last = g_ptr_array_index (ex->turns, ex->turns->len - 1);
  g_assert_cmpstr (((WhTurn *) g_ptr_array_index (ex->turns, ex->turns->len - 2))->content, ==, user);
  g_assert_cmpstr (last->content, ==, assistant);
  g_assert_true (last->train);
}

static void
test_formats (void)
{
  WhDatasetOptions options;

  wh_dataset_options_init (&options);
  options.preview = 5;
  options.val_fraction = 0;

  {
    g_autoptr(WhDataset) ds = import_with ("share.jsonl",
      "{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}, {\"from\": \"gpt\", \"value\": \"Hello\"}]}\n", &options);
    check_first_example (ds, WH_DATASET_FORMAT_SHAREGPT, "Hi", "Hello");
  }
  {
    g_autoptr(WhDataset) ds = import_with ("alpaca.json",
      "[\n {\"instruction\": \"Translate\", \"input\": \"chat\", \"output\": \"cat\"},\n"
      " {\"instruction\": \"Add\", \"input\": \"\", \"output\": \"2\", \"history\": [[\"a\", \"b\"]]}\n]\n", &options);
    check_first_example (ds, WH_DATASET_FORMAT_ALPACA, "Translate\n\nchat", "cat");
    g_assert_cmpint (wh_dataset_get_kind (ds), ==, WH_FILE_KIND_JSON_ARRAY);
    g_assert_cmpuint (((WhExample *) g_ptr_array_index (wh_dataset_get_preview (ds), 1))->turns->len, ==, 4);
  }
  {
    g_autoptr(WhDataset) ds = import_with ("pc.jsonl", "{\"prompt\": \"Q\", \"completion\": \"A\"}\n", &options);
    check_first_example (ds, WH_DATASET_FORMAT_PROMPT_COMPLETION, "Q", "A");
  }
  {
    g_autoptr(WhDataset) ds = import_with ("pref.jsonl",
      "{\"prompt\": \"Q\", \"chosen\": \"good\", \"rejected\": \"bad\"}\n"
      "{\"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"Q2\"}]}, "
      "\"preferred_output\": [{\"role\": \"assistant\", \"content\": \"yes\"}], "
      "\"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"no\"}]}\n", &options);
    const WhExample *ex;

    g_assert_cmpint (wh_dataset_get_format (ds), ==, WH_DATASET_FORMAT_PREFERENCE);
    ex = g_ptr_array_index (wh_dataset_get_preview (ds), 1);
    g_assert_cmpstr (ex->chosen, ==, "yes");
    g_assert_cmpstr (ex->rejected, ==, "no");
    g_assert_cmpuint (wh_dataset_get_stats (ds)->examples, ==, 2);
  }
  {
    g_autoptr(WhDataset) ds = import_with ("notes.txt", "First document.\n\nSecond\ndocument.\n", &options);

    g_assert_cmpint (wh_dataset_get_format (ds), ==, WH_DATASET_FORMAT_TEXT);
    g_assert_cmpuint (wh_dataset_get_stats (ds)->examples, ==, 2);
  }
  {
    /* Brand voice from plain text: each piece answers a request. */
    WhDatasetOptions voice = options;
    g_autoptr(WhDataset) ds = NULL;

    voice.text_prompt = "Write in our voice about: %s";
    ds = import_with ("posts.txt", "Our rye is back on the shelves this week, warm from the oven.\n\nClosed Monday.\n", &voice);
    check_first_example (ds, WH_DATASET_FORMAT_COLUMNS, "Write in our voice about: Our rye is back on the shelves this…",
                         "Our rye is back on the shelves this week, warm from the oven.");
    g_assert_nonnull (strstr (wh_dataset_get_reason (ds), "request"));
  }
  {
    g_autoptr(WhDataset) ds = import_with ("qa.csv", "question,answer\n\"Why, though?\",\"Because \"\"reasons\"\".\"\nQ2,A2\n", &options);

    check_first_example (ds, WH_DATASET_FORMAT_COLUMNS, "Why, though?", "Because \"reasons\".");
    g_assert_cmpstr (wh_dataset_get_columns (ds)[0], ==, "question=user");
  }
}

static void
test_csv_mapping (void)
{
  g_autofree char *path = write_tmp ("odd.csv", "left,right,notes\nWhat time is it?,It is noon.,seen twice\nHow far is it?,About 3 km.,ok\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(WhDataset) bad = wh_dataset_import (path, NULL, NULL, NULL, NULL, &error);
  const char *mapping[] = { "left=user", "right=assistant", NULL };
  WhDatasetOptions options;

  g_assert_null (bad);
  g_assert_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "left, right, notes"));
  g_clear_error (&error);

  wh_dataset_options_init (&options);
  options.columns = mapping;
  options.preview = 1;
  {
    g_autoptr(WhDataset) ds = wh_dataset_import (path, &options, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    check_first_example (ds, WH_DATASET_FORMAT_COLUMNS, "What time is it?", "It is noon.");
  }
}

static WhTokenizer *
load_tokenizer (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("WH_REFERENCE_DIR"), "tokenizers", "bytelevel-qwen2", NULL);
  g_autoptr(GError) error = NULL;
  WhTokenizer *tok = wh_tokenizer_new_from_file (dir, &error);

  g_assert_no_error (error);
  return tok;
}

/* Token statistics, the length limit, the split, its overlaps and the
 * copy; the source file is left as it was. */
static void
test_tokens_split_copy (void)
{
  g_autoptr(WhTokenizer) tok = load_tokenizer ();
  g_autoptr(WhChatTemplate) tmpl = wh_chat_template_new (WH_CHAT_FAMILY_CHATML, NULL, "<|im_end|>");
  g_autoptr(GString) data = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *out_dir = g_build_filename (tmp_dir, "copy", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st_before, st_after;
  WhDatasetOptions options;
  guint64 val_first = 0;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"Question number %u?\"}, "
                            "{\"role\": \"assistant\", \"content\": \"Answer %u%s\"}]}\n", i, i,
                            i == 150 ? " with a much longer tail that runs on and on and on and on and on and on" : "");
  /* The same example many times: some copies land in validation. */
  for (guint i = 0; i < 20; i++)
    g_string_append (data, CHAT ("Same?", "Same."));
  path = write_tmp ("split.jsonl", data->str);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_stat (path, &st_before);
  g_mkdir (out_dir, 0700);

  wh_dataset_options_init (&options);
  options.tokenizer = tok;
  options.chat_template = tmpl;
  options.max_seq_len = 40;
  options.output_dir = out_dir;
  options.seed = 3;

  {
    g_autoptr(WhDataset) ds = wh_dataset_import (path, &options, NULL, NULL, NULL, &error);
    const WhDatasetStats *st;
    g_autofree char *too_long = NULL;
    g_autofree char *overlap = NULL;
    g_autofree char *train_path = g_build_filename (out_dir, "train.jsonl", NULL);
    g_autofree char *val_path = g_build_filename (out_dir, "val.jsonl", NULL);
    g_autofree char *train = NULL;
    g_autofree char *val = NULL;

    g_assert_no_error (error);
    st = wh_dataset_get_stats (ds);
    too_long = problems_of (ds, WH_PROBLEM_TOO_LONG);
    g_assert_cmpstr (too_long, ==, "151:E");
    overlap = problems_of (ds, WH_PROBLEM_SPLIT_OVERLAP);
    g_assert_cmpuint (strlen (overlap), >, 0);
    g_assert_cmpuint (st->examples, ==, 219);
    g_assert_cmpuint (st->train_examples + st->val_examples, ==, 219);
    g_assert_cmpuint (st->val_examples, >, 8);
    g_assert_cmpuint (st->val_examples, <, 40);
    g_assert_cmpuint (st->tokens_min, >, 5);
    g_assert_cmpuint (st->tokens_max, <=, 40);
    g_assert_cmpuint (st->tokens_min, <=, st->tokens_median);
    g_assert_cmpuint (st->tokens_median, <=, st->tokens_p95);
    g_assert_cmpuint (st->train_tokens, >, 0);
    g_assert_cmpuint (st->train_tokens, <, st->tokens);

    g_assert_true (g_file_get_contents (train_path, &train, NULL, NULL));
    g_assert_true (g_file_get_contents (val_path, &val, NULL, NULL));
    g_assert_nonnull (strstr (train, "\"line\""));
    val_first = g_ascii_strtoull (strstr (val, "\"line\":") + 7, NULL, 10);
    g_assert_cmpuint (val_first, >, 0);

    g_unlink (train_path);
    g_unlink (val_path);
  }

  /* The same seed gives the same split. */
  {
    g_autoptr(WhDataset) again = wh_dataset_import (path, &options, NULL, NULL, NULL, &error);
    g_autofree char *val_path = g_build_filename (out_dir, "val.jsonl", NULL);
    g_autofree char *train_path = g_build_filename (out_dir, "train.jsonl", NULL);
    g_autofree char *val = NULL;

    g_assert_true (g_file_get_contents (val_path, &val, NULL, NULL));
    g_assert_cmpuint (g_ascii_strtoull (strstr (val, "\"line\":") + 7, NULL, 10), ==, val_first);
    g_unlink (train_path);
    g_unlink (val_path);
  }
  g_rmdir (out_dir);

  /* Never written to. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_stat (path, &st_after);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (st_before.st_mtime, ==, st_after.st_mtime);
}

static void
test_unbalanced_and_few (void)
{
  g_autoptr(WhTokenizer) tok = load_tokenizer ();
  g_autoptr(GString) data = g_string_new (NULL);
  WhDatasetOptions options;

  for (guint i = 0; i < 30; i++)
    {
      g_string_append_printf (data, "{\"prompt\": \"Q%u\", \"completion\": \"A%u", i, i);
      if (i == 7)
        for (guint j = 0; j < 200; j++)
          g_string_append (data, " more words here");
      g_string_append (data, "\"}\n");
    }
  wh_dataset_options_init (&options);
  options.tokenizer = tok;

  {
    g_autoptr(WhDataset) ds = import_with ("uneven.jsonl", data->str, &options);
    g_autofree char *unbalanced = problems_of (ds, WH_PROBLEM_UNBALANCED);
    g_autofree char *few = problems_of (ds, WH_PROBLEM_TOO_FEW);

    g_assert_cmpstr (unbalanced, ==, "0:W");
    g_assert_cmpstr (few, ==, "0:W");
  }
  {
    g_autoptr(WhDataset) none = import ("none.jsonl", "{\"prompt\": \"Q\", \"completion\": \"\"}\n");
    g_autofree char *few = problems_of (none, WH_PROBLEM_TOO_FEW);

    g_assert_cmpstr (few, ==, "0:E");
    g_assert_false (wh_dataset_is_usable (none));
  }
}

/* A file with a bit of everything, long enough for many batches: broken
 * lines, bad role orders, too-long examples, more exact copies than the
 * report keeps, near copies, personal data, unknown fields. */
static char *
write_mixed (void)
{
  g_autoptr(GString) data = g_string_new (NULL);

  for (guint i = 0; i < 3000; i++)
    switch (i % 50)
      {
      case 3: case 8: case 33: case 48:
        g_string_append (data, CHAT ("Same?", "Same."));
        break;
      case 7:
        g_string_append_printf (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"Tell me a long story %u.\"}, "
                                "{\"role\": \"assistant\", \"content\": \"Once upon a time%s.\"}]}\n", i,
                                " there was a stone that sharpened every knife in the village, and then some more");
        break;
      case 11:
        g_string_append (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"One\"}, "
                               "{\"role\": \"user\", \"content\": \"Two\"}]}\n");
        break;
      case 13:
        g_string_append (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"broken\"\n");
        break;
      case 19:
        g_string_append_printf (data, CHAT ("SAME", "same!!"));
        break;
      case 23:
        g_string_append_printf (data, CHAT ("Who do I write to about %u?", "Write to help@example.com."), i);
        break;
      case 29:
        g_string_append_printf (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi %u\"}, "
                                "{\"role\": \"assistant\", \"content\": \"Hello.\"}], \"extra%u\": 1}\n", i, i % 7);
        break;
      case 31:
        g_string_append_printf (data, "{\"messages\": [{\"role\": \"user\", \"content\": \"Alone %u\"}]}\n", i);
        break;
      case 37:
        g_string_append (data, "{\"messages\": [{\"role\": \"assistant\", \"content\": \"I start.\"}, "
                               "{\"role\": \"user\", \"content\": \"Fine.\"}]}\n");
        break;
      case 41:
        g_string_append (data, CHAT ("Empty?", "  "));
        break;
      default:
        g_string_append_printf (data, CHAT ("Question %u: how sharp is stone %u?", "Stone %u is %s sharp."),
                                i, i % 97, i % 89, i % 3 == 0 ? "very" : "quite");
        break;
      }
  return write_tmp ("mixed.jsonl", data->str);
}

static void
append_file (GString    *out,
             const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_string_append_printf (out, "== %s\n%s", name, contents);
}

static guint
count_lines (const char *text,
             const char *prefix)
{
  guint n = 0;

  for (const char *p = text; p != NULL && *p; p = strchr (p, '\n'), p = p != NULL ? p + 1 : NULL)
    n += g_str_has_prefix (p, prefix);
  return n;
}

/* Everything an import reports and writes, as text. */
static char *
describe_import (const char             *path,
                 const WhDatasetOptions *options,
                 const char             *threads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WhDataset) ds = NULL;
  GString *out = g_string_new (NULL);
  const WhDatasetStats *st;
  GPtrArray *problems;
  GPtrArray *preview;

  g_setenv ("WH_DATASET_THREADS", threads, TRUE);
  ds = wh_dataset_import (path, options, NULL, NULL, NULL, &error);
  g_unsetenv ("WH_DATASET_THREADS");
  g_assert_no_error (error);

  st = wh_dataset_get_stats (ds);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " | %u %u %u %u /%u |",
                          st->rows, st->examples, st->train_examples, st->val_examples, st->excluded, st->turns,
                          st->tokens, st->train_tokens, st->tokens_min, st->tokens_median, st->tokens_p95,
                          st->tokens_max, st->histogram_bin);
  for (guint i = 0; i < G_N_ELEMENTS (st->histogram); i++)
    g_string_append_printf (out, " %u", st->histogram[i]);
  g_string_append (out, " |");
  for (guint i = 0; i < WH_PROBLEM_N_CATEGORIES; i++)
    g_string_append_printf (out, " %u", st->problem_counts[i]);
  g_string_append_c (out, '\n');

  problems = wh_dataset_get_problems (ds);
  for (guint i = 0; i < problems->len; i++)
    {
      const WhProblem *p = g_ptr_array_index (problems, i);

      g_string_append_printf (out, "%s %d %" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT " %s / %s\n",
                              wh_problem_category_to_string (p->category), p->severity, p->line, p->column,
                              p->message, p->fix);
    }
  preview = wh_dataset_get_preview (ds);
  for (guint i = 0; i < preview->len; i++)
    {
      const WhExample *e = g_ptr_array_index (preview, i);

      g_string_append_printf (out, "preview %" G_GUINT64_FORMAT " %u %d\n", e->line, e->turns->len, e->validation);
    }
  if (options->output_dir != NULL)
    {
      append_file (out, options->output_dir, "train.jsonl");
      append_file (out, options->output_dir, "val.jsonl");
    }
  return g_string_free (out, FALSE);
}

/* Token counts run on several threads; the report and the copy are the
 * same as with one, byte for byte. */
static void
test_threads_same_result (void)
{
  g_autoptr(WhTokenizer) tok = load_tokenizer ();
  g_autoptr(WhChatTemplate) tmpl = wh_chat_template_new (WH_CHAT_FAMILY_CHATML, NULL, "<|im_end|>");
  g_autofree char *path = write_mixed ();
  g_autofree char *out_dir = g_build_filename (tmp_dir, "threads", NULL);
  WhDatasetOptions options;

  g_mkdir (out_dir, 0700);
  wh_dataset_options_init (&options);
  options.tokenizer = tok;
  options.chat_template = tmpl;
  options.max_seq_len = 60;
  options.output_dir = out_dir;
  options.preview = 5;

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *one = describe_import (path, &options, "1");
      g_autofree char *two = describe_import (path, &options, "2");
      g_autofree char *four = describe_import (path, &options, "4");

      /* Every kind of problem is there, and more copies than are kept. */
      g_assert_nonnull (strstr (one, "too-long 0 8:0"));
      g_assert_nonnull (strstr (one, "role-order 0 12:0"));
      g_assert_nonnull (strstr (one, "unreadable 0 14:"));
      g_assert_nonnull (strstr (one, "duplicate 1 9:0"));
      g_assert_nonnull (strstr (one, "near-duplicate 1 20:0"));
      g_assert_nonnull (strstr (one, "personal-data 1 24:0"));
      g_assert_nonnull (strstr (one, "unknown-field 1 30:0"));
      g_assert_cmpuint (count_lines (one, "duplicate 1 "), ==, 200);
      g_assert_nonnull (strstr (one, "== val.jsonl\n{\"line\":"));
      g_assert_cmpstr (one, ==, two);
      g_assert_cmpstr (one, ==, four);

      /* The other path: the text as a whole, with a system prompt. */
      options.chat_template = NULL;
      options.system_prompt = "You answer questions about stones.";
      options.max_seq_len = 70;
      options.seed = 5;
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *copy = g_build_filename (out_dir, i == 0 ? "train.jsonl" : "val.jsonl", NULL);

      g_assert_cmpint (g_unlink (copy), ==, 0);
    }
  g_rmdir (out_dir);
}

static void
count_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, last[0]);
  last[0] = done;
  last[1] = total;
  last[2]++;
}

/* Progress reaches the end, and cancelling stops the threads too. */
static void
test_threads_progress_cancel (void)
{
  g_autoptr(WhTokenizer) tok = load_tokenizer ();
  g_autofree char *path = write_mixed ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint64 last[3] = { 0, 0, 0 };
  WhDatasetOptions options;

  wh_dataset_options_init (&options);
  options.tokenizer = tok;
  g_setenv ("WH_DATASET_THREADS", "3", TRUE);

  {
    g_autoptr(WhDataset) ds = wh_dataset_import (path, &options, count_progress, last, cancellable, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (last[2], >=, 2);
    g_assert_cmpuint (last[0], ==, last[1]);
    g_assert_cmpuint (wh_dataset_get_stats (ds)->rows, ==, 3000);
  }

  g_cancellable_cancel (cancellable);
  {
    g_autoptr(WhDataset) ds = wh_dataset_import (path, &options, NULL, NULL, cancellable, &error);

    g_assert_null (ds);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_unsetenv ("WH_DATASET_THREADS");
}

static void
test_unknown_format (void)
{
  g_autofree char *path = write_tmp ("mystery.jsonl", "{\"a\": 1}\n{\"b\": 2}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(WhDataset) ds = wh_dataset_import (path, NULL, NULL, NULL, NULL, &error);
  WhDatasetFormat format;

  g_assert_null (ds);
  g_assert_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "mystery.jsonl"));

  g_clear_error (&error);
  g_assert_false (wh_dataset_format_from_string ("excel", &format, &error));
  g_assert_nonnull (strstr (error->message, "sharegpt"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmp_dir = g_dir_make_tmp ("whetstone-dataset-XXXXXX", NULL);

  g_test_add_func ("/dataset/openai-problems", test_openai_problems);
  g_test_add_func ("/dataset/formats", test_formats);
  g_test_add_func ("/dataset/csv-mapping", test_csv_mapping);
  g_test_add_func ("/dataset/tokens-split-copy", test_tokens_split_copy);
  g_test_add_func ("/dataset/unbalanced-and-few", test_unbalanced_and_few);
  g_test_add_func ("/dataset/unknown-format", test_unknown_format);
  g_test_add_func ("/dataset/threads-same-result", test_threads_same_result);
  g_test_add_func ("/dataset/threads-progress-cancel", test_threads_progress_cancel);

  status = g_test_run ();
  wh_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
