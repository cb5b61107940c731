/* wh-start-page.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WH_TYPE_START_PAGE (wh_start_page_get_type ())

G_DECLARE_FINAL_TYPE (WhStartPage, wh_start_page, WH, START_PAGE, AdwBin)

GtkWidget  *wh_start_page_new            (void);
/* The folder whose runs are listed; they are read again when it changes
 * and when a run is added to it or removed. */
void        wh_start_page_set_runs_dir   (WhStartPage *self,
                                          const char  *runs_dir);
const char *wh_start_page_get_runs_dir   (WhStartPage *self);
/* @run_dir: (nullable): the run this app is training now: it is shown
 * as training, and can be neither resumed nor deleted. */
void        wh_start_page_set_active_run (WhStartPage *self,
                                          const char  *run_dir);
/* Reads the runs folder again, on a worker thread. */
void        wh_start_page_reload         (WhStartPage *self);
/* Whether any run is listed. */
gboolean    wh_start_page_get_has_runs   (WhStartPage *self);

G_END_DECLS
