/* wh-preferences-window.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-cl-device.h"
#include "wh-preferences-window-private.h"
#include "wh-run-list.h"

struct _WhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GPtrArray            *devices;   /* of WhClDeviceInfo, once enumerated */
  gboolean              filling;   /* the list is being filled, not chosen from */
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwComboRow          *device_row;
  GtkStringList        *device_list;
  AdwActionRow         *runs_row;
  GtkWidget            *reset_button;
};

G_DEFINE_FINAL_TYPE (WhPreferencesWindow, wh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The device */

/* How the "device" setting names @index: by name, which survives a new
 * driver, unless another device has the same one. */
static char *
device_spec (GPtrArray *devices,
             guint      index)
{
  const WhClDeviceInfo *info = g_ptr_array_index (devices, index);

  for (guint i = 0; i < devices->len; i++)
    if (i != index && g_strcmp0 (((WhClDeviceInfo *) g_ptr_array_index (devices, i))->name, info->name) == 0)
      return g_strdup_printf ("%u", info->index);
  return g_strdup (info->name);
}

static void
device_selected_cb (WhPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->device_row);
  g_autofree char *spec = NULL;

  g_assert (WH_IS_PREFERENCES_WINDOW (self));

  if (self->filling || self->devices == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  /* The first item lets Whetstone choose. */
  spec = selected == 0 || selected > self->devices->len ? g_strdup ("") : device_spec (self->devices, selected - 1);
  g_settings_set_string (self->settings, "device", spec);
}

static void
fill_devices (WhPreferencesWindow *self)
{
  g_autofree char *spec = g_settings_get_string (self->settings, "device");
  g_autofree char *automatic = NULL;
  g_autofree char *summary = NULL;
  WhClDeviceInfo *chosen = NULL;
  guint selected = 0;

  g_assert (WH_IS_PREFERENCES_WINDOW (self));

  self->filling = TRUE;
  gtk_string_list_splice (self->device_list, 0, g_list_model_get_n_items (G_LIST_MODEL (self->device_list)), NULL);

  summary = wh_cl_device_info_dup_summary (g_ptr_array_index (self->devices,
                                                              wh_cl_default_device_index (self->devices)));
  /* Translators: %s describes the device chosen when the user chooses none */
  automatic = g_strdup_printf (_("Automatic: %s"), summary);
  gtk_string_list_append (self->device_list, automatic);
  for (guint i = 0; i < self->devices->len; i++)
    {
      g_autofree char *text = wh_cl_device_info_dup_summary (g_ptr_array_index (self->devices, i));

      gtk_string_list_append (self->device_list, text);
    }

  if (spec[0] != '\0' && (chosen = wh_cl_select_device (self->devices, spec, NULL)) != NULL)
    for (guint i = 0; i < self->devices->len; i++)
      if (g_ptr_array_index (self->devices, i) == chosen)
        selected = i + 1;
  adw_combo_row_set_selected (self->device_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), TRUE);
  self->filling = FALSE;
}

static void
enumerate_worker (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = wh_cl_enumerate_devices (&error);

  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

static void
enumerate_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WhPreferencesWindow) self = user_data;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  g_clear_object (&self->cancellable);

  if (devices == NULL || devices->len == 0)
    {
      self->filling = TRUE;
      gtk_string_list_splice (self->device_list, 0, g_list_model_get_n_items (G_LIST_MODEL (self->device_list)), NULL);
      gtk_string_list_append (self->device_list, _("No device found"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row),
                                   error != NULL ? error->message : _("Install an OpenCL driver to train"));
      self->filling = FALSE;
      return;
    }
  self->devices = g_steal_pointer (&devices);
  fill_devices (self);
}

/* The runs folder */

static void
update_runs_folder (WhPreferencesWindow *self)
{
  g_autofree char *configured = g_settings_get_string (self->settings, "runs-folder");
  g_autofree char *folder = wh_run_dup_runs_dir (self->settings);
  g_autofree char *display = g_filename_display_name (folder);

  g_assert (WH_IS_PREFERENCES_WINDOW (self));

  adw_action_row_set_subtitle (self->runs_row, display);
  gtk_widget_set_visible (self->reset_button, configured[0] != '\0');
}

static void
chooser_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     WhPreferencesWindow *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) &&
      (path = g_file_get_path (folder)))
    g_settings_set_string (self->settings, "runs-folder", path);
  g_clear_object (&self->chooser);
}

static void
choose_runs_folder_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  WhPreferencesWindow *self = WH_PREFERENCES_WINDOW (widget);
  g_autofree char *current = wh_run_dup_runs_dir (self->settings);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the Runs Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (g_file_test (current, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), file, NULL);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_runs_folder_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_settings_reset (WH_PREFERENCES_WINDOW (widget)->settings, "runs-folder");
}

/* GObject */

static void
wh_preferences_window_dispose (GObject *object)
{
  WhPreferencesWindow *self = (WhPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->chooser, chooser_response_cb, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (wh_preferences_window_parent_class)->dispose (object);
}

static void
wh_preferences_window_finalize (GObject *object)
{
  WhPreferencesWindow *self = (WhPreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->devices, g_ptr_array_unref);

  G_OBJECT_CLASS (wh_preferences_window_parent_class)->finalize (object);
}

static void
wh_preferences_window_class_init (WhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_preferences_window_dispose;
  object_class->finalize = wh_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/whetstone/Whetstone/wh-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, device_list);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, runs_row);
  gtk_widget_class_bind_template_child (widget_class, WhPreferencesWindow, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, device_selected_cb);

  gtk_widget_class_install_action (widget_class, "preferences.choose-runs-folder", NULL, choose_runs_folder_action);
  gtk_widget_class_install_action (widget_class, "preferences.reset-runs-folder", NULL, reset_runs_folder_action);
}

static void
wh_preferences_window_init (WhPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * wh_preferences_window_new:
 * @parent: (nullable): the window it is shown over
 * @settings: the app's settings
 *
 * Returns: (transfer floating): the Preferences window
 */
GtkWidget *
wh_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  WhPreferencesWindow *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (WH_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::runs-folder", G_CALLBACK (update_runs_folder), self,
                           G_CONNECT_SWAPPED);
  update_runs_folder (self);

  /* Loading the OpenCL drivers can take seconds. */
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, enumerate_cb, g_object_ref (self));
  g_task_set_source_tag (task, wh_preferences_window_new);
  g_task_set_name (task, "[whetstone-list-devices]");
  g_task_run_in_thread (task, enumerate_worker);

  return GTK_WIDGET (self);
}

gboolean
_wh_preferences_window_get_loading (WhPreferencesWindow *self)
{
  return self->cancellable != NULL;
}

AdwComboRow *
_wh_preferences_window_get_device_row (WhPreferencesWindow *self)
{
  return self->device_row;
}

AdwActionRow *
_wh_preferences_window_get_runs_row (WhPreferencesWindow *self)
{
  return self->runs_row;
}
