/* wh-data-import.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wh-dataset.h"

G_BEGIN_DECLS

/* One read of a dataset file for the Data step, on a worker thread: the
 * engine's import with the choices the user made, a plainer error for an
 * empty file or a folder, and for a CSV/TSV file whose columns were not
 * understood, its columns, to map by hand.  A dataset it makes points
 * into it (the column mapping, the chat template), so whoever shows the
 * dataset keeps a reference to the import too. */

typedef struct _WhDataImport WhDataImport;

typedef struct
{
  WhDataset   *dataset;       /* NULL when it failed */
  GError      *error;
  WhFileKind   kind;
  char       **column_names;  /* a CSV/TSV file that failed: its columns */
} WhDataImportResult;

/* On the main context the import was run from.  @owner: the object given
 * to wh_data_import_run(), or NULL when it is gone.  @result is freed
 * when this returns: steal what is kept. */
typedef void (*WhDataImportFunc) (GObject            *owner,
                                  WhDataImport       *import,
                                  WhDataImportResult *result);

/* @kind, @format, @columns: the user's choices (auto, NULL: detect).
 * @tokenizer: (nullable): counts tokens, with its chat template. */
WhDataImport *wh_data_import_new          (GFile               *file,
                                           WhFileKind           kind,
                                           WhDatasetFormat      format,
                                           const char * const  *columns,
                                           WhTokenizer         *tokenizer);
WhDataImport *wh_data_import_ref          (WhDataImport        *import);
void          wh_data_import_unref        (WhDataImport        *import);
/* NULL when the file is not on this computer: it cannot be run. */
const char   *wh_data_import_get_path     (WhDataImport        *import);
/* 0 to 1; read from any thread. */
double        wh_data_import_get_progress (WhDataImport        *import);
void          wh_data_import_cancel       (WhDataImport        *import);
/* Runs once.  @owner is weakly referenced: the import never keeps it
 * alive. */
void          wh_data_import_run          (WhDataImport        *import,
                                           GObject             *owner,
                                           WhDataImportFunc     callback);

/* The file's name as the user knows it. */
char         *wh_data_import_dup_display_name (GFile           *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WhDataImport, wh_data_import_unref)

G_END_DECLS
