/* wh-loss-chart-axis.h
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wh-train-run.h"

G_BEGIN_DECLS

/* The numbers behind the loss chart, apart from GTK: ticks, ranges,
 * smoothing, labels and which step is nearest.  @history is an array of
 * WhTrainProgress, @smoothed one of double, one per step. */

/* A tick value as text with @decimals, never “-0.0”. */
char    *_wh_loss_chart_format_tick      (double        value,
                                          int           decimals);

/* A step on the x axis as text, grouped by thousands. */
char    *_wh_loss_chart_format_step      (double        step);

/* Fills @smoothed with a debiased exponential moving average of the
 * training loss of @history. */
void     _wh_loss_chart_smooth           (GArray       *history,
                                          GArray       *smoothed);

/* The lowest and highest finite loss, training or validation, of
 * @history.  Returns FALSE when there is none. */
gboolean _wh_loss_chart_loss_range       (GArray       *history,
                                          double       *min,
                                          double       *max);

/* Ticks for the loss axis showing [@min, @max], from zero rather than
 * below it when no loss is negative.  Returns the number of ticks, 0 when
 * there are none. */
guint    _wh_loss_chart_loss_ticks       (double        min,
                                          double        max,
                                          guint         target,
                                          double       *lo,
                                          double       *hi,
                                          double       *step,
                                          int          *decimals);

/* The x axis of @history, from step 0 to *@hi, the whole run as far as
 * it is known, with ticks *@step apart for a plot @plot_width wide. */
void     _wh_loss_chart_step_ticks       (GArray       *history,
                                          float         plot_width,
                                          double       *hi,
                                          double       *step);

/* The index of the step of @history under @x on a plot from @plot_x,
 * @plot_width wide, showing steps [@x_lo, @x_hi]; or -1 when none is
 * near. */
int      _wh_loss_chart_hit_test         (GArray       *history,
                                          double        x,
                                          float         plot_x,
                                          float         plot_width,
                                          double        x_lo,
                                          double        x_hi);

/* The step that @keyval moves to from @hover (or -1) among @n steps,
 * in *@new_hover, not yet clamped to the last.  Returns FALSE when the
 * key does not move it. */
gboolean _wh_loss_chart_key_hover        (guint         keyval,
                                          int           hover,
                                          int           n,
                                          int          *new_hover);

/* The values of step @i of @history, one per line. */
char    *_wh_loss_chart_describe_step    (GArray       *history,
                                          guint         i);

/* What a screen reader says for @history: where the run is. */
char    *_wh_loss_chart_describe_history (GArray       *history,
                                          GArray       *smoothed);

G_END_DECLS
