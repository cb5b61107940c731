/* wh-start-page-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-start-page.h"

G_BEGIN_DECLS

/* “Just now”, “5 minutes ago”, “Yesterday”, “3 days ago”, “12 March”. */
char        *_wh_start_page_format_date     (GDateTime   *when,
                                             GDateTime   *now);
/* Whether a read of the runs folder is under way. */
gboolean     _wh_start_page_get_loading     (WhStartPage *self);
GtkListBox  *_wh_start_page_get_list        (WhStartPage *self);
/* The run folder a row of the list stands for. */
const char  *_wh_start_page_row_get_run_dir (GtkListBoxRow *row);
/* NULL while no stopped run is offered for resuming. */
const char  *_wh_start_page_get_resume_run  (WhStartPage *self);

G_END_DECLS
