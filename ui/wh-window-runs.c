/* wh-window-runs.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-run-folder.h"
#include "wh-run-list.h"
#include "wh-window-private.h"

/* The window's runs: the one it trains, on its device's compute thread,
 * and those of the runs folder, which the Start step lists.  A run from
 * there is resumed by the window's trainer, or opened: the Training step
 * shows its history as its folder holds it, and Try It its checkpoints
 * and its result, on the same compute thread, started for it if no run
 * has been trained yet.  The Training and Try It steps follow the
 * trainer again once it starts a run. */

typedef struct
{
  WhRunInfo *info;
  GArray    *history;  /* of WhTrainProgress */
} OpenedRun;

static void
opened_run_free (OpenedRun *opened)
{
  g_clear_pointer (&opened->info, wh_run_info_free);
  g_clear_pointer (&opened->history, g_array_unref);
  g_free (opened);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenedRun, opened_run_free)

/* A run folder named after the recipe and the time, as the command
 * line names its own, in the runs folder of the settings. */
static char *
wh_window_dup_run_dir (GSettings      *settings,
                       const WhRecipe *recipe)
{
  g_autofree char *runs = wh_run_dup_runs_dir (settings);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autoptr(GString) slug = g_string_new (NULL);
  g_autofree char *name = NULL;

  for (const char *c = recipe->name != NULL ? recipe->name : "fine-tune"; *c != '\0'; c++)
    {
      if (g_ascii_isalnum (*c))
        g_string_append_c (slug, g_ascii_tolower (*c));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  name = g_strdup_printf ("%s-%s", slug->len > 0 ? slug->str : "fine-tune", stamp);
  return g_build_filename (runs, name, NULL);
}

gboolean
_wh_window_ensure_compute (WhWindow  *self,
                           GError   **error)
{
  g_assert (WH_IS_WINDOW (self));

  if (self->compute != NULL)
    return TRUE;
  if (self->device == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no device to train on"));
      return FALSE;
    }
  self->compute = wh_device_new (self->device);
  /* Answers come on the training's own compute thread, between its
   * steps. */
  wh_playground_page_set_device (self->playground_page, self->compute);
  return TRUE;
}

static gboolean
wh_window_ensure_trainer (WhWindow  *self,
                          GError   **error)
{
  g_assert (WH_IS_WINDOW (self));

  if (!_wh_window_ensure_compute (self, error))
    return FALSE;
  if (self->trainer == NULL)
    self->trainer = wh_trainer_new (self->compute);
  return TRUE;
}

/* The Training and Try It steps show the trainer's run: after it
 * started, so that a run opened and then resumed keeps the steps shown
 * so far. */
static void
wh_window_follow_trainer (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));
  g_assert (self->trainer != NULL);

  wh_training_page_set_trainer (self->training_page, self->trainer);
  wh_playground_page_set_trainer (self->playground_page, self->trainer);
}

gboolean
_wh_window_start_training (WhWindow  *self,
                           GError   **error)
{
  g_autofree char *run_dir = NULL;

  g_assert (WH_IS_WINDOW (self));
  g_assert (self->has_recipe);

  if (!wh_window_ensure_trainer (self, error))
    return FALSE;
  run_dir = wh_window_dup_run_dir (self->settings, &self->recipe);
  if (!wh_trainer_start (self->trainer, &self->recipe, run_dir, error))
    return FALSE;
  self->from_start = FALSE;
  wh_window_follow_trainer (self);
  return TRUE;
}

/* Resumed from the Start step, or from the Training step showing a run
 * opened there: on the Training step. */
static void
wh_window_resume_run_cb (WhWindow   *self,
                         const char *run_dir)
{
  g_autoptr(GError) error = NULL;

  g_assert (WH_IS_WINDOW (self));

  if (!wh_window_ensure_trainer (self, &error) ||
      !wh_trainer_start_from_checkpoint (self->trainer, run_dir, &error))
    {
      _wh_window_toast (self, error->message);
      return;
    }
  wh_window_follow_trainer (self);
  self->from_start = TRUE;
  _wh_window_set_step (self, STEP_TRAINING);
}

/* Opening */

static void
wh_window_open_run_worker (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  g_autoptr(OpenedRun) opened = g_new0 (OpenedRun, 1);
  GError *error = NULL;

  if (!(opened->info = wh_run_info_read (task_data, &error)) ||
      !(opened->history = wh_run_folder_read_history (task_data, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&opened), (GDestroyNotify) opened_run_free);
}

static void
wh_window_open_run_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  WhWindow *self = user_data;
  g_autoptr(OpenedRun) opened = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled by dispose, or by a later open: the window may be gone,
   * so look before touching it. */
  if (!(opened = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not open the run: %s"), error->message);

          _wh_window_toast (self, message);
        }
      return;
    }

  g_assert (WH_IS_WINDOW (self));
  g_clear_object (&self->open_cancellable);

  /* A run started while this one was read goes first. */
  if (wh_training_page_is_busy (self->training_page))
    return;

  wh_training_page_show_run (self->training_page, opened->info, opened->history);
  wh_playground_page_set_trainer (self->playground_page, NULL);
  if (g_strcmp0 (wh_playground_page_get_run_dir (self->playground_page), opened->info->path) == 0)
    wh_playground_page_reload (self->playground_page);
  else
    wh_playground_page_set_run_dir (self->playground_page, opened->info->path);
  /* To try it; without a device yet, once one is found. */
  if (self->device != NULL)
    _wh_window_ensure_compute (self, NULL);

  self->from_start = TRUE;
  _wh_window_set_step (self, STEP_TRAINING);
}

/* Shows the run in @run_dir on the Training step, once read. */
static void
wh_window_open_run_cb (WhWindow   *self,
                       const char *run_dir)
{
  g_autoptr(GTask) task = NULL;

  g_assert (WH_IS_WINDOW (self));

  /* While a run trains, the Training step is its. */
  if (wh_training_page_is_busy (self->training_page))
    {
      if (g_strcmp0 (wh_training_page_get_run_dir (self->training_page), run_dir) != 0)
        {
          _wh_window_toast (self, _("Another fine-tune is training; stop it before opening this one"));
          return;
        }
      self->from_start = TRUE;
      _wh_window_set_step (self, STEP_TRAINING);
      return;
    }

  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();

  /* No source object, as when looking for the device: dispose cancels. */
  task = g_task_new (NULL, self->open_cancellable, wh_window_open_run_done_cb, self);
  g_task_set_source_tag (task, wh_window_open_run_cb);
  g_task_set_name (task, "[whetstone-open-run]");
  g_task_set_task_data (task, g_strdup (run_dir), g_free);
  g_task_run_in_thread (task, wh_window_open_run_worker);
}

/* The Start step */

static void
wh_window_runs_folder_cb (WhWindow *self)
{
  g_autofree char *runs = wh_run_dup_runs_dir (self->settings);

  g_assert (WH_IS_WINDOW (self));

  wh_start_page_set_runs_dir (self->start_page, runs);
}

/* With runs to list, the welcome makes room for them: the user has been
 * here before. */
static void
wh_window_has_runs_cb (WhWindow *self)
{
  gboolean has_runs;

  g_assert (WH_IS_WINDOW (self));

  has_runs = wh_start_page_get_has_runs (self->start_page);
  if (self->welcome_text == NULL)
    self->welcome_text = g_strdup (adw_status_page_get_description (self->welcome_page));
  adw_status_page_set_description (self->welcome_page, has_runs ? NULL : self->welcome_text);
  if (has_runs)
    gtk_widget_add_css_class (GTK_WIDGET (self->welcome_page), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->welcome_page), "compact");
}

void
_wh_window_init_runs (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  g_signal_connect_object (self->start_page, "resume", G_CALLBACK (wh_window_resume_run_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->start_page, "open", G_CALLBACK (wh_window_open_run_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->start_page, "notify::has-runs", G_CALLBACK (wh_window_has_runs_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->training_page, "resume", G_CALLBACK (wh_window_resume_run_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::runs-folder",
                             G_CALLBACK (wh_window_runs_folder_cb), self, G_CONNECT_SWAPPED);
  wh_window_runs_folder_cb (self);
}
