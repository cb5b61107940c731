/* wh-window.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-cl-error.h"

#include "wh-window.h"

/* Unlike APP_ID, the schema ID is the same in both profiles (see
 * data/meson.build). */
#define WH_SETTINGS_SCHEMA_ID "io.github.whetstone.Whetstone"

struct _WhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  WhClDeviceInfo       *device;
  WhWindowDeviceState   device_state;

  /* Template widgets */
  AdwStatusPage        *welcome_page;
  GtkStack             *device_stack;
  GtkSpinner           *device_spinner;
  AdwActionRow         *device_row;
  GtkImage             *device_icon;
  AdwActionRow         *problem_row;
};

enum {
  PROP_0,
  PROP_DEVICE_STATE,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (WhWindowDeviceState, wh_window_device_state,
                    G_DEFINE_ENUM_VALUE (WH_WINDOW_DEVICE_STATE_SEARCHING, "searching"),
                    G_DEFINE_ENUM_VALUE (WH_WINDOW_DEVICE_STATE_FOUND, "found"),
                    G_DEFINE_ENUM_VALUE (WH_WINDOW_DEVICE_STATE_MISSING, "missing"),
                    G_DEFINE_ENUM_VALUE (WH_WINDOW_DEVICE_STATE_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (WhWindow, wh_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

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

static void
wh_window_update_actions (WhWindow *self)
{
  gboolean can_fine_tune;

  g_assert (WH_IS_WINDOW (self));

  /* A fine-tune needs a device, and the wizard it opens, which lands in a
   * later change: until then the action stays off whatever the device. */
  can_fine_tune = FALSE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-fine-tune", can_fine_tune);
}

static void
wh_window_new_fine_tune_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  g_assert (WH_IS_WINDOW (widget));

  /* Never reached while wh_window_update_actions() keeps the action disabled. */
}

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
  /* A window looks for its device once. */
  g_assert (self->device_state == WH_WINDOW_DEVICE_STATE_SEARCHING);
  g_assert (state != WH_WINDOW_DEVICE_STATE_SEARCHING);

  self->device_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_STATE]);
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
  else if (!(device = wh_cl_select_device (devices, NULL, &discovery->error)))
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
  wh_window_set_device_state (self, discovery->state);
  wh_window_update_actions (self);
}

static void
wh_window_discover_device (WhWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (WH_IS_WINDOW (self));

  /* No source object: the task must not keep a destroyed window alive,
   * or its dispose, and so the cancellation, would wait for the thread. */
  task = g_task_new (NULL, self->cancellable, wh_window_discover_device_cb, self);
  g_task_set_source_tag (task, wh_window_discover_device);
  g_task_set_name (task, "[whetstone-discover-device]");
  g_task_run_in_thread (task, wh_window_discover_device_worker);
}

static GSettings *
wh_window_create_settings (void)
{
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Looked up rather than assumed, so that running from a build tree
   * without GSETTINGS_SCHEMA_DIR only loses the saved window size. */
  if (!(source = g_settings_schema_source_get_default ()) ||
      !(schema = g_settings_schema_source_lookup (source, WH_SETTINGS_SCHEMA_ID, TRUE)))
    {
      g_warning ("GSettings schema %s is not installed; the window size will not be remembered",
                 WH_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
wh_window_restore_state (WhWindow *self)
{
  int width;
  int height;

  g_assert (WH_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
wh_window_save_state (WhWindow *self)
{
  int width;
  int height;

  g_assert (WH_IS_WINDOW (self));

  if (self->settings == NULL)
    return;

  /* GTK keeps the default size at the unmaximized size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
wh_window_close_request (GtkWindow *window)
{
  WhWindow *self = (WhWindow *)window;

  g_assert (WH_IS_WINDOW (self));

  wh_window_save_state (self);

  return GTK_WINDOW_CLASS (wh_window_parent_class)->close_request (window);
}

static void
wh_window_dispose (GObject *object)
{
  WhWindow *self = (WhWindow *)object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_WINDOW);

  G_OBJECT_CLASS (wh_window_parent_class)->dispose (object);
}

static void
wh_window_finalize (GObject *object)
{
  WhWindow *self = (WhWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->device, wh_cl_device_info_free);

  G_OBJECT_CLASS (wh_window_parent_class)->finalize (object);
}

static void
wh_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WhWindow *self = WH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE_STATE:
      g_value_set_enum (value, self->device_state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_window_class_init (WhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = wh_window_dispose;
  object_class->finalize = wh_window_finalize;
  object_class->get_property = wh_window_get_property;

  window_class->close_request = wh_window_close_request;

  /**
   * WhWindow:device-state:
   *
   * Whether the window is still looking for the device it will train
   * on, found one, or found none.
   */
  properties[PROP_DEVICE_STATE] =
    g_param_spec_enum ("device-state", NULL, NULL,
                       WH_TYPE_WINDOW_DEVICE_STATE,
                       WH_WINDOW_DEVICE_STATE_SEARCHING,
                       (G_PARAM_READABLE |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WhWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_stack);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_icon);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, problem_row);

  gtk_widget_class_install_action (widget_class, "win.new-fine-tune", NULL, wh_window_new_fine_tune_action);
}

static void
wh_window_init (WhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (strcmp (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->welcome_page, APP_ID);

  self->cancellable = g_cancellable_new ();
  self->device_state = WH_WINDOW_DEVICE_STATE_SEARCHING;
  self->settings = wh_window_create_settings ();

  wh_window_restore_state (self);
  wh_window_update_actions (self);
  wh_window_discover_device (self);
}

WhWindow *
wh_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (WH_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * wh_window_get_device_state:
 * @self: a #WhWindow
 *
 * Returns: whether the training device is still being looked for, was
 *   found, or could not be found
 */
WhWindowDeviceState
wh_window_get_device_state (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), WH_WINDOW_DEVICE_STATE_SEARCHING);

  return self->device_state;
}

/**
 * wh_window_get_device:
 * @self: a #WhWindow
 *
 * Returns: (nullable) (transfer none): the device the window will train
 *   on, or %NULL until one has been found
 */
const WhClDeviceInfo *
wh_window_get_device (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);

  return self->device;
}
