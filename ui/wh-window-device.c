/* wh-window-device.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-cl-error.h"
#include "wh-window-private.h"

/* The device the window trains on: looked for on a worker thread when
 * the window opens (loading the OpenCL drivers can take seconds), and
 * again when Preferences names another, until a run has started on the
 * first one. */

/* What the discovery thread hands back to the main thread. */
typedef struct
{
  WhWindowDeviceState  state;
  WhClDeviceInfo      *device;  /* set when state is FOUND */
  GError              *error;   /* why not, otherwise */
} DeviceDiscovery;

static void
device_discovery_free (DeviceDiscovery *discovery)
{
  g_clear_pointer (&discovery->device, wh_cl_device_info_free);
  g_clear_error (&discovery->error);
  g_free (discovery);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeviceDiscovery, device_discovery_free)

static const char *
device_icon_name (const WhClDeviceInfo *device)
{
  switch (device->kind)
    {
    case WH_CL_DEVICE_KIND_GPU_DISCRETE:
    case WH_CL_DEVICE_KIND_GPU_INTEGRATED:
    case WH_CL_DEVICE_KIND_ACCELERATOR:
      return "video-display-symbolic";

    case WH_CL_DEVICE_KIND_CPU:
    case WH_CL_DEVICE_KIND_OTHER:
    default:
      return "computer-symbolic";
    }
}

static void
wh_window_set_device_state (WhWindow            *self,
                            WhWindowDeviceState  state)
{
  g_assert (WH_IS_WINDOW (self));
  /* Found or not, after looking (again, when the setting changes). */
  g_assert (self->device_state == WH_WINDOW_DEVICE_STATE_SEARCHING);
  g_assert (state != WH_WINDOW_DEVICE_STATE_SEARCHING);

  self->device_state = state;
  _wh_window_notify_device_state (self);
}

static void
wh_window_show_device (WhWindow *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_assert (WH_IS_WINDOW (self));
  g_assert (self->device != NULL);

  summary = wh_cl_device_info_dup_summary (self->device);

  if (self->device->kind == WH_CL_DEVICE_KIND_CPU)
    {
      title = g_strdup (_("Will train on this computer’s processor (slower)"));
      /* Translators: %s describes the processor, e.g. “pthread-skylake (processor, PoCL, 23.4 GB)” */
      subtitle = g_strdup_printf (_("%s\nA graphics card with its maker’s OpenCL driver installed trains much faster."),
                                  summary);
    }
  else
    {
      /* Translators: %s describes the graphics card, e.g. “NVIDIA GeForce RTX 3060 (graphics card, 12.0 GB)” */
      title = g_strdup_printf (_("Will train on: %s"), summary);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->device_row), title);
  adw_action_row_set_subtitle (self->device_row, subtitle);
  gtk_image_set_from_icon_name (self->device_icon, device_icon_name (self->device));
  gtk_stack_set_visible_child_name (self->device_stack, "device");
}

static void
wh_window_show_problem (WhWindow   *self,
                        const char *title,
                        const char *subtitle)
{
  g_assert (WH_IS_WINDOW (self));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->problem_row), title);
  adw_action_row_set_subtitle (self->problem_row, subtitle);
  gtk_stack_set_visible_child_name (self->device_stack, "no-device");
}

static void
wh_window_discover_device_worker (GTask        *task,
                                  gpointer      source_object,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  g_autoptr(DeviceDiscovery) discovery = g_new0 (DeviceDiscovery, 1);
  g_autoptr(GPtrArray) devices = NULL;
  WhClDeviceInfo *device;

  g_assert (G_IS_TASK (task));

  /* Loading the OpenCL drivers can take seconds (PoCL especially), which
   * is why this runs here and not on the main thread. */
  devices = wh_cl_enumerate_devices (&discovery->error);

  if (devices == NULL)
    {
      if (g_error_matches (discovery->error, WH_CL_ERROR, WH_CL_ERROR_NO_DEVICE))
        discovery->state = WH_WINDOW_DEVICE_STATE_MISSING;
      else
        discovery->state = WH_WINDOW_DEVICE_STATE_FAILED;
    }
  else if (devices->len == 0)
    discovery->state = WH_WINDOW_DEVICE_STATE_MISSING;
  else if (!(device = wh_cl_select_device (devices, task_data, &discovery->error)))
    discovery->state = WH_WINDOW_DEVICE_STATE_FAILED;
  else
    {
      discovery->state = WH_WINDOW_DEVICE_STATE_FOUND;
      discovery->device = wh_cl_device_info_copy (device);
    }

  g_task_return_pointer (task,
                         g_steal_pointer (&discovery),
                         (GDestroyNotify) device_discovery_free);
}

static void
wh_window_discover_device_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  WhWindow *self = user_data;
  g_autoptr(DeviceDiscovery) discovery = NULL;

  g_assert (G_IS_TASK (result));

  /* Fails only when cancelled, which dispose does: the window may be gone
   * by now, so check before touching it. */
  if (!(discovery = g_task_propagate_pointer (G_TASK (result), NULL)))
    return;

  g_assert (WH_IS_WINDOW (self));

  switch (discovery->state)
    {
    case WH_WINDOW_DEVICE_STATE_FOUND:
      g_clear_pointer (&self->device, wh_cl_device_info_free);
      self->device = g_steal_pointer (&discovery->device);
      g_debug ("Training device: %s", self->device->name);
      wh_window_show_device (self);
      break;

    case WH_WINDOW_DEVICE_STATE_MISSING:
      if (discovery->error != NULL)
        g_debug ("No OpenCL device: %s", discovery->error->message);
      wh_window_show_problem (self,
                              _("No graphics card driver found"),
                              _("Whetstone trains through OpenCL. Install the OpenCL driver from your graphics card’s maker, or the “pocl-opencl-icd” package to train on the processor instead, then open Whetstone again."));
      break;

    case WH_WINDOW_DEVICE_STATE_FAILED:
      wh_window_show_problem (self,
                              _("Can’t choose a device to train on"),
                              discovery->error->message);
      break;

    case WH_WINDOW_DEVICE_STATE_SEARCHING:
    default:
      g_assert_not_reached ();
    }

  gtk_spinner_stop (self->device_spinner);
  wh_model_page_set_device (self->model_page, self->device);
  wh_goal_page_set_device (self->goal_page, self->device);
  wh_window_set_device_state (self, discovery->state);
  /* A run opened meanwhile can be tried now. */
  if (self->device != NULL && wh_playground_page_get_run_dir (self->playground_page) != NULL)
    _wh_window_ensure_compute (self, NULL);
  _wh_window_update_actions (self);
}

void
_wh_window_discover_device (WhWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (WH_IS_WINDOW (self));

  /* No source object: the task must not keep a destroyed window alive,
   * or its dispose, and so the cancellation, would wait for the thread. */
  task = g_task_new (NULL, self->cancellable, wh_window_discover_device_cb, self);
  g_task_set_source_tag (task, _wh_window_discover_device);
  g_task_set_name (task, "[whetstone-discover-device]");
  /* The device the user chose in Preferences, if any. */
  if (self->settings != NULL)
    g_task_set_task_data (task, g_settings_get_string (self->settings, "device"), g_free);
  g_task_run_in_thread (task, wh_window_discover_device_worker);
}

/* Looked for again, unless the compute thread has already started on
 * the first one. */
void
_wh_window_device_setting_cb (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  if (self->compute != NULL || self->device_state == WH_WINDOW_DEVICE_STATE_SEARCHING)
    return;

  gtk_stack_set_visible_child_name (self->device_stack, "searching");
  gtk_spinner_start (self->device_spinner);
  g_clear_pointer (&self->device, wh_cl_device_info_free);
  self->device_state = WH_WINDOW_DEVICE_STATE_SEARCHING;
  _wh_window_notify_device_state (self);
  _wh_window_update_actions (self);
  _wh_window_discover_device (self);
}
