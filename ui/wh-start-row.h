/* wh-start-row.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-run-list.h"

G_BEGIN_DECLS

/* The run folder a row stands for, and a delete dialog acts on. */
#define WH_START_ROW_RUN_DIR_KEY "wh-run-dir"

/* The run's name, or its id where it has none. */
const char *_wh_start_row_get_title (const WhRunInfo *run);
/* A row for @run; @active: whether it trains now, here or elsewhere. */
GtkWidget  *_wh_start_row_new       (const WhRunInfo *run,
                                     gboolean         active);

G_END_DECLS
