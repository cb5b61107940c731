/* wh-dataset-doctor.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "wh-dataset-private.h"

/* The "dataset doctor": what is wrong with each example and with the
 * dataset as a whole, in plain words, with the line and a fix.  Errors
 * leave an example out; warnings do not. */

void
_wh_problem_free (gpointer data)
{
  WhProblem *problem = data;

  g_free (problem->message);
  g_free (problem->fix);
  g_free (problem);
}

void
_wh_dataset_keep_problem (WhDataset *ds,
                          WhProblem *problem)
{
  if (ds->stats.problem_counts[problem->category]++ >= WH_DATASET_MAX_PROBLEMS_PER_CATEGORY)
    _wh_problem_free (problem);
  else
    g_ptr_array_add (ds->problems, problem);
}

void
_wh_problem_report (WhDataset         *ds,
                    WhDatasetItem     *item,
                    WhProblemCategory  category,
                    WhProblemSeverity  severity,
                    guint64            line,
                    guint64            column,
                    const char        *fix,
                    const char        *format,
                    ...)
{
  WhProblem *problem = g_new0 (WhProblem, 1);
  va_list args;

  problem->category = category;
  problem->severity = severity;
  problem->line = line;
  problem->column = column;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->fix = g_strdup (fix);

  if (item == NULL)
    {
      _wh_dataset_keep_problem (ds, problem);
      return;
    }
  if (item->problems == NULL)
    item->problems = g_ptr_array_new_with_free_func (_wh_problem_free);
  g_ptr_array_add (item->problems, problem);
}

static guint64
hash_bytes (guint64     h,
            const char *text)
{
  /* FNV-1a, 64 bits. */
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return h;
}

/* Lowercased letters and digits only: catches copies that differ in
 * case, spacing or punctuation. */
static guint64
hash_loose (guint64     h,
            const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char buf[8];
      gint len;

      if (!g_unichar_isalnum (c))
        continue;
      len = g_unichar_to_utf8 (g_unichar_tolower (c), buf);
      for (gint i = 0; i < len; i++)
        {
          h ^= (guchar) buf[i];
          h *= G_GUINT64_CONSTANT (1099511628211);
        }
    }
  return h;
}

static void
hash_example (const WhExample *example,
              guint64         *exact,
              guint64         *loose)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037), l = h;

  for (guint i = 0; i < example->turns->len; i++)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, i);
      char role = '0' + turn->role;
      char tag[2] = { role, 0 };

      h = hash_bytes (hash_bytes (h, tag), turn->content);
      l = hash_loose (l, turn->content);
    }
  if (example->chosen != NULL)
    {
      h = hash_bytes (hash_bytes (h, "\1"), example->chosen);
      l = hash_loose (l, example->chosen);
    }
  if (example->rejected != NULL)
    h = hash_bytes (hash_bytes (h, "\2"), example->rejected);
  *exact = h;
  *loose = l;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Roles: an optional system turn first, a user turn next, something to
 * learn from, nothing empty. */
static gboolean
check_turns (const WhDataset *ds,
             WhDatasetItem   *item)
{
  const WhExample *example = item->example;
  guint64 line = example->line;
  gboolean learn = FALSE;
  guint first = 0;

  if (ds->format == WH_DATASET_FORMAT_TEXT)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, 0);

      if (is_blank (turn->content))
        {
          _wh_item_add_problem (item, WH_PROBLEM_EMPTY_CONTENT, WH_PROBLEM_ERROR, line, 0,
                                _("Remove the row or give it some text."),
                                _("This text is empty."));
          return FALSE;
        }
      return TRUE;
    }

  for (guint i = 0; i < example->turns->len; i++)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, i);

      if (turn->role == WH_CHAT_ROLE_SYSTEM)
        {
          if (i != 0)
            {
              _wh_item_add_problem (item, WH_PROBLEM_ROLE_ORDER, WH_PROBLEM_ERROR, line, 0,
                                    _("Put the system message first, or fold it into a user turn."),
                                    _("Turn %u is a system message; only the first turn may be one."), i + 1);
              return FALSE;
            }
          first = 1;
          if (is_blank (turn->content))
            _wh_item_add_problem (item, WH_PROBLEM_EMPTY_CONTENT, WH_PROBLEM_WARNING, line, 0,
                                  _("Remove the empty system message or write one."),
                                  _("The system message is empty."));
          continue;
        }

      if (is_blank (turn->content))
        {
          _wh_item_add_problem (item, WH_PROBLEM_EMPTY_CONTENT, WH_PROBLEM_ERROR, line, 0,
                                _("Write the missing text or remove the turn."),
                                turn->role == WH_CHAT_ROLE_USER ? _("Turn %u (user) is empty.")
                                                                : _("Turn %u (assistant) is empty."),
                                i + 1);
          return FALSE;
        }

      if (i == first && turn->role != WH_CHAT_ROLE_USER)
        {
          _wh_item_add_problem (item, WH_PROBLEM_ROLE_ORDER, WH_PROBLEM_ERROR, line, 0,
                                _("Start the conversation with what the user says."),
                                _("The conversation starts with the assistant."));
          return FALSE;
        }
      if (i > first)
        {
          const WhTurn *prev = g_ptr_array_index (example->turns, i - 1);

          if (prev->role == turn->role)
            {
              _wh_item_add_problem (item, WH_PROBLEM_ROLE_ORDER, WH_PROBLEM_ERROR, line, 0,
                                    _("Merge the two turns into one, or put the other side’s turn between them."),
                                    _("Turns %u and %u are both from the %s; user and assistant must take turns."),
                                    i, i + 1, turn->role == WH_CHAT_ROLE_USER ? _("user") : _("assistant"));
              return FALSE;
            }
        }
      learn |= turn->role == WH_CHAT_ROLE_ASSISTANT && turn->train;
    }

  if (example->chosen != NULL)
    {
      if (is_blank (example->chosen) || is_blank (example->rejected))
        {
          _wh_item_add_problem (item, WH_PROBLEM_EMPTY_CONTENT, WH_PROBLEM_ERROR, line, 0,
                                _("Write both answers."),
                                _("An answer of this preference pair is empty."));
          return FALSE;
        }
      if (g_str_equal (example->chosen, example->rejected))
        _wh_item_add_problem (item, WH_PROBLEM_DUPLICATE, WH_PROBLEM_WARNING, line, 0,
                              _("Make the rejected answer the worse one; identical answers teach nothing."),
                              _("The preferred and the rejected answers are the same."));
      return TRUE;
    }

  if (!learn)
    {
      _wh_item_add_problem (item, WH_PROBLEM_NO_ASSISTANT, WH_PROBLEM_ERROR, line, 0,
                            _("Add the answer the model should learn to give."),
                            _("There is no assistant answer to learn from."));
      return FALSE;
    }

  {
    const WhTurn *last = g_ptr_array_index (example->turns, example->turns->len - 1);

    if (last->role == WH_CHAT_ROLE_USER)
      _wh_item_add_problem (item, WH_PROBLEM_ROLE_ORDER, WH_PROBLEM_WARNING, line, 0,
                            _("End with the assistant’s answer; the last question is ignored."),
                            _("The conversation ends with a user turn that nothing answers."));
  }
  return TRUE;
}

static void
check_personal_data (WhDatasetItem *item)
{
  const WhExample *example = item->example;
  static GRegex *email, *phone;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      email = g_regex_new ("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}",
                           G_REGEX_OPTIMIZE, 0, NULL);
      phone = g_regex_new ("(?<![\\d.])(\\+\\d{1,3}[ .-]?)?(\\(\\d{2,4}\\)[ .-]?)?\\d{3,4}[ .-]\\d{3,4}([ .-]\\d{2,4})?(?![\\d.])",
                           G_REGEX_OPTIMIZE, 0, NULL);
      /* GRegex (2.74+) may compile its JIT code at the first match: do it
       * here, once, before threads share the two. */
      g_regex_match (email, "", 0, NULL);
      g_regex_match (phone, "", 0, NULL);
      g_once_init_leave (&once, 1);
    }

  for (guint i = 0; i < example->turns->len; i++)
    {
      const WhTurn *turn = g_ptr_array_index (example->turns, i);
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (email, turn->content, 0, &match))
        {
          g_autofree char *found = g_match_info_fetch (match, 0);

          _wh_item_add_problem (item, WH_PROBLEM_PERSONAL_DATA, WH_PROBLEM_WARNING, example->line, 0,
                                _("Replace real addresses with placeholders unless the model should learn them."),
                                _("This example contains what looks like an e-mail address (%s)."), found);
          return;
        }
      g_clear_pointer (&match, g_match_info_free);
      if (g_regex_match (phone, turn->content, 0, &match))
        {
          g_autofree char *found = g_match_info_fetch (match, 0);

          _wh_item_add_problem (item, WH_PROBLEM_PERSONAL_DATA, WH_PROBLEM_WARNING, example->line, 0,
                                _("Replace real numbers with placeholders unless the model should learn them."),
                                _("This example contains what looks like a phone number (%s)."), found);
          return;
        }
    }
}

/* Tokens with the chosen tokenizer and template: all of them, and those
 * trained on. */
static gboolean
count_tokens (const WhDataset *ds,
              WhDatasetItem   *item,
              GArray          *ids)
{
  const WhExample *example = item->example;
  WhExampleSummary *summary = &item->summary;
  WhTokenizer *tok = ds->options.tokenizer;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) mask = NULL;

  if (tok == NULL)
    return TRUE;

  g_array_set_size (ids, 0);
  if (ds->format == WH_DATASET_FORMAT_TEXT || ds->options.chat_template == NULL)
    {
      GString *all = g_string_new (NULL);

      for (guint i = 0; i < example->turns->len; i++)
        {
          if (i > 0)
            g_string_append (all, "\n\n");
          g_string_append (all, ((WhTurn *) g_ptr_array_index (example->turns, i))->content);
        }
      if (example->chosen != NULL)
        g_string_append_printf (all, "\n\n%s", strlen (example->chosen) > strlen (example->rejected)
                                               ? example->chosen : example->rejected);
      wh_tokenizer_encode (tok, all->str, all->len, WH_ENCODE_ADD_SPECIAL, ids, NULL);
      g_string_free (all, TRUE);
      summary->tokens = ids->len + 1;   /* and the end-of-text token */
      summary->train_tokens = summary->tokens;
    }
  else
    {
      g_autofree WhChatMessage *messages = g_new0 (WhChatMessage, example->turns->len + 1);
      gsize n = example->turns->len;

      for (guint i = 0; i < n; i++)
        {
          const WhTurn *turn = g_ptr_array_index (example->turns, i);

          messages[i].role = turn->role;
          messages[i].content = turn->content;
          messages[i].train = turn->train;
        }
      if (example->chosen != NULL)
        {
          messages[n].role = WH_CHAT_ROLE_ASSISTANT;
          messages[n].content = strlen (example->chosen) > strlen (example->rejected) ? example->chosen : example->rejected;
          messages[n].train = TRUE;
          n++;
        }

      mask = g_array_new (FALSE, FALSE, sizeof (guint8));
      if (!wh_tokenizer_encode_chat (tok, ds->options.chat_template, messages, n, FALSE,
                                     ids, mask, NULL, &error))
        {
          _wh_item_add_problem (item, WH_PROBLEM_ROLE_ORDER, WH_PROBLEM_ERROR, example->line, 0,
                                _("Change the conversation so the model’s chat template accepts it."),
                                "%s", error->message);
          return FALSE;
        }
      summary->tokens = ids->len;
      summary->train_tokens = 0;
      for (guint i = 0; i < mask->len; i++)
        summary->train_tokens += g_array_index (mask, guint8, i);
    }

  if (ds->options.max_seq_len > 0 && summary->tokens > ds->options.max_seq_len)
    {
      _wh_item_add_problem (item, WH_PROBLEM_TOO_LONG, WH_PROBLEM_ERROR, example->line, 0,
                            _("Shorten it, split it into several examples, or raise the maximum length."),
                            _("This example is %u tokens long; the chosen maximum is %" G_GSIZE_FORMAT "."),
                            summary->tokens, ds->options.max_seq_len);
      return FALSE;
    }
  return TRUE;
}

gboolean
_wh_dataset_check_example (const WhDataset *ds,
                           WhDatasetItem   *item,
                           GArray          *ids)
{
  WhExample *example = item->example;

  memset (&item->summary, 0, sizeof item->summary);
  item->summary.line = example->line;

  if (!check_turns (ds, item))
    return FALSE;

  /* The preset's system prompt goes to conversations without one. */
  if (ds->options.system_prompt != NULL && *ds->options.system_prompt != '\0' &&
      ds->format != WH_DATASET_FORMAT_TEXT &&
      ((WhTurn *) g_ptr_array_index (example->turns, 0))->role != WH_CHAT_ROLE_SYSTEM)
    {
      WhTurn *turn = g_new0 (WhTurn, 1);

      turn->role = WH_CHAT_ROLE_SYSTEM;
      turn->content = g_strdup (ds->options.system_prompt);
      g_ptr_array_insert (example->turns, 0, turn);
    }

  if (!count_tokens (ds, item, ids))
    return FALSE;

  check_personal_data (item);
  hash_example (example, &item->summary.hash, &item->summary.loose_hash);
  return TRUE;
}

/* Exact and near copies of an earlier example. */
void
_wh_dataset_check_repeats (WhDataset     *ds,
                           WhDatasetItem *item)
{
  const WhExampleSummary *summary = &item->summary;
  gpointer first;

  if ((first = g_hash_table_lookup (ds->seen_exact, &summary->hash)) != NULL)
    {
      _wh_dataset_add_problem (ds, WH_PROBLEM_DUPLICATE, WH_PROBLEM_WARNING, summary->line, 0,
                               _("Remove the copy; repeated examples are learned more strongly than the others."),
                               _("This example repeats the one at line %" G_GUINT64_FORMAT "."),
                               *(guint64 *) first);
      return;
    }

  {
    guint64 *key = g_new (guint64, 2);

    key[0] = summary->hash;
    key[1] = summary->line;
    g_hash_table_insert (ds->seen_exact, key, key + 1);
  }
  if ((first = g_hash_table_lookup (ds->seen_loose, &summary->loose_hash)) != NULL)
    _wh_dataset_add_problem (ds, WH_PROBLEM_NEAR_DUPLICATE, WH_PROBLEM_WARNING, summary->line, 0,
                             _("Keep one of the two unless the difference matters."),
                             _("This example is nearly the same as the one at line %" G_GUINT64_FORMAT " (only case, spacing or punctuation differ)."),
                             *(guint64 *) first);
  else
    {
      guint64 *loose = g_new (guint64, 2);

      loose[0] = summary->loose_hash;
      loose[1] = summary->line;
      g_hash_table_insert (ds->seen_loose, loose, loose + 1);
    }
}

static int
compare_u32 (const void *a,
             const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

static guint
nice_bin (guint max)
{
  guint raw = MAX (1, (max + 15) / 16);
  guint step = 1;

  while (step * 10 <= raw)
    step *= 10;
  if (raw <= step)
    return step;
  if (raw <= 2 * step)
    return 2 * step;
  if (raw <= 5 * step)
    return 5 * step;
  return 10 * step;
}

void
_wh_dataset_finish (WhDataset *ds)
{
  WhDatasetStats *st = &ds->stats;
  g_autoptr(GHashTable) train_hashes = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree guint32 *lengths = NULL;
  guint n = ds->summaries->len;

  /* Validation examples that also appear in training. */
  for (guint i = 0; i < n; i++)
    {
      WhExampleSummary *s = &g_array_index (ds->summaries, WhExampleSummary, i);

      if (!s->validation)
        {
          g_hash_table_add (train_hashes, &s->hash);
          g_hash_table_add (train_hashes, &s->loose_hash);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      WhExampleSummary *s = &g_array_index (ds->summaries, WhExampleSummary, i);

      if (s->validation &&
          (g_hash_table_contains (train_hashes, &s->hash) || g_hash_table_contains (train_hashes, &s->loose_hash)))
        _wh_dataset_add_problem (ds, WH_PROBLEM_SPLIT_OVERLAP, WH_PROBLEM_WARNING, s->line, 0,
                                 _("Remove the copy, or the validation loss will look better than it is."),
                                 _("This validation example also appears in the training examples."));
    }

  if (st->examples < 10)
    _wh_dataset_add_problem (ds, WH_PROBLEM_TOO_FEW, st->examples == 0 ? WH_PROBLEM_ERROR : WH_PROBLEM_WARNING, 0, 0,
                             _("Add more examples: OpenAI asks for at least 10 and suggests 50 to 100 to see a clear change."),
                             _("The dataset has only %" G_GUINT64_FORMAT " usable examples."), st->examples);
  else if (st->examples < 50)
    _wh_dataset_add_problem (ds, WH_PROBLEM_TOO_FEW, WH_PROBLEM_WARNING, 0, 0,
                             _("50 to 100 examples usually give a clearly visible change; more is better."),
                             _("The dataset has %" G_GUINT64_FORMAT " usable examples, which is on the small side."),
                             st->examples);

  if (n == 0 || ds->options.tokenizer == NULL)
    return;

  lengths = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    lengths[i] = g_array_index (ds->summaries, WhExampleSummary, i).tokens;
  qsort (lengths, n, sizeof (guint32), compare_u32);
  st->tokens_min = lengths[0];
  st->tokens_median = lengths[n / 2];
  st->tokens_p95 = lengths[MIN (n - 1, (guint) (n * 0.95))];
  st->tokens_max = lengths[n - 1];
  st->histogram_bin = nice_bin (st->tokens_max + 1);
  for (guint i = 0; i < n; i++)
    st->histogram[MIN (lengths[i] / st->histogram_bin, G_N_ELEMENTS (st->histogram) - 1)]++;

  if (n >= 10 && st->tokens_median > 0 &&
      (st->tokens_p95 > 8 * st->tokens_median || st->tokens_max > 20 * st->tokens_median))
    _wh_dataset_add_problem (ds, WH_PROBLEM_UNBALANCED, WH_PROBLEM_WARNING, 0, 0,
                             _("Check the longest examples; a few very long ones dominate training and memory."),
                             _("Example lengths are very uneven: the median is %u tokens but the longest is %u."),
                             st->tokens_median, st->tokens_max);
}
