/* wh-start-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-run-list.h"
#include "wh-start-page-private.h"
#include "wh-start-row.h"

/* The runs of the runs folder, the app's and the command line's alike,
 * newest first, read on a worker thread; an interrupted one is offered
 * for resuming, and any can be opened (its row activated) to see its
 * history and try it.  Resuming and opening are the window's to do (it
 * owns the device and the other steps), so the page only asks, by its
 * ::resume and ::open signals. */

#define RELOAD_DELAY_MS 500

struct _WhStartPage
{
  AdwBin         parent_instance;

  char          *runs_dir;
  char          *active_run;      /* trained by this app now */
  GPtrArray     *runs;            /* of WhRunInfo, as last read */
  GCancellable  *load_cancellable;
  GFileMonitor  *monitor;
  guint          reload_id;
  char          *resume_run;      /* offered for resuming */

  /* Template widgets */
  GtkWidget     *resume_list;
  AdwActionRow  *resume_row;
  GtkWidget     *runs_group;
  GtkListBox    *runs_list;
};

enum {
  PROP_0,
  PROP_RUNS_DIR,
  PROP_HAS_RUNS,
  N_PROPS
};

enum {
  RESUME,
  OPEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (WhStartPage, wh_start_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const WhRunInfo *
find_run (WhStartPage *self,
          const char  *run_dir)
{
  g_assert (WH_IS_START_PAGE (self));

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const WhRunInfo *run = g_ptr_array_index (self->runs, i);

      if (g_strcmp0 (run->path, run_dir) == 0)
        return run;
    }
  return NULL;
}

static gboolean
is_active (WhStartPage     *self,
           const WhRunInfo *run)
{
  /* Trained by this window, or by another process (its run.lock is
   * held: whetstone-cli, or another window). */
  return run->active || (self->active_run != NULL && g_strcmp0 (self->active_run, run->path) == 0);
}

static gboolean
can_resume (WhStartPage     *self,
            const WhRunInfo *run)
{
  return wh_run_info_can_resume (run) && !is_active (self, run);
}

/* The latest run that stopped before the end, unless it trains now. */
static const WhRunInfo *
find_resumable (WhStartPage *self)
{
  g_assert (WH_IS_START_PAGE (self));

  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const WhRunInfo *run = g_ptr_array_index (self->runs, i);

      if (is_active (self, run))
        continue;
      if (can_resume (self, run))
        return run;
      /* Only the latest: an older one stopped was given up on. */
      break;
    }
  return NULL;
}

static void
update_resume (WhStartPage *self)
{
  const WhRunInfo *run = find_resumable (self);
  g_autofree char *subtitle = NULL;

  g_clear_pointer (&self->resume_run, g_free);
  gtk_widget_set_visible (self->resume_list, run != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start-page.resume-latest", run != NULL);
  if (run == NULL)
    return;

  self->resume_run = g_strdup (run->path);
  if (run->checkpoint != NULL)
    /* Translators: %s is the run's name, %u a number of training steps */
    subtitle = g_strdup_printf (_("“%s” goes on from its last checkpoint, after step %u"),
                                _wh_start_row_get_title (run), run->checkpoint_step);
  else
    subtitle = g_strdup_printf (_("“%s” starts again from the beginning"), _wh_start_row_get_title (run));
  adw_action_row_set_subtitle (self->resume_row, subtitle);
}

static void
update_rows (WhStartPage *self)
{
  gboolean had_runs;
  GtkWidget *child;

  g_assert (WH_IS_START_PAGE (self));

  had_runs = gtk_widget_get_visible (self->runs_group);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_list))) != NULL)
    gtk_list_box_remove (self->runs_list, child);
  for (guint i = 0; self->runs != NULL && i < self->runs->len; i++)
    {
      const WhRunInfo *run = g_ptr_array_index (self->runs, i);

      gtk_list_box_append (self->runs_list, _wh_start_row_new (run, is_active (self, run)));
    }

  update_resume (self);
  gtk_widget_set_visible (self->runs_group, wh_start_page_get_has_runs (self));
  if (had_runs != wh_start_page_get_has_runs (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_RUNS]);
}

/* Reading the runs folder */

static void
list_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *runs = wh_run_list (task_data, cancellable, &error);

  if (runs == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  WhStartPage *self = WH_START_PAGE (object);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  runs = g_task_propagate_pointer (G_TASK (result), &error);
  /* A later read, or dispose, replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);

  if (runs == NULL)
    {
      g_warning ("Cannot list the runs in %s: %s", self->runs_dir, error->message);
      return;
    }
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = g_steal_pointer (&runs);
  update_rows (self);
}

void
wh_start_page_reload (WhStartPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (WH_IS_START_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->runs_dir == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->load_cancellable, list_cb, NULL);
  g_task_set_source_tag (task, wh_start_page_reload);
  g_task_set_name (task, "[whetstone-list-runs]");
  g_task_set_task_data (task, g_strdup (self->runs_dir), g_free);
  g_task_run_in_thread (task, list_worker);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  WhStartPage *self = user_data;

  self->reload_id = 0;
  wh_start_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* A run started or deleted elsewhere, by the command line say: read
 * again once the burst of changes is over. */
static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other,
                    GFileMonitorEvent  event,
                    WhStartPage       *self)
{
  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

static void
watch_runs_dir (WhStartPage *self)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, monitor_changed_cb, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->runs_dir == NULL)
    return;

  dir = g_file_new_for_path (self->runs_dir);
  if (!(self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error)))
    {
      g_debug ("Not watching %s: %s", self->runs_dir, error->message);
      return;
    }
  g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
}

/* Actions */

static void
show_error (WhStartPage *self,
            const char  *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = g_markup_escape_text (message, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_warning ("%s", message);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WhStartPage *self = WH_START_PAGE (widget);
  const WhRunInfo *run = find_run (self, g_variant_get_string (parameter, NULL));

  if (run != NULL && can_resume (self, run))
    g_signal_emit (self, signals[RESUME], 0, run->path);
}

static void
resume_latest_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WhStartPage *self = WH_START_PAGE (widget);
  g_autofree char *run_dir = g_strdup (self->resume_run);

  if (run_dir != NULL)
    g_signal_emit (self, signals[RESUME], 0, run_dir);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WhStartPage *self = WH_START_PAGE (widget);
  const WhRunInfo *run = find_run (self, g_variant_get_string (parameter, NULL));

  if (run != NULL)
    g_signal_emit (self, signals[OPEN], 0, run->path);
}

static void
row_activated_cb (WhStartPage   *self,
                  GtkListBoxRow *row)
{
  const char *run_dir = _wh_start_page_row_get_run_dir (row);

  if (run_dir != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "start-page.open", "s", run_dir);
}

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(WhStartPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      show_error (self, message);
    }
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WhStartPage *self = WH_START_PAGE (widget);
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  g_autofree char *uri = g_file_get_uri (file);
  GtkRoot *root = gtk_widget_get_root (widget);

  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME, NULL,
                     show_uri_cb, g_object_ref (self));
}

static void
delete_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (wh_run_delete (task_data, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WhStartPage *self = WH_START_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    show_error (self, error->message);
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    wh_start_page_reload (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    WhStartPage      *self)
{
  const char *run_dir = g_object_get_data (G_OBJECT (dialog), WH_START_ROW_RUN_DIR_KEY);
  const WhRunInfo *run = find_run (self, run_dir);
  g_autoptr(GTask) task = NULL;

  if (g_strcmp0 (response, "delete") != 0 || run == NULL || is_active (self, run))
    return;

  /* Not cancelled with the page: a run half deleted helps no one. */
  task = g_task_new (self, NULL, delete_cb, NULL);
  g_task_set_source_tag (task, delete_response_cb);
  g_task_set_name (task, "[whetstone-delete-run]");
  g_task_set_task_data (task, g_strdup (run_dir), g_free);
  g_task_run_in_thread (task, delete_worker);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WhStartPage *self = WH_START_PAGE (widget);
  const WhRunInfo *run = find_run (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (run == NULL || is_active (self, run))
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), _wh_start_row_get_title (run));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                                       run->state == WH_RUN_STATE_FINISHED
                                                       ? _("Its trained adapter, checkpoints and training history "
                                                           "are deleted from this computer. Copies you exported "
                                                           "elsewhere are kept.")
                                                       : _("Its checkpoints and training history are deleted from "
                                                           "this computer, and it can no longer be resumed.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), WH_START_ROW_RUN_DIR_KEY, g_strdup (run->path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GtkWidget */

static void
wh_start_page_map (GtkWidget *widget)
{
  WhStartPage *self = WH_START_PAGE (widget);

  GTK_WIDGET_CLASS (wh_start_page_parent_class)->map (widget);

  /* Back on the Start screen: a run may have moved on since. */
  if (self->load_cancellable == NULL)
    wh_start_page_reload (self);
}

/* GObject */

static void
wh_start_page_dispose (GObject *object)
{
  WhStartPage *self = (WhStartPage *)object;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_pointer (&self->runs_dir, g_free);
  watch_runs_dir (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_START_PAGE);

  G_OBJECT_CLASS (wh_start_page_parent_class)->dispose (object);
}

static void
wh_start_page_finalize (GObject *object)
{
  WhStartPage *self = (WhStartPage *)object;

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->active_run, g_free);
  g_clear_pointer (&self->resume_run, g_free);

  G_OBJECT_CLASS (wh_start_page_parent_class)->finalize (object);
}

static void
wh_start_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WhStartPage *self = WH_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNS_DIR:
      g_value_set_string (value, self->runs_dir);
      break;

    case PROP_HAS_RUNS:
      g_value_set_boolean (value, wh_start_page_get_has_runs (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_start_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WhStartPage *self = WH_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNS_DIR:
      wh_start_page_set_runs_dir (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_start_page_class_init (WhStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_start_page_dispose;
  object_class->finalize = wh_start_page_finalize;
  object_class->get_property = wh_start_page_get_property;
  object_class->set_property = wh_start_page_set_property;

  widget_class->map = wh_start_page_map;

  properties[PROP_RUNS_DIR] =
    g_param_spec_string ("runs-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_RUNS] =
    g_param_spec_boolean ("has-runs", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WhStartPage::resume:
   * @run_dir: the run folder
   *
   * The user asked to resume the run in @run_dir from its latest
   * checkpoint.
   */
  signals[RESUME] =
    g_signal_new ("resume",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * WhStartPage::open:
   * @run_dir: the run folder
   *
   * The user asked to see the run in @run_dir: its history, and its
   * checkpoints to try.
   */
  signals[OPEN] =
    g_signal_new ("open",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhStartPage, resume_list);
  gtk_widget_class_bind_template_child (widget_class, WhStartPage, resume_row);
  gtk_widget_class_bind_template_child (widget_class, WhStartPage, runs_group);
  gtk_widget_class_bind_template_child (widget_class, WhStartPage, runs_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "start-page.resume", "s", resume_action);
  gtk_widget_class_install_action (widget_class, "start-page.resume-latest", NULL, resume_latest_action);
  gtk_widget_class_install_action (widget_class, "start-page.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "start-page.open-folder", "s", open_folder_action);
  gtk_widget_class_install_action (widget_class, "start-page.delete", "s", delete_action);
}

static void
wh_start_page_init (WhStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "start-page.resume-latest", FALSE);
}

GtkWidget *
wh_start_page_new (void)
{
  return g_object_new (WH_TYPE_START_PAGE, NULL);
}

void
wh_start_page_set_runs_dir (WhStartPage *self,
                            const char  *runs_dir)
{
  g_return_if_fail (WH_IS_START_PAGE (self));

  if (g_strcmp0 (self->runs_dir, runs_dir) == 0)
    return;

  g_free (self->runs_dir);
  self->runs_dir = g_strdup (runs_dir);
  watch_runs_dir (self);
  wh_start_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNS_DIR]);
}

const char *
wh_start_page_get_runs_dir (WhStartPage *self)
{
  g_return_val_if_fail (WH_IS_START_PAGE (self), NULL);

  return self->runs_dir;
}

void
wh_start_page_set_active_run (WhStartPage *self,
                              const char  *run_dir)
{
  g_return_if_fail (WH_IS_START_PAGE (self));

  if (g_strcmp0 (self->active_run, run_dir) == 0)
    return;

  g_free (self->active_run);
  self->active_run = g_strdup (run_dir);
  update_rows (self);
}

gboolean
wh_start_page_get_has_runs (WhStartPage *self)
{
  g_return_val_if_fail (WH_IS_START_PAGE (self), FALSE);

  return self->runs != NULL && self->runs->len > 0;
}

gboolean
_wh_start_page_get_loading (WhStartPage *self)
{
  return self->load_cancellable != NULL;
}

GtkListBox *
_wh_start_page_get_list (WhStartPage *self)
{
  return self->runs_list;
}

const char *
_wh_start_page_row_get_run_dir (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), WH_START_ROW_RUN_DIR_KEY);
}

const char *
_wh_start_page_get_resume_run (WhStartPage *self)
{
  return self->resume_run;
}
