/* wh-training-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-training-page-private.h"

/* The Training step: a WhTrainer's run as it happens, or a run that is
 * over, as its folder holds it.  The page follows the trainer's
 * ::progress and notify::state and never drives the run beyond what the
 * person asks (pause, resume, stop).  It keeps its own copy of the steps,
 * which the chart draws: a run continued from a checkpoint starts a new
 * history in the trainer, and the chart and the checkpoints should go on
 * from where they were.  A run shown without a trainer is resumed by the
 * window, which owns the device: the page asks by its ::resume signal.
 * While the run is active the page keeps the computer awake through its
 * window's application, and when the run ends with the window in the
 * background it says so in a notification. */

G_DEFINE_FINAL_TYPE (WhTrainingPage, wh_training_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TRAINER,
  PROP_BUSY,
  N_PROPS
};

enum {
  RESUME,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

gboolean
_wh_training_page_is_active (WhTrainerState state)
{
  return state == WH_TRAINER_STATE_PREPARING || state == WH_TRAINER_STATE_RUNNING ||
         state == WH_TRAINER_STATE_PAUSED;
}

WhTrainerState
_wh_training_page_get_state (WhTrainingPage *self)
{
  if (self->trainer != NULL)
    return wh_trainer_get_state (self->trainer);
  return self->run_dir != NULL ? self->run_state : WH_TRAINER_STATE_IDLE;
}

static const char *
get_run_dir (WhTrainingPage *self)
{
  return self->trainer != NULL ? wh_trainer_get_run_dir (self->trainer) : self->run_dir;
}

/* Resume continues the run: the trainer's, or one shown without it. */
gboolean
_wh_training_page_can_resume (WhTrainingPage *self)
{
  return _wh_training_page_get_state (self) == WH_TRAINER_STATE_CANCELLED &&
         (self->trainer != NULL || self->can_resume);
}

static const WhTrainProgress *
history_at (GArray *history,
            guint   i)
{
  return &g_array_index (history, WhTrainProgress, i);
}

/* Updating */

/* The latest step shown, NULL before the first. */
const WhTrainProgress *
_wh_training_page_get_latest (WhTrainingPage *self)
{
  return self->history->len > 0 ? history_at (self->history, self->history->len - 1) : NULL;
}

static void
update_actions (WhTrainingPage *self)
{
  WhTrainerState state = _wh_training_page_get_state (self);
  const char *run_dir = get_run_dir (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training-page.pause",
                                 _wh_training_page_is_active (state) || _wh_training_page_can_resume (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training-page.stop", _wh_training_page_is_active (state));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training-page.open-folder", run_dir != NULL);
  /* Nothing to control once the run is over, unless it can go on. */
  gtk_widget_set_visible (self->controls_box,
                          state != WH_TRAINER_STATE_FINISHED && state != WH_TRAINER_STATE_FAILED &&
                          (self->run_dir == NULL || self->can_resume));
}

/* The run as shown: a copy of the trainer's history, so that a run
 * continued from a checkpoint (whose history starts after it) still
 * shows what came before. */

/* Drops the steps from @step on, and their checkpoints. */
static void
truncate_from (WhTrainingPage *self,
               guint           step)
{
  guint keep = self->history->len;

  while (keep > 0 && history_at (self->history, keep - 1)->step >= step)
    keep--;
  g_array_set_size (self->history, keep);
  wh_training_checkpoints_remove_from (self->checkpoints_group, step);
}

static void
forget_run (WhTrainingPage *self)
{
  truncate_from (self, 0);
  g_clear_pointer (&self->history_run_dir, g_free);
}

/* Copies what the trainer added to its history since the last time. */
static gboolean
sync_history (WhTrainingPage *self)
{
  GArray *history;
  gboolean changed = FALSE;

  if (self->trainer == NULL)
    return FALSE;

  history = wh_trainer_get_history (self->trainer);
  if (history->len < self->n_seen)
    {
      self->n_seen = 0;
      self->restarted = TRUE;
    }

  for (; self->n_seen < history->len; self->n_seen++)
    {
      const WhTrainProgress *p = history_at (history, self->n_seen);
      WhTrainProgress copy = *p;

      if (self->restarted)
        {
          /* Continued from a checkpoint: what came before it stays. */
          self->restarted = FALSE;
          if (p->step > 1 && g_strcmp0 (self->history_run_dir, wh_trainer_get_run_dir (self->trainer)) == 0)
            truncate_from (self, p->step);
          else
            forget_run (self);
        }
      if (self->history_run_dir == NULL)
        self->history_run_dir = g_strdup (wh_trainer_get_run_dir (self->trainer));

      copy.checkpoint = g_strdup (p->checkpoint);
      g_array_append_val (self->history, copy);
      if (p->checkpoint != NULL)
        wh_training_checkpoints_add (self->checkpoints_group, p);
      changed = TRUE;
    }
  return changed;
}

/* A stopped run saves the steps since its last checkpoint in one of
 * its own, which no step reports. */
static void
add_stop_checkpoint (WhTrainingPage *self)
{
  WhTrainProgress *last;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const char *run_dir = wh_trainer_get_run_dir (self->trainer);

  if (self->history->len == 0 || run_dir == NULL)
    return;
  last = &g_array_index (self->history, WhTrainProgress, self->history->len - 1);
  if (last->checkpoint != NULL)
    return;

  name = g_strdup_printf ("step-%u", last->step);
  path = g_build_filename (run_dir, "checkpoints", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return;
  last->checkpoint = g_steal_pointer (&path);
  wh_training_checkpoints_add (self->checkpoints_group, last);
}

/* Trainer signals */

static void
update_all (WhTrainingPage *self)
{
  if (sync_history (self))
    wh_loss_chart_changed (self->chart);
  _wh_training_page_update_status (self);
  _wh_training_page_update_numbers (self);
  _wh_training_page_update_hint (self);
  _wh_training_page_update_pause_button (self);
  update_actions (self);
  _wh_training_page_update_inhibit (self);
}

static void
trainer_progress_cb (WhTrainer      *trainer,
                     WhTrainingPage *self)
{
  if (sync_history (self))
    wh_loss_chart_changed (self->chart);
  _wh_training_page_update_status (self);
  _wh_training_page_update_numbers (self);
  _wh_training_page_update_hint (self);
}

static void
trainer_state_cb (WhTrainer      *trainer,
                  GParamSpec     *pspec,
                  WhTrainingPage *self)
{
  WhTrainerState old = self->state, state = wh_trainer_get_state (trainer);
  gboolean was_busy = _wh_training_page_is_active (old);

  self->state = state;
  /* The pause the person sees follows the trainer, whoever asked. */
  if (state == WH_TRAINER_STATE_PAUSED)
    self->want_pause = TRUE;
  else if (state == WH_TRAINER_STATE_RUNNING && old == WH_TRAINER_STATE_PAUSED)
    self->want_pause = FALSE;
  else if (!_wh_training_page_is_active (state) || (state == WH_TRAINER_STATE_PREPARING && !was_busy))
    self->want_pause = FALSE;

  if (state == WH_TRAINER_STATE_PREPARING && !was_busy)
    {
      /* A new run, or the same one continued from a checkpoint: the
       * trainer's history starts again, and its first step says which. */
      self->n_seen = 0;
      self->restarted = TRUE;
      if (g_strcmp0 (self->history_run_dir, wh_trainer_get_run_dir (trainer)) != 0)
        {
          forget_run (self);
          wh_loss_chart_changed (self->chart);
        }
      _wh_training_page_withdraw_notification (self);
    }

  update_all (self);
  if (state == WH_TRAINER_STATE_CANCELLED)
    add_stop_checkpoint (self);

  if (was_busy != _wh_training_page_is_active (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (was_busy && (state == WH_TRAINER_STATE_FINISHED || state == WH_TRAINER_STATE_FAILED))
    wh_training_page_notify_if_unfocused (self);
}

/* Actions */

void
_wh_training_page_toast (WhTrainingPage *self,
                         const char     *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (widget);
  WhTrainerState state = _wh_training_page_get_state (self);

  if (_wh_training_page_can_resume (self))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *run_dir = g_strdup (get_run_dir (self));

      /* Without a trainer, the window continues the run with its own. */
      if (self->trainer == NULL)
        g_signal_emit (self, signals[RESUME], 0, run_dir);
      else if (!wh_trainer_start_from_checkpoint (self->trainer, run_dir, &error))
        _wh_training_page_toast (self, error->message);
      return;
    }
  if (!_wh_training_page_is_active (state))
    return;

  self->want_pause = !self->want_pause;
  if (self->want_pause)
    wh_trainer_pause (self->trainer);
  else
    wh_trainer_resume (self->trainer);
  _wh_training_page_update_status (self);
  _wh_training_page_update_pause_button (self);
}

static void
stop_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  WhTrainingPage   *self)
{
  if (g_strcmp0 (response, "stop") == 0 && self->trainer != NULL)
    wh_trainer_stop (self->trainer);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (!_wh_training_page_is_active (_wh_training_page_get_state (self)))
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Stop training?"),
                                   _("The checkpoints saved so far are kept; you can resume later."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Training"),
                                    "stop", _("_Stop"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (widget);
  const char *run_dir = get_run_dir (self);
  g_autofree char *checkpoints = NULL;

  if (run_dir == NULL)
    return;

  checkpoints = g_build_filename (run_dir, "checkpoints", NULL);
  _wh_training_page_open_folder (self, g_file_test (checkpoints, G_FILE_TEST_IS_DIR) ? checkpoints : run_dir);
}

static void
open_checkpoint_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _wh_training_page_open_folder (WH_TRAINING_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* GtkWidget */

static void
root_application_cb (GtkWindow      *window,
                     GParamSpec     *pspec,
                     WhTrainingPage *self)
{
  _wh_training_page_update_inhibit (self);
}

static void
wh_training_page_root (GtkWidget *widget)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (widget);

  GTK_WIDGET_CLASS (wh_training_page_parent_class)->root (widget);

  self->root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (self->root))
    self->root_app_handler = g_signal_connect (self->root, "notify::application",
                                               G_CALLBACK (root_application_cb), self);
  _wh_training_page_update_inhibit (self);
}

static void
wh_training_page_unroot (GtkWidget *widget)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (widget);

  if (self->root != NULL)
    g_clear_signal_handler (&self->root_app_handler, self->root);
  self->root = NULL;

  GTK_WIDGET_CLASS (wh_training_page_parent_class)->unroot (widget);

  /* No window now: nothing to inhibit for. */
  _wh_training_page_update_inhibit (self);
}

/* GObject */

static void
wh_training_page_dispose (GObject *object)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (object);

  wh_training_page_set_trainer (self, NULL);
  if (self->inhibit_cookie != 0)
    {
      gtk_application_uninhibit (self->inhibit_app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }
  g_clear_object (&self->inhibit_app);

  /* No gtk_widget_dispose_template(): the toast overlay is the bin's
   * child, and AdwBin unparents it itself. */

  G_OBJECT_CLASS (wh_training_page_parent_class)->dispose (object);
}

static void
wh_training_page_finalize (GObject *object)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (object);

  g_clear_pointer (&self->history, g_array_unref);
  g_free (self->history_run_dir);
  g_free (self->run_dir);

  G_OBJECT_CLASS (wh_training_page_parent_class)->finalize (object);
}

static void
wh_training_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_TRAINER:
      g_value_set_object (value, self->trainer);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, wh_training_page_is_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_training_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WhTrainingPage *self = WH_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_TRAINER:
      wh_training_page_set_trainer (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_training_page_class_init (WhTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_training_page_dispose;
  object_class->finalize = wh_training_page_finalize;
  object_class->get_property = wh_training_page_get_property;
  object_class->set_property = wh_training_page_set_property;

  widget_class->root = wh_training_page_root;
  widget_class->unroot = wh_training_page_unroot;

  properties[PROP_TRAINER] =
    g_param_spec_object ("trainer", NULL, NULL,
                         WH_TYPE_TRAINER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * WhTrainingPage:busy:
   *
   * The run is preparing, running or paused.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhTrainingPage::resume:
   * @run_dir: the run folder
   *
   * The user asked to resume the run shown without a trainer (see
   * wh_training_page_show_run()) from its latest checkpoint.
   */
  signals[RESUME] =
    g_signal_new ("resume",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (WH_TYPE_LOSS_CHART);
  g_type_ensure (WH_TYPE_TRAINING_CHECKPOINTS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, hint_box);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, chart);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, pause_content);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, controls_box);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, run_box);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, speed_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, memory_label);
  gtk_widget_class_bind_template_child (widget_class, WhTrainingPage, checkpoints_group);

  gtk_widget_class_install_action (widget_class, "training-page.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "training-page.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "training-page.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "training-page.open-checkpoint", "s", open_checkpoint_action);
}

static void
wh_training_page_init (WhTrainingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = g_array_new (FALSE, TRUE, sizeof (WhTrainProgress));
  g_array_set_clear_func (self->history, wh_train_progress_clear);
  wh_loss_chart_set_history (self->chart, self->history);
  update_all (self);
}

GtkWidget *
wh_training_page_new (void)
{
  return g_object_new (WH_TYPE_TRAINING_PAGE, NULL);
}

void
wh_training_page_set_trainer (WhTrainingPage *self,
                              WhTrainer      *trainer)
{
  gboolean was_busy;

  g_return_if_fail (WH_IS_TRAINING_PAGE (self));
  g_return_if_fail (trainer == NULL || WH_IS_TRAINER (trainer));

  if (self->trainer == trainer)
    return;

  was_busy = wh_training_page_is_busy (self);
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_set_object (&self->trainer, trainer);
  g_clear_pointer (&self->run_dir, g_free);

  self->state = _wh_training_page_get_state (self);
  self->want_pause = self->state == WH_TRAINER_STATE_PAUSED;
  self->n_seen = 0;
  self->restarted = FALSE;
  /* The run shown, continued: its steps so far stay, as when the
   * trainer continues it. */
  if (trainer != NULL && self->history_run_dir != NULL &&
      g_strcmp0 (self->history_run_dir, wh_trainer_get_run_dir (trainer)) == 0)
    self->restarted = TRUE;
  else
    forget_run (self);
  if (trainer != NULL)
    {
      g_signal_connect_object (trainer, "progress", G_CALLBACK (trainer_progress_cb), self, 0);
      g_signal_connect_object (trainer, "notify::state", G_CALLBACK (trainer_state_cb), self, 0);
    }
  update_all (self);
  wh_loss_chart_changed (self->chart);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINER]);
  if (was_busy != wh_training_page_is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
wh_training_page_show_run (WhTrainingPage  *self,
                           const WhRunInfo *info,
                           GArray          *history)
{
  gboolean was_busy;

  g_return_if_fail (WH_IS_TRAINING_PAGE (self));
  g_return_if_fail (info != NULL);
  g_return_if_fail (history != NULL);

  was_busy = wh_training_page_is_busy (self);
  if (self->trainer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->trainer, self);
      g_clear_object (&self->trainer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINER]);
    }

  g_free (self->run_dir);
  self->run_dir = g_strdup (info->path);
  self->run_state = info->state == WH_RUN_STATE_FINISHED ? WH_TRAINER_STATE_FINISHED : WH_TRAINER_STATE_CANCELLED;
  self->can_resume = wh_run_info_can_resume (info);
  self->elsewhere = info->active && info->state != WH_RUN_STATE_FINISHED;
  self->state = self->run_state;
  self->want_pause = FALSE;
  self->n_seen = 0;
  self->restarted = FALSE;

  forget_run (self);
  self->history_run_dir = g_strdup (info->path);
  for (guint i = 0; i < history->len; i++)
    {
      const WhTrainProgress *p = history_at (history, i);
      WhTrainProgress copy = *p;

      copy.checkpoint = g_strdup (p->checkpoint);
      g_array_append_val (self->history, copy);
      if (p->checkpoint != NULL)
        wh_training_checkpoints_add (self->checkpoints_group, p);
    }

  update_all (self);
  wh_loss_chart_changed (self->chart);
  if (was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

const char *
wh_training_page_get_run_dir (WhTrainingPage *self)
{
  g_return_val_if_fail (WH_IS_TRAINING_PAGE (self), NULL);

  return get_run_dir (self);
}

WhTrainer *
wh_training_page_get_trainer (WhTrainingPage *self)
{
  g_return_val_if_fail (WH_IS_TRAINING_PAGE (self), NULL);

  return self->trainer;
}

gboolean
wh_training_page_is_busy (WhTrainingPage *self)
{
  g_return_val_if_fail (WH_IS_TRAINING_PAGE (self), FALSE);

  return _wh_training_page_is_active (_wh_training_page_get_state (self));
}

/* For the tests */

WhLossChart *
_wh_training_page_get_chart (WhTrainingPage *self)
{
  return self->chart;
}

const char *
_wh_training_page_get_status_text (WhTrainingPage *self)
{
  return gtk_label_get_label (self->status_label);
}

const char *
_wh_training_page_get_progress_text (WhTrainingPage *self)
{
  return gtk_label_get_label (self->progress_label);
}

const char *
_wh_training_page_get_hint_text (WhTrainingPage *self)
{
  return gtk_widget_get_visible (self->hint_box) ? gtk_label_get_label (self->hint_label) : NULL;
}

const char *
_wh_training_page_get_error_text (WhTrainingPage *self)
{
  return gtk_widget_get_visible (self->error_box) ? gtk_label_get_label (self->error_label) : NULL;
}

GtkWidget *
_wh_training_page_get_pause_button (WhTrainingPage *self)
{
  return self->pause_button;
}

char **
_wh_training_page_dup_checkpoints (WhTrainingPage *self)
{
  return wh_training_checkpoints_dup_names (self->checkpoints_group);
}
