/* wh-goal-page.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-goal-advanced.h"
#include "wh-goal-page.h"
#include "wh-model-fit.h"
#include "wh-preset.h"

/* How closely to imitate: a learning rate and a rank around the preset's. */
static const double closeness_rate[] = { 0.5, 1.0, 1.5 };
static const double closeness_rank[] = { 0.5, 1.0, 2.0 };

struct _WhGoalPage
{
  AdwBin            parent_instance;

  GPtrArray        *presets;             /* WhPreset, in the order shown */
  const WhPreset   *preset;              /* the chosen one, in presets */
  WhRecipe          recipe;              /* the chosen preset as the user changed it */
  WhGoalLength      length;
  WhGoalCloseness   closeness;
  WhModelInfo       info;                /* numbers only: no pointer in it is owned */
  WhDatasetStats    stats;
  WhClDeviceInfo   *device;
  guint             has_info : 1;
  guint             has_stats : 1;
  guint             syncing : 1;

  /* Template widgets */
  GtkListBox       *preset_list;
  GtkWidget        *settings_box;
  GtkTextView      *prompt_view;
  AdwComboRow      *length_row;
  AdwComboRow      *closeness_row;
  AdwActionRow     *estimate_row;
  GtkImage         *estimate_icon;
  GtkWidget        *fix_box;
  GtkWidget        *qlora_button;
  GtkWidget        *shorter_button;
  WhGoalAdvanced   *advanced_row;
};

enum {
  PROP_0,
  PROP_PRESET_ID,
  PROP_READY,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (WhGoalPage, wh_goal_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* A deep copy through the recipe's own JSON, which also checks every
 * value as a recipe file would be checked. */
static gboolean
recipe_copy (const WhRecipe  *recipe,
             WhRecipe        *out,
             GError         **error)
{
  g_autoptr(JsonNode) node = wh_recipe_to_json (recipe);
  g_autofree char *json = json_to_string (node, FALSE);

  wh_recipe_init (out);
  if (!wh_recipe_load_from_data (out, json, NULL, error))
    {
      wh_recipe_clear (out);
      wh_recipe_init (out);
      return FALSE;
    }

  return TRUE;
}

static guint
base_epochs (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));
  g_assert (self->preset != NULL);

  if (self->preset->recipe.epochs > 0)
    return self->preset->recipe.epochs;

  return wh_preset_auto_epochs (self->has_stats ? self->stats.train_examples : 0);
}

static guint
length_epochs (WhGoalPage   *self,
               WhGoalLength  length)
{
  guint base = base_epochs (self);

  switch (length)
    {
    case WH_GOAL_LENGTH_SHORT:
      return MAX (1, (base + 1) / 2);

    case WH_GOAL_LENGTH_THOROUGH:
      return MIN (base * 2, 1000);

    case WH_GOAL_LENGTH_NORMAL:
    default:
      return base;
    }
}

static void
wh_goal_page_apply_length (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->preset != NULL)
    self->recipe.epochs = length_epochs (self, self->length);
}

static void
wh_goal_page_apply_closeness (WhGoalPage *self)
{
  const WhRecipe *preset;
  double rate;
  guint rank;

  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->preset == NULL)
    return;

  preset = &self->preset->recipe;
  rank = MAX (1, (guint) (preset->lora_r * closeness_rank[self->closeness] + 0.5));
  /* A preset's "auto" rate follows the model's width. */
  rate = wh_recipe_get_learning_rate (preset, self->has_info ? self->info.config.hidden_size : 0);

  self->recipe.learning_rate = rate * closeness_rate[self->closeness];
  self->recipe.lora_r = rank;
  self->recipe.lora_alpha = preset->lora_alpha * rank / MAX (preset->lora_r, 1);
}

/* Numbers shown: the words under the plain controls and the estimate */

static guint
steps_per_epoch (WhGoalPage *self)
{
  guint per_step = MAX (1, self->recipe.batch_size) * MAX (1, self->recipe.grad_accum);

  if (!self->has_stats)
    return 0;

  return (self->stats.train_examples + per_step - 1) / per_step;
}

static void
wh_goal_page_update_estimate (WhGoalPage *self)
{
  g_auto(WhModelFitWords) words = { 0 };

  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->preset == NULL)
    return;

  if (!self->has_info)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->estimate_row),
                                     _("Choose a model to see how much memory training needs"));
      adw_action_row_set_subtitle (self->estimate_row, NULL);
      wh_model_fit_set_icon (self->estimate_icon, "dialog-information-symbolic", NULL);
      gtk_widget_set_visible (self->fix_box, FALSE);
      return;
    }

  wh_model_fit_describe_recipe (&self->info, &self->recipe, self->device, self->has_stats ? &self->stats : NULL,
                                &words);
  wh_model_fit_set_icon (self->estimate_icon, words.icon_name, words.style);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->estimate_row), words.title);
  adw_action_row_set_subtitle (self->estimate_row, words.subtitle);

  gtk_widget_set_visible (self->fix_box, words.too_big);
  gtk_widget_set_visible (self->qlora_button, words.qlora_fits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "goal.use-qlora", words.qlora_fits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "goal.shorter-examples", self->recipe.max_seq_len >= 32);
}

static void
wh_goal_page_update_derived (WhGoalPage *self)
{
  g_autofree char *epochs = NULL;
  g_autofree char *length = NULL;
  g_autofree char *closeness = NULL;
  guint n_epochs = self->recipe.epochs;
  guint steps;

  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->preset == NULL)
    return;

  /* Translators: how many times training goes through all the examples */
  epochs = g_strdup_printf (ngettext ("%u pass (epoch)", "%u passes (epochs)", n_epochs), n_epochs);

  if ((steps = steps_per_epoch (self)) > 0)
    /* Translators: “3 passes (epochs) · 90 steps” */
    length = g_strdup_printf (ngettext ("%s · %u step", "%s · %u steps", steps * n_epochs),
                              epochs, steps * n_epochs);
  else
    length = g_strdup (epochs);

  /* Translators: the learning rate and the LoRA rank, e.g. “Learning rate 0.0002 · LoRA rank 16” */
  closeness = g_strdup_printf (_("Learning rate %g · LoRA rank %u"),
                               self->recipe.learning_rate, self->recipe.lora_r);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->length_row), length);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->closeness_row), closeness);
}

/* Shows the recipe in the Advanced section and the plain controls. */
static void
wh_goal_page_sync (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));

  self->syncing = TRUE;

  adw_combo_row_set_selected (self->length_row, self->length);
  adw_combo_row_set_selected (self->closeness_row, self->closeness);

  wh_goal_advanced_sync (self->advanced_row);

  self->syncing = FALSE;

  wh_goal_page_update_derived (self);
  wh_goal_page_update_estimate (self);
}

/* Presets */

static void
wh_goal_page_apply_preset (WhGoalPage     *self,
                           const WhPreset *preset)
{
  g_autoptr(GError) error = NULL;
  const char *prompt;

  g_assert (WH_IS_GOAL_PAGE (self));
  g_assert (preset != NULL);

  self->preset = preset;

  wh_recipe_clear (&self->recipe);
  if (!recipe_copy (&preset->recipe, &self->recipe, &error))
    g_warning ("The preset “%s” does not copy: %s", preset->id, error->message);

  prompt = self->recipe.system_prompt != NULL ? self->recipe.system_prompt : "";
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view), prompt, -1);

  self->length = WH_GOAL_LENGTH_NORMAL;
  self->closeness = WH_GOAL_CLOSENESS_BALANCED;
  wh_goal_page_apply_length (self);
  wh_goal_page_apply_closeness (self);
  wh_goal_advanced_set_recipe (self->advanced_row, &self->recipe);
  wh_goal_page_sync (self);

  gtk_widget_set_visible (self->settings_box, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
preset_toggled_cb (GtkCheckButton *check,
                   WhGoalPage     *self)
{
  const WhPreset *preset = g_object_get_data (G_OBJECT (check), "wh-preset");

  g_assert (WH_IS_GOAL_PAGE (self));

  if (gtk_check_button_get_active (check) && preset != self->preset)
    wh_goal_page_apply_preset (self, preset);
}

static int
compare_presets (gconstpointer a,
                 gconstpointer b)
{
  const WhPreset *pa = *(const WhPreset * const *) a;
  const WhPreset *pb = *(const WhPreset * const *) b;
  static const char * const order[] = { "brand-voice", "support-chatbot", "text-to-sql", "custom" };
  guint ia = G_N_ELEMENTS (order), ib = G_N_ELEMENTS (order);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (g_strcmp0 (pa->id, order[i]) == 0)
        ia = i;
      if (g_strcmp0 (pb->id, order[i]) == 0)
        ib = i;
    }

  /* The known goals in the order of the design, then any other by file
   * name, Custom last of all. */
  if (g_strcmp0 (pa->id, "custom") == 0)
    ia = G_MAXUINT;
  if (g_strcmp0 (pb->id, "custom") == 0)
    ib = G_MAXUINT;
  if (ia != ib)
    return ia < ib ? -1 : 1;
  return g_strcmp0 (pa->id, pb->id);
}

static void
wh_goal_page_load_presets (WhGoalPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkCheckButton *group = NULL;

  g_assert (WH_IS_GOAL_PAGE (self));

  /* Four small files: read here rather than on a thread. */
  if (!(self->presets = wh_preset_list_builtin (&error)))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

      g_warning ("No presets: %s", error->message);
      gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The goals could not be loaded: reinstalling Whetstone may help"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->preset_list, row);
      return;
    }

  g_ptr_array_sort (self->presets, compare_presets);

  for (guint i = 0; i < self->presets->len; i++)
    {
      WhPreset *preset = g_ptr_array_index (self->presets, i);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *row = adw_action_row_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      if (group == NULL)
        group = GTK_CHECK_BUTTON (check);
      g_object_set_data (G_OBJECT (check), "wh-preset", preset);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, preset->recipe.name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, preset->recipe.description,
                                      -1);
      g_signal_connect (check, "toggled", G_CALLBACK (preset_toggled_cb), self);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), preset->recipe.name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), preset->recipe.description);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_widget_set_name (row, preset->id);
      gtk_list_box_append (self->preset_list, row);
    }
}

/* Actions: the fixes offered when training would not fit */

static void
wh_goal_page_use_qlora_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  WhGoalPage *self = WH_GOAL_PAGE (widget);

  if (self->preset == NULL)
    return;

  self->recipe.method = WH_METHOD_QLORA;
  wh_goal_page_sync (self);
}

static void
wh_goal_page_shorter_examples_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  WhGoalPage *self = WH_GOAL_PAGE (widget);

  if (self->preset == NULL)
    return;

  self->recipe.max_seq_len = MAX (16, self->recipe.max_seq_len / 2);
  wh_goal_page_sync (self);
}

static void
advanced_changed_cb (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));

  wh_goal_page_update_derived (self);
  wh_goal_page_update_estimate (self);
}

static void
length_selected_cb (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->syncing || self->preset == NULL)
    return;

  self->length = adw_combo_row_get_selected (self->length_row);
  wh_goal_page_apply_length (self);
  wh_goal_page_sync (self);
}

static void
closeness_selected_cb (WhGoalPage *self)
{
  g_assert (WH_IS_GOAL_PAGE (self));

  if (self->syncing || self->preset == NULL)
    return;

  self->closeness = adw_combo_row_get_selected (self->closeness_row);
  wh_goal_page_apply_closeness (self);
  wh_goal_page_sync (self);
}

/* GObject */

static void
wh_goal_page_dispose (GObject *object)
{
  WhGoalPage *self = (WhGoalPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), WH_TYPE_GOAL_PAGE);

  G_OBJECT_CLASS (wh_goal_page_parent_class)->dispose (object);
}

static void
wh_goal_page_finalize (GObject *object)
{
  WhGoalPage *self = (WhGoalPage *)object;

  self->preset = NULL;
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_pointer (&self->device, wh_cl_device_info_free);
  wh_recipe_clear (&self->recipe);

  G_OBJECT_CLASS (wh_goal_page_parent_class)->finalize (object);
}

static void
wh_goal_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  WhGoalPage *self = WH_GOAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRESET_ID:
      g_value_set_string (value, wh_goal_page_get_preset_id (self));
      break;

    case PROP_READY:
      g_value_set_boolean (value, wh_goal_page_get_ready (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_goal_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  WhGoalPage *self = WH_GOAL_PAGE (object);

  switch (prop_id)
    {
    case PROP_PRESET_ID:
      wh_goal_page_set_preset_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wh_goal_page_class_init (WhGoalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wh_goal_page_dispose;
  object_class->finalize = wh_goal_page_finalize;
  object_class->get_property = wh_goal_page_get_property;
  object_class->set_property = wh_goal_page_set_property;

  /**
   * WhGoalPage:preset-id:
   *
   * The chosen goal: the file name of its preset without “.json”.
   */
  properties[PROP_PRESET_ID] =
    g_param_spec_string ("preset-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * WhGoalPage:ready:
   *
   * Whether a goal was chosen, so that a recipe can be built.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (WH_TYPE_GOAL_ADVANCED);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/whetstone/Whetstone/wh-goal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, preset_list);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, settings_box);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, length_row);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, closeness_row);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, estimate_row);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, estimate_icon);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, fix_box);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, qlora_button);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, shorter_button);
  gtk_widget_class_bind_template_child (widget_class, WhGoalPage, advanced_row);
  gtk_widget_class_bind_template_callback (widget_class, advanced_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, length_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, closeness_selected_cb);

  gtk_widget_class_install_action (widget_class, "goal.use-qlora", NULL, wh_goal_page_use_qlora_action);
  gtk_widget_class_install_action (widget_class, "goal.shorter-examples", NULL, wh_goal_page_shorter_examples_action);
}

static void
wh_goal_page_init (WhGoalPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  wh_recipe_init (&self->recipe);
  self->length = WH_GOAL_LENGTH_NORMAL;
  self->closeness = WH_GOAL_CLOSENESS_BALANCED;

  wh_goal_page_load_presets (self);
}

GtkWidget *
wh_goal_page_new (void)
{
  return g_object_new (WH_TYPE_GOAL_PAGE, NULL);
}

/**
 * wh_goal_page_get_preset_id:
 * @self: a #WhGoalPage
 *
 * Returns: (nullable): the chosen goal's preset, or %NULL before one is
 *   chosen
 */
const char *
wh_goal_page_get_preset_id (WhGoalPage *self)
{
  g_return_val_if_fail (WH_IS_GOAL_PAGE (self), NULL);

  return self->preset != NULL ? self->preset->id : NULL;
}

/**
 * wh_goal_page_set_preset_id:
 * @self: a #WhGoalPage
 * @preset_id: a preset's file name without “.json”
 *
 * Chooses a goal, as clicking its row does: the system prompt and every
 * setting start again from the preset.
 */
void
wh_goal_page_set_preset_id (WhGoalPage *self,
                            const char *preset_id)
{
  g_return_if_fail (WH_IS_GOAL_PAGE (self));
  g_return_if_fail (preset_id != NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->preset_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (ADW_IS_ACTION_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), preset_id) == 0)
        {
          GtkWidget *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
          return;
        }
    }

  g_warning ("No preset “%s”", preset_id);
}

gboolean
wh_goal_page_get_ready (WhGoalPage *self)
{
  g_return_val_if_fail (WH_IS_GOAL_PAGE (self), FALSE);

  return self->preset != NULL;
}

/**
 * wh_goal_page_set_model_info:
 * @self: a #WhGoalPage
 * @info: (nullable): the chosen model
 *
 * Sets the model the memory and time estimates are for.  Only its
 * numbers are kept: @info need not outlive the call.
 */
void
wh_goal_page_set_model_info (WhGoalPage        *self,
                             const WhModelInfo *info)
{
  g_return_if_fail (WH_IS_GOAL_PAGE (self));

  memset (&self->info, 0, sizeof self->info);
  self->has_info = info != NULL;

  if (info != NULL)
    {
      self->info.config = info->config;
      self->info.config.architecture = NULL;
      self->info.n_params = info->n_params;
      self->info.weight_bytes = info->weight_bytes;
    }

  /* An "auto" learning rate follows the model. */
  wh_goal_page_apply_closeness (self);
  if (self->preset != NULL)
    wh_goal_page_sync (self);
  else
    wh_goal_page_update_estimate (self);
}

/**
 * wh_goal_page_set_dataset_stats:
 * @self: a #WhGoalPage
 * @stats: (nullable): the imported examples' statistics
 *
 * Sets the examples the number of epochs and the time estimate are for.
 */
void
wh_goal_page_set_dataset_stats (WhGoalPage           *self,
                                const WhDatasetStats *stats)
{
  g_return_if_fail (WH_IS_GOAL_PAGE (self));

  memset (&self->stats, 0, sizeof self->stats);
  self->has_stats = stats != NULL;
  if (stats != NULL)
    self->stats = *stats;

  /* “auto” epochs follow the number of examples. */
  wh_goal_page_apply_length (self);
  if (self->preset != NULL)
    wh_goal_page_sync (self);
}

/**
 * wh_goal_page_set_device:
 * @self: a #WhGoalPage
 * @device: (nullable): the device training will run on
 */
void
wh_goal_page_set_device (WhGoalPage           *self,
                         const WhClDeviceInfo *device)
{
  g_return_if_fail (WH_IS_GOAL_PAGE (self));

  g_clear_pointer (&self->device, wh_cl_device_info_free);
  if (device != NULL)
    self->device = wh_cl_device_info_copy (device);

  wh_goal_page_update_estimate (self);
}

/**
 * wh_goal_page_build_recipe:
 * @self: a #WhGoalPage
 * @out: (out caller-allocates): the recipe, to clear with wh_recipe_clear()
 * @error: return location for a #GError
 *
 * Builds the recipe of the chosen goal with the user's changes: the
 * preset's dataset, model and template stay as the preset has them, for
 * the caller to replace with the user's.
 *
 * Returns: %TRUE, or %FALSE with @error set (and @out initialised to the
 *   defaults) when no goal was chosen or a value is out of range
 */
gboolean
wh_goal_page_build_recipe (WhGoalPage  *self,
                           WhRecipe    *out,
                           GError     **error)
{
  g_autofree char *prompt = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start;
  GtkTextIter end;

  g_return_val_if_fail (WH_IS_GOAL_PAGE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->preset == NULL)
    {
      wh_recipe_init (out);
      g_set_error_literal (error, WH_RECIPE_ERROR, WH_RECIPE_ERROR_INVALID,
                           _("Choose a goal first"));
      return FALSE;
    }

  /* A number still being typed counts. */
  wh_goal_advanced_commit (self->advanced_row);

  buffer = gtk_text_view_get_buffer (self->prompt_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  g_clear_pointer (&self->recipe.system_prompt, g_free);
  /* Empty means none: the examples' own system messages stay. */
  if (g_strstrip (prompt)[0] != '\0')
    self->recipe.system_prompt = g_steal_pointer (&prompt);

  return recipe_copy (&self->recipe, out, error);
}
