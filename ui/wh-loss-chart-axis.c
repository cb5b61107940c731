/* wh-loss-chart-axis.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <gdk/gdkkeysyms.h>
#include <glib/gi18n.h>

#include "wh-loss-chart-axis.h"
#include "wh-loss-chart-private.h"

/* The arithmetic of the loss chart, which needs no drawing: round tick
 * values, the range of the losses, the smoothed trend, the text of labels
 * and descriptions, and the step nearest to a point on the x axis. */

static const WhTrainProgress *
progress_at (GArray *history,
             guint   i)
{
  return &g_array_index (history, WhTrainProgress, i);
}

static guint
n_steps (GArray *history)
{
  return history != NULL ? history->len : 0;
}

/* Ticks */

guint
_wh_loss_chart_nice_ticks (double    lo,
                           double    hi,
                           guint     target,
                           gboolean  integer,
                           double   *first,
                           double   *last,
                           double   *step)
{
  double raw, magnitude, residual, nice;

  g_return_val_if_fail (first != NULL && last != NULL && step != NULL, 0);

  if (!isfinite (lo) || !isfinite (hi))
    return 0;
  if (hi < lo)
    {
      double t = lo;

      lo = hi;
      hi = t;
    }
  if (hi - lo < 1e-12 * MAX (1.0, fabs (hi)))
    {
      /* One value: a range around it. */
      double pad = lo != 0 ? fabs (lo) * 0.1 : 0.5;

      lo -= pad;
      hi += pad;
    }

  raw = (hi - lo) / MAX (target, 1u);
  magnitude = pow (10, floor (log10 (raw)));
  residual = raw / magnitude;
  if (residual < 1.5)
    nice = 1;
  else if (residual < 3)
    nice = 2;
  else if (residual < 7)
    nice = 5;
  else
    nice = 10;
  *step = nice * magnitude;
  if (integer && *step < 1)
    *step = 1;

  *first = floor (lo / *step + 1e-9) * *step;
  *last = ceil (hi / *step - 1e-9) * *step;

  return (guint) lround ((*last - *first) / *step) + 1;
}

int
_wh_loss_chart_tick_decimals (double step)
{
  if (!(step > 0) || !isfinite (step))
    return 0;
  return CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 10);
}

char *
_wh_loss_chart_format_tick (double value,
                            int    decimals)
{
  if (fabs (value) < 1e-12)
    value = 0;  /* no “-0.0” */
  return g_strdup_printf ("%.*f", decimals, value);
}

char *
_wh_loss_chart_format_step (double step)
{
  return g_strdup_printf ("%'.0f", step);
}

guint
_wh_loss_chart_loss_ticks (double  min,
                           double  max,
                           guint   target,
                           double *lo,
                           double *hi,
                           double *step,
                           int    *decimals)
{
  guint n_ticks;

  n_ticks = _wh_loss_chart_nice_ticks (min, max, target, FALSE, lo, hi, step);
  if (n_ticks == 0)
    return 0;
  if (*lo < 0 && min >= 0)
    {
      *lo = 0;
      n_ticks = (guint) lround (*hi / *step) + 1;
    }
  *decimals = _wh_loss_chart_tick_decimals (*step);

  return n_ticks;
}

/* The whole run from step 0, as far as it is known. */
void
_wh_loss_chart_step_ticks (GArray *history,
                           float   plot_width,
                           double *hi,
                           double *step)
{
  const WhTrainProgress *last = progress_at (history, n_steps (history) - 1);
  double first, end;

  *hi = MAX (MAX (last->total_steps, last->step), 1);
  _wh_loss_chart_nice_ticks (0, *hi,
                             CLAMP ((guint) (plot_width / 90), 2, 10), TRUE,
                             &first, &end, step);
}

/* Ranges */

gboolean
_wh_loss_chart_loss_range (GArray *history,
                           double *min,
                           double *max)
{
  double y_min = INFINITY, y_max = -INFINITY;

  for (guint i = 0; i < n_steps (history); i++)
    {
      const WhTrainProgress *p = progress_at (history, i);

      if (isfinite (p->loss))
        {
          y_min = MIN (y_min, p->loss);
          y_max = MAX (y_max, p->loss);
        }
      if (isfinite (p->val_loss))
        {
          y_min = MIN (y_min, p->val_loss);
          y_max = MAX (y_max, p->val_loss);
        }
    }
  *min = y_min;
  *max = y_max;

  return isfinite (y_min);
}

/* Smoothing */

/* An exponential moving average, debiased, that smooths more the longer
 * the run: a long run has more noise to hide and more steps to spare. */
void
_wh_loss_chart_smooth (GArray *history,
                       GArray *smoothed)
{
  double average = 0, weight = 0, smoothing = 0.6;

  if (n_steps (history) > 0)
    smoothing = CLAMP (1 - 50.0 / MAX (progress_at (history, n_steps (history) - 1)->total_steps, 1u), 0.6, 0.95);

  g_array_set_size (smoothed, 0);
  for (guint i = 0; i < n_steps (history); i++)
    {
      double loss = progress_at (history, i)->loss;

      if (isfinite (loss))
        {
          /* Debiased, so the first steps are not pulled towards zero. */
          average = smoothing * average + (1 - smoothing) * loss;
          weight = smoothing * weight + (1 - smoothing);
        }
      loss = weight > 0 ? average / weight : NAN;
      g_array_append_val (smoothed, loss);
    }
}

/* Hit-testing */

/* The step nearest to @step, by bisection: the steps only grow. */
static guint
nearest_index (GArray *history,
               double  step)
{
  guint lo = 0, hi;

  hi = n_steps (history) - 1;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (progress_at (history, mid)->step < step)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0 && step - progress_at (history, lo - 1)->step < progress_at (history, lo)->step - step)
    lo--;
  return lo;
}

int
_wh_loss_chart_hit_test (GArray *history,
                         double  x,
                         float   plot_x,
                         float   plot_width,
                         double  x_lo,
                         double  x_hi)
{
  double step;
  guint lo;

  if (n_steps (history) == 0)
    return -1;
  if (x < plot_x - 8 || x > plot_x + plot_width + 8)
    return -1;
  step = x_lo + (x - plot_x) / plot_width * (x_hi - x_lo);

  lo = nearest_index (history, step);
  if (fabs ((float) (plot_x + (progress_at (history, lo)->step - x_lo) / (x_hi - x_lo) * plot_width) - x) > 48)
    return -1;  /* beyond the last step so far */
  return (int) lo;
}

/* Keys */

gboolean
_wh_loss_chart_key_hover (guint  keyval,
                          int    hover,
                          int    n,
                          int   *new_hover)
{
  int page = MAX (n / 10, 1);

  if (n == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      *new_hover = hover < 0 ? n - 1 : MAX (hover - 1, 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      *new_hover = hover < 0 ? n - 1 : hover + 1;
      return TRUE;
    case GDK_KEY_Page_Up:
      *new_hover = MAX ((hover < 0 ? n - 1 : hover) - page, 0);
      return TRUE;
    case GDK_KEY_Page_Down:
      *new_hover = (hover < 0 ? n - 1 : hover) + page;
      return TRUE;
    case GDK_KEY_Home:
      *new_hover = 0;
      return TRUE;
    case GDK_KEY_End:
      *new_hover = n - 1;
      return TRUE;
    case GDK_KEY_Escape:
      if (hover < 0)
        return FALSE;
      *new_hover = -1;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Text */

char *
_wh_loss_chart_describe_step (GArray *history,
                              guint   i)
{
  const WhTrainProgress *p = progress_at (history, i);
  GString *text = g_string_new (NULL);

  /* Translators: the first line of the values shown for a step of the loss chart */
  g_string_append_printf (text, _("Step %u · Epoch %u"), p->step, p->epoch);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Loss %.3f"), p->loss);
  if (isfinite (p->val_loss))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Validation loss %.3f"), p->val_loss);
    }
  if (isfinite (p->learning_rate))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Learning rate %.3g"), p->learning_rate);
    }

  return g_string_free (text, FALSE);
}

char *
_wh_loss_chart_describe_history (GArray *history,
                                 GArray *smoothed)
{
  const WhTrainProgress *last;
  double val = NAN;

  if (n_steps (history) == 0)
    return g_strdup (_("Waiting for the first step…"));

  last = progress_at (history, n_steps (history) - 1);
  for (guint i = n_steps (history); i > 0 && !isfinite (val); i--)
    val = progress_at (history, i - 1)->val_loss;

  if (isfinite (val))
    return g_strdup_printf (_("Step %u of %u: training loss %.3f, validation loss %.3f"),
                            last->step, last->total_steps,
                            g_array_index (smoothed, double, n_steps (history) - 1), val);
  else
    return g_strdup_printf (_("Step %u of %u: training loss %.3f"),
                            last->step, last->total_steps,
                            g_array_index (smoothed, double, n_steps (history) - 1));
}
