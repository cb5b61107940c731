/* wh-goal-advanced.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wh-adapter.h"
#include "wh-goal-advanced.h"

/* Every recipe field the Advanced section shows, in the recipe's order. */

typedef enum
{
  FIELD_METHOD,
  FIELD_UINT,
  FIELD_UINT64,
  FIELD_DOUBLE,
  FIELD_BOOL,
  FIELD_SCHEDULE,
  FIELD_TARGETS,
} FieldKind;

typedef struct
{
  const char *key;        /* as in the recipe file */
  const char *title;
  const char *subtitle;
  FieldKind   kind;
  gsize       offset;
  double      lower;
  double      upper;
  double      step;
  guint       digits;
} Field;

#define OFFSET(member) G_STRUCT_OFFSET (WhRecipe, member)

static const Field fields[] = {
  { "method", N_("Method"), N_("QLoRA keeps the model in 4 bits while training, for much less memory"),
    FIELD_METHOD, OFFSET (method) },
  { "lora.r", N_("LoRA rank"), N_("How big the add-on is"),
    FIELD_UINT, OFFSET (lora_r), 1, 1024, 1, 0 },
  { "lora.alpha", N_("LoRA alpha"), N_("How strongly the add-on counts, often twice the rank"),
    FIELD_DOUBLE, OFFSET (lora_alpha), 0.1, 4096, 1, 1 },
  { "lora.dropout", N_("LoRA dropout"), N_("Share of the add-on switched off at each step"),
    FIELD_DOUBLE, OFFSET (lora_dropout), 0, 0.9, 0.01, 2 },
  { "lora.targets", N_("Adapted projections"), N_("Which parts of each layer get an add-on"),
    FIELD_TARGETS, OFFSET (lora_targets) },
  { "train.epochs", N_("Epochs"), N_("Passes over all the examples"),
    FIELD_UINT, OFFSET (epochs), 1, 1000, 1, 0 },
  { "train.learning_rate", N_("Learning rate"), N_("How big a step each correction takes"),
    FIELD_DOUBLE, OFFSET (learning_rate), 0.000001, 1, 0.00001, 6 },
  { "train.schedule", N_("Learning rate schedule"), N_("How the step size changes during training"),
    FIELD_SCHEDULE, OFFSET (schedule) },
  { "train.warmup_steps", N_("Warm-up steps"), N_("Steps over which the step size rises from zero"),
    FIELD_UINT, OFFSET (warmup_steps), 0, 1000000, 1, 0 },
  { "train.weight_decay", N_("Weight decay"), N_("How much the add-on is pulled back towards zero"),
    FIELD_DOUBLE, OFFSET (weight_decay), 0, 10, 0.01, 3 },
  { "train.batch_size", N_("Batch size"), N_("Examples processed together; more needs more memory"),
    FIELD_UINT, OFFSET (batch_size), 1, 256, 1, 0 },
  { "train.grad_accum", N_("Gradient accumulation"), N_("Batches added up before each correction"),
    FIELD_UINT, OFFSET (grad_accum), 1, 256, 1, 0 },
  { "train.max_seq_len", N_("Longest example"), N_("In tokens; longer ones are cut, and memory grows with it"),
    FIELD_UINT, OFFSET (max_seq_len), 16, 131072, 64, 0 },
  { "train.packing", N_("Pack examples"), N_("Fill each sequence with several short examples"),
    FIELD_BOOL, OFFSET (packing) },
  { "train.seed", N_("Seed"), N_("Fixes the random choices, so the same recipe trains the same way"),
    FIELD_UINT64, OFFSET (seed), 0, 4294967295.0, 1, 0 },
  { "train.grad_clip", N_("Gradient clipping"), N_("Largest gradient norm allowed; 0 turns it off"),
    FIELD_DOUBLE, OFFSET (grad_clip), 0, 1000, 0.1, 2 },
  { "eval.val_fraction", N_("Validation share"), N_("Examples held back to check progress"),
    FIELD_DOUBLE, OFFSET (val_fraction), 0, 0.5, 0.01, 2 },
  { "eval.every_steps", N_("Check every"), N_("Steps between validation checks; 0 checks at each epoch’s end"),
    FIELD_UINT, OFFSET (eval_every_steps), 0, 10000000, 10, 0 },
};

#undef OFFSET

#define FIELD_PTR(recipe, field, type) ((type *) (gpointer) ((guint8 *) (recipe) + (field)->offset))

struct _WhGoalAdvanced
{
  AdwExpanderRow   parent_instance;

  WhRecipe        *recipe;        /* borrowed: shown and changed */
  GtkWidget       *widgets[G_N_ELEMENTS (fields)];
  GtkCheckButton  *target_checks[WH_LORA_N_TARGETS];
  gboolean         syncing;
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (WhGoalAdvanced, wh_goal_advanced, ADW_TYPE_EXPANDER_ROW)

static guint signals[N_SIGNALS];

static char *
targets_summary (guint targets)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  if (targets == (1u << WH_LORA_N_TARGETS) - 1)
    return g_strdup (_("All"));

  for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
    if (targets & (1u << t))
      {
        const char *name = wh_lora_target_name (t);
        gsize len = strlen (name);

        /* q_proj → q */
        if (g_str_has_suffix (name, "_proj"))
          len -= strlen ("_proj");
        if (summary->len > 0)
          g_string_append (summary, ", ");
        g_string_append_len (summary, name, len);
      }

  return g_string_free (g_steal_pointer (&summary), FALSE);
}

static void
field_changed_cb (GtkWidget      *widget,
                  GParamSpec     *pspec,
                  WhGoalAdvanced *self)
{
  const Field *field = g_object_get_data (G_OBJECT (widget), "wh-field");

  g_assert (WH_IS_GOAL_ADVANCED (self));
  g_assert (field != NULL);

  if (self->syncing || self->recipe == NULL)
    return;

  switch (field->kind)
    {
    case FIELD_METHOD:
      *FIELD_PTR (self->recipe, field, WhMethod) =
        adw_combo_row_get_selected (ADW_COMBO_ROW (widget)) == 1 ? WH_METHOD_QLORA : WH_METHOD_LORA;
      break;

    case FIELD_SCHEDULE:
      *FIELD_PTR (self->recipe, field, WhSchedule) = adw_combo_row_get_selected (ADW_COMBO_ROW (widget));
      break;

    case FIELD_UINT:
      *FIELD_PTR (self->recipe, field, guint) = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget));
      break;

    case FIELD_UINT64:
      *FIELD_PTR (self->recipe, field, guint64) = (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget));
      break;

    case FIELD_DOUBLE:
      *FIELD_PTR (self->recipe, field, double) = gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget));
      break;

    case FIELD_BOOL:
      *FIELD_PTR (self->recipe, field, gboolean) = gtk_switch_get_active (GTK_SWITCH (widget));
      break;

    case FIELD_TARGETS:
    default:
      g_assert_not_reached ();
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

static void
target_toggled_cb (GtkCheckButton *check,
                   WhGoalAdvanced *self)
{
  guint targets = 0;

  g_assert (WH_IS_GOAL_ADVANCED (self));

  if (self->syncing || self->recipe == NULL)
    return;

  for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
    if (gtk_check_button_get_active (self->target_checks[t]))
      targets |= 1u << t;

  /* An adapter needs somewhere to go: the last one stays. */
  if (targets != 0)
    self->recipe->lora_targets = targets;

  wh_goal_advanced_sync (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
create_spin (const Field *field)
{
  GtkAdjustment *adjustment;
  GtkWidget *spin;

  adjustment = gtk_adjustment_new (field->lower, field->lower, field->upper,
                                   field->step, field->step * 10, 0);
  spin = gtk_spin_button_new (adjustment, field->step, field->digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (spin), GTK_UPDATE_IF_VALID);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);

  return spin;
}

static GtkWidget *
create_combo (AdwComboRow        *row,
              const char * const *items)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    gtk_string_list_append (model, _(items[i]));

  adw_combo_row_set_model (row, G_LIST_MODEL (model));

  return GTK_WIDGET (row);
}

static GtkWidget *
create_targets (WhGoalAdvanced *self)
{
  GtkWidget *button;
  GtkWidget *popover;
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (wh_lora_target_name (t));

      self->target_checks[t] = GTK_CHECK_BUTTON (check);
      g_signal_connect (check, "toggled", G_CALLBACK (target_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), check);
    }

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);

  return button;
}

static void
create_fields (WhGoalAdvanced *self)
{
  static const char * const methods[] = { N_("LoRA"), N_("QLoRA"), NULL };
  static const char * const schedules[] = { N_("Constant"), N_("Linear"), N_("Cosine"), NULL };

  g_assert (WH_IS_GOAL_ADVANCED (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const Field *field = &fields[i];
      g_autofree char *subtitle = NULL;
      GtkWidget *widget = NULL;
      GtkWidget *row;

      /* The recipe key, for those who edit recipe files. */
      /* Translators: an explanation and the recipe key, e.g. “How big the add-on is · lora.r” */
      subtitle = g_strdup_printf (_("%s · %s"), _(field->subtitle), field->key);

      if (field->kind == FIELD_METHOD || field->kind == FIELD_SCHEDULE)
        {
          row = adw_combo_row_new ();
          widget = create_combo (ADW_COMBO_ROW (row), field->kind == FIELD_METHOD ? methods : schedules);
          g_signal_connect (widget, "notify::selected", G_CALLBACK (field_changed_cb), self);
        }
      else
        {
          row = adw_action_row_new ();

          switch (field->kind)
            {
            case FIELD_UINT:
            case FIELD_UINT64:
            case FIELD_DOUBLE:
              widget = create_spin (field);
              g_signal_connect (widget, "notify::value", G_CALLBACK (field_changed_cb), self);
              break;

            case FIELD_BOOL:
              widget = gtk_switch_new ();
              gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
              g_signal_connect (widget, "notify::active", G_CALLBACK (field_changed_cb), self);
              break;

            case FIELD_TARGETS:
              widget = create_targets (self);
              break;

            case FIELD_METHOD:
            case FIELD_SCHEDULE:
            default:
              g_assert_not_reached ();
            }

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), widget);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _(field->title),
                                          -1);
        }

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(field->title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_name (row, field->key);
      g_object_set_data (G_OBJECT (widget), "wh-field", (gpointer) field);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);

      self->widgets[i] = widget;
    }
}

/* GObject */

static void
wh_goal_advanced_class_init (WhGoalAdvancedClass *klass)
{
  /**
   * WhGoalAdvanced::changed:
   *
   * The user changed a value of the recipe.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
wh_goal_advanced_init (WhGoalAdvanced *self)
{
  create_fields (self);
}

/**
 * wh_goal_advanced_set_recipe:
 * @self: a #WhGoalAdvanced
 * @recipe: (nullable): the recipe to show and change, which must outlive
 *   @self or be unset; %NULL: none, and the rows change nothing
 */
void
wh_goal_advanced_set_recipe (WhGoalAdvanced *self,
                             WhRecipe       *recipe)
{
  g_return_if_fail (WH_IS_GOAL_ADVANCED (self));

  self->recipe = recipe;
  wh_goal_advanced_sync (self);
}

/**
 * wh_goal_advanced_sync:
 * @self: a #WhGoalAdvanced
 *
 * Shows the recipe's values again, after it was changed elsewhere.
 */
void
wh_goal_advanced_sync (WhGoalAdvanced *self)
{
  g_return_if_fail (WH_IS_GOAL_ADVANCED (self));

  if (self->recipe == NULL)
    return;

  self->syncing = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const Field *field = &fields[i];
      GtkWidget *widget = self->widgets[i];

      switch (field->kind)
        {
        case FIELD_METHOD:
          adw_combo_row_set_selected (ADW_COMBO_ROW (widget),
                                      *FIELD_PTR (self->recipe, field, WhMethod) == WH_METHOD_QLORA ? 1 : 0);
          break;

        case FIELD_SCHEDULE:
          adw_combo_row_set_selected (ADW_COMBO_ROW (widget), *FIELD_PTR (self->recipe, field, WhSchedule));
          break;

        case FIELD_UINT:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), *FIELD_PTR (self->recipe, field, guint));
          break;

        case FIELD_UINT64:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), *FIELD_PTR (self->recipe, field, guint64));
          break;

        case FIELD_DOUBLE:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), *FIELD_PTR (self->recipe, field, double));
          break;

        case FIELD_BOOL:
          gtk_switch_set_active (GTK_SWITCH (widget), *FIELD_PTR (self->recipe, field, gboolean));
          break;

        case FIELD_TARGETS:
          {
            guint targets = *FIELD_PTR (self->recipe, field, guint);
            g_autofree char *summary = targets_summary (targets);

            for (guint t = 0; t < WH_LORA_N_TARGETS; t++)
              gtk_check_button_set_active (self->target_checks[t], (targets & (1u << t)) != 0);
            gtk_menu_button_set_label (GTK_MENU_BUTTON (widget), summary);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  self->syncing = FALSE;
}

/**
 * wh_goal_advanced_commit:
 * @self: a #WhGoalAdvanced
 *
 * Puts a number still being typed into the recipe.
 */
void
wh_goal_advanced_commit (WhGoalAdvanced *self)
{
  g_return_if_fail (WH_IS_GOAL_ADVANCED (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (GTK_IS_SPIN_BUTTON (self->widgets[i]))
      gtk_spin_button_update (GTK_SPIN_BUTTON (self->widgets[i]));
}
