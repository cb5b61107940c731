/* wh-data-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-data-columns.h"
#include "wh-data-import.h"
#include "wh-data-page.h"
#include "wh-data-preview.h"
#include "wh-data-problems.h"
#include "wh-data-recent.h"
#include "wh-data-stats.h"

G_BEGIN_DECLS

/* The page is split by concern: wh-data-page.c holds its state, the
 * imports and the recent files, wh-data-page-view.c what it shows of a
 * dataset (the banner, the file group and their choices). */

/* Why a file is read: a new file starts from the loading page; the same
 * one again (reload, another tokenizer) or with a choice the user made
 * keeps the page on screen, and a choice that fails is undone. */
typedef enum
{
  IMPORT_NEW_FILE,
  IMPORT_AGAIN,
  IMPORT_CHOICE,
} ImportReason;

struct _WhDataPage
{
  AdwBin                parent_instance;

  GFile                *file;
  WhTokenizer          *tokenizer;
  char                **recent_files;  /* paths, newest first */

  /* What is shown.  In "mapping" state (a CSV whose columns the engine
   * could not assign) there are column names but no dataset. */
  WhDataset            *dataset;
  WhDataImport         *dataset_job;   /* owns what the dataset's options point to */
  WhFileKind            kind;
  char                **column_names;
  char                **column_roles;  /* the engine's role names, parallel to column_names */
  char                 *override_error;

  /* What the user chose instead of what Whetstone detected; reset for
   * each new file. */
  WhFileKind            kind_override;
  WhDatasetFormat       format_override;
  char                **columns_override;

  WhDataImport         *job;           /* in flight, or NULL */
  ImportReason          job_reason;
  guint                 progress_source;
  GtkFileChooserNative *chooser;

  gboolean              usable;
  gboolean              updating;      /* combo rows are being set, not chosen */

  /* Template widgets */
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  WhDataRecent         *recent_group;
  GtkSpinner           *loading_spinner;
  GtkLabel             *loading_label;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *failed_page;
  GtkScrolledWindow    *scroller;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_title;
  GtkLabel             *banner_detail;
  AdwPreferencesGroup  *file_group;
  GtkSpinner           *reimport_spinner;
  AdwActionRow         *file_row;
  AdwComboRow          *kind_row;
  AdwComboRow          *format_row;
  WhDataColumns        *columns_group;
  WhDataProblems       *problems_group;
  WhDataStats          *stats_group;
  WhDataPreview        *preview_group;
};

/* wh-data-page.c */
/* Reads self->file with the current choices. */
void             _wh_data_page_start_import         (WhDataPage   *self,
                                                     ImportReason  reason);

/* wh-data-page-view.c */
void             _wh_data_page_show_stack_page      (WhDataPage   *self,
                                                     const char   *name);
/* Shows the state: dataset, or the columns to map by hand. */
void             _wh_data_page_show_dataset         (WhDataPage   *self);
/* Whether @dataset has an error: the first one, and how many. */
const WhProblem *_wh_data_page_find_first_error     (WhDataset    *dataset,
                                                     guint        *n_errors);
void             _wh_data_page_kind_row_selected_cb   (WhDataPage  *self,
                                                       GParamSpec  *pspec,
                                                       AdwComboRow *row);
void             _wh_data_page_format_row_selected_cb (WhDataPage  *self,
                                                       GParamSpec  *pspec,
                                                       AdwComboRow *row);

/* For the whole Data step */

/* A count as the Data step shows it, with the locale's thousands
 * separators: “1,234”. */
char *_wh_data_format_count (guint64 value);

G_END_DECLS
