/* wh-data-import.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-data-import.h"

#define PREVIEW_EXAMPLES 6

struct _WhDataImport
{
  GFile           *file;
  char            *path;
  WhFileKind       kind;
  WhDatasetFormat  format;
  char           **columns;
  WhTokenizer     *tokenizer;
  WhChatTemplate  *chat_template;   /* made on the worker from the tokenizer's */
  GCancellable    *cancellable;
  int              progress;        /* per mille, atomic */
};

/* What a run waits with. */
typedef struct
{
  GWeakRef          owner;
  WhDataImport     *import;
  WhDataImportFunc  callback;
} Run;

static void
import_clear (gpointer data)
{
  WhDataImport *import = data;

  g_clear_object (&import->file);
  g_clear_pointer (&import->path, g_free);
  g_clear_pointer (&import->columns, g_strfreev);
  g_clear_pointer (&import->tokenizer, wh_tokenizer_unref);
  g_clear_pointer (&import->chat_template, wh_chat_template_free);
  g_clear_object (&import->cancellable);
}

WhDataImport *
wh_data_import_new (GFile              *file,
                    WhFileKind          kind,
                    WhDatasetFormat     format,
                    const char * const *columns,
                    WhTokenizer        *tokenizer)
{
  WhDataImport *import;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  import = g_rc_box_new0 (WhDataImport);
  import->file = g_object_ref (file);
  import->path = g_file_get_path (file);
  import->kind = kind;
  import->format = format;
  import->columns = g_strdupv ((char **) columns);
  import->tokenizer = tokenizer != NULL ? wh_tokenizer_ref (tokenizer) : NULL;
  import->cancellable = g_cancellable_new ();
  return import;
}

WhDataImport *
wh_data_import_ref (WhDataImport *import)
{
  g_return_val_if_fail (import != NULL, NULL);

  return g_rc_box_acquire (import);
}

void
wh_data_import_unref (WhDataImport *import)
{
  g_return_if_fail (import != NULL);

  g_rc_box_release_full (import, import_clear);
}

const char *
wh_data_import_get_path (WhDataImport *import)
{
  g_return_val_if_fail (import != NULL, NULL);

  return import->path;
}

double
wh_data_import_get_progress (WhDataImport *import)
{
  g_return_val_if_fail (import != NULL, 0);

  return g_atomic_int_get (&import->progress) / 1000.0;
}

void
wh_data_import_cancel (WhDataImport *import)
{
  g_return_if_fail (import != NULL);

  g_cancellable_cancel (import->cancellable);
}

char *
wh_data_import_dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return basename != NULL ? g_filename_display_name (basename) : g_file_get_uri (file);
}

static void
result_free (gpointer data)
{
  WhDataImportResult *result = data;

  g_clear_pointer (&result->dataset, wh_dataset_free);
  g_clear_error (&result->error);
  g_clear_pointer (&result->column_names, g_strfreev);
  g_free (result);
}

static void
run_free (Run *run)
{
  g_weak_ref_clear (&run->owner);
  wh_data_import_unref (run->import);
  g_free (run);
}

/* The worker */

static void
import_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  WhDataImport *import = user_data;

  if (total > 0)
    g_atomic_int_set (&import->progress, (int) MIN (1000, done * 1000 / total));
}

static void
import_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WhDataImport *import = task_data;
  WhDataImportResult *result = g_new0 (WhDataImportResult, 1);
  g_autoptr(GFileInfo) info = NULL;
  WhDatasetOptions options;

  /* Clearer than the engine's "no format fits" for a file with nothing in it. */
  info = g_file_query_info (import->file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_file_info_get_size (info) == 0)
    {
      g_autofree char *name = wh_data_import_dup_display_name (import->file);

      g_set_error (&result->error, WH_DATASET_ERROR, WH_DATASET_ERROR_FORMAT,
                   _("“%s” is empty: there is nothing in it to learn from. Choose a file with examples in it."), name);
      g_task_return_pointer (task, result, result_free);
      return;
    }
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = wh_data_import_dup_display_name (import->file);

      g_set_error (&result->error, WH_DATASET_ERROR, WH_DATASET_ERROR_OPEN,
                   _("“%s” is a folder. Choose one CSV, JSON Lines, JSON or text file."), name);
      g_task_return_pointer (task, result, result_free);
      return;
    }

  wh_dataset_options_init (&options);
  options.kind = import->kind;
  options.format = import->format;
  options.columns = (const char * const *) import->columns;
  options.preview = PREVIEW_EXAMPLES;
  if (import->tokenizer != NULL)
    {
      options.tokenizer = import->tokenizer;
      if (wh_tokenizer_get_chat_template (import->tokenizer) != NULL)
        import->chat_template = wh_tokenizer_dup_chat_template (import->tokenizer, NULL);
      options.chat_template = import->chat_template;
    }

  result->dataset = wh_dataset_import (import->path, &options, import_progress, import, cancellable, &result->error);

  if (result->dataset != NULL)
    result->kind = wh_dataset_get_kind (result->dataset);
  else if (!g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(WhRecordReader) reader = wh_record_reader_new (import->path, import->kind, NULL);

      /* A CSV whose columns were not understood can still be mapped by hand. */
      if (reader != NULL)
        {
          result->kind = wh_record_reader_get_kind (reader);
          if ((result->kind == WH_FILE_KIND_CSV || result->kind == WH_FILE_KIND_TSV) &&
              wh_record_reader_get_columns (reader) != NULL)
            result->column_names = g_strdupv ((char **) wh_record_reader_get_columns (reader));
        }
    }

  g_task_return_pointer (task, result, result_free);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GObject) owner = g_weak_ref_get (&run->owner);
  WhDataImportResult *result = g_task_propagate_pointer (G_TASK (async_result), NULL);

  if (result != NULL)
    {
      run->callback (owner, run->import, result);
      result_free (result);
    }
  run_free (run);
}

void
wh_data_import_run (WhDataImport     *import,
                    GObject          *owner,
                    WhDataImportFunc  callback)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (import != NULL);
  g_return_if_fail (import->path != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (callback != NULL);

  run = g_new0 (Run, 1);
  g_weak_ref_init (&run->owner, owner);
  run->import = wh_data_import_ref (import);
  run->callback = callback;

  /* No source object: the task must not keep the owner alive. */
  task = g_task_new (NULL, import->cancellable, import_done_cb, run);
  g_task_set_source_tag (task, wh_data_import_run);
  g_task_set_task_data (task, wh_data_import_ref (import), (GDestroyNotify) wh_data_import_unref);
  g_task_run_in_thread (task, import_worker);
}
