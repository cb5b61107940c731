/* wh-histogram.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WH_TYPE_HISTOGRAM (wh_histogram_get_type ())

G_DECLARE_FINAL_TYPE (WhHistogram, wh_histogram, WH, HISTOGRAM, GtkWidget)

GtkWidget *wh_histogram_new        (void);
/* @counts[i] examples are between i × @bin_width and (i + 1) × @bin_width − 1
 * tokens long. */
void       wh_histogram_set_counts (WhHistogram *self,
                                    const guint *counts,
                                    guint        n_counts,
                                    guint        bin_width);
guint      wh_histogram_get_n_bins (WhHistogram *self);

G_END_DECLS
