/* wh-data-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-dataset.h"

G_BEGIN_DECLS

#define WH_TYPE_DATA_PAGE (wh_data_page_get_type ())

G_DECLARE_FINAL_TYPE (WhDataPage, wh_data_page, WH, DATA_PAGE, AdwBin)

GtkWidget          *wh_data_page_new              (void);
/* Imports @file off the main thread; a newer load cancels an older one. */
void                wh_data_page_load_file        (WhDataPage         *self,
                                                   GFile              *file);
WhDataset          *wh_data_page_get_dataset      (WhDataPage         *self);
GFile              *wh_data_page_get_file         (WhDataPage         *self);
/* Loaded, something to train on, and no errors. */
gboolean            wh_data_page_get_usable       (WhDataPage         *self);
gboolean            wh_data_page_get_busy         (WhDataPage         *self);
/* Counts tokens with @tokenizer (and its chat template); the file is
 * read again when it changes.  NULL: no token counts. */
void                wh_data_page_set_tokenizer    (WhDataPage         *self,
                                                   WhTokenizer        *tokenizer);
WhTokenizer        *wh_data_page_get_tokenizer    (WhDataPage         *self);
/* The dataset files opened last (the settings' recent-datasets), newest
 * first; each file that imports with something to train on is added. */
void                wh_data_page_set_recent_files (WhDataPage         *self,
                                                   const char * const *paths);
const char * const *wh_data_page_get_recent_files (WhDataPage         *self);

G_END_DECLS
