/* wh-training-page-status.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "wh-training-page-private.h"

/* Where the run is, in words: its state and what it means, the progress
 * and speed, the hint when it starts memorising, and what the pause
 * button would do. */

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
_wh_training_page_update_pause_button (WhTrainingPage *self)
{
  WhTrainerState state = _wh_training_page_get_state (self);
  gboolean resume = (_wh_training_page_is_active (state) && self->want_pause) || _wh_training_page_can_resume (self);

  adw_button_content_set_label (self->pause_content, resume ? _("_Resume") : _("_Pause"));
  adw_button_content_set_icon_name (self->pause_content,
                                    resume ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  if (state == WH_TRAINER_STATE_CANCELLED)
    gtk_widget_set_tooltip_text (self->pause_button, _("Continue from the latest checkpoint"));
  else
    gtk_widget_set_tooltip_text (self->pause_button, NULL);
  /* The button that carries on is the one to press. */
  if (resume)
    gtk_widget_add_css_class (self->pause_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->pause_button, "suggested-action");
}

void
_wh_training_page_update_status (WhTrainingPage *self)
{
  WhTrainerState state = _wh_training_page_get_state (self);
  const WhTrainProgress *p = _wh_training_page_get_latest (self);
  const GError *error = self->trainer != NULL ? wh_trainer_get_error (self->trainer) : NULL;
  g_autofree char *detail = NULL;
  const char *status = NULL;

  switch (state)
    {
    case WH_TRAINER_STATE_IDLE:
      status = _("Not started");
      break;

    case WH_TRAINER_STATE_PREPARING:
      status = _("Preparing…");
      detail = g_strdup (_("Loading the model and the examples"));
      break;

    case WH_TRAINER_STATE_RUNNING:
      if (self->want_pause)
        {
          status = _("Pausing…");
          detail = g_strdup (_("Training pauses when the step under way is done"));
        }
      else
        {
          status = _("Training");
          detail = p != NULL ? _wh_training_format_time_left (p->eta) : NULL;
        }
      break;

    case WH_TRAINER_STATE_PAUSED:
      if (self->want_pause)
        {
          status = _("Paused");
          detail = p != NULL ? g_strdup_printf (_("Paused after step %u of %u"), p->step, p->total_steps)
                             : g_strdup (_("Paused before the first step"));
        }
      else
        status = _("Resuming…");
      break;

    case WH_TRAINER_STATE_FINISHED:
      status = _("Finished");
      if (p != NULL && isfinite (p->elapsed))
        {
          g_autofree char *duration = _wh_training_format_duration (p->elapsed);

          detail = g_strdup_printf (ngettext ("Trained %u step in %s", "Trained %u steps in %s", p->total_steps),
                                    p->total_steps, duration);
        }
      else if (p != NULL)
        detail = g_strdup_printf (ngettext ("Trained %u step", "Trained %u steps", p->total_steps), p->total_steps);
      break;

    case WH_TRAINER_STATE_CANCELLED:
      status = _("Stopped");
      if (self->trainer == NULL && self->elsewhere)
        {
          status = _("Training Elsewhere");
          detail = g_strdup (_("Another window or whetstone-cli is training this run; this is how far it had got"));
        }
      else if (p == NULL)
        detail = error != NULL ? g_strdup (error->message) : NULL;
      else if (_wh_training_page_can_resume (self))
        detail = g_strdup_printf (_("Stopped after step %u of %u; Resume continues from the latest checkpoint"),
                                  p->step, p->total_steps);
      else
        detail = g_strdup_printf (_("Stopped after step %u of %u"), p->step, p->total_steps);
      break;

    case WH_TRAINER_STATE_FAILED:
      status = _("Failed");
      if (wh_training_checkpoints_get_n (self->checkpoints_group) > 0)
        detail = g_strdup (_("The checkpoints saved before the error are kept"));
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->status_label, status);
  set_label (self->detail_label, detail);

  gtk_widget_set_visible (self->error_box, state == WH_TRAINER_STATE_FAILED);
  /* A run that failed before its first step has nothing else to show. */
  gtk_widget_set_visible (self->run_box, state != WH_TRAINER_STATE_FAILED || self->history->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->checkpoints_group),
                          state != WH_TRAINER_STATE_FAILED || wh_training_checkpoints_get_n (self->checkpoints_group) > 0);
  gtk_label_set_label (self->error_label,
                       state == WH_TRAINER_STATE_FAILED && error != NULL ? error->message : "");
}

void
_wh_training_page_update_numbers (WhTrainingPage *self)
{
  WhTrainerState state = _wh_training_page_get_state (self);
  const WhTrainProgress *p = _wh_training_page_get_latest (self);

  if (p == NULL)
    {
      gtk_label_set_label (self->progress_label,
                           state == WH_TRAINER_STATE_IDLE ? _("Not started") : _("Waiting for the first step"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_label (self->speed_label, "—");
      gtk_label_set_label (self->elapsed_label, "—");
      gtk_label_set_label (self->memory_label, "—");
      return;
    }

  {
    /* Translators: progress of a training run, e.g. “Step 12 of 48 · Epoch 1 of 2” */
    g_autofree char *text = g_strdup_printf (_("Step %u of %u · Epoch %u of %u"),
                                             p->step, p->total_steps, p->epoch, p->n_epochs);

    gtk_label_set_label (self->progress_label, text);
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   p->total_steps > 0 ? MIN (1.0, (double) p->step / p->total_steps) : 0);
  }
  /* A run read from its folder has no record of some. */
  if (isfinite (p->tokens_per_second))
    {
      g_autofree char *number = g_strdup_printf ("%'.0f", p->tokens_per_second);
      /* Translators: the training speed, e.g. “1,234 tokens per second” */
      g_autofree char *text = g_strdup_printf (_("%s tokens per second"), number);

      gtk_label_set_label (self->speed_label, text);
    }
  else
    gtk_label_set_label (self->speed_label, "—");
  if (isfinite (p->elapsed))
    {
      g_autofree char *text = _wh_training_format_duration (p->elapsed);

      gtk_label_set_label (self->elapsed_label, text);
    }
  else
    gtk_label_set_label (self->elapsed_label, "—");
  if (p->device_memory_peak > 0)
    {
      g_autofree char *now = g_format_size (p->device_memory);
      g_autofree char *peak = g_format_size (p->device_memory_peak);
      /* Translators: device memory in use now, and the most used so far */
      g_autofree char *text = g_strdup_printf (_("%s (peak %s)"), now, peak);

      gtk_label_set_label (self->memory_label, text);
    }
  else
    gtk_label_set_label (self->memory_label, "—");
}

void
_wh_training_page_update_hint (WhTrainingPage *self)
{
  g_autofree char *hint = NULL;

  hint = _wh_training_memorising_hint (self->history);
  gtk_label_set_label (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (self->hint_box, hint != NULL);
}
