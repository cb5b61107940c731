/* wh-dataset.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wh-dataset-private.h"

/* Import: read the file record by record, decide its format from the
 * first records, normalise, check, count, split, and write Whetstone's
 * own copy.  Only a small summary of each example stays in memory.  The
 * checks of each example alone (token counts above all) run on a few
 * threads, in batches (wh-dataset-batch.c); all the rest stays here, in
 * file order, so the result does not depend on the number of threads. */

#define DETECT_RECORDS 64

G_DEFINE_QUARK (wh-dataset-error-quark, wh_dataset_error)

static const char *const format_names[] = {
  "auto", "openai", "sharegpt", "alpaca", "prompt-completion", "text", "preference", "columns",
};

static const char *const category_names[WH_PROBLEM_N_CATEGORIES] = {
  "unreadable", "missing-field", "unknown-field", "mixed-format", "unknown-role", "role-order",
  "empty-content", "no-assistant", "too-long", "duplicate", "near-duplicate", "split-overlap",
  "too-few", "unbalanced", "personal-data",
};

void
wh_dataset_options_init (WhDatasetOptions *options)
{
  memset (options, 0, sizeof *options);
  options->kind = WH_FILE_KIND_AUTO;
  options->format = WH_DATASET_FORMAT_AUTO;
  options->val_fraction = 0.1;
  options->seed = 42;
}

const char *
wh_dataset_format_to_string (WhDatasetFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

gboolean
wh_dataset_format_from_string (const char       *name,
                               WhDatasetFormat  *format,
                               GError          **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (name, format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }

  {
    g_autofree char *all = g_strjoinv (", ", (char **) format_names);

    g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPTIONS,
                 _("“%s” is not a dataset format; use one of %s"), name ? name : "", all);
    return FALSE;
  }
}

const char *
wh_problem_category_to_string (WhProblemCategory category)
{
  g_return_val_if_fail (category < WH_PROBLEM_N_CATEGORIES, NULL);
  return category_names[category];
}

static guint
hash_u64 (gconstpointer key)
{
  guint64 v = *(const guint64 *) key;

  return (guint) (v ^ (v >> 32));
}

static gboolean
equal_u64 (gconstpointer a,
           gconstpointer b)
{
  return *(const guint64 *) a == *(const guint64 *) b;
}

void
wh_dataset_free (WhDataset *ds)
{
  if (ds == NULL)
    return;
  g_clear_object (&ds->train_out);
  g_clear_object (&ds->val_out);
  g_ptr_array_unref (ds->problems);
  g_ptr_array_unref (ds->preview);
  g_array_unref (ds->summaries);
  g_hash_table_unref (ds->reported);
  g_hash_table_unref (ds->seen_exact);
  g_hash_table_unref (ds->seen_loose);
  g_strfreev (ds->columns);
  g_free (ds->column_roles);
  g_free (ds->reason);
  g_free (ds->display);
  g_free (ds);
}

/* The split: each example's side is a function of the seed and its
 * position, so it is the same every time, with no shuffling of the file. */
static gboolean
is_validation (const WhDataset *ds,
               guint64          index)
{
  guint64 x = index * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + ds->options.seed;

  if (ds->options.val_fraction <= 0)
    return FALSE;
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 31;
  return (x >> 11) * (1.0 / 9007199254740992.0) < ds->options.val_fraction;
}

static GOutputStream *
open_copy (const char  *dir,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* Replaced atomically when closed. */
  return G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error));
}

static void
add_record_problem (WhDataset      *ds,
                    const WhRecord *record)
{
  const char *fix;

  switch (record->error->code)
    {
    case WH_RECORD_ERROR_JSON:
      fix = _("Correct the JSON on this line (a missing comma, quote or brace is the usual cause).");
      break;
    case WH_RECORD_ERROR_ENCODING:
      fix = _("Save the file as UTF-8 (in a spreadsheet: Save As → CSV UTF-8).");
      break;
    case WH_RECORD_ERROR_TOO_LONG:
      fix = _("Split this row into smaller examples or remove it.");
      break;
    case WH_RECORD_ERROR_CSV:
    default:
      fix = _("Check the quotes and the number of columns on this row.");
      break;
    }
  _wh_dataset_add_problem (ds, WH_PROBLEM_UNREADABLE, WH_PROBLEM_ERROR, record->line, record->column,
                           fix, "%s", record->error->message);
}

/* In file order, once the example's own checks are done. */
static gboolean
commit_item (WhDataset      *ds,
             WhDatasetItem  *item,
             GError        **error)
{
  WhExample *example = item->example;
  GOutputStream *out;
  gboolean validation;

  if (example == NULL)
    {
      ds->stats.excluded++;
      return TRUE;
    }

  _wh_dataset_check_repeats (ds, item);
  validation = is_validation (ds, ds->summaries->len);
  item->summary.validation = validation;
  g_array_append_val (ds->summaries, item->summary);
  example->validation = validation;

  ds->stats.examples++;
  ds->stats.turns += example->turns->len + (example->chosen != NULL ? 1 : 0);
  ds->stats.tokens += item->summary.tokens;
  if (validation)
    ds->stats.val_examples++;
  else
    {
      ds->stats.train_examples++;
      ds->stats.train_tokens += item->summary.train_tokens;
    }

  out = validation ? ds->val_out : ds->train_out;
  if (out != NULL && item->copy != NULL &&
      !g_output_stream_write_all (out, item->copy, strlen (item->copy), NULL, NULL, error))
    return FALSE;

  if (ds->preview->len < ds->options.preview)
    g_ptr_array_add (ds->preview, g_steal_pointer (&item->example));
  return TRUE;
}

/* On the importing thread, in file order: the record becomes an item, an
 * example or its problems; the checks follow in a batch. */
static gboolean
read_record (WhDataset         *ds,
             WhDatasetBatches  *batches,
             WhRecord          *record,
             gsize              bytes,
             GError           **error)
{
  WhDatasetItem *item = _wh_dataset_batches_add (batches, bytes);

  ds->stats.rows++;
  ds->item = item;
  if (record->error != NULL)
    add_record_problem (ds, record);
  else if (record->json != NULL)
    item->example = _wh_dataset_from_json (ds, record->json, record->line);
  else if (record->fields != NULL)
    item->example = _wh_dataset_from_fields (ds, record->fields, record->line);
  else if (record->text != NULL)
    item->example = _wh_dataset_from_text (ds, record->text, record->line);
  ds->item = NULL;

  return _wh_dataset_batches_step (batches, error);
}

/* JSON kinds: the format most of the first records have. */
static void
detect_json_format (WhDataset *ds,
                    GPtrArray *records)
{
  guint votes[G_N_ELEMENTS (format_names)] = { 0 };
  guint best = WH_DATASET_FORMAT_AUTO, total = 0;

  for (guint i = 0; i < records->len; i++)
    {
      WhRecord *r = g_ptr_array_index (records, i);

      if (r->json != NULL)
        {
          votes[_wh_dataset_guess_json (r->json)]++;
          total++;
        }
    }
  for (guint f = 1; f < G_N_ELEMENTS (votes); f++)
    if (votes[f] > votes[best])
      best = f;

  ds->format = best;
  if (best != WH_DATASET_FORMAT_AUTO)
    ds->reason = g_strdup_printf (_("Whetstone reads this file as %s because %u of its first %u rows match: %s."),
                                  wh_dataset_format_to_string (best), votes[best], total,
                                  _wh_dataset_format_reason (best));
}

static void
free_record (gpointer data)
{
  wh_record_clear (data);
  g_free (data);
}

WhDataset *
wh_dataset_import (const char              *path,
                   const WhDatasetOptions  *options,
                   WhDatasetProgress        progress,
                   gpointer                 user_data,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_autoptr(WhDataset) ds = NULL;
  g_autoptr(WhRecordReader) reader = NULL;
  g_autoptr(WhDatasetBatches) batches = NULL;
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (free_record);
  WhDatasetOptions defaults;
  gint64 start = g_get_monotonic_time ();
  guint64 next_progress = 0;
  WhRecord record = { 0 };
  gboolean more = TRUE;

  g_return_val_if_fail (path != NULL, NULL);

  if (options == NULL)
    {
      wh_dataset_options_init (&defaults);
      options = &defaults;
    }

  ds = g_new0 (WhDataset, 1);
  ds->options = *options;
  ds->options.val_fraction = CLAMP (options->val_fraction, 0.0, 0.5);
  ds->display = g_filename_display_name (path);
  ds->problems = g_ptr_array_new_with_free_func (_wh_problem_free);
  ds->preview = g_ptr_array_new_with_free_func (_wh_example_free);
  ds->summaries = g_array_new (FALSE, FALSE, sizeof (WhExampleSummary));
  ds->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ds->seen_exact = g_hash_table_new_full (hash_u64, equal_u64, g_free, NULL);
  ds->seen_loose = g_hash_table_new_full (hash_u64, equal_u64, g_free, NULL);

  if (!(reader = wh_record_reader_new (path, options->kind, error)))
    return NULL;
  ds->kind = wh_record_reader_get_kind (reader);

  switch (ds->kind)
    {
    case WH_FILE_KIND_CSV:
    case WH_FILE_KIND_TSV:
      {
        g_autofree char *mapping = NULL;

        if (!_wh_dataset_map_columns (ds, wh_record_reader_get_columns (reader), error))
          return NULL;
        mapping = g_strjoinv (", ", ds->columns);
        ds->reason = g_strdup_printf (_("%s Its columns are used as: %s."), wh_record_reader_get_reason (reader),
                                      mapping);
      }
      break;

    case WH_FILE_KIND_TEXT:
    case WH_FILE_KIND_TEXT_WHOLE:
      if (options->text_prompt != NULL)
        {
          /* Documents become requests and answers: a conversation. */
          ds->format = WH_DATASET_FORMAT_COLUMNS;
          ds->reason = g_strdup_printf (_("%s Each document becomes the answer to a request (“%s”)."),
                                        wh_record_reader_get_reason (reader), options->text_prompt);
        }
      else
        {
          ds->format = WH_DATASET_FORMAT_TEXT;
          ds->reason = g_strdup_printf (_("%s Each document is trained on as a whole."), wh_record_reader_get_reason (reader));
        }
      break;

    case WH_FILE_KIND_JSONL:
    case WH_FILE_KIND_JSON_ARRAY:
    case WH_FILE_KIND_AUTO:
    default:
      /* Read ahead to decide the format, then process what was read. */
      while (first->len < DETECT_RECORDS)
        {
          WhRecord *r = g_new0 (WhRecord, 1);

          if (!wh_record_reader_next (reader, r, error))
            {
              free_record (r);
              if (error != NULL && *error != NULL)
                return NULL;
              more = FALSE;
              break;
            }
          g_ptr_array_add (first, r);
        }
      if (options->format != WH_DATASET_FORMAT_AUTO)
        {
          ds->format = options->format;
          ds->reason = g_strdup_printf (_("Read as %s, as asked: %s."), wh_dataset_format_to_string (ds->format),
                                        _wh_dataset_format_reason (ds->format));
        }
      else
        detect_json_format (ds, first);
      if (ds->format == WH_DATASET_FORMAT_AUTO || ds->format == WH_DATASET_FORMAT_COLUMNS)
        {
          g_set_error (error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT,
                       _("Whetstone cannot tell the format of “%s”: its first rows have none of the fields it knows "
                         "(“messages”, “conversations”, “instruction”/“output”, “prompt”/“completion”, “text”, "
                         "“prompt”/“chosen”/“rejected”). See the sample datasets for examples."),
                       ds->display);
          return NULL;
        }
      break;
    }

  if (options->output_dir != NULL &&
      (!(ds->train_out = open_copy (options->output_dir, "train.jsonl", error)) ||
       !(ds->val_out = open_copy (options->output_dir, "val.jsonl", error))))
    {
      g_prefix_error (error, _("Cannot write the dataset’s copy: "));
      return NULL;
    }

  batches = _wh_dataset_batches_new (ds, commit_item);
  for (guint i = 0; i < first->len; i++)
    if (!read_record (ds, batches, g_ptr_array_index (first, i), 0, error))
      return NULL;
  g_ptr_array_set_size (first, 0);

  while (more)
    {
      guint64 offset = wh_record_reader_get_offset (reader);

      if (!wh_record_reader_next (reader, &record, error))
        {
          if (error != NULL && *error != NULL)
            return NULL;
          break;
        }
      if (!read_record (ds, batches, &record, wh_record_reader_get_offset (reader) - offset, error))
        {
          wh_record_clear (&record);
          return NULL;
        }
      if (ds->stats.rows % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          wh_record_clear (&record);
          return NULL;
        }
      if (progress != NULL && wh_record_reader_get_offset (reader) >= next_progress)
        {
          progress (wh_record_reader_get_offset (reader), wh_record_reader_get_size (reader), user_data);
          next_progress = wh_record_reader_get_offset (reader) + (1 << 20);
        }
    }
  wh_record_clear (&record);
  if (!_wh_dataset_batches_finish (batches, error))
    return NULL;
  g_clear_pointer (&batches, _wh_dataset_batches_free);

  if ((ds->train_out != NULL && !g_output_stream_close (ds->train_out, cancellable, error)) ||
      (ds->val_out != NULL && !g_output_stream_close (ds->val_out, cancellable, error)))
    {
      g_prefix_error (error, _("Cannot write the dataset’s copy: "));
      return NULL;
    }

  _wh_dataset_finish (ds);
  if (progress != NULL)
    progress (wh_record_reader_get_size (reader), wh_record_reader_get_size (reader), user_data);
  ds->stats.seconds = (g_get_monotonic_time () - start) / 1e6;

  return g_steal_pointer (&ds);
}

WhFileKind
wh_dataset_get_kind (WhDataset *ds)
{
  return ds->kind;
}

WhDatasetFormat
wh_dataset_get_format (WhDataset *ds)
{
  return ds->format;
}

const char *
wh_dataset_get_reason (WhDataset *ds)
{
  return ds->reason;
}

const char * const *
wh_dataset_get_columns (WhDataset *ds)
{
  return (const char * const *) ds->columns;
}

const WhDatasetStats *
wh_dataset_get_stats (WhDataset *ds)
{
  return &ds->stats;
}

GPtrArray *
wh_dataset_get_problems (WhDataset *ds)
{
  return ds->problems;
}

GPtrArray *
wh_dataset_get_preview (WhDataset *ds)
{
  return ds->preview;
}

gboolean
wh_dataset_is_usable (WhDataset *ds)
{
  return ds->stats.train_examples > 0;
}
