/* wh-training-checkpoints.c
 *
 * Copyright 2026 The Whetstone authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "wh-training-checkpoints.h"

/* The checkpoints of the run the Training step shows, a row each, in
 * the order they were saved; “Best” marks the one with the lowest
 * validation loss when there is a choice.  Each row opens its folder
 * through the page's training-page.open-checkpoint action. */

struct _WhTrainingCheckpoints
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;      /* AdwActionRow, by step */
  GtkWidget           *best_row;
  GtkWidget           *none_row;
};

G_DEFINE_FINAL_TYPE (WhTrainingCheckpoints, wh_training_checkpoints, ADW_TYPE_PREFERENCES_GROUP)

static char *
checkpoint_title (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  guint n;
  char tail;

  if (sscanf (name, "epoch-%u%c", &n, &tail) == 1)
    return g_strdup_printf (_("Epoch %u"), n);
  if (sscanf (name, "step-%u%c", &n, &tail) == 1)
    return g_strdup_printf (_("Step %u"), n);
  return g_steal_pointer (&name);
}

static guint
row_step (GtkWidget *row)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "wh-step"));
}

/* “Best” goes to the checkpoint with the lowest validation loss, when
 * there is a choice. */
static void
update_best (WhTrainingCheckpoints *self)
{
  GtkWidget *best = NULL;
  double lowest = INFINITY;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      double val = *(double *) g_object_get_data (G_OBJECT (row), "wh-val-loss");

      if (isfinite (val) && val < lowest)
        {
          lowest = val;
          best = row;
        }
    }
  if (self->rows->len < 2)
    best = NULL;
  if (best == self->best_row)
    return;
  if (self->best_row != NULL)
    gtk_widget_set_visible (g_object_get_data (G_OBJECT (self->best_row), "wh-best-label"), FALSE);
  self->best_row = best;
  if (best != NULL)
    gtk_widget_set_visible (g_object_get_data (G_OBJECT (best), "wh-best-label"), TRUE);
}

void
wh_training_checkpoints_add (WhTrainingCheckpoints *self,
                             const WhTrainProgress *p)
{
  g_autofree char *name = g_path_get_basename (p->checkpoint);
  g_autofree char *title = checkpoint_title (p->checkpoint);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GtkStringList) parts = gtk_string_list_new (NULL);
  GtkWidget *row, *button, *best;

  g_return_if_fail (WH_IS_TRAINING_CHECKPOINTS (self));
  g_return_if_fail (p != NULL && p->checkpoint != NULL);

  if (!g_str_has_prefix (name, "step-"))
    gtk_string_list_take (parts, g_strdup_printf (_("Step %u"), p->step));
  if (!g_str_has_prefix (name, "epoch-"))
    gtk_string_list_take (parts, g_strdup_printf (_("Epoch %u"), p->epoch));
  if (isfinite (p->val_loss))
    gtk_string_list_take (parts, g_strdup_printf (_("validation loss %.3f"), p->val_loss));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (parts)); i++)
    {
      if (i > 0)
        /* Translators: between the details of a checkpoint, e.g. “Step 24 · validation loss 1.234” */
        g_string_append (subtitle, _(" · "));
      g_string_append (subtitle, gtk_string_list_get_string (parts, i));
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  best = gtk_label_new (_("Best"));
  gtk_widget_set_valign (best, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (best, _("The lowest validation loss so far"));
  gtk_widget_add_css_class (best, "accent");
  gtk_widget_add_css_class (best, "caption-heading");
  gtk_widget_set_visible (best, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), best);

  button = gtk_button_new_from_icon_name ("folder-open-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Open Folder"));
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open Folder"),
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "training-page.open-checkpoint");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", p->checkpoint);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  g_object_set_data_full (G_OBJECT (row), "wh-checkpoint-name", g_steal_pointer (&name), g_free);
  g_object_set_data (G_OBJECT (row), "wh-step", GUINT_TO_POINTER (p->step));
  g_object_set_data (G_OBJECT (row), "wh-best-label", best);
  g_object_set_data_full (G_OBJECT (row), "wh-val-loss",
                          g_memdup2 (&p->val_loss, sizeof (double)), g_free);

  gtk_widget_set_visible (self->none_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
  update_best (self);
}

void
wh_training_checkpoints_remove_from (WhTrainingCheckpoints *self,
                                     guint                  step)
{
  g_return_if_fail (WH_IS_TRAINING_CHECKPOINTS (self));

  for (guint i = self->rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i - 1);

      if (row_step (row) < step)
        continue;
      if (row == self->best_row)
        self->best_row = NULL;
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_remove_index (self->rows, i - 1);
    }
  gtk_widget_set_visible (self->none_row, self->rows->len == 0);
}

guint
wh_training_checkpoints_get_n (WhTrainingCheckpoints *self)
{
  g_return_val_if_fail (WH_IS_TRAINING_CHECKPOINTS (self), 0);

  return self->rows->len;
}

char **
wh_training_checkpoints_dup_names (WhTrainingCheckpoints *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (WH_IS_TRAINING_CHECKPOINTS (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (builder, g_object_get_data (g_ptr_array_index (self->rows, i), "wh-checkpoint-name"));
  return g_strv_builder_end (builder);
}

/* GObject */

static void
wh_training_checkpoints_finalize (GObject *object)
{
  WhTrainingCheckpoints *self = WH_TRAINING_CHECKPOINTS (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (wh_training_checkpoints_parent_class)->finalize (object);
}

static void
wh_training_checkpoints_class_init (WhTrainingCheckpointsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wh_training_checkpoints_finalize;
}

static void
wh_training_checkpoints_init (WhTrainingCheckpoints *self)
{
  self->rows = g_ptr_array_new ();
  self->none_row = g_object_new (ADW_TYPE_ACTION_ROW,
                                 "title", _("None yet"),
                                 "subtitle", _("The first one is saved at the end of the first epoch"),
                                 NULL);
  gtk_widget_add_css_class (self->none_row, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->none_row);
}
