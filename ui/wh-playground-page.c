/* wh-playground-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "wh-playground-page-private.h"
#include "wh-playground-stream.h"

/* The Try It step: one prompt, answered by the base model and by the
 * checkpoints chosen (and the run's final adapter, once it is written),
 * side by side, as the words come.
 *
 * Every answer is generated on the device's compute thread, as a job of
 * its own, in the order the columns are shown, with the same seed and
 * settings.  That thread is the training run's: while a run trains, it
 * takes the jobs between two steps.  The run's WhTrySession loads the
 * base model once, on that thread, keeps it there and frees it there;
 * a checkpoint's adapter is put on it for its answer and taken off
 * again.  The words reach the page through a WhPlaygroundStream: the
 * compute thread adds them under its lock, and an idle on the page's
 * main context shows what came since the last one, so the page is never
 * flooded.  A stream that outlived the page, or the prompt it answers,
 * is dropped. */

G_DEFINE_FINAL_TYPE (WhPlaygroundPage, wh_playground_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_RUN_DIR,
  PROP_CHAT_MODE,
  PROP_READY,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_wh_playground_page_set_busy (WhPlaygroundPage *self,
                              guint             n_running)
{
  gboolean was_busy = self->n_running > 0;

  self->n_running = n_running;
  _wh_playground_page_update_actions (self);
  if (was_busy != (n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
is_trainer_running (WhPlaygroundPage *self)
{
  WhTrainerState state = self->trainer != NULL ? wh_trainer_get_state (self->trainer) : WH_TRAINER_STATE_IDLE;

  return state == WH_TRAINER_STATE_RUNNING || state == WH_TRAINER_STATE_PAUSED;
}

/* Updating */

static void
set_ready (WhPlaygroundPage *self,
           gboolean          ready)
{
  if (self->ready == ready)
    return;
  self->ready = ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

gboolean
_wh_playground_page_prompt_is_empty (WhPlaygroundPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return *g_strstrip (text) == '\0';
}

void
_wh_playground_page_update_actions (WhPlaygroundPage *self)
{
  gboolean busy = self->n_running > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.send",
                                 self->ready && !busy && self->columns->len > 0 &&
                                 !_wh_playground_page_prompt_is_empty (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playground.new-conversation",
                                 !busy && self->prompts->len > 0);
  gtk_stack_set_visible_child_name (self->send_stack, busy ? "stop" : "send");
  for (guint i = 0; i < self->choices->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->choices, i), !busy);
}

void
_wh_playground_page_update_all (WhPlaygroundPage *self)
{
  gboolean ready = self->device != NULL && self->session != NULL &&
                   (self->checkpoints->len > 0 || is_trainer_running (self));
  gboolean chat = _wh_playground_page_chat_active (self);
  const char *hint;

  _wh_playground_page_update_columns (self);
  _wh_playground_page_update_models_label (self);

  gtk_stack_set_visible_child_name (self->stack, self->session != NULL ? "playground" : "empty");
  gtk_widget_set_visible (self->chat_label, !self->template_known || self->has_template);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_switch), !self->template_known || self->has_template);
  gtk_widget_set_visible (self->new_conversation_button, chat);
  gtk_label_set_label (GTK_LABEL (self->placeholder_label),
                       self->template_known && !self->has_template ? _("Text for the models to continue")
                       : chat ? _("Say something to the models") : _("Ask the models something"));

  if (self->columns->len == 0)
    hint = _("Choose at least one model to answer.");
  else if (is_trainer_running (self))
    hint = _("Training goes on: each answer is written between two training steps, so it may take a little longer.");
  else if (self->checkpoints->len == 0)
    hint = _("No checkpoint has been saved yet; only the base model can answer.");
  else
    hint = NULL;
  gtk_label_set_label (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);

  set_ready (self, ready);
  _wh_playground_page_update_actions (self);
}

/* Exporting */

/* “my-run-20260102-epoch-2-adapter”, or for the run's result
 * “my-run-20260102-adapter” */
static char *
suggest_export_name (WhPlaygroundPage *self,
                     const char       *source)
{
  g_autofree char *run = self->run_dir != NULL ? g_path_get_basename (self->run_dir) : g_strdup ("whetstone");
  g_autofree char *checkpoint = g_path_get_basename (source);

  if (g_str_equal (checkpoint, "adapter"))
    return g_strdup_printf ("%s-adapter", run);
  return g_strdup_printf ("%s-%s-adapter", run, checkpoint);
}

/* Actions and signals */

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);
  const char *source = g_variant_get_string (parameter, NULL);
  g_autofree char *name = suggest_export_name (self, source);

  wh_playground_export_start (self->exporter, source, name);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _wh_playground_page_send (WH_PLAYGROUND_PAGE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  /* The columns say “Stopped” as their jobs come back. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  if (self->n_running > 0)
    return;
  _wh_playground_page_clear_conversation (self);
  _wh_playground_page_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

static void
new_seed_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (widget);

  gtk_spin_button_set_value (self->seed_spin, g_random_int_range (0, G_MAXINT32));
}

static gboolean
prompt_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       WhPlaygroundPage      *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  /* Shift+Enter: a new line. */
  if (state & GDK_SHIFT_MASK)
    return FALSE;
  _wh_playground_page_send (self);
  return TRUE;
}

static void
prompt_changed_cb (GtkTextBuffer    *buffer,
                   WhPlaygroundPage *self)
{
  gtk_widget_set_visible (self->placeholder_label, gtk_text_buffer_get_char_count (buffer) == 0);
  _wh_playground_page_update_actions (self);
}

static void
chat_switch_cb (GtkSwitch        *chat_switch,
                GParamSpec       *pspec,
                WhPlaygroundPage *self)
{
  wh_playground_page_set_chat_mode (self, gtk_switch_get_active (chat_switch));
}

static void
trainer_changed_cb (WhPlaygroundPage *self)
{
  const char *run_dir = wh_trainer_get_run_dir (self->trainer);

  if (g_strcmp0 (run_dir, self->run_dir) != 0)
    wh_playground_page_set_run_dir (self, run_dir);
  else
    _wh_playground_page_reload (self);
}

/* GtkWidget */

static void
wh_playground_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wh_playground_page_parent_class)->map (widget);

  /* Anything the run saved while the page was hidden. */
  _wh_playground_page_reload (WH_PLAYGROUND_PAGE (widget));
}

/* GObject */

static void
wh_playground_page_dispose (GObject *object)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  _wh_playground_page_cancel_answers (self);
  g_clear_object (&self->exporter);
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_clear_object (&self->trainer);
  _wh_playground_page_release_session (self);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (wh_playground_page_parent_class)->dispose (object);
}

static void
wh_playground_page_finalize (GObject *object)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->checkpoints, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->prompts, g_ptr_array_unref);
  g_free (self->run_dir);

  G_OBJECT_CLASS (wh_playground_page_parent_class)->finalize (object);
}

static void
wh_playground_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_RUN_DIR:
      g_value_set_string (value, self->run_dir);
      break;

    case PROP_CHAT_MODE:
      g_value_set_boolean (value, self->chat_mode);
      break;

    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->n_running > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_playground_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WhPlaygroundPage *self = WH_PLAYGROUND_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      wh_playground_page_set_device (self, g_value_get_object (value));
      break;

    case PROP_RUN_DIR:
      wh_playground_page_set_run_dir (self, g_value_get_string (value));
      break;

    case PROP_CHAT_MODE:
      wh_playground_page_set_chat_mode (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_playground_page_class_init (WhPlaygroundPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_playground_page_dispose;
  object_class->finalize = wh_playground_page_finalize;
  object_class->get_property = wh_playground_page_get_property;
  object_class->set_property = wh_playground_page_set_property;

  widget_class->map = wh_playground_page_map;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL,
                         WH_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUN_DIR] =
    g_param_spec_string ("run-dir", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CHAT_MODE] =
    g_param_spec_boolean ("chat-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * WhPlaygroundPage:ready:
   *
   * There is a model to try: see wh_playground_page_get_ready().
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-playground-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, models_list);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, new_conversation_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, columns_box);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, send_stack);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, chat_label);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, chat_switch);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, top_p_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, top_k_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, repetition_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, length_spin);
  gtk_widget_class_bind_template_child (widget_class, WhPlaygroundPage, seed_spin);

  gtk_widget_class_install_action (widget_class, "playground.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "playground.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "playground.new-conversation", NULL, new_conversation_action);
  gtk_widget_class_install_action (widget_class, "playground.new-seed", NULL, new_seed_action);
  gtk_widget_class_install_action (widget_class, "playground.export", "s", export_action);
}

static void
wh_playground_page_init (WhPlaygroundPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new_with_free_func (_wh_playground_page_column_free);
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) wh_run_checkpoint_free);
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->choices = g_ptr_array_new ();
  self->prompts = g_ptr_array_new_with_free_func (g_free);
  self->exporter = wh_playground_export_new (self->toast_overlay);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (prompt_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->prompt_view), keys);
  g_signal_connect (gtk_text_view_get_buffer (self->prompt_view), "changed", G_CALLBACK (prompt_changed_cb), self);
  g_signal_connect (self->chat_switch, "notify::active", G_CALLBACK (chat_switch_cb), self);

  _wh_playground_page_update_all (self);
}

GtkWidget *
wh_playground_page_new (void)
{
  return g_object_new (WH_TYPE_PLAYGROUND_PAGE, NULL);
}

void
wh_playground_page_set_device (WhPlaygroundPage *self,
                               WhDevice         *device)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));
  g_return_if_fail (device == NULL || WH_IS_DEVICE (device));

  if (self->device == device)
    return;

  /* The model loaded belongs to the old device. */
  _wh_playground_page_cancel_answers (self);
  _wh_playground_page_release_session (self);
  g_set_object (&self->device, device);
  _wh_playground_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

WhDevice *
wh_playground_page_get_device (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), NULL);

  return self->device;
}

void
wh_playground_page_set_trainer (WhPlaygroundPage *self,
                                WhTrainer        *trainer)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));
  g_return_if_fail (trainer == NULL || WH_IS_TRAINER (trainer));

  if (self->trainer == trainer)
    return;
  if (self->trainer != NULL)
    g_signal_handlers_disconnect_by_data (self->trainer, self);
  g_set_object (&self->trainer, trainer);
  if (trainer == NULL)
    {
      _wh_playground_page_update_all (self);
      return;
    }

  /* A checkpoint comes with a step; a stopped run saves one of its own. */
  g_signal_connect_object (trainer, "progress", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::state", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (trainer, "notify::run-dir", G_CALLBACK (trainer_changed_cb), self, G_CONNECT_SWAPPED);
  trainer_changed_cb (self);
}

void
wh_playground_page_set_run_dir (WhPlaygroundPage *self,
                                const char       *run_dir)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  if (g_strcmp0 (self->run_dir, run_dir) == 0)
    return;

  _wh_playground_page_cancel_answers (self);
  _wh_playground_page_release_session (self);
  g_free (self->run_dir);
  self->run_dir = g_strdup (run_dir);
  self->choice_touched = FALSE;
  g_hash_table_remove_all (self->chosen);
  g_ptr_array_set_size (self->checkpoints, 0);
  g_ptr_array_set_size (self->prompts, 0);
  /* A new run: new columns. */
  _wh_playground_page_update_columns (self);
  _wh_playground_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_DIR]);
}

const char *
wh_playground_page_get_run_dir (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), NULL);

  return self->run_dir;
}

void
wh_playground_page_reload (WhPlaygroundPage *self)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  _wh_playground_page_reload (self);
}

void
wh_playground_page_set_chat_mode (WhPlaygroundPage *self,
                                  gboolean          chat_mode)
{
  g_return_if_fail (WH_IS_PLAYGROUND_PAGE (self));

  chat_mode = !!chat_mode;
  if (self->chat_mode == chat_mode)
    return;
  self->chat_mode = chat_mode;
  gtk_switch_set_active (self->chat_switch, chat_mode);
  /* Each mode starts afresh. */
  _wh_playground_page_clear_conversation (self);
  _wh_playground_page_update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_MODE]);
}

gboolean
wh_playground_page_get_chat_mode (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->chat_mode;
}

gboolean
wh_playground_page_get_ready (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->ready;
}

gboolean
wh_playground_page_get_busy (WhPlaygroundPage *self)
{
  g_return_val_if_fail (WH_IS_PLAYGROUND_PAGE (self), FALSE);

  return self->n_running > 0;
}

/* For the tests */

GtkTextView *
_wh_playground_page_get_prompt_view (WhPlaygroundPage *self)
{
  return self->prompt_view;
}

GtkWidget *
_wh_playground_page_get_send_button (WhPlaygroundPage *self)
{
  return self->send_button;
}

GtkWidget *
_wh_playground_page_get_models_button (WhPlaygroundPage *self)
{
  return self->models_button;
}

GtkWidget *
_wh_playground_page_get_settings_button (WhPlaygroundPage *self)
{
  return self->settings_button;
}

GtkSpinButton *
_wh_playground_page_get_spin (WhPlaygroundPage *self,
                              const char       *name)
{
  return GTK_SPIN_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (self), WH_TYPE_PLAYGROUND_PAGE, name));
}
