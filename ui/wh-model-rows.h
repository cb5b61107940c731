/* wh-model-rows.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "wh-model-scan.h"

G_BEGIN_DECLS

/* The Model step's list: a row per model, with a check button of one
 * group among them all.  The demo comes first, then the models the user
 * opened that no scan found, then those found in the caches.
 * @candidates: (nullable): the scan's, of WhModelCandidate; @opened: the
 * user's; @chosen: (nullable): the path of the model checked; @toggled
 * is connected to each check button's ::toggled, swapped, with @object,
 * which it does not outlive. */
void                    wh_model_rows_fill     (GtkListBox *list,
                                                GPtrArray  *candidates,
                                                GPtrArray  *opened,
                                                const char *chosen,
                                                GCallback   toggled,
                                                gpointer    object);
/* The candidate of @candidates (nullable) or @opened with @path. */
const WhModelCandidate *wh_model_rows_find     (GPtrArray  *candidates,
                                                GPtrArray  *opened,
                                                const char *path);
/* The model path a row, or its check button, stands for. */
const char             *wh_model_rows_get_path (GtkWidget  *widget);

G_END_DECLS
