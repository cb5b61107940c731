/* wh-training-page-words.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "wh-training-page-private.h"

/* What the Training step says of a run in words: how long it took, how
 * long it has left, and when the model starts to memorise its
 * examples. */

char *
_wh_training_format_duration (double seconds)
{
  guint64 total, hours, minutes;

  if (!isfinite (seconds) || seconds < 0)
    seconds = 0;

  if (seconds < 59.5)
    {
      guint s = (guint) lround (seconds);

      return g_strdup_printf (ngettext ("%u second", "%u seconds", s), s);
    }

  total = (guint64) llround (seconds / 60);  /* minutes */
  if (total < 60)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", (gulong) total), (guint) total);

  hours = total / 60;
  minutes = total % 60;
  if (minutes == 0)
    return g_strdup_printf (ngettext ("%u hour", "%u hours", (gulong) hours), (guint) hours);
  else
    {
      g_autofree char *h = g_strdup_printf (ngettext ("%u hour", "%u hours", (gulong) hours), (guint) hours);
      g_autofree char *m = g_strdup_printf (ngettext ("%u minute", "%u minutes", (gulong) minutes), (guint) minutes);

      /* Translators: a duration in hours and minutes, e.g. “1 hour 5 minutes” */
      return g_strdup_printf (C_("duration", "%s %s"), h, m);
    }
}

char *
_wh_training_format_time_left (double seconds)
{
  g_autofree char *duration = NULL;

  if (!isfinite (seconds) || seconds < 0)
    return NULL;
  if (seconds < 60)
    return g_strdup (_("Less than a minute left"));

  /* An estimate: no more precise than it can be. */
  if (seconds >= 3600)
    seconds = round (seconds / 300) * 300;
  else if (seconds >= 600)
    seconds = round (seconds / 60) * 60;
  duration = _wh_training_format_duration (seconds);
  /* Translators: the estimated time until training ends, e.g. “About 3 minutes left” */
  return g_strdup_printf (_("About %s left"), duration);
}

char *
_wh_training_memorising_hint (GArray *history)
{
  const WhTrainProgress *best = NULL, *checkpoint = NULL;
  guint n_val = 0, n_above = 0;
  g_autofree char *name = NULL;
  guint n;
  char tail;

  if (history == NULL)
    return NULL;

  for (guint i = 0; i < history->len; i++)
    {
      const WhTrainProgress *p = &g_array_index (history, WhTrainProgress, i);

      if (!isfinite (p->val_loss))
        continue;
      n_val++;
      if (best == NULL || p->val_loss <= best->val_loss)
        {
          best = p;
          n_above = 0;
        }
      else
        n_above++;
    }
  /* Both of the last two above the best; one rise may be noise. */
  if (best == NULL || n_val < 3 || n_above < 2)
    return NULL;

  for (guint i = 0; i < history->len && checkpoint == NULL; i++)
    {
      const WhTrainProgress *p = &g_array_index (history, WhTrainProgress, i);

      if (p->checkpoint != NULL && p->step >= best->step)
        checkpoint = p;
    }

  if (checkpoint == NULL)
    return g_strdup_printf (_("The model is starting to memorise the examples; its best result so far was at step %u (validation loss %.3f)"),
                            best->step, best->val_loss);

  name = g_path_get_basename (checkpoint->checkpoint);
  if (sscanf (name, "epoch-%u%c", &n, &tail) == 1)
    return g_strdup_printf (_("The model is starting to memorise the examples; the best checkpoint so far is epoch %u (validation loss %.3f)"),
                            n, best->val_loss);
  return g_strdup_printf (_("The model is starting to memorise the examples; the best checkpoint so far is the one at step %u (validation loss %.3f)"),
                          checkpoint->step, best->val_loss);
}
