/* wh-loss-chart.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WH_TYPE_LOSS_CHART (wh_loss_chart_get_type ())

G_DECLARE_FINAL_TYPE (WhLossChart, wh_loss_chart, WH, LOSS_CHART, GtkWidget)

GtkWidget *wh_loss_chart_new         (void);
/* @history: (nullable): of WhTrainProgress, in step order; the chart
 * keeps a reference and reads it again on wh_loss_chart_changed(). */
void       wh_loss_chart_set_history (WhLossChart *self,
                                      GArray      *history);
GArray    *wh_loss_chart_get_history (WhLossChart *self);
/* The history grew (or was emptied): redraw. */
void       wh_loss_chart_changed     (WhLossChart *self);

G_END_DECLS
