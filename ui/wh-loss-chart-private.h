/* wh-loss-chart-private.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wh-loss-chart.h"

G_BEGIN_DECLS

/* Tick marks for an axis showing [@lo, @hi]: about @target steps of 1, 2
 * or 5 × 10ⁿ (whole numbers only when @integer), from *@first to *@last,
 * which cover [@lo, @hi].  Returns the number of ticks, 0 when the range
 * is not finite. */
guint _wh_loss_chart_nice_ticks (double    lo,
                                 double    hi,
                                 guint     target,
                                 gboolean  integer,
                                 double   *first,
                                 double   *last,
                                 double   *step);

/* The decimals a tick label needs at @step apart. */
int   _wh_loss_chart_tick_decimals (double step);

/* The step under the pointer, an index into the history, or -1. */
int   _wh_loss_chart_get_hover     (WhLossChart *self);

G_END_DECLS
