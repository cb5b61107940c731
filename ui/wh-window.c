/* wh-window.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-data-page.h"
#include "wh-preferences-window.h"
#include "wh-ui.h"
#include "wh-window-private.h"

/* Unlike APP_ID, the schema ID is the same in both profiles (see
 * data/meson.build). */
#define WH_SETTINGS_SCHEMA_ID "io.github.whetstone.Whetstone"

static const char * const step_names[N_STEPS] = { "start", "model", "data", "goal", "training", "playground" };

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

static void wh_window_data_usable_cb (WhWindow *self);

/* The Data step */

/* Puts the Data screen in its page, or says why it is missing. */
static void
wh_window_add_data_page (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  self->data_page = wh_data_page_new ();
  adw_bin_set_child (self->data_bin, self->data_page);
  g_signal_connect_object (self->data_page, "notify::usable",
                             G_CALLBACK (wh_window_data_usable_cb), self,
                             G_CONNECT_SWAPPED);
}

static gboolean
wh_window_data_usable (WhWindow *self)
{
  gboolean usable = FALSE;

  g_assert (WH_IS_WINDOW (self));

  if (self->data_page != NULL)
    g_object_get (self->data_page, "usable", &usable, NULL);

  return usable;
}

/* The tokenizer counts the examples' tokens as the chosen model will see
 * them; the statistics size the goal's epochs and time. */
static void
wh_window_connect_steps (WhWindow *self)
{
  const WhModelInfo *info;

  g_assert (WH_IS_WINDOW (self));

  info = wh_model_page_get_model_info (self->model_page);
  wh_goal_page_set_model_info (self->goal_page, info);

  if (self->data_page != NULL)
    {
      WhDataPage *data_page = WH_DATA_PAGE (self->data_page);
      WhDataset *dataset;

      /* Not while another model is being read: the file would be read
       * twice. */
      if (info != NULL && wh_data_page_get_tokenizer (data_page) != info->tokenizer)
        wh_data_page_set_tokenizer (data_page, info->tokenizer);

      dataset = wh_data_page_get_usable (data_page) ? wh_data_page_get_dataset (data_page) : NULL;
      wh_goal_page_set_dataset_stats (self->goal_page, dataset != NULL ? wh_dataset_get_stats (dataset) : NULL);
    }
}

#define MAX_RECENT_MODELS 10

static void
wh_window_remember_model (WhWindow   *self,
                          const char *path)
{
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) updated = NULL;

  g_assert (WH_IS_WINDOW (self));

  if (self->settings == NULL || path == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-models");
  updated = wh_ui_recent_add ((const char * const *) recent, path, MAX_RECENT_MODELS);
  g_settings_set_strv (self->settings, "recent-models", (const char * const *) updated);
}

/* The recipe trains the chosen model on the user's examples, not the
 * preset's sample ones. */
static void
wh_window_complete_recipe (WhWindow *self,
                           WhRecipe *recipe)
{
  g_assert (WH_IS_WINDOW (self));

  g_free (recipe->model);
  recipe->model = g_strdup (wh_model_page_get_model_path (self->model_page));

  if (self->data_page != NULL)
    {
      WhDataPage *data_page = WH_DATA_PAGE (self->data_page);
      WhDataset *dataset = wh_data_page_get_dataset (data_page);
      GFile *file = wh_data_page_get_file (data_page);

      if (dataset != NULL && file != NULL)
        {
          g_free (recipe->dataset_path);
          recipe->dataset_path = g_file_get_path (file);
          recipe->dataset_format = wh_dataset_get_format (dataset);
          g_strfreev (recipe->dataset_columns);
          recipe->dataset_columns = g_strdupv ((char **) wh_dataset_get_columns (dataset));
        }
    }
}

/* Navigation */

static Step
wh_window_get_step (WhWindow *self)
{
  const char *name;

  g_assert (WH_IS_WINDOW (self));

  name = gtk_stack_get_visible_child_name (self->main_stack);
  for (guint i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (name, step_names[i]) == 0)
      return i;

  g_return_val_if_reached (STEP_START);
}

static gboolean
wh_window_step_complete (WhWindow *self,
                         Step      step)
{
  g_assert (WH_IS_WINDOW (self));

  switch (step)
    {
    case STEP_MODEL:
      return wh_model_page_get_ready (self->model_page);

    case STEP_DATA:
      return wh_window_data_usable (self);

    case STEP_GOAL:
      return wh_goal_page_get_ready (self->goal_page);

    case STEP_TRAINING:
      return wh_playground_page_get_ready (self->playground_page);

    case STEP_START:
    case STEP_PLAYGROUND:
    case N_STEPS:
    default:
      return FALSE;
    }
}

void
_wh_window_update_actions (WhWindow *self)
{
  gboolean can_fine_tune;
  Step step;

  g_assert (WH_IS_WINDOW (self));

  step = wh_window_get_step (self);

  /* A fine-tune needs a device to train on. */
  can_fine_tune = self->device_state == WH_WINDOW_DEVICE_STATE_FOUND;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-fine-tune", can_fine_tune);
  /* A run under way is stopped from its own page, not left behind. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-back",
                                 step != STEP_START &&
                                 !(step == STEP_TRAINING && wh_training_page_is_busy (self->training_page)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-next", wh_window_step_complete (self, step));
  /* Try It opens once there is something to try. */
  if (step == STEP_TRAINING)
    gtk_widget_set_visible (self->next_button, wh_window_step_complete (self, step));

  /* The run under way is neither resumed nor deleted from the Start step. */
  wh_start_page_set_active_run (self->start_page,
                                self->trainer != NULL && wh_training_page_is_busy (self->training_page)
                                ? wh_trainer_get_run_dir (self->trainer) : NULL);
}

static void
wh_window_data_usable_cb (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  wh_window_connect_steps (self);
  _wh_window_update_actions (self);
}

static void
wh_window_model_ready_cb (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  wh_window_connect_steps (self);
  _wh_window_update_actions (self);
}

static void
wh_window_step_changed_cb (WhWindow *self)
{
  static const char * const titles[N_STEPS] = {
    NULL, N_("Model"), N_("Examples"), N_("Goal"), N_("Training"), N_("Try It"),
  };
  g_autofree char *subtitle = NULL;
  gboolean in_flow;
  Step step;

  g_assert (WH_IS_WINDOW (self));

  step = wh_window_get_step (self);
  in_flow = step != STEP_START;

  if (in_flow)
    /* Translators: where the user is in the guided fine-tune, e.g. “Step 2 of 4” */
    subtitle = g_strdup_printf (_("Step %u of %u"), (guint) step, (guint) N_STEPS - 1);

  adw_window_title_set_title (self->window_title, titles[step] != NULL ? _(titles[step]) : "");
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* The welcome page's header blends into it; the steps' does not. */
  if (in_flow)
    gtk_widget_remove_css_class (GTK_WIDGET (self->header_bar), "flat");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->header_bar), "flat");

  gtk_widget_set_visible (self->back_button, in_flow);
  gtk_widget_set_visible (self->next_button, in_flow && step != STEP_TRAINING && step != STEP_PLAYGROUND);
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        step == STEP_GOAL ? _("_Start Training") : step == STEP_TRAINING ? _("_Try It") : _("_Next"));

  _wh_window_update_actions (self);
}

void
_wh_window_set_step (WhWindow *self,
                     Step      step)
{
  g_assert (WH_IS_WINDOW (self));
  g_assert (step < N_STEPS);

  gtk_stack_set_visible_child_name (self->main_stack, step_names[step]);
}

void
_wh_window_toast (WhWindow   *self,
                  const char *message)
{
  g_autofree char *title = g_markup_escape_text (message, -1);

  g_assert (WH_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

void
_wh_window_notify_device_state (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_STATE]);
}

static void
wh_window_new_fine_tune_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  WhWindow *self = WH_WINDOW (widget);

  /* A fine-tune already under way picks up where it was left. */
  if (wh_window_get_step (self) == STEP_START)
    _wh_window_set_step (self, STEP_MODEL);
}

static void
wh_window_go_back_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  WhWindow *self = WH_WINDOW (widget);
  Step step = wh_window_get_step (self);

  /* A run resumed or opened was set up by no step but the Start one. */
  if (step == STEP_TRAINING && self->from_start)
    _wh_window_set_step (self, STEP_START);
  else if (step > STEP_START)
    _wh_window_set_step (self, step - 1);
}

static void
wh_window_go_next_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  WhWindow *self = WH_WINDOW (widget);
  Step step = wh_window_get_step (self);

  if (!wh_window_step_complete (self, step))
    return;

  wh_window_connect_steps (self);

  if (step == STEP_MODEL)
    wh_window_remember_model (self, wh_model_page_get_model_path (self->model_page));

  if (step == STEP_GOAL)
    {
      g_autoptr(GError) error = NULL;

      if (self->has_recipe)
        wh_recipe_clear (&self->recipe);
      self->has_recipe = wh_goal_page_build_recipe (self->goal_page, &self->recipe, &error);

      if (!self->has_recipe)
        {
          wh_recipe_clear (&self->recipe);
          _wh_window_toast (self, error->message);
          return;
        }

      wh_window_complete_recipe (self, &self->recipe);
      /* A chatbot is tried in conversations. */
      wh_playground_page_set_chat_mode (self->playground_page,
                                        g_strcmp0 (wh_goal_page_get_preset_id (self->goal_page), "support-chatbot") == 0);
      if (!_wh_window_start_training (self, &error))
        {
          _wh_window_toast (self, error->message);
          return;
        }
    }

  _wh_window_set_step (self, step + 1);
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

static void
wh_window_trainer_state_cb (WhWindow *self)
{
  g_assert (WH_IS_WINDOW (self));

  if (self->close_after_stop && !wh_training_page_is_busy (self->training_page))
    {
      self->close_after_stop = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
wh_window_close_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             WhWindow         *self)
{
  if (g_strcmp0 (response, "stop") != 0 || self->trainer == NULL)
    return;
  /* Closes once the step under way has finished and its checkpoint is
   * written. */
  self->close_after_stop = TRUE;
  g_signal_connect_object (self->training_page, "notify::busy",
                           G_CALLBACK (wh_window_trainer_state_cb), self, G_CONNECT_SWAPPED);
  wh_trainer_stop (self->trainer);
}

static gboolean
wh_window_close_request (GtkWindow *window)
{
  WhWindow *self = (WhWindow *)window;

  g_assert (WH_IS_WINDOW (self));

  if (wh_training_page_is_busy (self->training_page))
    {
      AdwMessageDialog *dialog;

      if (self->close_after_stop)
        return TRUE;
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Stop Training?"),
                                                           _("Training stops after the step under way and keeps "
                                                             "its checkpoints; you can resume it later.")));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Keep Training"),
                                        "stop", _("_Stop and Close"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (wh_window_close_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  wh_window_save_state (self);

  return GTK_WINDOW_CLASS (wh_window_parent_class)->close_request (window);
}

static void
wh_window_dispose (GObject *object)
{
  WhWindow *self = (WhWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->open_cancellable != NULL)
    g_cancellable_cancel (self->open_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_WINDOW);

  G_OBJECT_CLASS (wh_window_parent_class)->dispose (object);
}

static void
wh_window_finalize (GObject *object)
{
  WhWindow *self = (WhWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->welcome_text, g_free);
  g_clear_object (&self->trainer);
  g_clear_object (&self->compute);
  g_clear_pointer (&self->device, wh_cl_device_info_free);
  if (self->has_recipe)
    wh_recipe_clear (&self->recipe);

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

  g_type_ensure (WH_TYPE_MODEL_PAGE);
  g_type_ensure (WH_TYPE_GOAL_PAGE);
  g_type_ensure (WH_TYPE_TRAINING_PAGE);
  g_type_ensure (WH_TYPE_PLAYGROUND_PAGE);
  g_type_ensure (WH_TYPE_START_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, playground_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, model_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, data_bin);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, goal_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_stack);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_spinner);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, device_icon);
  gtk_widget_class_bind_template_child (widget_class, WhWindow, problem_row);

  gtk_widget_class_bind_template_callback (widget_class, wh_window_step_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, wh_window_model_ready_cb);
  gtk_widget_class_bind_template_callback (widget_class, _wh_window_update_actions);

  gtk_widget_class_install_action (widget_class, "win.new-fine-tune", NULL, wh_window_new_fine_tune_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, wh_window_go_back_action);
  gtk_widget_class_install_action (widget_class, "win.go-next", NULL, wh_window_go_next_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.go-next", NULL);
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

  wh_window_add_data_page (self);
  wh_window_restore_state (self);

  if (self->settings != NULL)
    {
      g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-models");

      wh_model_page_set_recent (self->model_page, (const char * const *) recent);
      /* The Data step adds each file that imports with something to
       * train on. */
      g_settings_bind (self->settings, "recent-datasets", self->data_page, "recent-files", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed::device",
                               G_CALLBACK (_wh_window_device_setting_cb), self, G_CONNECT_SWAPPED);
    }
  _wh_window_init_runs (self);
  wh_window_step_changed_cb (self);
  _wh_window_discover_device (self);
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

/**
 * wh_window_get_recipe:
 * @self: a #WhWindow
 *
 * Returns: (nullable) (transfer none): the recipe of the fine-tune being
 *   set up, once the user has gone past the Goal step: the chosen model,
 *   examples and goal
 */
const WhRecipe *
wh_window_get_recipe (WhWindow *self)
{
  g_return_val_if_fail (WH_IS_WINDOW (self), NULL);

  return self->has_recipe ? &self->recipe : NULL;
}

/**
 * wh_window_present_preferences:
 * @self: a #WhWindow
 *
 * Shows the Preferences window over @self: the training device and the
 * runs folder, kept in the app's settings.
 */
void
wh_window_present_preferences (WhWindow *self)
{
  GtkWidget *preferences;

  g_return_if_fail (WH_IS_WINDOW (self));

  if (self->settings == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Preferences cannot be kept: the app’s settings schema is not installed")));
      return;
    }
  preferences = wh_preferences_window_new (GTK_WINDOW (self), self->settings);
  gtk_window_set_application (GTK_WINDOW (preferences), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}
